"""The credentials of an API in its environment in use: what each request sends. No Qt.

    creds = Credentials(api, store.for_api(api.title), SecretStore())
    await creds.set_secret("bearerAuth", "token", jwt)        # into the keyring
    auths = await creds.inputs_for(op, base_url, send)        # what the request sends
    creds.remember_cookies(result)                            # the environment's cookie jar

Each security scheme of the API is a slot per environment (explorer.store.environments):
filled once, used by every endpoint that needs it. A request sends exactly what its
security requirement asks for: nothing for an operation without one (`/auth/login`),
every scheme of an AND requirement, the first alternative of an OR that can be met
(else the first, so the server says what is missing).

A secret is read from the keyring, else from the environment variable that snippets name
it with (`ECOSIRE_TOKEN`, `ECOSIRE_API_KEY`): for scripts and CI. Secrets read once are
kept in memory for the session.

A login slot logs in by itself: before a request when it has no token or the token (a
JWT) has expired, and once more when a request answers 401 (`renew`), the request then
sent again once. A login that fails raises `AuthError` with the server's words: nothing
is retried in a loop.

An OAuth2 / OpenID Connect slot keeps its settings (client ID, flow, scopes, discovery or
endpoints: `OAuthSettings`) in the environments file, and its tokens (the whole
`TokenSet`, part "tokens") and client secret (part "client_secret") in the keyring. It
sends "Bearer <access token>"; before a request an expiring token is refreshed by itself
(and kept), a client-credentials slot fetches a token by itself, and a 401 renews once
(`renew`). A renewal that only a new sign-in can fix raises `AuthError` saying "sign in
again", and keeps saying it without asking the provider until the person signs in.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from explorer.errors import AuthError
from explorer.http.model import AuthInput, BodyInput, RequestInput
from explorer.store.environments import ApiEnvironments, Environment, Slot, secret_name
from explorer.store.secrets import SecretStore
from explorer.store.usage import Usage

if TYPE_CHECKING:
    from explorer.http.model import NetworkFailure, PreparedRequest, ResponseResult
    from explorer.http.oauth import OAuthClient, OAuthSettings, TokenSet
    from explorer.spec.model import Operation, SecurityRequirement, SecurityScheme, Spec

__all__ = [
    "CLIENT_SECRET",
    "EXPIRY_MARGIN",
    "TOKENS",
    "Credentials",
    "SlotView",
    "decode_jwt",
    "jwt_expiry",
    "login_operation",
    "natural_kind",
]

EXPIRY_MARGIN = 30.0
"""A token this close to its expiry (seconds) is renewed before a request."""
COOKIE_JAR = "@cookies"
"""The keyring part under which an environment's cookie jar is kept."""
TOKENS = "tokens"
"""The keyring part of an OAuth2 slot that holds its tokens (`TokenSet.to_json()`)."""
CLIENT_SECRET = "client_secret"
"""The keyring part of an OAuth2 slot that holds its client's secret (if it has one)."""

Send = Callable[["PreparedRequest"], Awaitable["ResponseResult | NetworkFailure"]]


def decode_jwt(token: str) -> dict[str, Any] | None:
    """The claims of a JWT (not verified: shown, and read for its expiry); None when the
    token is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[1]:
        return None
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None


def jwt_expiry(token: str) -> float | None:
    """When a JWT expires (Unix time), or None (not a JWT, or no `exp`)."""
    claims = decode_jwt(token)
    exp = claims.get("exp") if claims else None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


def login_operation(api: Spec) -> Operation | None:
    """The operation that logs in with a password, if the API has one (`POST /auth/login`,
    `/login`, `/signin`, `/token`...): a POST without a security requirement whose body
    has a `password` property."""
    from explorer.spec.describe import object_properties

    for op in api.operations:
        last = op.path.rstrip("/").rsplit("/", 1)[-1].lower()
        if op.method != "POST" or last not in ("login", "signin", "sign-in", "token", "session"):
            continue
        if any(op.security):
            continue
        body = op.request_body
        for media in body.content if body is not None else ():
            props, _required = object_properties(media.schema or {})
            if any(name.lower() == "password" for name in props):
                return op
    return None


def natural_kind(api: Spec, scheme: SecurityScheme | None) -> str:
    """The kind a slot takes until the user chooses: "login" for a bearer scheme of an API
    that logs in with a password, else the scheme's own kind."""
    from explorer.spec.describe import credential_kind

    if scheme is None:
        return "bearer"
    t = scheme.type.lower()
    if t == "apikey" and scheme.location.lower() == "cookie":
        return "cookie" if login_operation(api) is not None else "apikey"
    if t in ("oauth2", "openidconnect"):
        return "oauth2"
    if t == "http" and scheme.scheme.lower() == "digest":
        return "digest"
    kind = credential_kind(scheme)
    looks_like_key = "key" in (scheme.bearer_format + scheme.name).lower()
    if kind == "bearer" and not looks_like_key and login_operation(api) is not None:
        return "login"
    return kind


