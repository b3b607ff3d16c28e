"""The command palette (Ctrl+Shift+P): every command of the window by name, typed not
clicked: the menus' actions (with their keys), "Copy as" in each language, switching the
environment, and going to any endpoint of the open document.

Words match in any order, each anywhere in a command's title or in what it says it does
("copy python", "env prod", "post contacts"); titles that start with the first word come
first. Titles from a document (endpoint summaries) are shown as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = ["Command", "CommandPalette", "matching"]

SHOWN = 200
"""At most this many matches are listed (type more to narrow them)."""


@dataclass(frozen=True)
class Command:
    """One thing the palette can do: its title, its keys ("" for none), what it does
    (searched too), and the call that does it."""

    title: str
    keys: str
    hint: str
    run: Callable[[], object]

    @property
    def haystack(self) -> str:
        return f"{self.title} {self.hint}".lower()


def matching(commands: Sequence[Command], text: str) -> list[Command]:
    """The commands every word of `text` is found in (title or hint); first those with
    the most words starting a word of their title ("copy py": Python before curl), then
    those whose title starts with the first word, then in their given order."""
    words = text.lower().split()
    if not words:
        return list(commands)
    found = [c for c in commands if all(w in c.haystack for w in words)]
    starts = [re.compile(r"(?<![a-z0-9])" + re.escape(w)) for w in words]

    def rank(command: Command) -> tuple[int, bool]:
        title = command.title.lower()
        return -sum(1 for s in starts if s.search(title)), not title.startswith(words[0])

    return sorted(found, key=rank)


class _Keys(QObject):
    """Up, Down, Page Up/Down and Enter typed in the filter move and run the list."""

    def __init__(self, palette: CommandPalette) -> None:
        super().__init__(palette)
        self.palette = palette

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        listing = self.palette.list
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10}
            step = steps.get(Qt.Key(key), -10)
            row = max(0, min(listing.count() - 1, listing.currentRow() + step))
            listing.setCurrentRow(row)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.palette.run_current()
            return True
        return False


class CommandPalette(QDialog):
    """See the module docstring. `commands()` is asked each time the palette opens (the
    environments and endpoints change)."""

    def __init__(self, commands: Callable[[], list[Command]], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("commandPalette")
        self.setWindowTitle("Commands")
        self._source = commands
        self._commands: list[Command] = []
        self._shown: list[Command] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("paletteFilter")
        self.filter.setPlaceholderText("Type a command: copy as, environment, an endpoint…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(_Keys(self))
        self.list = QListWidget(self)
        self.list.setObjectName("paletteList")
        self.list.setUniformItemSizes(True)
        self.list.itemActivated.connect(lambda _item: self.run_current())
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)
        self.resize(620, 420)

    def open_palette(self, text: str = "") -> None:
        """Show the palette over the top of the window, with every command."""
        self._commands = self._source()
        self.filter.setText(text)
        self._filter(text)
        parent = self.parentWidget()
        if parent is not None:
            top = parent.mapToGlobal(parent.rect().topLeft())
            self.move(top.x() + (parent.width() - self.width()) // 2, top.y() + 60)
        self.show()
        self.raise_()
        self.activateWindow()
        self.filter.setFocus()

    def _filter(self, text: str) -> None:
        found = matching(self._commands, text)
        self._shown = found[:SHOWN]
        self.list.clear()
        for command in self._shown:
            label = command.title + (f"    {command.keys}" if command.keys else "")
            item = QListWidgetItem(label)  # plain text: a document's summary stays text
            item.setToolTip(command.hint)
            self.list.addItem(item)
        if self._shown:
            self.list.setCurrentRow(0)
        more = len(found) - len(self._shown)
        self.count.setText(
            f"{len(found)} commands" + (f" (the first {SHOWN} shown: type more)" if more else "")
        )

    def run_current(self) -> None:
        """Run the selected command (after the palette closed, so it acts on the window)."""
        row = self.list.currentRow()
        if not 0 <= row < len(self._shown):
            return
        command = self._shown[row]
        self.hide()
        command.run()
