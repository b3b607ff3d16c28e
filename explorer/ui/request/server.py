"""The server picker: the operation's servers, their variables, or a custom base URL.

The picker is a combo box (one entry per server, then "Custom URL…"); the variables of the
chosen server, or the custom URL, are edited in a row of their own (`details`), which the
editor places under its top bar and which hides itself when there is nothing to edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from explorer.spec import Server, ServerVariable
from explorer.spec.routes import match_server
from explorer.ui.request.fields import COMBO_LIMIT, EnumCompleter
from explorer.ui.request.looks import dim
from explorer.ui.safe_text import cut, set_plain, tooltip

__all__ = ["ServerPicker"]

LOCAL_MOCK = "Local mock"


class _Entry:
    def __init__(self, server: Server, label: str = "") -> None:
        self.server = server
        self.label = label
        self.values: dict[str, str] = {}


class ServerPicker(QObject):
    """The server combo (`combo`) and its details row (`details`); `changed` on any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.combo = QComboBox(parent)
        self.combo.setObjectName("serverCombo")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumContentsLength(16)
        self.combo.setMaximumWidth(280)
        self.combo.setToolTip("Server")
        self.combo.activated.connect(self._activated)
        self.details = QWidget(parent)
        self.details.setObjectName("serverDetails")
        self._details_layout = QHBoxLayout(self.details)
        self._details_layout.setContentsMargins(0, 0, 0, 0)
        self._details_layout.setSpacing(6)
        self.custom_edit = QLineEdit(self.details)
        self.custom_edit.setPlaceholderText("https://api.example.com/v1")
        self.custom_edit.textEdited.connect(lambda _t: self.changed.emit())
        self._custom_label = QLabel("Base URL", self.details)
        self._custom_label.setObjectName("dimLabel")
        dim(self._custom_label)
        self._var_widgets: list[QWidget] = []
        self._var_edits: dict[str, QLineEdit | QComboBox] = {}
        self._entries: list[_Entry] = []
        self._key: tuple[tuple[Server, ...], str] | None = None
        self.details.hide()

    # -- filling --------------------------------------------------------------------------

    def set_servers(self, servers: Sequence[Server], preferred: str | None = None) -> None:
        """Show these servers; select the one `preferred` (a full base URL) matches, filling
        its variables, or add it first as "Local mock"."""
        key = (tuple(servers), preferred or "")
        if key == self._key and self.combo.count():
            return  # the same servers as the last operation: keep the choice and variables
        self._key = key
        custom_text = self.custom_edit.text()
        self._entries = [_Entry(s) for s in key[0]]
        index = 0
        if preferred:
            for i, e in enumerate(self._entries):
                values = match_server(e.server, preferred)
                if values is not None:
                    e.values = values
                    index = i
                    break
            else:
                self._entries.insert(
                    0, _Entry(Server(preferred.rstrip("/"), LOCAL_MOCK), LOCAL_MOCK)
                )
        self.combo.blockSignals(True)
        self.combo.clear()
        for e in self._entries:
            self.combo.addItem(self._label(e))
            self.combo.setItemData(
                self.combo.count() - 1, tooltip(self._tip(e)), Qt.ItemDataRole.ToolTipRole
            )
        self.combo.setToolTip("Server: the base URL shown in the address")
        self.combo.addItem("Custom URL…")
        if not self._entries:
            index = 0  # only "Custom URL…"
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)
        if not self._entries and custom_text:
            self.custom_edit.setText(custom_text)
        self._show_details()

    @staticmethod
    def _label(e: _Entry) -> str:
        if e.label:
            return e.label
        desc = e.server.description
        if desc and len(desc) <= 40:
            return desc
        return cut(e.server.resolve(e.values), 300)

    @staticmethod
    def _tip(e: _Entry) -> str:
        tip = e.server.url
        if e.server.description:
            tip = f"{e.server.description}\n{tip}"
        return tip

    def _activated(self, _index: int) -> None:
        self._show_details()
        if self.is_custom():
            self.custom_edit.setFocus()
        self.changed.emit()

    def _show_details(self) -> None:
        layout = self._details_layout
        for w in self._var_widgets:
            layout.removeWidget(w)
            w.hide()
            w.deleteLater()
        self._var_widgets = []
        self._var_edits = {}
        layout.removeWidget(self._custom_label)
        layout.removeWidget(self.custom_edit)
        self._custom_label.hide()
        self.custom_edit.hide()
        while layout.count():
            layout.takeAt(0)
        entry = self.current_entry()
        if entry is None:
            layout.addWidget(self._custom_label)
            layout.addWidget(self.custom_edit, 1)
            self._custom_label.show()
            self.custom_edit.show()
            self.details.show()
            return
        if not entry.server.variables:
            self.details.hide()
            return
        title = QLabel("Server variables", self.details)
        dim(title)
        self._details_layout.addWidget(title)
        self._var_widgets.append(title)
        for var in entry.server.variables:
            self._add_variable(entry, var)
        layout.addStretch(1)
        self.details.show()

    def _add_variable(self, entry: _Entry, var: ServerVariable) -> None:
        label = QLabel(self.details)
        set_plain(label, f"  {var.name}", 100)
        label.setObjectName("dimLabel")
        dim(label)
        label.setToolTip(tooltip(var.description or f"Server variable {var.name}"))
        editor: QLineEdit | QComboBox
        value = entry.values.get(var.name, var.default)
        if var.enum and len(var.enum) <= COMBO_LIMIT:
            combo = QComboBox(self.details)
            combo.addItems(list(var.enum))
            combo.setCurrentText(value)
            combo.currentTextChanged.connect(lambda t, n=var.name: self._set_var(entry, n, t))
            editor = combo
        else:
            edit = QLineEdit(value, self.details)
            edit.setPlaceholderText(cut(var.default, 200))
            edit.setMaximumWidth(220)
            edit.textEdited.connect(lambda t, n=var.name: self._set_var(entry, n, t))
            if var.enum:  # too many values for a combo box: offered as you type
                values = var.enum
                EnumCompleter(edit, lambda: values)
            editor = edit
        editor.setToolTip(
            tooltip(var.description or f"Server variable {var.name} (default {var.default})")
        )
        self._details_layout.addWidget(label)
        self._details_layout.addWidget(editor)
        self._var_widgets += [label, editor]
        self._var_edits[var.name] = editor

    def _set_var(self, entry: _Entry, name: str, value: str) -> None:
        entry.values[name] = value
        i = self._entries.index(entry)
        self.combo.setItemText(i, self._label(entry))
        self.changed.emit()

    # -- reading --------------------------------------------------------------------------

    def current_entry(self) -> _Entry | None:
        i = self.combo.currentIndex()
        return self._entries[i] if 0 <= i < len(self._entries) else None

    def is_custom(self) -> bool:
        return self.current_entry() is None

    def base_url(self) -> str:
        """The chosen base URL, variables substituted, without a trailing slash."""
        entry = self.current_entry()
        if entry is None:
            return self.custom_edit.text().strip().rstrip("/")
        return entry.server.resolve(entry.values).rstrip("/")

    def variable_editor(self, name: str) -> QLineEdit | QComboBox | None:
        """The editor of a variable of the chosen server (tests, focus)."""
        return self._var_edits.get(name)

    def select_url(self, url: str) -> None:
        """Pick the server `url` matches (filling variables), else use it as a custom URL."""
        for i, e in enumerate(self._entries):
            values = match_server(e.server, url)
            if values is not None:
                e.values = values
                self.combo.setItemText(i, self._label(e))
                self.combo.setCurrentIndex(i)
                self._show_details()
                self.changed.emit()
                return
        self.combo.setCurrentIndex(self.combo.count() - 1)
        self.custom_edit.setText(url)
        self._show_details()
        self.changed.emit()

    # -- state ----------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """The chosen server (by its template URL), its variables and the custom URL."""
        entry = self.current_entry()
        return {
            "url": None if entry is None else entry.server.url,
            "variables": {} if entry is None else dict(entry.values),
            "custom": self.custom_edit.text(),
        }

    def restore_state(self, state: Mapping[str, Any]) -> None:
        url = state.get("url")
        custom = state.get("custom")
        self.custom_edit.setText(custom if isinstance(custom, str) else "")
        index = len(self._entries)  # custom
        if url is not None:
            index = next((i for i, e in enumerate(self._entries) if e.server.url == url), 0)
        if index < len(self._entries):
            entry = self._entries[index]
            variables = state.get("variables")
            if isinstance(variables, Mapping):
                entry.values = {str(k): str(v) for k, v in variables.items()}
            self.combo.setItemText(index, self._label(entry))
        self.combo.setCurrentIndex(index)
        self._show_details()
