"""Hostile clients against `explorer mock`: it answers each with a problem document and
stays up, responsive to a normal client, within its memory.

The mock runs as a user runs it (`explorer mock SPEC --port 0`), in a subprocess with an
address-space limit and the usual 1,024 file descriptors (where 1,100 half-open
connections used to lock it out and flood its log). Each attack asserts what the hostile
client gets, that a normal client is still answered within a loose bound, and nothing
in the log but throttled lines; the last test reads the process's peak memory.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.hostile.conftest import ROOT, explorer_command

SPEC = ROOT / "tests" / "mock" / "fixtures" / "hostile.yaml"
MEMORY_MB = 1536  # the address-space limit of the mock process
PEAK_MB = 600  # what its resident memory may reach after all the attacks
QUICK = 5.0  # seconds for a normal request under attack: only a blocked server takes longer
HUGE = "9" * 5000
EVIL = "a" * 60 + "!"  # `^(a|aa)+$` backtracks for ever on it
JSON = {"content-type": "application/json"}

pytestmark = pytest.mark.slow


@dataclass
class RunningMock:
    proc: subprocess.Popen[str]
    url: str  # with the base path, "http://127.0.0.1:PORT/v1"
    port: int
    log: Path  # the mock's stderr

    def status(self, key: str) -> int:
        """A /proc/PID/status figure in kB (VmHWM: peak resident memory)."""
        text = Path(f"/proc/{self.proc.pid}/status").read_text()
        m = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
        assert m is not None, text
        return int(m.group(1))

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _limits() -> None:
    size = MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size, size))
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningMock]:
    log = tmp_path_factory.mktemp("mock") / "stderr.log"
    with log.open("w") as err:
        proc = subprocess.Popen(
            explorer_command("mock", str(SPEC), "--port", "0"),
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            preexec_fn=_limits,
        )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    m = re.search(r"on (http://127\.0\.0\.1:(\d+)/v1)\s*$", first)
    if m is None:
        proc.kill()
        pytest.fail(f"the mock did not start: {first!r} {log.read_text()}")
    running = RunningMock(proc, m.group(1), int(m.group(2)), log)
    try:
        yield running
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            pytest.fail("the mock did not stop on Ctrl+C")


def normal_get(mock: RunningMock) -> float:
    """A normal client's simple GET: must be a 200; returns how long it took."""
    started = time.monotonic()
    r = httpx.get(mock.url + "/health", timeout=60)
    assert r.status_code == 200
    assert r.text == "ok"
    return time.monotonic() - started


def problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"] == "application/problem+json"
    doc: dict[str, Any] = r.json()
    assert doc["status"] == status
    return doc


