"""The ASGI application: one request through routing, limits, security, validation, answer.

    Host not loopback       421 problem (on a loopback address; see _guard.py)
    unknown path            404 problem
    known path, wrong verb  405 problem with Allow
    body over the limit     413 problem; body not sent in time: 408; too many bodies: 503
    past `x-ratelimit`      429 problem with Retry-After (X-RateLimit-* on every answer)
    no valid credentials    401 problem with WWW-Authenticate
    bad parameters or body  422 (or 400/404/415, whichever the operation documents)
    too slow to answer      503 problem (the work ran past its time budget)
    otherwise               the demo's own answer, or the spec's example / a schema sample

The event loop only reads requests and writes answers; everything after the body is read
(security, parsing, validation, the answer) runs in a worker thread with a time budget
(`_worker.py`), so one heavy request cannot hold up the other clients. Requests with
large bodies (where the heavy work is) have workers of their own: a flood of them leaves
the workers of the small requests free. Only requests known to be cheap (no body, a short
head, simple parameters, an answer already made: `_cheap`) skip the thread hop, which
would cost more than their work.

Anything unexpected inside is logged (throttled) and answered with a 500 problem; the
tests check that this never happens.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.requests import cookie_parser

from explorer.mock._demo import Demo, Later, is_demo
from explorer.mock._guard import HostCheck, log_target, query_secrets
from explorer.mock._log import ThrottledLogger, shorten
from explorer.mock._problem import MockProblem, Reply, problem
from explorer.mock._respond import MAX_ANSWER, Responder, parse_prefer
from explorer.mock._security import Clock, RateLimiter, SecurityChecker
from explorer.mock._validate import RequestParts, check_body, check_parameters, choose_status
from explorer.mock._webhooks import CONTROL_PATH, Dispatcher, control_delivery, control_reply
from explorer.mock._worker import OutOfTime, WorkerPool
from explorer.spec import Operation, Spec
from explorer.spec.routes import Match, Router, server_path

__all__ = ["BODY_TIMEOUT", "LIGHT_BODY", "MAX_BODY", "MAX_PENDING", "WORK_BUDGET", "MockApp"]

log = ThrottledLogger(logging.getLogger("explorer.mock"))
access_log = logging.getLogger("explorer.mock.access")

MAX_BODY = 10 * 1024 * 1024
"""Bytes of one request body."""
MAX_PENDING = 64 * 1024 * 1024
"""Bytes of request bodies held at once, all requests together (more: 503, retry)."""
BODY_TIMEOUT = 30.0
"""Seconds a client has to send the whole body once its headers are in (more: 408)."""
WORK_BUDGET = 5.0
"""Seconds one request's work (validation, the answer) may take (more: 503)."""
LIGHT_BODY = 16 * 1024
"""Requests with a smaller body (most) run on workers of their own: however many large
bodies keep the other workers busy, a simple request is still answered at once."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


_CHEAP_HEAD = 4096
_SIMPLE_TYPES = {"string", "integer", "number", "boolean", "null"}
_COSTLY = {"pattern", "patternProperties", "uniqueItems", "properties", "additionalProperties"}


def flat_schema(schema: Any, depth: int = 0) -> bool:
    """Whether checking a value against `schema` is cheap whatever the value: scalars
    and arrays of scalars, no `pattern` (time), no `uniqueItems` (quadratic), no objects,
    no `format: regex`."""
    if not isinstance(schema, Mapping) or depth > 3:
        return False
    if _COSTLY & schema.keys() or schema.get("format") == "regex":
        return False
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if not isinstance(kinds, list) or not set(kinds) <= _SIMPLE_TYPES | {"array"}:
        return False
    if "array" in kinds and not flat_schema(schema.get("items", {"type": "string"}), depth + 1):
        return False
    return all(
        isinstance(subs, list) and all(flat_schema(s, depth + 1) for s in subs)
        for key, subs in schema.items()
        if key in ("allOf", "oneOf", "anyOf")
    )


def _delivery_id() -> str:
    import secrets

    return "dly_" + secrets.token_hex(10).upper()


class _TooLarge(Exception):
    pass


def parts_of(scope: Scope, headers: dict[str, str], match: Match) -> RequestParts:
    """The pieces of a request that validation reads."""
    query_string = scope.get("query_string", b"").decode("latin-1")
    try:
        query = parse_qsl(query_string, keep_blank_values=True)
    except ValueError:
        query = []
    client = scope.get("client")
    return RequestParts(
        path_params=match.params,
        query=query,
        headers=headers,
        cookies=cookie_parser(headers.get("cookie", "")),
        method=str(scope.get("method", "GET")).upper(),
        instance=scope.get("path", "/"),
        base=match.base,
        client=str(client[0]) if client else "",
    )


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
        max_answer: int = MAX_ANSWER,
        work_budget: float = WORK_BUDGET,
        body_timeout: float = BODY_TIMEOUT,
        workers: int = 4,
        max_pending: int = MAX_PENDING,
        allow_hosts: Sequence[str] = (),
        access_log: bool = False,
        webhook_attempts: int = 5,
        webhook_backoff: float = 1.0,
    ) -> None:
        self.api = api
        self.router = Router(api)
        self.responder = Responder(max_answer, api.openapi_version)
        self.rate_limiter = RateLimiter(clock)
        self.max_body = max_body
        self.work_budget = work_budget
        self.body_timeout = body_timeout
        self.max_pending = max_pending
        self.workers = WorkerPool(workers, name="mock-worker")  # bodies of LIGHT_BODY and more
        self.light_workers = WorkerPool(2, name="mock-light")
        self.hosts = HostCheck(allow_hosts)
        self.access_log = access_log
        self._secrets = query_secrets(api)
        self.demo = (
            Demo(
                api,
                self.responder,
                clock,
                seed,
                webhook_attempts=webhook_attempts,
                webhook_backoff=webhook_backoff,
            )
            if (is_demo(api) if demo is None else demo)
            else None
        )
        self.dispatcher = Dispatcher(
            clock, attempts=webhook_attempts, backoff=webhook_backoff, new_id=_delivery_id
        )
        self._demo_lock = threading.Lock()  # the demo's state is touched by one worker at a time
        self.security = SecurityChecker(api, self.demo.token_check if self.demo else None)
        self.served = 0
        self._pending = 0  # bytes of request bodies held right now
        self._warm: set[str] = set()  # operations answered (their answers made) before
        self._cheap_ops: dict[str, bool] = {}

    @property
    def base_path(self) -> str:
        """The first server's base path ("/api"), "" for the root."""
        for server in self.api.servers:
            path = server_path(server)
            if path is not None:
                return path
        return ""

    def close(self) -> None:
        """Let the worker threads end (the server has stopped)."""
        self.workers.close()
        self.light_workers.close()
        self.dispatcher.close()
        if self.demo is not None:
            self.demo.close()

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
        seen: dict[str, Any] = {}
        try:
            reply = await self._handle(scope, receive, instance, seen)
        except Exception:
            log.exception(
                "the mock failed on %s %s", scope.get("method"), shorten(quote(instance), 200)
            )
            reply = problem(500, "The mock server failed on this request (see its log)", instance)
        self.served += 1
        headers = [(k.encode("latin-1"), v.encode("latin-1", "replace")) for k, v in reply.headers]
        if reply.media_type:
            headers.append((b"content-type", reply.media_type.encode("latin-1")))
        body = b"" if scope.get("method") == "HEAD" else reply.body
        headers.append((b"content-length", str(len(reply.body)).encode()))
        if self.access_log:  # before the answer goes out, as uvicorn's own access log
            self._log_access(scope, reply.status, seen.get("match"))
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _log_access(self, scope: Scope, status: int, match: Match | None) -> None:
        """One line per request, as uvicorn writes it, with secret values masked."""
        raw = scope.get("raw_path")
        path = raw.decode("latin-1") if isinstance(raw, bytes) else quote(scope.get("path", "/"))
        query = scope.get("query_string", b"")
        target = log_target(
            path.split("?", 1)[0],
            query.decode("latin-1") if isinstance(query, bytes) else "",
            self._secrets,
            match.base if match else "",
            match.template if match else None,
        )
        client = scope.get("client")
        who = f"{client[0]}:{client[1]}" if client else "-"
        method = shorten(str(scope.get("method", "")), 20)
        version = shorten(str(scope.get("http_version", "1.1")), 5)
        access_log.info('%s - "%s %s HTTP/%s" %d', who, method, target, version, status)

    async def _read_body(self, receive: Receive, declared: int | None) -> bytes:
        """The body, counted in `_pending` (the caller releases it when done with it)."""
        if declared is not None and declared > self.max_body:
            raise _TooLarge
        chunks: list[bytes] = []
        size = 0
        complete = False
        try:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    break
                chunk = message.get("body", b"")
                size += len(chunk)
                self._pending += len(chunk)
                if size > self.max_body:
                    raise _TooLarge
                if self._pending > self.max_pending:
                    raise MockProblem(
                        503,
                        "The mock holds too many request bodies at once; retry in a moment",
                        headers=[("Retry-After", "1")],
                    )
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
            body = b"".join(chunks)
            complete = True
        finally:
            if not complete:
                self._pending -= size
        return body

    async def _body(self, receive: Receive, headers: dict[str, str]) -> bytes:
        """The request body; a MockProblem when it is too large or does not come in time."""
        declared: int | None = None
        length = headers.get("content-length", "")
        if length.isascii() and length.isdigit() and len(length) <= 18:
            declared = int(length)
        try:
            async with asyncio.timeout(self.body_timeout):  # no extra task, unlike wait_for
                return await self._read_body(receive, declared)
        except _TooLarge:
            raise MockProblem(
                413, f"The request body is larger than the mock accepts ({self.max_body:,} bytes)"
            ) from None
        except TimeoutError:
            raise MockProblem(
                408, f"The request body did not arrive within {self.body_timeout:g} s"
            ) from None

    async def _handle(
        self, scope: Scope, receive: Receive, instance: str, seen: dict[str, Any]
    ) -> Reply:
        method = str(scope.get("method", "GET")).upper()
        headers: dict[str, str] = {}
        for key, value in scope.get("headers", []):
            name = key.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[name] = f"{headers[name]}, {text}" if name in headers else text
        server = scope.get("server")
        refusal = self.hosts.refusal(server[0] if server else None, headers.get("host"))
        if refusal is not None:
            return problem(421, refusal, instance)
        if instance == CONTROL_PATH:
            return await self._control(method, receive, headers, instance)
        raw = scope.get("raw_path")
        raw_path = raw.decode("latin-1") if isinstance(raw, bytes) else quote(instance)
        raw_path = raw_path.split("?", 1)[0]
        match = self.router.match(raw_path, method)
        if match is None:
            where = ", ".join(b or "/" for b in self.router.base_paths if b) or "/"
            return problem(
                404,
                f"No operation at {method} {shorten(instance, 200)} "
                f"(this API is served under {where})",
                instance,
            )
        seen["match"] = match
        op = match.methods.get(method)
        if op is None:
            allowed = ", ".join(sorted(match.methods))
            return problem(
                405,
                f"{method} is not allowed on {match.template}; allowed: {allowed}",
                instance,
                headers=[("Allow", allowed)],
            )
        try:
            body = await self._body(receive, headers)
        except MockProblem as exc:  # the rest of the body is not read: close afterwards
            closing = [*exc.headers, ("Connection", "close")]
            return problem(exc.status, exc.message, instance, headers=closing)
        try:
            return await self._answer_off_loop(op, parts_of(scope, headers, match), body)
        finally:
            self._pending -= len(body)

    async def _control(
        self, method: str, receive: Receive, headers: dict[str, str], instance: str
    ) -> Reply:
        """`POST CONTROL_PATH`: deliver an event of the document to a local URL."""
        if method != "POST":
            return problem(
                405,
                f'POST {{"event": ..., "url": ...}} to {CONTROL_PATH}',
                instance,
                headers=[("Allow", "POST")],
            )
        try:
            body = await self._body(receive, headers)
        except MockProblem as exc:
            return problem(exc.status, exc.message, instance, headers=[("Connection", "close")])
        secrets = self.demo.settings.webhook_secrets if self.demo is not None else {}
        try:
            job, _ = control_delivery(self.api, body, self.dispatcher, secrets)
            record = await self.light_workers.run(
                lambda: self.dispatcher.deliver(job), self.work_budget
            )
        except MockProblem as exc:
            return problem(exc.status, exc.message, instance)
        except OutOfTime:
            return problem(503, "The delivery took too long", instance)
        finally:
            self._pending -= len(body)
        return control_reply(record, job.url)

    async def _answer_off_loop(self, op: Operation, parts: RequestParts, body: bytes) -> Reply:
        if self._cheap(op, parts, body):
            return self._work(op, parts, body)  # a thread hop would cost more than the work
        try:
            pool = self.workers if len(body) >= LIGHT_BODY else self.light_workers
            reply = await pool.run(lambda: self._work(op, parts, body), self.work_budget)
        except OutOfTime as exc:
            log.warning("gave up on %s %s after %g s", parts.method, op.path, exc.budget)
            return problem(
                503,
                f"The mock gave up on this request after {exc.budget:g} s "
                "(checking it or making the answer took too long)",
                parts.instance,
                headers=[("Retry-After", "1")],
            )
        self._warm.add(op.key)
        return reply

    def _cheap(self, op: Operation, parts: RequestParts, body: bytes) -> bool:
        """Whether the request's work is known to be small enough for the event loop: no
        body, a short head, parameters whose checks are all simple (no pattern, no
        objects, no uniqueItems: see `flat_schema`), an operation answered before (its
        answer is made and kept), and no demo (its state is the workers' to change)."""
        if body or self.demo is not None or op.key not in self._warm:
            return False
        head = sum(
            len(k) + len(v) for pairs in (parts.query, parts.headers.items()) for k, v in pairs
        )
        if head > _CHEAP_HEAD:
            return False
        cheap = self._cheap_ops.get(op.key)
        if cheap is None:
            cheap = all(not p.media_type and flat_schema(p.schema) for p in op.parameters)
            self._cheap_ops[op.key] = cheap
        return cheap

    def _work(self, op: Operation, parts: RequestParts, body: bytes) -> Reply:
        """Everything after the body is read; runs in a worker thread."""
        extra: list[tuple[str, str]] = []
        try:
            reply = self._answer(op, parts, body, extra)
        except MockProblem as exc:
            reply = self.responder.error_reply(
                op, exc.status, exc.message, parts.instance, exc.details, exc.headers
            )
        for name, value in extra:
            reply.set_header(name, value)
        if self.demo is not None:
            with self._demo_lock:
                self.demo.record(op, parts, reply.status)
        return reply

    def _client_key(self, parts: RequestParts) -> str:
        """Who a rate limit counts: the demo's valid credential (its user or key), else
        the address; for any other document, the credential sent, else the address."""
        if self.demo is not None:
            with self._demo_lock:
                identity = self.demo.identity(parts)
            return f"cred:{identity}" if identity else "addr:" + parts.client
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
            # the authenticated endpoints share one budget per client; public ones count
            # each on its own
            bucket = f"authenticated:{limits[0]}/{limits[1]:g}" if op.security else op.key
            allowed, rl_headers, retry = self.rate_limiter.hit(
                bucket, self._client_key(parts), *limits
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
        if self.demo is not None:
            with self._demo_lock:
                extra.extend(self.demo.admit(op, parts))  # scopes (403), daily quota (429)
        version = self.api.openapi_version
        path_details, details = check_parameters(op, parts, version)
        content_type = parts.headers.get("content-type", "")
        value, body_details = check_body(op, content_type, body, version)
        all_details = path_details + details + body_details
        if all_details:
            preferred = (422, 400, 404) if path_details and not details else (422, 400)
            raise MockProblem(choose_status(op, preferred), "Validation failed", all_details)
        parts.body = value
        reply: Reply | None = None
        if self.demo is not None:
            with self._demo_lock:
                answer = self.demo.handle(op, parts)
            if isinstance(answer, Later):  # waits on the network: not under the lock
                return answer.finish()
            reply = answer
        if reply is None:
            prefer = parse_prefer(parts.headers.get("prefer", ""))
            reply = self.responder.reply(
                op, prefer, parts.headers.get("accept", "*/*"), parts.instance, parts.method
            )
        if self.demo is not None and 200 <= reply.status < 300:
            with self._demo_lock:
                self.demo.after_success(op, parts)
        return reply
