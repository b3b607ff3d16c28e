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
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from explorer.errors import AuthError
from explorer.http.model import AuthInput, BodyInput, RequestInput
from explorer.store.environments import ApiEnvironments, Environment, Slot, secret_name
from explorer.store.secrets import SecretStore
from explorer.store.usage import Usage

if TYPE_CHECKING:
    from explorer.http.model import NetworkFailure, PreparedRequest, ResponseResult
    from explorer.spec.model import Operation, SecurityRequirement, SecurityScheme, Spec

__all__ = [
    "EXPIRY_MARGIN",
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
            if is_secret:
                secret.append(name)
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
        if not value and part == _main_part(self.kind_of(scheme_name)):
            value = self.environ.get(self.env_name(scheme_name)) or None
        return value

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

    async def view(self, scheme_name: str) -> SlotView:
        """What the Auth tab shows of a slot (reads the keyring, off the loop)."""
        kind = self.kind_of(scheme_name)
        env = self.env_name(scheme_name)
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

    async def secrets_get_cached(self, scheme_name: str, part: str) -> str | None:
        name = self._name(scheme_name, part)
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

    async def _input(self, scheme_name: str, base_url: str, send: Send) -> AuthInput | None:
        kind = self.kind_of(scheme_name)
        scheme = self.scheme(scheme_name)
        env = self.env_name(scheme_name)
        if kind == "login":
            token = await self.secret(scheme_name, "token")
            expiry = jwt_expiry(token) if token else None
            if not token or (expiry is not None and expiry - EXPIRY_MARGIN < self.clock()):
                fields = self.slot(scheme_name).login.secret_fields
                if not all([await self.secret(scheme_name, f) for f in fields]):
                    return None  # nothing to log in with: the server will say what it needs
                token = await self.login(scheme_name, base_url, send)
            return AuthInput("bearer", token=token, env_name=env)
        if kind in ("bearer", "oauth2"):
            part = "access_token" if kind == "oauth2" else "token"
            token = await self.secret(scheme_name, part)
            return AuthInput("bearer", token=token, env_name=env) if token else None
        if kind == "apikey" and scheme is not None:
            key = await self.secret(scheme_name, "key")
            if not key:
                return None
            return AuthInput(
                "apikey",
                token=key,
                name=scheme.param_name,
                location=scheme.location or "header",
                env_name=env,
            )
        if kind in ("basic", "digest"):
            password = await self.secret(scheme_name, "password")
            username = self.slot(scheme_name).username
            if not (username or password):
                return None
            return AuthInput(kind, username=username, password=password or "", env_name=env)  # type: ignore[arg-type]
        return None  # cookie: the jar sends it

    def can_renew(self, op: Operation | None, sent: tuple[AuthInput, ...]) -> str | None:
        """The login slot that may log in again after a 401 for `op` (None: none)."""
        if op is None or not sent:
            return None
        for alt in op.security:
            for name in alt:
                if self.kind_of(name) == "login" and name not in self.login_failures:
                    return name
        return None

    async def login(self, scheme_name: str, base_url: str, send: Send) -> str:
        """Log in with the slot's stored fields; the token (also kept in the keyring).
        Raises AuthError with what went wrong (nothing is retried)."""
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

    def cookies_for(self, url: str) -> tuple[tuple[str, str], ...]:
        """The jar's cookies a request to `url` sends back (name, value)."""
        from urllib.request import Request

        jar = self._jar()
        request = Request(url)
        jar.add_cookie_header(request)
        header = request.get_header("Cookie") or ""
        pairs = [p.strip().partition("=") for p in header.split(";") if "=" in p]
        return tuple((name, value) for name, _eq, value in pairs)

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
    fields (the password), else the token, key or password of its kind."""
    if slot.kind == "login":
        return tuple(slot.login.secret_fields)
    main = _main_part(slot.kind)
    return (main,) if main else ()


def _main_part(kind: str) -> str:
    """The secret part a kind of slot needs ("" for those that need none of their own)."""
    return {
        "bearer": "token",
        "apikey": "key",
        "basic": "password",
        "digest": "password",
        "oauth2": "access_token",
    }.get(kind, "")
