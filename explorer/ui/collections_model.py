"""The Collections panel's item model: open collections, their folders and saved requests,
and the files that could not be read, as rows (a thin adapter over
`explorer.collection.model`; rebuilt from the loaded collections after every change).

Every row carries a `Node` (`NODE_ROLE`): what it stands for and where it lives on disk.
Rows are dragged as their nodes (`MIME_TYPE`); a drop is not applied to the model: it is
handed to `on_drop` (the panel moves the files, then the model is rebuilt from disk).
Renaming in place is handed to `on_rename` the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QStyle

from explorer.collection.model import Collection, Folder, SavedRequest
from explorer.ui.safe_text import tooltip
from explorer.ui.style import method_color

__all__ = ["MIME_TYPE", "NODE_ROLE", "CollectionModel", "Node", "method_badge"]

NODE_ROLE = Qt.ItemDataRole.UserRole + 1
MIME_TYPE = "application/x-explorer-collection-items"
BADGE_SIZE = QSize(44, 16)
_BADGE_TEXT = {"DELETE": "DEL", "OPTIONS": "OPT"}
_BADGES: dict[str, QIcon] = {}

NodeKind = Literal["collection", "folder", "request", "problem"]
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Node:
    """What a row stands for. `folder` is the path of directories below the collection's
    folder: a folder's own, or the one a request (its `file`) or a problem is in."""

    kind: NodeKind
    root: str
    folder: tuple[str, ...] = ()
    file: str = ""
    text: str = ""
    """A problem's description (path:line: message)."""
    item: Collection | Folder | SavedRequest | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str, tuple[str, ...], str]:
        """Identity across reloads (the loaded objects change, their places do not)."""
        return (self.kind, self.root, self.folder, self.file or self.text)

    def to_data(self) -> list[Any]:
        return [self.kind, self.root, list(self.folder), self.file]


def method_badge(method: str) -> QIcon:
    """A rounded pill in the method's colour with its name in white (the endpoint
    tree's look), for a saved request's row."""
    method = method.upper()[:7] or "GET"
    icon = _BADGES.get(method)
    if icon is not None:
        return icon
    pix = QPixmap(BADGE_SIZE * 2)
    pix.setDevicePixelRatio(2)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(method_color(method))
    rect = QRect(QPoint(0, 1), QSize(BADGE_SIZE.width() - 2, BADGE_SIZE.height() - 2))
    painter.drawRoundedRect(rect, 3, 3)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(9)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), _BADGE_TEXT.get(method, method))
    painter.end()
    icon = _BADGES[method] = QIcon(pix)
    return icon


_F = Qt.ItemFlag
_BASE = _F.ItemIsEnabled | _F.ItemIsSelectable
_FLAGS: dict[str, Qt.ItemFlag] = {
    "collection": _BASE | _F.ItemIsEditable | _F.ItemIsDropEnabled,
    "folder": _BASE | _F.ItemIsEditable | _F.ItemIsDragEnabled | _F.ItemIsDropEnabled,
    "request": _BASE | _F.ItemIsEditable | _F.ItemIsDragEnabled,
    "problem": _BASE,
}
"""What can be done with each kind of row (rename: editable; drag; drop onto)."""


def _standard_icon(which: QStyle.StandardPixmap) -> QIcon:
    style = QApplication.style()
    return style.standardIcon(which) if style is not None else QIcon()


