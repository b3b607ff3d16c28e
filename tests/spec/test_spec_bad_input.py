"""Bad input: each gives a SpecError or a warning with its location, never another exception."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from explorer import spec
from explorer.errors import Location
from explorer.inspect import inspect_report
from explorer.spec import _source

from .conftest import Loader, oas3, warning_texts

Write = Callable[[str, Any], Path]
MINI = b'{"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {}}'


def load_raw(data: bytes, uri: str = "/docs/api.yaml") -> spec.Spec:
    return spec.load_bytes(data, uri)


def test_invalid_json_says_where() -> None:
    data = b'{\n  "openapi": "3.0.0",\n  "info": {"title": "T",, "version": "1"}\n}'
    with pytest.raises(spec.ParseError) as info:
        load_raw(data, "/docs/api.json")
    loc = info.value.location
    assert loc is not None
    assert (loc.source, loc.line, loc.column) == ("/docs/api.json", 3, 25)  # the second comma
    assert str(info.value).startswith("/docs/api.json:3:25: invalid JSON")


def test_invalid_yaml_says_where() -> None:
    data = b"openapi: 3.0.0\ninfo:\n  title: [unclosed\n  version: 1\npaths: {}\n"
    with pytest.raises(spec.ParseError) as info:
        load_raw(data)
    loc = info.value.location
    assert loc is not None and loc.source == "/docs/api.yaml"
    assert (loc.line, loc.column) == (4, 10)
    assert "invalid YAML" in str(info.value)
    assert "\n" not in str(info.value)


def test_yaml_tab_indentation_says_where() -> None:
    with pytest.raises(spec.ParseError) as info:
        load_raw(b"openapi: 3.0.0\ninfo:\n\ttitle: x\n")
    assert info.value.location is not None and info.value.location.line == 3


@pytest.mark.parametrize("data", [b"", b"   \n\t\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_document(data: bytes) -> None:
    with pytest.raises(spec.ParseError, match="empty"):
        load_raw(data)


def test_binary_file() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(spec.SourceError, match="binary"):
        load_raw(png)


def test_not_utf8_says_where() -> None:
    data = 'openapi: 3.0.0\ninfo: {title: "caf\xe9", version: "1"}\n'.encode("latin-1")
    with pytest.raises(spec.ParseError) as info:
        load_raw(data)
    assert "not UTF-8" in str(info.value)
    assert info.value.location is not None
    assert (info.value.location.line, info.value.location.column) == (2, 19)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_encodings(encoding: str) -> None:
    text = 'openapi: 3.0.0\ninfo: {title: "Café ☕", version: "1"}\npaths: {}\n'
    api = load_raw(text.encode(encoding))
    assert api.title == "Café ☕"


def test_utf16_json_with_bom() -> None:
    api = load_raw(MINI.decode().encode("utf-16"), "/docs/api.json")
    assert api.title == "T"


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!python/object/apply:os.system ['touch {marker}']",
    ],
)
@pytest.mark.parametrize("where", ["value", "key", "document"])
def test_yaml_language_tags_construct_nothing(tmp_path: Path, payload: str, where: str) -> None:
    marker = tmp_path / "pwned"
    tag = payload.format(marker=marker)
    text = {
        "value": f"openapi: 3.0.0\ninfo:\n  title: {tag}\npaths: {{}}\n",
        "key": f"openapi: 3.0.0\npaths:\n  ? {tag}\n  : {{}}\n",
        "document": f"--- {tag}\n",
    }[where]
    with pytest.raises(spec.SpecError) as info:
        load_raw(text.encode())
    assert isinstance(info.value, spec.ParseError)
    assert "could not determine a constructor" in str(info.value)
    assert not marker.exists()


def test_yaml_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    prev = "a"
    for name in "bcdefghijkl":  # 10**12 nodes once expanded
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
        prev = name
    lines.append("openapi: 3.0.0\npaths: {}")
    with pytest.raises(spec.StructureError, match="alias bomb"):
        load_raw("\n".join(lines).encode())


def test_recursive_yaml_alias_is_refused() -> None:
    with pytest.raises(spec.StructureError, match="contains itself"):
        load_raw(b"openapi: 3.0.0\npaths: &p\n  /a: *p\n")


def test_yaml_aliases_that_are_not_bombs_load() -> None:
    text = b"""openapi: 3.0.0
