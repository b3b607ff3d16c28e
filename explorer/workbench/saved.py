"""A tab's request and a saved request (a collection file), each made from the other. No Qt.

    result = saved_from_state(state, op, base_url="http://127.0.0.1:5000/api",
                              variables={"baseUrl": "http://127.0.0.1:5000/api"})
    result.request        # SavedRequest: url "{{baseUrl}}/contacts/{contactId}", path, query, ...
    result.left_out       # ("header Authorization", "body password"): secrets not written
    state = state_from_saved(saved, op)      # what the editor's restore_state() takes

The editor's state (`RequestEditor.state()`) holds what was typed, as typed; a saved request
holds what is sent, typed (numbers, booleans, lists) and keyed by where it goes. What is
written passes through `explorer.workbench.redact.redact_state` first, so a secret typed
anywhere (a header, a query key, a password field of the body, a proxy password) never
reaches the file; a value that only names variables (`Bearer {{token}}`) is kept, and the
Auth tab's typed credentials are never in the state at all. What the editor cannot show (a
description, checks, the environment, the credential slots, extra cookies) is carried over
from the request as it was in its file (`previous`) when it is saved again.

The base URL is written as `{{name}}` when a variable (the environment's `baseUrl`, the
demo's local server) holds exactly that URL, so that a collection does not depend on one
run's port or one machine's server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.collection.model import Body, FormField, SavedRequest, Settings

if TYPE_CHECKING:
    from explorer.spec.model import MediaType, Operation, Spec

__all__ = [
    "BASE_VARIABLE",
    "SaveResult",
    "SavedLink",
    "comparable",
    "default_name",
    "link_request",
    "operation_for",
    "request_from_curl",
    "saved_from_state",
    "state_from_saved",
    "unchanged",
]

BASE_VARIABLE = "baseUrl"
"""The variable a base URL is written as first, when it holds that URL."""
NO_BODY = "(no body)"
"""The body editor's media type for no body (explorer.ui.request.body.NO_BODY)."""
DEFAULT_TIMEOUT = 30.0
_VIEW_KEYS = ("tab", "examples")
"""Parts of an editor state that say how it is shown, not what is sent."""


@dataclass(frozen=True)
class SavedLink:
    """Where a tab's request is saved: the collection folder, the folders below it and the
    file's name without `.yaml` (the store's own terms). `request` is what the file held
    when the tab last read or wrote it (not persisted: the file is)."""

    root: str
    folder: tuple[str, ...]
    file: str
    request: SavedRequest | None = None

    @property
    def path(self) -> Path:
        return Path(self.root).joinpath(*self.folder, self.file + ".yaml")

    def to_data(self) -> dict[str, Any]:
        return {"root": self.root, "folder": list(self.folder), "file": self.file}

    @classmethod
    def from_data(cls, data: Any) -> SavedLink | None:
        """A link from `to_data()`'s mapping; None when it is not one."""
        if not isinstance(data, Mapping):
            return None
        root, folder, file = data.get("root"), data.get("folder"), data.get("file")
        if not (isinstance(root, str) and root and isinstance(file, str) and file):
            return None
        if not isinstance(folder, list) or not all(isinstance(f, str) and f for f in folder):
            return None
        return cls(root, tuple(folder), file)

    def same_file(self, other: SavedLink | None) -> bool:
        return other is not None and (self.root, self.folder, self.file) == (
            other.root,
            other.folder,
            other.file,
        )


@dataclass(frozen=True)
class SaveResult:
    """A saved request made from a tab, and what of the tab was left out of it (secrets)."""

    request: SavedRequest
    left_out: tuple[str, ...] = ()


def comparable(state: Mapping[str, Any] | None) -> dict[str, Any]:
    """A state without what only changes how it is shown (the chosen editor tab): two
    states that send the same request compare equal (the unsaved-changes mark)."""
    return {k: v for k, v in (state or {}).items() if k not in _VIEW_KEYS}


def default_name(op: Operation | None, method: str, url: str) -> str:
    """A name for a request saved for the first time: the endpoint's summary, else its
    method and path."""
    if op is not None:
        return op.summary.strip() or f"{op.method} {op.path}"
    from explorer.workbench.address import split_address

    parts = split_address(url)
    path = parts.path if parts is not None else url
    return f"{method} {path or '/'}"[:120]


