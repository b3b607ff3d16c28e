"""The local receiver against real clients on 127.0.0.1: what it answers, what it keeps,
bad input (bodies that are not JSON, missing and doubled headers, a huge delivery, a
replayed old timestamp, a port in use), forwarding and replay; and the curl command of a
delivery, run by the real curl."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from explorer.webhooks import (
    Receiver,
    ReceiverError,
    Scheme,
    Verifier,
    build_delivery,
    delivery_curl,
    replay_request,
)

SECRET = "whsec_receiver_test"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver(Verifier.fixed(Scheme.stripe(), SECRET, name="STRIPE_WEBHOOK_SECRET")) as r:
        yield r


def _post(url: str, body: bytes, headers: list[tuple[str, str]]) -> httpx.Response:
    return httpx.post(url, content=body, headers=headers, trust_env=False, timeout=10)


def test_valid_deliveries_are_answered_2xx_and_kept(receiver: Receiver) -> None:
    body = b'{"type":"invoice.paid","id":"evt_1"}'
    delivery = build_delivery(receiver.url + "hooks?x=1", body, Scheme.stripe(), SECRET)
    answer = _post(delivery.prepared.url, body, list(delivery.prepared.headers))
    assert answer.status_code == 200 and answer.json() == {"received": True, "verified": True}
    (kept,) = receiver.deliveries()
    assert kept.target == "/hooks?x=1" and kept.event == "invoice.paid" and kept.verdict.ok
    assert kept.body == body and kept.status == 200
    assert kept.header("stripe-signature") == delivery.signature
    assert all(k.lower() != "authorization" for k, _ in delivery.prepared.headers)


def test_bad_deliveries_are_answered_401_with_the_reason(receiver: Receiver) -> None:
    body = b"not json at all \xff\x00"
    signed = build_delivery(receiver.url, body, Scheme.stripe(), SECRET)
    good = _post(receiver.url, body, list(signed.prepared.headers))
    assert good.status_code == 200  # a body that is not JSON is still a delivery
    missing = _post(receiver.url, body, [("Content-Type", "text/plain")])
    doubled = _post(
        receiver.url,
        body,
        [("Stripe-Signature", signed.signature), ("Stripe-Signature", signed.signature)],
    )
    old = build_delivery(
        receiver.url, body, Scheme.stripe(), SECRET, timestamp=int(time.time()) - 7200
    )
    replayed = _post(receiver.url, body, list(old.prepared.headers))
    tampered = _post(receiver.url, body + b"!", list(signed.prepared.headers))
    wrong = build_delivery(receiver.url, body, Scheme.stripe(), "whsec_someone_else")
    wrong_answer = _post(receiver.url, body, list(wrong.prepared.headers))
    for answer in (missing, doubled, replayed, tampered, wrong_answer):
        assert answer.status_code == 401
        assert answer.json()["error"] == "Unauthorized"
        assert answer.headers["content-type"] == "application/problem+json"
    reasons = [d.verdict.reason for d in receiver.deliveries()]
    assert reasons == [
        "valid",
        "missing-header",
        "doubled-header",
        "stale",
        "body-changed",
        "mismatch",
    ]
    assert "came 2 times" in doubled.json()["message"]
    assert "outside the tolerance" in replayed.json()["message"]


def test_a_huge_delivery_is_capped_and_the_receiver_goes_on() -> None:
    verify = Verifier.fixed(Scheme.ecosire_license(), "s")
    with Receiver(verify, max_body=64 * 1024) as receiver:
        big = b"x" * (5 * 1024 * 1024)
        answer = _post(receiver.url, big, [("X-License-Signature", "0" * 64)])
        assert answer.status_code == 413 and "too large" in answer.json()["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: read until the cap
            for _ in range(64):
                yield b"y" * 16 * 1024

        streamed = httpx.post(receiver.url, content=chunks(), trust_env=False, timeout=10)
        assert streamed.status_code == 413
        kept = receiver.deliveries()
        assert [d.verdict.reason for d in kept] == ["too-large", "too-large"]
        assert all(len(d.body) <= 64 * 1024 for d in kept) and kept[0].size == len(big)
        # and a normal delivery right after is answered as ever
        body = b"{}"
        headers = list(Scheme.ecosire_license().sign(body, "s"))
        assert _post(receiver.url, body, headers).status_code == 200


def test_a_port_in_use_is_a_clear_error(receiver: Receiver) -> None:
    with pytest.raises(ReceiverError, match=f"Port {receiver.port} .* already in use"):
        Receiver(None, port=receiver.port).start()
    with pytest.raises(ReceiverError, match="this machine only"):
        Receiver(None, host="0.0.0.0")
    assert receiver.running  # the first one is not disturbed


def test_a_verifier_that_fails_still_gets_an_answer() -> None:
    def broken(body: bytes, headers: object) -> object:
        raise RuntimeError("boom")

    with Receiver(broken) as receiver:  # type: ignore[arg-type]
        answer = _post(receiver.url, b"{}", [])
        assert answer.status_code == 401 and "could not be checked" in answer.json()["message"]


class _Endpoint(BaseHTTPRequestHandler):
    """The user's own endpoint: answers 202 and keeps what came."""

    seen: list[tuple[str, Any, bytes]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        _Endpoint.seen.append((self.path, self.headers, self.rfile.read(length)))
        self.send_response(202)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Endpoint.seen = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/mine"
    finally:
        server.shutdown()
        server.server_close()


def test_forwarding_to_the_users_endpoint(endpoint: str) -> None:
    verify = Verifier.fixed(Scheme.stripe(), SECRET)
    with Receiver(verify, forward_to=endpoint) as receiver:
        body = b'{"type":"charge.refunded"}'
        delivery = build_delivery(receiver.url, body, Scheme.stripe(), SECRET)
        answer = _post(receiver.url, body, list(delivery.prepared.headers))
        assert answer.status_code == 202 and answer.text == "ok"  # the endpoint's answer
        (path, headers, got) = _Endpoint.seen[0]
        assert path == "/mine" and got == body
        assert headers.get("Stripe-Signature") == delivery.signature
        (kept,) = receiver.deliveries()
        assert kept.verdict.ok and kept.forwarded == f"202 from {endpoint}"
    with Receiver(verify, forward_to="http://127.0.0.1:9/nothing") as receiver:
        answer = _post(receiver.url, body, list(delivery.prepared.headers))
        assert answer.status_code == 502
        assert receiver.deliveries()[0].forwarded.startswith("failed")


def test_a_delivery_replayed_to_another_url(receiver: Receiver, endpoint: str) -> None:
    body = b'{"type":"x"}'
    delivery = build_delivery(receiver.url, body, Scheme.stripe(), SECRET)
    _post(receiver.url, body, list(delivery.prepared.headers))
    (kept,) = receiver.deliveries()
    again = replay_request(endpoint, kept.headers, kept.body, kept.method)
    assert not any(k.lower() in ("host", "content-length") for k, _ in again.headers)
    answer = httpx.post(
        again.url, headers=list(again.headers), content=again.content, trust_env=False
    )
    assert answer.status_code == 202 and _Endpoint.seen[0][2] == body
    assert _Endpoint.seen[0][1].get("Stripe-Signature") == delivery.signature


@pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("openssl") is None, reason="curl and openssl"
)
@pytest.mark.parametrize(
    "scheme",
    [
        Scheme.stripe(),
        Scheme.ecosire_license(),
        Scheme.hmac("X-Hub-Signature", "sha1", "base64", "sha1=", "X-Hub-Timestamp"),
        Scheme.hmac("X-Sig", "sha512", prefix='we"ird$`'),
    ],
    ids=["stripe", "ecosire", "hmac-base64-timestamp", "hmac-quoted-prefix"],
)
def test_the_curl_command_signs_with_the_secret_from_the_environment(scheme: Scheme) -> None:
    """The real curl runs the command; the receiver verifies what it sent. The secret is
    never in the command, only its variable."""
    secret = "s3cr3t with 'quotes' and $dollars"
    body = '{"text":"it\'s a \\"body\\" with $HOME and `ticks` and ünïcode","n":1}\n'
    with Receiver(Verifier.fixed(scheme, secret)) as receiver:
        delivery = build_delivery(receiver.url, body, scheme, secret, secret_env="HOOK_SECRET")
        command = delivery_curl(delivery)
        assert secret not in command and "${HOOK_SECRET}" in command
        env = {"PATH": os.environ["PATH"], "HOOK_SECRET": secret, "HOME": "/nonexistent"}
        done = subprocess.run(
            ["sh", "-c", command], capture_output=True, text=True, env=env, timeout=30
        )
        assert done.returncode == 0, done.stderr
        (kept,) = receiver.deliveries()
        assert kept.body == body.encode(), kept.body
        assert kept.verdict.ok, kept.verdict
        # the literal form carries the signature computed here, and works as well
        literal = delivery_curl(delivery, secret_as_env=False)
        assert "HOOK_SECRET" not in literal
        subprocess.run(["sh", "-c", literal], capture_output=True, env=env, timeout=30, check=True)
        assert receiver.deliveries()[-1].verdict.ok


def test_port_zero_picks_a_free_port_each_time() -> None:
    with Receiver(None) as one, Receiver(None) as two:
        assert one.port != two.port and one.port > 0
        with socket.create_connection(("127.0.0.1", one.port), timeout=5):
            pass
