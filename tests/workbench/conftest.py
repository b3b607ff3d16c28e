"""The workbench talks to the real echo server of tests/http (127.0.0.1, port 0)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "http"))

from http_servers import RunningServer, serve


@pytest.fixture(scope="module")
def echo_server() -> Iterator[RunningServer]:
    yield from serve()