# -- from a tab ---------------------------------------------------------------------------


def saved_from_state(
    state: Mapping[str, Any],
    op: Operation | None,
    *,
    base_url: str,
    variables: Mapping[str, str] | None = None,
    name: str = "",
    passwords: frozenset[str] = frozenset(),
    previous: SavedRequest | None = None,
) -> SaveResult:
    """The saved request for a tab's editor `state` (see the module docstring).

    `base_url` is the base the editor sends to (its server, or the ad-hoc URL's origin
    and base path); `variables` may name it; `passwords` are the fields the operation
    marks `format: password`; `previous` is the request as its file holds it now."""
    from explorer.workbench.redact import redact_state

    clean = redact_state(state, passwords, keep_variables=True)
    left_out = tuple(_left_out(state, clean))
    clean = _without_emptied(state, clean)
    method = (op.method if op is not None else str(clean.get("method") or "GET")).upper()
    base = _base_with_variable(base_url, variables or {})
    path_values: list[tuple[str, Any]] = []
    query: list[tuple[str, Any]] = []
    headers: list[tuple[str, str]] = []
    cookies: list[tuple[str, str]] = []
    by_location = {"path": path_values, "query": query}
    schemas = {f"{p.location}:{p.name}": p.schema for p in op.parameters} if op else {}
    params = clean.get("params")
    for key, item in params.items() if isinstance(params, Mapping) else ():
        if not isinstance(item, Mapping) or not item.get("include", True):
            continue
        location, _, pname = str(key).partition(":")
        value = _typed(item.get("value"), schemas.get(str(key)))
        if _empty(value):
            continue
        if location in by_location:
            by_location[location].append((pname, value))
        elif location == "header":
            headers.append((pname, _text(value)))
        elif location == "cookie":
            cookies.append((pname, _text(value)))
    query += [(n, v) for n, v in _rows(clean.get("query"))]
    headers += [(n, v) for n, v in _rows(clean.get("headers"))]
    if op is not None:
        url = base + op.path
    else:
        address = clean.get("address")
        address = address if isinstance(address, Mapping) else {}
        url = _base_with_variable(str(address.get("base") or ""), variables or {}) + str(
            address.get("path") or ""
        )
    saved = SavedRequest(
        name=name or (previous.name if previous else "") or default_name(op, method, url),
        method=method,
        url=url,
        operation=op.key if op is not None else "",
        path=tuple(path_values),
        query=tuple(query),
        headers=tuple(headers),
        cookies=tuple(cookies),
        body=_body_from_state(clean.get("body"), op),
        settings=_settings_from_state(clean.get("settings")),
    )
    if previous is not None:
        saved = _carry_over(saved, previous, op)
    return SaveResult(saved, left_out)


def _carry_over(saved: SavedRequest, previous: SavedRequest, op: Operation | None) -> SavedRequest:
    """What the editor does not show, taken from the file as it was."""
    declared = {p.name for p in op.parameters if p.location == "cookie"} if op else set()
    names = {n for n, _v in saved.cookies}
    cookies = saved.cookies + tuple(
        (n, v) for n, v in previous.cookies if n not in declared and n not in names
    )
    return replace(
        saved,
        description=previous.description,
        cookies=cookies,
        auth=previous.auth,
        environment=previous.environment,
        checks=previous.checks,
        seq=previous.seq,
        file=previous.file,
    )


def _base_with_variable(base: str, variables: Mapping[str, str]) -> str:
    """`base` with the variable that holds its start written instead (`{{baseUrl}}`,
    `{{baseUrl}}/v2`): baseUrl first, then the longest."""
    base = base.rstrip("/")
    if not base or base.startswith("{{"):
        return base
    names = sorted(variables, key=lambda n: (n != BASE_VARIABLE, -len(variables[n])))
    for name in names:
        value = variables[name].rstrip("/")
        if value and (base == value or base.startswith(value + "/")):
            return "{{" + name + "}}" + base[len(value) :]
    return base


