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

__all__ = [
    "PATTERN_TIMEOUT",
    "compile_pattern",
    "ecma_to_python",
    "pattern_example",
    "pattern_search",
]

PATTERN_TIMEOUT = 0.05
"""Seconds one pattern check may take before it is given up (undecided)."""
MAX_SUBJECT = 100_000
"""Longer texts are not matched at all (undecided): no bound in time holds for them."""

_CACHE: OrderedDict[str, Any] = OrderedDict()
_CACHE_SIZE = 512
_CACHE_LOCK = threading.Lock()  # the mock checks patterns on several worker threads
_BROKEN = object()


def compile_pattern(pattern: str) -> Any | None:
    """The compiled pattern (a `regex` object), or None when it cannot be compiled, as
    written or rewritten from ECMA-262 (`ecma_to_python`)."""
    with _CACHE_LOCK:
        hit = _CACHE.get(pattern)
        if hit is not None:
            _CACHE.move_to_end(pattern)
            return None if hit is _BROKEN else hit
    import regex

    compiled: Any = _BROKEN
    for text in (pattern, ecma_to_python(pattern)):
        try:
            compiled = regex.compile(text)
            break
        except Exception:  # regex.error, and odd failures on hostile input (recursion, size)
            continue
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


# -- ECMA-262 patterns --------------------------------------------------------------------
# OpenAPI says `pattern` is an ECMA-262 regular expression. `regex` reads most of them as
# they are (`\p{L}`, `(?<name>...)`, `[\w-.]`); what it does not read is rewritten first
# by `ecma_to_python` (`\cJ`, `\k<name>`, `\u{1F600}`, `[]`, `[^]`, identity escapes such
# as `\_`), and the same rewriting, with Unicode classes spelled as ASCII ranges, gives
# Python's own parser a pattern to make example strings from (`pattern_example`).

_CLASS_ESCAPES = frozenset("dDwWsS")
_KNOWN_ESCAPES = frozenset("dDwWsSbBnrtfv0123456789xuAZz")
_UNICODE_RANGES = {
    "lu": "A-Z",
    "uppercase_letter": "A-Z",
    "uppercase": "A-Z",
    "ll": "a-z",
    "lowercase_letter": "a-z",
    "lowercase": "a-z",
    "n": "0-9",
    "nd": "0-9",
    "number": "0-9",
    "decimal_number": "0-9",
    "digit": "0-9",
    "p": ".,!?",
    "punctuation": ".,!?",
    "s": "$+<=>^",
    "symbol": "$+<=>^",
    "z": " ",
    "zs": " ",
    "separator": " ",
    "space_separator": " ",
    "white_space": " ",
}
_UNICODE_NOT_RANGES = {"n": "a-z", "nd": "a-z", "number": "a-z", "digit": "a-z"}


def _unicode_range(name: str, negated: bool) -> str:
    """ASCII ranges (for a character class) that stand for `\\p{name}` in examples."""
    key = name.split("=", 1)[-1].strip().lower()
    if negated:
        return _UNICODE_NOT_RANGES.get(key, "0-9_")
    return _UNICODE_RANGES.get(key, "a-zA-Z")


