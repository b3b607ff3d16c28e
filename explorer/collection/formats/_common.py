"""What the importers and exporters share: the error an import raises, the reading of
untrusted JSON shapes, `{{variables}}` kept out of percent-encoding, and how a credential
found in a file becomes a slot name (its secret left behind). No Qt, no I/O."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, unquote_plus

from explorer.errors import Location, StoreError

__all__ = [
    "AUTOMATIC_HEADERS",
    "DEFAULT_SLOTS",
    "MAX_DEPTH",
    "ImportFailed",
    "Notes",
    "SortedHeaders",
    "as_list",
    "as_map",
    "as_text",
    "auth_header_slot",
    "basic_user",
    "cookie_pairs",
    "decode_path_value",
    "decode_query",
    "encode_path_value",
    "encode_query",
    "keep_variables",
    "looks_literal_secret",
    "secret_note",
    "sort_headers",
    "split_query",
]

MAX_DEPTH = 30
"""Folders an import nests at most (a collection's folders are read 32 deep; a hostile
file's nesting stops here with a warning, never in a RecursionError)."""
DEFAULT_SLOTS = {"bearer": "bearerAuth", "basic": "basicAuth", "apikey": "apiKeyAuth"}
"""The credential slot a secret found in a file is mapped to when nothing names one
(the names OpenAPI documents most often give these schemes)."""

_VARIABLE = re.compile(r"\{\{[^{}]*\}\}")
"""Any `{{...}}`: kept as written by the encoders (a tool's variable, whatever its name)."""
_SCHEME_WORDS = {"bearer", "basic", "token", "digest", "apikey", "jwt"}


class ImportFailed(StoreError):
    """A file that is not what it claims to be, or none of the formats explorer reads.
    Nothing was written."""

    def __init__(self, message: str, source: str = "", pointer: str = "") -> None:
        super().__init__(message, Location(source, pointer) if source or pointer else None)


class Notes:
    """The warnings of one import: what could not be carried over, each said once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> None:
        if text not in self.items:
            self.items.append(text)


# -- untrusted shapes -------------------------------------------------------------------


def as_map(value: Any) -> Mapping[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    """`value` when it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def as_text(value: Any, default: str = "") -> str:
    """Text for a JSON value: strings as they are, numbers and booleans as JSON writes
    them, anything else `default`."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return default


# -- variables and percent-encoding ---------------------------------------------------


def keep_variables(text: str, transform: Callable[[str], str]) -> str:
    """`transform` applied to the parts of `text` outside `{{...}}` (a variable is
    substituted later and must stay as written)."""
    out: list[str] = []
    pos = 0
    for match in _VARIABLE.finditer(text):
        out.append(transform(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(transform(text[pos:]))
    return "".join(out)


_QUERY_SPECIAL = re.compile(r"[%&=#+\x00-\x1f\x7f]")


def encode_query(text: str) -> str:
    """A query name or value as a URL written in another tool carries it: the characters
    that would change its meaning there (`% & = # +`, controls) percent-encoded, the rest
    left readable for that tool to encode as it sends; `{{variables}}` as they are."""
    return keep_variables(
        text, lambda part: _QUERY_SPECIAL.sub(lambda m: quote(m.group(0), safe=""), part)
    )


def decode_query(text: str) -> str:
    """A query name or value as a URL carried it, decoded (`+` is a space, as servers
    read a query), `{{variables}}` left as they are."""
    return keep_variables(text, unquote_plus)


_PATH_SPECIAL = re.compile(r"[%/?#\x00-\x1f\x7f]")


def encode_path_value(text: str) -> str:
    """A path parameter's value as a URL written in another tool carries it (`% / ? #`
    and controls percent-encoded, the rest readable); `{{variables}}` as they are."""
    return keep_variables(
        text, lambda part: _PATH_SPECIAL.sub(lambda m: quote(m.group(0), safe=""), part)
    )


def decode_path_value(text: str) -> str:
    """A path parameter's value as a URL carried it, decoded (`+` stays a plus)."""
    return keep_variables(text, unquote)


def split_query(query: str) -> list[tuple[str, str]]:
    """The decoded (name, value) pairs of a query string, in order, empty ones skipped."""
    pairs: list[tuple[str, str]] = []
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((decode_query(name), decode_query(value)))
    return pairs


# -- credentials ------------------------------------------------------------------------


