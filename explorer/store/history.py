"""Every request sent, kept in SQLite in the user's data folder. No Qt here.

What goes in is already redacted (`explorer.workbench.history.entry_for`): no secret is
ever handed to this module. What it keeps per request: when, method, URL, endpoint,
environment, status (or how the network failed), time taken, size, content type, the
start of the body (text only), and enough of the request to reopen it (the editor's
state) or copy it as curl (the request as sent, secrets as `${NAME}`).

    db = HistoryDatabase(path)                   # sync: one thread at a time
    db.add(entry); db.search(parse_query("status:4xx since:2026-11-01 contacts")[0])
    history = History()                          # async: a writer thread, never the loop
    history.record(entry)                        # returns at once
    page = await history.search(query, limit=200, before=last_id)

The file is `data_dir()/history.sqlite3` in WAL mode (readers never wait for the writer;
two explorers may share it). Retention: at most `max_entries` rows and none older than
`max_days`, enforced on insert every `PRUNE_EVERY` inserts (one DELETE each). A file that
is not a database (or is corrupt) is moved aside as `history.damaged-<time>.sqlite3` with
a message and a new one is started; a file another program holds locked gives a message
and the request is not recorded, never an exception in the window.

Search (`parse_query`), newest first, in pages (keyset: `before` the last id shown):

    contacts api          words the URL contains (all of them, any case)
    status:404            exact status (status:200,201 for either)
    4xx  status:5xx       a class of statuses; status:failed (or `failed`): no answer
    method:POST           methods (comma separated: method:GET,POST)
    since:2026-11-01      on or after a day (local time); also today, yesterday, 7d
    until:2026-11-03      up to the end of a day; on:2026-11-02 that day only
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from explorer.errors import Location, StoreError
from explorer.store._files import damaged_name, data_dir

if TYPE_CHECKING:  # the HTTP model loads with the first send, not at start-up
    import sqlite3

    from explorer.http.model import PreparedRequest

__all__ = [
    "MAX_DAYS",
    "MAX_ENTRIES",
    "PAGE",
    "PRUNE_EVERY",
    "QUERY_HELP",
    "History",
    "HistoryDatabase",
    "HistoryEntry",
    "HistoryQuery",
    "parse_query",
]

MAX_ENTRIES = 5000
"""How many requests the history keeps by default (the setting history.max_entries)."""
MAX_DAYS = 30
"""How many days the history keeps a request by default (history.max_days)."""
PRUNE_EVERY = 25
"""Retention runs on every this many inserts (and when the file is opened)."""
PAGE = 200
"""Entries per page of a search."""
SCHEMA_VERSION = 1

QUERY_HELP = (
    "Search the history:\n"
    "  contacts api — words the URL contains\n"
    "  status:404 — that status;  4xx, 5xx — a class;  failed — no answer\n"
    "  method:POST (or method:GET,POST)\n"
    "  since:2026-11-01  until:2026-11-03  on:2026-11-02  (also today, yesterday, 7d)"
)
"""The search syntax in a few lines (the panel's tooltip)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    time REAL NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    op_key TEXT,
    environment TEXT NOT NULL DEFAULT '',
    status INTEGER,
    reason TEXT NOT NULL DEFAULT '',
    failure TEXT NOT NULL DEFAULT '',
    elapsed REAL NOT NULL DEFAULT 0,
    size INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    body_start TEXT NOT NULL DEFAULT '',
    request BLOB
);
CREATE INDEX IF NOT EXISTS entries_time ON entries(time);
CREATE INDEX IF NOT EXISTS entries_status ON entries(status, id);
CREATE INDEX IF NOT EXISTS entries_method ON entries(method, id);
"""
_SUMMARY = (
    "id, time, method, url, op_key, environment, status, reason, failure, elapsed, size, "
    "content_type"
)
_FULL = _SUMMARY + ", body_start, request"
# SQLite's primary result codes (exc.sqlite_errorcode & 0xFF)
_BUSY, _LOCKED, _CORRUPT, _NOTADB = 5, 6, 11, 26

T = TypeVar("T")


@dataclass(frozen=True)
class HistoryEntry:
    """One request sent and what came of it. A search gives entries without `body_start`,
    `state` and `request` (`full` False); `get` gives them whole."""

    time: float
    """When the answer (or the failure) came, in Unix seconds."""
    method: str
    url: str
    """The URL as sent, secrets as `${NAME}`."""
    op_key: str | None = None
    """The endpoint ("GET /contacts"); None for an ad-hoc request."""
    environment: str = ""
    status: int | None = None
    """The status; None when no answer came (`failure` says why)."""
    reason: str = ""
    """The reason phrase, or the sentence that says how the network failed."""
    failure: str = ""
    """How the network failed (NetworkFailure.kind: refused, dns, timeout, ...)."""
    elapsed: float = 0.0
    """Seconds the exchange took."""
    size: int = 0
    """Bytes of the response body."""
    content_type: str = ""
    body_start: str = ""
    """The start of the response body as text (empty for binary bodies); server text."""
    state: dict[str, Any] | None = None
    """The editor's state as sent (redacted, as drafts keep it): reopens it in a tab."""
    request: dict[str, Any] | None = None
    """The request as sent (redacted): headers, body text, form, files and the
    `${NAME}` placeholders of its secrets (see `prepared`)."""
    id: int = 0
    """The row's id (0 until it is stored); newer entries have larger ids."""
    full: bool = True

    @property
    def failed(self) -> bool:
        """No answer came (refused, timed out, ...)."""
        return self.status is None

    def prepared(self) -> PreparedRequest:
        """The request as sent, for the snippet generators: its secrets are `${NAME}`
        placeholders listed in `secrets`, so a snippet reads them from the environment."""
        from explorer.http.model import PreparedRequest

        data = self.request or {}
        content = data.get("content")

        def pairs(key: str) -> tuple[tuple[str, str], ...]:
            items = data.get(key)
            if not isinstance(items, list):
                return ()
            return tuple(
                (str(i[0]), str(i[1])) for i in items if isinstance(i, list) and len(i) >= 2
            )

        files = data.get("files")
        return PreparedRequest(
            method=self.method,
            url=self.url,
            headers=pairs("headers"),
            content=content.encode("utf-8") if isinstance(content, str) else None,
            form=pairs("form"),
            files=tuple(
                (str(f[0]), str(f[1]), str(f[2]))
                for f in (files if isinstance(files, list) else [])
                if isinstance(f, list) and len(f) >= 3
            ),
            secrets=pairs("secrets"),
        )


