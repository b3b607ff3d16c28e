"""The command palette through the real window and real keys: Ctrl+Shift+P, type words,
Enter. An endpoint, Copy as in a language, an environment, a menu action."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from test_stored_credentials import activated, open_demo

from explorer.ui.main_window import MainWindow
from explorer.ui.palette import Command, matching

Wait = Callable[..., Coroutine[Any, Any, None]]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_words_match_in_any_order_and_a_title_that_starts_with_the_first_comes_first() -> None:
    noop = lambda: None  # noqa: E731
    commands = [
        Command("Save as…", "", "save the request as a new one", noop),
        Command("Copy as curl", "", "the request as code (curl)", noop),
        Command("Copy as Python (httpx)", "", "the request as code (python-httpx)", noop),
        Command("POST /contacts", "", "Create a contact (contacts)", noop),
        Command("GET /contacts", "", "List contacts (contacts)", noop),
    ]
    assert [c.title for c in matching(commands, "httpx copy")] == ["Copy as Python (httpx)"]
    assert [c.title for c in matching(commands, "post contacts")] == ["POST /contacts"]
    assert matching(commands, "save")[0].title == "Save as…"
    assert matching(commands, "copy py")[0].title == "Copy as Python (httpx)"  # not curl
    assert matching(commands, "nothing like it") == []
    assert len(matching(commands, "  ")) == 5


def test_the_palette_runs_commands_by_name(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def palette(words: str) -> None:
        window.activateWindow()
        await activated(window)
        qtbot.keyClick(window, Qt.Key.Key_P, CTRL_SHIFT)
        box = window.command_palette
        assert box is not None and box.isVisible(), "Ctrl+Shift+P opened nothing"
        await wait_for(lambda: box.filter.hasFocus(), 3, "the palette's focus")
        qtbot.keyClicks(box.filter, words)
        assert box.list.count() >= 1, words
        qtbot.keyClick(box.filter, Qt.Key.Key_Return)
        assert not box.isVisible()
        await asyncio.sleep(0.05)

    async def scenario() -> None:
        await open_demo(window, qtbot)
        await palette("get contacts list")
        await wait_for(lambda: window.current_op is not None, 5)
        assert window.current_op is not None and window.current_op.key == "GET /contacts"

        QGuiApplication.clipboard().clear()
        await palette("copy python httpx")
        text = QGuiApplication.clipboard().text()
        assert "import httpx" in text and "/contacts" in text

        await palette("environment staging")
        assert window.credentials is not None and window.credentials.env.name == "staging"

        tabs = len(window.tabs())
        await palette("new tab")
        assert len(window.tabs()) == tabs + 1

    qloop.run_until_complete(scenario())
