"""The request editor: the centre of the window, where a request for one operation is built.

    ┌────────────────────────────────────────────────────────────────────────┐
    │ [POST] [server ▾] https://api.example.com/contacts?limit=10     [Send] │
    │ port [54321]                          (server variables / custom URL)  │
    │ Params | Body | Headers | Auth | Docs | Settings                        │
    │  typed form / JSON editor checked as you type / rows / credentials ... │
    └────────────────────────────────────────────────────────────────────────┘

The main window calls `set_operation()` when an endpoint is selected, then (if it kept one)
`restore_state()` with what `state()` gave for that operation; `request_input()` and
`transport_options()` when the user sends (Ctrl+Enter or the button: `send_requested`);
`set_sending()` while the request runs (the button becomes Cancel, Esc cancels:
`cancel_requested`); `show_field_errors()` with the field errors of a problem response.
The editor never sends anything itself.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QColor, QGuiApplication, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.http.model import FieldError, ParamValue, RequestInput, TransportOptions
from explorer.spec import Operation, Spec
from explorer.ui.request.auth import AuthPanel
from explorer.ui.request.body import BodyEditor
from explorer.ui.request.form import FieldRow, ParamForm, entries_from_parameters
from explorer.ui.request.headers import COMMON_HEADERS, KeyValueRows
from explorer.ui.request.looks import dim
from explorer.ui.request.server import ServerPicker
from explorer.ui.request.values import format_value
from explorer.ui.style import METHOD_COLORS, mono_font

__all__ = ["RequestEditor"]

TAB_PARAMS, TAB_BODY, TAB_HEADERS, TAB_AUTH, TAB_DOCS, TAB_SETTINGS = range(6)
TAB_NAMES = ("Params", "Body", "Headers", "Auth", "Docs", "Settings")
STATE_VERSION = 1
ERROR_RED = "#e03131"

URL_STYLE = (
    "QLabel { background: palette(base); border: 1px solid #ced4da; border-radius: 4px;"
    " padding: 4px 8px; }"
)
SEND_STYLE = """
QPushButton { background: %(bg)s; color: white; border: none; border-radius: 4px;
    padding: 5px 18px; font-weight: bold; min-width: 64px; }
