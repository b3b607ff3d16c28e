"""A mock HTTP server for any OpenAPI document. No Qt here.

    >>> from explorer import mock, spec
    >>> with mock.MockServer("openapi.yaml") as server:   # 127.0.0.1, a free port
    ...     httpx.get(server.api_url + "/pets/1")

It routes every operation (under each server URL's base path), answers with the
document's examples or with values made from the response schemas (`Prefer: code=404`,
`Prefer: example=NAME`, `Prefer: dynamic=true` choose), validates parameters and bodies
(422 problem documents naming each field), enforces security (401) and `x-ratelimit`
(429 with `Retry-After`, `X-RateLimit-*` on every answer), and for a document that declares
`x-explorer-demo` (the ECOSIRE demo) logs users in with real JWTs and keeps contacts, API
keys and webhook endpoints in memory.

`explorer mock [SPEC]` runs it from the command line (`cli_main`).
"""

from explorer.mock._app import MAX_BODY, MockApp
from explorer.mock._security import jwt_decode, jwt_encode
from explorer.mock._server import MockServer, cli_main, create_app, demo_spec_path

__all__ = [
    "MAX_BODY",
    "MockApp",
    "MockServer",
    "cli_main",
    "create_app",
    "demo_spec_path",
    "jwt_decode",
    "jwt_encode",
]
