"""OAuth 2.0 and OpenID Connect sign-in, as plain async code. No Qt.

    settings = OAuthSettings.from_scheme(scheme, client_id="my-app", scopes=("read",))
    async with OAuthClient(settings, client_secret=secret_or_none) as oauth:
        tokens = await oauth.sign_in_with_browser(open_browser)     # code + PKCE, loopback
        tokens = await oauth.client_credentials()                   # a confidential client
        tokens = await oauth.sign_in_with_device(show_device_code)  # RFC 8628
        ...
        tokens = await oauth.ensure_fresh(tokens)   # before each send: renewed when expiring
        tokens = await oauth.ensure_fresh(tokens, force=True)       # after a 401
    await secret_store.set(name, tokens.to_json())                  # the keyring, never a file

- **Endpoints** come from the settings (a spec's `oauth2` flows) and, for what they leave
  out, from OpenID Connect discovery (`issuer` or its `/.well-known/openid-configuration`).
  Every endpoint is https, or http on this machine only: a client secret, a code or a
  token never crosses a network in clear text.
- **Authorization code with PKCE** (S256) through the system browser (`open_browser(url)`,
  injected) and a one-shot loopback redirect on 127.0.0.1 (RFC 8252): `state` checked,
  the provider's `iss` checked when it sends one (RFC 9207), the browser told it may close
  the page, the whole sign-in bounded by `timeout`. `offline_access` among the scopes asks
  for consent (OpenID Connect's rule for a refresh token).
- **Client credentials** for a confidential client (the secret comes from the keyring).
- **Device code** (RFC 8628): `show_device_code(user_code, verification_uri)` (injected),
  then polling at the server's interval (5 s by default), 5 s slower after `slow_down`,
  until the code expires (at most an hour, whatever the server says).
- **Renewal**: `ensure_fresh` refreshes a token that expires within `leeway` seconds with
  its refresh token (a rotated refresh token replaces the old one; one kept otherwise), or
  asks for a new client-credentials token. Concurrent sends share one renewal. A refused
  refresh token is remembered and never sent again: the caller gets `sign_in_again`.
- **Errors** are `OAuthError` (an `AuthError`) with one sentence a person can act on and
  `.error` saying which: the provider down or not OAuth, a wrong `state`, consent denied,
  an expired device code, a wrong client or secret, a revoked refresh token. Nothing is
  retried in a loop. Text from the provider is clipped, one line, and never contains a
  secret of ours.

The protocol pieces (PKCE, the authorization URL, token requests, client authentication)
are authlib's (`authlib.oauth2`); the HTTP is httpx, as everywhere in explorer. authlib's
own httpx client (`authlib.integrations.httpx_client`) is not used: since authlib 1.9 it
wants the `httpx2` fork, warns on import with httpx and announces dropping it. authlib and
httpx are imported when a sign-in or a renewal starts, not with this module: `TokenSet`
and `OAuthSettings` are cheap to import for the settings and the keyring.

ID tokens are kept as they come (for a display of who signed in) but not verified:
nothing here trusts their claims.
"""

from __future__ import annotations

import asyncio
import inspect
import ipaddress
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeGuard
from urllib.parse import urlsplit

from explorer.errors import AuthError, OAuthError

if TYPE_CHECKING:
    import httpx

    from explorer.spec.model import SecurityScheme

__all__ = [
    "AUTHORIZATION_CODE",
    "CLIENT_CREDENTIALS",
    "DEFAULT_LEEWAY",
    "DEVICE_CODE",
    "FLOWS",
    "SIGN_IN_TIMEOUT",
    "Endpoints",
    "OAuthClient",
    "OAuthError",
    "OAuthSettings",
    "TokenSet",
    "available_flows",
    "refusal",
]

AUTHORIZATION_CODE = "authorization_code"
"""Sign in through the system browser (code + PKCE, loopback redirect)."""
CLIENT_CREDENTIALS = "client_credentials"
"""A confidential client signs in as itself, with its secret."""
DEVICE_CODE = "device_code"
"""Sign in on another device: a code to enter at a verification page (RFC 8628)."""
FLOWS = (AUTHORIZATION_CODE, CLIENT_CREDENTIALS, DEVICE_CODE)
"""The flows this module runs, in the order a person would prefer them."""

