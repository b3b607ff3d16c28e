"""OAuth2 / OpenID Connect sign-in against a real OpenID provider (oidc-provider on
127.0.0.1, see oidc_peer.py): discovery, code + PKCE through a browser and our loopback
redirect, client credentials, device code, refresh by itself, and every way it goes wrong.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from http_servers import RunningServer
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from oidc_peer import LOGIN, Browser, Provider, start_provider

from explorer.errors import AuthError, OAuthError
from explorer.http import oauth
from explorer.http.oauth import (
    AUTHORIZATION_CODE,
    CLIENT_CREDENTIALS,
    DEVICE_CODE,
    OAuthClient,
    OAuthSettings,
    TokenSet,
)

PUBLIC = "explorer-public"
SHORT = "explorer-short"  # access tokens and device codes live 1 s
SLOW = "explorer-slow"  # told to slow down on its first device poll
SERVICE, SERVICE_SECRET = "explorer-service", "service-secret"
SCOPES = ("openid", "offline_access", "email")


@pytest.fixture(scope="session")
def provider() -> Iterator[Provider]:
    """One provider for the whole session (per xdist worker)."""
    yield from start_provider()


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coro)


def settings(provider: Provider, client_id: str = PUBLIC, **kw: Any) -> OAuthSettings:
    return OAuthSettings(client_id=client_id, issuer=provider.issuer, **kw)


async def userinfo(provider: Provider, tokens: TokenSet) -> httpx.Response:
    """What the provider says about the person, asked with the access token."""
    async with httpx.AsyncClient(trust_env=False) as http:
        return await http.get(
            provider.issuer + "/me", headers={"Authorization": tokens.authorization}
        )


async def sign_in(client: OAuthClient, browser: Browser) -> TokenSet:
    return await client.sign_in_with_browser(browser)


class FastPolls:
    """`sleep` for the device flow: records the intervals asked for, waits a moment, and
    runs `on_poll(n)` before the n-th poll (the person acting meanwhile)."""

    def __init__(self, on_poll: Callable[[int], Coroutine[Any, Any, None]] | None = None):
        self.intervals: list[float] = []
        self.on_poll = on_poll

    async def __call__(self, seconds: float) -> None:
        self.intervals.append(seconds)
        await asyncio.sleep(0.02)
        if self.on_poll is not None:
            await self.on_poll(len(self.intervals))


# -- discovery ------------------------------------------------------------------------------


def test_discovery_finds_the_endpoints_from_the_issuer_or_the_document_url(
    provider: Provider,
) -> None:
    async def scenario() -> None:
        for issuer in (provider.issuer, provider.issuer + "/.well-known/openid-configuration"):
            async with OAuthClient(OAuthSettings(PUBLIC, issuer=issuer)) as client:
                found = await client.endpoints()
            assert found.issuer == provider.issuer
            assert found.authorization == provider.issuer + "/auth"
            assert found.token == provider.issuer + "/token"
            assert found.device_authorization == provider.issuer + "/device/auth"
            assert found.userinfo == provider.issuer + "/me"
            assert found.sends_iss  # RFC 9207: the redirect's iss is checked

    run(scenario())


def test_endpoints_given_in_the_settings_win_over_discovery(provider: Provider) -> None:
    async def scenario() -> None:
        given = settings(provider, token_url="http://127.0.0.1:9/token")
        async with OAuthClient(given) as client:
            found = await client.endpoints()
        assert found.token == "http://127.0.0.1:9/token"
        assert found.authorization == provider.issuer + "/auth"

    run(scenario())


# -- authorization code with PKCE -----------------------------------------------------------


def test_code_with_pkce_signs_in_through_the_browser_and_the_loopback(provider: Provider) -> None:
    browser = Browser(provider.issuer)

    async def scenario() -> TokenSet:
        async with OAuthClient(settings(provider, scopes=SCOPES)) as client:
            before = time.time()
            tokens = await sign_in(client, browser)
            assert tokens.expires_at is not None
            assert before + 590 < tokens.expires_at < time.time() + 610  # 600 s tokens
            who = await userinfo(provider, tokens)
            assert who.status_code == 200, who.text
            assert who.json()["sub"] == LOGIN
            return tokens

    tokens = run(scenario())
    assert tokens.flow == AUTHORIZATION_CODE
    assert tokens.refresh_token and tokens.id_token  # offline_access: a refresh token
    assert set(tokens.scopes) >= {"openid", "offline_access"}
    # what the browser was asked to open: PKCE with S256, a state, a loopback redirect
    query = parse_qs(urlsplit(browser.opened[0]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43 and len(query["state"][0]) >= 32
    redirect = urlsplit(query["redirect_uri"][0])
    assert (redirect.scheme, redirect.hostname, redirect.path) == ("http", "127.0.0.1", "/callback")
    assert redirect.port and redirect.port > 0
    assert query["prompt"] == ["consent"]  # OpenID Connect's rule for offline_access
    # the person saw the sign-in pages, then our page telling them to close it
    assert any("/interaction/" in page for page in browser.pages)
    assert browser.last is not None and browser.last.status_code == 200
    assert "You can close this page" in browser.last.text
    assert browser.last.headers["cache-control"] == "no-store"
    # the listener was one-shot: it is gone
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", redirect.port), 1):
        pass


def test_a_fixed_redirect_port_is_used_as_registered(provider: Provider) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chosen = settings(provider, scopes=("openid",), redirect_port=port)
    assert chosen.redirect_uri_to_register == f"http://127.0.0.1:{port}/callback"
    assert settings(provider).redirect_uri_to_register == "http://127.0.0.1/callback"
    browser = Browser(provider.issuer)

    async def scenario() -> TokenSet:
        async with OAuthClient(chosen) as client:
            return await sign_in(client, browser)

    assert run(scenario()).access_token
    assert f"127.0.0.1%3A{port}%2Fcallback" in browser.opened[0]


def test_declining_consent_says_so(provider: Provider) -> None:
    browser = Browser(provider.issuer, decline=True)

    async def scenario() -> None:
        async with OAuthClient(settings(provider, scopes=SCOPES)) as client:
            await sign_in(client, browser)

    with pytest.raises(OAuthError) as caught:
        run(scenario())
    assert caught.value.error == "access_denied"
    assert str(caught.value).startswith("The sign-in was declined at the provider")
    assert "End-User aborted interaction" in str(caught.value)  # the provider's words
    assert browser.last is not None and "Sign-in not completed" in browser.last.text


def test_a_wrong_state_on_the_redirect_is_refused_and_nothing_is_used(provider: Provider) -> None:
    seen: list[httpx.Response] = []

    async def forged(url: str) -> None:
        """Someone else's page calls our redirect: first a favicon, then a forged answer,
        then the browser once more."""
        redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        origin = redirect.removesuffix("/callback")
        async with httpx.AsyncClient(trust_env=False) as http:
            seen.append(await http.get(origin + "/favicon.ico"))
            seen.append(await http.get(redirect, params={"code": "stolen", "state": "forged"}))
            seen.append(await http.get(redirect, params={"code": "x", "state": "y"}))

    async def scenario() -> None:
        async with OAuthClient(settings(provider, scopes=("openid",))) as client:
            await client.sign_in_with_browser(forged)

    with pytest.raises(OAuthError) as caught:
        run(scenario())
    assert caught.value.error == "state_mismatch"
    assert "does not belong to this sign-in" in str(caught.value)
    assert "stolen" not in str(caught.value) and "forged" not in str(caught.value)
    assert [r.status_code for r in seen] == [404, 400, 200]
    assert "stolen" not in seen[1].text and "Sign-in not completed" in seen[1].text
    assert "already finished" in seen[2].text


def test_a_browser_that_never_comes_back_times_out(provider: Provider) -> None:
    async def scenario() -> float:
        async with OAuthClient(settings(provider)) as client:
            began = time.monotonic()
            with pytest.raises(OAuthError) as caught:
                await client.sign_in_with_browser(lambda url: None, timeout=0.5)
            assert caught.value.error == "timeout"
            assert "within 0.5 s" in str(caught.value)
            return time.monotonic() - began

    assert run(scenario()) < 20  # bounded, not hanging


def test_no_browser_to_open_says_so(provider: Provider) -> None:
    async def scenario() -> None:
        async with OAuthClient(settings(provider)) as client:
            await client.sign_in_with_browser(lambda url: False)

    with pytest.raises(OAuthError, match="No web browser could be opened") as caught:
        run(scenario())
    assert caught.value.error == "browser"


def test_a_connection_that_sends_nothing_does_not_hold_up_the_sign_in(provider: Provider) -> None:
    browser = Browser(provider.issuer)

    async def stalling_then_real(url: str) -> None:
        port = int(parse_qs(urlsplit(url).query)["redirect_uri"][0].split(":")[2].split("/")[0])
        _, writer = await asyncio.open_connection("127.0.0.1", port)  # and says nothing
        try:
            await browser(url)
        finally:
            writer.close()

    async def scenario() -> TokenSet:
        async with OAuthClient(settings(provider, scopes=("openid",))) as client:
            return await client.sign_in_with_browser(stalling_then_real, timeout=60)

    assert run(scenario()).access_token


# -- client credentials ---------------------------------------------------------------------


def test_client_credentials_give_a_token_the_provider_knows(provider: Provider) -> None:
    async def scenario() -> tuple[TokenSet, dict[str, Any]]:
        chosen = settings(provider, SERVICE, scopes=("api:read",), flow=CLIENT_CREDENTIALS)
        async with OAuthClient(chosen, client_secret=SERVICE_SECRET) as client:
            tokens = await client.sign_in()
        async with httpx.AsyncClient(trust_env=False) as http:
            answer = await http.post(
                provider.issuer + "/token/introspection",
                data={"token": tokens.access_token},
                auth=(SERVICE, SERVICE_SECRET),
            )
        return tokens, answer.json()

    tokens, introspected = run(scenario())
    assert introspected["active"] is True
    assert introspected["client_id"] == SERVICE
    assert tokens.flow == CLIENT_CREDENTIALS and tokens.scopes == ("api:read",)
    assert not tokens.refresh_token and tokens.renewable


def test_client_credentials_are_renewed_by_themselves_when_expired(provider: Provider) -> None:
    clock = [time.time()]

    async def scenario() -> tuple[TokenSet, TokenSet]:
        chosen = settings(provider, SERVICE, client_auth="client_secret_post")
        async with OAuthClient(chosen, client_secret=SERVICE_SECRET, now=lambda: clock[0]) as c:
            first = await c.client_credentials()
            assert await c.ensure_fresh(first) is first  # good for 600 s
            clock[0] += 601
            return first, await c.ensure_fresh(first)

    first, renewed = run(scenario())
    assert renewed.access_token != first.access_token
    assert renewed.expires_at == pytest.approx(clock[0] + 600, abs=5)


def test_a_wrong_client_secret_is_invalid_client(provider: Provider) -> None:
    async def scenario(secret: str | None) -> None:
        async with OAuthClient(settings(provider, SERVICE), client_secret=secret) as client:
            await client.client_credentials()

    with pytest.raises(OAuthError) as caught:
        run(scenario("not-the-secret"))
    assert caught.value.error == "invalid_client"
    assert "client ID or its secret is wrong" in str(caught.value)
    assert "not-the-secret" not in str(caught.value)
    with pytest.raises(OAuthError, match="needs the client's secret"):
        run(scenario(None))


# -- device code ----------------------------------------------------------------------------


def test_device_code_shows_the_code_and_polls_until_confirmed(provider: Provider) -> None:
    browser = Browser(provider.issuer)
    shown: list[tuple[str, str]] = []

    async def person(poll: int) -> None:
        if poll == 2:  # after one "not yet", the person confirms on their phone
            page = await browser.confirm_device(shown[0][1], shown[0][0])
            assert "Sign-in Success" in page.text, page.text[-500:]

    polls = FastPolls(person)

    async def scenario() -> TokenSet:
        chosen = settings(provider, scopes=SCOPES, flow=DEVICE_CODE)
        async with OAuthClient(chosen) as client:
            tokens = await client.sign_in_with_device(
                lambda c, u: shown.append((c, u)), sleep=polls
            )
            assert (await userinfo(provider, tokens)).json()["sub"] == LOGIN
            return tokens

    tokens = run(scenario())
    assert tokens.flow == DEVICE_CODE and tokens.refresh_token
    code, uri = shown[0]
    assert uri == provider.issuer + "/device" and len(code) >= 8
    assert polls.intervals == [5.0, 5.0]  # RFC 8628's default; pending, then confirmed


def test_device_code_slows_down_when_told(provider: Provider) -> None:
    browser = Browser(provider.issuer)
    shown: list[tuple[str, str]] = []

    async def person(poll: int) -> None:
        if poll == 3:
            await browser.confirm_device(shown[0][1], shown[0][0])

    polls = FastPolls(person)

    async def scenario() -> TokenSet:
        async with OAuthClient(settings(provider, SLOW, scopes=("openid",))) as client:
            return await client.sign_in_with_device(lambda c, u: shown.append((c, u)), sleep=polls)

    assert run(scenario()).access_token
    assert polls.intervals == [5.0, 10.0, 10.0]  # slow_down: 5 s more from then on


def test_a_device_code_that_expires_says_so(provider: Provider) -> None:
    """explorer-short's device codes live 1 s; our clock stands still, so it is the
    provider that says the code expired."""

    async def scenario() -> None:
        still = time.time()
        chosen = settings(provider, SHORT, scopes=("openid",))
        async with OAuthClient(chosen, now=lambda: still) as client:
            await client.sign_in_with_device(lambda c, u: None, sleep=lambda s: asyncio.sleep(0.3))

    began = time.monotonic()
    with pytest.raises(OAuthError) as caught:
        run(scenario())
    assert caught.value.error == "expired_token"
    assert "device code expired" in str(caught.value)
    assert time.monotonic() - began < 30


def test_a_device_code_is_not_polled_past_its_expiry(provider: Provider) -> None:
    """The provider's code lives 600 s; once our clock is past that, we stop by ourselves
    instead of asking again."""
    clock = [time.time()]
    requests: list[str] = []

    async def later(seconds: float) -> None:
        clock[0] += 700

    async def count(request: httpx.Request) -> None:
        requests.append(request.url.path)

    async def scenario() -> None:
        async with httpx.AsyncClient(trust_env=False, event_hooks={"request": [count]}) as http:
            chosen = settings(provider, scopes=("openid",))
            client = OAuthClient(chosen, now=lambda: clock[0], http=http)
            await client.sign_in_with_device(lambda c, u: None, sleep=later)

    with pytest.raises(OAuthError) as caught:
        run(scenario())
    assert caught.value.error == "expired_token"
    assert "/token" not in requests and "/device/auth" in requests


def test_declining_on_the_device_page_says_so(provider: Provider) -> None:
    browser = Browser(provider.issuer, decline=True)
    shown: list[tuple[str, str]] = []

    async def person(poll: int) -> None:
        if poll == 1:
            await browser.confirm_device(shown[0][1], shown[0][0])

    async def scenario() -> None:
        async with OAuthClient(settings(provider, scopes=("openid",))) as client:
            await client.sign_in_with_device(
                lambda c, u: shown.append((c, u)), sleep=FastPolls(person)
            )

    with pytest.raises(OAuthError) as caught:
        run(scenario())
    assert caught.value.error == "access_denied"


# -- refresh --------------------------------------------------------------------------------


def test_an_expired_token_is_refreshed_by_itself_and_the_rotated_one_kept(
    provider: Provider,
) -> None:
    """explorer-short's access tokens live 1 s: once the provider itself rejects one, the
    next send's `ensure_fresh` renews it with the refresh token (rotated by the provider)."""

    async def scenario() -> None:
        async with OAuthClient(settings(provider, SHORT, scopes=SCOPES)) as client:
            tokens = await sign_in(client, Browser(provider.issuer))
            for _ in range(200):  # until the provider says the token has expired
                if (await userinfo(provider, tokens)).status_code == 401:
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the 1 s access token never expired")
            fresh = await client.ensure_fresh(tokens)
            assert fresh is not tokens
            assert (await userinfo(provider, fresh)).json()["sub"] == LOGIN
            assert fresh.refresh_token and fresh.refresh_token != tokens.refresh_token  # rotated
            assert fresh.id_token and fresh.scopes == tokens.scopes
            # the old refresh token was used up: the provider refuses it, and we say how
            async with OAuthClient(settings(provider, SHORT)) as other:
                with pytest.raises(OAuthError) as caught:
                    await other.ensure_fresh(tokens, force=True)
            assert caught.value.sign_in_again and caught.value.error == "invalid_grant"

    run(scenario())


