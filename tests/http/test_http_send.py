"""Sender against real servers on 127.0.0.1: responses, timing, big bodies, failures,
cancellation, redirects, cookies."""

from __future__ import annotations

import asyncio
import base64
import importlib.util
import json
import socket
import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import pytest
from http_servers import RawServer, RunningServer, pattern_body

from explorer.http import (
    AuthInput,
    BodyInput,
    FormField,
    NetworkFailure,
    ParamValue,
    PreparedRequest,
    RedirectHop,
    RequestInput,
    ResponseResult,
    Sender,
    TransportOptions,
    build_request,
)
from explorer.http.send import describe_failure

T = TypeVar("T")


def run(factory: Callable[[Sender], Awaitable[T]]) -> T:
    """Run `factory(sender)` on a fresh event loop and close the sender afterwards."""

    async def main() -> T:
        sender = Sender()
        try:
            return await factory(sender)
        finally:
            await sender.aclose()

    return asyncio.run(main())


def get(url: str, method: str = "GET", **kw: Any) -> PreparedRequest:
    return PreparedRequest(method=method, url=url, **kw)


def ok(result: ResponseResult | NetworkFailure) -> ResponseResult:
    assert isinstance(result, ResponseResult), result
    return result


def failed(result: ResponseResult | NetworkFailure) -> NetworkFailure:
    assert isinstance(result, NetworkFailure), result
    return result


def echoed(result: ResponseResult | NetworkFailure) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(result).body)
    data["body"] = base64.b64decode(data.pop("body_b64"))
    return data


def test_a_built_request_arrives_as_built(echo_server: RunningServer) -> None:
    prepared = build_request(
        RequestInput(
            "PATCH",
            echo_server.url + "/",
            "/echo/contacts/{id}",
            params=(
                ParamValue("id", "path", "c 1/é"),
                ParamValue("tags", "query", ["a", "b c"]),
                ParamValue("X-Request-Id", "header", "r-1"),
                ParamValue("theme", "cookie", "dark"),
            ),
            headers=(("X-Note", "Zoë says hi"),),
            body=BodyInput("application/json", '{"name": "Zoë"}'),
            auth=AuthInput("bearer", token="tok-123"),
        )
    )
    data = echoed(run(lambda s: s.send(prepared)))
    assert data["method"] == "PATCH"
    assert data["raw_path"] == "/echo/contacts/c%201%2F%C3%A9"
    assert data["query"] == "tags=a&tags=b%20c"
    headers = dict(data["headers"])
    assert headers["x-request-id"] == "r-1"
    assert headers["cookie"] == "theme=dark"
    assert headers["authorization"] == "Bearer tok-123"
    assert headers["content-type"] == "application/json"
    assert headers["x-note"] == "Zoë says hi"
    assert data["body"] == '{"name": "Zoë"}'.encode()


def test_status_headers_body_and_timing(echo_server: RunningServer) -> None:
    url = (
        echo_server.url
        + "/status/422?type=application/problem%2Bjson&body=%7B%22title%22%3A%22x%22%7D"
        + "&h=X-RateLimit-Remaining:7"
    )
    result = ok(run(lambda s: s.send(get(url))))
    assert result.status == 422
    assert result.reason == "Unprocessable Entity"
    assert result.http_version == "HTTP/1.1"
    assert result.content_type == "application/problem+json"
    assert result.header("x-ratelimit-remaining") == "7"
    assert result.body == b'{"title":"x"}'
    assert result.url == url
    assert result.redirects == 0
    timing = result.timing
    assert timing.connect is not None and timing.connect >= 0
    assert timing.tls is None  # plain HTTP
    assert timing.first_byte is not None and timing.first_byte >= 0
    assert timing.download is not None and timing.download >= 0
    assert timing.total >= timing.connect + timing.first_byte


def test_reused_connection_has_no_connect_time(echo_server: RunningServer) -> None:
    async def twice(sender: Sender) -> tuple[Any, Any]:
        first = await sender.send(get(echo_server.url + "/echo/1"))
        second = await sender.send(get(echo_server.url + "/echo/2"))
        return first, second

    first, second = run(twice)
    assert ok(first).timing.connect is not None
    assert ok(second).timing.connect is None
    assert ok(second).timing.first_byte is not None


