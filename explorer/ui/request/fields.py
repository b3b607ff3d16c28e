"""Typed input widgets for one value of a schema: text with checks, choices, true/false,
repeatable rows for arrays, JSON for objects, a file picker for uploads.

Each `Field` is a plain Python object that owns its widget (cheap: no QObject of its own)
and calls `on_edit()` whenever the user changes it. `raw()` / `set_raw()` give what was
typed as JSON-able data (for state()); `value()` the typed value (raises ValueError when
the text does not parse); `problem()` what is wrong with it, as a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.spec import sample
from explorer.ui.request.looks import set_error_look
from explorer.ui.request.values import (
    check_text,
    effective_schema,
    field_kind,
    format_value,
    hint,
    to_value,
)
from explorer.ui.style import mono_font

__all__ = [
    "ArrayField",
    "ChoiceField",
    "Field",
    "FileField",
    "LineField",
    "first_sentence",
    "make_field",
    "placeholder_for",
    "set_invalid",
    "strip_markdown",
]

_INT_RE = QRegularExpression(r"^[-+]?\d*$")
_NUM_RE = QRegularExpression(r"^[-+]?\d*\.?\d*([eE][-+]?\d*)?$")
_FORMAT_PLACEHOLDER = {
    "date": "YYYY-MM-DD",
    "date-time": "YYYY-MM-DDTHH:MM:SSZ",
    "email": "name@example.com",
    "uuid": "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
    "uri": "https://…",
    "url": "https://…",
}


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Turn the red error look of a field on or off."""
    set_error_look(widget, invalid)


def placeholder_for(schema: Mapping[str, Any], example: Any = None) -> str:
    """ "default 30", "e.g. octocat", or the expected format."""
    s = effective_schema(schema)
    parts: list[str] = []
    if "default" in s and s["default"] is not None:
        parts.append(f"default {format_value(s['default'])}")
    ex = example if example is not None else s.get("example")
    if ex is None and isinstance(s.get("examples"), list) and s["examples"]:
        ex = s["examples"][0]
    if ex is not None and not isinstance(ex, dict | list):
        parts.append(f"e.g. {format_value(ex)}")
    if not parts:
        fmt = s.get("format")
        if isinstance(fmt, str) and fmt in _FORMAT_PLACEHOLDER:
            parts.append(_FORMAT_PLACEHOLDER[fmt])
        elif field_kind(s) in ("integer", "number"):
            text = hint(s)
            if "," in text:  # "integer, 1 to 100" -> "1 to 100"
                parts.append(text.split(", ", 1)[1])
    return " · ".join(parts)


class Field:
    """One typed value in a form (see the module docstring)."""

    kind = "string"

    def __init__(self, schema: Mapping[str, Any], on_edit: Callable[[], None]) -> None:
        self.schema = effective_schema(schema)
        self.on_edit = on_edit
        self.widget: QWidget

    def raw(self) -> Any:
        """What was typed, as JSON-able data."""
        raise NotImplementedError

    def set_raw(self, raw: Any) -> None:
        """Put back what `raw()` returned (without calling on_edit)."""
        raise NotImplementedError

    def is_empty(self) -> bool:
        raise NotImplementedError

    def value(self) -> Any:
        """The typed value (ValueError with a message when it does not parse)."""
        raise NotImplementedError

    def problem(self) -> str | None:
        """What is wrong with the current input, or None."""
        return None

    def set_invalid(self, invalid: bool) -> None:
        set_invalid(self.widget, invalid)

    def focus(self) -> None:
        self.widget.setFocus(Qt.FocusReason.OtherFocusReason)


