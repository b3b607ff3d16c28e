"""A signing scheme and its secret, as the user picks them: Stripe, ECOSIRE license or a
generic HMAC (header, algorithm, encoding, prefix, timestamp header), and the secret
(shown as dots; the page keeps it in the keyring by its name)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from explorer.webhooks.signing import ALGORITHMS, Scheme

__all__ = ["DECLARED", "SchemeBox"]

DECLARED = "declared"
"""The scheme choice "each event as the document declares it" (receivers only)."""
_KINDS = (
    ("stripe", "Stripe (Stripe-Signature)"),
    ("ecosire-license", "ECOSIRE license (X-License-Signature)"),
    ("hmac", "Generic HMAC"),
)


class SchemeBox(QWidget):
    """Scheme, its HMAC options, the secret's name and the secret. `changed` on any edit;
    `secret_edited(name, value)` when the user finished typing a secret."""

    changed = Signal()
    secret_edited = Signal(str, str)

    def __init__(self, *, allow_declared: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.kind = QComboBox(self)
        self.kind.setObjectName("schemeKind")
        if allow_declared:
            self.kind.addItem("Each event as the document declares it", DECLARED)
        for key, label in _KINDS:
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        form.addRow("Scheme", self.kind)

        self.hmac_row = QWidget(self)
        row = QHBoxLayout(self.hmac_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.header = QLineEdit("X-Signature", self.hmac_row)
        self.header.setPlaceholderText("header")
        self.algorithm = QComboBox(self.hmac_row)
        self.algorithm.addItems(list(ALGORITHMS))
        self.encoding = QComboBox(self.hmac_row)
        self.encoding.addItems(["hex", "base64"])
        self.prefix = QLineEdit(self.hmac_row)
        self.prefix.setPlaceholderText("prefix (sha256=)")
        self.timestamp_header = QLineEdit(self.hmac_row)
        self.timestamp_header.setPlaceholderText("timestamp header (none)")
        for widget in (
            self.header,
            self.algorithm,
            self.encoding,
            self.prefix,
            self.timestamp_header,
        ):
            row.addWidget(widget)
        for edit in (self.header, self.prefix, self.timestamp_header):
            edit.textChanged.connect(self.changed)
        self.algorithm.currentIndexChanged.connect(self.changed)
        self.encoding.currentIndexChanged.connect(self.changed)
        form.addRow("HMAC", self.hmac_row)

        secret_row = QWidget(self)
        srow = QHBoxLayout(secret_row)
        srow.setContentsMargins(0, 0, 0, 0)
        self.secret_name = QLineEdit("WEBHOOK_SECRET", secret_row)
        self.secret_name.setObjectName("secretName")
        self.secret_name.setToolTip(
            "The secret's name: its key in the keyring, and the environment variable the "
            "curl command reads it from"
        )
        self.secret = QLineEdit(secret_row)
        self.secret.setObjectName("secret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText("signing secret (kept in the keyring)")
        self.show_secret = QCheckBox("Show", secret_row)
        self.show_secret.toggled.connect(
            lambda on: self.secret.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
            )
        )
        self.secret_name.setMinimumWidth(self.secret_name.fontMetrics().horizontalAdvance("M" * 17))
        srow.addWidget(self.secret_name, 1)
        srow.addWidget(self.secret, 2)
        srow.addWidget(self.show_secret)
        self.secret.textChanged.connect(self.changed)
        self.secret_name.textChanged.connect(self.changed)
        self.secret.editingFinished.connect(
            lambda: self.secret_edited.emit(self.name(), self.secret.text())
        )
        form.addRow("Secret", secret_row)
        self.secret_row = secret_row
        self._form = form
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.hmac_row.setEnabled(kind == "hmac")
        self._form.setRowVisible(self.hmac_row, kind == "hmac")
        # each event's own secret (by the name it declares) when the document says
        self._form.setRowVisible(self.secret_row, kind != DECLARED)
        self.changed.emit()

    # -- reading and setting ----------------------------------------------------------
    @property
    def declared(self) -> bool:
        return bool(self.kind.currentData() == DECLARED)

    def scheme(self) -> Scheme:
        """The scheme chosen (a ValueError for impossible HMAC options)."""
        kind = str(self.kind.currentData())
        if kind == "hmac":
            return Scheme.hmac(
                self.header.text().strip() or "X-Signature",
                self.algorithm.currentText(),
                self.encoding.currentText(),
                self.prefix.text(),
                self.timestamp_header.text().strip(),
            )
        if kind == DECLARED:
            return Scheme.stripe()
        return Scheme.named(kind)

    def set_scheme(self, scheme: Scheme) -> None:
        index = self.kind.findData(scheme.kind)
        if scheme.kind == "hmac":
            self.header.setText(scheme.header)
            self.algorithm.setCurrentText(scheme.algorithm)
            self.encoding.setCurrentText(scheme.encoding)
            self.prefix.setText(scheme.prefix)
            self.timestamp_header.setText(scheme.timestamp_header)
        if index >= 0:
            self.kind.setCurrentIndex(index)

    def name(self) -> str:
        return self.secret_name.text().strip() or "WEBHOOK_SECRET"

    def value(self) -> str:
        return self.secret.text()

    def set_secret(self, name: str, value: str) -> None:
        """Show a secret by name (quietly: not an edit of the user's)."""
        self.secret_name.setText(name)
        self.secret_name.setCursorPosition(0)
        self.secret.setText(value)