DEFAULT_TIMEOUT = 30.0
"""Seconds one call to the provider (discovery, a token request) may take."""
SIGN_IN_TIMEOUT = 300.0
"""Seconds the person has to finish a browser sign-in."""
DEFAULT_LEEWAY = 30.0
"""An access token that expires within this many seconds is renewed before a send."""
MAX_ANSWER_BYTES = 1024 * 1024
"""A provider's answer (discovery, tokens) larger than this is not a provider's answer."""
DEFAULT_DEVICE_INTERVAL = 5.0
"""RFC 8628 3.5: the polling interval when the server names none."""
MAX_DEVICE_WAIT = 3600.0
"""A device code is polled for at most this long, whatever its `expires_in` says."""

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
_DISCOVERY = "/.well-known/openid-configuration"
# A spec's flow names (OpenAPI 3.x, Swagger 2 after explorer.spec's mapping, 3.2's device
# flow) to ours; `implicit` and `password` are left out on purpose (OAuth 2.1 drops them).
_SPEC_FLOWS = {
    "authorizationCode": AUTHORIZATION_CODE,
    "clientCredentials": CLIENT_CREDENTIALS,
    "deviceAuthorization": DEVICE_CODE,
    "deviceCode": DEVICE_CODE,
}


# -- what is kept ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OAuthSettings:
    """How to sign in with one OAuth2 / OpenID Connect client. Plain settings, no secret:
    the client secret (when there is one) comes from the keyring and is handed to
    `OAuthClient` directly.

    Endpoints given here win over discovery; discovery (`issuer`) fills what is empty.
    """

    client_id: str
    issuer: str = ""
    """The OpenID provider: its issuer URL or its discovery document's URL ("" for none)."""
    authorization_url: str = ""
    token_url: str = ""
    refresh_url: str = ""
    """Where refresh tokens go when not the token endpoint (OpenAPI's `refreshUrl`)."""
    device_authorization_url: str = ""
    scopes: tuple[str, ...] = ()
    flow: str = AUTHORIZATION_CODE
    """The flow `OAuthClient.sign_in` runs: one of `FLOWS`."""
    redirect_port: int = 0
    """The loopback redirect's port: 0 for a free one each time (providers that follow
    RFC 8252 accept any port); a fixed one for providers that register it."""
    redirect_path: str = "/callback"
    client_auth: str = "client_secret_basic"
    """How a client secret is sent: "client_secret_basic" or "client_secret_post". A
    client without a secret (a public one) always sends only its id ("none")."""

    @property
    def redirect_uri_to_register(self) -> str:
        """The redirect URI to register at the provider: http://127.0.0.1/callback (any
        port, RFC 8252 7.3), or with the fixed port when one is set."""
        port = f":{self.redirect_port}" if self.redirect_port else ""
        path = (
            self.redirect_path if self.redirect_path.startswith("/") else "/" + self.redirect_path
        )
        return f"http://127.0.0.1{port}{path}"

    def to_json(self) -> dict[str, Any]:
        """The settings as JSON data for the settings file (no secret in them), without
        the fields left at their defaults."""
        out: dict[str, Any] = {}
        for name, default in _SETTINGS_DEFAULTS.items():
            value = getattr(self, name)
            if value != default:
                out[name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_json(cls, data: object) -> OAuthSettings:
        """Settings kept by `to_json`; what is missing or of the wrong type is left at its
        default (a settings file edited by hand never stops the app)."""
        raw = data if isinstance(data, dict) else {}
        values: dict[str, Any] = {}
        for name, default in _SETTINGS_DEFAULTS.items():
            value = raw.get(name, default)
            if isinstance(default, tuple):
                ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
                values[name] = tuple(value) if ok else default
            elif isinstance(default, int):
                ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 65536
                values[name] = value if ok else default
            else:
                values[name] = value if isinstance(value, str) else default
        if values["flow"] not in FLOWS:
            values["flow"] = AUTHORIZATION_CODE
        return cls(**values)

    @classmethod
    def from_scheme(
        cls,
        scheme: SecurityScheme,
        client_id: str,
        *,
        flow: str = "",
        scopes: Sequence[str] = (),
        base_url: str = "",
        redirect_port: int = 0,
    ) -> OAuthSettings:
        """Settings for a spec's `oauth2` or `openIdConnect` security scheme.

        `flow`: one of `available_flows(scheme)` ("" for the first). `scopes`: those to ask
        for (an OpenID Connect scheme always asks for "openid"). `base_url`: the server
        URL that relative endpoint URLs in the spec are relative to. Raises AuthError for a
        scheme that is not OAuth2/OpenID Connect or a flow it does not declare."""
        from urllib.parse import urljoin

        offered = available_flows(scheme)
        if not offered:
            raise AuthError(
                f"The security scheme {scheme.name!r} has no OAuth2 flow explorer can run "
                "(authorization code, client credentials or device code)."
            )
        chosen = flow or offered[0]
        if chosen not in offered:
            raise AuthError(
                f"The security scheme {scheme.name!r} does not offer the "
                f"{_FLOW_WORDS.get(chosen, chosen)} flow."
            )

        def absolute(url: str) -> str:
            return urljoin(base_url, url) if url and base_url else url

        if scheme.type == "openIdConnect":
            wanted = tuple(scopes)
            return cls(
                client_id=client_id,
                issuer=absolute(scheme.openid_connect_url),
                scopes=wanted if "openid" in wanted else ("openid", *wanted),
                flow=chosen,
                redirect_port=redirect_port,
            )
        spec_flow = next(f for f in scheme.flows if _SPEC_FLOWS.get(f.kind) == chosen)
        return cls(
            client_id=client_id,
            authorization_url=absolute(spec_flow.authorization_url),
            token_url=absolute(spec_flow.token_url),
            refresh_url=absolute(spec_flow.refresh_url),
            device_authorization_url=absolute(spec_flow.device_authorization_url),
            scopes=tuple(scopes),
            flow=chosen,
            redirect_port=redirect_port,
        )


_SETTINGS_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in fields(OAuthSettings) if f.name != "client_id"
} | {"client_id": ""}
"""Each field of OAuthSettings with its default (client_id's: "")."""