QPushButton:hover { background: %(hover)s; }
QPushButton:disabled { background: #adb5bd; }
"""
BANNER_STYLE = (
    "QLabel { background: #fff5f5; color: #c92a2a; border: 1px solid #ffc9c9;"
    " border-radius: 4px; padding: 6px 8px; margin: 6px 12px 0 12px; }"
)


class _ElidedLabel(QLabel):
    """A one-line label that elides its text in the middle to fit; full text in the tooltip
    and on copy (context menu)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        copy = QAction("Copy URL", self)
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(self._full))
        self.addAction(copy)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def _elide(self) -> None:
        width = self.contentsRect().width() - 4
        metrics = self.fontMetrics()
        shown = (
            metrics.elidedText(self._full, Qt.TextElideMode.ElideMiddle, width)
            if width > 20
            else self._full
        )
        super().setText(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()


class RequestEditor(QWidget):
    """Build one request for an operation (see the module docstring)."""

    send_requested = Signal()
    cancel_requested = Signal()
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestEditor")
        self._api: Spec | None = None
        self._op: Operation | None = None
        self._sending = False
        self._quiet = 0  # > 0 while the editor fills itself: no `changed`
        self._body_issues = 0
        self.last_build_seconds = 0.0
        self._form: ParamForm | None = None
        self._build()

    # -- widgets --------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.method_badge = QLabel("GET", self)
        self.method_badge.setObjectName("methodBadge")
        self.method_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.method_badge.setMinimumWidth(58)
        self.server = ServerPicker(self)
        self.server.changed.connect(self._edited)
        self.url_preview = _ElidedLabel(self)
        self.url_preview.setObjectName("urlPreview")
        self.url_preview.setStyleSheet(URL_STYLE)
        self.url_preview.setFont(mono_font())
        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setStyleSheet(SEND_STYLE % {"bg": "#1971c2", "hover": "#1864ab"})
        self.send_button.setToolTip("Send the request (Ctrl+Enter)")
        self.send_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.send_button.clicked.connect(self._send_clicked)
        bar.addWidget(self.method_badge)
        bar.addWidget(self.server.combo)
        bar.addWidget(self.url_preview, 1)
        bar.addWidget(self.send_button)
        layout.addLayout(bar)
        layout.addWidget(self.server.details)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)

        # Params
        params_page = QWidget()
        pl = QVBoxLayout(params_page)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(0)
        self.error_banner = QLabel(params_page)
        self.error_banner.setObjectName("errorBanner")
        self.error_banner.setStyleSheet(BANNER_STYLE)
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextFormat(Qt.TextFormat.PlainText)  # the server's words
        self.error_banner.hide()
        pl.addWidget(self.error_banner)
        self.params_scroll = QScrollArea(params_page)
        self.params_scroll.setWidgetResizable(True)
        self.params_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        pl.addWidget(self.params_scroll, 1)
        self.params_empty = QLabel("This endpoint has no parameters.", params_page)
        self.params_empty.setObjectName("emptyNote")
        dim(self.params_empty)
        self.params_empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        pl.addWidget(self.params_empty)
        self.tabs.addTab(params_page, "Params")

        # Body
        self.body = BodyEditor(self._edited, self._body_issues_changed)
        self.tabs.addTab(self.body, "Body")

        # Headers
        headers_page = QWidget()
        hl = QVBoxLayout(headers_page)
        hl.setContentsMargins(12, 10, 12, 10)
        note = QLabel(
            "Extra headers sent with the request. Header parameters of the endpoint are on "
            "the Params tab; the credential on the Auth tab.",
            headers_page,
        )
        note.setObjectName("dimLabel")
        dim(note)
        note.setWordWrap(True)
        hl.addWidget(note)
        self.headers = KeyValueRows(self._headers_edited, completions=COMMON_HEADERS)
        hl.addWidget(self.headers)
        hl.addStretch(1)
        headers_scroll = QScrollArea()
        headers_scroll.setWidgetResizable(True)
        headers_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        headers_scroll.setWidget(headers_page)
        self.tabs.addTab(headers_scroll, "Headers")

        # Auth
        self.auth = AuthPanel(self._edited)
        self.tabs.addTab(self.auth, "Auth")

        # Docs (the main window puts the DocsView here)
        self._docs_page = QWidget()
        dl = QVBoxLayout(self._docs_page)
        dl.setContentsMargins(0, 0, 0, 0)
        self._docs_widget: QWidget = QLabel("No documentation.", self._docs_page)
        self._docs_widget.setObjectName("emptyNote")
        dim(self._docs_widget)
        dl.addWidget(self._docs_widget)
        self.tabs.addTab(self._docs_page, "Docs")

        # Settings
        settings = QWidget()
        sl = QVBoxLayout(settings)
        sl.setContentsMargins(14, 12, 14, 12)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(10)
        self.timeout_spin = QDoubleSpinBox(settings)
        self.timeout_spin.setRange(0.5, 3600)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setSingleStep(5)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setValue(30)
        self.timeout_spin.setToolTip("Give up when the whole exchange takes longer than this")
        self.follow_check = QCheckBox("Follow redirects", settings)
        self.follow_check.setChecked(True)
        self.verify_check = QCheckBox("Verify TLS certificates", settings)
        self.verify_check.setChecked(True)
        self.proxy_edit = QLineEdit(settings)
        self.proxy_edit.setPlaceholderText("none (http://proxy:8080)")
        self.timeout_spin.setMinimumWidth(110)
        self.proxy_edit.setMinimumWidth(320)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("Timeout", self.timeout_spin)
        form.addRow("", self.follow_check)
        form.addRow("", self.verify_check)
        form.addRow("Proxy", self.proxy_edit)
        sl.addLayout(form)
        sl.addStretch(1)
        self.timeout_spin.valueChanged.connect(lambda _v: self._edited())
        self.follow_check.toggled.connect(lambda _v: self._edited())
        self.verify_check.toggled.connect(lambda _v: self._edited())
        self.proxy_edit.textEdited.connect(lambda _v: self._edited())
        self.tabs.addTab(settings, "Settings")

        # Keys
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._send_key, context=ctx)
        self._esc = QShortcut(QKeySequence("Escape"), self, self._cancel_key, context=ctx)
        self._esc.setEnabled(False)
        self.body.editor.installEventFilter(self)
        self._set_badge("GET")
        self._update_tab_titles()
        self.setEnabled(False)

    # -- keys and sending -----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Let Ctrl+Enter reach the shortcut from the body editor (it would add a line)."""
        if event.type() == QEvent.Type.ShortcutOverride:
            from PySide6.QtGui import QKeyEvent

            if (
                isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                event.ignore()
                return True
        return super().eventFilter(watched, event)

    def _send_key(self) -> None:
        if self._op is not None and not self._sending:
            self._mark_missing_required()
            self.send_requested.emit()

    def _mark_missing_required(self) -> None:
        """Flag required parameters left empty (the request is still sent as it is: the
        user may want to see how the API answers)."""
        if self._form is None:
            return
        for row in self._form.missing_required():
            row.live_problem = "required"
            row.refresh_message()

    def _cancel_key(self) -> None:
        if self._sending:
            self.cancel_requested.emit()

    def _send_clicked(self) -> None:
        if self._sending:
            self.cancel_requested.emit()
        elif self._op is not None:
            self._mark_missing_required()
            self.send_requested.emit()

    def set_sending(self, sending: bool) -> None:
        """While a request runs the Send button reads Cancel and Esc cancels."""
        self._sending = sending
        self.send_button.setText("Cancel" if sending else "Send")
        self.send_button.setToolTip(
            "Cancel the request (Esc)" if sending else "Send the request (Ctrl+Enter)"
        )
        colours = (
            {"bg": "#e03131", "hover": "#c92a2a"}
            if sending
            else {
                "bg": "#1971c2",
                "hover": "#1864ab",
            }
        )
        self.send_button.setStyleSheet(SEND_STYLE % colours)
        self._esc.setEnabled(sending)

    def is_sending(self) -> bool:
        return self._sending

    # -- operation ------------------------------------------------------------------------

    def set_operation(self, api: Spec, op: Operation, preferred_server: str | None = None) -> None:
        """Build the form for `op` (from the spec's defaults: call `restore_state()` after
        this to put back what the user typed for it before)."""
        start = time.perf_counter()
        self._quiet += 1
        try:
            self._api, self._op = api, op
            self.setEnabled(True)
            self._set_badge(op.method)
            self.server.set_servers(op.servers or api.servers, preferred_server)
            self._build_params(op)
            self.body.set_operation(api, op)
            self.headers.restore_state([])
            self.auth.set_operation(api, op)
            self.error_banner.hide()
            self._pick_tab(op)
            self._update_preview()
            self._update_tab_titles()
        finally:
            self._quiet -= 1
        self.last_build_seconds = time.perf_counter() - start

    def _pick_tab(self, op: Operation) -> None:
        """Between Params and Body, show where the work is: the body when the endpoint
        takes one and has no required parameter. Other tabs, chosen by the user, stay."""
        if self.tabs.currentIndex() not in (TAB_PARAMS, TAB_BODY):
            return
        required = any(p.required or p.location == "path" for p in op.parameters)
        want = TAB_BODY if self.body.has_body() and not required else TAB_PARAMS
        if self.tabs.currentIndex() != want:
            self.tabs.setCurrentIndex(want)

    def operation(self) -> Operation | None:
        return self._op

    def _set_badge(self, method: str) -> None:
        if self.method_badge.text() == method.upper() and self.method_badge.styleSheet():
            return
        color = METHOD_COLORS.get(method.upper(), "#495057")
        self.method_badge.setText(method.upper())
        self.method_badge.setStyleSheet(
            f"QLabel {{ background: {color}; color: white; border-radius: 4px;"
            " padding: 4px 9px; font-weight: bold; }"
        )

    def _build_params(self, op: Operation) -> None:
        entries = entries_from_parameters(op.parameters)
        old = self.params_scroll.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()
        self._form = None
        if entries:
            self._form = ParamForm(entries, self._param_edited)
            self.params_scroll.setWidget(self._form)
        self.params_scroll.setVisible(bool(entries))
        self.params_empty.setVisible(not entries)

    def params_form(self) -> ParamForm | None:
        """The typed parameter form of the current operation (None without parameters)."""
        return self._form

    def set_docs_widget(self, widget: QWidget) -> None:
        """Show `widget` (the DocsView) in the Docs tab."""
        layout = self._docs_page.layout()
        assert layout is not None
        if self._docs_widget is not widget:
            layout.removeWidget(self._docs_widget)
            self._docs_widget.hide()
            if (
                isinstance(self._docs_widget, QLabel)
                and self._docs_widget.parent() is self._docs_page
            ):
                self._docs_widget.deleteLater()
            self._docs_widget = widget
            layout.addWidget(widget)
            widget.show()

    # -- edits ----------------------------------------------------------------------------

    def _param_edited(self, _row: FieldRow) -> None:
        self._update_tab_titles()
        self._edited()

    def _headers_edited(self) -> None:
        self._update_tab_titles()
        self._edited()

    def _edited(self) -> None:
        self._update_preview()
        if not self._quiet:
            self.changed.emit()

    def _body_issues_changed(self, count: int) -> None:
        if count != self._body_issues:
            self._body_issues = count
            self._update_tab_titles()

    # -- URL preview ----------------------------------------------------------------------

    def preview_url(self) -> str:
        """The full URL as it would be sent: base, path with its parameters, query."""
        if self._op is None:
            return ""
        path = self._op.path
        query: list[str] = []
        if self._form is not None:
            for row, value in self._form.values():
                loc = row.entry.location
                if loc == "path":
                    text = _flat(value)
                    path = path.replace("{" + row.entry.name + "}", quote(text, safe=""))
                elif loc == "query":
                    name = quote(row.entry.name, safe="[]")
                    if isinstance(value, list):
                        if row.entry.explode is False or row.entry.style in (
                            "spaceDelimited",
                            "pipeDelimited",
                        ):
                            sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(
                                row.entry.style, ","
                            )
                            joined = sep.join(_flat(v) for v in value)
                            query.append(f"{name}={quote(joined, safe=',|')}")
                        else:
                            query += [f"{name}={quote(_flat(v), safe='')}" for v in value]
                    elif isinstance(value, dict) and row.entry.style == "deepObject":
                        query += [
                            f"{name}[{quote(str(k))}]={quote(_flat(v), safe='')}"
                            for k, v in value.items()
                        ]
                    elif isinstance(value, dict):
                        query += [
                            f"{quote(str(k))}={quote(_flat(v), safe='')}" for k, v in value.items()
                        ]
                    else:
                        query.append(f"{name}={quote(_flat(value), safe='')}")
        auth = self.auth.auth_input()
        if auth is not None and auth.kind == "apikey" and auth.location == "query":
            query.append(f"{quote(auth.name)}=…")
        url = self.server.base_url() + path
        if query:
            url += "?" + "&".join(query)
        return url

    def _update_preview(self) -> None:
        self.url_preview.set_full_text(self.preview_url())

    # -- tab titles -----------------------------------------------------------------------

    def _update_tab_titles(self) -> None:
        bar = self.tabs.tabBar()
        form_errors = self._form.error_count() if self._form is not None else 0
        banner = 1 if self.error_banner.isVisibleTo(self) else 0
        params_n = len(self._form.values()) if self._form is not None else 0
        titles = {
            TAB_PARAMS: ("Params", params_n, form_errors + banner),
            TAB_BODY: ("Body", 0, self._body_issues),
            TAB_HEADERS: ("Headers", len(self.headers.items()), 0),
        }
        for index, (name, count, errors) in titles.items():
            text = name
            if errors:
                text += f" ● {errors}"
            elif count:
                text += f" ({count})"
            if self.tabs.tabText(index) != text:
                self.tabs.setTabText(index, text)
            bar.setTabTextColor(index, QColor(ERROR_RED) if errors else QColor())
        body_on = self._op is not None and self.body.has_body()
        self.tabs.setTabToolTip(TAB_BODY, "" if body_on else "This endpoint takes no body")

    # -- building the request -------------------------------------------------------------

    def request_input(self) -> RequestInput:
        """The request as filled in (values that do not parse are sent as typed)."""
        if self._op is None:
            raise RuntimeError("no operation selected")
        params: list[ParamValue] = []
        if self._form is not None:
            for row, value in self._form.values():
                e = row.entry
                params.append(ParamValue(e.name, e.location, value, e.style, e.explode))
        headers = tuple((n, v) for n, v, _f in self.headers.items())
        return RequestInput(
            method=self._op.method,
            base_url=self.server.base_url(),
            path=self._op.path,
            params=tuple(params),
            headers=headers,
            body=self.body.body_input(),
            auth=self.auth.auth_input(),
        )

    def transport_options(self) -> TransportOptions:
        """Timeout, redirects, TLS verification and proxy from the Settings tab."""
        return TransportOptions(
            timeout=float(self.timeout_spin.value()),
            follow_redirects=self.follow_check.isChecked(),
            verify_tls=self.verify_check.isChecked(),
            proxy=self.proxy_edit.text().strip(),
        )

    # -- field errors ---------------------------------------------------------------------

    def show_field_errors(self, errors: Sequence[FieldError]) -> None:
        """Put each error on its form field or body line; show the tab of the first one."""
        self.clear_field_errors()
        if not errors or self._op is None:
            return
        to_body: list[FieldError] = []
        first_tab: int | None = None
        first_row: FieldRow | None = None
        for err in errors:
            row = self._param_row_for(err)
            if row is not None and self._form is not None:
                self._form.show_error(row, err.message)
                if first_tab is None:
                    first_tab, first_row = TAB_PARAMS, row
            else:
                to_body.append(err)
        placed = self.body.show_field_errors(to_body) if self.body.has_body() else []
        if placed and first_tab is None:
            first_tab = TAB_BODY
        rest = [e for e in to_body if e not in placed]
        if rest:
            lines = [f"• {e.field or e.pointer or 'request'}: {e.message}" for e in rest]
            self.error_banner.setText("The server reported:\n" + "\n".join(lines))
            self.error_banner.show()
            if first_tab is None:
                first_tab = TAB_PARAMS
        self._update_tab_titles()
        if first_tab is not None:
            self.tabs.setCurrentIndex(first_tab)
        if first_tab == TAB_PARAMS and first_row is not None:
            self.params_scroll.ensureWidgetVisible(first_row.field.widget)
        elif first_tab == TAB_BODY:
            line = self.body.first_error_line()
            if line >= 0:
                self.body.editor.go_to_line(line)

    def _param_row_for(self, err: FieldError) -> FieldRow | None:
        if self._form is None:
            return None
        for name in (err.field, err.pointer.lstrip("/").replace("~1", "/").replace("~0", "~")):
            if name:
                row = self._form.row(name)
                if row is not None:
                    return row
        return None

    def clear_field_errors(self) -> None:
        """Remove every error shown by `show_field_errors()`."""
        if self._form is not None:
            self._form.clear_server_errors()
        self.body.clear_field_errors()
        self.error_banner.hide()
        self._update_tab_titles()

    # -- state ----------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Everything typed for this operation, as JSON-able data, without secrets."""
        return {
            "version": STATE_VERSION,
            "server": self.server.state(),
            "params": self._form.state() if self._form is not None else {},
            "body": self.body.state(),
            "headers": self.headers.state(),
            "auth": self.auth.state(),
            "settings": {
                "timeout": self.timeout_spin.value(),
                "follow_redirects": self.follow_check.isChecked(),
                "verify_tls": self.verify_check.isChecked(),
                "proxy": self.proxy_edit.text(),
            },
            "tab": self.tabs.currentIndex(),
        }

    def restore_state(self, state: Mapping[str, Any]) -> None:
        """Put back what `state()` returned for the current operation."""
        if not isinstance(state, Mapping):
            return
        self._quiet += 1
        try:
            server = state.get("server")
            if isinstance(server, Mapping):
                self.server.restore_state(server)
            params = state.get("params")
            if isinstance(params, Mapping) and self._form is not None:
                self._form.restore_state(params)
            body = state.get("body")
            if isinstance(body, Mapping):
                self.body.restore_state(body)
            self.headers.restore_state(state.get("headers"))
            auth = state.get("auth")
            if isinstance(auth, Mapping):
                self.auth.restore_state(auth)
            settings = state.get("settings")
            if isinstance(settings, Mapping):
                timeout = settings.get("timeout")
                if isinstance(timeout, int | float):
                    self.timeout_spin.setValue(float(timeout))
                self.follow_check.setChecked(bool(settings.get("follow_redirects", True)))
                self.verify_check.setChecked(bool(settings.get("verify_tls", True)))
                proxy = settings.get("proxy")
                self.proxy_edit.setText(proxy if isinstance(proxy, str) else "")
            tab = state.get("tab")
            if isinstance(tab, int) and 0 <= tab < self.tabs.count():
                self.tabs.setCurrentIndex(tab)
            self._update_preview()
            self._update_tab_titles()
        finally:
            self._quiet -= 1

    def shutdown(self) -> None:
        """Stop background checks (the main window calls this when closing)."""
        self.body.shutdown()


def _flat(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{_flat(v)}" for k, v in value.items())
    return value if isinstance(value, str) else format_value(value)
