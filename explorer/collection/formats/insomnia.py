"""Insomnia exports (format 4, "Insomnia v4 (JSON)"): import. No Qt, no I/O.

    col, warnings = import_insomnia(json_doc)

The workspace becomes the collection, request groups its folders, requests its requests
(in Insomnia's order); the base environment's variables become the collection's
variables (nested ones as `{{api.host}}`). Insomnia's `{{ _.name }}` is `{{name}}` here.
Sub-environments, cookie jars, template tags (`{% response ... %}`) and scripts cannot be
carried over: the warnings say so. A credential becomes a slot name; its secret is not
imported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from explorer.collection.formats._common import (
    DEFAULT_SLOTS,
    MAX_DEPTH,
    ImportFailed,
    Notes,
    as_list,
    as_map,
    as_text,
    decode_path_value,
    decode_query,
    keep_variables,
    secret_note,
    sort_headers,
    split_query,
)
from explorer.collection.model import Body, Collection, Folder, FormField, SavedRequest, Settings

__all__ = ["import_insomnia", "is_insomnia"]

_TEMPLATE = re.compile(r"\{\{\s*(?:_\.)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\}")
_TAG = re.compile(r"\{%.*?%\}", re.S)
_VARIABLE_ONLY = re.compile(r"^\s*\{\{([^{}\s]+)\}\}\s*$")


def is_insomnia(doc: Any) -> bool:
    """`doc` (parsed JSON) is an Insomnia export (of any format)."""
    data = as_map(doc)
    return data.get("_type") == "export" and "__export_format" in data


def import_insomnia(doc: Any, source: str = "") -> tuple[Collection, list[str]]:
    """The collection an Insomnia v4 export describes, and what could not be carried over."""
    if not is_insomnia(doc):
        raise ImportFailed("not an Insomnia export: no _type export", source)
    version = doc.get("__export_format")
    if version != 4:
        raise ImportFailed(
            f"an Insomnia export of format {version}: export it as Insomnia v4 (JSON)", source
        )
    resources = doc.get("resources")
    if not isinstance(resources, list):
        raise ImportFailed("not an Insomnia export: resources is not a list", source, "/resources")
    notes = Notes()
    by_parent: dict[str, list[Mapping[str, Any]]] = {}
    workspaces = []
    for raw in resources:
        res = as_map(raw)
        kind = as_text(res.get("_type"))
        if kind == "workspace":
            workspaces.append(res)
        by_parent.setdefault(as_text(res.get("parentId")), []).append(res)
    if not workspaces:
        raise ImportFailed("an Insomnia export without a workspace", source)
    importer = _Importer(by_parent, notes)
    if len(workspaces) == 1:
        ws = workspaces[0]
        col = Collection(
            name=as_text(ws.get("name")) or "Insomnia workspace",
            description=as_text(ws.get("description")),
            variables=importer.variables(ws),
        )
        col.root = Folder("", importer.children(as_text(ws.get("_id")), {}))
    else:
        col = Collection("Insomnia workspaces")
        folders: list[Folder | SavedRequest] = []
        for ws in workspaces:
            col.variables.update(importer.variables(ws))
            name = as_text(ws.get("name")) or "workspace"
            folders.append(Folder(name, importer.children(as_text(ws.get("_id")), {})))
        col.root = Folder("", folders)
    return col, notes.items


def _sort_key(res: Mapping[str, Any]) -> tuple[float, str]:
    key = res.get("metaSortKey")
    number = float(key) if isinstance(key, int | float) and not isinstance(key, bool) else 0.0
    return number, as_text(res.get("name"))


def _template(text: str) -> str:
    """Insomnia's `{{ _.name }}` as `{{name}}`."""
    return _TEMPLATE.sub(lambda m: "{{" + m.group(1) + "}}", text)


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False)
        elif value is not None:
            out[name] = _template(as_text(value))
    return out


