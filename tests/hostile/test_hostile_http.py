"""A hostile HTTP server against the explorer's Sender: credentials redirected to another
host, bodies that drip or never end, compression bombs, redirect loops.

The servers run in this process (tests/http's echo app, on 127.0.0.1 and on 127.0.0.2 as a
second origin); the client is `explorer.http.Sender` in a subprocess under a memory limit
(`run_limited`), which prints what the user would see (the NetworkFailure's message, or
the ResponseResult) and its own peak memory. Each test bounds time and memory loosely:
only a real runaway (a body held whole, a per-read timeout) exceeds the bounds.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.hostile.conftest import run_limited

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "http"))

from http_servers import RunningServer, serve

MB = 1024 * 1024
MEMORY_LIMIT_MB = 768  # address space; the client's own peak (RSS) is asserted tighter
BASELINE_MB = 60  # the client's peak for a small answer is ~36 MB here; with room

# A real brotli stream of 1 GiB of zeros: 809 bytes (brotli -q5, lgwin 24).
BROTLI_BOMB_HEX = (
    "cfffff7f002400e2b14072effff9ffff0f8004401c1680eefd3fffffff01900088c302d0bdffe7ffff3f"
    "001200715800baf7fffcffff074002200e0b40f7fe9fffffff004800c46101e8defff3ffff1f00098038"
    "2c00ddfb7ffeffff032001108705a07bffcfffff7f002400e2b00074effff9ffff0f8004401c1680eefd"
    "3fffffff01900088c302d0bdffe7ffff3f001200715800baf7fffcffff074002200e0b40f7fe9fffffff"
    "004800c46101e8defff3ffff1f000980382c00ddfb7ffeffff032001108705a07bffcfffff7f002400e2"
    "b00074effff9ffff0f8004401c1680eefd3fffffff01900088c302d0bdffe7ffff3f001200715800baf7"
    "fffcffff074002200e0b40f7fe9fffffff004800c46101e8defff3ffff1f000980382c00ddfb7ffeffff"
    "032001108705a07bffcfffff7f002400e2b00074effff9ffff0f8004401c1680eefd3fffffff01900088"
    "c302d0bdffe7ffff3f001200715800baf7fffcffff074002200e0b40f7fe9fffffff004800c46101e8de"
    "fff3ffff1f000980382c00ddfb7ffeffff032001108705a07bffcfffff7f002400e2b00074effff9ffff"
    "0f8004401c1680eefd3fffffff01900088c302d0bdffe7ffff3f001200715800baf7fffcffff07400220"
    "0e0b40f7fe9fffffff004800c46101e8defff3ffff1f000980382c00ddfb7ffeffff032001108705a07b"
    "ffcfffff7f002400e2b00074effff9ffff0f8004401c1680eefd3fffffff01900088c302d0bdffe7ffff"
    "3f001200715800baf7fffcffff074002200e0b40f7fe9fffffff004800c46101e8defff3ffff1f000980"
    "382c00ddfb7ffeffff032001108705a07bffcfffff7f002400e2b00074effff9ffff0f8004401c1680ee"
    "fd3fffffff01900088c302d0bdffe7ffff3f001200715800baf7fffcffff074002200e0b40f7fe9fffff"
    "ff004800c46101e8defff3ffff1f000980382c00ddfb7ffeffff032001108705a07bffcfffff7f002400"
    "e2b00074effff9ffff0f8004401c1680eefd3fffffff01900088c302d0bdffe7ffff3f001200715800ba"
    "f7fffcffff074002200e0b40f7fe9fffffff004800c46101e8defff3ffff1f000980382c00ddfb7ffeff"
    "ff032001108705a07bff3f"
)

# The client: build the request the job describes, send it, print what came back.
CLIENT = """
import asyncio, json, sys
from explorer import http

job = json.loads(sys.argv[1])
prepared = http.build_request(http.RequestInput(
    job.get("method", "GET"), job["base"], job["path"],
    params=tuple(http.ParamValue(*p) for p in job.get("params", ())),
    headers=tuple(tuple(h) for h in job.get("headers", ())),
    secret_headers=tuple(job.get("secret_headers", ())),
    auth=http.AuthInput(**job["auth"]) if job.get("auth") else None,
))

