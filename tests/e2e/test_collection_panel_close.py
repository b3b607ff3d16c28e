"""Closing a tab of a saved request with unsaved changes asks first, as Postman does:
Cancel keeps the tab and its edits, Don't save leaves the file as it was, Save writes it
(real key events: Ctrl+W)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from explorer.ui.main_window import MainWindow
from tests.e2e.test_collection_panel_files import form_text, make, open_row, opened
from tests.e2e.test_request_tabs import CTRL, activated

Wait = Callable[..., Coroutine[Any, Any, None]]


def test_closing_a_saved_request_with_changes_asks_save_dont_save_or_cancel(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, tmp_path: Path
) -> None:
    root = make(tmp_path / "team")
    key = ("request", str(root), ("Contacts",), "one-contact")
    file = root / "Contacts" / "one-contact.yaml"
    before = file.read_bytes()

    async def edit(value: str) -> Any:
        tab = await open_row(window, qtbot, wait_for, key)
        box = form_text(window, "contactId")
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, value)
        tab.sync_state()
        assert tab.session.unsaved
        return tab

    async def close_with(answer: Any) -> None:
        window.activateWindow()
        await activated(window)
        qtbot.keyClick(window, Qt.Key.Key_W, CTRL)
        box = window.close_box
        assert box is not None and box.isVisible(), "no question"
        assert "one contact" in box.text().lower() or "One contact" in box.text()
        button = (
            box.button(answer)
            if isinstance(answer, QMessageBox.StandardButton)
            else next(b for b in box.buttons() if b.text() == answer)
        )
        button.click()
        await wait_for(lambda: window.close_box is None, 5, "the answer")

    async def scenario() -> None:
        await opened(window, qtbot, root)
        tab = await edit("c_mine")
        await close_with(QMessageBox.StandardButton.Cancel)
        assert tab in window.tabs() and tab.session.unsaved  # kept, edits and all
        assert form_text(window, "contactId").text() == "c_mine"

        await close_with("Don't save")
        assert tab not in window.tabs()
        assert file.read_bytes() == before  # the file as it was

        tab = await edit("c_saved")
        await close_with(QMessageBox.StandardButton.Save)
        assert tab not in window.tabs()
        assert "c_saved" in file.read_text("utf-8")

        # a tab without changes closes at once
        tab = await open_row(window, qtbot, wait_for, key)
        qtbot.keyClick(window, Qt.Key.Key_W, CTRL)
        assert window.close_box is None and tab not in window.tabs()

    qloop.run_until_complete(scenario())
