"""A curl command pasted into the address bar (Ctrl+V, as the keyboard gives it) becomes the
tab's request: method, URL (linked to the endpoint it names), headers and body; sent to
the demo's `explorer mock`, it arrives as the command said. One that cannot be read
leaves the tab as it was and says why."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from explorer.ui.main_window import MainWindow
from tests.e2e.test_request_tabs import CTRL, activated, open_demo, press, served, settle

Wait = Callable[..., Coroutine[Any, Any, None]]


def paste(qtbot: Any, window: MainWindow, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    address = window.editor.address
    address.setFocus()
    address.selectAll()
    qtbot.keyClick(address, Qt.Key.Key_V, CTRL)


def test_a_pasted_curl_command_becomes_the_request_and_is_sent_as_it_says(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def scenario() -> None:
        await open_demo(window, qtbot)
        base = window.preferred_server
        press(qtbot, window.tree.tree, Qt.Key.Key_T, CTRL)  # a new, ad-hoc tab
        body = {"type": "company", "name": "Pasted Corp", "email": "p@example.com"}
        paste(
            qtbot,
            window,
            f"curl -X POST '{base}/contacts' \\\n"
            "  -H 'Content-Type: application/json' \\\n"
            "  -H 'X-Trace: t-1' \\\n"
            f"  --data-raw '{json.dumps(body)}'",
        )
        await wait_for(lambda: window.current_op is not None, 5, "the linked endpoint")
        assert window.current_op is not None and window.current_op.key == "POST /contacts"
        editor = window.editor
        assert json.loads(editor.body.text()) == body
        assert ("X-Trace", "t-1", False) in editor.headers.items()
        assert editor.address.full_text() == f"{base}/contacts"
        assert window.current_tab().session.edited  # type: ignore[union-attr]

        # a GET with a path value and a query: the fields are filled, and it is sent
        paste(qtbot, window, f"curl '{base}/health?probe=pasted'")
        await wait_for(
            lambda: window.current_op is not None and "health" in window.current_op.key, 5
        )
        assert ("probe", "pasted", False) in window.editor.query_rows.items()
        before = served(window)
        await activated(window)
        press(qtbot, window.editor.address, Qt.Key.Key_Return, CTRL)
        await wait_for(lambda: served(window) == before + 1, 10)
        await settle(window, wait_for)
        result = window.response.result
        assert result is not None and result.status == 200
        assert result.url == f"{base}/health?probe=pasted"

        # not a command curl reads: nothing changes, the status bar says why
        key = window.current_op.key if window.current_op is not None else None
        paste(qtbot, window, "curl 'unterminated")
        assert "curl command could not be read" in window._status_label.text()
        assert (window.current_op.key if window.current_op is not None else None) == key

    qloop.run_until_complete(scenario())
