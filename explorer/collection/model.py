"""Saved requests and collections, as plain data (no Qt, no I/O).

A collection is a folder on disk (see `explorer.collection.store` and
docs/collection-format.md): a `collection.yaml` with its name, spec source, default
environment and variables, one small YAML file per saved request, and sub-folders as
folders. This module is the one definition of what those files hold and of how each
maps to and from the plain mapping that is written as YAML (`to_data` / `from_data`):
keys in a stable order, defaults left out, so that a diff shows what changed.

A saved request never holds a secret: credentials come from the environment's slots
(`auth`), and values may name variables (`{{token}}`) that the environment resolves.

`from_data` never raises on a wrong shape: it raises `FormatError` with the key path
of the first problem ("body.fields[2].name: expected text"), which the store reports
with the file's path and line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "FORMAT_VERSION",
    "Body",
    "Check",
    "Collection",
    "Folder",
    "FormField",
    "FormatError",
    "SavedRequest",
    "Settings",
    "collection_from_data",
    "collection_to_data",
    "request_from_data",
    "request_to_data",
]

FORMAT_VERSION = 1

Json = Any
"""A JSON-able value: str, int, float, bool, None, list or dict of them."""

CheckKind = Literal["status", "json", "header", "time"]
CheckOp = Literal["equals", "exists", "contains", "matches", "under"]
_CHECK_OPS: tuple[CheckOp, ...] = ("equals", "exists", "contains", "matches", "under")


class FormatError(ValueError):
    """A mapping that does not hold what a collection file must; `where` is its key
    path ("checks[1].json")."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


@dataclass(frozen=True)
class FormField:
    """One field of a urlencoded or multipart body; `file` is a path for a file part."""

    name: str
    value: str = ""
    file: str = ""
    content_type: str = ""


@dataclass(frozen=True)
class Body:
    """A request body: raw text (JSON, XML, text, urlencoded as typed) or form fields."""

    media_type: str
    text: str = ""
    fields: tuple[FormField, ...] = ()


@dataclass(frozen=True)
class Check:
    """One assertion saved with a request, checked by `explorer run`.

    - status equals N:             Check("status", value=201)
    - a JSON pointer equals/exists: Check("json", "/id", "exists"), Check("json", "/a", value=1)
    - a header equals/contains/matches: Check("header", "Content-Type", "contains", "json")
    - the time under N ms:          Check("time", op="under", value=500)
    """

    kind: CheckKind
    target: str = ""
    op: CheckOp = "equals"
    value: Json = None


@dataclass(frozen=True)
class Settings:
    """Transport settings that differ from the defaults (None: the default)."""

    timeout: float | None = None
    follow_redirects: bool | None = None
    verify_tls: bool | None = None