def ecma_to_python(pattern: str, *, ascii_classes: bool = False) -> str:
    """An ECMA-262 pattern in the syntax of Python's `re` and `regex` modules.

    With `ascii_classes`, `\\p{...}` and `\\P{...}` become ASCII ranges that stand for them
    (what Python's `re`, which lacks them, can parse: for making examples, not matching).
    Text that is not a valid pattern stays as invalid as it was."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    class_start = 0
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            e = pattern[i + 1]
            if e in "pP" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.find("}", i + 3)
                if end < 0:
                    out.append(pattern[i:])
                    break
                if ascii_classes:
                    ranges = _unicode_range(pattern[i + 3 : end], e == "P")
                    out.append(ranges if in_class else f"[{ranges}]")
                else:
                    out.append(pattern[i : end + 1])
                i = end + 1
                continue
            if e == "c" and i + 2 < n and pattern[i + 2].isalpha():
                out.append(f"\\x{ord(pattern[i + 2].upper()) % 32:02x}")
                i += 3
                continue
            if e == "k" and i + 2 < n and pattern[i + 2] == "<" and not in_class:
                end = pattern.find(">", i + 3)
                if end > 0:
                    out.append(f"(?P={pattern[i + 3 : end]})")
                    i = end + 1
                    continue
            if e == "u" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.find("}", i + 3)
                digits = pattern[i + 3 : end] if end > 0 else ""
                if digits and all(ch in "0123456789abcdefABCDEF" for ch in digits):
                    out.append(f"\\U{int(digits, 16):08x}")
                    i = end + 1
                    continue
            if e.isascii() and e.isalpha() and e not in _KNOWN_ESCAPES and e not in "pPck":
                out.append(e)  # an identity escape (`\_` is "_" in ECMA, an error in Python)
                i += 2
                continue
            if in_class and e in _CLASS_ESCAPES and i + 2 < n and pattern[i + 2] == "-":
                out.append(pattern[i : i + 2] + "\\-")  # `[\w-.]`: the "-" is a literal
                i += 3
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if c == "]" and i > class_start:
                in_class = False
            elif (
                c == "-"
                and i + 2 < n
                and pattern[i + 1] == "\\"
                and pattern[i + 2] in (_CLASS_ESCAPES)
            ):
                c = "\\-"  # `[a-\d]`: a literal "-" in ECMA
            elif c in "[&~|" or (c == "-" and pattern.startswith("--", i)):
                c = "\\" + c  # literals in ECMA; nested sets or set operations to Python
            out.append(c)
            i += 1
            continue
        if c == "[":
            if pattern.startswith("[]", i):
                out.append("(?!)")  # matches nothing
                i += 2
                continue
            if pattern.startswith("[^]", i):
                out.append("[\\s\\S]")  # any character
                i += 3
                continue
            in_class = True
            class_start = i + 1
            if pattern.startswith("[^", i):
                class_start = i + 2
            if pattern.startswith("]", class_start):
                out.append(pattern[i:class_start] + "\\]")
                i = class_start + 1
                continue
            out.append(pattern[i:class_start])
            i = class_start
            continue
        if c == "(" and pattern.startswith("(?<", i) and i + 3 < n and pattern[i + 3] not in "=!":
            out.append("(?P<")
            i += 3
            continue
        out.append(c)
        i += 1
    return "".join(out)


# -- strings that match a pattern ------------------------------------------------------------
# A small generator over the parse tree of Python's own `re` parser (what `rstr` and `exrex`
# do as well; they parse the same way, so they read ECMA patterns no better, and neither
# aims for a length). It aims for a length (`minLength`) by repeating the first open-ended
# repetition, picks first choices (or, for a `variant`, seeded random ones), and every
# string it makes is checked with `pattern_search` before it is handed out.

MAX_EXAMPLE = 4096
"""Characters of a string made from a pattern at most (longer ones are not made)."""
EXAMPLE_BUDGET = 0.25
"""Seconds `pattern_example` may spend checking its strings (a form is built on the
window's thread: a pattern that takes the whole budget gets no example)."""
_TRIES = 24
_PREFERRED = "aA0_-. b1Z9xé"


class _TooLong(Exception):
    pass


def _sre_constants() -> Any:
    """The opcodes of Python's regular-expression parser (`re._constants`)."""
    import importlib

    return importlib.import_module("re._constants")


class _Maker:
    """Makes one string from a parsed pattern."""

    def __init__(self, need: int, rng: Any, cap: int) -> None:
        self.need = need  # characters still wanted to reach the minimum length
        self.rng = rng
        self.cap = cap
        self.groups: dict[int, str] = {}
        self.lookaheads: list[str] = []

    def make(self, items: Any) -> str:
        out: list[str] = []
        size = 0
        for op, arg in items:
            text = self.item(op, arg)
            size += len(text)
            if size > self.cap:
                raise _TooLong
            out.append(text)
        return "".join(out)

    def item(self, op: Any, arg: Any) -> str:
        c = _sre_constants()

        if op is c.LITERAL:
            return chr(arg)
        if op is c.NOT_LITERAL:
            return next(ch for ch in _PREFERRED if ord(ch) != arg)
        if op is c.ANY:
            return self.pick_from("aA0x")
        if op is c.IN:
            return self.member(arg)
        if op is c.BRANCH:
            branches = arg[1]
            index = self.rng.randrange(len(branches)) if self.rng else 0
            return self.make(branches[index])
        if op is c.SUBPATTERN:
            group, _add, _del, inner = arg
            text = self.make(inner)
            if group is not None:
                self.groups[group] = text
            return text
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            return self.repeat(*arg)
        if op is c.GROUPREF:
            return self.groups.get(arg, "")
        if op is c.ATOMIC_GROUP:
            return self.make(arg)
        if op is c.ASSERT:
            direction, inner = arg
            if direction == 1:
                self.lookaheads.append(_Maker(0, self.rng, self.cap).make(inner))
            return ""
        if op is c.GROUPREF_EXISTS:
            group, yes, no = arg
            return self.make(yes if group in self.groups else (no or []))
        if op is c.CATEGORY:
            return self.category(arg)
        return ""  # AT (anchors), ASSERT_NOT: nothing to write

    def pick_from(self, chars: str) -> str:
        return self.rng.choice(chars) if self.rng else chars[0]

    def repeat(self, low: int, high: int, inner: Any) -> str:
        c = _sre_constants()

        if low * 1 > self.cap:
            raise _TooLong
        first = self.make(inner) if (low or self.need > 0 or self.rng) and high else ""
        count = low
        room = (high if high is not c.MAXREPEAT else self.cap) - low
        if first and self.need > 0 and room > 0:
            extra = min(room, -(-self.need // len(first)))
            count += extra
            self.need -= extra * len(first)
        elif self.rng and room > 0:
            count += self.rng.randrange(min(room, 3) + 1)
        if count == 0:
            return ""
        if count * max(len(first), 1) > self.cap:
            raise _TooLong
        parts = [first] + [self.make(inner) if self.rng else first for _ in range(count - 1)]
        return "".join(parts)

    def category(self, name: Any) -> str:
        c = _sre_constants()

        table = {
            c.CATEGORY_DIGIT: "0123456789",
            c.CATEGORY_NOT_DIGIT: "aAbx",
            c.CATEGORY_SPACE: " ",
            c.CATEGORY_NOT_SPACE: "aA0x",
            c.CATEGORY_WORD: "aA0x_",
            c.CATEGORY_NOT_WORD: "-. ",
        }
        return self.pick_from(table.get(name, "a"))

    def member(self, items: Any) -> str:
        c = _sre_constants()

        if items and items[0][0] is c.NEGATE:
            pool = _PREFERRED + "".join(chr(i) for i in range(33, 127))
            allowed = [ch for ch in pool if not _in_set(ch, items[1:])]
            if not allowed:
                return "~"
            return self.rng.choice(allowed) if self.rng else allowed[0]
        choices = [i for i in items if i[0] is not c.NEGATE]
        if not choices:
            return "a"
        op, arg = self.rng.choice(choices) if self.rng else choices[0]
        if op is c.LITERAL:
            return chr(arg)
        if op is c.RANGE:
            low, high = arg
            if self.rng:
                return chr(self.rng.randint(low, min(high, low + 60)))
            for ch in "a0A":  # "a" for [a-z], "0" for [0-9] rather than the range's end
                if low <= ord(ch) <= high:
                    return ch
            return chr(low)
        if op is c.CATEGORY:
            return self.category(arg)
        return "a"


def _in_set(ch: str, items: Any) -> bool:
    """Whether a character is in the items of a parsed character class."""
    c = _sre_constants()

    code = ord(ch)
    for op, arg in items:
        if op is c.LITERAL and arg == code:
            return True
        if op is c.RANGE and arg[0] <= code <= arg[1]:
            return True
        if op is c.CATEGORY:
            checks = {
                c.CATEGORY_DIGIT: ch.isdigit(),
                c.CATEGORY_NOT_DIGIT: not ch.isdigit(),
                c.CATEGORY_SPACE: ch.isspace(),
                c.CATEGORY_NOT_SPACE: not ch.isspace(),
                c.CATEGORY_WORD: ch.isalnum() or ch == "_",
                c.CATEGORY_NOT_WORD: not (ch.isalnum() or ch == "_"),
            }
            if checks.get(arg, False):
                return True
    return False


_PARSED: OrderedDict[str, Any] = OrderedDict()


def _parsed(pattern: str) -> Any:
    """Python's parse of a pattern (rewritten from ECMA-262), or None when it has none."""
    with _CACHE_LOCK:
        if pattern in _PARSED:
            return _PARSED[pattern]
    import importlib
    import warnings

    _parser: Any = importlib.import_module("re._parser")

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree: Any = _parser.parse(ecma_to_python(pattern, ascii_classes=True))
    except Exception:  # re.error, RecursionError, OverflowError on hostile input
        tree = None
    with _CACHE_LOCK:
        _PARSED[pattern] = tree
        if len(_PARSED) > _CACHE_SIZE:
            _PARSED.popitem(last=False)
    return tree


def pattern_example(
    pattern: str, min_length: int = 0, max_length: int | None = None, variant: int = 0
) -> str | None:
    """A string that `pattern` matches (as `pattern_search` decides) and whose length is
    within the bounds, or None when none was found. The same arguments give the same
    string; another `variant` gives another string where the pattern allows one."""
    import random
    import time

    tree = _parsed(pattern)
    if tree is None or compile_pattern(pattern) is None:
        return None
    high = MAX_EXAMPLE if max_length is None else min(max_length, MAX_EXAMPLE)
    if min_length > high:
        return None
    ends = time.monotonic() + EXAMPLE_BUDGET
    for attempt in range(_TRIES):
        seeded = attempt > 0 or variant > 0
        seed = f"{pattern}|{variant}|{attempt}"
        try:
            maker = _Maker(0, random.Random(seed) if seeded else None, high)
            text = maker.make(tree)
            if len(text) < min_length:  # again, repeating to make up what is missing
                maker = _Maker(
                    min_length - len(text), random.Random(seed) if seeded else None, high
                )
                text = maker.make(tree)
        except (_TooLong, RecursionError):
            continue
        for candidate in _fitted(text, maker.lookaheads, min_length, high):
            left = ends - time.monotonic()
            if left <= 0:
                return None  # a pattern that takes this long to match (ReDoS): no example
            if pattern_search(pattern, candidate, timeout=min(PATTERN_TIMEOUT, left)) is True:
                return candidate
    return None


def _fitted(text: str, lookaheads: list[str], low: int, high: int) -> list[str]:
    """`text` and variants of it brought within the length bounds (padding an unanchored
    pattern's match, lookahead texts put in front)."""
    out = []
    if lookaheads:
        front = "".join(lookaheads)
        out += [front + text[len(front) :], front + text]
    out.append(text)
    if len(text) < low:
        pad = "a" * (low - len(text))
        out += [text + pad, pad + text, text + "0" * (low - len(text))]
    return [t for t in out if low <= len(t) <= high]
