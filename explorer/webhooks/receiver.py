"""A local webhook receiver: 127.0.0.1, a chosen or free port, every delivery kept and
verified. No Qt.

    >>> receiver = Receiver(Verifier.fixed(Scheme.stripe(), secret), port=0).start()
    >>> receiver.url                                      # http://127.0.0.1:54321/
    >>> receiver.listeners.append(show)                   # called in the receiver's thread
    >>> receiver.deliveries()                             # the last `keep`, oldest first
    >>> receiver.stop()

Every request to any path is a delivery. It is answered 2xx when its signature verifies,
401 (a problem in ECOSIRE's shape, with the reason) when it does not, as the ECOSIRE
documentation requires, and 413 when its body is over `max_body` (the first `max_body`
bytes are kept). With `forward_to`, each delivery is also sent on, as it came, to the
user's own endpoint, and that endpoint's answer goes back to the sender (502 when it
cannot be reached). The receiver serves with the mock server's connection guard (a head
must come within seconds, connections are capped) and answers every request: an error
inside is a 500, never a stopped receiver.
"""

from __future__ import annotations

import asyncio
import errno
import itertools
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from explorer.errors import ExplorerError
from explorer.http.model import PreparedRequest
from explorer.webhooks.delivery import replay_request
from explorer.webhooks.signing import Verdict
from explorer.webhooks.verifier import event_type

__all__ = ["MAX_DELIVERY", "ReceivedDelivery", "Receiver", "ReceiverError"]

log = logging.getLogger("explorer.webhooks")

MAX_DELIVERY = 1024 * 1024
"""Bytes of one delivery's body the receiver reads and keeps (more: 413)."""
DRAIN = 64 * 1024 * 1024
"""Bytes of a too-large body read (and dropped) so that its sender gets the 413."""
_LOOPBACK = ("127.0.0.1", "::1", "localhost")

Verify = Callable[[bytes, Sequence[tuple[str, str]]], Verdict]
Scope = MutableMapping[str, Any]


class ReceiverError(ExplorerError):
    """The receiver could not start (a port in use, an address that is not local)."""


@dataclass(frozen=True)
class ReceivedDelivery:
    """One request the receiver got, what it made of it and what it answered."""

    id: int
    received_at: float  # Unix time
    method: str
    target: str  # path and query
    headers: tuple[tuple[str, str], ...]
    body: bytes  # at most max_body bytes
    size: int  # bytes that came (or were announced) in all
    truncated: bool
    verdict: Verdict
    status: int  # what the receiver answered
    forwarded: str = ""  # "200 from http://...", "failed: ..." when forwarding

    @property
    def event(self) -> str:
        """The `type` the body names ("" when it is not a JSON event)."""
        return event_type(self.body) if not self.truncated else ""

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)


@dataclass
class _Answer:
    status: int
    body: bytes
    content_type: str = "application/json"
    extra: list[tuple[str, str]] = field(default_factory=list)


def _problem(status: int, error: str, message: str) -> _Answer:
    body = json.dumps({"statusCode": status, "error": error, "message": message}).encode()
    return _Answer(status, body, "application/problem+json")


