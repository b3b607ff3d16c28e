"""What the mock answers: which response, which media type, which body and headers.

The response is the one `Prefer: code=N` names, else the lowest 2xx the operation
declares. Its body is the example `Prefer: example=NAME` names, else the first example,
else a value made from the schema (`Prefer: dynamic=true` skips the examples). Made
values are deterministic and cached per (operation, status, media type), so the same
request always gets the same answer.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from explorer.http.media import is_json_media_type
from explorer.mock._problem import Detail, MockProblem, Reply, problem, problem_body, reason
from explorer.spec import MediaType, Operation, Response, sample, validate
from explorer.spec.describe import main_type
from explorer.spec.schema import SampleTooLarge

__all__ = [
    "MAX_ANSWER",
    "SAMPLE_LIMIT",
    "Responder",
    "default_response",
    "header_text",
    "parse_prefer",
    "serialize",
    "status_code",
    "too_large",
]

_NO_BODY = {204, 205, 304}
_SKIP_HEADERS = {"content-type", "content-length", "transfer-encoding", "connection"}
_TOKEN = re.compile(r"[^\x20-\x7e]")
_CODE = re.compile(r"[1-5][0-9][0-9]")
_MAX_HEADER = 4096


def status_code(text: str) -> int | None:
    """ "404" as 404; None for anything else ("2XX", "default", "٤٠٤", 5,000 digits)."""
    return int(text) if _CODE.fullmatch(text) else None


def parse_prefer(value: str) -> dict[str, str]:
    """`Prefer: code=404, example=notFound` -> {"code": "404", "example": "notFound"}."""
    out: dict[str, str] = {}
    for item in re.split(r"[,;]", value):
        key, sep, val = item.strip().partition("=")
        if key:
            out[key.strip().lower()] = val.strip().strip('"') if sep else "true"
    return out


def default_response(op: Operation) -> tuple[int, Response | None]:
    """The success response an operation answers with by default, and its status."""
    responses = op.responses
    codes = [(status_code(r.status), r) for r in responses]
    numeric = sorted(((c, r) for c, r in codes if c is not None and 200 <= c < 300), key=_first)
    if numeric:
        return numeric[0]
    for r in responses:
        if r.status.upper() == "2XX":
            return 200, r
    for r in responses:
        if r.status.lower() == "default":
            return 200, r
    for c, r in codes:
        if c is not None and 200 <= c < 400:
            return c, r
    return 200, None


def _first(pair: tuple[int, Response]) -> int:
    return pair[0]


def _xml(value: Any, tag: str = "root") -> str:
    if isinstance(value, Mapping):
        inner = "".join(
            _xml(v, re.sub(r"[^A-Za-z0-9_.-]", "_", str(k)) or "item") for k, v in value.items()
        )
    elif isinstance(value, list):
        inner = "".join(_xml(v, "item") for v in value)
    elif value is None:
        inner = ""
    elif isinstance(value, bool):
        inner = "true" if value else "false"
    else:
        inner = escape(str(value))
    return f"<{tag}>{inner}</{tag}>"


def serialize(value: Any, media_type: str) -> tuple[bytes, str]:
    """(body bytes, Content-Type) of a value in a media type."""
    mt = media_type.split(";", 1)[0].strip().lower()
    if isinstance(value, bytes):
        return value, media_type
    if "*" in mt:
        if isinstance(value, str) and not mt.startswith("application/json"):
            return value.encode("utf-8"), "text/plain; charset=utf-8"
        return json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json"
    if is_json_media_type(mt):
        return json.dumps(value, ensure_ascii=False, default=str).encode("utf-8"), media_type
    if "xml" in mt:
        text = value if isinstance(value, str) else '<?xml version="1.0"?>' + _xml(value)
        return text.encode("utf-8"), media_type
    if isinstance(value, str):
        charset = (
            "; charset=utf-8" if mt.startswith("text/") and "charset" not in media_type else ""
        )
        return value.encode("utf-8"), media_type + charset
    if value is None:
        return b"", media_type
    if mt == "application/x-www-form-urlencoded" and isinstance(value, Mapping):
        from urllib.parse import urlencode

        return urlencode({k: str(v) for k, v in value.items()}).encode(), media_type
    return json.dumps(value, ensure_ascii=False, default=str).encode("utf-8"), media_type


def header_text(value: Any) -> str | None:
    """A sample value as one header line (None when there is nothing to send)."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = ",".join(header_text(v) or "" for v in value)
    elif isinstance(value, Mapping):
        text = ",".join(f"{k},{header_text(v) or ''}" for k, v in value.items())
    else:
        text = str(value)
    return _TOKEN.sub("", text)


