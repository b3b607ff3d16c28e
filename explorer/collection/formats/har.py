"""HAR 1.2 (HTTP Archive, what browsers' developer tools save): import and export. No Qt.

    col, warnings = import_har(json_doc)           # one request per entry, responses left out
    doc, warnings = export_har(col, variables={"baseUrl": "http://127.0.0.1:8642/api"})

Importing keeps each entry's request: method, URL (the most used origin becomes
`{{baseUrl}}`), query, headers, cookies, body; the responses are left out. A capture
holds live credentials: Authorization headers become credential slots and cookies are
left out (both said in the warnings); nothing secret is kept.

Exporting writes each saved request as the explorer would send it (the one conversion,
`explorer.collection.convert`, then `build_request`), `{{variables}}` filled from the
variables given; credentials are not written (a HAR has no place for a secret that is
not its value), and each entry's response is empty (status 0), as HAR requires one.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from explorer.collection.formats._common import (
    ImportFailed,
    Notes,
    as_list,
    as_map,
    as_text,
    keep_variables,
    sort_headers,
    split_query,
)
from explorer.collection.model import Body, Collection, Folder, FormField, SavedRequest

if TYPE_CHECKING:
    from explorer.spec.model import Spec

__all__ = ["export_har", "import_har", "is_har"]


def is_har(doc: Any) -> bool:
    """`doc` (parsed JSON) is an HTTP Archive: a `log` with `entries`."""
    return isinstance(as_map(doc).get("log"), Mapping) and "entries" in doc["log"]


def import_har(doc: Any, source: str = "") -> tuple[Collection, list[str]]:
    """One saved request per entry of a HAR file, and what could not be carried over."""
    if not is_har(doc):
        raise ImportFailed("not a HAR file: there is no log with entries", source)
    entries = doc["log"]["entries"]
    if not isinstance(entries, list):
        raise ImportFailed("not a HAR file: log.entries is not a list", source, "/log/entries")
    notes = Notes()
    requests = [as_map(as_map(e).get("request")) for e in entries]
    origins = Counter(_origin(as_text(r.get("url"))) for r in requests)
    origins.pop("", None)
    base = origins.most_common(1)[0][0] if origins else ""
    items: list[Folder | SavedRequest] = []
    for index, request in enumerate(requests):
        req = _request(request, index, base, notes)
        if req is not None:
            items.append(req)
    creator = as_map(doc["log"].get("creator"))
    name = f"HAR from {as_text(creator.get('name'))}" if creator.get("name") else "HAR import"
    col = Collection(name, variables={"baseUrl": base} if base else {})
    col.root = Folder("", items)
    return col, notes.items


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def _request(
    request: Mapping[str, Any], index: int, base: str, notes: Notes
) -> SavedRequest | None:
    url = as_text(request.get("url")).split("#", 1)[0]
    method = as_text(request.get("method")).strip().upper()
    where = f"entry {index + 1}"
    if not url or not method.replace("-", "").isalnum() or not method.isascii():
        notes.add(f"{where}: no URL or method, left out")
        return None
    address, _, query_string = url.partition("?")
    path = address[len(base) :] if base and address.startswith(base) else ""
    template = "{{baseUrl}}" + path if base and address.startswith(base) else address
    template = keep_variables(template, lambda s: s.replace("{", "%7B").replace("}", "%7D"))
    where = f"{method} {path or address}"
    rows = [
        (as_text(h.get("name")), as_text(h.get("value")))
        for h in map(as_map, as_list(request.get("headers")))
        if as_text(h.get("name")) and not _browser_own(as_text(h.get("name")))
    ]
    sorted_ = sort_headers(rows, where, notes, keep_cookies=False)
    if as_list(request.get("cookies")) and not any(k.lower() == "cookie" for k, _v in rows):
        notes.add(f"{where}: its cookies were left out (a capture's cookies are a session)")
    body = _body(as_map(request.get("postData")), sorted_.content_type, where, notes)
    if body is None and sorted_.content_type:
        sorted_.headers.append(("Content-Type", sorted_.content_type))
    return SavedRequest(
        name=where,
        method=method,
        url=template,
        query=tuple(split_query(query_string)),
        headers=tuple(sorted_.headers),
        body=body,
        auth=tuple(sorted_.slots) if sorted_.slots else "inherit",
    )


def _browser_own(name: str) -> bool:
    """A header the browser adds by itself (Accept-Encoding, Sec-Fetch-*, Sec-CH-*):
    explorer's client writes its own."""
    low = name.lower()
    return low == "accept-encoding" or low.startswith("sec-")


