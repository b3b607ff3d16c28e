"""The mock delivers webhook events: to endpoints registered on the demo when the action
happens and on the "test event" call, signed as the document declares; failed deliveries
retried with backoff (bounded) and listed; never to another host; and for any document,
one event to a URL through the control endpoint."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from explorer import spec
from explorer.demo import demo_settings
from explorer.mock import MockServer
from explorer.webhooks import Receiver, Verifier, events_of

ACTIVATE = {
    "licenseKey": "ECOS-7KQ2-M9XD-4HTR-P3WZ",
    "productId": "prd_01HODOOCRM",
    "instanceId": "db-4f2c9a1e-5b7d",
    "domain": "erp.example.org",
}


def _wait(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


@pytest.fixture
def demo(demo_api: spec.Spec) -> Iterator[MockServer]:
    with MockServer(demo_api, webhook_backoff=0.05, webhook_attempts=4) as server:
        yield server


@pytest.fixture
def receiver(demo_api: spec.Spec) -> Iterator[Receiver]:
    secrets = demo_settings(demo_api).webhook_secrets  # type: ignore[union-attr]
    with Receiver(Verifier.for_events(events_of(demo_api), secrets)) as r:
        yield r


@pytest.fixture
def admin(demo: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.api_url, timeout=15, trust_env=False) as client:
        login = client.post(
            "/auth/login", json={"email": "demo@ecosire.com", "password": "demo-password"}
        )
        client.headers["Authorization"] = f"Bearer {login.json()['token']}"
        yield client


def _register(client: httpx.Client, url: str, events: list[str]) -> str:
    answer = client.post("/webhooks", json={"url": url, "events": events})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def test_activating_a_license_delivers_license_activated(
    admin: httpx.Client, receiver: Receiver
) -> None:
    endpoint = _register(admin, receiver.url + "hooks", ["license.activated"])
    other = _register(admin, receiver.url + "other", ["checkout.session.completed"])
    assert admin.post("/licenses/activate", json=ACTIVATE).status_code == 200
    _wait(lambda: len(receiver.deliveries()) == 1)
    time.sleep(0.2)  # nothing else comes: the other endpoint did not subscribe
    (delivery,) = receiver.deliveries()
    assert delivery.target == "/hooks" and delivery.event == "license.activated"
    assert delivery.verdict.ok and delivery.status == 200
    payload = json.loads(delivery.body)
    obj = payload["data"]["object"]
    assert obj["instanceId"] == ACTIVATE["instanceId"] and obj["domain"] == "erp.example.org"
    assert obj["licenseKey"] == "ECOS-7KQ2-****-****-P3WZ"  # never the whole key
    assert payload["id"].startswith("evt_") and abs(payload["created"] - time.time()) < 600
    listed = admin.get(f"/webhooks/{endpoint}/deliveries").json()
    _wait(
        lambda: (
            admin.get(f"/webhooks/{endpoint}/deliveries").json()["data"][0]["status"] != "pending"
        )
    )
    listed = admin.get(f"/webhooks/{endpoint}/deliveries").json()
    (record,) = listed["data"]
    assert record["event"] == "license.activated" and record["status"] == "succeeded"
    assert record["eventId"] == payload["id"] and record["responseStatus"] == 200
    assert admin.get(f"/webhooks/{other}/deliveries").json()["data"] == []


def test_the_test_event_delivers_the_event_asked_for(
    admin: httpx.Client, receiver: Receiver
) -> None:
    endpoint = _register(admin, receiver.url, ["checkout.session.completed"])
    answer = admin.post(f"/webhooks/{endpoint}/test", json={"event": "license.activated"})
    result = answer.json()
    assert result["event"] == "license.activated" and result["success"] is True
    assert result["deliveryId"].startswith("dly_") and result["responseStatus"] == 200
    (delivery,) = receiver.deliveries()
    assert delivery.event == "license.activated" and delivery.header("X-License-Signature")
    unknown = admin.post(f"/webhooks/{endpoint}/test", json={"event": "no.such"})
    assert unknown.status_code in (400, 422)
    missing = admin.post(
        "/webhooks/whk_01HEQC1RACEBQJX5NQ33FWKEM0/test", json={"event": "invoice.paid"}
    )
    assert missing.status_code == 404


class _Flaky(BaseHTTPRequestHandler):
    """Answers 500 to the first `failures` deliveries, then 200."""

    failures = 2
    times: list[float] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        _Flaky.times.append(time.monotonic())
        status = 500 if len(_Flaky.times) <= _Flaky.failures else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    _Flaky.times = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_failed_deliveries_are_retried_with_backoff_and_listed(
    admin: httpx.Client, flaky: str
) -> None:
    endpoint = _register(admin, flaky, ["license.validated"])
    result = admin.post(f"/webhooks/{endpoint}/test", json={"event": "license.validated"}).json()
    assert result["success"] is False and result["responseStatus"] == 500
    record = admin.get(f"/webhooks/{endpoint}/deliveries").json()["data"][0]
    assert record["status"] == "pending" and record["nextRetryAt"] is not None
    _wait(lambda: len(_Flaky.times) == 3)
    _wait(
        lambda: (
            admin.get(f"/webhooks/{endpoint}/deliveries").json()["data"][0]["status"] == "succeeded"
        )
    )
    record = admin.get(f"/webhooks/{endpoint}/deliveries").json()["data"][0]
    assert (
        record["attempt"] == 3 and record["responseStatus"] == 200 and record["nextRetryAt"] is None
    )
    gaps = [b - a for a, b in zip(_Flaky.times, _Flaky.times[1:], strict=False)]
    assert gaps[1] > gaps[0] * 1.3  # exponential: 0.05 s, then 0.1 s (loosely)


def test_retries_are_bounded(admin: httpx.Client) -> None:
    """A dead endpoint: 4 attempts (the server's bound), then "failed" for good."""
    endpoint = _register(admin, "http://127.0.0.1:9/dead", ["invoice.paid"])
    admin.post(f"/webhooks/{endpoint}/test", json={"event": "invoice.paid"})
    _wait(
        lambda: (
            admin.get(f"/webhooks/{endpoint}/deliveries").json()["data"][0]["status"] == "failed"
        )
    )
    record = admin.get(f"/webhooks/{endpoint}/deliveries").json()["data"][0]
    assert record["attempt"] == 4 and record["responseStatus"] is None
    failed = admin.get(f"/webhooks/{endpoint}/deliveries", params={"status": "succeeded"}).json()
    assert failed["data"] == [] and failed["meta"]["total"] == 0


def test_the_demo_delivers_to_this_machine_only(admin: httpx.Client) -> None:
    """The seeded endpoint (https://erp.acme.example.com) subscribes to license.activated:
    its delivery fails at once, with no attempt to reach the host, and is not retried."""
    listed = admin.get("/webhooks").json()["data"]
    seeded = next(e for e in listed if "example.com" in e["url"])
    assert admin.post("/licenses/activate", json=ACTIVATE).status_code == 200
    _wait(lambda: bool(admin.get(f"/webhooks/{seeded['id']}/deliveries").json()["data"]))
    _wait(
        lambda: (
            admin.get(f"/webhooks/{seeded['id']}/deliveries").json()["data"][0]["status"]
            == "failed"
        ),
        2,
    )
    record = admin.get(f"/webhooks/{seeded['id']}/deliveries").json()["data"][0]
    assert record["attempt"] == 1 and record["durationMs"] == 0


def test_the_control_endpoint_delivers_any_documents_event(
    shop_api: spec.Spec, demo: MockServer, receiver: Receiver
) -> None:
    control = demo.base_url + "/_explorer/webhooks/deliver"
    answer = httpx.post(control, json={"event": "charge.refunded", "url": receiver.url})
    assert answer.status_code == 200 and answer.json()["success"] is True
    assert (
        receiver.deliveries()[0].event == "charge.refunded" and receiver.deliveries()[0].verdict.ok
    )
    for body, status in (
        ({"event": "nope", "url": receiver.url}, 404),
        ({"event": "invoice.paid", "url": "https://example.com/"}, 422),
        ({"event": "invoice.paid", "url": receiver.url, "scheme": "rsa"}, 422),
    ):
        assert httpx.post(control, json=body).status_code == status
    assert httpx.post(control, content=b"{not json").status_code == 400
    assert httpx.get(control).status_code == 405


def test_the_control_endpoint_on_a_document_without_a_demo(tmp_path: object) -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Hooks", "version": "1"},
        "paths": {},
        "webhooks": {
            "thing.made": {
                "post": {
                    "requestBody": {"content": {"application/json": {"example": {"n": 1}}}},
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    api = spec.load_bytes(json.dumps(doc).encode())
    from explorer.webhooks import Scheme

    with MockServer(api) as server, Receiver(Verifier.fixed(Scheme.hmac(), "k")) as receiver:
        control = server.base_url + "/_explorer/webhooks/deliver"
        no_secret = httpx.post(control, json={"event": "thing.made", "url": receiver.url})
        assert no_secret.status_code == 422 and "secret" in no_secret.json()["message"]
        answer = httpx.post(
            control, json={"event": "thing.made", "url": receiver.url, "secret": "k"}
        )
        assert answer.json()["success"] is True
        (delivery,) = receiver.deliveries()
        assert delivery.body == b'{"n":1}' and delivery.verdict.ok