info: {title: T, version: "1"}
x-common: &ok {description: ok}
paths:
  /a: {get: {responses: {"200": *ok}}}
  /b: {get: {responses: {"200": *ok, "201": {<<: *ok, description: made}}}}
"""
    api = load_raw(text)
    assert api.find("GET /a").response(200).description == "ok"  # type: ignore[union-attr]
    assert api.find("GET /b").response(201).description == "made"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[1, 2, 3]", "the top level is a list"),
        (b'"just a string"', "the top level is a string"),
        (b"just text", "the top level is a string"),
        (b"42", "the top level is a number"),
        (b"null", "the top level is null"),
        (b'{"info": {"title": "T"}, "paths": {}}', "no `openapi` or `swagger` field"),
        (b'{"name": "package", "version": "1.0.0"}', "no `openapi` or `swagger` field"),
        (b'{"swaggerVersion": "1.2", "apis": []}', "Swagger 1.2 is not supported"),
        (b'{"swagger": "1.2"}', "Swagger 1.2 is not supported"),
        (b'{"openapi": ["3.0.0"]}', "`openapi` should be a version"),
        (b'{"openapi": true}', "`openapi` should be a version"),
    ],
)
def test_not_openapi(data: bytes, message: str) -> None:
    with pytest.raises(spec.NotOpenAPIError, match=message.replace("(", r"\(")):
        load_raw(data)


def test_unknown_version_is_a_warning() -> None:
    api = load_raw(b'{"openapi": "4.0.0", "paths": {"/a": {"get": {}}}}')
    assert len(api.operations) == 1
    assert [(w.pointer, "unknown OpenAPI version '4.0.0'" in w.message) for w in api.warnings] == [
        ("/openapi", True)
    ]


@pytest.mark.parametrize("version", ["3.0", "3.1", "3.0.0", "3.0.4", "3.1.1", "2.0"])
def test_known_versions_do_not_warn(version: str) -> None:
    key = "swagger" if version == "2.0" else "openapi"
    api = load_raw(
        orjson.dumps({key: version, "info": {"title": "t", "version": "1"}, "paths": {}})
    )
    assert api.warnings == []


def test_yaml_unquoted_version_number() -> None:
    api = load_raw(b"openapi: 3.0\ninfo: {title: t, version: 1.0}\npaths: {}\n")
    assert api.openapi_version == "3.0"
    assert api.version == "1.0"


def test_duplicate_operation_id_is_a_warning(load_doc: Loader) -> None:
    doc = oas3(
        {
            "/a": {"get": {"operationId": "same", "responses": {}}},
            "/b": {"get": {"operationId": "same", "responses": {}}},
        }
    )
    api = load_doc(doc)
    (warning,) = api.warnings
    assert warning.pointer == "/paths/~1b/get"
    assert "duplicate operationId 'same'" in warning.message
    assert "GET /a" in warning.message
    assert api.find("same").key == "GET /a"  # the first keeps the name


WRONG_TYPES: list[tuple[dict[str, Any], str, str]] = [
    ({"paths": [1, 2]}, "/paths", "expected an object, found a list"),
    ({"info": "Pet Store"}, "/info", "expected an object, found a string"),
    ({"components": []}, "/components", "expected an object, found a list"),
    ({"components": {"schemas": 5}}, "/components/schemas", "found a number"),
    ({"components": {"securitySchemes": "x"}}, "/components/securitySchemes", "found a string"),
    ({"paths": {"/bad": []}}, "/paths/~1bad", "expected a path item object, found a list"),
    ({"paths": {"/bad": {"get": "list things"}}}, "/paths/~1bad/get", "found a string"),
    ({"paths": {"/bad": {"get": None, "post": 3}}}, "/paths/~1bad/post", "found a number"),
    ({"webhooks": []}, "/webhooks", "found a list"),
]


@pytest.mark.parametrize(("extra", "pointer", "message"), WRONG_TYPES)
def test_wrong_types_at_load_are_warnings(
    load_doc: Loader, extra: dict[str, Any], pointer: str, message: str
) -> None:
    doc = oas3({"/good": {"get": {"operationId": "good", "responses": {}}}})
    for key, value in extra.items():
        if key == "paths" and isinstance(value, dict):
            doc["paths"].update(value)
        else:
            doc[key] = value
    api = load_doc(doc)
    assert any(w.pointer == pointer and message in w.message for w in api.warnings), warning_texts(
        api
    )
    if extra.get("paths") != [1, 2]:
        assert api.find("good") is not None  # the rest still loads
    inspect_report(api)


LAZY_WRONG_TYPES: list[tuple[dict[str, Any], str, str]] = [
    ({"parameters": {"name": "q"}}, "/paths/~1x/get/parameters", "`parameters` should be a list"),
    ({"parameters": ["q"]}, "/paths/~1x/get/parameters/0", "a parameter without a name"),
    ({"parameters": [{"name": "q", "in": "body2"}]}, "/paths/~1x/get/parameters/0", "unknown `in`"),
    ({"responses": 200}, "/paths/~1x/get/responses", "expected an object, found a number"),
    (
        {"responses": {"200": {"content": []}}},
        "/paths/~1x/get/responses/200/content",
        "found a list",
    ),
    (
        {"responses": {"200": {"content": {"application/json": "x"}}}},
        "/paths/~1x/get/responses/200/content/application~1json",
        "found a string",
    ),
    (
        {"responses": {"200": {"headers": [1]}}},
        "/paths/~1x/get/responses/200/headers",
        "found a list",
    ),
    ({"requestBody": {"content": "json"}}, "/paths/~1x/get/requestBody/content", "found a string"),
    ({"callbacks": []}, "/paths/~1x/get/callbacks", "found a list"),
]


@pytest.mark.parametrize(("op_extra", "pointer", "message"), LAZY_WRONG_TYPES)
def test_wrong_types_in_operations_are_warnings(
    load_doc: Loader, op_extra: dict[str, Any], pointer: str, message: str
) -> None:
    op: dict[str, Any] = {"operationId": "x", "responses": {"200": {"description": "ok"}}}
    op.update(op_extra)
    api = load_doc(oas3({"/x": {"get": op}}))
    operation = api.find("x")
    operation.resolve_all()
    assert any(w.pointer == pointer and message in w.message for w in api.warnings), warning_texts(
        api
    )
    inspect_report(api)


def test_odd_values_in_operations_do_not_break_anything(load_doc: Loader) -> None:
    doc = oas3(
        {
            "/x": {
                "summary": 5,
                "servers": "https://nope",
                "get": {
                    "operationId": 42,
                    "summary": ["not", "text"],
                    "tags": "pets",
                    "deprecated": "yes",
                    "security": {"key": []},
                    "servers": [{"url": 5}, "x", {"url": "https://ok.example"}],
                    "requestBody": {
                        "content": {"application/json": {"schema": "Pet", "examples": []}}
                    },
                    "parameters": [{"name": "p", "in": "path", "schema": [1]}],
                    "responses": {"200": {"description": None, "headers": {"X": "y"}}},
                },
            }
        },
        servers=[{"url": "https://{v}.example", "variables": {"v": "not an object"}}],
        tags=[{"name": 5}, "x", {"name": "ok"}],
        security={"key": []},
        **{"x-tagGroups": {"name": "x"}},
    )
    api = load_doc(doc)
    op = api.find("GET /x")
    op.resolve_all()
    assert op.operation_id == "42"
    assert op.module == "x"  # `tags` that is not a list counts as no tags
    assert not op.deprecated
    assert [s.url for s in op.servers] == ["https://ok.example"]
    assert op.parameters[0].schema == {}
    assert api.servers[0].resolve() == "https://{v}.example"
    assert api.tag_groups == ()
    inspect_report(api)


@pytest.mark.parametrize("depth", [100_000, 2_000])
def test_absurd_json_nesting(depth: int) -> None:
    data = b'{"openapi": "3.0.0", "paths": {}, "x": ' + b"[" * depth + b"]" * depth + b"}"
    with pytest.raises(spec.SpecError):
        load_raw(data, "/docs/api.json")


@pytest.mark.parametrize(
    "text",
    [
        "openapi: 3.0.0\npaths: {}\nx: " + "[" * 100_000 + "]" * 100_000,
        "openapi: 3.0.0\npaths: {}\nx:\n" + "".join("  " * i + "- \n" for i in range(1, 5000)),
        "openapi: 3.0.0\npaths: {}\nx:\n" + "".join("  " * i + "a:\n" for i in range(1, 5000)),
        "openapi: 3.0.0\npaths: {}\nx: " + "{a: " * 50_000 + "1" + "}" * 50_000,
    ],
)
def test_absurd_yaml_nesting(text: str) -> None:
    with pytest.raises(spec.SpecError):
        load_raw(text.encode())


def test_deep_schema_within_parser_limits_is_cut_off_not_crashing(load_doc: Loader) -> None:
    """Nesting the parsers accept (here 900 levels) must not exhaust Python's stack later."""
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(450):
        schema = {"type": "object", "properties": {"a": schema}}
    doc = oas3(
        {
            "/x": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                    "responses": {},
                }
            }
        }
    )
    api = load_doc(doc)
    op = api.find("POST /x")
    op.resolve_all()
    resolved = op.request_body.content[0].schema  # type: ignore[union-attr]
    assert any("nested deeper" in w.message for w in api.warnings)
    spec.sample(resolved)
    spec.validate({"a": {"a": 1}}, resolved)
    spec.validate({"a": {"a": 1}}, schema)  # the raw, uncut schema too
    inspect_report(api)