def while_attacked(attack: Callable[[], None], mock: RunningMock, threads: int = 4) -> list[float]:
    """Run `attack` in `threads` threads and time normal GETs meanwhile."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            attack()
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    time.sleep(0.3)
    times = []
    while any(w.is_alive() for w in workers):
        times.append(normal_get(mock))
        time.sleep(0.1)
    for w in workers:
        w.join()
    if errors:
        raise errors[0]
    return times


def test_huge_integers_everywhere(mock: RunningMock) -> None:
    with httpx.Client(base_url=mock.url, timeout=60) as c:
        for r in (
            c.get(f"/numbers/{HUGE}"),
            c.get("/numbers/1", params={"q": HUGE}),
            c.get("/numbers/1", headers={"X-Count": HUGE}),
            c.get("/numbers/1", headers={"Cookie": f"count={HUGE}"}),
        ):
            doc = problem(r, 422)
            assert "an integer of 5,000 digits is longer than the mock reads" in str(doc)
        r = c.post("/things", content=f'{{"n": {HUGE}}}', headers=JSON)
        assert "an integer of 5,000 digits" in problem(r, 400)["message"]
        r = c.get("/health", headers={"Prefer": f"code={HUGE}"})
        assert problem(r, 400)["message"].endswith("is not an HTTP status code")
    assert normal_get(mock) < QUICK
    assert "Traceback" not in mock.log_text()


def test_redos_and_heavy_bodies_do_not_block_other_clients(mock: RunningMock) -> None:
    results: list[int] = []

    def redos() -> None:
        with httpx.Client(base_url=mock.url, timeout=60) as c:
            for _ in range(3):
                r = c.post("/things", json={"name": EVIL, "x-" + EVIL: 1})
                results.append(r.status_code)
                r = c.get("/search", params=[("name", EVIL)] * 150)
                results.append(r.status_code)

    times = while_attacked(redos, mock)
    assert set(results) == {200, 201}  # undecided matches are accepted
    assert max(times) < QUICK

    heavy = json.dumps({"tags": [{"i": i} for i in range(30_000)]}).encode()
    answers: list[httpx.Response] = []

    def unique_items() -> None:  # jsonschema compares every pair: minutes of work
        answers.append(httpx.post(mock.url + "/things", content=heavy, headers=JSON, timeout=60))

    times = while_attacked(unique_items, mock, threads=6)  # more than there are workers
    assert max(times) < QUICK
    for r in answers:
        assert "gave up on this request after 5 s" in problem(r, 503)["message"]
    started = time.monotonic()  # the workers were freed: a checked POST is quick again
    assert httpx.post(mock.url + "/things", json={"n": 1}, timeout=60).status_code == 201
    assert time.monotonic() - started < QUICK


def test_an_answer_that_multiplies_is_refused(mock: RunningMock) -> None:
    r = httpx.get(mock.url + "/bomb", timeout=60)
    assert "would be too large" in problem(r, 500)["message"]
    assert len(r.content) < 1000
    assert normal_get(mock) < QUICK


def test_slow_half_open_connections_cannot_lock_out_a_client(mock: RunningMock) -> None:
    log_before = mock.log.stat().st_size
    slow: list[socket.socket] = []
    for _ in range(1100):  # more than the mock's 1,024 file descriptors
        sock = socket.create_connection(("127.0.0.1", mock.port), timeout=30)
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        slow.append(sock)
    try:
        times = [normal_get(mock) for _ in range(3)]
        assert max(times) < QUICK
        time.sleep(6)  # past the 5 s header read timeout
        answers = []
        for sock in slow:
            sock.settimeout(10)
            try:
                answers.append(sock.recv(200))
            except (ConnectionResetError, TimeoutError):
                answers.append(b"")
        # each was told why (408: late, or closed to make room) and closed
        assert all(a.startswith(b"HTTP/1.1 408 ") for a in answers), {a[:20] for a in answers}
    finally:
        for sock in slow:
            sock.close()
    assert normal_get(mock) < QUICK
    grew = mock.log.stat().st_size - log_before
    assert grew < 20_000, mock.log_text()[-2000:]  # throttled: a few lines, not megabytes


def test_foreign_host_is_misdirected(mock: RunningMock) -> None:
    r = httpx.get(mock.url + "/health", headers={"Host": "rebound.evil.example"}, timeout=60)
    assert "DNS rebinding" in problem(r, 421)["message"]
    r = httpx.get(mock.url + "/health", headers={"Host": "localhost:1234"}, timeout=60)
    assert r.status_code == 200


def test_oversized_and_broken_requests(mock: RunningMock) -> None:
    r = httpx.get(mock.url + "/health", headers={"X-Big": "x" * 100_000}, timeout=60)
    assert "larger than the mock reads" in problem(r, 431)["message"]
    sock = socket.create_connection(("127.0.0.1", mock.port), timeout=30)
    sock.sendall(b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03garbage\r\n\r\n")
    answer = sock.recv(4096)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"application/problem+json" in answer
    big = b"[" + b"0," * 6_000_000 + b"0]"  # over 10 MB
    r = httpx.post(mock.url + "/things", content=big, headers=JSON, timeout=60)
    assert "larger than the mock accepts" in problem(r, 413)["message"]
    assert normal_get(mock) < QUICK


def test_memory_stays_bounded_and_the_log_clean(mock: RunningMock) -> None:
    many = b'{"tags": [' + b"{}," * 499_999 + b"{}]}"  # half a million objects, 1.5 MB

    def bodies() -> None:
        for _ in range(2):
            r = httpx.post(mock.url + "/things", content=many, headers=JSON, timeout=60)
            assert r.status_code in (201, 503)

    times = while_attacked(bodies, mock, threads=8)
    assert max(times) < QUICK
    assert mock.proc.poll() is None  # still up
    peak_mb = mock.status("VmHWM") / 1024
    assert peak_mb < PEAK_MB, f"peak resident memory {peak_mb:.0f} MB"
    text = mock.log_text()
    assert "Traceback" not in text
    assert len(text) < 200_000
