"""$ref resolution: local, path items, other files, cycles, missing targets, remote, laziness."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer import spec

from .conftest import Loader, oas3, warning_texts

Write = Callable[[str, Any], Path]


def body_schema(op: spec.Operation) -> Any:
    assert op.request_body is not None
    return op.request_body.content[0].schema


def ok_schema(op: spec.Operation) -> Any:
    response = op.response(200)
    assert response is not None
    return response.content[0].schema


def json_body(schema: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def with_schemas(schemas: dict[str, Any], body: Any) -> dict[str, Any]:
    return oas3(
        {"/x": {"post": {"requestBody": json_body(body), "responses": {}}}},
        components={"schemas": schemas},
    )


def test_local_refs_and_chains(load_doc: Loader) -> None:
    doc = with_schemas(
        {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/C"}}},
            "C": {"type": "string", "enum": ["x"]},
            "a/b~c": {"type": "integer"},
        },
        {
            "type": "object",
            "properties": {
                "a": {"$ref": "#/components/schemas/A"},
                "escaped": {"$ref": "#/components/schemas/a~1b~0c"},
                "percent": {"$ref": "#/components/schemas/a~1b%7Ec"},
            },
        },
    )
    schema = body_schema(load_doc(doc).find("POST /x"))
    assert schema["properties"]["a"]["properties"]["c"]["enum"] == ["x"]
    # a chain of references is named after the schema it ends at
    assert schema["properties"]["a"][spec.REF_KEY] == "#/components/schemas/B"
    assert schema["properties"]["escaped"]["type"] == "integer"
    assert schema["properties"]["percent"]["type"] == "integer"


def test_literal_values_are_not_resolved(load_doc: Loader) -> None:
    """A `$ref` inside an example or enum is data, and a property may be called `$ref`."""
    doc = with_schemas(
        {"S": {"type": "string"}},
        {
            "type": "object",
            "example": {"$ref": "#/components/schemas/S"},
            "properties": {
                "$ref": {"type": "string"},
                "example": {"$ref": "#/components/schemas/S"},
            },
        },
    )
    schema = body_schema(load_doc(doc).find("POST /x"))
    assert schema["example"] == {"$ref": "#/components/schemas/S"}
    assert schema["properties"]["$ref"] == {"type": "string"}
    assert schema["properties"]["example"]["type"] == "string"


def test_path_item_ref(load_doc: Loader) -> None:
    doc = oas3(
        {"/pets": {"$ref": "#/components/pathItems/Pets"}},
        components={
            "pathItems": {
                "Pets": {
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                    "get": {"operationId": "list", "responses": {"200": {"description": "ok"}}},
                }
            }
        },
    )
    api = load_doc(doc)
    op = api.find("list")
    assert op is not None and op.key == "GET /pets"
    assert [p.name for p in op.parameters] == ["q"]
    assert op.response(200).description == "ok"  # type: ignore[union-attr]


def test_refs_into_other_files(write: Write) -> None:
    write(
        "api/common/schemas/Error.yaml",
        {"type": "object", "properties": {"code": {"type": "integer"}}},
    )
    write(
        "api/spec/schemas/Pet.yaml",
        {"type": "object", "properties": {"tag": {"$ref": "../../common/schemas/Tag.json"}}},
    )
    write("api/common/schemas/Tag.json", {"type": "string", "x-from": "tag"})
    write("api/spec/schemas/Pets.yaml", {"type": "array", "items": {"$ref": "Pet.yaml"}})
    write(
        "api/spec/params.yaml",
        {
            "Limit": {
                "name": "limit",
                "in": "query",
                "schema": {"$ref": "schemas/Pet.yaml#/properties/tag"},
            }
        },
    )
    root = write(
        "api/spec/openapi.yaml",
        oas3(
            {
                "/pets": {
                    "get": {
                        "parameters": [{"$ref": "params.yaml#/Limit"}],
                        "responses": {
                            "200": {
                                "description": "ok",
                                **json_body({"$ref": "schemas/Pets.yaml"}),
                            },
                            "default": {
                                "description": "err",
                                **json_body({"$ref": "../common/schemas/Error.yaml"}),
                            },
                        },
                    }
                }
            }
        ),
    )
    api = spec.load(root, cache_dir=None, allow_outside_refs=True)  # api/common is a sibling
    op = api.find("GET /pets")
    assert ok_schema(op)["items"]["properties"]["tag"]["x-from"] == "tag"
    assert op.response(500).content[0].schema["properties"]["code"] == {"type": "integer"}  # type: ignore[union-attr,index]
    # a parameter from another file whose schema refers relative to *that* file
    assert op.parameters[0].schema["x-from"] == "tag"
    assert api.warnings == []


def test_multi_file_petstore(shared_specs: Path) -> None:
    root = shared_specs / "multi-file/petstore-separate/spec/openapi.yaml"
    api = spec.load(root, cache_dir=None, allow_outside_refs=True)  # ../common/schemas
    assert len(api.operations) == 3
    op = api.find("listPets")
    pets = ok_schema(op)
    assert pets["type"] == "array"
    assert pets["items"]["required"] == ["id", "name"]
    error = op.response(500).content[0].schema  # type: ignore[union-attr]
    assert error["properties"]["message"] == {"type": "string"}  # type: ignore[index]
    for o in api.operations:
        o.resolve_all()
    assert api.warnings == []


def test_direct_self_reference(load_doc: Loader) -> None:
    doc = with_schemas(
        {
            "Node": {
                "type": "object",
                "properties": {
                    "value": {"type": "string"},
                    "next": {"$ref": "#/components/schemas/Node"},
                },
            }
        },
        {"$ref": "#/components/schemas/Node"},
    )
    api = load_doc(doc)
    schema = body_schema(api.find("POST /x"))
    assert schema["properties"]["value"] == {"type": "string"}
    nxt = schema["properties"]["next"]
    assert nxt[spec.CYCLE_KEY] == "#/components/schemas/Node"
    assert nxt["title"] == "Node"
    assert api.warnings == []


def test_mutual_reference(load_doc: Loader) -> None:
    doc = with_schemas(
        {
            "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
        },
        {"$ref": "#/components/schemas/A"},
    )
    schema = body_schema(load_doc(doc).find("POST /x"))
    assert schema["properties"]["b"]["properties"]["a"] == {
        spec.CYCLE_KEY: "#/components/schemas/A",
        "title": "A",
    }


def test_cycles_through_arrays_and_all_of(load_doc: Loader) -> None:
    doc = with_schemas(
        {
            "Tree": {
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}
                },
            },
            "Cat": {
                "allOf": [
                    {"$ref": "#/components/schemas/Animal"},
                    {"type": "object", "properties": {"purrs": {"type": "boolean"}}},
                ]
            },
            "Animal": {
                "type": "object",
                "properties": {
                    "offspring": {"type": "array", "items": {"$ref": "#/components/schemas/Cat"}}
                },
            },
        },
        {
            "type": "object",
            "properties": {
                "tree": {"$ref": "#/components/schemas/Tree"},
                "cat": {"$ref": "#/components/schemas/Cat"},
            },
        },
    )
    schema = body_schema(load_doc(doc).find("POST /x"))
    tree = schema["properties"]["tree"]
    assert tree["properties"]["children"]["items"][spec.CYCLE_KEY] == "#/components/schemas/Tree"
    cat = schema["properties"]["cat"]
    animal = cat["allOf"][0]
    assert animal["properties"]["offspring"]["items"][spec.CYCLE_KEY] == "#/components/schemas/Cat"
    # sampling and validating such schemas terminates
    assert spec.sample(schema) == {
        "tree": {"children": []},
        "cat": {"offspring": [], "purrs": True},
    }
    assert spec.validate({"tree": {"children": [{"children": []}]}}, schema) == []


def test_reference_loop_without_schema_content(load_doc: Loader) -> None:
    """A $ref chain that only points at itself must end, with a marker or a warning."""
    doc = oas3(
        {
            "/x": {
                "get": {
                    "parameters": [{"$ref": "#/components/parameters/P"}],
                    "responses": {"200": {"$ref": "#/components/responses/R"}},
                },
                "post": {
                    "requestBody": json_body({"$ref": "#/components/schemas/S"}),
                    "responses": {},
                },
            }
        },
        components={
            "parameters": {"P": {"$ref": "#/components/parameters/P"}},
            "responses": {
                "R": {"$ref": "#/components/responses/R2"},
                "R2": {"$ref": "#/components/responses/R"},
            },
            "schemas": {"S": {"$ref": "#/components/schemas/S"}},
        },
    )
    api = load_doc(doc)
    op = api.find("GET /x")
    assert op.parameters == ()
    assert op.responses == ()
    texts = warning_texts(api)
    assert any("reference loop" in t and "/paths/~1x/get/parameters/0" in t for t in texts)
    assert any("reference loop" in t and "/paths/~1x/get/responses/200" in t for t in texts)
    assert spec.CYCLE_KEY in body_schema(api.find("POST /x"))


def test_missing_target_is_marked_and_warned(load_doc: Loader) -> None:
    doc = with_schemas(
        {}, {"type": "object", "properties": {"gone": {"$ref": "#/components/schemas/Gone"}}}
    )
    api = load_doc(doc)
    gone = body_schema(api.find("POST /x"))["properties"]["gone"]
    assert gone[spec.UNRESOLVED_KEY] == "#/components/schemas/Gone"
    (warning,) = api.warnings
    assert "#/components/schemas/Gone" in warning.message
    assert warning.pointer == "/paths/~1x/post/requestBody/content/application~1json/schema"
    assert spec.sample(body_schema(api.find("POST /x"))) == {}  # nothing to make it from


def test_missing_file_is_marked_and_warned(load_doc: Loader) -> None:
    api = load_doc(with_schemas({}, {"$ref": "nowhere.yaml#/Pet"}))
    schema = body_schema(api.find("POST /x"))
    assert schema[spec.UNRESOLVED_KEY] == "nowhere.yaml#/Pet"
    assert any("nowhere.yaml" in t and "no such file" in t for t in warning_texts(api))


def test_missing_parameter_and_response_refs_warn(load_doc: Loader) -> None:
    doc = oas3(
        {
            "/x": {
                "get": {
                    "parameters": [
                        {"$ref": "#/components/parameters/Nope"},
                        {"name": "ok", "in": "query"},
                    ],
                    "responses": {
                        "200": {"$ref": "#/components/responses/Nope"},
                        "201": {"description": "made"},
                    },
                }
            }
        }
    )
    api = load_doc(doc)
    op = api.find("GET /x")
    assert [p.name for p in op.parameters] == ["ok"]
    assert [r.status for r in op.responses] == ["201"]
    pointers = {w.pointer for w in api.warnings}
    assert {"/paths/~1x/get/parameters/0", "/paths/~1x/get/responses/200"} <= pointers


def test_broken_path_item_ref_warns_and_keeps_the_rest(load_doc: Loader) -> None:
    doc = oas3({"/a": {"$ref": "#/nope"}, "/b": {"get": {"responses": {}}}})
    api = load_doc(doc)
    assert [op.key for op in api.operations] == ["GET /b"]
    assert any(w.pointer == "/paths/~1a" for w in api.warnings)


def test_loading_does_not_resolve_operations(load_doc: Loader) -> None:
    doc = oas3(
        {
            "/x": {
                "get": {
                    "parameters": [{"$ref": "#/components/parameters/Missing"}],
                    "requestBody": json_body({"$ref": "#/components/schemas/Missing"}),
                    "responses": {"200": {"$ref": "other-file-that-does-not-exist.yaml#/R"}},
                }
            }
        }
    )
    api = load_doc(doc)
    assert api.warnings == []  # nothing looked at yet
    op = api.find("GET /x")
    _ = op.summary, op.module, op.tags  # the index is not lazy
    assert api.warnings == []
    _ = op.parameters
    assert len(api.warnings) == 1
    _ = op.request_body
    assert len(api.warnings) == 2
    _ = op.responses
    assert len(api.warnings) == 3
    op.resolve_all()
    assert len(api.warnings) == 3  # each problem is reported once


def test_other_files_are_read_at_load_and_never_after(write: Write) -> None:
    write("schemas/Pet.yaml", {"type": "object", "properties": {"tag": {"$ref": "tag.json"}}})
    write("schemas/tag.json", {"type": "string"})
    root = write(
        "openapi.yaml",
        oas3(
            {
                "/a": {
                    "get": {
                        "responses": {
                            "200": {"description": "", **json_body({"$ref": "schemas/Pet.yaml"})}
                        }
                    }
                },
            }
        ),
    )
    api = spec.load(root, cache_dir=None)
    (root.parent / "schemas" / "Pet.yaml").unlink()  # gone before anyone asked
    (root.parent / "schemas" / "tag.json").unlink()
    schema = ok_schema(api.find("GET /a"))
    assert schema["properties"]["tag"]["type"] == "string"  # read at load, transitively
    assert api.warnings == []


def test_shared_schemas_are_resolved_once(load_doc: Loader) -> None:
    doc = oas3(
        {
            "/a": {
                "post": {
                    "requestBody": json_body({"$ref": "#/components/schemas/S"}),
                    "responses": {},
                }
            },
            "/b": {
                "post": {
                    "requestBody": json_body({"$ref": "#/components/schemas/S"}),
                    "responses": {},
                }
            },
        },
        components={"schemas": {"S": {"type": "object", "properties": {"n": {"type": "number"}}}}},
    )
    api = load_doc(doc)
    assert body_schema(api.find("POST /a")) is body_schema(api.find("POST /b"))


# -- remote references ---------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    """A real HTTP server on 127.0.0.1 serving a folder: (base URL, folder, requested paths)."""
    folder = tmp_path / "served"
    folder.mkdir()
    requested: list[str] = []

    class Handler(_Quiet):
        def do_GET(self) -> None:
            requested.append(self.path)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder, requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _remote_doc(base: str) -> dict[str, Any]:
    return with_schemas({}, {"$ref": f"{base}/schemas/pet.json#/Pet"})


def test_remote_ref_not_fetched_without_consent(
    http_root: tuple[str, Path, list[str]], load_doc: Loader
) -> None:
    base, folder, requested = http_root
    (folder / "schemas").mkdir()
    (folder / "schemas" / "pet.json").write_text('{"Pet": {"type": "object"}}')
    api = load_doc(_remote_doc(base))
    schema = body_schema(api.find("POST /x"))
    assert spec.UNRESOLVED_KEY in schema
    assert any("remote reference not fetched" in t for t in warning_texts(api))
    assert requested == []


def test_remote_ref_fetched_with_consent(
    http_root: tuple[str, Path, list[str]], load_doc: Loader
) -> None:
    base, folder, requested = http_root
    (folder / "schemas").mkdir()
    (folder / "schemas" / "pet.json").write_text(
        '{"Pet": {"type": "object", "properties": {"tag": {"$ref": "tag.yaml"}}}}'
    )
    (folder / "schemas" / "tag.yaml").write_text("type: string\nmaxLength: 5\n")
    api = load_doc(_remote_doc(base), allow_remote_refs=True)
    assert requested == ["/schemas/pet.json", "/schemas/tag.yaml"]  # at load, transitively
    (folder / "schemas" / "pet.json").unlink()  # and never again: resolving reads nothing
    schema = body_schema(api.find("POST /x"))
    assert schema["type"] == "object"
    assert schema["properties"]["tag"] == {
        "type": "string",
        "maxLength": 5,
        spec.REF_KEY: "tag.yaml",
    }
    assert requested == ["/schemas/pet.json", "/schemas/tag.yaml"]
    assert api.warnings == []


def test_document_opened_from_url_follows_its_own_host(
    http_root: tuple[str, Path, list[str]], write: Write
) -> None:
    base, folder, _ = http_root
    (folder / "pet.yaml").write_text("type: object\n")
    (folder / "openapi.json").write_bytes(
        __import__("orjson").dumps(with_schemas({}, {"$ref": "pet.yaml"}))
    )
    api = spec.load(f"{base}/openapi.json", cache_dir=None)
    assert api.source == f"{base}/openapi.json"
    assert body_schema(api.find("POST /x"))["type"] == "object"
    assert [s.url for s in api.servers] == [f"{base}/"]


def test_remote_ref_that_fails_warns(
    http_root: tuple[str, Path, list[str]], load_doc: Loader
) -> None:
    base, _, _ = http_root
    api = load_doc(_remote_doc(base), allow_remote_refs=True)
    schema = body_schema(api.find("POST /x"))
    assert spec.UNRESOLVED_KEY in schema
    assert any("HTTP 404" in t for t in warning_texts(api))


def test_load_from_url_errors(http_root: tuple[str, Path, list[str]]) -> None:
    base, _, _ = http_root
    with pytest.raises(spec.SourceError, match="HTTP 404"):
        spec.load(f"{base}/missing.json")


def _cyclic_doc() -> dict[str, Any]:
    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    schemas = {
        "Customer": {"type": "object", "properties": {"invoice": ref("Invoice"), "id": {}}},
        "Invoice": {
            "type": "object",
            "properties": {"customer": ref("Customer"), "charge": ref("Charge")},
        },
        "Charge": {
            "type": "object",
            "properties": {
                "invoice": ref("Invoice"),
                "customer": ref("Customer"),
                "refunds": {"type": "array", "items": ref("Refund")},
            },
        },
        "Refund": {"type": "object", "properties": {"charge": ref("Charge"), "note": ref("Note")}},
        "Note": {"type": "string"},
    }
    paths = {
        f"/{name.lower()}": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": ref(name)}},
                    }
                }
            }
        }
        for name in schemas
    }
    return oas3(paths, components={"schemas": schemas})


def test_cycles_resolve_the_same_whatever_was_resolved_before(load_doc: Loader) -> None:
    """An operation's schema must not depend on which operations were opened before it."""
    doc = _cyclic_doc()
    keys = [f"GET /{n}" for n in ("customer", "invoice", "charge", "refund", "note")]
    alone = {}
    for key in keys:
        alone[key] = ok_schema(load_doc(doc).find(key))
    for order in (keys, keys[::-1], keys[2:] + keys[:2]):
        api = load_doc(doc)
        for key in order:
            assert ok_schema(api.find(key)) == alone[key], (order, key)


