"""The endpoint tree: a filter box over the modules and endpoints of the open document.

    panel = TreePanel()
    panel.operation_selected.connect(editor_shows)   # click, arrows, Enter
    panel.set_spec(api)
    panel.focus_filter()                             # bound to Ctrl+K by the main window
    panel.select_operation("GET /contacts")          # or an operationId

Keys: in the filter, Down moves into the tree, Enter selects the first match, Esc clears
the filter. In the tree, arrows move (and select), Left/Right collapse and expand, Enter
selects (and emits `operation_activated`), Up from the first row returns to the filter,
and typing a letter continues in the filter.
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.spec import Operation, Spec
from explorer.spec.search import STRICT_METHODS, OperationIndex
from explorer.ui.tree_delegate import EndpointDelegate
from explorer.ui.tree_model import EndpointModel

__all__ = ["EXPAND_ROWS", "EndpointModel", "TreePanel"]

EXPAND_ROWS = 250
"""While filtering, modules are opened in order until about this many rows are shown:
all of them when the matches are few, the first ones when a short query matches most."""

_SMALL_SPEC = 60  # documents with at most this many operations open fully


def _dim(label: QLabel) -> None:
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)


class _Tree(QTreeView):
    """The tree view, with the panel's keys: Up at the top and typing go to the filter."""

    to_filter = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key == Qt.Key.Key_Up and self._at_top():
            self.to_filter.emit("")
            return
        text = event.text()
        if (
            text
            and text.isprintable()
            and not text.isspace()
            and mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        ):
            self.to_filter.emit(text)
            return
        super().keyPressEvent(event)

    def _at_top(self) -> bool:
        current = self.currentIndex()
        return not current.isValid() or self.indexAbove(current) == QModelIndex()


