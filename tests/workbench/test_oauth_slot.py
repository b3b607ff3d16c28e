"""An OAuth2 / OpenID Connect credential slot, through the workbench, against the real
OpenID provider (oidc-provider on 127.0.0.1, tests/http/oidc_peer.py) and an API that
checks every bearer token with it (oauth_api.py): settings from the scheme, sign-in by
browser, device code or client credentials, the bearer token on every request, renewal
before a request and after a 401, and "sign in again" once only the person can help."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from keyring.backends import fail
from oauth_api import (  # noqa: F401  (the fixtures `provider` and `api` too)
    SERVICE,
    SERVICE_SECRET,
    ProtectedApi,
    api_fixture,
    document,
    provider_fixture,
    token_active,
)
from oidc_peer import LOGIN, Browser, Provider

from explorer import spec
from explorer.errors import OAuthError
from explorer.http import RequestInput, ResponseResult, TransportOptions
from explorer.http.oauth import (
    AUTHORIZATION_CODE,
    CLIENT_CREDENTIALS,
    DEVICE_CODE,
    OAuthSettings,
    TokenSet,
)
from explorer.store import Settings
from explorer.store.environments import ApiEnvironments, Slot, secret_name
from explorer.store.secrets import SecretStore
from explorer.workbench import RequestSession, Services, Workbench
from explorer.workbench.credentials import Credentials, natural_kind, secret_parts

OPTIONS = TransportOptions(timeout=10)
PUBLIC, SHORT = "explorer-public", "explorer-short"  # SHORT: access tokens live 1 s
SCOPES = ("openid", "offline_access")


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def setup(
    provider: Provider,
    api: ProtectedApi,
    tmp_path: Path,
    *,
    kind: str = "openIdConnect",
    clock: Clock | None = None,
) -> tuple[Workbench, Credentials]:
    doc = spec.load_bytes(document(provider.issuer, api.url, kind))
    bench = Workbench(Services(settings=Settings(tmp_path / "settings.json")))
    creds = Credentials(
        doc,
        ApiEnvironments.defaults(doc.title),
        SecretStore(backend=fail.Keyring()),  # memory: the real keyring is tested in e2e
        environ={},
        clock=clock or time.time,
    )
    bench.credentials = creds
    return bench, creds


def use_client(creds: Credentials, client_id: str, **changes: Any) -> OAuthSettings:
    """What a person types on the card: the client ID and whatever else."""
    settings = creds.oauth_settings("login")
    typed = OAuthSettings.from_json({**settings.to_json(), "client_id": client_id, **changes})
    creds.set_oauth_settings("login", typed)
    return typed


def run(bench: Workbench, scenario: Coroutine[Any, Any, None]) -> None:
    """Run a scenario in one event loop, then close the workbench's connections. Nothing
    may reach the loop's exception handler (the window shows what does as an error)."""
    reported: list[dict[str, Any]] = []

    async def whole() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda _loop, c: reported.append(c))
        try:
            await scenario
        finally:
            await bench.services.aclose()

    asyncio.run(whole())
    assert reported == []


async def send(bench: Workbench, api: ProtectedApi) -> RequestSession:
    session = bench.open(RequestSession(op_key="GET /whoami"))
    op = bench.credentials.api.find("GET /whoami")  # type: ignore[union-attr]
    task = bench.send(session, RequestInput("GET", api.url, "/whoami"), OPTIONS, op=op)
    if task is not None:
        await task
    return session


def answer(session: RequestSession) -> tuple[int, dict[str, Any]]:
    assert isinstance(session.result, ResponseResult), (session.phase, session.error)
    body = json.loads(session.result.body) if session.result.status == 200 else {}
    return session.result.status, body


def sent_token(session: RequestSession) -> str:
    assert session.prepared is not None
    return dict(session.prepared.headers)["Authorization"].removeprefix("Bearer ")


async def stored(creds: Credentials, part: str = "tokens") -> str | None:
    return await creds.secrets.get(secret_name(creds.api.title, creds.env.name, "login", part))


async def revoke(provider: Provider, token: str, client_id: str = PUBLIC) -> None:
    async with httpx.AsyncClient(trust_env=False) as http:
        done = await http.post(
            provider.issuer + "/token/revocation", data={"token": token, "client_id": client_id}
        )
        assert done.status_code == 200, done.text


# -- settings -------------------------------------------------------------------------------


