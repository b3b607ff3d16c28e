"""Colours and fonts every panel shares, so the window looks like one tool."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase

METHOD_COLORS = {
    "GET": "#2f9e44",
    "POST": "#e8590c",
    "PUT": "#1971c2",
    "PATCH": "#9c36b5",
    "DELETE": "#e03131",
    "HEAD": "#5f3dc4",
    "OPTIONS": "#495057",
    "TRACE": "#495057",
}


def method_color(method: str) -> QColor:
    return QColor(METHOD_COLORS.get(method.upper(), "#495057"))


def status_color(status: int) -> QColor:
    """Green for 2xx, blue for 3xx, orange for 4xx, red for 5xx and failures."""
    if 200 <= status < 300:
        return QColor("#2f9e44")
    if 300 <= status < 400:
        return QColor("#1971c2")
    if 400 <= status < 500:
        return QColor("#e8590c")
    return QColor("#e03131")


def mono_font(point_size: int = 0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if point_size:
        font.setPointSize(point_size)
    return font