@dataclass(frozen=True)
class HistoryQuery:
    """What a search asks for (see the module docstring); empty fields do not filter."""

    words: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    statuses: tuple[int, ...] = ()
    classes: tuple[int, ...] = ()
    """Status classes by their first digit (4 for 4xx)."""
    failed: bool = False
    """Also (or only, with no status asked for) the requests that got no answer."""
    since: float | None = None
    until: float | None = None
    """A Unix time range: since <= time < until."""


_STATUS = re.compile(r"^[1-5]\d\d$")
_CLASS = re.compile(r"^([1-5])xx$", re.IGNORECASE)
_RELATIVE = re.compile(r"^(\d{1,4})d$", re.IGNORECASE)
_METHOD = re.compile(r"^[A-Za-z]{1,20}$")


def _day_start(day: datetime.date) -> float:
    return datetime.datetime.combine(day, datetime.time()).timestamp()


def _parse_day(text: str, today: datetime.date) -> datetime.date | None:
    low = text.lower()
    if low == "today":
        return today
    if low == "yesterday":
        return today - datetime.timedelta(days=1)
    relative = _RELATIVE.match(low)
    if relative:
        return today - datetime.timedelta(days=int(relative.group(1)))
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def parse_query(text: str, now: float | None = None) -> tuple[HistoryQuery, list[str]]:
    """The search a text asks for, and a sentence per word that could not be read (that
    word is then left out of the search)."""
    today = datetime.date.fromtimestamp(time.time() if now is None else now)
    words: list[str] = []
    methods: list[str] = []
    statuses: list[int] = []
    classes: list[int] = []
    failed = False
    since: float | None = None
    until: float | None = None
    problems: list[str] = []
    for word in text.split():
        key, colon, value = word.partition(":")
        key = key.lower() if colon else ""
        if key == "method":
            items = [m for m in value.split(",") if m]
            if items and all(_METHOD.match(m) for m in items):
                methods.extend(m.upper() for m in items)
            else:
                problems.append(f"{word}: a method is a word, like method:POST")
        elif key == "status" or (not colon and _CLASS.match(word)):
            for item in (value if colon else word).split(","):
                cls = _CLASS.match(item)
                if _STATUS.match(item):
                    statuses.append(int(item))
                elif cls:
                    classes.append(int(cls.group(1)))
                elif item.lower() in ("failed", "none", "0"):
                    failed = True
                else:
                    problems.append(f"{word}: a status is like 404, 4xx or failed")
        elif not colon and word.lower() == "failed":
            failed = True
        elif key in ("since", "until", "on"):
            day = _parse_day(value, today)
            if day is None:
                problems.append(f"{word}: a day is like 2026-11-01, today, yesterday or 7d")
                continue
            start, end = _day_start(day), _day_start(day + datetime.timedelta(days=1))
            if key in ("since", "on"):
                since = start
            if key in ("until", "on"):
                until = end
        else:
            words.append(word)
    query = HistoryQuery(
        words=tuple(words),
        methods=tuple(dict.fromkeys(methods)),
        statuses=tuple(statuses),
        classes=tuple(classes),
        failed=failed,
        since=since,
        until=until,
    )
    return query, problems


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(query: HistoryQuery, before: int | None) -> tuple[str, list[Any]]:
    """The WHERE clause (with its parameters) of a search."""
    clauses: list[str] = []
    args: list[Any] = []
    for word in query.words:
        clauses.append("url LIKE ? ESCAPE '\\'")
        args.append(_like(word))
    if query.methods:
        clauses.append(f"method IN ({','.join('?' * len(query.methods))})")
        args.extend(query.methods)
    status: list[str] = []
    if query.statuses:
        status.append(f"status IN ({','.join('?' * len(query.statuses))})")
        args.extend(query.statuses)
    for cls in query.classes:
        # `+status`: a class is a big share of the rows; walking the newest first and
        # keeping what matches beats sorting all of a class by id (80 ms at 100,000 rows)
        status.append("+status BETWEEN ? AND ?")
        args.extend((cls * 100, cls * 100 + 99))
    if query.failed:
        status.append("status IS NULL")
    if status:
        clauses.append("(" + " OR ".join(status) + ")")
    if query.since is not None:
        clauses.append("time >= ?")
        args.append(query.since)
    if query.until is not None:
        clauses.append("time < ?")
        args.append(query.until)
    if before is not None:
        clauses.append("id < ?")
        args.append(before)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def _row_entry(row: Sequence[Any], full: bool) -> HistoryEntry:
    state: dict[str, Any] | None = None
    request: dict[str, Any] | None = None
    body_start = ""
    if full:
        body_start = str(row[12] or "")
        try:
            blob = orjson.loads(row[13]) if row[13] else {}
        except orjson.JSONDecodeError:
            blob = {}
        if isinstance(blob, dict):
            state = blob.get("state") if isinstance(blob.get("state"), dict) else None
            request = blob.get("request") if isinstance(blob.get("request"), dict) else None
    return HistoryEntry(
        id=int(row[0]),
        time=float(row[1]),
        method=str(row[2]),
        url=str(row[3]),
        op_key=row[4],
        environment=str(row[5] or ""),
        status=None if row[6] is None else int(row[6]),
        reason=str(row[7] or ""),
        failure=str(row[8] or ""),
        elapsed=float(row[9] or 0.0),
        size=int(row[10] or 0),
        content_type=str(row[11] or ""),
        body_start=body_start,
        state=state,
        request=request,
        full=full,
    )


