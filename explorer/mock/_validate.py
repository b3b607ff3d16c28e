"""Checking a request against its operation: parameters, then the body.

Parameters arrive as strings; each is split by its style (arrays, deepObject objects) and
coerced to the type its schema asks for ("42" to 42, "true" to True) before the schema
validates it. Bodies are parsed by media type (JSON, form, multipart, text) and validated
as a whole. Every failure becomes a `Detail` naming the field: a parameter by its name,
a body field by its dotted path ("address.city", "items[0].qty").

Everything here reads what a client sent, so nothing may raise on it: a value the mock
cannot read (an integer of more digits than Python converts, NaN, a number beyond a
double, JSON nested past `MAX_DEPTH`, more values than `MAX_VALUES`) is `Unreadable`,
which becomes a 400 for a body and a field `Detail` (422) for a parameter.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from explorer.http.media import is_json_media_type, match_media
from explorer.jsonpointer import escape_token, unescape_token
from explorer.mock._problem import Detail, MockProblem
from explorer.spec import Operation, Parameter, SchemaIssue, validate
from explorer.spec.describe import main_type, schema_types
from explorer.spec.values import INTEGER_TEXT, NUMBER_TEXT

__all__ = [
    "MAX_DEPTH",
    "MAX_VALUES",
    "RequestParts",
    "Unreadable",
    "check_body",
    "check_parameters",
    "choose_status",
    "field_name",
    "parse_json",
    "worded",
]

_REQUIRED = re.compile(r"^'(.+)' is a required property$")
_ADDITIONAL = re.compile(r"\('(.+)' (?:was|were) unexpected\)$")
MAX_MESSAGE = 300
MAX_DEPTH = 64
"""Nesting levels of a JSON value the mock reads (deeper would exhaust the validator's stack)."""
MAX_VALUES = 1_000_000
"""JSON values in one body or parameter (a bound on the memory one request takes)."""
MAX_FIELDS = 10_000
"""Fields of a form body, parts of a multipart body."""
MAX_DIGITS = sys.get_int_max_str_digits() or 4300
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


@dataclass
class RequestParts:
    """The pieces of a request that validation reads."""

    path_params: dict[str, str]
    query: list[tuple[str, str]]
    headers: Mapping[str, str]  # lower-case names
    cookies: Mapping[str, str]
    method: str = "GET"
    instance: str = ""  # the request path, as the problem documents' `instance`
    base: str = ""  # the base path the request came under ("/api")
    client: str = ""
    body: Any = None  # the parsed body, once validated


def choose_status(op: Operation, preferred: Sequence[int]) -> int:
    """The first preferred status the operation documents (exactly), else the first one.

    So a validation failure is a 422 where the operation documents 422, and a 404 or 400
    where it documents only those: the answer stays within what the spec promises.
    """
    try:
        declared = {r.status for r in op.responses}
    except Exception:
        declared = set()
    for status in preferred:
        if str(status) in declared:
            return status
    for status in preferred:
        if f"{str(status)[0]}XX" in declared or f"{str(status)[0]}xx" in declared:
            return status
    return preferred[0]


def field_name(prefix: str, pointer: str) -> str:
    """A JSON pointer as a dotted path: ("", "/address/city") -> "address.city"."""
    out = prefix
    for raw in pointer.split("/")[1:] if pointer else []:
        part = unescape_token(raw)
        if part.isdigit():
            out += f"[{part}]"
        else:
            out = f"{out}.{part}" if out else part
    return out


def _check(value: Any, schema: Any, openapi_version: str) -> list[SchemaIssue]:
    return validate(value, schema, openapi_version=openapi_version, direction="request")


def _details(prefix: str, issues: Sequence[SchemaIssue], whole: str) -> list[Detail]:
    out: list[Detail] = []
    for issue in issues:
        message = issue.message
        name = field_name(prefix, issue.pointer)
        m = _REQUIRED.match(message)
        if issue.keyword == "required" and m:
            name = field_name(name, "/" + escape_token(m.group(1)))
            message = "is required"
        else:
            m = _ADDITIONAL.search(message)
            if issue.keyword == "additionalProperties" and m:
                extra = m.group(1).split("', '")[0]
                name = field_name(name, "/" + escape_token(extra))
                message = "is not an allowed property"
            else:
                message = worded(issue) or message
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 1] + "…"
        out.append(Detail(name or whole, message))
    return out


