"""The typed model of an OpenAPI document: plain, frozen data.

One model serves OpenAPI 2.0 (Swagger), 3.0 and 3.1. What is cheap is read when the
document loads (titles, servers, the operation index, modules); what is not is read
lazily, the first time it is asked for (an operation's parameters, body and responses,
with their `$ref`s resolved). Schemas are handed out as plain JSON-like dicts with every
`$ref` already followed; a reference cycle shows as a dict with the key `CYCLE_KEY`, an
unresolvable reference as one with `UNRESOLVED_KEY`. Treat those dicts as read-only: they
are shared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.spec._build import OperationSource

__all__ = [
    "CYCLE_KEY",
    "HTTP_METHODS",
    "REF_KEY",
    "UNRESOLVED_KEY",
    "Callback",
    "Example",
    "Header",
    "MediaType",
    "Module",
    "OAuthFlow",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "Schema",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Spec",
    "SpecWarning",
    "TagGroup",
    "follow_cycle",
    "path_tail",
]

Schema = Mapping[str, Any]
"""A JSON Schema as a read-only mapping, `$ref`s already resolved."""

SecurityRequirement = Mapping[str, tuple[str, ...]]
"""One alternative of a security requirement: scheme name -> scopes. All must be met."""

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

REF_KEY = "x-explorer-ref"
"""Set on a schema that came from a `$ref`: the reference it came from."""
CYCLE_KEY = "x-explorer-cycle"
"""Marks where references go round in a cycle: the reference. Inside a cycle each schema
is spelled out once (and at most two references deep), then marked; an operation's
schemas are the same whatever was resolved before them."""
UNRESOLVED_KEY = "x-explorer-unresolved"
"""Marks a `$ref` that could not be followed: the reference."""


_TAIL = re.compile(r"[#?]")


def path_tail(path: str) -> tuple[str, str]:
    """(service, operation) a path names after `#` or `?`: `/#X-Amz-Target=Svc.Op` ->
    ("Svc", "Op"); `/?Action=Describe&Version=1` -> ("", "Describe"); ("", "") when the
    path has no such tail."""
    found = _TAIL.search(path)
    if found is None:
        return "", ""
    tail = path[found.end() :]
    first = re.split(r"[&;#?]", tail, maxsplit=1)[0]
    value = first.partition("=")[2] or first
    service, dot, operation = value.rpartition(".")
    return (service if dot else ""), operation.strip()


def follow_cycle(marker: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The schema a cycle marker stands for (itself resolved, with markers of its own),
    or None for a marker that cannot be followed (one made by hand, not by the loader).

    Validation follows markers (so what a schema inherits past the cut still counts), and
    so does `sample()` where a value must go on (a required property)."""
    follow = getattr(marker, "follow", None)
    return follow() if callable(follow) else None


_TEMPLATE = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class SpecWarning:
    """Something odd in a document that did not stop it from loading."""

    message: str
    pointer: str = ""
    source: str = ""

    def __str__(self) -> str:
        where = self.pointer or self.source
        return f"{self.message} (at {where})" if where else self.message


@dataclass(frozen=True)
class ServerVariable:
    """A `{name}` in a server URL."""

    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Server:
    """A base URL the API is served from, possibly templated with variables."""

    url: str
    description: str = ""
    variables: tuple[ServerVariable, ...] = ()

    def resolve(self, values: Mapping[str, str] | None = None) -> str:
        """The URL with each `{variable}` replaced by the given value or its default."""
        given = values or {}
        defaults = {v.name: v.default for v in self.variables}

        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            return str(given.get(name) or defaults.get(name, m.group(0)))

        return _TEMPLATE.sub(sub, self.url)


@dataclass(frozen=True)
class OAuthFlow:
    """One OAuth2 flow of a security scheme."""

    kind: str  # authorizationCode, clientCredentials, password, implicit, deviceCode
    authorization_url: str = ""
    token_url: str = ""
    refresh_url: str = ""
    device_authorization_url: str = ""
    scopes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SecurityScheme:
    """A way to authenticate, as the document declares it."""

    name: str
    type: str  # apiKey, http, oauth2, openIdConnect, mutualTLS
    description: str = ""
    scheme: str = ""  # for http: bearer, basic, digest ...
    bearer_format: str = ""
    param_name: str = ""  # for apiKey: the header, query or cookie name
    location: str = ""  # for apiKey: header, query, cookie
    flows: tuple[OAuthFlow, ...] = ()
    openid_connect_url: str = ""
    extensions: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Example:
    """A named example value."""

    name: str
    value: Any = None
    summary: str = ""
    description: str = ""
    external_value: str = ""


@dataclass(frozen=True)
class MediaType:
    """A body in one media type: its schema and examples."""

    media_type: str
    schema: Schema | None = None
    examples: tuple[Example, ...] = ()
    encoding: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Parameter:
    """A path, query, header or cookie parameter."""

    name: str
    location: str  # path, query, header, cookie
    required: bool = False
    description: str = ""
    deprecated: bool = False
    schema: Schema = field(default_factory=dict)
    style: str = ""
    explode: bool | None = None
    allow_empty_value: bool = False
    example: Any = None
    examples: tuple[Example, ...] = ()
    media_type: str = ""  # set when the parameter is described by `content`


@dataclass(frozen=True)
class RequestBody:
    """What an operation accepts as its body, per media type."""

    description: str = ""
    required: bool = False
    content: tuple[MediaType, ...] = ()

    def media(self, media_type: str) -> MediaType | None:
        return next((m for m in self.content if m.media_type == media_type), None)


@dataclass(frozen=True)
class Header:
    """A response header."""

    name: str
    description: str = ""
    required: bool = False
    schema: Schema = field(default_factory=dict)


