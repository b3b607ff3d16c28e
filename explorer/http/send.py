"""Send a `PreparedRequest` with httpx and bring back a `ResponseResult` or a `NetworkFailure`.

    sender = Sender()                       # one per application (or per event loop)
    result = await sender.send(prepared, TransportOptions(timeout=10))
    ...
    await sender.aclose()                   # on shutdown

- One `httpx.AsyncClient` per `TransportOptions`, created on first use, on the loop that
  first uses it; `aclose()` closes them all. A Sender belongs to one event loop.
- `TransportOptions.timeout` bounds the whole exchange: connecting, sending, every
  redirect, the headers and the whole body. A server that drips a byte a second fails
  with "did not finish within 30 s; N bytes arrived", not never.
- Redirects are followed here, not by httpx (at most `MAX_REDIRECTS`, only when
  `follow_redirects` is on), with RFC 9110's method rules: 303 becomes GET (HEAD stays
  HEAD), a POST answered 301 or 302 becomes GET, both without the body and its
  Content-* headers; 307 and 308 keep the method and the body. A redirect to another
  origin (scheme, host or port) drops every credential the request carries:
  Authorization, Cookie, Proxy-Authorization, the headers, query parameters and cookies a
  credential put there (`PreparedRequest.credential_*`), and every header whose name
  looks secret (`name_looks_secret`). Once dropped they stay dropped. Each hop is in
  `ResponseResult.redirect_chain`, with what was dropped. A redirect to something that
  is not an http(s) URL is not followed: that response is the result.
- The body is read raw and decompressed here (gzip, deflate; the only codings we ask
  for), in pieces of at most 64 KiB, so memory never grows past the cap: the body is
  refused (`too_large`) past `max_body` bytes on the wire or once decompressed, and as a
  decompression bomb when, past 16 MiB, it expands more than 200 times (real API bodies
  compress 5-40 times; a 250 KB bomb would otherwise cost 256 MB and seconds before the
  cap stops it). A body in a coding we do not decode (br, zstd) is kept as it arrived.
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
import dataclasses
import importlib
import os
import socket
import ssl
import time
from collections.abc import AsyncIterator, Iterator
from http.cookiejar import Cookie, CookieJar
from typing import IO, Any
from urllib.parse import unquote_plus, urlsplit
from urllib.request import Request as UrllibRequest

import httpx

from explorer.http.decode import ACCEPT_ENCODING, CODINGS, Decoder, Undecodable, origin
from explorer.http.model import (
    NetworkFailure,
    PreparedRequest,
    RedirectHop,
    ResponseResult,
    Timing,
    TransportOptions,
    name_looks_secret,
)

__all__ = ["DEFAULT_MAX_BODY", "MAX_REDIRECTS", "Sender"]

DEFAULT_MAX_BODY = 256 * 1024 * 1024
MAX_REDIRECTS = 20
_JOIN_IN_THREAD = 1024 * 1024
_RATIO_FLOOR = 16 * 1024 * 1024  # smaller bodies are never judged by their ratio
_MAX_RATIO = 200
_DRAIN_LIMIT = 64 * 1024  # of a redirect's own body; past it the connection is dropped
_YIELD_EVERY = 1024 * 1024  # decompressed bytes between two turns of the event loop
_REDIRECT_CODES = (301, 302, 303, 307, 308)
_ALWAYS_CREDENTIALS = ("authorization", "cookie", "proxy-authorization")
# Headers that describe a body: dropped with it when a redirect turns the request into a GET.
_BODY_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "content-location",
    "transfer-encoding",
)


class _NoCookieJar(CookieJar):
    """A cookie jar that never keeps anything: each request sends exactly its own headers."""

    def set_cookie(self, cookie: Cookie) -> None:
        """Drop the cookie."""

    def extract_cookies(self, response: Any, request: UrllibRequest) -> None:
        """Keep nothing a response sets."""


class _Trace:
    """httpcore `trace` callback: remembers when each event happened, over all hops."""

    def __init__(self) -> None:
        self.events: list[tuple[str, float]] = []
        self._hop_start = 0

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        self.events.append((name, time.perf_counter()))

    def new_hop(self) -> None:
        """A new request of the exchange begins (a redirect): phases start over."""
        self._hop_start = len(self.events)

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

    def _in_hop(self, *suffixes: str) -> bool:
        return any(name.endswith(suffixes) for name, _ in self.events[self._hop_start :])

    def has_headers(self) -> bool:
        """True once the current hop's response headers arrived."""
        return self._in_hop(".receive_response_headers.complete")

    def connected(self) -> bool:
        """True once the current hop has a connection (new, or reused: sending began)."""
        return self._in_hop(".connect_tcp.complete", ".send_request_headers.started")


