"""The Headers and Cookies tabs: sortable, copyable tables; the Headers tab also lists the
redirects followed on the way to the response."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.http.cookies import Cookie, parse_set_cookie
from explorer.http.model import RedirectHop
from explorer.ui.safe_text import LABEL_CHARS, cut, tooltip
from explorer.ui.style import mono_font

__all__ = [
    "CookiesView",
    "HeadersView",
    "PairsModel",
    "RedirectsView",
]

Index = QModelIndex | QPersistentModelIndex


class PairsModel(QAbstractTableModel):
    """Rows of strings with fixed headers; `mono_columns` are shown in monospace."""

    def __init__(self, headers: Sequence[str], mono_columns: Sequence[int] = ()) -> None:
        super().__init__()
        self._headers = tuple(headers)
        self._rows: list[tuple[str, ...]] = []
        self._mono = set(mono_columns)
        self._font = mono_font()

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self.endResetModel()

    def row(self, row: int) -> tuple[str, ...]:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._rows[index.row()][index.column()]
            if role == Qt.ItemDataRole.ToolTipRole:  # shown as rich text unless escaped
                return tooltip(text) if len(text) > 40 else None
            return cut(text, LABEL_CHARS)
        if role == Qt.ItemDataRole.FontRole and index.column() in self._mono:
            return self._font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class _Table(QWidget):
    """A sortable table over a PairsModel, with a copy menu and Ctrl+C."""

    def __init__(self, headers: Sequence[str], mono_columns: Sequence[int]) -> None:
        super().__init__()
        self.model = PairsModel(headers, mono_columns)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self.table)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def _source_rows(self) -> list[int]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return sorted(rows)

    def line(self, row: int) -> str:
        return "\t".join(self.model.row(row))

    def copy_selected(self) -> None:
        rows = self._source_rows()
        if rows:
            QGuiApplication.clipboard().setText("\n".join(self.line(r) for r in rows))

    def copy_all(self) -> None:
        QGuiApplication.clipboard().setText(
            "\n".join(self.line(r) for r in range(self.model.rowCount()))
        )

    def _extra_actions(self, menu: QMenu, row: int) -> None:
        pass

    def _menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        menu = QMenu(self)
        if index.isValid():
            row = self.proxy.mapToSource(index).row()
            self._extra_actions(menu, row)
            menu.addAction("Copy row", self.copy_selected)
        menu.addAction("Copy all", self.copy_all)
        menu.popup(self.table.viewport().mapToGlobal(pos))


class RedirectsView(_Table):
    """The redirects followed on the way to the response, one row a hop, in order. Plain
    text: the URLs are the servers'."""

    HEADERS = ("Status", "Method", "URL", "Redirected to", "Credentials not forwarded")
    MAX_VISIBLE_ROWS = 6

    def __init__(self) -> None:
        super().__init__(self.HEADERS, (2, 3))
        self.table.setSortingEnabled(False)  # the order is the story

    def set_chain(self, chain: Sequence[RedirectHop]) -> None:
        self.model.set_rows(
            [
                (str(hop.status), hop.method, hop.url, hop.location, ", ".join(hop.dropped))
                for hop in chain
            ]
        )
        self.table.resizeColumnsToContents()
        for column in (2, 3):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 360))
        rows = min(len(chain), self.MAX_VISIBLE_ROWS)
        height = (
            self.table.horizontalHeader().sizeHint().height()
            + rows * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
        self.setFixedHeight(height)


class HeadersView(_Table):
    """Response headers, in the order received until sorted; above them, when the
    response came through redirects, a Redirects section (`set_redirects`)."""

    def __init__(self) -> None:
        super().__init__(("Name", "Value"), (1,))
        self.table.horizontalHeader().resizeSection(0, 220)
        self.redirects_title = QLabel("")
        self.redirects_title.setTextFormat(Qt.TextFormat.PlainText)
        self.redirects_title.setStyleSheet("font-weight: 600; padding: 6px 4px 2px 4px;")
        self.redirects = RedirectsView()
        self.headers_title = QLabel("Response headers")
        self.headers_title.setStyleSheet("font-weight: 600; padding: 6px 4px 2px 4px;")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        for i, widget in enumerate((self.redirects_title, self.redirects, self.headers_title)):
            layout.insertWidget(i, widget)
        self.set_redirects(())

    def set_redirects(self, chain: Sequence[RedirectHop]) -> None:
        """Show the redirects followed (hidden when there were none)."""
        self.redirects.set_chain(chain)
        n = len(chain)
        withheld = sum(1 for hop in chain if hop.dropped)
        note = " · credentials were not forwarded to another origin" if withheld else ""
        self.redirects_title.setText(f"Redirects ({n}){note}")
        for widget in (self.redirects_title, self.redirects, self.headers_title):
            widget.setVisible(bool(chain))

    def set_headers(self, headers: Sequence[tuple[str, str]]) -> None:
        self.model.set_rows(headers)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)

    def line(self, row: int) -> str:
        name, value = self.model.row(row)
        return f"{name}: {value}"

    def copy_value(self, row: int) -> None:
        QGuiApplication.clipboard().setText(self.model.row(row)[1])

    def _copy_value_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.copy_value(int(action.data()))

    def _extra_actions(self, menu: QMenu, row: int) -> None:
        action = menu.addAction("Copy value")
        action.setData(row)
        action.triggered.connect(self._copy_value_action)


class CookiesView(_Table):
    """Cookies the response set."""

    HEADERS = ("Name", "Value", "Domain", "Path", "Expires", "HttpOnly", "Secure", "SameSite")

    def __init__(self) -> None:
        super().__init__(self.HEADERS, (1,))
        self.cookies: list[Cookie] = []

    def set_headers(self, headers: Sequence[tuple[str, str]]) -> int:
        """Read the Set-Cookie headers; returns how many cookies there are."""
        self.cookies = [
            c
            for k, v in headers
            if k.lower() == "set-cookie" and (c := parse_set_cookie(v)) is not None
        ]
        self.model.set_rows(
            [
                (
                    c.name,
                    c.value,
                    c.domain,
                    c.path,
                    c.expires or "Session",
                    "✓" if c.http_only else "",
                    "✓" if c.secure else "",
                    c.same_site,
                )
                for c in self.cookies
            ]
        )
        self.table.resizeColumnsToContents()
        return len(self.cookies)
