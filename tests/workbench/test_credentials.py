"""Credentials of an environment, through the workbench, against `explorer mock` serving the
demo (127.0.0.1, port 0): the login that sticks, a token that expires, a 401 that logs in
again once, the cookie session, AND requirements, variables; nothing retried in a loop."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail

from explorer import spec
from explorer.demo import demo_spec_path
from explorer.http import RequestInput, ResponseResult, TransportOptions
from explorer.mock import MockServer
from explorer.store import Settings
from explorer.store.environments import ApiEnvironments
from explorer.store.secrets import SecretStore
from explorer.store.usage import Usage
from explorer.workbench import RequestSession, Services, Workbench
from explorer.workbench.credentials import Credentials, decode_jwt, jwt_expiry, natural_kind

OPTIONS = TransportOptions(timeout=10)


@pytest.fixture(scope="module")
def demo() -> spec.Spec:
    return spec.load(demo_spec_path())


@pytest.fixture(scope="module")
def server(demo: spec.Spec) -> Iterator[MockServer]:
    mock = MockServer(demo, host="127.0.0.1", port=0).start()
    yield mock
    mock.stop()


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def setup(
    demo: spec.Spec, tmp_path: Path, clock: Clock | None = None
) -> tuple[Workbench, Credentials]:
    services = Services(settings=Settings(tmp_path / "settings.json"))
    bench = Workbench(services)
    creds = Credentials(
        demo,
        ApiEnvironments.defaults(demo.title),
        SecretStore(backend=fail.Keyring()),  # memory: the real keyring is tested apart
        environ={},
        clock=clock or time.time,
        usage=Usage(tmp_path / "usage.json"),
    )
    bench.credentials = creds
    return bench, creds


def send(bench: Workbench, base: str, method: str, path: str, **kw: Any) -> RequestSession:
    session = bench.open(RequestSession(op_key=f"{method} {path}"))
    op = bench.credentials.api.find(f"{method} {path}")  # type: ignore[union-attr]

    async def go() -> None:
        task = bench.send(session, RequestInput(method, base, path, **kw), OPTIONS, op=op)
        if task is not None:
            await task
        await bench.services.aclose()

    asyncio.run(go())
    return session


def status(session: RequestSession) -> int:
    assert isinstance(session.result, ResponseResult), (session.phase, session.error)
    return session.result.status


def test_the_demos_bearer_slot_logs_in_by_itself(
    demo: spec.Spec, server: MockServer, tmp_path: Path
) -> None:
    bench, creds = setup(demo, tmp_path)
    assert natural_kind(demo, demo.security_schemes["bearerAuth"]) == "login"
    slot = creds.slot("bearerAuth")
    assert slot.login.operation == "POST /auth/login"
    assert slot.login.fields == {"email": "demo@ecosire.com"}  # the plain field, from the example
    assert slot.login.secret_fields == ("password",)
    # no password stored: not satisfiable; the request goes out and the server says 401
    assert status(send(bench, server.api_url, "GET", "/contacts")) == 401
    asyncio.run(creds.set_secret("bearerAuth", "password", "demo-password"))
    session = send(bench, server.api_url, "GET", "/contacts")
    assert status(session) == 200
    sent = dict(session.prepared.headers)  # type: ignore[union-attr]
    token = sent["Authorization"].removeprefix("Bearer ")
    assert decode_jwt(token) is not None and jwt_expiry(token) is not None
    assert creds.cached("bearerAuth", "token") == token  # kept: the next call reuses it
    assert status(send(bench, server.api_url, "GET", "/contacts")) == 200
    assert creds.usage is not None
    stats = creds.usage.stats(creds.credential_key("bearerAuth"))
    assert stats.requests == 2 and stats.errors == 0 and stats.today == 2


def test_an_expired_token_and_a_401_log_in_again_once(
    demo: spec.Spec, server: MockServer, tmp_path: Path
) -> None:
    clock = Clock()
    bench, creds = setup(demo, tmp_path, clock)
    asyncio.run(creds.set_secret("bearerAuth", "password", "demo-password"))
    first = send(bench, server.api_url, "GET", "/contacts")
    token = creds.cached("bearerAuth", "token")
    assert status(first) == 200 and token
    # a day later the JWT has expired: logged in again before the request
    clock.now += 25 * 3600
    time.sleep(1.1)  # the mock's clock is real: a new token needs a new second
    again = send(bench, server.api_url, "GET", "/contacts")
    assert status(again) == 200 and creds.cached("bearerAuth", "token") != token
    # a token the server refuses (revoked, tampered): 401, log in again, sent once more
    clock.now = time.time()
    creds.clear_jar()  # the login's session cookie would let the request through alone
    asyncio.run(creds.set_secret("bearerAuth", "token", "e30.e30.bad"))
    retried = send(bench, server.api_url, "GET", "/contacts")
    assert status(retried) == 200
    assert "logged in again" in retried.note


def test_a_wrong_password_fails_once_with_the_servers_words(
    demo: spec.Spec, server: MockServer, tmp_path: Path
) -> None:
    bench, creds = setup(demo, tmp_path)
    asyncio.run(creds.set_secret("bearerAuth", "password", "wrong-password"))
    calls_before = server.app.served
    session = send(bench, server.api_url, "GET", "/contacts")
    assert session.phase == "error"
    assert "Logging in (development) failed: 401" in session.error
    assert server.app.served - calls_before == 1  # the login, and nothing after it
    assert "bearerAuth" in creds.login_failures  # a 401 will not log in again with it
    from explorer.http import AuthInput

    op, sent = demo.find("GET /contacts"), (AuthInput("bearer", token="x"),)
    assert creds.can_renew(op, sent) is None
    asyncio.run(creds.set_secret("bearerAuth", "password", "demo-password"))  # fixed: forgiven
    assert creds.can_renew(op, sent) == "bearerAuth"


def test_the_cookie_session_is_sent_back(
    demo: spec.Spec, server: MockServer, tmp_path: Path
) -> None:
    bench, creds = setup(demo, tmp_path)
    body = json.dumps({"email": "demo@ecosire.com", "password": "demo-password"})
    from explorer.http import BodyInput

    login = send(
        bench, server.api_url, "POST", "/auth/login", body=BodyInput("application/json", body)
    )
    assert status(login) == 200
    cookies = creds.jar_cookies()
    assert [c["name"] for c in cookies] == ["ecosire_auth"] and cookies[0]["http_only"]
    assert asyncio.run(creds.satisfiable("cookieAuth"))
    # bearer cannot be met (no password), the cookie can: the jar is the session
    contacts = send(bench, server.api_url, "GET", "/contacts")
    assert status(contacts) == 200
    assert "ecosire_auth=" in dict(contacts.prepared.headers)["Cookie"]  # type: ignore[union-attr]
    creds.clear_jar()
    assert status(send(bench, server.api_url, "GET", "/contacts")) == 401


def test_every_scheme_of_an_and_requirement_and_variables(tmp_path: Path) -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Pair", "version": "1"},
        "components": {
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "clientId": {"type": "apiKey", "in": "query", "name": "client_id"},
            }
        },
        "paths": {
            "/echo/pair": {
                "get": {
                    "security": [{"apiKey": [], "clientId": []}],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    api = spec.load_bytes(json.dumps(doc).encode())
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "http"))
    from http_servers import serve

    gen = serve()
    echo = next(gen)
    try:
        services = Services(settings=Settings(tmp_path / "settings.json"))
        bench = Workbench(services)
        creds = Credentials(
            api,
            ApiEnvironments.defaults("Pair"),
            SecretStore(backend=fail.Keyring()),
            environ={"PAIR_API_KEY": "from-env"},
        )
        bench.credentials = creds
        creds.envs.current.variables["host"] = echo.url
        asyncio.run(creds.set_secret("clientId", "key", "client-1"))
        session = send(bench, "{{host}}", "GET", "/echo/pair")
        arrived = json.loads(session.result.body)  # type: ignore[union-attr]
        headers = {k.lower(): v for k, v in arrived["headers"]}
        assert headers["x-api-key"] == "from-env"  # the environment variable snippets name
        assert "client_id=client-1" in arrived["query"]
        unknown = send(bench, "{{nowhere}}", "GET", "/echo/pair")
        assert unknown.phase == "error" and "{{nowhere}}" in unknown.error
    finally:
        gen.close()


def test_a_login_slot_takes_its_password_or_token_from_the_environment(
    demo: spec.Spec, server: MockServer, tmp_path: Path
) -> None:
    """For scripts and CI (explorer run): no keyring, the secrets in variables."""
    bench, creds = setup(demo, tmp_path)
    assert creds.env_variable("bearerAuth", "password") == "ECOSIRE_PASSWORD"
    assert creds.env_variable("bearerAuth", "token") == "ECOSIRE_TOKEN"
    assert creds.env_variable("apiKey", "token") == "ECOSIRE_API_KEY"
    assert creds.env_variable("bearerAuth", "email") == ""  # not a secret field
    creds.environ = {"ECOSIRE_PASSWORD": "demo-password"}
    session = send(bench, server.api_url, "GET", "/contacts")
    assert status(session) == 200
    token = dict(session.prepared.headers)["Authorization"].removeprefix("Bearer ")  # type: ignore[union-attr]
    assert decode_jwt(token) is not None

    bench2, creds2 = setup(demo, tmp_path)
    creds2.environ = {"ECOSIRE_TOKEN": token}  # a token given as is: no login needed
    again = send(bench2, server.api_url, "GET", "/contacts")
    assert status(again) == 200
    assert dict(again.prepared.headers)["Authorization"] == f"Bearer {token}"  # type: ignore[union-attr]
    bench3, creds3 = setup(demo, tmp_path)
    creds3.environ = {"ECOSIRE_PASSWORD": "not-the-password"}
    failed = send(bench3, server.api_url, "GET", "/contacts")
    assert failed.phase == "error" and "Logging in (development) failed: 401" in failed.error


def test_a_login_fields_default_may_come_from_the_environment(
    demo: spec.Spec, tmp_path: Path
) -> None:
    """On a CI machine with no environments file: ECOSIRE_EMAIL over the example."""
    _bench, creds = setup(demo, tmp_path)
    creds.environ = {"ECOSIRE_EMAIL": "ci@example.com"}
    assert creds.slot("bearerAuth").login.fields == {"email": "ci@example.com"}
    _bench, plain = setup(demo, tmp_path)
    assert plain.slot("bearerAuth").login.fields == {"email": "demo@ecosire.com"}
