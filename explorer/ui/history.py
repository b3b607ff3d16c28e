"""The History panel: every request sent, newest first, grouped by day, with a search.

A standalone widget over `explorer.store.history.History`: it asks the history (on its
own thread) for a page of entries at a time, shows them in a list with day headers
(Today, Yesterday, dates), each row a method badge, the URL elided in the middle, the
status in its colour, the time taken, the size and the time of day; below it, the
selected request's summary and the start of its response body, as plain text (it is the
server's text). It opens an entry in a new tab (`open_requested`, double click or Enter),
copies it as curl (the snippet generator, secrets as `${NAME}`), deletes one (Delete) and
clears all (after a confirmation). The search syntax is `explorer.store.history`'s.

    panel = HistoryPanel(services.history_store(), services.settings)
    panel.open_requested.connect(window.open_history_entry)   # a whole HistoryEntry
    panel.message.connect(window.set_status)
"""

from __future__ import annotations

import contextlib
import datetime
import json
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent, QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from explorer.errors import StoreError
from explorer.store.history import PAGE, QUERY_HELP, HistoryEntry, HistoryQuery, parse_query
from explorer.ui.request_tab import ICON_SIZE, method_icon
from explorer.ui.safe_text import shown, tooltip
from explorer.ui.style import mono_font, status_color
from explorer.workbench.tasks import TaskSlot

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from explorer.store.history import History
    from explorer.store.settings import Settings

__all__ = ["HistoryDelegate", "HistoryModel", "HistoryPanel", "day_label"]

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's HistoryEntry (None for a day header)."""
DETAILS_ROLE = Qt.ItemDataRole.UserRole + 2
"""The row's second line: status, time taken, size."""
SEARCH_DELAY_MS = 150
PLACEHOLDER = "Search: words, status:404, 4xx, method:POST, since:2026-11-01"

Index = QModelIndex | QPersistentModelIndex


def day_label(when: float, now: float | None = None) -> str:
    """The header of a day's entries: Today, Yesterday, or the date ("Mon 3 Nov 2026")."""
    day = datetime.date.fromtimestamp(when)
    today = datetime.date.fromtimestamp(time.time() if now is None else now)
    if day == today:
        return "Today"
    if day == today - datetime.timedelta(days=1):
        return "Yesterday"
    return f"{day:%a} {day.day} {day:%b %Y}"


def status_text(entry: HistoryEntry) -> str:
    """ "200 OK", or how the network failed ("failed: refused")."""
    if entry.status is None:
        return f"failed: {entry.failure or 'no answer'}"
    return f"{entry.status} {entry.reason}".strip()


def details_line(entry: HistoryEntry) -> str:
    """The row's second line: status · time taken · size."""
    from explorer.http.content import human_duration, human_size

    parts = [status_text(entry), human_duration(entry.elapsed)]
    if entry.status is not None:
        parts.append(human_size(entry.size))
    return " · ".join(parts)


def clock_time(entry: HistoryEntry) -> str:
    """When it was sent, as the row shows it beside the URL ("14:03")."""
    return time.strftime("%H:%M", time.localtime(entry.time))


def _shown_url(url: str) -> str:
    """The URL as a row shows it: without the scheme (the origin still tells the server)."""
    return url.split("://", 1)[-1]


