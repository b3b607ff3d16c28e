"""Worker threads with a time budget: where the mock does its heavy work.

Parsing and validating a body, and making an answer from a schema, can take long on a
hostile request (a 10 MB body against `uniqueItems`, a schema whose parts multiply). Run
on the event loop, one such request would stall every other client; so each request's
work runs here, and the loop only awaits it:

    pool = WorkerPool(workers=4)
    reply = await pool.run(lambda: answer(request), budget=5.0)   # or raises OutOfTime

A job that runs past its budget is given up: the caller gets `OutOfTime` at once, and the
worker thread is interrupted (an asynchronous exception, delivered at the next Python
bytecode), so that pure-Python work such as jsonschema stops instead of burning a worker
forever. Work inside a single C call (a regex match, `json.loads`) finishes first; such
calls are bounded elsewhere (pattern timeouts, body size caps).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import queue
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = ["OutOfTime", "WorkerPool"]

T = TypeVar("T")


class OutOfTime(Exception):
    """A job ran past its budget (its worker was interrupted)."""

    def __init__(self, budget: float) -> None:
        super().__init__(f"gave up after {budget:g} s")
        self.budget = budget


class _Interrupt(BaseException):
    """Raised inside a worker whose job was given up. A BaseException, so that the
    `except Exception` nets of the code it interrupts (validate() has one) let it pass."""


def _quiet_interrupts() -> None:
    """An interrupt can land while the worker runs a weakref callback or a `__del__`,
    where Python prints it as "Exception ignored" with a traceback: that is the job being
    given up, as meant, not an error; other unraisable exceptions are printed as before."""
    previous = sys.unraisablehook
    if getattr(previous, "_explorer_quiet", False):
        return

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, _Interrupt):
            previous(unraisable)

    hook._explorer_quiet = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    """Deliver `exc` in another thread at its next bytecode (None: cancel a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


@dataclass(eq=False)
class _Job:
    fn: Callable[[], Any]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    lock: threading.Lock = field(default_factory=threading.Lock)
    state: str = "queued"  # queued -> running -> done, or -> abandoned
    thread: int = 0
    interrupted: bool = False


class _Expired(Exception):
    """The budget of a job ran out (set on its future by the timer)."""


def _expire(future: asyncio.Future[Any]) -> None:
    if not future.done():
        future.set_exception(_Expired())


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


class WorkerPool:
    """A fixed number of daemon threads that run jobs for the event loop, each job within
    a budget. Threads start on first use; `close()` lets them finish and end."""

    def __init__(self, workers: int = 4, name: str = "mock-worker") -> None:
        self.workers = max(1, workers)
        self._name = name
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self.gave_up = 0  # jobs that ran past their budget
        self.ran = 0  # jobs handed to the workers

    async def run(self, fn: Callable[[], T], budget: float) -> T:
        """The result of `fn()` run in a worker; its exception if it raises one; or
        `OutOfTime` when it has not finished `budget` seconds after it was queued."""
        self._start()
        loop = asyncio.get_running_loop()
        job = _Job(fn, loop, loop.create_future())
        self.ran += 1
        timer = loop.call_later(budget, _expire, job.future)  # lighter than wait_for
        self._queue.put(job)
        try:
            result: T = await job.future
        except _Expired:
            self._give_up(job)
            raise OutOfTime(budget) from None
        except asyncio.CancelledError:
            self._give_up(job)
            raise
        finally:
            timer.cancel()
        return result

    def close(self) -> None:
        """Let the threads end once their current job is done (jobs queued later wait)."""
        with self._lock:
            for _ in self._threads:
                self._queue.put(None)
            self._threads = []

    def _start(self) -> None:
        if self._threads:
            return
        _quiet_interrupts()
        with self._lock:
            while len(self._threads) < self.workers:
                thread = threading.Thread(
                    target=self._serve, name=f"{self._name}-{len(self._threads)}", daemon=True
                )
                thread.start()
                self._threads.append(thread)

    def _give_up(self, job: _Job) -> None:
        with job.lock:
            if job.state == "running":
                job.interrupted = True
                self.gave_up += 1
                _raise_in(job.thread, _Interrupt)
            job.state = "abandoned"

    def _serve(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._run(job)

    def _run(self, job: _Job) -> None:
        """Run one job. An interruption meant for it is always consumed here (caught, or
        cancelled while still pending), so none can escape into the next job."""
        seen = False
        try:
            self._attempt(job)
        except _Interrupt:
            seen = True
        if job.interrupted and not seen:
            # not contextlib.suppress: its __enter__ is Python code the interruption could hit
            try:  # noqa: SIM105
                _raise_in(threading.get_ident(), None)  # cancel it if still pending
            except _Interrupt:
                pass

    @staticmethod
    def _attempt(job: _Job) -> None:
        with job.lock:
            if job.state != "queued":
                return
            job.state = "running"
            job.thread = threading.get_ident()
        ok = True
        try:
            value = job.fn()
        except _Interrupt:
            raise
        except Exception as exc:  # the caller re-raises it
            ok, value = False, exc
        except BaseException as exc:  # not for the loop to stop on
            ok, value = False, RuntimeError(f"the work ended with {exc!r}")
        with job.lock:
            if job.state != "running":
                return  # given up: nobody waits for the result
            job.state = "done"
        with contextlib.suppress(RuntimeError):  # the loop was closed meanwhile
            job.loop.call_soon_threadsafe(_settle, job.future, ok, value)
