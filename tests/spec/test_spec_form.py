"""explorer.spec.form: the rows of a typed form, from parameters or a form body's schema."""

from __future__ import annotations

import json

from explorer import spec
from explorer.spec.form import FormEntry, entries_from_parameters, entries_from_schema

from .conftest import oas3


def test_parameters_become_entries_path_first() -> None:
    parameters = [
        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer"},
            "examples": {"ten": {"value": 10}},
        },
        {"name": "id", "in": "path", "schema": {"type": "string"}},
        {"name": "old", "in": "query", "deprecated": True, "style": "form", "explode": False},
    ]
    ok = {"200": {"description": "ok"}}
    doc = oas3({"/items/{id}": {"get": {"parameters": parameters, "responses": ok}}})
    op = spec.load_bytes(json.dumps(doc).encode()).operations[0]
    entries = entries_from_parameters(op.parameters)
    assert [e.key for e in entries] == ["path:id", "query:limit", "query:old", "header:X-Trace"]
    by_key = {e.key: e for e in entries}
    assert by_key["path:id"].required  # a path parameter is always required
    assert by_key["query:limit"].example == 10  # from `examples` when there is no example
    assert by_key["query:old"].deprecated and by_key["query:old"].explode is False


def test_a_form_body_schema_becomes_entries_without_read_only_ones() -> None:
    schema = {
        "allOf": [{"properties": {"name": {"type": "string", "title": "Name"}}}],
        "required": ["name"],
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "file": {"type": "string", "format": "binary", "example": "x"},
        },
    }
    entries = entries_from_schema(schema)
    assert entries == [
        FormEntry("file", "form", schema["properties"]["file"], example="x"),
        FormEntry("name", "form", {"type": "string", "title": "Name"}, True, "Name"),
    ]
    assert entries_from_schema(None) == []
