"""How much each credential is used, kept locally: requests, errors, when it was last used,
and each day's count (against a daily quota such as ECOSIRE's 1,000 calls on the free
tier). No Qt; no secret: a credential is named "<api>/<environment>/<slot>".

    usage = Usage()                                # usage.json in the data folder
    usage.record("ECOSIRE API/production/apiKey", ok=True)
    usage.stats("ECOSIRE API/production/apiKey")   # UsageStats(requests=1, errors=0, ...)
    usage.save()
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from explorer.errors import StoreError
from explorer.store._files import data_dir, read_json_object, write_atomic

__all__ = ["DAYS_KEPT", "Usage", "UsageStats"]

DAYS_KEPT = 31
"""Daily counts older than this many days are dropped."""


@dataclass(frozen=True)
class UsageStats:
    """One credential's use."""

    requests: int = 0
    errors: int = 0
    last_used: float | None = None
    today: int = 0

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0


class Usage:
    """The usage file (see the module docstring)."""

    def __init__(self, path: Path | None = None, clock: Callable[[], float] = time.time) -> None:
        self.path = path or (data_dir() / "usage.json")
        self.clock = clock
        raw, self.problem = read_json_object(self.path, "usage")
        self._writable = raw is not None or not self.path.exists()
        items = raw.get("credentials") if isinstance(raw, dict) else None
        self._data: dict[str, dict[str, Any]] = (
            {str(k): v for k, v in items.items() if isinstance(v, dict)}
            if isinstance(items, dict)
            else {}
        )
        self._dirty = False

    def _day(self, when: float) -> str:
        return time.strftime("%Y-%m-%d", time.localtime(when))

    def record(self, credential: str, *, ok: bool) -> None:
        """Count one request sent with `credential` (`ok`: it did not answer an error)."""
        now = self.clock()
        item = self._data.setdefault(credential, {"requests": 0, "errors": 0, "days": {}})
        item["requests"] = int(item.get("requests", 0)) + 1
        if not ok:
            item["errors"] = int(item.get("errors", 0)) + 1
        item["last_used"] = now
        days = item.get("days")
        if not isinstance(days, dict):
            days = item["days"] = {}
        today = self._day(now)
        days[today] = int(days.get(today, 0)) + 1
        oldest = self._day(now - DAYS_KEPT * 86400)
        for day in [d for d in days if d < oldest]:
            del days[day]
        self._dirty = True

    def stats(self, credential: str) -> UsageStats:
        item = self._data.get(credential)
        if item is None:
            return UsageStats()
        days = item.get("days") if isinstance(item.get("days"), dict) else {}
        last = item.get("last_used")
        return UsageStats(
            requests=int(item.get("requests", 0)),
            errors=int(item.get("errors", 0)),
            last_used=float(last) if isinstance(last, int | float) else None,
            today=int(days.get(self._day(self.clock()), 0)) if days else 0,
        )

    def save(self) -> None:
        """Write if anything changed; raises StoreError."""
        if not self._dirty or not self._writable:
            return
        write_atomic(
            self.path, orjson.dumps({"credentials": self._data}, option=orjson.OPT_INDENT_2)
        )
        self._dirty = False

    def try_save(self) -> str:
        with contextlib.suppress(StoreError):
            self.save()
            return ""
        return f"could not save the usage counts to {self.path}"