def test_cycles_are_spelled_out_then_marked(load_doc: Loader) -> None:
    charge = ok_schema(load_doc(_cyclic_doc()).find("GET /charge"))
    invoice = charge["properties"]["invoice"]
    assert invoice[spec.REF_KEY] == "#/components/schemas/Invoice"
    # Invoice -> Customer is spelled out; Customer -> Invoice is a marker
    customer = invoice["properties"]["customer"]
    assert customer["properties"]["invoice"][spec.CYCLE_KEY] == "#/components/schemas/Invoice"
    assert invoice["properties"]["charge"][spec.CYCLE_KEY] == "#/components/schemas/Charge"
    # outside the cycle, nothing is cut
    refund = charge["properties"]["refunds"]["items"]
    assert refund["properties"]["note"]["type"] == "string"
    assert spec.validate({"invoice": {"customer": {"id": 1}}}, charge) == []


def test_cycles_between_oddly_named_schemas(load_doc: Loader) -> None:
    quote, backslash = 'say "hi"', "back\\slash ü"
    doc = with_schemas(
        {
            quote: {
                "type": "object",
                "properties": {"next": {"$ref": f"#/components/schemas/{backslash}"}},
            },
            backslash: {
                "type": "object",
                "properties": {"back": {"$ref": f"#/components/schemas/{quote}"}},
            },
        },
        {"$ref": f"#/components/schemas/{quote}"},
    )
    api = load_doc(doc)
    schema = body_schema(api.find("POST /x"))
    nxt = schema["properties"]["next"]
    assert nxt[spec.REF_KEY] == f"#/components/schemas/{backslash}"
    assert nxt["properties"]["back"][spec.CYCLE_KEY] == f"#/components/schemas/{quote}"
    assert api.warnings == []
