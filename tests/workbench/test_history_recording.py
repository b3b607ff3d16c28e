"""Every finished send lands in the history, redacted: a bearer token, an API key in the
query, a cookie, a secret-named header and a password never reach the file, not even
echoed back by the server; the copied curl, run by the real curl with the variables set,
sends what the explorer sent; an entry reopens as the request it was."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from explorer import spec
from explorer.http import AuthInput, BodyInput, ParamValue, RequestInput, TransportOptions
from explorer.http.snippets import SnippetOptions, by_name
from explorer.store import Settings
from explorer.store.history import History, HistoryEntry
from explorer.workbench import RequestSession, Services, Workbench
from explorer.workbench.history import entry_for, reopen_state

OPTIONS = TransportOptions(timeout=10)
TOKEN = "tok-8f2c61d4e0b9a7c35e11"
API_KEY = "key-5a9e0c7b13d4f268aa02"
COOKIE = "cookie-77b1e04d29c8f5a6"
TYPED = "typed-3c0f9a1e6d2b8475"
PASSWORD = "pw-c4a81f0e2d7b9365"
SECRETS = (TOKEN, API_KEY, COOKIE, TYPED, PASSWORD)


def make_bench(tmp_path: Path, **settings: Any) -> Workbench:
    store = Settings(tmp_path / "settings.json")
    for name, value in settings.items():
        store.set(name, value)
    services = Services(settings=store)
    services.history = History(tmp_path / "history.sqlite3")
    return Workbench(services)


def secret_request(base: str) -> RequestInput:
    return RequestInput(
        "POST",
        base,
        "/echo/contacts",
        params=(ParamValue("page", "query", 2),),
        headers=(("X-Api-Key", TYPED), ("X-Trace", "trace-1")),
        body=BodyInput("application/json", json.dumps({"name": "Ada", "password": PASSWORD})),
        credentials=(
            AuthInput("bearer", token=TOKEN, env_name="ECOSIRE_TOKEN"),
            AuthInput(
                "apikey", token=API_KEY, name="api_key", location="query", env_name="ECOSIRE_KEY"
            ),
        ),
        cookies=(("sid", COOKIE),),
    )


STATE = {
    "method": "POST",
    "headers": [[True, "X-Api-Key", TYPED], [True, "X-Trace", "trace-1"]],
    "query": [[True, "page", "2"]],
    "body": {"texts": {"application/json": json.dumps({"password": PASSWORD, "name": "Ada"})}},
}


async def send(bench: Workbench, session: RequestSession, inp: RequestInput) -> None:
    task = bench.send(session, inp, OPTIONS)
    assert task is not None
    await task
    history = bench.services.history
    assert history is not None
    await history.flush()
    await asyncio.sleep(0.05)  # the outcome comes back through the loop


def history_bytes(tmp_path: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in sorted(tmp_path.iterdir()) if p.name.startswith("history.sqlite3")
    )


def test_a_send_with_every_kind_of_secret_leaves_none_of_them_in_the_file(
    tmp_path: Path, echo_server: Any
) -> None:
    bench = make_bench(tmp_path)
    session = bench.open(RequestSession(op_key=None))
    session.opened(STATE)
    history = bench.services.history
    assert history is not None
    heard: list[int] = []
    history.listeners.append(lambda: heard.append(1))
    found: list[HistoryEntry] = []

    async def scenario() -> None:
        await send(bench, session, secret_request(echo_server.url))
        (summary,) = await history.search()
        whole = await history.get(summary.id)
        assert whole is not None
        found.append(whole)
        await bench.services.aclose()

    asyncio.run(scenario())
    assert heard == [1]
    entry = found[0]
    # what the history says about it
    assert (entry.method, entry.status, entry.reason) == ("POST", 200, "OK")
    assert entry.url == (f"{echo_server.url}/echo/contacts?page=2&api_key=${{ECOSIRE_KEY}}")
    assert entry.content_type == "application/json" and entry.size > 100
    assert entry.elapsed > 0
    assert '"raw_path":"/echo/contacts"' in entry.body_start.replace(" ", "")
    assert "${ECOSIRE_TOKEN}" in entry.body_start  # the echoed header, scrubbed
    headers = dict(entry.prepared().headers)
    assert headers["Authorization"] == "Bearer ${ECOSIRE_TOKEN}"
    assert headers["Cookie"] == "sid=${COOKIE_SID}"
    assert headers["X-Api-Key"] == "${X_API_KEY}"
    assert headers["X-Trace"] == "trace-1"
    assert json.loads(entry.request["content"]) == {"name": "Ada", "password": ""}  # type: ignore[index]
    assert entry.state is not None
    assert entry.state["headers"][0] == [True, "X-Api-Key", ""]
    # and none of the secrets is anywhere in the file, in any spelling
    raw = history_bytes(tmp_path)
    assert b"trace-1" in raw  # the file holds the request: the check below can fail
    for secret in SECRETS:
        assert secret.encode() not in raw, secret


def test_the_copied_curl_sends_what_the_explorer_sent(tmp_path: Path, echo_server: Any) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed (.ci/test.sh installs it)")
    bench = make_bench(tmp_path)
    session = bench.open(RequestSession())
    session.opened(STATE)
    found: list[Any] = []

    async def scenario() -> None:
        await send(bench, session, secret_request(echo_server.url))
        history = bench.services.history
        assert history is not None
        (summary,) = await history.search()
        found.append(await history.get(summary.id))
        await bench.services.aclose()

    asyncio.run(scenario())
    assert session.result is not None
    sent = json.loads(session.result.body)  # type: ignore[union-attr]
    entry = found[0]
    command = by_name("curl").generate(entry.prepared(), SnippetOptions())
    assert TOKEN not in command and "${ECOSIRE_TOKEN}" in command
    env = dict(
        os.environ,
        ECOSIRE_TOKEN=TOKEN,
        ECOSIRE_KEY=API_KEY,
        COOKIE_SID=COOKIE,
        X_API_KEY=TYPED,
    )
    done = subprocess.run(
        ["bash", "-c", command + " --silent --show-error"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    arrived = json.loads(done.stdout)
    assert arrived["method"] == sent["method"] == "POST"
    assert arrived["raw_path"] == sent["raw_path"]
    assert arrived["query"] == sent["query"]

    def wanted(headers: list[list[str]]) -> dict[str, str]:
        keep = ("authorization", "cookie", "x-api-key", "x-trace", "content-type")
        return {k: v for k, v in headers if k in keep}

    assert wanted(arrived["headers"]) == wanted(sent["headers"])
    # the body as stored: its password was left out
    body = json.loads(__import__("base64").b64decode(arrived["body_b64"]))
    assert body == {"name": "Ada", "password": ""}


def test_a_network_failure_is_recorded_with_its_kind(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    bench = make_bench(tmp_path)
    session = bench.open(RequestSession())
    found: list[HistoryEntry] = []

    async def scenario() -> None:
        await send(bench, session, RequestInput("GET", f"http://127.0.0.1:{port}", "/x"))
        history = bench.services.history
        assert history is not None
        found.extend(await history.search())
        await bench.services.aclose()

    asyncio.run(scenario())
    (entry,) = found
    assert entry.status is None and entry.failure == "refused" and entry.failed
    assert entry.url == f"http://127.0.0.1:{port}/x"
    assert entry.reason  # the sentence the window showed


def test_nothing_is_recorded_with_the_history_off(tmp_path: Path, echo_server: Any) -> None:
    bench = make_bench(tmp_path, **{"history.enabled": False})
    session = bench.open(RequestSession())

    async def scenario() -> None:
        await send(bench, session, RequestInput("GET", echo_server.url, "/echo/x"))
        history = bench.services.history
        assert history is not None
        assert await history.count() == 0
        await bench.services.aclose()

    asyncio.run(scenario())
    assert session.phase == "done"


def test_a_login_answer_keeps_no_token(tmp_path: Path) -> None:
    """A body that answers a token (a login) is kept without it: by key in JSON, whole
    or cut in the middle, and form-encoded."""
    from explorer.http.model import PreparedRequest, ResponseResult

    token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.sig-7c1e"
    prepared = PreparedRequest("POST", "http://h/auth/login", content=b"{}")
    bodies = [
        ("application/json", json.dumps({"accessToken": token, "user": {"id": "u_1"}})),
        ("application/json", json.dumps({"access_token": token, "pad": "x" * 40_000})),
        ("application/x-www-form-urlencoded", f"access_token={token}&token_type=bearer"),
    ]
    for content_type, body in bodies:
        session = RequestSession()
        session.start_send(prepared)
        session.result = ResponseResult(
            prepared, 200, "OK", "HTTP/1.1", prepared.url,
            (("Content-Type", content_type),), body.encode(),
        )  # fmt: skip
        session.phase = "done"
        entry = entry_for(session, None)
        assert entry is not None and entry.body_start
        assert token not in entry.body_start, content_type
        assert token[:20] not in entry.body_start, content_type


def test_an_entry_reopens_as_it_was_sent(demo_spec_path: Path) -> None:
    api = spec.load(str(demo_spec_path))
    state = {"method": "GET", "server": {"url": "x"}, "query": [[True, "limit", "5"]]}
    linked = HistoryEntry(
        time=0, method="GET", url="http://127.0.0.1:1111/api/contacts?limit=5",
        op_key="GET /contacts", state=state,
    )  # fmt: skip
    # an endpoint of the open document: its state, with this run's local server
    assert reopen_state(linked, api, "http://127.0.0.1:2222/api") == (
        "GET /contacts",
        {"method": "GET", "query": [[True, "limit", "5"]]},
    )
    assert reopen_state(linked, api, None) == ("GET /contacts", state)
    # an endpoint of another document: ad hoc, the URL as it was sent
    other = HistoryEntry(
        time=0, method="PUT", url="https://api.example.com/v2/things/7?verbose=1&token=${TOKEN}",
        op_key="PUT /things/{id}", state={"headers": [[True, "X-Trace", "t"]], "params": {}},
    )  # fmt: skip
    assert reopen_state(other, api, None) == (
        None,
        {
            "headers": [[True, "X-Trace", "t"]],
            "method": "PUT",
            "address": {"base": "https://api.example.com", "path": "/v2/things/7"},
            "query": [[True, "verbose", "1"], [True, "token", ""]],
        },
    )
    # an ad-hoc request on an earlier run's local server moves to this run's
    old = {"base": "http://127.0.0.1:1111/api", "path": "/contacts"}
    adhoc = HistoryEntry(
        time=0, method="GET", url="http://127.0.0.1:1111/api/contacts",
        state={"method": "GET", "address": old},
    )  # fmt: skip
    _, moved = reopen_state(adhoc, api, "http://127.0.0.1:2222/api")
    assert moved["address"] == {"base": "http://127.0.0.1:2222/api", "path": "/contacts"}
    elsewhere = HistoryEntry(
        time=0, method="GET", url="http://127.0.0.1:8000/v1/x",
        state={"method": "GET", "address": {"base": "http://127.0.0.1:8000", "path": "/v1/x"}},
    )  # fmt: skip
    _, kept = reopen_state(elsewhere, api, "http://127.0.0.1:2222/api")
    assert kept["address"] == {"base": "http://127.0.0.1:8000", "path": "/v1/x"}


def test_a_body_too_big_to_keep_is_left_out_and_costs_nothing_to_redact() -> None:
    """A 5 MB request body (and the editor state holding it) is not kept, only its size:
    it is not parsed either, so recording never holds the window's loop for long."""
    import time

    from explorer.http.model import PreparedRequest, ResponseResult
    from explorer.workbench.history import REQUEST_LIMIT

    text = json.dumps({"items": [{"password": "p" * 8, "n": i} for i in range(150_000)]})
    assert len(text) > 5_000_000
    prepared = PreparedRequest(
        "POST", "http://h/bulk", (("Content-Type", "application/json"),), text.encode()
    )
    session = RequestSession()
    session.opened({"method": "POST", "body": {"texts": {"application/json": text}}})
    session.start_send(prepared)
    session.result = ResponseResult(prepared, 200, "OK", "HTTP/1.1", prepared.url, (), b"{}")
    session.phase = "done"
    started = time.perf_counter()
    entry = entry_for(session, None)
    took = time.perf_counter() - started
    assert entry is not None and entry.request is not None
    assert entry.request["size"] == len(text) > REQUEST_LIMIT
    assert "content" not in entry.request and entry.state is None
    assert took < 1.0, took  # parsing and redacting 5 MB would take several times longer
    small = json.dumps({"password": "p" * 8, "n": 1})
    session.opened({"method": "POST", "body": {"texts": {"application/json": small}}})
    session.start_send(dataclasses.replace(prepared, content=small.encode()))
    session.result = ResponseResult(prepared, 200, "OK", "HTTP/1.1", prepared.url, (), b"{}")
    session.phase = "done"
    kept = entry_for(session, None)
    assert kept is not None and kept.request is not None and kept.state is not None
    assert json.loads(kept.request["content"]) == {"password": "", "n": 1}
