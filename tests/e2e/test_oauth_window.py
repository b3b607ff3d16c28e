"""OAuth 2.0 / OpenID Connect through the whole window, as issue 8 says: a document whose
security scheme is the real OpenID provider (oidc-provider on 127.0.0.1), an API that
checks every bearer token with that provider, and a person who fills the Auth tab's card,
clicks Sign in (the test plays the browser: only `QDesktopServices.openUrl` is replaced, to
take the URL), sends, waits for the token to expire at the provider, sends again, restarts
and is still signed in; a client-credentials slot that needs no person; and no token or
client secret in any file the app wrote. Secrets go through the real keyring
(gnome-keyring's Secret Service in CI)."""

from __future__ import annotations

import asyncio
import re
import socket
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLineEdit
from test_stored_credentials import activated, send

from explorer.http import ResponseResult
from explorer.http.oauth import TokenSet
from explorer.ui.main_window import MainWindow, build_window
from explorer.ui.request.slots import SlotCard
from explorer.workbench import Services

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / d) for d in ("http", "workbench")]

from oauth_api import (  # noqa: E402, F401  (the fixtures `provider` and `api` too)
    SERVICE,
    SERVICE_SECRET,
    ProtectedApi,
    api_fixture,
    document,
    provider_fixture,
    token_active,
)
from oidc_peer import LOGIN, Browser, Provider  # noqa: E402

Wait = Callable[..., Coroutine[Any, Any, None]]
BRIEF = "explorer-brief"  # a public client whose access tokens live 8 s at the provider


class SystemBrowser:
    """Stands in for `QDesktopServices.openUrl`: takes the URL and lets the person (the
    test's `Browser`, real HTTP) sign in and consent there, as the system browser would."""

    def __init__(self, issuer: str) -> None:
        self.person = Browser(issuer)
        self.opened: list[str] = []
        self.visits: list[asyncio.Task[None]] = []

    def __call__(self, url: QUrl) -> bool:
        text = bytes(url.toEncoded().data()).decode()
        self.opened.append(text)
        self.visits.append(asyncio.ensure_future(self.person(text)))
        return True


async def open_document(window: MainWindow, path: Path, wait_for: Wait, op: str) -> None:
    assert await window.open_initial(str(path))
    window.activateWindow()
    await activated(window)
    assert window.tree.select_operation(op)
    await wait_for(lambda: window.current_op is not None and window.current_op.key == op, 5)
    window.editor.tabs.setCurrentIndex(3)  # Auth


async def card_of(window: MainWindow, wait_for: Wait, scheme: str) -> SlotCard:
    await wait_for(lambda: scheme in window.editor.slots.cards, 5, "the slot cards")
    card = window.editor.slots.cards[scheme]
    await wait_for(lambda: card.view is not None, 5, "the slot read from the keyring")
    return card


