"""The one owner of a request's tasks: a new send replaces the old one cleanly, a late
cancellation never touches the newer request, closing a session mid-request is quiet."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from explorer.http import NetworkFailure, RequestInput, ResponseResult, TransportOptions
from explorer.store import Settings
from explorer.workbench import CLOSED_LIMIT, RequestSession, Services, Workbench

OPTIONS = TransportOptions(timeout=10)


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    """A workbench; scenarios that send close its sender themselves (on their loop)."""
    return Workbench(Services(settings=Settings(tmp_path / "settings.json")))


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def request(base: str, path: str) -> RequestInput:
    return RequestInput("GET", base, path)


def test_a_second_send_replaces_the_first_and_only_its_answer_lands(
    bench: Workbench, echo_server: Any
) -> None:
    phases: list[str] = []
    session = bench.open(RequestSession(op_key="GET /slow"))
    bench.listeners.append(lambda s: phases.append(s.phase))

    async def scenario() -> None:
        first = bench.send(session, request(echo_server.url, "/slow?delay=2"), OPTIONS)
        await asyncio.sleep(0.05)
        second = bench.send(session, request(echo_server.url, "/echo/second"), OPTIONS)
        assert first is not None and second is not None
        await second
        # the first task's cancellation ran after the second send began: it is quiet
        with pytest.raises(asyncio.CancelledError):
            await first
        await bench.services.aclose()

    run(scenario())
    assert session.phase == "done"
    assert isinstance(session.result, ResponseResult)
    assert json.loads(session.result.body)["raw_path"] == "/echo/second"
    assert "cancelled" not in phases  # never "Request cancelled" for the replaced send
    assert phases == ["sending", "sending", "done"]


def test_cancel_stops_the_send_and_says_so(bench: Workbench, echo_server: Any) -> None:
    session = bench.open(RequestSession())

    async def scenario() -> None:
        task = bench.send(session, request(echo_server.url, "/slow?delay=3"), OPTIONS)
        await asyncio.sleep(0.05)
        assert bench.cancel(session)
        assert session.phase == "cancelled"
        assert task is not None
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not bench.cancel(session)  # nothing left to cancel
        await bench.services.aclose()

    run(scenario())
    assert session.phase == "cancelled" and session.result is None


def test_closing_a_session_mid_request_leaves_it_alone(bench: Workbench, echo_server: Any) -> None:
    session = bench.open(RequestSession())
    seen: list[str] = []
    bench.listeners.append(lambda s: seen.append(s.phase))

    async def scenario() -> None:
        task = bench.send(session, request(echo_server.url, "/slow?delay=3"), OPTIONS)
        await asyncio.sleep(0.05)
        bench.close(session)
        assert task is not None
        with pytest.raises(asyncio.CancelledError):
            await task
        await bench.services.aclose()

    run(scenario())
    assert session.closed and session not in bench.sessions
    assert seen == ["sending"]  # nothing notified after the close
    assert bench.reopen_closed() is session and not session.closed


def test_a_request_that_cannot_be_built_is_an_error_not_a_send(bench: Workbench) -> None:
    session = bench.open(RequestSession())
    assert bench.send(session, request("", "/x"), OPTIONS) is None
    assert session.phase == "error" and "server URL" in session.error
    assert not session.sent


def test_a_dead_port_is_a_failure_with_a_sentence(bench: Workbench) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    session = bench.open(RequestSession())

    async def scenario() -> None:
        task = bench.send(session, request(f"http://127.0.0.1:{port}", "/x"), OPTIONS)
        assert task is not None
        await task
        await bench.services.aclose()

    run(scenario())
    assert session.phase == "done"
    assert isinstance(session.result, NetworkFailure)
    assert "refused" in session.result.message.lower()


def test_unsent_changes_and_what_is_kept() -> None:
    session = RequestSession(op_key="GET /contacts")
    session.opened({"params": {}})
    assert not session.unsent and not session.keep
    assert session.update({"params": {"query:q": {"value": "x", "include": True}}})
    assert session.unsent and session.keep
    assert not session.update(dict(session.state))  # the same state: no change
    session.start_send(object())  # type: ignore[arg-type]
    assert not session.unsent and session.sent


def test_closed_sessions_are_remembered_up_to_a_limit(bench: Workbench) -> None:
    sessions = [bench.open(RequestSession(op_key=f"GET /{i}")) for i in range(CLOSED_LIMIT + 5)]
    for s in sessions:
        bench.close(s)
    assert len(bench.closed) == CLOSED_LIMIT
    assert bench.reopen_closed() is sessions[-1]


def test_persisted_sessions_go_through_the_redaction() -> None:
    session = RequestSession(op_key="POST /auth/login")
    session.opened({"headers": [["X-Token", "s3cret", True]]})
    saved = session.persisted(lambda state: {"redacted": True})
    assert saved["state"] == {"redacted": True} and saved["op"] == "POST /auth/login"
    back = RequestSession.from_persisted(saved)
    assert back is not None and back.op_key == "POST /auth/login"
    assert RequestSession.from_persisted({"op": 3, "state": {}}) is None


def test_where_a_picked_endpoint_goes(bench: Workbench) -> None:
    assert bench.place("GET /a", None) == ("new", None)
    a = bench.open(RequestSession(op_key="GET /a"))
    assert bench.place("GET /a", a) == ("shown", a)
    assert bench.place("GET /b", a) == ("reuse", a)  # unchanged: it may be replaced
    a.opened({"q": 1})
    a.update({"q": 2})
    assert bench.place("GET /b", a) == ("new", None)  # changed: kept, a new one
    b = bench.open(RequestSession(op_key="GET /b"))
    assert bench.place("GET /b", a) == ("switch", b)  # shown elsewhere already
    b.phase = "sending"
    assert bench.place("GET /c", b) == ("new", None)  # never replace a request in flight
    b.retarget("GET /c")
    assert (b.op_key, b.phase, b.edited, b.result) == ("GET /c", "idle", False, None)


def test_the_workspace_keeps_drafts_and_tabs_without_the_old_local_server(
    tmp_path: Path,
) -> None:
    from explorer.store import Drafts
    from explorer.workbench import Workspace

    first = Workspace(Drafts("/doc.json", folder=tmp_path), "http://127.0.0.1:5000/api")
    first.remember("GET /a", {"server": {"url": "x"}, "params": {"query:q": {"value": "1"}}})
    adhoc = RequestSession()
    adhoc.opened({"address": {"base": "http://127.0.0.1:5000/api", "path": "/health"}})
    linked = RequestSession(op_key="GET /a")
    linked.opened({"server": {"url": "x"}})
    first.keep_tabs([linked.persisted(dict), adhoc.persisted(dict)], active=1)
    first.save()

    again = Workspace(Drafts("/doc.json", folder=tmp_path), "http://127.0.0.1:6001/api")
    assert again.draft_for("GET /a") == {"params": {"query:q": {"value": "1"}}}
    assert again.draft_for("GET /none") is None and again.draft_for(None) is None
    restored, active = again.restored_tabs()
    assert active == 1
    assert [s.op_key for s, _ in restored] == ["GET /a", None]
    assert "server" not in restored[0][1]
    assert restored[1][1]["address"] == {"base": "http://127.0.0.1:6001/api", "path": "/health"}