def test_concurrent_sends_share_one_refresh(provider: Provider) -> None:
    """With rotation a second refresh with the same token would be refused (and revoke
    the grant): ten sends at once must cause one."""
    clock = [time.time()]

    async def scenario() -> list[TokenSet]:
        async with OAuthClient(settings(provider, scopes=SCOPES), now=lambda: clock[0]) as c:
            tokens = await sign_in(c, Browser(provider.issuer))
            clock[0] += 3600
            return await asyncio.gather(*(c.ensure_fresh(tokens) for _ in range(10)))

    renewed = run(scenario())
    assert len({t.access_token for t in renewed}) == 1


def test_a_revoked_refresh_token_asks_to_sign_in_again_once(provider: Provider) -> None:
    requests: list[str] = []

    async def count(request: httpx.Request) -> None:
        requests.append(str(request.url))

    async def scenario() -> None:
        async with httpx.AsyncClient(trust_env=False, event_hooks={"request": [count]}) as http:
            client = OAuthClient(settings(provider, scopes=SCOPES), http=http)
            tokens = await sign_in(client, Browser(provider.issuer))
            revoked = await http.post(
                provider.issuer + "/token/revocation",
                data={"token": tokens.refresh_token, "client_id": PUBLIC},
            )
            assert revoked.status_code == 200
            before = len(requests)
            with pytest.raises(OAuthError) as caught:
                await client.ensure_fresh(tokens, force=True)
            assert caught.value.sign_in_again and caught.value.error == "invalid_grant"
            assert "sign in again" in str(caught.value)
            assert len(requests) == before + 1
            with pytest.raises(OAuthError):  # never again: no retry loop
                await client.ensure_fresh(tokens, force=True)
            assert len(requests) == before + 1

    run(scenario())


