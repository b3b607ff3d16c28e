"""Colours for highlighted code, and `CodeView`: a read-only QPlainTextEdit that takes big
texts in small steps and highlights only the lines on screen.

Highlighting a whole document with QSyntaxHighlighter runs over every block in one go
(seconds for a million lines); here the spans of a line are computed when the line is
first shown (pygments on that line alone: exact for JSON, whose tokens never span lines)
or taken from a table lexed off the event loop for the whole text (XML, HTML, YAML), and
applied to that block's layout. Each step touches only the visible lines.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import Callable, Sequence

from pygments.lexer import Lexer
from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLayout,
)
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit, QTextEdit, QWidget

from explorer.http.content import Span, lex_lines, tokens_for_line
from explorer.ui.style import mono_font

__all__ = ["CodeView", "SpanHighlighter", "is_dark", "role_formats"]

LIGHT = {
    "key": "#1c5fa8",
    "string": "#2b8a3e",
    "number": "#c2410c",
    "keyword": "#9c36b5",
    "builtin": "#0b7285",
    "variable": "#0b7285",
    "attr": "#9c36b5",
    "punct": "#6c757d",
    "comment": "#868e96",
    "error": "#e03131",
}
DARK = {
    "key": "#74c0fc",
    "string": "#8ce99a",
    "number": "#ffa94d",
    "keyword": "#e599f7",
    "builtin": "#66d9e8",
    "variable": "#66d9e8",
    "attr": "#e599f7",
    "punct": "#adb5bd",
    "comment": "#868e96",
    "error": "#ff8787",
}
MAX_HIGHLIGHT_COLUMNS = 5000
"""Only the start of a longer line is highlighted (lexing is per visible line)."""


MAX_STEP = 16_384
"""Most characters inserted in one step: the cost per character grows with the document
(0.4 to 1.2 µs measured), so an adaptive step alone overshoots."""


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Base).lightness() < 128


def role_formats(dark: bool) -> dict[str, QTextCharFormat]:
    """A QTextCharFormat per colour role of `content.role_of`."""
    formats: dict[str, QTextCharFormat] = {}
    for role, colour in (DARK if dark else LIGHT).items():
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(colour))
        if role == "comment":
            fmt.setFontItalic(True)
        formats[role] = fmt
    return formats


def _utf16_columns(line: str) -> Callable[[int], int] | None:
    """Maps a code point column to a UTF-16 column, or None when they are the same."""
    if line.isascii() or all(ord(ch) < 0x10000 for ch in line):
        return None
    astral = [i for i, ch in enumerate(line) if ord(ch) >= 0x10000]
    return lambda col: col + bisect.bisect_left(astral, col)


def format_ranges(
    spans: Sequence[Span], formats: dict[str, QTextCharFormat], line: str
) -> list[QTextLayout.FormatRange]:
    to16 = _utf16_columns(line)
    ranges = []
    for start, length, role in spans:
        fmt = formats.get(role)
        if fmt is None:
            continue
        rng = QTextLayout.FormatRange()
        if to16 is None:
            rng.start, rng.length = start, length
        else:
            rng.start = to16(start)
            rng.length = to16(start + length) - rng.start
        rng.format = fmt
        ranges.append(rng)
    return ranges


class CodeView(QPlainTextEdit):
    """Read-only monospace text with lazy highlighting, chunked appends and find marks."""

    highlighted = Signal()  # some visible lines got their colours (tests, benchmarks)
    utf16_positions = True  # find: match positions are QTextDocument positions

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setFont(mono_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self._formats = role_formats(is_dark(self))
        self._line_lexer: Lexer | None = None
        self._table: list[list[Span]] | None = None
        self._generation = 1
        self._step = 8192  # characters per insertion step; adapts to keep steps short
        self.setDocument(self._new_document())
        self._matches: list[tuple[int, int]] = []  # find: (start, end) document positions
        self._current = -1
        self._marked: tuple[int, int, int, int] | None = None  # what the marks were made for
        self._busy = False
        self.updateRequest.connect(self._on_update)

    # --- content ------------------------------------------------------------------

    def _new_document(self) -> QTextDocument:
        doc = QTextDocument()  # no parent: replacing it never deletes it in one go
        doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
        doc.setUndoRedoEnabled(False)
        doc.setDocumentMargin(6)
        doc.setDefaultFont(self.font())
        self._doc = doc
        return doc

    def reset(self) -> None:
        """Empty the view and forget highlighting and find marks.

        Clearing is one step whatever the size (about 100 ms for a million lines, only
        after "Show all" of a huge body): emptying a document a slice at a time measured
        far slower, as removing a range of lines costs more than dropping them all."""
        self._line_lexer = None
        self._table = None
        self._matches = []
        self._current = -1
        self._marked = None
        self._generation += 1
        self.setExtraSelections([])
        self.document().clear()

    def setDocument(self, document: QTextDocument) -> None:
        super().setDocument(document)
        self.setFont(self.font())

    def set_text_now(self, text: str) -> None:
        """Replace the text in one step: only for small texts."""
        self._generation += 1
        self.setPlainText(text)

    async def append_text(self, text: str, budget: float = 0.010) -> None:
        """Append `text` in steps of about `budget` seconds, yielding to the loop between
        steps so the window keeps painting and answering."""
        doc = self.document()
        pos = 0
        n = len(text)
        while pos < n:
            end = min(n, pos + self._step)
            if end < n:
                nl = text.rfind("\n", pos, end)
                if nl > pos:
                    end = nl + 1
            started = time.perf_counter()
            cursor = QTextCursor(doc)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(text[pos:end])
            spent = time.perf_counter() - started
            if spent > 0:
                self._step = int(min(MAX_STEP, max(2048, self._step * budget / spent)))
            pos = end
            self.highlight_visible()
            await asyncio.sleep(0)

    # --- highlighting -------------------------------------------------------------

    def set_line_lexer(self, lexer: Lexer | None) -> None:
        """Highlight each visible line by lexing it alone with `lexer` (None: no colours)."""
        self._line_lexer = lexer
        self._table = None
        self._rehighlight()

    def set_table(self, table: list[list[Span]] | None) -> None:
        """Highlight from spans computed for the whole text (`content.lex_lines`)."""
        self._table = table
        self._line_lexer = None
        self._rehighlight()

    def set_table_from(self, text: str, lexer: Lexer) -> None:
        """Lex `text` here and now (small texts only)."""
        self.set_table(lex_lines(text, lexer))

    @property
    def highlighting(self) -> bool:
        return self._line_lexer is not None or self._table is not None

    def _rehighlight(self) -> None:
        # Blocks are redone when next on screen (their state is from an older generation).
        self._generation += 1
        self.highlight_visible()

    def _on_update(self, rect: QRect, dy: int) -> None:
        if not self._busy:
            self.highlight_visible()

    def visible_blocks_range(self) -> tuple[int, int]:
        """First and last block numbers on screen."""
        block = self.firstVisibleBlock()
        first = block.blockNumber()
        last = first
        offset = self.contentOffset()
        bottom = self.viewport().height()
        while block.isValid():
            top = self.blockBoundingGeometry(block).translated(offset).top()
            if top > bottom:
                break
            last = block.blockNumber()
            block = block.next()
        return first, last

    def highlight_visible(self) -> None:
        """Give the blocks on screen their colours (each block once)."""
        self._busy = True
        try:
            self._highlight_visible()
        finally:
            self._busy = False

    def _highlight_visible(self) -> None:
        doc = self.document()
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        bottom = self.viewport().height()
        touched = False
        while block.isValid():
            if self.blockBoundingGeometry(block).translated(offset).top() > bottom:
                break
            if block.userState() != self._generation:
                line = block.text()
                spans: Sequence[Span] = ()
                if self._line_lexer is not None:
                    spans = tokens_for_line(line[:MAX_HIGHLIGHT_COLUMNS], self._line_lexer)
                elif self._table is not None and block.blockNumber() < len(self._table):
                    spans = self._table[block.blockNumber()]
                block.setUserState(self._generation)
                if spans or block.layout().formats():
                    block.layout().setFormats(format_ranges(spans, self._formats, line))
                    doc.markContentsDirty(block.position(), block.length())
                    touched = True
            block = block.next()
        if self._matches:
            self._mark_visible_matches()
        if touched:
            self.highlighted.emit()

    def format_at(self, position: int) -> QTextCharFormat:
        """The highlighting format at a document position (tests, and tooltips later)."""
        block = self.document().findBlock(position)
        col = position - block.position()
        ranges = block.layout().formats()
        for rng in ranges:
            if rng.start <= col < rng.start + rng.length:
                return QTextCharFormat(rng.format)
        return QTextCharFormat()

    # --- find marks ---------------------------------------------------------------

    def selected_text(self) -> str:
        """The selection, with line ends as U+2029 (QTextCursor.selectedText)."""
        return self.textCursor().selectedText()

    def selection_start(self) -> int:
        return self.textCursor().selectionStart()

    def set_matches(self, matches: list[tuple[int, int]], current: int) -> None:
        """Mark find results (document positions); `current` is selected and shown."""
        self._matches = matches
        self._current = current
        self._marked = (-1, -1, -1, -1)  # marks are stale
        if 0 <= current < len(matches):
            start, end = matches[current]
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
            self.centerCursor()
        self._mark_visible_matches()

    def _mark_visible_matches(self) -> None:
        if not self._matches:
            if self._marked is not None:
                self._marked = None
                self.setExtraSelections([])
            return
        first_block = self.firstVisibleBlock()
        first_pos = first_block.position()
        cursor = self.cursorForPosition(self.viewport().rect().bottomRight())
        last_pos = cursor.block().position() + cursor.block().length()
        key = (first_pos, last_pos, self._current, len(self._matches))
        if key == self._marked:
            return
        self._marked = key
        starts = [m[0] for m in self._matches] if len(self._matches) < 4096 else None
        if starts is not None:
            lo = bisect.bisect_left(starts, first_pos - 1)
        else:
            lo = bisect.bisect_left(self._matches, (first_pos - 1, 0))
        dark = is_dark(self)
        other = QColor("#5c4a00" if dark else "#fff3bf")
        current = QColor("#b35c00" if dark else "#ffc078")
        selections = []
        for i in range(max(0, lo - 1), len(self._matches)):
            start, end = self._matches[i]
            if start > last_pos:
                break
            sel = QTextEdit.ExtraSelection()
            sel.cursor = QTextCursor(self.document())
            sel.cursor.setPosition(start)
            sel.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.format.setBackground(current if i == self._current else other)
            if i == self._current:
                sel.format.setProperty(QTextFormat.Property.OutlinePen, QColor("#e8590c"))
            selections.append(sel)
        self.setExtraSelections(selections)

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self.highlight_visible()


class SpanHighlighter(QSyntaxHighlighter):
    """A plain QSyntaxHighlighter over a lexed table: for small texts (code snippets)."""

    def __init__(self, document: QTextDocument, lexer: Lexer, dark: bool = False) -> None:
        super().__init__(document)
        self._lexer = lexer
        self._formats = role_formats(dark)
        self._table: list[list[Span]] = []

    def set_text(self, text: str) -> None:
        self._table = lex_lines(text, self._lexer)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        number = self.currentBlock().blockNumber()
        if number >= len(self._table):
            return
        for rng in format_ranges(self._table[number], self._formats, text):
            self.setFormat(rng.start, rng.length, rng.format)


def bold(font: QFont) -> QFont:
    font = QFont(font)
    font.setBold(True)
    return font
