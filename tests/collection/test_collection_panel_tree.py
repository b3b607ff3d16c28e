"""The Collections panel on its own: a collection on disk shown as a tree (method badges,
folders, a broken file as a row with its problem), and every edit checked on the disk:
new folder, rename (the file too), duplicate, delete and undo (a folder with all it held),
moves by a drop between folders with the order kept in `seq`, and a change made by
another program read again by itself."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from explorer.collection.model import Body, Collection, Folder, SavedRequest
from explorer.collection.store import load_collection, write_collection
from explorer.ui.collections import CollectionsPanel
from explorer.ui.collections_model import Node

Wait = Callable[..., Coroutine[Any, Any, None]]

LOGIN = SavedRequest(
    "Log in",
    "POST",
    "{{baseUrl}}/auth/login",
    operation="POST /auth/login",
    body=Body("application/json", '{"email": "{{email}}", "password": "{{password}}"}'),
)
LIST = SavedRequest("List contacts", "GET", "{{baseUrl}}/contacts", operation="GET /contacts")
ONE = SavedRequest(
    "Get a contact",
    "GET",
    "{{baseUrl}}/contacts/{contactId}",
    operation="GET /contacts/{contactId}",
    path=(("contactId", "c_1"),),
)
DELETE = SavedRequest("Delete a contact", "DELETE", "{{baseUrl}}/contacts/c_9")


def make(root: Path) -> Path:
    write_collection(
        root,
        Collection(
            "Demo",
            root=Folder("", [Folder("Auth", [LOGIN]), Folder("Contacts", [LIST, ONE, DELETE])]),
        ),
    )
    return root


@pytest.fixture
def panel(qapp: QApplication, qloop: Any) -> Iterator[CollectionsPanel]:
    widget = CollectionsPanel()
    widget.resize(360, 600)
    widget.show()
    yield widget
    qloop.run_until_complete(widget.aclose())
    widget.close()


def rows(panel: CollectionsPanel) -> list[str]:
    """Every row as "  "*depth + text, as the user reads the tree."""
    out = []
    for index in panel.model.walk():
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        out.append("  " * depth + str(index.data()))
    return out


def names_on_disk(root: Path, folder: str) -> list[str]:
    """The requests of a folder in their order, as a fresh load reads them."""
    col, _problems = load_collection(root)
    for path, req in col.root.requests():
        del path, req
    where = col.root
    for part in [p for p in folder.split("/") if p]:
        where = next(i for i in where.items if isinstance(i, Folder) and i.directory == part)
    return [i.name for i in where.items]


def node_of(panel: CollectionsPanel, text: str) -> tuple[QModelIndex, Node]:
    for index in panel.model.walk():
        if index.data() == text:
            node = panel.model.node(index)
            assert node is not None
            return index, node
    raise AssertionError(f"no row {text!r} in {rows(panel)}")


def test_a_collection_shows_as_a_tree_and_a_broken_file_as_a_row(
    panel: CollectionsPanel, qloop: Any, qtmodeltester: Any, tmp_path: Path
) -> None:
    root = make(tmp_path / "demo")
    broken = root / "Contacts" / "broken.yaml"
    broken.write_text("name: Broken\nmethod: GET\nurl: ''\n", encoding="utf-8")

    assert qloop.run_until_complete(panel.open_collection(root))
    panel.tree.expandAll()
    shown = rows(panel)
    assert shown[:3] == ["Demo", "  Auth", "    Log in"]
    assert shown[3:7] == [
        "  Contacts",
        "    List contacts",
        "    Get a contact",
        "    Delete a contact",
    ]
    problem = shown[7].strip()
    assert problem.startswith("Contacts/broken.yaml:3: ")  # path:line: message, as text
    index, node = node_of(panel, problem)
    assert node.kind == "problem"
    assert not index.flags() & Qt.ItemFlag.ItemIsEditable
    qtmodeltester.check(panel.model)
    # the badge: a request row has the method's icon
    list_index, _node = node_of(panel, "List contacts")
    assert not list_index.data(Qt.ItemDataRole.DecorationRole).isNull()


def test_rename_duplicate_delete_and_undo_change_the_files(
    panel: CollectionsPanel, qloop: Any, qtbot: Any, wait_for: Wait, tmp_path: Path
) -> None:
    root = make(tmp_path / "demo")

    async def scenario() -> None:
        assert await panel.open_collection(root)
        # rename a request: its name and its file
        _index, node = node_of(panel, "List contacts")
        panel.rename(node, "All contacts")
        await panel.settled()
        assert not (root / "Contacts" / "list-contacts.yaml").exists()
        data = yaml.safe_load((root / "Contacts" / "all-contacts.yaml").read_text("utf-8"))
        assert data["name"] == "All contacts" and data["url"] == "{{baseUrl}}/contacts"
        assert "All contacts" in [r.strip() for r in rows(panel)]
        # rename a folder: its directory, and the name in folder.yaml
        _index, node = node_of(panel, "Contacts")
        panel.rename(node, "People: all")
        await panel.settled()
        assert (root / "People- all" / "all-contacts.yaml").is_file()
        assert yaml.safe_load((root / "People- all" / "folder.yaml").read_text())["name"] == (
            "People: all"
        )
        # duplicate: right after the original
        index, node = node_of(panel, "Get a contact")
        panel.tree.setCurrentIndex(index)
        panel.duplicate_selected()
        await panel.settled()
        assert names_on_disk(root, "People- all") == [
            "All contacts",
            "Get a contact",
            "Get a contact copy",
            "Delete a contact",
        ]
        # delete a folder with the keyboard; Ctrl+Z in the panel brings all of it back
        before = sorted(p.relative_to(root) for p in root.rglob("*"))
        index, node = node_of(panel, "People: all")
        panel.tree.setCurrentIndex(index)
        panel.tree.setFocus()
        qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
        await panel.settled()
        assert not (root / "People- all").exists()
        assert "People: all" not in [r.strip() for r in rows(panel)]
        assert panel.undo_button.isVisible() and "Deleted the folder" in panel.message.text()
        qtbot.keyClick(panel.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        await panel.settled()
        assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
        assert "People: all" in [r.strip() for r in rows(panel)]
        # delete a request; the Undo button of the message brings it back
        index, node = node_of(panel, "Log in")
        panel.tree.setCurrentIndex(index)
        qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
        await panel.settled()
        assert not (root / "Auth" / "log-in.yaml").exists()
        qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
        await panel.settled()
        assert (root / "Auth" / "log-in.yaml").is_file()
        assert "Log in" in [r.strip() for r in rows(panel)]

    qloop.run_until_complete(scenario())


def test_a_drop_moves_files_between_folders_and_keeps_the_order(
    panel: CollectionsPanel, qloop: Any, tmp_path: Path
) -> None:
    root = make(tmp_path / "demo")

    async def drop(text: str, onto: str, row: int) -> None:
        index, _node = node_of(panel, text)
        target, _t = node_of(panel, onto)
        model = panel.model
        data = model.mimeData([index])
        assert model.canDropMimeData(data, Qt.DropAction.MoveAction, row, 0, target)
        # what the view does on a drop: the model is left alone, the files move
        assert not model.dropMimeData(data, Qt.DropAction.MoveAction, row, 0, target)
        await asyncio.sleep(0.05)
        await panel.settled()

    async def scenario() -> None:
        assert await panel.open_collection(root)
        # into another folder, first
        await drop("Delete a contact", "Auth", 0)
        assert (root / "Auth" / "delete-a-contact.yaml").is_file()
        assert not (root / "Contacts" / "delete-a-contact.yaml").exists()
        assert names_on_disk(root, "Auth") == ["Delete a contact", "Log in"]
        # within a folder: the last one first
        await drop("Get a contact", "Contacts", 0)
        assert names_on_disk(root, "Contacts") == ["Get a contact", "List contacts"]
        seqs = [
            yaml.safe_load((root / "Contacts" / f).read_text())["seq"]
            for f in ("get-a-contact.yaml", "list-contacts.yaml")
        ]
        assert seqs == [1, 2]
        # a folder into another folder; undo takes it back
        await drop("Auth", "Contacts", 2)
        assert (root / "Contacts" / "Auth" / "log-in.yaml").is_file()
        assert names_on_disk(root, "Contacts") == ["Get a contact", "List contacts", "Auth"]
        assert panel.undo()
        await panel.settled()
        assert (root / "Auth" / "log-in.yaml").is_file()
        assert not (root / "Contacts" / "Auth").exists()
        # a folder into itself is refused, and nothing moves
        await drop("Contacts", "Contacts", 0)
        assert "cannot go into itself" in panel.message.text()
        assert (root / "Contacts" / "list-contacts.yaml").is_file()

    qloop.run_until_complete(scenario())


def test_a_change_on_disk_is_read_again_by_itself(
    panel: CollectionsPanel, qloop: Any, wait_for: Wait, tmp_path: Path
) -> None:
    root = make(tmp_path / "demo")

    async def scenario() -> None:
        assert await panel.open_collection(root)
        reloads: list[object] = []
        panel.reloaded.connect(reloads.append)
        # another program (git pull) edits a file, adds one and breaks one
        text = (root / "Contacts" / "list-contacts.yaml").read_text()
        (root / "Contacts" / "list-contacts.yaml").write_text(
            text.replace("List contacts", "Every contact")
        )
        (root / "Auth" / "log-out.yaml").write_text("name: Log out\nmethod: POST\nurl: /x\n")
        await wait_for(lambda: "Every contact" in [r.strip() for r in rows(panel)], 10)
        await wait_for(lambda: "Log out" in [r.strip() for r in rows(panel)], 10)
        (root / "Auth" / "log-in.yaml").write_text("name: [")
        await wait_for(
            lambda: any(r.strip().startswith("Auth/log-in.yaml:") for r in rows(panel)), 10
        )
        assert len(reloads) <= 6  # debounced: not one per event

    qloop.run_until_complete(scenario())


def test_new_collection_and_new_folder(panel: CollectionsPanel, qloop: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        assert panel.stack.currentWidget() is panel.empty
        assert await panel.new_collection(tmp_path / "mine", "My requests")
        assert yaml.safe_load((tmp_path / "mine" / "collection.yaml").read_text())["name"] == (
            "My requests"
        )
        assert panel.stack.currentWidget() is panel.tree
        panel.select(("collection", str(tmp_path / "mine"), (), ""))
        path = panel.new_folder("Orders", edit=False)
        await panel.settled()
        assert path == ("Orders",) and (tmp_path / "mine" / "Orders").is_dir()
        assert rows(panel) == ["My requests", "  Orders"]
        # a folder that is not empty and not a collection is refused
        (tmp_path / "full").mkdir()
        (tmp_path / "full" / "notes.txt").write_text("x")
        assert not await panel.new_collection(tmp_path / "full")
        assert "not empty" in panel.message.text()
        assert not (tmp_path / "full" / "collection.yaml").exists()

    qloop.run_until_complete(scenario())