def test_twenty_megabytes_arrive_intact(echo_server: RunningServer) -> None:
    n = 20 * 1024 * 1024 + 123
    result = ok(run(lambda s: s.send(get(f"{echo_server.url}/bytes/{n}"))))
    assert result.size == n
    assert result.body == pattern_body(n)


def test_the_loop_keeps_turning_during_a_big_download(echo_server: RunningServer) -> None:
    """Count how often a ticker task runs while 20 MB arrive: the loop is never held."""

    async def download(sender: Sender) -> tuple[ResponseResult | NetworkFailure, int]:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(ticker())
        try:
            result = await sender.send(get(f"{echo_server.url}/bytes/{20 * 1024 * 1024}"))
        finally:
            task.cancel()
        return result, ticks

    result, ticks = run(download)
    assert ok(result).size == 20 * 1024 * 1024
    assert ticks > 50  # one per received chunk at least; a blocking read would give ~1


def test_body_over_the_limit_is_refused(echo_server: RunningServer) -> None:
    failure = failed(run(lambda s: s.send(get(f"{echo_server.url}/bytes/5000"), max_body=4096)))
    assert failure.kind == "too_large"
    assert "larger than 4096 bytes" in failure.message


def test_refused_connection(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/x"
    failure = failed(run(lambda s: s.send(get(url))))
    assert failure.kind == "refused"
    assert (
        failure.message == f"Connection refused: nothing is listening on 127.0.0.1:{closed_port}."
    )
    assert failure.url == url


def test_timeout_waiting_for_the_answer(echo_server: RunningServer) -> None:
    options = TransportOptions(timeout=0.2)
    failure = failed(run(lambda s: s.send(get(echo_server.url + "/slow?delay=1"), options)))
    assert failure.kind == "timeout"
    assert failure.message == (
        f"The server at 127.0.0.1:{echo_server.port} did not answer within 0.2 s."
    )


def test_timeout_mid_body(drip_server: RunningServer) -> None:
    options = TransportOptions(timeout=0.3)
    failure = failed(run(lambda s: s.send(get(drip_server.url + "/drip"), options)))
    assert failure.kind == "timeout"
    assert failure.message == (
        f"The response from 127.0.0.1:{drip_server.port} did not finish within 0.3 s; "
        "12 bytes arrived."  # "first chunk;"
    )


def test_the_timeout_bounds_the_whole_exchange(echo_server: RunningServer) -> None:
    """A byte every 0.05 s never trips a per-read timeout; the whole exchange is bounded."""
    options = TransportOptions(timeout=0.5)
    url = echo_server.url + "/trickle?n=400&every=0.05"
    failure = failed(run(lambda s: s.send(get(url), options)))
    assert failure.kind == "timeout"
    prefix = f"The response from 127.0.0.1:{echo_server.port} did not finish within 0.5 s; "
    assert failure.message.startswith(prefix)
    arrived = int(failure.message.removeprefix(prefix).split()[0])
    assert 1 <= arrived < 400
    assert 0.5 <= failure.elapsed < 10  # loosely: not the 20 s the server would take


def test_the_timeout_covers_redirects(echo_server: RunningServer) -> None:
    options = TransportOptions(timeout=0.4)
    url = to(echo_server, echo_server.url + "/slow?delay=5")
    failure = failed(run(lambda s: s.send(get(url), options)))
    assert failure.message == (
        f"The server at 127.0.0.1:{echo_server.port} did not answer within 0.4 s."
    )


def test_timeout_while_connecting() -> None:
    """A listener whose accept queue is full: the kernel drops the next SYN, so
    connecting hangs until the deadline."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(3):  # fill the queue (its size is backlog + 1 on Linux)
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        options = TransportOptions(timeout=0.3)
        failure = failed(run(lambda s: s.send(get(f"http://127.0.0.1:{port}/x"), options)))
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
    assert failure.kind == "timeout"
    assert failure.message == f"Timed out after 0.3 s while connecting to 127.0.0.1:{port}."


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_bodies_are_decompressed(echo_server: RunningServer, coding: str) -> None:
    text = json.dumps({"items": list(range(2000))})
    url = f"{echo_server.url}/encoded?coding={coding}&text={quote(text)}"
    result = ok(run(lambda s: s.send(get(url))))
    assert result.body == text.encode()
    assert result.header("content-encoding") == "deflate" if coding != "gzip" else "gzip"


def test_gzip_members_are_all_read_and_sizes_are_bounded(echo_server: RunningServer) -> None:
    result = ok(run(lambda s: s.send(get(echo_server.url + "/zip/members?mb=3"))))
    assert result.body == bytes(3 * 1024 * 1024)


def test_what_we_ask_for_is_what_we_can_decompress(echo_server: RunningServer) -> None:
    headers = dict(echoed(run(lambda s: s.send(get(echo_server.url + "/echo"))))["headers"])
    assert headers["accept-encoding"] == "gzip, deflate"


def test_a_coding_we_do_not_decompress_is_kept_as_it_came(echo_server: RunningServer) -> None:
    brotli_hello = "8b058068656c6c6f2062726f746c6903"
    url = f"{echo_server.url}/encoded?coding=br&hex={brotli_hello}"
    result = ok(run(lambda s: s.send(get(url))))
    assert result.body == bytes.fromhex(brotli_hello)
    assert result.header("content-encoding") == "br"


def test_a_broken_gzip_body_is_a_clear_failure(echo_server: RunningServer) -> None:
    url = f"{echo_server.url}/encoded?coding=broken-gzip&text=hello"
    failure = failed(run(lambda s: s.send(get(url))))
    assert failure.kind == "protocol"
    assert failure.message.startswith(
        f"The response body from 127.0.0.1:{echo_server.port} could not be decompressed (gzip: "
    )


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate"])
def test_a_body_too_large_once_decompressed_is_refused(
    echo_server: RunningServer, coding: str
) -> None:
    url = f"{echo_server.url}/zip/{coding}?mb=6"
    failure = failed(run(lambda s: s.send(get(url), max_body=4 * 1024 * 1024)))
    assert failure.kind == "too_large"
    label = "gzip" if coding == "gzip" else "deflate"
    assert failure.message.startswith(
        f"The response body is larger than 4 MB once decompressed ({label}, "
    )
    assert failure.message.endswith("received); it was not read.")


def test_a_decompression_bomb_is_refused_by_its_ratio(echo_server: RunningServer) -> None:
    """Endless gzip of zeros (1,000 times smaller than what it inflates to): refused once
    past 16 MiB, long before the 256 MB cap."""
    failure = failed(run(lambda s: s.send(get(echo_server.url + "/zip/gzip"))))
    assert failure.kind == "too_large"
    assert failure.message.startswith(
        "The response body expands more than 200 times when decompressed (gzip: "
    )
    assert "received became over 16 MB), like a decompression bomb" in failure.message


def test_an_endless_body_stops_at_the_limit(echo_server: RunningServer) -> None:
    failure = failed(run(lambda s: s.send(get(echo_server.url + "/endless"), max_body=3_000_000)))
    assert failure.kind == "too_large"
    assert failure.message == "The response body is larger than 3 MB; it was not read."


@pytest.mark.parametrize(
    ("behaviour", "kind", "words"),
    [
        ("close", "reset", "closed the connection without answering"),
        ("reset", "reset", "reset by the server"),
        ("garbage", "protocol", "not valid HTTP"),
    ],
)
def test_broken_servers(
    raw_server: Callable[[str], RawServer], behaviour: str, kind: str, words: str
) -> None:
    server = raw_server(behaviour)
    failure = failed(run(lambda s: s.send(get(server.url + "/x"))))
    assert failure.kind == kind
    assert words in failure.message


def test_untrusted_certificate_is_a_tls_failure(tls_server: RunningServer) -> None:
    failure = failed(run(lambda s: s.send(get(tls_server.url + "/echo"))))
    assert failure.kind == "tls"
    assert f"127.0.0.1:{tls_server.port} is not trusted" in failure.message
    assert "self-signed" in failure.message


def test_tls_without_verification_measures_the_handshake(tls_server: RunningServer) -> None:
    options = TransportOptions(verify_tls=False)
    result = ok(run(lambda s: s.send(get(tls_server.url + "/echo"), options)))
    assert result.status == 200
    assert result.timing.tls is not None and result.timing.tls > 0
    assert result.timing.connect is not None


def test_https_to_a_plain_http_port_is_a_tls_failure(echo_server: RunningServer) -> None:
    url = echo_server.url.replace("http://", "https://") + "/echo"
    failure = failed(run(lambda s: s.send(get(url))))
    assert failure.kind == "tls"
    assert "TLS handshake" in failure.message


def test_dns_failure_is_described_plainly() -> None:
    # No real lookup in tests: the exception httpx raises for one, as it raises it.
    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror as inner:
            raise httpx.ConnectError(str(inner)) from inner
    except httpx.ConnectError as exc:
        kind, message = describe_failure(exc, "https://api.nowhere.invalid/x", TransportOptions())
    assert kind == "dns"
    assert message == "Could not find the server 'api.nowhere.invalid': the DNS lookup failed."


def test_other_failures_are_described() -> None:
    opts = TransportOptions(timeout=5)
    cases: list[tuple[BaseException, str, str]] = [
        (httpx.ConnectTimeout("x"), "timeout", "Timed out after 5 s while connecting to h:80."),
        (
            httpx.WriteTimeout("x"),
            "timeout",
            "Timed out after 5 s while sending the request to h:80.",
        ),
        (
            httpx.PoolTimeout("x"),
            "timeout",
            "No free connection to h:80 within 5 s: too many requests.",
        ),
        (
            httpx.TooManyRedirects("x"),
            "other",
            "Stopped following redirects from h:80: there were too many.",
        ),
        (ssl.SSLError(1, "bad"), "tls", "The TLS handshake with h:80 failed (bad)."),
    ]
    for exc, kind, message in cases:
        assert describe_failure(exc, "http://h/", opts) == (kind, message)


def test_cancellation_mid_download_propagates_and_the_sender_stays_usable(
    drip_server: RunningServer,
) -> None:
    async def scenario(sender: Sender) -> tuple[bool, ResponseResult | NetworkFailure, bool]:
        task = asyncio.create_task(sender.send(get(drip_server.url + "/drip")))
        started = await asyncio.to_thread(drip_server.state.drip_started.wait, 5)
        assert started, "the server never started the body"
        await asyncio.sleep(0.05)  # the first chunk is in; the client waits for more
        task.cancel()
        cancelled = False
        try:
            await task
        except asyncio.CancelledError:
            cancelled = True
        client_before = sender._clients[TransportOptions()]
        after = await sender.send(get(drip_server.url + "/echo/after"))
        same_client = sender._clients[TransportOptions()] is client_before
        return cancelled, after, same_client

    cancelled, after, same_client = run(scenario)
    assert cancelled
    assert ok(after).status == 200
    assert same_client
    # The server saw the client go away: it never had to finish the dripping body.
    assert not drip_server.state.drip_finished.is_set()


def test_redirects_are_followed_counted_and_chained(echo_server: RunningServer) -> None:
    result = ok(run(lambda s: s.send(get(echo_server.url + "/redirect/3"))))
    assert result.status == 200
    assert result.redirects == 3
    assert result.url == echo_server.url + "/echo/done"
    base = echo_server.url
    assert result.redirect_chain == (
        RedirectHop("GET", base + "/redirect/3", 302, base + "/redirect/2"),
        RedirectHop("GET", base + "/redirect/2", 302, base + "/redirect/1"),
        RedirectHop("GET", base + "/redirect/1", 302, base + "/echo/done"),
    )


def test_at_most_twenty_redirects(echo_server: RunningServer) -> None:
    assert ok(run(lambda s: s.send(get(echo_server.url + "/redirect/20")))).redirects == 20
    failure = failed(run(lambda s: s.send(get(echo_server.url + "/redirect/21"))))
    assert failure.kind == "other"
    assert failure.message == (
        f"Stopped following redirects from 127.0.0.1:{echo_server.port} after 20: "
        "there were too many (a redirect loop?)."
    )


def to(server: RunningServer, url: str, status: int = 302) -> str:
    """A URL on `server` that redirects to `url` with `status`."""
    return f"{server.url}/to?status={status}&url={quote(url, safe='')}"


def credentialed(
    server: RunningServer, landing: str, auth: AuthInput, method: str = "GET"
) -> PreparedRequest:
    """A request to `server` that redirects to `landing`, carrying every kind of
    credential the issue names, a harmless header, a cookie and a query parameter."""
    return build_request(
        RequestInput(
            method,
            server.url,
            "/to",
            params=(
                ParamValue("status", "query", 302),
                ParamValue("url", "query", landing),
                ParamValue("theme", "cookie", "dark"),
            ),
            headers=(
                ("X-Auth-Token", "typed-token"),  # secret by its name
                ("X-Marked", "marked-secret"),  # marked secret by the user
                ("Proxy-Authorization", "Basic cHJveHk6cHc="),
                ("X-Note", "harmless"),
            ),
            secret_headers=("X-Marked",),
            auth=auth,
        )
    )


CREDENTIAL_HEADERS = {
    "authorization",
    "cookie",
    "proxy-authorization",
    "x-api-key",
    "x-auth-token",
    "x-marked",
}


def test_a_redirect_to_another_host_drops_every_credential(
    echo_server: RunningServer, second_origin: RunningServer
) -> None:
    landing = second_origin.url + "/echo/landed"
    prepared = credentialed(
        echo_server, landing, AuthInput("apikey", token="key-in-header", name="X-API-Key")
    )
    sent = {name.lower() for name, _ in prepared.headers}
    assert CREDENTIAL_HEADERS - {"authorization"} <= sent  # all of them went to the first host
    result = run(lambda s: s.send(prepared))
    got = echoed(result)
    received = dict(got["headers"])
    assert not CREDENTIAL_HEADERS & set(received), received
    for secret in ("key-in-header", "typed-token", "marked-secret", "dark"):
        assert secret.encode() not in ok(result).body
    assert received["x-note"] == "harmless"
    assert received["host"] == f"127.0.0.2:{second_origin.port}"
    (hop,) = ok(result).redirect_chain
    assert hop.status == 302 and hop.location == landing
    assert set(hop.dropped) == {
        "X-API-Key",
        "Cookie",
        "X-Auth-Token",
        "X-Marked",
        "Proxy-Authorization",
    }


def test_another_port_is_another_origin_and_bearer_and_query_keys_are_dropped(
    echo_server: RunningServer, drip_server: RunningServer
) -> None:
    # The redirect keeps the query string, key included: it must not reach the other port.
    landing = f"{drip_server.url}/echo/landed?api_key=key-in-query&page=2"
    bearer = credentialed(echo_server, landing, AuthInput("bearer", token="bearer-token"))
    got = echoed(run(lambda s: s.send(bearer)))
    assert not CREDENTIAL_HEADERS & {name for name, _ in got["headers"]}
    in_query = credentialed(
        echo_server,
        landing,
        AuthInput("apikey", token="key-in-query", name="api_key", location="query"),
    )
    assert "api_key=key-in-query" in in_query.url
    result = run(lambda s: s.send(in_query))
    assert echoed(result)["query"] == "page=2"
    assert "?api_key" in ok(result).redirect_chain[0].dropped
    assert ok(result).url == f"{drip_server.url}/echo/landed?page=2"


def test_a_redirect_on_the_same_origin_keeps_the_credentials(echo_server: RunningServer) -> None:
    landing = echo_server.url + "/echo/landed?api_key=k&page=2"
    for auth in (
        AuthInput("apikey", token="key-in-header", name="X-API-Key"),
        AuthInput("apikey", token="k", name="api_key", location="query"),
    ):
        prepared = credentialed(echo_server, landing, auth)
        result = run(lambda s, p=prepared: s.send(p))
        received = dict(echoed(result)["headers"])
        expected = CREDENTIAL_HEADERS - {"authorization"}
        if auth.location == "query":
            expected -= {"x-api-key"}
            assert echoed(result)["query"] == "api_key=k&page=2"
        assert expected <= set(received)
        assert received["x-marked"] == "marked-secret"
        assert ok(result).redirect_chain[0].dropped == ()


def test_credentials_stay_dropped_when_a_redirect_comes_back(
    echo_server: RunningServer, second_origin: RunningServer
) -> None:
    back = to(second_origin, echo_server.url + "/echo/back")
    prepared = credentialed(
        echo_server, back, AuthInput("apikey", token="key-in-header", name="X-API-Key")
    )
    result = run(lambda s: s.send(prepared))
    assert not CREDENTIAL_HEADERS & {name for name, _ in echoed(result)["headers"]}
    first, second = ok(result).redirect_chain
    assert "X-API-Key" in first.dropped
    assert second.dropped == ()  # nothing left to drop


@pytest.mark.parametrize(
    ("status", "method", "then", "body_kept"),
    [
        (301, "POST", "GET", False),
        (302, "POST", "GET", False),
        (303, "POST", "GET", False),
        (303, "PUT", "GET", False),
        (303, "HEAD", "HEAD", False),
        (302, "PUT", "PUT", True),
        (301, "PATCH", "PATCH", True),
        (307, "POST", "POST", True),
        (308, "PUT", "PUT", True),
    ],
)
def test_redirects_rewrite_the_method_as_rfc_9110_says(
    echo_server: RunningServer, status: int, method: str, then: str, body_kept: bool
) -> None:
    prepared = build_request(
        RequestInput(
            method,
            echo_server.url,
            "/to",
            params=(
                ParamValue("status", "query", status),
                ParamValue("url", "query", echo_server.url + "/echo/next"),
            ),
            body=BodyInput("application/json", '{"a": 1}') if method != "HEAD" else None,
        )
    )
    result = ok(run(lambda s: s.send(prepared)))
    assert result.redirect_chain[0].method == method
    if then == "HEAD":
        assert result.status == 200 and result.body == b""
        return
    got = echoed(result)
    assert got["method"] == then
    headers = dict(got["headers"])
    if body_kept:
        assert got["body"] == b'{"a": 1}'
        assert headers["content-type"] == "application/json"
    else:
        assert got["body"] == b""
        assert "content-type" not in headers and "content-length" not in headers


def test_a_307_sends_the_multipart_file_again(echo_server: RunningServer, tmp_path: Path) -> None:
    upload = tmp_path / "report.csv"
    upload.write_bytes(b"a,b\n1,2\n")
    prepared = get(
        to(echo_server, echo_server.url + "/echo/upload", 307),
        "POST",
        form=(("title", "Q1"),),
        files=(("file", str(upload), "text/csv"),),
    )
    body = echoed(run(lambda s: s.send(prepared)))["body"]
    assert b'name="file"; filename="report.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n' in body


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "javascript:alert(1)", "http://", "http://[::1"]
)
def test_a_redirect_that_cannot_be_followed_is_the_response(
    echo_server: RunningServer, location: str
) -> None:
    result = ok(run(lambda s: s.send(get(to(echo_server, location)))))
    assert result.status == 302
    assert result.header("location") == location
    assert result.body == b"redirect body"
    assert result.redirect_chain == ()


def test_redirects_not_followed_when_turned_off(echo_server: RunningServer) -> None:
    options = TransportOptions(follow_redirects=False)
    result = ok(run(lambda s: s.send(get(echo_server.url + "/redirect/3"), options)))
    assert result.status == 302
    assert result.header("location") == "/redirect/2"
    assert result.redirects == 0


def test_cookies_set_by_a_server_are_shown_but_not_sent_back(echo_server: RunningServer) -> None:
    async def scenario(sender: Sender) -> tuple[Any, Any]:
        first = await sender.send(get(echo_server.url + "/cookie"))
        second = await sender.send(get(echo_server.url + "/echo/next"))
        return first, second

    first, second = run(scenario)
    assert "session=s3cr3t" in (ok(first).header("set-cookie") or "")
    headers = dict(echoed(second)["headers"])
    assert "cookie" not in headers


def test_multipart_with_a_file(echo_server: RunningServer, tmp_path: Path) -> None:
    upload = tmp_path / "report.csv"
    upload.write_bytes(b"a,b\n1,2\n")
    prepared = build_request(
        RequestInput(
            "POST",
            echo_server.url,
            "/echo/upload",
            body=BodyInput(
                "multipart/form-data",
                fields=(
                    FormField("title", "Q1 report"),
                    FormField("file", file_path=str(upload), content_type="text/csv"),
                ),
            ),
        )
    )
    data = echoed(run(lambda s: s.send(prepared)))
    content_type = dict(data["headers"])["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    body = data["body"]
    assert b'Content-Disposition: form-data; name="title"\r\n\r\nQ1 report\r\n' in body
    assert b'name="file"; filename="report.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n' in body


def test_missing_upload_file_is_a_failure_not_an_exception(
    echo_server: RunningServer, tmp_path: Path
) -> None:
    prepared = get(
        echo_server.url + "/echo", "POST", files=(("file", str(tmp_path / "gone.bin"), ""),)
    )
    failure = failed(run(lambda s: s.send(prepared)))
    assert failure.kind == "other"
    assert "Cannot read the file to upload" in failure.message
    assert "No such file" in failure.message


def test_one_client_per_transport_options_and_aclose(echo_server: RunningServer) -> None:
    async def scenario(sender: Sender) -> tuple[int, bool]:
        await sender.send(get(echo_server.url + "/echo"))
        await sender.send(get(echo_server.url + "/echo"), TransportOptions(timeout=5))
        await sender.send(get(echo_server.url + "/echo"), TransportOptions(timeout=5))
        count = len(sender._clients)
        clients = list(sender._clients.values())
        await sender.aclose()
        return count, all(c.is_closed for c in clients)

    count, closed = run(scenario)
    assert count == 2
    assert closed


def test_head_request_has_no_body(echo_server: RunningServer) -> None:
    result = ok(run(lambda s: s.send(get(echo_server.url + "/echo", "HEAD"))))
    assert result.status == 200
    assert result.body == b""


def test_proxy_problems_name_the_proxy(closed_port: int, echo_server: RunningServer) -> None:
    url = echo_server.url + "/echo"
    down = TransportOptions(proxy=f"http://127.0.0.1:{closed_port}")
    failure = failed(run(lambda s: s.send(get(url), down)))
    assert failure.kind == "refused"
    assert failure.message == (
        f"Connection refused: nothing is listening on the proxy 127.0.0.1:{closed_port}."
    )
    cases = [("garbage", "cannot be used")]
    if importlib.util.find_spec("socksio") is None:
        cases.append(("socks5://127.0.0.1:1", "needs the socksio package"))
    for proxy, words in cases:
        failure = failed(run(lambda s, p=proxy: s.send(get(url), TransportOptions(proxy=p))))
        assert failure.kind == "other"
        assert words in failure.message


def test_digest_credentials_answer_the_servers_challenge(echo_server: RunningServer) -> None:
    from explorer.http import AuthInput

    def send(password: str) -> ResponseResult:
        prepared = build_request(
            RequestInput(
                "GET",
                echo_server.url,
                "/digest",
                credentials=(AuthInput("digest", username="ada", password=password),),
            )
        )
        assert prepared.digest_auth == ("ada", password)
        assert all(n.lower() != "authorization" for n, _ in prepared.headers)  # not up front
        result = run(lambda sender: sender.send(prepared, TransportOptions(timeout=10)))
        assert isinstance(result, ResponseResult)
        return result

    ok = send("s3cret")
    assert (ok.status, ok.body) == (200, b"digest ok")
    assert send("wrong").status == 401
