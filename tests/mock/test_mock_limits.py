"""Work the mock does for one request is bounded, and never holds up the other clients.

A ReDoS pattern is undecided (accepted), not a freeze; a body that takes jsonschema
minutes is given up after the work budget (503) while a simple GET from another client
is answered at once; an answer made from a schema whose parts multiply is refused
instead of written out to megabytes.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from explorer import spec
from explorer.mock import MockServer
from explorer.mock._app import flat_schema
from explorer.mock._respond import MAX_ANSWER, too_large
from explorer.spec.schema import SampleTooLarge

JSON = {"content-type": "application/json"}
EVIL = "a" * 60 + "!"  # ^(a|aa)+$ backtracks for ever on this
QUICK = 5.0  # seconds: loose, only a real hang or a blocked loop takes longer


@pytest.fixture
def server(hostile_api: spec.Spec) -> Iterator[MockServer]:
    """A mock that gives up on a request after 1 s of work (5 s by default)."""
    with MockServer(hostile_api, work_budget=1.0) as running:
        yield running


@pytest.fixture
def client(server: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.api_url, timeout=60) as c:
        yield c


def heavy_body(n: int = 20_000) -> bytes:
    """Distinct objects under `uniqueItems`: jsonschema compares every pair (minutes)."""
    return json.dumps({"tags": [{"i": i} for i in range(n)]}).encode()


def timed_get(url: str) -> tuple[int, float]:
    started = time.monotonic()
    r = httpx.get(url, timeout=60)
    return r.status_code, time.monotonic() - started


def in_background(fn: Any) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}

    def run() -> None:
        out["value"] = fn()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def test_redos_values_are_accepted_quickly(hostile_api: spec.Spec) -> None:
    with (
        MockServer(hostile_api) as server,
        httpx.Client(base_url=server.api_url, timeout=60) as client,
    ):
        started = time.monotonic()
        body = {"name": EVIL, "x-" + EVIL: 1, "label": "héllo"}
        r = client.post("/things", json=body)
        assert r.status_code == 201, r.text
        # 200 undecided matches (0.05 s each) share one second of pattern budget
        r = client.get("/search", params=[("name", EVIL)] * 200)
        assert r.status_code == 200, r.text
        assert time.monotonic() - started < 30
        # decided matches still count, ECMA classes included
        r = client.post("/things", json={"name": "b", "label": "123"})
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["details"]}
    assert fields == {"name", "label"}


def test_a_slow_request_does_not_hold_up_another_client(
    server: MockServer, client: httpx.Client
) -> None:
    heavy, out = in_background(lambda: client.post("/things", content=heavy_body(), headers=JSON))
    time.sleep(0.2)  # the heavy request is being validated now
    status, seconds = timed_get(server.api_url + "/health")
    heavy.join(60)
    assert status == 200
    assert seconds < QUICK
    r = out["value"]
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["message"] == (
        "The mock gave up on this request after 1 s "
        "(checking it or making the answer took too long)"
    )
    assert r.headers["retry-after"] == "1"


def test_runaways_free_their_workers(server: MockServer, client: httpx.Client) -> None:
    workers = server.app.workers.workers
    body = heavy_body()
    for _ in range(workers + 2):  # more than there are workers
        assert client.post("/things", content=body, headers=JSON).status_code == 503
    assert server.app.workers.gave_up == workers + 2
    started = time.monotonic()
    assert client.post("/things", json={"n": 1}).status_code == 201
    assert time.monotonic() - started < QUICK


def test_an_answer_that_multiplies_is_refused(hostile_api: spec.Spec) -> None:
    with (
        MockServer(hostile_api) as server,
        httpx.Client(base_url=server.api_url, timeout=60) as client,
    ):
        started = time.monotonic()
        r = client.get("/bomb")
        seconds = time.monotonic() - started
        again = client.get("/bomb")
    assert seconds < QUICK
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["message"] == (
        "200 application/json: the answer made from the schema would be too large "
        "(the value would hold more than 100,000 values); give the response an example"
    )
    assert len(r.content) < 1000
    assert again.status_code == 500  # remembered, not made again


def test_too_large_measures_shared_parts_once() -> None:
    leaf: Any = ["x" * 10] * 10
    for _ in range(30):  # 10**30 leaves when written out; 31 distinct lists
        leaf = [leaf] * 10
    started = time.monotonic()
    assert too_large(leaf, MAX_ANSWER)
    assert time.monotonic() - started < QUICK
    assert not too_large({"a": [1, 2, "three"]}, 100)
    assert too_large({"a": "x" * 200}, 100)
    cycle: list[Any] = []
    cycle.append(cycle)
    assert too_large(cycle, MAX_ANSWER)


def test_sample_stops_at_its_limit(hostile_api: spec.Spec) -> None:
    op = hostile_api.operation("GET", "/bomb")
    assert op is not None
    schema = op.responses[0].content[0].schema
    with pytest.raises(SampleTooLarge, match="more than 1,000 values"):
        spec.sample(schema, "response", limit=1000)
    small = spec.sample({"type": "object", "properties": {"a": {"type": "string"}}}, limit=2)
    assert small == {"a": "string"}


def test_body_limits(hostile_api: spec.Spec) -> None:
    with (
        MockServer(hostile_api, max_body=1000, max_pending=1200) as server,
        httpx.Client(base_url=server.api_url, timeout=30) as client,
    ):
        r = client.post("/things", content=b"[" + b"0," * 600 + b"0]", headers=JSON)
        assert r.status_code == 413
        assert r.headers["connection"] == "close"
        assert (
            r.json()["message"] == "The request body is larger than the mock accepts (1,000 bytes)"
        )

        # two bodies in flight that together pass max_pending: the second waits its turn
        def chunks() -> Iterator[bytes]:
            yield b'{"n": 1, "name": "' + b"a" * 400
            time.sleep(1.0)
            yield b'"}'

        slow, out = in_background(
            lambda: httpx.post(server.api_url + "/things", content=chunks(), headers=JSON)
        )
        time.sleep(0.3)
        r = client.post("/things", content=b'{"name": "' + b"a" * 900 + b'"}', headers=JSON)
        slow.join(30)
        assert r.status_code == 503
        assert r.json()["message"] == (
            "The mock holds too many request bodies at once; retry in a moment"
        )
        assert out["value"].status_code == 201
        assert server.app._pending == 0  # every body released


def test_only_requests_known_to_be_cheap_skip_the_workers(hostile_api: spec.Spec) -> None:
    assert flat_schema({"type": "integer", "minimum": 1})
    assert flat_schema({"type": "array", "items": {"type": "string", "enum": ["a"]}})
    assert flat_schema({"type": ["string", "null"], "anyOf": [{"type": "string"}]})
    assert not flat_schema({"type": "string", "pattern": "^(a|aa)+$"})
    assert not flat_schema({"type": "array", "items": {"type": "string", "pattern": "x"}})
    assert not flat_schema({"type": "array", "uniqueItems": True, "items": {"type": "string"}})
    assert not flat_schema({"type": "object", "properties": {"n": {"type": "integer"}}})
    assert not flat_schema({"type": "string", "format": "regex"})
    assert not flat_schema({})

    with MockServer(hostile_api) as server, httpx.Client(base_url=server.api_url, timeout=60) as c:
        app = server.app
        before = app.light_workers.ran
        assert c.get("/health").status_code == 200  # the first time: a worker makes it
        assert app.light_workers.ran == before + 1
        for _ in range(5):
            assert c.get("/health").status_code == 200
        assert app.light_workers.ran == before + 1  # then answered on the loop
        for _ in range(2):  # a pattern: always a worker's
            assert c.get("/search", params={"name": "aa"}).status_code == 200
        assert c.get("/numbers/1").status_code == 200  # objects in its parameters
        assert c.get("/numbers/1").status_code == 200
        assert app.light_workers.ran == before + 5
