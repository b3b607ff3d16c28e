"""Reading a document's bytes (file or URL) and parsing them (JSON or YAML, safely).

Files: only regular files are read (a named pipe, a device such as /dev/zero, a socket
or a folder is refused before anything is read from it), up to a size cap. URLs: see
`_fetch` (size, decompression and time caps; a redirect policy).

JSON goes through orjson. A document meant to be JSON (named .json, or starting with `{`
or `[`) that is not valid JSON is reported with the JSON error, line and column; only a
document named .yaml or .yml may then still be YAML in flow style. YAML only ever goes
through PyYAML's safe loader (see `_yaml`), with its parsed form cached (see `_cache`).

Parsing also finds what loading needs from a document beyond the tree itself:
- the `$ref`s that name other documents, so that `load()` can read them all up front
  (nothing is read later, when an operation is resolved on the window's thread);
- duplicate keys, which JSON and YAML parsers resolve silently (the last one wins).
  orjson says nothing, so duplicates are found by counting: every member of an object
  has one `:` outside strings, and the strings (with any `:` in them) are the same in the
  bytes read and in orjson's own writing of what it parsed; so the bytes read have more
  `:` than orjson's writing exactly when members were dropped. Only then does the
  (slower) standard library parser find where. A document that orjson writes back byte
  for byte (GitHub's is written so) cannot have dropped anything and skips the count.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from explorer.errors import Location, ParseError, SourceError
from explorer.jsonpointer import escape_token

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "Duplicate",
    "Parsed",
    "clip",
    "is_url",
    "parse",
    "parse_document",
    "pointers_of",
    "read_document",
    "read_file",
]

MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
"""The largest document read (GitHub's description, among the largest, is 13 MB)."""

_LEADING_SPACE = re.compile(rb"\s*")
# A `$ref` whose value does not start with "#" (a reference into another document), in
# text as orjson writes it (no escapes in keys, values escaped only where JSON must).
_OTHER_DOCUMENT_REF = re.compile(rb'\$ref": ?"(?!#)([^"\\]*(?:\\.[^"\\]*)*)"')


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def clip(text: str, limit: int = 200) -> str:
    """`text`, cut to `limit` characters: a reference, key or URL from a document or a
    server can be megabytes long, and a message should stay one readable line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- reading -----------------------------------------------------------------------------


def read_document(source: str) -> tuple[bytes, str]:
    """(bytes, URI) of the document a person opened: a file (its absolute path) or an
    http(s) URL (the URL it came from, after redirects), within `MAX_DOCUMENT_BYTES`."""
    if is_url(source):
        from explorer.spec._fetch import fetch  # httpx is imported only for URLs

        fetched = fetch(source, max_bytes=MAX_DOCUMENT_BYTES)
        return fetched.data, fetched.url
    path = os.path.abspath(source)
    return read_file(path, max_bytes=MAX_DOCUMENT_BYTES), path


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_kind(mode: int, path: str) -> None:
    """Raise unless `mode` is a regular file's."""
    if not stat.S_ISREG(mode):
        what = next((name for test, name in _KINDS if test(mode)), "a special file")
        raise SourceError(f"this is {what}, not a file; only files are read", Location(path))


def read_file(path: str, *, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`. Anything else (a named pipe,
    a device, a socket, a folder) is refused before a byte is read: its kind is checked
    by path, then again on the open file (opened without blocking, so a pipe cannot
    hang the open), and reading stops at the cap even if the file grows meanwhile."""
    try:
        _refuse_kind(os.stat(path).st_mode, path)
        fd = os.open(
            path,
            os.O_RDONLY
            | getattr(os, "O_NONBLOCK", 0)
            | getattr(os, "O_NOCTTY", 0)
            | getattr(os, "O_BINARY", 0),
        )
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in the name
        raise SourceError("no such file", Location(path)) from None
    except IsADirectoryError:
        raise SourceError("this is a folder, not a file", Location(path)) from None
    except OSError as exc:
        raise SourceError(f"could not read the file: {exc.strerror}", Location(path)) from None
    try:
        with os.fdopen(fd, "rb", buffering=0) as fh:
            info = os.fstat(fh.fileno())
            _refuse_kind(info.st_mode, path)
            if info.st_size > max_bytes:
                raise SourceError(
                    f"the file is larger than {_mb(max_bytes)} ({_mb(info.st_size)}); "
                    "it was not read",
                    Location(path),
                )
            expected = info.st_size
            data = fh.read(expected + 1) or b""
            if len(data) > expected:  # it grew, or says 0 and has more: read on, capped
                parts = [data]
                size = len(data)
                while size <= max_bytes and (part := fh.read(min(1 << 20, max_bytes + 1 - size))):
                    parts.append(part)
                    size += len(part)
                if size > max_bytes:
                    raise SourceError(
                        f"the file is larger than {_mb(max_bytes)}; it was not read",
                        Location(path),
                    )
                data = b"".join(parts)
            return data
    except OSError as exc:
        raise SourceError(f"could not read the file: {exc.strerror}", Location(path)) from None


# -- text --------------------------------------------------------------------------------

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


def __getattr__(name: str) -> Any:
    """`yaml` and `_Loader`, imported on first use: JSON documents never pay for PyYAML."""
    if name == "yaml":
        import yaml

        return yaml
    if name == "_Loader":
        from explorer.spec._yaml import _Loader

        return _Loader
    raise AttributeError(name)


# -- parsing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    """A key that an object repeats: only its last value is kept."""

    pointer: str
    """The JSON pointer of the object ("" for the top level)."""
    key: str
    line: int | None = None


@dataclass(frozen=True)
class Parsed:
    """A parsed document and what loading needs to know about it."""

    doc: Any
    refs: tuple[str, ...] = ()
    """Every `$ref` value that names another document (it does not start with "#"),
    anywhere in the document (a superset: one inside an example counts too)."""
    duplicates: tuple[Duplicate, ...] = ()


def pointers_of(doc: Any, wanted: set[int]) -> dict[int, str]:
    """The JSON pointer of each container (dict or list) whose id is in `wanted`."""
    found: dict[int, str] = {}
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack and len(found) < len(wanted):
        node, pointer = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if id(node) in wanted:
            found[id(node)] = pointer
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend(
            (v, f"{pointer}/{escape_token(str(k))}") for k, v in items if isinstance(v, dict | list)
        )
    return found


def _refs_in_text(text: bytes) -> tuple[str, ...]:
    """Other-document `$ref`s in JSON as orjson writes it."""
    out: dict[str, None] = {}
    for raw in _OTHER_DOCUMENT_REF.findall(text):
        ref = orjson.loads(b'"' + raw + b'"') if b"\\" in raw else raw.decode()
        if isinstance(ref, str) and ref and not ref.startswith("#"):
            out[ref] = None
    return tuple(out)


def _refs_in_tree(doc: Any) -> tuple[str, ...]:
    """Other-document `$ref`s, by walking the tree (for documents orjson cannot write)."""
    out: dict[str, None] = {}
    seen: set[int] = set()
    stack = [doc]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref and not ref.startswith("#"):
                out[ref] = None
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    return tuple(out)


def _dumps(doc: Any, option: int = 0) -> bytes | None:
    """orjson's writing of a parsed document; None where it cannot (too deep, odd types)."""
    try:
        return orjson.dumps(doc, default=_default, option=option)
    except (TypeError, orjson.JSONEncodeError):
        return None


def _default(obj: Any) -> Any:
    if isinstance(obj, bytes):
        import base64

        return base64.b64encode(obj).decode("ascii")
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    return str(obj)


def _json_duplicates(data: bytes) -> tuple[Duplicate, ...]:
    """Every repeated key, found with the standard library's parser (slower than orjson;
    run only when counting showed that members were dropped)."""
    import json

    marked: dict[int, tuple[dict[str, Any], list[str]]] = {}

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            repeated: list[str] = []
            for key, _ in pairs:
                if key in seen:
                    repeated.append(key)
                seen.add(key)
            marked[id(obj)] = (obj, repeated)  # held, so no other object takes its id
        return obj

    try:
        doc = json.loads(data, object_pairs_hook=pairs_hook)
    except (ValueError, RecursionError):  # what orjson reads and json does not: say so only
        return (Duplicate("", ""),)
    where = pointers_of(doc, set(marked))
    return tuple(
        Duplicate(where[oid], key)
        for oid, (_, keys) in marked.items()
        if oid in where
        for key in keys
    )


def _canonical(data: bytes, start: int, doc: Any) -> tuple[bool, bytes | None]:
    """(the bytes from `start` are orjson's own writing of `doc`, compact or with a
    two-space indent; orjson's compact writing if it was made). Byte-equal writing means
    nothing was dropped. Tried only when the first bytes look like that writing."""
    head = data[start : start + 5]
    if head == b'{\n  "':
        candidate = _dumps(doc, orjson.OPT_INDENT_2)
        compact = None
    elif head.startswith(b'{"'):
        candidate = compact = _dumps(doc)
    else:
        return False, None
    if candidate is None:
        return False, compact
    end = start + len(candidate)
    same = data.startswith(candidate, start) and not data[end:].strip()
    return same, compact


def _parse_json(data: bytes) -> Parsed:
    """Parse JSON (raises orjson.JSONDecodeError), finding references and duplicates."""
    doc = orjson.loads(data)
    start = _LEADING_SPACE.match(data)
    same, compact = _canonical(data, start.end() if start else 0, doc)
    if same:
        return Parsed(doc, _refs_in_text(data))
    if compact is None:
        compact = _dumps(doc)
    if compact is None:  # nested deeper than orjson writes: walk, and let json find repeats
        return Parsed(doc, _refs_in_tree(doc), _json_duplicates(data))
    dropped = data.count(b":") > compact.count(b":")
    return Parsed(doc, _refs_in_text(compact), _json_duplicates(data) if dropped else ())


def _parse_yaml(data: bytes, source: str, cache_dir: Path | None) -> Parsed:
    """Parse YAML (from the cache when it holds these bytes), finding references and
    duplicates. PyYAML is imported on first use."""
    from explorer.spec import _cache

    entry_file = _cache.entry_path(cache_dir, data) if cache_dir is not None else None
    if entry_file is not None:
        cached = _cache.read_entry(entry_file)
        if cached is not None:
            entry, raw = cached
            duplicates = tuple(
                Duplicate(str(d[0]), str(d[1]), d[2] if isinstance(d[2], int) else None)
                for d in entry["duplicates"]
                if isinstance(d, list) and len(d) == 3
            )
            return Parsed(entry["doc"], _refs_in_text(raw), duplicates)
    from explorer.spec._yaml import read_yaml

    parsed = read_yaml(data, source)
    doc = parsed.doc
    duplicates = tuple(Duplicate(p, k, line) for p, k, line in parsed.duplicates)
    if not isinstance(doc, dict):
        return Parsed(doc, (), duplicates)
    payload = _dumps({"doc": doc, "duplicates": [[d.pointer, d.key, d.line] for d in duplicates]})
    if payload is None:
        return Parsed(doc, _refs_in_tree(doc), duplicates)
    if entry_file is not None:
        _cache.write_entry(entry_file, payload)
    return Parsed(doc, _refs_in_text(payload), duplicates)


def _name(source: str) -> str:
    """The file name a source ends with, in lower case ("" for none)."""
    path = urlsplit(source).path if is_url(source) else source
    return path.rsplit("/", 1)[-1].lower()


def parse(data: bytes, source: str, *, cache_dir: Path | None = None) -> Parsed:
    """Parse JSON or YAML bytes; see the module docstring for which is tried when."""
    data = _text_bytes(data, source)
    start = _LEADING_SPACE.match(data)
    first = data[start.end() : start.end() + 1] if start else data[:1]
    if not first:
        raise ParseError("the document is empty", Location(source))
    name = _name(source)
    if first in (b"{", b"[") or name.endswith(".json"):
        try:
            return _parse_json(data)
        except orjson.JSONDecodeError as exc:
            json_error = _json_error(exc, source)
        if first not in (b"{", b"[") or not name.endswith((".yaml", ".yml")):
            raise json_error
        try:  # named YAML: it may be YAML in flow style
            return _parse_yaml(data, source, None)
        except ParseError:
            raise json_error from None
    return _parse_yaml(data, source, cache_dir)


def parse_document(data: bytes, source: str, *, cache_dir: Path | None = None) -> Any:
    """The parsed document alone (see `parse`)."""
    return parse(data, source, cache_dir=cache_dir).doc
