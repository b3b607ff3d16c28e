"""What the mock checks and hides before it answers: the `Host` a request names, and the
secrets in the access log.

DNS rebinding: a web page can make the user's browser send requests to 127.0.0.1 under a
name the attacker controls (`Host: evil.example`). A mock reached on a loopback address
therefore answers only requests whose `Host` is a loopback name (localhost, 127.x.x.x,
[::1], any port), unless told to accept others (`--allow-host NAME`, "*" for any).

The access log writes the request line with the values of secret query parameters
masked: those of `apiKey` security schemes sent in the query, and any whose name says
key, token, secret, password, auth, session or signature (`name_looks_secret`, the one test
of a secret name), and likewise the values of path parameters with such names.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import unquote_plus

from explorer.http.model import name_looks_secret
from explorer.spec import Spec

__all__ = [
    "HostCheck",
    "is_loopback_host",
    "log_target",
    "query_secrets",
]

_UNPRINTABLE = re.compile(r"[^\x21-\x7e]")
MASK = "***"
MAX_TARGET = 1000


def _host_name(host: str) -> str:
    """The name of a `Host` value without its port: "[::1]:80" -> "::1"."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    name, _, port = host.rpartition(":")
    return name if name and port.isdigit() else host


def is_loopback_host(host: str) -> bool:
    """Whether a `Host` value (with or without a port) names this machine's loopback:
    localhost and its subdomains, 127.0.0.0/8, ::1 (also as an IPv4-mapped address)."""
    name = _host_name(host).rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    return _is_loopback_ip(name)


def _is_loopback_ip(text: str) -> bool:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


class HostCheck:
    """Which `Host` values a request that arrived on a loopback address may carry."""

    def __init__(self, allow: Iterable[str] = ()) -> None:
        names = [a.strip() for a in allow if a.strip()]
        self.any = "*" in names
        self.allowed = frozenset(_host_name(n).rstrip(".") for n in names if n != "*")
        self._served: dict[tuple[str, str], bool] = {}  # decisions seen, per request is costly

    def refusal(self, local_address: str | None, host: str | None) -> str | None:
        """Why a request is refused (a message for the client), or None to serve it."""
        if self.any or host is None or local_address is None:
            return None
        key = (local_address, host)
        served = self._served.get(key)
        if served is None:
            served = (
                not _is_loopback_ip(local_address)
                or is_loopback_host(host)
                or _host_name(host).rstrip(".") in self.allowed
            )
            if len(self._served) < 1024:  # a hostile client may send endless names
                self._served[key] = served
        if served:
            return None
        shown = _UNPRINTABLE.sub("?", host[:100])
        return (
            f"This mock serves its loopback address only to loopback host names; "
            f"Host {shown!r} is refused (protection against DNS rebinding). "
            f"Start it with --allow-host {_host_name(shown) or 'NAME'} to accept that name."
        )


def query_secrets(api: Spec) -> frozenset[str]:
    """Names of the query parameters the document's `apiKey` security schemes use."""
    return frozenset(
        s.param_name
        for s in api.security_schemes.values()
        if s.type == "apiKey" and s.location == "query" and s.param_name
    )


def _mask_query(query: str, secrets: frozenset[str]) -> str:
    parts: list[str] = []
    for part in query.split("&"):
        raw_name, sep, value = part.partition("=")
        name = unquote_plus(raw_name)
        if sep and value and (name in secrets or name_looks_secret(name)):
            value = MASK
        parts.append(raw_name + sep + value)
    return "&".join(parts)


def _mask_path(path: str, base: str, template: str | None) -> str:
    """The path with the values of secret-named path parameters masked."""
    if not template or "{" not in template:
        return path
    names = template.strip("/").split("/")
    head, rest = path[: len(base)], path[len(base) :]
    segments = rest.strip("/").split("/")
    if len(segments) != len(names):
        return path
    masked = [
        MASK if n.startswith("{") and n.endswith("}") and name_looks_secret(n[1:-1]) else s
        for n, s in zip(names, segments, strict=True)
    ]
    trailing = "/" if rest.endswith("/") and len(rest) > 1 else ""
    return head + "/" + "/".join(masked) + trailing


def log_target(
    raw_path: str,
    query: str,
    secrets: frozenset[str],
    base: str = "",
    template: str | None = None,
) -> str:
    """The request target as the access log shows it: secrets masked, every byte
    printable (no forged log lines), cut to `MAX_TARGET` characters."""
    target = _mask_path(raw_path, base, template)
    if query:
        target += "?" + _mask_query(query, secrets)
    target = _UNPRINTABLE.sub(lambda m: f"%{ord(m.group()) & 0xFF:02X}", target)
    return target if len(target) <= MAX_TARGET else target[: MAX_TARGET - 1] + "…"
