"""How a row of the endpoint tree is painted: a method badge, the path, a dim summary."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QStaticText, QTransform
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from explorer.spec import Operation
from explorer.ui.style import method_color
from explorer.ui.tree_model import EndpointModel

__all__ = ["EndpointDelegate"]

_PARAM = re.compile(r"(\{[^{}]*\})")
_WHITE = QColor("#ffffff")
_BADGE_TEXT = {"DELETE": "DEL", "OPTIONS": "OPT", "PATCH": "PATCH", "TRACE": "TRACE"}


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved towards `b` by `t` (0..1)."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


_SELECTED = QStyle.StateFlag.State_Selected
_STATE_ACTIVE = QStyle.StateFlag.State_Active
_ACTIVE = QPalette.ColorGroup.Active
_INACTIVE = QPalette.ColorGroup.Inactive
_TEXT = QPalette.ColorRole.Text
_HIGHLIGHTED_TEXT = QPalette.ColorRole.HighlightedText
_HIGHLIGHT = QPalette.ColorRole.Highlight
_BASE_ROLE = QPalette.ColorRole.Base
_METHOD_COLORS: dict[tuple[str, int], QColor] = {}


def _method_color(method: str, dim: QColor | None) -> QColor:
    """The badge colour of a method, faded towards `dim` for deprecated operations."""
    key = (method, dim.rgba() if dim is not None else 0)
    color = _METHOD_COLORS.get(key)
    if color is None:
        color = method_color(method)
        if dim is not None:
            color = _mix(color, dim, 0.5)
        _METHOD_COLORS[key] = color
    return color


def _mark(selected: bool, back: QColor) -> QColor:
    """The background that marks matched text: amber, or light on a selected row."""
    if selected:
        return QColor(255, 255, 255, 70)
    dark = back.lightness() < 128
    return QColor(255, 196, 0, 70 if dark else 95)


@dataclass(frozen=True)
class _RowColors:
    text: QColor
    dim: QColor
    summary: QColor
    param: QColor
    mark: QColor


class EndpointDelegate(QStyledItemDelegate):
    """Paints module rows (name, count) and operation rows (badge, path, summary).

    Text is drawn as cached `QStaticText` (shaped once, not at every repaint): typing in
    the filter repaints the whole view on every key."""

    _BASE, _BOLD, _BADGE, _STRIKE = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._font_key: tuple[str, float] | None = None
        self._fonts_by_id: list[QFont] = []
        self._metrics: list[QFontMetrics] = []
        self._badge_width = 0
        self._row_height = 0
        self._cache: dict[tuple[str, int, int, bool], tuple[QStaticText, int]] = {}
        self._colors: dict[tuple[int, bool, bool], _RowColors] = {}
        self.highlight_words: tuple[str, ...] = ()
        """Lower-case words to mark in paths and summaries (the filter's words)."""

    def _fonts(self, base: QFont) -> None:
        key = (base.family(), base.pointSizeF())
        if key == self._font_key:
            return
        self._font_key = key
        badge = QFont(base)
        badge.setBold(True)
        size = base.pointSizeF()
        if size > 0:
            badge.setPointSizeF(max(6.0, size * 0.72))
        badge.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 104)
        bold = QFont(base)
        bold.setWeight(QFont.Weight.DemiBold)
        strike = QFont(base)
        strike.setStrikeOut(True)
        self._fonts_by_id = [QFont(base), bold, badge, strike]
        self._metrics = [QFontMetrics(f) for f in self._fonts_by_id]
        self._badge_width = self._metrics[self._BADGE].horizontalAdvance("PATCH") + 10
        self._row_height = self._metrics[self._BASE].height() + 8
        self._cache.clear()

    def _static(
        self, text: str, font: int, room: int = -1, middle: bool = False
    ) -> tuple[QStaticText, int]:
        """The text (elided to `room` pixels when given: in the middle for paths, whose
        look-alikes differ at the end, else at the end) shaped once, and its width."""
        key = (text, font, room, middle)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        fm = self._metrics[font]
        shown = text
        if room >= 0 and fm.horizontalAdvance(text) > room:
            mode = Qt.TextElideMode.ElideMiddle if middle else Qt.TextElideMode.ElideRight
            shown = fm.elidedText(text, mode, room)
        static = QStaticText(shown)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(QTransform(), self._fonts_by_id[font])
        if len(self._cache) > 6000:
            self._cache.clear()
        value = (static, fm.horizontalAdvance(shown))
        self._cache[key] = value
        return value

    def _draw(
        self,
        painter: QPainter,
        x: int,
        rect: QRect,
        text: str,
        font: int,
        room: int = -1,
        middle: bool = False,
    ) -> int:
        static, width = self._static(text, font, room, middle)
        fm = self._metrics[font]
        y = rect.top() + (rect.height() - fm.height()) // 2
        painter.setFont(self._fonts_by_id[font])
        painter.drawStaticText(QPoint(x, y), static)
        return width

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        self._fonts(option.font)
        return QSize(200, self._row_height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self._fonts(option.font)
        rect: QRect = option.rect
        palette: QPalette = option.palette
        widget = option.widget
        state = option.state
        if widget is not None:
            widget.style().drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget
            )
        selected = bool(state & _SELECTED)
        group = _ACTIVE if state & _STATE_ACTIVE else _INACTIVE
        key = (palette.cacheKey(), selected, group == _ACTIVE)
        colors = self._colors.get(key)
        if colors is None:
            text = palette.color(group, _HIGHLIGHTED_TEXT if selected else _TEXT)
            back = palette.color(group, _HIGHLIGHT if selected else _BASE_ROLE)
            dim = _mix(text, back, 0.45)
            colors = _RowColors(
                text, dim, _mix(dim, text, 0.1), _mix(text, dim, 0.8), _mark(selected, back)
            )
            if len(self._colors) > 32:
                self._colors.clear()
            self._colors[key] = colors
        text, dim = colors.text, colors.dim
        model = index.model()
        painter.save()
        try:
            x = rect.left() + 4
            right = rect.right() - 6
            op = model.operation(index) if isinstance(model, EndpointModel) else None
            if op is None:
                name = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
                count = str(model.data(index, EndpointModel.CountRole) or "")
                self._paint_module(painter, rect, x, right, name, count, text, dim)
            else:
                self._paint_operation(painter, rect, x, right, op, colors)
        finally:
            painter.restore()

    def _paint_module(
        self,
        painter: QPainter,
        rect: QRect,
        x: int,
        right: int,
        name: str,
        count: str,
        text: QColor,
        dim: QColor,
    ) -> None:
        _, count_w = self._static(count, self._BASE)
        painter.setPen(dim)
        self._draw(painter, right - count_w, rect, count, self._BASE)
        painter.setPen(text)
        self._draw(painter, x, rect, name, self._BOLD, max(0, right - count_w - 8 - x))

    def _paint_operation(
        self,
        painter: QPainter,
        rect: QRect,
        x: int,
        right: int,
        op: Operation,
        colors: _RowColors,
    ) -> None:
        text, dim = colors.text, colors.dim
        method, path, summary, deprecated = op.method, op.path, op.summary, op.deprecated
        if op.kind != "operation":  # an event the API sends: not an endpoint to call
            method = "EVENT"
        if op.name:  # an operation-style path (`/#X-Amz-Target=Svc.Op`): its name first
            path = op.name

        # the badge: a rounded pill in the method's colour, the same width for every method
        badge_h = min(rect.height() - 6, self._metrics[self._BADGE].height() + 4)
        badge = QRect(x, rect.top() + (rect.height() - badge_h) // 2, self._badge_width, badge_h)
        color = _method_color(method, dim if deprecated else None)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(badge, 3, 3)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(_WHITE)
        label = _BADGE_TEXT.get(method, method)
        _, label_w = self._static(label, self._BADGE)
        self._draw(
            painter, badge.left() + (badge.width() - label_w) // 2, badge, label, self._BADGE
        )

        x = badge.right() + 8
        room = right - x
        font = self._STRIKE if deprecated else self._BASE
        path_color = dim if deprecated else text
        _, full = self._static(path, font)
        if self.highlight_words and full <= room:
            self._highlight(painter, x, rect, path, font, colors)
        if full > room or deprecated or "{" not in path:
            painter.setPen(path_color)
            x += self._draw(painter, x, rect, path, font, room, middle=True)
        else:
            param_color = colors.param
            for part in _PARAM.split(path):
                if part:
                    painter.setPen(param_color if part.startswith("{") else path_color)
                    x += self._draw(painter, x, rect, part, font)
        x += 10
        room = right - x
        if summary and room > 24:
            if self.highlight_words and self._static(summary, self._BASE)[1] <= room:
                self._highlight(painter, x, rect, summary, self._BASE, colors)
            painter.setPen(colors.summary)
            self._draw(painter, x, rect, summary, self._BASE, room)

    def _highlight(
        self, painter: QPainter, x: int, rect: QRect, text: str, font: int, colors: _RowColors
    ) -> None:
        """Marks where the filter's words occur in `text` (drawn under the text)."""
        lower = text.lower()
        fm = self._metrics[font]
        height = fm.height()
        top = rect.top() + (rect.height() - height) // 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colors.mark)
        for word in self.highlight_words:
            start = lower.find(word)
            if start < 0:
                continue
            left = fm.horizontalAdvance(text[:start])
            width = fm.horizontalAdvance(text[start : start + len(word)])
            painter.drawRect(QRect(x + left, top, width, height))
