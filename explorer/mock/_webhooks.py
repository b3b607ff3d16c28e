"""The mock delivers webhook events: signed POSTs to registered endpoints, failed ones
retried with exponential backoff (bounded), every attempt listed. No Qt.

    dispatcher = Dispatcher(clock, attempts=5, backoff=1.0)
    record = dispatcher.deliver(job)           # the first attempt now (the "test event" call)
    dispatcher.enqueue(job)                    # the first attempt on the dispatcher's thread
    dispatcher.deliveries("whk_...")           # newest first, as the API lists them

A delivery is signed again at each attempt (a fresh timestamp, as Stripe does). The mock
delivers to this machine only (127.0.0.0/8, ::1, localhost): a URL elsewhere (the demo's
seeded endpoint is https://erp.acme.example.com) is a failed delivery that is not
retried, never traffic to another host.
"""

from __future__ import annotations

import heapq
import ipaddress
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from explorer.mock._problem import MockProblem, Reply
from explorer.spec import Spec
from explorer.webhooks.delivery import build_delivery
from explorer.webhooks.events import events_of
from explorer.webhooks.signing import SCHEME_KINDS, Scheme

__all__ = ["CONTROL_PATH", "DeliveryJob", "Dispatcher", "control_delivery", "is_local_url"]

CONTROL_PATH = "/_explorer/webhooks/deliver"
"""`POST {"event": NAME, "url": URL}` here (outside the API's base path) delivers an event
of the served document to a local URL, for any document with webhooks or callbacks."""

KEEP = 200
"""Delivery records kept per endpoint (the oldest go first)."""


def is_local_url(url: str) -> bool:
    """Whether `url` is http(s) to this machine (a loopback address or localhost)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class DeliveryJob:
    """One event to one endpoint, and its record (what the deliveries endpoint lists)."""

    endpoint: str  # the endpoint's id ("" for a one-off delivery)
    url: str
    event: str
    body: bytes
    scheme: Scheme
    secret: str
    record: dict[str, Any] = field(default_factory=dict)
    attempt: int = 0


class Dispatcher:
    """Delivers jobs now or on its own thread, with retries (see the module docstring)."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        attempts: int = 5,
        backoff: float = 1.0,
        timeout: float = 3.0,
        new_id: Callable[[], str] = lambda: "",
    ) -> None:
        self.clock = clock
        self.attempts = max(1, attempts)
        self.backoff = max(0.0, backoff)
        self.timeout = timeout
        self.new_id = new_id
        self._records: dict[str, deque[dict[str, Any]]] = {}
        self._heap: list[tuple[float, int, DeliveryJob]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._client: Any = None

    # -- the HTTP client (httpx is imported on first use) -----------------------------
    def _http(self) -> Any:
        with self._cond:
            if self._client is None:
                import httpx

                self._client = httpx.Client(
                    timeout=self.timeout, trust_env=False, follow_redirects=False
                )
            return self._client

    def close(self) -> None:
        """Stop retrying; the thread ends (pending retries are dropped)."""
        with self._cond:
            self._closed = True
            self._heap.clear()
            self._cond.notify_all()
            client, self._client = self._client, None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        if client is not None:
            client.close()

    # -- records ----------------------------------------------------------------------
    def deliveries(self, endpoint: str) -> list[dict[str, Any]]:
        """Copies of an endpoint's delivery records, newest first."""
        with self._cond:
            kept = self._records.get(endpoint, deque())
            return [dict(r) for r in reversed(kept)]

    def forget(self, endpoint: str) -> None:
        with self._cond:
            self._records.pop(endpoint, None)

    def _new_record(self, job: DeliveryJob, event_id: str) -> None:
        job.record = {
            "id": self.new_id(),
            "event": job.event,
            "eventId": event_id,
            "status": "pending",
            "attempt": 1,
            "responseStatus": None,
            "durationMs": 0,
            "nextRetryAt": None,
            "createdAt": _iso(self.clock()),
        }
        with self._cond:
            kept = self._records.setdefault(job.endpoint, deque(maxlen=KEEP))
            kept.append(job.record)

    # -- delivering -------------------------------------------------------------------
    def deliver(self, job: DeliveryJob, event_id: str = "") -> dict[str, Any]:
        """Attempt the first delivery now (in the caller's thread); a failure is retried
        later on the dispatcher's thread. The record, as it stands after the attempt."""
        self._new_record(job, event_id)
        self._attempt(job)
        with self._cond:
            return dict(job.record)

    def enqueue(self, job: DeliveryJob, event_id: str = "") -> None:
        """Deliver on the dispatcher's thread, as soon as it can."""
        self._new_record(job, event_id)
        self._schedule(job, 0.0)

    def _schedule(self, job: DeliveryJob, delay: float) -> None:
        with self._cond:
            if self._closed:
                return
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._seq), job))
            self._cond.notify_all()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="mock-webhooks", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed and (not self._heap or self._heap[0][0] > time.monotonic()):
                    wait = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._cond.wait(wait)
                if self._closed:
                    return
                _, _, job = heapq.heappop(self._heap)
            try:
                self._attempt(job)
            except Exception as exc:  # a record that says so, never a dead dispatcher
                self._update(job, status="failed", error=f"{exc!r}", next_at=None)

    def _update(self, job: DeliveryJob, **changes: Any) -> None:
        with self._cond:
            record = job.record
            if "status" in changes:
                record["status"] = changes["status"]
            if "response_status" in changes:
                record["responseStatus"] = changes["response_status"]
            if "duration" in changes:
                record["durationMs"] = max(0, round(changes["duration"] * 1000))
            if "next_at" in changes:
                record["nextRetryAt"] = changes["next_at"]
            record["attempt"] = max(1, job.attempt)

    def _attempt(self, job: DeliveryJob) -> None:
        job.attempt += 1
        if not is_local_url(job.url):
            # Not retried: another host is never reached from here.
            self._update(job, status="failed", response_status=None, duration=0, next_at=None)
            return
        delivery = build_delivery(job.url, job.body, job.scheme, job.secret)
        started = time.perf_counter()
        status: int | None = None
        try:
            response = self._http().post(
                job.url, headers=list(delivery.prepared.headers), content=job.body
            )
            status = response.status_code
        except Exception:  # refused, reset, timed out: a failed attempt
            status = None
        took = time.perf_counter() - started
        ok = status is not None and 200 <= status < 300
        if ok or job.attempt >= self.attempts:
            self._update(
                job,
                status="succeeded" if ok else "failed",
                response_status=status,
                duration=took,
                next_at=None,
            )
            return
        delay = self.backoff * 2 ** (job.attempt - 1)
        self._update(
            job,
            status="pending",
            response_status=status,
            duration=took,
            next_at=_iso(self.clock() + delay),
        )
        self._schedule(job, delay)