def type_into(qtbot: Any, edit: QLineEdit, text: str) -> None:
    """Replace a field's text as a person would, and leave it with Return."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def arrived(result: ResponseResult) -> str:
    return dict(result.request.headers)["Authorization"].removeprefix("Bearer ")


def test_sign_in_send_expire_refresh_restart_and_no_secret_in_files(
    qtbot: Any,
    qloop: Any,
    wait_for: Wait,
    window: MainWindow,
    tmp_path: Path,
    fresh_services: Callable[[], Services],
    provider: Provider,
    api: ProtectedApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "protected.json"
    path.write_bytes(document(provider.issuer, api.url))
    browser = SystemBrowser(provider.issuer)
    monkeypatch.setattr(QDesktopServices, "openUrl", browser)
    secrets: list[str] = [SERVICE_SECRET]

    async def scenario() -> None:
        await open_document(window, path, wait_for, "GET /whoami")
        card = await card_of(window, wait_for, "login")
        # the card as the document makes it: OpenID Connect, its discovery URL, "openid"
        assert card.kind() == "oauth2" and card.flow_combo is not None
        assert card.flow_combo.count() == 3  # code with PKCE, client credentials, device
        assert card.oauth_edits["issuer"].text().endswith("/.well-known/openid-configuration")
        assert card.oauth_edits["scopes"].text() == "openid"
        assert card.redirect is not None and card.redirect.text() == "http://127.0.0.1/callback"
        assert card.oauth_state.text() == "Not signed in"
        secret_edit = card.edits["client_secret"]
        assert secret_edit.echoMode() == QLineEdit.EchoMode.Password
        assert (await send(window, qtbot, wait_for)).status == 401  # not signed in yet

        # the person fills the card and signs in; the browser does the rest
        type_into(qtbot, card.oauth_edits["client_id"], BRIEF)
        type_into(qtbot, card.oauth_edits["scopes"], "openid offline_access")
        assert card.sign_in_button is not None and card.cancel_button is not None
        qtbot.mouseClick(card.sign_in_button, Qt.MouseButton.LeftButton)
        await wait_for(lambda: card.cancel_button.isVisible(), 5, "the Cancel button")
        assert "browser" in card.status.text()
        await wait_for(
            lambda: card.oauth_state.text().startswith(f"Signed in as {LOGIN}"),
            30,
            "the sign-in",
        )
        assert "refresh token present" in card.oauth_state.text()
        assert "expires in" in card.oauth_state.text()
        assert not card.cancel_button.isVisible() and card.sign_in_button.isEnabled()
        assert len(browser.opened) == 1 and "code_challenge_method=S256" in browser.opened[0]
        creds = window.credentials
        assert creds is not None
        tokens = TokenSet.from_json(str(creds.cached("login", "tokens")))
        secrets.extend([tokens.access_token, tokens.refresh_token, tokens.id_token])

        # a request arrives with the access token
        # (renewed 1 s before it expires rather than 30 s: these tokens live 8 s)
        creds.oauth_leeway = 1.0
        first = await send(window, qtbot, wait_for)
        assert first.status == 200, first.body
        assert arrived(first) == tokens.access_token == api.seen[-1]
        seen = len(api.seen)
        # the token expires at the provider; the next request is renewed by itself
        for _ in range(300):
            if not await token_active(provider.issuer, tokens.access_token):
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the 8 s access token never expired")
        later = await send(window, qtbot, wait_for)
        assert later.status == 200, later.body
        assert arrived(later) != tokens.access_token
        assert api.seen[seen:] == [arrived(later)]  # the expired token was never sent
        renewed = TokenSet.from_json(str(creds.cached("login", "tokens")))
        assert renewed.refresh_token != tokens.refresh_token  # rotated, and kept
        secrets.extend([renewed.access_token, renewed.refresh_token, arrived(later)])
        assert len(browser.opened) == 1  # no person needed for that

        # a client-credentials slot: client ID and secret, and a token comes by itself
        assert window.tree.select_operation("GET /service/whoami")
        await wait_for(
            lambda: window.current_op is not None and window.current_op.path.startswith("/s"), 5
        )
        service = await card_of(window, wait_for, "service")
        assert service.flow_combo is not None and service.flow_combo.count() == 1
        assert service.redirect is None  # no browser in this flow
        type_into(qtbot, service.oauth_edits["client_id"], SERVICE)
        type_into(qtbot, service.edits["client_secret"], SERVICE_SECRET)
        await wait_for(
            lambda: creds.cached("service", "client_secret") == SERVICE_SECRET, 5, "the keyring"
        )
        machine = await send(window, qtbot, wait_for)
        assert machine.status == 200, machine.body
        assert '"client_id":"explorer-service"' in machine.body.decode().replace(" ", "")
        secrets.append(arrived(machine))
        assert len(browser.opened) == 1
        assert creds.secrets.problem == "" and creds.secrets.available, creds.secrets.problem
        window.save_state()

    qloop.run_until_complete(scenario())
    window.close()
    qloop.run_until_complete(window.aclose())

    # a restart: the settings from disk, the tokens from the keyring: still signed in
    services = fresh_services()
    again = build_window(services)
    again.show()

    async def restart() -> None:
        await open_document(again, path, wait_for, "GET /whoami")
        card = await card_of(again, wait_for, "login")
        assert card.oauth_edits["client_id"].text() == BRIEF
        assert card.oauth_edits["scopes"].text() == "openid offline_access"
        assert card.oauth_state.text().startswith(f"Signed in as {LOGIN}"), card.oauth_state.text()
        result = await send(again, qtbot, wait_for)
        assert result.status == 200, result.body
        assert len(browser.opened) == 1  # no new sign-in
        creds = again.credentials
        assert creds is not None
        kept = TokenSet.from_json(str(creds.cached("login", "tokens")))
        secrets.extend([kept.access_token, kept.refresh_token])
        # signing out forgets the tokens: the card says so, and nothing is sent
        assert card.sign_out_button is not None
        qtbot.mouseClick(card.sign_out_button, Qt.MouseButton.LeftButton)
        await wait_for(lambda: card.oauth_state.text() == "Not signed in", 5, "the sign-out")
        assert creds.cached("login", "tokens") is None
        assert await creds.secrets.get(creds._name("login", "tokens")) is None
        again.save_state()

    try:
        qloop.run_until_complete(restart())
    finally:
        again.close()
        qloop.run_until_complete(again.aclose())
        qloop.run_until_complete(services.aclose())
    for visit in browser.visits:
        assert visit.done() and visit.exception() is None

    # no token and no client secret in any file the app wrote
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != path]
    assert any(p.name == "environments.json" for p in written)
    for file in written:
        text = file.read_bytes().decode("utf-8", "replace")
        for secret in secrets:
            assert secret not in text, (file, secret[:12])
    environments = next(p for p in written if p.name == "environments.json").read_text()
    assert BRIEF in environments and SERVICE in environments  # the settings are there


class Forger:
    """A page that is not the provider calls our redirect with a state of its own."""

    def __init__(self) -> None:
        self.visits: list[asyncio.Task[None]] = []

    def __call__(self, url: QUrl) -> bool:
        text = bytes(url.toEncoded().data()).decode()
        redirect = parse_qs(urlsplit(text).query)["redirect_uri"][0]

        async def forge() -> None:
            async with httpx.AsyncClient(trust_env=False) as http:
                await http.get(redirect, params={"code": "stolen", "state": "forged"})

        self.visits.append(asyncio.ensure_future(forge()))
        return True


def test_what_goes_wrong_is_one_line_on_the_card_and_nothing_typed_is_lost(
    qtbot: Any,
    qloop: Any,
    wait_for: Wait,
    window: MainWindow,
    tmp_path: Path,
    provider: Provider,
    api: ProtectedApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "protected.json"
    path.write_bytes(document(provider.issuer, api.url))
    opened: list[str] = []
    open_url: list[Callable[[QUrl], bool]] = []

    def system_browser(url: QUrl) -> bool:
        opened.append(bytes(url.toEncoded().data()).decode())
        return open_url[-1](url)

    monkeypatch.setattr(QDesktopServices, "openUrl", system_browser)

    async def scenario() -> None:
        await open_document(window, path, wait_for, "GET /whoami")
        card = await card_of(window, wait_for, "login")
        type_into(qtbot, card.oauth_edits["client_id"], "explorer-public")
        type_into(qtbot, card.oauth_edits["scopes"], "openid email")
        assert card.sign_in_button is not None and card.cancel_button is not None

        async def sign_in_fails(expected: str) -> str:
            qtbot.mouseClick(card.sign_in_button, Qt.MouseButton.LeftButton)
            await wait_for(lambda: expected in card.status.text(), 30, expected)
            await wait_for(lambda: card.sign_in_button.isEnabled(), 5, "Sign in again")
            assert card.oauth_state.text() == "Not signed in"
            assert "\n" not in card.status.text()
            # what was typed is all still there, and kept
            assert card.oauth_edits["client_id"].text() == "explorer-public"
            assert card.oauth_edits["scopes"].text() == "openid email"
            return card.status.text()

        # the person declines consent
        declining = SystemBrowser(provider.issuer)
        declining.person.decline = True
        open_url.append(declining)
        said = await sign_in_fails("declined")
        assert said.startswith("The sign-in was declined at the provider")
        # an answer on the redirect that is not this sign-in's
        open_url.append(Forger())
        await sign_in_fails("does not belong to this sign-in")
        # the person never comes back: Cancel stops the wait and the loopback listener
        open_url.append(lambda url: True)
        qtbot.mouseClick(card.sign_in_button, Qt.MouseButton.LeftButton)
        await wait_for(lambda: card.cancel_button.isVisible(), 5, "Cancel")
        await wait_for(lambda: len(opened) == 3, 5, "the browser")
        redirect = urlsplit(parse_qs(urlsplit(opened[-1]).query)["redirect_uri"][0])
        qtbot.mouseClick(card.cancel_button, Qt.MouseButton.LeftButton)
        await wait_for(lambda: card.status.text() == "Sign-in cancelled.", 5, "the cancel")
        assert not card.cancel_button.isVisible() and card.sign_in_button.isEnabled()
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", redirect.port), 1):
            pass
        # the provider is down
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed = probe.getsockname()[1]
        type_into(qtbot, card.oauth_edits["issuer"], f"http://127.0.0.1:{closed}")
        said = await sign_in_fails("could not be reached")
        assert card.oauth_edits["issuer"].text() == f"http://127.0.0.1:{closed}"
        assert len(opened) == 3  # no browser for a provider that is not there

        # the device code: the code and the page shown as plain text, then signed in
        type_into(qtbot, card.oauth_edits["issuer"], provider.issuer)
        assert card.flow_combo is not None
        card.flow_combo.setCurrentIndex(card.flow_combo.findData("device_code"))
        card.flow_combo.activated.emit(card.flow_combo.currentIndex())
        assert card.redirect is None  # no redirect in this flow
        assert card.oauth_edits["client_id"].text() == "explorer-public"  # rebuilt, kept
        assert card.sign_in_button is not None
        qtbot.mouseClick(card.sign_in_button, Qt.MouseButton.LeftButton)
        await wait_for(lambda: card.device.isVisible(), 10, "the device code")
        text = card.device.text()
        assert card.device.textFormat() == Qt.TextFormat.PlainText
        assert card.device.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
        found = re.fullmatch(r"Go to (\S+) and enter the code (\S+)", text)
        assert found is not None, text
        person = Browser(provider.issuer)
        confirmed = await person.confirm_device(found.group(1), found.group(2))
        assert confirmed.status_code == 200
        await wait_for(
            lambda: card.oauth_state.text().startswith("Signed in as alice"), 30, "signed in"
        )
        assert not card.device.isVisible() and card.status.text().startswith("Tokens and")
        assert len(opened) == 3  # the device flow opens no browser
        result = await send(window, qtbot, wait_for)
        assert result.status == 200, result.body

    qloop.run_until_complete(scenario())
