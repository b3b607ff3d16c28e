"""A problem document (RFC 7807 / 9457, or the ECOSIRE shape) as a readable panel.

Everything in it is the server's text: title and detail are plain-text labels, the meta
line escapes it inside our markup, field errors are table cells (tooltips escaped)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from explorer.http.model import Problem
from explorer.ui.response.headers import _Table
from explorer.ui.safe_text import html_text, set_plain
from explorer.ui.style import status_color

__all__ = ["ProblemPanel"]


def _scalar_extras(extra: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for key, value in extra.items():
        if isinstance(value, str | int | float | bool) and len(str(value)) < 200:
            out.append((key, str(value)))
    return out[:6]


class _FieldErrors(_Table):
    def __init__(self) -> None:
        super().__init__(("Field", "Message"), (0,))
        self.table.horizontalHeader().resizeSection(0, 180)

    def line(self, row: int) -> str:
        field, message = self.model.row(row)
        return f"{field}: {message}"


class ProblemPanel(QFrame):
    """Title, status, detail, type, instance and the field errors of a problem."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("problemPanel")
        self.problem: Problem | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 10, 8)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.icon = QLabel("⚠")
        self.icon.setStyleSheet("font-size: 15px;")
        self.title = QLabel("")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600; font-size: 13px;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = QLabel("Problem")
        self.kind.setStyleSheet("color: palette(placeholder-text);")
        top.addWidget(self.icon)
        top.addWidget(self.title, 1)
        top.addWidget(self.kind)
        layout.addLayout(top)
        self.detail = QLabel("")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)
        self.meta = QLabel("")
        self.meta.setWordWrap(True)
        self.meta.setTextFormat(Qt.TextFormat.RichText)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.meta)
        self.errors = _FieldErrors()
        layout.addWidget(self.errors)

    def set_problem(self, problem: Problem, http_status: int) -> None:
        """Show `problem` (`http_status` colours it when the document has no status)."""
        self.problem = problem
        status = problem.status or http_status
        colour = status_color(status)
        tint = QColor(colour)
        tint.setAlpha(22)
        rgba = f"rgba({tint.red()}, {tint.green()}, {tint.blue()}, {tint.alpha()})"
        self.setStyleSheet(
            f"QFrame#problemPanel {{ border: none; border-left: 4px solid {colour.name()};"
            f" background: {rgba}; }}"
        )
        self.icon.setStyleSheet(f"font-size: 15px; color: {colour.name()};")
        title = problem.title or "Error"
        set_plain(self.title, f"{status} · {title}" if status else title, 300)
        set_plain(self.detail, problem.detail, 1_000)  # the whole of it is in the Body tab
        self.detail.setVisible(bool(problem.detail) and problem.detail != problem.title)
        n = len(problem.errors)
        self.kind.setText(f"{n} field error{'s' if n != 1 else ''}" if n else "Problem")
        meta: list[str] = []
        if problem.type and problem.type != "about:blank":
            meta.append(f"<b>type</b> {html_text(problem.type, 300)}")
        if problem.instance:
            meta.append(f"<b>instance</b> {html_text(problem.instance, 300)}")
        for key, value in _scalar_extras(problem.extra):
            meta.append(f"<b>{html_text(key, 100)}</b> {html_text(value, 200)}")
        self.meta.setText(
            "<span style='color: palette(placeholder-text)'>"
            + " &nbsp;·&nbsp; ".join(meta)
            + "</span>"
        )
        self.meta.setVisible(bool(meta))
        rows_data = [(e.field or e.pointer or "—", e.message) for e in problem.errors]
        self.errors.model.set_rows(rows_data)
        self.errors.setVisible(bool(problem.errors))
        rows = min(max(n, 1), 6)
        height = self.errors.table.horizontalHeader().sizeHint().height()
        height += rows * self.errors.table.verticalHeader().defaultSectionSize() + 4
        self.errors.setFixedHeight(height)