@dataclasses.dataclass
class _Progress:
    """Where the exchange is, for the message when the deadline passes."""

    url: str
    received: int = 0  # bytes of the current body that came over the wire


class _Refused(Exception):
    """The exchange was stopped on purpose (too large, a bomb, too many redirects)."""

    def __init__(self, kind: Any, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


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
        """Send `prepared`, follow its redirects and read the whole response body, all
        within `options.timeout`.

        Returns a `NetworkFailure` for anything that kept a response from arriving;
        raises only `asyncio.CancelledError`."""
        start = time.perf_counter()
        trace = _Trace()
        progress = _Progress(prepared.url)

        def failure(kind: Any, message: str) -> NetworkFailure:
            return NetworkFailure(kind, message, prepared.url, time.perf_counter() - start)

        try:
            client = await self._client(options)
        except ImportError:
            return failure("other", f"The proxy {options.proxy!r} needs the socksio package.")
        except Exception as exc:  # a proxy URL httpx cannot use
            return failure("other", f"The proxy {options.proxy!r} cannot be used: {exc}.")

        limit = options.timeout if options.timeout > 0 else None
        deadline = asyncio.timeout(limit)
        try:
            async with deadline:
                response, chunks, chain = await _exchange(
                    client, prepared, options, max_body, trace, progress
                )
            end = time.perf_counter()
        except TimeoutError as exc:
            if not deadline.expired():
                kind, message = describe_failure(exc, progress.url, options, trace.has_headers())
                return failure(kind, message)
            return failure("timeout", _deadline_message(options, trace, progress))
        except (_Refused, _FileError) as exc:
            return failure(getattr(exc, "kind", "other"), str(exc))
        except Exception as exc:  # every network problem, whatever layer raised it
            kind, message = describe_failure(exc, progress.url, options, trace.has_headers())
            return failure(kind, message)

        size = sum(len(c) for c in chunks)
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
            redirects=len(chain),
            redirect_chain=tuple(chain),
        )


async def _exchange(
    client: httpx.AsyncClient,
    prepared: PreparedRequest,
    options: TransportOptions,
    max_body: int,
    trace: _Trace,
    progress: _Progress,
) -> tuple[httpx.Response, list[bytes], list[RedirectHop]]:
    """Send `prepared` and each redirect it leads to; the final response (closed) with
    its body in pieces, and the redirects followed."""
    current = prepared
    chain: list[RedirectHop] = []
    while True:
        trace.new_hop()
        progress.url, progress.received = current.url, 0
        with _multipart(current) as files:
            request = client.build_request(
                current.method,
                current.url,
                headers=[(k.encode("ascii"), v.encode("utf-8")) for k, v in current.headers],
                content=current.content,
                files=files,
                extensions={"trace": trace},
            )
            auth: Any = httpx.USE_CLIENT_DEFAULT
            if current.digest_auth is not None:
                auth = httpx.DigestAuth(*current.digest_auth)  # answers the challenge
            response = await client.send(request, stream=True, follow_redirects=False, auth=auth)
            _show_location(response)
            try:
                target = _redirect_target(response) if options.follow_redirects else None
                if target is None:
                    chunks = await _read_body(response, max_body, progress)
                    return response, chunks, chain
                await _drain(response)
            finally:
                await response.aclose()
        if len(chain) >= MAX_REDIRECTS:
            _, where = _where(prepared.url)
            raise _Refused(
                "other",
                f"Stopped following redirects from {where} after {MAX_REDIRECTS}: "
                "there were too many (a redirect loop?).",
            )
        following, dropped = _next_hop(current, prepared, response.status_code, target)
        chain.append(
            RedirectHop(current.method, current.url, response.status_code, following.url, dropped)
        )
        current = following


