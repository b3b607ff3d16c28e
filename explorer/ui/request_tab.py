"""One tab of the workbench: a request editor over its response, showing one session.

The tab shows; it does not orchestrate. It fills its editor for the session's endpoint
(or an ad-hoc request), keeps the session's state in step with what the user types, and
renders what the workbench tells it about the session (sending, a result, a failure,
cancelled). Sending, cancelling and closing are the window's and the workbench's.

Its widgets are built the first time the tab is shown (`ensure_built`): a restored
session of an earlier run costs nothing until the user looks at it.

A tab whose session is linked to a collection file (`session.saved`) shows the saved
request's name; filled from the file, it takes that state as the file's
(`session.mark_saved`). When the file changed on disk while the tab has edits of its own,
a bar says so and offers to reload it or keep the tab's (`disk_bar`). A curl command
pasted into the address becomes the tab's request (`show_request`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.spec import Operation, Spec
from explorer.ui.style import METHOD_COLORS
from explorer.workbench.session import RequestSession

if TYPE_CHECKING:  # imported when the first tab is built (not for the first paint)
    from explorer.collection.model import SavedRequest
    from explorer.http.model import Problem
    from explorer.ui.docs import DocsView
    from explorer.ui.request.editor import RequestEditor
    from explorer.ui.response.view import ResponseView
    from explorer.workbench.credentials import Credentials
    from explorer.workbench.saved import SavedLink

__all__ = ["ICON_SIZE", "RequestTab", "method_icon"]

SYNC_MS = 150
"""How soon after an edit the session takes the editor's state (the unsent dot, drafts)."""
RESPONSE_MIN_HEIGHT = 160
"""The response keeps at least this height: the editor scrolls instead."""

_ICONS: dict[str, QIcon] = {}


ICON_SIZE = QSize(46, 16)
"""The size of a tab's method badge (the tab widget's icon size)."""


def method_icon(method: str) -> QIcon:
    """A small badge with the method's name in its colour (the tab's icon)."""
    method = method.upper()[:7] or "GET"
    icon = _ICONS.get(method)
    if icon is None:
        pix = QPixmap(ICON_SIZE * 2)  # drawn at twice the size: sharp on high-DPI screens
        pix.setDevicePixelRatio(2)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(11 if len(method) <= 5 else 9)
        painter.setFont(font)
        painter.setPen(QColor(METHOD_COLORS.get(method, "#495057")))
        painter.drawText(
            QRect(QPoint(0, 0), ICON_SIZE),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            method,
        )
        painter.end()
        icon = _ICONS[method] = QIcon(pix)
    return icon