class LineField(Field):
    """A line edit for strings, integers, numbers, objects (as JSON) and anything else."""

    def __init__(
        self,
        schema: Mapping[str, Any],
        on_edit: Callable[[], None],
        example: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(schema, on_edit)
        self.kind = field_kind(self.schema)
        edit = QLineEdit(parent)
        self.widget = self.edit = edit
        if self.kind == "integer":
            edit.setValidator(QRegularExpressionValidator(_INT_RE, edit))
        elif self.kind == "number":
            edit.setValidator(QRegularExpressionValidator(_NUM_RE, edit))
        elif self.kind in ("object", "any"):
            edit.setFont(mono_font())
        if self.kind == "object" and example is None:
            example = sample(self.schema)
        text = placeholder_for(self.schema, example)
        if not text and self.kind == "object" and isinstance(example, dict):
            import json

            text = json.dumps(example, ensure_ascii=False)[:120]
        if text:
            edit.setPlaceholderText(text)
        edit.textEdited.connect(self._edited)

    def _edited(self, _text: str) -> None:
        self.on_edit()

    def raw(self) -> str:
        return self.edit.text()

    def set_raw(self, raw: Any) -> None:
        self.edit.setText(raw if isinstance(raw, str) else format_value(raw) if raw else "")

    def is_empty(self) -> bool:
        return self.edit.text() == ""

    def value(self) -> Any:
        return to_value(self.edit.text(), self.schema)

    def problem(self) -> str | None:
        return check_text(self.edit.text(), self.schema)


class ChoiceField(Field):
    """A combo box for enums and booleans; no selection (the placeholder) means unset."""

    def __init__(
        self,
        schema: Mapping[str, Any],
        on_edit: Callable[[], None],
        example: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(schema, on_edit)
        self.kind = field_kind(self.schema)
        if self.kind == "boolean":
            self.options: list[Any] = [True, False]
        else:
            self.options = [o for o in self.schema.get("enum", []) if o is not None]
        combo = QComboBox(parent)
        self.widget = self.combo = combo
        combo.addItems([format_value(o) for o in self.options])
        combo.addItem("(not set)")
        combo.setCurrentIndex(-1)
        combo.setPlaceholderText(placeholder_for(self.schema, example) or "(not set)")
        combo.activated.connect(self._activated)

    def _activated(self, index: int) -> None:
        if index >= len(self.options):
            self.combo.setCurrentIndex(-1)
        self.on_edit()

    def raw(self) -> Any:
        i = self.combo.currentIndex()
        return self.options[i] if 0 <= i < len(self.options) else None

    def set_raw(self, raw: Any) -> None:
        index = -1
        for i, option in enumerate(self.options):
            if option == raw and type(option) is type(raw):
                index = i
                break
        self.combo.setCurrentIndex(index)

    def clear(self) -> None:
        self.combo.setCurrentIndex(-1)

    def is_empty(self) -> bool:
        return not 0 <= self.combo.currentIndex() < len(self.options)

    def value(self) -> Any:
        return self.raw()


class FileField(Field):
    """A file path with a Choose… button (multipart uploads)."""

    kind = "file"

    def __init__(
        self, schema: Mapping[str, Any], on_edit: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(schema, on_edit)
        box = QWidget(parent)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.edit = QLineEdit(box)
        self.edit.setPlaceholderText("no file chosen")
        self.edit.textEdited.connect(lambda _t: self.on_edit())
        button = QToolButton(box)
        button.setText("Choose…")
        button.clicked.connect(self._choose)
        layout.addWidget(self.edit, 1)
        layout.addWidget(button)
        self.widget = box
        self._dialog: QFileDialog | None = None

    def _choose(self) -> None:
        dialog = QFileDialog(self.widget, "Choose a file to upload")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self._chosen)
        self._dialog = dialog
        dialog.open()

    def _chosen(self, path: str) -> None:
        self.edit.setText(path)
        self.on_edit()

    def raw(self) -> str:
        return self.edit.text()

    def set_raw(self, raw: Any) -> None:
        self.edit.setText(raw if isinstance(raw, str) else "")

    def is_empty(self) -> bool:
        return self.edit.text() == ""

    def value(self) -> str:
        return self.edit.text()

    def problem(self) -> str | None:
        import os

        path = self.edit.text()
        if path and not os.path.isfile(path):
            return "no such file"
        return None

    def set_invalid(self, invalid: bool) -> None:
        set_invalid(self.edit, invalid)


class ArrayField(Field):
    """Repeatable rows of the item type, with + and − buttons."""

    kind = "array"

    def __init__(
        self,
        schema: Mapping[str, Any],
        on_edit: Callable[[], None],
        example: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(schema, on_edit)
        items = self.schema.get("items")
        self.item_schema: Mapping[str, Any] = items if isinstance(items, Mapping) else {}
        self._example = example
        box = QWidget(parent)
        self.widget = box
        self._layout = QVBoxLayout(box)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(3)
        self.items: list[tuple[QWidget, Field]] = []
        self._add_button = QToolButton(box)
        self._add_button.setText("+ Add item")
        self._add_button.setAutoRaise(True)
        self._add_button.setObjectName("addItem")
        self._add_button.clicked.connect(self._add_clicked)
        self._layout.addWidget(self._add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_item()

    def _add_clicked(self) -> None:
        field = self.add_item()
        field.focus()
        self.on_edit()

    def add_item(self) -> Field:
        """Add one empty row at the end and return its field."""
        row = QWidget(self.widget)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        example = None
        if isinstance(self._example, list) and self._example:
            example = self._example[0]
        field = make_field(self.item_schema, self.on_edit, example, row)
        layout.addWidget(field.widget, 1)
        remove = QToolButton(row)
        remove.setText("−")
        remove.setToolTip("Remove this item")
        remove.setObjectName("removeItem")
        remove.clicked.connect(lambda: self._remove(row))
        layout.addWidget(remove)
        self._layout.insertWidget(len(self.items), row)
        self.items.append((row, field))
        return field

    def _remove(self, row: QWidget) -> None:
        index = next(i for i, (r, _f) in enumerate(self.items) if r is row)
        if len(self.items) == 1:
            self.items[0][1].set_raw(None)
        else:
            self.items.pop(index)
            row.hide()
            row.deleteLater()
        self.on_edit()

    def item_fields(self) -> list[Field]:
        return [f for _r, f in self.items]

    def raw(self) -> list[Any]:
        return [f.raw() for f in self.item_fields()]

    def set_raw(self, raw: Any) -> None:
        values = raw if isinstance(raw, list) else []
        while len(self.items) > max(1, len(values)):
            row, _f = self.items.pop()
            row.hide()
            row.deleteLater()
        while len(self.items) < len(values):
            self.add_item()
        for (_r, f), v in zip(self.items, values or [None], strict=False):
            f.set_raw(v)

    def is_empty(self) -> bool:
        return all(f.is_empty() for f in self.item_fields())

    def value(self) -> list[Any]:
        return [f.value() for f in self.item_fields() if not f.is_empty()]

    def problem(self) -> str | None:
        for i, f in enumerate(self.item_fields()):
            p = f.problem()
            if p:
                return f"item {i + 1}: {p}"
        if not self.is_empty():
            try:
                values = self.value()
            except ValueError:
                return None
            mn, mx = self.schema.get("minItems"), self.schema.get("maxItems")
            if isinstance(mn, int) and len(values) < mn:
                return f"needs at least {mn} items"
            if isinstance(mx, int) and len(values) > mx:
                return f"at most {mx} items"
            if self.schema.get("uniqueItems") is True and len(set(map(repr, values))) < len(values):
                return "items must be unique"
        return None

    def set_invalid(self, invalid: bool) -> None:
        fields = self.item_fields()
        for f in fields:
            f.set_invalid(invalid and (f.problem() is not None or len(fields) == 1))

    def focus(self) -> None:
        if self.items:
            self.items[0][1].focus()


def make_field(
    schema: Mapping[str, Any] | None,
    on_edit: Callable[[], None],
    example: Any = None,
    parent: QWidget | None = None,
    allow_files: bool = False,
) -> Field:
    """The right kind of field for a schema."""
    s = effective_schema(schema)
    kind = field_kind(s)
    if kind in ("enum", "boolean"):
        return ChoiceField(s, on_edit, example, parent)
    if kind == "array":
        return ArrayField(s, on_edit, example, parent)
    if kind == "file" and allow_files:
        return FileField(s, on_edit, parent)
    return LineField(s, on_edit, example, parent)


def strip_markdown(text: str) -> str:
    """Markdown made readable as plain text: links as their text, no backticks/emphasis."""
    if not text:
        return ""
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _TAG.sub("", text)
    if "`" in text or "**" in text:
        text = text.replace("`", "").replace("**", "")
    return " ".join(text.split())


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(
    r"</?(?:a|b|i|u|em|strong|code|pre|br|p|span|div|ul|ol|li|h[1-6]|table|tr|td|th|img|sup|sub)"
    r"\b[^>]*>",
    re.IGNORECASE,
)


def first_sentence(text: str, limit: int = 90) -> str:
    """The first sentence of a plain text, cut at `limit` characters with an ellipsis."""
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    out = m.group(1) if m else text
    if len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out
