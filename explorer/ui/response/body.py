"""The Body tab: Pretty or Raw text with highlighting and find, images, or a hex view.

Small bodies (under SYNC_LIMIT) are shown in one step. Bigger ones go through one tracked
task: decoding, re-indenting and lexing run in worker threads; the text goes into the view
in steps of about 20 ms, so the window keeps painting and answering. Past LARGE_LIMIT only
the first PREVIEW_CHARS are shown, with "Show all". Past BIG_LIMIT (and after "Show all")
the text goes into a `BigTextView` rather than the CodeView: it paints a visible line at a
time, with no per-line layout to build or free, so taking and dropping millions of lines
is cheap (it does not wrap lines). Past HIGHLIGHT_LIMIT a whole-text lexer
(XML, HTML, YAML) is not run unless asked ("Highlight anyway"). JSON is lexed a visible
line at a time, which costs the same at any size, so it is always highlighted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Generator, Iterator

from pygments.lexer import Lexer
from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.http.content import (
    BodyKind,
    JsonSyntaxError,
    LineTable,
    break_long_lines,
    break_long_piece,
    classify,
    decode_body,
    display_text,
    human_size,
    lex_lines,
    lexer_for,
    pretty_json_chunks,
    pretty_xml,
    suggested_file_name,
)
from explorer.http.model import ResponseResult
from explorer.ui.response.bigtext import BigTextView
from explorer.ui.response.findbar import FindBar
from explorer.ui.response.hexview import HexView
from explorer.ui.response.highlight import CodeView
from explorer.ui.response.imageview import ImageView
from explorer.ui.safe_text import cut
from explorer.workbench.tasks import TaskSlot

__all__ = ["BodyView"]

SYNC_LIMIT = 64 * 1024
HIGHLIGHT_LIMIT = 2 * 1024 * 1024
LARGE_LIMIT = 10 * 1024 * 1024
PREVIEW_CHARS = 1024 * 1024
XML_PRETTY_LIMIT = 1024 * 1024
BIG_LIMIT = 2 * 1024 * 1024
"""Bodies bigger than this (bytes) are shown in a BigTextView (no line wrapping)."""
BIG_STEP = 512 * 1024
"""Characters given to the BigTextView in one step (about 2 ms of splitting)."""

_KIND_NAMES = {
    "json": "JSON",
    "xml": "XML",
    "html": "HTML",
    "yaml": "YAML",
    "text": "Text",
    "image": "Image",
    "binary": "Binary",
    "empty": "",
}


STEP_BUDGET = 0.008
"""Seconds of work between two visits to the event loop (re-indenting, lexing)."""


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def json_string_at(line: str, column: int) -> str | None:
    """The value of the JSON string literal of `line` that `column` falls in (its quotes
    included), or None: a key (followed by a colon) is not a value."""
    for match in _JSON_STRING.finditer(line):
        if match.start() <= column <= match.end():
            if line[match.end() :].lstrip().startswith(":"):
                return None
            try:
                value = json.loads(match.group())
            except ValueError:
                return None
            return value if isinstance(value, str) and value else None
        if match.start() > column:
            break
    return None


async def _take(gen: Iterator[str], size: int) -> str:
    """Pull pieces from `gen` until about `size` characters, yielding to the loop every
    STEP_BUDGET seconds."""
    out: list[str] = []
    got = 0
    deadline = time.perf_counter() + STEP_BUDGET
    for piece in gen:
        out.append(piece)
        got += len(piece)
        if got >= size:
            break
        if time.perf_counter() > deadline:
            await asyncio.sleep(0)
            deadline = time.perf_counter() + STEP_BUDGET
    return "".join(out)


def _cut(text: str, limit: int) -> str:
    """The first `limit` characters, ending at a line end when there is one."""
    if len(text) <= limit:
        return text
    nl = text.rfind("\n", 0, limit)
    return text[: nl + 1] if nl > limit // 2 else text[:limit]


class _Segmented(QWidget):
    """Two or more checkable buttons that look like one control."""

    def __init__(self, labels: list[str]) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.group = QButtonGroup(self)
        self.buttons: list[QToolButton] = []
        for i, label in enumerate(labels):
            button = QToolButton()
            button.setText(label)
            button.setCheckable(True)
            button.setObjectName("segment")
            pos = "first" if i == 0 else "last" if i == len(labels) - 1 else "middle"
            button.setProperty("segment", pos)
            self.group.addButton(button, i)
            layout.addWidget(button)
            self.buttons.append(button)
        self.buttons[0].setChecked(True)
        self.setStyleSheet(
            "QToolButton#segment { padding: 2px 10px; border: 1px solid palette(mid);"
            " background: palette(button); }"
            "QToolButton#segment:checked { background: palette(highlight);"
            " color: palette(highlighted-text); border-color: palette(highlight); }"
            "QToolButton#segment[segment='first'] { border-top-left-radius: 4px;"
            " border-bottom-left-radius: 4px; }"
            "QToolButton#segment[segment='last'] { border-top-right-radius: 4px;"
            " border-bottom-right-radius: 4px; border-left: none; }"
        )


class BodyView(QWidget):
    """Shows one response body; see the module docstring for how big bodies are handled."""

    text_shown = Signal()  # the first text is in the view
    render_finished = Signal()  # all the text that will be shown is in the view
    token_chosen = Signal(str)  # "Use as token" on a string of the body
    menu: QMenu | None = None  # the text's context menu last shown

    def __init__(self) -> None:
        super().__init__()
        self._result: ResponseResult | None = None
        self._kind: BodyKind = "empty"
        self._raw_text: str | None = None  # decoded body, line ends normalised
        self._pieces: list[str] = []  # what the text view holds
        self._joined: str | None = None
        self._show_all = False
        self._force_highlight = False
        self._render = TaskSlot("render body")
        self._lex = TaskSlot("highlight body")
        self.rendering = False
        self._big_mode = False
        # The whole pretty JSON text of the current result, once re-indented (pieces as
        # shown, whether long lines were broken): Pretty again after Raw does not redo it.
        self._pretty_whole: tuple[list[str], bool] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)
        bar.setSpacing(6)
        self.mode = _Segmented(["Pretty", "Raw"])
        self.mode.group.idClicked.connect(self._mode_clicked)
        self.kind_label = QLabel("")
        self.kind_label.setStyleSheet("color: palette(placeholder-text);")
        self.note_label = QLabel("")
        self.note_label.setStyleSheet("color: #b35c00;")
        self.kind_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)  # may quote the body
        self.highlight_button = QPushButton("Highlight anyway")
        self.highlight_button.setToolTip("Colour the whole text (takes a few seconds)")
        self.highlight_button.clicked.connect(self._highlight_anyway)
        self.show_all_button = QPushButton("Show all")
        self.show_all_button.clicked.connect(self.show_all)
        self.wrap_button = QToolButton()
        self.wrap_button.setText("Wrap")
        self.wrap_button.setCheckable(True)
        self.wrap_button.setToolTip("Wrap long lines")
        self.wrap_button.toggled.connect(self._set_wrap)
        self.find_button = QToolButton()
        self.find_button.setText("Find")
        self.find_button.setToolTip("Find in body (Ctrl+F)")
        self.copy_button = QToolButton()
        self.copy_button.setText("Copy")
        self.copy_button.setToolTip("Copy the body as received")
        self.copy_button.clicked.connect(self.copy_body)
        self._copy_reset = QTimer(self)
        self._copy_reset.setSingleShot(True)
        self._copy_reset.setInterval(1500)
        self._copy_reset.timeout.connect(self._reset_copy_label)
        self.save_button = QToolButton()
        self.save_button.setText("Save…")
        self.save_button.setToolTip("Save the body to a file")
        bar.addWidget(self.mode)
        bar.addWidget(self.kind_label)
        bar.addWidget(self.note_label)
        bar.addStretch(1)
        tools: tuple[QWidget, ...] = (
            self.highlight_button,
            self.show_all_button,
            self.wrap_button,
            self.find_button,
            self.copy_button,
            self.save_button,
        )
        for w in tools:
            bar.addWidget(w)
        self.highlight_button.hide()
        self.show_all_button.hide()
        self.toolbar = QWidget()
        self.toolbar.setLayout(bar)
        layout.addWidget(self.toolbar)

        self.stack = QStackedWidget()
        text_page = QWidget()
        text_layout = QVBoxLayout(text_page)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.setSpacing(0)
        self.text = CodeView()
        self.big = BigTextView()  # "Show all" of a huge body
        self.big.hide()
        self.find_bar = FindBar(self.text, self.shown_text)
        text_layout.addWidget(self.text, 1)
        text_layout.addWidget(self.big, 1)
        text_layout.addWidget(self.find_bar)
        self.image = ImageView()
        self.hex = HexView()
        self.empty = QLabel("No body")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)  # the server's reason phrase
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 13px;")
        for page in (text_page, self.image, self.hex, self.empty):
            self.stack.addWidget(page)
        self._text_page = text_page
        layout.addWidget(self.stack, 1)

        self.find_button.clicked.connect(self.open_find)
        self.save_button.clicked.connect(self.hex.ask_save)
        shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.open_find)
        self.text_shown.connect(self.find_bar.refresh)
        self.text.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.text.customContextMenuRequested.connect(self._text_menu)

    def token_at(self, pos: QPoint) -> str | None:
        """The text "Use as token" takes at `pos` of the text view: the selection when
        there is one (a single line), else the JSON string under the pointer."""
        selected = self.text.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            return selected.strip() or None
        if self._kind != "json":
            return None
        cursor = self.text.cursorForPosition(pos)
        return json_string_at(cursor.block().text(), cursor.positionInBlock())

    def _text_menu(self, pos: QPoint) -> None:
        menu = self.text.createStandardContextMenu(pos)
        token = self.token_at(pos)
        if token:
            menu.addSeparator()
            shown = token if len(token) <= 24 else token[:10] + "…" + token[-10:]
            action = menu.addAction(f"Use “{shown}” as token")
            action.setToolTip("Keep it as the token of a credential slot of this environment")
            action.triggered.connect(lambda: self.token_chosen.emit(token))
        # not exec(): a nested event loop would stall the window's tasks while it is open
        menu.aboutToHide.connect(menu.deleteLater)
        self.menu = menu
        menu.popup(self.text.viewport().mapToGlobal(pos))

    # --- public -------------------------------------------------------------------

    @property
    def kind(self) -> BodyKind:
        return self._kind

    @property
    def showing_big(self) -> bool:
        """The text is in the BigTextView (after "Show all"), not the CodeView."""
        return self._big_mode

    def _view(self) -> CodeView | BigTextView:
        return self.big if self._big_mode else self.text

    def _use_big(self, on: bool) -> None:
        self._big_mode = on
        self.big.setVisible(on)
        self.text.setVisible(not on)
        self.find_bar.set_view(self.big if on else self.text)
        if self._kind not in ("image", "binary", "empty"):
            self.wrap_button.setVisible(not on)

    @property
    def pretty(self) -> bool:
        return self.mode.group.checkedId() == 0

    def set_pretty(self, pretty: bool) -> None:
        self.mode.buttons[0 if pretty else 1].setChecked(True)
        self._rerender()

    def shown_text(self) -> str:
        """The text the view holds (what find searches)."""
        if self._joined is None:
            self._joined = "".join(self._pieces)
        return self._joined

    def set_result(self, result: ResponseResult) -> None:
        """Show the body of `result` (cancels any rendering still going on)."""
        self._cancel()
        self._result = result
        self._raw_text = None
        self._pretty_whole = None
        self._show_all = False
        self._force_highlight = False
        self._kind = classify(result.content_type, result.body)
        self.hex.suggested_name = suggested_file_name(result)
        self.hex.model.set_data(result.body)
        self.kind_label.setText(_KIND_NAMES[self._kind])
        self._rerender()

    def clear(self) -> None:
        self._cancel()
        self._result = None
        self._raw_text = None
        self._pretty_whole = None
        self._set_pieces([])
        self.text.reset()
        self.big.clear()
        self._use_big(False)
        self.hex.model.set_data(b"")
        self._kind = "empty"
        self.kind_label.setText("")
        self.note_label.setText("")
        self.stack.setCurrentWidget(self.empty)

    def open_find(self) -> None:
        if self.stack.currentWidget() is self._text_page:
            self.find_bar.open_bar()

    def copy_body(self) -> None:
        """Put the body on the clipboard as received (decoded text)."""
        if self._result is None:
            return
        text = self._raw_text
        if text is None:
            text = decode_body(self._result.body, self._result.header("content-type")).text
        QGuiApplication.clipboard().setText(text)
        self.copy_button.setText("Copied ✓")
        self._copy_reset.start()

    def _reset_copy_label(self) -> None:
        self.copy_button.setText("Copy")

    def _mode_clicked(self, _id: int) -> None:
        self._rerender()

    def show_all(self) -> None:
        """Show the whole text of a body that was cut to a preview."""
        self._show_all = True
        self._rerender()

    # --- rendering ----------------------------------------------------------------

    def _cancel(self) -> None:
        self._render.cancel()
        self._lex.cancel()
        self.rendering = False

    def _set_pieces(self, pieces: list[str]) -> None:
        self._pieces = pieces
        self._joined = None

    def _rerender(self) -> None:
        self._cancel()
        result = self._result
        self.note_label.setText("")
        self.highlight_button.hide()
        self.show_all_button.hide()
        if result is None:
            self.stack.setCurrentWidget(self.empty)
            return
        kind = self._kind
        textual = kind not in ("image", "binary", "empty")
        self.toolbar.setVisible(kind != "binary")
        self.save_button.setVisible(kind != "empty")
        self.mode.setVisible(textual)
        self.find_button.setVisible(textual)
        self.wrap_button.setVisible(textual)
        self.copy_button.setVisible(textual)
        if kind == "empty":
            reason = cut(result.reason, 100)
            self.empty.setText(f"No body ({result.status} {reason})".replace(" )", ")"))
            self.stack.setCurrentWidget(self.empty)
            return
        if kind == "image":
            self._show_image(result)
            return
        if kind == "binary":
            self._show_hex(result)
            return
        self.stack.setCurrentWidget(self._text_page)
        self.text.reset()
        self.big.clear()
        self._use_big(self._show_all or len(result.body) > BIG_LIMIT)
        self._set_pieces([])
        if len(result.body) <= SYNC_LIMIT:
            self._render_small(result)
        else:
            self.rendering = True
            self._render.start(self._render_big(result))

    def _show_hex(self, result: ResponseResult) -> None:
        self.hex.set_bytes(result.body, result.content_type or "binary", self.hex.suggested_name)
        self.stack.setCurrentWidget(self.hex)

    def _show_image(self, result: ResponseResult) -> None:
        image = QImage.fromData(result.body)
        if image.isNull():
            self.note_label.setText("The image could not be decoded")
            self._show_hex(result)
            return
        fmt = (result.content_type.split("/")[-1].split("+")[0] or "image").upper()
        self.image.set_image(image, fmt, len(result.body))
        self.kind_label.setText(self.image.caption.text())
        self.stack.setCurrentWidget(self.image)

    def _render_small(self, result: ResponseResult) -> None:
        text = display_text(decode_body(result.body, result.header("content-type")).text)
        self._raw_text = text
        shown, note = text, ""
        lexer = None
        if self.pretty:
            if self._kind == "json":
                try:
                    shown = "".join(pretty_json_chunks(text))
                except JsonSyntaxError as exc:
                    shown, note = text, f"Not valid JSON ({exc}): shown as received"
                else:
                    lexer = lexer_for("json")
            elif self._kind == "xml":
                shown = pretty_xml(text) or text
                lexer = lexer_for("xml")
            else:
                lexer = lexer_for(self._kind)
        shown, broke = break_long_lines(shown)
        if broke:
            note = note or "Long lines are broken for display"
        self.note_label.setText(note)
        self._set_pieces([shown])
        self.text.set_text_now(shown)
        if lexer is not None:
            if self._kind == "json" and not note:
                self.text.set_line_lexer(lexer)
            else:
                self.text.set_table(lex_lines(shown, lexer))
        self.text_shown.emit()
        self.render_finished.emit()

    async def _render_big(self, result: ResponseResult) -> None:
        try:
            decoded = await asyncio.to_thread(
                decode_body, result.body, result.header("content-type")
            )
            text = await asyncio.to_thread(display_text, decoded.text)
            self._raw_text = text
            total = len(text)
            whole = self._show_all or total <= LARGE_LIMIT
            limit = 1 << 62 if whole else PREVIEW_CHARS
            shown = 0
            view = self._view()
            if self.pretty and self._kind == "json":
                view.set_line_lexer(lexer_for("json"))
                try:
                    if self._pretty_whole is not None and whole:
                        shown, complete = await self._replay(self._pretty_whole)
                    else:
                        shown, complete = await self._stream_json(text, limit)
                except JsonSyntaxError as exc:
                    if isinstance(view, BigTextView):
                        view.clear()
                    else:
                        view.reset()
                    self._set_pieces([])
                    self.note_label.setText(f"Not valid JSON ({exc}): shown as received")
                    shown, complete = await self._insert_plain(text, limit, None)
            else:
                lexer = lexer_for(self._kind) if self.pretty else None
                content = text
                if self.pretty and self._kind == "xml" and total <= XML_PRETTY_LIMIT:
                    pretty: str | None = await asyncio.to_thread(pretty_xml, text)
                    content = pretty or text
                shown, complete = await self._insert_plain(content, limit, lexer)
            if not complete:
                self.show_all_button.setText(f"Show all ({human_size(len(result.body))})")
                self.show_all_button.show()
                note = self.note_label.text()
                extra = f"Showing the first {human_size(shown)}"
                self.note_label.setText(f"{note} · {extra}" if note else extra)
        finally:
            self.rendering = False
        self.render_finished.emit()

    async def _stream_json(self, text: str, limit: int) -> tuple[int, bool]:
        gen: Generator[str, None, None] = pretty_json_chunks(text, chunk=2048)
        shown = 0
        first = True
        broke_any = False
        complete = False
        while shown < limit:
            piece = await _take(gen, 128 * 1024)
            if not piece:
                complete = True
                break
            piece, broke = break_long_lines(piece)
            broke_any = broke_any or broke
            self._pieces.append(piece)
            self._joined = None
            await self._append(piece)
            shown += len(piece)
            if self._show_all:
                self.note_label.setText(f"Showing all… {human_size(shown)}")
            if first:
                first = False
                self.text_shown.emit()
        with contextlib.suppress(JsonSyntaxError):
            gen.close()
        if complete and self._big_mode:
            self._pretty_whole = (list(self._pieces), broke_any)
        if self._show_all:
            self.note_label.setText("")
        if broke_any:
            self.note_label.setText("Long lines are broken for display")
        if first:
            self.text_shown.emit()
        return shown, complete

    async def _replay(self, whole: tuple[list[str], bool]) -> tuple[int, bool]:
        """Show pretty text kept from an earlier rendering of the same result."""
        pieces, broke = whole
        self._set_pieces(list(pieces))
        for i, piece in enumerate(pieces):
            await self._append(piece)
            if i == 0:
                self.text_shown.emit()
        if not pieces:
            self.text_shown.emit()
        if broke:
            self.note_label.setText("Long lines are broken for display")
        return sum(map(len, pieces)), True

    async def _insert_plain(
        self, content: str, limit: int, lexer: Lexer | None
    ) -> tuple[int, bool]:
        part = _cut(content, limit)
        complete = len(part) == len(content)
        if self._big_mode:
            return await self._insert_big(part, lexer), complete
        part, broke = break_long_lines(part)
        if broke:
            note = self.note_label.text()
            self.note_label.setText(note or "Long lines are broken for display")
        self._set_pieces([part])
        if lexer is not None:
            if len(part) <= HIGHLIGHT_LIMIT or self._force_highlight:
                self._lex.start(self._lex_table(part, lexer))
            else:
                self.highlight_button.show()
        # The first screenful goes in at once, the rest in steps.
        head = _cut(part, 8192)
        await self._append(head)
        self.text_shown.emit()
        await self.text.append_text(part[len(head) :])
        return len(part), complete

    async def _insert_big(self, part: str, lexer: Lexer | None) -> int:
        """Give `part` to the BigTextView a BIG_STEP at a time, long lines broken piece by
        piece (breaking 20 MB in one go holds the loop for 50 ms)."""
        self._set_pieces([])
        column = 0  # length of the unfinished line so far
        broke_any = False
        pos = 0
        shown = 0
        while pos < len(part):
            size = 8192 if pos == 0 else BIG_STEP  # the first screenful at once
            raw_piece = _cut(part[pos : pos + size], size)
            pos += len(raw_piece)
            piece, column, broke = break_long_piece(raw_piece, column)
            if broke and not broke_any:
                broke_any = True
                note = self.note_label.text()
                self.note_label.setText(note or "Long lines are broken for display")
            self._pieces.append(piece)
            self._joined = None
            shown += len(piece)
            await self._append(piece)
            if pos == len(raw_piece):
                self.text_shown.emit()
        if not part:
            self.text_shown.emit()
        if lexer is not None:
            if shown <= HIGHLIGHT_LIMIT or self._force_highlight:
                self._lex.start(self._lex_table(self.shown_text(), lexer))
            else:
                self.highlight_button.show()
        return shown

    async def _append(self, piece: str) -> None:
        """Add `piece` to the view in use, then let the loop run."""
        if self._big_mode:
            self.big.append_text(piece)
            await asyncio.sleep(0)
        else:
            await self.text.append_text(piece)

    async def _lex_table(self, text: str, lexer: Lexer) -> None:
        table = LineTable(text, lexer)
        while not table.run(STEP_BUDGET):
            await asyncio.sleep(0)
        self._view().set_table(table.lines)

    def _highlight_anyway(self) -> None:
        self.highlight_button.hide()
        self._force_highlight = True
        lexer = lexer_for(self._kind)
        if lexer is not None:
            self._lex.start(self._lex_table(self.shown_text(), lexer))

    def _set_wrap(self, on: bool) -> None:
        self.text.setLineWrapMode(
            QPlainTextEdit.LineWrapMode.WidgetWidth if on else QPlainTextEdit.LineWrapMode.NoWrap
        )