class RequestTab(QWidget):
    """See the module docstring."""

    state_synced = Signal(object)
    """The session took the editor's state (a RequestSession)."""
    send_requested = Signal(object)
    cancel_requested = Signal(object)
    retargeted = Signal(object)
    """The user linked the request to another endpoint, or made it ad hoc (the session)."""
    copy_as_requested = Signal(str)
    """"Copy as" on the address bar: the request as code in that language (its name)."""
    use_as_token = Signal(str)
    """"Use as token" on a string of the response (the string)."""
    message = Signal(str)
    """Something to tell the user in the status bar."""
    reload_file_requested = Signal(object)
    """The disk bar's "Reload": take the file's version (the session)."""
    keep_mine_requested = Signal(object)
    """The disk bar's "Keep mine": keep the tab's edits (the session)."""

    def __init__(self, session: RequestSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestTab")
        self.session = session
        self.api: Spec | None = None
        self.preferred_server: str | None = None
        self._pending_state: Mapping[str, Any] | None = None
        self._built = False
        self._filling = 0
        self._password_op: Operation | None = None
        self._passwords: frozenset[str] = frozenset()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.editor: RequestEditor
        self.response: ResponseView
        self.docs: DocsView
        self.split: QSplitter
        self._sync_timer = QTimer(self)
        self._sync_timer.setSingleShot(True)
        self._sync_timer.setInterval(SYNC_MS)
        self._sync_timer.timeout.connect(self.sync_state)
        self.pending_file: SavedLink | None = None
        """The file's new version while the disk bar asks (Reload / Keep mine)."""
        self.disk_bar = DiskBar(self)
        self.disk_bar.reload.clicked.connect(lambda: self.reload_file_requested.emit(self.session))
        self.disk_bar.keep.clicked.connect(lambda: self.keep_mine_requested.emit(self.session))
        self._layout.addWidget(self.disk_bar)

    # -- building -------------------------------------------------------------------------

    @property
    def built(self) -> bool:
        return self._built

    def ensure_built(self) -> None:
        """Make the widgets and fill them for the session (once)."""
        if self._built:
            return
        from explorer.ui.docs import DocsView
        from explorer.ui.request.editor import RequestEditor
        from explorer.ui.response.view import ResponseView

        self._built = True
        self.editor = RequestEditor(self)
        self.editor.address.copy_as_requested.connect(self.copy_as_requested)
        self.editor.address.curl_pasted.connect(self._curl_pasted)
        self.docs = DocsView()
        self.editor.set_docs_widget(self.docs)
        self.response = ResponseView()
        self.response.setMinimumHeight(RESPONSE_MIN_HEIGHT)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.setObjectName("requestSplit")
        self.split.addWidget(self.editor)
        self.split.addWidget(self.response)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([420, 480])
        self._layout.addWidget(self.split)
        self.editor.changed.connect(self._sync_timer.start)
        self.editor.send_requested.connect(lambda: self.send_requested.emit(self.session))
        self.editor.cancel_requested.connect(lambda: self.cancel_requested.emit(self.session))
        self.editor.operation_changed.connect(self._operation_changed)
        self.response.problem_shown.connect(self._on_problem)
        self.response.use_as_token.connect(self.use_as_token)
        self.response.resend_requested.connect(lambda: self.send_requested.emit(self.session))
        self._fill(self._pending_state)
        self._pending_state = None
        self.show_session()

    def load(
        self,
        api: Spec,
        preferred_server: str | None,
        state: Mapping[str, Any] | None = None,
    ) -> None:
        """Show the session's endpoint (or ad-hoc request) of `api`, with `state` (what the
        user typed before) over the defaults. Fills now when built, else when first shown."""
        self.api, self.preferred_server = api, preferred_server
        if self._built:
            self._fill(state)
        else:
            self._pending_state = state

    def operation(self) -> Operation | None:
        """The session's endpoint in the open document (None: ad hoc)."""
        if self.api is None or self.session.op_key is None:
            return None
        return self.api.find(self.session.op_key)

    def _fill(self, state: Mapping[str, Any] | None) -> None:
        if self.api is None:
            return
        from_file = self.session.saved is not None and self.session.saved_state is None
        self._filling += 1
        try:
            self._show_state(state, from_file=from_file)
            self.response.clear()
            self.session.opened(self.editor.state())
            if from_file and self.session.saved is not None:
                self.session.mark_saved(self.session.saved)
        finally:
            self._filling -= 1

    def _show_state(self, state: Mapping[str, Any] | None, *, from_file: bool = False) -> None:
        """The editor for the session's endpoint (or ad hoc), with `state` over it. From a
        file, a literal base URL picks the server it names (its variables filled)."""
        assert self.api is not None
        op = self.operation()
        if op is None:
            self.session.op_key = None
            self.editor.set_adhoc(self.api, "GET", self.preferred_server or _first_base(self.api))
        else:
            self.editor.set_operation(self.api, op, self.preferred_server)
        if state:
            self.editor.restore_state(state)
            server = state.get("server")
            custom = server.get("custom") if isinstance(server, Mapping) else None
            if from_file and op is not None and isinstance(custom, str) and "{{" not in custom:
                self.editor.server.select_url(custom)
        self.docs.set_operation(self.api, op)

    def show_request(self, saved: SavedRequest) -> None:
        """Make the tab's request `saved` (a pasted curl command): linked to the endpoint
        its URL names, or ad hoc; an edit of the tab like any other."""
        if self.api is None:
            return
        self.ensure_built()
        from explorer.workbench.saved import link_request, state_from_saved

        bases = [self.editor.server.base_url(), self.preferred_server or ""]
        bases += [s.resolve() for s in self.api.servers]
        linked, op = link_request(saved, self.api, [b for b in bases if b])
        self.session.op_key = op.key if op is not None else None
        self._filling += 1
        try:
            self._show_state(state_from_saved(linked, op))
        finally:
            self._filling -= 1
        self.sync_state()
        self.retargeted.emit(self.session)

    def _curl_pasted(self, text: str) -> None:
        from explorer.workbench.saved import request_from_curl

        try:
            saved = request_from_curl(text)
        except ValueError as exc:
            self.message.emit(f"The pasted curl command could not be read: {exc}")
            return
        self.show_request(saved)
        note = ""
        if isinstance(saved.auth, tuple) and saved.auth:
            note = ": its credential was left out (the environment's credentials are used)"
        self.message.emit(f"Made the request from the pasted curl command{note}")

    # -- the session's state --------------------------------------------------------------

    def sync_state(self) -> None:
        """Let the session take what the editor holds now."""
        self._sync_timer.stop()
        if not self._built or self._filling:
            return
        if self.session.update(self.editor.state()):
            self.state_synced.emit(self.session)

    def _operation_changed(self, op: Operation | None) -> None:
        self.session.op_key = op.key if op is not None else None
        if self.api is not None:
            self.docs.set_operation(self.api, op)
        self.sync_state()
        self.retargeted.emit(self.session)

    # -- what the workbench says ----------------------------------------------------------

    def show_session(self) -> None:
        """Show the session's phase: sending, its result or failure, cancelled, an error."""
        if not self._built:
            return
        from explorer.http.model import NetworkFailure, ResponseResult

        session = self.session
        self.editor.set_sending(session.phase == "sending")
        if session.phase == "sending" and session.prepared is not None:
            self.response.show_sending(session.prepared)
        elif session.phase == "done" and isinstance(session.result, ResponseResult):
            if self.response.result is not session.result:
                self.response.show_result(session.result, self.operation(), self.api)
        elif session.phase == "done" and isinstance(session.result, NetworkFailure):
            self.response.show_failure(session.result)
        elif session.phase == "cancelled":
            self.response.show_cancelled()
        elif session.phase == "error":
            self.response.show_error(session.error)

    def _on_problem(self, problem: Problem) -> None:
        if problem.errors:
            self.editor.show_field_errors(problem.errors)

    # -- looks ----------------------------------------------------------------------------

    def title(self) -> str:
        """The tab's text: a saved request's name, the endpoint's summary (or path), or the
        ad-hoc URL's path."""
        link = self.session.saved
        if link is not None and link.request is not None and link.request.name.strip():
            text = " ".join(link.request.name.split())
            return text if len(text) <= 40 else text[:39] + "…"
        op = self.operation()
        if op is not None:
            text = op.summary or op.path
        else:
            from explorer.workbench.address import split_address

            if self._built:
                parts = split_address(self.editor.address.full_text())
                base, path = (parts.origin, parts.path) if parts else ("", "")
            else:
                address = self.session.state.get("address")
                address = address if isinstance(address, Mapping) else {}
                base, path = str(address.get("base") or ""), str(address.get("path") or "")
            base_parts = split_address(base)
            if base_parts is not None:  # the path under the origin, as the user reads it
                path = base_parts.path.rstrip("/") + path
                base = base_parts.origin
            text = path if path not in ("", "/") else base.split("://", 1)[-1]
            text = text or "New request"
        return text if len(text) <= 40 else "…" + text[-39:]

    def method(self) -> str:
        op = self.operation()
        if op is not None:
            return op.method
        if self._built:
            return self.editor.method()
        method = self.session.state.get("method")
        return method if isinstance(method, str) and method else "GET"

    def show_slots(self, creds: Credentials | None) -> None:
        """The environment's credentials for this tab's endpoint, on its Auth tab."""
        if self._built:
            self.editor.slots.show_slots(creds, self.operation())
            if creds is not None:
                self.editor.set_variables(creds.variables())

    def redacted(self, state: Mapping[str, Any]) -> dict[str, Any]:
        """`state` as it may be written to disk: secrets left out, the fields this
        endpoint marks `format: password` included."""
        from explorer.workbench.redact import password_names, redact_state

        op = self.operation()
        if op is not self._password_op:
            self._password_op, self._passwords = op, password_names(op)
        return redact_state(state, self._passwords)

    def shutdown(self) -> None:
        self._sync_timer.stop()
        if self._built:
            self.editor.shutdown()
            self.editor.slots.shutdown()


class DiskBar(QFrame):
    """A bar above the request: its file changed on disk while the tab has edits of its
    own (Reload / Keep mine), or its file is gone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diskBar")
        self.setStyleSheet("#diskBar { background: #fff9db; border-bottom: 1px solid #ffe066; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.reload = QToolButton(self)
        self.reload.setObjectName("diskReload")
        self.reload.setText("Reload")
        self.reload.setToolTip("Take the file's version: your changes in this tab are dropped")
        self.keep = QToolButton(self)
        self.keep.setObjectName("diskKeep")
        self.keep.setText("Keep mine")
        self.keep.setToolTip("Keep this tab's version: Ctrl+S writes it over the file")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reload)
        layout.addWidget(self.keep)
        self.hide()

    def say(self, text: str, *, choices: bool = True) -> None:
        from explorer.ui.safe_text import cut

        self.label.setText(cut(text, 400))
        self.reload.setVisible(choices)
        self.keep.setVisible(True)
        self.keep.setText("Keep mine" if choices else "OK")
        self.show()


def _first_base(api: Spec) -> str:
    return api.servers[0].resolve().rstrip("/") if api.servers else ""
