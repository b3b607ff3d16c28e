"""Collections through the window, on files as a team has them (written by the store, as a
`git clone` leaves them): rename in place, move, delete and undo change the disk as
expected and the open tabs follow; a file broken by hand shows its problem while the
rest works; a change made on disk reaches the tree and the open tabs (an edited tab asks);
no secret typed anywhere reaches a saved file."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import yaml
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from explorer.collection.model import Collection, Folder, SavedRequest
from explorer.collection.store import write_collection
from explorer.ui.main_window import MainWindow
from explorer.ui.request_tab import RequestTab
from tests.e2e.test_request_tabs import CTRL, activated, open_demo, press, served, settle

Wait = Callable[..., Coroutine[Any, Any, None]]

LIST = SavedRequest(
    "List contacts",
    "GET",
    "{{baseUrl}}/contacts",
    operation="GET /contacts",
    query=(("limit", 5),),
)
ONE = SavedRequest(
    "One contact",
    "GET",
    "{{baseUrl}}/contacts/{contactId}",
    operation="GET /contacts/{contactId}",
    path=(("contactId", "c_1"),),
)
HEALTH = SavedRequest("Health", "GET", "{{baseUrl}}/health", operation="GET /health")


def make(root: Path) -> Path:
    write_collection(
        root,
        Collection(
            "Team requests",
            root=Folder("", [Folder("Contacts", [LIST, ONE]), Folder("Ops", [HEALTH])]),
        ),
    )
    return root


async def opened(window: MainWindow, qtbot: Any, root: Path) -> None:
    await open_demo(window, qtbot)
    panel = window.saved.panel
    window.sidebar.show_page("Collections")
    assert await panel.open_collection(root)
    panel.tree.expandAll()


async def open_row(window: MainWindow, qtbot: Any, wait_for: Wait, key: Any) -> RequestTab:
    """Enter on a request's row in the panel: its tab."""
    panel = window.saved.panel
    assert panel.select(key), key
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    await wait_for(lambda: window.current_tab() is not None, 5)
    tab = window.current_tab()
    assert tab is not None and tab.session.saved is not None
    return tab


def texts(window: MainWindow) -> list[str]:
    return [str(i.data()) for i in window.saved.panel.model.walk()]


def tab_text(window: MainWindow, tab: RequestTab) -> str:
    return window.tab_widget.tabText(window.tab_widget.indexOf(tab))


def form_text(window: MainWindow, name: str) -> QLineEdit:
    form = window.editor.params_form()
    assert form is not None
    row = form.row(name)
    assert row is not None
    edit = row.field.widget if isinstance(row.field.widget, QLineEdit) else None
    edit = edit or row.field.widget.findChild(QLineEdit)
    assert isinstance(edit, QLineEdit)
    return edit


def test_rename_move_delete_and_undo_change_the_files_and_the_tabs_follow(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, tmp_path: Path
) -> None:
    root = make(tmp_path / "team")
    r = str(root)

    async def scenario() -> None:
        await opened(window, qtbot, root)
        panel = window.saved.panel
        tab = await open_row(
            window, qtbot, wait_for, ("request", r, ("Contacts",), "list-contacts")
        )
        assert tab_text(window, tab) == "List contacts"
        assert form_text(window, "limit").text() == "5"

        # F2 renames in place: the file is renamed, the tab takes the new name
        assert panel.select(("request", r, ("Contacts",), "list-contacts"))
        panel.tree.setFocus()
        qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit)
        editor.selectAll()
        qtbot.keyClicks(editor, "All contacts")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        await wait_for(lambda: (root / "Contacts" / "all-contacts.yaml").exists(), 5)
        await panel.settled()
        assert not (root / "Contacts" / "list-contacts.yaml").exists()
        await wait_for(lambda: tab_text(window, tab) == "All contacts", 5, "the tab's new name")

        # a drop into another folder: the file moves, the tab's Ctrl+S writes it there
        index = panel.model.find(("request", r, ("Contacts",), "all-contacts"))
        target = panel.model.find(("folder", r, ("Ops",), ""))
        data = panel.model.mimeData([index])
        assert not panel.model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, target)
        await wait_for(lambda: (root / "Ops" / "all-contacts.yaml").exists(), 5)
        await panel.settled()
        assert not (root / "Contacts" / "all-contacts.yaml").exists()
        window.tab_widget.setCurrentWidget(tab)
        await activated(window)
        form_text(window, "limit").setText("")
        qtbot.keyClicks(form_text(window, "limit"), "9")
        tab.sync_state()
        assert tab_text(window, tab).endswith("●")
        press(qtbot, window.editor.address, Qt.Key.Key_S, CTRL)
        saved = yaml.safe_load((root / "Ops" / "all-contacts.yaml").read_text("utf-8"))
        assert saved["query"] == {"limit": 9} and saved["name"] == "All contacts"
        assert saved["seq"] == 1  # dropped first in Ops
        assert not (root / "Contacts" / "all-contacts.yaml").exists()
        assert tab_text(window, tab) == "All contacts"

        # delete a folder (Delete), undo (Ctrl+Z in the panel): the files come back as they were
        before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        assert panel.select(("folder", r, ("Ops",), ""))
        panel.tree.setFocus()
        qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
        await panel.settled()
        assert not (root / "Ops").exists()
        assert "Ops" not in texts(window)
        await wait_for(lambda: tab.disk_bar.isVisible(), 5, "the tab says its file is gone")
        qtbot.keyClick(panel.tree, Qt.Key.Key_Z, CTRL)
        await panel.settled()
        assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
        assert "Ops" in texts(window)

    qloop.run_until_complete(scenario())


