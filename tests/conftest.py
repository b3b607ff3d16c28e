"""Test setup shared by every test: headless Qt, and no test touches the user's folders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Set before anything imports Qt: tests always run headless.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")
_ISOLATED = Path(tempfile.mkdtemp(prefix="explorer-tests-"))
os.environ["EXPLORER_CACHE_DIR"] = str(_ISOLATED / "cache")
os.environ["EXPLORER_CONFIG_DIR"] = str(_ISOLATED / "config")
os.environ["EXPLORER_DATA_DIR"] = str(_ISOLATED / "data")

import asyncio  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Coroutine, Iterator  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from explorer.demo import demo_spec_path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED_SPECS = ROOT.parent / "shared" / "specs"
DEMO_SPEC = demo_spec_path()


@pytest.fixture
def shared_specs() -> Path:
    """The public OpenAPI documents in ../shared/specs (skips when absent)."""
    if not SHARED_SPECS.is_dir():
        pytest.skip("../shared/specs is not present")
    return SHARED_SPECS


@pytest.fixture(name="demo_spec_path")
def demo_spec_path_fixture() -> Path:
    return DEMO_SPEC


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
            # A task that ignores its cancellation must fail the test, not hang the run.
            _done, stuck = loop.run_until_complete(asyncio.wait(pending, timeout=15))
            if stuck:
                import io

                stacks = io.StringIO()
                for t in stuck:
                    t.print_stack(file=stacks)
                names = ", ".join(repr(t.get_coro()) for t in stuck) + "\n" + stacks.getvalue()
                raise AssertionError(f"tasks still running after cancel: {names}")
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