_FORMAT_WORDS = {
    "email": "Invalid email address",
    "idn-email": "Invalid email address",
    "uuid": "Invalid UUID",
    "date": "Invalid date (YYYY-MM-DD)",
    "date-time": "Invalid date-time (YYYY-MM-DDTHH:MM:SSZ)",
    "uri": "Invalid URL",
    "url": "Invalid URL",
}


def worded(issue: SchemaIssue) -> str | None:
    """A field error in the words of ECOSIRE's documentation ("Invalid email address",
    "Must be at least 8 characters"), for the keywords it shows; None for the others."""
    expected = issue.expected
    number = isinstance(expected, int | float) and not isinstance(expected, bool)
    if issue.keyword == "format" and isinstance(expected, str):
        return _FORMAT_WORDS.get(expected, f"Invalid {expected}")
    if issue.keyword == "minLength" and number:
        return f"Must be at least {expected} character{'s' if expected != 1 else ''}"
    if issue.keyword == "maxLength" and number:
        return f"Must be at most {expected} character{'s' if expected != 1 else ''}"
    if issue.keyword == "minimum" and number and "less than the minimum" in issue.message:
        return f"Must be at least {expected}"
    if issue.keyword == "maximum" and number and "greater than the maximum" in issue.message:
        return f"Must be at most {expected}"
    return None


# -- reading what the client sent ------------------------------------------------------


class Unreadable(ValueError):
    """A value the mock cannot read; the message says why, for the client."""


def _int(text: str) -> int:
    digits = len(text.lstrip("+-"))
    if digits > MAX_DIGITS:
        raise Unreadable(
            f"an integer of {digits:,} digits is longer than the mock reads ({MAX_DIGITS:,})"
        )
    return int(text)


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise Unreadable("a number beyond the range of a double (about 1.8e308)")
    return value


def _json_float(text: str) -> int | float:
    """JSON numbers like 50.0 are integers to JSON Schema since Draft 6; accept them as such."""
    value = _finite(float(text))
    return int(value) if value.is_integer() else value


def _no_constant(name: str) -> Any:
    raise Unreadable(f"{name} is not a JSON value")


