"""The code panel shows the request a send makes: the environment's credentials the
endpoint asks for (as the environment variables the code reads, never the secret), and
after a send the Auth tab shows the login it made (the real window and keyring API)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from test_stored_credentials import open_demo, send

from explorer.ui.main_window import MainWindow

Wait = Callable[..., Coroutine[Any, Any, None]]


def test_the_code_carries_the_environments_credential_and_the_card_follows_a_send(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def scenario() -> None:
        await open_demo(window, qtbot)
        creds = window.credentials
        assert creds is not None
        await creds.set_secret("bearerAuth", "password", "demo-password")
        window.tree.select_operation("GET /contacts")
        await wait_for(lambda: window.current_op is not None, 5)
        code = window.code
        await wait_for(
            lambda: "-H 'Authorization: Bearer '\"${ECOSIRE_TOKEN}\"" in code.editor.toPlainText(),
            5,
            "the credential",
        )
        assert "demo-password" not in code.editor.toPlainText()
        # the login endpoint needs nothing: its code carries no credential
        window.tree.select_operation("POST /auth/login")
        await wait_for(lambda: "/auth/login" in code.editor.toPlainText(), 5)
        await qtbot_idle()
        assert "Authorization" not in code.editor.toPlainText()

        window.tree.select_operation("GET /contacts")
        await wait_for(lambda: "Authorization" in code.editor.toPlainText(), 5)
        result = await send(window, qtbot, wait_for)  # logs in by itself
        assert result.status == 200
        token = creds.cached("bearerAuth", "token")
        assert token
        window.editor.tabs.setCurrentIndex(3)  # Auth
        card = window.editor.slots.cards["bearerAuth"]
        await wait_for(
            lambda: card.view is not None and card.view.source == "logged in", 5, "the card"
        )
        assert token not in code.editor.toPlainText()  # the code reads it from ECOSIRE_TOKEN

    async def qtbot_idle() -> None:
        import asyncio

        await asyncio.sleep(0.3)

    qloop.run_until_complete(scenario())
