"""What a `$ref` may read: files in the document's folder tree (elsewhere only with
consent), regular files only (never a pipe, a device, a socket or a folder), within
size caps; and every document read at load, none after (issue 7: no I/O on the Qt
thread)."""

from __future__ import annotations

import os
import socket
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from explorer import spec
from explorer.spec import _fetch, _refs, _source

from .conftest import oas3

Write = Callable[[str, Any], Path]
OUTSIDE = "outside the document's folder"


def doc_with(refs: dict[str, str]) -> dict[str, Any]:
    """A document whose one operation's body has a property per reference."""
    properties = {name: {"$ref": ref} for name, ref in refs.items()}
    body = {"type": "object", "properties": properties}
    return oas3(
        {
            "/x": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": {},
                }
            }
        }
    )


def properties(api: spec.Spec) -> dict[str, Any]:
    op = api.find("POST /x")
    assert op is not None and op.request_body is not None
    schema = op.request_body.content[0].schema
    assert schema is not None
    props: dict[str, Any] = schema["properties"]
    return props


def unresolved_why(value: Any) -> str:
    """The reason an unresolved marker gives ("" when the reference was followed)."""
    if isinstance(value, dict) and spec.UNRESOLVED_KEY in value:
        return str(value.get("description", ""))
    return ""


SECRET = {"Secret": {"type": "string", "x-secret": "the user's own data"}}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """tmp_path/secret.json beside tmp_path/api/ (the document's folder)."""
    (tmp_path / "secret.json").write_bytes(orjson.dumps(SECRET))
    (tmp_path / "api" / "schemas").mkdir(parents=True)
    (tmp_path / "api" / "schemas" / "pet.json").write_bytes(orjson.dumps({"type": "object"}))
    return tmp_path


def load_in(folder: Path, doc: dict[str, Any], **kwargs: Any) -> spec.Spec:
    path = folder / "openapi.json"
    path.write_bytes(orjson.dumps(doc))
    return spec.load(path, cache_dir=None, **kwargs)


def test_escaping_and_absolute_refs_need_consent(tree: Path) -> None:
    refs = {
        "up": "../secret.json#/Secret",
        "deep_up": "schemas/../../secret.json#/Secret",
        "absolute": f"{tree / 'secret.json'}#/Secret",
        "inside": "schemas/pet.json",
        "inside_absolute": str(tree / "api" / "schemas" / "pet.json"),
    }
    api = load_in(tree / "api", doc_with(refs))
    props = properties(api)
    for name in ("up", "deep_up", "absolute"):
        assert OUTSIDE in unresolved_why(props[name]), name
        assert "x-secret" not in props[name]
    assert props["inside"]["type"] == props["inside_absolute"]["type"] == "object"
    refused = [w for w in api.warnings if OUTSIDE in w.message]
    assert refused
    for warning in refused:  # where it is used, and the file that refers
        assert warning.source == str(tree / "api" / "openapi.json")
        assert warning.pointer == "/paths/~1x/post/requestBody/content/application~1json/schema"
        assert "allow references outside the document" in warning.message

    trusted = load_in(tree / "api", doc_with(refs), allow_outside_refs=True)
    for name in ("up", "deep_up", "absolute"):
        assert properties(trusted)[name]["x-secret"] == "the user's own data"
    assert trusted.warnings == []


def test_confinement_is_to_the_root_documents_folder_not_the_referring_files(
    tree: Path,
) -> None:
    # schemas/pet.json is inside; it refers two levels up, out of the tree
    (tree / "api" / "schemas" / "pet.json").write_bytes(
        orjson.dumps({"type": "object", "properties": {"s": {"$ref": "../../secret.json"}}})
    )
    api = load_in(tree / "api", doc_with({"pet": "schemas/pet.json"}))
    inner = properties(api)["pet"]["properties"]["s"]
    assert OUTSIDE in unresolved_why(inner)
    (warning,) = api.warnings
    assert warning.source == str(tree / "api" / "schemas" / "pet.json")


def test_symbolic_links_are_judged_by_where_they_lead(tree: Path) -> None:
    api_dir = tree / "api"
    (api_dir / "link.json").symlink_to(tree / "secret.json")  # inside by name, outside really
    (api_dir / "schemas" / "inner").symlink_to(api_dir / "schemas")  # inside, both ways
    api = load_in(api_dir, doc_with({"link": "link.json#/Secret", "ok": "schemas/inner/pet.json"}))
    props = properties(api)
    assert OUTSIDE in unresolved_why(props["link"])
    assert props["ok"]["type"] == "object"