def test_an_expired_token_without_a_refresh_token_asks_to_sign_in(provider: Provider) -> None:
    stale = TokenSet("a", expires_at=100.0, flow=AUTHORIZATION_CODE)

    async def scenario() -> None:
        async with OAuthClient(settings(provider)) as client:
            assert await client.ensure_fresh(TokenSet("b", flow=AUTHORIZATION_CODE)) is not None
            await client.ensure_fresh(stale)

    with pytest.raises(OAuthError, match="no refresh token: sign in again") as caught:
        run(scenario())
    assert caught.value.sign_in_again


# -- a provider that is down, or not one ----------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_provider_that_is_down_says_so() -> None:
    issuer = f"http://127.0.0.1:{_closed_port()}"

    async def scenario() -> None:
        async with OAuthClient(OAuthSettings(PUBLIC, issuer=issuer)) as client:
            await client.endpoints()

    with pytest.raises(OAuthError, match=f"provider at {issuer} could not be reached") as caught:
        run(scenario())
    assert caught.value.error == "unreachable"


def test_a_server_that_is_not_a_provider_says_so(echo_server: RunningServer) -> None:
    async def discover() -> None:
        async with OAuthClient(OAuthSettings(PUBLIC, issuer=echo_server.url)) as client:
            await client.endpoints()

    async def token() -> None:
        given = OAuthSettings(SERVICE, token_url=echo_server.url + "/status/404")
        async with OAuthClient(given, client_secret="s") as client:
            await client.client_credentials()

    async def echo() -> None:  # 200 with JSON, but not a token answer
        given = OAuthSettings(SERVICE, token_url=echo_server.url + "/echo")
        async with OAuthClient(given, client_secret="s") as client:
            await client.client_credentials()

    async def endless() -> None:  # a body without end
        endless = OAuthSettings(PUBLIC, issuer=echo_server.url + "/endless?/.well-known/")
        async with OAuthClient(endless) as client:
            await client.endpoints()

    async def slow() -> None:  # no answer in time
        late = OAuthSettings(PUBLIC, issuer=echo_server.url + "/slow?delay=1&/.well-known/")
        async with OAuthClient(late, timeout=0.3) as client:
            await client.endpoints()

    with pytest.raises(OAuthError, match="more than 1 MiB") as c0:
        run(endless())
    assert c0.value.error == "not_oauth"
    with pytest.raises(OAuthError, match=r"did not answer within 0\.3 s") as c4:
        run(slow())
    assert c4.value.error == "unreachable"
    with pytest.raises(OAuthError, match="without an OpenID Connect discovery document") as c1:
        run(discover())
    with pytest.raises(OAuthError, match="answered HTTP 404 without an OAuth answer") as c2:
        run(token())
    with pytest.raises(OAuthError, match="answered without an access token") as c3:
        run(echo())
    assert c1.value.error == c2.value.error == c3.value.error == "not_oauth"


