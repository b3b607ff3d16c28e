"""What the response panel shows when there is no response: the empty invitation, the
request on its way (with a spinner and the elapsed time), a network failure with hints,
a cancelled request, or a request that could not be built."""

from __future__ import annotations

import html
import time

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.http.content import human_duration
from explorer.http.model import NetworkFailure, PreparedRequest
from explorer.ui.safe_text import html_text, shown
from explorer.ui.style import method_color

__all__ = ["FAILURES", "StatePanel"]

FAILURES: dict[str, tuple[str, list[str]]] = {
    "refused": (
        "Connection refused",
        ["Is the server running?", "Check the host and port of the server URL."],
    ),
    "dns": (
        "DNS lookup failed",
        ["Check the host name for typos.", "Are you offline, or does it need a VPN?"],
    ),
    "timeout": (
        "Timed out",
        [
            "The server did not answer in time.",
            "Try again, or raise the timeout in the request settings.",
        ],
    ),
    "tls": (
        "TLS error",
        [
            "The certificate may be self-signed, expired or for another host.",
            "For a local test server you can turn off TLS verification.",
        ],
    ),
    "reset": (
        "Connection reset",
        ["The server closed the connection before answering.", "It may have crashed; retry."],
    ),
    "protocol": (
        "Protocol error",
        ["The answer was not valid HTTP.", "Is it HTTPS or another service on that port?"],
    ),
    "too_large": ("Response too large", ["The body is larger than the size limit."]),
    "other": ("Request failed", []),
}


class _Badge(QWidget):
    """A round coloured badge with a glyph, or a spinning arc while `spinning`."""

    def __init__(self) -> None:
        super().__init__()
        self.setFixedSize(QSize(44, 44))
        self.glyph = ""
        self.colour = QColor("#868e96")
        self.spinning = False
        self._angle = 0
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._spin)

    def set_glyph(self, glyph: str, colour: str) -> None:
        self.glyph, self.colour, self.spinning = glyph, QColor(colour), False
        self._timer.stop()
        self.update()

    def set_spinning(self, colour: str) -> None:
        self.glyph, self.colour, self.spinning = "", QColor(colour), True
        self._timer.start()
        self.update()

    def stop(self) -> None:
        self._timer.stop()

    def _spin(self) -> None:
        self._angle = (self._angle + 24) % 360
        self.update()

    def paintEvent(self, e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(3, 3, -3, -3)
        if self.spinning:
            track = QColor(self.colour)
            track.setAlpha(40)
            p.setPen(QPen(track, 4))
            p.drawEllipse(rect)
            pen = QPen(self.colour, 4)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.drawArc(rect, -self._angle * 16, 100 * 16)
        elif self.glyph:
            tint = QColor(self.colour)
            tint.setAlpha(36)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(tint)
            p.drawEllipse(rect)
            p.setPen(self.colour)
            font = QFont(self.font())
            font.setPixelSize(20)
            font.setBold(True)
            p.setFont(font)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.glyph)
        p.end()


class StatePanel(QWidget):
    """A centred message: badge, title, message, a monospace detail line and hints."""

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(2)
        self.badge = _Badge()
        outer.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addSpacing(8)
        self.title = QLabel("")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.title)
        self.message = QLabel("")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.message)
        self.detail = QLabel("")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("color: palette(placeholder-text); font-family: monospace;")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # a URL: outside text
        outer.addWidget(self.detail)
        outer.addSpacing(6)
        self.hints = QLabel("")
        self.hints.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hints.setWordWrap(True)
        self.hints.setStyleSheet("color: palette(placeholder-text);")
        self.hints.setTextFormat(Qt.TextFormat.RichText)  # our own words only
        outer.addWidget(self.hints)
        outer.addStretch(3)
        self.state = "empty"
        self._started = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._tick)

    def _set(
        self,
        state: str,
        title: str,
        message: str = "",
        detail: str = "",
        hints: str = "",
        rich_message: bool = False,
    ) -> None:
        """Show a state; `message` is plain text unless `rich_message` (our own markup, with
        outside text escaped). The format is set before the text: a label renders its text
        at once, and rich text can name a file that Qt would read."""
        self.state = state
        self._timer.stop()
        self.title.setText(title)
        self.message.setTextFormat(
            Qt.TextFormat.RichText if rich_message else Qt.TextFormat.PlainText
        )
        self.message.setText(message if rich_message else shown(message))
        self.message.setVisible(bool(message))
        self.detail.setText(shown(detail))
        self.detail.setVisible(bool(detail))
        self.hints.setText(hints)
        self.hints.setVisible(bool(hints))

    def show_empty(self) -> None:
        self.badge.set_glyph("→", "#adb5bd")
        self._set(
            "empty",
            "Send a request to see the response here",
            "",
            "",
            "Press <b>Ctrl+Enter</b> to send",
        )

    def show_sending(self, prepared: PreparedRequest) -> None:
        colour = method_color(prepared.method).name()
        self.badge.set_spinning(colour)
        method = html_text(prepared.method, 20)
        self._set(
            "sending",
            "Sending…",
            f"<span style='color:{colour}; font-weight:600'>{method}</span> "
            f"{html_text(prepared.url)}",
            "0.0 s",
            "Esc cancels",
            rich_message=True,
        )
        self._started = time.monotonic()
        self._timer.start()

    def show_failure(self, failure: NetworkFailure) -> None:
        title, hints = FAILURES.get(failure.kind, FAILURES["other"])
        self.badge.set_glyph("✕", "#e03131")
        after = f" after {human_duration(failure.elapsed)}" if failure.elapsed else ""
        self._set(
            "failure",
            title,
            failure.message,
            f"{failure.url}{after}",
            "<br>".join(html.escape(h) for h in hints),
        )

    def show_cancelled(self) -> None:
        self.badge.set_glyph("■", "#868e96")
        self._set("cancelled", "Request cancelled", "", "", "Press <b>Ctrl+Enter</b> to send again")

    def show_error(self, message: str) -> None:
        self.badge.set_glyph("!", "#e8590c")
        self._set("error", "The request could not be built", message, "", "Fix it and send again")

    def stop(self) -> None:
        self._timer.stop()
        self.badge.stop()

    @property
    def elapsed_text(self) -> str:
        return self.detail.text()

    def _tick(self) -> None:
        elapsed = time.monotonic() - self._started
        self.detail.setText(f"{elapsed:.1f} s")