def _resolve_base(url: str, variables: Mapping[str, str]) -> str:
    """`url` with a leading `{{name}}` filled in when `variables` has it (the editor then
    shows the server it names; saving writes the variable again)."""
    from explorer.workbench.variables import VARIABLE

    match = VARIABLE.match(url)
    if match is None or not variables.get(match.group(1)):
        return url
    return variables[match.group(1)].rstrip("/") + url[match.end() :]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _text(value: Any) -> str:
    from explorer.spec.values import format_value

    return value if isinstance(value, str) else format_value(value)


def _typed(raw: Any, schema: Mapping[str, Any] | None) -> Any:
    """A form field's raw value as the value sent (typed by its schema when it parses;
    as typed otherwise; empty items of a list left out, as the form leaves them)."""
    from explorer.spec.values import effective_schema, to_value

    if isinstance(raw, list):
        items = effective_schema(schema).get("items") if schema is not None else None
        return [_typed(v, items) for v in raw if not _empty(v)]
    if isinstance(raw, str) and schema is not None and raw != "":
        try:
            return to_value(raw, schema)
        except ValueError:
            return raw
    return raw


def _rows(rows: Any) -> list[tuple[str, str]]:
    """The enabled rows of a key/value table that have a name (and a value left)."""
    out: list[tuple[str, str]] = []
    if isinstance(rows, list):
        for row in rows:
            if isinstance(row, list) and len(row) >= 3 and row[0] and str(row[1]).strip():
                if len(row) > 3 and row[3] is True:
                    continue  # a file row (multipart only): handled by the body
                out.append((str(row[1]), str(row[2])))
    return out


def _media(op: Operation | None, media_type: str) -> MediaType | None:
    if op is None or op.request_body is None:
        return None
    return op.request_body.media(media_type)


def _body_from_state(raw: Any, op: Operation | None) -> Body | None:
    from explorer.http.media import media_kind

    if not isinstance(raw, Mapping):
        return None
    media_type = str(raw.get("media_type") or "")
    if not media_type or media_type == NO_BODY:
        return None
    kind = media_kind(media_type)
    media = _media(op, media_type)
    if kind in ("json", "raw"):
        texts = raw.get("texts")
        text = texts.get(media_type) if isinstance(texts, Mapping) else None
        if not isinstance(text, str):
            if media is None:
                return Body(media_type)
            from explorer.http.media import initial_text

            examples = raw.get("examples")
            index = examples.get(media_type, 0) if isinstance(examples, Mapping) else 0
            text = initial_text(media, index if isinstance(index, int) else 0)
        return Body(media_type, text=text)
    forms = raw.get("forms")
    form = forms.get(media_type) if isinstance(forms, Mapping) else None
    form = form if isinstance(form, Mapping) else {}
    fields: list[FormField] = []
    entries = _form_entries(media)
    encoding = media.encoding if media is not None else {}
    values = form.get("fields")
    for key, item in values.items() if isinstance(values, Mapping) else ():
        if not isinstance(item, Mapping) or not item.get("include", True):
            continue
        entry = entries.get(str(key))
        name = str(key).partition(":")[2] or str(key)
        value = _typed(item.get("value"), entry.schema if entry is not None else None)
        enc = encoding.get(name) if isinstance(encoding, Mapping) else None
        ctype = str(enc.get("contentType", "")) if isinstance(enc, Mapping) else ""
        file = kind == "multipart" and entry is not None and _is_file(entry.schema)
        for v in value if isinstance(value, list) else [value]:
            if _empty(v):
                continue
            if file:
                fields.append(FormField(name, file=_text(v), content_type=ctype))
            else:
                fields.append(FormField(name, value=_text(v), content_type=ctype))
    extra = form.get("extra")
    for row in extra if isinstance(extra, list) else []:
        if isinstance(row, list) and len(row) >= 3 and row[0] and str(row[1]).strip():
            if len(row) > 3 and row[3] is True and kind == "multipart":
                fields.append(FormField(str(row[1]), file=str(row[2])))
            else:
                fields.append(FormField(str(row[1]), value=str(row[2])))
    return Body(media_type, fields=tuple(fields))


def _form_entries(media: MediaType | None) -> dict[str, Any]:
    if media is None or media.schema is None:
        return {}
    from explorer.spec.form import entries_from_schema

    return {e.key: e for e in entries_from_schema(media.schema)}