class TreePanel(QWidget):
    """Modules and endpoints of a document, with a filter box above them."""

    operation_selected = Signal(object)
    """An `explorer.spec.Operation` became the current one (click, arrows, Enter, or
    `select_operation`)."""
    operation_activated = Signal(object)
    """Enter or a double click on an operation (also Enter in the filter box): the user
    wants to work on it now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TreePanel")
        self._current: Operation | None = None
        self._user_expanded: set[str] = set()
        self._source: str | None = None
        self._restoring = False

        self._filter = QLineEdit(self)
        self._filter.setObjectName("endpointFilter")
        self._filter.setPlaceholderText("Filter endpoints  Ctrl+K")
        self._filter.setClearButtonEnabled(True)
        self._filter.setAccessibleName("Filter endpoints")
        self._filter.textChanged.connect(self._on_filter_changed)
        self._filter.installEventFilter(self)

        self._count = QLabel(self)
        self._count.setObjectName("endpointCount")
        self._count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        _dim(self._count)

        self._model = EndpointModel(self)
        self._tree = _Tree(self)
        self._tree.setObjectName("endpointTree")
        self._tree.setModel(self._model)
        self._delegate = EndpointDelegate(self._tree)
        self._tree.setItemDelegate(self._delegate)
        self._tree.setHeaderHidden(True)
        self._tree.setUniformRowHeights(True)
        self._tree.setRootIsDecorated(True)
        self._tree.setIndentation(14)
        self._tree.setExpandsOnDoubleClick(False)
        self._tree.setAllColumnsShowFocus(True)
        self._tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._tree.setMouseTracking(True)
        self._tree.setAccessibleName("Endpoints")
        self._tree.to_filter.connect(self._back_to_filter)
        self._tree.activated.connect(self._on_activated)
        self._tree.clicked.connect(self._on_clicked)
        self._tree.expanded.connect(self._on_expanded)
        self._tree.collapsed.connect(self._on_collapsed)
        selection = self._tree.selectionModel()
        selection.currentChanged.connect(self._on_current_changed)

        self._empty = QLabel(self)
        self._empty.setObjectName("endpointEmpty")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._empty.setWordWrap(True)
        self._empty.setTextFormat(Qt.TextFormat.RichText)
        self._empty.setAutoFillBackground(True)
        self._empty.setBackgroundRole(QPalette.ColorRole.Base)
        self._empty.setContentsMargins(12, 24, 12, 12)
        _dim(self._empty)

        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._tree)
        self._stack.addWidget(self._empty)

        top = QHBoxLayout()
        top.setContentsMargins(6, 6, 6, 4)
        top.setSpacing(6)
        top.addWidget(self._filter, 1)
        top.addWidget(self._count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self._stack, 1)
        self.setFocusProxy(self._filter)
        self._update_chrome()

    # -- public API -----------------------------------------------------------------------

    @property
    def model(self) -> EndpointModel:
        """The item model (for tests and the command palette)."""
        return self._model

    @property
    def tree(self) -> QTreeView:
        return self._tree

    @property
    def filter_edit(self) -> QLineEdit:
        return self._filter

    def set_spec(self, api: Spec | None) -> None:
        """Show a document's modules and endpoints (None: show nothing).

        The filter text stays and applies to the new document; the modules the user had
        opened stay open when the same document is opened again."""
        source = api.source if api is not None else None
        if source != self._source:
            self._user_expanded = set()
        self._current = None
        self._restoring = True
        try:
            self._model.set_spec(api, self._filter.text())
            if source != self._source and api is not None:
                total = self._model.total
                one_module = self._model.module_rows() <= 1 and total <= 4 * EXPAND_ROWS
                if total <= _SMALL_SPEC or one_module:
                    self._user_expanded = {
                        self._model.module_name(r) for r in range(self._model.module_rows())
                    }
            self._source = source
            self._restore_view()
        finally:
            self._restoring = False
        self._update_chrome()

    def focus_filter(self) -> None:
        """Put the cursor in the filter box, its text selected (Ctrl+K)."""
        self._filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._filter.selectAll()

    def set_filter(self, text: str) -> None:
        """Filter the tree as if `text` had been typed."""
        self._filter.setText(text)

    def filter_text(self) -> str:
        return self._filter.text()

    def select_operation(self, key: str) -> bool:
        """Make an operation current by "METHOD /path" or operationId; False if unknown.

        Clears the filter when it hides the operation; emits `operation_selected` when the
        operation was not already the current one."""
        op = self._model.find(key)
        if op is None:
            return False
        if not self._model.index_of(op).isValid():
            self._filter.clear()
        index = self._model.index_of(op)
        if not index.isValid():
            return False
        self._tree.expand(index.parent())
        self._set_current(index)
        self._tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def current_operation(self) -> Operation | None:
        """The operation last selected (it stays current while a filter hides it)."""
        return self._current

    def select_first_match(self) -> Operation | None:
        """Make the first operation shown the current one (Enter in the filter box)."""
        index = self._model.first_operation()
        if not index.isValid():
            return None
        self._tree.expand(index.parent())
        self._set_current(index)
        self._tree.scrollTo(index)
        return self._model.operation(index)

    # -- filtering -----------------------------------------------------------------------

    def _on_filter_changed(self, text: str) -> None:
        self._delegate.highlight_words = tuple(
            w for w in OperationIndex.words(text) if len(w) > 1 and w not in STRICT_METHODS
        )
        self._restoring = True
        try:
            changed = self._model.set_filter(text)
            if changed:
                self._restore_view()
        finally:
            self._restoring = False
        self._update_chrome()

    def _restore_view(self) -> None:
        """After a reset: open the right modules and put the current row back."""
        model, tree = self._model, self._tree
        if model.is_filtered:
            budget = EXPAND_ROWS
            rows = model.module_rows()
            total = sum(model.operation_count(r) for r in range(rows))
            if total + rows <= budget:
                tree.expandAll()
            else:
                for r in range(rows):
                    n = model.operation_count(r)
                    if n > budget:
                        break
                    tree.expand(model.index(r, 0))
                    budget -= n + 1
        else:
            for name in self._user_expanded:
                index = model.module_index(name)
                if index.isValid():
                    tree.expand(index)
        current = model.index_of(self._current) if self._current is not None else QModelIndex()
        if current.isValid():
            if not model.is_filtered:
                tree.expand(current.parent())
            self._set_current(current)
            if not model.is_filtered:
                tree.scrollTo(current, QAbstractItemView.ScrollHint.PositionAtCenter)
                return
        tree.scrollToTop()

    def _update_chrome(self) -> None:
        model = self._model
        if model.api is None:
            self._count.setText("")
            self._empty.setText(
                "<b>No API open</b><br><br>Open an OpenAPI document to see its endpoints."
            )
            self._stack.setCurrentWidget(self._empty)
            return
        total, events = model.total, model.events
        if model.is_filtered:
            text = f"{model.matches:,} of {total:,}"
            if events:
                text += f" · {model.event_matches:,} of {events:,} events"
        else:
            text = f"{total:,} endpoint{'' if total == 1 else 's'}"
            if events:
                text += f" · {events:,} event{'' if events == 1 else 's'}"
        self._count.setText(text)
        if total + events == 0:
            self._empty.setText("<b>This document has no endpoints.</b>")
            self._stack.setCurrentWidget(self._empty)
        elif model.matches + model.event_matches == 0:
            query = html.escape(self._filter.text().strip())
            self._empty.setText(
                f"<b>No endpoints match “{query}”</b><br><br>"
                "Try fewer or shorter words, a path segment or an operationId.<br>"
                "Press Esc to clear the filter."
            )
            self._stack.setCurrentWidget(self._empty)
        else:
            self._stack.setCurrentWidget(self._tree)

    # -- selection -----------------------------------------------------------------------

    def _set_current(self, index: QModelIndex) -> None:
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self._tree.selectionModel().setCurrentIndex(index, flags)

    def _on_current_changed(
        self, current: QModelIndex | QPersistentModelIndex, _previous: object
    ) -> None:
        op = self._model.operation(current)
        if op is not None and op is not self._current:
            self._current = op
            self.operation_selected.emit(op)

    def _on_activated(self, index: QModelIndex) -> None:
        op = self._model.operation(index)
        if op is None:
            self._tree.setExpanded(index, not self._tree.isExpanded(index))
            return
        if op is not self._current:
            self._set_current(index)
        self.operation_activated.emit(op)

    def _on_clicked(self, index: QModelIndex) -> None:
        if self._model.operation(index) is None and index.isValid():
            self._tree.setExpanded(index, not self._tree.isExpanded(index))

    def _on_expanded(self, index: QModelIndex) -> None:
        if not self._restoring and not self._model.is_filtered:
            self._user_expanded.add(str(self._model.data(index, EndpointModel.ModuleNameRole)))

    def _on_collapsed(self, index: QModelIndex) -> None:
        if not self._restoring and not self._model.is_filtered:
            self._user_expanded.discard(str(self._model.data(index, EndpointModel.ModuleNameRole)))

    # -- keys ----------------------------------------------------------------------------

    def _back_to_filter(self, text: str) -> None:
        self._filter.setFocus(Qt.FocusReason.OtherFocusReason)
        if text:
            self._filter.insert(text)

    def _enter_tree(self) -> None:
        if self._stack.currentWidget() is not self._tree:
            return
        self._tree.setFocus(Qt.FocusReason.TabFocusReason)
        current = self._tree.currentIndex()
        if not current.isValid():
            first = self._model.first_operation() if self._model.is_filtered else QModelIndex()
            if not first.isValid():
                first = self._model.index(0, 0)
            if first.isValid():
                self._set_current(first)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Down:
                self._enter_tree()
                return True
            if key == Qt.Key.Key_Escape and self._filter.text():
                self._filter.clear()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                op = self.select_first_match()
                if op is not None:
                    self.operation_activated.emit(op)
                return True
        return super().eventFilter(watched, event)
