"""An OpenAPI document as a collection: one saved request per operation. No Qt, no I/O.

    col, warnings = import_openapi(api, spec="../openapi.json")

Folders are the document's modules (its tags, or path segments for untagged documents),
in its order. Each request is linked to its operation (`operation: "POST /contacts"`),
its URL is `{{baseUrl}}` + the path (the collection's `baseUrl` variable is the first
server), and its values are the ones the window starts with: path parameters and required
query, header and cookie parameters from their examples or a sample of their schema, the
body from the media type's example or a sample (`explorer.http.media.initial_text`, the
one generator), form fields likewise. Credentials are inherited: the operation's security
names the slots.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from explorer.collection.formats._common import Notes
from explorer.collection.model import Body, Collection, Folder, FormField, SavedRequest

if TYPE_CHECKING:
    from explorer.spec.form import FormEntry
    from explorer.spec.model import MediaType, Operation, Spec

__all__ = ["import_openapi", "request_for_operation"]

SAMPLE_LIMIT = 10_000
"""Values a sample may hold (a schema whose parts multiply is cut short with a note)."""
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


def import_openapi(api: Spec, *, spec: str = "") -> tuple[Collection, list[str]]:
    """The collection of every operation of `api` (one folder per module); `spec` is where
    the collection finds the document (relative to its folder, or a URL)."""
    notes = Notes()
    servers = api.servers
    variables = {"baseUrl": servers[0].resolve()} if servers else {}
    if not servers:
        notes.add("the document names no server: set baseUrl in the environment")
    folders: list[Folder | SavedRequest] = []
    for module in api.modules:
        items: list[Folder | SavedRequest] = []
        for op in module.operations:
            if op.servers and servers and op.servers[0].url != servers[0].url:
                notes.add(f"{op.key}: it has servers of its own; its URL uses {{{{baseUrl}}}}")
            items.append(request_for_operation(op, notes))
        if items:
            folders.append(Folder(module.name or "operations", items))
    col = Collection(
        name=api.title or "OpenAPI",
        spec=spec,
        variables=variables,
        description=_first_paragraph(api.description),
    )
    col.root = Folder("", folders)
    return col, notes.items


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n", 1)[0].strip()


def request_for_operation(op: Operation, notes: Notes | None = None) -> SavedRequest:
    """The saved request the window would start with for `op`."""
    from explorer.spec.form import entries_from_parameters

    notes = notes if notes is not None else Notes()
    where = op.key
    values: dict[str, list[tuple[str, Any]]] = {"path": [], "query": [], "header": [], "cookie": []}
    for entry in entries_from_parameters(op.parameters):
        if entry.location not in values or not (entry.required or entry.location == "path"):
            continue
        if entry.location == "header" and entry.name.lower() in _IGNORED_HEADERS:
            continue
        value = _value(entry, where, notes)
        if entry.location in ("header", "cookie") and not isinstance(value, str):
            value = _text(value)
        values[entry.location].append((entry.name, value))
    return SavedRequest(
        name=op.title,
        method=op.method,
        url="{{baseUrl}}" + op.path,
        operation=op.key,
        path=tuple(values["path"]),
        query=tuple(values["query"]),
        headers=tuple(values["header"]),
        cookies=tuple(values["cookie"]),
        body=_body(op, where, notes),
    )


def _value(entry: FormEntry, where: str, notes: Notes) -> Any:
    if entry.example is not None:
        return entry.example
    return _sample(entry.schema, f"{where} {entry.name}", notes)


def _sample(schema: Any, where: str, notes: Notes) -> Any:
    from explorer.spec.schema import SampleTooLarge, sample

    try:
        value = sample(schema, "request", limit=SAMPLE_LIMIT)
    except SampleTooLarge:
        notes.add(f"{where}: its schema makes too large a sample: left empty")
        return ""
    return "" if value is None else value


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def _body(op: Operation, where: str, notes: Notes) -> Body | None:
    from explorer.http.media import initial_text, media_kind

    body = op.request_body
    if body is None or not body.content:
        return None
    media = body.content[0]
    kind = media_kind(media.media_type)
    if kind in ("urlencoded", "multipart"):
        return Body(media.media_type, fields=_fields(media, where, notes))
    from explorer.spec.schema import SampleTooLarge

    try:
        text = initial_text(media, 0)
    except SampleTooLarge:
        notes.add(f"{where}: its body's schema makes too large a sample: left empty")
        text = ""
    return Body(media.media_type, text)


def _fields(media: MediaType, where: str, notes: Notes) -> tuple[FormField, ...]:
    from explorer.spec.form import entries_from_schema
    from explorer.spec.values import is_binary

    example = media.examples[0].value if media.examples else None
    out = []
    for entry in entries_from_schema(media.schema):
        if is_binary(entry.schema):
            continue  # a file: chosen in the window
        if isinstance(example, dict) and entry.name in example:
            value = example[entry.name]
        else:
            value = _value(entry, f"{where} {entry.name}", notes)
        out.append(FormField(entry.name, _text(value)))
    return tuple(out)
