"""The hostile suite: untrusted documents, servers and clients against the app and the mock.

Each test asserts what the user sees and a bound on time and memory. Work that a
regression could turn into a runaway (memory, CPU) runs in a subprocess under
`run_limited`, so a failure is a failed test, never a machine brought down.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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


def explorer_command(*args: str) -> list[str]:
    """`explorer ARGS...` as a command line of this test run's Python."""
    return [sys.executable, "-m", "explorer", *args]
