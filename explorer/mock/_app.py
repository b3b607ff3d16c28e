"""The ASGI application: one request through routing, limits, security, validation, answer.

    unknown path            404 problem
    known path, wrong verb  405 problem with Allow
    body over the limit     413 problem
    past `x-ratelimit`      429 problem with Retry-After (X-RateLimit-* on every answer)
    no valid credentials    401 problem with WWW-Authenticate
    bad parameters or body  422 (or 400/404/415, whichever the operation documents)
    otherwise               the demo's own answer, or the spec's example / a schema sample

Anything unexpected inside is logged and answered with a 500 problem; the tests check
that this never happens.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.requests import cookie_parser

from explorer.mock._demo import Demo, is_demo
from explorer.mock._problem import MockProblem, Reply, problem
from explorer.mock._respond import Responder, parse_prefer
from explorer.mock._security import Clock, RateLimiter, SecurityChecker
from explorer.mock._validate import RequestParts, check_body, check_parameters, choose_status
from explorer.spec import Operation, Spec
from explorer.spec.routes import Router, server_path

__all__ = ["MAX_BODY", "MockApp"]

log = logging.getLogger("explorer.mock")

MAX_BODY = 10 * 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class _TooLarge(Exception):
    pass


class MockApp:
    """An ASGI app that serves one OpenAPI document. Build it with `create_app`."""

    def __init__(
        self,
        api: Spec,
        *,
        demo: bool | None = None,
        seed: int = 0,
        clock: Clock = time.time,
        max_body: int = MAX_BODY,
    ) -> None:
        self.api = api
        self.router = Router(api)
        self.responder = Responder()
        self.rate_limiter = RateLimiter(clock)
        self.max_body = max_body
        self.demo = (
            Demo(api, self.responder, clock, seed)
            if (is_demo(api) if demo is None else demo)
            else None
        )
        self.security = SecurityChecker(api, self.demo.token_check if self.demo else None)
        self.served = 0

    @property
    def base_path(self) -> str:
        """The first server's base path ("/api"), "" for the root."""
        for server in self.api.servers:
            path = server_path(server)
            if path is not None:
                return path
        return ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if kind != "http":
            return
        instance = scope.get("path", "/")
        try:
            reply = await self._handle(scope, receive, instance)
        except Exception:
            log.exception("the mock failed on %s %s", scope.get("method"), instance)
            reply = problem(500, "The mock server failed on this request (see its log)", instance)
        self.served += 1
        headers = [(k.encode("latin-1"), v.encode("latin-1", "replace")) for k, v in reply.headers]
        if reply.media_type:
            headers.append((b"content-type", reply.media_type.encode("latin-1")))
        body = b"" if scope.get("method") == "HEAD" else reply.body
        headers.append((b"content-length", str(len(reply.body)).encode()))
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _read_body(self, receive: Receive, declared: int | None) -> bytes:
        if declared is not None and declared > self.max_body:
            raise _TooLarge
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _handle(self, scope: Scope, receive: Receive, instance: str) -> Reply:
        method = str(scope.get("method", "GET")).upper()
        raw = scope.get("raw_path")
        raw_path = raw.decode("latin-1") if isinstance(raw, bytes) else quote(instance)
        raw_path = raw_path.split("?", 1)[0]
        match = self.router.match(raw_path)
        if match is None:
            where = ", ".join(b or "/" for b in self.router.base_paths if b) or "/"
            return problem(
                404,
                f"No operation at {method} {instance} (this API is served under {where})",
                instance,
            )
        op = match.methods.get(method)
        if op is None:
            allowed = ", ".join(sorted(match.methods))
            return problem(
                405,
                f"{method} is not allowed on {match.template}; allowed: {allowed}",
                instance,
                headers=[("Allow", allowed)],
            )

        headers: dict[str, str] = {}
        for key, value in scope.get("headers", []):
            name = key.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[name] = f"{headers[name]}, {text}" if name in headers else text
        declared: int | None = None
        length = headers.get("content-length", "")
        if length.isdigit():
            declared = int(length)
        try:
            body = await self._read_body(receive, declared)
        except _TooLarge:
            return problem(
                413,
                f"The request body is larger than the mock accepts ({self.max_body:,} bytes)",
                instance,
            )
        query_string = scope.get("query_string", b"").decode("latin-1")
        try:
            query = parse_qsl(query_string, keep_blank_values=True)
        except ValueError:
            query = []
        client = scope.get("client")
        parts = RequestParts(
            path_params=match.params,
            query=query,
            headers=headers,
            cookies=cookie_parser(headers.get("cookie", "")),
            method=method,
            instance=instance,
            base=match.base,
            client=str(client[0]) if client else "",
        )
        extra: list[tuple[str, str]] = []
        try:
            reply = self._answer(op, parts, body, extra)
        except MockProblem as exc:
            reply = problem(exc.status, exc.message, instance, exc.details, exc.headers)
        for name, value in extra:
            reply.set_header(name, value)
        return reply

    def _client_key(self, parts: RequestParts) -> str:
        credential = parts.headers.get("authorization") or ""
        if not credential:
            credential = "|".join(f"{k}={v}" for k, v in sorted(parts.cookies.items()))
        if not credential:
            return "addr:" + parts.client
        return "cred:" + hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest()[:24]

    def _answer(
        self, op: Operation, parts: RequestParts, body: bytes, extra: list[tuple[str, str]]
    ) -> Reply:
        limits = RateLimiter.limits(op)
        if limits is not None:
            allowed, rl_headers, retry = self.rate_limiter.hit(
                op.key, self._client_key(parts), *limits
            )
            extra.extend(rl_headers)
            if not allowed:
                limit, window = limits
                raise MockProblem(
                    choose_status(op, (429,)),
                    f"Rate limit exceeded: {limit} requests per {window:g} seconds. "
                    f"Retry in {retry} seconds.",
                    headers=[("Retry-After", str(retry))],
                )
        self.security.check(op, parts)
        version = self.api.openapi_version
        path_details, details = check_parameters(op, parts, version)
        content_type = parts.headers.get("content-type", "")
        value, body_details = check_body(op, content_type, body, version)
        all_details = path_details + details + body_details
        if all_details:
            preferred = (422, 400, 404) if path_details and not details else (422, 400)
            raise MockProblem(choose_status(op, preferred), "Validation failed", all_details)
        parts.body = value
        if self.demo is not None:
            reply = self.demo.handle(op, parts)
            if reply is not None:
                return reply
        prefer = parse_prefer(parts.headers.get("prefer", ""))
        return self.responder.reply(
            op, prefer, parts.headers.get("accept", "*/*"), parts.instance, parts.method
        )