def test_a_file_broken_by_hand_shows_its_problem_and_the_rest_works(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, tmp_path: Path
) -> None:
    root = make(tmp_path / "team")
    broken = root / "Contacts" / "one-contact.yaml"
    broken.write_text(
        broken.read_text("utf-8").replace("method: GET", "method: [GET"), encoding="utf-8"
    )

    async def scenario() -> None:
        await opened(window, qtbot, root)
        rows = texts(window)
        problem = next(t for t in rows if t.startswith("Contacts/one-contact.yaml:"))
        assert "invalid YAML" in problem or "method" in problem
        assert "One contact" not in rows and "List contacts" in rows and "Health" in rows
        # a double click on the problem row opens nothing (and breaks nothing)
        index = next(i for i in window.saved.panel.model.walk() if i.data() == problem)
        window.saved.panel.activate(index)
        assert window.current_tab() is None or window.current_tab().session.saved is None
        # the rest works: open Health and send it to the demo's mock
        tab = await open_row(window, qtbot, wait_for, ("request", str(root), ("Ops",), "health"))
        before = served(window)
        press(qtbot, window.editor.address, Qt.Key.Key_Return, CTRL)
        await wait_for(lambda: served(window) == before + 1, 10)
        await settle(window, wait_for)
        assert getattr(tab.session.result, "status", None) == 200
        # mended by hand: the row becomes a request again
        broken.write_text(broken.read_text("utf-8").replace("[GET", "GET"), encoding="utf-8")
        await wait_for(lambda: "One contact" in texts(window), 10, "the mended file")
        assert not any(t.startswith("Contacts/one-contact.yaml:") for t in texts(window))

    qloop.run_until_complete(scenario())


def test_a_change_on_disk_reloads_the_tree_and_the_tabs_without_losing_edits(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, tmp_path: Path
) -> None:
    root = make(tmp_path / "team")
    r = str(root)
    list_file = root / "Contacts" / "list-contacts.yaml"
    one_file = root / "Contacts" / "one-contact.yaml"

    async def scenario() -> None:
        await opened(window, qtbot, root)
        plain = await open_row(
            window, qtbot, wait_for, ("request", r, ("Contacts",), "list-contacts")
        )
        edited = await open_row(
            window, qtbot, wait_for, ("request", r, ("Contacts",), "one-contact")
        )
        box = form_text(window, "contactId")
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, "c_mine")
        edited.sync_state()
        assert tab_text(window, edited).endswith("●")

        # `git pull`: both files change, and one gains checks the editor does not show
        data = yaml.safe_load(list_file.read_text("utf-8"))
        data.update(name="Contacts, 20", query={"limit": 20})
        list_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        data = yaml.safe_load(one_file.read_text("utf-8"))
        data.update(path={"contactId": "c_theirs"}, checks=[{"status": 200}])
        data["description"] = "Theirs"
        one_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

        await wait_for(lambda: "Contacts, 20" in texts(window), 10, "the tree reloaded")
        await wait_for(lambda: tab_text(window, plain) == "Contacts, 20", 5, "the plain tab")
        window.tab_widget.setCurrentWidget(plain)
        assert form_text(window, "limit").text() == "20"
        assert not plain.disk_bar.isVisible()
        # the edited tab keeps its edits and says the file changed
        window.tab_widget.setCurrentWidget(edited)
        await wait_for(lambda: edited.disk_bar.isVisible(), 5, "the edited tab's bar")
        assert "changed on disk" in edited.disk_bar.label.text()
        assert form_text(window, "contactId").text() == "c_mine"
        assert tab_text(window, edited).endswith("●")
        # keep mine, save: my value, their checks and description kept
        qtbot.mouseClick(edited.disk_bar.keep, Qt.MouseButton.LeftButton)
        assert not edited.disk_bar.isVisible()
        await activated(window)
        press(qtbot, window.editor.address, Qt.Key.Key_S, CTRL)
        saved = yaml.safe_load(one_file.read_text("utf-8"))
        assert saved["path"] == {"contactId": "c_mine"}
        assert saved["checks"] == [{"status": 200}] and saved["description"] == "Theirs"
        assert not tab_text(window, edited).endswith("●")

        # changed again on disk; this time "Reload" takes theirs
        box = form_text(window, "contactId")
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, "c_mine_again")
        edited.sync_state()
        data["path"] = {"contactId": "c_theirs_2"}
        one_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        await wait_for(lambda: edited.disk_bar.isVisible(), 10, "the bar again")
        qtbot.mouseClick(edited.disk_bar.reload, Qt.MouseButton.LeftButton)
        assert form_text(window, "contactId").text() == "c_theirs_2"
        assert not tab_text(window, edited).endswith("●") and not edited.disk_bar.isVisible()

    qloop.run_until_complete(scenario())


