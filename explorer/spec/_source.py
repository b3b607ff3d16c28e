"""Reading a document's bytes (file or URL) and parsing them (JSON or YAML, safely).

JSON goes through orjson. YAML only ever through PyYAML's safe loader (the C one where
present), with two changes: mapping keys keep their text ("200" stays a string, `on` is
not True) and timestamps stay strings, so a YAML document parses to exactly what its JSON
twin would. Parsed YAML is cached as JSON in the user's cache folder, keyed by a hash of
its bytes: the second opening costs what JSON does.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import orjson

from explorer.errors import Location, ParseError, SourceError

__all__ = ["is_url", "parse_document", "read_bytes"]

_CACHE_FORMAT = b"1"
_LEADING_SPACE = re.compile(rb"\s*")


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def read_bytes(source: str, *, timeout: float = 30.0) -> bytes:
    """The bytes of a file path or an http(s) URL."""
    if is_url(source):
        import httpx

        try:
            response = httpx.get(source, follow_redirects=True, timeout=timeout)
        except httpx.HTTPError as exc:
            raise SourceError(f"could not fetch the document: {exc}", Location(source)) from None
        if response.status_code >= 400:
            raise SourceError(
                f"fetching the document answered HTTP {response.status_code}", Location(source)
            )
        return response.content
    path = Path(source)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", Location(source)) from None
    except IsADirectoryError:
        raise SourceError("this is a folder, not a file", Location(source)) from None
    except OSError as exc:
        raise SourceError(f"could not read the file: {exc.strerror}", Location(source)) from None


_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


def _text_bytes(data: bytes, source: str) -> bytes:
    """UTF-8 bytes without a BOM (UTF-16/32 re-encoded); raises for binary content."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    skip = 0
    if encoding is not None:
        skip = 4 if "32" in encoding else 2
    elif len(data) >= 4 and b"\x00" in data[:4]:
        # UTF-16 without a BOM: JSON and YAML start with ASCII, so every other byte is 0
        head = data[:64]
        if head[1::2].count(0) == len(head[1::2]) and 0 not in head[0::2]:
            encoding = "utf-16-le"
        elif head[0::2].count(0) == len(head[0::2]) and 0 not in head[1::2]:
            encoding = "utf-16-be"
    if encoding is not None:
        try:
            return data[skip:].decode(encoding).encode("utf-8")
        except UnicodeError:
            raise SourceError(
                f"not a text file (it starts like {encoding.upper()} but is not)", Location(source)
            ) from None
    if b"\x00" in data[:8192]:
        raise SourceError("this is a binary file, not a JSON or YAML document", Location(source))
    return data


def _utf8_error(data: bytes, source: str) -> ParseError | None:
    """Where the bytes stop being UTF-8, if they do."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return ParseError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
            Location(source, line=line, column=column),
        )
    return None


def _json_error(exc: orjson.JSONDecodeError, source: str) -> ParseError:
    msg = str(exc.msg) if hasattr(exc, "msg") else str(exc)
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "colno", None)
    return ParseError(f"invalid JSON: {msg}", Location(source, line=line, column=col))


def _parse_yaml(data: bytes, source: str) -> Any:
    # PyYAML is imported on first use: JSON documents (and start-up) never pay for it.
    from explorer.spec._yaml import parse_yaml

    return parse_yaml(data, source)


def __getattr__(name: str) -> Any:
    """`yaml` and `_Loader`, imported on first use (see `_parse_yaml`)."""
    if name == "yaml":
        import yaml

        return yaml
    if name == "_Loader":
        from explorer.spec._yaml import _Loader

        return _Loader
    raise AttributeError(name)


def _default(obj: Any) -> Any:
    if isinstance(obj, bytes):
        import base64

        return base64.b64encode(obj).decode("ascii")
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    return str(obj)


def _cache_get(path: Path) -> Any | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return doc if isinstance(doc, dict) else None  # only documents are ever written


def _cache_put(path: Path, doc: Any) -> None:
    try:
        payload = orjson.dumps(doc, default=_default)
    except (TypeError, orjson.JSONEncodeError):
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def parse_document(data: bytes, source: str, *, cache_dir: Path | None = None) -> Any:
    """Parse JSON or YAML bytes (the format detected from the content)."""
    data = _text_bytes(data, source)
    start = _LEADING_SPACE.match(data)
    first = data[start.end() : start.end() + 1] if start else data[:1]
    if not first:
        raise ParseError("the document is empty", Location(source))
    if first in (b"{", b"["):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            json_error = _json_error(exc, source)
        # JSON failed: it may still be YAML in flow style; report the JSON error if not.
        try:
            return _parse_yaml(data, source)
        except ParseError:
            raise json_error from None
    cache_file = None
    if cache_dir is not None:
        digest = hashlib.blake2b(data + _CACHE_FORMAT, digest_size=20).hexdigest()
        cache_file = cache_dir / "yaml" / f"{digest}.json"
        cached = _cache_get(cache_file)
        if cached is not None:
            return cached
    doc = _parse_yaml(data, source)
    if cache_file is not None and isinstance(doc, dict):
        _cache_put(cache_file, doc)
    return doc
