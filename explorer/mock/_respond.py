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
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from explorer.http.media import is_json_media_type
from explorer.mock._problem import MockProblem, Reply, problem
from explorer.spec import MediaType, Operation, Response, sample
from explorer.spec.describe import main_type

__all__ = ["Responder", "default_response", "header_text", "parse_prefer", "serialize"]

_NO_BODY = {204, 205, 304}
_SKIP_HEADERS = {"content-type", "content-length", "transfer-encoding", "connection"}
_TOKEN = re.compile(r"[^\x20-\x7e]")


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
    numeric = sorted(
        (int(r.status), r) for r in responses if r.status.isdigit() and 200 <= int(r.status) < 300
    )
    if numeric:
        return numeric[0]
    for r in responses:
        if r.status.upper() == "2XX":
            return 200, r
    for r in responses:
        if r.status.lower() == "default":
            return 200, r
    for r in responses:
        if r.status.isdigit() and 200 <= int(r.status) < 400:
            return int(r.status), r
    return 200, None


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


class Responder:
    """Builds the answer of an operation that let the request through."""

    def __init__(self) -> None:
        self._made: dict[tuple[int, str, str], Any] = {}
        self._headers: dict[tuple[int, str], list[tuple[str, str]]] = {}

    def choose(self, op: Operation, prefer: Mapping[str, str]) -> tuple[int, Response | None]:
        """The status and declared response to answer with."""
        code = prefer.get("code")
        if code is not None:
            if not code.isdigit() or not 200 <= int(code) <= 599:
                raise MockProblem(400, f"Prefer: code={code} is not an HTTP status code")
            number = int(code)
            declared = op.response(number)
            return number, declared
        return default_response(op)

    def value(
        self,
        op: Operation,
        status: int,
        response: Response,
        media: MediaType,
        prefer: Mapping[str, str],
    ) -> Any:
        """The body value: a named example, the first example, or one made from the schema."""
        name = prefer.get("example")
        if name is not None:
            for ex in media.examples:
                if ex.name == name:
                    return ex.value
            names = ", ".join(ex.name for ex in media.examples) or "none"
            raise MockProblem(
                400,
                f"Prefer: example={name}: no such example for {status} {media.media_type} "
                f"(examples: {names})",
            )
        if prefer.get("dynamic", "false").lower() != "true" and media.examples:
            ex = media.examples[0]
            if ex.value is not None or not ex.external_value:
                return ex.value
        key = (id(op), response.status, media.media_type)
        if key not in self._made:
            self._made[key] = sample(media.schema, "response")
        return self._made[key]

    def headers(self, op: Operation, response: Response) -> list[tuple[str, str]]:
        """Sample values of the response's declared headers."""
        key = (id(op), response.status)
        cached = self._headers.get(key)
        if cached is None:
            cached = []
            for header in response.headers:
                if header.name.lower() in _SKIP_HEADERS:
                    continue
                text = header_text(sample(header.schema, "response"))
                if text is None and header.required:
                    text = "1" if main_type(header.schema) in ("integer", "number") else "x"
                if text is not None:
                    cached.append((header.name, text))
            self._headers[key] = cached
        return list(cached)

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
        value = self.value(op, status, response, media, prefer)
        body, content_type = serialize(value, media.media_type)
        if method == "HEAD":
            body = b""
        return Reply(status, body, content_type, headers)