def _is_file(schema: Mapping[str, Any] | None) -> bool:
    from explorer.spec.values import is_binary

    return is_binary(schema)


def _settings_from_state(raw: Any) -> Settings:
    """The transport settings that differ from the defaults (the proxy is the machine's,
    not the request's: not saved)."""
    if not isinstance(raw, Mapping):
        return Settings()
    timeout = raw.get("timeout")
    follow = raw.get("follow_redirects")
    verify = raw.get("verify_tls")
    return Settings(
        timeout=float(timeout)
        if isinstance(timeout, int | float) and float(timeout) != DEFAULT_TIMEOUT
        else None,
        follow_redirects=False if follow is False else None,
        verify_tls=False if verify is False else None,
    )


def _left_out(state: Mapping[str, Any], clean: Mapping[str, Any]) -> list[str]:
    """What redaction took out of `state` (for the save dialog's note)."""
    out = [f"header {n}" for n in _emptied_rows(state.get("headers"), clean.get("headers"))]
    out += [f"query {n}" for n in _emptied_rows(state.get("query"), clean.get("query"))]
    for key in _emptied_params(state.get("params"), clean.get("params")):
        location, _, name = key.partition(":")
        out.append(f"{location} {name}")
    body_a, body_b = state.get("body"), clean.get("body")
    body_a = body_a if isinstance(body_a, Mapping) else {}
    body_b = body_b if isinstance(body_b, Mapping) else {}
    texts_a, texts_b = body_a.get("texts"), body_b.get("texts")
    if isinstance(texts_a, Mapping) and isinstance(texts_b, Mapping):
        for mt, text in texts_a.items():
            if isinstance(text, str) and text != texts_b.get(mt):
                keys = _emptied_keys(text, texts_b.get(mt))
                out.append("body " + (", ".join(keys) if keys else f"({mt})"))
    forms_a, forms_b = body_a.get("forms"), body_b.get("forms")
    if isinstance(forms_a, Mapping) and isinstance(forms_b, Mapping):
        for mt, form in forms_a.items():
            other = forms_b.get(mt)
            if isinstance(form, Mapping) and isinstance(other, Mapping):
                names = [
                    k.partition(":")[2]
                    for k in _emptied_params(form.get("fields"), other.get("fields"))
                ]
                names += _emptied_rows(form.get("extra"), other.get("extra"))
                out += [f"body field {n}" for n in names]
    settings_a, settings_b = state.get("settings"), clean.get("settings")
    if (
        isinstance(settings_a, Mapping)
        and isinstance(settings_b, Mapping)
        and settings_a.get("proxy") != settings_b.get("proxy")
    ):
        out.append("the proxy's password")
    return list(dict.fromkeys(out))


def _without_emptied(state: Mapping[str, Any], clean: dict[str, Any]) -> dict[str, Any]:
    """`clean` without the rows and fields whose values redaction emptied: a header or a
    query parameter with its secret taken out is left out whole (sent empty, it would
    mean something else); a JSON body keeps its keys, emptied."""
    out = dict(clean)
    for key in ("headers", "query"):
        out[key] = _kept_rows(state.get(key), clean.get(key))
    out["params"] = _kept_params(state.get("params"), clean.get("params"))
    body_a, body_b = state.get("body"), clean.get("body")
    if isinstance(body_a, Mapping) and isinstance(body_b, Mapping):
        forms_a, forms_b = body_a.get("forms"), body_b.get("forms")
        if isinstance(forms_a, Mapping) and isinstance(forms_b, Mapping):
            forms: dict[str, Any] = {}
            for mt, form in forms_b.items():
                before = forms_a.get(mt)
                if isinstance(form, Mapping) and isinstance(before, Mapping):
                    form = {
                        **form,
                        "fields": _kept_params(before.get("fields"), form.get("fields")),
                        "extra": _kept_rows(before.get("extra"), form.get("extra")),
                    }
                forms[mt] = form
            out["body"] = {**body_b, "forms": forms}
    return out