def _body(post: Mapping[str, Any], content_type: str, where: str, notes: Notes) -> Body | None:
    if not post:
        return None
    media = as_text(post.get("mimeType")) or content_type or "application/octet-stream"
    media = content_type or media
    params = as_list(post.get("params"))
    essence = media.split(";", 1)[0].strip().lower()
    if params and essence.startswith("multipart/"):
        fields = []
        for p in map(as_map, params):
            name = as_text(p.get("name"))
            if not name:
                continue
            if p.get("fileName"):
                notes.add(
                    f"{where}: the file {as_text(p.get('fileName'))} of {name} was not in "
                    "the capture; choose it again"
                )
                fields.append(
                    FormField(
                        name,
                        file=as_text(p.get("fileName")),
                        content_type=as_text(p.get("contentType")),
                    )
                )
            else:
                fields.append(FormField(name, as_text(p.get("value"))))
        return Body(essence, fields=tuple(fields))
    text = as_text(post.get("text"))
    if not text and params:
        from urllib.parse import urlencode

        text = urlencode(
            [(as_text(p.get("name")), as_text(p.get("value"))) for p in map(as_map, params)]
        )
    if not text and not post.get("mimeType"):
        return None
    return Body(media, text)


# -- export -----------------------------------------------------------------------------


def export_har(
    col: Collection,
    *,
    variables: Mapping[str, str] | None = None,
    api: Spec | None = None,
    folder: Path | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The HAR 1.2 document of `col`'s requests (a JSON-able dict) as they would be sent,
    `{{variables}}` filled from `variables` (the collection's own, then these), and what
    could not be written (a request with an unknown variable, a credential)."""
    from explorer import __version__
    from explorer.collection.formats.sending import prepare_all

    notes = Notes()
    entries = []
    for one in prepare_all(col, variables or {}, api, folder, notes):
        if one.saved.auth != "none" and _uses_credentials(one.saved, api):
            notes.add(f"{one.where}: its credentials are not written into a HAR")
        entries.append(_entry(one.prepared))
    doc = {
        "log": {
            "version": "1.2",
            "creator": {"name": "explorer", "version": __version__},
            "pages": [],
            "entries": entries,
        }
    }
    return doc, notes.items


def _uses_credentials(saved: SavedRequest, api: Spec | None) -> bool:
    if isinstance(saved.auth, tuple):
        return bool(saved.auth)
    op = api.find(saved.operation) if api is not None and saved.operation else None
    return op is not None and any(op.security)


def _entry(prepared: Any) -> dict[str, Any]:
    from urllib.parse import parse_qsl

    query = urlsplit(prepared.url).query
    headers = [{"name": k, "value": v} for k, v in prepared.headers]
    request: dict[str, Any] = {
        "method": prepared.method,
        "url": prepared.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": headers,
        "queryString": [
            {"name": k, "value": v} for k, v in parse_qsl(query, keep_blank_values=True)
        ],
        "headersSize": -1,
        "bodySize": 0,
    }
    content_type = next((v for k, v in prepared.headers if k.lower() == "content-type"), "")
    if prepared.content is not None:
        text = prepared.content.decode("utf-8", errors="replace")
        request["postData"] = {"mimeType": content_type, "text": text}
        request["bodySize"] = len(prepared.content)
    elif prepared.form or prepared.files:
        params: list[dict[str, str]] = [{"name": k, "value": v} for k, v in prepared.form]
        for name, path, ctype in prepared.files:
            part = {"name": name, "fileName": path}
            if ctype:
                part["contentType"] = ctype
            params.append(part)
        request["postData"] = {"mimeType": "multipart/form-data", "params": params}
        request["bodySize"] = -1
    return {
        "startedDateTime": "1970-01-01T00:00:00.000Z",
        "time": 0,
        "request": request,
        "response": {
            "status": 0,
            "statusText": "",
            "httpVersion": "",
            "cookies": [],
            "headers": [],
            "content": {"size": 0, "mimeType": ""},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
        },
        "cache": {},
        "timings": {"send": 0, "wait": 0, "receive": 0},
    }


def har_json(doc: dict[str, Any]) -> str:
    """The HAR document as the text of a .har file."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
