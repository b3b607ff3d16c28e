"""Qt + asyncio for widget tests: a qasync loop on pytest-qt's QApplication."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync event loop on the test QApplication, set as the current loop.

    Drive async scenarios with `qloop.run_until_complete(coro)`; inside, wait for what the
    user would see with `await wait_for(lambda: ..., timeout)` (the `wait_for` fixture)."""
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)


async def _wait_for(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "") -> None:
    """Let the loop run until `predicate()` is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(0.01)


@pytest.fixture
def wait_for() -> Callable[..., Coroutine[Any, Any, None]]:
    """`await wait_for(predicate, timeout=10, what="...")` inside a qloop scenario."""
    return _wait_for
