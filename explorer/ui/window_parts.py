"""Parts of the main window that are widgets of their own: the tab bar (a middle click
closes a tab), the bar that asks before a document's references are read, and the
keyboard shortcuts dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QTabBar, QToolButton

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

__all__ = ["ConsentBar", "TabBar", "shortcuts_dialog"]


class TabBar(QTabBar):
    """A tab bar where a middle click closes the tab under the mouse."""

    middle_clicked = Signal(int)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            index = self.tabAt(event.position().toPoint())
            if index >= 0:
                self.middle_clicked.emit(index)
                return
        super().mouseReleaseEvent(event)


class ConsentBar(QFrame):
    """A bar above the requests when the document's references name files outside its
    folder or other hosts: they were not read, and the user may let them be."""

    allowed = Signal(tuple)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("consentBar")
        self.setStyleSheet("#consentBar { background: #fff9db; border-bottom: 1px solid #ffe066; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.allow = QPushButton("Read them", self)
        self.allow.setObjectName("allowReferences")
        self.allow.clicked.connect(lambda: self.allowed.emit(self._kinds))
        dismiss = QToolButton(self)
        dismiss.setText("×")
        dismiss.setAutoRaise(True)
        dismiss.setToolTip("Leave them unread")
        dismiss.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.allow)
        layout.addWidget(dismiss)
        self._kinds: tuple[str, ...] = ()
        self.hide()

    def offer(self, kinds: tuple[str, ...]) -> None:
        """Show what was not read (nothing: hide)."""
        self._kinds = kinds
        what = {
            "outside": "files outside its folder",
            "remote": "documents on other hosts",
        }
        names = " and ".join(what[k] for k in kinds if k in what)
        self.label.setText(
            f"This document refers to {names}; they were not read, so some schemas are "
            "missing. Read them only if you trust the document."
        )
        self.setVisible(bool(names))


def shortcuts_dialog(parent: QWidget) -> QDialog:
    """Help > Keyboard shortcuts: the window's actions (`SHORTCUTS`) and the keys of single
    widgets (`LOCAL`), in one table (shown by the caller, not modal). Its widgets are
    imported here: the first paint does not need them."""
    from PySide6.QtWidgets import (
        QDialog,
        QHeaderView,
        QTableWidget,
        QTableWidgetItem,
        QVBoxLayout,
    )

    from explorer.ui.shortcuts import LOCAL, SHORTCUTS, key_text

    dialog = QDialog(parent)
    dialog.setWindowTitle("Keyboard shortcuts")
    layout = QVBoxLayout(dialog)
    rows = [(key_text(s.keys), s.menu, s.description) for s in SHORTCUTS if s.keys]
    rows += [(keys, where, what) for keys, where, what in LOCAL]
    table = QTableWidget(len(rows), 3, dialog)
    table.setObjectName("shortcutsTable")
    table.setHorizontalHeaderLabels(["Keys", "Where", "What it does"])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, (keys, where, what) in enumerate(rows):
        for c, text in enumerate((keys, where, what)):
            table.setItem(r, c, QTableWidgetItem(text))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    layout.addWidget(table)
    close = QPushButton("Close", dialog)
    close.clicked.connect(dialog.accept)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(close)
    layout.addLayout(row)
    dialog.resize(620, 520)
    dialog.setModal(False)
    return dialog