class HistoryModel(QAbstractListModel):
    """Entries newest first, with a header row before each day's first entry. Headers
    are not enabled (the keyboard passes over them); `fetch_more` asks for the next page
    when the view scrolls to the end."""

    fetch_more = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryEntry | str] = []
        self._details: dict[int, str] = {}
        self._more = False
        self.now: Callable[[], float] = time.time

    # -- contents -------------------------------------------------------------------------

    def entries(self) -> list[HistoryEntry]:
        return [r for r in self._rows if isinstance(r, HistoryEntry)]

    @property
    def more(self) -> bool:
        """More entries match than are shown (the next page is fetched on scrolling)."""
        return self._more

    def set_entries(self, entries: Sequence[HistoryEntry], more: bool) -> None:
        """Show these entries (a new search)."""
        self.beginResetModel()
        self._rows = []
        self._details = {}
        self._more = more
        self._add(entries)
        self.endResetModel()

    def append(self, entries: Sequence[HistoryEntry], more: bool) -> None:
        """Add the next page (older entries) at the end."""
        self._more = more
        if not entries:
            return
        rows = self._rows
        new: list[HistoryEntry | str] = []
        last = self._last_day()
        for entry in entries:
            day = day_label(entry.time, self.now())
            if day != last:
                new.append(day)
                last = day
            new.append(entry)
        self.beginInsertRows(QModelIndex(), len(rows), len(rows) + len(new) - 1)
        rows.extend(new)
        for entry in entries:
            self._details[entry.id] = details_line(entry)
        self.endInsertRows()

    def _add(self, entries: Sequence[HistoryEntry]) -> None:
        last = self._last_day()
        for entry in entries:
            day = day_label(entry.time, self.now())
            if day != last:
                self._rows.append(day)
                last = day
            self._rows.append(entry)
            self._details[entry.id] = details_line(entry)

    def _last_day(self) -> str:
        entries = [r for r in self._rows[-1:] if isinstance(r, HistoryEntry)]
        return day_label(entries[0].time, self.now()) if entries else ""

    def remove(self, entry_id: int) -> None:
        """Take an entry out (and its day's header when it was the day's last)."""
        for row, item in enumerate(self._rows):
            if isinstance(item, HistoryEntry) and item.id == entry_id:
                first = row
                before = self._rows[row - 1] if row > 0 else None
                after = self._rows[row + 1] if row + 1 < len(self._rows) else None
                if isinstance(before, str) and not isinstance(after, HistoryEntry):
                    first = row - 1  # the header goes with its only entry
                self.beginRemoveRows(QModelIndex(), first, row)
                del self._rows[first : row + 1]
                self._details.pop(entry_id, None)
                self.endRemoveRows()
                return

    def entry_at(self, index: Index) -> HistoryEntry | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        return item if isinstance(item, HistoryEntry) else None

    def row_of(self, entry_id: int) -> int:
        """The row of an entry (-1 when it is not shown)."""
        return next(
            (
                i
                for i, r in enumerate(self._rows)
                if isinstance(r, HistoryEntry) and r.id == entry_id
            ),
            -1,
        )

    # -- Qt's model -----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.entry_at(index) is None:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if isinstance(item, str):
            return item if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return _shown_url(item.url)
        if role == Qt.ItemDataRole.DecorationRole:
            return method_icon(item.method)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f"\n{item.op_key}" if item.op_key else ""
            env = f"\nEnvironment: {item.environment}" if item.environment else ""
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(item.time))
            return tooltip(f"{item.method} {item.url}{where}{env}\n{when}")
        if role == Qt.ItemDataRole.ForegroundRole:
            return status_color(item.status if item.status is not None else 599)
        if role == ENTRY_ROLE:
            return item
        if role == DETAILS_ROLE:
            return self._details.get(item.id, "")
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index) -> None:
        if not parent.isValid() and self._more:
            self.fetch_more.emit()


