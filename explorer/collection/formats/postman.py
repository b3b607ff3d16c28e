"""Postman collections (format v2.1): import and export. No Qt, no I/O.

    col, warnings = import_postman(json_doc)
    doc, warnings = export_postman(col, api=api, environment=env)   # what newman runs

Mapping (both ways):

    collection          info.name, info.description, variable[] (collection variables)
    folder              an item group (an item with `item`)
    request             an item with `request`: method, url (`:name` path variables with
                        their values in url.variable), query, header, body (raw with a
                        Content-Type header, urlencoded, formdata), description
    cookies             a Cookie header
    auth (slots)        Postman auth that names the slot as a variable: bearer
                        `{{bearerAuth}}`, basic `{{basicAuth_username}}` /
                        `{{basicAuth_password}}`, apikey `{{apiKey}}`; "none" is noauth
    checks              a `test` script of `pm.test` lines (status, a JSON pointer's
                        value, a header, the time)
    follow_redirects,   protocolProfileBehavior.followRedirects / strictSSL
    verify_tls
    what Postman has    an `_explorer` member of the item or collection (Postman ignores
    no field for        it): operation, environment, timeout, "auth: inherit", spec

Importing never carries a secret over: a credential becomes a slot name and a warning
says which to enter in the keyring. Scripts cannot run here: a warning, and the lines as
simple as `pm.response.to.have.status(201)` become checks. Disabled rows are skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

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
    encode_path_value,
    encode_query,
    keep_variables,
    secret_note,
    sort_headers,
    split_query,
)
from explorer.collection.model import (
    Body,
    Check,
    Collection,
    Folder,
    FormField,
    SavedRequest,
    Settings,
)

if TYPE_CHECKING:
    from explorer.spec.model import Spec
    from explorer.store.environments import Environment

__all__ = [
    "SCHEMA_V21",
    "export_postman",
    "import_postman",
    "is_postman",
    "script_checks",
]

SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
EXTENSION = "_explorer"
"""The member holding what Postman has no field for (Postman and newman ignore it)."""

_LANGUAGES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "javascript": "application/javascript",
    "graphql": "application/json",
    "text": "text/plain",
}
_VARIABLE_ONLY = re.compile(r"^\s*\{\{\s*([^{}\s]+)\s*\}\}\s*$")
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"


def is_postman(doc: Any) -> bool:
    """`doc` (parsed JSON) is a Postman collection of format 2.x."""
    info = as_map(as_map(doc).get("info"))
    schema = as_text(info.get("schema"))
    return "/collection/v2" in schema or (
        bool(schema) and "postman" in schema and isinstance(as_map(doc).get("item"), list)
    )


# -- import -----------------------------------------------------------------------------


def import_postman(doc: Any, source: str = "") -> tuple[Collection, list[str]]:
    """The collection a Postman v2.0/v2.1 collection describes, and what could not be
    carried over. Raises ImportFailed when `doc` is not one."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get("info"), Mapping):
        raise ImportFailed("not a Postman collection: there is no info", source)
    schema = as_text(doc["info"].get("schema"))
    if "/collection/v1" in schema:
        raise ImportFailed(
            "a Postman collection of format 1: export it from Postman as v2.1", source
        )
    if not is_postman(doc):
        raise ImportFailed("not a Postman collection of format 2.1: no schema in info", source)
    if not isinstance(doc.get("item"), list):
        raise ImportFailed("not a Postman collection: item is not a list", source, "/item")
    notes = Notes()
    info = doc["info"]
    ext = as_map(doc.get(EXTENSION))
    variables: dict[str, str] = {}
    for var in as_list(doc.get("variable")):
        var = as_map(var)
        key = as_text(var.get("key")) or as_text(var.get("id"))
        if key and not var.get("disabled"):
            value = var.get("value")
            variables[key] = (
                as_text(value) if not isinstance(value, dict | list) else json.dumps(value)
            )
    for name in as_list(ext.get("added_variables")):
        variables.pop(as_text(name), None)  # the export's, not the collection's
    for event in as_list(doc.get("event")):
        _script_note(as_map(event), "the collection", notes)
    col = Collection(
        name=as_text(info.get("name")) or "Postman collection",
        description=_description(info.get("description")),
        variables=variables,
        spec=as_text(ext.get("spec")),
        environment=as_text(ext.get("environment")),
    )
    col.root = Folder("", _items(doc["item"], as_map(doc.get("auth")), notes))
    return col, notes.items


def _description(value: Any) -> str:
    if isinstance(value, Mapping):
        return as_text(value.get("content"))
    return as_text(value)


