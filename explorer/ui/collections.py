"""The Collections panel: the collections open in the window, their folders and saved
requests, and what can be done with them.

    panel = CollectionsPanel()
    await panel.open_collection(Path("~/api-requests"))     # File > Open collection…
    panel.open_requested.connect(window_opens_a_tab)         # double click, Enter
    panel.reloaded.connect(tabs_check_their_files)           # after every load from disk

What the user does here changes the files on disk (`explorer.collection.edits`), and then
the collection is read again: the tree always shows the disk. New folder, rename (F2, or
in place), duplicate, delete (Delete; Ctrl+Z here or the "Undo" button of the message
brings it back, a folder with all it held too), move by drag and drop between folders
(the files move; the order is kept with `seq`). A file that cannot be read is a row with
a warning icon and its problem (path:line: message); the rest of the collection works.

A collection changed on disk by something else (a `git pull`, an editor) is read again:
a QFileSystemWatcher on its folders and files, debounced (`RELOAD_MS`). Loading runs in a
worker thread (`asyncio.to_thread`): a big collection never freezes the window.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFileSystemWatcher, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.collection.model import Collection, Folder, SavedRequest
from explorer.ui.collections_model import BADGE_SIZE, CollectionModel, Node
from explorer.ui.safe_text import cut, tooltip
from explorer.workbench.saved import SavedLink

if TYPE_CHECKING:
    from explorer.collection.edits import Change
    from explorer.collection.store import Problem

__all__ = ["RELOAD_MS", "CollectionsPanel", "Loaded"]

RELOAD_MS = 300
"""How long the disk must be quiet before a changed collection is read again."""
UNDO_DEPTH = 30
MESSAGE_CHARS = 300


@dataclass
class Loaded:
    """One open collection as last read from disk."""

    root: Path
    collection: Collection
    problems: list[Problem]

    def folder(self, path: tuple[str, ...]) -> Folder | None:
        """The folder at `path` (directory names), None when it is not there."""
        folder = self.collection.root
        for part in path:
            found = next(
                (
                    i
                    for i in folder.items
                    if isinstance(i, Folder) and (i.directory or i.name) == part
                ),
                None,
            )
            if found is None:
                return None
            folder = found
        return folder

    def request(self, folder: tuple[str, ...], file: str) -> SavedRequest | None:
        where = self.folder(folder)
        if where is None:
            return None
        return next(
            (i for i in where.items if isinstance(i, SavedRequest) and i.file == file), None
        )

    def folders(self) -> list[tuple[tuple[str, ...], str]]:
        """Every folder: (its path, its names joined by " / "), depth first."""
        out: list[tuple[tuple[str, ...], str]] = []

        def visit(folder: Folder, path: tuple[str, ...], names: tuple[str, ...]) -> None:
            for item in folder.items:
                if isinstance(item, Folder):
                    sub, shown = (*path, item.directory or item.name), (*names, item.name)
                    out.append((sub, " / ".join(shown)))
                    visit(item, sub, shown)

        visit(self.collection.root, (), ())
        return out


class _Tree(QTreeView):
    """The tree, with the panel's keys (they belong to this widget, not the window)."""

    def __init__(self, panel: CollectionsPanel) -> None:
        super().__init__(panel)
        self._panel = panel

    def keyPressEvent(self, event: QKeyEvent) -> None:
        panel = self._panel
        if event.matches(QKeySequence.StandardKey.Undo):
            panel.undo()
            return
        if self.state() != QAbstractItemView.State.EditingState:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                panel.activate(self.currentIndex())
                return
            if key == Qt.Key.Key_Delete or event.matches(QKeySequence.StandardKey.Delete):
                panel.delete_selected()
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self._panel.context_menu(self.indexAt(event.pos()))
        menu.exec(event.globalPos())
        menu.deleteLater()


