"""How a row of the endpoint tree is painted: a method badge, the path, a dim summary."""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from explorer.ui.style import method_color
from explorer.ui.tree_model import EndpointModel

__all__ = ["EndpointDelegate"]

_PARAM = re.compile(r"(\{[^{}]*\})")
_BADGE_TEXT = {"DELETE": "DEL", "OPTIONS": "OPT", "PATCH": "PATCH", "TRACE": "TRACE"}


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved towards `b` by `t` (0..1)."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


class EndpointDelegate(QStyledItemDelegate):
    """Paints module rows (name, count) and operation rows (badge, path, summary)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._font_key: tuple[str, float] | None = None
        self._badge_font = QFont()
        self._bold = QFont()
        self._badge_width = 0
        self._row_height = 0

    def _fonts(self, base: QFont) -> None:
        key = (base.family(), base.pointSizeF())
        if key == self._font_key:
            return
        self._font_key = key
        self._badge_font = QFont(base)
        self._badge_font.setBold(True)
        size = base.pointSizeF()
        if size > 0:
            self._badge_font.setPointSizeF(max(6.0, size * 0.72))
        self._badge_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 104)
        self._bold = QFont(base)
        self._bold.setWeight(QFont.Weight.DemiBold)
        fm = QFontMetrics(self._badge_font)
        self._badge_width = fm.horizontalAdvance("PATCH") + 10
        self._row_height = QFontMetrics(base).height() + 8

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
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        font: QFont = opt.font
        self._fonts(font)
        rect: QRect = opt.rect
        palette: QPalette = opt.palette
        widget = opt.widget
        style = widget.style() if widget is not None else None
        opt.text = ""
        opt.icon = type(opt.icon)()
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        state = opt.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Active
            if state & QStyle.StateFlag.State_Active
            else QPalette.ColorGroup.Inactive
        )
        text = palette.color(
            group,
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text,
        )
        back = palette.color(
            group, QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
        )
        dim = _mix(text, back, 0.45)
        model = index.model()
        painter.save()
        try:
            x = rect.left() + 4
            right = rect.right() - 6
            if model.data(index, EndpointModel.IsModuleRole):
                self._paint_module(painter, index, rect, x, right, text, dim, font)
            else:
                self._paint_operation(painter, index, rect, x, right, text, dim, font)
        finally:
            painter.restore()

    def _paint_module(
        self,
        painter: QPainter,
        index: QModelIndex | QPersistentModelIndex,
        rect: QRect,
        x: int,
        right: int,
        text: QColor,
        dim: QColor,
        font: QFont,
    ) -> None:
        model = index.model()
        count = str(model.data(index, EndpointModel.CountRole) or "")
        painter.setFont(font)
        fm = QFontMetrics(font)
        count_w = fm.horizontalAdvance(count)
        painter.setPen(dim)
        painter.drawText(
            QRect(right - count_w, rect.top(), count_w, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            count,
        )
        name = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
        painter.setFont(self._bold)
        bfm = QFontMetrics(self._bold)
        room = max(0, right - count_w - 8 - x)
        painter.setPen(text)
        painter.drawText(
            QRect(x, rect.top(), room, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            bfm.elidedText(name, Qt.TextElideMode.ElideRight, room),
        )

    def _paint_operation(
        self,
        painter: QPainter,
        index: QModelIndex | QPersistentModelIndex,
        rect: QRect,
        x: int,
        right: int,
        text: QColor,
        dim: QColor,
        font: QFont,
    ) -> None:
        model = index.model()
        method = str(model.data(index, EndpointModel.MethodRole) or "")
        path = str(model.data(index, EndpointModel.PathRole) or "")
        summary = str(model.data(index, EndpointModel.SummaryRole) or "")
        deprecated = bool(model.data(index, EndpointModel.DeprecatedRole))

        # the badge: a rounded pill in the method's colour, the same width for every method
        badge_h = min(rect.height() - 6, QFontMetrics(self._badge_font).height() + 4)
        badge = QRect(x, rect.top() + (rect.height() - badge_h) // 2, self._badge_width, badge_h)
        color = method_color(method)
        if deprecated:
            color = _mix(color, dim, 0.5)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(badge, 3, 3)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setFont(self._badge_font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, _BADGE_TEXT.get(method, method))

        x = badge.right() + 8
        path_font = QFont(font)
        path_font.setStrikeOut(deprecated)
        fm = QFontMetrics(path_font)
        room = right - x
        path_color = dim if deprecated else text
        param_color = _mix(path_color, dim, 0.8) if not deprecated else dim
        painter.setFont(path_font)
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        full = fm.horizontalAdvance(path)
        if full > room:
            painter.setPen(path_color)
            painter.drawText(
                QRect(x, rect.top(), room, rect.height()),
                align,
                fm.elidedText(path, Qt.TextElideMode.ElideMiddle, room),
            )
            return
        for part in _PARAM.split(path):
            if not part:
                continue
            painter.setPen(param_color if part.startswith("{") else path_color)
            w = fm.horizontalAdvance(part)
            painter.drawText(QRect(x, rect.top(), w + 1, rect.height()), align, part)
            x += w
        x += 10
        room = right - x
        if summary and room > 24:
            sfm = QFontMetrics(font)
            painter.setFont(font)
            painter.setPen(_mix(dim, text, 0.1))
            painter.drawText(
                QRect(x, rect.top(), room, rect.height()),
                align,
                sfm.elidedText(summary, Qt.TextElideMode.ElideRight, room),
            )
