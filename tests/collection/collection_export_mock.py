"""`explorer mock` serving the demo on a free port, as a user starts it (for the export
tests that run what they export against it)."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

ADDRESS = re.compile(r"on (http://127\.0\.0\.1:\d+/\S*)\s*$")
MEMORY_LIMIT = 2 * 1024**3


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@contextmanager
def demo_mock() -> Iterator[str]:
    """The demo's base URL ("http://127.0.0.1:PORT/api") while `explorer mock` runs."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer", "mock", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=limit_memory,  # a regression in the server cannot take the machine down
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    m = ADDRESS.search(first)
    try:
        assert m is not None, first
        yield m.group(1)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
