"""The main window: the endpoint tree, the request tabs, the code panel, menus and dialogs.

The window lays things out and forwards what the user asks for; the `Workbench` (Qt-free)
owns the requests and their tasks, and each `RequestTab` shows one session. Every
keyboard shortcut is an action made from `explorer.ui.shortcuts.SHORTCUTS`.

    tree selection ──> the current tab shows that endpoint (a new tab if it was changed)
    Send (Ctrl+Enter from anywhere) ──> bench.send(session, ...) ──> tab.show_session()
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import importlib
import sys
import time
from collections.abc import Callable, Coroutine
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
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer import spec as spec_mod
from explorer.errors import RequestError, SpecError
from explorer.store import Drafts
from explorer.ui.collections_window import SavedRequests
from explorer.ui.history import HistoryPanel
from explorer.ui.request_tab import ICON_SIZE, RequestTab, method_icon
from explorer.ui.response.code import CodePanel
from explorer.ui.safe_text import cut, html_text, tooltip
from explorer.ui.shortcuts import SHORTCUTS, by_name, key_text
from explorer.ui.sidebar import Sidebar
from explorer.ui.tree import TreePanel
from explorer.ui.welcome import WelcomePage
from explorer.ui.window_parts import ConsentBar, EnvironmentBar, TabBar
from explorer.workbench import RequestSession, Services, Workbench, Workspace
from explorer.workbench.tasks import TaskSlot

# Imports of what the first paint does not need (a tab's widgets, dialogs, the HTTP model)
# are made where they are used: start-up time is mostly imports (tests/test_startup_imports.py).
if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QMessageBox

    from explorer.http.model import AuthInput, RequestInput
    from explorer.store.history import HistoryEntry
    from explorer.ui.docs import DocsView
    from explorer.ui.palette import Command, CommandPalette
    from explorer.ui.request.editor import RequestEditor
    from explorer.ui.response.view import ResponseView
    from explorer.ui.webhooks import WebhookPage
    from explorer.workbench.credentials import Credentials

__all__ = ["MainWindow", "build_window"]

CODE_PANEL_WIDTH = 380
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
UNSENT_MARK = " ●"
PRELOAD = (
    "explorer.ui.request.editor",
    "explorer.ui.response.view",
    "explorer.ui.docs",
    "explorer.http.build",
    "markdown_it",
)
"""What the first selected endpoint needs and the first paint did not: imported in a
worker thread once a document is shown, so that the first click builds widgets instead
of importing ~100 modules."""


class MainWindow(QMainWindow):
    """The explorer window (see the module docstring)."""

    closed = Signal()
    spec_loaded = Signal(object)

    def __init__(self, services: Services, *, screenshot_mode: bool = False) -> None:
        super().__init__()
        self.services = services
        self.bench = Workbench(services)
        self.bench.listeners.append(self._on_session)
        self.screenshot_mode = screenshot_mode
        self.api: spec_mod.Spec | None = None
        self.source = ""
        self.preferred_server: str | None = None
        self.workspace: Workspace | None = None
        self._closing = False
        self._tasks: set[asyncio.Future[Any]] = set()
        self._tabs_by_session: dict[int, RequestTab] = {}
        self.webhooks: WebhookPage | None = None  # the webhook workbench, made when first shown
        self.actions_by_name: dict[str, QAction] = {}
        services.on_error.append(self._show_unexpected)

        self.setWindowTitle("Explorer")
        self.setAcceptDrops(True)
        self.resize(1480, 900)

        self.tree = TreePanel()
        self.code = CodePanel()
        self.code.setMinimumWidth(240)
        self.code.setMaximumWidth(720)
        self.banner = WelcomePage()
        self.banner.open_requested.connect(self.choose_file)
        self.banner.reopen_requested.connect(lambda source: self.open_source(source))
        self.banner.operation_requested.connect(self._open_common_operation)

        self.tab_widget = QTabWidget()
        self.tab_widget.setObjectName("requestTabs")
        tab_bar = TabBar(self.tab_widget)
        tab_bar.middle_clicked.connect(self._close_at)
        self.tab_widget.setTabBar(tab_bar)
        self.tab_widget.setDocumentMode(True)
        self.tab_widget.setTabsClosable(True)
        self.tab_widget.setMovable(True)
        self.tab_widget.setElideMode(Qt.TextElideMode.ElideRight)
        self.tab_widget.setUsesScrollButtons(True)
        self.tab_widget.setIconSize(ICON_SIZE)
        self.tab_widget.tabCloseRequested.connect(self._close_at)
        self.tab_widget.currentChanged.connect(self._tab_changed)
        tab_bar.tabMoved.connect(lambda _a, _b: self._sync_session_order())
        corner = QWidget(self.tab_widget)
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 4, 0)
        corner_layout.setSpacing(2)
        new_tab = QToolButton(corner)
        new_tab.setObjectName("newTab")
        new_tab.setText("+")
        new_tab.setAutoRaise(True)
        new_tab.setToolTip(f"New request ({key_text(by_name('new_tab').keys)})")
        new_tab.clicked.connect(lambda: self.new_tab())
        self.code_button = QToolButton(corner)
        self.code_button.setObjectName("showCode")
        self.code_button.setText("‹ Code")
        self.code_button.setAutoRaise(True)
        self.code_button.setToolTip(f"Show the code panel ({key_text(by_name('code_panel').keys)})")
        corner_layout.addWidget(new_tab)
        corner_layout.addWidget(self.code_button)
        self.tab_widget.setCornerWidget(corner, Qt.Corner.TopRightCorner)

        self.centre = QStackedWidget()
        self.centre.addWidget(self.banner)
        self.centre.addWidget(self.tab_widget)
        self.consent_bar = ConsentBar()
        self.consent_bar.allowed.connect(self._allow_references)
        self.env_bar = EnvironmentBar()
        self.env_bar.chosen.connect(self.use_environment)
        self.env_bar.manage.connect(self.manage_environments)
        self.credentials: Credentials | None = None
        self.confirm_box: QMessageBox | None = None
        centre_box = QWidget()
        centre_layout = QVBoxLayout(centre_box)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.env_bar)
        centre_layout.addWidget(self.consent_bar)
        centre_layout.addWidget(self.centre, 1)

        self.spec_title = QLabel("")
        self.spec_title.setObjectName("specTitle")
        self.spec_title.setTextFormat(Qt.TextFormat.RichText)  # our markup, escaped text
        self.spec_title.setContentsMargins(8, 6, 8, 2)
        self.spec_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.spec_title.setWordWrap(True)  # a long title must not widen the tree
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.spec_title)
        left_layout.addWidget(self.tree, 1)
        # The left side's pages (added below, once their actions exist): the endpoints,
        # the saved requests, the history.
        self.history_panel = HistoryPanel(services.history_store(), services.settings)
        self.history_panel.open_requested.connect(self.open_history_entry)
        self.history_panel.message.connect(self.set_status)
        self.sidebar = Sidebar()

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("mainSplit")
        self.split.addWidget(self.sidebar)
        self.split.addWidget(centre_box)
        self.split.addWidget(self.code)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setStretchFactor(2, 0)
        self.split.setSizes([340, 760, CODE_PANEL_WIDTH])
        self.split.setChildrenCollapsible(False)
        self.setCentralWidget(self.split)

        self._status_label = QLabel()
        self._status_label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote spec text
        self.statusBar().addWidget(self._status_label, 1)
        self._notice = QPushButton()
        self._notice.setObjectName("notice")
        self._notice.setFlat(True)
        self._notice.setStyleSheet("QPushButton { color: #c92a2a; text-align: left; }")
        self._notice.setToolTip("Click to dismiss")
        self._notice.clicked.connect(self._notice.hide)
        self._notice.hide()
        self.statusBar().addPermanentWidget(self._notice)
        self._warnings_button = QPushButton()
        self._warnings_button.setFlat(True)
        self._warnings_button.setVisible(False)
        self._warnings_button.clicked.connect(self.show_warnings)
        self.statusBar().addPermanentWidget(self._warnings_button)

        self._code_timer = QTimer(self)
        self._code_timer.setSingleShot(True)
        self._code_timer.setInterval(120)
        self._code_timer.timeout.connect(self.refresh_code)
        self.command_palette: CommandPalette | None = None
        """The command palette (Ctrl+Shift+P), made on first use."""
        self.close_box: QMessageBox | None = None
        """The question before closing a tab with unsaved changes, while it is shown."""
        self._code_task = TaskSlot("code panel credentials")
        self._code_creds: dict[int, tuple[AuthInput, ...]] = {}
        """What each tab's request would send as credentials, for the code panel."""

        self.tree.operation_selected.connect(self.select_operation)
        self._build_menus()
        self.saved = SavedRequests(self)  # the Collections panel, Ctrl+S, tabs of saved requests
        self.sidebar.add_page("Endpoints", left, self.actions_by_name["endpoints"])
        self.sidebar.add_page("Collections", self.saved.panel, self.actions_by_name["collections"])
        self.sidebar.add_page("History", self.history_panel, self.actions_by_name["history"])
        self._restore_layout()
        self._update_actions()
        if services.settings.problem:
            self.notice(services.settings.problem)
        services.history_store().listen(self.notice)  # a damaged or locked history file

    # -- compatibility: the current tab's parts -------------------------------------------

    def current_tab(self) -> RequestTab | None:
        page = self.tab_widget.currentWidget()
        return page if isinstance(page, RequestTab) else None

    def tabs(self) -> list[RequestTab]:
        """The open tabs, in the order shown."""
        out = []
        for i in range(self.tab_widget.count()):
            page = self.tab_widget.widget(i)
            if isinstance(page, RequestTab):
                out.append(page)
        return out

    def _tab_at(self, index: int) -> RequestTab | None:
        page = self.tab_widget.widget(index)
        return page if isinstance(page, RequestTab) else None

    def _current_built(self) -> RequestTab:
        tab = self.current_tab()
        if tab is None:
            raise RuntimeError("no request tab is open")
        tab.ensure_built()
        return tab

    @property
    def editor(self) -> RequestEditor:
        """The current tab's request editor."""
        return self._current_built().editor

    @property
    def response(self) -> ResponseView:
        """The current tab's response view."""
        return self._current_built().response

    @property
    def docs(self) -> DocsView:
        return self._current_built().docs

    @property
    def current_op(self) -> spec_mod.Operation | None:
        tab = self.current_tab()
        return tab.operation() if tab is not None else None

    # -- menus and layout -----------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        menus: dict[str, QMenu] = {}
        slots: dict[str, Callable[[], object]] = {
            "open": self.choose_file,
            "open_url": self.choose_url,
            "open_demo": self.open_demo,
            "quit": self.close,
            "new_tab": self.new_tab,
            "close_tab": lambda: self.close_tab(self.current_tab()),
            "reopen_tab": self.reopen_closed_tab,
            "next_tab": lambda: self._step_tab(1),
            "previous_tab": lambda: self._step_tab(-1),
            "find_endpoint": self._find_endpoint,
            "focus_url": self.focus_address,
            "send": self.send,
            "cancel": self.cancel,
            "save": lambda: self.saved.save(),
            "save_as": lambda: self.saved.save(as_new=True),
            "open_collection": lambda: self.saved.choose_collection(),
            "new_collection": lambda: self.saved.choose_new_collection(),
            "import_collection": lambda: self.saved.choose_import(),
            "palette": lambda: self.show_palette(),
            "shortcuts": self.show_shortcuts,
            "warnings": self.show_warnings,
            "webhooks": lambda: self.show_webhooks(),
            "history": self.show_history,
        }
        for shortcut in SHORTCUTS:
            menu = menus.get(shortcut.menu)
            if menu is None:
                menu = menus[shortcut.menu] = bar.addMenu("&" + shortcut.menu)
            if shortcut.name == "quit":
                menu.addSeparator()
            action = QAction(shortcut.text, self)
            action.setShortcuts([QKeySequence(k) for k in shortcut.keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setStatusTip(shortcut.description)
            slot = slots.get(shortcut.name)
            if slot is not None:
                action.triggered.connect(lambda _checked=False, s=slot: s())
            menu.addAction(action)
            self.addAction(action)
            self.actions_by_name[shortcut.name] = action
            if shortcut.name == "open_demo":
                self.recent_menu = menu.addMenu("Open &recent")
                self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._build_copy_as(menus["Request"])
        self.code_action = self.actions_by_name["code_panel"]
        self.code_action.setCheckable(True)
        self.code_action.setChecked(bool(self.services.settings.get("window.code_panel")))
        self.code_action.toggled.connect(self._toggle_code)
        self.code.setVisible(self.code_action.isChecked())
        self.code_button.setVisible(not self.code_action.isChecked())
        self.code_button.clicked.connect(lambda: self.code_action.setChecked(True))
        self.code.hide_button.clicked.connect(lambda: self.code_action.setChecked(False))

    def _find_endpoint(self) -> None:
        """Ctrl+K: the endpoint tree's filter (its sidebar page shown)."""
        self.sidebar.show_page("Endpoints")
        self.tree.focus_filter()

    def show_common_operations(self) -> None:
        """The demo's welcome page: ECOSIRE's common operations as snippets in the code
        panel's language, sent to the demo's local server."""
        api, base = self.api, self.preferred_server
        if api is None or not base or api.source != str(self.services.demo_spec):
            return
        from explorer.snippet import common_operations

        snippet = self.code.snippet
        items = common_operations(api, base, snippet.name)
        self.banner.show_operations(items, snippet.title, snippet.lexer)

    def _open_common_operation(self, key: str) -> None:
        if self.tree.select_operation(key):
            self.refresh_code()

    def _build_copy_as(self, request_menu: QMenu) -> None:
        """Request > Copy as: the current request as code in any language; and the code
        panel's language and curl spelling, remembered in the settings."""
        from explorer.http.snippets import SNIPPETS

        request_menu.addSeparator()
        self.copy_as_menu = request_menu.addMenu("Copy &as")
        self.copy_as_menu.setObjectName("copyAsMenu")
        for snippet in SNIPPETS:
            action = self.copy_as_menu.addAction(snippet.title)
            action.triggered.connect(lambda _c=False, n=snippet.name: self.copy_as(n))
        settings = self.services.settings
        self.code.set_language(settings.get("code.language"))
        self.code.set_long_flags(settings.get("code.curl_long_flags"))
        self.code.language_changed.connect(lambda name: settings.set("code.language", name))
        self.code.language_changed.connect(lambda _name: self.show_common_operations())
        self.code.long_flags_changed.connect(lambda on: settings.set("code.curl_long_flags", on))

    def _toggle_code(self, on: bool) -> None:
        """Show or collapse the code panel (its width goes to the request, never the
        other way: the response keeps its height either way)."""
        self.code.setVisible(on)
        self.code_button.setVisible(not on)
        self.services.settings.set("window.code_panel", on)
        if on:
            sizes = self.split.sizes()
            if sizes[2] < 200:  # coming back collapsed: give it its width from the centre
                give = CODE_PANEL_WIDTH - sizes[2]
                self.split.setSizes([sizes[0], max(400, sizes[1] - give), CODE_PANEL_WIDTH])
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
                if len(sizes) >= 3:
                    self.split.setSizes(sizes[:3])

    def save_state(self) -> None:
        """Remember the layout, the open tabs and what was typed (drafts, no secrets)."""
        settings = self.services.settings
        if not self.screenshot_mode:
            settings.set("window.geometry", bytes(self.saveGeometry().toBase64().data()).decode())
            settings.set("window.state", ",".join(str(s) for s in self.split.sizes()))
        message = settings.try_save()
        if self.workspace is not None:
            self._remember_all()
            try:
                self.workspace.save()
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
        if self.api is None:
            self.centre.setCurrentWidget(self.banner)
        self.set_status("Starting the demo API server…")
        try:
            base = await self.services.start_demo_server()
        except Exception as exc:  # the demo must still open without its server
            self.set_status(f"The demo server could not start: {exc}")
            base = ""
        preferred = f"{base}/api" if base else None
        return await self.open_source_async(str(self.services.demo_spec), preferred)

    def open_source(
        self, source: str, preferred_server: str | None = None, *, trust: tuple[str, ...] = ()
    ) -> None:
        self._spawn(self.open_source_async(source, preferred_server, trust=trust))

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run `coro` as a task the window keeps until it ends."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def open_source_async(
        self, source: str, preferred_server: str | None = None, *, trust: tuple[str, ...] = ()
    ) -> bool:
        """Load a document off the event loop; on failure show why and keep the old one.
        `trust` names the references to follow that need consent ("outside", "remote")."""
        task = self.bench.load(self._load(source, preferred_server, trust))
        try:
            return bool(await task)
        except asyncio.CancelledError:
            return False

    async def _load(
        self, source: str, preferred_server: str | None, trust: tuple[str, ...] = ()
    ) -> bool:
        self.set_status(f"Opening {source}…")
        if self.api is None:
            self.banner.show_loading(source)
            self.centre.setCurrentWidget(self.banner)
        started = time.perf_counter()
        try:
            api = await asyncio.to_thread(
                spec_mod.load,
                source,
                allow_outside_refs="outside" in trust,
                allow_remote_refs="remote" in trust,
            )
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
            self._spawn(self._preload())
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
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setWindowTitle("Could not open the document")
            box.setText(f"{source} could not be opened; {self.api.title} stays open.")
            box.setInformativeText(message)
            box.setModal(False)
            box.show()

    def _set_spec(self, api: spec_mod.Spec, preferred_server: str | None) -> None:
        if self.workspace is not None:
            self._remember_all()
            with contextlib.suppress(Exception):
                self.workspace.save()
        self._close_all_tabs()
        self.api = api
        self.source = api.source
        self.preferred_server = preferred_server
        self.workspace = Workspace(Drafts(api.source), preferred_server)
        if self.workspace.problem:
            self.notice(self.workspace.problem)
        self.tree.set_spec(api)
        if self.webhooks is not None:
            self.webhooks.set_spec(api, preferred_server)
        self.code.set_request(None)
        self.banner.show_spec(api)
        # On the demo, offer the document of the last session (the demo opens by default).
        last = self.services.settings.get("general.last_spec")
        on_demo = api.source == str(self.services.demo_spec)
        self.banner.offer_reopen(last if on_demo and last != api.source else "")
        self.banner.show_operations([])
        if on_demo and preferred_server:
            QTimer.singleShot(0, self.show_common_operations)
        self.setWindowTitle(f"{cut(api.title, 100)} {cut(api.version, 40)} — Explorer")
        self.spec_title.setText(
            f"<b>{html_text(api.title, 300)}</b> <span style='color:#868e96'>"
            f"{html_text(api.version, 100)} · OpenAPI {html_text(api.openapi_version, 100)}"
            "</span>"
        )
        self.spec_title.setToolTip(tooltip(api.source))
        self._update_warnings()
        self.consent_bar.offer(api.consent)
        self._set_credentials(api, preferred_server)
        self._restore_tabs()
        self.centre.setCurrentWidget(self.tab_widget if self.tabs() else self.banner)
        self._update_actions()
        self.spec_loaded.emit(api)

    # -- environments and credentials -----------------------------------------------------

    def _set_credentials(self, api: spec_mod.Spec, preferred_server: str | None) -> None:
        """The document's environments and credentials (the keyring is read on demand)."""
        from explorer.workbench.credentials import Credentials

        services = self.services
        store = services.environment_store()
        if store.problem:
            self.notice(store.problem)
        creds = Credentials(
            api, store.for_api(api.title), services.secret_store(), usage=services.usage_store()
        )
        if preferred_server:
            creds.defaults["baseUrl"] = preferred_server  # the demo's local server
        self.credentials = creds
        self.bench.credentials = creds
        self._show_environment()

    def _show_environment(self) -> None:
        creds = self.credentials
        if creds is None:
            return
        envs = creds.envs
        self.env_bar.show_environments(
            [e.name for e in envs.environments], creds.env.name, creds.env.production
        )
        self.env_bar.say(creds.secrets.problem)
        for tab in self.tabs():
            if tab.built:
                tab.editor.set_variables(creds.variables())

    def use_environment(self, name: str) -> None:
        """Switch to another environment: its variables and credentials from now on."""
        creds = self.credentials
        if creds is None or creds.envs.get(name) is None:
            return
        creds.envs.use(name)
        self._show_environment()
        message = self.services.environment_store().try_save()
        self.set_status(message or f"Environment: {name}")
        self._refresh_auth()
        self.refresh_code()

    def manage_environments(self) -> None:
        """The environments and credentials manager."""
        if self.credentials is None:
            return
        from explorer.ui.environments import EnvironmentsDialog

        dialog = EnvironmentsDialog(self.credentials, self.services, self)
        dialog.changed.connect(self._environments_changed)
        dialog.show()
        self.environments_dialog = dialog

    def _environments_changed(self) -> None:
        self.services.environment_store().try_save()
        self._show_environment()
        self._refresh_auth()

    def use_as_token(self, token: str, tab: RequestTab | None = None) -> None:
        """ "Use as token" on a string of a response: keep it as the token of a bearer or
        login slot of the environment in use (asked which when there are several)."""
        creds = self.credentials
        if creds is None:
            return
        tab = tab or self.current_tab()
        names = creds.token_slots(tab.operation() if tab is not None else None)
        if not names:
            self.set_status("This API has no bearer or login credential to keep a token in.")
            return
        name = names[0]
        if len(names) > 1:
            from PySide6.QtWidgets import QInputDialog

            labels = [f"{n} ({creds.kind_of(n)})" for n in names]
            chosen, ok = QInputDialog.getItem(
                self, "Use as token", f"Keep the token in ({creds.env.name}):", labels, 0, False
            )
            if not ok:
                return
            name = names[labels.index(chosen)]
        self._spawn(self._keep_token(name, token))

    async def _keep_token(self, name: str, token: str) -> None:
        creds = self.credentials
        if creds is None:
            return
        await creds.use_token(name, token)
        self.set_status(f"Token kept in {name} ({creds.env.name}): sent from the next request on")
        if creds.secrets.problem:
            self.notice(creds.secrets.problem)
        self._refresh_auth()

    def _refresh_auth(self) -> None:
        tab = self.current_tab()
        if tab is not None and tab.built:
            self._show_slots(tab)

    def _show_slots(self, tab: RequestTab) -> None:
        """The environment's credentials on the tab's Auth tab (and its variables)."""
        if not tab.built or self._closing:
            return
        tab.editor.slots.login_with = lambda scheme: self._login_now(tab, scheme)
        tab.editor.slots.save_settings = self.services.environment_store().try_save
        tab.show_slots(self.credentials)

    async def _login_now(self, tab: RequestTab, scheme: str) -> str:
        """Log a login slot in now (the Auth tab's button): "" or why it failed."""
        from explorer.errors import AuthError
        from explorer.workbench.variables import substitute

        creds = self.credentials
        if creds is None:
            return ""
        sender = await self.services.get_sender()
        options = tab.editor.transport_options()
        inp, _unknown = substitute(tab.editor.request_input(), creds.variables())
        try:
            await creds.login(scheme, inp.base_url, lambda p: sender.send(p, options))
        except AuthError as exc:
            self.set_status(str(exc))
            return str(exc)
        self.set_status(f"Logged in ({creds.env.name}).")
        return ""

    def _allow_references(self, kinds: tuple[str, ...]) -> None:
        """The user lets the document's references reach what they name: open it again."""
        if self.api is not None:
            self.open_source(self.api.source, self.preferred_server, trust=kinds)

    def _update_warnings(self) -> None:
        """The warnings count (lazily resolved operations add to the document's list)."""
        count = len(self.api.warnings) if self.api is not None else 0
        self._warnings_button.setText(f"⚠ {count} warning{'s' if count != 1 else ''}")
        self._warnings_button.setVisible(count > 0)

    def choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open an OpenAPI document",
            "",
            "OpenAPI documents (*.json *.yaml *.yml);;All files (*)",
        )
        if path:
            self.open_source(path)

    def choose_url(self) -> None:
        from PySide6.QtWidgets import QInputDialog

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

    # -- tabs -----------------------------------------------------------------------------

    def _add_tab(
        self, session: RequestSession, state: Any = None, *, show: bool = True
    ) -> RequestTab:
        """A tab for a session of the workbench, filled for the open document."""
        tab = RequestTab(session)
        tab.state_synced.connect(self._state_synced)
        tab.send_requested.connect(self._send_session)
        tab.cancel_requested.connect(lambda s: self.bench.cancel(s))
        tab.retargeted.connect(self._retargeted)
        tab.copy_as_requested.connect(self.copy_as)
        tab.use_as_token.connect(lambda token, tab=tab: self.use_as_token(token, tab))
        self.saved.attach(tab)
        self._tabs_by_session[session.id] = tab
        if self.api is not None:
            tab.load(self.api, self.preferred_server, state)
        index = self.tab_widget.addTab(tab, method_icon(tab.method()), tab.title())
        self._decorate(tab)
        if show:
            self.centre.setCurrentWidget(self.tab_widget)
            self.tab_widget.setCurrentIndex(index)
        return tab

    def new_tab(self, op: spec_mod.Operation | None = None) -> RequestTab | None:
        """Open a tab: for `op`, or an ad-hoc request (Ctrl+T)."""
        if self.api is None:
            return None
        session = self.bench.open(RequestSession(op_key=op.key if op is not None else None))
        tab = self._add_tab(session, self._draft_for(session.op_key))
        if op is None:
            self.focus_address()
        return tab

    def close_tab(self, tab: RequestTab | None, *, ask: bool = True) -> None:
        """Close a tab; a request it sends is cancelled (Ctrl+Shift+T brings it back). A
        saved request with unsaved changes asks first (Save, Don't save, Cancel)."""
        if tab is None:
            return
        tab.sync_state()
        if ask and tab.session.saved is not None and tab.session.unsaved and not self._closing:
            self._ask_before_closing(tab)
            return
        self._remember(tab)
        self.bench.close(tab.session)
        self._tabs_by_session.pop(tab.session.id, None)
        index = self.tab_widget.indexOf(tab)
        if index >= 0:
            self.tab_widget.removeTab(index)
        tab.shutdown()
        tab.deleteLater()
        if not self.tab_widget.count():
            self.centre.setCurrentWidget(self.banner)
            self.code.set_request(None)
        self._update_actions()

    def show_palette(self, text: str = "") -> None:
        """Ctrl+Shift+P: the command palette (made on first use)."""
        if self.command_palette is None:
            from explorer.ui.palette import CommandPalette

            self.command_palette = CommandPalette(self._palette_commands, self)
        self.command_palette.open_palette(text)

    def _palette_commands(self) -> list[Command]:
        """What the palette offers now: the enabled menu actions, Copy as in every
        language (with a request open), the environments, the document's endpoints."""
        from functools import partial

        from explorer.http.snippets import SNIPPETS
        from explorer.ui.palette import Command

        out: list[Command] = []
        for shortcut in SHORTCUTS:
            action = self.actions_by_name[shortcut.name]
            if shortcut.name != "palette" and action.isEnabled():
                title = shortcut.text.replace("&", "")
                out.append(
                    Command(title, key_text(shortcut.keys), shortcut.description, action.trigger)
                )
        if self.current_tab() is not None:
            for snippet in SNIPPETS:
                out.append(
                    Command(
                        f"Copy as {snippet.title}",
                        "",
                        f"the request as code ({snippet.name}), onto the clipboard",
                        partial(self.copy_as, snippet.name),
                    )
                )
        creds = self.credentials
        if creds is not None:
            for env in creds.envs.environments:
                mark = " (production)" if env.production else ""
                out.append(
                    Command(
                        f"Environment: {env.name}{mark}",
                        "",
                        "use its variables and credentials from now on",
                        partial(self.use_environment, env.name),
                    )
                )
        if self.api is not None:
            for op in self.api.operations:
                out.append(
                    Command(
                        f"{op.method} {op.path}",
                        "",
                        f"{op.summary} ({op.module})",
                        partial(self.tree.select_operation, op.key),
                    )
                )
        return out

    def _ask_before_closing(self, tab: RequestTab) -> None:
        """Save a saved request's changes before its tab closes? (not modal: the window
        keeps working; the answer closes the tab, saved or not, or keeps it)."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"Save the changes to “{tab.title()}” before closing it?")
        box.setInformativeText(
            "Don't save: the file keeps what it had (Ctrl+Shift+T reopens the tab)."
        )
        save = box.addButton(QMessageBox.StandardButton.Save)
        discard = box.addButton("Don't save", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.setModal(False)

        def answered() -> None:
            self.close_box = None
            if tab not in self.tabs():
                return
            if box.clickedButton() is save:
                self.saved.save(tab)
                if not tab.session.unsaved:
                    self.close_tab(tab, ask=False)
            elif box.clickedButton() is discard:
                self.close_tab(tab, ask=False)

        box.finished.connect(lambda _r: answered())
        self.close_box = box
        box.show()

    def _close_at(self, index: int) -> None:
        """Close the tab at `index`: a request tab, or the webhook page (kept, with its
        receiver running, for the next time it is shown)."""
        page = self.tab_widget.widget(index)
        if page is not None and page is self.webhooks:
            self.tab_widget.removeTab(index)
            if not self.tab_widget.count():
                self.centre.setCurrentWidget(self.banner)
            return
        self.close_tab(self._tab_at(index))

    def show_webhooks(self, event: str | None = None) -> WebhookPage:
        """Show the webhook workbench as a tab (made on first use), on `event` if given."""
        from explorer.ui.webhooks import WebhookPage

        if self.webhooks is None:
            self.webhooks = WebhookPage(self.services)
            self.webhooks.set_spec(self.api, self.preferred_server)
        if self.tab_widget.indexOf(self.webhooks) < 0:
            self.tab_widget.addTab(self.webhooks, "Webhooks")
        self.centre.setCurrentWidget(self.tab_widget)
        self.tab_widget.setCurrentWidget(self.webhooks)
        if event:
            self.webhooks.select_event(event)
        return self.webhooks

    def show_history(self) -> HistoryPanel:
        """The History page, with the cursor in its search field (Ctrl+H)."""
        self.sidebar.setCurrentWidget(self.history_panel)
        self.history_panel.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.history_panel.search.selectAll()
        return self.history_panel

    def open_history_entry(self, entry: HistoryEntry) -> RequestTab | None:
        """A request of the history in a new tab, as it was sent (without its secrets)."""
        if self.api is None:
            self.set_status("Open a document first: a request of the history opens in a tab")
            return None
        from explorer.workbench.history import reopen_state

        op_key, state = reopen_state(entry, self.api, self.preferred_server)
        return self._add_tab(self.bench.open(RequestSession(op_key=op_key)), state)

    def reopen_closed_tab(self) -> RequestTab | None:
        session = self.bench.reopen_closed()
        if session is None:
            return None
        session.phase = "idle" if session.phase == "sending" else session.phase
        return self._add_tab(session, session.state)

    def _close_all_tabs(self) -> None:
        for tab in self.tabs():
            tab.shutdown()
            tab.deleteLater()
        self.tab_widget.clear()
        self._tabs_by_session.clear()
        self.bench.clear()

    def _step_tab(self, step: int) -> None:
        count = self.tab_widget.count()
        if count > 1:
            self.tab_widget.setCurrentIndex((self.tab_widget.currentIndex() + step) % count)

    def _sync_session_order(self) -> None:
        order = {tab.session.id: i for i, tab in enumerate(self.tabs())}
        self.bench.sessions.sort(key=lambda s: order.get(s.id, len(order)))

    def _tab_changed(self, _index: int) -> None:
        if self._closing:
            return
        tab = self.current_tab()
        if tab is None:
            self.code.set_request(None)  # the webhook page: no request of a tab to show
            self._update_actions()
            return
        tab.ensure_built()
        self._show_slots(tab)
        op = tab.operation()
        if op is not None and self.tree.current_operation() is not op:
            self.tree.select_operation(op.key)
        self._show_session_status(tab.session)
        self._update_actions()
        self._update_warnings()
        self.refresh_code()

    def _decorate(self, tab: RequestTab) -> None:
        """The tab's icon (method), text (with a dot for unsent changes) and tooltip."""
        index = self.tab_widget.indexOf(tab)
        if index < 0:
            return
        saved = tab.session.saved is not None
        dirty = tab.session.unsaved if saved else tab.session.unsent
        text = tab.title() + (UNSENT_MARK if dirty else "")
        self.tab_widget.setTabText(index, text)
        self.tab_widget.setTabIcon(index, method_icon(tab.method()))
        op = tab.operation()
        tip = op.key if op is not None else "Ad-hoc request"
        if saved and tab.session.saved is not None:
            tip += f"\nSaved in {tab.session.saved.path}"
        if dirty:
            tip += "\n● changed since it was last " + ("saved" if saved else "sent")
        self.tab_widget.setTabToolTip(index, tooltip(tip))

    def focus_address(self) -> None:
        """Put the cursor in the current tab's address (a new tab when there is none)."""
        if self.current_tab() is None and self.new_tab() is None:
            return
        address = self.editor.address
        address.setFocus(Qt.FocusReason.ShortcutFocusReason)
        address.selectAll()

    # -- endpoints ------------------------------------------------------------------------

    @property
    def drafts(self) -> Drafts | None:
        """The open document's drafts file (what was typed, the open tabs)."""
        return self.workspace.drafts if self.workspace is not None else None

    def _draft_for(self, op_key: str | None) -> dict[str, Any] | None:
        return self.workspace.draft_for(op_key) if self.workspace is not None else None

    def _remember(self, tab: RequestTab) -> None:
        """Keep what was typed for the tab's endpoint (the per-endpoint draft)."""
        if self.workspace is not None and tab.session.edited:
            self.workspace.remember(tab.session.op_key, tab.redacted(tab.session.state))

    def _remember_all(self) -> None:
        if self.workspace is None:
            return
        tabs = self.tabs()
        for tab in tabs:
            tab.sync_state()
            self._remember(tab)
        self.workspace.keep_tabs(
            [tab.session.persisted(tab.redacted) for tab in tabs], self.tab_widget.currentIndex()
        )

    def _restore_tabs(self) -> None:
        """Bring back the tabs open when this document was last closed (no secrets)."""
        if self.workspace is None:
            return
        restored, active = self.workspace.restored_tabs()
        for session, state in restored:
            self.bench.open(session)
            self._add_tab(session, state, show=False)
        if self.tabs():
            self.tab_widget.setCurrentIndex(min(max(active, 0), self.tab_widget.count() - 1))
        self.saved.restore_links()

    def select_operation(self, op: spec_mod.Operation) -> None:
        """The tree's selection: where the workbench places it (`Workbench.place`)."""
        if self.api is None:
            return
        if op.kind != "operation":  # an event the API sends: the webhook workbench
            self.show_webhooks(op.key)
            return
        tab = self.current_tab()
        if tab is not None:
            tab.sync_state()
        placement, session = self.bench.place(op.key, tab.session if tab is not None else None)
        if placement == "switch" and session is not None:
            self.tab_widget.setCurrentWidget(self._tabs_by_session[session.id])
        elif placement == "new":
            self.new_tab(op)
        elif placement == "reuse" and tab is not None:
            self._remember(tab)
            tab.session.retarget(op.key)
            tab.load(self.api, self.preferred_server, self._draft_for(op.key))
            self._show_slots(tab)
            self._decorate(tab)
            self._show_session_status(tab.session)
            self.refresh_code()
        self._update_warnings()

    def _state_synced(self, session: RequestSession) -> None:
        tab = self._tabs_by_session.get(session.id)
        if tab is not None:
            self._remember(tab)
            self._decorate(tab)
            if tab is self.current_tab():
                self._code_timer.start()

    def _retargeted(self, session: RequestSession) -> None:
        tab = self._tabs_by_session.get(session.id)
        if tab is None:
            return
        self._decorate(tab)
        self._show_slots(tab)
        op = tab.operation()
        if op is not None and tab is self.current_tab():
            self.tree.select_operation(op.key)
        self._update_warnings()

    def refresh_code(self) -> None:
        """Show the current request in the code panel as it would be sent (the
        environment's variables filled in, its credentials as the environment variables
        the code reads); one that cannot be sent yet is shown as far as it is filled in,
        with why it is not ready."""
        self._code_timer.stop()
        tab = self.current_tab()
        if tab is None or not tab.built or not self.code.isVisible():
            return
        from explorer.http.build import build_request
        from explorer.http.snippets import SnippetContext

        inp = self._code_input(tab)
        context = SnippetContext(self.api, tab.operation(), inp)
        try:
            prepared = build_request(inp)
        except RequestError as exc:
            lenient = build_request(inp, lenient=True)
            self.code.set_request(lenient, unfinished=str(exc), context=context)
        else:
            self.code.set_request(prepared, context=context)
        if self.credentials is not None and inp.auth is None and tab.operation() is not None:
            self._code_task.start(self._code_credentials(tab))

    def _code_input(self, tab: RequestTab) -> RequestInput:
        """The tab's request as the code panel and Copy as show it: variables filled in,
        and the credentials a send would add (as far as they are known: `_code_creds`)."""
        inp = tab.editor.request_input()
        creds = self.credentials
        if creds is None:
            return inp
        from explorer.workbench.variables import substitute

        inp, _unknown = substitute(inp, creds.variables())
        if inp.auth is None:
            inp = dataclasses.replace(inp, credentials=self._code_creds.get(tab.session.id, ()))
        return inp

    async def _code_credentials(self, tab: RequestTab) -> None:
        """Find what the environment would send for the tab's endpoint (keyring reads
        off the loop, no login) and show the code again when it changed."""
        creds = self.credentials
        if creds is None:
            return
        found = await creds.preview_inputs(tab.operation())
        if found != self._code_creds.get(tab.session.id, ()) and not self._closing:
            self._code_creds[tab.session.id] = found
            if tab is self.current_tab():
                self.refresh_code()

    def copy_as(self, language: str) -> str:
        """Put the current request on the clipboard as code in `language` (secrets as
        environment variables, as the code panel's options say for curl); returns the
        text ("" when there is no request)."""
        tab = self.current_tab()
        if tab is None:
            self.set_status("No request to copy: pick an endpoint first")
            return ""
        tab.ensure_built()
        from PySide6.QtGui import QGuiApplication

        from explorer.http.build import build_request
        from explorer.http.snippets import SnippetContext, SnippetOptions, by_name

        inp = self._code_input(tab)
        snippet = by_name(language)
        unfinished = ""
        try:
            prepared = build_request(inp)
        except RequestError as exc:
            prepared, unfinished = build_request(inp, lenient=True), str(exc)
        options = SnippetOptions(long_flags=self.code.long_action.isChecked())
        text = snippet.generate(prepared, options, SnippetContext(self.api, tab.operation(), inp))
        QGuiApplication.clipboard().setText(text)
        note = f" (not ready to run: {unfinished})" if unfinished else ""
        self.set_status(f"Copied the request as {snippet.title}{note}")
        return text

    # -- sending --------------------------------------------------------------------------

    def send(self) -> None:
        """Send the current tab's request; a send in flight is replaced."""
        tab = self.current_tab()
        if tab is not None:
            self._send_session(tab.session)

    def _send_session(self, session: RequestSession) -> None:
        tab = self._tabs_by_session.get(session.id)
        if tab is None:
            return
        tab.ensure_built()
        tab.editor.prepare_to_send()
        tab.editor.clear_field_errors()
        tab.sync_state()
        inp = tab.editor.request_input()
        creds = self.credentials
        if creds is not None and creds.env.production and inp.method not in _SAFE_METHODS:
            self._confirm_production(tab, inp.method)
            return
        self._send_now(tab)

    def _send_now(self, tab: RequestTab) -> None:
        self.bench.send(
            tab.session,
            tab.editor.request_input(),
            tab.editor.transport_options(),
            op=tab.operation(),
        )

    def _confirm_production(self, tab: RequestTab, method: str) -> None:
        """Ask before a request that changes things goes to production (not modal: the
        window keeps working; the answer sends it, or not)."""
        from PySide6.QtWidgets import QMessageBox

        env = self.credentials.env.name if self.credentials is not None else "production"
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle("Send to production?")
        box.setText(f"This {method} request goes to '{env}', a production environment.")
        box.setInformativeText("It may change real data. Send it?")
        send = box.addButton("Send", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setModal(False)

        def answered() -> None:
            if box.clickedButton() is send and tab in self.tabs():
                self._send_now(tab)
            else:
                self.set_status("Not sent to production.")
            self.confirm_box = None

        box.finished.connect(lambda _r: answered())
        self.confirm_box = box
        box.show()

    async def send_and_wait(self) -> None:
        """Send the current request and wait until its response (or failure) is shown."""
        tab = self.current_tab()
        if tab is None:
            return
        self.send()
        while tab.session.phase == "sending":
            await asyncio.sleep(0.01)

    async def _preload(self) -> None:
        """Import `PRELOAD` off the event loop (module code only: no widget is made)."""
        for name in PRELOAD:
            if name not in sys.modules:
                await asyncio.to_thread(importlib.import_module, name)

    async def _warm_sender(self) -> None:
        from explorer.http.model import TransportOptions

        sender = await self.services.get_sender()
        tab = self.current_tab()
        options = TransportOptions()
        if tab is not None and tab.built:
            options = tab.editor.transport_options()
        await sender.warm(options)

    def cancel(self) -> None:
        """Cancel the current tab's request in flight (Esc)."""
        tab = self.current_tab()
        if tab is not None:
            self.bench.cancel(tab.session)

    def _on_session(self, session: RequestSession) -> None:
        """The workbench changed a session's phase: show it."""
        tab = self._tabs_by_session.get(session.id)
        if tab is None:
            return
        tab.show_session()
        self._decorate(tab)
        if tab is self.current_tab():
            self._show_session_status(session)
            self._update_actions()
            if session.phase == "done" and self.credentials is not None and tab.built:
                # a login, a renewed token, a cookie the send brought
                tab.editor.slots.refresh_views(self.credentials, tab.operation())
                self._code_timer.start()

    def _show_session_status(self, session: RequestSession) -> None:
        from explorer.http.model import NetworkFailure, ResponseResult

        if session.phase == "done" and isinstance(session.result, ResponseResult):
            result = session.result
            note = f" · {session.note}" if session.note else ""
            self.set_status(
                f"{result.status} {result.reason} in {result.timing.total * 1000:.0f} ms{note}"
            )
        elif session.phase == "done" and isinstance(session.result, NetworkFailure):
            self.set_status(session.result.message)
        elif session.phase == "sending":
            self.set_status("Sending…")
        elif session.phase == "cancelled":
            self.set_status("Request cancelled")
        elif session.phase == "error":
            self.set_status(session.error)
        else:
            self.set_status("")

    def _update_actions(self) -> None:
        tab = self.current_tab()
        has_tab = tab is not None
        sending = has_tab and tab is not None and tab.session.phase == "sending"
        actions = self.actions_by_name
        actions["cancel"].setEnabled(sending)  # Esc is free for widgets otherwise
        actions["send"].setEnabled(has_tab)
        actions["save"].setEnabled(has_tab)
        actions["save_as"].setEnabled(has_tab)
        actions["close_tab"].setEnabled(has_tab)
        actions["reopen_tab"].setEnabled(bool(self.bench.closed))
        actions["new_tab"].setEnabled(self.api is not None)

    # -- feedback -------------------------------------------------------------------------

    def set_status(self, text: str) -> None:
        self._status_label.setText(text)

    def notice(self, text: str) -> None:
        """Tell the user something once, where it stays until dismissed (a damaged file
        moved aside, ...): ordinary status messages do not cover it."""
        self._notice.setText("⚠ " + cut(text, 300))
        self._notice.show()

    def _show_unexpected(self, message: str) -> None:
        self.set_status(message)

    def show_warnings(self) -> None:
        if self.api is None:
            return
        from PySide6.QtWidgets import QMessageBox

        warnings = self.api.warnings
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle("Document warnings")
        box.setText(f"{len(warnings)} warnings in {self.api.title}")
        lines = [str(w) for w in warnings[:15]]
        more = len(warnings) - len(lines)
        box.setInformativeText("\n".join(lines) + (f"\n… and {more} more" if more > 0 else ""))
        box.setDetailedText("\n".join(str(w) for w in warnings[:5000]))
        box.setModal(False)
        box.show()

    def show_shortcuts(self) -> QDialog:
        """Help > Keyboard shortcuts: the table every shortcut is declared in."""
        from explorer.ui.window_parts import shortcuts_dialog

        dialog = shortcuts_dialog(self)
        dialog.show()
        return dialog

    async def settled(self) -> None:
        """Wait until loading is done and the window has painted (for screenshots)."""
        task = self.bench.loading
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        # Let queued work (selection, docs, layout) run once: two turns of the event loop;
        # a tab's response renders in timed slices, so with a tab open each turn waits a bit.
        pause = 0.01 if self.current_tab() is not None else 0
        for _ in range(2):
            await asyncio.sleep(pause)

    async def aclose(self) -> None:
        """Cancel every request and load of the window, and wait for them to end."""
        await self.bench.aclose()
        await self.saved.panel.aclose()
        await self.saved.aclose()
        if self.webhooks is not None:
            await self.webhooks.aclose()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing:
            self._closing = True
            for tab in self.tabs():
                tab.sync_state()
                if tab.session.phase == "sending":
                    self.bench.cancel(tab.session)
                tab.shutdown()
            self.history_panel.shutdown()
            self._code_task.cancel()
            self.closed.emit()
        event.accept()


def build_window(services: Services, *, screenshot_mode: bool = False) -> MainWindow:
    """The window as `explorer` shows it (the app and the tests build it here)."""
    window = MainWindow(services, screenshot_mode=screenshot_mode)
    window.resize(1480, 900)
    return window
