"""A typed form: one row per parameter (or body property), grouped in sections.

Each row: an "include" checkbox (optional rows; on when something is typed, off when
cleared; required rows are always sent), the name (bold with a red * when required,
struck through when deprecated), the typed field, and a dim line with the type, bounds
and the start of the description (the full description in the tooltip). Problems show
as a red border and a red message under the field, as you type.

A required row the document gives a value for (an enum of one value, a default, an
example) starts filled with it, and one without starts with a value made from its schema,
so that a form can be sent as it opens; the dim line says where the value came from
("from the document", "example value"). `fill_examples()` fills the other rows the same
way (the editor's "Fill with examples").

All rows share one grid so the columns line up across sections.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSizePolicy, QStyle, QWidget

from explorer.spec.form import FormEntry, example_value, preset
from explorer.spec.schema import SampleTooLarge
from explorer.spec.values import hint
from explorer.ui.request.fields import Field, first_sentence, make_field
from explorer.ui.request.looks import DIM, ERROR, colour_text, title
from explorer.ui.safe_text import cut, html_text, plain_words, set_plain, tooltip

__all__ = ["FieldRow", "ParamForm"]

SECTION_TITLES = {
    "path": "Path",
    "query": "Query",
    "header": "Headers",
    "cookie": "Cookies",
    "form": "Fields",
}


NAME_CHARS = 200
"""Characters of a parameter's name shown in its label."""
INFO_CHARS = 500
"""Characters of the dim info line under a field (it is elided to its width anyway)."""
PRESET_WORDS = {"document": "from the document", "example": "example value"}
"""How the dim line says where a row's starting value came from."""


_DIM_COLOR = QColor(DIM)


class _InfoLabel(QLabel):
    """A dim one-line label that ends in "…" when it does not fit (full text in the tooltip)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(_DIM_COLOR)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
        )
        painter.end()


class FieldRow:
    """One row of a form: the entry, its field, its include box and its messages."""

    def __init__(self, form: ParamForm, entry: FormEntry, grid_row: int, field: Field) -> None:
        self.form = form
        self.entry = entry
        self.grid_row = grid_row
        self.field = field
        self.include: QCheckBox | None = None
        self.label: QLabel | QCheckBox
        self.info: QLabel | None = None
        self.error_label: QLabel | None = None
        self.live_problem: str | None = None
        self.server_error: str | None = None
        self.preset: Any = None  # the value the row starts with (None: it starts empty)

    def included(self) -> bool:
        """Whether this row is sent: required ones always (when filled), optional ones when
        their include box is on."""
        if self.include is None:
            return not self.field.is_empty()
        return self.include.isChecked() and not self.field.is_empty()

    def message(self) -> str | None:
        """The message shown under the field: the server's error first, else the live check."""
        return self.server_error or self.live_problem

    def refresh_message(self) -> None:
        """Show or hide the red message and border."""
        message = self.message()
        self.field.set_invalid(message is not None)
        if message is None:
            if self.error_label is not None:
                self.error_label.hide()
            return
        if self.error_label is None:
            label = QLabel(self.form)
            label.setTextFormat(Qt.TextFormat.PlainText)  # the server's words, or the spec's
            label.setObjectName("fieldError")
            colour_text(label, ERROR)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.grid.addWidget(label, self.grid_row + 1, 1, 1, 2)
            self.error_label = label
        set_plain(self.error_label, message)
        self.error_label.setToolTip(tooltip(message))
        self.error_label.show()