def test_yaml_keys_stay_text() -> None:
    text = b"""openapi: 3.0.0
info: {title: T, version: 1.10}
paths:
  /a:
    get:
      responses:
        200: {description: ok}
        404: {description: missing}
        default: {description: other}
      x-flags: {on: 1, off: 2, yes: 3, no: 4, null: 5, 1.5: 6, true: 7, 2024-01-15: 8}
      x-created: 2024-01-15T09:30:00Z
      x-day: 2024-01-15
"""
    api = load_raw(text)
    op = api.find("GET /a")
    assert [r.status for r in op.responses] == ["200", "404", "default"]
    assert op.response(404).description == "missing"  # type: ignore[union-attr]
    assert list(op.extensions["x-flags"]) == [
        "on", "off", "yes", "no", "null", "1.5", "true", "2024-01-15",
    ]  # fmt: skip
    assert op.extensions["x-created"] == "2024-01-15T09:30:00Z"
    assert op.extensions["x-day"] == "2024-01-15"
    assert api.version == "1.1"  # a YAML number stays what YAML says it is


def test_yaml_multiple_documents_is_a_parse_error() -> None:
    with pytest.raises(spec.ParseError, match="single document"):
        load_raw(b"openapi: 3.0.0\n---\nopenapi: 3.1.0\n")


