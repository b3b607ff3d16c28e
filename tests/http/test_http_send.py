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
    assert "stopped sending the body" in failure.message


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


def test_redirects_are_followed_and_counted(echo_server: RunningServer) -> None:
    result = ok(run(lambda s: s.send(get(echo_server.url + "/redirect/3"))))
    assert result.status == 200
    assert result.redirects == 3
    assert result.url == echo_server.url + "/echo/done"


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
