"""Logging that a hostile client cannot turn into a flood.

The same event repeated (a thousand slow connections closed, garbage requests, a server
bug hit in a loop) is logged once, then at most once per interval with a count of what
was left out:

    throttled = ThrottledLogger(logging.getLogger("uvicorn.error"))
    throttled.warning("Invalid HTTP request received.")   # logged
    throttled.warning("Invalid HTTP request received.")   # counted, logged later as
    # "Invalid HTTP request received. (and 999 more like it in the last 10 s)"
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["ThrottledLogger", "shorten"]

INTERVAL = 10.0
"""Seconds between two records of the same message."""
_MAX_KEYS = 256


def shorten(text: str, limit: int = 300) -> str:
    """`text` cut to `limit` characters (with "…"), for a log line or a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ThrottledLogger(logging.LoggerAdapter[logging.Logger]):
    """A logger (uvicorn's `self.logger` accepts it) that lets each distinct message
    through once per `interval` seconds, and says how many it held back."""

    def __init__(
        self,
        logger: logging.Logger,
        interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(logger, {})
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[tuple[int, str], tuple[float, int]] = {}  # -> (logged at, held back)

    @property
    def level(self) -> int:
        """The wrapped logger's level (uvicorn reads it)."""
        return self.logger.level

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        return msg, kwargs

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if not self.isEnabledFor(level):
            return
        key = (level, str(msg))
        now = self._clock()
        with self._lock:
            logged_at, held = self._seen.get(key, (-self.interval - 1, 0))
            if now - logged_at < self.interval:
                self._seen[key] = (logged_at, held + 1)
                return
            if len(self._seen) >= _MAX_KEYS:
                self._seen.clear()
            self._seen[key] = (now, 0)
        if held:
            msg = f"{msg} (and {held:,} more like it in the last {now - logged_at:.0f} s)"
        self.logger.log(level, msg, *args, **kwargs)
