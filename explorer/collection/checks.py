"""What `explorer run` checks of a response. No Qt, no I/O.

    outcome = check_response(Check("json", "/id", "exists"), response)
    outcome.ok, outcome.what, outcome.why     # True, "/id exists", ""

- The saved checks (`explorer.collection.model.Check`): the status equals N; a JSON
  pointer equals a value, exists (or not), contains a text (a string's part, an array's
  item, an object's member) or matches a regular expression; a header equals, exists,
  contains or matches; the time is under N ms.
- `check_schema`: the body against the spec's response schema for the status, with the
  one validator the window's ✓/✗ uses (`explorer.spec.check.check_json_body`). A status
  the operation does not document is a failure, and so is a body of a media type the
  response does not declare.
- `check_status_ok`: with no status check saved, a status of 400 or more is a failure
  (save `status: 404` with the request to expect one).

Regular expressions come from collection files: they are matched by the one bounded
matcher (`explorer.spec.patterns.pattern_search`), so a pattern that backtracks forever
is an undecided check, never a hung run. Messages hold the server's text: whoever shows
them treats them as untrusted (the reporters do).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.collection.model import Check
    from explorer.http.model import ResponseResult
    from explorer.spec.model import Operation

__all__ = [
    "CheckOutcome",
    "check_response",
    "check_schema",
    "check_status_ok",
    "describe",
    "is_json",
    "parse_json",
    "problem_summary",
    "same_json",
]

_SHOWN = 120
"""How much of a value a message shows."""
_MISSING = object()


@dataclass(frozen=True)
class CheckOutcome:
    """One check of one response: what was checked, whether it held, and why not."""

    what: str
    ok: bool
    why: str = ""


def describe(check: Check) -> str:
    """A check as a reader says it: "status is 201", "/id exists", "time under 500 ms"."""
    if check.kind == "status":
        return f"status is {check.value}"
    if check.kind == "time":
        return f"time under {_number(check.value)} ms"
    target = (check.target or "the body") if check.kind == "json" else f"header {check.target}"
    if check.op == "exists":
        return f"{target} exists" if check.value is not False else f"{target} is absent"
    return f"{target} {check.op} {_shown(check.value)}"


def check_response(check: Check, result: ResponseResult, body: Any = _MISSING) -> CheckOutcome:
    """Whether `result` passes `check`. `body` is the parsed JSON body when the caller has
    it already (parsed here otherwise)."""
    what = describe(check)
    if check.kind == "status":
        if result.status == check.value:
            return CheckOutcome(what, True)
        detail = problem_summary(result)
        why = f"expected status {check.value}, got {result.status}"
        return CheckOutcome(what, False, why + (f" ({detail})" if detail else ""))
    if check.kind == "time":
        ms = result.timing.total * 1000
        if ms < float(check.value):
            return CheckOutcome(what, True)
        return CheckOutcome(
            what, False, f"took {ms:.0f} ms, expected under {_number(check.value)} ms"
        )
    if check.kind == "header":
        return _check_header(check, result, what)
    if body is _MISSING:
        body = parse_json(result)
    if body is _MISSING:
        return CheckOutcome(what, False, "the body is not JSON")
    return _check_json(check, body, what)


def parse_json(result: ResponseResult) -> Any:
    """The body as JSON, or a marker that it is not JSON (compare with `is_json`)."""
    try:
        return json.loads(result.body)
    except (ValueError, RecursionError):
        return _MISSING


def is_json(body: Any) -> bool:
    """Whether a value from `parse_json` is a parsed body (not the "not JSON" marker)."""
    return body is not _MISSING


def _check_json(check: Check, body: Any, what: str) -> CheckOutcome:
    from explorer.jsonpointer import resolve_pointer

    pointer = check.target
    try:
        value = resolve_pointer(body, pointer)
    except KeyError:
        value = _MISSING
    where = pointer or "the body"
    if check.op == "exists":
        wanted = check.value is not False
        if (value is not _MISSING) == wanted:
            return CheckOutcome(what, True)
        if wanted:
            return CheckOutcome(what, False, f"nothing at {where}")
        return CheckOutcome(what, False, f"{where} is there: {_shown(value)}")
    if value is _MISSING:
        return CheckOutcome(what, False, f"nothing at {where}")
    if check.op == "equals":
        if same_json(value, check.value):
            return CheckOutcome(what, True)
        return CheckOutcome(
            what, False, f"expected {where} to equal {_shown(check.value)}, got {_shown(value)}"
        )
    if check.op == "contains":
        if _contains(value, str(check.value)):
            return CheckOutcome(what, True)
        return CheckOutcome(
            what, False, f"{where} does not contain {_shown(check.value)}: {_shown(value)}"
        )
    return _matches(
        what, where, str(check.value), value if isinstance(value, str) else _json(value)
    )


def _check_header(check: Check, result: ResponseResult, what: str) -> CheckOutcome:
    name = check.target.lower()
    values = [v for k, v in result.headers if k.lower() == name]
    if check.op == "exists":
        wanted = check.value is not False
        if bool(values) == wanted:
            return CheckOutcome(what, True)
        if wanted:
            return CheckOutcome(what, False, f"no {check.target} header")
        return CheckOutcome(what, False, f"the {check.target} header is there: {_shown(values[0])}")
    if not values:
        return CheckOutcome(what, False, f"no {check.target} header")
    expected = _scalar_text(check.value)
    if check.op == "equals":
        if any(v.strip() == expected for v in values):
            return CheckOutcome(what, True)
        return CheckOutcome(
            what, False, f"expected {check.target}: {_shown(expected)}, got {_shown(values[0])}"
        )
    if check.op == "contains":
        if any(expected in v for v in values):
            return CheckOutcome(what, True)
        return CheckOutcome(
            what, False, f"{check.target} does not contain {_shown(expected)}: {_shown(values[0])}"
        )
    return _matches(what, check.target, expected, ", ".join(values))


def _matches(what: str, where: str, pattern: str, text: str) -> CheckOutcome:
    from explorer.spec.patterns import compile_pattern, pattern_search

    if compile_pattern(pattern) is None:
        return CheckOutcome(what, False, f"{_shown(pattern)} is not a regular expression")
    found = pattern_search(pattern, text)
    if found:
        return CheckOutcome(what, True)
    if found is None:
        return CheckOutcome(what, False, "undecided: the pattern took too long on this text")
    return CheckOutcome(what, False, f"{where} does not match {_shown(pattern)}: {_shown(text)}")


def same_json(a: Any, b: Any) -> bool:
    """JSON equality: 1 equals 1.0, but true is not 1 and "1" is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    return type(a) is type(b) and bool(a == b)


