"""100,000 requests in the history, and a search is still answered at once: the first
page of any search, the next page, an entry, and a count. Bounds are loose (what only a
missing index or a scan per row would exceed); tests/benchmarks/bench_history.py prints
the figures."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from explorer.store.history import PAGE, HistoryDatabase, HistoryEntry, parse_query

ROWS = 100_000
METHODS = ("GET", "GET", "GET", "POST", "PUT", "PATCH", "DELETE")
STATUSES = (200, 200, 200, 200, 201, 204, 301, 400, 401, 404, 404, 422, 429, 500, 503)
PATHS = ("contacts", "invoices", "products", "orders", "licenses", "webhooks", "auth/login")
SEARCHES = (
    "",
    "contacts",
    "invoices/4242",
    "no-such-word-anywhere",
    "status:500",
    "4xx",
    "method:DELETE",
    "method:POST 5xx orders",
    "since:7d",
    "since:20d until:10d contacts",
    "failed",
)


def fill(db: HistoryDatabase, rows: int = ROWS, now: float | None = None) -> float:
    """Insert `rows` varied entries spread over 30 days; returns the seconds it took."""
    rng = random.Random(7)
    end = time.time() if now is None else now
    start = end - 29 * 86400
    started = time.perf_counter()
    batch: list[HistoryEntry] = []
    for i in range(rows):
        status = rng.choice(STATUSES) if rng.random() > 0.01 else None
        path = rng.choice(PATHS)
        batch.append(
            HistoryEntry(
                time=start + (end - start) * i / rows,
                method=rng.choice(METHODS),
                url=f"http://127.0.0.1:5000/api/{path}/{rng.randrange(10_000)}?page={i % 7}",
                op_key=f"GET /{path}",
                environment="development",
                status=status,
                reason="OK" if status == 200 else "",
                failure="" if status is not None else "refused",
                elapsed=rng.random(),
                size=rng.randrange(100_000),
                content_type="application/json",
                body_start='{"items": [' + '{"id": "c_1", "name": "Ada"}, ' * 10 + "]}",
                state={"method": "GET", "query": [[True, "page", str(i % 7)]]},
                request={"headers": [["Accept", "application/json"]], "secrets": []},
            )
        )
        if len(batch) == 10_000:
            db.add_many(batch)
            batch = []
    if batch:
        db.add_many(batch)
    return time.perf_counter() - started


T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[float, T]:
    """(seconds `work` took, what it returned)."""
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def test_a_search_in_100_000_requests_is_answered_at_once(tmp_path: Path) -> None:
    db = HistoryDatabase(tmp_path / "history.sqlite3", max_entries=0, max_days=0)
    fill(db)
    assert db.count() == ROWS
    worst = 0.0
    for text in SEARCHES:
        query, problems = parse_query(text)
        assert problems == []
        took, page = timed(lambda q=query: db.search(q, limit=PAGE))
        worst = max(worst, took)
        ids = [e.id for e in page]
        assert ids == sorted(ids, reverse=True), text
        if page and len(page) == PAGE:
            worst = max(worst, timed(lambda q=query, b=ids[-1]: db.search(q, before=b))[0])
        worst = max(worst, timed(lambda q=query: db.count(q))[0])
        if text == "no-such-word-anywhere":
            assert page == []
        elif text == "status:500":
            assert page and {e.status for e in page} == {500}
    worst = max(worst, timed(lambda: db.get(ROWS // 2))[0])
    # a full scan of 100,000 rows takes ~0.1 s here; a freeze would take many seconds
    assert worst < 3.0, worst
    db.close()