def test_plain_http_to_another_machine_is_refused_before_anything_is_sent() -> None:
    async def scenario() -> None:
        given = OAuthSettings(SERVICE, token_url="http://auth.example.com/token")
        async with OAuthClient(given, client_secret="s") as client:
            await client.client_credentials()

    with pytest.raises(OAuthError, match="plain http to another machine") as caught:
        run(scenario())
    assert caught.value.error == "insecure"


def test_a_flow_the_provider_does_not_offer_says_so() -> None:
    async def scenario() -> None:
        given = OAuthSettings(SERVICE, token_url="https://auth.example.com/token")
        async with OAuthClient(given) as client:
            await client.sign_in_with_device(lambda c, u: None)

    with pytest.raises(OAuthError, match="No device authorization endpoint") as caught:
        run(scenario())
    assert caught.value.error == "unsupported"


# -- settings and tokens as plain data ------------------------------------------------------


def test_settings_from_a_spec_scheme() -> None:
    from explorer.spec import load_bytes

    doc = b"""{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
      "components": {"securitySchemes": {
        "oauth": {"type": "oauth2", "flows": {
          "implicit": {"authorizationUrl": "https://a.test/auth", "scopes": {}},
          "authorizationCode": {"authorizationUrl": "/oauth/authorize",
            "tokenUrl": "/oauth/token", "refreshUrl": "/oauth/refresh",
            "scopes": {"read": "Read", "write": "Write"}},
          "clientCredentials": {"tokenUrl": "https://a.test/token", "scopes": {}}}},
        "oidc": {"type": "openIdConnect",
          "openIdConnectUrl": "https://id.test/.well-known/openid-configuration"},
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}}"""
    schemes = load_bytes(doc, "doc.json").security_schemes
    assert oauth.available_flows(schemes["oauth"]) == (AUTHORIZATION_CODE, CLIENT_CREDENTIALS)
    assert oauth.available_flows(schemes["oidc"]) == oauth.FLOWS
    assert oauth.available_flows(schemes["key"]) == ()

    code = OAuthSettings.from_scheme(
        schemes["oauth"], "app", scopes=("read",), base_url="https://api.test/v1/"
    )
    assert code.flow == AUTHORIZATION_CODE
    assert code.authorization_url == "https://api.test/oauth/authorize"
    assert (code.token_url, code.refresh_url) == (
        "https://api.test/oauth/token",
        "https://api.test/oauth/refresh",
    )
    assert code.scopes == ("read",)
    machine = OAuthSettings.from_scheme(schemes["oauth"], "svc", flow=CLIENT_CREDENTIALS)
    assert machine.token_url == "https://a.test/token" and not machine.authorization_url
    oidc = OAuthSettings.from_scheme(schemes["oidc"], "app", scopes=("email",))
    assert oidc.issuer == "https://id.test/.well-known/openid-configuration"
    assert oidc.scopes == ("openid", "email")
    with pytest.raises(AuthError, match="does not offer the device code flow"):
        OAuthSettings.from_scheme(schemes["oauth"], "app", flow=DEVICE_CODE)
    with pytest.raises(AuthError, match="has no OAuth2 flow"):
        OAuthSettings.from_scheme(schemes["key"], "app")