def _items(
    items: list[Any], auth: Mapping[str, Any], notes: Notes, depth: int = 0
) -> list[Folder | SavedRequest]:
    out: list[Folder | SavedRequest] = []
    if depth > MAX_DEPTH:
        notes.add(f"folders nested deeper than {MAX_DEPTH} levels were left out")
        return out
    for raw in items:
        item = as_map(raw)
        name = as_text(item.get("name")) or "request"
        own_auth = as_map(item.get("auth")) or auth
        if isinstance(item.get("item"), list):
            if _description(item.get("description")):
                notes.add(f"folder {name!r}: its description was not carried over")
            for event in as_list(item.get("event")):
                _script_note(as_map(event), f"folder {name!r}", notes)
            out.append(Folder(name, _items(item["item"], own_auth, notes, depth + 1)))
        elif "request" in item:
            req = _request(item, name, auth, notes)
            if req is not None:
                out.append(req)
        else:
            notes.add(f"{name!r}: neither a request nor a folder, left out")
    return out


def _request(
    item: Mapping[str, Any], name: str, parent_auth: Mapping[str, Any], notes: Notes
) -> SavedRequest | None:
    raw = item.get("request")
    request = {"url": raw, "method": "GET"} if isinstance(raw, str) else as_map(raw)
    url, query, path = _url(request.get("url"))
    if not url.strip():
        notes.add(f"{name!r}: it has no URL, left out")
        return None
    method = (as_text(request.get("method")) or "GET").strip().upper()
    if not method.replace("-", "").isalnum() or not method.isascii():
        notes.add(f"{name!r}: the method {method!r} is not an HTTP method, left out")
        return None
    ext = as_map(item.get(EXTENSION))
    sorted_ = sort_headers(_header_rows(request.get("header")), repr(name), notes)
    headers, cookies, slots = sorted_.headers, sorted_.cookies, sorted_.slots
    content_type = sorted_.content_type
    body = _body(request.get("body"), content_type, name, notes)
    if body is None and content_type:
        headers.append(("Content-Type", content_type))
    auth = _auth(as_map(request.get("auth")) or parent_auth, name, notes, slots)
    saved_auth = ext.get("auth")
    if saved_auth in ("inherit", "none"):
        auth = saved_auth
    elif isinstance(saved_auth, list) and all(isinstance(s, str) and s for s in saved_auth):
        auth = tuple(saved_auth)
    checks: list[Check] = []
    for event in as_list(item.get("event")):
        checks += _script_note(as_map(event), repr(name), notes)
    return SavedRequest(
        name=name,
        method=method,
        url=url,
        operation=as_text(ext.get("operation")),
        description=_description(request.get("description"))
        or _description(item.get("description")),
        path=tuple(path),
        query=tuple(query),
        headers=tuple(headers),
        cookies=tuple(cookies),
        body=body,
        auth=auth,
        environment=as_text(ext.get("environment")),
        settings=_settings(item, ext),
        checks=tuple(checks),
    )


def _settings(item: Mapping[str, Any], ext: Mapping[str, Any]) -> Settings:
    behaviour = as_map(item.get("protocolProfileBehavior"))
    follow = behaviour.get("followRedirects")
    strict = behaviour.get("strictSSL")
    raw = ext.get("timeout")
    timeout = None
    if isinstance(raw, int | float) and not isinstance(raw, bool) and raw > 0:
        timeout = float(raw)
    return Settings(
        timeout,
        follow if isinstance(follow, bool) else None,
        strict if isinstance(strict, bool) else None,
    )


def _header_rows(raw: Any) -> list[tuple[str, str]]:
    """Enabled (name, value) rows of a header list, or of the string form "A: b\\nC: d"."""
    if isinstance(raw, str):
        rows = []
        for line in raw.splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip():
                rows.append((key.strip(), value.strip()))
        return rows
    out = []
    for row in as_list(raw):
        row = as_map(row)
        key = as_text(row.get("key"))
        if key and not row.get("disabled"):
            out.append((key, as_text(row.get("value"))))
    return out