def _depth_over(value: Any, limit: int) -> bool:
    """Whether a parsed value nests containers deeper than `limit` (without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                if depth >= limit:
                    return True
                if child:
                    stack.append((child, depth + 1))
    return False


def parse_json(text: str) -> Any:
    """`text` as a JSON value, or `Unreadable` saying why not (with line and column).

    Stricter than `json.loads`: no NaN/Infinity, no number beyond a double, no integer
    longer than Python converts, at most `MAX_VALUES` values and `MAX_DEPTH` levels."""
    # Every comma separates two values and every bracket opens one: an estimate that needs
    # no parse, at most 2x below the real count (commas inside strings count as well).
    opening = text.count("[") + text.count("{")
    if max(opening, text.count(",") + 1) > MAX_VALUES:
        raise Unreadable(f"more than {MAX_VALUES:,} values")
    try:
        value = json.loads(
            text, parse_float=_json_float, parse_int=_int, parse_constant=_no_constant
        )
    except json.JSONDecodeError as exc:
        raise Unreadable(f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise Unreadable(f"nested deeper than {MAX_DEPTH} levels") from None
    if opening > MAX_DEPTH and isinstance(value, dict | list) and _depth_over(value, MAX_DEPTH):
        raise Unreadable(f"nested deeper than {MAX_DEPTH} levels")
    return value


# -- coercion of strings --------------------------------------------------------------


def coerce(text: str, schema: Mapping[str, Any], depth: int = 0) -> Any:
    """`text` as the type the schema asks for, or unchanged when it cannot be.

    Raises `Unreadable` for a number the mock cannot hold (5,000 digits, 1e999)."""
    if not isinstance(schema, Mapping) or depth > 8:
        return text
    types = schema_types(schema)
    if not types:
        for key in ("allOf", "oneOf", "anyOf"):
            subs = schema.get(key)
            if isinstance(subs, list):
                for sub in subs:
                    value = coerce(text, sub, depth + 1) if isinstance(sub, Mapping) else text
                    if value is not text:
                        return value
        return text
    for kind in types:
        if kind == "integer" and INTEGER_TEXT.match(text):
            return _int(text)
        if kind == "number" and NUMBER_TEXT.match(text):
            number = _finite(float(text))
            plain = "." not in text and "e" not in text.lower()
            return int(number) if plain and number.is_integer() else number
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        if kind == "null" and text in ("null", "") and "string" not in types:
            return None
        if kind in ("object", "array") and text[:1] in ("{", "[") and "string" not in types:
            try:
                return parse_json(text)
            except Unreadable:
                continue
    return text


def _items_schema(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    items = schema.get("items")
    return items if isinstance(items, Mapping) else {}


def _is_kind(schema: Mapping[str, Any], kind: str) -> bool:
    types = schema_types(schema)
    if types:
        return kind in types
    for key in ("allOf", "oneOf", "anyOf"):
        subs = schema.get(key)
        if isinstance(subs, list) and any(
            isinstance(s, Mapping) and _is_kind(s, kind) for s in subs
        ):
            return True
    return False


def _split_array(values: list[str], param: Parameter, swagger2: bool) -> list[str]:
    style = param.style or ("simple" if param.location in ("path", "header") else "form")
    explode = param.explode if param.explode is not None else (style == "form" and not swagger2)
    sep = {"spaceDelimited": " ", "pipeDelimited": "|", "tabDelimited": "\t"}.get(style, ",")
    if explode and style == "form" and param.location == "query":
        return values
    out: list[str] = []
    for v in values:
        if v == "":
            continue
        out.extend(v.split(sep))
    return out


def _object_from_pairs(
    pairs: list[str], schema: Mapping[str, Any], explode: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    props = schema.get("properties") if isinstance(schema.get("properties"), Mapping) else {}
    assert isinstance(props, Mapping)
    if explode:
        for pair in pairs:
            key, _, value = pair.partition("=")
            out[key] = coerce(value, props.get(key) or {})
    else:
        for i in range(0, len(pairs) - 1, 2):
            out[pairs[i]] = coerce(pairs[i + 1], props.get(pairs[i]) or {})
    return out


def _param_value(
    param: Parameter,
    parts: RequestParts,
    query: dict[str, list[str]],
    swagger2: bool,
) -> tuple[bool, Any]:
    """(present, value) of one parameter, coerced to its schema."""
    schema = param.schema if isinstance(param.schema, Mapping) else {}
    name = param.name
    raw_values: list[str]
    if param.location == "path":
        if name not in parts.path_params:
            return False, None
        text = parts.path_params[name]
        if param.style == "label" and text.startswith("."):
            text = text[1:]
        elif param.style == "matrix" and text.startswith(f";{name}="):
            text = text[len(name) + 2 :]
        raw_values = [text]
    elif param.location == "query":
        is_object = _is_kind(schema, "object") and not param.media_type
        if is_object and param.style == "deepObject":
            prefix = name + "["
            found = {
                k[len(prefix) : -1]: v
                for k, vs in query.items()
                if k.startswith(prefix) and k.endswith("]")
                for v in vs[:1]
            }
            if not found:
                return False, None
            props = (
                schema.get("properties") if isinstance(schema.get("properties"), Mapping) else {}
            )
            assert isinstance(props, Mapping)
            return True, {k: coerce(v, props.get(k) or {}) for k, v in found.items()}
        if (
            is_object
            and param.style in ("", "form")
            and param.explode is not False
            and name not in query
        ):
            props = schema.get("properties")
            if isinstance(props, Mapping):
                found_props = {
                    k: coerce(query[k][0], v or {}) for k, v in props.items() if k in query
                }
                if found_props:
                    return True, found_props
            return False, None
        if name not in query:
            return False, None
        raw_values = query[name]
    elif param.location == "header":
        value = parts.headers.get(name.lower())
        if value is None:
            return False, None
        raw_values = [value]
    elif param.location == "cookie":
        if name not in parts.cookies:
            return False, None
        raw_values = [parts.cookies[name]]
    else:
        return False, None

    if param.media_type:
        try:
            return True, parse_json(raw_values[0])
        except Unreadable:
            return True, raw_values[0]
    if _is_kind(schema, "array"):
        items = _split_array(raw_values, param, swagger2)
        if param.location == "header":
            items = [i.strip() for i in items]
        return True, [coerce(i, _items_schema(schema)) for i in items]
    if _is_kind(schema, "object") and not _is_kind(schema, "string"):
        explode = bool(param.explode)
        return True, _object_from_pairs(raw_values[0].split(","), schema, explode)
    return True, coerce(raw_values[0], schema)


def check_parameters(
    op: Operation, parts: RequestParts, openapi_version: str
) -> tuple[list[Detail], list[Detail]]:
    """(path problems, other problems) of the request's parameters."""
    query: dict[str, list[str]] = {}
    for key, value in parts.query:
        query.setdefault(key, []).append(value)
    swagger2 = openapi_version.startswith("2")
    path_details: list[Detail] = []
    details: list[Detail] = []
    for param in op.parameters:
        if param.location == "header" and param.name.lower() in _IGNORED_HEADERS:
            continue  # OpenAPI: these are described elsewhere (media types, security)
        target = path_details if param.location == "path" else details
        try:
            present, value = _param_value(param, parts, query, swagger2)
        except Unreadable as exc:
            target.append(Detail(param.name, str(exc)))
            continue
        if not present:
            if param.required:
                target.append(Detail(param.name, f"is required ({param.location} parameter)"))
            continue
        if value == "" and param.location == "query" and param.allow_empty_value:
            continue
        issues = _check(value, param.schema, openapi_version)
        target.extend(_details(param.name, issues, param.name))
    return path_details, details


