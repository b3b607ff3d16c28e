"""The history file: search by each criterion, newest first, in pages; retention by count
and by age; delete and clear; a damaged file moved aside; a locked one is a message."""

from __future__ import annotations

import asyncio
import datetime
import sqlite3
import time
from pathlib import Path

import pytest

from explorer.errors import StoreError
from explorer.store.history import (
    PRUNE_EVERY,
    History,
    HistoryDatabase,
    HistoryEntry,
    HistoryQuery,
    parse_query,
)

DAY = 86400.0
NOW = datetime.datetime(2026, 11, 5, 15, 0).timestamp()


def entry(
    url: str = "http://127.0.0.1:5000/api/contacts",
    *,
    method: str = "GET",
    status: int | None = 200,
    at: float = NOW,
    **more: object,
) -> HistoryEntry:
    return HistoryEntry(
        time=at,
        method=method,
        url=url,
        status=status,
        failure="" if status is not None else "refused",
        **more,  # type: ignore[arg-type]
    )


@pytest.fixture
def db(tmp_path: Path) -> HistoryDatabase:
    store = HistoryDatabase(tmp_path / "history.sqlite3", max_days=0, clock=lambda: NOW)
    yield store  # type: ignore[misc]
    store.close()


def search(db: HistoryDatabase, text: str) -> list[str]:
    query, problems = parse_query(text, now=NOW)
    assert problems == []
    return [e.url.rsplit("/", 1)[-1] for e in db.search(query)]


def test_search_by_words_method_status_class_failure_and_dates(db: HistoryDatabase) -> None:
    base = "http://127.0.0.1:5000/api/"
    db.add_many(
        [
            entry(base + "a-contacts", status=200, at=NOW - 3 * DAY),
            entry(base + "b-contacts", method="POST", status=201, at=NOW - 2 * DAY),
            entry(base + "c-invoices", status=404, at=NOW - DAY),
            entry(base + "d-invoices", method="DELETE", status=500, at=NOW - 60),
            entry(base + "e-Contacts%20x", status=None, at=NOW),
        ]
    )
    newest_first = ["e-Contacts%20x", "d-invoices", "c-invoices", "b-contacts", "a-contacts"]
    assert search(db, "") == newest_first
    assert search(db, "contacts") == ["e-Contacts%20x", "b-contacts", "a-contacts"]  # any case
    assert search(db, "api contacts 127") == ["e-Contacts%20x", "b-contacts", "a-contacts"]
    assert search(db, "%20") == ["e-Contacts%20x"]  # LIKE's wildcards are literal text
    assert search(db, "_") == []
    assert search(db, "method:POST") == ["b-contacts"]
    assert search(db, "method:post,delete") == ["d-invoices", "b-contacts"]
    assert search(db, "status:404") == ["c-invoices"]
    assert search(db, "404") == []  # a bare number is a word of the URL
    assert search(db, "status:201,500") == ["d-invoices", "b-contacts"]
    assert search(db, "2xx") == ["b-contacts", "a-contacts"]
    assert search(db, "status:4xx,5xx") == ["d-invoices", "c-invoices"]
    assert search(db, "failed") == ["e-Contacts%20x"]
    assert search(db, "status:failed 2xx") == ["e-Contacts%20x", "b-contacts", "a-contacts"]
    assert search(db, "since:today") == ["e-Contacts%20x", "d-invoices"]
    assert search(db, "since:2026-11-03") == [
        "e-Contacts%20x",
        "d-invoices",
        "c-invoices",
        "b-contacts",
    ]
    assert search(db, "until:2026-11-03") == ["b-contacts", "a-contacts"]
    assert search(db, "on:yesterday") == ["c-invoices"]
    assert search(db, "since:2d until:yesterday") == ["c-invoices", "b-contacts"]
    assert search(db, "invoices since:today 5xx method:DELETE") == ["d-invoices"]
    assert db.count(parse_query("contacts", now=NOW)[0]) == 3


