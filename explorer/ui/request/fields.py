"""Typed input widgets for one value of a schema: text with checks, choices, true/false,
repeatable rows for arrays, JSON for objects, a file picker for uploads.

Each `Field` is a plain Python object that owns its widget (cheap: no QObject of its own)
and calls `on_edit()` whenever the user changes it. `raw()` / `set_raw()` give what was
typed as JSON-able data (for state()); `value()` the typed value (raises ValueError when
the text does not parse); `problem()` what is wrong with it, as a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, QRegularExpression, QStringListModel, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.spec import sample
from explorer.spec.values import (
    check_text,
    effective_schema,
    field_kind,
    format_value,
    placeholder_for,
    to_value,
)
from explorer.ui.request.looks import set_error_look
from explorer.ui.safe_text import cut
from explorer.ui.style import mono_font

__all__ = [
    "COMBO_LIMIT",
    "ArrayField",
    "ChoiceField",
    "EnumCompleter",
    "Field",
    "FileField",
    "LineField",
    "SearchChoiceField",
    "first_sentence",
    "make_field",
    "set_invalid",
]

COMBO_LIMIT = 300
"""The most values an enum shows as a combo box; a longer one is a `SearchChoiceField`
(a combo box builds an item per value at once: 200,000 of them froze selection 1.6 s)."""
MATCHES = 100
"""The most values a `SearchChoiceField` offers at a time, for what was typed."""
CHOICE_CHARS = 200
"""Characters of one value shown as a combo item or a placeholder."""

_INT_RE = QRegularExpression(r"^[-+]?\d*$")
_NUM_RE = QRegularExpression(r"^[-+]?\d*\.?\d*([eE][-+]?\d*)?$")


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Turn the red error look of a field on or off."""
    set_error_look(widget, invalid)


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
            edit.setPlaceholderText(cut(text, CHOICE_CHARS))
        edit.textEdited.connect(self._edited)

    def _edited(self, _text: str) -> None:
        self.on_edit()

    def raw(self) -> str:
        return self.edit.text()

    def set_raw(self, raw: Any) -> None:
        self.edit.setText(raw if isinstance(raw, str) else "" if raw is None else format_value(raw))

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
        combo.addItems([cut(format_value(o), CHOICE_CHARS) for o in self.options])
        combo.addItem("(not set)")
        combo.setCurrentIndex(-1)
        placeholder = cut(placeholder_for(self.schema, example), CHOICE_CHARS)
        combo.setPlaceholderText(placeholder or "(not set)")
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


class EnumCompleter(QObject):
    """Completion over a long list of values for a line edit: the popup offers the first
    `MATCHES` values that contain what was typed (those that start with it first), found
    as you type. The list is read only when the user types, so attaching costs nothing."""

    def __init__(self, edit: QLineEdit, values: Callable[[], Sequence[str]]) -> None:
        super().__init__(edit)
        self._edit = edit
        self._values = values
        self._folded: list[str] | None = None
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, edit)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        edit.setCompleter(self.completer)
        edit.textEdited.connect(self._typed)

    def matches(self, text: str) -> list[str]:
        """The values offered for `text`: those starting with it, then those containing it
        (case-insensitive), at most `MATCHES`."""
        values = self._values()
        if self._folded is None:
            self._folded = [v.casefold() for v in values]
        query = text.casefold()
        starts: list[int] = []
        contains: list[int] = []
        for i, folded in enumerate(self._folded):
            if query in folded:
                if folded.startswith(query):
                    starts.append(i)
                    if len(starts) >= MATCHES:
                        break
                elif len(contains) < MATCHES:
                    contains.append(i)
        return [values[i] for i in (starts + contains)[:MATCHES]]

    def _typed(self, text: str) -> None:
        found = self.matches(text) if text else []
        self.model.setStringList(found)
        if found:
            self.completer.setCompletionPrefix(text)
            self.completer.complete()
        elif (popup := self.completer.popup()) is not None:
            popup.hide()


class SearchChoiceField(Field):
    """An enum longer than `COMBO_LIMIT` values: a line edit that offers the values that
    match what is typed (`EnumCompleter`) and accepts only one of them. Nothing per value
    is built until the user types, so selecting the operation stays fast."""

    kind = "enum"

    def __init__(
        self,
        schema: Mapping[str, Any],
        on_edit: Callable[[], None],
        example: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(schema, on_edit)
        self.options: list[Any] = [o for o in self.schema.get("enum", []) if o is not None]
        self._texts: list[str] | None = None
        self._by_text: dict[str, int] | None = None
        edit = QLineEdit(parent)
        self.widget = self.edit = edit
        hint_text = cut(placeholder_for(self.schema, example), CHOICE_CHARS)
        count = f"one of {len(self.options):,} values, type to search"
        edit.setPlaceholderText(f"{hint_text} · {count}" if hint_text else count)
        self.completer = EnumCompleter(edit, self.texts)
        edit.textEdited.connect(lambda _t: self.on_edit())
        self.completer.completer.activated.connect(self._picked)

    def texts(self) -> list[str]:
        """The values as a user reads and types them (made on first use)."""
        if self._texts is None:
            self._texts = [format_value(o) for o in self.options]
        return self._texts

    def _index(self, text: str) -> int:
        if self._by_text is None:
            self._by_text = {}
            for i, t in enumerate(self.texts()):
                self._by_text.setdefault(t, i)
        return self._by_text.get(text, -1)

    def _picked(self, text: str) -> None:
        self.edit.setText(text)
        self.on_edit()

    def raw(self) -> Any:
        text = self.edit.text()
        if not text:
            return None
        i = self._index(text)
        return self.options[i] if i >= 0 else text

    def set_raw(self, raw: Any) -> None:
        if raw is None:
            self.edit.clear()
        else:
            self.edit.setText(raw if isinstance(raw, str) else format_value(raw))

    def is_empty(self) -> bool:
        return self.edit.text() == ""

    def value(self) -> Any:
        text = self.edit.text()
        if not text:
            return None
        i = self._index(text)
        if i < 0:
            raise ValueError(self._not_a_value())
        return self.options[i]

    def problem(self) -> str | None:
        text = self.edit.text()
        if not text or self._index(text) >= 0:
            return None
        return self._not_a_value()

    def _not_a_value(self) -> str:
        return f"not one of the {len(self.options):,} allowed values (type to search them)"


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
    if kind == "enum" and len(s["enum"]) > COMBO_LIMIT:
        return SearchChoiceField(s, on_edit, example, parent)
    if kind in ("enum", "boolean"):
        return ChoiceField(s, on_edit, example, parent)
    if kind == "array":
        return ArrayField(s, on_edit, example, parent)
    if kind == "file" and allow_files:
        return FileField(s, on_edit, parent)
    return LineField(s, on_edit, example, parent)


def first_sentence(text: str, limit: int = 90) -> str:
    """The first sentence of a plain text, cut at `limit` characters with an ellipsis."""
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    out = m.group(1) if m else text
    if len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out
