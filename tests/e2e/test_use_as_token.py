""" "Use as token" as a person uses it: log in by hand, right-click the token in the JSON
reply, keep it in the bearer slot, and the next request is authenticated with it (the
real window, the demo's mock server, the real keyring API)."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QInputDialog
from test_stored_credentials import open_demo, send

from explorer.ui.main_window import MainWindow
from explorer.ui.response.body import json_string_at

Wait = Callable[..., Coroutine[Any, Any, None]]


def test_json_string_at_takes_values_not_keys() -> None:
    line = '  "token": "eyJ.a\\"b.c", "n": 1, "e": ""'
    at = line.index("eyJ")
    assert json_string_at(line, at) == 'eyJ.a"b.c'
    assert json_string_at(line, line.index("token")) is None  # a key
    assert json_string_at(line, line.index("1")) is None
    assert json_string_at(line, len(line) - 1) is None  # an empty string
    assert json_string_at('"unclosed', 3) is None


def test_a_token_from_a_reply_authenticates_the_next_request(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[str]] = []

    def get_item(_parent: Any, _title: str, _label: str, items: list[str], *a: Any) -> Any:
        asked.append(list(items))
        return next(i for i in items if i.startswith("bearerAuth")), True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)

    async def scenario() -> None:
        await open_demo(window, qtbot)
        window.tree.select_operation("POST /auth/login")
        await wait_for(lambda: window.current_op is not None, 5)
        login = await send(window, qtbot, wait_for)
        assert login.status == 200, login.body[:300]
        token = json.loads(login.body)["token"]
        tab = window.current_tab()
        assert tab is not None
        body = tab.response.body
        await wait_for(lambda: token in body.text.toPlainText(), 5, "the reply shown")
        # right-click in the middle of the token, as a person would
        doc = body.text.document()
        found = doc.find(token)
        found.setPosition(found.selectionStart() + len(token) // 2)
        pos = body.text.cursorRect(found).center()
        viewport = body.text.viewport()
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
        QApplication.sendEvent(viewport, event)
        menu = body.menu
        assert menu is not None and menu.isVisible(), "no context menu"
        action = next(a for a in menu.actions() if a.text().startswith("Use “"))
        action.trigger()
        menu.close()
        assert asked and asked[0][0].startswith("bearerAuth")  # logs in with /auth/login
        creds = window.credentials
        assert creds is not None
        await wait_for(lambda: creds.cached("bearerAuth", "token") == token, 5, "the token kept")
        assert "Token kept in bearerAuth (development)" in window._status_label.text()

        window.tree.select_operation("GET /contacts")
        await wait_for(
            lambda: window.current_op is not None and window.current_op.path == "/contacts", 5
        )
        result = await send(window, qtbot, wait_for)
        assert result.status == 200, result.body[:300]
        assert dict(result.request.headers)["Authorization"] == f"Bearer {token}"

        # a key is not a value: no action on it
        found = doc.find('"token"')
        found.setPosition(found.selectionStart() + 2)
        pos = body.text.cursorRect(found).center()
        assert body.token_at(QPoint(pos)) is None or body.token_at(QPoint(pos)) != "token"

    qloop.run_until_complete(scenario())