def _pick_media(content: tuple[MediaType, ...], accept: str) -> MediaType | None:
    if not content:
        return None
    wanted = [a.split(";", 1)[0].strip().lower() for a in accept.split(",") if a.strip()]
    for a in wanted:
        if a in ("*/*", ""):
            break
        for media in content:
            mt = media.media_type.split(";", 1)[0].strip().lower()
            if mt == a or (a.endswith("/*") and mt.startswith(a[:-1])):
                return media
    return next((m for m in content if is_json_media_type(m.media_type)), content[0])


class _TooLarge(Exception):
    pass


def _write_only_in(value: Any, schema: Any, depth: int = 0) -> bool:
    """Whether a response value holds a `writeOnly` property (which a response should not
    send: an example that does, the document gets wrong)."""
    from explorer.spec.describe import object_properties

    if depth > 16 or not isinstance(schema, Mapping):
        return False
    if isinstance(value, list):
        items = schema.get("items")
        return any(_write_only_in(v, items, depth + 1) for v in value[:100])
    if not isinstance(value, dict):
        return False
    parts = [schema] + [
        c for k in ("anyOf", "oneOf") for c in (schema.get(k) or ()) if isinstance(c, Mapping)
    ]
    for part in parts:
        props, _ = object_properties(part)
        for name, sub in props.items():
            if name not in value or not isinstance(sub, Mapping):
                continue
            if sub.get("writeOnly") is True or _write_only_in(value[name], sub, depth + 1):
                return True
    return False


def _error_media(content: tuple[MediaType, ...]) -> MediaType:
    """The media type an error answer is written in: a problem type, else JSON, else the
    first documented."""
    for media in content:
        if "problem" in media.media_type.lower() and is_json_media_type(media.media_type):
            return media
    return next((m for m in content if is_json_media_type(m.media_type)), content[0])


_MESSAGE_KEYS = ("message", "detail", "description", "error_description", "msg")
_STATUS_KEYS = ("status", "statusCode", "status_code", "code", "httpStatus")


def _fill_error(
    value: dict[str, Any],
    schema: Any,
    status: int,
    message: str,
    details: Sequence[Detail],
    depth: int = 0,
) -> dict[str, Any]:
    """A copy of an error value with the status, the message and the field details written
    into the members that hold them (by name and type; one level of nesting, as in
    Stripe's `{"error": {"message": ...}}`)."""
    from explorer.spec.describe import object_properties

    props, _ = object_properties(schema) if isinstance(schema, Mapping) else ({}, set())
    out = dict(value)
    for key, sub in props.items():
        if not isinstance(sub, Mapping) or "enum" in sub or "const" in sub:
            continue
        kind = main_type(sub)
        if key in _MESSAGE_KEYS and kind == "string":
            out[key] = message
        elif key in ("error", "title") and kind == "string":
            out[key] = reason(status)
        elif key in _STATUS_KEYS and kind == "integer":
            out[key] = status
        elif key in ("details", "errors") and kind == "array" and details:
            item = sub.get("items")
            names, _ = object_properties(item) if isinstance(item, Mapping) else ({}, set())
            if "field" in names and "message" in names:
                out[key] = [{"field": d.field, "message": d.message} for d in details]
        elif kind == "object" and depth == 0 and isinstance(out.get(key), dict):
            out[key] = _fill_error(out[key], sub, status, message, details, 1)
    return out


def too_large(value: Any, limit: int) -> bool:
    """Whether `value` written out (as JSON, roughly) would take more than `limit` bytes.

    Values from a document share their parts (YAML aliases, an item repeated in a list):
    each part is measured once, so a 600-byte alias bomb is found too large at once
    instead of being written out to 35 MB first. A cycle, or nesting too deep to write,
    counts as too large."""
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        if isinstance(node, str | bytes):
            return len(node) + 2
        if not isinstance(node, Mapping | list | tuple):
            return 8
        hit = sizes.get(id(node))
        if hit is not None:
            if hit < 0:
                raise _TooLarge  # a cycle
            return hit
        sizes[id(node)] = -1
        total = 2
        if isinstance(node, Mapping):
            for key, child in node.items():
                total += len(str(key)) + 4 + size(child)
                if total > limit:
                    raise _TooLarge
        else:
            for child in node:
                total += 1 + size(child)
                if total > limit:
                    raise _TooLarge
        sizes[id(node)] = total
        return total

    try:
        return size(value) > limit
    except (_TooLarge, RecursionError):
        return True


