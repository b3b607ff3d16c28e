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
    "RedirectHop",
    "RequestInput",
    "ResponseResult",
    "Timing",
    "TransportOptions",
    "name_looks_secret",
]

# Words that make a header (or parameter) name look like it carries a credential.
SECRET_NAME_WORDS = (
    "auth",
    "cookie",
    "credential",
    "jwt",
    "key",
    "passwd",
    "password",
    "secret",
    "session",
    "signature",
    "token",
)


def name_looks_secret(name: str) -> bool:
    """True when a header name says it carries a credential: it contains key, token,
    secret, auth, session, signature, password, credential, cookie or jwt, in any case
    (`X-API-Key`, `X-Auth-Token`, `Authorization`, `X-Hub-Signature-256`, `apikey`).

    The one rule for "this header looks secret": credentials are not forwarded to
    another origin on a redirect when their names say so, and drafts and history leave
    such values out. It errs on the side of secrecy (`Idempotency-Key` counts)."""
    low = name.lower()
    return any(word in low for word in SECRET_NAME_WORDS)


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

    kind: "bearer" (token), "basic" and "digest" (username, password), "apikey" (name,
    location, token). `env_name` is the environment variable snippets use instead of the
    secret itself. Digest is answered by the Sender (it needs the server's challenge)."""

    kind: Literal["bearer", "basic", "apikey", "digest"]
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
    """A credential typed for this request alone (the Auth tab's "this request only")."""
    credentials: tuple[AuthInput, ...] = ()
    """The credentials of the environment that the operation's security requirement asks
    for: every scheme of the chosen alternative (an AND requirement is several)."""
    cookies: tuple[tuple[str, str], ...] = ()
    """Cookies of the environment's cookie jar for this URL (name, value): sent back like a
    browser would, treated as credentials (never forwarded to another origin)."""
    secret_headers: tuple[str, ...] = ()
    """Names (any case) of `headers` the user marked secret: never forwarded to another
    origin on a redirect, and written as `${NAME}` variables in snippets. The editor
    should pre-mark the names for which `name_looks_secret` is true."""


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
    credential_headers: tuple[str, ...] = ()
    """Names of the headers a credential put there, or that the user marked secret."""
    credential_query: tuple[str, ...] = ()
    """Names (decoded) of the query parameters a credential put there."""
    credential_cookies: tuple[str, ...] = ()
    """Names of the cookies (in the Cookie header) a credential put there."""
    basic_auth: tuple[str, str] | None = None
    """(username variable, password variable) when the Authorization header holds basic
    credentials built from a username and password (both in `secrets`): snippets write
    `-u "${USER_VAR}:${PASSWORD_VAR}"` instead of the encoded header."""
    digest_auth: tuple[str, str] | None = None
    """(username, password) for HTTP digest: the Sender answers the server's challenge
    (both are in `secrets` too)."""


@dataclass(frozen=True)
class TransportOptions:
    """Settings that need their own httpx client. `timeout` bounds the whole exchange
    (connecting, sending, every redirect, the headers and the whole body); 0 or less
    means no limit."""

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
class RedirectHop:
    """A redirect that was followed. `url` answered `status` to a `method` request and
    pointed at `location` (absolute, as requested next); `dropped` names the credentials
    left out because `location` is another origin: header names, and query parameters
    as `?name`. All of it is the servers' text: show it as plain text."""

    method: str
    url: str
    status: int
    location: str
    dropped: tuple[str, ...] = ()


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
    redirects: int = 0  # how many redirects were followed: len(redirect_chain)
    redirect_chain: tuple[RedirectHop, ...] = ()
    """Each redirect followed on the way to this response, first to last."""

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
