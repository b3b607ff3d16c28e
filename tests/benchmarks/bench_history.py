"""History benchmark (run on demand): python tests/benchmarks/bench_history.py [ROWS]

Fills a history file with ROWS (default 100,000) varied requests over 30 days, then times
what the History panel asks for: the first page of each search of the panel's syntax,
the next page, the count shown under the list, one entry whole, a delete; opening the
file (the quick check of a damaged file), the retention pass at the default limits
(5,000 entries, 30 days) and `History.record` as the send path sees it (the call
returns at once; the write happens on the history's thread).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))

from test_history_speed import SEARCHES, fill, timed

from explorer.store.history import PAGE, History, HistoryDatabase, HistoryEntry, parse_query


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    folder = Path(tempfile.mkdtemp(prefix="bench-history-"))
    path = folder / "history.sqlite3"
    db = HistoryDatabase(path, max_entries=0, max_days=0)
    took = fill(db, rows)
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    rate = rows / took
    print(
        f"insert {rows:,} rows (batches of 10,000): {took:.2f} s, {rate:,.0f} rows/s, {size:.0f} MB"
    )
    print(f"{'search':34} {'first page':>10} {'next page':>10} {'count':>10}  matches")
    for text in SEARCHES:
        query = parse_query(text)[0]
        firsts, nexts, counts = [], [], []
        for _ in range(5):
            took, page = timed(lambda q=query: db.search(q, limit=PAGE))
            firsts.append(took)
            if len(page) == PAGE:
                nexts.append(timed(lambda q=query, b=page[-1].id: db.search(q, before=b))[0])
            counts.append(timed(lambda q=query: db.count(q))[0])
        n = db.count(query)
        nxt = ms(statistics.median(nexts)) if nexts else "        —"
        print(
            f"{text or '(everything)':34} {ms(statistics.median(firsts))} {nxt} "
            f"{ms(statistics.median(counts))}  {n:,}"
        )
    print(f"one entry whole: {ms(timed(lambda: db.get(rows // 2))[0])}")
    print(f"delete one: {ms(timed(lambda: db.delete(rows // 3))[0])}")
    db.close()
    reopened = HistoryDatabase(path, max_entries=0, max_days=0)
    print(f"open (WAL, quick check) and count: {ms(timed(reopened.count)[0])}")
    reopened.max_entries, reopened.max_days = 5000, 30
    pruned = ms(timed(reopened.prune)[0])
    print(f"retention pass to 5,000 entries: {pruned}, left {reopened.count():,}")
    reopened.close()

    async def record() -> None:
        history = History(path)
        sample = HistoryEntry(time=time.time(), method="GET", url="http://h/x", status=200)
        await history.flush()  # the file is open and the thread started
        calls = []
        for _ in range(1000):
            started = time.perf_counter()
            history.record(sample)
            calls.append(time.perf_counter() - started)
        started = time.perf_counter()
        await history.flush()
        written = time.perf_counter() - started
        calls.sort()
        p50, top = calls[500] * 1e6, calls[-1] * 1e6
        print(
            f"History.record on the loop: p50 {p50:.0f} µs, max {top:.0f} µs"
            f" (1,000 calls; their writes finished {written * 1000:.0f} ms later)"
        )
        await history.aclose()

    asyncio.run(record())


if __name__ == "__main__":
    main()