def test_the_slot_takes_its_defaults_from_the_scheme_and_keeps_no_secret_in_settings(
    provider: Provider, api: ProtectedApi, tmp_path: Path
) -> None:
    bench, oidc = setup(provider, api, tmp_path)
    scheme = oidc.scheme("login")
    assert natural_kind(oidc.api, scheme) == "oauth2" and oidc.kind_of("login") == "oauth2"
    defaults = oidc.oauth_settings("login")
    assert defaults.issuer == provider.issuer + "/.well-known/openid-configuration"
    assert defaults.flow == AUTHORIZATION_CODE and defaults.scopes == ("openid",)
    assert defaults.client_id == "" and not oidc.slot("login").oauth  # nothing kept yet

    _bench, plain = setup(provider, api, tmp_path, kind="oauth2")
    code = plain.oauth_settings("login")
    assert (code.authorization_url, code.token_url) == (
        provider.issuer + "/auth",
        provider.issuer + "/token",
    )
    assert code.scopes == ("api:read",) and not code.issuer  # the document's requirement
    machine = plain.oauth_defaults("login", CLIENT_CREDENTIALS)
    assert machine.flow == CLIENT_CREDENTIALS and not machine.authorization_url
    # a flow the scheme does not declare: its first one instead
    assert plain.oauth_defaults("login", DEVICE_CODE).flow == AUTHORIZATION_CODE

    # what is typed is kept in the environment, read back the same; secrets are not there
    typed = use_client(oidc, PUBLIC, scopes=list(SCOPES))

    async def scenario() -> None:
        await oidc.set_secret("login", "client_secret", "very-secret-value")

    run(bench, scenario())
    kept = json.dumps(oidc.envs.to_json())
    assert PUBLIC in kept and "very-secret-value" not in kept
    again = Slot.from_json("login", json.loads(json.dumps(oidc.slot("login").to_json())))
    assert OAuthSettings.from_json(again.oauth) == typed == oidc.oauth_settings("login")
    # another environment has settings of its own
    assert oidc.oauth_settings("login", "production").client_id == ""
    # what a person gives it (`explorer secret set`): the client secret; tokens come by signing in
    assert secret_parts(oidc.slot("login")) == ("client_secret",)


# -- signing in -----------------------------------------------------------------------------


def test_sign_in_through_the_browser_then_every_request_sends_the_bearer_token(
    provider: Provider, api: ProtectedApi, tmp_path: Path
) -> None:
    bench, creds = setup(provider, api, tmp_path)
    use_client(creds, PUBLIC, scopes=list(SCOPES))
    browser = Browser(provider.issuer)

    async def scenario() -> None:
        before = await send(bench, api)  # not signed in: nothing is sent, the API says 401
        assert answer(before)[0] == 401 and api.seen[-1] == ""
        assert not (await creds.view("login")).filled
        tokens = await creds.oauth_sign_in("login", open_browser=browser)
        # the whole TokenSet is one secret in the keyring
        raw = await stored(creds)
        assert raw is not None and TokenSet.from_json(raw) == tokens
        view = await creds.view("login")
        assert view.filled and view.source == "signed in" and view.who == LOGIN
        assert view.refresh_token and view.expires_at is not None
        first = await send(bench, api)
        status, body = answer(first)
        assert status == 200 and body["sub"] == LOGIN and body["client_id"] == PUBLIC
        assert sent_token(first) == tokens.access_token == api.seen[-1]
        again = await send(bench, api)  # the same token, not renewed
        assert answer(again)[0] == 200 and sent_token(again) == tokens.access_token
        # signed out: the tokens are gone from the keyring, and nothing is sent
        await creds.oauth_sign_out("login")
        assert await stored(creds) is None
        assert answer(await send(bench, api))[0] == 401 and api.seen[-1] == ""

    run(bench, scenario())
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in browser.opened[0]


def test_a_browser_s_spare_connection_to_the_redirect_leaves_no_error_behind(
    provider: Provider, api: ProtectedApi, tmp_path: Path
) -> None:
    """Browsers open connections ahead of need (preconnect): one that never sends a
    request is dropped when the sign-in ends, and nothing reaches the loop's exception
    handler (`run` checks)."""
    bench, creds = setup(provider, api, tmp_path)
    use_client(creds, PUBLIC, scopes=["openid"])
    browser = Browser(provider.issuer)
    spare: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def preconnecting(url: str) -> None:
        redirect = urlsplit(parse_qs(urlsplit(url).query)["redirect_uri"][0])
        spare.append(await asyncio.open_connection("127.0.0.1", redirect.port))
        await asyncio.sleep(0.05)  # the listener takes it in
        await browser(url)

    async def scenario() -> None:
        await creds.oauth_sign_in("login", open_browser=preconnecting)
        reader, writer = spare[0]
        assert await asyncio.wait_for(reader.read(), 5) == b""  # dropped, no answer
        writer.close()
        assert answer(await send(bench, api))[0] == 200

    run(bench, scenario())