def _contains(value: Any, text: str) -> bool:
    """A string holds the text; an array has an item that is it (or whose JSON is it);
    an object has a member of that name; a number or boolean's JSON holds it."""
    if isinstance(value, str):
        return text in value
    if isinstance(value, list):
        return any(item == text or (not isinstance(item, str) and _json(item) == text)
                   for item in value)  # fmt: skip
    if isinstance(value, dict):
        return text in value
    return text in _json(value)


def check_schema(op: Operation, result: ResponseResult, openapi_version: str) -> CheckOutcome:
    """The body against the spec's response schema for the status (see the module
    docstring)."""
    from explorer.http.media import is_json_media_type, match_media, response_schema
    from explorer.spec.check import check_json_body

    response = op.response(result.status)
    if response is None:
        documented = ", ".join(r.status for r in op.responses) or "none"
        return CheckOutcome(
            "status documented",
            False,
            f"status {result.status} is not documented for {op.key} (it documents {documented})",
        )
    what = f"body matches the spec's schema for {response.status}"
    content_type = result.content_type
    declared_media = match_media(content_type, response.content) if content_type else None
    if result.body and response.content and declared_media is None:
        declared = ", ".join(m.media_type for m in response.content)
        came = content_type or "no Content-Type"
        return CheckOutcome(what, False, f"the body came as {came}; the spec declares {declared}")
    schema, _label = response_schema(op, result.status, content_type)
    if schema is None or not is_json_media_type(content_type):
        return CheckOutcome(what, True)  # nothing the validator can read
    check = check_json_body(result.body, schema, openapi_version, "response", locate=False)
    issues = check.messages()
    if not issues:
        return CheckOutcome(what, True)
    more = f" (and {len(issues) - 3} more)" if len(issues) > 3 else ""
    return CheckOutcome(what, False, "; ".join(issues[:3]) + more)


def check_status_ok(result: ResponseResult) -> CheckOutcome:
    """With no status check saved: a status under 400."""
    what = "status below 400"
    if result.status < 400:
        return CheckOutcome(what, True)
    detail = problem_summary(result)
    return CheckOutcome(
        what,
        False,
        f"got {result.status}"
        + (f" ({detail})" if detail else "")
        + f"; add the check `status: {result.status}` to expect it",
    )


def problem_summary(result: ResponseResult) -> str:
    """What an error response says, in one short line: its problem's detail (or title)
    and its first field errors; "" when it carries no problem document."""
    from explorer.http.problems import parse_problem

    problem = parse_problem(result)
    if problem is None:
        return ""
    text = problem.detail or problem.title
    fields = [f"{e.field or e.pointer}: {e.message}" for e in problem.errors[:3]]
    if fields:
        text = f"{text}: {'; '.join(fields)}" if text else "; ".join(fields)
    return _clip(text, 300)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return _json(value)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shown(value: Any) -> str:
    return _clip(_json(value), _SHOWN)


def _clip(text: str, limit: int) -> str:
    from explorer.spec._source import clip

    return clip(text, limit)