MAX_ANSWER = 4 * 1024 * 1024
"""Bytes of one answer body the mock sends at most (made from a schema or an example)."""
SAMPLE_LIMIT = 100_000
"""Values in one answer made from a schema (real documents need a few thousand at most)."""
_CACHE_BYTES = 64 * 1024 * 1024


class Responder:
    """Builds the answer of an operation that let the request through.

    Answer bodies are written once per (operation, status, media type, example) and kept,
    up to a total size; one that would be larger than `max_answer` is a 500 problem that
    says so, never a runaway."""

    def __init__(self, max_answer: int = MAX_ANSWER, openapi_version: str = "3.0") -> None:
        self.max_answer = max_answer
        self.openapi_version = openapi_version
        self._bodies: OrderedDict[tuple[int, str, str, str], tuple[bytes, str] | str] = (
            OrderedDict()
        )
        self._cached_bytes = 0
        self._lock = threading.Lock()  # the cache is shared by the worker threads
        self._headers: dict[tuple[int, str], list[tuple[str, str]]] = {}

    def choose(self, op: Operation, prefer: Mapping[str, str]) -> tuple[int, Response | None]:
        """The status and declared response to answer with."""
        code = prefer.get("code")
        if code is not None:
            number = status_code(code)
            if number is None or number < 200:
                shown = code if len(code) <= 20 else code[:19] + "…"
                raise MockProblem(400, f"Prefer: code={shown} is not an HTTP status code")
            declared = op.response(number)
            return number, declared
        return default_response(op)

    def _source(
        self, status: int, media: MediaType, prefer: Mapping[str, str]
    ) -> tuple[str, Callable[[], Any]]:
        """Which value answers ("example:NAME" or "made"), and how to get it: a named
        example, the first example, or one made from the schema."""
        name = prefer.get("example")
        if name is not None:
            for ex in media.examples:
                if ex.name == name:
                    return f"example:{name}", lambda chosen=ex: chosen.value
            names = ", ".join(ex.name for ex in media.examples) or "none"
            shown = name if len(name) <= 100 else name[:99] + "…"
            raise MockProblem(
                400,
                f"Prefer: example={shown}: no such example for {status} {media.media_type} "
                f"(examples: {names})",
            )
        if prefer.get("dynamic", "false").lower() != "true":
            for ex in media.examples:
                if ex.value is None and ex.external_value:
                    continue
                if self._fits(ex.value, media):
                    return f"example:{ex.name}", lambda chosen=ex: chosen.value
        version = self.openapi_version
        return "made", lambda: sample(
            media.schema, "response", limit=SAMPLE_LIMIT, openapi_version=version
        )

    def _fits(self, value: Any, media: MediaType) -> bool:
        """Whether a documented example fits its schema (one that does not, the document
        gets wrong: the mock answers with a value made from the schema instead, and
        `Prefer: example=NAME` still sends it as written)."""
        if not media.schema or not is_json_media_type(media.media_type):
            return True
        issues = validate(
            value, media.schema, openapi_version=self.openapi_version, direction="response"
        )
        if issues and not all(i.keyword == "schema" for i in issues):
            return False
        return not _write_only_in(value, media.schema)

    def body(
        self,
        op: Operation,
        status: int,
        response: Response,
        media: MediaType,
        prefer: Mapping[str, str],
    ) -> tuple[bytes, str]:
        """(body, Content-Type) of the answer, written once and then kept."""
        which, make = self._source(status, media, prefer)
        key = (id(op), response.status, media.media_type, which)
        with self._lock:
            cached = self._bodies.get(key)
        if cached is None:
            cached = self._write(make, media.media_type, which)
            self._keep(key, cached)
        if isinstance(cached, str):
            raise MockProblem(500, f"{status} {media.media_type}: {cached}")
        return cached

    def _write(
        self, make: Callable[[], Any], media_type: str, which: str
    ) -> tuple[bytes, str] | str:
        """The body, or why there is none (a message)."""
        what = "the answer made from the schema" if which == "made" else f"the {which}"
        limit = f"{self.max_answer / 1e6:g} MB"
        try:
            value = make()
        except SampleTooLarge as exc:
            return f"{what} would be too large ({exc}); give the response an example"
        if too_large(value, self.max_answer):
            return f"{what} would be larger than the mock sends ({limit})"
        try:
            body, content_type = serialize(value, media_type)
        except (RecursionError, ValueError) as exc:
            return f"{what} cannot be written as {media_type}: {exc}"
        if len(body) > self.max_answer:
            return f"{what} would be larger than the mock sends ({limit})"
        return body, content_type

    def _keep(self, key: tuple[int, str, str, str], entry: tuple[bytes, str] | str) -> None:
        size = len(entry[0]) if isinstance(entry, tuple) else len(entry)
        with self._lock:
            if key in self._bodies:
                return
            self._bodies[key] = entry
            self._cached_bytes += size
            while self._cached_bytes > _CACHE_BYTES and len(self._bodies) > 1:
                _, old = self._bodies.popitem(last=False)
                self._cached_bytes -= len(old[0]) if isinstance(old, tuple) else len(old)

    def headers(self, op: Operation, response: Response) -> list[tuple[str, str]]:
        """Sample values of the response's declared headers."""
        key = (id(op), response.status)
        cached = self._headers.get(key)
        if cached is None:
            cached = []
            for header in response.headers:
                if header.name.lower() in _SKIP_HEADERS:
                    continue
                try:
                    value = sample(header.schema, "response", limit=1000)
                except SampleTooLarge:
                    value = None
                text = header_text(value)
                if text is not None and len(text) > _MAX_HEADER:
                    text = text[:_MAX_HEADER]
                if text is None and header.required:
                    text = "1" if main_type(header.schema) in ("integer", "number") else "x"
                if text is not None:
                    cached.append((header.name, text))
            self._headers[key] = cached
        return list(cached)

    def error_reply(
        self,
        op: Operation,
        status: int,
        message: str,
        instance: str,
        details: Sequence[Detail] = (),
        headers: Sequence[tuple[str, str]] = (),
    ) -> Reply:
        """An error answer as the operation documents it for `status` (exactly, its
        `4XX` range or its `default`): that media type and schema, with the problem's
        status, message and field details where the schema has a place for them; no body
        where it documents none. A problem document only where nothing is documented."""
        declared = op.response(status)
        if declared is None:
            return problem(status, message, instance, details, headers)
        own = [(k, v) for k, v in headers]
        named = {k.lower() for k, _ in own}
        reply_headers = [(k, v) for k, v in self.headers(op, declared) if k.lower() not in named]
        reply_headers += own
        if not declared.content or status in _NO_BODY:
            return Reply(status, headers=reply_headers)
        media = _error_media(declared.content)
        doc = json.loads(problem_body(status, message, instance, details))
        if is_json_media_type(media.media_type) and media.schema:
            if not self._fits(doc, media):
                doc = self._shaped(op, status, declared, media, doc, details)
            body, ctype = serialize(doc, media.media_type)
        elif media.media_type.lower().startswith("text/"):
            body, ctype = serialize(message, media.media_type)
        else:
            body, ctype = self.body(op, status, declared, media, {})
        return Reply(status, body, ctype, reply_headers)

    def _shaped(
        self,
        op: Operation,
        status: int,
        declared: Response,
        media: MediaType,
        doc: dict[str, Any],
        details: Sequence[Detail],
    ) -> Any:
        """The documented error value (its fitting example, or one made from its schema)
        with the problem written into the members it has for one."""
        try:
            raw, _ = self.body(op, status, declared, media, {})
            base = json.loads(raw) if raw else None
        except (MockProblem, ValueError):
            return doc
        if not isinstance(base, dict):
            return base
        shaped = _fill_error(base, media.schema, status, str(doc.get("message", "")), details)
        return shaped if self._fits(shaped, media) else base

    def reply(
        self,
        op: Operation,
        prefer: Mapping[str, str],
        accept: str,
        instance: str,
        method: str,
    ) -> Reply:
        """The whole answer of an operation."""
        status, response = self.choose(op, prefer)
        if response is None:
            if status >= 400:
                return problem(status, f"Answered with {status} as asked (Prefer)", instance)
            return Reply(status)
        headers = self.headers(op, response)
        media = _pick_media(response.content, accept)
        if media is None or status in _NO_BODY:
            return Reply(status, headers=headers)
        body, content_type = self.body(op, status, response, media, prefer)
        if method == "HEAD":
            body = b""
        return Reply(status, body, content_type, headers)
