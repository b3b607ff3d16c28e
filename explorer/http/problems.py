"""What an error response and the rate-limit headers say, read defensively.

`parse_problem` understands:

- RFC 7807 / 9457 `application/problem+json` (type, title, status, detail, instance and
  extension members), at any status;
- the ECOSIRE shape in any JSON error response (status >= 400):
  `{"statusCode", "error", "message", "details": [{"field", "message"}]}`, and NestJS's
  `message: ["...", ...]`;
- field errors written the common other ways: `errors: [{field|path|pointer|name|property|
  param|loc|source.pointer, message|detail|msg|reason|title}]`, `errors: {"field": ["msg"]}`
  (ASP.NET), `invalid-params: [{name, reason}]` (RFC 7807's example), FastAPI's
  `detail: [{loc, msg}]`, and Google's `{"error": {"code", "message", "status"}}`.

Field names become JSON pointers ("address.city" -> "/address/city", "items[0].qty" ->
"/items/0/qty", "/email" kept). `parse_rate_limit` reads X-RateLimit-Limit/-Remaining/
-Reset (and the unprefixed RateLimit-* of the IETF draft) and Retry-After.

Both are total functions: any body or header value (garbage, negative, huge, deeply
nested, not UTF-8) gives a result or None, never an exception.
"""

from __future__ import annotations

import email.utils
import json
import re
from typing import Any

from explorer.http.media import is_json_media_type
from explorer.http.model import FieldError, Problem, RateLimit, ResponseResult
from explorer.jsonpointer import join_pointer

__all__ = ["MAX_PROBLEM_BYTES", "field_to_pointer", "parse_problem", "parse_rate_limit"]

MAX_PROBLEM_BYTES = 1024 * 1024  # a bigger error body is not parsed as a problem

_FIELD_KEYS = ("field", "path", "pointer", "name", "property", "param", "parameter", "loc")
_MESSAGE_KEYS = ("message", "detail", "msg", "reason", "title", "description", "error")
_PROBLEM_KEYS = {
    "title",
    "detail",
    "message",
    "error",
    "errors",
    "details",
    "statusCode",
    "invalid-params",
    "invalid_params",
}
_TOKEN = re.compile(r"[^.\[\]]+|\[([^\]]*)\]")
_LEADING_INT = re.compile(r"\s*([0-9]{1,15})(?:\.[0-9]{0,9})?\s*(?:[,;].*)?$", re.DOTALL)
_NUMBER = re.compile(r"\s*([0-9]{1,15}(?:\.[0-9]{1,9})?)\s*(?:[,;].*)?$", re.DOTALL)


# --- problems ------------------------------------------------------------------------


def parse_problem(result: ResponseResult) -> Problem | None:
    """The problem document in `result`, or None when it carries none."""
    try:
        return _parse_problem(result)
    except (ValueError, TypeError, RecursionError, AttributeError, KeyError, OverflowError):
        return None


def _parse_problem(result: ResponseResult) -> Problem | None:
    content_type = result.content_type
    is_problem_type = content_type.endswith("/problem+json")
    is_json = is_json_media_type(content_type)
    if not is_problem_type and result.status < 400:
        return None
    if not result.body or len(result.body) > MAX_PROBLEM_BYTES:
        return None
    if not is_json and result.body.lstrip()[:1] != b"{":
        return None
    try:
        doc = json.loads(result.body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict):
        return None
    if not is_problem_type and not _PROBLEM_KEYS & doc.keys():
        return None

    used: set[str] = set()
    nested = doc.get("error")
    if isinstance(nested, dict) and "title" not in doc and "detail" not in doc:
        # Google style: {"error": {"code": 400, "message": "...", "status": "...", "details"}}
        used.add("error")
        merged = dict(nested)
        if "status" in merged and not isinstance(merged["status"], int):
            merged["error"] = merged.pop("status")
        if "code" in merged:
            merged.setdefault("statusCode", merged.pop("code"))
        doc = {**merged, **{k: v for k, v in doc.items() if k != "error"}}

    status = _status(doc.get("status"))
    if status is not None:
        used.add("status")
    else:
        status = _status(doc.get("statusCode"))
        if status is not None:
            used.add("statusCode")
        else:
            status = result.status

    title = _text(doc.get("title"))
    if title:
        used.add("title")
    elif isinstance(doc.get("error"), str):
        title = _text(doc["error"])
        used.add("error")
    if not title:
        title = result.reason or ""

    detail = ""
    for key in ("detail", "message", "error_description", "description"):
        value = doc.get(key)
        if isinstance(value, str):
            detail = value
            used.add(key)
            break
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            detail = "; ".join(value)  # NestJS: "message": ["email must be an email", ...]
            used.add(key)
            break

    errors: list[FieldError] = []
    for key in ("details", "errors", "invalid-params", "invalid_params", "detail"):
        found = _field_errors(doc.get(key))
        if found:
            errors.extend(found)
            used.add(key)

    extra = {k: v for k, v in doc.items() if k not in used and k not in ("type", "instance")}
    return Problem(
        status=status,
        title=title,
        detail=detail,
        type=_text(doc.get("type")),
        instance=_text(doc.get("instance")),
        errors=tuple(errors),
        extra=extra,
    )


def _status(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) == 3:
        value = int(value)
    if isinstance(value, int) and 100 <= value <= 999:
        return value
    return None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value)


