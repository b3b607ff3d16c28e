"""Receive: start and stop the local receiver, the deliveries listed live (time, event,
answer, verified or why not), the selected one's headers and highlighted body, replay it
to another URL, and forward every delivery to your own endpoint.

`DeliveryModel` is a thin table model over the receiver's `ReceivedDelivery` records;
deliveries arrive from the receiver's thread through a queued signal (`DeliveryFeed`).
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.http.content import display_text
from explorer.ui.request.json_editor import CodeEditor, JsonHighlighter
from explorer.ui.safe_text import tooltip
from explorer.ui.webhooks.scheme import SchemeBox
from explorer.webhooks.receiver import ReceivedDelivery

__all__ = ["DeliveryFeed", "DeliveryModel", "ReceivePanel"]

_Index = QModelIndex | QPersistentModelIndex
_COLUMNS = ("Time", "Event", "Answer", "Verified")
_SHOWN_BODY = 256 * 1024


class DeliveryFeed(QObject):
    """Carries deliveries from the receiver's thread to the window's (a queued signal)."""

    arrived = Signal(object)


class DeliveryModel(QAbstractTableModel):
    """The deliveries received, oldest first."""

    DeliveryRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ReceivedDelivery] = []

    def add(self, delivery: ReceivedDelivery) -> None:
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append(delivery)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_COLUMNS)
        ):
            return _COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        delivery = self.rows[index.row()]
        column = index.column()
        if role == self.DeliveryRole:
            return delivery
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return time.strftime("%H:%M:%S", time.localtime(delivery.received_at))
            if column == 1:
                return delivery.event or f"{delivery.method} {delivery.target}"[:200]
            if column == 2:
                return str(delivery.status)
            if column == 3:
                mark = "✓ valid" if delivery.verdict.ok else "✗ " + delivery.verdict.reason
                return mark
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QColor("#2f9e44" if delivery.verdict.ok else "#e03131")
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(delivery.verdict.message)
        return None


def _pretty(delivery: ReceivedDelivery) -> str:
    """The body as text to read: JSON indented, other text as it is, bytes said."""
    body = delivery.body[:_SHOWN_BODY]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return f"({len(delivery.body):,} bytes that are not UTF-8 text)"
    with contextlib.suppress(ValueError, RecursionError):
        text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    if len(delivery.body) > _SHOWN_BODY or delivery.truncated:
        text += f"\n… ({delivery.size:,} bytes in all)"
    return display_text(text)


class ReceivePanel(QWidget):
    """See the module docstring. The page runs the receiver; this panel shows it."""

    start_requested = Signal()
    stop_requested = Signal()
    replay_requested = Signal(object, str)  # ReceivedDelivery, URL
    register_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Port"))
        self.port = QSpinBox(self)
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText("any free")
        bar.addWidget(self.port)
        self.start_button = QPushButton("Start receiver", self)
        self.start_button.setObjectName("receiverStart")
        self.start_button.clicked.connect(self._toggle)
        bar.addWidget(self.start_button)
        self.url = QLineEdit(self)
        self.url.setReadOnly(True)
        self.url.setObjectName("receiverUrl")
        self.url.setPlaceholderText("not listening")
        bar.addWidget(self.url, 1)
        self.register_button = QPushButton("Register on the demo", self)
        self.register_button.setObjectName("receiverRegister")
        self.register_button.setToolTip(
            "Log in as the demo user and register this receiver for every event (POST /webhooks)"
        )
        self.register_button.clicked.connect(self.register_requested)
        self.register_button.setVisible(False)
        bar.addWidget(self.register_button)
        layout.addLayout(bar)
        self.scheme_box = SchemeBox(allow_declared=True, parent=self)
        layout.addWidget(self.scheme_box)
        forward = QHBoxLayout()
        forward.addWidget(QLabel("Forward to"))
        self.forward = QLineEdit(self)
        self.forward.setPlaceholderText(
            "your own endpoint, e.g. http://127.0.0.1:3000/webhooks (optional)"
        )
        forward.addWidget(self.forward, 1)
        layout.addLayout(forward)
        self.status = QLabel("", self)
        self.status.setObjectName("receiverStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.model = DeliveryModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("deliveries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show(cur))

        detail = QWidget(self)
        dcol = QVBoxLayout(detail)
        dcol.setContentsMargins(0, 0, 0, 0)
        self.verdict = QLabel("", detail)
        self.verdict.setObjectName("deliveryVerdict")
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setWordWrap(True)
        dcol.addWidget(self.verdict)
        self.headers = QPlainTextEdit(detail)
        self.headers.setReadOnly(True)
        self.headers.setMaximumHeight(110)
        dcol.addWidget(self.headers)
        self.body = CodeEditor(detail)
        self.body.setObjectName("deliveryBody")
        self.body.setReadOnly(True)
        self._highlighter = JsonHighlighter(self.body.document())
        dcol.addWidget(self.body, 1)
        replay = QHBoxLayout()
        self.replay_url = QLineEdit(detail)
        self.replay_url.setPlaceholderText("replay to URL")
        self.replay_button = QPushButton("Replay", detail)
        self.replay_button.setObjectName("deliveryReplay")
        self.replay_button.clicked.connect(self._replay)
        self.replay_result = QLabel("", detail)
        self.replay_result.setTextFormat(Qt.TextFormat.PlainText)
        replay.addWidget(self.replay_url, 1)
        replay.addWidget(self.replay_button)
        replay.addWidget(self.replay_result)
        dcol.addLayout(replay)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)
        self.listening = False

    def _toggle(self) -> None:
        (self.stop_requested if self.listening else self.start_requested).emit()

    def set_listening(self, url: str) -> None:
        """Show the receiver as running at `url` ("" stopped)."""
        self.listening = bool(url)
        self.url.setText(url)
        self.url.setCursorPosition(0)
        self.start_button.setText("Stop receiver" if url else "Start receiver")
        self.port.setEnabled(not url)

    def add(self, delivery: ReceivedDelivery) -> None:
        self.model.add(delivery)
        last = self.model.index(self.model.rowCount() - 1, 0)
        if (
            not self.table.currentIndex().isValid()
            or self.table.currentIndex().row() == last.row() - 1
        ):
            self.table.setCurrentIndex(last)
        self.table.scrollToBottom()

    def current(self) -> ReceivedDelivery | None:
        index = self.table.currentIndex()
        value = self.model.data(index, DeliveryModel.DeliveryRole) if index.isValid() else None
        return value if isinstance(value, ReceivedDelivery) else None

    def _show(self, index: _Index) -> None:
        value = self.model.data(index, DeliveryModel.DeliveryRole) if index.isValid() else None
        if not isinstance(value, ReceivedDelivery):
            return
        mark = "✓ " if value.verdict.ok else "✗ "
        self.verdict.setText(
            f"{mark}{value.verdict.message} — answered {value.status}"
            + (f"; forwarded: {value.forwarded}" if value.forwarded else "")
        )
        color = "#2f9e44" if value.verdict.ok else "#e03131"
        self.verdict.setStyleSheet(f"color: {color}; font-weight: bold;")
        lines = [f"{value.method} {value.target}"] + [f"{k}: {v}" for k, v in value.headers]
        self.headers.setPlainText(display_text("\n".join(lines)[:20_000]))
        self.body.setPlainText(_pretty(value))

    def _replay(self) -> None:
        delivery = self.current()
        url = self.replay_url.text().strip()
        if delivery is None:
            self.replay_result.setText("Pick a delivery first")
        elif not url.startswith(("http://", "https://")):
            self.replay_result.setText("Give an http(s) URL to replay to")
        else:
            self.replay_requested.emit(delivery, url)
