"""`BigTextView`: a read-only text view for very big texts (millions of lines).

A QPlainTextEdit builds a layout block per line: taking 30 MB of pretty JSON costs it about
30 s of steps and freeing it a few hundred milliseconds. Here the text is kept as the
pieces it arrived in (each ending at a line end) with the number of their first line
(`str.count`); where each line of a piece starts is worked out with C-level calls
(`str.split`, `map(len)`, `accumulate`) when a line of that piece is first shown, and only
the lines on screen are painted, lexed and coloured. Appending a 128 KB piece costs a few
hundredths of a millisecond; dropping the text is freeing a few hundred strings.

Positions (selection, find matches) are code point offsets into `text()`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from itertools import accumulate, pairwise

from pygments.lexer import Lexer
from PySide6.QtCore import QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QMenu, QWidget

from explorer.http.content import Span, tokens_for_line
from explorer.ui.response.highlight import DARK, LIGHT, MAX_HIGHLIGHT_COLUMNS, is_dark
from explorer.ui.style import mono_font

__all__ = ["BigTextView"]

MARGIN = 6
"""Pixels around the text (the document margin of the small view)."""

_CACHE_LINES = 4096
"""Lexed lines kept; the cache is dropped when it grows past this."""

_PLUS_ONE = (1).__add__


class BigTextView(QAbstractScrollArea):
    """Read-only monospace text painted a visible line at a time; see the module docstring.

    Feed it with `append_text()` (any number of times), colour it with `set_line_lexer()` or
    `set_table()`, mark find results with `set_matches()`. Keyboard: arrows, PageUp/Down,
    Home/End, Ctrl+Home/End (Shift extends the selection), Ctrl+A, Ctrl+C. Mouse: drag to
    select characters, double-click a word, triple-click or drag in the margin for lines."""

    highlighted = Signal()  # some visible lines got their colours (tests, benchmarks)
    utf16_positions = False  # find: match positions are code point offsets

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.setFont(mono_font())
        self._line_lexer: Lexer | None = None
        self._table: list[list[Span]] | None = None
        self._spans: dict[int, Sequence[Span]] = {}
        self._matches: list[tuple[int, int]] = []
        self._current = -1
        self._anchor = 0  # selection: anchor and cursor, positions in text()
        self._cursor = 0
        self._press_line: int | None = None  # a line selection drag started here
        self._click_count = 0
        self._multi_click = QTimer(self)
        self._multi_click.setSingleShot(True)
        self._multi_click.setInterval(QGuiApplication.styleHints().mouseDoubleClickInterval())
        self._pending_update = False
        self.clear()

    # --- content ------------------------------------------------------------------

    def clear(self) -> None:
        """Drop the text, colours, selection and marks (instant at any size)."""
        self._chunks: list[str] = []  # committed text, each piece ends with "\n"
        self._chunk_pos: list[int] = []  # where each piece starts in text()
        self._chunk_line: list[int] = []  # the number of each piece's first line
        self._offsets: dict[int, list[int]] = {}  # piece -> its line starts (built lazily)
        self._size = 0  # characters in the committed pieces
        self._lines = 0  # lines in the committed pieces
        self._carry = ""  # the last line, not yet ended by "\n"
        self._max_len = 0  # the longest line seen (pieces whose lines were looked at)
        self._joined: str | None = None
        self._line_lexer = None
        self._table = None
        self._spans = {}
        self._matches = []
        self._current = -1
        self._anchor = self._cursor = 0
        self.horizontalScrollBar().setValue(0)
        self.verticalScrollBar().setValue(0)
        self._update_scrollbars()
        self.viewport().update()

    def append_text(self, piece: str) -> None:
        """Add `piece` at the end. Cheap: its lines are only counted (`str.count`); where
        each starts is worked out when a line of the piece is first shown."""
        if not piece:
            return
        first_new = self._lines
        data = self._carry + piece
        nl = data.rfind("\n")
        if nl < 0:
            self._carry = data
        else:
            done = data[: nl + 1]
            self._carry = data[nl + 1 :]
            self._chunks.append(done)
            self._chunk_pos.append(self._size)
            self._chunk_line.append(self._lines)
            self._size += len(done)
            self._lines += done.count("\n")
        self._max_len = max(self._max_len, len(self._carry))
        self._joined = None
        self._update_scrollbars()
        if first_new <= self.first_visible_line() + self._visible_count():  # on screen
            self._schedule_update()

    def _chunk_offsets(self, c: int) -> list[int]:
        """Where each line of piece `c` starts, relative to the piece (and its length last)."""
        offsets = self._offsets.get(c)
        if offsets is None:
            lengths = list(map(len, self._chunks[c].split("\n")))
            lengths.pop()  # the "" after the last "\n"
            self._max_len = max(self._max_len, max(lengths))
            offsets = list(accumulate(map(_PLUS_ONE, lengths), initial=0))
            if len(self._offsets) > 64:
                self._offsets = {}
            self._offsets[c] = offsets
            self._update_scrollbars()
        return offsets

    def text(self) -> str:
        """All the text (joined once, then cached)."""
        if self._joined is None:
            self._joined = "".join(self._chunks) + self._carry
        return self._joined

    def line_count(self) -> int:
        return self._lines + 1

    def line_start(self, line: int) -> int:
        """The text position where line `line` (0-based) starts."""
        if line >= self._lines:
            return self._size
        c = bisect.bisect_right(self._chunk_line, line) - 1
        return self._chunk_pos[c] + self._chunk_offsets(c)[line - self._chunk_line[c]]

    def line_text(self, line: int) -> str:
        """The text of line `line` (0-based) without its line end."""
        if line >= self._lines:
            return self._carry if line == self._lines else ""
        c = bisect.bisect_right(self._chunk_line, line) - 1
        offsets = self._chunk_offsets(c)
        i = line - self._chunk_line[c]
        return self._chunks[c][offsets[i] : offsets[i + 1] - 1]

    def line_of(self, position: int) -> int:
        """The line holding text position `position`."""
        if position >= self._size:
            return self._lines
        c = max(0, bisect.bisect_right(self._chunk_pos, position) - 1)
        offsets = self._chunk_offsets(c)
        rel = position - self._chunk_pos[c]
        return self._chunk_line[c] + bisect.bisect_right(offsets, rel) - 1

    def position_of(self, line: int, column: int) -> int:
        return self.line_start(line) + column

    def text_length(self) -> int:
        return self._size + len(self._carry)

    # --- colours ------------------------------------------------------------------

    def set_line_lexer(self, lexer: Lexer | None) -> None:
        """Colour each visible line by lexing it alone (exact for JSON)."""
        self._line_lexer = lexer
        self._table = None
        self._spans = {}
        self.viewport().update()

    def set_table(self, table: list[list[Span]] | None) -> None:
        """Colour from spans computed for the whole text (`content.LineTable`)."""
        self._table = table
        self._line_lexer = None
        self._spans = {}
        self.viewport().update()

    @property
    def highlighting(self) -> bool:
        return self._line_lexer is not None or self._table is not None

    def spans_of(self, line: int) -> Sequence[Span]:
        """The colour spans of a line (lexed when first asked)."""
        spans = self._spans.get(line)
        if spans is None:
            if self._line_lexer is not None:
                text = self.line_text(line)[:MAX_HIGHLIGHT_COLUMNS]
                spans = tokens_for_line(text, self._line_lexer)
            elif self._table is not None and line < len(self._table):
                spans = self._table[line]
            else:
                spans = ()
            if len(self._spans) > _CACHE_LINES:
                self._spans = {}
            self._spans[line] = spans
        return spans

    def colour_at(self, position: int) -> str:
        """The colour name of the text at `position` ("" for default text)."""
        line = self.line_of(position)
        col = position - self.line_start(line)
        colours = DARK if is_dark(self) else LIGHT
        for start, length, role in self.spans_of(line):
            if start <= col < start + length:
                return colours.get(role, "")
        return ""

    # --- selection and find -------------------------------------------------------

    def selection(self) -> tuple[int, int]:
        """(start, end) of the selection in text positions (equal when none)."""
        return min(self._anchor, self._cursor), max(self._anchor, self._cursor)

    def select(self, start: int, end: int) -> None:
        self._anchor, self._cursor = start, end
        self.viewport().update()

    def selected_text(self) -> str:
        start, end = self.selection()
        if start == end:
            return ""
        if self._joined is not None:
            return self._joined[start:end]
        first, last = self.line_of(start), self.line_of(end)
        head = self.line_text(first)
        col0 = start - self.line_start(first)
        if first == last:
            return head[col0 : end - self.line_start(first)]
        if last - first >= 5000:
            return self.text()[start:end]
        middle = [self.line_text(i) for i in range(first + 1, last)]
        tail = self.line_text(last)[: end - self.line_start(last)]
        return "\n".join([head[col0:], *middle, tail])

    def selection_start(self) -> int:
        return self.selection()[0]

    def select_all(self) -> None:
        self.select(0, self.text_length())

    def copy(self) -> None:
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def set_matches(self, matches: list[tuple[int, int]], current: int) -> None:
        """Mark find results (text positions); `current` is selected and scrolled to."""
        self._matches = matches
        self._current = current
        if 0 <= current < len(matches):
            start, end = matches[current]
            self._anchor, self._cursor = start, end
            self.ensure_visible(start, center=True)
            self.ensure_visible(end)
        self.viewport().update()

    # --- geometry -----------------------------------------------------------------

    def line_height(self) -> int:
        return QFontMetrics(self.font()).lineSpacing()

    def char_width(self) -> float:
        return QFontMetrics(self.font()).horizontalAdvance("M" * 10) / 10

    def _visible_count(self) -> int:
        return max(1, (self.viewport().height() - MARGIN) // max(1, self.line_height()) + 1)

    def first_visible_line(self) -> int:
        return self.verticalScrollBar().value()

    def visible_lines(self) -> tuple[int, int]:
        """First and last line on screen."""
        first = self.first_visible_line()
        return first, min(self.line_count() - 1, first + self._visible_count() - 1)

    def _update_scrollbars(self) -> None:
        page = max(1, (self.viewport().height() - 2 * MARGIN) // max(1, self.line_height()))
        vbar = self.verticalScrollBar()
        vbar.setPageStep(page)
        vbar.setSingleStep(1)
        vbar.setRange(0, max(0, self.line_count() - page))
        hbar = self.horizontalScrollBar()
        width = int(self._max_len * self.char_width()) + 2 * MARGIN + 2
        hbar.setPageStep(self.viewport().width())
        hbar.setSingleStep(int(self.char_width() * 4))
        hbar.setRange(0, max(0, width - self.viewport().width()))

    def _schedule_update(self) -> None:
        if not self._pending_update:
            self._pending_update = True
            QTimer.singleShot(0, self._do_update)

    def _do_update(self) -> None:
        self._pending_update = False
        self.viewport().update()

    def ensure_visible(self, position: int, center: bool = False) -> None:
        """Scroll so that `position` is on screen (in the middle when `center`)."""
        line = self.line_of(position)
        vbar = self.verticalScrollBar()
        page = vbar.pageStep()
        if center:
            if not (vbar.value() <= line < vbar.value() + page):
                vbar.setValue(line - page // 2)
        elif line < vbar.value():
            vbar.setValue(line)
        elif line >= vbar.value() + page:
            vbar.setValue(line - page + 1)
        text = self.line_text(line)
        col = position - self.line_start(line)
        fm = QFontMetrics(self.font())
        x = fm.horizontalAdvance(text[:col]) + MARGIN
        hbar = self.horizontalScrollBar()
        width = self.viewport().width()
        if x < hbar.value() + MARGIN:
            hbar.setValue(max(0, x - width // 3))
        elif x > hbar.value() + width - MARGIN:
            hbar.setValue(x - width * 2 // 3)

    def position_at(self, point: QPoint) -> int:
        """The text position nearest to a point of the viewport."""
        lh = self.line_height()
        line = self.first_visible_line() + (point.y() - MARGIN) // max(1, lh)
        line = max(0, min(self.line_count() - 1, line))
        x = point.x() + self.horizontalScrollBar().value() - MARGIN
        text = self.line_text(line)
        fm = QFontMetrics(self.font())
        lo, hi = 0, len(text)
        while lo < hi:  # first column whose middle lies right of x
            mid = (lo + hi) // 2
            if fm.horizontalAdvance(text[:mid]) + fm.horizontalAdvance(text[mid]) / 2 < x:
                lo = mid + 1
            else:
                hi = mid
        return self.line_start(line) + lo

    # --- painting -----------------------------------------------------------------

    def paintEvent(self, e: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        palette = self.palette()
        painter.fillRect(e.rect(), palette.color(QPalette.ColorRole.Base))
        painter.setFont(self.font())
        fm = QFontMetrics(self.font())
        lh = fm.lineSpacing()
        ascent = fm.ascent()
        dark = is_dark(self)
        colours = {role: QColor(c) for role, c in (DARK if dark else LIGHT).items()}
        default = palette.color(QPalette.ColorRole.Text)
        sel_bg = palette.color(QPalette.ColorRole.Highlight)
        sel_fg = palette.color(QPalette.ColorRole.HighlightedText)
        other = QColor("#5c4a00" if dark else "#fff3bf")
        current = QColor("#b35c00" if dark else "#ffc078")
        dx = MARGIN - self.horizontalScrollBar().value()
        width = self.viewport().width()
        cw = self.char_width()
        first, last = self.visible_lines()
        sel_start, sel_end = self.selection()
        lexed = False
        for line in range(first, last + 1):
            top = MARGIN + (line - first) * lh
            text = self.line_text(line)
            line_start = self.line_start(line)
            # Only the columns that can be on screen are drawn.
            col0 = max(0, int((-dx) / cw) - 8) if dx < 0 else 0
            col1 = min(len(text), int((width - dx) / cw) + 8)
            if col0 and not text[:col0].isascii():
                col0 = 0
            # find marks
            if self._matches:
                lo = bisect.bisect_left(self._matches, (line_start, -1))
                lo = max(0, lo - 1)
                for i in range(lo, len(self._matches)):
                    ms, me = self._matches[i]
                    if ms > line_start + len(text):
                        break
                    if me < line_start:
                        continue
                    a = max(ms, line_start) - line_start
                    b = min(me, line_start + len(text)) - line_start
                    x0 = dx + fm.horizontalAdvance(text[:a])
                    w = fm.horizontalAdvance(text[a:b])
                    rect = QRect(int(x0), top, max(1, int(w)), lh)
                    painter.fillRect(rect, current if i == self._current else other)
                    if i == self._current:
                        painter.setPen(QColor("#e8590c"))
                        painter.drawRect(rect.adjusted(0, 0, -1, -1))
            # selection background
            line_end = line_start + len(text)
            if sel_start != sel_end and sel_start <= line_end and sel_end > line_start:
                a = max(sel_start, line_start) - line_start
                b = min(sel_end, line_end) - line_start
                x0 = dx + fm.horizontalAdvance(text[:a])
                x1 = float(dx + fm.horizontalAdvance(text[:b]))
                if sel_end > line_end:  # the line end is selected too
                    x1 += cw
                painter.fillRect(QRect(int(x0), top, max(1, int(x1 - x0)), lh), sel_bg)
            # text, coloured
            if line not in self._spans and self.highlighting:
                lexed = True
            spans = self.spans_of(line)
            pos = col0
            x = dx + (fm.horizontalAdvance(text[:col0]) if col0 else 0)
            baseline = top + ascent
            runs: list[tuple[int, int, QColor]] = []
            for start, length, role in spans:
                end = start + length
                if end <= col0 or role not in colours:
                    continue
                if start >= col1:
                    break
                start = max(start, col0)
                if start > pos:
                    runs.append((pos, start, default))
                runs.append((start, min(end, col1), colours[role]))
                pos = min(end, col1)
            if pos < col1:
                runs.append((pos, col1, default))
            for a, b, colour in runs:
                piece = text[a:b]
                selected = sel_start < line_start + b and sel_end > line_start + a
                if selected and not (sel_start <= line_start + a and sel_end >= line_start + b):
                    # split the run at the selection edges
                    cuts = sorted(
                        {
                            a,
                            b,
                            *(
                                p - line_start
                                for p in (sel_start, sel_end)
                                if a < p - line_start < b
                            ),
                        }
                    )
                    for c0, c1 in pairwise(cuts):
                        inside = sel_start <= line_start + c0 and sel_end >= line_start + c1
                        painter.setPen(sel_fg if inside else colour)
                        seg = text[c0:c1]
                        painter.drawText(int(x), baseline, seg)
                        x += fm.horizontalAdvance(seg)
                    continue
                painter.setPen(sel_fg if selected else colour)
                painter.drawText(int(x), baseline, piece)
                x += fm.horizontalAdvance(piece)
        # caret
        if self.hasFocus():
            line = self.line_of(self._cursor)
            if first <= line <= last:
                text = self.line_text(line)
                x = dx + fm.horizontalAdvance(text[: self._cursor - self.line_start(line)])
                top = MARGIN + (line - first) * lh
                painter.fillRect(QRect(int(x), top, 1, lh), default)
        painter.end()
        if lexed:
            self.highlighted.emit()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self._update_scrollbars()

    def focusInEvent(self, e: QFocusEvent) -> None:
        super().focusInEvent(e)
        self.viewport().update()  # the caret

    def focusOutEvent(self, e: QFocusEvent) -> None:
        super().focusOutEvent(e)
        self.viewport().update()

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:
        menu = QMenu(self)
        copy = menu.addAction("Copy")
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setEnabled(self.selection()[0] != self.selection()[1])
        copy.triggered.connect(self.copy)
        menu.addSeparator()
        select_all = menu.addAction("Select All")
        select_all.setShortcut(QKeySequence.StandardKey.SelectAll)
        select_all.triggered.connect(self.select_all)
        menu.exec(e.globalPos())

    # --- keyboard -----------------------------------------------------------------

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return
        if e.matches(QKeySequence.StandardKey.SelectAll):
            self.select_all()
            return
        key = e.key()
        mods = e.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        line = self.line_of(self._cursor)
        col = self._cursor - self.line_start(line)
        page = self.verticalScrollBar().pageStep()
        last = self.line_count() - 1
        target: int | None = None
        if key == Qt.Key.Key_Home:
            target = 0 if ctrl else self.line_start(line)
        elif key == Qt.Key.Key_End:
            target = (
                self.text_length() if ctrl else self.line_start(line) + len(self.line_text(line))
            )
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            step = {
                Qt.Key.Key_Up: -1,
                Qt.Key.Key_Down: 1,
                Qt.Key.Key_PageUp: -page,
                Qt.Key.Key_PageDown: page,
            }[Qt.Key(key)]
            if ctrl and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                vbar = self.verticalScrollBar()
                vbar.setValue(vbar.value() + step)
                return
            new_line = max(0, min(last, line + step))
            target = self.line_start(new_line) + min(col, len(self.line_text(new_line)))
            if key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                vbar = self.verticalScrollBar()
                vbar.setValue(vbar.value() + step)
        elif key == Qt.Key.Key_Left:
            target = max(0, self._cursor - 1)
        elif key == Qt.Key.Key_Right:
            target = min(self.text_length(), self._cursor + 1)
        if target is None:
            super().keyPressEvent(e)
            return
        self._cursor = target
        if not shift:
            self._anchor = target
        self.ensure_visible(target)
        self.viewport().update()

    # --- mouse --------------------------------------------------------------------

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(e)
            return
        self.setFocus()
        self._click_count = self._click_count + 1 if self._multi_click.isActive() else 1
        self._multi_click.start()
        pos = self.position_at(e.position().toPoint())
        line = self.line_of(pos)
        in_margin = e.position().x() < MARGIN
        if self._click_count >= 3 or in_margin:
            self._press_line = line
            self._select_lines(line, line)
            return
        self._press_line = None
        if self._click_count == 2:
            self._select_word(pos)
            return
        self._cursor = pos
        if not e.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._anchor = pos
        self.viewport().update()

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:
        self.mousePressEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if not e.buttons() & Qt.MouseButton.LeftButton:
            return
        point = e.position().toPoint()
        vbar = self.verticalScrollBar()
        if point.y() < 0:
            vbar.setValue(vbar.value() - 1)
        elif point.y() > self.viewport().height():
            vbar.setValue(vbar.value() + 1)
        pos = self.position_at(point)
        if self._press_line is not None:
            self._select_lines(self._press_line, self.line_of(pos))
        else:
            self._cursor = pos
        self.ensure_visible(self._cursor)
        self.viewport().update()

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self._press_line = None
            clipboard = QGuiApplication.clipboard()
            text = self.selected_text()
            if text and clipboard.supportsSelection():
                clipboard.setText(text, clipboard.Mode.Selection)
            e.accept()
            return
        super().mouseReleaseEvent(e)

    def _select_lines(self, a: int, b: int) -> None:
        first, last = min(a, b), max(a, b)
        end = self.line_start(last + 1) if last + 1 < self.line_count() else self.text_length()
        if a <= b:
            self._anchor, self._cursor = self.line_start(first), end
        else:
            self._anchor, self._cursor = end, self.line_start(first)
        self.viewport().update()

    def _select_word(self, pos: int) -> None:
        line = self.line_of(pos)
        text = self.line_text(line)
        col = pos - self.line_start(line)
        a = col
        while a > 0 and (text[a - 1].isalnum() or text[a - 1] == "_"):
            a -= 1
        b = col
        while b < len(text) and (text[b].isalnum() or text[b] == "_"):
            b += 1
        self.select(self.line_start(line) + a, self.line_start(line) + b)