def test_the_saved_file_holds_no_secret(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, tmp_path: Path
) -> None:
    """A token typed in the Auth tab, a password in the body, a secret header, an API
    key in the query: none reaches the file; a value that names a variable does."""
    root = tmp_path / "mine"
    secrets = ["tok-SECRET-1", "pw-SECRET-2", "hdr-SECRET-3", "key-SECRET-4"]

    async def scenario() -> None:
        await open_demo(window, qtbot)
        assert await window.saved.panel.new_collection(root, "Mine")
        window.tree.select_operation("POST /auth/login")
        await wait_for(lambda: window.current_op is not None, 5)
        editor = window.editor
        editor.body.set_text(json.dumps({"email": "demo@ecosire.com", "password": secrets[1]}))
        qtbot.keyClicks(editor.headers.rows[0].name, "X-Session-Token")
        qtbot.keyClicks(editor.headers.rows[0].value, secrets[2])
        qtbot.keyClicks(editor.headers.rows[1].name, "Authorization")
        qtbot.keyClicks(editor.headers.rows[1].value, "Bearer {{token}}")
        qtbot.keyClicks(editor.query_rows.rows[0].name, "api_key")
        qtbot.keyClicks(editor.query_rows.rows[0].value, secrets[3])
        kinds = [editor.auth.kind_combo.itemText(i) for i in range(editor.auth.kind_combo.count())]
        bearer = next(i for i, k in enumerate(kinds) if "earer" in k)
        editor.auth.kind_combo.setCurrentIndex(bearer)
        editor.auth.kind_combo.activated.emit(bearer)
        qtbot.keyClicks(editor.auth.token_edit, secrets[0])
        assert editor.auth.auth_input() is not None  # the token is in use for sends
        await activated(window)
        press(qtbot, editor.address, Qt.Key.Key_S, CTRL)
        await wait_for(lambda: window.saved.dialog is not None, 5)
        dialog = window.saved.dialog
        assert dialog is not None
        note = dialog.note.text()
        assert dialog.note.isVisible()
        for what in ("header X-Session-Token", "query api_key", "body password"):
            assert what in note, note
        assert "Authorization" not in note  # it names a variable: kept
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
        await wait_for(lambda: window.saved.dialog is None, 5)

    qloop.run_until_complete(scenario())
    files = list(root.rglob("*.yaml"))
    written = "".join(p.read_text("utf-8") for p in files)
    assert len(files) == 2  # collection.yaml and the request
    for secret in secrets:
        assert secret not in written, secret
    # left out whole: an empty header or query parameter would mean something else
    assert "X-Session-Token" not in written and "api_key" not in written
    (request_file,) = [p for p in files if p.name != "collection.yaml"]
    request = yaml.safe_load(request_file.read_text("utf-8"))
    assert request["operation"] == "POST /auth/login"
    assert request["headers"]["Authorization"] == "Bearer {{token}}"
    assert "demo@ecosire.com" in request["body"]["text"]
