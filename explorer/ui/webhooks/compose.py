"""Compose and send: the payload (the request body editor, pre-filled from the event's
example or schema and checked against it), the target URL, the scheme and secret, the
signature it makes, Send (the answer shown like any response) and Copy as curl."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.spec import Spec
from explorer.ui.request.body import BodyEditor
from explorer.ui.response.view import ResponseView
from explorer.ui.webhooks.scheme import SchemeBox
from explorer.webhooks.delivery import Delivery, build_delivery
from explorer.webhooks.events import WebhookEvent
from explorer.webhooks.signing import SignatureBook

__all__ = ["SendPanel"]


class SendPanel(QWidget):
    """See the module docstring. `send_requested` and `curl_requested` are the page's to
    act on; `delivery()` makes what they send."""

    send_requested = Signal()
    curl_requested = Signal()

    def __init__(self, book: SignatureBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.current_event: WebhookEvent | None = None
        self.issue_count = 0
        top = QWidget(self)
        col = QVBoxLayout(top)
        col.setContentsMargins(8, 8, 8, 4)
        target = QHBoxLayout()
        target.addWidget(QLabel("Send to"))
        self.url = QLineEdit(self)
        self.url.setObjectName("webhookTarget")
        self.url.setPlaceholderText(
            "http://127.0.0.1:PORT/ — start the receiver, or your own endpoint"
        )
        target.addWidget(self.url, 1)
        self.use_receiver = QPushButton("Use the receiver", self)
        target.addWidget(self.use_receiver)
        col.addLayout(target)
        self.scheme_box = SchemeBox(parent=self)
        col.addWidget(self.scheme_box)
        sig = QHBoxLayout()
        self.signature_name = QLabel("Signature")
        sig.addWidget(self.signature_name)
        self.signature = QLineEdit(self)
        self.signature.setObjectName("webhookSignature")
        self.signature.setReadOnly(True)
        sig.addWidget(self.signature, 1)
        self.keep_signature = QCheckBox("Keep while I edit", self)
        self.keep_signature.setToolTip(
            "Send this signature even after the body changes: see what a receiver does with "
            "a body that was changed after it was signed"
        )
        sig.addWidget(self.keep_signature)
        col.addLayout(sig)
        buttons = QHBoxLayout()
        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("webhookSend")
        self.send_button.clicked.connect(self.send_requested)
        self.curl_button = QPushButton("Copy as curl", self)
        self.curl_button.setObjectName("webhookCurl")
        self.curl_button.clicked.connect(self.curl_requested)
        self.note = QLabel("", self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.curl_button)
        buttons.addWidget(self.note, 1)
        col.addLayout(buttons)
        self.body = BodyEditor(self._edited, self._issues, top)
        col.addWidget(self.body, 1)

        self.response = ResponseView()
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(self.response)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.scheme_box.changed.connect(self.refresh_signature)
        self.keep_signature.toggled.connect(lambda _on: self.refresh_signature())

    def set_event(self, api: Spec, event: WebhookEvent) -> None:
        """Show an event: its payload to edit, its declared scheme."""
        self.current_event = event
        self.keep_signature.setChecked(False)
        self.body.set_operation(api, event.operation)
        if event.scheme is not None:
            self.scheme_box.set_scheme(event.scheme)
        self.response.clear()
        self.refresh_signature()

    def _edited(self) -> None:
        self.refresh_signature()

    def _issues(self, count: int) -> None:
        self.issue_count = count

    def text(self) -> str:
        return self.body.text()

    def delivery(self, timestamp: int | None = None) -> Delivery:
        """The delivery as it would go now (a ValueError for impossible options)."""
        scheme = self.scheme_box.scheme()
        kept = self.signature.text() if self.keep_signature.isChecked() else None
        content_type = (
            self.current_event.media_type if self.current_event is not None else "application/json"
        )
        return build_delivery(
            self.url.text().strip(),
            self.text(),
            scheme,
            self.scheme_box.value(),
            timestamp=timestamp,
            secret_env=self.scheme_box.name(),
            content_type=content_type,
            signature=kept or None,
            book=self.book if kept is None else None,
        )

    def refresh_signature(self) -> None:
        """The signature header for the body as it is (unless kept)."""
        if self.keep_signature.isChecked():
            return
        try:
            scheme = self.scheme_box.scheme()
        except ValueError as exc:
            self.signature.setText("")
            self.note.setText(str(exc))
            return
        self.signature_name.setText(scheme.header)
        if not self.scheme_box.value():
            self.signature.setText("")
            self.signature.setPlaceholderText("set the signing secret to sign")
            return
        text = self.text()
        value = scheme.signature(text, self.scheme_box.value(), int(time.time()))
        self.book.remember(value, text.encode("utf-8"))  # a kept one is known as made here
        self.signature.setText(value)