def _url(raw: Any) -> tuple[str, list[tuple[str, Any]], list[tuple[str, Any]]]:
    """(the URL template, the query pairs, the path values) of a Postman url."""
    if isinstance(raw, str):
        text, rows, variables = raw, None, []
    else:
        url = as_map(raw)
        text = as_text(url.get("raw")) or _raw_from_parts(url)
        rows = url.get("query") if isinstance(url.get("query"), list) else None
        variables = as_list(url.get("variable"))
    text = text.split("#", 1)[0]
    base, _, query_string = text.partition("?")
    if rows is None:
        query: list[tuple[str, Any]] = list(split_query(query_string))
    else:
        query = []
        for row in rows:
            row = as_map(row)
            key = row.get("key")
            if isinstance(key, str) and key and not row.get("disabled"):
                query.append((decode_query(key), decode_query(as_text(row.get("value")))))
    values = {}
    for var in variables:
        var = as_map(var)
        key = as_text(var.get("key")) or as_text(var.get("id"))
        if key:
            values[key] = decode_path_value(as_text(var.get("value")))
    template, names = _template(base)
    return template, query, [(n, values.get(n, "")) for n in names]


def _raw_from_parts(url: Mapping[str, Any]) -> str:
    protocol = as_text(url.get("protocol"))
    host = url.get("host")
    host_text = ".".join(as_text(h) for h in host) if isinstance(host, list) else as_text(host)
    port = as_text(url.get("port"))
    path = url.get("path")
    segments = []
    for seg in as_list(path) if isinstance(path, list) else [as_text(path)]:
        segments.append(as_text(as_map(seg).get("value")) if isinstance(seg, Mapping) else seg)
    text = (protocol + "://" if protocol else "") + host_text + (":" + port if port else "")
    joined = "/".join(as_text(s) for s in segments)
    if joined:
        text += joined if joined.startswith("/") else "/" + joined
    return text


def _path_start(url: str) -> int:
    """Where the path of a URL starts (after scheme://host:port, or a leading {{base}})."""
    after = url.find("://")
    start = after + 3 if after >= 0 else 0
    slash = url.find("/", start)
    return len(url) if slash < 0 else slash


def _template(base: str) -> tuple[str, list[str]]:
    """Postman's `:name` path segments as `{name}` placeholders; a literal brace is
    percent-encoded so that it is not read as one."""
    cut = _path_start(base)
    segments = base[cut:].split("/")
    names: list[str] = []
    out = []
    for seg in segments:
        if seg.startswith(":") and len(seg) > 1:
            names.append(seg[1:])
            out.append("{" + seg[1:] + "}")
        else:
            out.append(keep_variables(seg, lambda s: s.replace("{", "%7B").replace("}", "%7D")))
    return base[:cut] + "/".join(out), names


def _body(raw: Any, content_type: str, request: str, notes: Notes) -> Body | None:
    body = as_map(raw)
    mode = as_text(body.get("mode"))
    if not body or body.get("disabled") or not mode:
        return None
    if mode == "raw":
        text = as_text(body.get("raw"))
        if not text and not content_type:
            return None
        language = as_text(as_map(as_map(body.get("options")).get("raw")).get("language"))
        return Body(content_type or _LANGUAGES.get(language, "text/plain"), text)
    if mode == "urlencoded":
        fields = [
            FormField(as_text(r.get("key")), as_text(r.get("value")))
            for r in map(as_map, as_list(body.get("urlencoded")))
            if as_text(r.get("key")) and not r.get("disabled")
        ]
        return Body(content_type or "application/x-www-form-urlencoded", fields=tuple(fields))
    if mode == "formdata":
        out = []
        for r in map(as_map, as_list(body.get("formdata"))):
            key = as_text(r.get("key"))
            if not key or r.get("disabled"):
                continue
            ctype = as_text(r.get("contentType"))
            if r.get("type") == "file":
                src = r.get("src")
                files = [as_text(s) for s in src] if isinstance(src, list) else [as_text(src)]
                if len(files) > 1:
                    notes.add(
                        f"{request!r}: the field {key} sends {len(files)} files; "
                        "only the first was kept"
                    )
                if not files or not files[0]:
                    notes.add(f"{request!r}: the file field {key} names no file, left out")
                    continue
                out.append(FormField(key, file=files[0], content_type=ctype))
            else:
                out.append(FormField(key, as_text(r.get("value")), content_type=ctype))
        media = content_type if content_type.lower().startswith("multipart/") else ""
        return Body(media.split(";")[0].strip() or "multipart/form-data", fields=tuple(out))
    if mode == "graphql":
        gql = as_map(body.get("graphql"))
        variables = gql.get("variables")
        payload: dict[str, Any] = {"query": as_text(gql.get("query"))}
        if isinstance(variables, str) and variables.strip():
            try:
                payload["variables"] = json.loads(variables)
            except ValueError:
                notes.add(f"{request!r}: its GraphQL variables are not JSON, left out")
        return Body("application/json", json.dumps(payload, indent=2, ensure_ascii=False))
    notes.add(f"{request!r}: its body ({mode}) cannot be carried over, left out")
    return None