@dataclass(frozen=True)
class SavedRequest:
    """One saved request (one YAML file).

    `url` is a template: the base (often `{{baseUrl}}`) and the path with `{name}`
    placeholders filled from `path`; `operation` ("POST /contacts") links it to the
    endpoint of the spec it came from (empty for an ad-hoc request). Parameter values
    are the values as sent (text, numbers, booleans, lists, objects), `{{variables}}`
    allowed anywhere in text. `auth`: "inherit" (the slots the operation's security asks
    for, in the active environment), "none", or the names of the slots to use.
    """

    name: str
    method: str
    url: str
    operation: str = ""
    description: str = ""
    path: tuple[tuple[str, Json], ...] = ()
    query: tuple[tuple[str, Json], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    body: Body | None = None
    auth: Literal["inherit", "none"] | tuple[str, ...] = "inherit"
    environment: str = ""
    settings: Settings = field(default_factory=Settings)
    checks: tuple[Check, ...] = ()
    seq: int = 0
    """Its place among its folder's items (files are sorted by it, then by name)."""
    file: str = ""
    """Its file name without `.yaml` in its folder (set by the store; not in the file)."""


@dataclass
class Folder:
    """A folder of a collection: saved requests and sub-folders, in order."""

    name: str
    items: list[Folder | SavedRequest] = field(default_factory=list)
    seq: int = 0
    directory: str = ""
    """Its directory's name (set by the store; the name unless that one could not be)."""

    def requests(self) -> list[tuple[tuple[str, ...], SavedRequest]]:
        """Every saved request below this folder with the path of directories to it
        (what `explorer.collection.store.save_request` takes), depth first, in order."""
        out: list[tuple[tuple[str, ...], SavedRequest]] = []
        for item in self.items:
            if isinstance(item, Folder):
                out += [((item.directory or item.name, *p), r) for p, r in item.requests()]
            else:
                out.append(((), item))
        return out


@dataclass
class Collection:
    """A collection: its settings (collection.yaml) and its tree of requests."""

    name: str
    spec: str = ""
    """Where its OpenAPI document is: a path relative to the collection folder, or a URL."""
    environment: str = ""
    """The environment `explorer run` uses when none is given."""
    variables: dict[str, str] = field(default_factory=dict)
    """Variables of the collection: the environment's own override them."""
    description: str = ""
    root: Folder = field(default_factory=lambda: Folder(""))


# -- to and from plain data -------------------------------------------------------------


def _pairs_to_data(pairs: Sequence[tuple[str, Json]]) -> dict[str, Json] | list[list[Json]]:
    """A mapping when the names are unique (the readable form), else a list of pairs."""
    names = [n for n, _v in pairs]
    if len(set(names)) == len(names):
        return dict(pairs)
    return [[n, v] for n, v in pairs]


def _pairs_from_data(raw: Any, where: str, *, text_values: bool) -> tuple[tuple[str, Json], ...]:
    items: list[tuple[Any, Any]]
    if raw is None:
        return ()
    if isinstance(raw, Mapping):
        items = list(raw.items())
    elif isinstance(raw, list):
        items = []
        for i, pair in enumerate(raw):
            if not isinstance(pair, list) or len(pair) != 2:
                raise FormatError(f"{where}[{i}]", "expected a [name, value] pair")
            items.append((pair[0], pair[1]))
    else:
        raise FormatError(where, "expected a mapping of names to values")
    out: list[tuple[str, Json]] = []
    for name, value in items:
        if not isinstance(name, str) or not name:
            raise FormatError(where, f"a name must be text, not {name!r}")
        if text_values:
            if isinstance(value, bool) or value is None or isinstance(value, list | dict):
                raise FormatError(f"{where}.{name}", "expected text")
            value = str(value)
        out.append((name, value))
    return tuple(out)


def _text(raw: Mapping[str, Any], key: str, where: str, default: str = "") -> str:
    value = raw.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FormatError(f"{where}{key}", "expected text")
    return str(value)


def _body_to_data(body: Body) -> dict[str, Json]:
    out: dict[str, Json] = {"type": body.media_type}
    if body.text:
        out["text"] = body.text
    if body.fields:
        fields: list[dict[str, str]] = []
        for f in body.fields:
            item = {"name": f.name}
            if f.file:
                item["file"] = f.file
            else:
                item["value"] = f.value
            if f.content_type:
                item["content_type"] = f.content_type
            fields.append(item)
        out["fields"] = fields
    return out


def _body_from_data(raw: Any) -> Body:
    if not isinstance(raw, Mapping):
        raise FormatError("body", "expected a mapping with type and text or fields")
    media = _text(raw, "type", "body.")
    if not media:
        raise FormatError("body.type", "the media type is missing")
    fields_raw = raw.get("fields") or []
    if not isinstance(fields_raw, list):
        raise FormatError("body.fields", "expected a list")
    fields = []
    for i, f in enumerate(fields_raw):
        w = f"body.fields[{i}]."
        if not isinstance(f, Mapping):
            raise FormatError(w[:-1], "expected a mapping with name and value or file")
        name = _text(f, "name", w)
        if not name:
            raise FormatError(w + "name", "the name is missing")
        fields.append(
            FormField(name, _text(f, "value", w), _text(f, "file", w), _text(f, "content_type", w))
        )
    return Body(media, _text(raw, "text", "body."), tuple(fields))


def _check_to_data(check: Check) -> dict[str, Json]:
    if check.kind == "status":
        return {"status": check.value}
    if check.kind == "time":
        return {"time_under_ms": check.value}
    out: dict[str, Json] = {check.kind: check.target}
    out[check.op] = True if check.op == "exists" and check.value is None else check.value
    return out


def _check_from_data(raw: Any, where: str) -> Check:
    if not isinstance(raw, Mapping):
        raise FormatError(where, "expected a mapping such as {status: 200}")
    if "status" in raw:
        status = raw["status"]
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise FormatError(where + ".status", "expected a status code (100-599)")
        return Check("status", value=status)
    if "time_under_ms" in raw:
        ms = raw["time_under_ms"]
        if isinstance(ms, bool) or not isinstance(ms, int | float) or ms <= 0:
            raise FormatError(where + ".time_under_ms", "expected a number of milliseconds")
        return Check("time", op="under", value=ms)
    for kind in ("json", "header"):
        if kind in raw:
            target = raw[kind]
            if not isinstance(target, str) or (kind == "json" and target[:1] not in ("", "/")):
                what = "a JSON pointer such as /id" if kind == "json" else "a header name"
                raise FormatError(f"{where}.{kind}", f"expected {what}")
            ops = [op for op in _CHECK_OPS if op in raw]
            if len(ops) != 1:
                raise FormatError(where, "say one of: " + ", ".join(_CHECK_OPS))
            op = ops[0]
            value = raw[op]
            if op == "exists":
                if not isinstance(value, bool):
                    raise FormatError(f"{where}.exists", "expected true or false")
            elif op == "under":
                raise FormatError(f"{where}.under", "only time_under_ms takes a limit")
            elif op in ("contains", "matches") and not isinstance(value, str):
                raise FormatError(f"{where}.{op}", "expected text")
            return Check(kind, target, op, value)
    raise FormatError(where, "expected one of status, json, header, time_under_ms")


def request_to_data(req: SavedRequest) -> dict[str, Json]:
    """The mapping a request file holds: stable key order, defaults left out."""
    out: dict[str, Json] = {"name": req.name}
    if req.description:
        out["description"] = req.description
    if req.operation:
        out["operation"] = req.operation
    out["method"] = req.method
    out["url"] = req.url
    if req.path:
        out["path"] = dict(req.path)
    if req.query:
        out["query"] = _pairs_to_data(req.query)
    if req.headers:
        out["headers"] = _pairs_to_data(req.headers)
    if req.cookies:
        out["cookies"] = _pairs_to_data(req.cookies)
    if req.body is not None:
        out["body"] = _body_to_data(req.body)
    if req.auth != "inherit":
        out["auth"] = req.auth if isinstance(req.auth, str) else list(req.auth)
    if req.environment:
        out["environment"] = req.environment
    settings = {k: v for k, v in vars(req.settings).items() if v is not None}
    if settings:
        out["settings"] = settings
    if req.checks:
        out["checks"] = [_check_to_data(c) for c in req.checks]
    if req.seq:
        out["seq"] = req.seq
    return out


def request_from_data(raw: Any, *, default_name: str = "") -> SavedRequest:
    """The saved request a file's mapping describes; FormatError when it cannot be one."""
    if not isinstance(raw, Mapping):
        raise FormatError("", "a request file must hold a mapping (name, method, url, ...)")
    name = _text(raw, "name", "", default_name) or default_name
    method = _text(raw, "method", "").strip().upper()
    if not method or not method.isascii() or not method.replace("-", "").isalnum():
        raise FormatError("method", "expected an HTTP method such as GET")
    url = _text(raw, "url", "")
    if not url.strip():
        raise FormatError("url", "the URL is missing")
    path_raw = raw.get("path")
    if path_raw is not None and not isinstance(path_raw, Mapping):
        raise FormatError("path", "expected a mapping of path parameters to values")
    body = _body_from_data(raw["body"]) if raw.get("body") is not None else None
    auth_raw = raw.get("auth", "inherit")
    auth: Literal["inherit", "none"] | tuple[str, ...]
    if auth_raw in ("inherit", "none"):
        auth = auth_raw
    elif isinstance(auth_raw, list) and all(isinstance(s, str) and s for s in auth_raw):
        auth = tuple(auth_raw)
    else:
        raise FormatError("auth", "expected inherit, none, or a list of credential slot names")
    settings_raw = raw.get("settings") or {}
    if not isinstance(settings_raw, Mapping):
        raise FormatError("settings", "expected a mapping")
    settings = _settings_from_data(settings_raw)
    checks_raw = raw.get("checks") or []
    if not isinstance(checks_raw, list):
        raise FormatError("checks", "expected a list")
    seq = raw.get("seq", 0)
    if isinstance(seq, bool) or not isinstance(seq, int):
        raise FormatError("seq", "expected a whole number")
    return SavedRequest(
        name=name,
        method=method,
        url=url,
        operation=_text(raw, "operation", ""),
        description=_text(raw, "description", ""),
        path=_pairs_from_data(path_raw, "path", text_values=False),
        query=_pairs_from_data(raw.get("query"), "query", text_values=False),
        headers=_pairs_from_data(raw.get("headers"), "headers", text_values=True),
        cookies=_pairs_from_data(raw.get("cookies"), "cookies", text_values=True),
        body=body,
        auth=auth,
        environment=_text(raw, "environment", ""),
        settings=settings,
        checks=tuple(_check_from_data(c, f"checks[{i}]") for i, c in enumerate(checks_raw)),
        seq=seq,
    )


def _settings_from_data(raw: Mapping[str, Any]) -> Settings:
    timeout = raw.get("timeout")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
    ):
        raise FormatError("settings.timeout", "expected a number of seconds")
    flags: dict[str, bool | None] = {}
    for key in ("follow_redirects", "verify_tls"):
        value = raw.get(key)
        if value is not None and not isinstance(value, bool):
            raise FormatError(f"settings.{key}", "expected true or false")
        flags[key] = value
    return Settings(
        None if timeout is None else float(timeout), flags["follow_redirects"], flags["verify_tls"]
    )