def test_a_linked_document_may_read_beside_its_link_and_its_target(tmp_path: Path) -> None:
    real = tmp_path / "project"
    real.mkdir()
    (real / "pet.json").write_bytes(orjson.dumps({"type": "object"}))
    (real / "openapi.json").write_bytes(orjson.dumps(doc_with({"pet": "pet.json"})))
    links = tmp_path / "links"
    links.mkdir()
    (links / "api.json").symlink_to(real / "openapi.json")
    (links / "pet.json").symlink_to(real / "pet.json")
    api = spec.load(links / "api.json", cache_dir=None)
    assert properties(api)["pet"]["type"] == "object"
    assert api.warnings == []


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "api" / "pipe.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    yield path
    # if a regression left a reader blocked on the pipe, a writer lets it go
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    os.close(fd)


def _load_with_deadline(fn: Callable[[], spec.Spec], seconds: float = 20.0) -> spec.Spec:
    result: list[spec.Spec] = []
    worker = threading.Thread(target=lambda: result.append(fn()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "loading hung"
    (api,) = result
    return api


@pytest.mark.parametrize("consent", [False, True])
def test_special_files_are_never_read(tmp_path: Path, fifo: Path, consent: bool) -> None:
    api_dir = fifo.parent
    (api_dir / "folder").mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(api_dir / "sock.json"))
    try:
        refs = {"fifo": "pipe.json", "folder": "folder", "socket": "sock.json"}
        if consent:
            refs |= {"zero": "/dev/zero", "null": "/dev/null", "tty": "/dev/tty"}
        api = _load_with_deadline(
            lambda: load_in(api_dir, doc_with(refs), allow_outside_refs=consent)
        )
    finally:
        sock.close()
    props = properties(api)
    assert "a named pipe, not a file" in unresolved_why(props["fifo"])
    assert "a folder, not a file" in unresolved_why(props["folder"])
    assert "a socket, not a file" in unresolved_why(props["socket"])
    if consent:
        for name in ("zero", "null"):
            assert "a device, not a file" in unresolved_why(props[name])
        assert unresolved_why(props["tty"])  # a device, or absent in a container
    assert len(api.warnings) == len(refs)


def test_files_over_the_cap_are_refused_unread(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tree / "api" / "big.json"
    with big.open("wb") as fh:  # sparse: costs no disk, and is never read
        fh.truncate(_refs.MAX_REFERENCED_BYTES + 1)
    monkeypatch.setattr(_refs, "MAX_REFERENCED_BYTES", 1000)
    (tree / "api" / "small.json").write_bytes(b'{"type": "string"}')
    (tree / "api" / "medium.json").write_bytes(b'{"type": "string", "x": "' + b"a" * 2000 + b'"}')
    api = load_in(
        tree / "api", doc_with({"big": "big.json", "medium": "medium.json", "s": "small.json"})
    )
    props = properties(api)
    assert "larger than 1,000 bytes" in unresolved_why(props["big"])
    assert "larger than 1,000 bytes" in unresolved_why(props["medium"])
    assert props["s"]["type"] == "string"


def test_at_most_so_many_documents_and_bytes(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(6):
        (tree / "api" / f"s{n}.json").write_bytes(b'{"type": "string", "x": "' + b"a" * 100 + b'"}')
    refs = {f"p{n}": f"s{n}.json" for n in range(6)}
    monkeypatch.setattr(_refs, "MAX_DOCUMENTS", 3)
    props = properties(load_in(tree / "api", doc_with(refs)))
    refused = [n for n, v in props.items() if "documents referenced" in unresolved_why(v)]
    assert len(refused) == 3
    monkeypatch.setattr(_refs, "MAX_DOCUMENTS", 1000)
    monkeypatch.setattr(_refs, "MAX_REFERENCED_TOTAL", 300)
    props = properties(load_in(tree / "api", doc_with(refs)))
    read = [n for n, v in props.items() if not unresolved_why(v)]
    assert len(read) == 2  # 2 x 127 bytes fit in 300; the third does not
    assert all(
        "larger than" in unresolved_why(v) or "in all" in unresolved_why(v)
        for n, v in props.items()
        if n not in read
    )


def test_a_document_read_from_memory_is_confined_to_the_working_folder(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree / "api")
    api = spec.load_bytes(
        orjson.dumps(doc_with({"in": "schemas/pet.json", "up": "../secret.json"}))
    )
    props = properties(api)
    assert props["in"]["type"] == "object"
    assert OUTSIDE in unresolved_why(props["up"])


# -- no I/O after load -------------------------------------------------------------------


def _resolve_everything(api: spec.Spec) -> list[Any]:
    """Everything an operation shows, for every operation and webhook (and callbacks)."""
    out: list[Any] = []
    for op in (*api.operations, *api.webhooks):
        op.resolve_all()
        out.append((op.key, op.parameters, op.request_body, op.responses))
        for callback in op.callbacks:
            for cb_op in callback.operations:
                out.append((cb_op.key, cb_op.parameters, cb_op.request_body, cb_op.responses))
    return out


@pytest.fixture
def no_io(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it to make every way of reading a document fail loudly from then on."""

    def forbid() -> None:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError(f"a document was read after load: {args}")

        for module, name in (
            (_source, "read_file"),
            (_refs, "read_file"),
            (_refs, "fetch"),
            (_fetch, "fetch"),
        ):
            monkeypatch.setattr(module, name, refuse)

    return forbid


def _multi_file(write: Write) -> Path:
    write("common/Error.yaml", {"type": "object", "properties": {"code": {"type": "integer"}}})
    write("common/Tag.json", {"type": "string", "x-from": "tag"})
    write(
        "schemas/Pet.yaml",
        {"type": "object", "properties": {"tag": {"$ref": "../common/Tag.json"}}},
    )
    write(
        "params.yaml",
        {
            "Limit": {
                "name": "limit",
                "in": "query",
                "schema": {"$ref": "schemas/Pet.yaml#/properties/tag"},
            }
        },
    )
    write(
        "responses.json",
        {
            "Err": {
                "description": "e",
                "content": {"application/json": {"schema": {"$ref": "common/Error.yaml"}}},
            }
        },
    )
    return write(
        "openapi.yaml",
        oas3(
            {
                "/pets": {
                    "parameters": [{"$ref": "params.yaml#/Limit"}],
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    "application/json": {"schema": {"$ref": "schemas/Pet.yaml"}}
                                },
                            },
                            "default": {"$ref": "responses.json#/Err"},
                        },
                        "callbacks": {
                            "cb": {
                                "{$request.body#/url}": {
                                    "post": {
                                        "requestBody": {"$ref": "responses.json#/Err"},
                                        "responses": {},
                                    }
                                }
                            }
                        },
                    },
                },
                "/missing": {"get": {"responses": {"200": {"$ref": "nowhere.yaml#/R"}}}},
            }
        ),
    )


def test_resolving_after_load_reads_nothing(write: Write, no_io: Callable[[], None]) -> None:
    root = _multi_file(write)
    expected = spec.load(root, cache_dir=None)
    wanted = _resolve_everything(expected)
    api = spec.load(root, cache_dir=None)
    no_io()
    for path in root.parent.rglob("*"):  # and nothing is readable any more either
        if path.is_file() and path != root:
            path.chmod(0)
    try:
        assert _resolve_everything(api) == wanted
    finally:
        for path in root.parent.rglob("*"):
            if path.is_file():
                path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert api.warnings == expected.warnings
    op = api.find("GET /pets")
    assert op is not None
    assert op.parameters[0].schema["x-from"] == "tag"
    assert any("nowhere.yaml" in w.message for w in api.warnings)


def test_shared_multi_file_documents_resolve_without_io(
    shared_specs: Path, no_io: Callable[[], None]
) -> None:
    root = shared_specs / "multi-file/petstore-separate/spec/openapi.yaml"
    pairs = []
    for consent in (False, True):
        expected = spec.load(root, cache_dir=None, allow_outside_refs=consent)
        pairs.append(
            (
                expected,
                _resolve_everything(expected),
                spec.load(root, cache_dir=None, allow_outside_refs=consent),
            )
        )
    no_io()
    for expected, wanted, api in pairs:
        assert _resolve_everything(api) == wanted
        assert api.warnings == expected.warnings
    assert len(pairs[0][0].warnings) == 3 and pairs[1][0].warnings == []  # Error.yaml, used 3 times


def test_warnings_found_while_resolving_land_in_the_one_list(write: Write) -> None:
    root = _multi_file(write)
    api = spec.load(root, cache_dir=None)
    warnings = api.warnings
    assert warnings == []  # nothing is resolved at load, so nothing is reported yet
    op = api.find("GET /missing")
    assert op is not None
    _ = op.responses
    assert api.warnings is warnings and len(warnings) == 1
    assert "nowhere.yaml" in warnings[0].message and "no such file" in warnings[0].message


def test_a_reference_the_scan_missed_is_unresolved_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pet.json").write_bytes(b'{"type": "object"}')
    monkeypatch.setattr(_source, "_refs_in_text", lambda text: ())  # as if the scan missed it
    api = load_in(tmp_path, doc_with({"pet": "pet.json"}))
    assert "not read when the document was opened" in unresolved_why(properties(api)["pet"])