def _auth(auth: Mapping[str, Any], request: str, notes: Notes, slots: list[str]) -> Any:
    """The request's `auth`: slots named by Postman auth (or an Authorization header)."""
    kind = as_text(auth.get("type"))
    if kind == "noauth":
        return "none" if not slots else tuple(slots)
    if kind in ("bearer", "basic", "apikey"):
        attrs = _attributes(auth.get(kind))
        if kind == "bearer":
            secret = attrs.get("token", "")
        elif kind == "basic":
            secret = attrs.get("password", "")
        else:
            secret = attrs.get("value", "")
        named = _VARIABLE_ONLY.match(secret)
        slot = named.group(1) if named else DEFAULT_SLOTS[kind]
        if kind == "basic" and slot.endswith("_password"):
            slot = slot[: -len("_password")]
        if not named and secret:
            user = attrs.get("username", "") if kind == "basic" else ""
            secret_note(repr(request), slot, kind, notes, user=_plain(user))
        if kind == "apikey" and not named:
            where = attrs.get("in", "header")
            notes.add(
                f"{request!r}: its API key goes in the {where} {attrs.get('key', '')!r}: the "
                f"slot {slot!r} must say so"
            )
        if slot not in slots:
            slots.insert(0, slot)
    elif kind:
        notes.add(f"{request!r}: its {kind} authentication is not supported, left out")
    return tuple(slots) if slots else "inherit"


def _plain(text: str) -> str:
    """`text` unless it only names a variable."""
    return "" if _VARIABLE_ONLY.match(text) else text


def _attributes(raw: Any) -> dict[str, str]:
    """Postman auth attributes: a list of {key, value} (v2.1) or a mapping (v2.0)."""
    if isinstance(raw, Mapping):
        return {str(k): as_text(v) for k, v in raw.items()}
    out = {}
    for row in as_list(raw):
        row = as_map(row)
        if as_text(row.get("key")):
            out[as_text(row.get("key"))] = as_text(row.get("value"))
    return out


# -- scripts ----------------------------------------------------------------------------

_STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''
_HELPER = "const explorerPointer = "
_WRAPPER = re.compile(rf"^pm\.test\(\s*(?:{_STRING})\s*,\s*(?:function\s*\(\)|\(\)\s*=>)\s*\{{$")
_ONE_LINE = re.compile(
    rf"^pm\.test\(\s*(?:{_STRING})\s*,\s*(?:function\s*\(\)|\(\)\s*=>)\s*\{{\s*(.*?);?\s*\}}\);?$"
)
_CAPTURE = re.compile(r"^if \(pm\.response\.code < 300\) pm\.collectionVariables\.set\(")
_ASSERTIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^pm\.response\.to\.have\.status\((\d{3})\)$"), "status"),
    (
        re.compile(r"^pm\.expect\(pm\.response\.(?:code|status)\)\.to\.(?:eql|equal)\((\d{3})\)$"),
        "status",
    ),
    (
        re.compile(r"^pm\.expect\(pm\.response\.responseTime\)\.to\.be\.below\((\d+(?:\.\d+)?)\)$"),
        "time",
    ),
    (re.compile(rf"^pm\.response\.to\.(not\.)?have\.header\(({_STRING})\)$"), "header-exists"),
    (
        re.compile(
            rf"^pm\.expect\(pm\.response\.headers\.get\(({_STRING})\)\)\.to\.(eql|include|match)\((.*)\)$"
        ),
        "header",
    ),
    (
        re.compile(
            rf"^pm\.expect\(explorerPointer\(pm\.response\.json\(\), ({_STRING})\)\)"
            r"\.to\.(?:(not\.)?equal\(undefined\)|(eql|include|match)\((.*)\))$"
        ),
        "json",
    ),
]
_OPS = {"eql": "equals", "include": "contains", "match": "matches"}


def _js_string(literal: str) -> str:
    if literal.startswith("'"):
        literal = '"' + literal[1:-1].replace('\\"', '"').replace('"', '\\"') + '"'
    value = json.loads(literal)
    if not isinstance(value, str):
        raise ValueError(literal)
    return value


def _js_value(literal: str, op: str) -> Any:
    """The value of an assertion's argument: JSON, or `new RegExp("...")` for match."""
    if op == "matches":
        m = re.fullmatch(rf"new RegExp\(({_STRING})\)", literal.strip())
        if m is None:
            raise ValueError(literal)
        return _js_string(m.group(1))
    return json.loads(literal)