def collection_to_data(col: Collection) -> dict[str, Json]:
    """The mapping collection.yaml holds (its requests live in their own files)."""
    out: dict[str, Json] = {"explorer_collection": FORMAT_VERSION, "name": col.name}
    if col.description:
        out["description"] = col.description
    if col.spec:
        out["spec"] = col.spec
    if col.environment:
        out["environment"] = col.environment
    if col.variables:
        out["variables"] = dict(col.variables)
    return out


def collection_from_data(raw: Any, *, default_name: str = "") -> Collection:
    """The collection settings collection.yaml describes (with an empty tree)."""
    if not isinstance(raw, Mapping):
        raise FormatError("", "collection.yaml must hold a mapping (name, spec, ...)")
    version = raw.get("explorer_collection", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise FormatError("explorer_collection", "expected the format's version number")
    if version > FORMAT_VERSION:
        raise FormatError(
            "explorer_collection",
            f"written by a newer explorer (format {version}; this one reads {FORMAT_VERSION})",
        )
    variables = _pairs_from_data(raw.get("variables"), "variables", text_values=True)
    return Collection(
        name=_text(raw, "name", "", default_name) or default_name,
        spec=_text(raw, "spec", ""),
        environment=_text(raw, "environment", ""),
        variables={k: str(v) for k, v in variables},
        description=_text(raw, "description", ""),
    )
