"""The find bar under a text view: Ctrl+F opens it, Enter / Shift+Enter go to the next /
previous match, Esc closes it. For big texts matches are counted a window of text at a
time (`find_in_steps`), yielding to the event loop between windows."""

from __future__ import annotations

import asyncio
import bisect
import re
import time
from collections.abc import Callable
from typing import Protocol

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

from explorer.workbench.tasks import TaskSlot

__all__ = ["FindBar", "FindTarget", "find_in_steps", "find_matches"]

MAX_MATCHES = 100_000
FIND_WINDOW = 1 << 20
"""Characters searched between two visits to the event loop."""
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def find_matches(
    text: str, needle: str, case: bool = False, utf16: bool = True
) -> list[tuple[int, int]]:
    """(start, end) of each match as positions in a QTextDocument holding `text`
    (UTF-16 units: characters beyond U+FFFF count twice; code points if not `utf16`).
    At most MAX_MATCHES."""
    if not needle:
        return []
    pattern = re.compile(re.escape(needle), 0 if case else re.IGNORECASE)
    spans = []
    for m in pattern.finditer(text):
        spans.append(m.span())
        if len(spans) >= MAX_MATCHES:
            break
    if utf16 and spans and _ASTRAL.search(text):
        astral = [m.start() for m in _ASTRAL.finditer(text)]
        spans = [
            (s + bisect.bisect_left(astral, s), e + bisect.bisect_left(astral, e)) for s, e in spans
        ]
    return spans


async def find_in_steps(
    text: str, needle: str, case: bool = False, budget: float = 0.008
) -> list[tuple[int, int]]:
    """(start, end) code point offsets of each match of `needle` in `text` (at most
    MAX_MATCHES), searched a FIND_WINDOW at a time, yielding to the loop every `budget`
    seconds: `str.find` when case matters, a compiled pattern over each window otherwise."""
    if not needle:
        return []
    spans: list[tuple[int, int]] = []
    n, size = len(text), len(needle)
    pattern = None if case else re.compile(re.escape(needle), re.IGNORECASE)
    pos = 0
    deadline = time.perf_counter() + budget
    while pos < n and len(spans) < MAX_MATCHES:
        stop = min(n, pos + FIND_WINDOW)
        if pattern is None:
            find = text.find
            at = find(needle, pos)
            while 0 <= at < stop and len(spans) < MAX_MATCHES:
                spans.append((at, at + size))
                at = find(needle, at + size)
            pos = max(stop, spans[-1][1]) if spans else stop
            if at < 0:
                break
        else:
            # Matches must start in [pos, stop); they may end a little past it.
            end = min(n, stop + 4 * size)
            for m in pattern.finditer(text, pos, end):
                if m.start() >= stop or len(spans) >= MAX_MATCHES:
                    break
                spans.append(m.span())
            pos = max(stop, spans[-1][1]) if spans else stop
        if time.perf_counter() > deadline:
            await asyncio.sleep(0)
            deadline = time.perf_counter() + budget
    return spans


class FindTarget(Protocol):
    """What the find bar needs of a text view (CodeView, BigTextView)."""

    utf16_positions: bool
    """Match positions are UTF-16 units (a QTextDocument) rather than code points."""

    def selected_text(self) -> str: ...

    def selection_start(self) -> int: ...

    def set_matches(self, matches: list[tuple[int, int]], current: int) -> None: ...

    def setFocus(self) -> None: ...


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
    """Find in a text view; `text_source` returns the text the view shows. `set_view()`
    switches the view searched (the body shows a CodeView or a BigTextView)."""

    closed = Signal()

    def __init__(self, view: FindTarget, text_source: Callable[[], str]) -> None:
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

    def set_view(self, view: FindTarget) -> None:
        """Search `view` from now on (marks in the old one are cleared)."""
        if view is self._view:
            return
        self._task.cancel()
        self._view.set_matches([], -1)
        self._matches = []
        self._current = -1
        self._view = view

    def open_bar(self) -> None:
        """Show the bar, take the selection as the search text, focus it."""
        selected = self._view.selected_text()
        if selected and "\u2029" not in selected and "\n" not in selected and len(selected) < 200:
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
            self._apply(find_matches(text, needle, case, self._view.utf16_positions))
            return
        self.count_label.setText("Searching…")
        if self._view.utf16_positions:
            self._task.start(self._search_async(text, needle, case))
        else:
            self._task.start(self._search_steps(text, needle, case))

    async def _search_async(self, text: str, needle: str, case: bool) -> None:
        matches = await asyncio.to_thread(find_matches, text, needle, case)
        self._apply(matches)

    async def _search_steps(self, text: str, needle: str, case: bool) -> None:
        self._apply(await find_in_steps(text, needle, case))

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
        pos = self._view.selection_start()
        starts = [m[0] for m in matches]
        self._go(min(bisect.bisect_left(starts, pos), len(matches) - 1))

    def _go(self, index: int) -> None:
        self._current = index
        more = "+" if len(self._matches) >= MAX_MATCHES else ""
        self.count_label.setText(f"{index + 1} of {len(self._matches):,}{more}")
        self._view.set_matches(self._matches, index)
