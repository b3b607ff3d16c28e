"""The line above a response: status pill, time (with its phases), size, HTTP version,
redirects, and the rate-limit meter."""

from __future__ import annotations

import html
from http import HTTPStatus

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolTip, QWidget

from explorer.http.content import human_duration, human_size
from explorer.http.model import ResponseResult, Timing
from explorer.ui.response.ratelimit import RateMeter
from explorer.ui.safe_text import cut, tooltip
from explorer.ui.style import status_color

__all__ = ["StatusBar", "chain_lines", "reason_of", "timing_html"]


def reason_of(status: int, reason: str) -> str:
    """The reason phrase the server sent, else the standard one ("" when unknown)."""
    if reason:
        return reason
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def timing_html(timing: Timing) -> str:
    """The phases of a request as a small table with bars, for a tooltip."""
    phases = [
        ("Connect", timing.connect),
        ("TLS", timing.tls),
        ("First byte", timing.first_byte),
        ("Download", timing.download),
    ]
    total = timing.total or sum(v for _, v in phases if v) or 1e-9
    rows = []
    for name, value in phases:
        width = 0 if value is None else max(2, int(120 * value / total))
        bar = (
            f"<td><table cellspacing=0 cellpadding=0><tr><td bgcolor='#4dabf7' width={width}"
            " height=8></td></tr></table></td>"
            if width
            else "<td></td>"
        )
        rows.append(
            f"<tr><td>{name}</td><td align=right>&nbsp;{html.escape(human_duration(value))}"
            f"&nbsp;</td>{bar}</tr>"
        )
    rows.append(
        f"<tr><td><b>Total</b></td><td align=right>&nbsp;<b>{human_duration(timing.total)}</b>"
        "&nbsp;</td><td></td></tr>"
    )
    return "<table cellspacing=2>" + "".join(rows) + "</table>"


def chain_lines(result: ResponseResult) -> list[str]:
    """The way to the response as plain lines, one a request: status, method, URL, and
    the credentials not forwarded on a redirect to another origin."""
    lines = []
    for hop in result.redirect_chain:
        withheld = f"  (not forwarded: {', '.join(hop.dropped)})" if hop.dropped else ""
        lines.append(f"{hop.status}  {hop.method} {hop.url}{withheld}")
    lines.append(f"{result.status}  {result.url}")
    return lines


class ClickTipLabel(QLabel):
    """A label whose tooltip also opens on click."""

    def mousePressEvent(self, ev: QMouseEvent) -> None:
        if self.toolTip():
            QToolTip.showText(ev.globalPosition().toPoint(), self.toolTip(), self)
        super().mousePressEvent(ev)


class StatusBar(QWidget):
    """Status pill, then time · size · version · redirects, then the rate meter."""

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(12)
        self.pill = QLabel("")
        self.pill.setObjectName("statusPill")
        self.pill_colour = ""
        self.time_label = ClickTipLabel("")
        self.time_label.setCursor(Qt.CursorShape.WhatsThisCursor)
        self.size_label = QLabel("")
        self.version_label = QLabel("")
        self.redirect_label = QLabel("")
        self.redirect_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.redirect_label.setTextFormat(Qt.TextFormat.PlainText)  # URLs from the servers
        for label in (self.time_label, self.size_label, self.version_label, self.redirect_label):
            label.setStyleSheet("color: palette(placeholder-text);")
        for label in (self.pill, self.size_label, self.version_label, self.redirect_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # the server's reason, URL, version
        self.rate = RateMeter()
        layout.addWidget(self.pill)
        layout.addWidget(self.time_label)
        layout.addWidget(self.size_label)
        layout.addWidget(self.version_label)
        layout.addWidget(self.redirect_label, 1)
        layout.addWidget(self.rate)

    def set_result(self, result: ResponseResult) -> None:
        colour = status_color(result.status)
        self.pill_colour = colour.name()
        reason = reason_of(result.status, result.reason)
        self.pill.setText(f"{result.status} {cut(reason, 60)}".strip())
        self.pill.setStyleSheet(
            f"QLabel#statusPill {{ background: {colour.name()}; color: white;"
            " font-weight: 600; border-radius: 4px; padding: 2px 8px; }"
        )
        self.time_label.setText(human_duration(result.timing.total))
        self.time_label.setToolTip(timing_html(result.timing))
        self.size_label.setText(human_size(result.size))
        self.size_label.setToolTip(f"Body: {result.size:,} bytes")
        self.version_label.setText(cut(result.http_version, 40))
        self.version_label.setVisible(bool(result.http_version))
        if result.redirects or (result.url and result.url != result.request.url):
            n = result.redirects
            count = f"via {n} redirect{'s' if n != 1 else ''}" if n else "redirected"
            withheld = any(hop.dropped for hop in result.redirect_chain)
            note = " · credentials not forwarded" if withheld else ""
            self.redirect_label.setText(f"↪ {count} → {cut(result.url, 500)}{note}")
            self.redirect_label.setToolTip(tooltip("\n".join(chain_lines(result))))
        else:
            self.redirect_label.setText("")
            self.redirect_label.setToolTip("")
