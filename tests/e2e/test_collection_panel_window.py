"""Collections through the whole window, with real key events: a user saves ten requests
in folders with Ctrl+S, restarts the app and finds them, opens one and sends it to the
demo's `explorer mock` (it arrives as saved); the tabs follow their files when they are
renamed, moved, deleted, edited by hand or broken; no secret reaches a file."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import yaml
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from explorer.collection.store import load_collection
from explorer.ui.main_window import MainWindow, build_window
from explorer.workbench import Services
from tests.e2e.test_request_tabs import (
    CTRL,
    DEMO_LOGIN,
    activated,
    open_demo,
    press,
    served,
    settle,
)

Wait = Callable[..., Coroutine[Any, Any, None]]


def tab_texts(window: MainWindow) -> list[str]:
    return [window.tab_widget.tabText(i) for i in range(window.tab_widget.count())]


def panel_rows(window: MainWindow) -> list[str]:
    return [str(i.data()) for i in window.saved.panel.model.walk()]


async def pick(window: MainWindow, wait_for: Wait, key: str) -> None:
    """The endpoint `key` from the tree, in the tab the window gives it."""
    window.sidebar.show_page("Endpoints")
    window.tree.select_operation(key)
    await wait_for(lambda: window.current_op is not None and window.current_op.key == key, 5)


async def save_as(
    window: MainWindow, qtbot: Any, wait_for: Wait, name: str, folder: str = ""
) -> None:
    """Ctrl+S from the address bar, then the "Save request" dialog filled in by typing."""
    await activated(window)  # window shortcuts work in the active window only
    press(qtbot, window.editor.address, Qt.Key.Key_S, CTRL)
    await wait_for(lambda: window.saved.dialog is not None, 5, "the save dialog")
    dialog = window.saved.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, name)
    line = dialog.folder_combo.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, folder or "(top level)")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    await wait_for(lambda: window.saved.dialog is None, 5, "the dialog to close")
    await window.saved.panel.settled()


def test_ten_requests_saved_in_folders_come_back_after_a_restart_and_send_as_saved(
    qtbot: Any,
    qloop: Any,
    wait_for: Wait,
    window: MainWindow,
    tmp_path: Path,
    fresh_services: Callable[[], Services],
) -> None:
    root = tmp_path / "ecosire-requests"
    body = {"type": "company", "name": "Saved Corp", "email": "saved@example.com"}
    plan = [
        ("GET /contacts", "List contacts", "Contacts"),
        ("POST /contacts", "Create a contact", "Contacts"),
        ("GET /contacts/{contactId}", "One contact", "Contacts"),
        ("DELETE /contacts/{contactId}", "Delete a contact", "Contacts / Danger"),
        ("GET /auth/me", "Who am I", "Auth"),
        ("POST /auth/login", "Log in", "Auth"),
        ("GET /users", "Users", "People"),
        ("GET /organizations", "Organizations", "People"),
        ("GET /health", "Health", ""),
        ("GET /api-keys", "API keys", "Auth / Keys"),
    ]

    async def scenario() -> None:
        await open_demo(window, qtbot)
        assert window.sidebar.current_name() == "Endpoints"  # the default page
        assert await window.saved.panel.new_collection(root, "ECOSIRE requests")
        for key, name, folder in plan:
            await pick(window, wait_for, key)
            editor = window.editor
            form = editor.params_form()
            if key == "GET /contacts":
                assert form is not None
                row = form.row("q")
                assert row is not None
                qtbot.keyClicks(row.field.widget.findChild(QWidget) or row.field.widget, "acme")
            if key.endswith("{contactId}"):
                assert form is not None
                row = form.row("contactId")
                assert row is not None
                row.field.set_raw("c_42")
            if key == "POST /contacts":
                editor.body.set_text(json.dumps(body))
            await save_as(window, qtbot, wait_for, name, folder)
            tab = window.current_tab()
            assert tab is not None and tab.session.saved is not None
            assert tab_texts(window)[-1] == name  # its name, and no dot: saved
        # Ctrl+S again on a saved tab writes its file (no dialog), and the dot goes away
        window.tab_widget.setCurrentIndex(0)
        row = window.editor.params_form().row("limit")  # type: ignore[union-attr]
        assert row is not None
        qtbot.keyClicks(row.field.widget.findChild(QWidget) or row.field.widget, "7")
        window.current_tab().sync_state()  # type: ignore[union-attr]
        assert tab_texts(window)[0].endswith("●")
        press(qtbot, window.editor.address, Qt.Key.Key_S, CTRL)
        assert window.saved.dialog is None and tab_texts(window)[0] == "List contacts"
        window.save_state()

    qloop.run_until_complete(scenario())

    col, problems = load_collection(root)
    assert problems == []
    found = {(p, r.name) for p, r in col.root.requests()}
    assert found == {
        (("Contacts",), "List contacts"),
        (("Contacts",), "Create a contact"),
        (("Contacts",), "One contact"),
        (("Contacts", "Danger"), "Delete a contact"),
        (("Auth",), "Who am I"),
        (("Auth",), "Log in"),
        (("People",), "Users"),
        (("People",), "Organizations"),
        ((), "Health"),
        (("Auth", "Keys"), "API keys"),
    }
    listed = yaml.safe_load((root / "Contacts" / "list-contacts.yaml").read_text("utf-8"))
    assert listed["url"] == "{{baseUrl}}/contacts"  # no port of this run in the file
    assert listed["query"] == {"q": "acme", "limit": 7}
    one = yaml.safe_load((root / "Contacts" / "one-contact.yaml").read_text("utf-8"))
    assert one["url"] == "{{baseUrl}}/contacts/{contactId}" and one["path"] == {"contactId": "c_42"}
    assert [r.name for _p, r in col.root.requests()] == [
        "List contacts",
        "Create a contact",
        "One contact",
        "Delete a contact",
        "Who am I",
        "Log in",
        "API keys",
        "Users",
        "Organizations",
        "Health",
    ]  # folders and requests in the order they were made

    # quit, start again on the same folders
    window.close()
    qloop.run_until_complete(window.aclose())
    again = build_window(fresh_services())
    again.show()

    async def restart() -> None:
        await open_demo(again, qtbot)
        panel = again.saved.panel
        await wait_for(lambda: panel.roots() == [root], 10, "the collection, remembered")
        await panel.settled()
        panel.tree.expandAll()
        for _key, name, _folder in plan:
            assert name in panel_rows(again)
        # the tabs come back with their names, linked to their files, no dot
        assert tab_texts(again) == [name for _k, name, _f in plan]
        # close them all (Ctrl+W), then open one from the panel with Enter
        while again.tabs():
            press(qtbot, again.editor.address, Qt.Key.Key_W, CTRL)
        assert panel.select(("request", str(root), ("Contacts",), "create-a-contact"))
        panel.tree.setFocus()
        qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
        await wait_for(lambda: again.current_tab() is not None, 5)
        tab = again.current_tab()
        assert tab is not None and tab_texts(again) == ["Create a contact"]
        assert again.current_op is not None and again.current_op.key == "POST /contacts"
        # log in by hand in another tab, put the token in the Auth tab, send
        await pick(again, wait_for, "POST /auth/login")
        again.editor.body.set_text(json.dumps(DEMO_LOGIN))
        again.send()
        await settle(again, wait_for)
        token = json.loads(again.response.result.body)["token"]  # type: ignore[union-attr]
        again.tab_widget.setCurrentWidget(tab)
        qtbot.keyClicks(again.editor.auth.token_edit, token)
        before = served(again)
        press(qtbot, again.editor.address, Qt.Key.Key_Return, CTRL)
        await wait_for(lambda: served(again) == before + 1, 10, "the saved request")
        await settle(again, wait_for)
        result = tab.session.result
        prepared = tab.session.prepared
        assert result is not None and prepared is not None
        assert getattr(result, "status", None) == 201
        assert prepared.method == "POST" and prepared.url == f"{again.preferred_server}/contacts"
        assert json.loads(prepared.content or b"") == body  # as saved
        assert json.loads(result.body)["name"] == "Saved Corp"  # type: ignore[union-attr]
        # the token typed for the send is nowhere in the collection
        again.saved.save(tab)
        assert token not in "".join(p.read_text() for p in root.rglob("*.yaml"))
        again.save_state()

    qloop.run_until_complete(restart())
    again.close()
    qloop.run_until_complete(again.aclose())
