"""Every kind of credential through the whole window, checked where it arrives (issue 8,
"Tests and proof"): the demo's cookie session (log in by hand, the HttpOnly cookie sent
back, seen and cleared in the manager); a document of our own served by `explorer mock`
with HTTP basic, HTTP digest (really verified), an API key in the query and in a cookie,
two keys together (AND), basic or bearer (OR) and an endpoint that needs none; the
production confirmation; a restart that is still authenticated; and no secret in any
file the app wrote. Each slot is filled on the Auth tab's cards as a person does (typed,
then the field is left), each request sent with Ctrl+Enter, and what the server received
is compared with exactly what the security requirement asks for. The secrets go through
the real `keyring` API (gnome-keyring's Secret Service in CI)."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets as random
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from credential_servers import (
    DIGEST_PATH,
    Arrival,
    DigestCheck,
    Front,
    Served,
    document,
    recorded_demo,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton, QToolButton
from test_stored_credentials import PASSWORD, activated, choose_environment

from explorer.http import ResponseResult
from explorer.mock import create_app
from explorer.spec import load
from explorer.ui.environments import EnvironmentsDialog
from explorer.ui.main_window import MainWindow, build_window
from explorer.ui.request.slots import SlotCard
from explorer.workbench import Services

Wait = Callable[..., Coroutine[Any, Any, None]]
CTRL = Qt.KeyboardModifier.ControlModifier
AUTH_TAB = 3


def _secret(prefix: str) -> str:
    return f"{prefix}-{random.token_urlsafe(12)}"


class Person:
    """Drives one window as a person would, and checks what each request delivered."""

    def __init__(self, window: MainWindow, qtbot: Any, wait_for: Wait, front: Front) -> None:
        self.window = window
        self.qtbot = qtbot
        self.wait_for = wait_for
        self.front = front
        self.secrets: set[str] = set()
        """Every secret in play so far: none may arrive where it is not asked for."""

    async def open(self, source: str | None) -> None:
        assert await self.window.open_initial(source)
        self.window.activateWindow()
        await activated(self.window)

    async def select(self, key: str) -> None:
        window = self.window
        assert window.tree.select_operation(key), key
        await self.wait_for(
            lambda: window.current_op is not None and window.current_op.key == key, 5, key
        )
        window.editor.tabs.setCurrentIndex(AUTH_TAB)

    async def card(self, scheme: str) -> SlotCard:
        slots = self.window.editor.slots
        await self.wait_for(lambda: scheme in slots.cards, 5, f"the card of {scheme}")
        card = slots.cards[scheme]
        await self.wait_for(lambda: card.view is not None, 5, f"{scheme} read from the keyring")
        return card

    async def type_into(self, scheme: str, part: str, value: str) -> None:
        """Type into a field of a slot's card and leave the field (Tab); wait until what
        was typed is kept (a secret in the keyring, a username in the environment)."""
        card = await self.card(scheme)
        edit = card.edits[part]
        secret = part != "username"
        assert isinstance(edit, QLineEdit)
        assert (edit.echoMode() == QLineEdit.EchoMode.Password) is secret, part
        edit.setFocus()
        await self.wait_for(edit.hasFocus, 5, f"the focus in {scheme}/{part}")
        edit.selectAll()
        self.qtbot.keyClicks(edit, value)
        self.qtbot.keyClick(edit, Qt.Key.Key_Tab)
        await self.wait_for(lambda: not edit.hasFocus(), 5, "the field left")
        creds = self.window.credentials
        assert creds is not None
        if secret:
            self.secrets.add(value)
            await self.wait_for(lambda: creds.cached(scheme, part) == value, 5, "the keyring")
            await self.wait_for(lambda: card.view is not None and card.view.filled, 5, "filled")
        else:
            assert creds.slot(scheme).username == value

    def press_send(self) -> None:
        self.qtbot.keyClick(self.window.tree.tree, Qt.Key.Key_Return, CTRL)

    async def send(self, status: int) -> tuple[ResponseResult, list[Arrival]]:
        """Ctrl+Enter; the answer (of `status`) and what the server received for it."""
        window = self.window
        tab = window.current_tab()
        assert tab is not None
        window.activateWindow()  # a dialog closed a moment ago may still hold the activation
        await activated(window)
        generation, count = tab.session.generation, len(self.front.seen)
        self.press_send()
        assert tab.session.generation > generation, "Ctrl+Enter sent nothing"
        await self.wait_for(lambda: tab.session.phase not in ("idle", "sending"), 15, "the answer")
        result = tab.session.result
        assert isinstance(result, ResponseResult), (tab.session.phase, tab.session.error)
        assert result.status == status, (result.status, result.body[:300])
        return result, self.front.since(count)

    def delivered(self, arrivals: list[Arrival], expected: dict[str, str]) -> None:
        """The request arrived carrying exactly `expected` (its carrier headers and query)
        and no secret anywhere else (headers, query, body)."""
        assert arrivals, "nothing arrived"
        last = arrivals[-1]
        assert last.carried() == expected, last.carried()
        for arrival in arrivals:
            text = arrival.text()
            for secret in self.secrets:
                if not any(secret in v for v in expected.values()) or arrival is not last:
                    assert secret not in text, (arrival.path, secret[:8], arrival.carried())


def test_every_kind_of_credential_arrives_as_asked_survives_a_restart_and_stays_out_of_files(
    qtbot: Any,
    qloop: Any,
    wait_for: Wait,
    window: MainWindow,
    tmp_path: Path,
    fresh_services: Callable[[], Services],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in list(os.environ):  # no secret may come from this machine's variables
        if name.startswith(("ECOSIRE_", "EVERY_CREDENTIAL_KIND_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    bearer, basic_pw, digest_pw = _secret("bearer"), _secret("basic"), _secret("digest")
    query_key, cookie_key = _secret("query"), _secret("cookie")
    key_a, key_b, production_a = _secret("key-a"), _secret("key-b"), _secret("prod-a")
    front = Front(digest=DigestCheck("ada", digest_pw))
    served = Served(front)
    path = tmp_path / "kinds.json"
    path.write_text(json.dumps(document(served.url), indent=1))
    front.target = create_app(load(str(path)))
    demo, demo_front = recorded_demo(str(window.services.demo_spec))
    window.services.mock = demo  # type: ignore[assignment]  # the window starts the demo on it
    found: set[str] = {PASSWORD}  # secrets that came from the servers (tokens, cookies)
    person = Person(window, qtbot, wait_for, demo_front)

    async def cookie_session() -> None:
        """The demo: a login by hand sets the HttpOnly cookie; the cookie slot sends it
        back, and only where the security requirement asks for it; the manager shows the
        jar and clearing it stops sending it; a bearer then goes alone."""
        await person.open(None)
        creds = window.credentials
        assert creds is not None and creds.env.name == "development"
        await person.select("GET /contacts")
        card = await person.card("cookieAuth")
        assert card.kind() == "cookie" and not card.view.filled  # type: ignore[union-attr]
        _, arrived = await person.send(401)
        person.delivered(arrived, {})

        async def log_in_by_hand() -> str:
            await person.select("POST /auth/login")
            assert "needs no credential" in window.editor.slots.uses.text()
            login, arrived = await person.send(200)
            assert [a.path for a in arrived] == ["/api/auth/login"]
            assert arrived[0].carried() == {}  # the login carries no credential, no cookie
            cookie = next(v for k, v in login.headers if k.lower() == "set-cookie")
            assert "HttpOnly" in cookie and cookie.startswith("ecosire_auth=")
            value = cookie.split(";")[0].removeprefix("ecosire_auth=")
            found.update({value, json.loads(login.body)["token"]})
            return value

        value = await log_in_by_hand()
        person.secrets.update(found)
        await person.select("GET /contacts")
        card = await person.card("cookieAuth")
        assert card.view is not None and card.view.filled and "cookie jar" in card.status.text()
        await wait_for(lambda: "cookieAuth" in window.editor.slots.uses.text(), 5, "the slot used")
        _, arrived = await person.send(200)
        person.delivered(arrived, {"cookie": f"ecosire_auth={value}"})  # and no bearer, no key
        value = await log_in_by_hand()  # again: the jar's cookie does not go along
        person.secrets.update(found)

        # the jar in the manager: the cookie's name and flags, never its value; cleared there
        button = window.env_bar.findChild(QToolButton, "manageEnvironments")
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        dialog = window.findChild(EnvironmentsDialog)
        assert dialog is not None and dialog.isVisible()
        table = dialog.cookies
        assert table.rowCount() == 1
        cells = [table.item(0, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
        assert cells[0] == "ecosire_auth" and cells[1] == "127.0.0.1" and "HttpOnly" in cells[4]
        assert not any(value in c for c in cells)
        slots = dialog.slots  # the slot that was used, with its use counted
        row = next(r for r in range(slots.rowCount()) if slots.item(r, 0).text() == "cookieAuth")  # type: ignore[union-attr]
        used = [slots.item(row, c).text() for c in range(slots.columnCount())]  # type: ignore[union-attr]
        assert used[1] == "Cookie session" and used[2] == "1" and used[4] != "never", used
        qtbot.mouseClick(dialog.clear_cookies, Qt.MouseButton.LeftButton)
        assert table.rowCount() == 0 and not dialog.clear_cookies.isEnabled()
        assert creds.jar_cookies() == []
        jar = creds.secret_key("@cookies", "jar")
        for _ in range(500):  # the emptied jar is kept in the keyring too
            if await creds.secrets.get(jar) == "[]":
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("the emptied jar never reached the keyring")
        dialog.close()
        await person.select("GET /contacts")
        _, arrived = await person.send(401)
        person.delivered(arrived, {})  # no cookie any more

        # the login slot logs in by itself (its reply sets the cookie again): the request
        # then carries the bearer token, the first alternative, and not the cookie as well
        await person.type_into("bearerAuth", "password", PASSWORD)
        _, arrived = await person.send(200)
        assert [(a.method, a.path) for a in arrived] == [
            ("POST", "/api/auth/login"),
            ("GET", "/api/contacts"),
        ]
        assert arrived[0].carried() == {}
        token = creds.cached("bearerAuth", "token")
        assert token and creds.jar_cookies(), "the slot's login sets the cookie too"
        found.add(token)
        person.secrets.update(found)
        person.delivered(arrived[1:], {"authorization": f"Bearer {token}"})

    async def every_kind() -> None:
        """Our document: each way of asking for credentials, filled on the cards."""
        person.front = front
        await person.open(str(path))
        creds = window.credentials
        assert creds is not None and creds.env.name == "development"

        # OR (basic or bearer), only bearer filled: the bearer token and nothing else
        await person.select("GET /either")
        assert set(window.editor.slots.cards) == {"basicAuth", "bearer"}
        _, arrived = await person.send(401)
        person.delivered(arrived, {})
        await person.type_into("bearer", "token", bearer)
        _, arrived = await person.send(200)
        person.delivered(arrived, {"authorization": f"Bearer {bearer}"})

        # HTTP basic: exactly the pair typed
        await person.select("GET /basic")
        await person.type_into("basicAuth", "username", "ada-basic")
        await person.type_into("basicAuth", "password", basic_pw)
        _, arrived = await person.send(200)
        pair = base64.b64encode(f"ada-basic:{basic_pw}".encode()).decode()
        person.delivered(arrived, {"authorization": f"Basic {pair}"})
        # ... and now the OR's first alternative can be met: basic alone, no bearer
        await person.select("GET /either")
        _, arrived = await person.send(200)
        person.delivered(arrived, {"authorization": f"Basic {pair}"})

        # HTTP digest: the server challenges, the answer is checked against the password
        await person.select(f"GET {DIGEST_PATH}")
        card = await person.card("digestAuth")
        assert card.kind() == "digest"
        await person.type_into("digestAuth", "username", "ada")
        await person.type_into("digestAuth", "password", digest_pw)
        result, arrived = await person.send(200)
        assert json.loads(result.body) == {"user": "ada"}
        assert front.digest is not None and front.digest.accepted == ["ada"]
        assert arrived[0].carried() == {}  # the first try, answered by the challenge
        answer = arrived[-1].carried()
        assert set(answer) == {"authorization"} and answer["authorization"].startswith("Digest ")
        assert 'username="ada"' in answer["authorization"]
        person.delivered(arrived, answer)  # the password itself never travels

        # an API key in the query
        await person.select("GET /query-key")
        await person.type_into("queryKey", "key", query_key)
        _, arrived = await person.send(200)
        person.delivered(arrived, {"?": f"api_key={query_key}"})

        # an API key in a cookie
        await person.select("GET /cookie-key")
        await person.type_into("cookieKey", "key", cookie_key)
        _, arrived = await person.send(200)
        person.delivered(arrived, {"cookie": f"session_key={cookie_key}"})

        # AND: one key is not enough; both arrive together
        await person.select("GET /both")
        assert set(window.editor.slots.cards) == {"keyA", "keyB"}
        await person.type_into("keyA", "key", key_a)
        _, arrived = await person.send(401)
        person.delivered(arrived, {"x-key-a": key_a})
        await person.type_into("keyB", "key", key_b)
        await wait_for(
            lambda: "keyA + keyB" in window.editor.slots.uses.text(), 5, "both slots used"
        )
        _, arrived = await person.send(200)
        person.delivered(arrived, {"x-key-a": key_a, "x-key-b": key_b})

        # `security: []` over a document-wide bearer: nothing at all, with every slot filled
        await person.select("GET /public")
        assert window.editor.slots.cards == {}
        assert "needs no credential" in window.editor.slots.uses.text()
        _, arrived = await person.send(200)
        person.delivered(arrived, {})

    async def production() -> None:
        """Production: its own slots; a GET goes at once, a POST asks first."""
        creds = window.credentials
        assert creds is not None
        choose_environment(window, qtbot, "production")
        assert window.env_bar.badge.isVisible()
        await person.select("GET /things")
        _, arrived = await person.send(401)  # development's key stays in development
        person.delivered(arrived, {})
        await person.type_into("keyA", "key", production_a)
        _, arrived = await person.send(200)
        person.delivered(arrived, {"x-key-a": production_a})
        assert window.confirm_box is None  # a GET does not ask

        await person.select("POST /things")
        tab = window.current_tab()
        assert tab is not None
        generation, count = tab.session.generation, len(front.seen)
        person.press_send()
        await wait_for(lambda: window.confirm_box is not None, 5, "the confirmation")
        box = window.confirm_box
        assert box is not None and "production" in box.text() and "POST" in box.text()
        qtbot.keyClick(box, Qt.Key.Key_Escape)  # No
        await wait_for(lambda: window.confirm_box is None, 5, "the box closed")
        await asyncio.sleep(0.3)
        assert tab.session.generation == generation and len(front.seen) == count  # not sent
        assert "Not sent to production" in window._status_label.text()

        window.activateWindow()
        await activated(window)
        person.press_send()
        await wait_for(lambda: window.confirm_box is not None, 5, "the confirmation again")
        box = window.confirm_box
        assert box is not None
        send_button = next(
            b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == "Send"
        )
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        qtbot.mouseClick(send_button, Qt.MouseButton.LeftButton)  # Yes
        await wait_for(lambda: tab.session.generation > generation, 5, "sent")
        await wait_for(lambda: tab.session.phase not in ("idle", "sending"), 15, "the answer")
        result = tab.session.result
        assert isinstance(result, ResponseResult) and result.status == 200, result
        arrived = front.since(count)
        assert [a.method for a in arrived] == ["POST"]
        assert json.loads(arrived[0].body) == {"name": "widget"}
        person.delivered(arrived, {"x-key-a": production_a})
        assert creds.secrets.problem == "" and creds.secrets.available, creds.secrets.problem
        window.save_state()
        window.services.save()

    try:
        qloop.run_until_complete(cookie_session())
        qloop.run_until_complete(every_kind())
        qloop.run_until_complete(production())
    finally:
        window.close()
        qloop.run_until_complete(window.aclose())

    # a restart: the environment in use and the slots come back from disk and the keyring
    services = fresh_services()
    again = build_window(services)
    again.show()
    person = Person(again, qtbot, wait_for, front)

    async def restart() -> None:
        await person.open(str(path))
        creds = again.credentials
        assert creds is not None and creds.env.name == "production"
        assert again.env_bar.badge.isVisible()
        await person.select("GET /things")
        card = await person.card("keyA")
        assert card.view is not None and card.view.filled and card.view.source == "keyring"
        assert card.edits["key"].text() == production_a  # shown masked, read from the keyring
        person.secrets.update(found | {bearer, basic_pw, digest_pw, query_key, cookie_key})
        person.secrets.update({key_a, key_b, production_a})
        _, arrived = await person.send(200)
        person.delivered(arrived, {"x-key-a": production_a})

        choose_environment(again, qtbot, "development")
        await person.select("GET /both")
        for scheme in ("keyA", "keyB"):
            card = await person.card(scheme)
            assert card.view is not None and card.view.filled and card.view.source == "keyring"
        _, arrived = await person.send(200)
        person.delivered(arrived, {"x-key-a": key_a, "x-key-b": key_b})
        await person.select("GET /basic")
        card = await person.card("basicAuth")
        assert card.view is not None and card.view.filled and card.view.source == "keyring"
        assert card.edits["username"].text() == "ada-basic"
        _, arrived = await person.send(200)
        pair = base64.b64encode(f"ada-basic:{basic_pw}".encode()).decode()
        person.delivered(arrived, {"authorization": f"Basic {pair}"})
        await person.select(f"GET {DIGEST_PATH}")
        await person.send(200)
        again.save_state()

    try:
        qloop.run_until_complete(restart())
    finally:
        again.close()
        qloop.run_until_complete(again.aclose())
        qloop.run_until_complete(services.aclose())
        served.stop()

    # no secret in any file the app wrote: settings, environments, drafts, open tabs, usage,
    # history (requests and replies), the parse cache
    every = found | {bearer, basic_pw, digest_pw, query_key, cookie_key, key_a, key_b}
    every.add(production_a)
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != path]
    names = {p.relative_to(tmp_path).parts[0] for p in written}
    assert {"data", "config", "settings.json"} <= names, names
    drafts = [p for p in written if "drafts" in p.parts]
    assert drafts, written
    environments = next(p for p in written if p.name == "environments.json").read_text()
    assert "ada-basic" in environments  # the files read are the right ones
    assert any("/both" in p.read_text() for p in drafts)
    history = [p for p in written if p.name.startswith("history")]
    assert any(b"/query-key" in p.read_bytes() for p in history), history  # requests kept
    for file in written:
        text = file.read_bytes().decode("utf-8", "replace")
        for secret in every:
            assert secret not in text, (file, secret[:10])
