"""Fetching a document over http(s), with bounds a hostile server cannot get past.

A server is untrusted: it may send an endless body, drip one byte a second, send a
compression bomb, or redirect elsewhere. So every fetch has

- a size cap, on the bytes received and on the bytes they decode to (decoded here, a
  bounded step at a time, so a gzip bomb never unpacks further than the cap);
- a deadline for the whole fetch (connect, headers, body): a watchdog shuts the socket
  when it passes, so even a read that is blocked ends on time;
- a redirect policy: a document the user opened may be redirected anywhere over http(s);
  a `$ref` may be redirected only within its own origin (scheme, host and port).

Every failure is a `SourceError` with one sentence a person can read.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from explorer.errors import Location, SourceError
from explorer.spec._source import clip

__all__ = ["FETCH_TIMEOUT", "MAX_REDIRECTS", "Fetched", "fetch", "origin"]

FETCH_TIMEOUT = 30.0
"""Seconds a whole fetch may take, from connecting to the last byte of the body."""
MAX_REDIRECTS = 5
_STEP = 64 * 1024
"""At most this many bytes come out of one decompression step."""
_MAX_ENCODINGS = 2
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Fetched:
    """A fetched document: its bytes and the URL they came from (after redirects)."""

    data: bytes
    url: str


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, the default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme, 0)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float | None = None,
    same_origin: bool = False,
) -> Fetched:
    """GET `url` within the bounds above (`timeout`: FETCH_TIMEOUT); `same_origin`
    refuses redirects to another origin."""
    import httpx

    if timeout is None:
        timeout = FETCH_TIMEOUT
    deadline = time.monotonic() + timeout
    current = url
    with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            if time.monotonic() >= deadline:
                raise _too_slow(url, timeout)
            try:
                data, target = _get(client, current, url, max_bytes, timeout, deadline)
            except httpx.HTTPError as exc:
                if time.monotonic() >= deadline:
                    raise _too_slow(url, timeout) from None
                reason = str(exc) or type(exc).__name__
                raise SourceError(
                    f"could not fetch the document: {reason}", Location(url)
                ) from None
            if target is None:
                return Fetched(data, current)
            if same_origin and origin(target) != origin(current):
                raise SourceError(
                    f"the server redirected to another host ({clip(target)}); "
                    "a reference does not follow that",
                    Location(url),
                )
            current = target
    raise SourceError(f"more than {MAX_REDIRECTS} redirects", Location(url))


def _too_slow(url: str, timeout: float) -> SourceError:
    return SourceError(
        f"the server did not send the whole document within {timeout:g} s", Location(url)
    )


def _get(
    client: Any, url: str, asked: str, max_bytes: int, timeout: float, deadline: float
) -> tuple[bytes, str | None]:
    """(body, None), or (b"", the URL a redirect names)."""
    headers = {"Accept-Encoding": "gzip, deflate", "Accept": "application/json, */*;q=0.8"}
    remaining = max(0.01, deadline - time.monotonic())
    with client.stream("GET", url, headers=headers, timeout=remaining) as response:
        if response.is_redirect:
            location = response.headers.get("location", "")
            target = urljoin(url, location)
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                raise SourceError(
                    f"the server redirected to {clip(target)!r}, which is not an http(s) URL",
                    Location(asked),
                )
            return b"", target
        if response.status_code >= 400:
            raise SourceError(
                f"fetching the document answered HTTP {response.status_code}", Location(asked)
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise SourceError(
                f"the document is larger than {_mb(max_bytes)} ({_mb(int(declared))}); "
                "it was not read",
                Location(asked),
            )
        encodings = [
            e.strip().lower()
            for e in response.headers.get("content-encoding", "").split(",")
            if e.strip() and e.strip().lower() != "identity"
        ]
        for encoding in encodings:
            if encoding not in ("gzip", "x-gzip", "deflate"):
                raise SourceError(
                    f"the server sent the document encoded as {clip(encoding, 40)!r}, "
                    "which explorer does not read",
                    Location(asked),
                )
        if len(encodings) > _MAX_ENCODINGS:
            raise SourceError(
                f"the server compressed the document {len(encodings)} times over", Location(asked)
            )
        with _watchdog(response, deadline):
            body = _read_body(response.iter_raw(), encodings, max_bytes, asked, deadline, timeout)
        return body, None


@contextlib.contextmanager
def _watchdog(response: Any, deadline: float) -> Iterator[None]:
    """Shut the response's socket at the deadline, so a blocked read ends then."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if not isinstance(sock, socket.socket):
        yield
        return
    done = threading.Event()

    def watch() -> None:
        if not done.wait(max(0.0, deadline - time.monotonic())):
            with contextlib.suppress(OSError):
                # the plain socket's shutdown, also under TLS: it wakes the blocked read
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    thread = threading.Thread(target=watch, name="explorer-fetch-deadline", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _read_body(
    raw: Iterable[bytes],
    encodings: list[str],
    max_bytes: int,
    url: str,
    deadline: float,
    timeout: float,
) -> bytes:
    """The decoded body, refused past `max_bytes` (received or decoded) or the deadline."""
    received = 0

    def counted() -> Iterator[bytes]:
        nonlocal received
        for chunk in raw:
            received += len(chunk)
            if received > max_bytes:
                raise SourceError(
                    f"the document is larger than {_mb(max_bytes)}; it was not read",
                    Location(url),
                )
            if time.monotonic() >= deadline:
                raise _too_slow(url, timeout)
            yield chunk

    stream: Iterator[bytes] = counted()
    for encoding in reversed(encodings):
        stream = _inflate(stream, encoding, url)
    out = bytearray()
    for piece in stream:
        out += piece
        if len(out) > max_bytes:
            if encodings:
                raise SourceError(
                    f"the document unpacks to more than {_mb(max_bytes)} "
                    "(a compression bomb?); it was not read",
                    Location(url),
                )
            raise SourceError(
                f"the document is larger than {_mb(max_bytes)}; it was not read", Location(url)
            )
    if time.monotonic() >= deadline:
        raise _too_slow(url, timeout)
    return bytes(out)


def _inflate(chunks: Iterator[bytes], encoding: str, url: str) -> Iterator[bytes]:
    """Decode gzip or deflate, never more than `_STEP` bytes out of one step (so the
    caller's cap stops a bomb early); a gzip body of several members is read whole."""
    gzip = encoding in ("gzip", "x-gzip")
    wbits = 31 if gzip else 15
    decoder = zlib.decompressobj(wbits)
    started = finished = False
    try:
        for chunk in chunks:
            data = chunk
            while data and not finished:
                try:
                    piece = decoder.decompress(data, _STEP)
                except zlib.error:
                    if not started and wbits == 15:  # "deflate" sent without its zlib header
                        wbits = -15
                        decoder = zlib.decompressobj(wbits)
                        started = True
                        continue
                    raise
                started = True
                if piece:
                    yield piece
                data = decoder.unconsumed_tail
                if decoder.eof:
                    data = decoder.unused_data + data
                    if gzip and data.strip(b"\x00"):
                        decoder = zlib.decompressobj(wbits)  # the next gzip member
                    else:
                        finished = True  # anything after the end is ignored
        if not finished:
            tail = decoder.flush()
            if tail:
                yield tail
    except zlib.error:
        raise SourceError("the server sent a damaged compressed document", Location(url)) from None