@dataclass(frozen=True)
class SlotView:
    """What the Auth tab shows of a slot."""

    scheme: str
    kind: str
    filled: bool
    source: str  # "keyring", "session", "environment variable ECOSIRE_TOKEN", "cookie jar", ""
    env_name: str
    expires_at: float | None = None
    claims: Mapping[str, Any] | None = None
    who: str = ""
    """OAuth2: who signed in, from the ID token (not verified: for showing only)."""
    refresh_token: bool = False
    """OAuth2: the provider gave a refresh token (the sign-in is renewed by itself)."""
    flow: str = ""
    """OAuth2: the flow of the slot's settings (one of explorer.http.oauth.FLOWS)."""
    problem: str = ""
    """OAuth2: why the slot needs a new sign-in ("" when it does not)."""


@dataclass
class _OAuthUse:
    """The OAuthClient of one slot, while its settings and secret stay the same: one
    client, so that concurrent sends share one renewal and a refused refresh token is not
    sent again. Its HTTP connections are closed whenever no call is using it."""

    settings: OAuthSettings
    secret: str | None
    client: OAuthClient
    users: int = field(default=0)


class Credentials:
    """See the module docstring."""

    def __init__(
        self,
        api: Spec,
        envs: ApiEnvironments,
        secrets: SecretStore,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.time,
        usage: Usage | None = None,
    ) -> None:
        self.api = api
        self.envs = envs
        self.secrets = secrets
        self.usage = usage
        self.defaults: dict[str, str] = {}
        """Variables every environment has unless it sets them (the demo's `baseUrl`)."""
        self.last_used: tuple[str, ...] = ()
        """The slots the last request was sent with."""
        self.environ = os.environ if environ is None else environ
        self.clock = clock
        self._cache: dict[str, str | None] = {}
        self._jars: dict[str, Any] = {}  # environment -> CookieJar
        self.login_failures: dict[str, str] = {}  # slot -> why the last login failed
        self.oauth_leeway = EXPIRY_MARGIN
        """An OAuth2 access token that expires within this many seconds is renewed before
        a request."""
        self._oauth: dict[tuple[str, str], _OAuthUse] = {}  # (environment, slot) -> client
        self._sign_in_needed: dict[tuple[str, str], str] = {}  # (environment, slot) -> why

    # -- the environment ------------------------------------------------------------------

    @property
    def env(self) -> Environment:
        return self.envs.current

    def variables(self) -> dict[str, str]:
        """The variables of the environment in use (over the defaults)."""
        return {**self.defaults, **self.env.variables}

    def credential_key(self, scheme_name: str) -> str:
        """How usage names a slot: "<api>/<environment>/<slot>" (no secret)."""
        return f"{self.api.title}/{self.env.name}/{scheme_name}"

    def record_use(self, ok: bool) -> None:
        """Count a request on the slots it was sent with."""
        if self.usage is None:
            return
        for name in self.last_used:
            self.usage.record(self.credential_key(name), ok=ok)

    def scheme(self, name: str) -> SecurityScheme | None:
        return self.api.security_schemes.get(name)

    def kind_of(self, scheme_name: str) -> str:
        slot = self.env.slots.get(scheme_name)
        if slot is not None and slot.kind:
            return slot.kind
        return natural_kind(self.api, self.scheme(scheme_name))

    def slot(self, scheme_name: str) -> Slot:
        """The slot of a scheme in the environment in use, with its kind settled and, for
        a login slot, the login operation and its plain fields filled from the document."""
        slot = self.env.slot(scheme_name)
        if not slot.kind:
            slot.kind = self.kind_of(scheme_name)
        if slot.kind == "login" and not slot.login.fields:
            self._default_login(slot)
        return slot

    def _default_login(self, slot: Slot) -> None:
        op = login_operation(self.api)
        if op is None:
            return
        from explorer.spec.describe import object_properties

        slot.login.operation = op.key
        body = op.request_body
        media = body.content[0] if body is not None and body.content else None
        props, _required = object_properties(media.schema or {}) if media else ({}, [])
        example: Any = media.examples[0].value if media and media.examples else None
        secret = []
        for name, prop in props.items():
            is_secret = name.lower() == "password" or (
                isinstance(prop, Mapping) and prop.get("format") == "password"
            )
            given = self.environ.get(self._field_variable(slot.scheme, name))
            if is_secret:
                secret.append(name)
            elif given:  # scripts and CI: ECOSIRE_EMAIL, over the document's example
                slot.login.fields[name] = given
            elif isinstance(example, dict) and isinstance(example.get(name), str):
                slot.login.fields[name] = example[name]
            else:
                slot.login.fields[name] = ""
        slot.login.secret_fields = tuple(secret) or ("password",)

    def env_name(self, scheme_name: str) -> str:
        """The environment variable a scheme's secret may come from (as snippets name it)."""
        from explorer.http.snippets import env_name_for

        kind = self.kind_of(scheme_name)
        snippet_kind = {"login": "bearer", "oauth2": "bearer", "digest": "basic"}.get(kind, kind)
        return env_name_for(self.api, snippet_kind, scheme_name)

    # -- secrets --------------------------------------------------------------------------

    def _name(self, scheme_name: str, part: str, environment: str | None = None) -> str:
        return secret_name(self.api.title, environment or self.env.name, scheme_name, part)

    def token_slots(self, op: Operation | None) -> list[str]:
        """The slots a token can be put in (bearer and login ones): a login slot that
        logs in with `op` first (its reply's token is that slot's), then those `op`'s
        security asks for, then the document's others."""
        schemes = self.api.security_schemes
        able = [n for n in sorted(schemes) if self.kind_of(n) in ("bearer", "login")]
        key = op.key if op is not None else None
        logins = [
            n for n in able if self.kind_of(n) == "login" and self.slot(n).login.operation == key
        ]
        asked = [n for alt in (op.security if op is not None else ()) for n in alt]
        return [n for n in dict.fromkeys([*logins, *asked, *able]) if n in able]

    async def use_token(self, scheme_name: str, token: str) -> None:
        """Keep `token` as the token of a bearer or login slot of the environment in use
        ("Use as token"): sent from the next request on."""
        await self.set_secret(scheme_name, "token", token)
        self.login_failures.pop(scheme_name, None)

    def secret_key(self, scheme_name: str, part: str, environment: str | None = None) -> str:
        """The keyring name of a secret part of a slot (of the environment in use)."""
        return self._name(scheme_name, part, environment)

    async def secret(self, scheme_name: str, part: str) -> str | None:
        """A secret part of a slot: the keyring (read once), else for the slot's main
        secret the environment variable snippets name it with."""
        name = self._name(scheme_name, part)
        if name not in self._cache:
            self._cache[name] = await self.secrets.get(name)
        value = self._cache[name]
        if not value:
            variable = self.env_variable(scheme_name, part)
            value = (self.environ.get(variable) or None) if variable else None
        return value

    def env_variable(self, scheme_name: str, part: str) -> str:
        """The environment variable a secret part may come from when the keyring has
        none (scripts, CI): the slot's main secret and a login slot's token as snippets
        name them (ECOSIRE_TOKEN, ECOSIRE_API_KEY), a login slot's secret fields after the
        API's word (ECOSIRE_PASSWORD); "" for the others."""
        kind = self.kind_of(scheme_name)
        if part == _main_part(kind) or (kind == "login" and part == "token"):
            return self.env_name(scheme_name)
        if kind == "login" and part in self.slot(scheme_name).login.secret_fields:
            return self._field_variable(scheme_name, part)
        return ""

    def _field_variable(self, scheme_name: str, field: str) -> str:
        """A login field's environment variable: the API's word and the field's name
        (ECOSIRE_PASSWORD, ECOSIRE_EMAIL); "" for a name without letters or digits."""
        prefix = self.env_name(scheme_name).rsplit("_", 1)[0]
        word = re.sub(r"[^A-Za-z0-9]+", "_", field).strip("_").upper()
        return f"{prefix}_{word}" if word else ""

    def cached(self, scheme_name: str, part: str) -> str | None:
        """A secret part as far as it is known without a keyring call (None: not read)."""
        return self._cache.get(self._name(scheme_name, part))

    async def set_secret(
        self, scheme_name: str, part: str, value: str, *, environment: str | None = None
    ) -> None:
        """Keep a secret part of a slot of the environment in use (or of `environment`):
        in the keyring; "" forgets it."""
        name = self._name(scheme_name, part, environment)
        if value:
            await self.secrets.set(name, value)
        else:
            await self.secrets.delete(name)
        self._cache[name] = value or None
        self.login_failures.pop(scheme_name, None)
        if part == TOKENS:  # signed in (or out): a new start
            self._sign_in_needed.pop((environment or self.env.name, scheme_name), None)

    async def view(self, scheme_name: str) -> SlotView:
        """What the Auth tab shows of a slot (reads the keyring, off the loop)."""
        kind = self.kind_of(scheme_name)
        env = self.env_name(scheme_name)
        if kind == "oauth2":
            return await self._oauth_view(scheme_name)
        main = _main_part(kind)
        stored = await self.secrets_get_cached(scheme_name, main)
        source = ""
        value = stored
        if stored:
            source = "keyring" if self.secrets.available else "session"
        elif main and self.environ.get(env):
            value, source = self.environ[env], f"environment variable {env}"
        filled = bool(value)
        if kind == "login":
            token = await self.secrets_get_cached(scheme_name, "token")
            password = [
                await self.secret(scheme_name, f)
                for f in self.slot(scheme_name).login.secret_fields
            ]
            filled = bool(token) or all(password)
            value = token
            source = "logged in" if token else ("ready to log in" if filled else "")
        elif kind == "cookie":
            filled = bool(self.jar_cookies())
            source = "cookie jar" if filled else ""
        expires = jwt_expiry(value) if value else None
        claims = decode_jwt(value) if value else None
        return SlotView(scheme_name, kind, filled, source, env, expires, claims)

    async def secrets_get_cached(
        self, scheme_name: str, part: str, *, environment: str | None = None
    ) -> str | None:
        """A secret part as the keyring has it (read once; no environment variable)."""
        name = self._name(scheme_name, part, environment)
        if name not in self._cache:
            self._cache[name] = await self.secrets.get(name)
        return self._cache[name]

    # -- what a request sends -------------------------------------------------------------

    async def satisfiable(self, scheme_name: str) -> bool:
        """Whether the slot can give a credential now (or log in to get one)."""
        kind = self.kind_of(scheme_name)
        if kind == "cookie":
            return bool(self.jar_cookies())
        if kind == "login":
            if await self.secret(scheme_name, "token"):
                return True
            fields = self.slot(scheme_name).login.secret_fields
            return all([await self.secret(scheme_name, f) for f in fields])
        if kind == "oauth2":
            return await self._oauth_satisfiable(scheme_name)
        part = _main_part(kind)
        return bool(part and await self.secret(scheme_name, part))

    async def choose(self, op: Operation) -> SecurityRequirement | None:
        """The alternative of the operation's security requirement to send: the first that
        can be met; else the first (the server then says what is missing); None when the
        operation needs nothing."""
        alternatives = op.security
        if not alternatives:
            return None
        for alt in alternatives:
            if all([await self.satisfiable(name) for name in alt]):
                return alt
        return alternatives[0]

    async def inputs_for(
        self, op: Operation | None, base_url: str, send: Send
    ) -> tuple[AuthInput, ...]:
        """The credentials a request for `op` sends (logging in first where a login slot
        has no token, or an expired one)."""
        self.last_used = ()
        if op is None:
            return ()
        chosen = await self.choose(op)
        if not chosen:
            return ()
        out: list[AuthInput] = []
        used: list[str] = []
        for name in chosen:
            auth = await self._input(name, base_url, send)
            if auth is not None:
                out.append(auth)
            if auth is not None or self.kind_of(name) == "cookie":
                used.append(name)
        self.last_used = tuple(used)
        return tuple(out)

    async def preview_inputs(self, op: Operation | None) -> tuple[AuthInput, ...]:
        """The credentials a request for `op` would send, for the code panel: chosen as a
        send chooses them, never logging in or asking a provider; a secret not known yet
        stands as the name of its environment variable, which the snippets then read."""
        if op is None:
            return ()
        chosen = await self.choose(op)
        out: list[AuthInput] = []
        for name in chosen or ():
            kind = self.kind_of(name)
            env = self.env_name(name)
            if kind == "oauth2":
                tokens = await self.oauth_tokens(name)
                value = tokens.access_token if tokens is not None else None
            else:
                part = "token" if kind == "login" else _main_part(kind)
                value = await self.secret(name, part) if part else None
            made = self._auth_input(name, kind, value or env, env)
            if made is not None:
                out.append(made)
        return tuple(out)

    def _auth_input(self, scheme_name: str, kind: str, secret: str, env: str) -> AuthInput | None:
        """What a slot of `kind` sends with its main secret (a token, key or password)."""
        scheme = self.scheme(scheme_name)
        if kind in ("login", "bearer", "oauth2"):
            return AuthInput("bearer", token=secret, env_name=env)
        if kind == "apikey" and scheme is not None:
            return AuthInput(
                "apikey",
                token=secret,
                name=scheme.param_name,
                location=scheme.location or "header",
                env_name=env,
            )
        if kind in ("basic", "digest"):
            username = self.slot(scheme_name).username
            return AuthInput(kind, username=username, password=secret, env_name=env)  # type: ignore[arg-type]
        return None  # cookie: the jar sends it

    async def _input(self, scheme_name: str, base_url: str, send: Send) -> AuthInput | None:
        kind = self.kind_of(scheme_name)
        env = self.env_name(scheme_name)
        if kind == "login":
            token = await self.secret(scheme_name, "token")
            expiry = jwt_expiry(token) if token else None
            if not token or (expiry is not None and expiry - EXPIRY_MARGIN < self.clock()):
                fields = self.slot(scheme_name).login.secret_fields
                if not all([await self.secret(scheme_name, f) for f in fields]):
                    return None  # nothing to log in with: the server will say what it needs
                token = await self.login(scheme_name, base_url, send)
            return self._auth_input(scheme_name, kind, token, env)
        if kind == "oauth2":
            return await self._oauth_input(scheme_name, env)
        if kind in ("basic", "digest"):
            password = await self.secret(scheme_name, "password")
            if not (self.slot(scheme_name).username or password):
                return None
            return self._auth_input(scheme_name, kind, password or "", env)
        part = _main_part(kind)
        secret = await self.secret(scheme_name, part) if part else None
        return self._auth_input(scheme_name, kind, secret, env) if secret else None

    def can_renew(self, op: Operation | None, sent: tuple[AuthInput, ...]) -> str | None:
        """The slot that may log in again (or renew its OAuth2 tokens) after a 401 for
        `op` (None: none). An OAuth2 slot only when the request was sent with its token
        and the token can be renewed without the person."""
        if op is None or not sent:
            return None
        for alt in op.security:
            for name in alt:
                kind = self.kind_of(name)
                if kind == "login" and name not in self.login_failures:
                    return name
                if kind == "oauth2" and name in self.last_used and self._oauth_renewable(name):
                    return name
        return None

    async def login(self, scheme_name: str, base_url: str, send: Send) -> str:
        """Log in with the slot's stored fields; the token (also kept in the keyring).
        For an OAuth2 slot: renew its tokens now (`oauth_renew`). Raises AuthError with
        what went wrong (nothing is retried)."""
        if self.kind_of(scheme_name) == "oauth2":
            return (await self.oauth_renew(scheme_name)).access_token
        from explorer.http.build import build_request
        from explorer.http.model import ResponseResult
        from explorer.http.problems import parse_problem
        from explorer.jsonpointer import resolve_pointer

        slot = self.slot(scheme_name)
        settings = slot.login
        op = self.api.find(settings.operation)
        where = f"Logging in ({self.env.name})"
        if op is None:
            raise self._failed(
                scheme_name,
                f"{where}: the operation {settings.operation!r} is not in the document.",
            )
        fields: dict[str, Any] = dict(settings.fields)
        for name in settings.secret_fields:
            value = await self.secret(scheme_name, name)
            if not value:
                raise self._failed(
                    scheme_name, f"{where}: no {name} is stored: fill it in on the Auth tab."
                )
            fields[name] = value
        body = op.request_body
        media = (
            next((m.media_type for m in body.content), "application/json")
            if body
            else "application/json"
        )
        from explorer.http.media import is_json_media_type

        if is_json_media_type(media):
            body_input = BodyInput(media, text=json.dumps(fields))
        else:
            from explorer.http.model import FormField

            body_input = BodyInput(
                "application/x-www-form-urlencoded",
                fields=tuple(FormField(k, str(v)) for k, v in fields.items()),
            )
        prepared = build_request(RequestInput(op.method, base_url, op.path, body=body_input))
        result = await send(prepared)
        if not isinstance(result, ResponseResult):
            raise self._failed(scheme_name, f"{where} failed: {result.message}")
        self.remember_cookies(result)
        if result.status >= 400:
            problem = parse_problem(result)
            why = (problem.detail or problem.title) if problem else result.reason
            raise self._failed(scheme_name, f"{where} failed: {result.status} {why}".rstrip())
        try:
            token = resolve_pointer(json.loads(result.body), settings.token_pointer)
        except (ValueError, KeyError, IndexError, TypeError):
            token = None
        if not isinstance(token, str) or not token:
            raise self._failed(
                scheme_name, f"{where}: the reply has no token at {settings.token_pointer}."
            )
        await self.set_secret(scheme_name, "token", token)
        return token

    def _failed(self, scheme_name: str, message: str) -> AuthError:
        self.login_failures[scheme_name] = message
        return AuthError(message)

    # -- OAuth 2.0 / OpenID Connect -------------------------------------------------------

    def oauth_settings(self, scheme_name: str, environment: str | None = None) -> OAuthSettings:
        """The OAuth2 settings of a slot: those kept in the environment, else the
        defaults the security scheme gives (`oauth_defaults`)."""
        from explorer.http.oauth import OAuthSettings

        slot = self._slot_in(scheme_name, environment)
        if slot.oauth:
            return OAuthSettings.from_json(slot.oauth)
        return self.oauth_defaults(scheme_name)

    def oauth_defaults(self, scheme_name: str, flow: str = "") -> OAuthSettings:
        """What the document says about signing in for a scheme: the discovery URL of an
        `openIdConnect` scheme, the endpoints of an `oauth2` scheme's `flow` (its first
        runnable one for ""), the scopes the document's security requirement names for it
        ("openid" for OpenID Connect). No client ID: that comes from the person."""
        from explorer.http.oauth import FLOWS, OAuthSettings, available_flows

        scheme = self.scheme(scheme_name)
        if scheme is None or not available_flows(scheme):
            return OAuthSettings(client_id="", flow=flow if flow in FLOWS else FLOWS[0])
        scopes = dict.fromkeys(s for alt in self.api.security for s in alt.get(scheme_name, ()))
        base = self.api.servers[0].resolve() if self.api.servers else ""
        try:
            return OAuthSettings.from_scheme(
                scheme, "", flow=flow, scopes=tuple(scopes), base_url=base
            )
        except AuthError:  # a flow this scheme does not declare
            return OAuthSettings.from_scheme(scheme, "", scopes=tuple(scopes), base_url=base)

    def set_oauth_settings(
        self, scheme_name: str, settings: OAuthSettings, environment: str | None = None
    ) -> None:
        """Keep a slot's OAuth2 settings in its environment (no secret in them; the
        caller saves the environments file)."""
        slot = self._slot_in(scheme_name, environment)
        slot.oauth = {"client_id": settings.client_id, **settings.to_json()}

    async def oauth_tokens(
        self, scheme_name: str, environment: str | None = None
    ) -> TokenSet | None:
        """The slot's tokens from the keyring (None: not signed in, or unreadable, which
        then needs a new sign-in)."""
        from explorer.http.oauth import TokenSet

        env = environment or self.env.name
        raw = await self.secrets_get_cached(scheme_name, TOKENS, environment=env)
        if not raw:
            return None
        try:
            return TokenSet.from_json(raw)
        except AuthError as exc:
            self._sign_in_needed[(env, scheme_name)] = str(exc)
            return None

    def oauth_problem(self, scheme_name: str, environment: str | None = None) -> str:
        """Why the slot needs a new sign-in ("" when it does not)."""
        return self._sign_in_needed.get((environment or self.env.name, scheme_name), "")

    async def oauth_sign_in(
        self,
        scheme_name: str,
        *,
        environment: str | None = None,
        open_browser: Callable[[str], object] | None = None,
        show_device_code: Callable[[str, str], object] | None = None,
    ) -> TokenSet:
        """Sign in with the slot's flow (the browser for the authorization code, the
        device code shown, or the client's own secret) and keep the tokens in the
        keyring. Raises OAuthError with one sentence for the person."""
        from explorer.http.oauth import OAuthError

        env = environment or self.env.name
        if not self.oauth_settings(scheme_name, env).client_id:
            raise OAuthError(
                "Fill in the client ID first (the provider shows it where the app is registered).",
                error="invalid_client",
            )
        async with self._oauth_client(scheme_name, env) as client:
            tokens = await client.sign_in(
                open_browser=open_browser, show_device_code=show_device_code
            )
        await self.set_secret(scheme_name, TOKENS, tokens.to_json(), environment=env)
        return tokens

    async def oauth_sign_out(self, scheme_name: str, environment: str | None = None) -> None:
        """Forget the slot's tokens (the keyring entry is deleted)."""
        await self.set_secret(scheme_name, TOKENS, "", environment=environment)

    async def oauth_renew(self, scheme_name: str) -> TokenSet:
        """New tokens for the slot now (after a 401): its refresh token, or a new client
        credentials token. Raises AuthError ("sign in again" when only that helps)."""
        tokens = await self.oauth_tokens(scheme_name)
        if tokens is None:
            return await self._oauth_by_itself(scheme_name)
        return await self._oauth_fresh(scheme_name, tokens, force=True)

    # the parts of the above

    def _slot_in(self, scheme_name: str, environment: str | None) -> Slot:
        """The slot of a scheme in `environment` (None: the one in use)."""
        env = self.envs.get(environment) if environment else None
        if env is None or env is self.env:
            return self.slot(scheme_name)
        slot = env.slot(scheme_name)
        if not slot.kind:
            slot.kind = natural_kind(self.api, self.scheme(scheme_name))
        return slot

    @contextlib.asynccontextmanager
    async def _oauth_client(self, scheme_name: str, environment: str) -> AsyncIterator[OAuthClient]:
        """The slot's OAuthClient for one call (made anew when its settings or secret
        changed; its connections closed when no call uses it any more)."""
        from explorer.http.oauth import OAuthClient

        settings = self.oauth_settings(scheme_name, environment)
        secret = await self.secrets_get_cached(scheme_name, CLIENT_SECRET, environment=environment)
        key = (environment, scheme_name)
        use = self._oauth.get(key)
        if use is None or use.settings != settings or use.secret != secret:
            client = OAuthClient(settings, client_secret=secret, now=lambda: self.clock())
            use = self._oauth[key] = _OAuthUse(settings, secret, client)
        use.users += 1
        try:
            yield use.client
        finally:
            use.users -= 1
            if use.users == 0:
                await use.client.aclose()

    def _oauth_failed(self, scheme_name: str, environment: str, exc: AuthError) -> AuthError:
        """The error a request shows for a failed renewal; one that needs a new sign-in is
        remembered (nothing is asked of the provider again until then)."""
        message = f"OAuth2 ({environment}): {exc}"
        if getattr(exc, "sign_in_again", False):
            self._sign_in_needed[(environment, scheme_name)] = message
        return AuthError(message)

    async def _oauth_fresh(
        self, scheme_name: str, tokens: TokenSet, *, force: bool = False
    ) -> TokenSet:
        """`tokens`, or renewed ones (kept in the keyring) when they expire within
        `oauth_leeway` seconds or `force` says so."""
        env = self.env.name
        try:
            async with self._oauth_client(scheme_name, env) as client:
                fresh = await client.ensure_fresh(tokens, leeway=self.oauth_leeway, force=force)
        except AuthError as exc:
            raise self._oauth_failed(scheme_name, env, exc) from None
        if fresh is not tokens:
            await self.set_secret(scheme_name, TOKENS, fresh.to_json(), environment=env)
        return fresh

    async def _oauth_by_itself(self, scheme_name: str) -> TokenSet:
        """A client-credentials token, fetched without the person; AuthError for a slot
        whose flow needs the person."""
        from explorer.http.oauth import CLIENT_CREDENTIALS

        env = self.env.name
        if self.oauth_settings(scheme_name).flow != CLIENT_CREDENTIALS:
            raise AuthError(f"OAuth2 ({env}): not signed in: sign in on the Auth tab.")
        try:
            return await self.oauth_sign_in(scheme_name)
        except AuthError as exc:
            raise self._oauth_failed(scheme_name, env, exc) from None

    async def _oauth_satisfiable(self, scheme_name: str) -> bool:
        if self.oauth_problem(scheme_name):
            return False
        tokens = await self.oauth_tokens(scheme_name)
        if tokens is not None:
            return not tokens.expired(self.clock()) or tokens.renewable
        if await self._oauth_fetches_itself(scheme_name):
            return True
        return bool(self.environ.get(self.env_name(scheme_name)))

    async def _oauth_fetches_itself(self, scheme_name: str) -> bool:
        """Whether the slot gets a token without the person (client credentials with a
        stored secret)."""
        from explorer.http.oauth import CLIENT_CREDENTIALS

        settings = self.oauth_settings(scheme_name)
        return (
            settings.flow == CLIENT_CREDENTIALS
            and bool(settings.client_id)
            and bool(await self.secrets_get_cached(scheme_name, CLIENT_SECRET))
        )

    async def _oauth_input(self, scheme_name: str, env_var: str) -> AuthInput | None:
        """The bearer token an OAuth2 slot sends, renewed or fetched first if need be."""
        problem = self.oauth_problem(scheme_name)
        if problem:
            raise AuthError(problem)
        tokens = await self.oauth_tokens(scheme_name)
        if tokens is not None:
            tokens = await self._oauth_fresh(scheme_name, tokens)
        elif await self._oauth_fetches_itself(scheme_name):
            tokens = await self._oauth_by_itself(scheme_name)
        else:  # not signed in: a token from the environment (scripts, CI), or nothing
            token = self.environ.get(env_var)
            return AuthInput("bearer", token=token, env_name=env_var) if token else None
        return AuthInput("bearer", token=tokens.access_token, env_name=env_var)

    def _oauth_renewable(self, scheme_name: str) -> bool:
        """Whether a 401 may renew the slot's tokens (read already: no keyring call)."""
        from explorer.http.oauth import CLIENT_CREDENTIALS, TokenSet

        if self.oauth_problem(scheme_name):
            return False
        raw = self.cached(scheme_name, TOKENS)
        if raw:
            with contextlib.suppress(AuthError):
                return TokenSet.from_json(raw).renewable
            return False
        return self.oauth_settings(scheme_name).flow == CLIENT_CREDENTIALS

    async def _oauth_view(self, scheme_name: str) -> SlotView:
        env = self.env_name(scheme_name)
        tokens = await self.oauth_tokens(scheme_name)
        problem = self.oauth_problem(scheme_name)
        if tokens is not None:
            claims = decode_jwt(tokens.id_token) if tokens.id_token else None
            return SlotView(
                scheme_name,
                "oauth2",
                True,
                "signed in",
                env,
                tokens.expires_at,
                who=_who(claims or {}),
                refresh_token=bool(tokens.refresh_token),
                flow=tokens.flow,
                problem=problem,
            )
        flow = self.oauth_settings(scheme_name).flow
        if await self._oauth_fetches_itself(scheme_name):
            source = "a token is fetched by itself (client credentials)"
        elif self.environ.get(env):
            source = f"environment variable {env}"
        else:
            source = ""
        return SlotView(
            scheme_name, "oauth2", bool(source), source, env, flow=flow, problem=problem
        )

    # -- the cookie jar -------------------------------------------------------------------

    def _jar(self) -> Any:
        from http.cookiejar import CookieJar

        jar = self._jars.get(self.env.name)
        if jar is None:
            jar = self._jars[self.env.name] = CookieJar()
        return jar

    async def load_jar(self) -> None:
        """Read the environment's cookie jar from the keyring (once)."""
        if self.env.name in self._jars:
            return
        raw = await self.secrets.get(self._name(COOKIE_JAR, "jar"))
        jar = self._jar()
        if raw:
            for cookie in _cookies_from_json(raw):
                jar.set_cookie(cookie)

    async def save_jar(self) -> None:
        """Keep the environment's cookie jar in the keyring (cookies are sessions)."""
        jar = self._jars.get(self.env.name)
        if jar is not None:
            await self.secrets.set(self._name(COOKIE_JAR, "jar"), _cookies_to_json(jar))

    def remember_cookies(self, result: ResponseResult) -> bool:
        """Take the cookies a response sets into the environment's jar (HttpOnly too);
        True when the jar changed."""
        from urllib.request import Request

        jar = self._jar()
        before = _cookies_to_json(jar)
        request = Request(result.request.url, method=result.request.method)
        jar.extract_cookies(_Response(result.headers), request)
        if result.url != result.request.url:  # after redirects: the final URL's too
            jar.extract_cookies(_Response(result.headers), Request(result.url))
        return _cookies_to_json(jar) != before

    def cookies_for(self, url: str, used: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """The jar's cookies a request to `url` sends back (name, value), `used` being the
        slots the request is sent with (`last_used`). A cookie that is the credential of
        a cookie-session slot (the demo's `ecosire_auth`) goes only when that slot is
        used: a request sends exactly what its security requirement asks for (nothing
        for `/auth/login`, the bearer alone when the bearer is the alternative chosen)."""
        from urllib.request import Request

        jar = self._jar()
        request = Request(url)
        jar.add_cookie_header(request)
        header = request.get_header("Cookie") or ""
        pairs = [p.strip().partition("=") for p in header.split(";") if "=" in p]
        withheld = self._session_cookies() - {
            self.api.security_schemes[n].param_name
            for n in used
            if n in self.api.security_schemes and self.kind_of(n) == "cookie"
        }
        return tuple((name, value) for name, _eq, value in pairs if name not in withheld)

    def _session_cookies(self) -> set[str]:
        """The names of the cookies that are the credential of a cookie-session slot."""
        return {
            scheme.param_name
            for name, scheme in self.api.security_schemes.items()
            if self.kind_of(name) == "cookie" and scheme.location.lower() == "cookie"
        }

    def jar_cookies(self) -> list[dict[str, Any]]:
        """The jar's cookies, for showing (name, value, domain, path, expiry, flags)."""
        jar = self._jars.get(self.env.name)
        return json.loads(_cookies_to_json(jar)) if jar is not None else []

    def clear_jar(self) -> None:
        self._jar().clear()


class _Response:
    """What `CookieJar.extract_cookies` reads of a response: its headers."""

    def __init__(self, headers: tuple[tuple[str, str], ...]) -> None:
        from email.message import Message

        self._message = Message()
        for name, value in headers:
            self._message[name] = value

    def info(self) -> Any:
        return self._message


def _cookies_to_json(jar: Any) -> str:
    return json.dumps(
        [
            {
                "name": c.name,
                "value": c.value,
                "domain": c.domain,
                "path": c.path,
                "secure": c.secure,
                "expires": c.expires,
                "http_only": c.has_nonstandard_attr("HttpOnly"),
                "host_only": not c.domain_specified,
            }
            for c in jar
        ],
        sort_keys=True,
    )


def _cookies_from_json(raw: str) -> list[Any]:
    from http.cookiejar import Cookie

    try:
        items = json.loads(raw)
    except ValueError:
        return []
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        domain = str(item.get("domain") or "")
        host_only = bool(item.get("host_only"))
        expires = item.get("expires")
        out.append(
            Cookie(
                version=0,
                name=item["name"],
                value=str(item.get("value") or ""),
                port=None,
                port_specified=False,
                domain=domain,
                domain_specified=not host_only,
                domain_initial_dot=domain.startswith("."),
                path=str(item.get("path") or "/"),
                path_specified=True,
                secure=bool(item.get("secure")),
                expires=int(expires) if isinstance(expires, int | float) else None,
                discard=expires is None,
                comment=None,
                comment_url=None,
                rest={"HttpOnly": ""} if item.get("http_only") else {},
            )
        )
    return out


def secret_parts(slot: Slot) -> tuple[str, ...]:
    """The secret parts a user gives a slot, its main one first: a login slot's secret
    fields (the password), an OAuth2 slot's client secret (its tokens come from signing
    in), else the token, key or password of its kind."""
    if slot.kind == "login":
        return tuple(slot.login.secret_fields)
    if slot.kind == "oauth2":
        return (CLIENT_SECRET,)
    main = _main_part(slot.kind)
    return (main,) if main else ()


def _main_part(kind: str) -> str:
    """The secret part a kind of slot needs ("" for those that need none of their own)."""
    return {
        "bearer": "token",
        "apikey": "key",
        "basic": "password",
        "digest": "password",
    }.get(kind, "")


def _who(claims: Mapping[str, Any]) -> str:
    """Who an ID token names, for showing: a name, a username, an email or the subject."""
    for key in ("name", "preferred_username", "email", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""
