"""Fixtures with real servers on 127.0.0.1 (port 0); the servers are in http_servers.py."""

from __future__ import annotations

import os
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from http_servers import RawServer, RunningServer, self_signed, serve
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis writes `.hypothesis/` in the working directory, which pytest's `norecursedirs`
# then warns about (an error here): keep it in the isolated test folder instead.
# (Belongs in tests/conftest.py; tests/spec/conftest.py does the same.)
if os.environ.get("EXPLORER_CACHE_DIR"):
    set_hypothesis_home_dir(Path(os.environ["EXPLORER_CACHE_DIR"]).parent / "hypothesis")


@pytest.fixture(scope="session")
def echo_server() -> Iterator[RunningServer]:
    """The echo app over plain HTTP, shared by the session."""
    yield from serve()


@pytest.fixture(scope="session")
def second_origin() -> Iterator[RunningServer]:
    """The echo app on 127.0.0.2 (loopback on Linux): another origin for redirects."""
    yield from serve(host="127.0.0.2")


@pytest.fixture
def drip_server() -> Iterator[RunningServer]:
    """A fresh echo app for tests that stall a response on purpose."""
    yield from serve()


@pytest.fixture(scope="session")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """The echo app over HTTPS with a self-signed certificate for 127.0.0.1."""
    yield from serve(self_signed(tmp_path_factory.mktemp("tls")))


@pytest.fixture
def raw_server() -> Iterator[Callable[[str], RawServer]]:
    """Start a misbehaving server: "close" (closes without a reply), "reset" (TCP RST),
    "garbage" (replies with bytes that are not HTTP)."""
    stops: list[Callable[[], None]] = []

    def start(behaviour: str) -> RawServer:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.2)
        stop = threading.Event()

        def run() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except (TimeoutError, OSError):
                    continue
                with conn:
                    conn.settimeout(2)
                    data = b""
                    try:
                        while b"\r\n\r\n" not in data:
                            chunk = conn.recv(65536)
                            if not chunk:
                                break
                            data += chunk
                        if behaviour == "garbage":
                            conn.sendall(b"SPDY/99 banana\r\n\r\n")
                        elif behaviour == "reset":
                            conn.setsockopt(
                                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                            )
                    except OSError:
                        pass

        thread = threading.Thread(target=run, daemon=True)
        thread.start()

        def shutdown() -> None:
            stop.set()
            thread.join(5)
            listener.close()

        stops.append(shutdown)
        return RawServer(f"http://127.0.0.1:{listener.getsockname()[1]}")

    yield start
    for stop in stops:
        stop()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port
