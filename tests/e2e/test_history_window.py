"""The history through the whole window, against `explorer mock` serving the demo: what
was sent is on the History page (Ctrl+H) with its status, without the token it carried;
Enter on an entry reopens it in a new tab as the same request; Clear empties it; a
damaged history file is moved aside with a message and a new one is started."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from explorer.http.build import build_request
from explorer.store.history import HistoryEntry
from explorer.ui.history import ENTRY_ROLE
from explorer.ui.main_window import MainWindow

Wait = Callable[..., Coroutine[Any, Any, None]]
CTRL = Qt.KeyboardModifier.ControlModifier
DEMO_LOGIN = {"email": "demo@ecosire.com", "password": "demo-password"}


async def open_demo(window: MainWindow) -> None:
    import asyncio

    from PySide6.QtWidgets import QApplication

    assert await window.open_initial(None)
    window.activateWindow()
    deadline = asyncio.get_running_loop().time() + 3
    while QApplication.activeWindow() is not window:
        assert asyncio.get_running_loop().time() < deadline, "the window never became active"
        await asyncio.sleep(0.01)


async def send(window: MainWindow, wait_for: Wait) -> None:
    tab = window.current_tab()
    assert tab is not None
    window.send()
    await wait_for(lambda: tab.session.phase not in ("sending", "idle"), 15, "the answer")


def shown_entries(window: MainWindow) -> list[HistoryEntry]:
    model = window.history_panel.model
    return [e for r in range(model.rowCount()) if (e := model.index(r).data(ENTRY_ROLE))]


def test_sent_requests_are_in_the_history_reopen_as_sent_and_clear(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, tmp_path: Path
) -> None:
    async def scenario() -> None:
        await open_demo(window)
        # log in, then list contacts with the token and a query of our own
        window.tree.select_operation("POST /auth/login")
        await wait_for(lambda: window.current_op is not None, 5)
        window.editor.body.set_text(json.dumps(DEMO_LOGIN))
        await send(window, wait_for)
        token = json.loads(window.response.result.body)["token"]  # type: ignore[union-attr]
        window.tree.select_operation("GET /contacts")
        await wait_for(
            lambda: window.current_op is not None and window.current_op.method == "GET", 5
        )
        qtbot.keyClicks(window.editor.auth.token_edit, token)
        form = window.editor.params_form()
        assert form is not None
        form.set_values({"limit": 5})
        await send(window, wait_for)
        contacts = window.current_tab()
        assert contacts is not None and contacts.session.prepared is not None
        sent = contacts.session.prepared
        assert "limit=5" in sent.url
        assert window.response.result is not None and window.response.result.status == 200

        # Ctrl+H: the History page, both requests, newest first, with their status
        window.tree.tree.setFocus()
        qtbot.keyClick(window.tree.tree, Qt.Key.Key_H, CTRL)
        panel = window.history_panel
        assert window.sidebar.currentWidget() is panel and panel.search.hasFocus()
        await wait_for(lambda: len(shown_entries(window)) == 2, 10, "two entries")
        first, second = shown_entries(window)
        assert (first.method, first.url, first.status) == ("GET", sent.url, 200)
        assert (second.method, second.status, second.op_key) == ("POST", 200, "POST /auth/login")
        assert first.op_key == "GET /contacts" and first.environment == "development"
        assert panel.model.index(0).data() == "Today"
        # the token went to the server, never to the history file
        assert any(v == f"Bearer {token}" for k, v in sent.headers if k == "Authorization")
        await window.services.history_store().flush()
        data = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("history.sqlite3*"))
        assert b"/contacts" in data
        assert token.encode() not in data and b"demo-password" not in data

        # Enter on the contacts entry: a new tab with the same request
        tabs_before = len(window.tabs())
        panel.select(first.id)
        panel.list.setFocus()
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
        await wait_for(lambda: len(window.tabs()) == tabs_before + 1, 10, "a new tab")
        reopened = window.current_tab()
        assert reopened is not None and reopened is not contacts
        assert reopened.session.op_key == "GET /contacts"
        again = build_request(window.editor.request_input())
        assert (again.method, again.url) == (sent.method, sent.url)
        assert window.editor.auth.token_edit.text() == ""  # the token was not kept
        # sent again, it is answered (the environment's cookie session from the login)
        await send(window, wait_for)
        await wait_for(lambda: len(shown_entries(window)) == 3, 10, "the resend listed")
        assert shown_entries(window)[0].status == 200
        resent = reopened.session.prepared
        assert resent is not None and any(k == "Cookie" for k, _ in resent.headers)
        await window.services.history_store().flush()
        data = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("history.sqlite3*"))
        cookie = next(v for k, v in resent.headers if k == "Cookie").split("=", 1)[1]
        assert len(cookie) > 20 and cookie.encode() not in data

        # Clear, after saying yes
        box = panel.confirm_clear()
        assert box.isVisible() and isinstance(box, QMessageBox)
        next(b for b in box.buttons() if b.text() == "Clear").click()
        await wait_for(lambda: panel.model.rowCount() == 0, 10, "an empty history")
        assert await window.services.history_store().count() == 0

    qloop.run_until_complete(scenario())


def test_a_damaged_history_file_is_moved_aside_with_a_message(
    qloop: Any, wait_for: Wait, window: MainWindow, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir(parents=True, exist_ok=True)
    junk = b"SQLite format 3\x00" + b"\xff" * 5000  # a header, and then nonsense
    (data / "history.sqlite3").write_bytes(junk)

    async def scenario() -> None:
        await open_demo(window)
        window.tree.select_operation("GET /health")
        await wait_for(lambda: window.current_op is not None, 5)
        await send(window, wait_for)
        await wait_for(lambda: window._notice.isVisible(), 10, "the message")
        assert "history file was damaged" in window._notice.text()
        window.show_history()
        await wait_for(lambda: len(shown_entries(window)) == 1, 10, "the new entry")
        assert shown_entries(window)[0].url.endswith("/health")

    qloop.run_until_complete(scenario())
    aside = [p for p in data.iterdir() if p.name.startswith("history.damaged-")]
    assert len(aside) == 1 and aside[0].read_bytes() == junk
