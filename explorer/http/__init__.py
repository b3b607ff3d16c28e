"""From a filled request to httpx and back. No Qt here.

    >>> from explorer import http
    >>> prepared = http.build_request(http.RequestInput("GET", base_url, "/contacts/{id}",
    ...     params=(http.ParamValue("id", "path", "c_1"),), auth=http.AuthInput("bearer", token=t)))
    >>> sender = http.Sender()
    >>> result = await sender.send(prepared, http.TransportOptions(timeout=10))
    >>> if isinstance(result, http.ResponseResult):
    ...     http.parse_problem(result), http.parse_rate_limit(result, received_at)
    >>> http.to_curl(prepared)        # secrets as ${ENV_NAME}
    >>> await sender.aclose()

`build_request` raises `RequestError` for input that cannot make a request; `send` never
raises for a network problem (it returns a `NetworkFailure`), only `CancelledError`.
`send` follows redirects itself and drops every credential on the way to another origin
(`result.redirect_chain` says what); `name_looks_secret` is the one rule for header names
that carry a credential.
"""

from typing import TYPE_CHECKING, Any

__all__ = [
    "DEFAULT_MAX_BODY",
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
    "RequestError",
    "RequestInput",
    "ResponseResult",
    "Sender",
    "Timing",
    "TransportOptions",
    "build_request",
    "is_json_media_type",
    "name_looks_secret",
    "parse_problem",
    "parse_rate_limit",
    "to_curl",
]

if TYPE_CHECKING:
    from explorer.errors import RequestError
    from explorer.http.build import build_request
    from explorer.http.media import is_json_media_type
    from explorer.http.model import (
        AuthInput,
        BodyInput,
        FieldError,
        FormField,
        NetworkFailure,
        ParamValue,
        PreparedRequest,
        Problem,
        RateLimit,
        RedirectHop,
        RequestInput,
        ResponseResult,
        Timing,
        TransportOptions,
        name_looks_secret,
    )
    from explorer.http.problems import parse_problem, parse_rate_limit
    from explorer.http.send import DEFAULT_MAX_BODY, Sender
    from explorer.http.snippets import to_curl

_HOMES = {
    "RequestError": "explorer.errors",
    "build_request": "explorer.http.build",
    "is_json_media_type": "explorer.http.media",
    "parse_problem": "explorer.http.problems",
    "parse_rate_limit": "explorer.http.problems",
    "Sender": "explorer.http.send",
    "DEFAULT_MAX_BODY": "explorer.http.send",
    "to_curl": "explorer.http.snippets",
}
"""Where each public name lives (the rest are in `explorer.http.model`)."""


def __getattr__(name: str) -> Any:
    # Every name loads on first use: importing one module of this package (the model, for
    # the window's start-up) must not import the others, and the sender needs httpx
    # (~150 ms to import).
    if name not in __all__:
        raise AttributeError(f"module 'explorer.http' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_HOMES.get(name, "explorer.http.model")), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value