def looks_literal_secret(value: str) -> bool:
    """True when a credential's value holds text of its own: not only `{{variables}}`
    and a scheme word ("Bearer {{token}}" holds none; "Bearer eyJ..." does)."""
    rest = _VARIABLE.sub(" ", value)
    words = [w for w in rest.split() if w.lower() not in _SCHEME_WORDS]
    return bool(words)


def auth_header_slot(value: str) -> tuple[str, str]:
    """The slot kind and slot name an Authorization header's value belongs to:
    ("basic", "basicAuth") for Basic credentials, ("bearer", "bearerAuth") otherwise."""
    scheme = value.strip().split(" ", 1)[0].lower()
    kind = "basic" if scheme == "basic" else "bearer"
    return kind, DEFAULT_SLOTS[kind]


def basic_user(value: str) -> str:
    """The user name of `Basic <base64>` credentials ("" when it cannot be read): a user
    name is not a secret and is shown in the warning that names the slot."""
    _, _, encoded = value.strip().partition(" ")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return ""
    return decoded.split(":", 1)[0]


# -- headers ----------------------------------------------------------------------------

AUTOMATIC_HEADERS = frozenset(
    {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "te",
     "upgrade", "proxy-connection", "expect"}
)  # fmt: skip
"""Headers the HTTP client writes itself: a copy from another tool's capture is left out."""


@dataclass
class SortedHeaders:
    """Another tool's headers, sorted into what a saved request holds."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    cookies: list[tuple[str, str]] = field(default_factory=list)
    slots: list[str] = field(default_factory=list)
    """Credential slots an Authorization header stood for (its value not kept)."""
    content_type: str = ""


def sort_headers(
    pairs: list[tuple[str, str]], where: str, notes: Notes, *, keep_cookies: bool = True
) -> SortedHeaders:
    """Headers as a saved request keeps them: the Content-Type apart (the body's media
    type), a Cookie header as cookies, an Authorization header as a credential slot (its
    secret left behind, with a note), another header whose name says it carries a secret
    (`name_looks_secret`) with its value replaced by a `{{variable}}` (and a note), and the
    headers a client writes itself (Host, Content-Length, HTTP/2's `:authority`) left out."""
    from explorer.http.model import name_looks_secret

    out = SortedHeaders()
    for key, value in pairs:
        low = key.lower()
        if low.startswith(":") or low in AUTOMATIC_HEADERS:
            continue
        if low == "content-type":
            out.content_type = value.strip()
        elif low == "cookie":
            if keep_cookies:
                out.cookies += cookie_pairs(value, where, notes)
            elif value.strip():
                notes.add(f"{where}: its cookies were left out (a capture's cookies are a session)")
        elif low == "authorization":
            kind, slot = auth_header_slot(value)
            if slot not in out.slots:
                out.slots.append(slot)
            if looks_literal_secret(value):
                user = basic_user(value) if kind == "basic" else ""
                secret_note(where, slot, kind, notes, user=user)
        elif name_looks_secret(key) and looks_literal_secret(value):
            var = re.sub(r"[^A-Za-z0-9_.\-]", "_", key)
            out.headers.append((key, "{{" + var + "}}"))
            notes.add(
                f"{where}: the value of the header {key} looks like a secret and was not "
                f"imported; it now reads {{{{{var}}}}}: set that variable in the environment"
            )
        else:
            out.headers.append((key, value))
    return out


def cookie_pairs(header: str, where: str, notes: Notes) -> list[tuple[str, str]]:
    """The (name, value) pairs of a Cookie header, values decoded; a cookie whose name
    says it is a session or a token, with a value of its own, is left out with a note."""
    from explorer.http.model import name_looks_secret

    out = []
    for part in header.split(";"):
        key, sep, value = part.strip().partition("=")
        if not sep or not key:
            continue
        if name_looks_secret(key) and looks_literal_secret(value):
            notes.add(f"{where}: the cookie {key} looks like a session and was not imported")
            continue
        out.append((key, keep_variables(value, unquote)))
    return out


def secret_note(where: str, slot: str, kind: str, notes: Notes, *, user: str = "") -> None:
    """The note that a credential's secret was left behind, and where it goes instead."""
    what = {"basic": "password", "apikey": "API key"}.get(kind, "token")
    also = f" (user name {user!r})" if user else ""
    notes.add(
        f"{where}: its {kind} credential was not imported (a secret never is): enter the "
        f"{what}{also} in the keyring for the credential slot {slot!r}"
    )