# --- redirects ---------------------------------------------------------------------------


_HIDDEN = "explorer.headers_with_location"


async def _hide_location(response: httpx.Response) -> None:
    """httpx response hook: hide a redirect's Location from httpx, which would otherwise
    make the next request itself even when not following (and fail on a Location such as
    `javascript:x`, losing the response). `_exchange` follows redirects, after
    `_show_location` has put the headers back as they came."""
    if response.status_code in _REDIRECT_CODES and "location" in response.headers:
        response.extensions[_HIDDEN] = response.headers
        response.headers = httpx.Headers(
            [(k, v) for k, v in response.headers.raw if k.lower() != b"location"],
            encoding=response.headers.encoding,
        )


def _show_location(response: httpx.Response) -> None:
    """Undo `_hide_location`."""
    headers = response.extensions.pop(_HIDDEN, None)
    if isinstance(headers, httpx.Headers):
        response.headers = headers


def _redirect_target(response: httpx.Response) -> httpx.URL | None:
    """Where a redirect response points (absolute), or None when it is not one to follow:
    not a 301/302/303/307/308, no Location, or one that is not an http(s) URL."""
    if response.status_code not in _REDIRECT_CODES:
        return None
    location = response.headers.get("location", "").strip()
    if not location:
        return None
    try:
        url = httpx.URL(location)
        if url.scheme and (url.scheme not in ("http", "https") or not url.host):
            return None  # file:, javascript:, "http://" without a host ...
        if not url.scheme:  # "/next", "next", "//host/next"
            url = response.request.url.join(url)
        return url.copy_with(fragment=None)
    except (httpx.InvalidURL, ValueError):
        return None


def _next_hop(
    current: PreparedRequest, original: PreparedRequest, status: int, target: httpx.URL
) -> tuple[PreparedRequest, tuple[str, ...]]:
    """The request that follows a `status` redirect of `current` to `target`, and the
    credentials it leaves out (when `target` is not the origin of `original`)."""
    method = current.method
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        method = "GET"
    headers = list(current.headers)
    content, form, files = current.content, current.form, current.files
    if method != current.method or status == 303:
        headers = [(n, v) for n, v in headers if n.lower() not in _BODY_HEADERS]
        content, form, files = None, (), ()
    url = str(target)
    dropped: tuple[str, ...] = ()
    digest = current.digest_auth
    if origin(url) != origin(original.url):
        headers = [(n, v) for n, v in headers if n.lower() != "host"]
        headers, url, dropped = _without_credentials(headers, url, original)
        if digest is not None:
            digest, dropped = None, (*dropped, "digest credentials")
    following = dataclasses.replace(
        current,
        digest_auth=digest,
        method=method,
        url=url,
        headers=tuple(headers),
        content=content,
        form=form,
        files=files,
    )
    return following, dropped


def _without_credentials(
    headers: list[tuple[str, str]], url: str, original: PreparedRequest
) -> tuple[list[tuple[str, str]], str, tuple[str, ...]]:
    """`headers` and `url` without any credential of `original`, and what was dropped:
    header names, and query parameters as `?name`."""
    secret = set(_ALWAYS_CREDENTIALS) | {n.lower() for n in original.credential_headers}
    kept: list[tuple[str, str]] = []
    dropped: list[str] = []
    for name, value in headers:
        if name.lower() in secret or name_looks_secret(name):
            if name not in dropped:
                dropped.append(name)
        else:
            kept.append((name, value))
    if original.credential_query and "?" in url:
        base, _, query = url.partition("?")
        pairs = []
        for pair in query.split("&"):
            name = unquote_plus(pair.partition("=")[0])
            if name in original.credential_query:
                if f"?{name}" not in dropped:
                    dropped.append(f"?{name}")
            else:
                pairs.append(pair)
        url = base + ("?" + "&".join(pairs) if pairs else "")
    return kept, url, tuple(dropped)


async def _drain(response: httpx.Response) -> None:
    """Read a redirect's own body, so the connection can be reused; a long one is left
    (the connection is then closed)."""
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read > _DRAIN_LIMIT:
            break


