"""What a form field is, by its schema, and how its text becomes a typed value. No Qt here.
(The form's widgets are in `explorer.ui.request`; everything they decide is here.)

>>> kind = field_kind({"type": "integer", "minimum": 1})     # "integer"
>>> to_value("42", {"type": "integer"})                      # 42
>>> check_text("abc", {"type": "string", "format": "email"})  # "not an email address"
>>> hint({"type": "integer", "minimum": 1, "maximum": 100})   # "integer, 1 to 100"
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from explorer.spec.describe import main_type
from explorer.spec.formats import FORMAT_PLACEHOLDERS, format_error
from explorer.spec.patterns import pattern_search

__all__ = [
    "INTEGER_TEXT",
    "NUMBER_TEXT",
    "check_text",
    "check_value",
    "effective_schema",
    "field_kind",
    "format_value",
    "hint",
    "is_binary",
    "placeholder_for",
    "to_value",
]

INTEGER_TEXT = re.compile(r"^[-+]?\d+$")
"""How an integer is written in a form field, a path, a query or a header."""
NUMBER_TEXT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
"""How a number is written there (the one grammar: the form and the mock read alike)."""
MAX_NUMBER_TEXT = 4000
"""Longer text is not read as a number (Python refuses integers of over 4,300 digits)."""


def effective_schema(schema: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The schema a form field works with: a nullable `anyOf`/`oneOf` of one choice, or an
    `allOf` of one part, taken apart to that choice (keeping description and default)."""
    if type(schema) is dict and not ("anyOf" in schema or "oneOf" in schema or "allOf" in schema):
        return schema  # the common case, fast
    if not isinstance(schema, Mapping):
        return {}
    for key in ("anyOf", "oneOf", "allOf"):
        parts = schema.get(key)
        if isinstance(parts, list) and parts:
            real = [p for p in parts if isinstance(p, Mapping) and p.get("type") != "null"]
            if len(real) == 1 and (key != "allOf" or len(parts) == 1):
                merged = {k: v for k, v in schema.items() if k != key}
                inner = effective_schema(real[0])
                return {**inner, **merged}
    return schema


def field_kind(schema: Mapping[str, Any] | None) -> str:
    """One of: enum, boolean, integer, number, string, array, object, file, any."""
    s = effective_schema(schema)
    kind = main_type(s)
    enum = s.get("enum")
    if isinstance(enum, list) and enum and kind != "array":
        return "enum"
    if kind is None:
        return "any" if not s else "string"
    if kind == "string" and s.get("format") == "binary":
        return "file"
    if kind == "file":
        return "file"
    if kind in ("boolean", "integer", "number", "string", "array", "object"):
        return kind
    return "any"


def is_binary(schema: Mapping[str, Any] | None) -> bool:
    """A file upload: `format: binary` (or an array of them), or Swagger's `type: file`."""
    s = effective_schema(schema)
    if field_kind(s) == "file":
        return True
    return main_type(s) == "array" and field_kind(s.get("items")) == "file"


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def hint(schema: Mapping[str, Any] | None) -> str:
    """A short human description of the type: "integer, 1 to 100", "string (email)",
    "array of string", "one of: open, closed"."""
    s = effective_schema(schema)
    kind = field_kind(s)
    if kind == "enum":
        return "one of: " + ", ".join(_display(v) for v in s["enum"][:12])
    if kind == "array":
        items = s.get("items") if isinstance(s.get("items"), Mapping) else {}
        inner = hint(items) if items else "any"
        return f"array of {inner}"
    if kind == "file":
        return "file"
    base = kind if kind != "any" else "any JSON"
    fmt = s.get("format")
    if isinstance(fmt, str) and fmt and kind in ("string", "integer", "number"):
        base += f" ({fmt})"
    lo, hi = s.get("minimum"), s.get("maximum")
    xlo, xhi = s.get("exclusiveMinimum"), s.get("exclusiveMaximum")
    if isinstance(xlo, int | float) and not isinstance(xlo, bool):
        lo, lo_op = xlo, ">"
    else:
        lo_op = ">" if xlo is True else "≥"
    if isinstance(xhi, int | float) and not isinstance(xhi, bool):
        hi, hi_op = xhi, "<"
    else:
        hi_op = "<" if xhi is True else "≤"
    if isinstance(lo, int | float) and isinstance(hi, int | float):
        if lo_op == "≥" and hi_op == "≤":
            base += f", {_num(lo)} to {_num(hi)}"
        else:
            base += f", {lo_op} {_num(lo)} and {hi_op} {_num(hi)}"
    elif isinstance(lo, int | float):
        base += f", {lo_op} {_num(lo)}"
    elif isinstance(hi, int | float):
        base += f", {hi_op} {_num(hi)}"
    mn, mx = s.get("minLength"), s.get("maxLength")
    if isinstance(mn, int) and isinstance(mx, int):
        base += f", {mn} to {mx} chars"
    elif isinstance(mx, int):
        base += f", max {mx} chars"
    elif isinstance(mn, int) and mn > 0:
        base += f", min {mn} chars"
    return base


