"""Send a `PreparedRequest` with httpx and bring back a `ResponseResult` or a `NetworkFailure`.

    sender = Sender()                       # one per application (or per event loop)
    result = await sender.send(prepared, TransportOptions(timeout=10))
    ...
    await sender.aclose()                   # on shutdown

- One `httpx.AsyncClient` per `TransportOptions`, created on first use, on the loop that
  first uses it; `aclose()` closes them all. A Sender belongs to one event loop.
- The body is read with `aiter_bytes()`, so a 20 MB response never blocks the loop; it
  is cut off with a `too_large` failure past `max_body` bytes.
- A network problem never raises: it comes back as a `NetworkFailure` with one plain
  sentence. `asyncio.CancelledError` does propagate (the UI cancels the task); the
  connection is dropped and the Sender stays usable.
- Timing comes from httpcore's `trace` extension: connect (TCP, DNS included), TLS,
  first byte (request sent to response headers, last hop) and download; connect and TLS
  add up over redirect hops, and are None for a reused connection or plain HTTP.
- No cookie jar: cookies a server sets are in the response headers, not sent back.
  Environment variables (proxies, SSL_CERT_FILE, .netrc) are ignored: what is sent is
  exactly the prepared request plus httpx's own defaults (Host, Accept, Accept-Encoding,
  Connection, User-Agent, Content-Length), each overridden by a prepared header of the
  same name.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import socket
import ssl
import time
from collections.abc import Iterator
from http.cookiejar import Cookie, CookieJar
from typing import IO, Any
from urllib.parse import urlsplit
from urllib.request import Request as UrllibRequest

import httpx

from explorer.http.model import (
    NetworkFailure,
    PreparedRequest,
    ResponseResult,
    Timing,
    TransportOptions,
)

__all__ = ["DEFAULT_MAX_BODY", "Sender"]

DEFAULT_MAX_BODY = 256 * 1024 * 1024
_JOIN_IN_THREAD = 1024 * 1024


class _NoCookieJar(CookieJar):
    """A cookie jar that never keeps anything: each request sends exactly its own headers."""

    def set_cookie(self, cookie: Cookie) -> None:
        """Drop the cookie."""

    def extract_cookies(self, response: Any, request: UrllibRequest) -> None:
        """Keep nothing a response sets."""


class _Trace:
    """httpcore `trace` callback: remembers when each event happened."""

    def __init__(self) -> None:
        self.events: list[tuple[str, float]] = []

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        self.events.append((name, time.perf_counter()))

    def _times(self, step: str, phase: str) -> list[float]:
        suffix = f".{step}.{phase}"
        return [t for name, t in self.events if name.endswith(suffix)]

    def total(self, step: str) -> float | None:
        """Sum of the durations of a step (`connect_tcp`, `start_tls`) over all hops;
        None when the step never completed (reused connection, plain HTTP)."""
        started_at: float | None = None
        total: float | None = None
        for name, t in self.events:
            if name.endswith(f".{step}.started"):
                started_at = t
            elif name.endswith(f".{step}.complete") and started_at is not None:
                total = (total or 0.0) + t - started_at
                started_at = None
        return total

    def last(self, step: str, phase: str = "complete") -> float | None:
        times = self._times(step, phase)
        return times[-1] if times else None

    def has_headers(self) -> bool:
        """True once response headers arrived (for any hop)."""
        return self.last("receive_response_headers") is not None


class Sender:
    """Sends prepared requests; holds one `httpx.AsyncClient` per `TransportOptions`."""

    def __init__(self) -> None:
        self._clients: dict[TransportOptions, httpx.AsyncClient] = {}

    async def _client(self, options: TransportOptions) -> httpx.AsyncClient:
        client = self._clients.get(options)
        if client is not None and not client.is_closed:
            return client
        # Made in a worker thread: the first client imports httpcore, h11 and anyio and
        # loads the CA bundle, ~200 ms that would otherwise freeze the loop.
        new = await asyncio.to_thread(_new_client, options)
        current = self._clients.get(options)
        if current is not None and not current.is_closed:  # another send was quicker
            await new.aclose()
            return current
        self._clients[options] = new
        return new

    async def warm(self, options: TransportOptions) -> None:
        """Make the client for `options` now (off the loop), so the first send is quick."""
        await self._client(options)

    async def aclose(self) -> None:
        """Close every client. The Sender can still be used afterwards (new clients)."""
        clients = list(self._clients.values())
        self._clients.clear()
        for client in clients:
            await client.aclose()

    async def send(
        self,
        prepared: PreparedRequest,
        options: TransportOptions = TransportOptions(),  # noqa: B008 (frozen dataclass)
        *,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> ResponseResult | NetworkFailure:
        """Send `prepared` and read the whole response body.

        Returns a `NetworkFailure` for anything that kept a response from arriving;
        raises only `asyncio.CancelledError`."""
        start = time.perf_counter()
        trace = _Trace()

        def failure(kind: Any, message: str) -> NetworkFailure:
            return NetworkFailure(kind, message, prepared.url, time.perf_counter() - start)

        try:
            client = await self._client(options)
        except ImportError:
            return failure("other", f"The proxy {options.proxy!r} needs the socksio package.")
        except Exception as exc:  # a proxy URL httpx cannot use
            return failure("other", f"The proxy {options.proxy!r} cannot be used: {exc}.")

        try:
            with _multipart(prepared) as files:
                async with client.stream(
                    prepared.method,
                    prepared.url,
                    headers=[(k.encode("ascii"), v.encode("utf-8")) for k, v in prepared.headers],
                    content=prepared.content,
                    files=files,
                    extensions={"trace": trace},
                ) as response:
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > max_body:
                        return failure("too_large", _too_large(int(declared), max_body))
                    chunks: list[bytes] = []
                    size = 0
                    async for chunk in response.aiter_bytes():
                        chunks.append(chunk)
                        size += len(chunk)
                        if size > max_body:
                            return failure("too_large", _too_large(None, max_body))
                    end = time.perf_counter()
        except _FileError as exc:
            return failure("other", str(exc))
        except Exception as exc:  # every network problem, whatever layer raised it
            kind, message = describe_failure(exc, prepared.url, options, trace.has_headers())
            return failure(kind, message)

        if size > _JOIN_IN_THREAD:
            # Copying 20 MB into one bytes object takes tens of ms (page faults);
            # bytes.join releases the GIL for it, so the loop keeps turning.
            body = await asyncio.to_thread(b"".join, chunks)
        else:
            body = b"".join(chunks)
        headers_at = trace.last("receive_response_headers")
        sent_at = trace.last("send_request_body") or trace.last("send_request_headers")
        timing = Timing(
            connect=trace.total("connect_tcp"),
            tls=trace.total("start_tls"),
            first_byte=headers_at - sent_at if headers_at and sent_at else None,
            download=end - headers_at if headers_at else None,
            total=end - start,
        )
        encoding = response.headers.encoding
        return ResponseResult(
            request=prepared,
            status=response.status_code,
            reason=response.reason_phrase,
            http_version=response.http_version,
            url=str(response.url),
            headers=tuple(
                (k.decode(encoding, "replace"), v.decode(encoding, "replace"))
                for k, v in response.headers.raw
            ),
            body=body,
            timing=timing,
            redirects=len(response.history),
        )


def _new_client(options: TransportOptions) -> httpx.AsyncClient:
    """A client for `options` (run in a worker thread: imports and CA loading are slow)."""
    importlib.import_module("anyio._backends._asyncio")  # else imported by the first request
    return httpx.AsyncClient(
        timeout=httpx.Timeout(options.timeout),
        follow_redirects=options.follow_redirects,
        verify=options.verify_tls,
        proxy=options.proxy.strip() or None,
        cookies=_NoCookieJar(),
        trust_env=False,
    )


class _FileError(Exception):
    """A file to upload could not be opened."""


@contextlib.contextmanager
def _multipart(prepared: PreparedRequest) -> Iterator[list[tuple[str, Any]] | None]:
    """The httpx `files` list for a multipart request (text fields first, then files, in
    order), with the files open; None when the request is not multipart."""
    if not prepared.form and not prepared.files:
        yield None
        return
    opened: list[IO[bytes]] = []
    parts: list[tuple[str, Any]] = [(name, (None, value.encode())) for name, value in prepared.form]
    try:
        for name, path, content_type in prepared.files:
            try:
                handle = open(path, "rb")  # noqa: SIM115 (closed below)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise _FileError(f"Cannot read the file to upload {path!r}: {reason}.") from None
            opened.append(handle)
            parts.append((name, (os.path.basename(path), handle, content_type or None)))
        yield parts
    finally:
        for opened_file in opened:
            opened_file.close()


def _too_large(declared: int | None, limit: int) -> str:
    size = f" ({_mb(declared)})" if declared is not None else ""
    return f"The response body is larger than {_mb(limit)}{size}; it was not read."


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _where(url: str) -> tuple[str, str]:
    """(host, "host:port") for messages."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or url
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return url, url
    shown = f"[{host}]" if ":" in host else host
    return host, f"{shown}:{port}"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts, and the members of exception groups."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                todo.append(linked)


