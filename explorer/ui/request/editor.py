"""The request editor: where one request is built, for an endpoint or typed by hand.

    ┌────────────────────────────────────────────────────────────────────────┐
    │ [POST ▾] [server ▾] [https://api.example.com/contacts?limit=10] [Send] │
    │ Create a contact                                   (summary, elided)   │
    │ port [54321]                          (server variables / custom URL)  │
    │ Params | Body | Headers | Auth | Docs | Settings                       │
    │  typed form / JSON editor checked as you type / rows / credentials ... │
    └────────────────────────────────────────────────────────────────────────┘

The address bar shows exactly the URL that will be sent: it is `build_request` (lenient)
of what the form holds, the one serialiser the wire and the code panel use, with
secrets shown as "…". The method and URL can be edited: a URL typed by hand (committed
with Enter, which also sends, or by leaving the field) links the editor to the endpoint it
names (`explorer.workbench.address.link_address`), filling the path and query fields;
a URL that names no endpoint makes an ad-hoc request, sent as typed.

The tab that owns the editor calls `set_operation()` (or `set_adhoc()`), then
`restore_state()` with what `state()` gave; it reads `request_input()` and
`transport_options()` when the user sends. Signals: `send_requested` (the Send button,
Enter in the address), `cancel_requested` (the button while sending), `changed` (every
user edit), `operation_changed` (a typed URL or method linked another endpoint, or none).
Keyboard shortcuts (Ctrl+Enter, Esc) belong to the window: the editor claims none.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.http import build_request
from explorer.http.model import FieldError, ParamValue, RequestInput, TransportOptions
from explorer.jsonpointer import unescape_token
from explorer.spec import Operation, Spec
from explorer.spec.form import entries_from_parameters
from explorer.spec.model import HTTP_METHODS
from explorer.ui.request.address import AddressEdit, ElidedLabel
from explorer.ui.request.auth import AuthPanel
from explorer.ui.request.body import BodyEditor
from explorer.ui.request.form import FieldRow, ParamForm
from explorer.ui.request.headers import COMMON_HEADERS, KeyValueRows
from explorer.ui.request.looks import dim, title
from explorer.ui.request.server import ServerPicker
from explorer.ui.request.slots import SlotsPanel
from explorer.ui.safe_text import set_plain
from explorer.ui.style import METHOD_COLORS
from explorer.workbench.address import Linked, link_address

__all__ = ["RequestEditor"]

TAB_PARAMS, TAB_BODY, TAB_HEADERS, TAB_AUTH, TAB_DOCS, TAB_SETTINGS = range(6)
TAB_NAMES = ("Params", "Body", "Headers", "Auth", "Docs", "Settings")
STATE_VERSION = 2
ERROR_RED = "#e03131"
METHODS = tuple(m.upper() for m in HTTP_METHODS)
SECRET_SHOWN = "…"

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


class RequestEditor(QWidget):
    """Build one request (see the module docstring)."""

    send_requested = Signal()
    cancel_requested = Signal()
    changed = Signal()
    operation_changed = Signal(object)
    """A typed URL or method linked the editor to another operation (or to none: ad hoc)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestEditor")
        self._api: Spec | None = None
        self._op: Operation | None = None
        self._preferred: str | None = None
        self._adhoc_base = ""
        self._adhoc_path = ""
        self._sending = False
        self._variables: dict[str, str] = {}
        self._quiet = 0  # > 0 while the editor fills itself: no `changed`
        self._body_issues = 0
        self.last_build_seconds = 0.0
        self._form: ParamForm | None = None
        self._build()

    # -- widgets --------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.method_combo = QComboBox(self)
        self.method_combo.setObjectName("methodCombo")
        self.method_combo.setEditable(True)
        self.method_combo.addItems(list(METHODS))
        self.method_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.method_combo.setMinimumWidth(96)
        self.method_combo.setToolTip("HTTP method")
        self.method_combo.textActivated.connect(self._method_chosen)
        line = self.method_combo.lineEdit()
        assert line is not None
        line.editingFinished.connect(lambda: self._method_chosen(self.method_combo.currentText()))
        self.server = ServerPicker(self)
        self.server.changed.connect(self._edited)
        self.address = AddressEdit(self)
        self.address.committed.connect(self._address_committed)
        self.address.submitted.connect(self._submit)
        self.url_preview = self.address  # the name tests and older callers know
        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setStyleSheet(SEND_STYLE % {"bg": "#1971c2", "hover": "#1864ab"})
        self.send_button.setToolTip("Send the request (Ctrl+Enter)")
        self.send_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.send_button.clicked.connect(self._send_clicked)
        bar.addWidget(self.method_combo)
        bar.addWidget(self.server.combo)
        bar.addWidget(self.address, 1)
        bar.addWidget(self.send_button)
        layout.addLayout(bar)
        self.summary = ElidedLabel(self)
        self.summary.setObjectName("operationSummary")
        self.summary.setContentsMargins(4, 0, 4, 0)
        dim(self.summary)
        layout.addWidget(self.summary)
        layout.addWidget(self.server.details)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)
        self.fill_button = QToolButton(self.tabs)
        self.fill_button.setText("Fill with examples")
        self.fill_button.setObjectName("fillExamples")
        self.fill_button.setAutoRaise(True)
        self.fill_button.setToolTip(
            "Fill every empty parameter and body field with an example value: the "
            "document's own, or one made from the schema"
        )
        self.fill_button.clicked.connect(self.fill_examples)
        self.tabs.setCornerWidget(self.fill_button, Qt.Corner.TopRightCorner)

        # Params: the typed form, then query parameters the document does not declare
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
        inner = QWidget()
        self._params_layout = QVBoxLayout(inner)
        self._params_layout.setContentsMargins(0, 0, 0, 8)
        self._params_layout.setSpacing(4)
        self.params_empty = QLabel("This endpoint has no parameters.", inner)
        self.params_empty.setObjectName("emptyNote")
        dim(self.params_empty)
        self.params_empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.params_empty.setContentsMargins(0, 12, 0, 4)
        self._params_layout.addWidget(self.params_empty)
        self._form_slot = QVBoxLayout()
        self._params_layout.addLayout(self._form_slot)
        query_box = QWidget(inner)
        ql = QVBoxLayout(query_box)
        ql.setContentsMargins(12, 6, 12, 0)
        self.query_title = QLabel("Other query parameters", query_box)
        self.query_title.setObjectName("sectionTitle")
        title(self.query_title)
        ql.addWidget(self.query_title)
        self.query_rows = KeyValueRows(
            self._rows_edited,
            name_placeholder="Name",
            value_placeholder="Value",
            secrets=True,
            parent=query_box,
        )
        ql.addWidget(self.query_rows)
        self._params_layout.addWidget(query_box)
        self._params_layout.addStretch(1)
        self.params_scroll.setWidget(inner)
        pl.addWidget(self.params_scroll, 1)
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
        self.headers = KeyValueRows(self._rows_edited, completions=COMMON_HEADERS, secrets=True)
        hl.addWidget(self.headers)
        hl.addStretch(1)
        headers_scroll = QScrollArea()
        headers_scroll.setWidgetResizable(True)
        headers_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        headers_scroll.setWidget(headers_page)
        self.tabs.addTab(headers_scroll, "Headers")

        # Auth
        auth_page = QWidget()
        al = QVBoxLayout(auth_page)
        al.setContentsMargins(14, 10, 14, 10)
        al.setSpacing(8)
        self.slots = SlotsPanel(auth_page)
        al.addWidget(self.slots)
        self.auth = AuthPanel(self._edited)
        self.auth.layout().setContentsMargins(0, 6, 0, 0)  # type: ignore[union-attr]
        al.addWidget(self.auth)
        al.addStretch(1)
        auth_scroll = QScrollArea()
        auth_scroll.setWidgetResizable(True)
        auth_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        auth_scroll.setWidget(auth_page)
        self.tabs.addTab(auth_scroll, "Auth")

        # Docs (the tab puts a DocsView here)
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

        self.body.editor.installEventFilter(self)
        self._set_method_look("GET")
        self._update_tab_titles()
        self.set_adhoc(None)

    # -- keys and sending -----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Let Ctrl+Enter reach the window's Send from the body editor (it would add a line)."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def mark_missing_required(self) -> None:
        """Flag required parameters left empty (the request is still sent as it is: the
        user may want to see how the API answers)."""
        if self._form is None:
            return
        for row in self._form.missing_required():
            row.live_problem = "required"
            row.refresh_message()

    def _send_clicked(self) -> None:
        if self._sending:
            self.cancel_requested.emit()
        else:
            self.prepare_to_send()
            self.send_requested.emit()

    def _submit(self) -> None:
        if not self._sending:
            self.prepare_to_send()
            self.send_requested.emit()

    def set_sending(self, sending: bool) -> None:
        """While a request runs the Send button reads Cancel."""
        self._sending = sending
        self.send_button.setText("Cancel" if sending else "Send")
        self.send_button.setToolTip(
            "Cancel the request (Esc)" if sending else "Send the request (Ctrl+Enter)"
        )
        colours = (
            {"bg": "#e03131", "hover": "#c92a2a"}
            if sending
            else {"bg": "#1971c2", "hover": "#1864ab"}
        )
        self.send_button.setStyleSheet(SEND_STYLE % colours)

    def is_sending(self) -> bool:
        return self._sending

    def prepare_to_send(self) -> None:
        """Before a send: take a URL being typed, and flag empty required fields."""
        self.address.commit()
        self.mark_missing_required()

    # -- operation ------------------------------------------------------------------------

    def set_operation(self, api: Spec, op: Operation, preferred_server: str | None = None) -> None:
        """Build the form for `op` (from the spec's defaults: call `restore_state()` after
        this to put back what the user typed for it before)."""
        start = time.perf_counter()
        self._quiet += 1
        try:
            self._api, self._op, self._preferred = api, op, preferred_server
            self._set_method_look(op.method)
            self.server.combo.show()
            self.server.set_servers(op.servers or api.servers, preferred_server)
            self.summary.set_full_text(
                ("Deprecated · " if op.deprecated else "") + (op.summary or op.operation_id)
            )
            self.summary.setVisible(bool(op.summary or op.operation_id or op.deprecated))
            self._build_params(op)
            self.query_title.setText("Other query parameters")
            self.query_rows.restore_state([])
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

    def set_adhoc(
        self, api: Spec | None, method: str = "GET", base: str = "", path: str = ""
    ) -> None:
        """An ad-hoc request: a method and URL typed by hand, no endpoint behind it."""
        self._quiet += 1
        try:
            self._api, self._op = api, None
            self._adhoc_base, self._adhoc_path = base, path
            self._set_method_look(method)
            self.server.combo.hide()
            self.server.details.hide()
            self.summary.set_full_text("")
            self.summary.hide()
            self._build_params(None)
            self.query_title.setText("Query parameters")
            self.body.set_free(api)
            self.auth.set_operation(api, None)
            self.error_banner.hide()
            self._update_preview()
            self._update_tab_titles()
        finally:
            self._quiet -= 1

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

    def api(self) -> Spec | None:
        return self._api

    def method(self) -> str:
        """The method as chosen or typed (upper case)."""
        return self.method_combo.currentText().strip().upper() or "GET"

    def _set_method_look(self, method: str) -> None:
        method = method.upper()
        if self.method_combo.currentText() != method:
            self.method_combo.setCurrentText(method)
        color = METHOD_COLORS.get(method, "#495057")
        self.method_combo.setStyleSheet(
            f"QComboBox {{ color: {color}; font-weight: bold; padding: 3px 6px; }}"
        )

    def _build_params(self, op: Operation | None) -> None:
        entries = entries_from_parameters(op.parameters) if op is not None else []
        if self._form is not None:
            self._form_slot.removeWidget(self._form)
            self._form.hide()
            self._form.deleteLater()
        self._form = None
        if entries:
            self._form = ParamForm(entries, self._param_edited)
            self._form_slot.addWidget(self._form)
            self._form.show()  # not later: a layout shows a new child only when idle
        self.params_empty.setVisible(op is not None and not entries)

    def fill_examples(self) -> None:
        """Fill what is still empty in the parameters and the body with example values."""
        if self._form is not None:
            self._form.fill_examples()
        self.body.fill_examples()
        self._edited()

    def params_form(self) -> ParamForm | None:
        """The typed parameter form of the current operation (None without parameters)."""
        return self._form

    def set_docs_widget(self, widget: QWidget) -> None:
        """Show `widget` (a DocsView) in the Docs tab."""
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

    # -- the address: typed by hand -------------------------------------------------------

    def _bases(self) -> list[str]:
        """The base URLs this request offers (its servers, the local mock)."""
        bases = [self.server.base_url()]
        if self._op is not None and self._api is not None:
            bases += [s.resolve() for s in (self._op.servers or self._api.servers)]
        elif self._api is not None:
            bases += [s.resolve() for s in self._api.servers]
        if self._preferred:
            bases.append(self._preferred)
        return [b for b in bases if b]

    def _address_committed(self, text: str) -> None:
        self.apply_address(self.method(), text)

    def _method_chosen(self, text: str) -> None:
        method = text.strip().upper()
        if not method or (self._op is not None and method == self._op.method):
            self._set_method_look(method or "GET")
            return
        self._set_method_look(method)
        if self._op is None:
            self._edited()
            return
        self.apply_address(method, self.address.full_text())

    def apply_address(self, method: str, url: str) -> None:
        """Link to what a typed method and URL name: the same endpoint (its fields filled
        from the URL), another endpoint, or none (ad hoc, sent as typed)."""
        try:
            linked = link_address(self._api, method, url, self._bases())
        except ValueError:
            if self._op is None:  # keep the text: the send says why it cannot go
                self._adhoc_base, self._adhoc_path = url.strip(), ""
                self._edited()
            else:
                self.address.revert()
            return
        if linked.operation is None:
            if self._op is not None:
                self.set_adhoc(self._api, method, linked.base, linked.path)
                self.operation_changed.emit(None)
            else:
                self._set_method_look(method)
                self._adhoc_base, self._adhoc_path = linked.base, linked.path
            self._quiet += 1
            try:
                self.query_rows.set_rows(list(linked.query))
            finally:
                self._quiet -= 1
            self._edited()
            return
        if linked.operation is not self._op:
            assert self._api is not None
            self.set_operation(self._api, linked.operation, self._preferred)
            self.operation_changed.emit(linked.operation)
        self._fill_from_address(linked)
        self._edited()

    def _fill_from_address(self, linked: Linked) -> None:
        """Put a linked URL's base, path values and query into the form."""
        self._quiet += 1
        try:
            if linked.base.rstrip("/") != self.server.base_url():
                self.server.select_url(linked.base)
            values: dict[str, Any] = dict(linked.path_values)
            extra: list[tuple[str, str]] = []
            auth = self.auth.auth_input()
            auth_query = auth.name if auth is not None and auth.location == "query" else None
            form = self._form
            for name, value in linked.query:
                if name == auth_query:
                    continue  # the credential comes from the Auth tab
                row = form.row(name, "query") if form is not None else None
                if row is None:
                    extra.append((name, value))
                elif row.field.kind == "array":
                    items = values.setdefault(name, [])
                    if isinstance(items, list):
                        items.extend(value.split(",") if row.entry.explode is False else [value])
                else:
                    values[name] = value
            if form is not None:
                form.set_values(values)
            self.query_rows.set_rows(extra)
        finally:
            self._quiet -= 1

    # -- edits ----------------------------------------------------------------------------

    def _param_edited(self, _row: FieldRow) -> None:
        self._update_tab_titles()
        self._edited()

    def _rows_edited(self) -> None:
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

    # -- the URL, from the one serialiser -------------------------------------------------

    def set_variables(self, variables: Mapping[str, str]) -> None:
        """The environment's variables: `{{name}}` in the request shows filled in."""
        self._variables = dict(variables)
        self._update_preview()

    def preview_url(self) -> str:
        """The full URL as it is sent (by `build_request`, lenient while unfinished, the
        environment's variables filled in), with secrets shown as "…"."""
        inp = self.request_input()
        if self._variables:
            from explorer.workbench.variables import substitute

            inp, _unknown = substitute(inp, self._variables)
        prepared = build_request(inp, lenient=True)
        url = prepared.url
        for secret, _env in sorted(prepared.secrets, key=lambda s: -len(s[0])):
            if secret:
                url = url.replace(secret, SECRET_SHOWN)
        return url

    def _update_preview(self) -> None:
        self.address.show_preview(self.preview_url())

    # -- tab titles -----------------------------------------------------------------------

    def _update_tab_titles(self) -> None:
        bar = self.tabs.tabBar()
        form_errors = self._form.error_count() if self._form is not None else 0
        banner = 1 if self.error_banner.isVisibleTo(self) else 0
        params_n = len(self._form.values()) if self._form is not None else 0
        params_n += len(self.query_rows.items())
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
        body_on = self.body.has_body()
        self.tabs.setTabToolTip(TAB_BODY, "" if body_on else "This endpoint takes no body")

    # -- building the request -------------------------------------------------------------

    def request_input(self) -> RequestInput:
        """The request as filled in (values that do not parse are sent as typed)."""
        params: list[ParamValue] = []
        if self._form is not None:
            for row, value in self._form.values():
                e = row.entry
                params.append(ParamValue(e.name, e.location, value, e.style, e.explode))
        params += [ParamValue(n, "query", v) for n, v, _f in self.query_rows.items()]
        headers = tuple((n, v) for n, v, _f in self.headers.items())
        secret = tuple(self.headers.secret_names())
        if self._op is None:
            base, path = self._adhoc_base, self._adhoc_path
        else:
            base, path = self.server.base_url(), self._op.path
        return RequestInput(
            method=self.method(),
            base_url=base,
            path=path,
            params=tuple(params),
            headers=headers,
            body=self.body.body_input(),
            auth=self.auth.auth_input(),
            secret_headers=secret,
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
        if not errors:
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
            set_plain(self.error_banner, "The server reported:\n" + "\n".join(lines))
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
        for name in (err.field, unescape_token(err.pointer.lstrip("/"))):
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
        """Everything typed for this request, as JSON-able data (the Auth tab keeps its
        secrets to itself; other secrets are left out when the state is written to disk,
        by `explorer.workbench.redact`)."""
        state: dict[str, Any] = {
            "version": STATE_VERSION,
            "method": self.method(),
            "server": self.server.state(),
            "params": self._form.state() if self._form is not None else {},
            "query": self.query_rows.state(),
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
        if self._op is None:
            state["address"] = {"base": self._adhoc_base, "path": self._adhoc_path}
        return state

    def restore_state(self, state: Mapping[str, Any]) -> None:
        """Put back what `state()` returned for the current operation (or ad-hoc request)."""
        if not isinstance(state, Mapping):
            return
        self._quiet += 1
        try:
            if self._op is None:
                method = state.get("method")
                if isinstance(method, str) and method.strip():
                    self._set_method_look(method.strip())
                address = state.get("address")
                if isinstance(address, Mapping):
                    self._adhoc_base = str(address.get("base") or "")
                    self._adhoc_path = str(address.get("path") or "")
            server = state.get("server")
            if isinstance(server, Mapping) and self._op is not None:
                self.server.restore_state(server)
            params = state.get("params")
            if isinstance(params, Mapping) and self._form is not None:
                self._form.restore_state(params)
            self.query_rows.restore_state(state.get("query"))
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
        """Stop background checks (the tab calls this when it closes)."""
        self.body.shutdown()