# -- bodies ---------------------------------------------------------------------------


def _form_object(pairs: list[tuple[str, str]], schema: Mapping[str, Any] | None) -> dict[str, Any]:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    schema = schema if isinstance(schema, Mapping) else {}
    props = schema.get("properties") if isinstance(schema.get("properties"), Mapping) else {}
    assert isinstance(props, Mapping)
    extra = schema.get("additionalProperties")
    out: dict[str, Any] = {}
    for key, values in grouped.items():
        prop = props.get(key)
        if not isinstance(prop, Mapping):
            prop = extra if isinstance(extra, Mapping) else {}
        try:
            if _is_kind(prop, "array"):
                items = _items_schema(prop)
                out[key] = [coerce(v, items) for v in values]
            else:
                out[key] = coerce(values[0], prop)
        except Unreadable as exc:
            raise MockProblem(400, f"Unreadable form field {key!r}: {exc}") from None
    return out


def _multipart(body: bytes, content_type: str) -> list[tuple[str, str]]:
    from email.parser import BytesParser
    from email.policy import HTTP

    if body.count(b"\n--") > MAX_FIELDS:
        raise ValueError(f"more than {MAX_FIELDS:,} parts")
    head = b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n"
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        boundary = message.get_param("boundary")
        if isinstance(boundary, str) and body.strip() == f"--{boundary}--".encode():
            return []  # a form of no fields
        raise ValueError("the multipart body has no parts (check the boundary)")
    out: list[tuple[str, str]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        out.append((name, data.decode("utf-8", "replace")))
    return out


def check_body(
    op: Operation, content_type: str, body: bytes, openapi_version: str
) -> tuple[Any, list[Detail]]:
    """The parsed body (None when absent) and its problems.

    Raises `MockProblem` for a wrong content type (415) or a body that cannot be parsed
    (400); schema problems come back as details.
    """
    request_body = op.request_body
    if request_body is None:
        return None, []
    if not body:
        if request_body.required:
            return None, [Detail("body", "A request body is required")]
        return None, []
    accepted = [m.media_type for m in request_body.content]
    if not accepted:
        return None, []
    if not content_type:
        raise MockProblem(
            415,
            "The request has a body but no Content-Type; expected one of: " + ", ".join(accepted),
        )
    media = match_media(content_type, request_body.content)
    if media is None:
        raise MockProblem(
            415,
            f"Unsupported media type {content_type.split(';')[0].strip()!r}; "
            "expected one of: " + ", ".join(accepted),
        )
    ct = content_type.split(";", 1)[0].strip().lower()
    value: Any
    try:
        if is_json_media_type(ct):
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MockProblem(
                    400,
                    f"The request body is not valid UTF-8 (byte {exc.start})",
                ) from None
            try:
                value = parse_json(text)
            except Unreadable as exc:
                raise MockProblem(400, f"Malformed JSON in request body: {exc}") from None
        elif ct == "application/x-www-form-urlencoded":
            try:
                pairs = parse_qsl(
                    body.decode("utf-8", "replace"),
                    keep_blank_values=True,
                    max_num_fields=MAX_FIELDS,
                )
            except ValueError:
                raise MockProblem(
                    400, f"The form body has more than {MAX_FIELDS:,} fields"
                ) from None
            value = _form_object(pairs, media.schema)
        elif ct.startswith("multipart/"):
            try:
                pairs = _multipart(body, content_type)
            except Exception as exc:  # the email parser fails in many ways on hostile input
                raise MockProblem(400, f"Malformed multipart body: {exc}") from None
            value = _form_object(pairs, media.schema)
        elif ct.startswith("text/") and media.schema and main_type(media.schema) == "string":
            value = body.decode("utf-8", "replace")
        else:
            return body, []  # binary, XML and friends: accepted as sent
    except RecursionError:
        raise MockProblem(400, "The request body is nested too deeply") from None
    issues = _check(value, media.schema, openapi_version)
    return value, _details("", issues, "body")