def _values(entry: HistoryEntry) -> tuple[Any, ...]:
    blob = orjson.dumps({"state": entry.state, "request": entry.request})
    return (
        entry.time, entry.method, entry.url, entry.op_key, entry.environment, entry.status,
        entry.reason, entry.failure, entry.elapsed, entry.size, entry.content_type,
        entry.body_start, blob,
    )  # fmt: skip


class HistoryDatabase:
    """The history file, used from one thread at a time (see the module docstring).

    Every method raises `StoreError` with a sentence for the user when the file cannot be
    used (locked by another program, unwritable); a damaged file is moved aside, a new one
    started and `notices` gets the sentence that says so."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        max_entries: int = MAX_ENTRIES,
        max_days: int = MAX_DAYS,
        busy_timeout: float = 2.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path or (data_dir() / "history.sqlite3")
        self.max_entries = max_entries
        """At most this many rows are kept (0 or less: no limit)."""
        self.max_days = max_days
        """Rows older than this many days are dropped (0 or less: no limit)."""
        self.busy_timeout = busy_timeout
        self.clock = clock
        self.notices: list[str] = []
        """Sentences for the user (a damaged file moved aside), taken by whoever shows them."""
        self._conn: sqlite3.Connection | None = None
        self._inserts = 0

    # -- the file -------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        """The open connection (the file opened, checked and set up on first use)."""
        if self._conn is not None:
            return self._conn
        import sqlite3

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"could not make the folder for the history: {exc.strerror}",
                Location(str(self.path.parent)),
            ) from None
        for attempt in range(2):
            conn = sqlite3.connect(
                self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
            )
            try:
                self._set_up(conn)
            except sqlite3.DatabaseError as exc:
                conn.close()
                if attempt == 0 and _damaged(exc):
                    self._move_aside()
                    continue
                raise self._error(exc) from None
            self._conn = conn
            break
        assert self._conn is not None
        self.prune()
        return self._conn

    def _set_up(self, conn: sqlite3.Connection) -> None:
        """WAL, the schema, and a quick check that the file is whole (raises
        sqlite3.DatabaseError when it is not a database or is corrupt)."""
        import sqlite3

        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # before the first table
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError("database is locked")  # another has it in rollback
        conn.execute("PRAGMA synchronous = NORMAL")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({check})")
        if version == 0:
            conn.executescript(_SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")

    def _move_aside(self) -> None:
        """Keep a damaged file (and its WAL) under another name, so a new one can start."""
        aside = damaged_name(self.path)
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            raise StoreError(
                f"the history file is damaged and could not be moved aside: {exc.strerror}",
                Location(str(self.path)),
            ) from None
        for suffix in ("-wal", "-shm"):
            extra = Path(f"{self.path}{suffix}")
            with contextlib.suppress(OSError):
                if suffix == "-wal" and extra.exists():
                    os.replace(extra, Path(f"{aside}{suffix}"))
                else:
                    extra.unlink(missing_ok=True)
        self.notices.append(
            f"The history file was damaged; it was kept as {aside.name} and a new one started."
        )

    def _error(self, exc: Exception) -> StoreError:
        """A sentence for the user about a database error."""
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        where = Location(str(self.path))
        if code in (_BUSY, _LOCKED) or "locked" in str(exc):
            return StoreError(
                "the history is in use by another program (another explorer?); "
                "this was not recorded",
                where,
            )
        return StoreError(f"the history could not be used: {exc}", where)

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` on the connection; a file found damaged now is moved aside once and
        `work` runs on a new one."""
        import sqlite3

        for attempt in range(2):
            conn = self._connection()
            try:
                return work(conn)
            except sqlite3.DatabaseError as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if attempt == 0 and _damaged(exc):
                    self.close()
                    self._move_aside()
                    continue
                raise self._error(exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            with contextlib.suppress(Exception):
                conn.close()

    # -- entries --------------------------------------------------------------------------

    def add(self, entry: HistoryEntry) -> HistoryEntry:
        """Store an entry (already redacted); returns it with its id."""
        return self.add_many([entry])[0]

    def add_many(self, entries: Sequence[HistoryEntry]) -> list[HistoryEntry]:
        """Store entries in one transaction (retention runs after)."""

        def work(conn: sqlite3.Connection) -> list[HistoryEntry]:
            out = []
            conn.execute("BEGIN IMMEDIATE")
            for entry in entries:
                cursor = conn.execute(
                    "INSERT INTO entries (time, method, url, op_key, environment, status, "
                    "reason, failure, elapsed, size, content_type, body_start, request) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _values(entry),
                )
                out.append(replace(entry, id=int(cursor.lastrowid or 0)))
            conn.execute("COMMIT")
            return out

        stored = self._run(work)
        before = self._inserts
        self._inserts += len(stored)
        if self._inserts // PRUNE_EVERY != before // PRUNE_EVERY:
            self.prune()
        return stored

    def search(
        self, query: HistoryQuery | None = None, *, limit: int = PAGE, before: int | None = None
    ) -> list[HistoryEntry]:
        """Entries that match, newest first: at most `limit`, older than the entry with
        id `before` (the last of the page before) when given. Without body and request."""
        where, args = _where(query or HistoryQuery(), before)
        sql = f"SELECT {_SUMMARY} FROM entries{where} ORDER BY id DESC LIMIT ?"
        rows = self._run(lambda conn: conn.execute(sql, [*args, max(0, limit)]).fetchall())
        return [_row_entry(row, full=False) for row in rows]

    def get(self, entry_id: int) -> HistoryEntry | None:
        """One entry, whole (None when it is gone)."""
        sql = f"SELECT {_FULL} FROM entries WHERE id = ?"
        row = self._run(lambda conn: conn.execute(sql, (entry_id,)).fetchone())
        return None if row is None else _row_entry(row, full=True)

    def count(self, query: HistoryQuery | None = None) -> int:
        where, args = _where(query or HistoryQuery(), None)
        sql = f"SELECT count(*) FROM entries{where}"
        return int(self._run(lambda conn: conn.execute(sql, args).fetchone()[0]))

    def delete(self, entry_id: int) -> bool:
        """Forget one entry; True when it was there."""
        cursor = self._run(
            lambda conn: conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
        )
        return cursor.rowcount > 0

    def clear(self) -> None:
        """Forget every entry, and give the space back (nothing of them stays in the file)."""

        def work(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM entries")
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        self._run(work)

    def prune(self) -> int:
        """Apply the retention limits now; returns how many entries were dropped."""

        def work(conn: sqlite3.Connection) -> int:
            dropped = 0
            if self.max_days > 0:
                oldest = self.clock() - self.max_days * 86400
                dropped += conn.execute("DELETE FROM entries WHERE time < ?", (oldest,)).rowcount
            if self.max_entries > 0:
                dropped += conn.execute(
                    "DELETE FROM entries WHERE id <= "
                    "(SELECT id FROM entries ORDER BY id DESC LIMIT 1 OFFSET ?)",
                    (self.max_entries,),
                ).rowcount
            if dropped:
                conn.execute("PRAGMA incremental_vacuum")
            return dropped

        return self._run(work)


def _damaged(exc: Exception) -> bool:
    """The error says the file is not a database, or a corrupt one."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    text = str(exc).lower()
    return code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text


class History:
    """The history for the window: every call runs on one writer thread, in order, so a
    send never waits on the disk and a search never holds the event loop.

    `record` returns at once; `search`, `get`, `delete`, `clear` and `count` are awaited.
    `listeners` are told (on the loop) when entries were added, deleted or cleared;
    `notices` get a sentence for the user (a damaged file moved aside, a locked one)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        max_entries: int = MAX_ENTRIES,
        max_days: int = MAX_DAYS,
        busy_timeout: float = 2.0,
    ) -> None:
        self.db = HistoryDatabase(
            path, max_entries=max_entries, max_days=max_days, busy_timeout=busy_timeout
        )
        self.listeners: list[Callable[[], None]] = []
        self.notices: list[Callable[[str], None]] = []
        self._pending: list[str] = []
        self._last_notice = ""
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.recorded = 0
        """How many entries this run recorded (stored)."""

    @property
    def path(self) -> Path:
        return self.db.path

    def _submit(self, fn: Callable[[], T]) -> concurrent.futures.Future[T]:
        with self._lock:
            if self._closed:
                raise StoreError("the history is closed")
            if self._executor is None:
                self._executor = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="history"
                )
            return self._executor.submit(fn)

    def record(self, entry: HistoryEntry) -> concurrent.futures.Future[HistoryEntry] | None:
        """Store `entry` on the writer thread; returns at once (None when closed). A
        failure becomes a notice; listeners are told when it is stored."""
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        try:
            future = self._submit(lambda: self.db.add(entry))
        except StoreError:
            return None
        future.add_done_callback(lambda f: self._recorded(f, loop))
        return future

    def _recorded(
        self,
        future: concurrent.futures.Future[HistoryEntry],
        loop: asyncio.AbstractEventLoop | None,
    ) -> None:
        """On the writer thread: hand the outcome to the loop."""
        message = ""
        with contextlib.suppress(concurrent.futures.CancelledError):
            exc = future.exception()
            if isinstance(exc, StoreError):
                message = f"History: {exc.message}."
            elif exc is not None:
                message = f"History: could not record the request ({exc!r})."
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody to tell
            loop.call_soon_threadsafe(self._after, message, not message)

    def _after(self, message: str, changed: bool, *, recorded: bool = True) -> None:
        """On the loop: pass on the database's notices and `message`, tell listeners."""
        for notice in [*self.db.notices, message]:
            if notice:
                self._notify(notice)
        self.db.notices.clear()
        if changed and recorded:
            self.recorded += 1
        if changed:
            for listener in list(self.listeners):
                listener()

    def _notify(self, message: str) -> None:
        if message == self._last_notice:
            return  # a locked file says so once, not at every send
        self._last_notice = message
        if not self.notices:
            self._pending.append(message)
        for notice in list(self.notices):
            notice(message)

    def listen(self, notice: Callable[[str], None]) -> None:
        """Add a notice handler, and give it what was said before there was one."""
        self.notices.append(notice)
        pending, self._pending = self._pending, []
        for message in pending:
            notice(message)

    async def _call(self, fn: Callable[[], T], *, changes: bool = False) -> T:
        """`fn` on the writer thread, awaited; StoreError passes through (as a notice too
        when it changed something)."""
        try:
            return await asyncio.wrap_future(self._submit(fn))
        finally:
            self._after("", changes, recorded=False)

    async def search(
        self, query: HistoryQuery | None = None, *, limit: int = PAGE, before: int | None = None
    ) -> list[HistoryEntry]:
        return await self._call(lambda: self.db.search(query, limit=limit, before=before))

    async def get(self, entry_id: int) -> HistoryEntry | None:
        return await self._call(lambda: self.db.get(entry_id))

    async def count(self, query: HistoryQuery | None = None) -> int:
        return await self._call(lambda: self.db.count(query))

    async def delete(self, entry_id: int) -> bool:
        return await self._call(lambda: self.db.delete(entry_id), changes=True)

    async def clear(self) -> None:
        await self._call(self.db.clear, changes=True)

    async def flush(self) -> None:
        """Wait until everything recorded so far is on disk."""
        await self._call(lambda: None)

    async def aclose(self) -> None:
        """Finish what was recorded, close the file and stop the thread."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._closed = True
        if executor is None:
            self.db.close()
            return
        done = executor.submit(self.db.close)
        with contextlib.suppress(Exception):
            await asyncio.wrap_future(done)
        executor.shutdown(wait=False)

    def close(self) -> None:
        """`aclose` without a loop (waits for the thread)."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._closed = True
        if executor is not None:
            executor.submit(self.db.close)
            executor.shutdown(wait=True)
        else:
            self.db.close()
