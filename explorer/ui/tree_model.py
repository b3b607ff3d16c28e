"""The endpoint tree's item model: modules, and the operations in each, filtered.

A thin Qt adapter over the spec model and the Qt-free matcher in `explorer.spec.search`:
two levels (module rows at the top, operation rows below them), one column. Filtering
rebuilds the visible structure in one model reset, never row by row. The events the API
sends (webhooks, callbacks: `explorer.webhooks.events_of`) come last, in a section of
their own ("Webhook events"), and are counted apart from the endpoints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, overload

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from explorer.spec import Operation, Spec
from explorer.spec.search import OperationIndex
from explorer.ui.safe_text import tooltip

__all__ = ["EndpointModel", "ModuleEntry"]

_Index = QModelIndex | QPersistentModelIndex

WEBHOOKS_MODULE = "Webhook events"
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@dataclass
class ModuleEntry:
    """A module as the tree shows it: its name, description and operations."""

    name: str
    description: str
    operations: list[Operation]
    webhooks: bool = False


@dataclass
class _Visible:
    module: ModuleEntry
    operations: list[Operation] = field(default_factory=list)


class EndpointModel(QAbstractItemModel):
    """Modules and their operations; `set_filter` narrows them to what matches."""

    OperationRole = Qt.ItemDataRole.UserRole + 1
    """The `Operation` of an operation row (None on module rows)."""
    MethodRole = Qt.ItemDataRole.UserRole + 2
    PathRole = Qt.ItemDataRole.UserRole + 3
    SummaryRole = Qt.ItemDataRole.UserRole + 4
    DeprecatedRole = Qt.ItemDataRole.UserRole + 5
    """True on deprecated operations (the delegate strikes them through)."""
    CountRole = Qt.ItemDataRole.UserRole + 6
    """Module rows: "12", or "3/12" while filtered."""
    IsModuleRole = Qt.ItemDataRole.UserRole + 7
    ModuleNameRole = Qt.ItemDataRole.UserRole + 8

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._api: Spec | None = None
        self._modules: list[ModuleEntry] = []
        self._flat: list[Operation] = []
        self._module_of: list[int] = []
        self._search: OperationIndex | None = None
        self._visible: list[_Visible] = []
        self._position: dict[int, tuple[int, int]] | None = None
        self._filter = ""
        self._matches = 0
        self._event_matches = 0
        self._events = 0

    # -- what the panel asks -------------------------------------------------------------

    @property
    def api(self) -> Spec | None:
        return self._api

    @property
    def total(self) -> int:
        """Endpoints (operations) in the document; its events are counted by `events`."""
        return len(self._flat) - self._events

    @property
    def events(self) -> int:
        """Events (webhooks, callbacks) in the document: the last section's rows."""
        return self._events

    @property
    def matches(self) -> int:
        """Endpoints shown under the current filter."""
        return self._matches

    @property
    def event_matches(self) -> int:
        """Events shown under the current filter."""
        return self._event_matches

    @property
    def filter_text(self) -> str:
        return self._filter

    @property
    def is_filtered(self) -> bool:
        return bool(OperationIndex.words(self._filter))

    def operations(self) -> list[Operation]:
        """Every operation, in tree order (modules in order, then webhooks)."""
        return list(self._flat)

    def set_spec(self, api: Spec | None, filter_text: str = "") -> None:
        """Show a document (or nothing), filtered by `filter_text`, in one reset."""
        self.beginResetModel()
        self._api = api
        self._modules = []
        if api is not None:
            self._modules = [
                ModuleEntry(m.name, m.description, list(m.operations))
                for m in api.modules
                if m.operations
            ]
            from explorer.webhooks.events import events_of

            events = [event.operation for event in events_of(api)]
            if events:
                self._modules.append(
                    ModuleEntry(
                        WEBHOOKS_MODULE,
                        "Requests the API sends to you when something happens (webhooks and "
                        "callbacks): open one to sign, send, verify and receive it.",
                        events,
                        webhooks=True,
                    )
                )
        self._events = sum(len(m.operations) for m in self._modules if m.webhooks)
        self._flat = [op for m in self._modules for op in m.operations]
        self._module_of = [g for g, m in enumerate(self._modules) for _ in m.operations]
        names = [m.name for m in self._modules for _ in m.operations]
        self._search = OperationIndex(self._flat, self._module_of, names) if self._flat else None
        self._filter = filter_text
        self._rebuild()
        self.endResetModel()

    def set_filter(self, text: str) -> bool:
        """Show only what matches `text` (see `explorer.spec.search`), in one reset.

        False when nothing changed (the same words: a space typed, say)."""
        if text == self._filter:
            return False
        same = OperationIndex.words(text) == OperationIndex.words(self._filter)
        self._filter = text
        if same:
            return False
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()
        return True

    def _rebuild(self) -> None:
        self._position = None
        if self._search is None:
            self._visible, self._matches, self._event_matches = [], 0, 0
            return
        if not self.is_filtered:
            self._visible = [_Visible(m, m.operations) for m in self._modules]
            self._matches, self._event_matches = self.total, self._events
            return
        found = self._search.search(self._filter)
        visible: list[_Visible] = []
        flat, module_of, modules = self._flat, self._module_of, self._modules
        last = -1
        current: list[Operation] = []
        for i in found:
            g = module_of[i]
            if g != last:
                current = []
                visible.append(_Visible(modules[g], current))
                last = g
            current.append(flat[i])
        self._visible = visible
        self._event_matches = sum(len(v.operations) for v in visible if v.module.webhooks)
        self._matches = len(found) - self._event_matches

    def module_rows(self) -> int:
        return len(self._visible)

    def operation_count(self, module_row: int) -> int:
        return len(self._visible[module_row].operations)

    def module_name(self, module_row: int) -> str:
        return self._visible[module_row].module.name

    def first_operation(self) -> QModelIndex:
        """The index of the first operation row shown (invalid when there is none)."""
        for row, vis in enumerate(self._visible):
            if vis.operations:
                return self.createIndex(0, 0, row + 1)
        return QModelIndex()

    def index_of(self, op: Operation) -> QModelIndex:
        """The index of an operation's row, if it is shown."""
        if self._position is None:
            self._position = {
                id(o): (mrow, orow)
                for mrow, vis in enumerate(self._visible)
                for orow, o in enumerate(vis.operations)
            }
        where = self._position.get(id(op))
        if where is None:
            return QModelIndex()
        return self.createIndex(where[1], 0, where[0] + 1)

    def module_index(self, name: str) -> QModelIndex:
        for row, vis in enumerate(self._visible):
            if vis.module.name == name:
                return self.createIndex(row, 0, 0)
        return QModelIndex()

    def operation(self, index: _Index) -> Operation | None:
        """The operation of a row, or None for module rows and invalid indexes."""
        if not index.isValid() or index.internalId() == 0:
            return None
        vis = self._visible[index.internalId() - 1]
        return vis.operations[index.row()]

    def find(self, key: str) -> Operation | None:
        """An operation (or webhook) by "METHOD /path" or operationId."""
        key = key.strip()
        method, _, path = key.partition(" ")
        for op in self._flat:
            if path and op.method == method.upper() and op.path == path.strip():
                return op
        return next((op for op in self._flat if op.operation_id and op.operation_id == key), None)

    # -- QAbstractItemModel --------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row < len(self._visible):
                return self.createIndex(row, 0, 0)
            return QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        prow = parent.row()
        if prow < len(self._visible) and row < len(self._visible[prow].operations):
            return self.createIndex(row, 0, prow + 1)
        return QModelIndex()

    @overload
    def parent(self) -> QObject | None: ...
    @overload
    def parent(self, child: _Index) -> QModelIndex: ...
    def parent(self, child: _Index | None = None) -> QObject | QModelIndex | None:
        if child is None:
            return super().parent()
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._visible)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._visible[parent.row()].operations)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        ident = index.internalId()
        if ident == 0:
            return self._module_data(self._visible[index.row()], role)
        vis = self._visible[ident - 1]
        return self._operation_data(vis.operations[index.row()], vis.module, role)

    def _module_data(self, vis: _Visible, role: int) -> Any:
        module = vis.module
        if role in (Qt.ItemDataRole.DisplayRole, self.ModuleNameRole):
            return module.name
        if role == self.CountRole:
            shown, total = len(vis.operations), len(module.operations)
            return f"{shown}/{total}" if shown != total else str(total)
        if role == self.IsModuleRole:
            return True
        if role == Qt.ItemDataRole.ToolTipRole:
            total = len(module.operations)
            noun = "event" if module.webhooks else "endpoint"
            head = f"{module.name} — {total} {noun}{'' if total == 1 else 's'}"
            text = module.description.strip()
            if len(text) > 400:
                text = text[:400].rstrip() + "…"
            return tooltip(f"{head}\n\n{text}" if text else head)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            noun = "events" if module.webhooks else "endpoints"
            return f"{module.name}, {len(vis.operations)} {noun}"
        return None

    def _operation_data(self, op: Operation, module: ModuleEntry, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return op.path if module.webhooks else f"{op.method} {op.path}"
        if role == self.OperationRole:
            return op
        if role == self.MethodRole:
            return "EVENT" if module.webhooks else op.method
        if role == self.PathRole:
            return op.path
        if role == self.SummaryRole:
            return op.summary
        if role == self.DeprecatedRole:
            return op.deprecated
        if role == self.IsModuleRole:
            return False
        if role == self.ModuleNameRole:
            return module.name
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"Event {op.path} (the API sends it to you)" if module.webhooks else op.key]
            if op.operation_id:
                lines.append(f"operationId: {op.operation_id}")
            if op.summary:
                lines.append(op.summary)
            if op.deprecated:
                lines.append("Deprecated")
            return tooltip("\n".join(lines))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            extra = ", deprecated" if op.deprecated else ""
            return f"{op.method} {op.path}, {op.summary}{extra}"
        return None
