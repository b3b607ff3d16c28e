"""The window's left side: pages (the endpoint tree, collections, ...) under a row of tabs.

    sidebar = Sidebar()
    sidebar.add_page("Endpoints", tree_panel, window.actions_by_name["endpoints"])
    sidebar.add_page("Collections", collections_panel, window.actions_by_name["collections"])
    sidebar.show_page("Collections")

The first page added is shown first. A page's action (declared once, in
`explorer.ui.shortcuts`, with its keys) shows the page and puts the keyboard focus in it;
its keys are in the tab's tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QStackedWidget, QTabBar, QVBoxLayout, QWidget

from explorer.ui.shortcuts import key_text

__all__ = ["Sidebar"]


class Sidebar(QWidget):
    """Pages on the left of the window, one shown at a time (see the module docstring)."""

    page_changed = Signal(str)
    """The page shown now (its name)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.bar = QTabBar(self)
        self.bar.setObjectName("sidebarTabs")
        self.bar.setDocumentMode(True)
        self.bar.setExpanding(False)
        self.bar.setDrawBase(True)
        self.bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack, 1)
        self._names: list[str] = []
        self.bar.currentChanged.connect(self._tab_changed)

    def add_page(self, name: str, widget: QWidget, action: QAction | None = None) -> int:
        """Add a page after the others; `action` (one of the window's, with its keys)
        shows it. Returns its index."""
        self._names.append(name)
        self.stack.addWidget(widget)
        index = self.bar.addTab(name)
        keys = tuple(k.toString() for k in action.shortcuts()) if action is not None else ()
        self.bar.setTabToolTip(index, f"{name} ({key_text(keys)})" if keys else name)
        if action is not None:
            action.triggered.connect(lambda _checked=False, n=name: self.show_page(n, focus=True))
        return index

    def names(self) -> list[str]:
        return list(self._names)

    def page(self, name: str) -> QWidget | None:
        if name not in self._names:
            return None
        return self.stack.widget(self._names.index(name))

    def current_name(self) -> str:
        index = self.stack.currentIndex()
        return self._names[index] if 0 <= index < len(self._names) else ""

    def show_page(self, name: str, *, focus: bool = False) -> QWidget | None:
        """Show the page called `name` (and give it the keyboard focus); None: no such page."""
        if name not in self._names:
            return None
        index = self._names.index(name)
        self.bar.setCurrentIndex(index)
        self.stack.setCurrentIndex(index)
        page = self.stack.widget(index)
        focused = QApplication.focusWidget()
        if focus and page is not None and not (focused and page.isAncestorOf(focused)):
            page.setFocus(Qt.FocusReason.ShortcutFocusReason)  # unless a page's own slot did
        return page

    def currentWidget(self) -> QWidget | None:
        """The page shown (as QTabWidget says it: the Sidebar took one's place)."""
        return self.stack.currentWidget()

    def setCurrentWidget(self, widget: QWidget) -> None:
        """Show the page `widget` (as QTabWidget does)."""
        index = self.stack.indexOf(widget)
        if index >= 0:
            self.show_page(self._names[index])

    def _tab_changed(self, index: int) -> None:
        if 0 <= index < len(self._names):
            self.stack.setCurrentIndex(index)
            self.page_changed.emit(self._names[index])
