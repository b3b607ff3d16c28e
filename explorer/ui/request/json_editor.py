"""A small code editor for request bodies: line numbers, JSON colouring, error marks.

`CodeEditor` is a QPlainTextEdit with a gutter (line numbers, a red dot on lines that have
an error) and wavy red underlines on those lines. `JsonHighlighter` colours JSON one line
at a time with a hand-written tokenizer (JSON strings cannot span lines, so a line is
always tokenized on its own, and Qt only re-highlights the lines that changed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from explorer.ui.safe_text import tooltip
from explorer.ui.style import mono_font

__all__ = ["CodeEditor", "JsonHighlighter"]

_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*"?)'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"|(?P<keyword>\btrue\b|\bfalse\b|\bnull\b)"
    r"|(?P<punct>[{}\[\],:])"
)
_AFTER_KEY = re.compile(r"\s*:")


def _fmt(color: str, bold: bool = False) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setForeground(QColor(color))
    if bold:
        f.setFontWeight(QFont.Weight.DemiBold)
    return f


class JsonHighlighter(QSyntaxHighlighter):
    """JSON colours: keys, strings, numbers, true/false/null, punctuation."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats = {
            "key": _fmt("#1c5d99"),
            "string": _fmt("#2b8a3e"),
            "number": _fmt("#c2410c"),
            "keyword": _fmt("#9c36b5", bold=True),
            "punct": _fmt("#6c757d"),
        }

    def highlightBlock(self, text: str) -> None:
        if len(text) > 5000:  # a minified megabyte on one line: leave it plain
            return
        formats = self._formats
        for m in _TOKEN.finditer(text):
            kind = m.lastgroup or "punct"
            start, end = m.span()
            if kind == "string" and _AFTER_KEY.match(text, end):
                kind = "key"
            self.setFormat(start, end - start, formats[kind])


class _Gutter(QWidget):
    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_gutter(event)


class CodeEditor(QPlainTextEdit):
    """A monospace plain-text editor with a line-number gutter and error marks.

    `set_error_lines({line: message})` (0-based lines) puts a red dot in the gutter, a
    wavy underline under the line and the message in the line's tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(mono_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(False)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 2)
        self._gutter = _Gutter(self)
        self._errors: dict[int, str] = {}
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._on_update_request)
        self._update_margins()

    # -- gutter ---------------------------------------------------------------------------

    def gutter_width(self) -> int:
        digits = max(3, len(str(max(1, self.blockCount()))))
        return 14 + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_margins(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        """Draw the line numbers and error dots of the visible lines."""
        painter = QPainter(self._gutter)
        painter.fillRect(event.rect(), QColor("#f4f5f7"))
        painter.setPen(QColor("#e1e4e8"))
        right = self._gutter.width() - 1
        painter.drawLine(right, event.rect().top(), right, event.rect().bottom())
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = self._gutter.width() - 8
        current = self.textCursor().blockNumber()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                if number in self._errors:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(QColor("#e03131"))
                    d = max(6, height // 2 - 1)
                    painter.drawEllipse(3, top + (height - d) // 2, d, d)
                painter.setPen(QColor("#343a40") if number == current else QColor("#9aa0a6"))
                painter.drawText(
                    0, top, width, height, Qt.AlignmentFlag.AlignRight, str(number + 1)
                )
            block = block.next()
            top = bottom
            number += 1
        painter.end()

    # -- errors ---------------------------------------------------------------------------

    def set_error_lines(self, errors: Mapping[int, str]) -> None:
        """Mark these 0-based lines as wrong (gutter dot, wavy underline, tooltip)."""
        self._errors = dict(errors)
        selections: list[QTextEdit.ExtraSelection] = []
        doc = self.document()
        for line in sorted(self._errors)[:500]:
            block = doc.findBlockByNumber(line)
            if not block.isValid():
                continue
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor("#e03131"))
            fmt.setBackground(QColor(224, 49, 49, 22))
            fmt.setToolTip(tooltip(self._errors[line]))
            sel.format = fmt
            cursor = QTextCursor(block)
            text = block.text()
            indent = len(text) - len(text.lstrip())
            cursor.setPosition(block.position() + indent)
            cursor.setPosition(
                block.position() + len(text.rstrip()), QTextCursor.MoveMode.KeepAnchor
            )
            if not cursor.hasSelection():
                cursor = QTextCursor(block)
                cursor.setPosition(block.position())
                fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
                sel.format = fmt
            sel.cursor = cursor
            selections.append(sel)
        self.setExtraSelections(selections)
        self._gutter.update()

    def error_lines(self) -> dict[int, str]:
        """The 0-based lines marked as wrong, with their messages."""
        return dict(self._errors)

    def go_to_line(self, line: int, column: int = 0) -> None:
        """Put the cursor on a 0-based line (and column), show it and focus the editor."""
        block = self.document().findBlockByNumber(max(0, line))
        if not block.isValid():
            block = self.document().lastBlock()
        cursor = QTextCursor(block)
        text = block.text()
        if column <= 0:
            column = len(text) - len(text.lstrip())
        cursor.setPosition(block.position() + min(column, len(text)))
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._gutter.update()

    def event(self, e: object) -> bool:
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QHelpEvent
        from PySide6.QtWidgets import QToolTip

        if isinstance(e, QHelpEvent) and e.type() == QEvent.Type.ToolTip and self._errors:
            cursor = self.cursorForPosition(self.viewport().mapFrom(self, e.pos()))
            message = self._errors.get(cursor.blockNumber())
            if message:
                QToolTip.showText(e.globalPos(), message, self)
                return True
        return super().event(e)  # type: ignore[arg-type]

    # -- editing comfort ------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter keeps the indentation (one step more after { or [)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            cursor = self.textCursor()
            text = cursor.block().text()[: cursor.positionInBlock()]
            indent = text[: len(text) - len(text.lstrip())]
            if text.rstrip().endswith(("{", "[")):
                indent += "  "
            cursor.insertText("\n" + indent)
            self.ensureCursorVisible()
            return
        super().keyPressEvent(event)


def lines_with_messages(pairs: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Merge (line, message) pairs into {line: "message\\nmessage"}."""
    out: dict[int, str] = {}
    for line, message in pairs:
        out[line] = f"{out[line]}\n{message}" if line in out else message
    return out
