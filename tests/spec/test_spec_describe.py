"""explorer.spec.describe: the one reading of a schema's type, and what is made from it."""

from __future__ import annotations

from typing import Any

import pytest

from explorer import spec
from explorer.spec.describe import main_type, schema_types
from explorer.spec.values import field_kind

# (schema, its types, its main type)
READINGS: list[tuple[dict[str, Any], list[str], str | None]] = [
    ({"type": "string"}, ["string"], "string"),
    ({"type": "string", "nullable": True}, ["string", "null"], "string"),
    ({"type": "integer", "x-nullable": True}, ["integer", "null"], "integer"),
    ({"type": ["null", "integer"]}, ["null", "integer"], "integer"),
    ({"type": ["null"]}, ["null"], "null"),
    ({"type": "null"}, ["null"], "null"),
    ({"type": [5, "boolean"]}, ["boolean"], "boolean"),
    ({"properties": {"a": {}}}, ["object"], "object"),
    ({"additionalProperties": {"type": "string"}}, ["object"], "object"),
    ({"items": {"type": "string"}, "nullable": True}, ["array", "null"], "array"),
    ({"nullable": True}, [], None),
    ({}, [], None),
]


@pytest.mark.parametrize(("schema", "types", "main"), READINGS)
def test_one_reading_of_type(schema: dict[str, Any], types: list[str], main: str | None) -> None:
    assert schema_types(schema) == types
    assert main_type(schema) == main


@pytest.mark.parametrize(
    ("schema", "python_type"),
    [
        ({"type": ["null", "integer"]}, int),
        ({"type": "string", "nullable": True}, str),
        ({"additionalProperties": {"type": "string"}}, dict),
        ({"items": {"type": "boolean"}}, list),
        ({"type": ["null", "number"], "minimum": 2}, int | float),
    ],
)
def test_sample_form_and_mock_read_the_same_type(schema: dict[str, Any], python_type: Any) -> None:
    """sample() makes a value of the main type, the form gives a field of that kind, and
    the mock coerces a parameter's text to it."""
    from explorer.mock._validate import coerce

    value = spec.sample(schema)
    assert isinstance(value, python_type)
    assert spec.validate(value, schema) == []
    kind = main_type(schema)
    assert field_kind(schema) == kind
    text = {"integer": "7", "number": "2.5", "string": "x"}.get(kind or "")
    if text is not None:
        assert coerce(text, schema) == {"integer": 7, "number": 2.5, "string": "x"}[kind or ""]
