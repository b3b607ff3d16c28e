"""Connections a hostile client cannot use to lock the mock out (slowloris and friends).

uvicorn's HTTP/1.1 protocol (h11) is kept, with what it lacks:

- a **header read timeout**: a connection that has not sent a complete request head within
  `header_timeout` seconds (of connecting, or of its first byte after a keep-alive pause)
  gets a 408 and is closed; uvicorn's `timeout_keep_alive` only covers the pauses between
  requests;
- a **connection limit** below the file-descriptor limit (1,100 half-open connections
  used to exhaust it, after which `accept()` failed in a loop, logging a traceback each
  time). At the limit, the connection that has owed its request longest is closed to make
  room (a slow client never locks out a prompt one); only when every connection is busy
  with a request in progress is the new one refused, with a 503;
- answers in the mock's problem shape for requests h11 cannot parse (400, and 431 for a
  head larger than h11 reads), and a throttled log: no event is logged per connection.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from typing import Any, ClassVar

import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
from uvicorn.protocols.http.h11_impl import H11Protocol

from explorer.mock._log import ThrottledLogger
from explorer.mock._problem import PROBLEM_JSON, problem_body, reason

__all__ = ["HEADER_TIMEOUT", "ConnectionGuard", "default_max_connections", "raw_problem"]

HEADER_TIMEOUT = 5.0
"""Seconds a client has to send a complete request head."""
STALLED = 60.0
"""A connection with a request in progress but nothing received for this long may be
closed to make room (a client that does not read its answer)."""
_LINGER = 0.5
_MAX_LINGERING = 64


def default_max_connections() -> int:
    """Half the file descriptors this process may open (at most 1,000, at least 16)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1000
    return max(16, min(1000, (soft - 64) // 2))


def raw_problem(status: int, message: str) -> bytes:
    """A whole HTTP/1.1 answer with a problem document, closing the connection: written
    straight to a transport when there is no request h11 could answer."""
    phrase = reason(status)
    body = problem_body(status, message)
    head = (
        f"HTTP/1.1 {status} {phrase}\r\ncontent-type: {PROBLEM_JSON}\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


class ConnectionGuard:
    """What the connections of one server share: the limit, the open connections (in the
    order they started owing a request) and the throttled log."""

    def __init__(
        self,
        max_connections: int | None = None,
        header_timeout: float = HEADER_TIMEOUT,
        logger: logging.Logger | None = None,
    ) -> None:
        self.max_connections = max_connections or default_max_connections()
        self.header_timeout = header_timeout
        self.log = ThrottledLogger(logger or logging.getLogger("uvicorn.error"))
        self.open: set[GuardedProtocol] = set()
        self.lingering = 0
        self.timed_out = 0  # connections closed for a late request head
        self.evicted = 0  # closed to make room
        self.refused = 0  # refused at the limit
        self.malformed = 0  # requests h11 could not parse

    def protocol(self) -> type[GuardedProtocol]:
        """The protocol class for `uvicorn.Config(http=...)`, bound to this guard."""
        return type("MockProtocol", (GuardedProtocol,), {"guard": self})

    def make_room(self) -> bool:
        """Close the connection that has owed its request longest; False when all busy."""
        loop_time = asyncio.get_running_loop().time()
        candidates = [c for c in self.open if c.evictable(loop_time)]
        if not candidates:
            return False
        oldest = min(candidates, key=lambda c: c.since)
        self.evicted += 1
        self.log.warning(
            "connection limit (%d) reached: closed the connection that owed its request longest",
            self.max_connections,
        )
        oldest.close_with(408, "Closed to make room for other clients: the request was late")
        return True


class GuardedProtocol(H11Protocol):
    """uvicorn's h11 protocol with the guard's timeout, limit and answers (see above)."""

    guard: ClassVar[ConnectionGuard]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.logger = self.guard.log  # type: ignore[assignment]  # uvicorn logs per event
        self.since = 0.0  # when the connection started owing its current request
        self._last_data = 0.0
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0  # of the request head being received
        self._refused = False  # never opened: at the limit
        self._draining = False  # answered and closing: what comes in is dropped
        self._lingering = False  # counted in guard.lingering

    # -- the connection's life -----------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        guard = self.guard
        if len(guard.open) >= guard.max_connections and not guard.make_room():
            self._refuse(transport)
            return
        super().connection_made(transport)  # type: ignore[arg-type]
        guard.open.add(self)
        self.since = self._last_data = self.loop.time()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._lingering:
            self.guard.lingering -= 1
        if self._refused:
            return
        self.guard.open.discard(self)
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._draining:
            return  # read and dropped, so that closing does not reset the connection
        self._last_data = self.loop.time()
        if self._head_too_large(data):
            self.guard.malformed += 1
            limit = self._head_limit()
            self.close_with(
                431, f"The request head is larger than the mock reads ({limit:,} bytes)"
            )
            return
        try:
            super().data_received(data)
        except Exception:  # uvicorn or h11 choked on what the client sent
            self.guard.malformed += 1
            self.guard.log.exception("a request could not be read")
            self.close_with(400, "The request could not be read")
            return
        self._watch_head()

    def eof_received(self) -> None:
        if self._draining:
            self.transport.close()
            return
        super().eof_received()

    def on_response_complete(self) -> None:
        self.since = self.loop.time()
        super().on_response_complete()

    def _head_limit(self) -> int:
        return self.config.h11_max_incomplete_event_size or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE

    def _head_too_large(self, data: bytes) -> bool:
        """h11 limits a head only while it is incomplete: one that arrives whole in a
        single read (up to 256 KB) would pass. Count it here."""
        if self.conn.their_state is not h11.IDLE:
            return False
        end = data.find(b"\r\n\r\n")
        self._head_bytes += len(data) if end < 0 else end
        return self._head_bytes > self._head_limit()

    # -- the header read timeout ---------------------------------------------------------
    def _waiting_for_head(self) -> bool:
        return self.conn.their_state is h11.IDLE and not self.transport.is_closing()

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.guard.header_timeout, self._head_late)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _watch_head(self) -> None:
        """After data came in: time the head while it is incomplete, stop once it is in."""
        if self._waiting_for_head():
            self._arm()
        else:
            self._disarm()
            self._head_bytes = 0

    def _head_late(self) -> None:
        self._head_timer = None
        if not self._waiting_for_head():
            return
        self.guard.timed_out += 1
        self.guard.log.warning(
            "closed a connection that sent no complete request head within %g s",
            self.guard.header_timeout,
        )
        self.close_with(
            408, f"The request head did not arrive within {self.guard.header_timeout:g} s"
        )

    # -- answers without a request -------------------------------------------------------
    def evictable(self, now: float) -> bool:
        """Whether this connection may be closed to make room: it owes us (part of) a
        request or sits idle between requests, or its request has stalled."""
        if self.transport is None or self.transport.is_closing():
            return False
        working = (
            self.cycle is not None
            and not self.cycle.response_complete
            and self.conn.their_state is h11.DONE
        )
        return not working or now - self._last_data > STALLED

    def close_with(self, status: int, message: str) -> None:
        """Answer `status` (unless an answer is under way) and close the connection."""
        if self._draining:
            return
        cycle = self.cycle
        if cycle is None or not cycle.response_started or cycle.response_complete:
            self.transport.write(raw_problem(status, message))
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True  # the app's answer, if any, goes nowhere
            cycle.message_event.set()
        self._disarm()
        self._unset_keepalive_if_required()
        self.guard.open.discard(self)
        self._drain()

    def _drain(self) -> None:
        """Close after the answer, reading (and dropping) what the client still sends for
        a moment: closing a socket with unread data resets the connection, and the client
        may then never read the answer."""
        self._draining = True
        transport = self.transport
        if self.guard.lingering >= _MAX_LINGERING or not transport.can_write_eof():
            transport.close()
            return
        self.guard.lingering += 1
        self._lingering = True
        transport.write_eof()
        self.loop.call_later(_LINGER, transport.close)

    def send_400_response(self, msg: str) -> None:
        """What uvicorn answers to a request h11 cannot parse: a problem document, 431
        when the head is larger than h11 reads."""
        self.guard.malformed += 1
        limit = self._head_limit()
        if len(self.conn.trailing_data[0]) > limit:
            self.close_with(
                431, f"The request head is larger than the mock reads ({limit:,} bytes)"
            )
        else:
            self.close_with(400, "The request is not valid HTTP/1.1")

    def _refuse(self, transport: asyncio.BaseTransport) -> None:
        """503 and close, reading what the client still sends for a moment (closing a
        socket with unread data resets it, and the client may never see the 503)."""
        guard = self.guard
        guard.refused += 1
        guard.log.warning(
            "connection limit (%d) reached with every connection busy: refused one",
            guard.max_connections,
        )
        self._refused = True
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(raw_problem(503, "The mock has too many connections; retry shortly"))
        self._drain()
