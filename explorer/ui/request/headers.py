"""Editable name/value rows: extra request headers, and free rows of form bodies.

Each row has an enable box, a name (with completion of common header names), a value and a
remove button; there is always one empty row at the end, and typing in it adds the next.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QFileDialog,
    QGridLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from explorer.http.model import name_looks_secret
from explorer.ui.safe_text import tooltip

__all__ = ["COMMON_HEADERS", "KeyValueRows"]

COMMON_HEADERS = (
    "Accept",
    "Accept-Charset",
    "Accept-Encoding",
    "Accept-Language",
    "Authorization",
    "Cache-Control",
    "Connection",
    "Content-Encoding",
    "Content-Language",
    "Content-Type",
    "Cookie",
    "DNT",
    "Forwarded",
    "From",
    "Idempotency-Key",
    "If-Match",
    "If-Modified-Since",
    "If-None-Match",
    "If-Unmodified-Since",
    "Origin",
    "Pragma",
    "Prefer",
    "Range",
    "Referer",
    "TE",
    "Traceparent",
    "User-Agent",
    "X-API-Key",
    "X-Correlation-ID",
    "X-Forwarded-For",
    "X-Request-ID",
    "X-Requested-With",
)


class _Row:
    def __init__(self) -> None:
        self.enabled: QCheckBox
        self.name: QLineEdit
        self.value: QLineEdit
        self.file_button: QToolButton | None = None
        self.remove: QToolButton
        self.secret_button: QToolButton | None = None
        self.widgets: list[QWidget] = []
        self.is_file = False
        self.secret_chosen = False  # the user set the secret mark by hand: leave it

    def secret(self) -> bool:
        return self.secret_button is not None and self.secret_button.isChecked()


class KeyValueRows(QWidget):
    """Rows of (enabled, name, value); `on_edit()` after every change.

    With `files=True` each row gets a file button that turns its value into a file path.
    With `secrets=True` each row gets a lock: a secret row's value is masked, never written
    to disk (drafts, tabs) and never follows a redirect to another host. Names that look
    secret (`explorer.http.name_looks_secret`: X-Auth-Token, X-API-Key ...) lock
    themselves until the user says otherwise."""

    def __init__(
        self,
        on_edit: Callable[[], None],
        *,
        name_placeholder: str = "Header",
        value_placeholder: str = "Value",
        completions: Sequence[str] = (),
        files: bool = False,
        secrets: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_edit = on_edit
        self._secrets = secrets
        self._name_placeholder = name_placeholder
        self._value_placeholder = value_placeholder
        self._files = files
        self._completer: QCompleter | None = None
        if completions:
            self._completer = QCompleter(list(completions), self)
            self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(2, 3)
        self.rows: list[_Row] = []
        self._next_grid_row = 0
        self._add_row()

    def _add_row(self) -> _Row:
        row = _Row()
        r = self._next_grid_row
        self._next_grid_row += 1
        row.enabled = QCheckBox(self)
        row.enabled.setToolTip("Send this row")
        row.enabled.toggled.connect(lambda _on: self._on_edit())
        row.name = QLineEdit(self)
        row.name.setPlaceholderText(self._name_placeholder)
        if self._completer is not None:
            row.name.setCompleter(self._completer)
        row.value = QLineEdit(self)
        row.value.setPlaceholderText(self._value_placeholder)
        row.name.textChanged.connect(lambda _t: self._edited(row))
        row.value.textChanged.connect(lambda _t: self._edited(row))
        row.remove = QToolButton(self)
        row.remove.setText("−")
        row.remove.setToolTip("Remove this row")
        row.remove.clicked.connect(lambda: self._remove(row))
        self.grid.addWidget(row.enabled, r, 0)
        self.grid.addWidget(row.name, r, 1)
        self.grid.addWidget(row.value, r, 2)
        col = 3
        row.widgets = [row.enabled, row.name, row.value, row.remove]
        if self._secrets:
            lock = QToolButton(self)
            lock.setObjectName("secretToggle")
            lock.setText("🔒")
            lock.setCheckable(True)
            lock.setAutoRaise(True)
            lock.setToolTip(
                "Secret: masked, never saved to disk, not sent on to another host on a redirect"
            )
            lock.toggled.connect(lambda on: self._secret_toggled(row, on))
            lock.clicked.connect(lambda _on: setattr(row, "secret_chosen", True))
            self.grid.addWidget(lock, r, col)
            row.secret_button = lock
            row.widgets.append(lock)
            col += 1
        if self._files:
            button = QToolButton(self)
            button.setText("File…")
            button.setToolTip("Send a file in this field")
            button.clicked.connect(lambda: self._choose_file(row))
            self.grid.addWidget(button, r, col)
            row.file_button = button
            row.widgets.append(button)
            col += 1
        self.grid.addWidget(row.remove, r, col)
        self.rows.append(row)
        self._sync_remove_buttons()
        return row

    def _sync_remove_buttons(self) -> None:
        for i, row in enumerate(self.rows):
            last = i == len(self.rows) - 1
            row.remove.setEnabled(not last)
            row.enabled.setEnabled(not last)

    def _secret_toggled(self, row: _Row, on: bool) -> None:
        self._secret_toggled_quietly(row, on)
        self._on_edit()

    def _edited(self, row: _Row) -> None:
        if row.secret_button is not None and not row.secret_chosen:
            looks = name_looks_secret(row.name.text())
            if row.secret_button.isChecked() != looks:
                row.secret_button.blockSignals(True)
                row.secret_button.setChecked(looks)
                row.secret_button.blockSignals(False)
                self._secret_toggled_quietly(row, looks)
        filled = bool(row.name.text() or row.value.text())
        if row is self.rows[-1] and filled:
            row.enabled.blockSignals(True)
            row.enabled.setChecked(True)
            row.enabled.blockSignals(False)
            self._add_row()
        self._on_edit()

    def _secret_toggled_quietly(self, row: _Row, on: bool) -> None:
        mode = QLineEdit.EchoMode.PasswordEchoOnEdit if on else QLineEdit.EchoMode.Normal
        row.value.setEchoMode(mode)

    def _remove(self, row: _Row) -> None:
        if row is self.rows[-1]:
            return
        self.rows.remove(row)
        for w in row.widgets:
            self.grid.removeWidget(w)
            w.hide()
            w.deleteLater()
        self._sync_remove_buttons()
        self._on_edit()

    def _choose_file(self, row: _Row) -> None:
        dialog = QFileDialog(self, "Choose a file to upload")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self._set_file(row, path))
        dialog.open()

    def _set_file(self, row: _Row, path: str) -> None:
        row.is_file = True
        row.value.setText(path)
        row.value.setToolTip(tooltip("File: " + path))

    # -- reading and state ----------------------------------------------------------------

    def items(self) -> list[tuple[str, str, bool]]:
        """The enabled rows with a name: (name, value, is_file)."""
        return [
            (r.name.text().strip(), r.value.text(), r.is_file)
            for r in self.rows
            if r.enabled.isChecked() and r.name.text().strip()
        ]

    def secret_names(self) -> list[str]:
        """Names of the enabled rows marked secret."""
        return [
            r.name.text().strip()
            for r in self.rows
            if r.enabled.isChecked() and r.name.text().strip() and r.secret()
        ]

    def state(self) -> list[list[Any]]:
        """[[enabled, name, value(, is_file(, secret))], ...] for the rows that have
        something; `secret` is True for a secret row (which redact_state empties)."""
        out: list[list[Any]] = []
        for r in self.rows:
            if r.name.text() or r.value.text():
                item: list[Any] = [r.enabled.isChecked(), r.name.text(), r.value.text()]
                if r.is_file or r.secret():
                    item.append(r.is_file)
                if r.secret():
                    item.append(True)
                out.append(item)
        return out

    def restore_state(self, state: Any) -> None:
        """Put back what `state()` returned."""
        if not state and len(self.rows) == 1 and not self.state():
            return  # already one empty row
        for row in self.rows[:]:
            self.rows.remove(row)
            for w in row.widgets:
                self.grid.removeWidget(w)
                w.hide()
                w.deleteLater()
        self._add_row()
        if not isinstance(state, list):
            return
        for item in state:
            if not isinstance(item, list) or len(item) < 3:
                continue
            row = self.rows[-1]
            row.name.blockSignals(True)
            row.value.blockSignals(True)
            row.name.setText(str(item[1]))
            row.value.setText(str(item[2]))
            row.is_file = len(item) > 3 and bool(item[3])
            if row.secret_button is not None:
                secret = len(item) > 4 and item[4] is True
                row.secret_chosen = secret != name_looks_secret(str(item[1]))
                row.secret_button.blockSignals(True)
                row.secret_button.setChecked(secret)
                row.secret_button.blockSignals(False)
                self._secret_toggled_quietly(row, secret)
            row.name.blockSignals(False)
            row.value.blockSignals(False)
            row.enabled.blockSignals(True)
            row.enabled.setChecked(bool(item[0]))
            row.enabled.blockSignals(False)
            self._add_row()

    def set_rows(self, items: Sequence[tuple[str, str]]) -> None:
        """Replace the rows with these enabled (name, value) pairs."""
        self.restore_state([[True, n, v] for n, v in items])