def test_device_code_sign_in_shows_the_code_and_signs_in(
    provider: Provider, api: ProtectedApi, tmp_path: Path
) -> None:
    bench, creds = setup(provider, api, tmp_path)
    use_client(creds, PUBLIC, scopes=list(SCOPES), flow=DEVICE_CODE)
    browser = Browser(provider.issuer)
    shown: list[tuple[str, str]] = []
    confirmations: list[asyncio.Task[httpx.Response]] = []

    def show_device_code(user_code: str, verification_uri: str) -> None:
        shown.append((user_code, verification_uri))  # the person goes there meanwhile
        confirmations.append(
            asyncio.ensure_future(browser.confirm_device(verification_uri, user_code))
        )

    async def scenario() -> None:
        tokens = await creds.oauth_sign_in("login", show_device_code=show_device_code)
        assert (await confirmations[0]).status_code == 200
        assert tokens.flow == DEVICE_CODE
        session = await send(bench, api)
        assert answer(session)[1]["sub"] == LOGIN and sent_token(session) == tokens.access_token

    run(bench, scenario())
    assert shown and shown[0][1].startswith(provider.issuer)


def test_client_credentials_are_fetched_by_themselves_and_a_wrong_secret_says_so(
    provider: Provider, api: ProtectedApi, tmp_path: Path
) -> None:
    clock = Clock()
    bench, creds = setup(provider, api, tmp_path, kind="oauth2", clock=clock)
    use_client(creds, SERVICE, flow=CLIENT_CREDENTIALS)

    async def scenario() -> None:
        # no secret yet: nothing to fetch a token with
        assert not await creds.satisfiable("login")
        assert answer(await send(bench, api))[0] == 401
        await creds.set_secret("login", "client_secret", SERVICE_SECRET)
        assert await creds.satisfiable("login")
        view = await creds.view("login")
        assert view.filled and "fetched by itself" in view.source
        first = await send(bench, api)  # no browser, no person: a token by itself
        status, body = answer(first)
        assert status == 200 and body["client_id"] == SERVICE and body["sub"] is None
        raw = await stored(creds)
        assert raw is not None and TokenSet.from_json(raw).flow == CLIENT_CREDENTIALS
        token = sent_token(first)
        # expired: a new one, by itself again
        clock.offset = 3600
        later = await send(bench, api)
        assert answer(later)[0] == 200 and sent_token(later) != token
        # a wrong secret: one clear message, the API is not called
        clock.offset = 7200
        await creds.set_secret("login", "client_secret", "wrong-secret")
        served = api.served
        refused = await send(bench, api)
        assert refused.phase == "error" and api.served == served
        assert refused.error.startswith("OAuth2 (development): The provider does not accept")
        assert "secret is wrong" in refused.error

    run(bench, scenario())


# -- renewal --------------------------------------------------------------------------------


def test_a_token_the_provider_expired_is_refreshed_before_the_request(
    provider: Provider, api: ProtectedApi, tmp_path: Path
) -> None:
    """explorer-short's access tokens live 1 s at the provider: once it has expired there,
    the next request renews it with the refresh token first (and the rotated tokens are
    kept); the expired one is never sent."""
    bench, creds = setup(provider, api, tmp_path)
    use_client(creds, SHORT, scopes=list(SCOPES))

    async def scenario() -> None:
        tokens = await creds.oauth_sign_in("login", open_browser=Browser(provider.issuer))
        for _ in range(200):
            if not await token_active(provider.issuer, tokens.access_token):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the 1 s access token never expired")
        session = await send(bench, api)
        assert answer(session)[1]["sub"] == LOGIN
        assert tokens.access_token not in api.seen
        raw = await stored(creds)
        assert raw is not None
        kept = TokenSet.from_json(raw)
        assert kept.refresh_token and kept.refresh_token != tokens.refresh_token  # rotated
        assert sent_token(session) == kept.access_token

    run(bench, scenario())