class CollectionModel(QStandardItemModel):
    """Rows for the open collections (see the module docstring)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.on_drop: Callable[[list[Node], Node, int], None] | None = None
        """(the dragged nodes, the collection or folder dropped on, the row there)."""
        self.on_rename: Callable[[Node, str], None] | None = None
        self._building = False

    # -- building -------------------------------------------------------------------------

    def show(self, collections: Sequence[tuple[str, Collection, Sequence[Any]]]) -> None:
        """Show `(root, collection, problems)` for each open collection, in order."""
        self._building = True
        try:
            self.clear()
            for root, col, problems in collections:
                self.appendRow(self._collection_row(root, col, problems))
        finally:
            self._building = False

    def _collection_row(self, root: str, col: Collection, problems: Sequence[Any]) -> QStandardItem:
        node = Node("collection", root, (), item=col)
        row = self._item(node, col.name or Path(root).name)
        row.setIcon(_standard_icon(QStyle.StandardPixmap.SP_DirHomeIcon))
        font = row.font()
        font.setBold(True)
        row.setFont(font)
        row.setToolTip(
            tooltip(f"{col.name}\n{root}" + (f"\n{col.description}" if col.description else ""))
        )
        folders: dict[tuple[str, ...], QStandardItem] = {(): row}
        self._fill(row, root, (), col.root, folders)
        for problem in problems:
            self._problem_row(root, problem, folders)
        return row

    def _fill(
        self,
        parent: QStandardItem,
        root: str,
        path: tuple[str, ...],
        folder: Folder,
        folders: dict[tuple[str, ...], QStandardItem],
    ) -> None:
        for entry in folder.items:
            if isinstance(entry, Folder):
                sub = (*path, entry.directory or entry.name)
                item = self._item(Node("folder", root, sub, item=entry), entry.name)
                item.setIcon(_standard_icon(QStyle.StandardPixmap.SP_DirIcon))
                item.setToolTip(tooltip(str(Path(root).joinpath(*sub))))
                folders[sub] = item
                parent.appendRow(item)
                self._fill(item, root, sub, entry, folders)
            else:
                node = Node("request", root, path, entry.file, item=entry)
                item = self._item(node, entry.name)
                item.setIcon(method_badge(entry.method))
                tip = f"{entry.method} {entry.url}"
                if entry.description:
                    tip += "\n\n" + entry.description
                item.setToolTip(tooltip(tip))
                parent.appendRow(item)

    def _problem_row(
        self, root: str, problem: Any, folders: dict[tuple[str, ...], QStandardItem]
    ) -> None:
        path = Path(problem.path)
        try:
            rel = path.relative_to(root)
        except ValueError:
            rel = path
        where = tuple(rel.parts[:-1]) if path.suffix else tuple(rel.parts)
        while where not in folders:
            where = where[:-1]
        line = f":{problem.line}" if problem.line is not None else ""
        text = f"{rel}{line}: {problem.message}"
        item = self._item(Node("problem", root, where, text=text), text)
        item.setIcon(_standard_icon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        item.setToolTip(tooltip(f"{path}{line}\n{problem.message}"))
        item.setForeground(QColor("#c92a2a"))
        folders[where].appendRow(item)

    @staticmethod
    def _item(node: Node, text: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setData(node, NODE_ROLE)
        item.setFlags(_FLAGS[node.kind])  # one call: a thousand rows are built at once
        return item

    # -- looking things up ----------------------------------------------------------------

    def node(self, index: Index) -> Node | None:
        value = index.data(NODE_ROLE) if index.isValid() else None
        return value if isinstance(value, Node) else None

    def find(self, key: tuple[str, str, tuple[str, ...], str]) -> QModelIndex:
        """The row whose node has `key` (an invalid index when there is none)."""
        todo = [self.index(r, 0) for r in range(self.rowCount())]
        while todo:
            index = todo.pop()
            node = self.node(index)
            if node is not None and node.key == key:
                return index
            todo += [self.index(r, 0, index) for r in range(self.rowCount(index))]
        return QModelIndex()

    def walk(self) -> list[QModelIndex]:
        """Every row, depth first in order."""
        out: list[QModelIndex] = []

        def visit(parent: QModelIndex) -> None:
            for r in range(self.rowCount(parent)):
                index = self.index(r, 0, parent)
                out.append(index)
                visit(index)

        visit(QModelIndex())
        return out

    # -- editing in place -----------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self.node(index)
        if (
            not self._building
            and role == Qt.ItemDataRole.EditRole
            and node is not None
            and isinstance(value, str)
            and value.strip()
            and value != index.data(Qt.ItemDataRole.DisplayRole)
            and self.on_rename is not None
        ):
            self.on_rename(node, value)
        return super().setData(index, value, role)

    # -- drag and drop --------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        nodes = [n.to_data() for n in (self.node(i) for i in indexes) if n is not None]
        data = QMimeData()
        data.setData(MIME_TYPE, QByteArray(json.dumps(nodes).encode("utf-8")))
        return data

    def dragged(self, data: QMimeData) -> list[Node]:
        """The nodes a drag carries (rows of this model, as they are now)."""
        if not data.hasFormat(MIME_TYPE):
            return []
        try:
            raw = json.loads(bytes(data.data(MIME_TYPE).data()).decode("utf-8"))
        except ValueError:
            return []
        out: list[Node] = []
        for entry in raw if isinstance(raw, list) else []:
            if not (isinstance(entry, list) and len(entry) == 4):
                continue
            kind, root, folder, file = entry
            key = (str(kind), str(root), tuple(str(f) for f in folder), str(file))
            node = self.node(self.find(key))
            if node is not None and node.kind in ("folder", "request"):
                out.append(node)
        return out

    def _target(self, row: int, parent: Index) -> tuple[Node, int] | None:
        """Where a drop at (`row`, `parent`) goes: a collection or folder and a row in it."""
        node = self.node(parent)
        if node is None:
            return None
        if node.kind in ("request", "problem"):  # on a row: beside it, in its folder
            above = parent.parent()
            folder = self.node(above)
            if folder is None:
                return None
            return folder, parent.row() + 1
        return node, row if row >= 0 else self.rowCount(parent)

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: Index,
    ) -> bool:
        return data.hasFormat(MIME_TYPE) and self._target(row, parent) is not None

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: Index,
    ) -> bool:
        """Hand the drop to `on_drop`; the model itself is not changed (it is rebuilt
        from disk), so the view removes nothing: False."""
        target = self._target(row, parent)
        nodes = self.dragged(data)
        if target is not None and nodes and self.on_drop is not None:
            self.on_drop(nodes, target[0], target[1])
        return False
