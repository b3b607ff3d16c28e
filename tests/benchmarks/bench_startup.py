"""Whole-process start-up: `explorer SPEC --screenshot out.png` against a minimal PySide6
program that parses the same file with orjson, shows an empty window and grabs it.

Run on demand:  .venv/bin/python tests/benchmarks/bench_startup.py [--runs N] [SPEC ...]

Default SPECs: a small generated document (15 operations, written to a temporary
directory) and GitHub's REST description (npm pack @octokit/openapi@23.0.2, file
generated/api.github.com.json) at .bench/package/generated/api.github.com.json.

The two programs run alternately, run by run, so that whatever else the machine does hits
both alike; the figure is the median of each, and their ratio. Peak memory (the child's
maximum resident set) is reported too.
Target (PRODUCT.md): explorer within 1.5x the minimal program; peak memory with GitHub's
description under 200 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / ".bench" / "package" / "generated" / "api.github.com.json"

MINIMAL = r"""
import sys, orjson
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
with open(sys.argv[1], "rb") as fh:
    doc = orjson.loads(fh.read())
w = QMainWindow(); w.resize(1480, 900); w.setWindowTitle(str(len(doc.get("paths", {}))))
w.show(); app.processEvents()
w.grab().save(sys.argv[2])
"""


def small_document() -> bytes:
    """A small OpenAPI 3.0 document: three resources, 15 operations, a Markdown description."""
    paths: dict[str, object] = {}
    schemas: dict[str, object] = {}
    for name in ("contacts", "invoices", "orders"):
        schema = name.capitalize()[:-1]
        schemas[schema] = {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "integer", "format": "int64"},
                "name": {"type": "string", "maxLength": 200},
                "email": {"type": "string", "format": "email"},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        }
        ref = {"$ref": f"#/components/schemas/{schema}"}
        body = {"required": True, "content": {"application/json": {"schema": ref}}}
        ok = {"description": "ok", "content": {"application/json": {"schema": ref}}}
        paths[f"/{name}"] = {
            "get": {
                "tags": [name],
                "summary": f"List {name}",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok"}},
            },
            "post": {
                "tags": [name],
                "summary": f"Create {name}",
                "requestBody": body,
                "responses": {"201": ok},
            },
        }
        id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
        paths[f"/{name}/{{id}}"] = {
            "parameters": [id_param],
            "get": {"tags": [name], "summary": f"Get one of {name}", "responses": {"200": ok}},
            "put": {
                "tags": [name],
                "summary": f"Replace one of {name}",
                "requestBody": body,
                "responses": {"200": ok},
            },
            "delete": {
                "tags": [name],
                "summary": f"Delete one of {name}",
                "responses": {"204": {"description": "gone"}},
            },
        }
    return orjson.dumps(
        {
            "openapi": "3.0.3",
            "info": {"title": "Small", "version": "1.0", "description": "A *small* API."},
            "servers": [{"url": "https://api.example.com/v1"}],
            "paths": paths,
            "components": {"schemas": schemas},
        },
        option=orjson.OPT_INDENT_2,
    )


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds from spawn to exit, the child's CPU seconds (user + system), and its
    peak resident memory in MB."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: the child never blocks
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"failed: {' '.join(cmd)}\n{err.read().decode(errors='replace')}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(spec: Path, runs: int, env: dict[str, str], tmp: Path) -> None:
    """Run both programs `runs` times, alternately, and print medians and the ratio."""
    py = sys.executable
    minimal = tmp / "minimal.py"
    minimal.write_text(MINIMAL)

    def base(i: int) -> list[str]:
        return [py, str(minimal), str(spec), str(tmp / f"m{i}.png")]

    def ours(i: int) -> list[str]:
        return [py, "-m", "explorer", str(spec), "--screenshot", str(tmp / f"e{i}.png")]

    # one unmeasured run each: bytecode caches written, files in the page cache
    timed(base(-1), env)
    timed(ours(-1), env)
    b_times: list[float] = []
    o_times: list[float] = []
    b_cpu: list[float] = []
    o_cpu: list[float] = []
    b_mem: list[float] = []
    o_mem: list[float] = []
    for i in range(runs):  # alternate, and swap who goes first every other run
        order = [(base, b_times, b_cpu, b_mem), (ours, o_times, o_cpu, o_mem)]
        for make, times, cpus, mems in order if i % 2 == 0 else order[::-1]:
            t, c, m = timed(make(i), env)
            times.append(t)
            cpus.append(c)
            mems.append(m)
    b, o = statistics.median(b_times), statistics.median(o_times)
    bc, oc = statistics.median(b_cpu), statistics.median(o_cpu)
    print(f"spec: {spec.name} ({spec.stat().st_size / 1e6:.2f} MB), {runs} runs each, median")
    print(
        f"  minimal PySide6 + orjson + grab: {b:.3f} s  (CPU {bc:.3f} s)  peak {max(b_mem):.0f} MB"
    )
    print(
        f"  explorer --screenshot          : {o:.3f} s  (CPU {oc:.3f} s)  peak {max(o_mem):.0f} MB"
    )
    print(
        f"  ratio                          : {o / b:.2f}x  (CPU {oc / bc:.2f}x)  (target <= 1.5x)"
    )
    ratios = sorted(ot / bt for bt, ot in zip(b_times, o_times, strict=True))
    print(f"  run-by-run ratios              : {' '.join(f'{r:.2f}' for r in ratios)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("specs", nargs="*", type=Path, help="documents (default: small, GitHub)")
    parser.add_argument("--runs", type=int, default=9, help="runs of each program per spec")
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure what users get: cached bytecode
    tmp = Path(tempfile.mkdtemp())
    env["EXPLORER_CONFIG_DIR"] = str(tmp / "config")
    env["EXPLORER_DATA_DIR"] = str(tmp / "data")
    env["EXPLORER_CACHE_DIR"] = str(tmp / "cache")
    specs: list[Path] = args.specs
    if not specs:
        small = tmp / "small.json"
        small.write_bytes(small_document())
        specs = [small, GITHUB]
    for spec in specs:
        if not spec.exists():
            raise SystemExit(
                f"{spec} is missing: mkdir -p .bench && cd .bench && "
                "npm pack @octokit/openapi@23.0.2 && tar xzf *.tgz"
            )
    for spec in specs:
        measure(spec, args.runs, env, tmp)


if __name__ == "__main__":
    main()