async def send():
    sender = http.Sender()
    try:
        options = http.TransportOptions(timeout=job.get("timeout", 30))
        return await sender.send(prepared, options, max_body=job.get("max_body", 256 << 20))
    finally:
        await sender.aclose()

result = asyncio.run(send())
# VmHWM: the peak resident memory of this program (ru_maxrss would also count the
# forked copy of pytest that exec replaced).
with open("/proc/self/status") as status:
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
out = {"peak_mb": peak_kb / 1024}
if isinstance(result, http.NetworkFailure):
    out.update(kind=result.kind, message=result.message, elapsed=result.elapsed)
else:
    out.update(
        status=result.status,
        size=result.size,
        url=result.url,
        headers=result.headers,
        body=result.body[:65536].decode("latin-1"),
        chain=[[h.method, h.url, h.status, h.location, h.dropped] for h in result.redirect_chain],
        elapsed=result.timing.total,
    )
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    yield from serve()


@pytest.fixture(scope="module")
def other_host() -> Iterator[RunningServer]:
    """A second origin: 127.0.0.2 is loopback on Linux."""
    yield from serve(host="127.0.0.2")


def send(job: dict[str, Any], *, seconds: float = 60) -> dict[str, Any]:
    """Run the client on `job` under the memory limit; what it printed."""
    done = run_limited(
        [sys.executable, "-c", CLIENT, json.dumps(job)],
        memory_mb=MEMORY_LIMIT_MB,
        timeout=seconds,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out: dict[str, Any] = json.loads(done.stdout)
    return out


def to(server: RunningServer, url: str, status: int = 302) -> str:
    """A path on `server` that redirects to `url`."""
    return f"/to?status={status}&url={quote(url, safe='')}"


# --- credentials and redirects ------------------------------------------------------------

CREDENTIALS = {
    "authorization",
    "cookie",
    "proxy-authorization",
    "x-api-key",
    "x-auth-token",
    "x-session-id",
    "x-marked",
}
HEADERS = [
    ["X-Auth-Token", "typed-token-2"],
    ["X-Session-Id", "session-3"],
    ["X-Marked", "marked-4"],
    ["Proxy-Authorization", "Basic cHJveHk6cHc="],
    ["X-Note", "harmless"],
]


def credentialed(server: RunningServer, landing: str, auth: dict[str, str]) -> dict[str, Any]:
    return {
        "base": server.url,
        "path": to(server, landing),
        "params": [["theme", "cookie", "dark"]],
        "headers": HEADERS,
        "secret_headers": ["X-Marked"],
        "auth": auth,
    }


@pytest.mark.parametrize(
    "auth",
    [
        {"kind": "apikey", "token": "key-1", "name": "X-API-Key"},
        {"kind": "bearer", "token": "bearer-1"},
        {"kind": "basic", "username": "demo", "password": "pw-1"},
        {"kind": "apikey", "token": "key-1", "name": "ecosire_auth", "location": "cookie"},
    ],
    ids=["apikey-header", "bearer", "basic", "apikey-cookie"],
)
def test_no_credential_follows_a_redirect_to_another_host(
    server: RunningServer, other_host: RunningServer, auth: dict[str, str]
) -> None:
    out = send(credentialed(server, other_host.url + "/echo/stolen", auth))
    assert out["status"] == 200
    echoed = json.loads(out["body"])
    received = {name for name, _ in echoed["headers"]}
    assert not CREDENTIALS & received, received
    for secret in ("key-1", "bearer-1", "typed-token-2", "session-3", "marked-4", "dark"):
        assert secret not in out["body"]
    assert "x-note" in received
    # What the user sees: the hop, and what was left out on the way.
    ((method, url, status, location, dropped),) = out["chain"]
    assert (method, status, location) == ("GET", 302, other_host.url + "/echo/stolen")
    assert url.startswith(server.url + "/to?")
    assert {"X-Auth-Token", "X-Session-Id", "X-Marked", "Proxy-Authorization", "Cookie"} <= set(
        dropped
    )
    assert out["peak_mb"] < BASELINE_MB


def test_the_same_host_keeps_the_credentials(server: RunningServer) -> None:
    auth = {"kind": "apikey", "token": "key-1", "name": "X-API-Key"}
    out = send(credentialed(server, server.url + "/echo/kept", auth))
    received = dict(json.loads(out["body"])["headers"])
    assert received["x-api-key"] == "key-1"
    assert received["x-auth-token"] == "typed-token-2"
    assert received["cookie"] == "theme=dark"
    assert out["chain"][0][4] == []


def test_a_redirect_loop_stops(server: RunningServer) -> None:
    loop = f"{server.url}/redirect/1000"
    out = send({"base": loop, "path": ""}, seconds=60)
    assert out["kind"] == "other"
    assert out["message"] == (
        f"Stopped following redirects from 127.0.0.1:{server.port} after 20: "
        "there were too many (a redirect loop?)."
    )
    assert out["elapsed"] < 20


# --- slow and endless bodies ---------------------------------------------------------------


def test_a_body_dripping_a_byte_a_second_times_out(server: RunningServer) -> None:
    out = send({"base": server.url, "path": "/trickle?n=600&every=1", "timeout": 2})
    assert out["kind"] == "timeout"
    prefix = f"The response from 127.0.0.1:{server.port} did not finish within 2 s; "
    assert out["message"].startswith(prefix)
    arrived = out["message"].removeprefix(prefix)
    assert arrived.endswith(" arrived.") and arrived[0].isdigit()
    assert 2 <= out["elapsed"] < 15


def test_headers_that_never_come_time_out(server: RunningServer) -> None:
    out = send({"base": server.url, "path": "/slow?delay=60", "timeout": 1})
    assert out["kind"] == "timeout"
    assert out["message"] == f"The server at 127.0.0.1:{server.port} did not answer within 1 s."
    assert out["elapsed"] < 15


def test_an_endless_body_stops_at_the_cap_without_growing_past_it(server: RunningServer) -> None:
    out = send({"base": server.url, "path": "/endless", "max_body": 64 * MB})
    assert out["kind"] == "too_large"
    assert out["message"] == "The response body is larger than 64 MB; it was not read."
    assert out["peak_mb"] < BASELINE_MB + 64 + 40


# --- compression bombs --------------------------------------------------------------------


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate", "members"])
def test_an_endless_compression_bomb_is_refused_early(server: RunningServer, coding: str) -> None:
    """Zeros compressed ~1,000 times, without end: refused at 16 MiB by its ratio, long
    before the 256 MB cap, and memory stays near the baseline."""
    out = send({"base": server.url, "path": f"/zip/{coding}"})
    assert out["kind"] == "too_large"
    label = "gzip" if coding in ("gzip", "members") else "deflate"
    assert out["message"].startswith(
        f"The response body expands more than 200 times when decompressed ({label}: "
    )
    assert out["message"].endswith("like a decompression bomb; it was not read.")
    assert out["peak_mb"] < BASELINE_MB + 16 + 40
    assert out["elapsed"] < 30


def test_a_gigabyte_gzip_bomb_under_a_small_cap(server: RunningServer) -> None:
    out = send({"base": server.url, "path": "/zip/gzip?mb=1024", "max_body": 8 * MB})
    assert out["kind"] == "too_large"
    assert out["message"].startswith(
        "The response body is larger than 8 MB once decompressed (gzip, "
    )
    assert out["peak_mb"] < BASELINE_MB + 8 + 40


def test_a_brotli_bomb_is_never_inflated(server: RunningServer) -> None:
    """We do not ask for br; a server that sends it anyway gets its 809 bytes kept as
    they are (shown as binary), never the gigabyte they stand for."""
    out = send({"base": server.url, "path": f"/encoded?coding=br&hex={BROTLI_BOMB_HEX}"})
    assert out["status"] == 200
    assert out["size"] == len(BROTLI_BOMB_HEX) // 2
    assert ["content-encoding", "br"] in out["headers"]
    assert out["peak_mb"] < BASELINE_MB