class ParamForm(QWidget):
    """A typed form for a list of entries (see the module docstring).

    `on_edit(row)` is called after every user edit of a row."""

    def __init__(
        self,
        entries: Sequence[FormEntry],
        on_edit: Callable[[FieldRow], None],
        *,
        sections: bool = True,
        allow_files: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("paramForm")
        self._on_edit = on_edit
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        grid.setColumnMinimumWidth(0, 120)
        style = self.style()
        self._indent = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + style.pixelMetric(
            QStyle.PixelMetric.PM_CheckBoxLabelSpacing
        )
        self.grid = grid
        self.rows: list[FieldRow] = []
        self._by_key: dict[str, FieldRow] = {}
        r = 0
        location = None
        for entry in entries:
            if sections and entry.location != location:
                location = entry.location
                count = sum(1 for e in entries if e.location == location)
                name = SECTION_TITLES.get(location, location.title())
                section = QLabel(self)
                set_plain(section, f"{name}  ·  {count}", NAME_CHARS)
                section.setObjectName("sectionTitle")
                title(section)
                if r:
                    grid.setRowMinimumHeight(r, 10)
                    r += 1
                grid.addWidget(section, r, 0, 1, 3)
                r += 1
            row = self._add_row(entry, r, allow_files)
            self.rows.append(row)
            self._by_key[entry.key] = row
            r += 2
        grid.setRowStretch(r, 1)

    def _add_row(self, entry: FormEntry, r: int, allow_files: bool) -> FieldRow:
        grid = self.grid
        row_ref: list[FieldRow] = []

        def edited() -> None:
            self._edited(row_ref[0])

        f = make_field(entry.schema, edited, entry.example, self, allow_files)
        row = FieldRow(self, entry, r, f)
        row_ref.append(row)
        label: QLabel | QCheckBox
        if entry.required:
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.RichText)
            name = html_text(entry.name, NAME_CHARS)
            label.setText(f"{name} <span style='color:#e03131'>*</span>")
            label.setIndent(self._indent)
        else:
            label = QCheckBox(cut(entry.name, NAME_CHARS), self)
            label.toggled.connect(lambda _on: self._on_edit(row))
            row.include = label
        font = label.font()
        if entry.required:
            font.setBold(True)
        if entry.deprecated:
            font.setStrikeOut(True)
        if entry.required or entry.deprecated:
            label.setFont(font)
        description = plain_words(entry.description)
        type_hint = hint(entry.schema)
        tip = f"{entry.name} ({type_hint})"
        if entry.required:
            tip += " — required"
        if entry.deprecated:
            tip += " — deprecated"
        if description:
            tip += "\n\n" + description
        if not entry.required:
            tip += "\n\nTick to send it (ticks itself when you type)."
        tip = tooltip(tip)
        label.setToolTip(tip)
        row.label = label
        grid.addWidget(label, r, 0)
        f.widget.setToolTip(tip)
        grid.addWidget(f.widget, r, 1)
        info_text = type_hint
        if entry.deprecated:
            info_text = "deprecated · " + info_text
        if description:
            info_text += " · " + first_sentence(description)
        info = _InfoLabel(self)
        info.setObjectName("fieldInfo")
        set_plain(info, info_text, INFO_CHARS)
        info.setToolTip(tip)
        info.setMinimumWidth(40)
        info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        row.info = info
        grid.addWidget(info, r, 2)
        start = preset(entry)
        if start is not None:
            value, origin = start
            row.preset = value
            f.set_raw(value)
            row.live_problem = f.problem()
            word = PRESET_WORDS[origin]
            set_plain(info, f"{word} · {info_text}", INFO_CHARS)
            info.setToolTip(tooltip(f"{tip}\n\nStarts filled: {word}."))
        return row

    def _edited(self, row: FieldRow) -> None:
        if row.include is not None:
            on = not row.field.is_empty()
            if row.include.isChecked() != on:
                row.include.blockSignals(True)
                row.include.setChecked(on)
                row.include.blockSignals(False)
        row.server_error = None
        row.live_problem = row.field.problem()
        row.refresh_message()
        self._on_edit(row)

    # -- lookups --------------------------------------------------------------------------

    def row(self, name: str, location: str | None = None) -> FieldRow | None:
        """The row of a parameter by name (and location, if given)."""
        if location is not None:
            return self._by_key.get(f"{location}:{name}")
        return next((r for r in self.rows if r.entry.name == name), None)

    # -- values and state -----------------------------------------------------------------

    def values(self) -> list[tuple[FieldRow, Any]]:
        """The included rows with their typed values (the raw text when it does not parse:
        sending what was typed lets the user see how the API answers bad input)."""
        out: list[tuple[FieldRow, Any]] = []
        for row in self.rows:
            if not row.included():
                continue
            try:
                value = row.field.value()
            except ValueError:
                value = row.field.raw()
            out.append((row, value))
        return out

    def state(self) -> dict[str, Any]:
        """{"location:name": {"value": raw, "include": bool}} for rows touched by the user."""
        out: dict[str, Any] = {}
        for row in self.rows:
            raw = row.field.raw()
            on = row.include.isChecked() if row.include is not None else True
            if row.field.is_empty() and (row.include is None or not on):
                continue
            out[row.entry.key] = {"value": raw, "include": on}
        return out

    def restore_state(self, state: Mapping[str, Any]) -> None:
        """Put back what `state()` returned; rows not in it are cleared."""
        for row in self.rows:
            item = state.get(row.entry.key)
            if isinstance(item, Mapping):
                row.field.set_raw(item.get("value"))
                if row.include is not None:
                    row.include.blockSignals(True)
                    row.include.setChecked(bool(item.get("include", True)))
                    row.include.blockSignals(False)
            else:
                row.field.set_raw(row.preset)  # a row not touched: as the form opened
                if row.include is not None:
                    row.include.blockSignals(True)
                    row.include.setChecked(False)
                    row.include.blockSignals(False)
            row.server_error = None
            row.live_problem = row.field.problem()
            row.refresh_message()

    def fill_examples(self) -> int:
        """Fill every empty row (file uploads aside) with its example value (the
        document's, else one made from the schema) and include it; how many were filled."""
        filled = 0
        for row in self.rows:
            if not row.field.is_empty() or row.field.kind == "file":
                continue
            try:
                value = example_value(row.entry)
            except SampleTooLarge:
                continue
            if value is None:
                continue
            row.field.set_raw(value)
            if row.field.is_empty():
                continue
            self._edited(row)
            filled += 1
        return filled

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill rows by name with raw values (as typed) and include them."""
        for name, raw in values.items():
            row = self.row(name)
            if row is None:
                continue
            row.field.set_raw(raw)
            self._edited(row)

    # -- errors ---------------------------------------------------------------------------

    def show_error(self, row: FieldRow, message: str) -> None:
        """Show a server-reported error on a row (until the user edits it)."""
        row.server_error = message
        row.refresh_message()

    def clear_server_errors(self) -> None:
        for row in self.rows:
            if row.server_error is not None:
                row.server_error = None
                row.refresh_message()

    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.server_error)

    def missing_required(self) -> list[FieldRow]:
        """Required rows left empty."""
        return [r for r in self.rows if r.entry.required and r.field.is_empty()]
