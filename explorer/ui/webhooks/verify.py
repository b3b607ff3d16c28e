"""Verify: paste a raw body, the signature header and the secret: valid, or exactly why
not (checked as you type)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.request.json_editor import CodeEditor, JsonHighlighter
from explorer.ui.webhooks.scheme import SchemeBox
from explorer.webhooks.signing import DEFAULT_TOLERANCE, SignatureBook, Verdict

__all__ = ["VerifyPanel"]


def parse_headers(text: str, default_name: str) -> list[tuple[str, str]]:
    """Header lines as pasted ("Name: value" each; a bare value is the signature's)."""
    headers: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if sep and name.strip() and " " not in name.strip() and "=" not in name:
            headers.append((name.strip(), value.strip()))
        else:
            headers.append((default_name, line.strip()))
    return headers


class VerifyPanel(QWidget):
    """See the module docstring. `others` are the secrets the page knows, by name: a
    mismatch that one of them explains says "wrong secret"."""

    def __init__(self, book: SignatureBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.others: dict[str, str] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.scheme_box = SchemeBox(parent=self)
        layout.addWidget(self.scheme_box)
        form = QFormLayout()
        self.headers = QPlainTextEdit(self)
        self.headers.setObjectName("verifyHeaders")
        self.headers.setPlaceholderText("Stripe-Signature: t=1711000000,v1=… (or only the value)")
        self.headers.setMaximumHeight(70)
        form.addRow("Headers", self.headers)
        self.tolerance = QSpinBox(self)
        self.tolerance.setRange(0, 366 * 86400)
        self.tolerance.setValue(DEFAULT_TOLERANCE)
        self.tolerance.setSuffix(" s")
        self.tolerance.setSpecialValueText("any age")
        form.addRow("Tolerance", self.tolerance)
        layout.addLayout(form)
        self.result = QLabel("", self)
        self.result.setObjectName("verifyResult")
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        layout.addWidget(QLabel("Raw body, exactly as it arrived"))
        self.body = CodeEditor(self)
        self.body.setObjectName("verifyBody")
        self._highlighter = JsonHighlighter(self.body.document())
        layout.addWidget(self.body, 1)
        self.verdict: Verdict | None = None
        for signal in (
            self.headers.textChanged,
            self.body.textChanged,
            self.scheme_box.changed,
            self.tolerance.valueChanged,
        ):
            signal.connect(self.check)

    def check(self) -> Verdict | None:
        """Check what is pasted; the verdict is shown and returned."""
        try:
            scheme = self.scheme_box.scheme()
        except ValueError as exc:
            self._show(None, str(exc))
            return None
        if not self.headers.toPlainText().strip() and not self.body.toPlainText():
            self._show(None, "Paste a body and its signature header to check them.")
            return None
        headers = parse_headers(self.headers.toPlainText(), scheme.header)
        others = {n: v for n, v in self.others.items() if v and v != self.scheme_box.value()}
        verdict = scheme.verify(
            self.body.toPlainText(),
            headers,
            self.scheme_box.value(),
            tolerance=self.tolerance.value(),
            other_secrets=others,
            book=self.book,
        )
        self._show(verdict, ("✓ " if verdict.ok else "✗ ") + verdict.message)
        return verdict

    def _show(self, verdict: Verdict | None, text: str) -> None:
        self.verdict = verdict
        self.result.setText(text)
        color = "" if verdict is None else ("#2f9e44" if verdict.ok else "#e03131")
        self.result.setStyleSheet(f"color: {color}; font-weight: bold;" if color else "")
