"""The worker pool (heavy work off the event loop, within a budget) and the throttled log."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator

import pytest

from explorer.mock._log import ThrottledLogger
from explorer.mock._worker import OutOfTime, WorkerPool


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(workers=2, name="test-worker")
    yield workers
    workers.close()


def spin_forever(flag: list[str]) -> None:
    """Pure-Python work that never ends on its own (like jsonschema on a huge body)."""
    flag.append("started")
    n = 0
    while True:
        n += 1


def test_results_and_exceptions_come_back(pool: WorkerPool) -> None:
    async def main() -> None:
        assert await pool.run(lambda: 6 * 7, budget=10) == 42
        assert await pool.run(threading.current_thread, budget=10) is not threading.main_thread()
        with pytest.raises(ZeroDivisionError):
            await pool.run(lambda: 1 / 0, budget=10)

    asyncio.run(main())


def test_a_runaway_job_is_given_up_and_its_worker_freed(pool: WorkerPool) -> None:
    flags: list[list[str]] = [[] for _ in range(5)]

    async def main() -> list[float]:
        times = []
        for flag in flags:  # more runaways than workers: each must free its worker
            started = time.monotonic()
            with pytest.raises(OutOfTime) as caught:
                await pool.run(lambda flag=flag: spin_forever(flag), budget=0.3)
            times.append(time.monotonic() - started)
            assert caught.value.budget == 0.3
        # the loop stays free meanwhile, and the pool still works afterwards
        assert await pool.run(lambda: "fine", budget=10) == "fine"
        return times

    times = asyncio.run(main())
    assert all(flag == ["started"] for flag in flags)
    assert pool.gave_up == 5
    assert max(times) < 10  # loose: the budget is 0.3 s
    deadline = time.monotonic() + 10
    while sum(t.name.startswith("test-worker") for t in threading.enumerate()) != 2:
        assert time.monotonic() < deadline, "a worker thread died"
        time.sleep(0.05)


def test_a_job_that_waited_past_its_budget_never_runs(pool: WorkerPool) -> None:
    ran: list[int] = []

    async def main() -> None:
        blockers = [
            asyncio.ensure_future(pool.run(lambda: time.sleep(0.5), budget=10)) for _ in range(2)
        ]
        await asyncio.sleep(0.05)  # both workers are sleeping now
        with pytest.raises(OutOfTime):
            await pool.run(lambda: ran.append(1), budget=0.1)
        await asyncio.gather(*blockers)
        await pool.run(lambda: None, budget=10)  # the queue has moved past it

    asyncio.run(main())
    assert ran == []


def test_the_event_loop_is_not_blocked(pool: WorkerPool) -> None:
    async def main() -> float:
        heavy = asyncio.ensure_future(pool.run(lambda: spin_forever([]), budget=2))
        started = time.monotonic()
        for _ in range(20):
            await asyncio.sleep(0.01)
        elapsed = time.monotonic() - started
        with pytest.raises(OutOfTime):
            await heavy
        return elapsed

    assert asyncio.run(main()) < 1.5  # loose: 0.2 s of sleeps, the runaway has 2 s


def test_throttled_logger_says_each_thing_once_per_interval(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [100.0]
    log = ThrottledLogger(logging.getLogger("test.throttle"), interval=10, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="test.throttle"):
        for _ in range(1000):
            log.warning("closed a slow connection after %g s", 5)
        log.warning("another kind")
        now[0] += 11
        log.warning("closed a slow connection after %g s", 5)
    assert [r.getMessage() for r in caplog.records] == [
        "closed a slow connection after 5 s",
        "another kind",
        "closed a slow connection after 5 s (and 999 more like it in the last 11 s)",
    ]
    assert log.level == logging.getLogger("test.throttle").level


def test_an_interrupt_in_a_weakref_callback_prints_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A worker given up may be running a weakref callback (or a __del__) when the
    interrupt lands: Python would print "Exception ignored" and a traceback."""
    import sys

    from explorer.mock._worker import _Interrupt, _quiet_interrupts

    _quiet_interrupts()
    _quiet_interrupts()  # once is enough: the hook is not stacked

    class Unraisable:
        exc_type = _Interrupt
        exc_value = _Interrupt()
        exc_traceback = None
        err_msg = "Exception ignored in"
        object = None

    sys.unraisablehook(Unraisable())  # type: ignore[arg-type]
    assert capsys.readouterr().err == ""
