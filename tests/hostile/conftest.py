"""The hostile suite: untrusted documents, servers and clients against the app and the mock.

Each test asserts what the user sees and a bound on time and memory. Work that a
regression could turn into a runaway (memory, CPU) runs in a subprocess under
`run_limited`, so a failure is a failed test, never a machine brought down.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Limited:
    """How a limited subprocess ended."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


def run_limited(
    args: Sequence[str],
    *,
    memory_mb: int = 1024,
    timeout: float = 60.0,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: str | None = None,
) -> Limited:
    """Run `args` with an address-space limit of `memory_mb` and a wall-clock `timeout`
    (a timeout fails the test). Returns the exit code, output, time and peak memory."""

    def limit() -> None:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    full_env = {**os.environ, **(env or {})}
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        done = subprocess.run(
            list(args),
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=limit,
            env=full_env,
            cwd=cwd or ROOT,
            input=stdin,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(args)} still ran after {timeout:.0f} s (a hang)")
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Limited(
        done.returncode,
        done.stdout,
        done.stderr,
        time.monotonic() - started,
        max(after, before) / 1024,  # ru_maxrss is in KiB on Linux; the largest child so far
    )


def one_line_error(result: Limited) -> str:
    """The one line a failed `explorer` command printed; asserts it is all it printed, exit
    code 2, no traceback."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    return result.stderr.strip()


def json_report(result: Limited) -> dict[str, Any]:
    """The report `explorer inspect --json` printed; asserts it succeeded."""
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def explorer_command(*args: str) -> list[str]:
    """`explorer ARGS...` as a command line of this test run's Python."""
    return [sys.executable, "-m", "explorer", *args]


# -- measuring one child ------------------------------------------------------------------


_PEAK_REPORTER = """
import atexit, os

def _report_peak() -> None:
    try:
        with open("/proc/self/status") as status:
            peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
        with open(os.environ["HOSTILE_PEAK_FILE"], "w") as out:
            out.write(peak)
    except (OSError, KeyError, StopIteration):
        pass

atexit.register(_report_peak)
"""


def run_measured(
    args: Sequence[str],
    *,
    memory_mb: int = 1024,
    timeout: float = 60.0,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Limited:
    """`run_limited` for a Python child, but `max_rss_mb` is the child's own peak: its
    VmHWM after exec, written at exit by a `sitecustomize` put on its path (the rusage
    of a child also counts the forked test process it was before exec)."""
    import tempfile

    def limit() -> None:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "sitecustomize.py").write_text(_PEAK_REPORTER)
        peak_file = folder / "peak"
        path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
        full_env = {
            **os.environ,
            **(env or {}),
            "PYTHONPATH": path,
            "HOSTILE_PEAK_FILE": str(peak_file),
        }
        with (folder / "out").open("w+b") as out, (folder / "err").open("w+b") as err:
            started = time.monotonic()
            proc = subprocess.Popen(
                list(args),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                preexec_fn=limit,
                env=full_env,
                cwd=cwd or ROOT,
            )
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                pytest.fail(f"{' '.join(args)} still ran after {timeout:.0f} s (a hang)")
            seconds = time.monotonic() - started
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
        peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else float("nan")
        return Limited(proc.returncode, stdout, stderr, seconds, peak)


def explorer_patched(patches: dict[str, object], *args: str) -> list[str]:
    """`explorer ARGS...` with module constants changed first (smaller caps, a shorter
    deadline), e.g. {"explorer.spec._fetch.FETCH_TIMEOUT": 2.0}."""
    script = (
        "import importlib, sys\n"
        f"for name, value in {patches!r}.items():\n"
        "    module, attr = name.rsplit('.', 1)\n"
        "    setattr(importlib.import_module(module), attr, value)\n"
        "from explorer.__main__ import main\n"
        f"sys.exit(main({list(args)!r}))\n"
    )
    return [sys.executable, "-c", script]


# -- a hostile HTTP server ------------------------------------------------------------------


Behaviour = Callable[[BaseHTTPRequestHandler], None]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer is what the caps make happen: not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class HostileServer:
    """A real HTTP server on a loopback address and port 0 whose answers are functions of
    the request handler: `server.route("/path", behaviour)`; see the behaviours below."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Behaviour] = {}
        self.requested: list[str] = []
        self.closing = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requested.append(self.path)
                behaviour = server.routes.get(self.path.split("?")[0])
                try:
                    if behaviour is None:
                        send(b"not here", status=404)(self)
                    else:
                        behaviour(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up: that is what a cap does

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = _QuietServer((host, 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        assert isinstance(host, str)
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, behaviour: Behaviour) -> str:
        self.routes[path] = behaviour
        return self.url(path)


def send(body: bytes, *, status: int = 200, headers: dict[str, str] | None = None) -> Behaviour:
    """Answer with `body` (and a Content-Length unless `headers` sets one)."""

    def behave(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        all_headers = {"Content-Length": str(len(body)), **(headers or {})}
        for name, value in all_headers.items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(body)

    return behave


def redirect(location: str, status: int = 302) -> Behaviour:
    return send(b"", status=status, headers={"Location": location})


def endless(
    chunk: bytes = b" " * (1 << 20), first: bytes = b'{"openapi": "3.0.0", "x": "'
) -> Behaviour:
    """A body that never ends (no length, chunks until the client hangs up)."""

    def behave(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(first)
        while True:
            h.wfile.write(chunk)

    return behave


def drip(server: HostileServer, every: float = 1.0, length: int = 1_000_000) -> Behaviour:
    """One byte every `every` seconds of a body said to be `length` bytes long."""

    def behave(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(length))
        h.end_headers()
        h.wfile.write(b"{")
        h.wfile.flush()
        while not server.closing.wait(every):
            h.wfile.write(b" ")
            h.wfile.flush()

    return behave


def stall(server: HostileServer) -> Behaviour:
    """Headers, then nothing at all until the server closes."""

    def behave(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        h.wfile.flush()
        server.closing.wait()

    return behave


def gzip_bomb(size: int = 1 << 30) -> bytes:
    """A single-member gzip body that unpacks to `size` zero bytes (a multiple of 1 MiB),
    about a thousandth of that on the wire, made in well under a second: one compressed
    MiB of zeros, fully flushed, repeats byte for byte."""
    import struct
    import zlib

    block = bytes(1 << 20)
    count = size >> 20
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + first + again * (count - 1) + end + trailer


@pytest.fixture
def hostile_server() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


@pytest.fixture
def other_host_server() -> Iterator[HostileServer]:
    """A second server on another loopback address (127.0.0.2): another origin."""
    try:
        server = HostileServer("127.0.0.2")
    except OSError:
        pytest.skip("127.0.0.2 is not a loopback address here")
    with server:
        yield server