class Receiver:
    """The receiver (see the module docstring). `verify` may be replaced while it runs."""

    def __init__(
        self,
        verify: Verify | None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_body: int = MAX_DELIVERY,
        keep: int = 500,
        forward_to: str = "",
        forward_timeout: float = 10.0,
    ) -> None:
        if host not in _LOOPBACK:
            raise ReceiverError(f"The receiver listens on this machine only, not on {host!r}")
        self.verify = verify
        self.host = "127.0.0.1" if host == "localhost" else host
        self.port = port
        self.max_body = max_body
        self.forward_to = forward_to
        self.forward_timeout = forward_timeout
        self.listeners: list[Callable[[ReceivedDelivery], None]] = []
        self._kept: deque[ReceivedDelivery] = deque(maxlen=keep)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._runner: Any = None  # explorer.mock._server.ServerThread while running
        self.received = 0

    # -- running ----------------------------------------------------------------------
    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def running(self) -> bool:
        return self._runner is not None and self._runner.running

    def start(self, timeout: float = 10.0) -> Receiver:
        """Listen; returns once deliveries are accepted. A port in use is a ReceiverError."""
        if self._runner is not None:
            return self
        # The mock server's way of serving (imported here: the mock imports this package
        # for its events).
        from explorer.mock._protocol import ConnectionGuard
        from explorer.mock._server import ServerThread

        runner = ServerThread(self, ConnectionGuard(), "webhook receiver")
        try:
            self.port = runner.start(self.host, self.port, timeout)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if exc.errno == errno.EADDRINUSE:
                raise ReceiverError(
                    f"Port {self.port} on {self.host} is already in use: choose another port, "
                    "or 0 for a free one"
                ) from None
            raise ReceiverError(f"Cannot listen on {self.host}:{self.port}: {reason}") from None
        except RuntimeError as exc:
            raise ReceiverError(str(exc).capitalize()) from None
        self._runner = runner
        return self

    def stop(self, timeout: float = 10.0) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.stop(timeout)

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what came --------------------------------------------------------------------
    def deliveries(self) -> list[ReceivedDelivery]:
        """The deliveries kept, oldest first."""
        with self._lock:
            return list(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def replay(self, delivery: ReceivedDelivery, url: str) -> PreparedRequest:
        """The request that sends `delivery` again, as it came, to `url` (for
        `explorer.http.Sender`)."""
        return replay_request(url, delivery.headers, delivery.body, delivery.method)

    # -- ASGI -------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            return
        try:
            answer = await self._handle(scope, receive)
        except Exception as exc:  # answered, logged, never a stopped receiver
            log.exception("the webhook receiver failed on a request")
            answer = _problem(500, "Internal Server Error", f"The receiver failed: {exc!r}")
        headers = [
            (b"content-type", answer.content_type.encode("latin-1")),
            (b"content-length", str(len(answer.body)).encode()),
            *((k.encode("latin-1"), v.encode("latin-1", "replace")) for k, v in answer.extra),
        ]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})

    async def _read(self, receive: Any, declared: int | None) -> tuple[bytes, int, bool]:
        """(the first max_body bytes, bytes seen, truncated). The rest of a larger body is
        read and dropped, so that its sender gets the 413 rather than a reset, up to
        `DRAIN` bytes; past that the connection is closed on it."""
        if declared is not None and declared > DRAIN:
            return b"", declared, True
        chunks: list[bytes] = []
        kept = size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if kept < self.max_body:
                piece = chunk[: self.max_body - kept]
                chunks.append(piece)
                kept += len(piece)
            if size > DRAIN or not message.get("more_body", False):
                break
        return b"".join(chunks), size, size > self.max_body

    async def _handle(self, scope: Scope, receive: Any) -> _Answer:
        headers = tuple(
            (k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", [])
        )
        length = next((v for k, v in headers if k.lower() == "content-length"), "")
        declared = (
            int(length) if length.isascii() and length.isdigit() and len(length) < 19 else None
        )
        body, size, truncated = await asyncio.wait_for(self._read(receive, declared), 30)
        method = str(scope.get("method", "POST")).upper()
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope.get("path", "/") + (f"?{query}" if query else "")
        if truncated:
            verdict = Verdict(
                False,
                "too-large",
                f"The delivery is too large: {size:,} bytes, the receiver reads {self.max_body:,}",
            )
            answer = _problem(413, "Payload Too Large", verdict.message)
            answer.extra.append(("Connection", "close"))
        else:
            verdict = self._verify(body, headers)
            if verdict.ok:
                answer = _Answer(200, json.dumps({"received": True, "verified": True}).encode())
            else:
                answer = _problem(401, "Unauthorized", f"Invalid webhook signature: {verdict}")
        forwarded = ""
        if self.forward_to and not truncated:
            answer, forwarded = await self._forward(method, headers, body)
        self._keep(
            method, target, headers, body, size, truncated, verdict, answer.status, forwarded
        )
        return answer

    def _verify(self, body: bytes, headers: Sequence[tuple[str, str]]) -> Verdict:
        verify = self.verify
        if verify is None:
            return Verdict(False, "no-secret", "No signing secret is set: nothing is verified")
        try:
            return verify(body, headers)
        except Exception as exc:  # a verdict, whatever the verifier did
            log.exception("verifying a delivery failed")
            return Verdict(False, "mismatch", f"The signature could not be checked: {exc!r}")

    async def _forward(
        self, method: str, headers: Sequence[tuple[str, str]], body: bytes
    ) -> tuple[_Answer, str]:
        import httpx

        prepared = replay_request(self.forward_to, headers, body, method)
        try:
            async with httpx.AsyncClient(timeout=self.forward_timeout, trust_env=False) as client:
                response = await client.request(
                    prepared.method, prepared.url, headers=list(prepared.headers), content=body
                )
        except httpx.HTTPError as exc:
            message = f"failed: {type(exc).__name__}: {exc}" if str(exc) else f"failed: {exc!r}"
            return _problem(
                502, "Bad Gateway", f"Forwarding to {self.forward_to} {message}"
            ), message
        kept = response.content[: self.max_body]
        ctype = response.headers.get("content-type", "application/octet-stream")
        return _Answer(
            response.status_code, kept, ctype
        ), f"{response.status_code} from {self.forward_to}"

    def _keep(
        self,
        method: str,
        target: str,
        headers: tuple[tuple[str, str], ...],
        body: bytes,
        size: int,
        truncated: bool,
        verdict: Verdict,
        status: int,
        forwarded: str,
    ) -> None:
        delivery = ReceivedDelivery(
            next(self._ids),
            time.time(),
            method,
            target,
            headers,
            body,
            size,
            truncated,
            verdict,
            status,
            forwarded,
        )
        with self._lock:
            self._kept.append(delivery)
            self.received += 1
        for listener in list(self.listeners):
            try:
                listener(delivery)
            except Exception:  # a listener must not stop the receiver
                log.exception("a webhook receiver listener failed")
