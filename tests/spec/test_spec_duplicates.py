"""Duplicate keys: JSON and YAML parsers keep the last silently (an operation can vanish);
here each is a warning with the pointer of the key that was kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from explorer import spec
from explorer.spec import _source

HEAD = '{"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, '


class Pairs(list[tuple[str, Any]]):
    """A JSON object as its members, repeats and all."""


def json_layouts(text: str) -> dict[str, bytes]:
    """The same JSON text, repeated keys kept, written compact and in a layout orjson
    never writes (a line per member, spaces around colons, non-ASCII as is)."""
    parsed = json.loads(text, object_pairs_hook=Pairs)

    def dump(value: Any, sep: str, newline: str) -> str:
        if isinstance(value, Pairs):
            members = [f"{json.dumps(k)}{sep}{dump(v, sep, newline)}" for k, v in value]
            return "{" + newline + ("," + newline).join(members) + newline + "}"
        if isinstance(value, list):
            return "[" + ", ".join(dump(v, sep, newline) for v in value) + "]"
        return json.dumps(value, ensure_ascii=False)

    return {"compact": dump(parsed, ":", "").encode(), "spaced": dump(parsed, " : ", "\n").encode()}


def warnings_of(data: bytes, uri: str = "/d/api.json") -> list[spec.SpecWarning]:
    return list(spec.load_bytes(data, uri).warnings)


DUPLICATED = (
    HEAD + '"paths": {'
    '"/a": {"get": {"summary": "first", "responses": {}}},'
    '"/b": {"get": {"responses": {}}, "get": {"summary": "second get", "responses": {}}},'
    '"/a": {"post": {"responses": {}}}},'
    '"components": {"schemas": {"S": {"type": "string"}, "S": {"type": "integer"}},'
    ' "parameters": {"P": {"name": "p", "in": "query"}, "P": {"name": "q", "in": "query"}}}}'
)


@pytest.mark.parametrize("layout", ["compact", "spaced"])
def test_json_duplicates_in_paths_path_items_and_components(layout: str) -> None:
    data = json_layouts(DUPLICATED)[layout]
    api = spec.load_bytes(data, "/d/api.json")
    assert [op.key for op in api.operations] == ["POST /a", "GET /b"]  # the last wins
    by_pointer = {w.pointer: w for w in api.warnings}
    assert set(by_pointer) == {
        "/paths/~1a",
        "/paths/~1b/get",
        "/components/schemas/S",
        "/components/parameters/P",
    }
    assert by_pointer["/paths/~1a"].message == "duplicate key '/a': only the last one is used"
    assert all(w.source == "/d/api.json" for w in api.warnings)


def test_orjson_written_documents_take_the_fast_path_and_have_no_duplicates() -> None:
    doc = orjson.loads(HEAD + '"paths": {"/a": {"get": {"responses": {}}}}}')
    for option in (0, orjson.OPT_INDENT_2):
        data = orjson.dumps(doc, option=option) + b"\n"
        assert _source._canonical(data, 0, doc)[0]
        assert warnings_of(data) == []
    # a duplicate breaks byte equality, so it is never hidden by the fast path
    dup = b'{\n  "openapi": "3.0.0",\n  "openapi": "3.1.0",\n  "paths": {}\n}'
    assert not _source._canonical(dup, 0, orjson.loads(dup))[0]
    assert [w.pointer for w in warnings_of(dup)] == ["/openapi"]


@pytest.mark.parametrize(
    "text",
    [
        # colons inside strings and keys, escapes, non-ASCII: none of it is a duplicate
        HEAD + '"paths": {"/a:b": {"get": {"description": "x: y \\": z", "responses": {}}}},'
        ' "x-\\u00e9": "caf\\u00e9 : \\u003a", "x-s": "\\/"}',
        HEAD + '"paths": {}, "x-num": 1e5, "x-float": 1.50, "x-big": 123456789012345678901}',
    ],
)
def test_no_false_duplicates(text: str) -> None:
    for data in (text.encode(), *json_layouts(text).values()):
        assert warnings_of(data) == [], data


def test_yaml_duplicates_have_pointer_and_line() -> None:
    text = b"""openapi: 3.0.0
info: {title: T, version: "1"}
paths:
  /a:
    get: {responses: {}}
  /b:
    get: {responses: {}}
    get: {summary: again, responses: {}}
  /a:
    post: {responses: {}}
components:
  schemas:
    S: {type: string}
    S: {type: integer}
"""
    api = spec.load_bytes(text, "/d/api.yaml")
    assert [op.key for op in api.operations] == ["POST /a", "GET /b"]
    assert sorted((w.pointer, w.message) for w in api.warnings) == [
        ("/components/schemas/S", "duplicate key 'S': only the last one is used (line 14)"),
        ("/paths/~1a", "duplicate key '/a': only the last one is used (line 9)"),
        ("/paths/~1b/get", "duplicate key 'get': only the last one is used (line 8)"),
    ]


def test_yaml_merge_overrides_are_not_duplicates() -> None:
    text = b"""openapi: 3.0.0
info: {title: T, version: "1"}
x-base: &base {description: base, summary: base}
x-more: &more {<<: *base, description: more}
paths:
  /a: {get: {<<: [*more, *base], summary: own, responses: {}}}
  /b: {get: {<<: *more, responses: {}}}
"""
    api = spec.load_bytes(text, "/d/api.yaml")
    assert api.warnings == []
    assert api.find("GET /a").summary == "own"  # type: ignore[union-attr]


def test_yaml_duplicates_survive_the_cache(tmp_path: Path) -> None:
    text = b"openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths: {}\npaths: {}\n"
    cold = spec.load_bytes(text, "/d/api.yaml", cache_dir=tmp_path)
    warm = spec.load_bytes(text, "/d/api.yaml", cache_dir=tmp_path)
    assert [str(w) for w in warm.warnings] == [str(w) for w in cold.warnings]
    assert len(cold.warnings) == 1 and "(line 4)" in cold.warnings[0].message


def test_duplicates_in_referenced_files_name_that_file(tmp_path: Path) -> None:
    (tmp_path / "pet.json").write_bytes(b'{"type": "object", "type": "string"}')
    doc = HEAD + '"paths": {"/a": {"get": {"responses": {"200": {"description": "",'
    doc += ' "content": {"application/json": {"schema": {"$ref": "pet.json"}}}}}}}}}'
    (tmp_path / "api.json").write_text(doc)
    api = spec.load(tmp_path / "api.json", cache_dir=None)
    assert [(w.pointer, w.source) for w in api.warnings] == [("/type", str(tmp_path / "pet.json"))]


def test_many_duplicates_are_summed_up() -> None:
    members = ", ".join(f'"k{n % 250}": {n}' for n in range(500))
    api = spec.load_bytes((HEAD + '"paths": {}, "x-many": {' + members + "}}").encode())
    assert len(api.warnings) == 101
    assert api.warnings[-1].message == "150 more duplicate keys (only the last of each is used)"


def test_duplicates_json_cannot_place_are_still_reported() -> None:
    # orjson reads 1,000 levels; the standard library's parser stops short of that
    deep = "[" * 1000 + "]" * 1000
    data = (HEAD + '"paths": {}, "x-deep": ' + deep + ', "x-n": 1, "x-n": 2}').encode()
    api = spec.load_bytes(data)
    assert [w.message for w in api.warnings] == [
        "duplicate keys in the document: only the last of each is used"
    ]