def test_json_that_is_yaml_flow_style() -> None:
    api = load_raw(b"{openapi: 3.0.0, info: {title: Flow, version: '1'}, paths: {}}")
    assert api.title == "Flow"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(spec.SourceError, match="no such file") as info:
        spec.load(tmp_path / "nope.yaml")
    assert info.value.location == Location(str(tmp_path / "nope.yaml"))
    with pytest.raises(spec.SourceError, match="folder"):
        spec.load(tmp_path)


def test_unreachable_url() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(spec.SourceError, match="could not fetch"):
        spec.load(f"http://127.0.0.1:{port}/openapi.json")


def test_error_strings() -> None:
    err = spec.ParseError("bad", Location("a.yaml", "/paths", 3, 4))
    assert str(err) == "a.yaml:3:4 (at /paths): bad"
    assert str(spec.RefError("x", Location("", "/a"))) == "<document> (at /a): x"
    assert str(spec.SpecError("plain")) == "plain"
    assert isinstance(spec.RefError("x"), spec.SpecError)
    assert str(spec.SpecWarning("odd", "/p")) == "odd (at /p)"
    assert str(spec.SpecWarning("odd", "", "f.yaml")) == "odd (at f.yaml)"
    assert str(spec.SpecWarning("odd")) == "odd"


