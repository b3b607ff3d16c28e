"""ResponseView: what a user sees for each kind of outcome."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from response_samples import (
    BASE,
    PROBLEM_422,
    contacts_json,
    ok_json,
    prepared,
    problem_422,
    refused,
    result,
    too_many,
)

from explorer import spec
from explorer.http.model import NetworkFailure, Problem, RedirectHop, Timing
from explorer.ui.response.states import FAILURES
from explorer.ui.response.status import chain_lines
from explorer.ui.response.view import ResponseView
from explorer.ui.style import status_color

WaitFor = Callable[..., Coroutine[Any, Any, None]]


@pytest.fixture
def view(qtbot: QtBot) -> ResponseView:
    v = ResponseView()
    qtbot.addWidget(v)
    v.resize(800, 600)
    v.show()
    qtbot.waitExposed(v)
    return v


def test_starts_empty_and_invites_to_send(view: ResponseView) -> None:
    assert view.state_name == "empty"
    assert view.state.title.text() == "Send a request to see the response here"
    assert "Ctrl+Enter" in view.state.hints.text()


@pytest.mark.parametrize(
    ("status", "reason", "pill"),
    [
        (200, "OK", "200 OK"),
        (201, "", "201 Created"),
        (301, "Moved Permanently", "301 Moved Permanently"),
        (404, "Not Found", "404 Not Found"),
        (503, "", "503 Service Unavailable"),
        (599, "", "599"),
    ],
)
def test_status_pill_text_and_colour_by_class(
    view: ResponseView, status: int, reason: str, pill: str
) -> None:
    view.show_result(result(status, b"{}", reason=reason))
    assert view.state_name == "result"
    assert view.status.pill.text() == pill
    assert view.status.pill_colour == status_color(status).name()


def test_time_size_version_and_timing_tooltip(view: ResponseView) -> None:
    timing = Timing(connect=0.010, tls=0.020, first_byte=0.150, download=0.0005, total=0.1805)
    view.show_result(result(200, b"x" * 1536, "text/plain", timing=timing, http_version="HTTP/2"))
    assert view.status.time_label.text() == "180 ms"
    assert view.status.size_label.text() == "1.5 KB"
    assert view.status.version_label.text() == "HTTP/2"
    tip = view.status.time_label.toolTip()
    for phase, value in (("Connect", "10 ms"), ("TLS", "20 ms"), ("First byte", "150 ms")):
        assert phase in tip and value in tip
    assert "500 µs" in tip


CHAIN = (
    RedirectHop("POST", BASE + "/contacts", 303, "http://127.0.0.2:2/next?page=2", ("X-API-Key",)),
    RedirectHop("GET", "http://127.0.0.2:2/next?page=2", 302, "http://127.0.0.2:2/final"),
)


def test_redirects_show_the_final_url(view: ResponseView) -> None:
    view.show_result(result(200, b"{}", url="http://127.0.0.1:1/api/v2/contacts", redirects=2))
    label = view.status.redirect_label
    assert label.text() == "↪ via 2 redirects → http://127.0.0.1:1/api/v2/contacts"
    assert label.textFormat() == Qt.TextFormat.PlainText
    view.show_result(result(200, b"{}"))
    assert view.status.redirect_label.text() == ""


def test_the_redirect_chain_in_the_status_line_and_the_headers_tab(
    view: ResponseView, qtmodeltester: Any
) -> None:
    final = "http://127.0.0.2:2/final"
    view.show_result(result(200, b"{}", url=final, redirects=2, redirect_chain=CHAIN))
    label = view.status.redirect_label
    assert label.text() == f"↪ via 2 redirects → {final} · credentials not forwarded"
    assert chain_lines(view.result) == [  # type: ignore[arg-type]
        f"303  POST {BASE}/contacts  (not forwarded: X-API-Key)",
        "302  GET http://127.0.0.2:2/next?page=2",
        f"200  {final}",
    ]
    tip = label.toolTip()
    assert "303  POST" in tip and "not forwarded: X-API-Key" in tip and final in tip

    headers = view.headers
    assert headers.redirects.isVisibleTo(headers)
    assert headers.redirects_title.text() == (
        "Redirects (2) · credentials were not forwarded to another origin"
    )
    model = headers.redirects.model
    assert [model.row(r) for r in range(model.rowCount())] == [
        ("303", "POST", BASE + "/contacts", "http://127.0.0.2:2/next?page=2", "X-API-Key"),
        ("302", "GET", "http://127.0.0.2:2/next?page=2", final, ""),
    ]
    qtmodeltester.check(model)
    # The response headers are still the main table, and without redirects the section goes.
    assert headers.model.rowCount() == 1
    view.show_result(result(200, b"{}"))
    assert not headers.redirects.isVisibleTo(headers)
    assert not headers.redirects_title.isVisibleTo(headers)
    assert headers.redirects.model.rowCount() == 0


def test_redirect_text_from_servers_is_shown_as_it_is(view: ResponseView) -> None:
    """URLs and names in the chain are the servers' words: never markup, not even in
    the tooltip (which Qt would render as rich text when it looks like it)."""
    hostile = "http://127.0.0.2:2/<img src='/dev/zero'><b>bold</b>"
    chain = (RedirectHop("GET", BASE + "/contacts", 302, hostile, ("<i>X</i>",)),)
    view.show_result(result(200, b"{}", url=hostile, redirects=1, redirect_chain=chain))
    label = view.status.redirect_label
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert hostile in label.text()
    tip = label.toolTip()
    assert "<img" not in tip and "<b>" not in tip and "<i>" not in tip
    document = QTextDocument()
    document.setHtml(tip)
    assert hostile in document.toPlainText()  # what the tooltip shows, character for character
    assert view.headers.redirects.model.row(0)[3] == hostile


def test_headers_table_and_tab_count(view: ResponseView, qtmodeltester: Any) -> None:
    view.show_result(ok_json())
    model = view.headers.model
    rows = [model.row(r) for r in range(model.rowCount())]
    assert ("Content-Type", "application/json") in rows
    assert ("X-RateLimit-Remaining", "97") in rows
    assert view.tabs.tabText(1) == f"Headers ({len(rows)})"
    qtmodeltester.check(model)
    # Sorting by name.
    view.headers.table.sortByColumn(0, view.headers.table.horizontalHeader().sortIndicatorOrder())
    names = [view.headers.proxy.index(r, 0).data() for r in range(view.headers.proxy.rowCount())]
    assert names == sorted(names, key=str.lower) or names == sorted(names, key=str.lower)[::-1]
    view.headers.table.selectRow(0)
    view.headers.copy_selected()
    first = view.headers.proxy.index(0, 0).data()
    assert QApplication.clipboard().text().startswith(f"{first}: ")
    view.headers.copy_all()
    assert QApplication.clipboard().text().count("\n") == len(rows) - 1


def test_cookies_tab(view: ResponseView) -> None:
    view.show_result(ok_json())
    assert view.tabs.tabText(2) == "Cookies (2)"
    model = view.cookies.model
    assert model.row(0) == ("session", "abc123", "", "/", "Session", "✓", "✓", "Lax")
    assert model.row(1)[:5] == ("theme", "dark", "example.com", "", "Max-Age 3600 s")
    view.show_result(result(200, b"{}"))
    assert view.tabs.tabText(2) == "Cookies"


def test_problem_panel_shows_field_errors_and_emits(view: ResponseView, qtbot: QtBot) -> None:
    with qtbot.waitSignal(view.problem_shown) as signal:
        view.show_result(problem_422())
    problem = signal.args[0]
    assert isinstance(problem, Problem)
    assert [e.field for e in problem.errors] == ["email", "password"]
    panel = view.problem_panel
    assert panel.isVisible()
    assert panel.title.text() == "422 · Unprocessable Entity"
    assert panel.detail.text() == "Validation failed"
    assert panel.kind.text() == "2 field errors"
    rows = [panel.errors.model.row(r) for r in range(panel.errors.model.rowCount())]
    assert rows == [(d["field"], d["message"]) for d in PROBLEM_422["details"]]  # type: ignore[index, union-attr]
    view.show_result(ok_json())
    assert not panel.isVisible()


def test_rfc7807_problem(view: ResponseView) -> None:
    doc = {
        "type": "https://example.com/probs/out-of-credit",
        "title": "You do not have enough credit.",
        "status": 403,
        "detail": "Your current balance is 30, but that costs 50.",
        "instance": "/account/12345/msgs/abc",
    }
    view.show_result(result(403, json.dumps(doc).encode(), "application/problem+json"))
    panel = view.problem_panel
    assert panel.title.text() == "403 · You do not have enough credit."
    assert "balance is 30" in panel.detail.text()
    assert "out-of-credit" in panel.meta.text() and "/account/12345/msgs/abc" in panel.meta.text()
    assert not panel.errors.isVisible()


def test_rate_limit_meter(view: ResponseView) -> None:
    view.show_result(ok_json())
    meter = view.status.rate
    assert meter.isVisible()
    text = meter.label.text()
    assert text.startswith("Rate limit 97/100 · resets in ")
    seconds = int(text.rsplit(" ", 2)[1])
    assert 30 <= seconds <= 42  # 42 s from when the sample was made; slack for slow machines
    assert abs(meter.bar.fraction - 0.97) < 1e-9
    assert "X-RateLimit-Remaining: 97" in meter.toolTip()
    view.show_result(result(200, b"{}"))
    assert not meter.isVisible()


def test_429_counts_down_then_send_again(
    view: ResponseView, qtbot: QtBot, qloop: qasync.QEventLoop, wait_for: WaitFor
) -> None:
    view.show_result(too_many(retry_after="1"))
    banner = view.retry
    assert banner.isVisible()
    assert banner.label.text() == "Too many requests — retry in 1 s"
    assert not banner.button.isEnabled()
    started = time.monotonic()
    qloop.run_until_complete(wait_for(banner.button.isEnabled, 5, "the countdown to end"))
    assert time.monotonic() - started > 0.5  # it really waited
    assert banner.label.text() == "Too many requests — you can send again now"
    with qtbot.waitSignal(view.resend_requested, timeout=1000):
        banner.button.click()
    view.show_result(ok_json())
    assert not banner.isVisible()


def test_429_without_retry_after_allows_sending(view: ResponseView) -> None:
    view.show_result(result(429, b"", ""))
    assert view.retry.isVisible() and view.retry.button.isEnabled()
    assert "did not say when" in view.retry.label.text()


@pytest.mark.parametrize("kind", sorted(FAILURES))
def test_failure_panel_per_kind(view: ResponseView, kind: str) -> None:
    failure = NetworkFailure(kind, "Something went wrong.", "http://127.0.0.1:9/api/x", 0.25)  # type: ignore[arg-type]
    view.show_failure(failure)
    assert view.state_name == "failure"
    assert view.state.title.text() == FAILURES[kind][0]
    assert view.state.message.text() == "Something went wrong."
    assert view.state.detail.text() == "http://127.0.0.1:9/api/x after 250 ms"
    for hint in FAILURES[kind][1]:
        assert hint in view.state.hints.text()


def test_refused_says_is_the_server_running(view: ResponseView) -> None:
    view.show_failure(refused())
    assert view.state.title.text() == "Connection refused"
    assert "Is the server running?" in view.state.hints.text()


def test_sending_ticks_then_cancelled_and_error(
    view: ResponseView, qloop: qasync.QEventLoop, wait_for: WaitFor
) -> None:
    view.show_sending(prepared("POST", "/contacts"))
    assert view.state_name == "sending"
    assert "POST" in view.state.message.text()
    assert "http://127.0.0.1:8080/api/contacts" in view.state.message.text()
    assert view.state.detail.text() == "0.0 s"
    qloop.run_until_complete(wait_for(lambda: view.state.detail.text() != "0.0 s", 3))
    assert view.state.detail.text().endswith(" s")
    view.show_cancelled()
    assert view.state.title.text() == "Request cancelled"
    view.show_error("Path parameter contactId is required")
    assert view.state.title.text() == "The request could not be built"
    assert view.state.message.text() == "Path parameter contactId is required"
    view.clear()
    assert view.state_name == "empty"


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/contacts": {
            "get": {
                "operationId": "listContacts",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["data", "total"],
                                    "properties": {
                                        "data": {"type": "array"},
                                        "total": {"type": "integer"},
                                    },
                                }
                            }
                        },
                    },
                    "404": {"description": "none"},
                },
            }
        }
    },
}


def test_body_is_checked_against_the_spec(
    view: ResponseView, qloop: qasync.QEventLoop, wait_for: WaitFor
) -> None:
    api = spec.load_bytes(json.dumps(SPEC).encode())
    op = api.find("listContacts")
    assert op is not None
    label = view.schema_label
    view.show_result(result(200, contacts_json(2)), op, api)
    qloop.run_until_complete(wait_for(lambda: "✓" in label.text(), 10))
    assert label.text() == "✓ Matches the spec's schema for 200"
    view.show_result(result(200, b'{"data": {}, "total": "2"}'), op, api)
    qloop.run_until_complete(wait_for(lambda: "✗" in label.text(), 10))
    assert "2 differences" in label.text()
    assert "/data" in label.text() and "/total" in label.text()
    view.show_result(result(404, b"{}"), op, api)
    assert label.text() == "The spec declares no schema for 404"
    view.show_result(result(200, b"{}"))
    assert not label.isVisible()