def test_settings_round_trip_through_json_without_defaults() -> None:
    chosen = OAuthSettings(
        "app", issuer="https://id.test", scopes=("openid", "email"), flow=DEVICE_CODE
    )
    data = chosen.to_json()
    assert data == {
        "client_id": "app",
        "issuer": "https://id.test",
        "scopes": ["openid", "email"],
        "flow": DEVICE_CODE,
    }
    assert OAuthSettings.from_json(data) == chosen
    assert (
        OAuthSettings.from_json(OAuthSettings("x", redirect_port=8765).to_json()).redirect_port
        == 8765
    )
    junk = {"client_id": 3, "scopes": "openid", "flow": "implicit", "redirect_port": 70000}
    assert OAuthSettings.from_json(junk) == OAuthSettings("")
    assert OAuthSettings.from_json(None) == OAuthSettings("")


def test_token_set_round_trips_through_json_and_hides_its_secrets() -> None:
    tokens = TokenSet(
        access_token="acc-SECRET",
        refresh_token="ref-SECRET",
        id_token="id-SECRET",
        expires_at=1_700_000_000.5,
        scopes=("openid", "email"),
        flow=DEVICE_CODE,
    )
    assert TokenSet.from_json(tokens.to_json()) == tokens
    assert "SECRET" not in repr(tokens) and "SECRET" not in str(tokens)
    assert tokens.authorization == "Bearer acc-SECRET"
    assert tokens.expires_in(1_700_000_000.0) == 0.5
    assert not tokens.expired(1_699_999_000.0) and tokens.expired(1_699_999_990.0, leeway=30)
    assert TokenSet("a").expires_in(0) is None and not TokenSet("a").expired(1e12)
    assert tokens.renewable and not TokenSet("a", flow=AUTHORIZATION_CODE).renewable


