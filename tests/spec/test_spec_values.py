"""explorer.spec.values: what a form field is by its schema, how typed text becomes a value,
and what is wrong with it."""

from __future__ import annotations

import pytest

from explorer.spec.values import check_text, field_kind, hint, to_value


def test_value_helpers() -> None:
    assert field_kind({"type": ["string", "null"], "enum": ["a"]}) == "enum"
    assert field_kind({"anyOf": [{"type": "integer"}, {"type": "null"}]}) == "integer"
    assert field_kind({"type": "string", "format": "binary"}) == "file"
    assert to_value("42", {"type": "integer"}) == 42
    assert to_value("4.5", {"type": "number"}) == 4.5
    assert to_value("true", {"type": "boolean"}) is True
    assert to_value('{"a": 1}', {"type": "object"}) == {"a": 1}
    with pytest.raises(ValueError, match="whole number"):
        to_value("4.5", {"type": "integer"})
    assert check_text("5", {"type": "integer", "exclusiveMinimum": True, "minimum": 5}) is not None
    assert check_text("abc", {"type": "string", "pattern": "^[0-9]+$"}) == (
        "must match the pattern ^[0-9]+$"
    )
    assert check_text("2024-01-15T09:30:00Z", {"type": "string", "format": "date-time"}) is None
    assert check_text("2024-01-15 nope", {"type": "string", "format": "date-time"})
    assert hint({"type": "integer", "minimum": 1, "maximum": 100}) == "integer, 1 to 100"
    assert hint({"type": "array", "items": {"type": "string"}}) == "array of string"


def test_placeholders_say_default_example_or_shape() -> None:
    from explorer.spec.values import placeholder_for

    assert placeholder_for({"type": "integer", "default": 30}) == "default 30"
    assert placeholder_for({"type": "string", "example": "octocat"}) == "e.g. octocat"
    assert placeholder_for({"type": "string"}, example=True) == "e.g. true"
    assert placeholder_for({"type": "string", "format": "date"}) == "YYYY-MM-DD"
    assert placeholder_for({"type": "string", "format": "hostname"}) == "api.example.com"
    assert placeholder_for({"type": "integer", "minimum": 1, "maximum": 100}) == "1 to 100"
    assert placeholder_for({"type": "string"}) == ""


def test_a_number_too_long_to_read_is_said_plainly() -> None:
    from explorer.spec.values import check_text

    problem = check_text("9" * 5000, {"type": "integer"})
    assert problem is not None and "too long" in problem
    assert check_text("9" * 5000, {"type": "number"}) is not None