# --- the body ------------------------------------------------------------------------------


async def _read_body(response: httpx.Response, max_body: int, progress: _Progress) -> list[bytes]:
    """The response body, decompressed, in pieces; `_Refused` past the limits."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise _Refused("too_large", _too_large(int(declared), max_body))
    codings = [
        c.strip().lower()
        for c in response.headers.get_list("content-encoding", split_commas=True)
        if c.strip() and c.strip().lower() != "identity"
    ]
    decoder = Decoder(codings) if codings and set(codings) <= CODINGS else None
    try:
        return await _collect(response, decoder, codings, max_body, progress)
    except Undecodable as exc:
        _, where = _where(progress.url)
        raise _Refused(
            "protocol", f"The response body from {where} could not be decompressed ({exc})."
        ) from None


async def _collect(
    response: httpx.Response,
    decoder: Decoder | None,
    codings: list[str],
    max_body: int,
    progress: _Progress,
) -> list[bytes]:
    """The body in pieces, each limit checked as they arrive."""
    chunks: list[bytes] = []
    size = 0
    since_yield = 0
    async for piece in _pieces(response.aiter_raw(), decoder, progress, max_body):
        chunks.append(piece)
        size += len(piece)
        if decoder is None:
            continue
        if size > max_body:
            raise _Refused("too_large", _too_large_decompressed(codings, max_body, progress))
        if size > _RATIO_FLOOR and size > _MAX_RATIO * progress.received:
            raise _Refused("too_large", _bomb(codings, size, progress.received))
        since_yield += len(piece)
        if since_yield >= _YIELD_EVERY:
            since_yield = 0
            await asyncio.sleep(0)  # decompressing is work on the loop: let it turn
    return chunks


async def _pieces(
    raw: AsyncIterator[bytes], decoder: Decoder | None, progress: _Progress, max_body: int
) -> AsyncIterator[bytes]:
    """The body as it arrives (counted in `progress`), decompressed by `decoder`."""
    async for chunk in raw:
        progress.received += len(chunk)
        if progress.received > max_body:
            raise _Refused("too_large", _too_large(None, max_body))
        if decoder is None:
            yield chunk
        else:
            for piece in decoder.feed(chunk):
                yield piece
    if decoder is not None:
        for piece in decoder.flush():
            yield piece


def _new_client(options: TransportOptions) -> httpx.AsyncClient:
    """A client for `options` (run in a worker thread: imports and CA loading are slow)."""
    importlib.import_module("anyio._backends._asyncio")  # else imported by the first request
    return httpx.AsyncClient(
        # The whole exchange is bounded by one deadline in `send`: no per-read timeouts.
        timeout=httpx.Timeout(None),
        follow_redirects=False,  # followed in `_exchange`, credentials dropped there
        event_hooks={"response": [_hide_location]},
        headers={"Accept-Encoding": ACCEPT_ENCODING},
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


def _too_large_decompressed(codings: list[str], limit: int, progress: _Progress) -> str:
    return (
        f"The response body is larger than {_mb(limit)} once decompressed "
        f"({', '.join(codings)}, {_mb(progress.received)} received); it was not read."
    )


def _bomb(codings: list[str], size: int, received: int) -> str:
    return (
        f"The response body expands more than {_MAX_RATIO} times when decompressed "
        f"({', '.join(codings)}: {_mb(received)} received became over {_mb(size)}), "
        "like a decompression bomb; it was not read."
    )


def _deadline_message(options: TransportOptions, trace: _Trace, progress: _Progress) -> str:
    """What was still missing when the deadline for the whole exchange passed."""
    t = f"{options.timeout:g} s"
    _, where = _where(progress.url)
    if trace.has_headers():
        return (
            f"The response from {where} did not finish within {t}; "
            f"{_mb(progress.received)} arrived."
        )
    if trace.connected():
        return f"The server at {where} did not answer within {t}."
    proxy = options.proxy.strip()
    _, connect_where = _where(proxy) if proxy else ("", where)
    the = "the proxy " if proxy else ""
    return f"Timed out after {t} while connecting to {the}{connect_where}."


def _mb(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return "1 byte" if n == 1 else f"{n} bytes"


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
