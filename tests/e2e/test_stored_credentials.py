"""Stored credentials through the whole window, as issue 8 says a new user goes: pick
production, store an API key, send and be authenticated; switch to development, log in
once with email and password and stay authenticated (also after the token expires);
restart and still be signed in; and find no secret in any file the app wrote. The
secrets go through the real `keyring` API (gnome-keyring's Secret Service in CI)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from explorer.http import ResponseResult
from explorer.ui.main_window import MainWindow, build_window
from explorer.workbench import Services

Wait = Callable[..., Coroutine[Any, Any, None]]
CTRL = Qt.KeyboardModifier.ControlModifier
PASSWORD = "demo-password"


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
    window.activateWindow()
    await activated(window)


def issue_api_key(base: str) -> str:
    """An API key issued by the demo (logged in as the demo user): set-up, not the test."""
    with httpx.Client(base_url=base, timeout=10) as client:
        token = client.post(
            "/auth/login", json={"email": "demo@ecosire.com", "password": PASSWORD}
        ).json()["token"]
        made = client.post(
            "/api-keys",
            json={"name": "e2e", "scope": "read-write"},
            headers={"Authorization": f"Bearer {token}"},
        )
        made.raise_for_status()
        body = made.json()
        key = body.get("key") or body.get("secret") or body.get("apiKey")
        assert isinstance(key, str) and key.startswith("ecos_"), body
        return key


def choose_environment(window: MainWindow, qtbot: Any, name: str) -> None:
    combo = window.env_bar.combo
    index = combo.findText(name)
    assert index >= 0, name
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert window.credentials is not None and window.credentials.env.name == name


async def type_secret(
    qtbot: Any, window: MainWindow, wait_for: Wait, scheme: str, part: str, value: str
) -> None:
    """Type a secret into a slot card of the Auth tab and leave the field, as a person would."""
    window.editor.tabs.setCurrentIndex(3)  # Auth
    await wait_for(lambda: scheme in window.editor.slots.cards, 5, "the slot cards")
    card = window.editor.slots.cards[scheme]
    await wait_for(lambda: part in card.edits, 5, f"the {part} field")
    edit = card.edits[part]
    assert isinstance(edit, QLineEdit) and edit.echoMode() == QLineEdit.EchoMode.Password
    edit.setFocus()
    edit.clear()
    qtbot.keyClicks(edit, value)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    creds = window.credentials
    assert creds is not None
    await wait_for(lambda: creds.cached(scheme, part) == value, 5, "the keyring to keep it")


async def send(window: MainWindow, qtbot: Any, wait_for: Wait) -> ResponseResult:
    tab = window.current_tab()
    assert tab is not None
    window.activateWindow()  # a dialog closed a moment ago may still hold the activation
    await activated(window)
    generation = tab.session.generation
    qtbot.keyClick(window.tree.tree, Qt.Key.Key_Return, CTRL)
    assert tab.session.generation > generation, "Ctrl+Enter sent nothing"
    await wait_for(lambda: tab.session.phase not in ("idle", "sending"), 15, "the answer")
    assert isinstance(tab.session.result, ResponseResult), (tab.session.phase, tab.session.error)
    return tab.session.result


def test_production_api_key_development_login_restart_and_no_secret_in_files(
    qtbot: Any,
    qloop: Any,
    wait_for: Wait,
    window: MainWindow,
    tmp_path: Path,
    fresh_services: Callable[[], Services],
) -> None:
    secrets: list[str] = [PASSWORD]

    async def scenario() -> None:
        await open_demo(window, qtbot)
        assert window.env_bar.isVisible() and window.env_bar.combo.currentText() == "development"
        mock = window.services.mock
        assert mock is not None
        key = await asyncio.to_thread(issue_api_key, mock.api_url)
        secrets.append(key)

        # production: marked; an API key stored once; sent and authenticated
        choose_environment(window, qtbot, "production")
        assert window.env_bar.badge.isVisible()
        window.tree.select_operation("GET /contacts")
        await wait_for(lambda: window.current_op is not None, 5)
        assert not window.editor.slots.isHidden()
        assert set(window.editor.slots.cards) == {"bearerAuth", "apiKey", "cookieAuth", "oauth2"}
        card = window.editor.slots.cards["apiKey"]
        await wait_for(lambda: card.view is not None, 5, "the slot read from the keyring")
        assert not card.view.filled and "ECOSIRE_API_KEY" in card.status.text()  # type: ignore[union-attr]
        assert (await send(window, qtbot, wait_for)).status == 401  # nothing stored yet
        await type_secret(qtbot, window, wait_for, "apiKey", "token", key)
        result = await send(window, qtbot, wait_for)
        assert result.status == 200
        assert dict(result.request.headers)["Authorization"] == f"Bearer {key}"
        # a request that changes things asks first, in production
        window.tree.select_operation("POST /contacts")
        await wait_for(
            lambda: window.current_op is not None and window.current_op.method == "POST", 5
        )
        before = mock.app.served
        qtbot.keyClick(window.tree.tree, Qt.Key.Key_Return, CTRL)
        await wait_for(lambda: window.confirm_box is not None, 5, "the confirmation")
        box = window.confirm_box
        assert box is not None and "production" in box.text()
        box.reject()  # Cancel
        await asyncio.sleep(0.2)
        assert mock.app.served == before and window.confirm_box is None

        # development: no key here; log in once with the password, then stay logged in
        choose_environment(window, qtbot, "development")
        assert not window.env_bar.badge.isVisible()
        window.tree.select_operation("GET /contacts")
        await wait_for(
            lambda: window.current_op is not None and window.current_op.method == "GET", 5
        )
        nothing = await send(window, qtbot, wait_for)
        assert nothing.status == 401, nothing.request.headers
        await type_secret(qtbot, window, wait_for, "bearerAuth", "password", PASSWORD)
        first = await send(window, qtbot, wait_for)
        assert first.status == 200
        creds = window.credentials
        assert creds is not None
        token = creds.cached("bearerAuth", "token")
        assert token and dict(first.request.headers)["Authorization"] == f"Bearer {token}"
        secrets.append(token)
        served = mock.app.served
        assert (await send(window, qtbot, wait_for)).status == 200
        assert mock.app.served == served + 1  # no second login
        # a day later the token has expired: the window logs in again by itself
        creds.clock = lambda: time.time() + 25 * 3600
        await asyncio.sleep(1.1)  # a new token needs a new second on the server
        later = await send(window, qtbot, wait_for)
        assert later.status == 200 and creds.cached("bearerAuth", "token") != token
        secrets.append(str(creds.cached("bearerAuth", "token")))
        creds.clock = time.time
        assert creds.secrets.problem == "" and creds.secrets.available, creds.secrets.problem
        window.save_state()
        window.services.save()

    qloop.run_until_complete(scenario())
    window.close()
    qloop.run_until_complete(window.aclose())

    # a restart: the environment in use and the login come back from disk and the keyring
    services = fresh_services()
    again = build_window(services)
    again.show()

    async def restart() -> None:
        await open_demo(again, qtbot)
        assert again.env_bar.combo.currentText() == "development"
        again.tree.select_operation("GET /contacts")
        await wait_for(lambda: again.current_op is not None, 5)
        assert again.services.mock is not None
        served = again.services.mock.app.served
        result = await send(again, qtbot, wait_for)
        assert result.status == 200
        creds = again.credentials
        assert creds is not None
        assert again.services.mock.app.served == served + 1, (  # the stored token, no login
            creds.login_failures,
            {k: (v or "")[:20] for k, v in creds._cache.items()},
        )

    try:
        qloop.run_until_complete(restart())
    finally:
        again.close()
        qloop.run_until_complete(again.aclose())
        qloop.run_until_complete(services.aclose())

    # no secret in any file the app wrote
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written
    for path in written:
        text = path.read_bytes().decode("utf-8", "replace")
        for secret in secrets:
            assert secret not in text, (path, secret[:12])