def _assertion(statement: str) -> Check | None:
    """The check an assertion statement makes, or None when it is not that simple."""
    statement = statement.strip().rstrip(";").strip()
    for pattern, kind in _ASSERTIONS:
        m = pattern.match(statement)
        if m is None:
            continue
        try:
            if kind == "status":
                return Check("status", value=int(m.group(1)))
            if kind == "time":
                ms = float(m.group(1))
                return Check("time", op="under", value=int(ms) if ms.is_integer() else ms)
            if kind == "header-exists":
                return Check("header", _js_string(m.group(2)), "exists", m.group(1) is None)
            if kind == "header":
                op = _OPS[m.group(2)]
                return Check("header", _js_string(m.group(1)), op, _js_value(m.group(3), op))  # type: ignore[arg-type]
            target = _js_string(m.group(1))
            if m.group(3) is None:
                return Check("json", target, "exists", m.group(2) is not None)
            op = _OPS[m.group(3)]
            return Check("json", target, op, _js_value(m.group(4), op))  # type: ignore[arg-type]
        except (ValueError, KeyError):
            return None
    return None


def script_checks(lines: Sequence[str]) -> tuple[list[Check], bool]:
    """The checks a Postman test script makes where they are that simple, and whether the
    whole script was understood (else it did more, which cannot run here)."""
    checks: list[Check] = []
    understood = True
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("//") or line.startswith(_HELPER) or _CAPTURE.match(line):
            continue
        if _WRAPPER.match(line) or line in ("});", "})"):
            continue
        one = _ONE_LINE.match(line)
        check = _assertion(one.group(1) if one else line)
        if check is None:
            understood = False
        else:
            checks.append(check)
    return checks, understood


def _script_note(event: Mapping[str, Any], where: str, notes: Notes) -> list[Check]:
    listen = as_text(event.get("listen"))
    script = as_map(event.get("script"))
    exec_ = script.get("exec")
    lines = [as_text(x) for x in exec_] if isinstance(exec_, list) else as_text(exec_).splitlines()
    if not any(line.strip() for line in lines) or script.get("disabled") or event.get("disabled"):
        return []
    if listen == "test":
        checks, understood = script_checks(lines)
        if not understood:
            made = f"; {len(checks)} of its assertions became checks" if checks else ""
            notes.add(f"{where}: its test script cannot run here{made}")
        return checks
    notes.add(f"{where}: its {listen or 'unnamed'} script cannot run here, left out")
    return []


# -- export -----------------------------------------------------------------------------

_POINTER_JS = (
    _HELPER + "(doc, pointer) => pointer.split('/').slice(1)"
    ".map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))"
    ".reduce((v, k) => (v !== null && typeof v === 'object' && "
    "Object.prototype.hasOwnProperty.call(v, k) ? v[k] : undefined), doc);"
)


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True)


def check_script(check: Check) -> str:
    """One `pm.test` line for a check (`script_checks` reads it back)."""
    if check.kind == "status":
        title, body = f"status is {check.value}", f"pm.response.to.have.status({check.value});"
    elif check.kind == "time":
        title = f"time under {check.value} ms"
        body = f"pm.expect(pm.response.responseTime).to.be.below({check.value});"
    else:
        if check.kind == "header":
            subject = f"pm.response.headers.get({_js(check.target)})"
        else:
            subject = f"explorerPointer(pm.response.json(), {_js(check.target)})"
        shown = "" if check.op == "exists" else " " + _js(check.value)
        title = f"{check.kind} {check.target} {check.op}{shown}"
        if check.op == "exists":
            present = check.value is not False
            if check.kind == "header":
                body = (
                    f"pm.response.to.{'' if present else 'not.'}have.header({_js(check.target)});"
                )
            else:
                body = f"pm.expect({subject}).to.{'not.' if present else ''}equal(undefined);"
        elif check.op == "matches":
            body = f"pm.expect({subject}).to.match(new RegExp({_js(check.value)}));"
        else:
            verb = {"equals": "eql", "contains": "include"}.get(check.op, "eql")
            body = f"pm.expect({subject}).to.{verb}({_js(check.value)});"
    return f"pm.test({_js(title.strip())}, function () {{ {body} }});"


def _encode_cookie(value: str) -> str:
    return keep_variables(value, lambda part: quote(part, safe=_COOKIE_SAFE))


