"""The request workbench through the whole window, with real key events: tabs, Ctrl+Enter
from every place, a second Send replacing the first, a URL typed by hand, quitting and
finding the tabs again. Requests go to `explorer mock` serving the demo in-process (its
counter says they arrived) and to small servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from explorer.ui.main_window import MainWindow, build_window
from explorer.workbench import Services

Wait = Callable[..., Coroutine[Any, Any, None]]
CTRL = Qt.KeyboardModifier.ControlModifier
DEMO_LOGIN = {"email": "demo@ecosire.com", "password": "demo-password"}


def served(window: MainWindow) -> int:
    """How many requests the demo's mock server has answered."""
    mock = window.services.mock
    assert mock is not None
    return int(mock.app.served)


async def activated(window: MainWindow) -> None:
    """Wait until the window is the active one (its shortcuts work only then). Not with
    qtbot.waitUntil: a nested Qt event loop inside a task's step makes the tasks it wakes
    fail with "Cannot enter into task" and never run."""
    deadline = asyncio.get_running_loop().time() + 3
    while QApplication.activeWindow() is not window:
        assert asyncio.get_running_loop().time() < deadline, "the window never became active"
        await asyncio.sleep(0.01)


async def open_demo(window: MainWindow, qtbot: Any) -> None:
    assert await window.open_initial(None)
    assert window.api is not None and window.preferred_server
    window.activateWindow()
    await activated(window)


