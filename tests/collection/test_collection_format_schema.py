"""The collection format as documented: JSON Schemas (resources/schemas/) that every file
the store writes validates against, that refuse what the reader refuses, and the
examples of docs/collection-format.md; save then load gives the same requests."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from collection_format_strategies import collection, saved_request
from hypothesis import HealthCheck, given, settings

from explorer.collection.model import (
    Collection,
    FormatError,
    SavedRequest,
    collection_from_data,
    request_from_data,
)
from explorer.collection.store import load_collection, save_request, write_collection
from explorer.spec._yaml import read_yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "resources" / "schemas"
DOC = ROOT / "docs" / "collection-format.md"


def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    assert cls is jsonschema.Draft202012Validator
    return cls(schema)


REQUEST = _validator("collection-request.schema.json")
COLLECTION = _validator("collection.schema.json")
FOLDER = _validator("collection-folder.schema.json")


def _errors(validator: jsonschema.protocols.Validator, data: Any) -> list[str]:
    return [e.message for e in validator.iter_errors(data)]


def _scratch() -> Iterator[Path]:
    """A folder in memory where there is one (fsync there costs nothing)."""
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        yield Path(tmp)


def _check_files(root: Path) -> None:
    """Every file of the collection at `root` validates against its schema."""
    for path in root.rglob("*.yaml"):
        data = read_yaml(path.read_bytes(), str(path)).doc
        if path == root / "collection.yaml":
            validator = COLLECTION
        elif path.name == "folder.yaml":
            validator = FOLDER
        else:
            validator = REQUEST
        assert _errors(validator, data) == [], (path, path.read_text(encoding="utf-8"))


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(collection())
def test_a_collection_written_then_loaded_is_the_same_and_every_file_validates(
    col: Collection,
) -> None:
    for tmp in _scratch():
        written = write_collection(tmp / "col", col)
        loaded, problems = load_collection(tmp / "col")
        assert problems == []
        assert loaded == written
        _check_files(tmp / "col")


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(saved_request(), saved_request())
def test_a_request_saved_over_another_loads_as_saved(
    first: SavedRequest, second: SavedRequest
) -> None:
    for tmp in _scratch():
        write_collection(tmp / "col", Collection("c"))
        saved = save_request(tmp / "col", ("Folder",), first)
        saved = save_request(tmp / "col", ("Folder",), _same_file(second, saved.file))
        loaded, problems = load_collection(tmp / "col")
        assert problems == []
        assert loaded.root.requests() == [(("Folder",), saved)]
        _check_files(tmp / "col")


def _same_file(req: SavedRequest, file: str) -> SavedRequest:
    from dataclasses import replace

    return replace(req, file=file)


# -- what the reader refuses, the schema refuses --------------------------------------------

WRONG_REQUESTS = [
    {"url": "/a"},  # no method
    {"method": "GET"},  # no url
    {"method": "GET", "url": "   "},
    {"method": "GET /x", "url": "/a"},
    {"method": "GET", "url": "/a", "path": ["id", 1]},
    {"method": "GET", "url": "/a", "query": [["only-a-name"]]},
    {"method": "GET", "url": "/a", "headers": {"X-A": ["list"]}},
    {"method": "GET", "url": "/a", "headers": {"X-A": True}},
    {"method": "GET", "url": "/a", "cookies": {"c": None}},
    {"method": "POST", "url": "/a", "body": {"text": "no type"}},
    {"method": "POST", "url": "/a", "body": {"type": "multipart/form-data", "fields": [{}]}},
    {"method": "POST", "url": "/a", "body": "text"},
    {"method": "GET", "url": "/a", "auth": "sometimes"},
    {"method": "GET", "url": "/a", "auth": ["", "x"]},
    {"method": "GET", "url": "/a", "settings": {"timeout": 0}},
    {"method": "GET", "url": "/a", "settings": {"verify_tls": "no"}},
    {"method": "GET", "url": "/a", "checks": [{"status": 999}]},
    {"method": "GET", "url": "/a", "checks": [{"status": True}]},
    {"method": "GET", "url": "/a", "checks": [{"json": "id", "exists": True}]},
    {"method": "GET", "url": "/a", "checks": [{"json": "/id"}]},
    {"method": "GET", "url": "/a", "checks": [{"json": "/id", "exists": True, "equals": 1}]},
    {"method": "GET", "url": "/a", "checks": [{"json": "/id", "exists": "yes"}]},
    {"method": "GET", "url": "/a", "checks": [{"header": "X", "under": 3}]},
    {"method": "GET", "url": "/a", "checks": [{"header": "X", "contains": 3}]},
    {"method": "GET", "url": "/a", "checks": [{"time_under_ms": -1}]},
    {"method": "GET", "url": "/a", "checks": [{"size": 3}]},
    {"method": "GET", "url": "/a", "checks": {"status": 200}},
    {"method": "GET", "url": "/a", "seq": 1.5},
    ["not", "a", "mapping"],
]  # fmt: skip


@pytest.mark.parametrize("data", WRONG_REQUESTS, ids=[json.dumps(d)[:60] for d in WRONG_REQUESTS])
def test_the_schema_refuses_the_request_files_the_reader_refuses(data: Any) -> None:
    with pytest.raises(FormatError):
        request_from_data(data)
    assert _errors(REQUEST, data)


WRONG_COLLECTIONS = [
    {"explorer_collection": 2, "name": "newer"},
    {"explorer_collection": "1"},
    {"name": "c", "variables": {"a": ["list"]}},
    {"name": "c", "variables": "a=b"},
    "just text",
]


@pytest.mark.parametrize("data", WRONG_COLLECTIONS, ids=[json.dumps(d) for d in WRONG_COLLECTIONS])
def test_the_schema_refuses_the_collection_files_the_reader_refuses(data: Any) -> None:
    with pytest.raises(FormatError):
        collection_from_data(data)
    assert _errors(COLLECTION, data)


def test_the_schema_catches_a_misspelt_key() -> None:
    """The reader ignores a key it does not know; the schema says so (an editor shows it)."""
    data = {"method": "GET", "url": "/a", "header": {"X-A": "1"}}
    request_from_data(data)
    assert any("header" in m for m in _errors(REQUEST, data))


# -- the documentation's examples ------------------------------------------------------------


def _examples() -> dict[str, Any]:
    blocks = re.findall(r"## ([^\n]+)\n\n```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    return {title: yaml.safe_load(body) for title, body in blocks}


def test_the_documented_examples_are_valid_files() -> None:
    examples = _examples()
    assert set(examples) == {"collection.yaml", "folder.yaml", "A request file"}
    assert _errors(COLLECTION, examples["collection.yaml"]) == []
    assert _errors(FOLDER, examples["folder.yaml"]) == []
    assert _errors(REQUEST, examples["A request file"]) == []
    req = request_from_data(examples["A request file"])
    assert req.auth == ("bearerAuth",)
    assert [c.kind for c in req.checks] == ["status", "json", "json", "header", "time"]
    assert (
        collection_from_data(examples["collection.yaml"]).variables["email"] == "demo@ecosire.com"
    )


def test_every_key_the_writer_knows_is_documented() -> None:
    """A key added to the model shows up here until the schema and the page say it."""
    doc = DOC.read_text(encoding="utf-8")
    properties = json.loads((SCHEMAS / "collection-request.schema.json").read_text())["properties"]
    for key in properties:
        assert f"`{key}`" in doc, key
