"""One tracked asyncio task per purpose: starting a new one cancels the old one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

__all__ = ["TaskSlot", "current_loop"]

_log = logging.getLogger(__name__)


def current_loop() -> asyncio.AbstractEventLoop:
    """The running loop, else the loop set for this thread (qasync's, before it runs)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.get_event_loop_policy().get_event_loop()


class TaskSlot:
    """Holds at most one task; `start()` cancels the previous one.

    Exceptions other than cancellation are logged and passed to the loop's exception
    handler (the app shows them), never lost."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._task: asyncio.Task[Any] | None = None

    @property
    def task(self) -> asyncio.Task[Any] | None:
        """The task in the slot (None when empty or after it ended)."""
        return self._task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        self.cancel()
        task = current_loop().create_task(coro, name=self.name)
        task.add_done_callback(self._done)
        self._task = task
        return task

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def _done(self, task: asyncio.Task[Any]) -> None:
        if task is self._task:
            self._task = None
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            _log.error("%s failed", self.name, exc_info=exc)
            with contextlib.suppress(RuntimeError):
                task.get_loop().call_exception_handler(
                    {"message": f"{self.name} failed", "exception": exc, "task": task}
                )
