"""The one place a schema's `pattern` is matched: bounded in time, never a freeze.

A document is untrusted, and `pattern` is a regular expression it chooses: `^(a|aa)+$`
takes exponential time on a backtracking engine. Every check of a `pattern` (the form as
you type, `validate()` for bodies, the mock) goes through `pattern_search`, which uses the
`regex` module with a timeout: a match that would take longer than the budget is
undecided (None), not a freeze. `regex` also reads the Unicode classes (`\\p{L}`) that
ECMA-262 patterns use and Python's `re` does not.

    >>> pattern_search(r"^[0-9]{12}$", "123456789012")   # True
    >>> pattern_search(r"^(a|aa)+$", "a" * 40 + "!")      # None: gave up after the budget
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

__all__ = ["PATTERN_TIMEOUT", "compile_pattern", "pattern_search"]

PATTERN_TIMEOUT = 0.05
"""Seconds one pattern check may take before it is given up (undecided)."""
MAX_SUBJECT = 100_000
"""Longer texts are not matched at all (undecided): no bound in time holds for them."""

_CACHE: OrderedDict[str, Any] = OrderedDict()
_CACHE_SIZE = 512
_CACHE_LOCK = threading.Lock()  # the mock checks patterns on several worker threads
_BROKEN = object()


def compile_pattern(pattern: str) -> Any | None:
    """The compiled pattern (a `regex` object), or None when it cannot be compiled."""
    with _CACHE_LOCK:
        hit = _CACHE.get(pattern)
        if hit is not None:
            _CACHE.move_to_end(pattern)
            return None if hit is _BROKEN else hit
    import regex

    try:
        compiled: Any = regex.compile(pattern)
    except Exception:  # regex.error, and odd failures on hostile input (recursion, size)
        compiled = _BROKEN
    with _CACHE_LOCK:
        _CACHE[pattern] = compiled
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return None if compiled is _BROKEN else compiled


def pattern_search(pattern: str, text: str, *, timeout: float = PATTERN_TIMEOUT) -> bool | None:
    """Whether `pattern` matches somewhere in `text` (JSON Schema's unanchored `pattern`).

    None when it cannot be decided: the pattern does not compile, the text is longer than
    `MAX_SUBJECT`, or matching took longer than `timeout` seconds."""
    if len(text) > MAX_SUBJECT:
        return None
    compiled = compile_pattern(pattern)
    if compiled is None:
        return None
    try:
        return compiled.search(text, timeout=timeout, concurrent=True) is not None
    except TimeoutError:
        return None