def test_a_token_the_api_refuses_is_renewed_once_and_the_request_sent_again(
    provider: Provider, api: ProtectedApi, tmp_path: Path
) -> None:
    bench, creds = setup(provider, api, tmp_path)
    use_client(creds, PUBLIC, scopes=list(SCOPES))

    async def scenario() -> None:
        tokens = await creds.oauth_sign_in("login", open_browser=Browser(provider.issuer))
        api.refused.add(tokens.access_token)  # valid by its clock, and the provider's
        served = api.served
        session = await send(bench, api)
        assert answer(session)[0] == 200, session.note
        assert api.seen[served:] == [tokens.access_token, sent_token(session)]
        assert sent_token(session) != tokens.access_token
        assert "sent once more" in session.note

    run(bench, scenario())


def test_a_refused_refresh_token_says_sign_in_again_and_nothing_loops(
    provider: Provider, api: ProtectedApi, tmp_path: Path
) -> None:
    clock = Clock()
    bench, creds = setup(provider, api, tmp_path, clock=clock)
    use_client(creds, PUBLIC, scopes=list(SCOPES))
    browser = Browser(provider.issuer)

    async def scenario() -> None:
        tokens = await creds.oauth_sign_in("login", open_browser=browser)
        await revoke(provider, tokens.refresh_token)
        clock.offset = 3600  # the access token has expired: a refresh is needed
        served = api.served
        session = await send(bench, api)
        assert session.phase == "error" and api.served == served  # the API is not called
        assert "sign in again" in session.error and session.error.startswith("OAuth2 (")
        assert "sign in again" in creds.oauth_problem("login")
        assert (await creds.view("login")).problem
        assert not await creds.satisfiable("login")
        # the next request says the same at once: the provider is not asked again
        pages = len(browser.pages)
        again = await send(bench, api)
        assert again.phase == "error" and again.error == session.error
        assert api.served == served and len(browser.pages) == pages
        # a new sign-in ends it
        await creds.oauth_sign_in("login", open_browser=browser)
        assert creds.oauth_problem("login") == ""
        assert answer(await send(bench, api))[0] == 200

    run(bench, scenario())


def test_without_a_refresh_token_an_expired_sign_in_says_sign_in_again(
    provider: Provider, api: ProtectedApi, tmp_path: Path
) -> None:
    clock = Clock()
    bench, creds = setup(provider, api, tmp_path, clock=clock)
    use_client(creds, PUBLIC, scopes=["openid"])  # no offline_access: no refresh token

    async def scenario() -> None:
        tokens = await creds.oauth_sign_in("login", open_browser=Browser(provider.issuer))
        assert not tokens.refresh_token
        assert answer(await send(bench, api))[0] == 200
        clock.offset = 3600
        session = await send(bench, api)
        assert session.phase == "error" and "sign in again" in session.error

    run(bench, scenario())


# -- a provider that is down ----------------------------------------------------------------


def test_a_provider_that_is_down_says_so_and_is_asked_again_next_time(
    provider: Provider, api: ProtectedApi, tmp_path: Path
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    clock = Clock()
    bench, creds = setup(provider, api, tmp_path, clock=clock)
    use_client(creds, PUBLIC, scopes=list(SCOPES))

    async def scenario() -> None:
        await creds.oauth_sign_in("login", open_browser=Browser(provider.issuer))
        use_client(creds, PUBLIC, issuer=f"http://127.0.0.1:{closed}")
        with pytest.raises(OAuthError, match="could not be reached"):
            await creds.oauth_sign_in("login", open_browser=Browser(provider.issuer))
        clock.offset = 3600
        session = await send(bench, api)
        assert session.phase == "error" and "could not be reached" in session.error
        assert creds.oauth_problem("login") == ""  # not the person's to fix: tried again
        use_client(creds, PUBLIC, issuer=provider.issuer)  # the provider is back
        assert answer(await send(bench, api))[0] == 200

    run(bench, scenario())


def test_signing_in_without_a_client_id_says_what_to_fill_in(
    provider: Provider, api: ProtectedApi, tmp_path: Path
) -> None:
    _bench, creds = setup(provider, api, tmp_path)
    browser = Browser(provider.issuer)
    with pytest.raises(OAuthError, match="Fill in the client ID"):
        asyncio.run(creds.oauth_sign_in("login", open_browser=browser))
    assert browser.opened == []