def describe_failure(
    exc: BaseException, url: str, options: TransportOptions, got_headers: bool = False
) -> tuple[Any, str]:
    """(NetworkFailure kind, one plain sentence) for an exception raised while sending."""
    host, where = _where(url)
    chain = list(_chain(exc))
    t = f"{options.timeout:g} s"
    # Through a proxy, connecting (and looking up a name) concerns the proxy.
    proxy = options.proxy.strip()
    connect_host, connect_where = _where(proxy) if proxy else (host, where)
    the = "the proxy " if proxy else ""

    def find(kind: type[BaseException]) -> BaseException | None:
        return next((e for e in chain if isinstance(e, kind)), None)

    if isinstance(exc, httpx.TimeoutException):
        if isinstance(exc, httpx.ConnectTimeout):
            return "timeout", f"Timed out after {t} while connecting to {the}{connect_where}."
        if isinstance(exc, httpx.WriteTimeout):
            return "timeout", f"Timed out after {t} while sending the request to {where}."
        if isinstance(exc, httpx.PoolTimeout):
            return "timeout", f"No free connection to {where} within {t}: too many requests."
        if got_headers:
            return "timeout", f"The server at {where} stopped sending the body for over {t}."
        return "timeout", f"The server at {where} did not answer within {t}."

    cert = find(ssl.SSLCertVerificationError)
    if cert is not None:
        reason = getattr(cert, "verify_message", "") or str(cert)
        return "tls", (
            f"The TLS certificate of {where} is not trusted ({reason}); "
            "turn off TLS verification only if you trust this server."
        )
    tls = find(ssl.SSLError)
    if tls is not None:
        reason = getattr(tls, "reason", None) or str(tls)
        return "tls", f"The TLS handshake with {where} failed ({reason})."
    if find(socket.gaierror) is not None:
        return (
            "dns",
            f"Could not find {the or 'the server '}'{connect_host}': the DNS lookup failed.",
        )
    if find(ConnectionRefusedError) is not None:
        return "refused", f"Connection refused: nothing is listening on {the}{connect_where}."
    if find(ConnectionResetError) is not None or find(BrokenPipeError) is not None:
        return "reset", f"The connection to {where} was reset by the server."
    if isinstance(exc, httpx.RemoteProtocolError):
        text = str(exc)
        if "without sending" in text and "response" in text:
            return "reset", f"The server at {where} closed the connection without answering."
        if "peer closed" in text or "incomplete" in text.lower():
            return "reset", (
                f"The server at {where} closed the connection before the whole response arrived."
            )
        return "protocol", f"The server at {where} sent a reply that is not valid HTTP ({text})."
    if isinstance(exc, httpx.LocalProtocolError):
        return "protocol", f"The request could not be sent as valid HTTP ({exc})."
    if isinstance(exc, httpx.DecodingError):
        return "protocol", f"The response body from {where} could not be decoded ({exc})."
    if isinstance(exc, httpx.TooManyRedirects):
        return "other", f"Stopped following redirects from {where}: there were too many."
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "other", f"Cannot send the request: {exc}."
    if isinstance(exc, httpx.ProxyError):
        return "other", f"The proxy refused the request ({exc})."
    if isinstance(exc, httpx.ConnectError):
        return "other", f"Could not connect to {where} ({exc})."
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return "reset", f"The connection to {where} broke ({exc or type(exc).__name__})."
    return "other", f"The request to {where} failed ({type(exc).__name__}: {exc})."
