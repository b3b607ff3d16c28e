"""CodePanel: the current request as code to copy, in the language picked (remembered by
the window in the `code.language` setting), highlighted, with Copy.

The languages are `explorer.http.snippets.SNIPPETS`: adding one there adds it here. The
options menu (⋯) writes secrets inline (for this session only: the default reads them
from environment variables) and spells curl's options long."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.http.snippets import (
    SNIPPETS,
    Snippet,
    SnippetContext,
    SnippetOptions,
    env_names,
)
from explorer.ui.style import mono_font

if TYPE_CHECKING:  # these load with the first snippet shown, not for the first paint
    from explorer.http.model import PreparedRequest
    from explorer.ui.response.highlight import SpanHighlighter

__all__ = ["CodePanel"]


class CodePanel(QWidget):
    """The request as code, highlighted, with Copy."""

    language_changed = Signal(str)
    """The user picked another language (its name)."""
    long_flags_changed = Signal(bool)
    """The user turned curl's long options on or off."""

    def __init__(self) -> None:
        super().__init__()
        self.prepared: PreparedRequest | None = None
        self.context = SnippetContext()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 4, 6, 4)
        bar.setSpacing(8)
        title = QLabel("Code")
        title.setStyleSheet("font-weight: 600;")
        self.language = QComboBox()
        self.language.setObjectName("snippetLanguage")
        for snippet in SNIPPETS:
            self.language.addItem(snippet.title, snippet.name)
        self.language.setToolTip("The language of the code")
        self.language.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.language.currentIndexChanged.connect(self._language_changed)
        self.options_button = QToolButton()
        self.options_button.setObjectName("snippetOptions")
        self.options_button.setText("⋯")
        self.options_button.setAutoRaise(True)
        self.options_button.setToolTip("Options of the code")
        self.options_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.inline_action = QAction("Write secrets inline (this session)", self)
        self.inline_action.setCheckable(True)
        self.inline_action.toggled.connect(lambda _on: self._render())
        self.long_action = QAction("curl: long option names", self)
        self.long_action.setCheckable(True)
        self.long_action.toggled.connect(self._long_toggled)
        self.options_button.addAction(self.inline_action)
        self.options_button.addAction(self.long_action)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the code to the clipboard")
        self.copy_button.clicked.connect(self.copy)
        self._copy_reset = QTimer(self)
        self._copy_reset.setSingleShot(True)
        self._copy_reset.setInterval(1500)
        self._copy_reset.timeout.connect(self._reset_copy_label)
        self.hide_button = QToolButton()
        self.hide_button.setObjectName("hideCode")
        self.hide_button.setText("›")
        self.hide_button.setAutoRaise(True)
        self.hide_button.setToolTip("Hide the code panel (Ctrl+Shift+C)")
        bar.addWidget(title)
        bar.addWidget(self.language)
        bar.addWidget(self.options_button)
        bar.addStretch(1)
        bar.addWidget(self.copy_button)
        bar.addWidget(self.hide_button)
        layout.addLayout(bar)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setContentsMargins(10, 2, 10, 4)
        self.note.setStyleSheet("color: #b35c00;")
        self.note.hide()
        layout.addWidget(self.note)
        self.editor = QPlainTextEdit()
        self.editor.setReadOnly(True)
        self.editor.setFont(mono_font())
        self.editor.setTabStopDistance(self.editor.fontMetrics().horizontalAdvance(" ") * 4)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.document().setDocumentMargin(8)
        self.editor.setPlaceholderText("Select an endpoint to see its request as code")
        layout.addWidget(self.editor, 1)
        self._highlighters: dict[str, SpanHighlighter] = {}
        self._unfinished = ""
        self._highlighter: SpanHighlighter | None = None
        self._error = ""

    @property
    def snippet(self) -> Snippet:
        return SNIPPETS[max(0, self.language.currentIndex())]

    @property
    def options(self) -> SnippetOptions:
        """How the code is written now (secrets inline only when asked, this session)."""
        return SnippetOptions(
            secrets="inline" if self.inline_action.isChecked() else "env",
            long_flags=self.long_action.isChecked(),
        )

    def set_language(self, name: str) -> None:
        """Show the code in the language called `name` (unknown names are ignored)."""
        index = self.language.findData(name)
        if index >= 0:
            self.language.setCurrentIndex(index)

    def set_long_flags(self, on: bool) -> None:
        self.long_action.setChecked(on)

    def _long_toggled(self, on: bool) -> None:
        self.long_flags_changed.emit(on)
        self._render()

    @property
    def text(self) -> str:
        return self.editor.toPlainText()

    def set_request(
        self,
        prepared: PreparedRequest | None,
        error: str = "",
        unfinished: str = "",
        context: SnippetContext | None = None,
    ) -> None:
        """Show `prepared` as code, or `error` (a request that cannot be built). With
        `unfinished` (why the request cannot be sent yet), `prepared` is the request as
        far as it is filled in (unfilled path parameters as `{name}`), shown with that
        sentence above it. `context` (the document, operation and form input) names the
        SDK-style snippets."""
        self.prepared = prepared
        self.context = context or SnippetContext()
        self._error = error
        self._unfinished = unfinished
        self._render()

    def copy(self) -> None:
        if not self.text or self._error:
            return
        QGuiApplication.clipboard().setText(self.text)
        self.copy_button.setText("Copied ✓")
        self._copy_reset.start()

    def _reset_copy_label(self) -> None:
        self.copy_button.setText("Copy")

    def _language_changed(self, _index: int) -> None:
        self.language_changed.emit(self.snippet.name)
        self._render()

    def _render(self) -> None:
        if self._highlighter is not None:
            self._highlighter.setDocument(None)
            self._highlighter = None
        prepared = self.prepared
        wrap = QPlainTextEdit.LineWrapMode
        self.editor.setLineWrapMode(wrap.WidgetWidth if self._error else wrap.NoWrap)
        if self._error:
            self.editor.setPlainText(self._error)
            self.editor.setStyleSheet("QPlainTextEdit { color: #c92a2a; }")
            self.note.hide()
            self.copy_button.setEnabled(False)
            return
        self.editor.setStyleSheet("")
        if prepared is None:
            self.editor.setPlainText("")
            self.note.hide()
            self.copy_button.setEnabled(False)
            return
        snippet = self.snippet
        try:
            text = snippet.generate(prepared, self.options, self.context)
        except Exception as exc:  # a generator bug must not break the panel
            self.editor.setPlainText(f"Could not make the {snippet.name} snippet: {exc}")
            self.copy_button.setEnabled(False)
            return
        self.copy_button.setEnabled(True)
        self.editor.setPlainText(text)
        from explorer.http.content import lexer_for
        from explorer.ui.response.highlight import SpanHighlighter, is_dark

        lexer = lexer_for(snippet.lexer)
        if lexer is not None:
            highlighter = SpanHighlighter(self.editor.document(), lexer, is_dark(self.editor))
            highlighter.set_text(text)
            self._highlighter = highlighter
        names = env_names(text, prepared)
        notes: list[str] = []
        tips: list[str] = []
        if self._unfinished:
            notes.append(f"Not ready to run: {self._unfinished}")
        if self.inline_action.isChecked() and prepared.secrets:
            notes.append("Secrets are written out: do not share this code.")
        elif names:
            shown = ", ".join(f"${n}" for n in names)
            verb = "it" if len(names) == 1 else "them"
            notes.append(f"Secrets are shown as {shown}; export {verb} before running.")
            tips += [f"export {n}=…" for n in names] + ["The secret itself is not shown."]
        self.note.setText("\n".join(notes))
        self.note.setToolTip("\n".join(tips))
        self.note.setVisible(bool(notes))
