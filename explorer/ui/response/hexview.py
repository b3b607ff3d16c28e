"""Binary bodies as offset | hex | ASCII rows. The model formats a row only when the view
asks for it, so a 50 MB body costs nothing until scrolled."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.http.content import human_size
from explorer.ui.safe_text import cut
from explorer.ui.style import mono_font
from explorer.workbench.tasks import TaskSlot

__all__ = ["HexModel", "HexView", "hex_row"]

ROW_BYTES = 16
_PRINTABLE = bytes(range(32, 127))
_ASCII_TABLE = bytes(b if b in _PRINTABLE else ord(".") for b in range(256))

Index = QModelIndex | QPersistentModelIndex


def hex_row(data: bytes, row: int) -> tuple[str, str, str]:
    """(offset, hex, ascii) of a 16-byte row; the hex has a gap after 8 bytes."""
    chunk = data[row * ROW_BYTES : (row + 1) * ROW_BYTES]
    left = chunk[:8].hex(" ")
    right = chunk[8:].hex(" ")
    hexes = f"{left}  {right}" if right else left
    return f"{row * ROW_BYTES:08x}", hexes, chunk.translate(_ASCII_TABLE).decode("ascii")


class HexModel(QAbstractTableModel):
    """A read-only table over bytes: one row per 16 bytes."""

    HEADERS = ("Offset", "Hex", "ASCII")

    def __init__(self, data: bytes = b"") -> None:
        super().__init__()
        self._data = data
        self._font = mono_font()

    def set_data(self, data: bytes) -> None:
        self.beginResetModel()
        self._data = data
        self.endResetModel()

    @property
    def bytes(self) -> bytes:
        return self._data

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return (len(self._data) + ROW_BYTES - 1) // ROW_BYTES

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return hex_row(self._data, index.row())[index.column()]
        if role == Qt.ItemDataRole.FontRole:
            return self._font
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QColor("#868e96")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < 3
        ):
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class HexView(QWidget):
    """The hex table with a caption and "Save to file…"."""

    saved = Signal(str)  # path written

    def __init__(self) -> None:
        super().__init__()
        self.model = HexModel()
        self._task = TaskSlot("save body")
        self._dialog: QFileDialog | None = None
        self.suggested_name = "response.bin"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 4, 6, 4)
        self.caption = QLabel("")
        self.caption.setStyleSheet("color: palette(placeholder-text);")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)  # the server's content type
        self.save_button = QPushButton("Save to file…")
        self.save_button.clicked.connect(self.ask_save)
        bar.addWidget(self.caption, 1)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 4)
        hh = self.table.horizontalHeader()
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        mono = mono_font()
        self.table.setFont(mono)
        fm = QFontMetrics(mono)
        hh.resizeSection(0, fm.horizontalAdvance("0" * 8) + 24)
        hh.resizeSection(1, fm.horizontalAdvance("0" * 49) + 24)
        hh.setStretchLastSection(True)
        layout.addWidget(self.table, 1)

    def set_bytes(self, data: bytes, description: str, suggested_name: str) -> None:
        """Show `data`; `description` is e.g. "application/pdf"."""
        self.model.set_data(data)
        self.suggested_name = suggested_name
        rows = self.model.rowCount()
        kind = cut(description, 100)
        self.caption.setText(f"{kind} · {human_size(len(data))} · {rows:,} rows")

    def ask_save(self) -> None:
        """Ask where to save (a non-blocking dialog), then write the exact bytes."""
        dialog = QFileDialog(self, "Save response body")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(self.suggested_name)
        dialog.fileSelected.connect(self.save_to)
        dialog.finished.connect(dialog.deleteLater)
        self._dialog = dialog
        dialog.open()

    def save_to(self, path: str) -> None:
        """Write the body to `path` off the event loop."""
        self._task.start(self._save(Path(path)))

    async def _save(self, path: Path) -> None:
        data = self.model.bytes
        try:
            await asyncio.to_thread(path.write_bytes, data)
        except OSError as exc:
            self.caption.setText(f"Could not save: {exc.strerror or exc}")
            return
        self.caption.setText(f"Saved {human_size(len(data))} to {path}")
        self.saved.emit(str(path))
