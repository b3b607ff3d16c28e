"""Undoing a body's Content-Encoding in bounded pieces, and telling origins apart: shared by
the Sender and by fetching documents from the web (`explorer.spec`). No httpx here.

A decompressor hands out at most `PIECE` bytes a step, so a caller that counts what comes
out stops a gzip bomb at its cap without ever holding more."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

__all__ = ["ACCEPT_ENCODING", "CODINGS", "PIECE", "Decoder", "Undecodable", "origin"]

ACCEPT_ENCODING = "gzip, deflate"
"""What `Decoder` can decompress, asked for whatever else httpx could."""
PIECE = 64 * 1024
"""The most a decompressor may produce in one step."""


def origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of `url`, default ports filled in; None when it has none."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    except ValueError:
        return None
    return scheme, (parts.hostname or "").lower(), port


CODINGS = {"gzip", "x-gzip", "deflate"}


class Undecodable(Exception):
    """A compressed body is broken."""


class Inflater:
    """One gzip or deflate coding, decompressed in pieces of at most `PIECE` bytes.

    gzip: members one after another (RFC 1952) are all read; bytes after the last one are
    ignored. deflate: zlib-wrapped as RFC 9110 says, or raw deflate as some servers send."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._gzip = coding in ("gzip", "x-gzip")
        self._wbits = 16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS
        self._inflate = zlib.decompressobj(self._wbits)
        self._started = False
        self._pending = b""  # the start of what may be the next gzip member
        self._done = False  # trailing bytes after the end: ignored

    def feed(self, data: bytes) -> Iterator[bytes]:
        data = self._pending + data
        self._pending = b""
        full = False
        while (data or full) and not self._done:
            if self._inflate.eof:
                if len(data) < 2:
                    self._pending = data
                    return
                if not (self._gzip and data[:2] == b"\x1f\x8b"):
                    self._done = True
                    return
                self._inflate = zlib.decompressobj(self._wbits)
            try:
                out = self._inflate.decompress(data, PIECE)
            except zlib.error as exc:
                if self._started or self._gzip:
                    raise Undecodable(f"{self.coding}: {exc}") from None
                # Not zlib-wrapped: raw deflate, as some servers send it.
                self._wbits = -zlib.MAX_WBITS
                self._inflate = zlib.decompressobj(self._wbits)
                out = self._inflate.decompress(data, PIECE)
            self._started = True
            data = self._inflate.unused_data if self._inflate.eof else self._inflate.unconsumed_tail
            full = len(out) == PIECE
            if out:
                yield out

    def flush(self) -> Iterator[bytes]:
        # All input was fed and drained in pieces: what is left is at most a few bytes.
        if not self._done and not self._inflate.eof:
            rest = self._inflate.flush()
            if rest:
                yield rest


class Decoder:
    """Content-Encoding `codings` (in the order applied) undone, in bounded pieces."""

    def __init__(self, codings: list[str]) -> None:
        self._stages = [Inflater(c) for c in reversed(codings)]

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, [data])

    def flush(self) -> Iterator[bytes]:
        for i, stage in enumerate(self._stages):
            yield from self._through(i + 1, stage.flush())

    def _through(self, first: int, pieces: Iterable[bytes]) -> Iterator[bytes]:
        """`pieces` fed through the stages from `first` on, lazily."""
        if first == len(self._stages):
            yield from pieces
            return
        stage = self._stages[first]
        for piece in pieces:
            yield from self._through(first + 1, stage.feed(piece))