def placeholder_for(schema: Mapping[str, Any], example: Any = None) -> str:
    """ "default 30", "e.g. octocat", or the expected format."""
    s = effective_schema(schema)
    parts: list[str] = []
    if "default" in s and s["default"] is not None:
        parts.append(f"default {format_value(s['default'])}")
    ex = example if example is not None else s.get("example")
    if ex is None and isinstance(s.get("examples"), list) and s["examples"]:
        ex = s["examples"][0]
    if ex is not None and not isinstance(ex, dict | list):
        parts.append(f"e.g. {format_value(ex)}")
    if not parts:
        fmt = s.get("format")
        if isinstance(fmt, str) and fmt in FORMAT_PLACEHOLDERS:
            parts.append(FORMAT_PLACEHOLDERS[fmt])
        elif field_kind(s) in ("integer", "number"):
            text = hint(s)
            if "," in text:  # "integer, 1 to 100" -> "1 to 100"
                parts.append(text.split(", ", 1)[1])
    return " · ".join(parts)


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return _num(value)


format_value = _display
"""A value as a user reads and types it: true/false, null, numbers without ".0", JSON."""


def to_value(text: str, schema: Mapping[str, Any] | None) -> Any:
    """The typed value for what was typed (raises ValueError with a message when it does
    not parse as the type: "must be a whole number")."""
    s = effective_schema(schema)
    kind = field_kind(s)
    t = text.strip()
    if kind in ("integer", "number") and len(t) > MAX_NUMBER_TEXT:
        raise ValueError(f"too long for a number (more than {MAX_NUMBER_TEXT} characters)")
    if kind == "integer":
        if not INTEGER_TEXT.match(t):
            raise ValueError("must be a whole number")
        return int(t)
    if kind == "number":
        if INTEGER_TEXT.match(t):
            return int(t)
        if not NUMBER_TEXT.match(t):
            raise ValueError("must be a number")
        value = float(t)
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value
    if kind == "boolean":
        low = t.lower()
        if low in ("true", "1", "yes", "on"):
            return True
        if low in ("false", "0", "no", "off"):
            return False
        raise ValueError("must be true or false")
    if kind == "enum":
        for option in s["enum"]:
            if _display(option) == text:
                return option
        raise ValueError("must be one of: " + ", ".join(_display(v) for v in s["enum"][:8]))
    if kind in ("object", "any"):
        if kind == "any" and not t.startswith(("{", "[")):
            return text
        try:
            value = json.loads(t)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
        if kind == "object" and not isinstance(value, dict):
            raise ValueError('must be a JSON object, like {"key": "value"}')
        return value
    return text


def check_value(value: Any, schema: Mapping[str, Any] | None) -> str | None:
    """What is wrong with a typed value by its schema's bounds, lengths, pattern and format
    (None when it fits)."""
    s = effective_schema(schema)
    if isinstance(value, int | float) and not isinstance(value, bool):
        lo, hi = s.get("minimum"), s.get("maximum")
        xlo, xhi = s.get("exclusiveMinimum"), s.get("exclusiveMaximum")
        if isinstance(xlo, int | float) and not isinstance(xlo, bool) and value <= xlo:
            return f"must be greater than {_num(xlo)}"
        if isinstance(xhi, int | float) and not isinstance(xhi, bool) and value >= xhi:
            return f"must be less than {_num(xhi)}"
        if isinstance(lo, int | float) and (value < lo or (xlo is True and value == lo)):
            return f"must be at least {_num(lo)}" if xlo is not True else f"must be > {_num(lo)}"
        if isinstance(hi, int | float) and (value > hi or (xhi is True and value == hi)):
            return f"must be at most {_num(hi)}" if xhi is not True else f"must be < {_num(hi)}"
        mult = s.get("multipleOf")
        if isinstance(mult, int | float) and mult and not isinstance(mult, bool):
            ratio = value / mult
            if abs(ratio - round(ratio)) > 1e-9:
                return f"must be a multiple of {_num(mult)}"
    if isinstance(value, str):
        mn, mx = s.get("minLength"), s.get("maxLength")
        if isinstance(mn, int) and len(value) < mn:
            return f"must be at least {mn} characters"
        if isinstance(mx, int) and len(value) > mx:
            return f"must be at most {mx} characters"
    fmt = s.get("format")
    if isinstance(fmt, str) and value != "":
        error = format_error(value, fmt)  # the rules `validate()` uses (explorer.spec.formats)
        if error:
            return error
    pattern = s.get("pattern")
    if (
        isinstance(value, str)
        and isinstance(pattern, str)
        and pattern_search(pattern, value) is False  # undecided (too slow, broken): no word
    ):
        return f"must match the pattern {pattern}"
    return None


def check_text(text: str, schema: Mapping[str, Any] | None) -> str | None:
    """What is wrong with typed text for this schema (None when it fits or is empty)."""
    if text == "":
        return None
    try:
        value = to_value(text, schema)
    except ValueError as exc:
        return str(exc)
    return check_value(value, schema)
