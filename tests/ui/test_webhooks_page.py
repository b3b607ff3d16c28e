"""The webhook page's widgets: the deliveries model, Verify's verdicts, Receive with bad
input, Send to a dead port, secrets kept by name, a document without events."""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from keyring.backends import fail

from explorer import spec
from explorer.http import Sender
from explorer.store import Settings
from explorer.store.secrets import SecretStore
from explorer.ui.webhooks import WebhookPage
from explorer.ui.webhooks.receive import DeliveryModel
from explorer.webhooks import ReceivedDelivery, Scheme, Verdict
from explorer.workbench import Services

HOOKS = {
    "openapi": "3.1.0",
    "info": {"title": "Hooks", "version": "1"},
    "paths": {},
    "webhooks": {
        "order.paid": {
            "post": {
                "summary": "An order was paid",
                "description": "Sent **once** per order.",
                "x-signature": {"scheme": "stripe", "secret": "SHOP_SECRET"},
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["type"],
                                "properties": {"type": {"type": "string"}},
                            },
                            "example": {"type": "order.paid"},
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


@pytest.fixture
def page(qtbot: Any, qloop: Any, tmp_path: Path) -> Iterator[WebhookPage]:
    # What earlier tests left for the collector (their closed event loops, with Qt
    # timers) goes now, on this thread: collected in the receiver's thread, a Qt object
    # dies on the wrong thread and its timer fires on freed memory.
    gc.collect()
    services = Services(settings=Settings(tmp_path / "settings.json"), sender=Sender())
    widget = WebhookPage(services, SecretStore(backend=fail.Keyring()))
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    yield widget
    qloop.run_until_complete(widget.aclose())
    qloop.run_until_complete(services.aclose())


def _delivery(
    n: int, body: bytes = b"{}", ok: bool = True, truncated: bool = False
) -> ReceivedDelivery:
    verdict = Verdict(ok, "valid" if ok else "mismatch", "fine" if ok else "no")
    return ReceivedDelivery(
        n,
        time.time(),
        "POST",
        "/",
        (("content-type", "application/json"),),
        body,
        len(body),
        truncated,
        verdict,
        200 if ok else 401,
    )


def test_the_deliveries_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = DeliveryModel()
    qtmodeltester.check(model)
    model.add(_delivery(1, b'{"type":"a.b"}'))
    model.add(_delivery(2, ok=False))
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) == "a.b"
    assert model.data(model.index(1, 3)) == "✗ mismatch"
    model.clear()
    qtmodeltester.check(model)


def test_a_document_without_events_still_verifies_and_receives(page: WebhookPage) -> None:
    api = spec.load_bytes(json.dumps({"openapi": "3.0.3", "info": {}, "paths": {}}).encode())
    page.set_spec(api)
    assert page.list.count() == 0 and "declares no events" in page.title.text()
    assert not page.receive_panel.register_button.isVisible()
    box = page.verify_panel.scheme_box
    box.set_scheme(Scheme.ecosire_license())
    box.secret.setText("k")
    body = '{"a":1}'
    page.verify_panel.headers.setPlainText(Scheme.ecosire_license().signature(body, "k"))
    page.verify_panel.body.setPlainText(body)
    assert page.verify_panel.verdict is not None and page.verify_panel.verdict.ok
    assert page.verify_panel.result.text().startswith("✓ Valid ECOSIRE license")


def test_verify_says_exactly_why_not(page: WebhookPage) -> None:
    page.set_spec(spec.load_bytes(json.dumps(HOOKS).encode()))
    assert page.list.count() == 1 and page.current_event is not None
    assert "Stripe (Stripe-Signature), secret SHOP_SECRET" in page.signing.text()
    panel = page.verify_panel
    panel.scheme_box.secret.setText("mine")
    panel.others = {"SHOP_SECRET": "theirs"}
    body = '{"type":"order.paid"}'
    theirs = Scheme.stripe().signature(body, "theirs")
    panel.body.setPlainText(body)
    panel.headers.setPlainText(f"Stripe-Signature: {theirs}")
    assert "Wrong secret: the body was signed with SHOP_SECRET" in panel.result.text()
    old = Scheme.stripe().signature(body, "mine", int(time.time()) - 1000)
    panel.headers.setPlainText(old)
    assert "outside the tolerance" in panel.result.text()
    panel.tolerance.setValue(0)
    assert panel.result.text().startswith("✓")
    panel.headers.setPlainText("Stripe-Signature: t=1\nStripe-Signature: t=2")
    assert "came 2 times" in panel.result.text()
    panel.headers.setPlainText("")
    panel.body.setPlainText("")
    assert panel.verdict is None and "Paste a body" in panel.result.text()


def test_send_composes_from_the_example_and_says_a_dead_port(
    page: WebhookPage, qloop: Any, wait_for: Any
) -> None:
    page.set_spec(spec.load_bytes(json.dumps(HOOKS).encode()))
    send = page.send_panel
    page.tabs.setCurrentWidget(send)
    assert json.loads(send.text()) == {"type": "order.paid"}
    assert send.signature.text() == "" and "secret" in send.signature.placeholderText()
    send.scheme_box.secret.setText("s")
    assert send.signature.text().startswith("t=")

    async def scenario() -> None:
        await page.send()
        assert "Give a URL" in send.note.text()
        send.url.setText("http://127.0.0.1:9/hook")
        await page.send()
        await wait_for(lambda: send.response.state_name == "failure", 15)

    qloop.run_until_complete(scenario())
    curl = page.copy_curl()
    assert "${SHOP_SECRET}" in curl and "'s'" not in curl


def test_a_secret_edited_is_kept_by_its_name(page: WebhookPage, qloop: Any, wait_for: Any) -> None:
    page.set_spec(spec.load_bytes(json.dumps(HOOKS).encode()))
    box = page.send_panel.scheme_box
    assert box.name() == "SHOP_SECRET"
    box.secret.setText("kept-secret")
    box.secret.editingFinished.emit()

    async def scenario() -> None:
        await wait_for(lambda: page.store.get_sync("webhooks/SHOP_SECRET") == "kept-secret", 5)

    qloop.run_until_complete(scenario())
    assert page.secrets["SHOP_SECRET"] == "kept-secret"
    assert page.verify_panel.others["SHOP_SECRET"] == "kept-secret"


def test_receive_with_bad_input_and_a_port_in_use(
    page: WebhookPage, qloop: Any, wait_for: Any, tmp_path: Path
) -> None:
    page.set_spec(spec.load_bytes(json.dumps(HOOKS).encode()))
    page.secrets["SHOP_SECRET"] = "s"
    panel = page.receive_panel

    async def scenario() -> None:
        assert await page.start_receiver()
        assert page.receiver is not None
        url = page.receiver.url
        assert page.send_panel.url.text() == url  # the receiver becomes the target
        body = b"\xff\xfe not text"
        async with httpx.AsyncClient(trust_env=False) as client:
            await client.post(url, content=body)
            await client.post(url, content=b"<xml>not json</xml>")
            await client.post(url, content=b"z" * (2 * 1024 * 1024))
        await wait_for(lambda: panel.model.rowCount() == 3, 10)
        rows = panel.model.rows
        assert [r.status for r in rows] == [401, 401, 413]
        panel.table.selectRow(0)
        assert "not UTF-8 text" in panel.body.toPlainText()
        panel.table.selectRow(1)
        assert panel.body.toPlainText() == "<xml>not json</xml>"
        assert "missing" in panel.verdict.text()
        panel.table.selectRow(2)
        assert "too large" in panel.verdict.text()
        assert page.tabs.tabText(3) == "Receive (3)"
        # a second page on the same port: said, not raised
        other = WebhookPage(page.services, SecretStore(backend=fail.Keyring()))
        other.receive_panel.port.setValue(page.receiver.port)
        assert not await other.start_receiver()
        assert "already in use" in other.receive_panel.status.text()
        await other.aclose()
        other.deleteLater()
        await page.stop_receiver()
        assert panel.start_button.text() == "Start receiver" and panel.url.text() == ""

    qloop.run_until_complete(scenario())
