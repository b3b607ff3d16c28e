"""Mock server benchmark (run on demand): python tests/benchmarks/bench_mock.py

- start to first answer on GitHub's REST spec (13 MB JSON; skipped when absent), with
  `orjson.loads` of the same bytes as the baseline measured in this run;
- start to first answer on Stripe's spec (6 MB YAML), cold (no parse cache) and warm;
- requests per second on a simple GET over loopback (one keep-alive client, bounded loop),
  and on a GET that validates query parameters; in-process (client and server share the
  GIL, as in the desktop app) and with `explorer mock` in its own process.

"Start to first answer" = load the document, build the app, start uvicorn on
127.0.0.1:0 and get a 200 for one operation.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import orjson

from explorer import spec
from explorer.mock import MockServer

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / ".bench" / "package" / "generated" / "api.github.com.json"
STRIPE = ROOT.parent / "shared" / "specs" / "stripe-3.0.yaml"
SHOP = ROOT / "tests" / "mock" / "fixtures" / "shop.yaml"


def first_answer(path: Path, url: str, headers: dict[str, str], cache: Path | None) -> float:
    started = time.perf_counter()
    api = spec.load(path, cache_dir=cache if cache is not None else None)
    with MockServer(api) as server, httpx.Client(base_url=server.api_url, headers=headers) as c:
        r = c.get(url)
        elapsed = time.perf_counter() - started
        assert r.status_code == 200, (r.status_code, r.text[:300])
    return elapsed


def rps(server: MockServer, url: str, headers: dict[str, str], seconds: float = 3.0) -> float:
    with httpx.Client(base_url=server.api_url, headers=headers) as client:
        for _ in range(50):
            client.get(url)
        count = 0
        started = time.perf_counter()
        deadline = started + seconds
        while time.perf_counter() < deadline and count < 100_000:
            r = client.get(url)
            if r.status_code != 200:
                raise SystemExit(f"unexpected {r.status_code}: {r.text[:200]}")
            count += 1
        return count / (time.perf_counter() - started)


def rps_url(base: str, url: str, seconds: float = 3.0) -> float:
    with httpx.Client(base_url=base) as client:
        for _ in range(50):
            client.get(url)
        count = 0
        started = time.perf_counter()
        while time.perf_counter() < started + seconds and count < 100_000:
            r = client.get(url)
            if r.status_code != 200:
                raise SystemExit(f"unexpected {r.status_code}: {r.text[:200]}")
            count += 1
        return count / (time.perf_counter() - started)


def out_of_process(url: str) -> float:
    """`explorer mock` in its own process: the client does not share the GIL with it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer", "mock", str(SHOP), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().rsplit(" on ", 1)[1].strip()
        return rps_url(base, url)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)


def main() -> int:
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")
    if GITHUB.is_file():
        data = GITHUB.read_bytes()
        t = time.perf_counter()
        orjson.loads(data)
        base = time.perf_counter() - t
        elapsed = first_answer(GITHUB, "/meta", {"Authorization": "Bearer x"}, None)
        print(
            f"GitHub ({len(data) / 1e6:.1f} MB, 1,223 ops): start to first answer {elapsed:.3f} s"
            f" (orjson.loads alone {base:.3f} s, ratio {elapsed / base:.2f}x)"
        )
    else:
        print(f"GitHub spec missing ({GITHUB}): skipped")
    if STRIPE.is_file():
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp)
            auth = {"Authorization": "Bearer sk_test_x"}
            cold = first_answer(STRIPE, "/v1/balance", auth, cache)
            warm = first_answer(STRIPE, "/v1/balance", auth, cache)
        print(
            f"Stripe (6 MB YAML, 588 ops): start to first answer cold {cold:.3f} s,"
            f" warm (parse cache) {warm:.3f} s"
        )
    else:
        print(f"Stripe spec missing ({STRIPE}): skipped")
    api = spec.load(SHOP, cache_dir=None)
    with MockServer(api, clock=lambda: 0.0) as server:
        simple = rps(server, "/health", {})
        checked = rps(
            server,
            "/items/search?q=lamp",
            {},
        )
        item = rps(server, "/items/7", {"Authorization": "Bearer x"})
    print(f"requests/s, one keep-alive client: GET text {simple:,.0f}")
    print(f"  GET with a validated query parameter {checked:,.0f}")
    print(f"  GET with a path parameter + bearer auth, generated JSON body {item:,.0f}")
    print(f"  GET text, `explorer mock` in its own process {out_of_process('/health'):,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
