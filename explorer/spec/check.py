"""A JSON body checked against its schema: the request body as you type it, and a response
body against the schema its operation declares. No Qt here; it runs in a worker thread.

    >>> result = check_json_body('{"name": 5}', schema, "3.0.3")
    >>> result.issues            # (("/name", "5 is not of type 'string'", 0),)
    >>> result.messages()        # ["/name: 5 is not of type 'string'"]

Both the body editor and the response view read the result of this one function: the
same parse errors, the same `validate()`, the same pointers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from explorer.jsonpointer import line_of_pointer, parse_error_position, pointer_lines
from explorer.spec.schema import Direction, validate

__all__ = ["BodyCheck", "check_json_body"]


@dataclass(frozen=True)
class BodyCheck:
    """The result of checking a JSON body: a parse error, or the schema issues with lines."""

    parse_error: str = ""
    parse_line: int = -1  # 0-based
    parse_column: int = 0
    issues: tuple[tuple[str, str, int], ...] = ()  # (pointer, message, 0-based line or -1)
    lines: Mapping[str, int] = field(default_factory=dict)

    def messages(self) -> list[str]:
        """The result as lines of text: the parse error, or "pointer: message" per issue."""
        if self.parse_error:
            return [self.parse_error]
        return [f"{pointer or '/'}: {message}" for pointer, message, _line in self.issues]


def check_json_body(
    text: str | bytes,
    schema: Mapping[str, Any] | None,
    openapi_version: str,
    direction: Direction = "request",
    *,
    locate: bool = True,
) -> BodyCheck:
    """Parse `text` as JSON and check it against `schema`. Bytes are read as JSON reads
    them (UTF-8, or UTF-16/32 by their BOM). With `locate`, each issue carries the line its
    pointer sits on in `text` (a response check skips that work: -1)."""
    if not text.strip():
        return BodyCheck()
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        line, col = parse_error_position(exc.doc, exc.pos)
        return BodyCheck(
            parse_error=f"Not valid JSON: {exc.msg} at line {line}, column {col}",
            parse_line=line - 1,
            parse_column=col - 1,
        )
    except UnicodeDecodeError as exc:
        return BodyCheck(parse_error=f"Not valid JSON: not UTF-8 text (byte {exc.start})")
    except RecursionError:
        return BodyCheck(parse_error="Not checked: the JSON is nested too deeply")
    if schema is None:
        return BodyCheck()
    found = validate(value, schema, openapi_version=openapi_version, direction=direction)
    if not locate or not isinstance(text, str):
        return BodyCheck(issues=tuple((i.pointer, i.message, -1) for i in found))
    lines = pointer_lines(text)
    issues = tuple((i.pointer, i.message, line_of_pointer(text, i.pointer, lines)) for i in found)
    return BodyCheck(issues=issues, lines=lines)