def test_words_that_cannot_be_read_are_named_and_left_out() -> None:
    query, problems = parse_query("contacts status:4x since:tomorrowish method:GE-T", now=NOW)
    assert query == HistoryQuery(words=("contacts",))
    assert [p.split(":")[0] for p in problems] == ["status", "since", "method"]
    assert "2026-11-01" in problems[1]


def test_pages_are_newest_first_and_continue_where_the_last_ended(db: HistoryDatabase) -> None:
    db.add_many([entry(f"http://h/{i}", at=NOW + i) for i in range(25)])
    seen: list[str] = []
    before = None
    while True:
        page = db.search(limit=10, before=before)
        if not page:
            break
        seen += [e.url for e in page]
        before = page[-1].id
    assert seen == [f"http://h/{i}" for i in reversed(range(25))]
    # a page of a filtered search continues the same search
    odd = db.search(HistoryQuery(words=("1",)), limit=3)
    rest = db.search(HistoryQuery(words=("1",)), before=odd[-1].id)
    assert [e.url for e in odd + rest] == [
        f"http://h/{i}" for i in (21, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 1)
    ]


def test_search_gives_summaries_and_get_gives_the_whole_entry(db: HistoryDatabase) -> None:
    state = {"method": "POST", "headers": [[True, "X-Trace", "t1"]]}
    request = {
        "headers": [["Content-Type", "application/json"], ["Authorization", "Bearer ${TOKEN}"]],
        "content": '{"a": 1}',
        "secrets": [["${TOKEN}", "TOKEN"]],
    }
    stored = db.add(
        entry(
            "http://h/contacts?x=1",
            method="POST",
            op_key="POST /contacts",
            environment="development",
            body_start='{"id": "c_1"}',
            state=state,
            request=request,
            content_type="application/json",
            size=13,
            elapsed=0.042,
        )
    )
    (summary,) = db.search()
    assert summary.id == stored.id and not summary.full
    assert summary.state is None and summary.request is None and summary.body_start == ""
    assert (summary.op_key, summary.environment, summary.size) == (
        "POST /contacts",
        "development",
        13,
    )
    whole = db.get(stored.id)
    assert whole is not None and whole.full
    assert whole == stored
    prepared = whole.prepared()
    assert prepared.method == "POST" and prepared.url == "http://h/contacts?x=1"
    assert prepared.content == b'{"a": 1}'
    assert prepared.secrets == (("${TOKEN}", "TOKEN"),)
    assert db.get(stored.id + 1000) is None


def test_retention_by_count_runs_in_batches_on_insert(tmp_path: Path) -> None:
    db = HistoryDatabase(tmp_path / "h.sqlite3", max_entries=10, max_days=0)
    high = 0
    for i in range(3 * PRUNE_EVERY + 7):
        db.add(entry(f"http://h/{i}", at=NOW + i))
        high = max(high, db.count())
    # never more than the limit and one batch
    assert 10 < high <= 10 + PRUNE_EVERY
    db.prune()
    assert [e.url for e in db.search()] == [f"http://h/{i}" for i in reversed(range(72, 82))]
    db.close()


def test_retention_by_age_on_insert_and_when_opened(tmp_path: Path) -> None:
    clock = [NOW]
    path = tmp_path / "h.sqlite3"
    db = HistoryDatabase(path, max_days=30, clock=lambda: clock[0])
    db.add_many([entry("http://h/old", at=NOW - 31 * DAY), entry("http://h/new", at=NOW - DAY)])
    assert db.count() == 2  # not pruned yet: the batch has not come round
    db.close()
    reopened = HistoryDatabase(path, max_days=30, clock=lambda: clock[0])
    assert [e.url for e in reopened.search()] == ["http://h/new"]  # pruned when opened
    clock[0] = NOW + 30 * DAY
    for i in range(PRUNE_EVERY):
        reopened.add(entry(f"http://h/{i}", at=clock[0]))
    assert "http://h/new" not in [e.url for e in reopened.search(limit=100)]
    assert reopened.count() == PRUNE_EVERY
    reopened.close()


