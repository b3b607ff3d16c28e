"""Fetching a document over http(s), with bounds a hostile server cannot get past.

A server is untrusted: it may send an endless body, drip one byte a second, send a
compression bomb, or redirect elsewhere. So every fetch has

- a size cap, on the bytes received and on the bytes they decode to (decoded by the
  Sender's decoder, 64 KiB at a time, so a gzip bomb never unpacks further than the cap);
- a deadline for the whole fetch (connect, headers, body): a watchdog shuts the socket
  when it passes, so even a read that is blocked ends on time;
- a redirect policy: a document the user opened may be redirected anywhere over http(s);
  a `$ref` may be redirected only within its own origin (scheme, host and port, read as
  the Sender reads them).

Every failure is a `SourceError` with one sentence a person can read.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from explorer.errors import Location, SourceError
from explorer.spec._source import _mb, clip

__all__ = ["FETCH_TIMEOUT", "MAX_REDIRECTS", "Fetched", "fetch", "origin"]

FETCH_TIMEOUT = 30.0
"""Seconds a whole fetch may take, from connecting to the last byte of the body."""
MAX_REDIRECTS = 5
_MAX_ENCODINGS = 2


@dataclass(frozen=True)
class Fetched:
    """A fetched document: its bytes and the URL they came from (after redirects)."""

    data: bytes
    url: str


def origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL, default ports filled in (None when it has none):
    the one reading of an origin, the Sender's (its redirects drop credentials by it)."""
    from explorer.http.decode import origin as _origin

    return _origin(url)


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
            if same_origin and (origin(target) is None or origin(target) != origin(current)):
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
    from explorer.http.decode import ACCEPT_ENCODING, CODINGS

    headers = {"Accept-Encoding": ACCEPT_ENCODING, "Accept": "application/json, */*;q=0.8"}
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
            if encoding not in CODINGS:
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
    """The decoded body, refused past `max_bytes` (received or decoded) or the deadline.
    Decompression is the Sender's (`Decoder`): pieces of at most 64 KiB, so the cap stops
    a bomb before it unpacks further."""
    from explorer.http.decode import Decoder, Undecodable

    decoder = Decoder(encodings) if encodings else None
    received = 0
    out = bytearray()
    try:
        for chunk in raw:
            received += len(chunk)
            if received > max_bytes:
                raise _too_big(max_bytes, url)
            if time.monotonic() >= deadline:
                raise _too_slow(url, timeout)
            for piece in decoder.feed(chunk) if decoder is not None else (chunk,):
                out += piece
                if len(out) > max_bytes:
                    raise _too_big(max_bytes, url, unpacked=decoder is not None)
        for piece in decoder.flush() if decoder is not None else ():
            out += piece
            if len(out) > max_bytes:
                raise _too_big(max_bytes, url, unpacked=True)
    except Undecodable:
        raise SourceError("the server sent a damaged compressed document", Location(url)) from None
    if time.monotonic() >= deadline:
        raise _too_slow(url, timeout)
    return bytes(out)


def _too_big(max_bytes: int, url: str, *, unpacked: bool = False) -> SourceError:
    if unpacked:
        return SourceError(
            f"the document unpacks to more than {_mb(max_bytes)} "
            "(a compression bomb?); it was not read",
            Location(url),
        )
    return SourceError(
        f"the document is larger than {_mb(max_bytes)}; it was not read", Location(url)
    )