class HistoryDelegate(QStyledItemDelegate):
    """Paints a day header (bold, grey) or an entry on two lines: the method badge, the URL
    (elided in the middle) and the time of day; the status in its colour, the time taken
    and the size."""

    PAD = 6

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        height = option.fontMetrics.height()
        if index.data(ENTRY_ROLE) is None:
            return QSize(100, height + self.PAD * 2)
        return QSize(100, height * 2 + self.PAD * 2 + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        entry = index.data(ENTRY_ROLE)
        rect: QRect = option.rect
        palette: QPalette = option.palette
        metrics = option.fontMetrics
        painter.save()
        try:
            if not isinstance(entry, HistoryEntry):
                font = QFont(option.font)
                font.setBold(True)
                painter.setFont(font)
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                text_rect = rect.adjusted(self.PAD, 0, -self.PAD, 0)
                painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter), index.data())
                return
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            if selected:
                painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
            text_color = palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            )
            line = metrics.height()
            top = rect.top() + self.PAD
            icon_rect = QRect(QPoint(rect.left() + self.PAD // 2, top), ICON_SIZE)
            icon_rect.moveTop(top + (line - ICON_SIZE.height()) // 2)
            method_icon(entry.method).paint(painter, icon_rect)
            left = icon_rect.right() + self.PAD
            width = max(10, rect.right() - self.PAD - left)
            muted = palette.color(QPalette.ColorRole.PlaceholderText)
            clock = clock_time(entry)
            clock_width = metrics.horizontalAdvance(clock)
            painter.setPen(text_color if selected else muted)
            painter.drawText(
                QRect(left, top, width, line),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                clock,
            )
            url_width = max(10, width - clock_width - self.PAD)
            url = metrics.elidedText(_shown_url(entry.url), Qt.TextElideMode.ElideMiddle, url_width)
            painter.setPen(text_color)
            painter.drawText(
                QRect(left, top, url_width, line), int(Qt.AlignmentFlag.AlignVCenter), url
            )
            status = status_text(entry)
            details = str(index.data(DETAILS_ROLE) or "")
            rest = details[len(status) :] if details.startswith(status) else " · " + details
            second = QRect(left, top + line + 2, width, line)
            color = status_color(entry.status if entry.status is not None else 599)
            painter.setPen(color if not selected else text_color)
            bold = QFont(option.font)
            bold.setBold(True)
            painter.setFont(bold)
            status = painter.fontMetrics().elidedText(status, Qt.TextElideMode.ElideRight, width)
            painter.drawText(second, int(Qt.AlignmentFlag.AlignVCenter), status)
            used = painter.fontMetrics().horizontalAdvance(status)
            painter.setFont(option.font)
            painter.setPen(text_color if selected else muted)
            tail = QRect(second.left() + used, second.top(), max(0, width - used), line)
            rest = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, tail.width())
            painter.drawText(tail, int(Qt.AlignmentFlag.AlignVCenter), rest)
        finally:
            painter.restore()


class _List(QListView):
    """The list: Delete deletes the selected entry (Enter opens it: `activated`)."""

    delete_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
            self.delete_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class HistoryPanel(QWidget):
    """See the module docstring."""

    open_requested = Signal(object)
    """Open this entry (a whole HistoryEntry) in a new tab."""
    message = Signal(str)
    """Something to say in the status bar."""

    def __init__(
        self, history: History, settings: Settings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.history = history
        self.settings = settings
        self.query = HistoryQuery()
        self.confirm_box: QMessageBox | None = None
        self._stale = True
        self._loading = False
        self._search_task = TaskSlot("search the history")
        self._page_task = TaskSlot("more of the history")
        self._detail_task = TaskSlot("a history entry")
        self._work = TaskSlot("change the history")
        self._shown_entry: HistoryEntry | None = None

        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText(PLACEHOLDER)
        self.search.setToolTip(tooltip(QUERY_HELP))
        self.search.setClearButtonEnabled(True)
        self.problem = QLabel()
        self.problem.setObjectName("historyProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c92a2a;")
        self.problem.hide()

        self.model = HistoryModel(self)
        self.model.fetch_more.connect(self._fetch_more)
        self.list = _List()
        self.list.setObjectName("historyList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(HistoryDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.activated.connect(lambda _index: self.open_selected())
        self.list.delete_pressed.connect(self.delete_selected)
        self.list.selectionModel().currentChanged.connect(lambda _c, _p: self._show_current())

        self.detail = QPlainTextEdit()
        self.detail.setObjectName("historyDetail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Select a request to see its answer")
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.detail.setFont(mono_font())

        self.count_label = QLabel()
        self.count_label.setObjectName("historyCount")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_button = QPushButton("Clear…")
        self.clear_button.setObjectName("historyClear")
        self.clear_button.setToolTip("Forget every request in the history")
        self.clear_button.clicked.connect(self.confirm_clear)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("historySplit")
        split.addWidget(self.list)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        footer = QHBoxLayout()
        footer.setContentsMargins(6, 0, 6, 4)
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        search_row = QHBoxLayout()
        search_row.setContentsMargins(6, 0, 6, 0)
        search_row.addWidget(self.search)
        layout.addLayout(search_row)
        layout.addWidget(self.problem)
        layout.addWidget(split, 1)
        layout.addLayout(footer)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._first_or_refresh)
        history.listeners.append(self._history_changed)

    # -- searching ------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _history_changed(self) -> None:
        """Entries were added, deleted or cleared: search again (now if shown, else when
        next shown)."""
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def refresh(self) -> None:
        """Run the search in the field (newest first, the first page)."""
        self._timer.stop()
        query, problems = parse_query(self.search.text())
        self.problem.setText("\n".join(shown(p, 300) for p in problems))
        self.problem.setVisible(bool(problems))
        self.query = query
        self._stale = False
        self._page_task.cancel()
        self._loading = True
        self._search_task.start(self._search(query))

    async def _search(self, query: HistoryQuery) -> None:
        try:
            entries = await self.history.search(query, limit=PAGE + 1)
            total = await self.history.count(query)
        except StoreError as exc:
            self._loading = False
            self._say_problem(exc)
            return
        self._loading = False
        current = self._current_id()
        self.model.set_entries(entries[:PAGE], more=len(entries) > PAGE)
        self._count(total)
        if current is not None and self.model.row_of(current) >= 0:
            self.select(current)
        else:
            self._show_current()

    def _fetch_more(self) -> None:
        entries = self.model.entries()
        if self._loading or not entries:
            return
        self._loading = True
        self._page_task.start(self._page(self.query, entries[-1].id))

    async def _page(self, query: HistoryQuery, before: int) -> None:
        try:
            entries = await self.history.search(query, limit=PAGE + 1, before=before)
        except StoreError as exc:
            self._say_problem(exc)
            return
        finally:
            self._loading = False
        if query == self.query:
            self.model.append(entries[:PAGE], more=len(entries) > PAGE)

    def _count(self, total: int) -> None:
        shown_words = "request" if total == 1 else "requests"
        filtered = self.query != HistoryQuery()
        self.count_label.setText(f"{total:,} {shown_words}{' found' if filtered else ''}")
        self.clear_button.setEnabled(total > 0 or filtered)

    def _say_problem(self, exc: StoreError) -> None:
        self.problem.setText(shown(f"History: {exc.message}.", 300))
        self.problem.show()

    def _first_or_refresh(self) -> None:
        """Enter in the search field: search now, and go to the first match."""
        self.refresh()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the selection --------------------------------------------------------------------

    def _current_id(self) -> int | None:
        entry = self.model.entry_at(self.list.currentIndex())
        return entry.id if entry is not None else None

    def current_entry(self) -> HistoryEntry | None:
        """The selected entry (a summary: `whole()` fetches all of it)."""
        return self.model.entry_at(self.list.currentIndex())

    def select(self, entry_id: int) -> bool:
        row = self.model.row_of(entry_id)
        if row < 0:
            return False
        self.list.setCurrentIndex(self.model.index(row))
        return True

    def _show_current(self) -> None:
        entry = self.current_entry()
        if entry is None:
            self._detail_task.cancel()
            self._shown_entry = None
            self.detail.setPlainText("")
            return
        self._detail_task.start(self._show_detail(entry.id))

    async def _show_detail(self, entry_id: int) -> None:
        try:
            entry = await self.history.get(entry_id)
        except StoreError as exc:
            self._say_problem(exc)
            return
        self._shown_entry = entry
        self.detail.setPlainText("" if entry is None else detail_text(entry))

    async def whole(self, entry_id: int) -> HistoryEntry | None:
        """An entry with everything it keeps (its request and body start)."""
        if self._shown_entry is not None and self._shown_entry.id == entry_id:
            return self._shown_entry
        try:
            return await self.history.get(entry_id)
        except StoreError as exc:
            self._say_problem(exc)
            return None

    # -- actions --------------------------------------------------------------------------

    def _run(self, coro: Coroutine[Any, Any, None]) -> None:
        self._work.start(coro)

    def open_selected(self) -> None:
        """Open the selected entry in a new tab."""
        entry = self.current_entry()
        if entry is not None:
            self._run(self._open(entry.id))

    async def _open(self, entry_id: int) -> None:
        entry = await self.whole(entry_id)
        if entry is None:
            self.message.emit("That request is no longer in the history")
            return
        self.open_requested.emit(entry)

    def copy_curl(self) -> None:
        """Copy the selected entry as a curl command (its secrets as `${NAME}`)."""
        entry = self.current_entry()
        if entry is not None:
            self._run(self._copy(entry.id))

    async def _copy(self, entry_id: int) -> None:
        from PySide6.QtGui import QGuiApplication

        from explorer.http.snippets import SnippetOptions, by_name

        entry = await self.whole(entry_id)
        if entry is None:
            return
        long_flags = bool(self.settings.get("code.curl_long_flags")) if self.settings else False
        text = by_name("curl").generate(entry.prepared(), SnippetOptions(long_flags=long_flags))
        QGuiApplication.clipboard().setText(text)
        size = (entry.request or {}).get("size")
        note = ""
        if isinstance(size, int) and (entry.request or {}).get("content") is None:
            note = f" (without its {size:,}-byte body, which the history does not keep)"
        self.message.emit(f"Copied the request as curl{note}")

    def delete_selected(self) -> None:
        """Forget the selected entry."""
        entry = self.current_entry()
        if entry is not None:
            self._run(self._delete(entry))

    async def _delete(self, entry: HistoryEntry) -> None:
        row = self.model.row_of(entry.id)
        try:
            await self.history.delete(entry.id)
        except StoreError as exc:
            self._say_problem(exc)
            return
        self._stale = False
        self._timer.stop()  # the list changes here: no new search needed
        self.model.remove(entry.id)
        self._select_near(row)
        self.message.emit("Deleted the request from the history")
        try:
            self._count(await self.history.count(self.query))
        except StoreError as exc:
            self._say_problem(exc)

    def _select_near(self, row: int) -> None:
        """Select the entry at `row` or the nearest one after it, else before it."""
        count = self.model.rowCount()
        for r in [*range(row, count), *range(min(row, count) - 1, -1, -1)]:
            entry = self.model.entry_at(self.model.index(r))
            if entry is not None:
                self.select(entry.id)
                return

    def confirm_clear(self) -> QMessageBox:
        """Ask, then forget every request (not modal: the window keeps working)."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setObjectName("historyClearConfirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle("Clear the history?")
        box.setText("Forget every request in the history?")
        box.setInformativeText("This cannot be undone.")
        clear = box.addButton("Clear", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setModal(False)

        def answered() -> None:
            if box.clickedButton() is clear:
                self.clear_all()
            self.confirm_box = None

        box.finished.connect(lambda _r: answered())
        self.confirm_box = box
        box.show()
        return box

    def clear_all(self) -> None:
        """Forget every request now (no question asked: `confirm_clear` asks)."""
        self._run(self._clear())

    async def _clear(self) -> None:
        try:
            await self.history.clear()
        except StoreError as exc:
            self._say_problem(exc)
            return
        self.model.set_entries([], more=False)
        self._count(0)
        self._show_current()
        self.message.emit("Cleared the history")

    def _menu(self, pos: QPoint) -> None:
        entry = self.model.entry_at(self.list.indexAt(pos))
        menu = QMenu(self)
        if entry is not None:
            menu.addAction("Open in a new tab", self.open_selected)
            menu.addAction("Copy as curl", self.copy_curl)
            menu.addAction("Copy URL", lambda: _copy_text(entry.url))
            menu.addSeparator()
            menu.addAction("Delete", self.delete_selected)
        menu.addAction("Clear the history…", self.confirm_clear)
        menu.popup(self.list.viewport().mapToGlobal(pos))

    def shutdown(self) -> None:
        """Stop what runs (the window closes)."""
        for slot in (self._search_task, self._page_task, self._detail_task, self._work):
            slot.cancel()
        self._timer.stop()
        if self._history_changed in self.history.listeners:
            self.history.listeners.remove(self._history_changed)


def _copy_text(text: str) -> None:
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText(text)


def detail_text(entry: HistoryEntry) -> str:
    """The selected entry as plain text: the request, its answer, and the start of the
    body (the server's text, shown as text only)."""
    from explorer.http.content import human_duration, human_size

    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.time))
    lines = [f"{entry.method} {entry.url}"]
    answer = [status_text(entry), human_duration(entry.elapsed)]
    if entry.status is not None:
        answer.append(human_size(entry.size))
        if entry.content_type:
            answer.append(entry.content_type)
    lines.append(" · ".join(answer))
    if entry.status is None and entry.reason:
        lines.append(entry.reason)
    context = [when]
    if entry.op_key:
        context.append(entry.op_key)
    if entry.environment:
        context.append(f"environment: {entry.environment}")
    lines.append(" · ".join(context))
    if entry.body_start:
        body = entry.body_start
        cut_note = "\n…" if entry.size > len(body.encode("utf-8")) else ""
        if not cut_note and body.lstrip()[:1] in ("{", "["):
            with contextlib.suppress(ValueError, RecursionError):
                body = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
        lines += ["", body + cut_note]
    return shown("\n".join(lines), 20_000)
