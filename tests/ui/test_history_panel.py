"""The History panel over a real history file: days as headers, the search syntax, pages
fetched on scrolling, Delete, Clear after a confirmation, Copy as curl, and the server's
text shown as text."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from explorer.store.history import PAGE, History, HistoryEntry
from explorer.ui.history import ENTRY_ROLE, HistoryModel, HistoryPanel, day_label

Wait = Callable[..., Coroutine[Any, Any, None]]
DAY = 86400.0


def entry(i: int, at: float, *, status: int | None = 200, method: str = "GET") -> HistoryEntry:
    return HistoryEntry(
        time=at,
        method=method,
        url=f"http://127.0.0.1:5000/api/contacts/{i}?token=${{TOKEN}}",
        status=status,
        reason="OK" if status == 200 else "",
        failure="" if status is not None else "refused",
        elapsed=0.042,
        size=1536,
        content_type="application/json",
        body_start=f'{{"id": {i}}}',
        request={
            "headers": [["Authorization", "Bearer ${TOKEN}"], ["Accept", "application/json"]],
            "secrets": [["${TOKEN}", "TOKEN"]],
        },
    )


def rows(model: HistoryModel) -> list[str]:
    """What the list shows, row by row: a day header, or an entry's URL tail and status."""
    out = []
    for r in range(model.rowCount()):
        index = model.index(r)
        item = index.data(ENTRY_ROLE)
        if item is None:
            out.append(f"[{index.data()}]")
        else:
            out.append(f"{item.url.split('?')[0].rsplit('/', 1)[-1]} {item.status}")
    return out


@pytest.fixture
def history(tmp_path: Path, qloop: Any) -> Iterator[History]:
    store = History(tmp_path / "history.sqlite3")
    yield store
    qloop.run_until_complete(store.aclose())


@pytest.fixture
def panel(qtbot: Any, history: History) -> HistoryPanel:
    widget = HistoryPanel(history)
    qtbot.addWidget(widget)
    widget.resize(340, 700)
    return widget


def test_day_labels() -> None:
    now = datetime.datetime(2026, 11, 5, 9, 30).timestamp()
    assert day_label(now - 60, now) == "Today"
    assert day_label(now - 12 * 3600, now) == "Yesterday"
    assert day_label(datetime.datetime(2026, 11, 2, 23, 0).timestamp(), now) == "Mon 2 Nov 2026"


def test_the_model_is_a_valid_item_model_with_a_header_per_day(qtmodeltester: Any) -> None:
    model = HistoryModel()
    now = time.time()
    entries = [
        entry(4, now),
        entry(3, now - 60, status=404),
        entry(2, now - DAY),
        entry(1, now - 3 * DAY, status=None),
    ]
    for i, e in enumerate(entries):
        entries[i] = HistoryEntry(**{**e.__dict__, "id": 10 - i})
    model.set_entries(entries[:3], more=True)
    qtmodeltester.check(model)
    model.append(entries[3:], more=False)
    qtmodeltester.check(model)
    third = f"[{day_label(now - 3 * DAY)}]"
    assert rows(model) == ["[Today]", "4 200", "3 404", "[Yesterday]", "2 200", third, "1 None"]
    assert model.flags(model.index(0)) == Qt.ItemFlag.NoItemFlags  # a header: passed over
    assert model.index(1).data(Qt.ItemDataRole.ForegroundRole).name() == "#2f9e44"
    assert model.index(2).data(Qt.ItemDataRole.ForegroundRole).name() == "#e8590c"
    model.remove(8)  # Yesterday's only entry: its header goes too
    assert rows(model) == ["[Today]", "4 200", "3 404", third, "1 None"]
    qtmodeltester.check(model)


