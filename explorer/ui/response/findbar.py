"""The find bar under a text view: Ctrl+F opens it, Enter / Shift+Enter go to the next /
previous match, Esc closes it. Matches are counted off the event loop for big texts."""

from __future__ import annotations

import asyncio
import bisect
import re
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from explorer.ui.response.highlight import CodeView
from explorer.ui.response.tasks import TaskSlot

__all__ = ["FindBar", "find_matches"]

MAX_MATCHES = 100_000
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def find_matches(text: str, needle: str, case: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each match as positions in a QTextDocument holding `text`
    (UTF-16 units: characters beyond U+FFFF count twice). At most MAX_MATCHES."""
    if not needle:
        return []
    pattern = re.compile(re.escape(needle), 0 if case else re.IGNORECASE)
    spans = []
    for m in pattern.finditer(text):
        spans.append(m.span())
        if len(spans) >= MAX_MATCHES:
            break
    if spans and _ASTRAL.search(text):
        astral = [m.start() for m in _ASTRAL.finditer(text)]
        spans = [
            (s + bisect.bisect_left(astral, s), e + bisect.bisect_left(astral, e)) for s, e in spans
        ]
    return spans


class _FindEdit(QLineEdit):
    escape = Signal()
    previous = Signal()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() == Qt.Key.Key_Escape:
            self.escape.emit()
            return
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            e.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.previous.emit()
            return
        super().keyPressEvent(e)


class FindBar(QWidget):
    """Find in a CodeView; `text_source` returns the text the view shows."""

    closed = Signal()

    def __init__(self, view: CodeView, text_source: Callable[[], str]) -> None:
        super().__init__()
        self._view = view
        self._text_source = text_source
        self._matches: list[tuple[int, int]] = []
        self._current = -1
        self._task = TaskSlot("find")
        self.setObjectName("findBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(4)
        self.edit = _FindEdit()
        self.edit.setPlaceholderText("Find in body")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(220)
        self.count_label = QLabel("")
        self.count_label.setMinimumWidth(90)
        self.count_label.setStyleSheet("color: palette(placeholder-text);")
        self.case_box = QCheckBox("Aa")
        self.case_box.setToolTip("Match case")
        self.prev_button = QToolButton()
        self.prev_button.setText("↑")
        self.prev_button.setToolTip("Previous match (Shift+Enter)")
        self.next_button = QToolButton()
        self.next_button.setText("↓")
        self.next_button.setToolTip("Next match (Enter)")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close (Esc)")
        self.close_button.setAutoRaise(True)
        for w in (self.edit, self.count_label, self.case_box, self.prev_button, self.next_button):
            layout.addWidget(w)
        layout.addStretch(1)
        layout.addWidget(self.close_button)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.search)
        self.edit.textChanged.connect(self._text_changed)
        self.case_box.toggled.connect(self._case_toggled)
        self.edit.returnPressed.connect(self.next)
        self.edit.previous.connect(self.previous)
        self.edit.escape.connect(self.close_bar)
        self.next_button.clicked.connect(self.next)
        self.prev_button.clicked.connect(self.previous)
        self.close_button.clicked.connect(self.close_bar)
        self.hide()

    # --- public -------------------------------------------------------------------

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def current_index(self) -> int:
        return self._current

    def open_bar(self) -> None:
        """Show the bar, take the selection as the search text, focus it."""
        selected = self._view.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) < 200:
            self.edit.setText(selected)
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        if self.edit.text():
            self.search()

    def close_bar(self) -> None:
        self._task.cancel()
        self._matches = []
        self._current = -1
        self._view.set_matches([], -1)
        self.hide()
        self._view.setFocus()
        self.closed.emit()

    def search(self) -> None:
        """Find every match of the text (off the loop for big texts)."""
        self._debounce.stop()
        needle = self.edit.text()
        text = self._text_source()
        case = self.case_box.isChecked()
        if not needle:
            self._apply([])
            return
        if len(text) < 500_000:
            self._apply(find_matches(text, needle, case))
            return
        self.count_label.setText("Searching…")
        self._task.start(self._search_async(text, needle, case))

    async def _search_async(self, text: str, needle: str, case: bool) -> None:
        matches = await asyncio.to_thread(find_matches, text, needle, case)
        self._apply(matches)

    def next(self) -> None:
        if self._matches:
            self._go((self._current + 1) % len(self._matches))

    def previous(self) -> None:
        if self._matches:
            self._go((self._current - 1) % len(self._matches))

    def refresh(self) -> None:
        """The text changed: search again if the bar is open."""
        if self.isVisible() and self.edit.text():
            self.search()

    # --- internals ----------------------------------------------------------------

    def _text_changed(self, _text: str) -> None:
        self._debounce.start()

    def _case_toggled(self, _on: bool) -> None:
        self.search()

    def _apply(self, matches: list[tuple[int, int]]) -> None:
        self._matches = matches
        if not matches:
            self._current = -1
            self._view.set_matches([], -1)
            self.count_label.setText("No matches" if self.edit.text() else "")
            self.edit.setStyleSheet(
                "QLineEdit { background: #ffe3e3; }" if self.edit.text() else ""
            )
            return
        self.edit.setStyleSheet("")
        pos = self._view.textCursor().selectionStart()
        starts = [m[0] for m in matches]
        self._go(min(bisect.bisect_left(starts, pos), len(matches) - 1))

    def _go(self, index: int) -> None:
        self._current = index
        more = "+" if len(self._matches) >= MAX_MATCHES else ""
        self.count_label.setText(f"{index + 1} of {len(self._matches):,}{more}")
        self._view.set_matches(self._matches, index)