class CollectionsPanel(QWidget):
    """See the module docstring."""

    open_requested = Signal(object)
    """The user wants a saved request in a tab (a SavedLink with its request)."""
    reloaded = Signal(object)
    """A collection was read again from disk (its Loaded)."""
    moved = Signal(object, object)
    """A request file or folder was renamed or moved (the old path, the new path)."""
    collections_changed = Signal(list)
    """The folders of the open collections (after one was opened or closed)."""
    open_dialog_requested = Signal()
    new_dialog_requested = Signal()
    import_dialog_requested = Signal()
    export_dialog_requested = Signal(object, str)  # a collection's root, the format
    run_requested = Signal(object)  # a collection's root: run it (the runner)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("collectionsPanel")
        self._loaded: dict[str, Loaded] = {}
        self._order: list[str] = []
        self._undo: list[Change] = []
        self._tasks: set[asyncio.Future[Any]] = set()
        self._dirty: set[str] = set()
        self._closed = False

        self.model = CollectionModel(self)
        self.model.on_drop = self._dropped
        self.model.on_rename = self._renamed_in_place
        self.tree = _Tree(self)
        self.tree.setObjectName("collectionsTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(14)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setExpandsOnDoubleClick(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setAccessibleName("Collections")
        self.tree.doubleClicked.connect(self.activate)
        self.tree.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.tree.setIconSize(BADGE_SIZE)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 4)
        bar.setSpacing(4)
        self.open_button = self._tool(
            "Open…", "Open a collection folder", self.open_dialog_requested.emit
        )
        self.new_button = self._tool(
            "New…", "Start a collection in a folder", self.new_dialog_requested.emit
        )
        self.folder_button = self._tool(
            "New folder", "A folder in the selected place", self.new_folder
        )
        self.import_button = self._tool(
            "Import…",
            "A Postman or Insomnia export, a HAR file, a curl command or an OpenAPI document "
            "as a new collection",
            self.import_dialog_requested.emit,
        )
        bar.addWidget(self.open_button)
        bar.addWidget(self.new_button)
        bar.addWidget(self.import_button)
        bar.addStretch(1)
        bar.addWidget(self.folder_button)

        self.empty = QLabel(
            "No collection is open.\n\nSave a request with Ctrl+S, or open a folder of saved "
            "requests (File > Open collection…).",
            self,
        )
        self.empty.setObjectName("collectionsEmpty")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty.setContentsMargins(14, 24, 14, 12)
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tree)

        self.message = QLabel(self)
        self.message.setObjectName("collectionsMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.setObjectName("collectionsUndo")
        self.undo_button.setFlat(True)
        self.undo_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.undo_button.setStyleSheet(
            "QPushButton { color: palette(link); text-decoration: underline; border: none;"
            " padding: 0 4px; }"
        )
        self.undo_button.setToolTip("Take the last change back (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo)
        message_row = QHBoxLayout()
        message_row.setContentsMargins(8, 2, 6, 4)
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.undo_button, 0, Qt.AlignmentFlag.AlignTop)
        self.message_box = QWidget(self)
        self.message_box.setLayout(message_row)
        self.message_box.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message_box)
        self.setFocusProxy(self.tree)

        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._disk_changed)
        self.watcher.fileChanged.connect(self._disk_changed)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_MS)
        self._reload_timer.timeout.connect(self._reload_dirty)
        self._update_looks()

    def _tool(self, text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda _c=False: slot())
        return button

    # -- what is open ---------------------------------------------------------------------

    def roots(self) -> list[Path]:
        """The folders of the open collections, in order."""
        return [Path(r) for r in self._order]

    def loaded(self, root: Path | str) -> Loaded | None:
        return self._loaded.get(str(Path(root)))

    def collections(self) -> list[Loaded]:
        return [self._loaded[r] for r in self._order if r in self._loaded]

    def find_root(self, path: Path) -> Loaded | None:
        """The open collection `path` is in."""
        for loaded in self.collections():
            if path == loaded.root or path.is_relative_to(loaded.root):
                return loaded
        return None

    async def open_collection(self, root: Path) -> bool:
        """Read the collection in folder `root` and show it (again, when it is open).
        False, with why in the message line, when it is not a collection."""
        from explorer.errors import StoreError

        root = Path(root).expanduser().absolute()
        try:
            await self._load(root)
        except StoreError as exc:
            self.say(f"Could not open {root}: {exc.message}")
            return False
        self.tree.expand(self.model.find(("collection", str(root), (), "")))
        self.collections_changed.emit([str(r) for r in self.roots()])
        return True

    def open_later(self, roots: list[str]) -> None:
        """Open collections in the background (those remembered from the last run)."""
        for root in roots:
            self._spawn(self.open_collection(Path(root)))

    async def new_collection(self, root: Path, name: str = "") -> bool:
        """Start a collection in folder `root` (new or empty; a collection there already is
        opened); False with why in the message line otherwise."""
        from explorer.collection.store import is_collection, write_collection
        from explorer.errors import StoreError

        root = Path(root).expanduser().absolute()
        if not is_collection(root):
            col = Collection(name=" ".join(name.split()) or root.name or "Collection")
            try:
                await asyncio.to_thread(write_collection, root, col)
            except StoreError as exc:
                self.say(f"Could not start a collection in {root}: {exc.message}")
                return False
            except OSError as exc:
                self.say(f"Could not start a collection in {root}: {exc.strerror}")
                return False
        return await self.open_collection(root)

    async def import_collection(self, source: Path, where: Path) -> Path | None:
        """Import `source` (any format `explorer import` reads) as a new collection: into
        `where` when it is empty or new, else into a new folder in it named after the
        collection. Shown and opened; the warnings (what could not be carried over) in the
        message line. None, with why, when nothing was written."""
        from explorer.collection.formats import import_file
        from explorer.collection.store import write_collection
        from explorer.errors import StoreError

        where = Path(where).expanduser().absolute()

        def work() -> tuple[Path, int, list[str], str]:
            imported = import_file(source)
            root = where
            if root.exists() and (not root.is_dir() or any(root.iterdir())):
                root = _new_folder_in(where, imported.collection.name or source.stem)
            col = imported.collection
            if imported.format == "openapi":  # the document is the collection's spec
                col = dataclasses.replace(col, spec=os.path.relpath(source.absolute(), root))
            written = write_collection(root, col)
            return root, len(written.root.requests()), imported.warnings, imported.format

        try:
            root, count, warnings, fmt = await asyncio.to_thread(work)
        except StoreError as exc:
            self.say(f"Nothing imported from {source.name}: {exc.message}")
            return None
        except OSError as exc:
            self.say(f"Nothing imported from {source.name}: {exc.strerror}")
            return None
        await self.open_collection(root)
        said = f"Imported {count} request{'s' if count != 1 else ''} ({fmt}) into {root}"
        if warnings:
            said += f". {len(warnings)} note{'s' if len(warnings) != 1 else ''}: " + "; ".join(
                warnings[:3]
            )
            if len(warnings) > 3:
                said += "; …"
        self.say(said)
        return root

    async def export_collection(self, root: Path | str, fmt: str, target: Path) -> bool:
        """Write the collection at `root` as `fmt` (postman, har, curl) to the file `target`
        (atomically); what the export left out in the message line."""
        from explorer.collection.cli import UsageError, export_collection
        from explorer.errors import StoreError
        from explorer.store._files import write_atomic

        notes: list[str] = []

        def work() -> list[str]:
            made, warnings = export_collection(Path(root), fmt, notes=notes)
            assert isinstance(made, str)
            write_atomic(target, made.encode("utf-8"))
            if fmt == "curl":
                target.chmod(target.stat().st_mode | 0o100)
            return warnings

        try:
            warnings = await asyncio.to_thread(work)
        except (UsageError, StoreError, OSError) as exc:
            self.say(f"Could not export to {target}: {exc}")
            return False
        left = [*notes, *warnings]
        said = f"Exported as {EXPORT_LABELS.get(fmt, fmt)} to {target}"
        if left:
            said += f". {len(left)} note{'s' if len(left) != 1 else ''}: " + "; ".join(left[:3])
        self.say(said)
        return True

    def close_collection(self, root: Path | str) -> None:
        """Stop showing a collection (its files stay)."""
        key = str(Path(root))
        if key in self._order:
            self._order.remove(key)
        self._loaded.pop(key, None)
        self._show()
        self.collections_changed.emit([str(r) for r in self.roots()])

    async def _load(self, root: Path) -> Loaded:
        from explorer.collection.store import load_collection

        col, problems = await asyncio.to_thread(load_collection, root)
        key = str(root)
        loaded = Loaded(root, col, problems)
        self._loaded[key] = loaded
        if key not in self._order:
            self._order.append(key)
        self._show()
        self.reloaded.emit(loaded)
        return loaded

    async def reload(self, root: Path | str) -> None:
        """Read an open collection again (a collection whose folder is gone is closed,
        with a message)."""
        from explorer.errors import StoreError

        key = str(Path(root))
        if key not in self._loaded:
            return
        try:
            await self._load(Path(key))
        except StoreError as exc:
            self.close_collection(key)
            self.say(f"Closed {key}: {exc.message}")

    def reload_later(self, root: Path | str) -> None:
        self._spawn(self.reload(root))

    async def settled(self) -> None:
        """Wait until every load and reload started so far has ended (for tests)."""
        while self._tasks or self._reload_timer.isActive():
            await asyncio.sleep(0.01)

    # -- showing --------------------------------------------------------------------------

    def _show(self) -> None:
        """Rebuild the rows from what is loaded, keeping what was open and selected."""
        expanded = {
            node.key
            for index in self.model.walk()
            if self.tree.isExpanded(index) and (node := self.model.node(index)) is not None
        }
        current = self.model.node(self.tree.currentIndex())
        scrolled = self.tree.verticalScrollBar().value()
        self.model.show(
            [
                (r, self._loaded[r].collection, self._loaded[r].problems)
                for r in self._order
                if r in self._loaded
            ]
        )
        for index in self.model.walk():
            node = self.model.node(index)
            if node is not None and node.key in expanded:
                self.tree.expand(index)
        if current is not None:
            index = self.model.find(current.key)
            if index.isValid():
                self.tree.setCurrentIndex(index)
        self.tree.verticalScrollBar().setValue(scrolled)
        self._watch()
        self._update_looks()

    def _update_looks(self) -> None:
        self.stack.setCurrentWidget(self.tree if self._order else self.empty)
        self.folder_button.setEnabled(bool(self._order))

    def say(self, text: str, *, undo: bool = False) -> None:
        """A message under the tree (plain text), with the Undo button when `undo`."""
        self.message.setText(cut(text, MESSAGE_CHARS))
        self.message.setToolTip(tooltip(text))
        self.undo_button.setVisible(undo and bool(self._undo))
        self.message_box.setVisible(bool(text))

    # -- the disk, watched ----------------------------------------------------------------

    def _watch(self) -> None:
        """Watch every folder and file of the open collections (only those): a folder
        tells of files added and removed, a file of its content written in place."""
        join = os.path.join
        paths: set[str] = set()
        for loaded in self.collections():
            root = str(loaded.root)
            paths.add(root)
            paths.add(join(root, "collection.yaml"))
            for folder, _name in loaded.folders():
                paths.add(join(root, *folder))
            for folder, req in loaded.collection.root.requests():
                paths.add(join(root, *folder, req.file + ".yaml"))
            paths.update(str(problem.path) for problem in loaded.problems)
        watched = set(self.watcher.files()) | set(self.watcher.directories())
        gone = sorted(watched - paths)
        new = sorted(p for p in paths - watched if os.path.exists(p))
        if gone:
            self.watcher.removePaths(gone)
        if new:
            self.watcher.addPaths(new)

    def _disk_changed(self, path: str) -> None:
        loaded = self.find_root(Path(path))
        if loaded is not None:
            self._dirty.add(str(loaded.root))
            self._reload_timer.start()

    def _reload_dirty(self) -> None:
        dirty, self._dirty = self._dirty, set()
        for root in dirty:
            self.reload_later(root)

    # -- tasks ----------------------------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        if self._closed:
            coro.close()
            return
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def aclose(self) -> None:
        """Stop watching and end the loads in flight (the window's shutdown)."""
        self._closed = True
        self._reload_timer.stop()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # -- what the user does ---------------------------------------------------------------

    def current_node(self) -> Node | None:
        return self.model.node(self.tree.currentIndex())

    def activate(self, index: QModelIndex) -> None:
        """Open a saved request (double click, Enter); a folder opens or closes."""
        node = self.model.node(index)
        if node is None:
            return
        if node.kind == "request" and isinstance(node.item, SavedRequest):
            self.open_requested.emit(SavedLink(node.root, node.folder, node.file, node.item))
        elif (
            node.kind in ("folder", "collection")
            and self.tree.state() != QAbstractItemView.State.EditingState
        ):
            self.tree.setExpanded(index, not self.tree.isExpanded(index))

    def select(self, key: tuple[str, str, tuple[str, ...], str]) -> bool:
        """Make the row of a node (by its key) the current one, its folders opened."""
        index = self.model.find(key)
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def context_menu(self, index: QModelIndex) -> QMenu:
        """What can be done with a row (or, on no row, with the panel)."""
        menu = QMenu(self)
        node = self.model.node(index)
        if node is not None:
            self.tree.setCurrentIndex(index)
        if node is not None and node.kind == "request":
            menu.addAction("Open", lambda: self.activate(index))
        if node is not None and node.kind in ("collection", "folder"):
            menu.addAction("New folder", self.new_folder)
        if node is not None and node.kind in ("collection", "folder", "request"):
            menu.addAction("Rename\tF2", lambda: self.tree.edit(index))
        if node is not None and node.kind == "request":
            menu.addAction("Duplicate", self.duplicate_selected)
        if node is not None and node.kind in ("folder", "request"):
            menu.addAction("Delete\tDel", self.delete_selected)
        if node is not None and node.kind == "collection":
            menu.addSeparator()
            menu.addAction("Run collection…", partial(self.run_requested.emit, node.root))
            export = menu.addMenu("Export as")
            for fmt, label in EXPORT_LABELS.items():
                export.addAction(label, partial(self.export_dialog_requested.emit, node.root, fmt))
            menu.addAction("Close collection", lambda: self.close_collection(node.root))
        if node is None:
            menu.addAction("Open collection…", self.open_dialog_requested.emit)
            menu.addAction("New collection…", self.new_dialog_requested.emit)
            menu.addAction("Import…", self.import_dialog_requested.emit)
        undo = menu.addAction("Undo\tCtrl+Z", self.undo)
        undo.setEnabled(bool(self._undo))
        return menu

    # -- edits (each one undoable) --------------------------------------------------------

    def _edit(
        self,
        description: str,
        loaded: Loaded,
        work: Callable[[Change], Any],
        *,
        undoable: bool = True,
    ) -> Any:
        """Run `work` as one change of `loaded`'s files; say what happened (or why not);
        read the collection again. Returns what `work` returned (None when it failed)."""
        from explorer.collection.edits import Change
        from explorer.errors import StoreError

        change = Change(description)
        try:
            result = work(change)
        except StoreError as exc:
            with contextlib.suppress(StoreError):
                change.undo()  # what was done of it
            self.say(f"{description} failed: {exc}")
            self.reload_later(loaded.root)
            return None
        if undoable and not change.empty:
            self._undo.append(change)
            del self._undo[:-UNDO_DEPTH]
        self.say(description, undo=undoable)
        self.reload_later(loaded.root)
        return result

    def undo(self) -> bool:
        """Take the last edit back (Ctrl+Z in the panel, the Undo button)."""
        from explorer.errors import StoreError

        if not self._undo:
            self.say("Nothing to undo")
            return False
        change = self._undo.pop()
        try:
            change.undo()
        except StoreError as exc:
            self.say(f"Could not undo: {exc}")
            return False
        self.say(f"Undone: {change.description}", undo=bool(self._undo))
        for root in list(self._order):
            self.reload_later(root)
        return True

    def _place(self, node: Node | None) -> tuple[Loaded, tuple[str, ...]] | None:
        """The collection and folder a new item goes in, from the selected row."""
        if node is None:
            loaded = self.collections()[0] if self._order else None
            return (loaded, ()) if loaded is not None else None
        loaded = self.loaded(node.root)
        if loaded is None:
            return None
        return loaded, node.folder

    def new_folder(self, name: str = "New folder", *, edit: bool = True) -> tuple[str, ...] | None:
        """A folder in the selected folder (or beside the selected request); its name is
        then edited in place. Returns its path."""
        from explorer.collection.edits import create_folder

        place = self._place(self.current_node())
        if place is None:
            self.say("Open or start a collection first")
            return None
        loaded, parent = place
        folder = loaded.folder(parent)
        items = folder.items if folder is not None else []
        path: tuple[str, ...] | None = self._edit(
            f"Created the folder “{name}”",
            loaded,
            lambda c: create_folder(c, loaded.root, parent, name, items),
        )
        if path is not None and edit:
            key = ("folder", str(loaded.root), path, "")
            self._after_reload(loaded.root, lambda: self._edit_row(key))
        return path

    def _edit_row(self, key: tuple[str, str, tuple[str, ...], str]) -> None:
        if self.select(key):
            self.tree.edit(self.tree.currentIndex())

    def _after_reload(self, root: Path, then: Callable[[], object]) -> None:
        """Run `then` once the collection at `root` has been read again."""

        def once(loaded: Loaded) -> None:
            if loaded.root == root:
                self.reloaded.disconnect(once)
                then()

        self.reloaded.connect(once)

    def rename(self, node: Node, name: str) -> Node | None:
        """Rename a request (its file too), a folder (its directory too) or a collection
        (its collection.yaml's name). Returns the renamed node."""
        from explorer.collection.edits import rename_folder, rename_request

        loaded = self.loaded(node.root)
        name = " ".join(name.split())
        if loaded is None or not name:
            return None
        root = loaded.root
        if node.kind == "request" and isinstance(node.item, SavedRequest):
            req = node.item
            new: SavedRequest | None = self._edit(
                f"Renamed “{req.name}” to “{name}”",
                loaded,
                lambda c: rename_request(c, root, node.folder, req, name),
            )
            if new is None:
                return None
            if new.file != req.file:
                self.moved.emit(
                    root.joinpath(*node.folder, req.file + ".yaml"),
                    root.joinpath(*node.folder, new.file + ".yaml"),
                )
            return Node("request", node.root, node.folder, new.file, item=new)
        if node.kind == "folder" and isinstance(node.item, Folder):
            folder = node.item
            path: tuple[str, ...] | None = self._edit(
                f"Renamed the folder “{folder.name}” to “{name}”",
                loaded,
                lambda c: rename_folder(c, root, node.folder, folder, name),
            )
            if path is None:
                return None
            if path != node.folder:
                self.moved.emit(root.joinpath(*node.folder), root.joinpath(*path))
            return Node("folder", node.root, path, item=folder)
        if node.kind == "collection":
            return self._rename_collection(loaded, name)
        return None

    def _rename_collection(self, loaded: Loaded, name: str) -> Node | None:
        from dataclasses import replace

        from explorer.collection.store import COLLECTION_FILE, save_collection_file

        old = loaded.collection.name

        def work(change: Change) -> None:
            change.before_write(loaded.root / COLLECTION_FILE)
            save_collection_file(loaded.root, replace(loaded.collection, name=name))

        self._edit(f"Renamed the collection “{old}” to “{name}”", loaded, work)
        return Node("collection", str(loaded.root))

    def _renamed_in_place(self, node: Node, name: str) -> None:
        QTimer.singleShot(0, lambda: self.rename(node, name))

    def duplicate_selected(self) -> SavedRequest | None:
        from explorer.collection.edits import duplicate_request

        node = self.current_node()
        loaded = self.loaded(node.root) if node is not None else None
        if node is None or loaded is None or not isinstance(node.item, SavedRequest):
            return None
        req = node.item
        folder = loaded.folder(node.folder)
        items = folder.items if folder is not None else []
        copy: SavedRequest | None = self._edit(
            f"Duplicated “{req.name}”",
            loaded,
            lambda c: duplicate_request(c, loaded.root, node.folder, req, items),
        )
        if copy is not None:
            key = ("request", node.root, node.folder, copy.file)
            self._after_reload(loaded.root, lambda: self.select(key))
        return copy

    def delete_selected(self) -> bool:
        """Delete the selected request or folder (Ctrl+Z brings it back)."""
        node = self.current_node()
        return node is not None and self.delete(node)

    def delete(self, node: Node) -> bool:
        from explorer.collection.edits import delete_folder, delete_request

        loaded = self.loaded(node.root)
        if loaded is None:
            return False
        if node.kind == "request" and isinstance(node.item, SavedRequest):
            req = node.item
            done = self._edit(
                f"Deleted “{req.name}”",
                loaded,
                lambda c: delete_request(c, loaded.root, node.folder, req),
            )
            return bool(done)
        if node.kind == "folder" and isinstance(node.item, Folder):
            folder = node.item
            count = len(folder.requests())
            what = f" and the {count} request{'s' if count != 1 else ''} in it" if count else ""
            done = self._edit(
                f"Deleted the folder “{folder.name}”{what}",
                loaded,
                lambda c: delete_folder(c, loaded.root, node.folder),
            )
            return bool(done)
        return False

    def move_item(self, node: Node, target: Node, row: int) -> Node | None:
        """Move a request or folder into the collection or folder `target`, at `row` among
        its items (drag and drop). Returns where it is now."""
        from explorer.collection.edits import move_folder, move_request

        source, dest = self.loaded(node.root), self.loaded(target.root)
        if source is None or dest is None or target.kind not in ("collection", "folder"):
            return None
        dest_folder = dest.folder(target.folder)
        if dest_folder is None:
            return None
        items = dest_folder.items
        if node.kind == "request" and isinstance(node.item, SavedRequest):
            req = node.item
            row = _row_without(items, req, row)
            moved: SavedRequest | None = self._edit(
                f"Moved “{req.name}”",
                dest,
                lambda c: move_request(
                    c, source.root, node.folder, req, dest.root, target.folder, items, row
                ),
            )
            if moved is None:
                return None
            old = source.root.joinpath(*node.folder, req.file + ".yaml")
            new = dest.root.joinpath(*target.folder, moved.file + ".yaml")
            if old != new:
                self.moved.emit(old, new)
            if source is not dest:
                self.reload_later(source.root)
            return Node("request", str(dest.root), target.folder, moved.file, item=moved)
        if node.kind == "folder" and isinstance(node.item, Folder):
            folder = node.item
            row = _row_without(items, folder, row)
            path: tuple[str, ...] | None = self._edit(
                f"Moved the folder “{folder.name}”",
                dest,
                lambda c: move_folder(
                    c, source.root, node.folder, folder, dest.root, target.folder, items, row
                ),
            )
            if path is None:
                return None
            if (source.root, node.folder) != (dest.root, path):
                self.moved.emit(source.root.joinpath(*node.folder), dest.root.joinpath(*path))
            if source is not dest:
                self.reload_later(source.root)
            return Node("folder", str(dest.root), path, item=folder)
        return None

    def _dropped(self, nodes: list[Node], target: Node, row: int) -> None:
        # After the drop event has ended: the rows are rebuilt from disk.
        QTimer.singleShot(0, lambda: [self.move_item(n, target, row) for n in nodes[:1]])

    def save_new(
        self, loaded: Loaded, folder: tuple[str, ...], req: SavedRequest
    ) -> SavedRequest | None:
        """Write a request new to `folder` (Save as…); undoable like any edit."""
        from explorer.collection.edits import save_new_request

        where = loaded.folder(folder)
        items = where.items if where is not None else []
        saved: SavedRequest | None = self._edit(
            f"Saved “{req.name}”",
            loaded,
            lambda c: save_new_request(c, loaded.root, folder, req, items),
        )
        return saved

    def make_folders(self, loaded: Loaded, names: list[str]) -> tuple[str, ...] | None:
        """The folder path for folder names typed as "A / B" (existing ones by name, the
        others created)."""
        from explorer.collection.edits import Change, create_folder
        from explorer.errors import StoreError

        path: tuple[str, ...] = ()
        change = Change("Created folders")
        fresh = False  # in a folder just made: nothing to find there
        for name in names:
            folder = None if fresh else loaded.folder(path)
            items = folder.items if folder is not None else []
            found = next(
                (i for i in items if isinstance(i, Folder) and i.name.lower() == name.lower()),
                None,
            )
            if found is not None:
                path = (*path, found.directory or found.name)
                continue
            try:
                path = create_folder(change, loaded.root, path, name, items)
            except StoreError as exc:
                self.say(f"Could not create the folder “{name}”: {exc}")
                return None
            fresh = True
        if fresh:
            self.reload_later(loaded.root)
        return path


EXPORT_LABELS = {
    "postman": "Postman collection v2.1",
    "har": "HAR 1.2",
    "curl": "shell script of curl commands",
}
EXPORT_SUFFIXES = {"postman": ".postman_collection.json", "har": ".har", "curl": ".sh"}


def _new_folder_in(parent: Path, name: str) -> Path:
    """A new folder in `parent` named after a collection (a number added when taken)."""
    from explorer.collection.store import file_stem

    taken = [p.name for p in parent.iterdir()] if parent.is_dir() else []
    return parent / file_stem(name, taken)


def _row_without(items: list[Folder | SavedRequest], item: object, row: int) -> int:
    """A drop's row among `items` once `item` (dragged from among them, or not) is out of
    them: one less when it was above the row."""
    current = next((i for i, it in enumerate(items) if it is item), -1)
    return row - 1 if 0 <= current < row else row