def press(
    qtbot: Any, widget: QWidget, key: Qt.Key, modifier: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    """A real key press on `widget`, as the keyboard gives it (shortcuts included)."""
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(widget, key, modifier)


async def settle(window: MainWindow, wait_for: Wait) -> None:
    tab = window.current_tab()
    assert tab is not None
    await wait_for(lambda: tab.session.phase != "sending", 15, "the answer")


def test_ctrl_enter_sends_from_every_place_in_the_window(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def scenario() -> None:
        await open_demo(window, qtbot)
        window.tree.select_operation("GET /contacts")
        await wait_for(lambda: window.current_op is not None, 5)
        form = window.editor.params_form()
        assert form is not None
        q_row = form.row("q")
        assert q_row is not None
        places: list[tuple[str, Callable[[], QWidget]]] = [
            ("the tree", lambda: window.tree.tree),
            ("the filter", lambda: window.tree.filter_edit),
            ("the address", lambda: window.editor.address),
            ("a form field", lambda: q_row.field.widget.findChild(QWidget) or q_row.field.widget),
            ("the response", lambda: window.response.body),
        ]
        for name, place in places:
            before = served(window)
            press(qtbot, place(), Qt.Key.Key_Return, CTRL)
            await wait_for(lambda b=before: served(window) == b + 1, 10, f"a request from {name}")
            await settle(window, wait_for)
            assert window.response.state_name == "result", name
        # the body editor: Ctrl+Enter sends and types no line
        window.tree.select_operation("POST /contacts")
        await wait_for(
            lambda: window.current_op is not None and window.current_op.method == "POST", 5
        )
        body = window.editor.body
        window.editor.tabs.setCurrentIndex(1)
        await wait_for(lambda: body.editor.isVisible(), 5)
        text = body.editor.toPlainText()
        before = served(window)
        press(qtbot, body.editor, Qt.Key.Key_Return, CTRL)
        await wait_for(lambda: served(window) == before + 1, 10, "a request from the body")
        await settle(window, wait_for)
        assert body.editor.toPlainText() == text

    qloop.run_until_complete(scenario())


def test_three_tabs_login_contacts_a_typed_url_and_back_after_a_restart(
    qtbot: Any,
    qloop: Any,
    wait_for: Wait,
    window: MainWindow,
    tmp_path: Path,
    fresh_services: Callable[[], Services],
) -> None:
    saved: dict[str, Any] = {}

    async def scenario() -> None:
        await open_demo(window, qtbot)
        # tab 1: log in
        window.tree.select_operation("POST /auth/login")
        await wait_for(lambda: window.current_op is not None, 5)
        window.editor.body.set_text(json.dumps(DEMO_LOGIN))
        qtbot.mouseClick(window.editor.send_button, Qt.MouseButton.LeftButton)
        await settle(window, wait_for)
        assert window.response.status.pill.text().startswith("200")
        token = json.loads(window.response.result.body)["token"]  # type: ignore[union-attr]
        login_tab = window.current_tab()

        # tab 2 (Ctrl+T): contacts, with the token, sent with Ctrl+Enter from a field
        press(qtbot, window.tree.tree, Qt.Key.Key_T, CTRL)
        assert len(window.tabs()) == 2 and window.current_op is None  # a new, ad-hoc tab
        window.tree.select_operation("GET /contacts")
        await wait_for(lambda: window.current_op is not None, 5)
        assert len(window.tabs()) == 2  # the blank tab took the endpoint
        auth = window.editor.auth
        qtbot.keyClicks(auth.token_edit, token)
        form = window.editor.params_form()
        assert form is not None
        limit = form.row("limit")
        assert limit is not None
        before = served(window)
        press(qtbot, auth.token_edit, Qt.Key.Key_Return, CTRL)
        await wait_for(lambda: served(window) == before + 1, 10, "contacts")
        await settle(window, wait_for)
        assert window.response.status.pill.text().startswith("200")
        assert login_tab is not None and login_tab.response.result is not None  # still there

        # tab 3: a URL typed by hand, sent with Enter; it links to its endpoint
        press(qtbot, window.tree.tree, Qt.Key.Key_T, CTRL)
        address = window.editor.address
        assert address.hasFocus()
        address.selectAll()
        url = f"{window.preferred_server}/health?probe=1"
        qtbot.keyClicks(address, url)
        before = served(window)
        qtbot.keyClick(address, Qt.Key.Key_Return)
        await wait_for(lambda: served(window) == before + 1, 10, "the typed URL")
        await settle(window, wait_for)
        assert window.current_op is not None and window.current_op.key == "GET /health"
        result = window.response.result
        assert result is not None and result.url == url and result.status == 200
        assert window.editor.query_rows.items() == [("probe", "1", False)]

        # an ad-hoc request: a path the document does not have is sent as typed
        address.setFocus()
        address.selectAll()
        qtbot.keyClicks(address, f"{window.preferred_server}/no/such/thing")
        qtbot.keyClick(address, Qt.Key.Key_Return)
        await settle(window, wait_for)
        assert window.current_op is None
        assert window.response.result is not None and window.response.result.status == 404

        titles = [window.tab_widget.tabText(i) for i in range(window.tab_widget.count())]
        saved["titles"] = titles
        saved["token"] = token
        window.save_state()

    qloop.run_until_complete(scenario())
    assert len(saved["titles"]) == 3

    # quit, start again with the same folders: the tabs come back, without the token
    window.close()
    qloop.run_until_complete(window.aclose())
    services = fresh_services()
    again = build_window(services)
    again.show()

    async def restart() -> None:
        await open_demo(again, qtbot)
        titles = [again.tab_widget.tabText(i) for i in range(again.tab_widget.count())]
        assert [t.rstrip(" ●") for t in titles] == [t.rstrip(" ●") for t in saved["titles"]]
        keys = [t.session.op_key for t in again.tabs()]
        assert keys == ["POST /auth/login", "GET /contacts", None]
        again.tab_widget.setCurrentIndex(1)
        assert again.editor.auth.token_edit.text() == ""  # secrets never reach the disk
        again.tab_widget.setCurrentIndex(2)
        assert again.editor.address.full_text().startswith(str(again.preferred_server))
        assert again.editor.address.full_text().endswith("/no/such/thing")
        data = (tmp_path / "data").rglob("*.json")
        for path in data:
            assert saved["token"] not in path.read_text()

    try:
        qloop.run_until_complete(restart())
    finally:
        again.close()
        qloop.run_until_complete(again.aclose())
        qloop.run_until_complete(services.aclose())


def test_send_twice_quickly_shows_only_the_second_answer(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, slow_server: str
) -> None:
    statuses: list[str] = []

    async def scenario() -> None:
        await open_demo(window, qtbot)
        original = window.set_status
        window.set_status = lambda text: (statuses.append(text), original(text))  # type: ignore[method-assign]
        press(qtbot, window.tree.tree, Qt.Key.Key_T, CTRL)
        address = window.editor.address
        qtbot.keyClicks(address, f"{slow_server}/slow?delay=1.5")
        qtbot.keyClick(address, Qt.Key.Key_Return)  # the first send
        tab = window.current_tab()
        assert tab is not None
        await wait_for(lambda: tab.session.phase == "sending", 5)
        address.setFocus()
        address.selectAll()
        qtbot.keyClicks(address, f"{slow_server}/echo/second")
        press(qtbot, address, Qt.Key.Key_Return, CTRL)  # the second, while the first runs
        await settle(window, wait_for)
        result = window.response.result
        assert result is not None and json.loads(result.body)["raw_path"] == "/echo/second"
        await asyncio.sleep(2)  # the first would have answered by now
        assert window.response.result is result
        assert window.editor.send_button.text() == "Send"
        assert "Request cancelled" not in statuses

    qloop.run_until_complete(scenario())


def test_bad_moments_dead_port_cancel_close_and_quit_mid_request(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, slow_server: str
) -> None:
    errors: list[str] = []
    window.services.on_error.append(errors.append)

    async def scenario() -> None:
        await open_demo(window, qtbot)
        probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = probe.sockets[0].getsockname()[1]
        probe.close()
        await probe.wait_closed()
        # a dead port: a sentence, and the button is Send again
        press(qtbot, window.tree.tree, Qt.Key.Key_T, CTRL)
        qtbot.keyClicks(window.editor.address, f"http://127.0.0.1:{port}/x")
        qtbot.keyClick(window.editor.address, Qt.Key.Key_Return)
        await settle(window, wait_for)
        assert window.response.state_name == "failure"
        assert "refused" in window.response.state.title.text().lower()
        assert window.editor.send_button.text() == "Send"
        # Esc during a slow body: cancelled, nothing typed lost
        window.editor.address.selectAll()
        qtbot.keyClicks(window.editor.address, f"{slow_server}/slow?delay=5")
        typed = window.editor.address.text()
        press(qtbot, window.editor.address, Qt.Key.Key_Return, CTRL)
        await wait_for(lambda: window.response.state_name == "sending", 5)
        press(qtbot, window.editor.address, Qt.Key.Key_Escape)
        await wait_for(lambda: window.response.state_name == "cancelled", 5)
        assert window.editor.address.full_text() == typed
        # closing a tab mid-request, then bringing it back
        window.send()
        tab = window.current_tab()
        assert tab is not None and tab.session.phase == "sending"
        press(qtbot, window.tree.tree, Qt.Key.Key_W, CTRL)
        assert tab not in window.tabs()
        await asyncio.sleep(0.2)
        reopened = window.reopen_closed_tab()
        assert reopened is not None and reopened.session is tab.session
        assert window.editor.address.full_text() == typed
        # quitting mid-request
        window.send()
        assert window.current_tab().session.phase == "sending"  # type: ignore[union-attr]
        window.close()
        await window.aclose()

    qloop.run_until_complete(scenario())
    assert errors == []


def test_every_window_key_is_claimed_once_and_listed(
    qtbot: Any, qloop: Any, window: MainWindow
) -> None:
    from explorer.ui.shortcuts import SHORTCUTS

    async def scenario() -> None:
        await open_demo(window, qtbot)
        window.tree.select_operation("GET /contacts")
        window.new_tab()
        for tab in window.tabs():
            tab.ensure_built()

    qloop.run_until_complete(scenario())
    claimed: dict[str, str] = {}
    window_wide = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)
    for action in window.findChildren(QAction):
        if action.shortcutContext() not in window_wide:
            continue
        for seq in action.shortcuts():
            key = seq.toString()
            assert key not in claimed, f"{key}: {claimed[key]} and {action.text()}"
            claimed[key] = action.text()
    for shortcut in window.findChildren(QShortcut):
        if shortcut.context() in window_wide:
            key = shortcut.key().toString()
            assert key not in claimed, f"{key} claimed twice"
            claimed[key] = "a QShortcut"
    declared = {QKeySequence(k).toString() for s in SHORTCUTS for k in s.keys}
    assert declared <= set(claimed)
    dialog = window.show_shortcuts()
    table = dialog.findChild(QWidget, "shortcutsTable")
    assert table is not None and table.rowCount() >= len([s for s in SHORTCUTS if s.keys])  # type: ignore[attr-defined]
    dialog.close()


def test_tab_keys_and_the_unsent_dot(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def scenario() -> None:
        await open_demo(window, qtbot)
        window.tree.select_operation("GET /contacts")
        await wait_for(lambda: window.current_op is not None, 5)
        assert "●" not in window.tab_widget.tabText(0)
        form = window.editor.params_form()
        assert form is not None
        row = form.row("q")
        assert row is not None
        qtbot.keyClicks(row.field.widget.findChild(QWidget) or row.field.widget, "ada")
        await wait_for(lambda: "●" in window.tab_widget.tabText(0), 3, "the unsent dot")
        # selecting another endpoint keeps the changed tab and opens a new one
        window.tree.select_operation("GET /health")
        await wait_for(lambda: len(window.tabs()) == 2, 3)
        window.send()
        await settle(window, wait_for)
        assert "●" not in window.tab_widget.tabText(1)
        # Ctrl+PgUp / Ctrl+Tab move between tabs; the tree follows
        press(qtbot, window.tree.filter_edit, Qt.Key.Key_PageUp, CTRL)
        assert window.tab_widget.currentIndex() == 0
        assert window.tree.current_operation() is window.current_op
        press(qtbot, window.tree.filter_edit, Qt.Key.Key_Tab, CTRL)
        assert window.tab_widget.currentIndex() == 1
        # Ctrl+W closes, Ctrl+Shift+T brings it back
        press(qtbot, window.tree.tree, Qt.Key.Key_W, CTRL)
        assert len(window.tabs()) == 1
        press(qtbot, window.tree.tree, Qt.Key.Key_T, CTRL | Qt.KeyboardModifier.ShiftModifier)
        assert len(window.tabs()) == 2 and window.current_op is not None
        assert window.current_op.key == "GET /health"
        # a middle click closes a tab
        bar = window.tab_widget.tabBar()
        qtbot.mouseClick(bar, Qt.MouseButton.MiddleButton, pos=bar.tabRect(1).center())
        assert len(window.tabs()) == 1

    qloop.run_until_complete(scenario())


def test_a_problem_never_moves_the_panels(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def scenario() -> None:
        await open_demo(window, qtbot)
        window.tree.select_operation("GET /contacts")
        await wait_for(lambda: window.current_op is not None, 5)
        tab = window.current_tab()
        assert tab is not None
        await asyncio.sleep(0.05)
        before = (tab.split.sizes(), window.split.sizes())
        window.send()  # no credential: a 401 problem document
        await settle(window, wait_for)
        assert window.response.problem is not None and window.response.problem_panel.isVisible()
        await asyncio.sleep(0.05)
        assert (tab.split.sizes(), window.split.sizes()) == before
        assert window.response.height() >= 160

    qloop.run_until_complete(scenario())


@pytest.fixture
def slow_server() -> Any:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "http"))
    from http_servers import serve

    gen = serve()
    server = next(gen)
    yield server.url
    gen.close()


def test_a_damaged_drafts_file_is_kept_aside_and_said_once(
    qtbot: Any, qloop: Any, window: MainWindow
) -> None:
    from explorer.store import Drafts

    drafts = Drafts(str(window.services.demo_spec))
    drafts.path.parent.mkdir(parents=True, exist_ok=True)
    drafts.path.write_bytes(b'{"operations": {"GET /contacts": ')  # a write cut short

    async def scenario() -> None:
        await open_demo(window, qtbot)

    qloop.run_until_complete(scenario())
    notice = window.findChild(QWidget, "notice")
    assert notice is not None and notice.isVisible()
    assert "damaged" in notice.text()  # type: ignore[attr-defined]
    assert list(drafts.path.parent.glob("*.damaged-*.json"))
    window.save_state()  # the new file does not touch the kept one
    assert len(list(drafts.path.parent.glob("*.damaged-*.json"))) == 1


def test_secrets_typed_anywhere_never_reach_the_disk(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, tmp_path: Path
) -> None:
    """A token in the Auth tab, an auth-like header, a password in a JSON body and a
    proxy password: kept for the session, never in drafts or saved tabs."""
    secrets = ["tok-SECRET-1", "hdr-SECRET-2", "pw-SECRET-3", "proxy-SECRET-4"]

    async def scenario() -> None:
        await open_demo(window, qtbot)
        window.tree.select_operation("POST /auth/login")
        await wait_for(lambda: window.current_op is not None, 5)
        editor = window.editor
        editor.body.set_text(json.dumps({"email": "demo@ecosire.com", "password": secrets[2]}))
        qtbot.keyClicks(editor.headers.rows[0].name, "X-Auth-Token")
        qtbot.keyClicks(editor.headers.rows[0].value, secrets[1])
        lock = editor.headers.rows[0].secret_button
        assert lock is not None and lock.isChecked()  # the name says it: locked by itself
        qtbot.keyClicks(editor.proxy_edit, f"http://me:{secrets[3]}@127.0.0.1:9")
        window.tree.select_operation("GET /contacts")  # a new tab: the first was changed
        await wait_for(lambda: len(window.tabs()) == 2, 5)
        qtbot.keyClicks(window.editor.auth.token_edit, secrets[0])
        # in memory, for this session: the login tab still has what was typed
        window.tab_widget.setCurrentIndex(0)
        assert secrets[2] in window.editor.body.text()
        window.save_state()

    qloop.run_until_complete(scenario())
    written = "".join(p.read_text() for p in (tmp_path / "data").rglob("*.json"))
    assert "X-Auth-Token" in written and "demo@ecosire.com" in written  # the rest is kept
    for secret in secrets:
        assert secret not in written, secret


def test_the_code_panel_collapses_and_comes_back(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def scenario() -> None:
        await open_demo(window, qtbot)
        window.tree.select_operation("GET /contacts")
        await wait_for(lambda: window.current_op is not None, 5)
        assert window.code.isVisible() and "curl" in window.code.text
        response_height = window.response.height()
        tab_width = window.current_tab().width()  # type: ignore[union-attr]
        qtbot.mouseClick(window.code.hide_button, Qt.MouseButton.LeftButton)
        await asyncio.sleep(0.05)
        assert not window.code.isVisible() and window.code_button.isVisible()
        assert window.current_tab().width() > tab_width  # type: ignore[union-attr]
        assert window.response.height() == response_height
        press(qtbot, window.tree.tree, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
        assert window.code.isVisible() and not window.code_button.isVisible()
        assert window.services.settings.get("window.code_panel") is True

    qloop.run_until_complete(scenario())


def test_references_outside_the_folder_are_read_only_with_consent(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, tmp_path: Path
) -> None:
    (tmp_path / "api" / "spec").mkdir(parents=True)
    (tmp_path / "api" / "common").mkdir()
    (tmp_path / "api" / "common" / "Error.json").write_text(
        json.dumps({"type": "object", "required": ["code"], "properties": {"code": {}}})
    )
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Split", "version": "1"},
        "servers": [{"url": "http://127.0.0.1:9"}],
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "default": {
                            "description": "an error",
                            "content": {
                                "application/json": {"schema": {"$ref": "../common/Error.json"}}
                            },
                        }
                    }
                }
            }
        },
    }
    path = tmp_path / "api" / "spec" / "openapi.json"
    path.write_text(json.dumps(doc))

    async def scenario() -> None:
        assert await window.open_source_async(str(path))
        bar = window.consent_bar
        assert bar.isVisible() and "outside its folder" in bar.label.text()
        window.tree.select_operation("GET /x")
        await wait_for(lambda: window.current_op is not None, 5)
        schema = window.current_op.responses[0].content[0].schema  # type: ignore[union-attr]
        assert schema is not None and "x-explorer-unresolved" in schema
        window.editor.query_rows.set_rows([("kept", "yes")])  # typed before consenting
        qtbot.mouseClick(bar.allow, Qt.MouseButton.LeftButton)
        await wait_for(lambda: not bar.isVisible(), 10, "the document read again")
        op = window.current_op
        assert op is not None and op.key == "GET /x"
        schema = op.responses[0].content[0].schema
        assert schema is not None and schema.get("required") == ["code"]
        assert ("kept", "yes", False) in window.editor.query_rows.items()

    qloop.run_until_complete(scenario())


def test_the_code_panel_shows_an_unfinished_request_and_says_why(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def scenario() -> None:
        await open_demo(window, qtbot)
        window.tree.select_operation("GET /contacts/{contactId}")
        await wait_for(lambda: window.current_op is not None, 5)
        form = window.editor.params_form()
        assert form is not None
        form.set_values({"contactId": ""})  # it opens filled (the document's example)
        window.refresh_code()
        assert window.code.text.startswith("curl ")
        assert "/contacts/{contactId}" in window.code.text
        assert "contactId" in window.code.note.text() and window.code.note.isVisible()
        form.set_values({"contactId": "con_1"})
        window.refresh_code()
        assert "/contacts/con_1" in window.code.text and "{" not in window.code.text
        assert "Not ready" not in window.code.note.text()

    qloop.run_until_complete(scenario())
