"""Set-Cookie headers of a response, read (for the Cookies tab). No Qt here.

>>> parse_set_cookie("sid=a1; Path=/; HttpOnly").http_only    # True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Cookie", "parse_set_cookie"]


@dataclass(frozen=True)
class Cookie:
    """One Set-Cookie header, read."""

    name: str
    value: str
    domain: str = ""
    path: str = ""
    expires: str = ""  # Expires as written, or "Max-Age N s"
    http_only: bool = False
    secure: bool = False
    same_site: str = ""


def parse_set_cookie(header: str) -> Cookie | None:
    """Read one Set-Cookie value (RFC 6265, leniently); None without a name=value pair."""
    parts = [p.strip() for p in header.split(";")]
    if not parts or "=" not in parts[0]:
        return None
    name, _, value = parts[0].partition("=")
    name = name.strip()
    if not name:
        return None
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    attrs: dict[str, str] = {}
    flags: set[str] = set()
    for part in parts[1:]:
        if not part:
            continue
        key, eq, val = part.partition("=")
        key = key.strip().lower()
        if eq:
            attrs[key] = val.strip()
        else:
            flags.add(key)
    expires = attrs.get("expires", "")
    if "max-age" in attrs:
        expires = f"Max-Age {attrs['max-age']} s" + (f" ({expires})" if expires else "")
    return Cookie(
        name=name,
        value=value,
        domain=attrs.get("domain", ""),
        path=attrs.get("path", ""),
        expires=expires,
        http_only="httponly" in flags,
        secure="secure" in flags,
        same_site=attrs.get("samesite", ""),
    )
