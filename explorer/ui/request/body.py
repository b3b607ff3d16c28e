"""The Body tab: a choice of media type, then a JSON editor checked against the schema as
you type, form rows (urlencoded, multipart with file pickers), or a raw text editor.

The JSON text starts as the media type's first example, else a sample made from the
schema. Checking is debounced (250 ms) and runs in a worker thread (`asyncio.to_thread`)
from one tracked task when an event loop runs; each result lists its problems by JSON
pointer under the editor (click one to go to its line) and marks their lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.http.media import first_fitting_example, initial_text, media_kind
from explorer.http.model import BodyInput, FieldError, FormField
from explorer.jsonpointer import (
    line_of_pointer,
    pointer_lines,
    unescape_token,
)
from explorer.spec import MediaType, Operation, Spec
from explorer.spec.check import BodyCheck, check_json_body
from explorer.spec.form import entries_from_schema
from explorer.spec.values import format_value, is_binary
from explorer.ui.request.form import FieldRow, ParamForm
from explorer.ui.request.headers import KeyValueRows
from explorer.ui.request.json_editor import CodeEditor, JsonHighlighter, lines_with_messages
from explorer.ui.request.looks import DIM, ERROR, OK, colour_text, dim, title
from explorer.ui.safe_text import LABEL_CHARS, cut, tooltip

__all__ = ["BodyEditor"]

NO_BODY = "(no body)"
DEBOUNCE_MS = 250
FREE_MEDIA = tuple(
    MediaType(mt)
    for mt in (
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "text/plain",
        "application/xml",
    )
)
"""What an ad-hoc request may send."""
HIGHLIGHT_LIMIT = 300_000
"""Bodies longer than this (characters) are not coloured: Qt colours a whole document at
once when its text is set."""


class BodyEditor(QWidget):
    """The Body tab (see the module docstring). `on_edit()` after every edit,
    `on_issues(count)` when the number of problems shown changes."""

    def __init__(
        self,
        on_edit: Callable[[], None],
        on_issues: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_edit = on_edit
        self._on_issues = on_issues
        self._api: Spec | None = None
        self._op: Operation | None = None
        self._media: tuple[MediaType, ...] = ()
        self._texts: dict[str, str] = {}  # media type -> text, for text bodies
        self._example_choice: dict[str, int] = {}
        self._form_states: dict[str, dict[str, Any]] = {}
        self._loaded: str | None = None  # the media type the visible page shows
        self._form: ParamForm | None = None
        self._extra: KeyValueRows | None = None
        self._server_errors: list[FieldError] = []
        self._check: BodyCheck = BodyCheck()
        self._generation = 0
        self._task: asyncio.Task[None] | None = None
        self._loading = False
        self._checking = False  # a check is due or running: no verdict shown yet
        self._build()

    # -- widgets --------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.media_combo = QComboBox(self)
        self.media_combo.setToolTip("Content type of the body")
        self.media_combo.activated.connect(self._media_chosen)
        self.example_combo = QComboBox(self)
        self.example_combo.setToolTip("Start from an example of the spec")
        self.example_combo.activated.connect(self._example_chosen)
        self.example_label = QLabel("Example", self)
        self.example_label.setObjectName("dimLabel")
        dim(self.example_label)
        self.format_button = QToolButton(self)
        self.format_button.setText("Format")
        self.format_button.setToolTip("Indent the JSON")
        self.format_button.clicked.connect(self.format_json)
        self.reset_button = QToolButton(self)
        self.reset_button.setText("Reset")
        self.reset_button.setToolTip("Start again from the example or the schema's sample")
        self.reset_button.clicked.connect(self.reset)
        label = QLabel("Content type", self)
        label.setObjectName("dimLabel")
        dim(label)
        bar.addWidget(label)
        bar.addWidget(self.media_combo)
        bar.addSpacing(8)
        bar.addWidget(self.example_label)
        bar.addWidget(self.example_combo)
        bar.addStretch(1)
        bar.addWidget(self.format_button)
        bar.addWidget(self.reset_button)
        layout.addLayout(bar)

        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)
        self.none_page = QLabel("This operation takes no request body.", self)
        self.none_page.setObjectName("emptyNote")
        dim(self.none_page)
        self.none_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.none_page)

        json_page = QWidget(self)
        jl = QVBoxLayout(json_page)
        jl.setContentsMargins(0, 0, 0, 0)
        jl.setSpacing(4)
        self.editor = CodeEditor(json_page)
        self.editor.setObjectName("bodyEditor")
        self.highlighter = JsonHighlighter(self.editor.document())
        self.editor.textChanged.connect(self._text_changed)
        jl.addWidget(self.editor, 1)
        self.status = QLabel(json_page)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # quotes the parser's message
        self.status.setObjectName("bodyStatus")
        jl.addWidget(self.status)
        self.issue_list = QListWidget(json_page)
        self.issue_list.setObjectName("issueList")
        self.issue_list.setStyleSheet(
            "QListWidget { border: 1px solid #ffc9c9; border-radius: 4px; background: #fffafa; }"
        )
        self.issue_list.setUniformItemSizes(True)
        self.issue_list.itemActivated.connect(self._issue_clicked)
        self.issue_list.itemClicked.connect(self._issue_clicked)
        self.issue_list.hide()
        jl.addWidget(self.issue_list)
        self.json_page = json_page
        self.stack.addWidget(json_page)

        self.form_scroll = QScrollArea(self)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.stack.addWidget(self.form_scroll)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_check)

    # -- operation ------------------------------------------------------------------------

    def set_operation(self, api: Spec, op: Operation) -> None:
        """Show the body of this operation (the editor text is filled when first shown)."""
        rb = op.request_body
        self._set_media(
            api,
            op,
            rb.content if rb is not None else (),
            none_choice="last" if not (rb is not None and rb.required) else "",
        )

    def set_free(self, api: Spec | None) -> None:
        """An ad-hoc request: no body at first, any of the common media types by choice."""
        self._set_media(api, None, FREE_MEDIA, none_choice="first")

    def _set_media(
        self,
        api: Spec | None,
        op: Operation | None,
        media: tuple[MediaType, ...],
        none_choice: str,
    ) -> None:
        self._api, self._op = api, op
        self._media = media
        self._checking = False
        self._texts = {}
        self._example_choice = {}
        self._form_states = {}
        self._server_errors = []
        self._check = BodyCheck()
        self._generation += 1
        self._timer.stop()
        self._cancel_task()
        self.media_combo.blockSignals(True)
        self.media_combo.clear()
        if self._media and none_choice == "first":
            self.media_combo.addItem(NO_BODY)
        self.media_combo.addItems([m.media_type for m in self._media])
        if self._media and none_choice == "last":
            self.media_combo.addItem(NO_BODY)
        self.media_combo.setCurrentIndex(0 if self._media else -1)
        self.media_combo.blockSignals(False)
        self._loaded = None
        self.issue_list.clear()
        self.editor.set_error_lines({})
        if self.isVisible():
            self._load_page()
        else:
            self._update_bar()
            self._set_issue_count()

    def has_body(self) -> bool:
        return bool(self._media)

    def media_type(self) -> str | None:
        """The chosen media type, or None for no body."""
        text = self.media_combo.currentText()
        return None if not text or text == NO_BODY else text

    def _current_media(self) -> MediaType | None:
        mt = self.media_type()
        return next((m for m in self._media if m.media_type == mt), None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._loaded != self._page_key():
            self._load_page()

    def _page_key(self) -> str:
        return self.media_type() or NO_BODY

    def _text_for(self, media: MediaType) -> str:
        mt = media.media_type
        if mt not in self._texts:
            self._texts[mt] = initial_text(media, self._choice(media))
        return self._texts[mt]

    def _choice(self, media: MediaType) -> int:
        """The example the media type's body starts from (the first that fits, else the
        sample: `first_fitting_example`), or the one the user chose."""
        mt = media.media_type
        if mt not in self._example_choice:
            version = self._api.openapi_version if self._api is not None else "3.0"
            self._example_choice[mt] = first_fitting_example(media, version)
        return self._example_choice[mt]

    def _save_current(self) -> None:
        """Keep what the visible page holds before it shows something else."""
        if self._loaded is None or self._loaded == NO_BODY:
            return
        kind = media_kind(self._loaded)
        if kind in ("json", "raw"):
            self._texts[self._loaded] = self.editor.toPlainText()
        elif self._form is not None and self._extra is not None:
            self._form_states[self._loaded] = {
                "fields": self._form.state(),
                "extra": self._extra.state(),
            }

    def _load_page(self) -> None:
        media = self._current_media()
        self._loaded = self._page_key()
        self._update_bar()
        if media is None:
            self.none_page.setText(
                "No body will be sent." if self._media else "This operation takes no request body."
            )
            self.stack.setCurrentWidget(self.none_page)
            self._set_issue_count()
            return
        kind = media_kind(media.media_type)
        if kind in ("json", "raw"):
            text = self._text_for(media)
            self._loading = True
            try:
                colour = kind == "json" and len(text) <= HIGHLIGHT_LIMIT
                document = self.editor.document() if colour else None
                if self.highlighter.document() is not document:
                    self.highlighter.setDocument(document)
                self.editor.setPlainText(text)
            finally:
                self._loading = False
            self.editor.set_error_lines({})
            self.stack.setCurrentWidget(self.json_page)
            self._check = BodyCheck()
            self._checking = kind == "json"
            self._show_check()
            if kind == "json":
                self._timer.start()  # checked shortly, never while the form is being built
        else:
            self._build_form(media)
            self.stack.setCurrentWidget(self.form_scroll)
            self._set_issue_count()

    def _update_bar(self) -> None:
        media = self._current_media()
        has_examples = media is not None and len(media.examples) > 0
        self.example_combo.blockSignals(True)
        self.example_combo.clear()
        if media is not None and has_examples:
            for ex in media.examples:
                self.example_combo.addItem(cut(ex.summary or ex.name, 200))
            if media.schema is not None:
                self.example_combo.addItem("Sample from the schema")
            self.example_combo.setCurrentIndex(self._choice(media))
        self.example_combo.blockSignals(False)
        self.example_combo.setVisible(has_examples)
        self.example_label.setVisible(has_examples)
        kind = media_kind(media.media_type) if media is not None else ""
        self.format_button.setVisible(kind == "json")
        self.reset_button.setVisible(media is not None)
        self.media_combo.setVisible(bool(self._media))

    def _build_form(self, media: MediaType) -> None:
        multipart = media_kind(media.media_type) == "multipart"
        page = QWidget()
        pl = QVBoxLayout(page)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(6)
        entries = entries_from_schema(media.schema)
        self._form = ParamForm(
            entries, self._form_edited, sections=False, allow_files=multipart, parent=page
        )
        if entries:
            pl.addWidget(self._form)
        else:
            self._form.hide()
        extra_title = QLabel("More fields" if entries else "Fields", page)
        extra_title.setObjectName("sectionTitle")
        title(extra_title)
        extra_box = QWidget(page)
        el = QVBoxLayout(extra_box)
        el.setContentsMargins(12, 0, 12, 0)
        el.addWidget(extra_title)
        self._extra = KeyValueRows(
            self._on_edit,
            name_placeholder="Field",
            value_placeholder="Value",
            files=multipart,
            parent=extra_box,
        )
        el.addWidget(self._extra)
        pl.addWidget(extra_box)
        pl.addStretch(1)
        saved = self._form_states.get(media.media_type)
        if saved:
            self._form.restore_state(saved.get("fields") or {})
            self._extra.restore_state(saved.get("extra"))
        old = self.form_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.form_scroll.setWidget(page)

    def _form_edited(self, _row: FieldRow) -> None:
        self._set_issue_count()
        self._on_edit()

    # -- user actions ---------------------------------------------------------------------

    def _media_chosen(self, _index: int) -> None:
        self._save_current()
        self._server_errors = []
        self._load_page()
        self._on_edit()

    def _example_chosen(self, index: int) -> None:
        media = self._current_media()
        if media is None:
            return
        self._example_choice[media.media_type] = index
        self._texts.pop(media.media_type, None)
        self._load_page()
        self._on_edit()

    def fill_examples(self) -> None:
        """Fill an empty body with its example or sample, or a form body's empty fields
        with example values ("Fill with examples")."""
        media = self._current_media()
        if media is None:
            return
        if media_kind(media.media_type) in ("json", "raw"):
            if not self.text().strip():
                self.reset()
        elif self._form is not None:
            self._form.fill_examples()

    def reset(self) -> None:
        """Start the current media type again from its example or sample."""
        media = self._current_media()
        if media is None:
            return
        self._texts.pop(media.media_type, None)
        self._form_states.pop(media.media_type, None)
        self._load_page()
        self._on_edit()

    def format_json(self) -> None:
        """Pretty-print the JSON in the editor (left alone when it does not parse)."""
        try:
            value = json.loads(self.editor.toPlainText())
        except json.JSONDecodeError:
            return
        self.editor.setPlainText(json.dumps(value, indent=2, ensure_ascii=False))

    def set_text(self, text: str) -> None:
        """Replace the text of the current text body (as if typed)."""
        media = self._current_media()
        if media is None:
            return
        self._texts[media.media_type] = text
        if self._loaded == media.media_type:
            self.editor.setPlainText(text)

    def text(self) -> str:
        """The text of the current text body."""
        media = self._current_media()
        if media is None:
            return ""
        if self._loaded == media.media_type:
            return self.editor.toPlainText()
        return self._text_for(media)

    def form(self) -> ParamForm | None:
        """The form of an urlencoded or multipart body, when shown."""
        return self._form if self._loaded and media_kind(self._loaded) != "json" else None

    def extra_rows(self) -> KeyValueRows | None:
        return self._extra

    # -- checking -------------------------------------------------------------------------

    def _text_changed(self) -> None:
        if self._loading or self._loaded is None or self._loaded == NO_BODY:
            return
        if (
            self.highlighter.document() is not None
            and self.editor.document().characterCount() > HIGHLIGHT_LIMIT
        ):
            self._loading = True
            try:
                self.highlighter.setDocument(None)  # a pasted megabyte stays plain, and fast
            finally:
                self._loading = False
        if self._server_errors:
            self._server_errors = []
            self._show_check()
        if media_kind(self._loaded) == "json":
            self._generation += 1
            self._timer.start()
            if not self._checking:
                self._checking = True
                self._show_status()
        self._on_edit()

    def _cancel_task(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def _start_check(self) -> None:
        media = self._current_media()
        if media is None or media_kind(media.media_type) != "json":
            if self._checking:
                self._checking = False
                self._show_status()
            return
        text = self.editor.toPlainText()
        schema = media.schema
        version = self._api.openapi_version if self._api is not None else "3.1"
        generation = self._generation
        self._cancel_task()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            self._apply_check(generation, check_json_body(text, schema, version))
            return

        async def run() -> None:
            result = await asyncio.to_thread(check_json_body, text, schema, version)
            self._apply_check(generation, result)

        self._task = loop.create_task(run())

    def _apply_check(self, generation: int, result: BodyCheck) -> None:
        if generation != self._generation:
            return  # the text changed since: a newer check is on its way
        self._check = result
        self._checking = False
        self._show_check()

    def check_result(self) -> BodyCheck:
        """The last finished check of the JSON body."""
        return self._check

    def _show_check(self) -> None:
        check = self._check
        self.issue_list.clear()
        marks: list[tuple[int, str]] = []
        if check.parse_error:
            self._add_issue("", check.parse_error, check.parse_line, check.parse_column)
            marks.append((check.parse_line, check.parse_error))
        for pointer, message, line in check.issues:
            self._add_issue(pointer, message, line)
            marks.append((line, f"{pointer or '/'}: {message}"))
        text = self.editor.toPlainText()
        lines = dict(check.lines) if check.lines else None
        for err in self._server_errors:
            if lines is None:
                lines = pointer_lines(text)
            line = line_of_pointer(text, err.pointer, lines)
            self._add_issue(err.pointer, err.message, line, server=True)
            marks.append((line, f"{err.pointer or err.field}: {err.message} (server)"))
        self.editor.set_error_lines(lines_with_messages(marks))
        count = self.issue_list.count()
        self.issue_list.setVisible(count > 0)
        if count:
            row = self.issue_list.sizeHintForRow(0)
            frame = self.issue_list.frameWidth() * 2 + 4
            self.issue_list.setFixedHeight(min(count, 6) * row + frame)
        self._show_status()
        self._set_issue_count()

    def _show_status(self) -> None:
        """The verdict line under the JSON editor: "Checking…" until a check has run."""
        check = self._check
        count = self.issue_list.count()
        text = self.editor.toPlainText()
        if self.media_type() is None or media_kind(self.media_type() or "") != "json":
            self.status.hide()
        elif self._checking:
            self.status.setText("Checking…")
            colour_text(self.status, DIM)
            self.status.show()
        elif check.parse_error:
            self.status.setText("✗  " + check.parse_error)
            colour_text(self.status, ERROR)
            self.status.show()
        elif count:
            n = count
            self.status.setText(f"✗  {n} problem{'s' if n != 1 else ''} with the body")
            colour_text(self.status, ERROR)
            self.status.show()
        elif text.strip():
            self.status.setText("✓  Matches the schema" if self._has_schema() else "✓  Valid JSON")
            colour_text(self.status, OK)
            self.status.show()
        else:
            self.status.setText("Empty body")
            colour_text(self.status, DIM)
            self.status.show()

    def _has_schema(self) -> bool:
        media = self._current_media()
        return media is not None and media.schema is not None

    def _add_issue(
        self, pointer: str, message: str, line: int, column: int = -1, server: bool = False
    ) -> None:
        where = pointer or ("" if column >= 0 else "/")
        text = f"{where}  —  {message}" if where else message
        if server:
            text += "   (server)"
        if line >= 0:
            text += f"   · line {line + 1}"
        item = QListWidgetItem(cut(text, LABEL_CHARS))
        item.setData(Qt.ItemDataRole.UserRole, (line, column))
        item.setForeground(QColor("#c92a2a"))
        item.setToolTip(tooltip(message))
        self.issue_list.addItem(item)

    def _issue_clicked(self, item: QListWidgetItem) -> None:
        line, column = item.data(Qt.ItemDataRole.UserRole)
        self.editor.go_to_line(line, column if column >= 0 else 0)

    def issues(self) -> list[str]:
        """The problems listed under the editor, as shown."""
        return [self.issue_list.item(i).text() for i in range(self.issue_list.count())]

    def _set_issue_count(self) -> None:
        self._on_issues(self.issue_count())

    def issue_count(self) -> int:
        """Problems to flag on the tab: body issues and server errors."""
        if self._loaded is None or self._loaded == NO_BODY:
            return len(self._server_errors)
        if media_kind(self._loaded) in ("json", "raw"):
            return self.issue_list.count()
        return self._form.error_count() if self._form is not None else 0

    # -- server field errors --------------------------------------------------------------

    def show_field_errors(self, errors: Sequence[FieldError]) -> list[FieldError]:
        """Show errors on the body; returns those that found a place."""
        if self._loaded != self._page_key():
            self._load_page()
        media = self._current_media()
        if media is None or not errors:
            return []
        kind = media_kind(media.media_type)
        if kind == "json":
            self._server_errors = list(errors)
            self._show_check()
            return list(errors)
        if self._form is None:
            return []
        placed = []
        for err in errors:
            name = _top_name(err)
            row = self._form.row(name) if name else None
            if row is not None:
                self._form.show_error(row, err.message)
                placed.append(err)
        self._set_issue_count()
        return placed

    def clear_field_errors(self) -> None:
        if self._server_errors:
            self._server_errors = []
            self._show_check()
        if self._form is not None:
            self._form.clear_server_errors()
            self._set_issue_count()

    def first_error_line(self) -> int:
        lines = sorted(self.editor.error_lines())
        return lines[0] if lines else -1

    # -- input and state ------------------------------------------------------------------

    def body_input(self) -> BodyInput | None:
        """The body to send, or None."""
        media = self._current_media()
        if media is None:
            return None
        kind = media_kind(media.media_type)
        if kind in ("json", "raw"):
            return BodyInput(media.media_type, text=self.text())
        if self._loaded != media.media_type:
            self._load_page()
        fields: list[FormField] = []
        encoding = media.encoding if isinstance(media.encoding, Mapping) else {}
        if self._form is not None:
            for row, value in self._form.values():
                enc = encoding.get(row.entry.name)
                ctype = str(enc.get("contentType", "")) if isinstance(enc, Mapping) else ""
                values = value if isinstance(value, list) else [value]
                for v in values:
                    if row.field.kind == "file" or (
                        kind == "multipart" and _is_file_field(row) and isinstance(v, str)
                    ):
                        fields.append(
                            FormField(row.entry.name, file_path=str(v), content_type=ctype)
                        )
                    else:
                        text = v if isinstance(v, str) else format_value(v)
                        fields.append(FormField(row.entry.name, value=text, content_type=ctype))
        if self._extra is not None:
            for name, value, is_file in self._extra.items():
                if is_file and kind == "multipart":
                    fields.append(FormField(name, file_path=value))
                else:
                    fields.append(FormField(name, value=value))
        return BodyInput(media.media_type, fields=tuple(fields))

    def state(self) -> dict[str, Any]:
        """The chosen media type, the text per media type and the form rows (JSON-able)."""
        self._save_current()
        return {
            "media_type": self.media_combo.currentText(),
            "texts": dict(self._texts),
            "examples": dict(self._example_choice),
            "forms": dict(self._form_states),
        }

    def restore_state(self, state: Mapping[str, Any]) -> None:
        texts = state.get("texts")
        if isinstance(texts, Mapping):
            self._texts = {str(k): str(v) for k, v in texts.items()}
        examples = state.get("examples")
        if isinstance(examples, Mapping):
            self._example_choice = {str(k): int(v) for k, v in examples.items()}
        forms = state.get("forms")
        if isinstance(forms, Mapping):
            self._form_states = {str(k): dict(v) for k, v in forms.items()}
        mt = state.get("media_type")
        if isinstance(mt, str):
            i = self.media_combo.findText(mt)
            if i >= 0:
                self.media_combo.setCurrentIndex(i)
        self._loaded = None
        if self.isVisible():
            self._load_page()
        else:
            self._update_bar()

    def shutdown(self) -> None:
        """Stop the pending check."""
        self._timer.stop()
        self._cancel_task()
        with contextlib.suppress(RuntimeError):
            self._generation += 1


def _top_name(err: FieldError) -> str:
    if err.pointer:
        return unescape_token(err.pointer.lstrip("/").split("/")[0])
    return err.field.split(".")[0].split("[")[0]


def _is_file_field(row: FieldRow) -> bool:
    return is_binary(row.entry.schema)