def _message(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if value is None:
        return ""
    try:
        return json.dumps(value, ensure_ascii=False)[:1000]
    except (ValueError, TypeError, RecursionError):
        return ""


def _field_errors(value: Any) -> list[FieldError]:
    out: list[FieldError] = []
    if isinstance(value, dict):
        # ASP.NET: {"Email": ["The Email field is required."], ...}
        for name, messages in value.items():
            if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
                out.extend(FieldError(str(name), m, field_to_pointer(str(name))) for m in messages)
            elif isinstance(messages, str):
                out.append(FieldError(str(name), messages, field_to_pointer(str(name))))
        return out
    if not isinstance(value, list):
        return out
    for item in value:
        if not isinstance(item, dict):
            continue
        field, pointer = _field_of(item)
        message = ""
        for key in _MESSAGE_KEYS:
            if key in item and item[key] not in (None, ""):
                message = _message(item[key])
                break
        if field is None and not message:
            continue
        if field is None:
            field, pointer = "", ""
        out.append(FieldError(field, message, pointer))
    return out


def _field_of(item: dict[str, Any]) -> tuple[str | None, str]:
    source = item.get("source")
    if isinstance(source, dict):  # JSON:API
        if isinstance(source.get("pointer"), str):
            pointer = source["pointer"]
            return pointer, field_to_pointer(pointer)
        if isinstance(source.get("parameter"), str):
            return source["parameter"], field_to_pointer(source["parameter"])
    for key in _FIELD_KEYS:
        value = item.get(key)
        if isinstance(value, str):
            return value, field_to_pointer(value)
        if isinstance(value, list) and value and all(isinstance(v, str | int) for v in value):
            parts = [str(v) for v in value if not isinstance(v, bool)]
            if key == "loc" and parts and parts[0] == "body":
                parts = parts[1:]  # FastAPI: ["body", "address", "city"]
            return ".".join(parts), join_pointer(parts)
    return None, ""


def field_to_pointer(field: str) -> str:
    """A JSON pointer for a field name as APIs write them.

    "address.city" -> "/address/city", "items[0].qty" -> "/items/0/qty",
    "items[0][name]" -> "/items/0/name", "/email" and "#/email" kept as pointers,
    "$.a.b" (JSONPath) -> "/a/b", "" -> "" (the whole document)."""
    text = field.strip()
    if text.startswith("#/"):
        text = text[1:]
    if text.startswith("/") or text == "":
        return text
    if text.startswith("$"):
        text = text[1:].lstrip(".")
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        inner = match.group(1)
        token = inner if inner is not None else match.group(0)
        if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
            token = token[1:-1]
        tokens.append(token)
    return join_pointer(tokens)


# --- rate limits ---------------------------------------------------------------------


def parse_rate_limit(result: ResponseResult, received_at: float) -> RateLimit | None:
    """The rate limit the headers of `result` describe, or None when they say nothing.

    `received_at` is the Unix time the response arrived. X-RateLimit-Reset is a Unix
    time, or seconds from now when below 10^9 (and milliseconds when above 10^11);
    Retry-After is seconds or an HTTP date."""
    try:
        return _parse_rate_limit(result, received_at)
    except (ValueError, TypeError, OverflowError, AttributeError, IndexError):
        return None


def _header(result: ResponseResult, *names: str) -> str | None:
    for name in names:
        value = result.header(name)
        if value is not None:
            return value
    return None


def _parse_rate_limit(result: ResponseResult, received_at: float) -> RateLimit | None:
    limit = _count(_header(result, "X-RateLimit-Limit", "RateLimit-Limit", "X-Rate-Limit-Limit"))
    remaining = _count(
        _header(result, "X-RateLimit-Remaining", "RateLimit-Remaining", "X-Rate-Limit-Remaining")
    )
    reset_at: float | None = None
    prefixed = _header(result, "X-RateLimit-Reset", "X-Rate-Limit-Reset")
    if prefixed is not None:
        reset_at = _reset_time(prefixed, received_at)
    else:
        draft = _number(_header(result, "RateLimit-Reset"))  # the IETF draft: delta seconds
        if draft is not None:
            reset_at = received_at + draft

    retry_after: float | None = None
    retry_at: float | None = None
    raw_retry = _header(result, "Retry-After")
    if raw_retry is not None:
        seconds = _number(raw_retry)
        if seconds is not None:
            retry_after, retry_at = seconds, received_at + seconds
        else:
            when = _http_date(raw_retry)
            if when is not None:
                retry_at = when
                retry_after = max(0.0, when - received_at)

    if limit is None and remaining is None and reset_at is None and retry_after is None:
        return None
    return RateLimit(
        limit=limit,
        remaining=remaining,
        reset_at=reset_at,
        retry_after=retry_after,
        retry_at=retry_at,
    )


def _count(value: str | None) -> int | None:
    """A non-negative integer from the start of a header ("100", "100, 100;w=60")."""
    if value is None:
        return None
    match = _LEADING_INT.match(value)
    return int(match.group(1)) if match else None


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    match = _NUMBER.match(value)
    return float(match.group(1)) if match else None


def _reset_time(value: str, received_at: float) -> float | None:
    number = _number(value)
    if number is None:
        return _http_date(value)
    if number < 1e9:
        return received_at + number
    if number > 1e11:
        return number / 1000.0  # milliseconds since the epoch
    return number


def _http_date(value: str) -> float | None:
    if len(value) > 100:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    try:
        return parsed.timestamp()
    except (OverflowError, ValueError, OSError):
        return None
