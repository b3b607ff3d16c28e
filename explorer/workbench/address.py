"""A URL typed by hand: taken apart, and linked to the endpoint of the document it names.

    >>> found = link_address(api, "GET", "http://127.0.0.1:5000/api/contacts/c_1?limit=5",
    ...                      bases=["http://127.0.0.1:5000/api"])
    >>> found.operation.key, found.base, found.path_values, found.query
    ('GET /contacts/{id}', 'http://127.0.0.1:5000/api', {'id': 'c_1'}, (('limit', '5'),))

`split_address` takes a URL apart (None when it is not an absolute http(s) URL);
`link_address` finds the operation: under one of the given base URLs (the servers the
request offers, longest first), else under the document's own server paths on any host.
A URL that names no endpoint (or not for this method) links to no operation: the
request is then sent as typed (ad hoc). The matching is the mock's own router.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlsplit

from explorer.spec.model import Operation, Spec
from explorer.spec.routes import router_for, server_path

__all__ = ["Address", "Linked", "link_address", "split_address"]

_OTHER_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Address:
    """An absolute URL in parts: origin ("http://host:port"), path (as typed, with `{`
    and `}` encoded so they are never read as a template) and decoded query pairs."""

    origin: str
    path: str
    query: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Linked:
    """What a typed URL names: the operation (None: ad hoc), the base URL to use, the
    path template's values, the query pairs, and the path after the base."""

    operation: Operation | None
    base: str
    path: str
    path_values: dict[str, str] = field(default_factory=dict)
    query: tuple[tuple[str, str], ...] = ()


def split_address(text: str) -> Address | None:
    """The parts of an absolute http(s) URL (a scheme is assumed: "localhost:8000/x" is
    read as "http://localhost:8000/x"); None when `text` cannot be one."""
    raw = text.strip()
    if not raw:
        return None
    if "://" not in raw:
        scheme = _OTHER_SCHEME.match(raw)
        if scheme is not None and not scheme.group(1)[:1].isdigit():
            return None  # "mailto:x", "file:/x": a scheme of its own, not "host:port"
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    path = quote(parts.path, safe="/:@!$&'()*+,;=-._~%")
    query = tuple(parse_qsl(parts.query, keep_blank_values=True))
    return Address(f"{parts.scheme.lower()}://{parts.netloc}", path, query)


def link_address(api: Spec | None, method: str, text: str, bases: Sequence[str] = ()) -> Linked:
    """The endpoint a typed URL names (see the module docstring).

    Raises ValueError when `text` is not an absolute http(s) URL."""
    address = split_address(text)
    if address is None:
        raise ValueError(f"{text.strip()!r} is not an http(s) URL")
    full_path = address.path
    method = method.strip().upper()
    if api is not None:
        router = router_for(api)
        candidates: list[tuple[str, str]] = []
        for base in sorted({b.rstrip("/") for b in bases if b}, key=len, reverse=True):
            base_parts = split_address(base)
            if base_parts is None or base_parts.origin != address.origin:
                continue
            prefix = base_parts.path.rstrip("/")
            if full_path == prefix or full_path.startswith(prefix + "/"):
                candidates.append((base_parts.origin + prefix, full_path[len(prefix) :]))
        for base, rest in candidates:
            found = router.match_path(rest)
            if found is not None and method in found.methods:
                return Linked(found.methods[method], base, rest, dict(found.params), address.query)
        found = router.match(full_path)
        # On another host, only under one of the document's own server paths ("/api"):
        # the root counts only when a server is at the root.
        rooted = not api.servers or "" in {server_path(s) for s in api.servers}
        if found is not None and method in found.methods and (found.base or rooted):
            return Linked(
                found.methods[method],
                address.origin + found.base,
                full_path[len(found.base) :],
                dict(found.params),
                address.query,
            )
    return Linked(None, address.origin, full_path, {}, address.query)