def control_delivery(
    api: Spec, body: bytes, dispatcher: Dispatcher, secrets: Mapping[str, str]
) -> tuple[DeliveryJob, str]:
    """The job `POST CONTROL_PATH` asks for, from its JSON body:

        {"event": "invoice.paid", "url": "http://127.0.0.1:9000/hook",
         "secret": "...",            # default: the demo's secret for the event
         "scheme": "stripe",         # default: the event's x-signature, else hmac
         "payload": {...}}           # default: the event's example or a sample

    A MockProblem says what is wrong (unknown event, a URL not on this machine...)."""
    try:
        asked = json.loads(body or b"{}")
    except ValueError:
        raise MockProblem(400, 'The body must be JSON: {"event": ..., "url": ...}') from None
    if not isinstance(asked, dict):
        raise MockProblem(400, 'The body must be a JSON object: {"event": ..., "url": ...}')
    events = {e.name: e for e in events_of(api)}
    name = asked.get("event")
    event = events.get(name) if isinstance(name, str) else None
    if event is None:
        known = ", ".join(list(events)[:40]) or "none"
        raise MockProblem(404, f"No event {str(name)[:100]!r} in this document (events: {known})")
    url = asked.get("url")
    if not isinstance(url, str) or not is_local_url(url):
        raise MockProblem(
            422, "'url' must be an http(s) URL on this machine (127.0.0.1, localhost)"
        )
    kind = asked.get("scheme")
    if isinstance(kind, str) and kind:
        if kind not in SCHEME_KINDS:
            raise MockProblem(422, f"'scheme' is one of {', '.join(SCHEME_KINDS)}")
        scheme = Scheme.named(kind)
    else:
        scheme = event.scheme or Scheme.hmac()
    secret = asked.get("secret")
    if not isinstance(secret, str) or not secret:
        secret = secrets.get(event.secret_name, "")
    if not secret:
        raise MockProblem(422, f"No secret to sign {event.name} with: give 'secret'")
    payload = asked.get("payload")
    if payload is None:
        raw = event.sample_body()
    else:
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return DeliveryJob("", url, event.name, raw, scheme, secret), event.name


def control_reply(record: Mapping[str, Any], url: str) -> Reply:
    """The answer of `POST CONTROL_PATH`: the delivery record, and where it went."""
    body = json.dumps({**record, "url": url, "success": record.get("status") == "succeeded"})
    return Reply(200, body.encode(), "application/json")
