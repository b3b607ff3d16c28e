"""Webhook signatures: the three schemes, signing, and verifying with the exact reason.

    stripe            Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">
    ecosire-license   X-License-Signature: <hex HMAC-SHA256 of the raw body>
    hmac              any header, any of sha1/sha256/sha512, hex or base64, an optional
                      prefix ("sha256=", GitHub's), an optional timestamp header (then
                      the signed bytes are "<t>.<raw body>", as Stripe's)

    >>> scheme = Scheme.stripe()
    >>> headers = scheme.sign(body, "whsec_...", timestamp=1711000000)
    >>> scheme.verify(body, headers, "whsec_...", now=1711000100).ok
    True

`verify` never raises on what a sender sent: it answers a `Verdict` whose `reason` is one
of `REASONS` and whose `message` is one sentence a person can act on. Digests are
compared in constant time (`hmac.compare_digest`). A mismatch cannot tell by itself a
wrong secret from a changed body; `verify` tells them apart when it can: another known
secret that verifies ("wrong-secret"), a `SignatureBook` that saw the same signature on
other bytes ("body-changed"), or the same JSON written differently ("body-changed").
No Qt here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "ALGORITHMS",
    "DEFAULT_TOLERANCE",
    "REASONS",
    "SCHEME_KINDS",
    "Scheme",
    "SignatureBook",
    "Verdict",
    "scheme_from_extension",
]

SCHEME_KINDS = ("stripe", "ecosire-license", "hmac")
ALGORITHMS = ("sha256", "sha1", "sha512")
DEFAULT_TOLERANCE = 300
"""Seconds a timestamped signature stays acceptable (Stripe's default: 5 minutes)."""
REASONS = (
    "valid",
    "no-secret",
    "missing-header",
    "doubled-header",
    "malformed-header",
    "stale",
    "future",
    "wrong-secret",
    "body-changed",
    "mismatch",
    "too-large",
)
_MAX_HEADER = 8192


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one delivery: `ok`, a `reason` of `REASONS`, a sentence."""

    ok: bool
    reason: str
    message: str
    timestamp: int | None = None

    def __str__(self) -> str:
        return self.message


def _ok(message: str, timestamp: int | None = None) -> Verdict:
    return Verdict(True, "valid", message, timestamp)


def _no(reason: str, message: str, timestamp: int | None = None) -> Verdict:
    return Verdict(False, reason, message, timestamp)


class SignatureBook:
    """Signatures this process made or accepted, with the bytes they were made for, so that
    a signature that comes back on other bytes is reported as "body changed" (and where).
    Bounded: the `size` most recent, bodies over `max_body` kept as a digest only."""

    def __init__(self, size: int = 256, max_body: int = 256 * 1024) -> None:
        self._size = size
        self._max_body = max_body
        self._seen: OrderedDict[str, tuple[str, bytes | None]] = OrderedDict()

    def remember(self, signature: str, body: bytes) -> None:
        digest = hashlib.sha256(body).hexdigest()
        self._seen[signature] = (digest, body if len(body) <= self._max_body else None)
        self._seen.move_to_end(signature)
        while len(self._seen) > self._size:
            self._seen.popitem(last=False)

    def changed(self, signature: str, body: bytes) -> str | None:
        """How `body` differs from the bytes `signature` was made for (None: not known, or
        the same bytes)."""
        known = self._seen.get(signature)
        if known is None or known[0] == hashlib.sha256(body).hexdigest():
            return None
        original = known[1]
        if original is None:
            return "the body is not the one this signature was made for"
        return _difference(original, body)


def _difference(before: bytes, after: bytes) -> str:
    """Where two byte strings first differ, in words."""
    first = next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
        min(len(before), len(after)),
    )
    if len(before) == len(after):
        count = sum(1 for a, b in zip(before, after, strict=True) if a != b)
        what = f"{count} byte{'s differ' if count != 1 else ' differs'}"
    else:
        what = f"{len(after):,} bytes instead of {len(before):,}"
    return f"{what}, the first at byte {first:,}"


def _header_values(headers: Iterable[tuple[str, str]], name: str) -> list[str]:
    low = name.lower()
    return [value for key, value in headers if key.lower() == low]


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


@dataclass(frozen=True)
class Scheme:
    """How a sender signs its deliveries (see the module docstring)."""

    kind: str  # one of SCHEME_KINDS
    header: str
    algorithm: str = "sha256"
    encoding: str = "hex"  # hex, base64
    prefix: str = ""
    timestamp_header: str = ""
    tolerance: int = DEFAULT_TOLERANCE

    @classmethod
    def stripe(cls, header: str = "Stripe-Signature") -> Scheme:
        return cls("stripe", header or "Stripe-Signature")

    @classmethod
    def ecosire_license(cls, header: str = "X-License-Signature") -> Scheme:
        return cls("ecosire-license", header or "X-License-Signature")

    @classmethod
    def hmac(
        cls,
        header: str = "X-Signature",
        algorithm: str = "sha256",
        encoding: str = "hex",
        prefix: str = "",
        timestamp_header: str = "",
    ) -> Scheme:
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown algorithm {algorithm!r} (one of {', '.join(ALGORITHMS)})")
        if encoding not in ("hex", "base64"):
            raise ValueError(f"unknown encoding {encoding!r} (hex or base64)")
        return cls("hmac", header or "X-Signature", algorithm, encoding, prefix, timestamp_header)

    @classmethod
    def named(cls, kind: str, **options: Any) -> Scheme:
        """A scheme by its command-line name ("stripe", "ecosire-license", "hmac")."""
        if kind == "stripe":
            return cls.stripe(options.get("header") or "Stripe-Signature")
        if kind == "ecosire-license":
            return cls.ecosire_license(options.get("header") or "X-License-Signature")
        if kind == "hmac":
            return cls.hmac(**{k: v for k, v in options.items() if v is not None})
        raise ValueError(f"unknown scheme {kind!r} (one of {', '.join(SCHEME_KINDS)})")

    def with_tolerance(self, seconds: int) -> Scheme:
        return replace(self, tolerance=seconds)

    @property
    def timestamped(self) -> bool:
        return self.kind == "stripe" or bool(self.timestamp_header)

    @property
    def label(self) -> str:
        """A short description for a person ("Stripe (Stripe-Signature)")."""
        if self.kind == "stripe":
            return f"Stripe ({self.header})"
        if self.kind == "ecosire-license":
            return f"ECOSIRE license ({self.header})"
        parts = [f"HMAC-{self.algorithm.upper()}", self.encoding]
        if self.prefix:
            parts.append(f"prefix {self.prefix!r}")
        if self.timestamp_header:
            parts.append(f"timestamp in {self.timestamp_header}")
        return f"{', '.join(parts)} ({self.header})"

    # -- signing ------------------------------------------------------------------------
    def _mac(self, secret: str, payload: bytes) -> bytes:
        return hmac.new(secret.encode("utf-8"), payload, self.algorithm).digest()

    def _signed_bytes(self, body: bytes, timestamp: int | None) -> bytes:
        if self.timestamped:
            return f"{timestamp}.".encode() + body
        return body

    def _encode(self, digest: bytes) -> str:
        if self.encoding == "base64":
            return base64.b64encode(digest).decode("ascii")
        return digest.hex()

    def signature(self, body: bytes | str, secret: str, timestamp: int | None = None) -> str:
        """The signature header's value for `body` (timestamped schemes: at `timestamp`,
        default now)."""
        raw = _as_bytes(body)
        t = int(time.time()) if timestamp is None else int(timestamp)
        digest = self._encode(self._mac(secret, self._signed_bytes(raw, t)))
        if self.kind == "stripe":
            return f"t={t},v1={digest}"
        return self.prefix + digest

    def sign(
        self,
        body: bytes | str,
        secret: str,
        timestamp: int | None = None,
        book: SignatureBook | None = None,
    ) -> tuple[tuple[str, str], ...]:
        """The headers that sign `body`: the signature, and the timestamp header if any.
        With a `book`, the signature is remembered with its bytes."""
        t = int(time.time()) if timestamp is None else int(timestamp)
        value = self.signature(body, secret, t)
        if book is not None:
            book.remember(value, _as_bytes(body))
        headers = [(self.header, value)]
        if self.kind == "hmac" and self.timestamp_header:
            headers.append((self.timestamp_header, str(t)))
        return tuple(headers)

    # -- verifying ----------------------------------------------------------------------
    def verify(
        self,
        body: bytes | str,
        headers: Sequence[tuple[str, str]] | Mapping[str, str],
        secret: str,
        *,
        now: float | None = None,
        tolerance: int | None = None,
        other_secrets: Mapping[str, str] | None = None,
        book: SignatureBook | None = None,
    ) -> Verdict:
        """Whether `headers` sign `body` with `secret`, and if not exactly why.

        `other_secrets` (name -> value) and `book` let a mismatch be told apart as a
        wrong secret or a changed body; `tolerance` (seconds, default the scheme's; 0: no
        limit) bounds the age of a timestamped signature."""
        pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
        raw = _as_bytes(body)
        if not secret:
            return _no("no-secret", "No signing secret is set: nothing can be verified")
        values = _header_values(pairs, self.header)
        if not values:
            return _no("missing-header", f"The {self.header} header is missing")
        if len(values) > 1:
            return _no(
                "doubled-header",
                f"The {self.header} header came {len(values)} times: a sender sends it once",
            )
        value = values[0].strip()
        if len(value) > _MAX_HEADER:
            return _no("malformed-header", f"The {self.header} header is too long to be one")
        parsed = self._parse(value, pairs)
        if isinstance(parsed, Verdict):
            return parsed
        timestamp, candidates = parsed
        expected = self._mac(secret, self._signed_bytes(raw, timestamp))
        if not any(hmac.compare_digest(expected, c) for c in candidates):
            return self._mismatch(raw, value, timestamp, candidates, secret, other_secrets, book)
        limit = self.tolerance if tolerance is None else tolerance
        if timestamp is not None and limit > 0:
            age = (time.time() if now is None else now) - timestamp
            if age > limit:
                return _no(
                    "stale",
                    f"The timestamp is outside the tolerance: signed {_ago(age)} ago, "
                    f"{_ago(limit)} at most (a replayed delivery?)",
                    timestamp,
                )
            if age < -limit:
                return _no(
                    "future",
                    f"The timestamp is outside the tolerance: {_ago(-age)} in the future "
                    "(is a clock wrong?)",
                    timestamp,
                )
        if book is not None:
            book.remember(value, raw)
        return _ok(f"Valid {self.label} signature", timestamp)

    def _parse(
        self, value: str, pairs: Sequence[tuple[str, str]]
    ) -> tuple[int | None, list[bytes]] | Verdict:
        """(timestamp, candidate digests) from a header value, or why it is malformed."""
        if self.kind == "stripe":
            return self._parse_stripe(value)
        timestamp: int | None = None
        if self.timestamp_header:
            stamps = _header_values(pairs, self.timestamp_header)
            if not stamps:
                return _no("missing-header", f"The {self.timestamp_header} header is missing")
            if len(stamps) > 1:
                return _no("doubled-header", f"The {self.timestamp_header} header came twice")
            stamp = stamps[0].strip()
            if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
                return _no(
                    "malformed-header",
                    f"The {self.timestamp_header} header is not a Unix time: {stamp[:40]!r}",
                )
            timestamp = int(stamp)
        if self.prefix:
            if not value.startswith(self.prefix):
                return _no(
                    "malformed-header",
                    f"The {self.header} header does not start with {self.prefix!r}",
                )
            value = value[len(self.prefix) :]
        digest = self._decode(value)
        if digest is None:
            return _no(
                "malformed-header",
                f"The {self.header} header is not a {self.encoding} "
                f"HMAC-{self.algorithm.upper()} ({_preview(value)})",
            )
        return timestamp, [digest]

    def _parse_stripe(self, value: str) -> tuple[int | None, list[bytes]] | Verdict:
        timestamp: int | None = None
        candidates: list[bytes] = []
        for item in value.split(","):
            key, sep, part = item.strip().partition("=")
            if not sep:
                return _no(
                    "malformed-header",
                    f"The {self.header} header is not t=<time>,v1=<signature> ({_preview(value)})",
                )
            if key == "t":
                if timestamp is not None:
                    return _no("malformed-header", f"The {self.header} header has two t= parts")
                if not (part.isascii() and part.isdigit() and len(part) <= 12):
                    return _no(
                        "malformed-header",
                        f"The t= part of {self.header} is not a Unix time: {part[:40]!r}",
                    )
                timestamp = int(part)
            elif key == "v1":
                digest = self._decode(part)
                if digest is None:
                    return _no(
                        "malformed-header",
                        f"A v1= signature of {self.header} is not 64 hex digits ({_preview(part)})",
                    )
                candidates.append(digest)
        if timestamp is None:
            return _no("malformed-header", f"The {self.header} header has no t= timestamp")
        if not candidates:
            return _no("malformed-header", f"The {self.header} header has no v1= signature")
        return timestamp, candidates

    def _decode(self, text: str) -> bytes | None:
        size = hashlib.new(self.algorithm).digest_size
        try:
            if self.encoding == "base64":
                digest = base64.b64decode(text.strip(), validate=True)
            else:
                digest = bytes.fromhex(text.strip()) if text.strip().isascii() else b""
        except (ValueError, binascii.Error):
            return None
        return digest if len(digest) == size else None

    def _mismatch(
        self,
        raw: bytes,
        value: str,
        timestamp: int | None,
        candidates: list[bytes],
        secret: str,
        other_secrets: Mapping[str, str] | None,
        book: SignatureBook | None,
    ) -> Verdict:
        """Why a signature that parsed does not match: as exactly as can be told."""
        for name, other in (other_secrets or {}).items():
            if not other:
                continue
            mac = self._mac(other, self._signed_bytes(raw, timestamp))
            if any(hmac.compare_digest(mac, c) for c in candidates):
                return _no(
                    "wrong-secret",
                    f"Wrong secret: the body was signed with {name}, not the secret set here",
                    timestamp,
                )
        changed = book.changed(value, raw) if book is not None else None
        if changed:
            return _no(
                "body-changed",
                f"The body changed after it was signed: {changed}",
                timestamp,
            )
        reformatted = _compact_json(raw)
        if reformatted is not None and reformatted != raw:
            for key in (secret, *(other_secrets or {}).values()):
                mac = self._mac(key, self._signed_bytes(reformatted, timestamp))
                if key and any(hmac.compare_digest(mac, c) for c in candidates):
                    return _no(
                        "body-changed",
                        "The body changed after it was signed: the same JSON was re-written "
                        "(spacing or escapes); verify the raw bytes as they arrived",
                        timestamp,
                    )
        return _no(
            "mismatch",
            f"The signature does not match this body with this secret: the body was changed, "
            f"or it was signed with another secret ({self.label})",
            timestamp,
        )


def _compact_json(raw: bytes) -> bytes | None:
    """The compact form of a JSON body (None when it is not JSON or is large)."""
    if len(raw) > 1024 * 1024:
        return None
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _ago(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"


def _preview(text: str) -> str:
    shown = text[:24] + ("…" if len(text) > 24 else "")
    return repr(shown)


def scheme_from_extension(value: Any) -> Scheme | None:
    """A scheme from an `x-signature` member of a document (None when there is none, or
    it does not describe one of ours). The member is text from a document: wrong types
    are ignored, never trusted.

        x-signature: {scheme: stripe, header: Stripe-Signature, secret: STRIPE_WEBHOOK_SECRET}
        x-signature: {scheme: hmac-sha256, header: X-License-Signature, secret: ...}
        x-signature: {scheme: hmac, algorithm: sha1, encoding: base64, prefix: "sha1=",
                      header: X-Hub-Signature, timestampHeader: X-Timestamp, tolerance: 600}
    """
    if not isinstance(value, Mapping):
        return None

    def text(name: str) -> str:
        member = value.get(name)
        return member.strip()[:200] if isinstance(member, str) else ""

    kind = text("scheme").lower()
    header = text("header")
    scheme: Scheme | None
    if kind == "stripe":
        scheme = Scheme.stripe(header)
    elif kind in ("ecosire-license", "ecosire"):
        scheme = Scheme.ecosire_license(header)
    elif kind.startswith("hmac"):
        algorithm = kind.partition("-")[2] or text("algorithm").lower() or "sha256"
        encoding = text("encoding").lower() or "hex"
        if algorithm not in ALGORITHMS or encoding not in ("hex", "base64"):
            return None
        scheme = Scheme.hmac(header, algorithm, encoding, text("prefix"), text("timestampHeader"))
        if scheme == Scheme.hmac("X-License-Signature"):
            scheme = Scheme.ecosire_license()
    else:
        return None
    tolerance = value.get("tolerance")
    if isinstance(tolerance, int) and not isinstance(tolerance, bool) and tolerance >= 0:
        scheme = scheme.with_tolerance(min(tolerance, 366 * 86400))
    return scheme
