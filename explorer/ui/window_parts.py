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

__all__ = ["ConsentBar", "EnvironmentBar", "TabBar", "shortcuts_dialog"]


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


class EnvironmentBar(QFrame):
    """The environment in use, above the requests: a switcher, production marked in red,
    and the way to the environments and credentials manager."""

    chosen = Signal(str)
    manage = Signal()

    def __init__(self) -> None:
        from PySide6.QtWidgets import QComboBox

        super().__init__()
        self.setObjectName("environmentBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 6, 3)
        layout.setSpacing(6)
        label = QLabel("Environment", self)
        label.setStyleSheet("color: palette(placeholder-text);")
        self.combo = QComboBox(self)
        self.combo.setObjectName("environmentCombo")
        self.combo.setMinimumWidth(150)
        self.combo.setToolTip("The environment in use: its variables and credentials")
        self.combo.activated.connect(lambda i: self.chosen.emit(self.combo.itemText(i)))
        self.badge = QLabel("PRODUCTION", self)
        self.badge.setObjectName("productionBadge")
        self.badge.setStyleSheet(
            "QLabel { background: #e03131; color: white; border-radius: 3px;"
            " padding: 1px 6px; font-weight: bold; }"
        )
        self.badge.setToolTip("Requests other than GET ask before they are sent")
        manage = QToolButton(self)
        manage.setObjectName("manageEnvironments")
        manage.setText("Environments && credentials…")
        manage.setAutoRaise(True)
        manage.clicked.connect(self.manage)
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setStyleSheet("color: #b35c00;")
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.badge)
        layout.addWidget(manage)
        layout.addWidget(self.note, 1)
        self.badge.hide()
        self.hide()

    def show_environments(self, names: list[str], active: str, production: bool) -> None:
        """List the API's environments with `active` chosen (production: marked)."""
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(names)
        self.combo.setCurrentText(active)
        self.combo.blockSignals(False)
        self.badge.setVisible(production)
        style = "QComboBox { color: #c92a2a; font-weight: bold; }" if production else ""
        self.combo.setStyleSheet(style)
        self.show()

    def say(self, text: str) -> None:
        """One line beside the switcher (the keyring cannot be used, ...)."""
        self.note.setText(text)
        self.note.setToolTip(text)