def test_search_pages_delete_and_clear(
    panel: HistoryPanel, history: History, qloop: Any, wait_for: Wait, qtbot: Any
) -> None:
    now = time.time()
    total = 2 * PAGE + 30
    history.db.add_many(
        [entry(i, now - (total - i), status=404 if i % 10 == 0 else 200) for i in range(total)]
    )
    said: list[str] = []
    panel.message.connect(said.append)

    async def scenario() -> None:
        panel.show()
        await wait_for(lambda: panel.model.rowCount() > 0, 5, "the first page")
        assert len(panel.model.entries()) == PAGE and panel.model.more
        assert panel.count_label.text() == f"{total:,} requests"
        assert rows(panel.model)[:2] == ["[Today]", f"{total - 1} 200"]
        # scrolling to the end fetches the next pages
        while panel.model.more:
            before = len(panel.model.entries())
            panel.list.scrollToBottom()
            panel.model.fetchMore(panel.list.rootIndex())
            await wait_for(lambda b=before: len(panel.model.entries()) > b, 5, "the next page")
        ids = [e.id for e in panel.model.entries()]
        assert len(ids) == total and ids == sorted(ids, reverse=True)
        # the search syntax
        qtbot.keyClicks(panel.search, "status:4xx")
        await wait_for(lambda: len(panel.model.entries()) == total // 10, 5, "the 404s")
        assert panel.count_label.text() == f"{total // 10} requests found"
        assert {e.status for e in panel.model.entries()} == {404}
        panel.search.setText("contacts/12? status:nonsense")
        await wait_for(lambda: panel.problem.isVisible(), 5, "the problem said")
        assert "status:nonsense" in panel.problem.text()
        await wait_for(lambda: len(panel.model.entries()) == 1, 5, "one match")
        panel.search.setText("")
        await wait_for(lambda: len(panel.model.entries()) == PAGE, 5, "all again")
        assert not panel.problem.isVisible()
        # Delete on the selected entry
        newest = panel.model.entries()[0]
        assert panel.select(newest.id)
        await wait_for(lambda: panel.detail.toPlainText() != "", 5, "its details")
        assert f'{{"id": {total - 1}}}' in panel.detail.toPlainText()
        panel.list.setFocus()
        qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
        await wait_for(lambda: panel.model.row_of(newest.id) < 0, 5, "the entry gone")
        assert await history.get(newest.id) is None
        assert panel.current_entry() is not None  # the next one is selected
        await wait_for(lambda: panel.count_label.text() == f"{total - 1:,} requests", 5)
        # Clear asks first; Cancel keeps everything
        box = panel.confirm_clear()
        box.button(QMessageBox.StandardButton.Cancel).click()
        await wait_for(lambda: panel.confirm_box is None, 5)
        assert await history.count() == total - 1
        box = panel.confirm_clear()
        clear = next(b for b in box.buttons() if b.text() == "Clear")
        clear.click()
        await wait_for(lambda: panel.model.rowCount() == 0, 5, "an empty list")
        assert await history.count() == 0
        assert panel.count_label.text() == "0 requests"
        assert said[-1] == "Cleared the history"

    qloop.run_until_complete(scenario())


def test_new_entries_appear_and_copy_as_curl_reads_secrets_from_the_environment(
    panel: HistoryPanel, history: History, qloop: Any, wait_for: Wait
) -> None:
    opened: list[HistoryEntry] = []
    panel.open_requested.connect(opened.append)

    async def scenario() -> None:
        panel.show()
        await wait_for(lambda: panel.count_label.text() == "0 requests", 5)
        history.record(entry(1, time.time(), method="POST"))
        await wait_for(lambda: len(panel.model.entries()) == 1, 5, "the new entry")
        (shown,) = panel.model.entries()
        panel.select(shown.id)
        QGuiApplication.clipboard().setText("")  # not what an earlier test copied
        panel.copy_curl()
        await wait_for(lambda: "curl" in QGuiApplication.clipboard().text(), 5)
        text = QGuiApplication.clipboard().text()
        assert "${TOKEN}" in text and "Authorization: Bearer" in text
        assert "/api/contacts/1?token=" in text
        panel.list.setFocus()
        panel.open_selected()
        await wait_for(lambda: bool(opened), 5, "open requested")
        assert opened[0].id == shown.id and opened[0].full and opened[0].request

    qloop.run_until_complete(scenario())


def test_the_servers_text_is_shown_as_text(
    panel: HistoryPanel, history: History, qloop: Any, wait_for: Wait
) -> None:
    hostile = "<b>bold</b><img src='/dev/zero'> &amp; \u202e <a href='file:///etc/passwd'>x</a>"
    stored = history.db.add(
        HistoryEntry(
            time=time.time(),
            method="GET",
            url="http://h/<img src=x>",
            status=500,
            reason="<i>Oops</i>",
            body_start=hostile,
        )
    )

    async def scenario() -> None:
        panel.show()
        await wait_for(lambda: len(panel.model.entries()) == 1, 5)
        panel.select(stored.id)
        await wait_for(lambda: hostile in panel.detail.toPlainText(), 5, "the body as text")
        assert "500 <i>Oops</i>" in panel.detail.toPlainText()
        tip = panel.model.index(1).data(Qt.ItemDataRole.ToolTipRole)
        assert "&lt;img src=x&gt;" in tip and "<img" not in tip

    qloop.run_until_complete(scenario())
