"""ResponseView: the panel that shows what came back (or why nothing did).

    show_sending(prepared) -> show_result(result, op, api) | show_failure(failure)
                              | show_cancelled() | show_error(message);   clear()

A result shows a status line (pill, time with its phases, size, version, redirects, rate
meter), a Retry-After countdown on 429/503, a problem panel when the body is a problem
document (and `problem_shown` is emitted so the window can mark the form fields), a check
of the body against the spec's response schema, and tabs: Body, Headers, Cookies.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer import http
from explorer.http.media import response_schema
from explorer.http.model import NetworkFailure, PreparedRequest, Problem, ResponseResult
from explorer.spec import Operation, Spec
from explorer.spec.check import check_json_body
from explorer.ui.response.body import BodyView
from explorer.ui.response.headers import CookiesView, HeadersView
from explorer.ui.response.problem import ProblemPanel
from explorer.ui.response.ratelimit import RetryBanner
from explorer.ui.response.states import StatePanel
from explorer.ui.response.status import StatusBar
from explorer.ui.safe_text import html_text
from explorer.workbench.tasks import TaskSlot

__all__ = ["ResponseView"]

SCHEMA_CHECK_LIMIT = 2 * 1024 * 1024


class ResponseView(QWidget):
    """See the module docstring."""

    resend_requested = Signal()
    problem_shown = Signal(object)  # explorer.http.model.Problem
    use_as_token = Signal(str)  # "Use as token" on a string of the body

    def __init__(self) -> None:
        super().__init__()
        self.result: ResponseResult | None = None
        self.problem: Problem | None = None
        self._schema_task = TaskSlot("schema check")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)

        self.state = StatePanel()
        self.pages.addWidget(self.state)

        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.status = StatusBar()
        col.addWidget(self.status)
        self.retry = RetryBanner()
        self.retry.resend_requested.connect(self.resend_requested)
        col.addWidget(self.retry)
        self.problem_panel = ProblemPanel()
        self.problem_panel.hide()
        col.addWidget(self.problem_panel)
        self.schema_label = QLabel("")
        self.schema_label.setContentsMargins(10, 4, 10, 4)
        self.schema_label.setWordWrap(True)
        self.schema_label.setTextFormat(Qt.TextFormat.RichText)  # our markup, outside text escaped
        self.schema_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.schema_label.hide()
        col.addWidget(self.schema_label)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.body = BodyView()
        self.body.token_chosen.connect(self.use_as_token)
        self.headers = HeadersView()
        self.cookies = CookiesView()
        self.tabs.addTab(self.body, "Body")
        self.tabs.addTab(self.headers, "Headers")
        self.tabs.addTab(self.cookies, "Cookies")
        col.addWidget(self.tabs, 1)
        self.result_page = page
        self.pages.addWidget(page)
        self.clear()

    # --- states -------------------------------------------------------------------

    @property
    def state_name(self) -> str:
        """ "result", or the state panel's: empty, sending, failure, cancelled, error."""
        return "result" if self.pages.currentWidget() is self.result_page else self.state.state

    def _to_state(self) -> None:
        self._stop()
        self.pages.setCurrentWidget(self.state)

    def _stop(self) -> None:
        self._schema_task.cancel()
        self.retry.stop()
        self.status.rate.stop()
        self.state.stop()

    def clear(self) -> None:
        """The empty state, inviting to send."""
        self._to_state()
        self.result = None
        self.problem = None
        self.body.clear()
        self.tabs.setCurrentIndex(0)  # a new request starts on its body
        self.state.show_empty()

    def show_sending(self, prepared: PreparedRequest) -> None:
        """A spinner with the method and URL, and the elapsed time ticking."""
        self._to_state()
        self.body.clear()
        self.state.show_sending(prepared)

    def show_failure(self, failure: NetworkFailure) -> None:
        self._to_state()
        self.state.show_failure(failure)

    def show_cancelled(self) -> None:
        self._to_state()
        self.state.show_cancelled()

    def show_error(self, message: str) -> None:
        """A request that could not be built (RequestError and the like)."""
        self._to_state()
        self.state.show_error(message)

    def show_result(
        self, result: ResponseResult, op: Operation | None = None, api: Spec | None = None
    ) -> None:
        """Show a response that arrived (any status)."""
        self._stop()
        self.state.stop()
        self.result = result
        received_at = time.time()
        self.status.set_result(result)
        rate = http.parse_rate_limit(result, received_at=received_at)
        self.status.rate.set_rate_limit(rate, result.headers)
        if result.status == 429 or (result.status == 503 and rate and rate.retry_at):
            self.retry.start(rate.retry_at if rate else None, result.status)
        self.problem = http.parse_problem(result)
        if self.problem is not None:
            self.problem_panel.set_problem(self.problem, result.status)
            self.problem_panel.show()
        else:
            self.problem_panel.hide()
        self.body.set_result(result)
        self.headers.set_headers(result.headers)
        self.headers.set_redirects(result.redirect_chain)
        cookies = self.cookies.set_headers(result.headers)
        self.tabs.setTabText(1, f"Headers ({len(result.headers)})")
        self.tabs.setTabText(2, f"Cookies ({cookies})" if cookies else "Cookies")
        self.schema_label.hide()
        if op is not None and api is not None and self.body.kind == "json":
            self._start_schema_check(result, op, api)
        self.pages.setCurrentWidget(self.result_page)
        if self.problem is not None:
            self.problem_shown.emit(self.problem)

    # --- schema check -------------------------------------------------------------

    def _start_schema_check(self, result: ResponseResult, op: Operation, api: Spec) -> None:
        schema, label = response_schema(op, result.status, result.content_type)
        if schema is None:
            if label:
                self._schema_text(f"The spec declares no schema for {html_text(label, 100)}", "")
            return
        if result.size > SCHEMA_CHECK_LIMIT:
            self._schema_text("Too big to check against the spec's schema", "")
            return
        self._schema_text("Checking against the spec's schema…", "")
        self._schema_task.start(self._schema_check(result, schema, label, api.openapi_version))

    async def _schema_check(
        self, result: ResponseResult, schema: Any, label: str, version: str
    ) -> None:
        check = await asyncio.to_thread(
            check_json_body, result.body, schema, version, "response", locate=False
        )
        issues = check.messages()
        label = html_text(label, 100)
        if not issues:
            self._schema_text(f"✓ Matches the spec's schema for {label}", "#2f9e44")
            return
        shown = issues[:5]
        more = f"<br>… and {len(issues) - 5} more" if len(issues) > 5 else ""
        lines = "<br>".join("• " + html_text(i, 500) for i in shown)
        n = len(issues)
        self._schema_text(
            f"<b>✗ {n} difference{'s' if n != 1 else ''} from the spec's schema for "
            f"{label}</b><br><span style='font-family: monospace'>{lines}{more}</span>",
            "#c92a2a",
        )

    def _schema_text(self, text: str, colour: str) -> None:
        self.schema_label.setText(text)
        style = f"color: {colour};" if colour else "color: palette(placeholder-text);"
        self.schema_label.setStyleSheet(style)
        self.schema_label.show()