def test_delete_one_and_clear_all_leave_nothing_of_them_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    db = HistoryDatabase(path)
    marker = "unique-marker-7d1f3c"
    first = db.add(entry(f"http://h/{marker}-first"))
    db.add_many([entry(f"http://h/{marker}-{i}", body_start=marker * 50) for i in range(50)])
    assert db.delete(first.id) and not db.delete(first.id)
    assert db.get(first.id) is None
    assert db.count() == 50
    db.clear()
    assert db.count() == 0 and db.search() == []
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("h.sqlite3"))
    assert marker.encode() not in raw
    db.add(entry("http://h/after"))  # the file goes on working
    assert [e.url for e in db.search()] == ["http://h/after"]
    db.close()


def test_a_file_that_is_not_a_database_is_moved_aside_and_a_new_one_started(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    junk = b"this is not a database, it is a note someone saved here\n" * 100
    path.write_bytes(junk)
    db = HistoryDatabase(path)
    db.add(entry("http://h/1"))
    assert [e.url for e in db.search()] == ["http://h/1"]
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == junk
    assert aside[0].name.startswith("history.damaged-") and aside[0].suffix == ".sqlite3"
    assert db.notices == [
        f"The history file was damaged; it was kept as {aside[0].name} and a new one started."
    ]
    db.close()


def test_a_corrupt_database_is_moved_aside_too(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    db = HistoryDatabase(path)
    db.add_many([entry(f"http://h/{i}", body_start="x" * 3000) for i in range(200)])
    db.close()
    # checkpointed into the main file; then pages in the middle are overwritten
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    assert len(data) > 40 * 4096
    data[8 * 4096 : 30 * 4096] = b"\xa5" * (22 * 4096)
    path.write_bytes(bytes(data))
    fresh = HistoryDatabase(path)
    assert fresh.count() == 0
    fresh.add(entry("http://h/new"))
    assert fresh.count() == 1
    assert len(fresh.notices) == 1 and "damaged" in fresh.notices[0]
    assert any(".damaged-" in p.name for p in tmp_path.iterdir())
    fresh.close()


def test_a_locked_file_is_a_message_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    db = HistoryDatabase(path, busy_timeout=0.1)
    db.add(entry("http://h/1"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another explorer in the middle of a write
    try:
        with pytest.raises(StoreError, match="in use by another program"):
            db.add(entry("http://h/2"))
        # the async front turns it into a notice, once; an awaited call raises
        history = History(path, busy_timeout=0.1)
        said: list[str] = []
        history.listen(said.append)

        async def scenario() -> None:
            history.record(entry("http://h/3"))
            history.record(entry("http://h/4"))
            await history.flush()
            await asyncio.sleep(0.05)  # the outcome comes back through the loop
            with pytest.raises(StoreError, match="in use by another program"):
                await history.delete(1)
            await history.aclose()

        asyncio.run(scenario())
        assert len(said) == 1 and "in use by another program" in said[0]
        assert said[0].startswith("History: ")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [e.url for e in db.search()] == ["http://h/1"]
    db.close()


def test_record_returns_at_once_and_listeners_hear_on_the_loop(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    heard: list[int] = []
    history.listeners.append(lambda: heard.append(1))

    async def scenario() -> None:
        started = time.perf_counter()
        for i in range(20):
            history.record(entry(f"http://h/{i}"))
        assert time.perf_counter() - started < 0.5  # a queue, not 20 writes
        await history.flush()
        await asyncio.sleep(0.05)
        assert await history.count() == 20
        page = await history.search(HistoryQuery(words=("h/1",)))
        assert [e.url for e in page][:2] == ["http://h/19", "http://h/18"]
        whole = await history.get(page[0].id)
        assert whole is not None and whole.full
        assert await history.delete(page[0].id)
        await history.clear()
        assert await history.count() == 0
        await history.aclose()
        assert history.record(entry()) is None  # closed: nothing is queued

    asyncio.run(scenario())
    assert len(heard) == 20 + 2  # each record, the delete, the clear
    assert history.recorded == 20
