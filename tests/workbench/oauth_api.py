"""An API protected by the real OpenID provider of tests/http/oidc_peer.py, for the OAuth2
slot tests (tests/workbench/test_oauth_slot.py, tests/e2e/test_oauth_window.py).

- `protected_api(issuer)`: a small starlette app on 127.0.0.1, port 0. `GET /whoami`
  takes a bearer token, asks the provider whether it is active (token introspection, as
  the confidential client `explorer-service`) and answers 200 with what the provider says
  about it (`sub`, `client_id`, `scope`), else 401 (also for a token in `refused`).
  Every token that arrived is in `seen`.
- `provider`, `api`: fixtures of both (import `provider_fixture` and `api_fixture` into a
  test module), and
  `token_active(issuer, token)`: whether the provider still takes a token.
- `document(issuer, api_url, kind)`: an OpenAPI document for it. `GET /whoami` needs the
  scheme `login`: an `openIdConnect` scheme with the provider's discovery URL, or an
  `oauth2` scheme with its endpoints; `GET /service/whoami` needs `service`, an `oauth2`
  scheme with the client credentials flow only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from http_servers import serve
from oidc_peer import Provider, start_provider
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SERVICE, SERVICE_SECRET = "explorer-service", "service-secret"
"""The provider's confidential client (tests/http/oidc/provider.mjs): it may introspect
any token."""


@dataclass
class ProtectedApi:
    url: str
    seen: list[str] = field(default_factory=list)
    """The bearer tokens that arrived, in order ("" for a request without one)."""
    refused: set[str] = field(default_factory=set)
    """Tokens the API refuses whatever the provider says (as after a key rotation on the
    API's side): the client sees a 401 for a token that looks valid to it."""

    @property
    def served(self) -> int:
        return len(self.seen)


def _app(issuer: str, api: ProtectedApi) -> Starlette:
    async def whoami(request: Request) -> Response:
        header = request.headers.get("authorization", "")
        token = header[7:] if header[:7].lower() == "bearer " else ""
        api.seen.append(token)
        if token and token not in api.refused:
            async with httpx.AsyncClient(trust_env=False, timeout=10) as http:
                answer = await http.post(
                    issuer + "/token/introspection",
                    data={"token": token},
                    auth=(SERVICE, SERVICE_SECRET),
                )
            info = answer.json()
            if info.get("active") is True:
                return JSONResponse(
                    {k: info.get(k) for k in ("sub", "client_id", "scope")}, status_code=200
                )
        return JSONResponse(
            {"title": "Unauthorized", "status": 401},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )

    return Starlette(routes=[Route("/whoami", whoami), Route("/service/whoami", whoami)])


def protected_api(issuer: str) -> Iterator[ProtectedApi]:
    """Run the API for as long as the generator is suspended (a fixture's body)."""
    api = ProtectedApi("")
    server = serve(app=_app(issuer, api))
    api.url = next(server).url
    try:
        yield api
    finally:
        server.close()  # stops it


async def token_active(issuer: str, token: str) -> bool:
    """Whether the provider still takes `token` (introspection, as its confidential client)."""
    async with httpx.AsyncClient(trust_env=False) as http:
        said = await http.post(
            issuer + "/token/introspection", data={"token": token}, auth=(SERVICE, SERVICE_SECRET)
        )
    return said.json()["active"] is True


@pytest.fixture(scope="module", name="provider")
def provider_fixture() -> Iterator[Provider]:
    """The OpenID provider (one per test module)."""
    yield from start_provider()


@pytest.fixture(scope="module", name="api")
def api_fixture(provider: Provider) -> Iterator[ProtectedApi]:
    """The API it protects."""
    yield from protected_api(provider.issuer)


def document(issuer: str, api_url: str, kind: str = "openIdConnect") -> bytes:
    """The OpenAPI document of the protected API (see the module docstring)."""
    if kind == "openIdConnect":
        scheme: dict[str, Any] = {
            "type": "openIdConnect",
            "openIdConnectUrl": issuer + "/.well-known/openid-configuration",
        }
    else:
        scopes = {"openid": "Sign in", "offline_access": "Stay signed in", "api:read": "Read"}
        scheme = {
            "type": "oauth2",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": issuer + "/auth",
                    "tokenUrl": issuer + "/token",
                    "scopes": scopes,
                },
                "clientCredentials": {"tokenUrl": issuer + "/token", "scopes": scopes},
            },
        }
    service = {
        "type": "oauth2",
        "flows": {"clientCredentials": {"tokenUrl": issuer + "/token", "scopes": {"api:read": ""}}},
    }
    responses = {
        "200": {
            "description": "Who the token belongs to",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        "401": {"description": "No valid token"},
    }
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Protected", "version": "1"},
        "servers": [{"url": api_url}],
        "components": {"securitySchemes": {"login": scheme, "service": service}},
        "security": [{"login": ["openid"] if kind == "openIdConnect" else ["api:read"]}],
        "paths": {
            "/whoami": {"get": {"operationId": "whoami", "responses": responses}},
            "/service/whoami": {
                "get": {
                    "operationId": "serviceWhoami",
                    "security": [{"service": ["api:read"]}],
                    "responses": responses,
                }
            },
        },
    }
    return json.dumps(doc).encode()
