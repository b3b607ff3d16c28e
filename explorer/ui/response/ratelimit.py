"""Rate limits: a small meter from X-RateLimit-*, and the Retry-After countdown of a 429.
Both count down with a QTimer ticking once a second; nothing sleeps."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from explorer.http.model import RateLimit
from explorer.ui.safe_text import html_text

__all__ = ["RateMeter", "RetryBanner", "countdown_text"]

Clock = Callable[[], float]


def countdown_text(seconds: float) -> str:
    """`42 s`, `3 min 5 s`, `1 h 2 min`."""
    s = max(0, math.ceil(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        m, r = divmod(s, 60)
        return f"{m} min {r} s" if r else f"{m} min"
    h, r = divmod(s, 3600)
    return f"{h} h {r // 60} min"


def meter_colour(fraction: float) -> QColor:
    if fraction > 0.5:
        return QColor("#2f9e44")
    if fraction > 0.2:
        return QColor("#f08c00")
    return QColor("#e03131")


class _Bar(QWidget):
    """A thin horizontal gauge."""

    def __init__(self) -> None:
        super().__init__()
        self.fraction = 1.0
        self.setFixedSize(56, 6)

    def sizeHint(self) -> QSize:
        return QSize(56, 6)

    def paintEvent(self, e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.palette().mid().color().lighter(130))
        p.drawRoundedRect(rect, 3, 3)
        if self.fraction > 0:
            filled = QRectF(rect)
            filled.setWidth(max(3.0, rect.width() * min(1.0, self.fraction)))
            p.setBrush(meter_colour(self.fraction))
            p.drawRoundedRect(filled, 3, 3)
        p.end()


class RateMeter(QWidget):
    """ "Rate limit 97/100 · resets in 42 s" with a gauge; tooltip lists the raw headers."""

    def __init__(self, clock: Clock = time.time) -> None:
        super().__init__()
        self._clock = clock
        self.limit: RateLimit | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.bar = _Bar()
        self.label = QLabel("")
        self.label.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.label)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.hide()

    def set_rate_limit(
        self, limit: RateLimit | None, headers: Sequence[tuple[str, str]] = ()
    ) -> None:
        """Show the meter for `limit` (hidden when None or when it has no counts)."""
        self.limit = limit
        self._timer.stop()
        if limit is None or (limit.limit is None and limit.remaining is None):
            self.hide()
            return
        raw = [
            f"{html_text(k, 100)}: {html_text(v, 200)}"
            for k, v in headers
            if "ratelimit" in k.lower().replace("-", "") or k.lower() == "retry-after"
        ]
        self.setToolTip("<br>".join(["<b>Rate limit headers</b>", *raw]) if raw else "")
        if limit.limit and limit.remaining is not None:
            self.bar.fraction = limit.remaining / limit.limit
            self.bar.show()
        else:
            self.bar.hide()
        self.bar.update()
        self._tick()
        if limit.reset_at is not None:
            self._timer.start()
        self.show()

    def _tick(self) -> None:
        limit = self.limit
        if limit is None:
            return
        if limit.limit is not None and limit.remaining is not None:
            text = f"Rate limit {limit.remaining}/{limit.limit}"
        elif limit.remaining is not None:
            text = f"Rate limit: {limit.remaining} left"
        else:
            text = f"Rate limit {limit.limit}"
        if limit.reset_at is not None:
            left = limit.reset_at - self._clock()
            if left > 0:
                text += f" · resets in {countdown_text(left)}"
            else:
                text += " · reset"
                self._timer.stop()
        self.label.setText(text)

    def stop(self) -> None:
        self._timer.stop()


class _Ring(QWidget):
    """A countdown ring: the arc shrinks as the wait runs out."""

    def __init__(self) -> None:
        super().__init__()
        self.fraction = 1.0
        self.setFixedSize(22, 22)

    def paintEvent(self, e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2.5, 2.5, -2.5, -2.5)
        colour = QColor("#e8590c")
        track = QColor(colour)
        track.setAlpha(50)
        pen = QPen(track, 3)
        p.setPen(pen)
        p.drawEllipse(rect)
        if self.fraction > 0:
            pen = QPen(colour, 3)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.drawArc(rect, 90 * 16, int(360 * 16 * min(1.0, self.fraction)))
        else:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#2f9e44"))
            p.drawEllipse(rect.adjusted(3, 3, -3, -3))
        p.end()


class RetryBanner(QFrame):
    """ "Too many requests — retry in 37 s", and "Send again" once the wait is over."""

    resend_requested = Signal()

    def __init__(self, clock: Clock = time.time) -> None:
        super().__init__()
        self._clock = clock
        self.retry_at: float | None = None
        self._total = 1.0
        self._status = 429
        self.setObjectName("retryBanner")
        self.setStyleSheet(
            "QFrame#retryBanner { background: rgba(232, 89, 12, 28);"
            " border-left: 4px solid #e8590c; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 10, 8)
        layout.setSpacing(10)
        self.icon = _Ring()
        self.label = QLabel("")
        self.label.setStyleSheet("font-weight: 600; font-size: 13px;")
        self.button = QPushButton("Send again")
        self.button.clicked.connect(self.resend_requested)
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        self.hide()

    @property
    def remaining(self) -> float:
        if self.retry_at is None:
            return 0.0
        return max(0.0, self.retry_at - self._clock())

    def start(self, retry_at: float | None, status: int) -> None:
        """Count down to `retry_at` (Unix time); None: no Retry-After was given."""
        self.retry_at = retry_at
        self._total = max(1e-6, self.remaining)
        self._timer.stop()
        self._status = status
        self._tick()
        if retry_at is not None and self.remaining > 0:
            self._timer.start()
        self.show()

    def stop(self) -> None:
        self._timer.stop()
        self.retry_at = None
        self.hide()

    def _tick(self) -> None:
        left = self.remaining
        self.icon.fraction = left / self._total if self.retry_at is not None else 0.0
        self.icon.update()
        what = "Too many requests" if self._status == 429 else "Service unavailable"
        if self.retry_at is None:
            self.label.setText(f"{what} — the server did not say when to retry")
            self.button.setEnabled(True)
            return
        if left > 0:
            self.label.setText(f"{what} — retry in {countdown_text(left)}")
            self.button.setEnabled(False)
            self.button.setToolTip("Enabled when the countdown ends")
        else:
            self._timer.stop()
            self.label.setText(f"{what} — you can send again now")
            self.button.setEnabled(True)
            self.button.setToolTip("")
