"""The servers of test_every_credential_kind.py: what `explorer mock` serves (its ASGI app,
its uvicorn thread and connection guard, on 127.0.0.1 port 0), behind a small front of
our own that records every request as it arrived (headers, query, cookies, body) and
answers the digest operations itself, with a real RFC 7616 check (the mock only looks at
the scheme word of a digest `Authorization`).

    front = Front(digest=DigestCheck("ada", "pa55"))
    served = Served.start(front)                     # http://127.0.0.1:PORT
    path.write_text(json.dumps(document(served.url)))
    front.target = create_app(spec.load(str(path)))  # the mock serves the rest
    ...
    front.seen[-1].carried()                         # {"authorization": "Basic ..."}
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from explorer.mock import MockApp, create_app
from explorer.mock._protocol import ConnectionGuard
from explorer.mock._server import ServerThread
from explorer.spec import load

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

CARRIERS = ("authorization", "cookie", "x-key-a", "x-key-b")
"""The headers a credential can travel in, in the document below (and the demo)."""
DIGEST_PATH = "/digest"


@dataclass(frozen=True)
class Arrival:
    """One request as the server received it."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]  # names lower-case, in the order they came
    body: bytes

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k == name]
        return ", ".join(values) if values else None

    def carried(self) -> dict[str, str]:
        """What of the request can carry a credential: the carrier headers that came, and
        the query string (as "?": "a=b&c=d") when there was one."""
        out = {name: value for name in CARRIERS if (value := self.header(name)) is not None}
        if self.query:
            out["?"] = "&".join(f"{k}={v}" for k, v in self.query)
        return out

    def text(self) -> str:
        """Everything that arrived, as one string (to look for a secret anywhere in it)."""
        head = "\n".join(f"{k}: {v}" for k, v in self.headers)
        query = "&".join(f"{k}={v}" for k, v in self.query)
        return f"{self.method} {self.path}?{query}\n{head}\n\n" + self.body.decode(
            "utf-8", "replace"
        )


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class DigestCheck:
    """HTTP digest (RFC 7616: SHA-256, qop=auth) for one user: a fresh nonce per
    challenge, and the client's answer recomputed from the password."""

    user: str
    password: str
    realm: str = "every-credential-kind"
    nonces: set[str] = field(default_factory=set)
    accepted: list[str] = field(default_factory=list)
    """The usernames of the answers that were right."""

    def challenge(self) -> str:
        nonce = secrets.token_hex(16)
        self.nonces.add(nonce)
        return (
            f'Digest realm="{self.realm}", nonce="{nonce}", qop="auth", '
            f'algorithm=SHA-256, opaque="{secrets.token_hex(8)}"'
        )

    def verify(self, method: str, target: str, header: str) -> bool:
        """Whether `header` (an `Authorization` value) answers one of our challenges
        with the right password for `method target`."""
        scheme, _, rest = header.partition(" ")
        if scheme.lower() != "digest":
            return False
        fields = {
            k.lower(): a if a else b
            for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^\s,]*))', rest)
        }
        if fields.get("nonce") not in self.nonces or fields.get("uri") != target:
            return False
        if fields.get("username") != self.user or fields.get("qop") != "auth":
            return False
        ha1 = _hash(f"{self.user}:{self.realm}:{self.password}")
        ha2 = _hash(f"{method}:{target}")
        nc, cnonce = fields.get("nc", ""), fields.get("cnonce", "")
        expected = _hash(f"{ha1}:{fields['nonce']}:{nc}:{cnonce}:auth:{ha2}")
        if not secrets.compare_digest(expected, fields.get("response", "")):
            return False
        self.accepted.append(self.user)
        return True


