"""Collections in and out of other tools' formats. No Qt; one module per format.

    fmt = detect(path)                                   # "postman", "insomnia", "har", ...
    imported = import_file(path)                         # .collection, .warnings, .format
    req = parse_curl(text)                               # a curl command pasted into the URL field
    doc, warnings = export_postman(col, api=api, environment=env)
    doc, warnings = export_har(col, variables=..., api=api, folder=root)
    text, warnings = export_curl_script(col, variables=..., api=api, folder=root)
    files, warnings = export_snippets(col, "python-httpx", variables=..., api=api, folder=root)

Import reads a Postman collection (v2.1, and v2.0), an Insomnia export (v4), a HAR 1.2
file, a curl command (or a script of them) and an OpenAPI document (2.0, 3.0, 3.1). What
could not be carried over (a secret, a script, a sub-environment) is in the warnings;
nothing secret is ever carried over. A file that is not what it is said to be, or none of
these, raises `ImportFailed` (a StoreError) with one sentence: nothing is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.collection.formats._common import ImportFailed
from explorer.collection.formats.curl import (
    CurlCommand,
    import_curl,
    looks_like_curl,
    parse_curl,
    parse_curl_command,
)
from explorer.collection.formats.har import export_har, har_json, import_har, is_har
from explorer.collection.formats.insomnia import import_insomnia, is_insomnia
from explorer.collection.formats.postman import export_postman, import_postman, is_postman
from explorer.collection.formats.scripts import EXTENSIONS, export_curl_script, export_snippets
from explorer.collection.model import Collection

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MAX_IMPORT_BYTES",
    "CurlCommand",
    "ImportFailed",
    "Imported",
    "detect",
    "export_curl_script",
    "export_har",
    "export_postman",
    "export_snippets",
    "har_json",
    "import_bytes",
    "import_curl",
    "import_file",
    "import_har",
    "import_insomnia",
    "import_postman",
    "looks_like_curl",
    "parse_curl",
    "parse_curl_command",
    "postman_json",
]

FORMATS = {
    "postman": "a Postman collection",
    "insomnia": "an Insomnia export",
    "har": "a HAR file",
    "curl": "a curl command",
    "openapi": "an OpenAPI document",
}
"""The formats `import_file` reads, and how a message names each."""
MAX_IMPORT_BYTES = 100 * 1024 * 1024
"""A file larger than this is refused (the size cap of an OpenAPI document)."""


@dataclass(frozen=True)
class Imported:
    """What an import made: the collection (not written yet), the warnings, the format."""

    collection: Collection
    warnings: list[str] = field(default_factory=list)
    format: str = ""


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise ImportFailed(f"larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB", str(path))
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"could not be read: {exc.strerror}", str(path)) from None


def _parse(data: bytes, source: str) -> tuple[str, Any]:
    """(the format, the parsed document: JSON or YAML data, or the text of a curl command)."""
    import orjson

    raw = data.removeprefix(b"\xef\xbb\xbf")
    if not raw.strip():
        raise ImportFailed("the file is empty", source)
    stripped = raw.lstrip()
    if stripped[:1] in (b"{", b"["):
        try:
            doc = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ImportFailed(f"not valid JSON: {exc}", source) from None
        return _json_format(doc, source), doc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFailed(
            "not text: not a Postman, Insomnia, HAR, curl or OpenAPI file", source
        ) from None
    if looks_like_curl(text):
        return "curl", text
    from explorer.errors import ExplorerError
    from explorer.spec._yaml import parse_yaml

    try:
        doc = parse_yaml(raw, source or "<import>")
    except ExplorerError:
        doc = None
    if isinstance(doc, dict):
        if "openapi" in doc or "swagger" in doc:
            return "openapi", doc
        if str(doc.get("type", "")).startswith("collection.insomnia.rest/"):
            raise ImportFailed(
                f"an Insomnia export of format {doc['type'].rsplit('/', 1)[-1]}: export it as "
                "Insomnia v4 (JSON)",
                source,
            )
    raise ImportFailed(
        "not a Postman collection, an Insomnia export, a HAR file, a curl command or an "
        "OpenAPI document",
        source,
    )


def _json_format(doc: Any, source: str) -> str:
    if isinstance(doc, dict):
        if "openapi" in doc or "swagger" in doc:
            return "openapi"
        if is_insomnia(doc):
            return "insomnia"
        if is_har(doc):
            return "har"
        if is_postman(doc) or ("info" in doc and "item" in doc):
            return "postman"
    raise ImportFailed(
        "JSON, but not a Postman collection, an Insomnia export, a HAR file or an OpenAPI document",
        source,
    )


def detect(source: Path | str | bytes) -> str:
    """Which format a file (a path) or its bytes are in: a key of `FORMATS`. Raises
    ImportFailed when it is none of them (or cannot be read)."""
    if isinstance(source, bytes):
        return _parse(source, "")[0]
    path = Path(source)
    return _parse(_read(path), str(path))[0]


def import_bytes(
    data: bytes, format: str = "auto", *, source: str = "", spec: str = ""
) -> Imported:
    """The collection in `data`. `format` is what the file is said to be ("auto": what
    `detect` finds); a file that is not that raises ImportFailed. `spec` is what the
    collection's `spec` becomes for an OpenAPI document (where it is read from)."""
    if format != "auto" and format not in FORMATS:
        raise ImportFailed(f"no import format {format!r}; one of: {', '.join(FORMATS)}", source)
    found, doc = _parse(data, source)
    if format not in ("auto", found):
        raise ImportFailed(f"this is {FORMATS[found]}, not {FORMATS[format]}", source)
    if found == "postman":
        col, warnings = import_postman(doc, source)
    elif found == "insomnia":
        col, warnings = import_insomnia(doc, source)
    elif found == "har":
        col, warnings = import_har(doc, source)
    elif found == "curl":
        col, warnings = import_curl(doc, source)
    else:
        col, warnings = _openapi(data, source, spec)
    return Imported(col, warnings, found)


def _openapi(data: bytes, source: str, spec_ref: str) -> tuple[Collection, list[str]]:
    from explorer import spec
    from explorer.collection.formats.openapi import import_openapi

    try:
        api = spec.load(source) if source and os.path.isfile(source) else spec.load_bytes(data)
    except spec.SpecError as exc:
        raise ImportFailed(f"the OpenAPI document cannot be used: {exc.message}", source) from None
    return import_openapi(api, spec=spec_ref or source)


def import_file(path: Path | str, format: str = "auto", *, to: Path | None = None) -> Imported:
    """The collection in the file at `path` (see `import_bytes`). `to` is the folder the
    collection will be written to: an OpenAPI document is named relative to it."""
    path = Path(path)
    spec_ref = ""
    if to is not None:
        spec_ref = os.path.relpath(path.resolve(), to.resolve())
    return import_bytes(_read(path), format, source=str(path), spec=spec_ref)


def postman_json(doc: dict[str, Any]) -> str:
    """A Postman collection as the text of its .json file."""
    import json

    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
