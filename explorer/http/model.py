"""Plain data for one HTTP exchange: what the user filled in, what is sent, what came back.

RequestInput  --build_request()-->  PreparedRequest  --send()-->  ResponseResult | NetworkFailure
                                           |                             |
                                       to_curl()       parse_problem(), parse_rate_limit()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "AuthInput",
    "BodyInput",
    "FieldError",
    "FormField",
    "NetworkFailure",
    "ParamValue",
    "PreparedRequest",
    "Problem",
    "RateLimit",
    "RequestInput",
    "ResponseResult",
    "Timing",
    "TransportOptions",
]


@dataclass(frozen=True)
class ParamValue:
    """A filled path, query, header or cookie parameter.

    `value` is typed as the form produced it: str, int, float, bool, a list (array
    parameters) or a dict (object parameters); serialised by `style`/`explode` (OpenAPI
    defaults by location when empty/None)."""

    name: str
    location: str  # path, query, header, cookie
    value: Any
    style: str = ""
    explode: bool | None = None


@dataclass(frozen=True)
class FormField:
    """A row of an urlencoded or multipart body; `file_path` set for a file upload."""

    name: str
    value: str = ""
    file_path: str = ""
    content_type: str = ""


@dataclass(frozen=True)
class BodyInput:
    """The body as the user wrote it: text (JSON, XML, raw) or form rows."""

    media_type: str
    text: str = ""
    fields: tuple[FormField, ...] = ()


@dataclass(frozen=True)
class AuthInput:
    """A credential to attach to a request.

    kind: "bearer" (token), "basic" (username, password), "apikey" (name, location, token).
    `env_name` is the environment variable snippets use instead of the secret itself."""

    kind: Literal["bearer", "basic", "apikey"]
    token: str = ""
    username: str = ""
    password: str = ""
    name: str = ""  # apikey: header, query or cookie name
    location: str = "header"  # apikey: header, query, cookie
    env_name: str = "API_TOKEN"


@dataclass(frozen=True)
class RequestInput:
    """Everything needed to build one request for an operation."""

    method: str
    base_url: str  # the chosen server, variables substituted
    path: str  # the path template, "/contacts/{contactId}"
    params: tuple[ParamValue, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()  # extra headers typed by the user
    body: BodyInput | None = None
    auth: AuthInput | None = None


@dataclass(frozen=True)
class PreparedRequest:
    """Exactly what goes on the wire (short of multipart encoding)."""

    method: str
    url: str  # absolute, encoded
    headers: tuple[tuple[str, str], ...] = ()
    content: bytes | None = None  # raw body (JSON, text, urlencoded)
    form: tuple[tuple[str, str], ...] = ()  # multipart text fields
    files: tuple[tuple[str, str, str], ...] = ()  # multipart files: (field, path, content type)
    secrets: tuple[tuple[str, str], ...] = ()  # (secret value, env var name) for snippets


@dataclass(frozen=True)
class TransportOptions:
    """Settings that need their own httpx client."""

    timeout: float = 30.0
    follow_redirects: bool = True
    verify_tls: bool = True
    proxy: str = ""


@dataclass(frozen=True)
class Timing:
    """Where the time went, in seconds; None for a phase that did not happen (reused
    connection, plain HTTP)."""

    connect: float | None = None
    tls: float | None = None
    first_byte: float | None = None  # from request sent to response headers
    download: float | None = None
    total: float = 0.0


@dataclass(frozen=True)
class ResponseResult:
    """A response that arrived (any status)."""

    request: PreparedRequest
    status: int
    reason: str
    http_version: str
    url: str  # final URL after redirects
    headers: tuple[tuple[str, str], ...]
    body: bytes
    timing: Timing = field(default_factory=Timing)
    redirects: int = 0

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    @property
    def size(self) -> int:
        return len(self.body)


@dataclass(frozen=True)
class NetworkFailure:
    """A request that got no response."""

    kind: Literal["refused", "dns", "timeout", "tls", "reset", "protocol", "too_large", "other"]
    message: str  # one plain sentence for the user
    url: str
    elapsed: float = 0.0


@dataclass(frozen=True)
class FieldError:
    """One field error of a problem document; `field` as the API wrote it ("email",
    "address.city", "items[0].qty"), `pointer` the JSON pointer made from it."""

    field: str
    message: str
    pointer: str


@dataclass(frozen=True)
class Problem:
    """An RFC 7807 problem document, or the ECOSIRE shape (statusCode/error/message/details)."""

    status: int | None
    title: str
    detail: str
    type: str = ""
    instance: str = ""
    errors: tuple[FieldError, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RateLimit:
    """What X-RateLimit-* and Retry-After said; `reset_at` and `retry_at` are Unix times."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None
    retry_after: float | None = None  # seconds, from Retry-After
    retry_at: float | None = None  # when the response arrived + retry_after