def _kept_rows(before: Any, after: Any) -> Any:
    if not isinstance(before, list) or not isinstance(after, list) or len(before) != len(after):
        return after
    return [
        b
        for a, b in zip(before, after, strict=True)
        if not (
            isinstance(a, list) and isinstance(b, list) and len(a) >= 3 and a[2] != b[2] and a[2]
        )
    ]


def _kept_params(before: Any, after: Any) -> Any:
    if not isinstance(after, Mapping):
        return after
    emptied = set(_emptied_params(before, after))
    return {k: v for k, v in after.items() if k not in emptied}


def _emptied_rows(before: Any, after: Any) -> list[str]:
    """Names of key/value rows whose values redaction emptied."""
    if not isinstance(before, list) or not isinstance(after, list):
        return []
    return [
        str(a[1])
        for a, b in zip(before, after, strict=False)
        if isinstance(a, list) and isinstance(b, list) and len(a) >= 3 and a[2] != b[2] and a[2]
    ]


def _emptied_params(before: Any, after: Any) -> list[str]:
    """Keys ("location:name") of form values redaction emptied."""
    if not isinstance(before, Mapping) or not isinstance(after, Mapping):
        return []
    out = []
    for key, item in before.items():
        other = after.get(key)
        if isinstance(item, Mapping) and isinstance(other, Mapping):
            value = item.get("value")
            if value != other.get("value") and not _empty(value):
                out.append(str(key))
    return out


def _emptied_keys(before: str, after: Any) -> list[str]:
    """The keys of a JSON body whose values redaction emptied."""
    try:
        a, b = json.loads(before), json.loads(after) if isinstance(after, str) else None
    except ValueError:
        return []
    found: list[str] = []

    def walk(x: Any, y: Any) -> None:
        if isinstance(x, dict) and isinstance(y, dict):
            for k, v in x.items():
                w = y.get(k)
                if v != w and (w == "" or w is None) and not isinstance(v, dict | list):
                    found.append(str(k))
                else:
                    walk(v, w)
        elif isinstance(x, list) and isinstance(y, list):
            for v, w in zip(x, y, strict=False):
                walk(v, w)

    walk(a, b)
    return list(dict.fromkeys(found))


# -- a pasted curl command ----------------------------------------------------------------


def request_from_curl(text: str) -> SavedRequest:
    """A curl command as a request: method, URL, headers, body (the one parser,
    `explorer.collection.formats.curl.parse_curl`; a credential in it becomes a slot
    name, its secret is not kept). ValueError with why when it cannot be one."""
    from explorer.collection.formats.curl import parse_curl
    from explorer.errors import ExplorerError

    try:
        return parse_curl(text)
    except ExplorerError as exc:
        raise ValueError(exc.message) from None


# -- to a tab -----------------------------------------------------------------------------


def operation_for(saved: SavedRequest, api: Spec | None) -> Operation | None:
    """The endpoint of `api` a saved request was made for (its `operation`, when the
    document has it and the URL still ends in its path); None: open it ad hoc."""
    if api is None or not saved.operation:
        return None
    op = api.find(saved.operation)
    if op is None or op.method != saved.method.upper():
        return None
    if not saved.url.split("?", 1)[0].endswith(op.path):
        return None
    return op


def link_request(
    saved: SavedRequest, api: Spec | None, bases: Sequence[str] = ()
) -> tuple[SavedRequest, Operation | None]:
    """A request with an absolute URL (a pasted curl command, an import) linked to the
    endpoint of `api` its URL names: the URL becomes base + path template, the path's
    values and the URL's query go where they belong. Unlinked: (saved, None)."""
    op = operation_for(saved, api)
    if op is not None:
        return saved, op
    from explorer.workbench.address import link_address

    try:
        linked = link_address(api, saved.method, saved.url, bases)
    except ValueError:
        return saved, None
    query = tuple(linked.query) + tuple(saved.query)
    if linked.operation is None:
        return replace(saved, url=linked.base + linked.path, query=query), None
    op = linked.operation
    return (
        replace(
            saved,
            url=linked.base + op.path,
            operation=op.key,
            path=tuple(linked.path_values.items()) + saved.path,
            query=query,
        ),
        op,
    )


