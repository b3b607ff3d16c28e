"""The one reading of a schema's `format`: what counts as an email address, a UUID, a URI...

Two places check formats, and they must never disagree on a value: `validate()` (bodies
in the window, responses, the mock's requests), through the jsonschema format checker
that `format_checker()` builds, and the form's fields as you type, through
`format_error()` (by way of `explorer.spec.values.check_value`). Both read the rules
below; a format not among them is checked by jsonschema's own checker in both (ipv4,
ipv6, regex ...), and one jsonschema does not know is not checked at all.

    >>> format_error("a@b", "email")          # 'not an email address (name@example.com)'
    >>> format_error("a@b.co", "email")       # None
    >>> format_error(2**31, "int32")          # 'must be at most 2147483647 (int32)'

The rules, chosen once for both paths:
- email: a name, "@", and a domain with a dot (`a@b` is refused: what real servers
  such as ECOSIRE's refuse too); no spaces.
- uuid: the hyphenated 8-4-4-4-12 hex form only (RFC 9562), no braces, no `urn:uuid:`.
- uri, url: absolute (a scheme), with a host or a path, and no whitespace or control
  characters (RFC 3986 has no place for a space).
- date, date-time, time: RFC 3339 (a date-time and a time need seconds and an offset).
- hostname: RFC 1123 labels; int32, int64: the range of the type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as clock_time
from typing import Any
from urllib.parse import urlsplit

__all__ = ["FORMAT_PLACEHOLDERS", "FORMAT_RULES", "format_checker", "format_error"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_TIME = r"\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)"
_DATETIME = re.compile(rf"^\d{{4}}-\d\d-\d\d[Tt ]{_TIME}$")
_CLOCK = re.compile(rf"^{_TIME}$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BAD_URI_CHAR = re.compile(r"[\s\x00-\x1f\x7f]")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*\.?$")
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _email(text: str) -> bool:
    return _EMAIL.match(text) is not None


def _uuid(text: str) -> bool:
    return _UUID.match(text) is not None


def _date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _utc(text: str) -> str:
    return text.replace("Z", "+00:00").replace("z", "+00:00")


def _date_time(text: str) -> bool:
    if not _DATETIME.match(text):
        return False
    try:
        datetime.fromisoformat(_utc(text))
    except ValueError:
        return False
    return True


def _time(text: str) -> bool:
    if not _CLOCK.match(text):
        return False
    try:
        clock_time.fromisoformat(_utc(text))
    except ValueError:
        return False
    return True


def _uri(text: str) -> bool:
    if not _SCHEME.match(text) or _BAD_URI_CHAR.search(text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return bool(parts.scheme and (parts.netloc or parts.path))


def _hostname(text: str) -> bool:
    return _HOSTNAME.match(text) is not None


FORMAT_PLACEHOLDERS = {
    "date": "YYYY-MM-DD",
    "date-time": "YYYY-MM-DDTHH:MM:SSZ",
    "time": "HH:MM:SSZ",
    "email": "name@example.com",
    "uuid": "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
    "uri": "https://…",
    "url": "https://…",
    "hostname": "api.example.com",
}
"""What a value of each checked format looks like (an empty field's placeholder, and the
example in the message when a value does not fit)."""

_STRING_RULES: dict[str, tuple[Callable[[str], bool], str]] = {
    "email": (_email, "not an email address (name@example.com)"),
    "uuid": (_uuid, "not a UUID (8-4-4-4-12 hex digits)"),
    "date": (_date, "not a date (YYYY-MM-DD)"),
    "date-time": (_date_time, "not a date-time (YYYY-MM-DDTHH:MM:SSZ)"),
    "time": (_time, "not a time (HH:MM:SSZ)"),
    "uri": (_uri, "not an absolute URI (https://…)"),
    "url": (_uri, "not an absolute URI (https://…)"),
    "hostname": (_hostname, "not a host name (api.example.com)"),
}


def _int_range(value: Any, fmt: str) -> str | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    low, high = _INT_RANGES[fmt]
    if value < low:
        return f"must be at least {low} ({fmt})"
    if value > high:
        return f"must be at most {high} ({fmt})"
    return None


def _rule_error(value: Any, fmt: str) -> str | None:
    """The message of our own rule for `fmt` (None: it fits, or the rule does not apply
    to a value of this type)."""
    if fmt in _INT_RANGES:
        return _int_range(value, fmt)
    rule = _STRING_RULES.get(fmt)
    if rule is None or not isinstance(value, str):
        return None
    check, message = rule
    return None if check(value) else message


_JSONSCHEMA_FORMATS = frozenset(
    {
        "color",
        "duration",
        "idn-email",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "iri",
        "iri-reference",
        "json-pointer",
        "regex",
        "relative-json-pointer",
        "uri-reference",
        "uri-template",
    }
)
"""Formats jsonschema may check (with its optional packages) that no rule here covers."""

FORMAT_RULES: frozenset[str] = frozenset(_STRING_RULES) | frozenset(_INT_RANGES)
"""The formats checked by the rules of this module (others: jsonschema's own checker)."""


def format_error(value: Any, fmt: str) -> str | None:
    """What is wrong with `value` for `format: fmt`, in words for a form ("not a UUID
    (8-4-4-4-12 hex digits)"); None when it fits, or when nothing checks that format."""
    if fmt in FORMAT_RULES:
        return _rule_error(value, fmt)
    if fmt not in _JSONSCHEMA_FORMATS:
        return None  # "password", "byte", "double" ...: nothing checks them (and no import)
    checker = format_checker()
    if fmt in checker.checkers and not checker.conforms(value, fmt):
        return f"not a valid {fmt}"
    return None


_CHECKER: Any = None


def format_checker() -> Any:
    """The jsonschema `FormatChecker` that `validate()` uses: jsonschema's own checks, with
    the rules of this module in place of its checks of the same names (built once)."""
    global _CHECKER
    if _CHECKER is not None:
        return _CHECKER
    import jsonschema

    checker = jsonschema.FormatChecker()
    for fmt in sorted(FORMAT_RULES):
        checker.checks(fmt, raises=ValueError)(_raiser(fmt))
    _CHECKER = checker
    return checker


def _raiser(fmt: str) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        message = _rule_error(value, fmt)
        if message is not None:
            raise ValueError(message)
        return True

    return check
