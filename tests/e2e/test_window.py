"""The window as a person uses it, against `explorer mock` serving the ECOSIRE demo on
127.0.0.1 (in-process, as `explorer` with no argument does) and against small local
servers for failures."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.ui.main_window import MainWindow

Wait = Callable[..., Coroutine[Any, Any, None]]
API_KEY = "ecos_test_" + "A1b2C3d4" * 4  # the demo key the document names (x-explorer-demo)


async def open_demo(window: MainWindow, wait_for: Wait) -> None:
    assert await window.open_initial(None)
    assert window.api is not None and window.api.title == "ECOSIRE API"
    assert window.preferred_server and window.preferred_server.startswith("http://127.0.0.1:")


async def send_and_wait(window: MainWindow, wait_for: Wait, timeout: float = 15) -> None:
    window.send()
    await wait_for(lambda: window.response.state_name != "sending", timeout, "the response")


def select(window: MainWindow, key: str) -> None:
    assert window.tree.select_operation(key), key
    assert window.current_op is not None and window.current_op.key == key


def type_token(window: MainWindow, qtbot: Any, token: str) -> None:
    auth = window.editor.auth
    auth.token_edit.clear()
    qtbot.keyClicks(auth.token_edit, token)


def test_find_send_read_and_copy(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def scenario() -> None:
        await open_demo(window, wait_for)
        # find contacts by typing
        window.tree.focus_filter()
        qtbot.keyClicks(window.tree.filter_edit, "list contacts")
        first = window.tree.select_first_match()
        assert first is not None and first.key == "GET /contacts"
        await wait_for(lambda: window.current_op is first, 5, "the selection")
        assert window.editor.preview_url().startswith(window.preferred_server or "?")

        # without a credential: a 401 problem
        await send_and_wait(window, wait_for)
        assert window.response.state_name == "result"
        assert window.response.status.pill.text().startswith("401")
        assert window.response.problem is not None

        # log in as the demo user: the body is pre-filled; set the demo credentials
        select(window, "POST /auth/login")
        window.editor.tabs.setCurrentIndex(1)
        window.editor.body.set_text(
            json.dumps({"email": "demo@ecosire.com", "password": "demo-password"})
        )
        await send_and_wait(window, wait_for)
        assert window.response.status.pill.text().startswith("200")
        result = window.response.result
        assert result is not None
        token = json.loads(result.body)["token"]
        assert token.count(".") == 2  # a JWT
        cookies = window.response.tabs.tabText(2)
        assert "Cookies (1)" in cookies

        # back to contacts with the token: 200, a highlighted JSON list, rate-limit headers
        select(window, "GET /contacts")
        type_token(window, qtbot, token)
        await send_and_wait(window, wait_for)
        assert window.response.status.pill.text().startswith("200")
        body = window.response.body
        await wait_for(lambda: '"data"' in body.shown_text(), 5, "the body text")
        assert body.kind == "json"
        header_names = {k.lower() for k, _ in window.response.result.headers}  # type: ignore[union-attr]
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= header_names
        assert "Headers (" in window.response.tabs.tabText(1)
        assert (
            "100" in window.response.status.rate.toolTip()
            or window.response.status.rate.isVisible()
        )

        # the curl command: exactly this request, the token as an environment variable
        window.refresh_code()
        curl = window.code.text
        assert curl.startswith("curl")
        assert window.preferred_server in curl
        assert token not in curl and "$" in curl
        window.code.copy()
        assert QApplication.clipboard().text() == curl

    qloop.run_until_complete(scenario())


def test_field_errors_of_a_422_land_on_the_form(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def scenario() -> None:
        await open_demo(window, wait_for)
        select(window, "POST /auth/login")
        window.editor.body.set_text('{\n  "email": "not-an-email",\n  "password": "short"\n}')
        await send_and_wait(window, wait_for)
        assert window.response.status.pill.text().startswith("422")
        problem = window.response.problem
        assert problem is not None
        fields = {e.field for e in problem.errors}
        assert {"email", "password"} <= fields
        # the errors are shown on the body lines that hold those fields
        await wait_for(lambda: window.editor.body.first_error_line() >= 0, 5, "body marks")
        assert window.editor.tabs.currentIndex() == 1
        issues = " ".join(window.editor.body.issues())
        assert "email" in issues and "password" in issues

        # a parameter error lands on the parameter's row
        select(window, "GET /contacts")
        type_token(window, qtbot, API_KEY)
        form = window.editor.params_form()
        assert form is not None
        form.set_values({"limit": "1000"})
        await send_and_wait(window, wait_for)
        assert window.response.status.pill.text().startswith("422")
        row = form.row("limit")
        assert row is not None and row.server_error

    qloop.run_until_complete(scenario())


def test_rate_limit_429_counts_down(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def scenario() -> None:
        await open_demo(window, wait_for)
        select(window, "POST /newsletter/subscribe")  # 5 a minute, documented
        statuses = []
        for _ in range(6):
            await send_and_wait(window, wait_for)
            statuses.append(window.response.result.status)  # type: ignore[union-attr]
        assert statuses[-1] == 429, statuses
        banner = window.response.retry
        assert banner.isVisible()
        assert "retry in" in banner.label.text()
        assert not banner.button.isEnabled()
        assert banner.remaining > 0

    qloop.run_until_complete(scenario())


@pytest.fixture
def local_spec(tmp_path: Path) -> Callable[[int], str]:
    def make(port: int) -> str:
        doc = {
            "openapi": "3.0.3",
            "info": {"title": "Local", "version": "1"},
            "servers": [{"url": f"http://127.0.0.1:{port}"}],
            "paths": {
                "/slow": {"get": {"summary": "Slow", "responses": {"200": {"description": "ok"}}}}
            },
        }
        path = tmp_path / f"local-{port}.json"
        path.write_text(json.dumps(doc))
        return str(path)

    return make


def test_cancel_a_request_in_flight(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, local_spec: Callable[[int], str]
) -> None:
    async def scenario() -> None:
        writers: list[asyncio.StreamWriter] = []

        async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writers.append(writer)
            await reader.readuntil(b"\r\n\r\n")
            await asyncio.sleep(60)

        server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            assert await window.open_initial(local_spec(port))
            select(window, "GET /slow")
            window.send()
            await wait_for(lambda: window.response.state_name == "sending", 5)
            assert window.editor.is_sending()
            await asyncio.sleep(0.2)
            qtbot.keyClick(window.editor, Qt.Key.Key_Escape)
            await wait_for(lambda: window.response.state_name == "cancelled", 5, "cancelled")
            assert not window.editor.is_sending()
        finally:
            for writer in writers:
                writer.close()
            server.close()
            await server.wait_closed()

    qloop.run_until_complete(scenario())


def test_refused_connection_is_shown_plainly(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, local_spec: Callable[[int], str]
) -> None:
    async def scenario() -> None:
        probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = probe.sockets[0].getsockname()[1]
        probe.close()
        await probe.wait_closed()
        assert await window.open_initial(local_spec(port))
        select(window, "GET /slow")
        await send_and_wait(window, wait_for)
        assert window.response.state_name == "failure"
        assert "refused" in window.response.state.title.text().lower()

    qloop.run_until_complete(scenario())


def test_a_spec_that_fails_to_load_leaves_the_window_usable(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.0\ninfo:\n  title: [unclosed\n")

    async def scenario() -> None:
        assert not await window.open_initial(str(broken))
        assert window.centre.currentWidget() is window.banner
        text = window.banner.body.text()
        assert re.search(r"broken\.yaml:\d+:\d+: invalid YAML", text)  # where: file, line
        # the window still works: open the demo afterwards
        await open_demo(window, wait_for)
        assert window.api is not None
        # a second broken document keeps the demo open
        assert not await window.open_source_async(str(broken))
        assert window.api.title == "ECOSIRE API"

    qloop.run_until_complete(scenario())


def test_typed_values_come_back_when_reselected(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    async def scenario() -> None:
        await open_demo(window, wait_for)
        select(window, "GET /contacts")
        form = window.editor.params_form()
        assert form is not None
        form.set_values({"q": "ada lovelace"})
        select(window, "POST /contacts")
        select(window, "GET /contacts")
        assert "q=ada" in window.editor.preview_url()
        window.save_state()
        assert window.drafts is not None and window.drafts.path.exists()

    qloop.run_until_complete(scenario())


def test_drop_a_document_and_find_it_in_the_recent_list(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, shared_specs: Path
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    path = shared_specs / "oas-examples" / "petstore-2.0.yaml"
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )

    async def scenario() -> None:
        window.dropEvent(event)
        await wait_for(lambda: window.api is not None, 10, "the dropped document")
        assert window.api is not None and window.api.is_swagger2
        assert "Swagger Petstore" in window.spec_title.text()
        recent = window.services.settings.get("general.recent_specs")
        assert recent and recent[0] == str(path)
        window._fill_recent()
        assert str(path) in [a.text() for a in window.recent_menu.actions()]

    qloop.run_until_complete(scenario())


def test_the_demo_offers_the_document_of_the_last_session(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, shared_specs: Path
) -> None:
    last = str(shared_specs / "oas-examples" / "train-travel-3.1.yaml")
    window.services.settings.set("general.last_spec", last)

    async def scenario() -> None:
        await open_demo(window, wait_for)
        button = window.banner.reopen_button
        assert button.isVisible() and button.text() == "Reopen train-travel-3.1.yaml"
        button.click()
        await wait_for(lambda: window.api is not None and window.api.title == "Train Travel API")
        assert window.api is not None and len(window.api.webhooks) == 1

    qloop.run_until_complete(scenario())