@hypothesis_settings(max_examples=50, deadline=None)
@given(
    st.builds(
        TokenSet,
        access_token=st.text(min_size=1),
        token_type=st.just("Bearer"),
        refresh_token=st.text(),
        id_token=st.text(),
        expires_at=st.none() | st.floats(allow_nan=False, allow_infinity=False),
        scopes=st.lists(st.text()).map(tuple),
        flow=st.sampled_from(("", *oauth.FLOWS)),
    )
)
def test_any_token_set_round_trips(tokens: TokenSet) -> None:
    assert TokenSet.from_json(tokens.to_json()) == tokens


def test_a_provider_s_words_become_one_clipped_printable_line() -> None:
    error = oauth.refusal("invalid_grant\x1b[31m", "line one\nline two\u202e" + "x" * 1000, "code")
    text = str(error)
    assert error.error == "invalid_grant[31m"
    assert "\n" not in text and "\u202e" not in text and "\x1b" not in text
    assert "line one line two" in text and len(text) < 450


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json ref-SECRET",
        "[]",
        '{"version": 2, "access_token": "ref-SECRET"}',
        '{"version": 1, "access_token": "", "token_type": "Bearer", "refresh_token": "",'
        ' "id_token": "", "expires_at": null, "scopes": [], "flow": ""}',
        '{"version": 1, "access_token": "ref-SECRET", "token_type": "Bearer",'
        ' "refresh_token": "", "id_token": "", "expires_at": "soon", "scopes": [], "flow": ""}',
    ],
)
def test_unreadable_stored_tokens_say_so_without_showing_them(text: str) -> None:
    with pytest.raises(AuthError, match="cannot be read: sign in again") as caught:
        TokenSet.from_json(text)
    assert "SECRET" not in str(caught.value)


def test_the_module_exports_what_it_documents() -> None:
    assert sorted(oauth.__all__) == sorted(set(oauth.__all__))
    for name in oauth.__all__:
        assert getattr(oauth, name) is not None, name
    assert oauth.OAuthError is OAuthError and issubclass(OAuthError, AuthError)