class _Importer:
    def __init__(self, by_parent: dict[str, list[Mapping[str, Any]]], notes: Notes) -> None:
        self.by_parent = by_parent
        self.notes = notes
        self.seen: set[str] = set()
        """Parents already read: a file whose parentIds make a loop is read once."""

    def variables(self, workspace: Mapping[str, Any]) -> dict[str, str]:
        """The base environment's variables; sub-environments and cookie jars noted."""
        out: dict[str, str] = {}
        for res in self.by_parent.get(as_text(workspace.get("_id")), []):
            kind = res.get("_type")
            if kind == "environment":
                out.update(_flatten(as_map(res.get("data"))))
                subs = [
                    as_text(s.get("name"))
                    for s in self.by_parent.get(as_text(res.get("_id")), [])
                    if s.get("_type") == "environment"
                ]
                if subs:
                    self.notes.add(
                        "sub-environments not imported (only the base environment's "
                        "variables are): "
                        + ", ".join(repr(s) for s in subs)
                        + "; create them in explorer's environments"
                    )
            elif kind == "cookie_jar" and as_list(res.get("cookies")):
                self.notes.add("the cookie jar was not imported (its cookies are a session)")
        return out

    def children(
        self, parent: str, auth: Mapping[str, Any], depth: int = 0
    ) -> list[Folder | SavedRequest]:
        out: list[Folder | SavedRequest] = []
        if parent in self.seen:
            self.notes.add(f"a request group ({parent}) contains itself: read once")
            return out
        self.seen.add(parent)
        if depth > MAX_DEPTH:
            self.notes.add(f"folders nested deeper than {MAX_DEPTH} levels were left out")
            return out
        for res in sorted(self.by_parent.get(parent, []), key=_sort_key):
            kind = as_text(res.get("_type"))
            name = as_text(res.get("name")) or kind
            if kind == "request_group":
                own = as_map(res.get("authentication"))
                group_auth = own if _active(own) else auth
                if as_map(res.get("environment")):
                    self.notes.add(f"folder {name!r}: its environment was not imported")
                children = self.children(as_text(res.get("_id")), group_auth, depth + 1)
                out.append(Folder(name, children))
            elif kind == "request":
                req = self.request(res, name, auth)
                if req is not None:
                    out.append(req)
            elif kind in ("grpc_request", "websocket_request", "graphql_request"):
                self.notes.add(f"{name!r}: a {kind.replace('_', ' ')} cannot be imported")
        return out

    def request(
        self, res: Mapping[str, Any], name: str, parent_auth: Mapping[str, Any]
    ) -> SavedRequest | None:
        where = repr(name)
        raw_url = as_text(res.get("url"))
        if _TAG.search(json.dumps(res, ensure_ascii=False)):
            self.notes.add(f"{where}: Insomnia template tags ({{% ... %}}) cannot run here")
        url = _template(raw_url).split("#", 1)[0].strip()
        if not url:
            self.notes.add(f"{where}: it has no URL, left out")
            return None
        method = (as_text(res.get("method")) or "GET").strip().upper()
        if not method.replace("-", "").isalnum() or not method.isascii():
            self.notes.add(f"{where}: the method {method!r} is not an HTTP method, left out")
            return None
        base, _, query_string = url.partition("?")
        query = list(split_query(query_string))
        for p in map(as_map, as_list(res.get("parameters"))):
            if as_text(p.get("name")) and not p.get("disabled"):
                query.append(
                    (
                        _template(as_text(p.get("name"))),
                        decode_query(_template(as_text(p.get("value")))),
                    )
                )
        template, path = _path(base, res)
        rows = [
            (_template(as_text(h.get("name"))), _template(as_text(h.get("value"))))
            for h in map(as_map, as_list(res.get("headers")))
            if as_text(h.get("name")) and not h.get("disabled")
        ]
        sorted_ = sort_headers(rows, where, self.notes)
        body = self.body(as_map(res.get("body")), sorted_.content_type, where)
        if body is None and sorted_.content_type:
            sorted_.headers.append(("Content-Type", sorted_.content_type))
        own = as_map(res.get("authentication"))
        auth = self.auth(
            own if _active(own) or own.get("type") == "none" else parent_auth,
            where,
            sorted_.slots,
            sorted_.headers,
            query,
        )
        follow = as_text(res.get("settingFollowRedirects"))
        return SavedRequest(
            name=name,
            method=method,
            url=template,
            description=as_text(res.get("description")),
            path=tuple(path),
            query=tuple(query),
            headers=tuple(sorted_.headers),
            cookies=tuple(sorted_.cookies),
            body=body,
            auth=auth,
            settings=Settings(None, {"on": True, "off": False}.get(follow), None),
        )

    def body(self, body: Mapping[str, Any], content_type: str, where: str) -> Body | None:
        if not body:
            return None
        mime = as_text(body.get("mimeType")) or content_type
        essence = mime.split(";", 1)[0].strip().lower()
        params = as_list(body.get("params"))
        if essence in ("application/x-www-form-urlencoded", "multipart/form-data"):
            fields = []
            for p in map(as_map, params):
                key = _template(as_text(p.get("name")))
                if not key or p.get("disabled"):
                    continue
                if p.get("type") == "file":
                    if not as_text(p.get("fileName")):
                        self.notes.add(f"{where}: the file field {key} names no file, left out")
                        continue
                    fields.append(FormField(key, file=as_text(p.get("fileName"))))
                else:
                    fields.append(FormField(key, _template(as_text(p.get("value")))))
            return Body(content_type or essence, fields=tuple(fields))
        if as_text(body.get("fileName")):
            self.notes.add(
                f"{where}: its body is the file {as_text(body.get('fileName'))}: not imported"
            )
            return None
        text = _template(as_text(body.get("text")))
        if essence == "application/graphql":
            return Body("application/json", text)
        if not text:
            return None
        return Body(content_type or mime or "text/plain", text)

    def auth(
        self,
        auth: Mapping[str, Any],
        where: str,
        slots: list[str],
        headers: list[tuple[str, str]],
        query: list[tuple[str, Any]],
    ) -> Any:
        kind = as_text(auth.get("type"))
        if kind == "none" and not slots:
            return "none"
        if _active(auth):
            if kind in ("bearer", "basic", "apikey"):
                field = {"bearer": "token", "basic": "password", "apikey": "value"}[kind]
                secret = _template(as_text(auth.get(field)))
                named = _VARIABLE_ONLY.match(secret)
                slot = named.group(1) if named else DEFAULT_SLOTS[kind]
                if not named and secret:
                    user = as_text(auth.get("username")) if kind == "basic" else ""
                    secret_note(where, slot, kind, self.notes, user=user)
                if kind == "apikey" and not named:
                    self.notes.add(
                        f"{where}: its API key goes in the "
                        f"{as_text(auth.get('addTo')) or 'header'} {as_text(auth.get('key'))!r}: "
                        f"the slot {slot!r} must say so"
                    )
                if slot not in slots:
                    slots.insert(0, slot)
            else:
                self.notes.add(f"{where}: its {kind} authentication is not supported, left out")
        return tuple(slots) if slots else "inherit"


def _active(auth: Mapping[str, Any]) -> bool:
    kind = as_text(auth.get("type"))
    return bool(kind) and kind not in ("none", "inherit") and not auth.get("disabled")


def _path(base: str, res: Mapping[str, Any]) -> tuple[str, list[tuple[str, Any]]]:
    """The URL template (`:name` segments as `{name}`) and the path parameters' values."""
    values = {
        as_text(p.get("name")): decode_path_value(_template(as_text(p.get("value"))))
        for p in map(as_map, as_list(res.get("pathParameters")))
        if as_text(p.get("name"))
    }
    after = base.find("://")
    start = base.find("/", after + 3 if after >= 0 else 0)
    if start < 0:
        return base, []
    names: list[str] = []
    out = []
    for seg in base[start:].split("/"):
        if seg.startswith(":") and len(seg) > 1 and seg[1:] in values:
            names.append(seg[1:])
            out.append("{" + seg[1:] + "}")
        else:
            out.append(keep_variables(seg, lambda s: s.replace("{", "%7B").replace("}", "%7D")))
    return base[:start] + "/".join(out), [(n, values[n]) for n in names]
