"""The webhook workbench: a page the main window shows as a tab.

    page = WebhookPage(services)
    page.set_spec(api, base_url)           # the open document, and its server (the demo's)
    page.select_event("license.activated")
    await page.aclose()                    # stops the receiver

On the left, the document's events (webhooks, x-webhooks, callbacks); on the right, the
chosen event (description, payload schema, how it is signed) and three panels: Send
(compose, sign, send, copy as curl), Verify (paste body, header and secret) and Receive
(the local receiver). The page owns the receiver and the tasks it starts; the core is
`explorer.webhooks`. Secrets are kept in the keyring (`SecretStore`, "webhooks/NAME");
the demo's declared secrets (`x-explorer-demo`) are the starting values on the demo.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.demo import demo_settings
from explorer.http.model import PreparedRequest, ResponseResult, TransportOptions
from explorer.spec import Spec
from explorer.store.secrets import SecretStore
from explorer.ui.request.json_editor import CodeEditor, JsonHighlighter
from explorer.ui.safe_text import SafeBrowser, html_text, markdown_to_html, tooltip
from explorer.ui.webhooks.compose import SendPanel
from explorer.ui.webhooks.receive import DeliveryFeed, ReceivePanel
from explorer.ui.webhooks.verify import VerifyPanel
from explorer.webhooks.delivery import delivery_curl, replay_request
from explorer.webhooks.events import WebhookEvent, events_of
from explorer.webhooks.receiver import ReceivedDelivery, Receiver, ReceiverError
from explorer.webhooks.signing import SignatureBook
from explorer.webhooks.verifier import Verifier
from explorer.workbench import Services
from explorer.workbench.tasks import TaskSlot

__all__ = ["WebhookPage"]

_SECRET_PREFIX = "webhooks/"


class WebhookPage(QWidget):
    """See the module docstring."""

    def __init__(
        self, services: Services, secrets: SecretStore | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("webhookPage")
        self.services = services
        self.store = secrets or services.secret_store()  # the one keyring of the app
        self.book = SignatureBook()
        self.api: Spec | None = None
        self.base_url = ""
        self.events: tuple[WebhookEvent, ...] = ()
        self.current_event: WebhookEvent | None = None
        self.secrets: dict[str, str] = {}
        self.receiver: Receiver | None = None
        self.last_curl = ""
        self._send_task = TaskSlot("webhook send")
        self._tasks: set[asyncio.Task[Any]] = set()
        self.feed = DeliveryFeed(self)
        self.feed.arrived.connect(self._arrived)

        self.list = QListWidget(self)
        self.list.setObjectName("webhookEvents")
        self.list.currentRowChanged.connect(self._row_changed)
        self.count = QLabel("", self)
        self.count.setContentsMargins(6, 6, 6, 2)
        left = QWidget(self)
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(0, 0, 0, 0)
        lcol.addWidget(self.count)
        lcol.addWidget(self.list, 1)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("webhookTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._event_tab(), "Event")
        self.send_panel = SendPanel(self.book)
        self.verify_panel = VerifyPanel(self.book)
        self.receive_panel = ReceivePanel()
        self.tabs.addTab(self.send_panel, "Send")
        self.tabs.addTab(self.verify_panel, "Verify")
        self.tabs.addTab(self.receive_panel, "Receive")

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self.send_panel.send_requested.connect(lambda: self._send_task.start(self.send()))
        self.send_panel.curl_requested.connect(self.copy_curl)
        self.send_panel.use_receiver.clicked.connect(self._use_receiver)
        self.send_panel.scheme_box.secret_edited.connect(self._secret_edited)
        self.verify_panel.scheme_box.secret_edited.connect(self._secret_edited)
        self.receive_panel.scheme_box.secret_edited.connect(self._secret_edited)
        self.receive_panel.scheme_box.changed.connect(self._update_verifier)
        self.receive_panel.start_requested.connect(lambda: self._spawn(self.start_receiver()))
        self.receive_panel.stop_requested.connect(lambda: self._spawn(self.stop_receiver()))
        self.receive_panel.replay_requested.connect(
            lambda delivery, url: self._spawn(self.replay(delivery, url))
        )
        self.receive_panel.register_requested.connect(lambda: self._spawn(self.register_on_demo()))
        self.receive_panel.forward.editingFinished.connect(self._forward_changed)

    def _event_tab(self) -> QWidget:
        page = QWidget(self)
        col = QVBoxLayout(page)
        col.setContentsMargins(8, 8, 8, 8)
        self.title = QLabel("", page)
        self.title.setTextFormat(Qt.TextFormat.RichText)  # our markup, outside text escaped
        self.title.setWordWrap(True)
        col.addWidget(self.title)
        self.signing = QLabel("", page)
        self.signing.setObjectName("eventSigning")
        self.signing.setTextFormat(Qt.TextFormat.PlainText)
        self.signing.setWordWrap(True)
        col.addWidget(self.signing)
        self.description = SafeBrowser(page)
        self.description.setMaximumHeight(160)
        col.addWidget(self.description)
        col.addWidget(QLabel("Payload schema", page))
        self.schema = CodeEditor(page)
        self.schema.setObjectName("eventSchema")
        self.schema.setReadOnly(True)
        self._schema_colours = JsonHighlighter(self.schema.document())
        col.addWidget(self.schema, 1)
        return page

    # -- the document -----------------------------------------------------------------
    def set_spec(self, api: Spec | None, base_url: str | None = None) -> None:
        """Show a document's events (None: none); the receiver keeps running."""
        self.api = api
        self.base_url = (base_url or "").rstrip("/")
        self.events = events_of(api) if api is not None else ()
        self.list.blockSignals(True)
        self.list.clear()
        for event in self.events:
            label = event.name if event.kind == "webhook" else f"{event.name} (callback)"
            item = QListWidgetItem(label)
            item.setToolTip(tooltip(f"{event.summary}\n{event.source}".strip()))
            self.list.addItem(item)
        self.list.blockSignals(False)
        count = len(self.events)
        self.count.setText(f"{count} event{'' if count == 1 else 's'}" if count else "No events")
        settings = demo_settings(api) if api is not None else None
        self.secrets = dict(settings.webhook_secrets) if settings is not None else {}
        can_register = bool(
            api is not None
            and settings is not None
            and settings.user is not None
            and api.operation("POST", "/webhooks") is not None
            and self.base_url
        )
        self.receive_panel.register_button.setVisible(can_register)
        self._spawn(self._load_secrets())
        if self.events:
            self.list.setCurrentRow(0)
        else:
            self.current_event = None
            self.title.setText("<h3>This document declares no events</h3>")
            self.signing.setText(
                "Webhooks (3.1 `webhooks`, 3.0 `x-webhooks`) and callbacks appear here. "
                "Verify and Receive work with any scheme all the same."
            )
        self._update_verifier()

    async def _load_secrets(self) -> None:
        """The secrets the events name, from the keyring (over the demo's declared ones)."""
        names = {e.secret_name for e in self.events if e.secret_name} | {"WEBHOOK_SECRET"}
        for name in sorted(names):
            try:
                value = await self.store.get(_SECRET_PREFIX + name)
            except Exception:  # StoreError: the declared value stays
                value = None
            if value:
                self.secrets[name] = value
        self._show_secrets()
        self._update_verifier()

    def select_event(self, name: str) -> bool:
        """Make an event (by name, or "METHOD name") the current one; False if unknown."""
        for row, event in enumerate(self.events):
            if name in (event.name, f"{event.method} {event.name}", event.operation.key):
                self.list.setCurrentRow(row)
                return True
        return False

    def _row_changed(self, row: int) -> None:
        if not 0 <= row < len(self.events) or self.api is None:
            return
        event = self.events[row]
        self.current_event = event
        kind = "Webhook" if event.kind == "webhook" else f"Callback of {event.source}"
        self.title.setText(
            f"<h3>{html_text(event.name, 200)}</h3><p style='color:#868e96'>{html_text(kind)}"
            f" · {html_text(event.summary, 300)}</p>"
        )
        scheme = event.scheme
        if scheme is not None:
            secret = f", secret {event.secret_name}" if event.secret_name else ""
            self.signing.setText(f"Signed: {scheme.label}{secret}")
        else:
            self.signing.setText("The document does not say how this event is signed.")
        self.description.setHtml(markdown_to_html(event.description) if event.description else "")
        schema = event.schema
        text = json.dumps(schema, indent=2, ensure_ascii=False, default=str) if schema else "{}"
        self.schema.setPlainText(text[:200_000])
        self.send_panel.set_event(self.api, event)
        if scheme is not None:
            self.verify_panel.scheme_box.set_scheme(scheme)
        self._show_secrets()

    def _show_secrets(self) -> None:
        """Each panel's secret: the one the current event names."""
        event = self.current_event
        name = (event.secret_name if event is not None else "") or "WEBHOOK_SECRET"
        for box in (self.send_panel.scheme_box, self.verify_panel.scheme_box):
            box.blockSignals(True)
            box.set_secret(name, self.secrets.get(name, ""))
            box.blockSignals(False)
        self.verify_panel.others = dict(self.secrets)
        self.send_panel.refresh_signature()
        self.verify_panel.check()

    def _secret_edited(self, name: str, value: str) -> None:
        if self.secrets.get(name) == value:
            return
        self.secrets[name] = value
        self.verify_panel.others = dict(self.secrets)
        self._update_verifier()
        self._spawn(self._save_secret(name, value))

    async def _save_secret(self, name: str, value: str) -> None:
        try:
            if value:
                await self.store.set(_SECRET_PREFIX + name, value)
            else:
                await self.store.delete(_SECRET_PREFIX + name)
        except Exception as exc:  # StoreError: say so; the value stays for the session
            self.receive_panel.status.setText(f"The secret could not be kept in the keyring: {exc}")

    # -- sending ----------------------------------------------------------------------
    async def send(self) -> None:
        """Send the composed delivery; the answer is shown like any response."""
        panel = self.send_panel
        if not panel.url.text().strip():
            panel.note.setText("Give a URL to send to (or start the receiver)")
            return
        try:
            delivery = panel.delivery()
        except ValueError as exc:
            panel.note.setText(str(exc))
            return
        panel.note.setText("")
        sender = await self.services.get_sender()
        panel.response.show_sending(delivery.prepared)
        result = await sender.send(delivery.prepared, TransportOptions(timeout=30))
        if isinstance(result, ResponseResult):
            event = self.current_event
            panel.response.show_result(result, event.operation if event else None, self.api)
        else:
            panel.response.show_failure(result)

    def copy_curl(self) -> str:
        """Copy the delivery as a curl command (the secret as an environment variable)."""
        panel = self.send_panel
        try:
            delivery = panel.delivery()
        except ValueError as exc:
            panel.note.setText(str(exc))
            return ""
        self.last_curl = delivery_curl(delivery)
        QApplication.clipboard().setText(self.last_curl)
        panel.note.setText(
            f"Copied: the command signs the body with ${delivery.secret_env} from the environment"
        )
        return self.last_curl

    # -- receiving --------------------------------------------------------------------
    def _verifier(self) -> Verifier:
        box = self.receive_panel.scheme_box
        if box.declared:
            return Verifier.for_events(self.events, self.secrets, book=self.book)
        try:
            scheme = box.scheme()
        except ValueError:
            return Verifier.for_events((), {}, book=self.book)
        return Verifier.fixed(scheme, box.value(), name=box.name(), book=self.book)

    def _update_verifier(self) -> None:
        if self.receiver is not None:
            self.receiver.verify = self._verifier()

    def _forward_changed(self) -> None:
        if self.receiver is not None:
            self.receiver.forward_to = self.receive_panel.forward.text().strip()

    async def start_receiver(self) -> bool:
        """Start the receiver on the port asked for; a port in use is said, not raised."""
        if self.receiver is not None:
            return True
        panel = self.receive_panel
        receiver = Receiver(
            self._verifier(),
            port=panel.port.value(),
            forward_to=panel.forward.text().strip(),
        )
        loop = asyncio.get_running_loop()

        def arrived(delivery: ReceivedDelivery) -> None:  # in the receiver's thread
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._arrived, delivery)

        receiver.listeners.append(arrived)
        try:
            await asyncio.to_thread(receiver.start)
        except ReceiverError as exc:
            panel.status.setText(str(exc))
            panel.status.setStyleSheet("color: #e03131;")
            return False
        self.receiver = receiver
        panel.set_listening(receiver.url)
        panel.status.setStyleSheet("")
        names = sorted({e.secret_name for e in self.events if e.secret_name})
        using = (
            f"each event's own secret ({', '.join(names)})"
            if panel.scheme_box.declared and names
            else "the secret set here"
        )
        panel.status.setText(
            f"Listening on {receiver.url}, verifying with {using}: deliveries that do not "
            "verify are answered 401"
        )
        if not self.send_panel.url.text().strip():
            self.send_panel.url.setText(receiver.url)
        return True

    async def stop_receiver(self) -> None:
        receiver, self.receiver = self.receiver, None
        if receiver is not None:
            await asyncio.to_thread(receiver.stop)
        self.receive_panel.set_listening("")
        self.receive_panel.status.setText("Stopped")

    def _use_receiver(self) -> None:
        if self.receiver is None:
            self.send_panel.note.setText("Start the receiver first (the Receive tab)")
        else:
            self.send_panel.url.setText(self.receiver.url)

    def _arrived(self, delivery: ReceivedDelivery) -> None:
        self.receive_panel.add(delivery)
        count = self.receive_panel.model.rowCount()
        self.tabs.setTabText(3, f"Receive ({count})")

    async def replay(self, delivery: ReceivedDelivery, url: str) -> None:
        """Send a received delivery again, as it came, to `url`."""
        prepared = replay_request(url, delivery.headers, delivery.body, delivery.method)
        sender = await self.services.get_sender()
        result = await sender.send(prepared, TransportOptions(timeout=30))
        label = self.receive_panel.replay_result
        if isinstance(result, ResponseResult):
            label.setText(f"→ {result.status} {result.reason}")
        else:
            label.setText(f"→ {result.message}")

    async def register_on_demo(self) -> str:
        """Log in as the demo user and register the receiver for every event; the new
        endpoint's id ("" when it failed: the status line says why)."""
        status = self.receive_panel.status
        settings = demo_settings(self.api) if self.api is not None else None
        if settings is None or settings.user is None or not self.base_url:
            status.setText("Registering needs the demo document and its server")
            return ""
        if self.receiver is None and not await self.start_receiver():
            return ""
        assert self.receiver is not None
        sender = await self.services.get_sender()
        json_type = (("Content-Type", "application/json"),)
        login = PreparedRequest(
            "POST",
            self.base_url + "/auth/login",
            headers=json_type,
            content=json.dumps(
                {"email": settings.user.email, "password": settings.user.password}
            ).encode(),
        )
        answer = await sender.send(login, TransportOptions(timeout=15))
        token = _json_member(answer, "token")
        if not token:
            status.setText(f"The demo login failed: {_said(answer)}")
            return ""
        names = [e.name for e in self.events if e.kind == "webhook"]
        create = PreparedRequest(
            "POST",
            self.base_url + "/webhooks",
            headers=(*json_type, ("Authorization", f"Bearer {token}")),
            content=json.dumps(
                {"url": self.receiver.url, "description": "explorer's receiver", "events": names}
            ).encode(),
        )
        answer = await sender.send(create, TransportOptions(timeout=15))
        endpoint = _json_member(answer, "id")
        if not endpoint:
            status.setText(f"Registering failed: {_said(answer)}")
            return ""
        status.setText(
            f"Registered {endpoint} on the demo for {len(names)} events: they come here, "
            "signed with the demo's secrets"
        )
        return endpoint

    # -- tasks ------------------------------------------------------------------------
    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        from explorer.workbench.tasks import current_loop

        task = current_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def aclose(self) -> None:
        """Stop the receiver and every task of the page (its widgets' checks too)."""
        self._send_task.cancel()
        from shiboken6 import isValid

        if isValid(self.send_panel.body):  # Qt may have destroyed the widgets already
            self.send_panel.body.shutdown()
            self.send_panel.response.clear()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.receiver is not None:
            receiver, self.receiver = self.receiver, None
            await asyncio.to_thread(receiver.stop)


def _json_member(answer: object, name: str) -> str:
    if not isinstance(answer, ResponseResult) or not 200 <= answer.status < 300:
        return ""
    try:
        value = json.loads(answer.body)
    except ValueError:
        return ""
    member = value.get(name) if isinstance(value, dict) else None
    return member if isinstance(member, str) else ""


def _said(answer: object) -> str:
    if isinstance(answer, ResponseResult):
        return f"{answer.status} {answer.reason}"
    return str(getattr(answer, "message", answer))