def available_flows(scheme: SecurityScheme) -> tuple[str, ...]:
    """The flows of `FLOWS` a security scheme offers, in `FLOWS` order: those its `oauth2`
    flows declare, or all three for `openIdConnect` (its discovery tells which work)."""
    if scheme.type == "openIdConnect":
        return FLOWS if scheme.openid_connect_url else ()
    if scheme.type != "oauth2":
        return ()
    declared = {_SPEC_FLOWS.get(f.kind) for f in scheme.flows}
    return tuple(f for f in FLOWS if f in declared)


@dataclass(frozen=True)
class TokenSet:
    """What a sign-in gives: tokens (secrets: kept in the keyring as `to_json()`, never in
    a file, and left out of `repr`) and what is known about them."""

    access_token: str = field(repr=False)
    token_type: str = "Bearer"
    refresh_token: str = field(default="", repr=False)
    id_token: str = field(default="", repr=False)
    expires_at: float | None = None
    """Unix time the access token expires at (None: the provider did not say)."""
    scopes: tuple[str, ...] = ()
    flow: str = ""
    """The flow that gave the tokens: one of `FLOWS`."""

    def expires_in(self, now: float) -> float | None:
        """Seconds until the access token expires (negative once it has), or None."""
        return None if self.expires_at is None else self.expires_at - now

    def expired(self, now: float, leeway: float = 0.0) -> bool:
        """Whether the access token has expired, or will within `leeway` seconds."""
        left = self.expires_in(now)
        return left is not None and left <= leeway

    @property
    def renewable(self) -> bool:
        """Whether a new access token can be had without the person: with a refresh token,
        or by the client itself (client credentials)."""
        return bool(self.refresh_token) or self.flow == CLIENT_CREDENTIALS

    @property
    def authorization(self) -> str:
        """The Authorization header's value: "Bearer <access token>"."""
        return f"{self.token_type} {self.access_token}"

    def to_json(self) -> str:
        """The tokens as one JSON text, for the keyring (`SecretStore.set`)."""
        return json.dumps(
            {
                "version": 1,
                "access_token": self.access_token,
                "token_type": self.token_type,
                "refresh_token": self.refresh_token,
                "id_token": self.id_token,
                "expires_at": self.expires_at,
                "scopes": list(self.scopes),
                "flow": self.flow,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> TokenSet:
        """Tokens kept by `to_json`. Raises AuthError (saying only that, never the text,
        which holds secrets) for anything else."""
        unreadable = AuthError("The stored OAuth tokens cannot be read: sign in again.")
        try:
            data = json.loads(text)
        except (ValueError, TypeError):
            raise unreadable from None
        if not isinstance(data, dict) or data.get("version") != 1:
            raise unreadable
        texts = ("access_token", "token_type", "refresh_token", "id_token", "flow")
        expires_at, scopes = data.get("expires_at"), data.get("scopes")
        if (
            not all(isinstance(data.get(key), str) for key in texts)
            or not data["access_token"]
            or not (expires_at is None or _is_number(expires_at))
            or not (isinstance(scopes, list) and all(isinstance(s, str) for s in scopes))
        ):
            raise unreadable
        return cls(
            access_token=data["access_token"],
            token_type=data["token_type"],
            refresh_token=data["refresh_token"],
            id_token=data["id_token"],
            expires_at=None if expires_at is None else float(expires_at),
            scopes=tuple(scopes),
            flow=data["flow"],
        )


@dataclass(frozen=True)
class Endpoints:
    """Where a provider takes each request, as settings and discovery give them."""

    authorization: str = ""
    token: str = ""
    refresh: str = ""
    device_authorization: str = ""
    userinfo: str = ""
    revocation: str = ""
    issuer: str = ""
    """The issuer discovery named ("" without discovery)."""
    sends_iss: bool = False
    """Whether the provider puts `iss` on its redirects (RFC 9207): then it is checked."""


# -- the client -----------------------------------------------------------------------------


class OAuthClient:
    """Signs in and renews tokens for one `OAuthSettings` (see the module docstring).

    Belongs to one event loop; `aclose()` (or `async with`) closes its HTTP client. `now`
    is the clock for expiry (Unix time); tests pass their own. `http`, when given, is an
    httpx.AsyncClient to use (and not close), e.g. one with the user's proxy or TLS
    settings; otherwise one is made on first use (no environment proxies, no redirects
    followed: a token endpoint that redirects is not one)."""

    def __init__(
        self,
        settings: OAuthSettings,
        *,
        client_secret: str | None = None,
        now: Callable[[], float] = time.time,
        timeout: float = DEFAULT_TIMEOUT,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.settings = settings
        self._secret = client_secret or None
        self._now = now
        self._timeout = timeout
        self._http = http
        self._own_http = http is None
        self._endpoints: Endpoints | None = None
        self._lock = asyncio.Lock()
        self._renewed: tuple[str, TokenSet] | None = None  # (old access token, its renewal)
        self._refused: set[str] = set()  # refresh tokens the provider refused

    def __repr__(self) -> str:
        return f"OAuthClient({self.settings.client_id!r}, secret={'yes' if self._secret else 'no'})"

    async def __aenter__(self) -> OAuthClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client this object made."""
        if self._own_http and self._http is not None:
            await self._http.aclose()
            self._http = None

    # -- the flows ---------------------------------------------------------------------------

    async def sign_in(
        self,
        *,
        open_browser: Callable[[str], object] | None = None,
        show_device_code: Callable[[str, str], object] | None = None,
    ) -> TokenSet:
        """Run the settings' `flow`, with the callback it needs."""
        flow = self.settings.flow
        if flow == AUTHORIZATION_CODE and open_browser is not None:
            return await self.sign_in_with_browser(open_browser)
        if flow == DEVICE_CODE and show_device_code is not None:
            return await self.sign_in_with_device(show_device_code)
        if flow == CLIENT_CREDENTIALS:
            return await self.client_credentials()
        if flow in FLOWS:
            needs = "a browser" if flow == AUTHORIZATION_CODE else "a place to show the code"
            raise OAuthError(f"The {_FLOW_WORDS[flow]} sign-in needs {needs}.", error="browser")
        raise OAuthError(f"Cannot run the OAuth flow {_clip(flow, 40)!r}.", error="unsupported")

    async def sign_in_with_browser(
        self, open_browser: Callable[[str], object], *, timeout: float = SIGN_IN_TIMEOUT
    ) -> TokenSet:
        """Authorization code with PKCE: opens the provider's page with `open_browser(url)`
        (its result is awaited when awaitable; `False` means no browser could be opened)
        and waits at most `timeout` seconds for the redirect to 127.0.0.1."""
        from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
        from authlib.oauth2.rfc7636 import create_s256_code_challenge

        from explorer.http._oauth_redirect import LoopbackRedirect

        endpoints = await self.endpoints()
        authorize = _needed(endpoints.authorization, "authorization endpoint", self.settings)
        token_url = _needed(endpoints.token, "token endpoint", self.settings)
        verifier = secrets.token_urlsafe(64)  # 86 characters of [A-Za-z0-9_-] (RFC 7636 4.1)
        state = secrets.token_urlsafe(32)
        extra: dict[str, str] = {
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        }
        if "offline_access" in self.settings.scopes:
            extra["prompt"] = "consent"
        redirect = LoopbackRedirect(
            path=self.settings.redirect_path, port=self.settings.redirect_port
        )
        try:
            redirect_uri = await redirect.start(state)
            url = prepare_grant_uri(
                authorize,
                self.settings.client_id,
                "code",
                redirect_uri=redirect_uri,
                scope=list(self.settings.scopes) or None,
                state=state,
                **extra,
            )
            try:
                async with asyncio.timeout(timeout):
                    opened = open_browser(url)
                    if inspect.isawaitable(opened):
                        opened = await opened
                    if opened is False:
                        raise OAuthError(
                            "No web browser could be opened for the sign-in.", error="browser"
                        )
                    answer = await redirect.wait()
            except TimeoutError:
                raise OAuthError(
                    f"No answer came back from the browser within {_duration(timeout)}: the "
                    "sign-in was stopped. Start it again when you are ready.",
                    error="timeout",
                ) from None
        finally:
            await redirect.close()
        iss_expected = endpoints.issuer and (endpoints.sends_iss or "iss" in answer)
        if iss_expected and answer.get("iss") != endpoints.issuer:
            raise OAuthError(
                "The sign-in answer came from another provider than the one asked "
                f"(issuer {_clip(answer.get('iss', ''))!r}, expected "
                f"{endpoints.issuer!r}); it was not used.",
                error="state_mismatch",
            )
        return await self._token_request(
            token_url,
            "authorization_code",
            {"code": answer["code"], "redirect_uri": redirect_uri, "code_verifier": verifier},
            flow=AUTHORIZATION_CODE,
            context="code",
        )

    async def client_credentials(self) -> TokenSet:
        """A token for the client itself (needs the client secret)."""
        if not self._secret:
            raise OAuthError(
                "The client credentials flow needs the client's secret: store it first.",
                error="invalid_client",
            )
        endpoints = await self.endpoints()
        token_url = _needed(endpoints.token, "token endpoint", self.settings)
        fields = {"scope": " ".join(self.settings.scopes)} if self.settings.scopes else {}
        return await self._token_request(
            token_url, "client_credentials", fields, flow=CLIENT_CREDENTIALS, context="client"
        )

    async def sign_in_with_device(
        self,
        show_device_code: Callable[[str, str], object],
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> TokenSet:
        """Device authorization (RFC 8628): asks for a code, shows it with
        `show_device_code(user_code, verification_uri)` (awaited when awaitable), then polls
        until the person has confirmed it, declined, or the code expired. `sleep` waits
        between polls (tests pass a faster one)."""
        endpoints = await self.endpoints()
        device_url = _needed(
            endpoints.device_authorization, "device authorization endpoint", self.settings
        )
        token_url = _needed(endpoints.token, "token endpoint", self.settings)
        fields = {"scope": " ".join(self.settings.scopes)} if self.settings.scopes else {}
        answer = await self._post(device_url, fields, context="device")
        device_code, user_code = answer.get("device_code"), answer.get("user_code")
        verification = answer.get("verification_uri") or answer.get("verification_url")
        if not (
            isinstance(device_code, str)
            and device_code
            and isinstance(user_code, str)
            and user_code
            and isinstance(verification, str)
        ):
            raise OAuthError(
                f"{device_url} did not answer with a device code, a user code and a "
                "verification address: it does not look like a device authorization endpoint.",
                error="not_oauth",
            )
        verification = _checked_url(verification, "verification page")
        lifetime = answer.get("expires_in")
        lifetime = float(lifetime) if _is_number(lifetime) and lifetime > 0 else 600.0
        interval = answer.get("interval")
        interval = max(1.0, float(interval)) if _is_number(interval) else DEFAULT_DEVICE_INTERVAL
        deadline = self._now() + min(lifetime, MAX_DEVICE_WAIT)
        issued = time.monotonic()
        shown = show_device_code(_clip(user_code, 64), verification)
        if inspect.isawaitable(shown):
            await shown
        while True:
            await sleep(interval)
            if self._now() >= deadline:
                raise refusal("expired_token", "", "device")
            try:
                return await self._token_request(
                    token_url,
                    DEVICE_GRANT,
                    {"device_code": device_code},
                    flow=DEVICE_CODE,
                    context="device",
                )
            except OAuthError as exc:
                if exc.error == "authorization_pending":
                    continue
                if exc.error == "slow_down":  # RFC 8628 3.5: 5 s more from now on
                    interval += 5.0
                    continue
                if exc.error == "invalid_grant" and time.monotonic() - issued >= lifetime:
                    # a provider may forget an expired code rather than call it expired
                    raise refusal("expired_token", "", "device") from None
                raise

    # -- renewal -----------------------------------------------------------------------------

    async def ensure_fresh(
        self, tokens: TokenSet, *, leeway: float = DEFAULT_LEEWAY, force: bool = False
    ) -> TokenSet:
        """`tokens` if the access token is good for more than `leeway` seconds, else
        renewed ones (store them: `result is not tokens` says they changed). `force`
        renews anyway (after a 401). Raises OAuthError with `sign_in_again` when only the
        person can help."""
        if not force and not tokens.expired(self._now(), leeway):
            return tokens
        async with self._lock:
            if self._renewed is not None and self._renewed[0] == tokens.access_token:
                renewed = self._renewed[1]  # another send renewed these tokens meanwhile
                if not renewed.expired(self._now(), min(leeway, 1.0)):
                    return renewed
            if tokens.refresh_token:
                fresh = await self.refresh(tokens)
            elif tokens.flow == CLIENT_CREDENTIALS:
                fresh = await self.client_credentials()
            else:
                raise OAuthError(
                    "The OAuth access token has expired and the provider gave no refresh "
                    "token: sign in again.",
                    error="expired",
                    sign_in_again=True,
                )
            self._renewed = (tokens.access_token, fresh)
            return fresh

    async def refresh(self, tokens: TokenSet) -> TokenSet:
        """New tokens for `tokens`' refresh token. A rotated refresh token replaces the
        old one; without one in the answer the old one is kept, and so is the ID token."""
        if not tokens.refresh_token:
            raise OAuthError(
                "There is no refresh token to renew the sign-in with: sign in again.",
                error="expired",
                sign_in_again=True,
            )
        if tokens.refresh_token in self._refused:
            raise refusal("invalid_grant", "", "refresh")
        endpoints = await self.endpoints()
        url = _needed(endpoints.refresh or endpoints.token, "token endpoint", self.settings)
        try:
            return await self._token_request(
                url,
                "refresh_token",
                {"refresh_token": tokens.refresh_token},
                flow=tokens.flow,
                context="refresh",
                previous=tokens,
            )
        except OAuthError as exc:
            if exc.sign_in_again:
                self._refused.add(tokens.refresh_token)
            raise

    # -- endpoints ---------------------------------------------------------------------------

    async def endpoints(self) -> Endpoints:
        """The provider's endpoints: the settings', then discovery's for the rest (fetched
        once). Raises OAuthError for a provider that is down or not OpenID Connect."""
        if self._endpoints is not None:
            return self._endpoints
        s = self.settings
        found = await self._discover(s.issuer) if s.issuer else {}

        def pick(explicit: str, key: str, what: str) -> str:
            value = explicit or found.get(key, "")
            return _checked_url(value, what) if isinstance(value, str) and value else ""

        issuer = found.get("issuer", "")
        self._endpoints = Endpoints(
            authorization=pick(
                s.authorization_url, "authorization_endpoint", "authorization endpoint"
            ),
            token=pick(s.token_url, "token_endpoint", "token endpoint"),
            refresh=pick(s.refresh_url, "", "refresh endpoint"),
            device_authorization=pick(
                s.device_authorization_url,
                "device_authorization_endpoint",
                "device authorization endpoint",
            ),
            userinfo=pick("", "userinfo_endpoint", "userinfo endpoint"),
            revocation=pick("", "revocation_endpoint", "revocation endpoint"),
            issuer=issuer if isinstance(issuer, str) else "",
            sends_iss=found.get("authorization_response_iss_parameter_supported") is True,
        )
        return self._endpoints

    async def _discover(self, issuer: str) -> dict[str, Any]:
        """The discovery document of `issuer` (an issuer URL or the document's own URL)."""
        url = issuer if "/.well-known/" in issuer else issuer.rstrip("/") + _DISCOVERY
        url = _checked_url(url, "discovery document")
        status, data = await self._exchange("GET", url, context="discovery")
        if (
            status != 200
            or not isinstance(data, dict)
            or not isinstance(data.get("token_endpoint"), str)
        ):
            answered = f"answered HTTP {status}" if status != 200 else "answered"
            raise OAuthError(
                f"{url} {answered} without an OpenID Connect discovery document: the "
                "address may be wrong, or the server is not an OpenID provider.",
                error="not_oauth",
            )
        return data

    # -- HTTP --------------------------------------------------------------------------------

    async def _token_request(
        self,
        url: str,
        grant_type: str,
        fields: Mapping[str, str],
        *,
        flow: str,
        context: str,
        previous: TokenSet | None = None,
    ) -> TokenSet:
        """POST a token request; the TokenSet it gives, or OAuthError."""
        from authlib.oauth2.rfc6749.parameters import prepare_token_request

        body = prepare_token_request(grant_type, **fields)
        answer = await self._post(url, body, context=context)
        return self._tokens(answer, url, flow=flow, previous=previous)

    async def _post(
        self, url: str, body: Mapping[str, str] | str, *, context: str
    ) -> dict[str, Any]:
        """A form POST to the provider with the client's authentication; the JSON answer
        of a success, else OAuthError (the provider's refusal in its own words)."""
        from authlib.common.urls import url_encode
        from authlib.oauth2.auth import ClientAuth

        text = body if isinstance(body, str) else url_encode(list(body.items()))
        method = self.settings.client_auth if self._secret else "none"
        if method not in ("client_secret_basic", "client_secret_post", "none"):
            raise OAuthError(
                f"Unknown client authentication {method!r}: use client_secret_basic or "
                "client_secret_post.",
                error="unsupported",
            )
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        _, headers, text = ClientAuth(self.settings.client_id, self._secret, method).prepare(
            "POST", url, headers, text
        )
        status, data = await self._exchange(
            "POST", url, context=context, headers=headers, content=text
        )
        if isinstance(data, dict) and isinstance(data.get("error"), str):  # 400, 401, or
            raise refusal(data["error"], data.get("error_description"), context)  # 200 (GitHub)
        if status != 200 or not isinstance(data, dict):
            raise OAuthError(
                f"{url} answered HTTP {status} without an OAuth answer: the address may be "
                "wrong, or the server is not an OAuth provider.",
                error="not_oauth",
            )
        return data

    async def _exchange(
        self,
        method: str,
        url: str,
        *,
        context: str,
        headers: Mapping[str, str] | None = None,
        content: str | None = None,
    ) -> tuple[int, Any]:
        """(status, parsed JSON or None) of one request, bounded in time and size."""
        import httpx

        client = self._client()
        where = _origin(url)
        try:
            async with asyncio.timeout(self._timeout):
                async with client.stream(
                    method,
                    url,
                    headers={"Accept": "application/json", **(headers or {})},
                    content=content,
                ) as response:
                    chunks: list[bytes] = []
                    size = 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > MAX_ANSWER_BYTES:
                            raise OAuthError(
                                f"{where} answered with more than 1 MiB: that is not an "
                                "OAuth provider's answer.",
                                error="not_oauth",
                            )
                        chunks.append(chunk)
                    status = response.status_code
        except TimeoutError:
            raise OAuthError(
                f"The OAuth provider at {where} did not answer within {self._timeout:g} s.",
                error="unreachable",
            ) from None
        except httpx.HTTPError as exc:
            raise OAuthError(
                f"The OAuth provider at {where} could not be reached ({_reason(exc)}).",
                error="unreachable",
            ) from None
        try:
            return status, json.loads(b"".join(chunks))
        except ValueError:
            return status, None

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            import httpx

            self._http = httpx.AsyncClient(
                timeout=self._timeout, trust_env=False, follow_redirects=False
            )
        return self._http

    def _tokens(
        self, answer: dict[str, Any], url: str, *, flow: str, previous: TokenSet | None
    ) -> TokenSet:
        """A TokenSet from a successful token answer (RFC 6749 5.1)."""
        access = answer.get("access_token")
        kind = answer.get("token_type")
        if not isinstance(access, str) or not access or not isinstance(kind, str):
            raise OAuthError(
                f"{url} answered without an access token: it does not look like an OAuth "
                "token endpoint.",
                error="not_oauth",
            )
        if kind.lower() != "bearer":
            raise OAuthError(
                f"The provider gave a {_clip(kind, 40)!r} token; explorer sends bearer tokens "
                "only.",
                error="unsupported",
            )
        lifetime = answer.get("expires_in")
        if isinstance(lifetime, str) and lifetime.isdigit():  # some providers quote it
            lifetime = int(lifetime)
        scope = answer.get("scope")
        if isinstance(scope, str):
            scopes = tuple(scope.split())
        elif previous is not None:
            scopes = previous.scopes
        else:
            scopes = self.settings.scopes
        refresh = answer.get("refresh_token")
        id_token = answer.get("id_token")
        return TokenSet(
            access_token=access,
            token_type="Bearer",
            refresh_token=refresh
            if isinstance(refresh, str) and refresh
            else (previous.refresh_token if previous else ""),
            id_token=id_token
            if isinstance(id_token, str) and id_token
            else (previous.id_token if previous else ""),
            expires_at=self._now() + float(lifetime) if _is_number(lifetime) else None,
            scopes=scopes,
            flow=flow,
        )


# -- messages -------------------------------------------------------------------------------

_FLOW_WORDS = {
    AUTHORIZATION_CODE: "authorization code",
    CLIENT_CREDENTIALS: "client credentials",
    DEVICE_CODE: "device code",
}

_REFUSALS: dict[str, str] = {
    "invalid_client": "The provider does not accept this client: the client ID or its "
    "secret is wrong, or the client may not sign in this way",
    "unauthorized_client": "This client may not use this sign-in flow at the provider",
    "access_denied": "The sign-in was declined at the provider",
    "expired_token": "The device code expired before the sign-in was confirmed: start again",
    "invalid_scope": "The provider refused the scopes asked for",
    "unsupported_grant_type": "The provider does not support this sign-in flow",
    "invalid_request": "The provider found the request malformed",
    "server_error": "The provider failed with an error of its own",
    "temporarily_unavailable": "The provider is temporarily unavailable: try again later",
}


def refusal(error: str, description: object, context: str) -> OAuthError:
    """The OAuthError for a provider's `error` (and `error_description`) in a `context`:
    "browser", "code", "client", "device", "refresh" or "discovery". The one wording of a
    provider's refusal; its own text is clipped to one line."""
    code = _clip(re.sub(r"[^\x21-\x7e]", "", error), 64) or "error"
    sign_in_again = False
    if code == "invalid_grant" and context == "refresh":
        message = (
            "The provider refused the refresh token (revoked, expired or already used): "
            "sign in again"
        )
        sign_in_again = True
    elif code == "invalid_grant":
        message = "The provider refused the authorization code"
    elif code in ("authorization_pending", "slow_down"):
        message = "The sign-in on the other device is not confirmed yet"
    else:
        message = _REFUSALS.get(code, "The provider refused the request")
    said = _clip(description) if isinstance(description, str) else ""
    detail = f" ({code}: {said})" if said else f" ({code})"
    return OAuthError(message + detail + ".", error=code, sign_in_again=sign_in_again)


def _needed(url: str, what: str, settings: OAuthSettings) -> str:
    """`url`, or OAuthError saying the provider has no such endpoint."""
    if url:
        return url
    where = "its discovery document" if settings.issuer else "the settings"
    raise OAuthError(
        f"No {what} for this sign-in: {where} name none. This provider may not offer this flow.",
        error="unsupported",
    )


def _checked_url(url: str, what: str) -> str:
    """`url` if it is an http(s) URL fit to carry credentials: https, or http to this
    machine only. OAuthError otherwise."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise OAuthError(f"The {what} {_clip(url)!r} is not an http(s) address.", error="not_oauth")
    if parts.scheme == "http" and not _is_loopback(host):
        raise OAuthError(
            f"The {what} {_clip(url)!r} is plain http to another machine: explorer sends "
            "sign-ins and tokens only over https (or to this machine).",
            error="insecure",
        )
    return url


def _duration(seconds: float) -> str:
    """5 minutes, 0.5 s: a timeout as a person says it."""
    if seconds >= 120 and seconds % 60 == 0:
        return f"{int(seconds // 60)} minutes"
    return f"{seconds:g} s"


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _is_number(value: object) -> TypeGuard[int | float]:
    """Whether a JSON value is a number (not a boolean, not NaN)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _clip(text: str, limit: int = 300) -> str:
    """Text from a provider as one printable line (no controls, no bidi overrides) of at
    most `limit` characters."""
    line = "".join(c for c in " ".join(text.split()) if c.isprintable())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return _clip(text.splitlines()[0], 200) if text else type(exc).__name__
