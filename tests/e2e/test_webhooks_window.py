"""The webhook workbench as a new user meets it: the whole window, the demo on the
in-process mock (127.0.0.1), the local receiver, and the real curl running the command
the window copied."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import shutil
import subprocess
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.ui.main_window import MainWindow
from explorer.ui.webhooks import WebhookPage
from tests.e2e.test_window import Wait, open_demo, send_and_wait


@pytest.fixture(autouse=True)
def _collect_first() -> None:
    """Earlier tests' garbage (closed event loops with Qt timers) is collected here, on
    the main thread, not at random in the receiver's thread (a Qt object must die on
    its own thread)."""
    gc.collect()


def _rows(page: WebhookPage) -> list[Any]:
    return list(page.receive_panel.model.rows)


def test_register_activate_send_tamper_and_curl(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    """The issue's "done when": register the receiver on the demo, activate a license,
    see license.activated arrive verified, send checkout.session.completed by hand,
    change one byte and see it rejected, copy a curl command that works."""

    async def scenario() -> None:
        await open_demo(window, wait_for)
        # the tree says endpoints and events apart, as the welcome page does
        count = window.tree._count.text()
        assert count == "838 endpoints · 8 events", count
        assert "838 endpoints in 57 modules · 8 webhook events" in window.banner.body.text()

        # picking an event opens the webhook workbench on it
        assert window.tree.select_operation("POST license.activated")
        page = window.webhooks
        assert page is not None and window.tab_widget.currentWidget() is page
        assert page.current_event is not None and page.current_event.name == "license.activated"
        assert "X-License-Signature" in page.signing.text()
        assert page.list.count() == 8

        # register the local receiver on the demo (one click)
        page.tabs.setCurrentWidget(page.receive_panel)
        qtbot.mouseClick(page.receive_panel.register_button, Qt.MouseButton.LeftButton)
        await wait_for(lambda: "Registered whk_" in page.receive_panel.status.text(), 15)
        assert page.receiver is not None and page.receive_panel.url.text() == page.receiver.url

        # activate a license, in a request tab, as any endpoint is sent
        assert window.tree.select_operation("POST /licenses/activate")
        assert window.current_op is not None and window.current_op.key == "POST /licenses/activate"
        await send_and_wait(window, wait_for)
        assert window.response.result is not None and window.response.result.status == 200

        # license.activated arrives, verified
        await wait_for(lambda: any(d.event == "license.activated" for d in _rows(page)), 15)
        activated = next(d for d in _rows(page) if d.event == "license.activated")
        assert activated.verdict.ok and activated.status == 200
        assert activated.header("X-License-Signature")
        window.show_webhooks()
        assert window.tab_widget.currentWidget() is page
        assert page.tabs.tabText(3).startswith("Receive (")
        page.receive_panel.table.selectRow(0)
        assert page.receive_panel.verdict.text().startswith("✓ Valid ECOSIRE license")
        assert '"type": "license.activated"' in page.receive_panel.body.toPlainText()

        # send checkout.session.completed by hand: the receiver's 200 shown as a response
        assert page.select_event("checkout.session.completed")
        send = page.send_panel
        page.tabs.setCurrentWidget(send)
        assert send.url.text() == page.receiver.url
        assert send.signature_name.text() == "Stripe-Signature"
        assert send.signature.text().startswith("t=")
        original = send.text()
        assert json.loads(original)["type"] == "checkout.session.completed"
        before = len(_rows(page))
        qtbot.mouseClick(send.send_button, Qt.MouseButton.LeftButton)
        await wait_for(lambda: send.response.state_name == "result", 15, "the receiver's answer")
        assert send.response.result is not None and send.response.result.status == 200
        await wait_for(lambda: len(_rows(page)) == before + 1, 5)
        assert _rows(page)[-1].event == "checkout.session.completed"
        assert _rows(page)[-1].verdict.ok

        # change one byte, keep the signature: rejected, and why
        send.keep_signature.setChecked(True)
        send.body.set_text(original.replace("24900", "24901"))
        qtbot.mouseClick(send.send_button, Qt.MouseButton.LeftButton)
        await wait_for(
            lambda: send.response.result is not None and send.response.result.status == 401, 15
        )
        await wait_for(lambda: len(_rows(page)) == before + 2, 5)
        tampered = _rows(page)[-1]
        assert not tampered.verdict.ok and tampered.status == 401
        assert tampered.verdict.reason == "body-changed", tampered.verdict
        assert "1 byte differs" in tampered.verdict.message
        assert "Invalid webhook signature" in send.response.result.body.decode()

        # copy as curl: a command that signs with the secret from the environment, and works
        send.keep_signature.setChecked(False)
        send.body.set_text(original)
        qtbot.mouseClick(send.curl_button, Qt.MouseButton.LeftButton)
        command = QApplication.clipboard().text()
        assert command == page.last_curl and "${STRIPE_WEBHOOK_SECRET}" in command
        assert "whsec_demo_secret" not in command and "Bearer" not in command
        if shutil.which("curl") is None or shutil.which("openssl") is None:
            pytest.skip("curl and openssl run the copied command")
        env = {"PATH": os.environ["PATH"], "STRIPE_WEBHOOK_SECRET": "whsec_demo_secret"}
        done = await asyncio.to_thread(
            subprocess.run,
            ["sh", "-c", command],
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == {"received": True, "verified": True}
        await wait_for(lambda: len(_rows(page)) == before + 3, 5)
        assert _rows(page)[-1].verdict.ok
        # and with another secret in the environment, the receiver says 401
        env["STRIPE_WEBHOOK_SECRET"] = "whsec_wrong"
        done = await asyncio.to_thread(
            subprocess.run,
            ["sh", "-c", command],
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
        )
        assert json.loads(done.stdout)["statusCode"] == 401

    qloop.run_until_complete(scenario())


def test_the_demo_delivers_each_of_its_events_and_the_window_lists_them(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    """Each of the 8 events through the demo's own "test event" call: each arrives signed
    as the document declares and verified; the answer names the event asked for."""
    import httpx

    async def scenario() -> None:
        await open_demo(window, wait_for)
        page = window.show_webhooks()
        endpoint = await page.register_on_demo()
        assert endpoint.startswith("whk_")
        base = window.preferred_server
        async with httpx.AsyncClient(base_url=str(base), trust_env=False) as client:
            login = await client.post(
                "/auth/login", json={"email": "demo@ecosire.com", "password": "demo-password"}
            )
            auth = {"Authorization": f"Bearer {login.json()['token']}"}
            names = [e.name for e in page.events]
            assert len(names) == 8
            for name in names:
                answer = await client.post(
                    f"/webhooks/{endpoint}/test", json={"event": name}, headers=auth
                )
                assert answer.status_code == 200
                result = answer.json()
                assert result["event"] == name and result["success"] is True, result
                assert result["responseStatus"] == 200
            await wait_for(lambda: len(_rows(page)) == 8, 10)
            assert [d.event for d in _rows(page)] == names
            assert all(d.verdict.ok for d in _rows(page))
            listed = await client.get(f"/webhooks/{endpoint}/deliveries", headers=auth)
            assert listed.json()["meta"]["total"] == 8
            assert {d["status"] for d in listed.json()["data"]} == {"succeeded"}
        # the receiver's answers: valid 200, the table shows each as verified
        model = page.receive_panel.model
        assert model.rowCount() == 8
        assert {model.data(model.index(r, 3)) for r in range(8)} == {"✓ valid"}

    qloop.run_until_complete(scenario())
