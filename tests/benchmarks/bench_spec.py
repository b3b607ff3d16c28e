"""Spec engine benchmarks (issue 2, "Speed"), run on demand:

    .venv/bin/python tests/benchmarks/bench_spec.py [--rounds N] [--skip-stripe]

1. GitHub's REST description (13 MB JSON, 1,223 operations): `spec.load()` against
   `orjson.loads` on the same bytes, same process, best of N.      target: <= 1.5x
Wall-clock times suffer when the machine is busy; per-operation figures are also given in
CPU time of the measuring thread, which does not.

2. Everything one operation needs (`Operation.resolve_all()`: parameters, body, responses,
   refs resolved) for every operation, p50/p99/max, both on one Spec in document order
   (caches warm from earlier operations) and on a fresh Spec for each operation.
                                                                   target: p99 < 5 ms
3. Stripe's spec (6 MB YAML): cold (parse, fill the cache) and warm (from the cache),
   against orjson on the same document as JSON.           target: warm close to JSON

GitHub's file comes from `npm pack @octokit/openapi@23.0.2` (generated/api.github.com.json),
unpacked at .bench/package/ in the repository root.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import yaml

from explorer import spec
from explorer.spec._build import build_spec
from explorer.spec._refs import Resolver
from explorer.spec._source import _Loader

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / ".bench" / "package" / "generated" / "api.github.com.json"
STRIPE = ROOT.parent / "shared" / "specs" / "stripe-3.0.yaml"

rows: list[tuple[str, str, str]] = []


def best(fn: Callable[[], Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        del result
    return min(times)


def compare(a: Callable[[], Any], b: Callable[[], Any], rounds: int) -> tuple[float, float]:
    """Best of N for two functions, measured alternately so both see the same machine."""
    times_a, times_b = [], []
    for _ in range(rounds):
        for fn, times in ((a, times_a), (b, times_b)):
            gc.collect()
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
            del result  # freeing 13 MB of objects is not part of parsing them
    return min(times_a), min(times_b)


def once(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def timed_resolve(op: spec.Operation) -> tuple[float, float]:
    """(wall, CPU) seconds of one operation's resolve_all()."""
    wall, cpu = time.perf_counter(), time.thread_time()
    op.resolve_all()
    return time.perf_counter() - wall, time.thread_time() - cpu


def add_resolve_rows(label: str, times: list[tuple[float, float]], target: str = "") -> None:
    for kind, values in (("wall", [t[0] for t in times]), ("CPU", [t[1] for t in times])):
        p50, p99, worst = percentiles(values)
        rows.append(
            (f"{label} ({kind})", f"p50 {ms(p50)}", f"p99 {ms(p99)}  max {ms(worst)}{target}")
        )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def percentiles(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99, ordered[-1]


def bench_github(rounds: int) -> None:
    if not GITHUB.exists():
        print(
            f"GitHub's spec is missing ({GITHUB}).\n"
            "Fetch it with:  mkdir -p .bench && cd .bench && npm pack @octokit/openapi@23.0.2"
            " && tar xzf octokit-openapi-23.0.2.tgz",
            file=sys.stderr,
        )
        return
    data = GITHUB.read_bytes()
    uri = str(GITHUB)
    base, loaded = compare(lambda: orjson.loads(data), lambda: spec.load_bytes(data, uri), rounds)
    read_parse, from_file = compare(
        lambda: orjson.loads(GITHUB.read_bytes()),
        lambda: spec.load(GITHUB, cache_dir=None),
        rounds,
    )
    rows.append(("GitHub 13 MB: orjson.loads(bytes)", ms(base), "baseline"))
    rows.append(
        (
            "GitHub 13 MB: spec.load_bytes(bytes)",
            ms(loaded),
            f"{loaded / base:.2f}x  (target <= 1.5x)",
        )
    )
    gc.disable()
    try:
        base_nogc, loaded_nogc = compare(
            lambda: orjson.loads(data), lambda: spec.load_bytes(data, uri), rounds
        )
    finally:
        gc.enable()
    rows.append(
        (
            "GitHub 13 MB: the same with the GC paused",
            ms(loaded_nogc),
            f"{loaded_nogc / base_nogc:.2f}x  (orjson {ms(base_nogc)})",
        )
    )
    rows.append(("GitHub 13 MB: read file + orjson.loads", ms(read_parse), "baseline"))
    rows.append(
        (
            "GitHub 13 MB: spec.load(path)",
            ms(from_file),
            f"{from_file / read_parse:.2f}x  (target <= 1.5x)",
        )
    )

    api = spec.load_bytes(data, uri)
    n = len(api.operations)
    seq = [timed_resolve(op) for op in api.operations]
    add_resolve_rows(f"GitHub: resolve_all, {n} ops in order", seq, "  (target p99 < 5 ms)")
    assert not [w for w in api.warnings if "unresolved" in w.message], api.warnings[:3]

    root = orjson.loads(data)
    fresh = []
    for i in range(n):
        resolver = Resolver(uri, root, [], cache_dir=None)
        op = build_spec(root, uri, resolver).operations[i]
        fresh.append(timed_resolve(op))
    add_resolve_rows("GitHub: resolve_all, fresh Spec per op", fresh, "  (target p99 < 5 ms)")


def bench_stripe(rounds: int) -> None:
    if not STRIPE.exists():
        print(f"Stripe's spec is missing ({STRIPE}); skipped", file=sys.stderr)
        return
    data = STRIPE.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        cold, api = once(lambda: spec.load(STRIPE, cache_dir=cache))
        warm = best(lambda: spec.load(STRIPE, cache_dir=cache), rounds)
    as_json = orjson.dumps(api.raw)
    base, json_load = compare(
        lambda: orjson.loads(as_json), lambda: spec.load_bytes(as_json, str(STRIPE)), rounds
    )
    plain_yaml, _ = once(lambda: yaml.load(data, Loader=yaml.CSafeLoader))
    ours_yaml, _ = once(lambda: yaml.load(data, Loader=_Loader))
    rows.append(("Stripe 6 MB YAML: orjson.loads of the same as JSON", ms(base), "baseline"))
    rows.append(("Stripe: spec.load_bytes of the JSON", ms(json_load), f"{json_load / base:.2f}x"))
    rows.append(("Stripe: spec.load, cold (YAML parsed, cached)", ms(cold), f"{cold / base:.0f}x"))
    rows.append(("Stripe: spec.load, warm (from the cache)", ms(warm), f"{warm / base:.2f}x"))
    rows.append(("Stripe: PyYAML CSafeLoader alone", ms(plain_yaml), f"{plain_yaml / base:.0f}x"))
    rows.append(
        (
            "Stripe: our safe loader alone",
            ms(ours_yaml),
            f"{ours_yaml / plain_yaml:.2f}x CSafeLoader",
        )
    )
    seq = [timed_resolve(op) for op in api.operations]
    add_resolve_rows(f"Stripe: resolve_all, {len(seq)} ops in order", seq)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="best of N (default 7)")
    parser.add_argument("--skip-stripe", action="store_true")
    args = parser.parse_args()
    bench_github(args.rounds)
    if not args.skip_stripe:
        bench_stripe(max(3, args.rounds // 2))
    width = max(len(r[0]) for r in rows) if rows else 0
    load = os.getloadavg()[0]
    where = f"(load average {load:.1f}, {os.cpu_count()} CPUs)"
    print(f"\n{'measure':<{width}}  {'time':>12}  against   {where}")
    print("-" * (width + 50))
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>12}  {note}")


if __name__ == "__main__":
    main()
