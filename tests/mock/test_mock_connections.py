"""Connections: a header read timeout, a connection limit that slow clients cannot use to
lock out a prompt one, and problem documents for what h11 cannot parse."""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from explorer import spec
from explorer.mock import MockServer
from explorer.mock._server import _loop_error

QUICK = 5.0  # seconds: loose, only a hang or a lock-out takes longer
HEAD = b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"


def connect(server: MockServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while True:
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            break
        if not data:
            break
        chunks.append(data)
    sock.close()
    return b"".join(chunks)


def answer(raw: bytes) -> tuple[int, dict[str, str], dict[str, Any]]:
    """Status, headers and problem document of one raw HTTP answer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, json.loads(body) if body else {}


def test_a_request_head_must_arrive_in_time(hostile_api: spec.Spec) -> None:
    with MockServer(hostile_api, header_timeout=0.5) as server:
        for sent in (HEAD, b"", b"G"):  # part of a head, nothing at all, one byte
            sock = connect(server)
            started = time.monotonic()
            sock.sendall(sent)
            status, headers, doc = answer(read_all(sock))
            assert 0.3 < time.monotonic() - started < QUICK
            assert status == 408
            assert headers["content-type"] == "application/problem+json"
            assert headers["connection"] == "close"
            assert doc["message"] == "The request head did not arrive within 0.5 s"
        assert server.guard.timed_out == 3


def test_the_timeout_covers_each_head_of_a_keep_alive_connection(hostile_api: spec.Spec) -> None:
    with MockServer(hostile_api, header_timeout=0.5) as server:
        sock = connect(server)
        sock.sendall(HEAD + b"\r\n")
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        time.sleep(0.8)  # idle between requests: uvicorn's keep-alive (5 s) covers that
        sock.sendall(HEAD)  # the next head, never finished
        started = time.monotonic()
        status, _, _ = answer(read_all(sock))
        assert status == 408
        assert time.monotonic() - started < 3  # not the 5 s keep-alive


def test_a_slow_body_after_a_prompt_head_is_not_a_head_timeout(hostile_api: spec.Spec) -> None:
    with MockServer(hostile_api, header_timeout=0.5, body_timeout=30) as server:
        sock = connect(server)
        sock.sendall(
            b"POST /v1/things HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 8\r\n\r\n{"
        )
        time.sleep(1.0)
        sock.sendall(b'"n": 1}')
        assert sock.recv(65536).startswith(b"HTTP/1.1 201")
        sock.close()


def test_a_body_must_arrive_in_time(hostile_api: spec.Spec) -> None:
    with MockServer(hostile_api, body_timeout=0.5) as server:
        sock = connect(server)
        sock.sendall(
            b"POST /v1/things HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n{"
        )
        status, headers, doc = answer(read_all(sock))
    assert status == 408
    assert headers["connection"] == "close"
    assert doc["message"] == "The request body did not arrive within 0.5 s"


def test_slow_connections_make_room_for_a_prompt_client(hostile_api: spec.Spec) -> None:
    with MockServer(hostile_api, max_connections=8, header_timeout=60) as server:
        slow = [connect(server) for _ in range(20)]
        for sock in slow:
            sock.sendall(HEAD)
        started = time.monotonic()
        r = httpx.get(server.api_url + "/health", timeout=30)
        assert r.status_code == 200
        assert time.monotonic() - started < QUICK
        assert server.guard.evicted >= 13
        assert len(server.guard.open) <= 8
        status, _, doc = answer(read_all(slow[0]))  # the oldest went first
        assert status == 408
        assert doc["message"] == "Closed to make room for other clients: the request was late"
        for sock in slow[1:]:
            sock.close()


def busy(server: MockServer, count: int) -> bool:
    """Whether `count` connections have sent their whole request and wait for the answer."""
    now = time.monotonic()  # the loop's clock is time.monotonic too
    open_ = list(server.guard.open)
    return len(open_) == count and not any(c.evictable(now) for c in open_)


def test_a_full_house_of_busy_connections_refuses_with_503(hostile_api: spec.Spec) -> None:
    body = json.dumps({"tags": [{"i": i} for i in range(20_000)]}).encode()
    with MockServer(hostile_api, max_connections=2, work_budget=3.0) as server:
        url = server.api_url + "/things"
        heavy = [
            threading.Thread(
                target=lambda: httpx.post(
                    url, content=body, headers={"content-type": "application/json"}, timeout=30
                )
            )
            for _ in range(2)
        ]
        for thread in heavy:
            thread.start()
        deadline = time.monotonic() + 20
        while not busy(server, 2):  # both bodies in, both being validated
            assert time.monotonic() < deadline
            time.sleep(0.02)
        sock = connect(server)
        sock.sendall(HEAD + b"\r\n")
        status, headers, doc = answer(read_all(sock))
        for thread in heavy:
            thread.join(30)
        assert status == 503
        assert headers["connection"] == "close"
        assert doc["message"] == "The mock has too many connections; retry shortly"
        assert server.guard.refused == 1
        assert httpx.get(server.api_url + "/health", timeout=30).status_code == 200


@pytest.mark.parametrize("size", [17_000, 40_000, 1_000_000])
def test_a_head_larger_than_h11_reads_is_a_431(hostile_api: spec.Spec, size: int) -> None:
    with MockServer(hostile_api) as server:
        r = httpx.get(server.api_url + "/health", headers={"X-Big": "x" * size}, timeout=30)
        assert r.status_code == 431
        assert r.headers["content-type"] == "application/problem+json"
        assert (
            r.json()["message"] == "The request head is larger than the mock reads (16,384 bytes)"
        )
        assert httpx.get(server.api_url + "/health", timeout=30).status_code == 200


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",  # a TLS hello
        b"GET /v1/health\xff HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /v1/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        b"GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: " + b"9" * 5000 + b"\r\n\r\n",
        b"GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"GET /v1/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
    ],
)
def test_garbage_is_a_400_problem(hostile_api: spec.Spec, garbage: bytes) -> None:
    with MockServer(hostile_api) as server:
        sock = connect(server)
        sock.sendall(garbage)
        status, headers, doc = answer(read_all(sock))
        assert status == 400
        assert headers["content-type"] == "application/problem+json"
        assert doc["status"] == status
        assert httpx.get(server.api_url + "/health", timeout=30).status_code == 200


def test_event_loop_errors_are_logged_once_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.new_event_loop()
    try:
        error = OSError(errno.EMFILE, "Too many open files")
        context = {"message": "socket.accept() out of system resource", "exception": error}
        with caplog.at_level(logging.ERROR, logger="explorer.mock"):
            for _ in range(1000):
                _loop_error(loop, context)
    finally:
        loop.close()
    records = [r for r in caplog.records if "out of system resource" in r.getMessage()]
    assert len(records) == 1
    assert records[0].getMessage() == (
        "event loop: socket.accept() out of system resource: [Errno 24] Too many open files"
    )
    assert records[0].exc_info is None  # no traceback for what is no bug


@pytest.fixture
def no_leftover_threads() -> Iterator[None]:
    before = {t.name for t in threading.enumerate()}
    yield
    deadline = time.monotonic() + 10
    while {t.name for t in threading.enumerate()} - before:
        assert time.monotonic() < deadline, {t.name for t in threading.enumerate()} - before
        time.sleep(0.05)


def test_stop_ends_the_workers(hostile_api: spec.Spec, no_leftover_threads: None) -> None:
    with MockServer(hostile_api) as server:
        assert httpx.post(server.api_url + "/things", json={"n": 1}, timeout=30).status_code == 201