def state_from_saved(
    saved: SavedRequest, op: Operation | None, variables: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The editor state that shows `saved` (for `op`, found with `operation_for`; None:
    ad hoc): what the editor's `restore_state()` takes after `set_operation(op)` or
    `set_adhoc()`. A URL that starts with a variable of `variables` starts with its
    value (the server it names is shown and used as such)."""
    params: dict[str, Any] = {}
    query_rows: list[list[Any]] = []
    header_rows: list[list[Any]] = []
    declared = {(p.location, p.name): p for p in op.parameters} if op is not None else {}
    places: list[tuple[str, Sequence[tuple[str, Any]]]] = [
        ("path", saved.path),
        ("query", saved.query),
        ("header", saved.headers),
        ("cookie", saved.cookies),
    ]
    for location, pairs in places:
        for name, value in pairs:
            param = declared.get((location, name))
            if param is not None:
                key = f"{location}:{name}"
                raw = _raw(value, param.schema)
                if key in params and isinstance(params[key]["value"], list):
                    params[key]["value"] += raw if isinstance(raw, list) else [raw]
                else:
                    params[key] = {"value": raw, "include": True}
            elif location == "query":
                for v in value if isinstance(value, list) else [value]:
                    query_rows.append([True, name, _text(v)])
            elif location == "header":
                header_rows.append([True, name, _text(value)])
    state: dict[str, Any] = {
        "method": saved.method.upper(),
        "params": params,
        "query": query_rows,
        "headers": header_rows,
        "body": _body_state(saved.body, op),
        "settings": {
            "timeout": saved.settings.timeout or DEFAULT_TIMEOUT,
            "follow_redirects": saved.settings.follow_redirects is not False,
            "verify_tls": saved.settings.verify_tls is not False,
            "proxy": "",
        },
    }
    url = _resolve_base(saved.url, variables or {})
    if op is not None:
        base = url.split("?", 1)[0]
        base = base[: len(base) - len(op.path)] if base.endswith(op.path) else base
        state["server"] = {"url": None, "variables": {}, "custom": base.rstrip("/")}
    else:
        for name, value in saved.path:  # no form for them: the values go into the URL
            url = url.replace("{" + name + "}", _text(value) if value is not None else "")
        state["address"] = {"base": url, "path": ""}
    return state


def _raw(value: Any, schema: Mapping[str, Any] | None) -> Any:
    """A value sent, as the form field for `schema` holds it (text for a line, the typed
    option for a choice, a list for repeated rows)."""
    from explorer.spec.values import effective_schema, field_kind, to_value

    s = effective_schema(schema)
    kind = field_kind(s)
    if kind == "array":
        items = s.get("items")
        values = value if isinstance(value, list) else [value]
        return [_raw(v, items if isinstance(items, Mapping) else None) for v in values]
    if kind in ("enum", "boolean"):
        if isinstance(value, str):
            try:
                return to_value(value, s)
            except ValueError:
                return value
        return value
    return _text(value) if value is not None else ""


def _body_state(body: Body | None, op: Operation | None) -> dict[str, Any]:
    from explorer.http.media import media_kind

    state: dict[str, Any] = {"media_type": NO_BODY, "texts": {}, "examples": {}, "forms": {}}
    if body is None:
        return state
    mt = body.media_type
    state["media_type"] = mt
    if media_kind(mt) in ("json", "raw") or not body.fields:
        state["texts"] = {mt: body.text}
        return state
    entries = _form_entries(_media(op, mt))
    fields: dict[str, Any] = {}
    extra: list[list[Any]] = []
    for f in body.fields:
        entry = entries.get(f"form:{f.name}")
        value: Any = f.file or f.value
        if entry is None:
            extra.append([True, f.name, value, True] if f.file else [True, f.name, value])
            continue
        raw = _raw(value, entry.schema)
        key = entry.key
        if key in fields and isinstance(fields[key]["value"], list):
            fields[key]["value"] += raw if isinstance(raw, list) else [raw]
        else:
            fields[key] = {"value": raw, "include": True}
    state["forms"] = {mt: {"fields": fields, "extra": extra}}
    return state


def unchanged(a: SavedRequest | None, b: SavedRequest | None) -> bool:
    """Two requests hold the same (the file name and place aside)."""
    if a is None or b is None:
        return a is b
    return replace(a, file="", seq=0) == replace(b, file="", seq=0)