class Front:
    """An ASGI app that records each request (`seen`) and hands it to `target` (the
    mock's app), except `GET /digest`, which it answers itself with `digest`."""

    def __init__(self, target: MockApp | None = None, digest: DigestCheck | None = None) -> None:
        self.target = target
        self.digest = digest
        self.seen: list[Arrival] = []
        self._lock = threading.Lock()

    def since(self, count: int) -> list[Arrival]:
        with self._lock:
            return self.seen[count:]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        query = scope.get("query_string", b"").decode("latin-1")
        arrival = Arrival(
            method=scope["method"],
            path=scope["path"],
            query=tuple(parse_qsl(query, keep_blank_values=True)),
            headers=tuple(
                (k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope["headers"]
            ),
            body=body,
        )
        with self._lock:
            self.seen.append(arrival)
        if scope["path"] == DIGEST_PATH and self.digest is not None:
            await self._digest(arrival, scope, send)
            return
        assert self.target is not None, "the mock is not set up yet"
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.target(scope, replay, send)

    async def _digest(self, arrival: Arrival, scope: Scope, send: Send) -> None:
        assert self.digest is not None
        raw = scope.get("raw_path") or scope["path"].encode()
        target = raw.decode("latin-1")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        header = arrival.header("authorization") or ""
        if self.digest.verify(arrival.method, target, header):
            status, body = 200, b'{"user": "%s"}' % self.digest.user.encode()
            headers = [(b"content-type", b"application/json")]
        else:
            status, body = 401, b'{"title": "digest credentials needed"}'
            headers = [
                (b"content-type", b"application/problem+json"),
                (b"www-authenticate", self.digest.challenge().encode()),
            ]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class Served:
    """An ASGI app on 127.0.0.1, port 0, served as `explorer mock` serves (uvicorn on a
    thread of its own, behind the mock's connection guard)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._thread = ServerThread(app, ConnectionGuard(), "credential test server")
        self.port = self._thread.start("127.0.0.1", 0)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # what the window's Services need of a MockServer (the demo's is replaced by one)
    @property
    def base_url(self) -> str:
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        self._thread.stop(timeout)
        target = getattr(self.app, "target", None)
        if isinstance(target, MockApp):
            target.close()


def recorded_demo(demo_spec: str) -> tuple[Served, Front]:
    """The demo API (`explorer mock` with its demo document) behind a recording front:
    set as the window's `services.mock` before the demo opens, it is what the window
    starts the demo on."""
    front = Front(create_app(load(demo_spec)))
    return Served(front), front


def _ok(example: Any) -> dict[str, Any]:
    return {
        "description": "OK",
        "content": {"application/json": {"schema": {"type": "object"}, "example": example}},
    }


_DENIED = {
    "description": "No valid credential",
    "content": {"application/problem+json": {"schema": {"type": "object"}}},
}


def document(base: str) -> dict[str, Any]:
    """An OpenAPI 3.1 document with one operation per way of asking for credentials:
    basic, digest, an API key in the query and in a cookie, two keys together (AND), basic
    or bearer (OR), none at all (`security: []` over a document-wide bearer), and a
    collection to GET and POST with a header key (the production confirmation)."""

    def op(op_id: str, security: list[dict[str, list[str]]], **more: Any) -> dict[str, Any]:
        return {
            "operationId": op_id,
            "summary": op_id.replace("_", " "),
            "security": security,
            "responses": {"200": _ok({"ok": True}), "401": _DENIED},
            **more,
        }

    thing = {"type": "object", "properties": {"name": {"type": "string"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Every credential kind", "version": "1.0.0"},
        "servers": [{"url": base}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic"},
                "digestAuth": {"type": "http", "scheme": "digest"},
                "bearer": {"type": "http", "scheme": "bearer"},
                "queryKey": {"type": "apiKey", "in": "query", "name": "api_key"},
                "cookieKey": {"type": "apiKey", "in": "cookie", "name": "session_key"},
                "keyA": {"type": "apiKey", "in": "header", "name": "X-Key-A"},
                "keyB": {"type": "apiKey", "in": "header", "name": "X-Key-B"},
            }
        },
        "paths": {
            "/basic": {"get": op("basic_only", [{"basicAuth": []}])},
            DIGEST_PATH: {"get": op("digest_only", [{"digestAuth": []}])},
            "/query-key": {"get": op("query_key", [{"queryKey": []}])},
            "/cookie-key": {"get": op("cookie_key", [{"cookieKey": []}])},
            "/both": {"get": op("both_keys", [{"keyA": [], "keyB": []}])},
            "/either": {"get": op("basic_or_bearer", [{"basicAuth": []}, {"bearer": []}])},
            "/public": {"get": op("public", [])},
            "/things": {
                "get": op("list_things", [{"keyA": []}]),
                "post": op(
                    "make_thing",
                    [{"keyA": []}],
                    requestBody={
                        "required": True,
                        "content": {
                            "application/json": {"schema": thing, "example": {"name": "widget"}}
                        },
                    },
                ),
            },
        },
    }