def test_deep_schema_behind_a_reference(load_doc: Loader) -> None:
    schema: dict[str, Any] = {"$ref": "#/components/schemas/Deep"}
    for _ in range(300):
        schema = {"type": "array", "items": schema}
    doc = oas3(
        {
            "/x": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Deep"}}
                        }
                    },
                    "responses": {},
                }
            }
        },
        components={"schemas": {"Deep": schema}},
    )
    api = load_doc(doc)
    api.find("POST /x").resolve_all()
    assert any("nested deeper" in w.message for w in api.warnings)
    inspect_report(api)


# -- meant to be JSON: the JSON error, never a slow detour through YAML -------------------


@pytest.fixture
def no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the YAML parser was called")

    monkeypatch.setattr(_source.yaml, "load", refuse)


@pytest.mark.parametrize(
    ("data", "uri", "where"),
    [
        (b'{"openapi": "3.0.0",\n "paths": {,}}', "/docs/api", (2, 12)),  # no name: content
        (b'{"openapi": "3.0.0",\n "paths": {,}}', "http://h/openapi?v=1", (2, 12)),
        (b'[{"openapi": 1},,]', "/docs/api.JSON", (1, 17)),
        (b"openapi: 3.0.0\npaths: {}\n", "/docs/api.json", (1, 1)),  # YAML named .json
        (b'{"openapi": "3.0.0", "x": "' + b"a" * 5_000_000 + b"}", "/docs/big.json", None),
    ],
)
def test_documents_meant_to_be_json_report_the_json_error(
    data: bytes, uri: str, where: tuple[int, int] | None, no_yaml: None
) -> None:
    with pytest.raises(spec.ParseError) as info:
        load_raw(data, uri)
    assert str(info.value).startswith(f"{uri}:")
    assert "invalid JSON" in info.value.message
    loc = info.value.location
    assert loc is not None and loc.line is not None and loc.column is not None
    if where is not None:
        assert (loc.line, loc.column) == where


def test_flow_style_yaml_named_yaml_still_loads_but_says_json_when_it_is_neither() -> None:
    assert load_raw(b"{openapi: 3.0.0, info: {title: F}, paths: {}}", "/d/api.yml").title == "F"
    with pytest.raises(spec.ParseError, match="invalid JSON"):
        load_raw(b'{"openapi": "3.0.0", paths: [}', "/d/api.yaml")


# -- YAML alias bombs near every cap -------------------------------------------------------


def aliased(length: int, copies: int) -> bytes:
    """A document with a `length`-character string, then `copies` aliases of it."""
    return (
        b"openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
        + b"x-s: &s "
        + b"a" * length
        + b"\n"
        + b"x-l: ["
        + b", ".join([b"*s"] * copies)
        + b"]\n"
    )


@pytest.mark.parametrize(
    ("length", "copies", "refused"),
    [
        (100_000, 8, False),  # about 9 times the file's size
        (100_000, 10, True),  # about 11 times
        (5_000, 10, False),  # 55 KB: small files may expand to 64 KiB whatever their size
        (5_000, 14, True),  # 75 KB
    ],
)
def test_expansion_is_capped_relative_to_the_files_size(
    length: int, copies: int, refused: bool
) -> None:
    data = aliased(length, copies)
    if refused:
        with pytest.raises(spec.StructureError, match="more than 10 times its size"):
            load_raw(data)
    else:
        api = load_raw(data)
        assert api.raw["x-l"] == ["a" * length] * copies


@pytest.mark.parametrize(("count", "refused"), [(990, False), (1_010, True)])
def test_node_cap(count: int, refused: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.spec import _yaml

    monkeypatch.setattr(_yaml, "MAX_NODES", 1_000)
    data = b"openapi: 3.0.0\npaths: {}\nx: [" + b", ".join([b"1"] * count) + b"]\n"
    if refused:
        with pytest.raises(spec.StructureError, match="too many nodes"):
            load_raw(data)
    else:
        assert len(load_raw(data).raw["x"]) == count


def test_a_small_alias_bomb_is_refused_before_anything_is_cached(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdef", "bcdefg", strict=True):  # 10**7 nodes once expanded
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    data = ("\n".join(lines) + "\nopenapi: 3.0.0\npaths: {}\n").encode()
    assert len(data) < 700
    with pytest.raises(spec.StructureError, match="alias bomb"):
        spec.load_bytes(data, "/d/bomb.yaml", cache_dir=tmp_path)
    assert not list(tmp_path.rglob("*.json"))