class _Exporter:
    """One export: the API (for slots' kinds and the login operation), the environment."""

    def __init__(self, api: Spec | None, environment: Environment | None) -> None:
        self.api = api
        self.env = environment
        self.notes = Notes()
        self.slot_vars: dict[str, str] = {}
        self.captures = self._captures()

    # credentials

    def _kind(self, slot: str) -> str:
        env_slot = self.env.slots.get(slot) if self.env is not None else None
        if env_slot is not None and env_slot.kind:
            return env_slot.kind
        if self.api is not None and slot in self.api.security_schemes:
            from explorer.workbench.credentials import natural_kind

            return natural_kind(self.api, self.api.security_schemes[slot])
        for kind, name in DEFAULT_SLOTS.items():
            if slot == name:
                return kind
        return "bearer"

    def _captures(self) -> dict[str, list[tuple[str, str]]]:
        """Login operations ("POST /auth/login") and the (slot, token pointer) each fills."""
        out: dict[str, list[tuple[str, str]]] = {}
        names = set(self.api.security_schemes) if self.api is not None else set()
        if self.env is not None:
            names |= set(self.env.slots)
        for slot in sorted(names):
            if self._kind(slot) != "login":
                continue
            env_slot = self.env.slots.get(slot) if self.env is not None else None
            if env_slot is not None and env_slot.kind == "login":
                op, pointer = env_slot.login.operation, env_slot.login.token_pointer
            else:
                from explorer.store.environments import LoginSettings
                from explorer.workbench.credentials import login_operation

                found = login_operation(self.api) if self.api is not None else None
                if found is None:
                    continue
                op, pointer = found.key, LoginSettings().token_pointer
            out.setdefault(op, []).append((slot, pointer))
        return out

    def _slots(self, req: SavedRequest) -> tuple[str, ...]:
        if isinstance(req.auth, tuple):
            return req.auth
        if req.auth == "none" or self.api is None or not req.operation:
            return ()
        op = self.api.find(req.operation)
        if op is None or not op.security or not op.security[0]:
            return ()
        return tuple(op.security[0])

    def _auth(
        self, req: SavedRequest, headers: list[dict[str, Any]], query: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        if req.auth == "none":
            return {"type": "noauth"}
        auth: dict[str, Any] | None = None
        for slot in self._slots(req):
            kind = self._kind(slot)
            if kind == "cookie":
                continue
            made: dict[str, Any]
            if kind in ("basic", "digest"):
                env_slot = self.env.slots.get(slot) if self.env is not None else None
                user = env_slot.username if env_slot is not None else ""
                if not user:
                    user = "{{" + slot + "_username}}"
                    self._var(slot + "_username", slot)
                self._var(slot + "_password", slot)
                made = {
                    "type": "basic",
                    "basic": [
                        {"key": "username", "value": user, "type": "string"},
                        {"key": "password", "value": "{{" + slot + "_password}}", "type": "string"},
                    ],
                }
            elif kind == "apikey":
                self._var(slot, slot)
                scheme = self.api.security_schemes.get(slot) if self.api is not None else None
                name = (
                    scheme.param_name if scheme is not None and scheme.param_name else "X-API-Key"
                )
                where = scheme.location if scheme is not None and scheme.location else "header"
                if where == "cookie":
                    headers.append({"key": "Cookie", "value": f"{name}={{{{{slot}}}}}"})
                    continue
                made = {
                    "type": "apikey",
                    "apikey": [
                        {"key": "key", "value": name, "type": "string"},
                        {"key": "value", "value": "{{" + slot + "}}", "type": "string"},
                        {
                            "key": "in",
                            "value": "query" if where == "query" else "header",
                            "type": "string",
                        },
                    ],
                }
            else:
                self._var(slot, slot)
                made = {
                    "type": "bearer",
                    "bearer": [{"key": "token", "value": "{{" + slot + "}}", "type": "string"}],
                }
            if auth is None:
                auth = made
            else:
                self.notes.add(
                    f"{req.name!r}: Postman takes one credential a request; the slot {slot!r} "
                    "was left out"
                )
        return auth

    def _var(self, name: str, slot: str) -> None:
        self.slot_vars.setdefault(name, slot)

    # items

    def folder(self, folder: Folder) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for item in folder.items:
            if isinstance(item, Folder):
                out.append({"name": item.name, "item": self.folder(item)})
            else:
                out.append(self.request(item))
        return out

    def request(self, req: SavedRequest) -> dict[str, Any]:
        headers = [{"key": k, "value": v} for k, v in req.headers]
        url = self._url(req)
        auth = self._auth(req, headers, url.setdefault("query", []))
        if not url["query"]:
            del url["query"]
        if req.cookies:
            cookie = "; ".join(f"{k}={_encode_cookie(v)}" for k, v in req.cookies)
            headers.append({"key": "Cookie", "value": cookie})
        request: dict[str, Any] = {"method": req.method}
        body = self._body(req, headers)
        request["header"] = headers
        if body is not None:
            request["body"] = body
        request["url"] = url
        if auth is not None:
            request["auth"] = auth
        if req.description:
            request["description"] = req.description
        item: dict[str, Any] = {"name": req.name, "request": request}
        exec_lines = self._tests(req)
        if exec_lines:
            item["event"] = [
                {"listen": "test", "script": {"type": "text/javascript", "exec": exec_lines}}
            ]
        behaviour = {}
        if req.settings.follow_redirects is not None:
            behaviour["followRedirects"] = req.settings.follow_redirects
        if req.settings.verify_tls is not None:
            behaviour["strictSSL"] = req.settings.verify_tls
        if behaviour:
            item["protocolProfileBehavior"] = behaviour
        ext: dict[str, Any] = {}
        if req.operation:
            ext["operation"] = req.operation
        if req.environment:
            ext["environment"] = req.environment
        if req.settings.timeout is not None:
            ext["timeout"] = req.settings.timeout
        if _read_back(auth) != req.auth:
            ext["auth"] = req.auth if isinstance(req.auth, str) else list(req.auth)
        if ext:
            item[EXTENSION] = ext
        return item

    def _tests(self, req: SavedRequest) -> list[str]:
        lines = [check_script(c) for c in req.checks]
        for slot, pointer in self.captures.get(req.operation, []) if req.operation else []:
            lines.append(
                "if (pm.response.code < 300) pm.collectionVariables.set("
                f"{_js(slot)}, explorerPointer(pm.response.json(), {_js(pointer)}));"
            )
        if any("explorerPointer(" in line for line in lines):
            lines.insert(0, _POINTER_JS)
        return lines

    def _url(self, req: SavedRequest) -> dict[str, Any]:
        template, _, inline_query = req.url.partition("?")
        cut = _path_start(template)
        base, path = template[:cut], template[cut:]
        values = dict(req.path)
        segments: list[str] = []
        variables: list[dict[str, Any]] = []
        for seg in path.split("/")[1:] if path else []:
            m = re.fullmatch(r"\{([^{}]+)\}", seg)
            if m is not None:
                name = m.group(1)
                segments.append(":" + name)
                variables.append({"key": name, "value": _path_text(values.get(name, ""))})
                continue
            for m in re.finditer(r"(?<!\{)\{([^{}]+)\}(?!\})", seg):
                self.notes.add(
                    f"{req.name!r}: the path parameter {m.group(1)} is part of a segment; "
                    "its value was written into the path"
                )
            seg = re.sub(
                r"(?<!\{)\{([^{}]+)\}(?!\})",
                lambda m: _path_text(values.get(m.group(1), "")),
                seg,
            )
            segments.append(seg)
        query: list[dict[str, Any]] = []
        for key, value in split_query(inline_query):
            query.append({"key": encode_query(key), "value": encode_query(value)})
        for key, value in req.query:
            for item in value if isinstance(value, list) else [value]:
                text = _json_text(item)
                query.append({"key": encode_query(key), "value": encode_query(text)})
        raw = base + "".join("/" + s for s in segments)
        if query:
            raw += "?" + "&".join(f"{q['key']}={q['value']}" for q in query)
        url: dict[str, Any] = {"raw": raw}
        scheme, sep, rest = base.partition("://")
        if sep:
            url["protocol"] = scheme
            host, colon, port = rest.rpartition(":")
            if colon and port.isdigit():
                url["host"], url["port"] = host.split("."), port
            else:
                url["host"] = rest.split(".")
        else:
            url["host"] = [base] if base else []
        url["path"] = segments
        if query:
            url["query"] = query
        if variables:
            url["variable"] = variables
        return url

    def _body(self, req: SavedRequest, headers: list[dict[str, Any]]) -> dict[str, Any] | None:
        body = req.body
        if body is None:
            return None
        from explorer.http.media import essence, media_kind

        kind = media_kind(body.media_type)
        if kind == "urlencoded" and body.text and not body.fields:
            kind = "raw"  # typed as text (a pasted curl's -d): sent as it is
        if kind == "urlencoded":
            if body.media_type != "application/x-www-form-urlencoded":
                headers.append({"key": "Content-Type", "value": body.media_type})
            return {
                "mode": "urlencoded",
                "urlencoded": [{"key": f.name, "value": f.value} for f in body.fields],
            }
        if kind == "multipart":
            if body.media_type != "multipart/form-data":
                self.notes.add(
                    f"{req.name!r}: Postman sends {body.media_type} as multipart/form-data"
                )
            rows: list[dict[str, Any]] = []
            for f in body.fields:
                row: dict[str, Any] = {"key": f.name}
                if f.file:
                    row.update(type="file", src=f.file)
                else:
                    row.update(type="text", value=f.value)
                if f.content_type:
                    row["contentType"] = f.content_type
                rows.append(row)
            return {"mode": "formdata", "formdata": rows}
        headers.append({"key": "Content-Type", "value": body.media_type})
        language = (
            "json"
            if kind == "json"
            else {
                "application/xml": "xml",
                "text/xml": "xml",
                "text/html": "html",
                "application/javascript": "javascript",
            }.get(essence(body.media_type), "text")
        )
        return {"mode": "raw", "raw": body.text, "options": {"raw": {"language": language}}}


def _read_back(auth: dict[str, Any] | None) -> Any:
    """The `auth` importing this Postman auth gives (without the `_explorer` member)."""
    if auth is None:
        return "inherit"
    if auth["type"] == "noauth":
        return "none"
    attrs = _attributes(auth.get(auth["type"]))
    secret = attrs.get({"bearer": "token", "basic": "password"}.get(auth["type"], "value"), "")
    named = _VARIABLE_ONLY.match(secret)
    slot = named.group(1) if named else ""
    if auth["type"] == "basic" and slot.endswith("_password"):
        slot = slot[: -len("_password")]
    return (slot,)


def _json_text(value: Any) -> str:
    """A parameter value as text, as the request builder writes a scalar (the one way:
    booleans as true/false, whole floats without ".0", structures as compact JSON)."""
    from explorer.http.build import _scalar

    return _scalar(value)


def _path_text(value: Any) -> str:
    """A path value as Postman holds it: a list's items joined by commas (the simple
    style), percent-encoded where Postman would read it otherwise."""
    if isinstance(value, list):
        return ",".join(encode_path_value(_json_text(v)) for v in value)
    return encode_path_value(_json_text(value))


def export_postman(
    col: Collection, *, api: Spec | None = None, environment: Environment | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The Postman v2.1 collection for `col` (a JSON-able dict) and what Postman cannot
    hold. `api` (the collection's spec) says which slots a request inheriting its
    credentials uses and how each is sent; `environment` adds its variables (over the
    collection's) and its slots' settings. A slot's secret is never written: it is the
    Postman variable named after the slot (`{{bearerAuth}}`), filled by the login
    request when the collection has one, else by you in a Postman environment."""
    exporter = _Exporter(api, environment)
    items = exporter.folder(col.root)
    variables = dict(col.variables)
    if environment is not None:
        variables.update(environment.variables)
    added: list[str] = []
    if "baseUrl" not in variables and _uses(col.root, "baseUrl"):
        servers = api.servers if api is not None else ()
        variables["baseUrl"] = servers[0].resolve() if servers else ""
        added.append("baseUrl")
    present = {r.operation for _p, r in col.root.requests()}
    captured = {s for op, pairs in exporter.captures.items() if op in present for s, _p in pairs}
    for name, slot in exporter.slot_vars.items():
        if name not in variables:
            variables[name] = ""
            added.append(name)
        if slot not in captured:
            exporter.notes.add(
                f"the credential slot {slot!r} is the Postman variable {{{{{name}}}}}: set it "
                "in a Postman environment (secrets are never exported)"
            )
    info: dict[str, Any] = {"name": col.name, "schema": SCHEMA_V21}
    if col.description:
        info["description"] = col.description
    doc: dict[str, Any] = {"info": info, "item": items}
    if variables:
        doc["variable"] = [{"key": k, "value": v, "type": "string"} for k, v in variables.items()]
    ext: dict[str, Any] = {}
    if col.spec:
        ext["spec"] = col.spec
    if col.environment:
        ext["environment"] = col.environment
    if environment is not None:
        added += [k for k in environment.variables if k not in col.variables]
    if added:
        ext["added_variables"] = added
    if ext:
        doc[EXTENSION] = ext
    return doc, exporter.notes.items


def _uses(folder: Folder, name: str) -> bool:
    from explorer.collection.model import request_to_data

    needle = "{{" + name
    return any(needle in json.dumps(request_to_data(r)) for _p, r in folder.requests())
