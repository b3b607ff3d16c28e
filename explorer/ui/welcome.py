"""The centre page when no endpoint is selected: the API's welcome (title, counts, its
description through the one sanitising Markdown path), or why a document could not open.
On the ECOSIRE demo it also lists the common operations, each with a ready snippet in the
code panel's language, Copy and Open."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from explorer import spec as spec_mod
from explorer.ui.safe_text import SafeBrowser, html_text, markdown_to_html, tooltip
from explorer.ui.style import mono_font

if TYPE_CHECKING:
    from explorer.snippet import CommonOperation
    from explorer.ui.response.highlight import SpanHighlighter

__all__ = ["WelcomePage"]

SNIPPET_LINES = 7
"""Lines of each common operation's snippet shown (it scrolls for the rest)."""


class WelcomePage(QWidget):
    """The centre page when no endpoint is selected: the API's welcome, or a load error."""

    open_requested = Signal()
    reopen_requested = Signal(str)
    operation_requested = Signal(str)
    """Open on a common operation: its endpoint ("METHOD /path")."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton("Open another document…")
        self.button.clicked.connect(self.open_requested)
        self.reopen_button = QPushButton()
        self.reopen_button.setVisible(False)
        self._reopen_source = ""
        self.reopen_button.clicked.connect(lambda: self.reopen_requested.emit(self._reopen_source))
        self.button.setVisible(False)
        self.description = SafeBrowser()
        self.description.setFrameShape(QFrame.Shape.NoFrame)
        # The page's own background shows through (a transparent Base, rather than
        # viewport().setAutoFillBackground(False): the first Python wrapper of a plain
        # QWidget pointer makes PySide load every QtWidgets class, ~10 ms at start-up).
        palette = self.description.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor(0, 0, 0, 0))
        self.description.setPalette(palette)
        self.description.setVisible(False)
        layout.addWidget(self.heading)
        layout.addSpacing(8)
        layout.addWidget(self.body)
        layout.addWidget(self.description, 1)
        self.operations = QScrollArea()
        self.operations.setObjectName("commonOperations")
        self.operations.setWidgetResizable(True)
        self.operations.setFrameShape(QFrame.Shape.NoFrame)
        self.operations.setVisible(False)
        self.snippet_views: list[QPlainTextEdit] = []
        self._highlighters: list[SpanHighlighter] = []
        layout.addWidget(self.operations, 2)
        layout.addSpacing(12)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addWidget(self.reopen_button)
        row.addStretch(1)
        layout.addLayout(row)
        self._stretch = QWidget()
        layout.addWidget(self._stretch, 1)

    def _describe(self, markdown: str) -> None:
        self.description.setHtml(markdown_to_html(markdown) if markdown else "")
        self.description.setVisible(bool(markdown))
        self._stretch.setVisible(not markdown)

    def show_loading(self, source: str) -> None:
        self.operations.setVisible(False)
        self.heading.setText(f"<h2>Opening {html_text(Path(source).name or source, 300)}…</h2>")
        self.body.setText("")
        self._describe("")
        self.button.setVisible(False)

    def offer_reopen(self, source: str) -> None:
        """A button to reopen the document of the last session (empty: none)."""
        name = Path(source).name if source and "://" not in source else source
        self._reopen_source = source
        self.reopen_button.setText(f"Reopen {name[:120]}")
        self.reopen_button.setToolTip(tooltip(source))
        self.reopen_button.setVisible(bool(source))

    def show_spec(self, api: spec_mod.Spec) -> None:
        from explorer.webhooks.events import count_events

        ops = len(api.operations)
        events = count_events(api)
        hooks = f" · {events} webhook event{'' if events == 1 else 's'}" if events else ""
        self.heading.setText(
            f"<h2>{html_text(api.title, 300)} <span style='color:#868e96'>"
            f"{html_text(api.version, 100)}</span></h2>"
        )
        self.body.setText(
            f"<p>{ops} endpoint{'' if ops == 1 else 's'} in {len(api.modules)} modules{hooks}"
            " · OpenAPI "
            f"{html_text(api.openapi_version, 100)}</p>"
            "<p style='color:#868e96'>Pick an endpoint on the left, or press "
            "<b>Ctrl+K</b> and type to find one; <b>Ctrl+Enter</b> sends it.</p>"
        )
        self._describe(api.description)
        self.button.setVisible(False)

    def show_operations(
        self, operations: list[CommonOperation], language: str = "", lexer: str = ""
    ) -> None:
        """List the common operations with their snippets (in `language`, coloured by
        `lexer`); an empty list hides the section."""
        self._highlighters = []
        self.snippet_views = []
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 8, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        heading = QLabel(f"<h3>Common operations <span style='color:#868e96'>"
                         f"{html_text(language, 100)}</span></h3>")  # fmt: skip
        heading.setTextFormat(Qt.TextFormat.RichText)
        grid.addWidget(heading, 0, 0, 1, 3)
        row = 1
        for item in operations:
            title = QLabel(f"<b>{html_text(item.title, 100)}</b> <span style='color:#868e96'>"
                           f"{html_text(item.key, 200)}</span>")  # fmt: skip
            title.setTextFormat(Qt.TextFormat.RichText)
            open_button = QPushButton("Open")
            open_button.setToolTip(tooltip(f"Open {item.key} in a tab"))
            open_button.clicked.connect(
                lambda _c=False, k=item.key: self.operation_requested.emit(k)
            )
            copy_button = QPushButton("Copy")
            copy_button.setEnabled(bool(item.text))
            view = QPlainTextEdit()
            view.setReadOnly(True)
            view.setFont(mono_font())
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            view.setPlainText(item.text or item.error)
            line = view.fontMetrics().lineSpacing()
            shown = min(SNIPPET_LINES, (item.text or item.error).count("\n") + 1)
            view.setFixedHeight(line * shown + 16)
            copy_button.clicked.connect(lambda _c=False, t=item.text: self._copy(t))
            grid.addWidget(title, row, 0)
            grid.addWidget(open_button, row, 1)
            grid.addWidget(copy_button, row, 2)
            grid.addWidget(view, row + 1, 0, 1, 3)
            self.snippet_views.append(view)
            self._colour(view, lexer)
            row += 2
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(row, 1)
        self.operations.setWidget(box)
        self.operations.setVisible(bool(operations))

    def _colour(self, view: QPlainTextEdit, lexer_kind: str) -> None:
        from explorer.http.content import lexer_for
        from explorer.ui.response.highlight import SpanHighlighter, is_dark

        lexer = lexer_for(lexer_kind) if lexer_kind else None
        if lexer is not None:
            highlighter = SpanHighlighter(view.document(), lexer, is_dark(view))
            highlighter.set_text(view.toPlainText())
            self._highlighters.append(highlighter)

    @staticmethod
    def _copy(text: str) -> None:
        if text:
            QGuiApplication.clipboard().setText(text)

    def show_error(self, source: str, error: str) -> None:
        self.heading.setText("<h2 style='color:#e03131'>This document could not be opened</h2>")
        self.body.setText(
            f"<p><b>{html_text(source)}</b></p>"
            f"<pre style='white-space:pre-wrap'>{html_text(error, 10_000)}</pre>"
        )
        self._describe("")
        self.operations.setVisible(False)
        self.button.setVisible(True)
