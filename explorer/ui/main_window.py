"""The main window: the endpoint tree, the request editor, the response and the code panel,
wired together. Loading specs and sending requests happen in tracked asyncio tasks; the
window never waits on them."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import html
import time
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer import spec as spec_mod
from explorer.errors import RequestError, SpecError
from explorer.http import NetworkFailure, build_request
from explorer.http.model import Problem, ResponseResult
from explorer.store import Drafts
from explorer.ui.docs import DocsView
from explorer.ui.request.editor import RequestEditor
from explorer.ui.response.code import CodePanel
from explorer.ui.response.view import ResponseView
from explorer.ui.tree import TreePanel
from explorer.ui.welcome import WelcomePage

if TYPE_CHECKING:
    from explorer.app import Services

__all__ = ["MainWindow"]


class MainWindow(QMainWindow):
    """The explorer window."""

    closed = Signal()
    spec_loaded = Signal(object)

    def __init__(self, services: Services, *, screenshot_mode: bool = False) -> None:
        super().__init__()
        self.services = services
        self.screenshot_mode = screenshot_mode
        self.api: spec_mod.Spec | None = None
        self.source = ""
        self.preferred_server: str | None = None
        self.drafts: Drafts | None = None
        self._touched: set[str] = set()
        self.current_op: spec_mod.Operation | None = None
        self._load_task: asyncio.Task[bool] | None = None
        self._send_task: asyncio.Task[None] | None = None
        self._closing = False
        self._tasks: set[asyncio.Future[Any]] = set()
        services.on_error.append(self._show_unexpected)

        self.setWindowTitle("Explorer")
        self.setAcceptDrops(True)
        self.resize(1480, 900)

        self.tree = TreePanel()
        self.editor = RequestEditor()
        self.docs = DocsView()
        self.editor.set_docs_widget(self.docs)
        self.response = ResponseView()
        self.code = CodePanel()
        self.banner = WelcomePage()
        self.banner.open_requested.connect(self.choose_file)
        self.banner.reopen_requested.connect(lambda source: self.open_source(source))

        self.centre = QStackedWidget()
        self.request_split = QSplitter(Qt.Orientation.Vertical)
        self.request_split.addWidget(self.editor)
        self.request_split.addWidget(self.response)
        self.request_split.setStretchFactor(0, 1)
        self.request_split.setStretchFactor(1, 1)
        self.request_split.setChildrenCollapsible(False)
        self.centre.addWidget(self.banner)
        self.centre.addWidget(self.request_split)

        self.spec_title = QLabel("")
        self.spec_title.setObjectName("specTitle")
        self.spec_title.setTextFormat(Qt.TextFormat.RichText)
        self.spec_title.setContentsMargins(8, 6, 8, 2)
        self.spec_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.spec_title.setWordWrap(True)  # a long title must not widen the tree
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.spec_title)
        left_layout.addWidget(self.tree, 1)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(left)
        self.split.addWidget(self.centre)
        self.split.addWidget(self.code)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setStretchFactor(2, 0)
        self.split.setSizes([340, 800, 340])
        self.request_split.setSizes([420, 480])
        self.split.setChildrenCollapsible(False)
        self.setCentralWidget(self.split)

        self._status_label = QLabel()
        self._status_label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote spec text
        self.statusBar().addWidget(self._status_label, 1)
        self._warnings_button = QPushButton()
        self._warnings_button.setFlat(True)
        self._warnings_button.setVisible(False)
        self._warnings_button.clicked.connect(self.show_warnings)
        self.statusBar().addPermanentWidget(self._warnings_button)

        self._code_timer = QTimer(self)
        self._code_timer.setSingleShot(True)
        self._code_timer.setInterval(120)
        self._code_timer.timeout.connect(self.refresh_code)

        self.tree.operation_selected.connect(self.select_operation)
        self.editor.changed.connect(self._code_timer.start)
        self.editor.send_requested.connect(self.send)
        self.editor.cancel_requested.connect(self.cancel)
        self.response.problem_shown.connect(self._on_problem)
        self.response.resend_requested.connect(self.send)

        self._build_menus()
        self._restore_layout()

    # -- menus and layout -------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&Open document…", QKeySequence.StandardKey.Open, self.choose_file)
        self._action(file_menu, "Open &URL…", "Ctrl+L", self.choose_url)
        self._action(file_menu, "Open the ECOSIRE &demo", None, self.open_demo)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        view_menu = bar.addMenu("&View")
        self._action(view_menu, "&Find endpoint", "Ctrl+K", self.tree.focus_filter)
        self.code_action = self._action(view_menu, "&Code panel", "Ctrl+Shift+C", None)
        self.code_action.setCheckable(True)
        self.code_action.setChecked(bool(self.services.settings.get("window.code_panel")))
        self.code_action.toggled.connect(self._toggle_code)
        self.code.setVisible(self.code_action.isChecked())
        request_menu = bar.addMenu("&Request")
        self._action(request_menu, "&Send", "Ctrl+Return", self.send)
        self._action(request_menu, "&Cancel", None, self.cancel)
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "Document &warnings", None, self.show_warnings)

    def _action(self, menu: Any, text: str, shortcut: Any, slot: Any) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def _toggle_code(self, on: bool) -> None:
        self.code.setVisible(on)
        self.services.settings.set("window.code_panel", on)
        if on:
            self.refresh_code()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.services.settings.get("general.recent_specs")
        if not recent:
            self.recent_menu.addAction("(nothing yet)").setEnabled(False)
        for source in recent:
            action = self.recent_menu.addAction(source)
            action.triggered.connect(lambda _c=False, s=source: self.open_source(s))

    def _restore_layout(self) -> None:
        settings = self.services.settings
        geometry = settings.get("window.geometry")
        state = settings.get("window.state")
        if geometry and not self.screenshot_mode:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        if state and not self.screenshot_mode:
            with contextlib.suppress(Exception):
                sizes = [int(x) for x in state.split(",")]
                if len(sizes) == 5:
                    self.split.setSizes(sizes[:3])
                    self.request_split.setSizes(sizes[3:])

    def save_state(self) -> None:
        """Remember the layout and what was typed (drafts)."""
        self._remember_current()
        settings = self.services.settings
        if not self.screenshot_mode:
            settings.set("window.geometry", bytes(self.saveGeometry().toBase64().data()).decode())
            sizes = self.split.sizes() + self.request_split.sizes()
            settings.set("window.state", ",".join(str(s) for s in sizes))
        message = settings.try_save()
        if self.drafts is not None:
            try:
                self.drafts.save()
            except Exception as exc:  # StoreError; shutdown must go on
                message = message or str(exc)
        if message:
            self.set_status(message)

    # -- opening documents ----------------------------------------------------------------
    async def open_initial(self, source: str | None, *, select: str | None = None) -> bool:
        """Open `source`, or the demo on the in-process mock server; select an endpoint."""
        if source is None:
            ok = await self.open_demo_async()
        else:
            ok = await self.open_source_async(source)
        if ok and select and not self.tree.select_operation(select):
            self.set_status(f"No endpoint {select!r} in this document")
        return ok

    def open_demo(self) -> None:
        self._spawn(self.open_demo_async())

    async def open_demo_async(self) -> bool:
        self.banner.show_loading(str(self.services.demo_spec))
        self.centre.setCurrentWidget(self.banner)
        self.set_status("Starting the demo API server…")
        try:
            base = await self.services.start_demo_server()
        except Exception as exc:  # the demo must still open without its server
            self.set_status(f"The demo server could not start: {exc}")
            base = ""
        preferred = f"{base}/api" if base else None
        return await self.open_source_async(str(self.services.demo_spec), preferred)

    def open_source(self, source: str, preferred_server: str | None = None) -> None:
        self._spawn(self.open_source_async(source, preferred_server))

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run `coro` as a task the window keeps until it ends."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def open_source_async(self, source: str, preferred_server: str | None = None) -> bool:
        """Load a document off the event loop; on failure show why and keep the old one."""
        if self._load_task is not None and not self._load_task.done():
            self._load_task.cancel()
        self._load_task = asyncio.ensure_future(self._load(source, preferred_server))
        try:
            return await self._load_task
        except asyncio.CancelledError:
            return False

    async def _load(self, source: str, preferred_server: str | None) -> bool:
        self.set_status(f"Opening {source}…")
        if self.api is None:
            self.banner.show_loading(source)
            self.centre.setCurrentWidget(self.banner)
        started = time.perf_counter()
        try:
            api = await asyncio.to_thread(spec_mod.load, source)
        except SpecError as exc:
            self._show_load_error(source, str(exc))
            return False
        except Exception as exc:  # never lose the window to a bad document
            self._show_load_error(source, f"unexpected error: {exc!r}")
            return False
        elapsed = time.perf_counter() - started
        self._set_spec(api, preferred_server)
        # A big document is millions of long-lived objects: keep them out of the cyclic
        # collector's full passes (100+ ms each on GitHub's spec, a visible stutter).
        gc.unfreeze()
        gc.freeze()
        if not self.screenshot_mode:
            self._spawn(self._warm_sender())
        self.set_status(
            f"Opened {api.title} {api.version}: {len(api.operations)} endpoints in "
            f"{elapsed * 1000:.0f} ms"
        )
        if source != str(self.services.demo_spec):
            self.services.settings.add_recent(api.source)
            self.services.settings.set("general.last_spec", api.source)
        return True

    def _show_load_error(self, source: str, message: str) -> None:
        self.set_status(f"Could not open {source}")
        if self.api is None:
            self.banner.show_error(source, message)
            self.centre.setCurrentWidget(self.banner)
        else:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Could not open the document")
            box.setText(f"{source} could not be opened; {self.api.title} stays open.")
            box.setInformativeText(message)
            box.setModal(False)
            box.show()

    def _set_spec(self, api: spec_mod.Spec, preferred_server: str | None) -> None:
        self._remember_current()
        if self.drafts is not None:
            with contextlib.suppress(Exception):
                self.drafts.save()
        self.api = api
        self.source = api.source
        self.preferred_server = preferred_server
        self.drafts = Drafts(api.source)
        self._touched = set()  # endpoints edited in this run
        self.current_op = None
        self.tree.set_spec(api)
        self.response.clear()
        self.code.set_request(None)
        self.banner.show_spec(api)
        # On the demo, offer the document of the last session (the demo opens by default).
        last = self.services.settings.get("general.last_spec")
        on_demo = api.source == str(self.services.demo_spec)
        self.banner.offer_reopen(last if on_demo and last != api.source else "")
        self.centre.setCurrentWidget(self.banner)
        self.setWindowTitle(f"{api.title} {api.version} — Explorer")
        self.spec_title.setText(
            f"<b>{html.escape(api.title)}</b> <span style='color:#868e96'>"
            f"{html.escape(api.version)} · OpenAPI {html.escape(api.openapi_version)}</span>"
        )
        self.spec_title.setToolTip(api.source)
        count = len(api.warnings)
        self._warnings_button.setText(f"⚠ {count} warning{'s' if count != 1 else ''}")
        self._warnings_button.setVisible(count > 0)
        self.spec_loaded.emit(api)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open an OpenAPI document",
            "",
            "OpenAPI documents (*.json *.yaml *.yml);;All files (*)",
        )
        if path:
            self.open_source(path)

    def choose_url(self) -> None:
        url, ok = QInputDialog.getText(self, "Open URL", "URL of an OpenAPI document:")
        if ok and url.strip():
            self.open_source(url.strip())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasText():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        data = event.mimeData()
        source = ""
        if data.hasUrls() and data.urls():
            url = data.urls()[0]
            source = url.toLocalFile() if url.isLocalFile() else url.toString()
        elif data.hasText():
            source = data.text().strip()
        if source:
            event.acceptProposedAction()
            self.open_source(source)

    # -- endpoints ------------------------------------------------------------------------
    def _remember_current(self) -> None:
        if self.current_op is not None and self.drafts is not None:
            with contextlib.suppress(Exception):
                self.drafts.put(self.current_op.key, self.editor.state())
                self._touched.add(self.current_op.key)

    def select_operation(self, op: spec_mod.Operation) -> None:
        if self.api is None or op is self.current_op:
            return
        self._remember_current()
        self.current_op = op
        self.editor.set_operation(self.api, op, self.preferred_server)
        draft = self.drafts.get(op.key) if self.drafts is not None else None
        if draft and self.preferred_server and op.key not in self._touched:
            # Saved in an earlier run: its local server port is gone; this run's wins.
            draft = {k: v for k, v in draft.items() if k != "server"}
        if draft:
            with contextlib.suppress(Exception):
                self.editor.restore_state(draft)
        self.docs.set_operation(self.api, op)
        self.response.clear()
        self.centre.setCurrentWidget(self.request_split)
        self.refresh_code()

    def refresh_code(self) -> None:
        if self.current_op is None or not self.code.isVisible():
            return
        try:
            prepared = build_request(self.editor.request_input())
        except RequestError as exc:
            self.code.set_request(None, str(exc))
            return
        self.code.set_request(prepared)

    # -- sending --------------------------------------------------------------------------
    def send(self) -> None:
        """Send the current request; a send in flight is replaced."""
        if self.current_op is None or self.api is None:
            return
        self.cancel(show=False)
        self.editor.clear_field_errors()
        try:
            prepared = build_request(self.editor.request_input())
        except RequestError as exc:
            self.response.show_error(str(exc))
            return
        options = self.editor.transport_options()
        self.response.show_sending(prepared)
        self.editor.set_sending(True)
        op, api = self.current_op, self.api
        self._send_task = asyncio.ensure_future(self._send(prepared, options, op, api))

    async def send_and_wait(self) -> None:
        """Send the current request and wait until its response (or failure) is shown."""
        self.send()
        task = self._send_task
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _warm_sender(self) -> None:
        sender = await self.services.get_sender()
        await sender.warm(self.editor.transport_options())

    async def _send(self, prepared: Any, options: Any, op: Any, api: Any) -> None:
        try:
            sender = await self.services.get_sender()
            result = await sender.send(prepared, options)
        except asyncio.CancelledError:
            self.response.show_cancelled()
            self.editor.set_sending(False)
            raise
        self.editor.set_sending(False)
        if op is not self.current_op:
            return
        if isinstance(result, NetworkFailure):
            self.response.show_failure(result)
            self.set_status(result.message)
        elif isinstance(result, ResponseResult):
            self.response.show_result(result, op, api)
            self.set_status(
                f"{result.status} {result.reason} in {result.timing.total * 1000:.0f} ms"
            )

    def cancel(self, show: bool = True) -> None:
        task = self._send_task
        if task is not None and not task.done():
            task.cancel()
            if show:
                self.set_status("Request cancelled")
        self._send_task = None

    def _on_problem(self, problem: Problem) -> None:
        if problem.errors:
            self.editor.show_field_errors(problem.errors)

    # -- feedback -------------------------------------------------------------------------
    def set_status(self, text: str) -> None:
        self._status_label.setText(text)

    def _show_unexpected(self, message: str) -> None:
        self.set_status(message)

    def show_warnings(self) -> None:
        if self.api is None:
            return
        lines = [html.escape(str(w)) for w in self.api.warnings[:500]]
        more = len(self.api.warnings) - len(lines)
        box = QMessageBox(self)
        box.setWindowTitle("Document warnings")
        box.setText(f"{len(self.api.warnings)} warnings in {self.api.title}")
        box.setDetailedText("\n".join(str(w) for w in self.api.warnings))
        box.setInformativeText("<br>".join(lines[:15]) + (f"<br>… and {more} more" if more else ""))
        box.setModal(False)
        box.show()

    async def settled(self) -> None:
        """Wait until loading is done and the window has painted (for screenshots)."""
        if self._load_task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._load_task
        for _ in range(2):  # let queued work (selection, docs, layout) run once
            await asyncio.sleep(0.01)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing:
            self._closing = True
            self.cancel(show=False)
            self.editor.shutdown()
            self.closed.emit()
        event.accept()
