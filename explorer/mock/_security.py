"""Security and rate limits: is a request allowed through, and how often.

`SecurityChecker` reads an operation's security alternatives (any one of which must be
met; all schemes of an alternative together) and looks for each scheme's credential in
the request. Any well-formed credential passes unless a `token_check` is given (the demo
gives one that only accepts its own JWTs and `ecos_` keys). JWTs are HS256, written and
read with the standard library.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from explorer.mock._problem import MockProblem
from explorer.mock._validate import RequestParts, choose_status
from explorer.spec import Operation, SecurityRequirement, SecurityScheme, Spec

__all__ = [
    "Clock",
    "RateLimiter",
    "SecurityChecker",
    "TokenCheck",
    "bearer_token",
    "jwt_decode",
    "jwt_encode",
]

Clock = Callable[[], float]
TokenCheck = Callable[[str, str], bool]
"""(kind, value) -> accepted; kind is "bearer", "basic", "apikey" or "cookie"."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_encode(claims: Mapping[str, Any], secret: bytes) -> str:
    """An HS256 JSON Web Token of `claims`."""
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64url(json.dumps(dict(claims), separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


def jwt_decode(token: str, secret: bytes, now: float) -> dict[str, Any] | None:
    """The claims of an HS256 token signed with `secret` and not expired, else None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_unb64url(parts[0]))
        claims = json.loads(_unb64url(parts[1]))
        signature = _unb64url(parts[2])
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        return None
    expected = hmac.new(secret, f"{parts[0]}.{parts[1]}".encode("ascii"), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        return None
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool) or exp <= now:
        return None
    return claims


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of an `Authorization: Bearer <token>` header."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _basic_ok(headers: Mapping[str, str]) -> bool | None:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return ":" in decoded


def _quote(text: str) -> str:
    return text.replace("\\", "").replace('"', "'")


class SecurityChecker:
    """Lets a request through when it meets one of its operation's security alternatives."""

    def __init__(self, api: Spec, token_check: TokenCheck | None = None) -> None:
        self._schemes = api.security_schemes
        self._realm = _quote(api.title)
        self._token_check = token_check

    def _scheme_state(self, scheme: SecurityScheme, parts: RequestParts) -> str:
        """ "ok", "invalid" (a credential that is not accepted) or "missing"."""
        check = self._token_check
        kind = scheme.type
        if kind == "http" and scheme.scheme == "basic":
            basic = _basic_ok(parts.headers)
            if basic is None:
                return "missing"
            if not basic:
                return "invalid"
            value = parts.headers.get("authorization", "")
            return "ok" if check is None or check("basic", value) else "invalid"
        if kind in ("oauth2", "openIdConnect") or (kind == "http" and scheme.scheme == "bearer"):
            token = bearer_token(parts.headers)
            if token is None:
                return "missing"
            return "ok" if check is None or check("bearer", token) else "invalid"
        if kind == "http":
            scheme_name, _, value = parts.headers.get("authorization", "").partition(" ")
            if scheme_name.lower() != (scheme.scheme or "").lower() or not value.strip():
                return "missing"
            return "ok"
        if kind == "apiKey":
            name = scheme.param_name
            found: str | None
            if scheme.location == "header":
                found = parts.headers.get(name.lower())
            elif scheme.location == "query":
                found = next((v for k, v in parts.query if k == name), None)
            elif scheme.location == "cookie":
                found = parts.cookies.get(name)
            else:
                return "ok"
            if not found:
                return "missing"
            what = "cookie" if scheme.location == "cookie" else "apikey"
            if name.lower() == "authorization":
                found = found.partition(" ")[2].strip() or found
            return "ok" if check is None or check(what, found) else "invalid"
        return "ok"  # mutualTLS and unknown kinds cannot be checked here

    def check(self, op: Operation, parts: RequestParts) -> None:
        """Raise a 401 `MockProblem` unless some security alternative is met."""
        alternatives = op.security
        if not alternatives:
            return
        invalid = False
        for requirement in alternatives:
            states = []
            for name in requirement:
                scheme = self._schemes.get(name)
                states.append("ok" if scheme is None else self._scheme_state(scheme, parts))
            if all(s == "ok" for s in states):
                return
            invalid = invalid or "invalid" in states
        names = [n for req in alternatives for n in req]
        raise MockProblem(
            choose_status(op, (401,)),
            "Invalid or expired credentials"
            if invalid
            else "Authentication required: send " + self._describe(alternatives),
            headers=[("WWW-Authenticate", self._challenge(names))],
        )

    def _describe(self, alternatives: tuple[SecurityRequirement, ...]) -> str:
        """What to send: each alternative's schemes together ("the header 'X-Key' and
        the query 'token'"), alternatives joined with "or"."""
        described: list[str] = []
        for requirement in alternatives:
            ways: list[str] = []
            for name in requirement:
                way = self._way(name)
                if way and way not in ways:
                    ways.append(way)
            text = " and ".join(ways)
            if text and text not in described:
                described.append(text if len(ways) == 1 else f"({text})")
        if len(described) == 1 and described[0].startswith("("):
            described[0] = described[0][1:-1]
        return " or ".join(described) or "credentials"

    def _way(self, name: str) -> str:
        scheme = self._schemes.get(name)
        if scheme is None:
            return ""
        if scheme.type == "apiKey":
            return f"the {scheme.location} {scheme.param_name!r}"
        if scheme.type == "http" and scheme.scheme == "basic":
            return "Authorization: Basic <credentials>"
        return "Authorization: Bearer <token>"

    def _challenge(self, names: list[str]) -> str:
        out: list[str] = []
        for name in dict.fromkeys(names):
            scheme = self._schemes.get(name)
            if scheme is None:
                continue
            if scheme.type == "http" and scheme.scheme == "basic":
                value = f'Basic realm="{self._realm}"'
            elif scheme.type == "apiKey":
                value = (
                    f'ApiKey realm="{self._realm}", in="{_quote(scheme.location)}", '
                    f'name="{_quote(scheme.param_name)}"'
                )
            elif scheme.type == "http" and scheme.scheme not in ("", "bearer"):
                value = f'{scheme.scheme.capitalize()} realm="{self._realm}"'
            else:
                value = f'Bearer realm="{self._realm}"'
            if value not in out:
                out.append(value)
        return ", ".join(out) or f'Bearer realm="{self._realm}"'


class RateLimiter:
    """Fixed windows per (operation, client), started by the client's first request."""

    MAX_KEYS = 50_000

    def __init__(self, clock: Clock = time.time) -> None:
        self._clock = clock
        self._windows: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def limits(op: Operation) -> tuple[int, float] | None:
        """(limit, window seconds) from the operation's `x-ratelimit`, or None."""
        raw = op.extensions.get("x-ratelimit")
        if not isinstance(raw, Mapping):
            return None
        limit = raw.get("limit")
        window = raw.get("window", 60)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            return None
        if not isinstance(window, int | float) or isinstance(window, bool) or window <= 0:
            window = 60
        return limit, float(window)

    def hit(
        self, op_key: str, client: str, limit: int, window: float
    ) -> tuple[bool, list[tuple[str, str]], int]:
        """Count one request: (allowed, X-RateLimit-* headers, seconds until the reset)."""
        with self._lock:  # requests are counted from several worker threads
            return self._hit(op_key, client, limit, window)

    def _hit(
        self, op_key: str, client: str, limit: int, window: float
    ) -> tuple[bool, list[tuple[str, str]], int]:
        now = self._clock()
        key = (op_key, client)
        slot = self._windows.get(key)
        if slot is None or now >= slot[0] + window:
            if len(self._windows) >= self.MAX_KEYS:
                self._prune(now)
            slot = [now, 0.0]
            self._windows[key] = slot
        allowed = slot[1] < limit
        if allowed:
            slot[1] += 1
        reset_at = slot[0] + window
        headers = [
            ("X-RateLimit-Limit", str(limit)),
            ("X-RateLimit-Remaining", str(max(0, limit - int(slot[1])))),
            ("X-RateLimit-Reset", str(math.ceil(reset_at))),
        ]
        return allowed, headers, max(1, math.ceil(reset_at - now))

    def _prune(self, now: float) -> None:
        stale = [k for k, (start, _) in self._windows.items() if now - start > 3600]
        for k in stale:
            del self._windows[k]
        if len(self._windows) >= self.MAX_KEYS:
            self._windows.clear()