@dataclass(frozen=True)
class Response:
    """One response of an operation: a status ("200", "4XX", "default") and its bodies."""

    status: str
    description: str = ""
    content: tuple[MediaType, ...] = ()
    headers: tuple[Header, ...] = ()

    def media(self, media_type: str) -> MediaType | None:
        return next((m for m in self.content if m.media_type == media_type), None)


@dataclass(frozen=True)
class Callback:
    """A named callback of an operation: runtime expression -> the requests it sends."""

    name: str
    expression: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True, eq=False)
class Operation:
    """One method on one path (or one webhook event).

    The index fields are read when the document loads; the rest is read the first time it
    is asked for, `$ref`s resolved, and then kept.
    """

    method: str  # upper case: GET, POST ...
    path: str  # "/pets/{petId}"; for a webhook, the event name
    operation_id: str
    summary: str
    module: str
    tags: tuple[str, ...] = ()
    deprecated: bool = False
    kind: str = "operation"  # operation, webhook, callback
    pointer: str = ""  # JSON pointer of the operation object in its document
    _source: OperationSource | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        """ "METHOD /path", unique within a document."""
        return f"{self.method} {self.path}"

    @property
    def title(self) -> str:
        return self.summary or self.operation_id or self.key

    @property
    def name(self) -> str:
        """The operation's name where its path names it after `#` or `?` (operation-style
        APIs: `/#X-Amz-Target=Svc.CreateThing` -> "CreateThing", `/?Action=Describe` ->
        "Describe"); "" for an ordinary path."""
        return path_tail(self.path)[1]

    def _src(self) -> OperationSource:
        if self._source is None:
            raise RuntimeError("operation has no source document")
        return self._source

    @cached_property
    def description(self) -> str:
        return self._src().description()

    @cached_property
    def parameters(self) -> tuple[Parameter, ...]:
        """Path-level parameters merged with the operation's (overridden by name and `in`)."""
        return self._src().parameters()

    @cached_property
    def request_body(self) -> RequestBody | None:
        return self._src().request_body()

    @cached_property
    def responses(self) -> tuple[Response, ...]:
        return self._src().responses()

    @cached_property
    def security(self) -> tuple[SecurityRequirement, ...]:
        """Alternatives, any one of which suffices; empty means no authentication."""
        return self._src().security()

    @cached_property
    def servers(self) -> tuple[Server, ...]:
        """The servers for this operation: its own, its path's, or the document's."""
        return self._src().servers()

    @cached_property
    def callbacks(self) -> tuple[Callback, ...]:
        return self._src().callbacks()

    @cached_property
    def extensions(self) -> Mapping[str, Any]:
        """The operation's `x-` members, as written."""
        return self._src().extensions()

    def response(self, status: int | str) -> Response | None:
        """The response declared for a status: exact, then "4XX"-style, then default."""
        code = str(status)
        by_status = {r.status.upper(): r for r in self.responses}
        return by_status.get(code) or by_status.get(code[:1] + "XX") or by_status.get("DEFAULT")

    def parameter(self, name: str, location: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name and p.location == location), None)

    def resolve_all(self) -> None:
        """Read every lazy part now (for linting and benchmarks)."""
        for name in (
            "description",
            "parameters",
            "request_body",
            "responses",
            "security",
            "servers",
            "callbacks",
            "extensions",
        ):
            getattr(self, name)


@dataclass(frozen=True)
class Module:
    """A group of operations: a tag, or for untagged documents a path segment."""

    name: str
    description: str = ""
    operations: tuple[Operation, ...] = ()


@dataclass(frozen=True)
class TagGroup:
    """An `x-tagGroups` entry: a named group of modules."""

    name: str
    modules: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Spec:
    """A loaded OpenAPI document."""

    source: str
    openapi_version: str  # "2.0", "3.0.3", "3.1.0" ...
    title: str
    version: str
    description: str
    servers: tuple[Server, ...]
    security_schemes: Mapping[str, SecurityScheme]
    security: tuple[SecurityRequirement, ...]
    modules: tuple[Module, ...]
    operations: tuple[Operation, ...]
    webhooks: tuple[Operation, ...]
    tag_groups: tuple[TagGroup, ...]
    schema_names: tuple[str, ...]
    warnings: list[SpecWarning] = field(default_factory=list, compare=False)
    raw: Any = field(default=None, repr=False, compare=False)
    consent: tuple[str, ...] = ()
    """What references were not followed for want of the user's consent: "outside"
    (files outside the document's folder), "remote" (http(s) documents). Loading again
    with `allow_outside_refs` / `allow_remote_refs` follows them."""

    @cached_property
    def _by_key(self) -> dict[str, Operation]:
        return {op.key: op for op in self.operations}

    @cached_property
    def _by_id(self) -> dict[str, Operation]:
        by_id: dict[str, Operation] = {}
        for op in self.operations:  # the first of duplicates keeps the name
            if op.operation_id:
                by_id.setdefault(op.operation_id, op)
        return by_id

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation for a method and path template, or None."""
        return self._by_key.get(f"{method.upper()} {path}")

    def find(self, key_or_id: str) -> Operation | None:
        """An operation by "METHOD /path" or by operationId."""
        if " " in key_or_id:
            method, _, path = key_or_id.strip().partition(" ")
            return self.operation(method, path.strip())
        return self._by_id.get(key_or_id)

    def module(self, name: str) -> Module | None:
        return next((m for m in self.modules if m.name == name), None)

    @property
    def is_swagger2(self) -> bool:
        return self.openapi_version.startswith("2")

    @property
    def is_openapi31(self) -> bool:
        return self.openapi_version.startswith("3.1")
