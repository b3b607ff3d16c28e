"""Find operations by what a person types: words in any order, fuzzily. No Qt here.

    >>> index = OperationIndex(ops)                  # once per document
    >>> index.search("post contacts inv")            # indices into ops, best first per group

How a query matches an operation (its method, path, operationId, summary and module,
lower-cased into one "haystack" string when the index is built):

- the query is split into words; every word must match, in any order;
- a word matches as a substring of the haystack; when no remaining operation contains it
  as a substring, it matches fuzzily: a word of five letters or more with one letter
  (not the first) dropped or two neighbouring letters swapped ("contcats", "contaxcts"),
  and failing that any word as a subsequence, its letters close together in one run of
  non-blank text ("gcont" finds GET /contacts, whose haystack opens with "get/contacts");
- a word that is a common HTTP method ("get", "post", "put", "patch", "delete") means that
  method, as long as some remaining operation has it;
- where several operations match, those with the query's words at the start of a word
  (path segment, summary word, camelCase part) come first within their group.

Typing one more letter only looks at what the previous query matched (each test is
monotone), and recent queries are remembered, so deleting a letter is free.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from explorer.spec.model import Operation

__all__ = ["STRICT_METHODS", "OperationIndex", "haystack"]

STRICT_METHODS = frozenset({"get", "post", "put", "patch", "delete"})
"""Query words that select operations by method when some operation has it."""

RANK_LIMIT = 500
"""Matches are ranked only up to this many; past it, they keep the document's order."""

_CACHE_SIZE = 48
TYPO_MIN = 5  # words this long also match with one typo
_MAX_GAP = 6  # letters a fuzzy word may skip between two of its own
_SCAN_ALL = 256  # from this many candidates on, scan the joined haystacks in one pass
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def haystack(op: Operation, module: str | None = None) -> str:
    """The lower-case text a query is matched against for one operation.

    It opens with the method glued to the path ("get/contacts/{id}") so that a fuzzy word
    like "gcont" can match method and path together."""
    words = _CAMEL.sub(" ", op.operation_id) if op.operation_id else ""
    parts = (
        op.method + op.path,
        op.operation_id,
        words,
        op.summary,
        module if module is not None else op.module,
    )
    return " ".join(p for p in parts if p).lower()


def _subsequence(word: str) -> re.Pattern[str]:
    """`abc` -> `a[^b\\s]{0,6}b[^c\\s]{0,6}c`: the letters in order, close together, in one
    run of non-blank text."""
    if len(word) == 1:
        return re.compile(re.escape(word))
    parts = [re.escape(word[0])]
    for ch in word[1:]:
        parts.append(f"[^{re.escape(ch)}\\s]{{0,{_MAX_GAP}}}{re.escape(ch)}")
    return re.compile("".join(parts))


def _typo_pattern(word: str) -> re.Pattern[str]:
    """The word with one letter after the first dropped, or two neighbours swapped."""
    variants: dict[str, None] = {}
    for i in range(1, len(word)):
        variants[word[:i] + word[i + 1 :]] = None
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            variants[word[:i] + word[i + 1] + word[i] + word[i + 2 :]] = None
    return re.compile("|".join(re.escape(v) for v in variants))


@dataclass
class _State:
    """What a query matched, and how its last word matched."""

    words: tuple[str, ...]
    mode: str  # how the last word matched: "method", "substring" or "fuzzy"
    matches: list[int]  # what the query matches
    loose: list[int]  # for "fuzzy": everything within one typo or as a subsequence
    ranked: list[int] | None = None


class OperationIndex:
    """A search index over a fixed list of operations.

    `groups`, when given, is a group number per operation (the tree's modules), with each
    group's operations contiguous; ranking reorders matches only within a group.
    `modules`, when given, is the module name to match per operation (default:
    `op.module`).
    """

    def __init__(
        self,
        operations: Sequence[Operation],
        groups: Sequence[int] | None = None,
        modules: Sequence[str] | None = None,
    ) -> None:
        self.operations = tuple(operations)
        n = len(self.operations)
        self._groups = list(groups) if groups is not None else [0] * n
        if len(self._groups) != n or (modules is not None and len(modules) != n):
            raise ValueError("groups and modules must have one entry per operation")
        self._hay = [
            haystack(op, modules[i] if modules is not None else None)
            for i, op in enumerate(self.operations)
        ]
        self._methods = [op.method.lower() for op in self.operations]
        # All haystacks in one string (one per line) with each line's offset, so that a
        # pattern scans every operation in one C-level pass instead of one call each.
        self._joined = "\n".join(self._hay)
        self._offsets = list(itertools.accumulate((len(h) + 1 for h in self._hay), initial=0))
        self._all = list(range(n))
        self._cache: OrderedDict[tuple[str, ...], _State] = OrderedDict()

    def __len__(self) -> int:
        return len(self.operations)

    def haystack(self, i: int) -> str:
        """The text operation `i` is matched against."""
        return self._hay[i]

    @staticmethod
    def words(query: str) -> tuple[str, ...]:
        """The words of a query, lower-cased."""
        return tuple(query.lower().split())

    def search(self, query: str) -> list[int]:
        """Indices of the operations that match, in group order, best first in a group."""
        words = self.words(query)
        if not words:
            return list(self._all)
        state = self._state(words)
        if state.ranked is None:
            matches = state.matches
            state.ranked = self._rank(words, matches) if len(matches) <= RANK_LIMIT else matches
        return list(state.ranked)

    # -- matching ------------------------------------------------------------------------

    def _state(self, words: tuple[str, ...]) -> _State:
        """What `words` match: the words before the last, then the last one.

        Exactly what a fresh computation gives, but looking only at the smallest remembered
        superset: the matches of the same query with a shorter last word, matched the same
        way (substring and fuzzy tests are monotone), else the matches of the words before
        the last."""
        hit = self._cache.get(words)
        if hit is not None:
            self._cache.move_to_end(words)
            return hit
        before = self._state(words[:-1]).matches if len(words) > 1 else self._all
        state = self._method(words, before) or self._substring(words, before)
        if state is None:
            state = self._fuzzy(words, before)
        self._cache[words] = state
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return state

    def _method(self, words: tuple[str, ...], before: list[int]) -> _State | None:
        word = words[-1]
        if word not in STRICT_METHODS:
            return None
        methods = self._methods
        found = [i for i in before if methods[i] == word]
        return _State(words, "method", found, found) if found else None

    def _superset(self, words: tuple[str, ...], mode: str, before: list[int]) -> list[int]:
        word, base = words[-1], before
        for cached in self._cache.values():
            if (
                cached.mode == mode
                and len(cached.words) == len(words)
                and cached.words[:-1] == words[:-1]
                and word.startswith(cached.words[-1])
                and (mode != "fuzzy" or len(cached.words[-1]) >= TYPO_MIN or len(word) < TYPO_MIN)
                and len(cached.loose) < len(base)
            ):
                base = cached.loose
        return base

    def _substring(self, words: tuple[str, ...], before: list[int]) -> _State | None:
        word, hay = words[-1], self._hay
        found = [i for i in self._superset(words, "substring", before) if word in hay[i]]
        if not found and len(word) > 1:
            return None
        return _State(words, "substring", found, found)

    def _lines(self, pattern: re.Pattern[str], base: list[int]) -> list[int]:
        """The operations of `base` whose haystack `pattern` finds (which must never match
        across a line break)."""
        if len(base) < _SCAN_ALL:
            hay = self._hay
            return [i for i in base if pattern.search(hay[i])]
        joined, offsets, found = self._joined, self._offsets, []
        pos, end = 0, len(joined)
        while pos < end:
            m = pattern.search(joined, pos)
            if m is None:
                break
            line = bisect.bisect_right(offsets, m.start()) - 1
            found.append(line)
            pos = offsets[line + 1]
        if len(base) == len(self._hay):
            return found
        wanted = set(base)
        return [i for i in found if i in wanted]

    def _fuzzy(self, words: tuple[str, ...], before: list[int]) -> _State:
        word, hay = words[-1], self._hay
        base = self._superset(words, "fuzzy", before)
        subsequence = _subsequence(word)
        if len(word) < TYPO_MIN:
            loose = self._lines(subsequence, base)
            return _State(words, "fuzzy", loose, loose)
        typo = _typo_pattern(word).search
        # one typo leaves the first k or the last k letters alone (k=3 from 7 letters on)
        k = 3 if len(word) >= 7 else 2
        head, tail = word[:k], word[-k:]
        with_typo = [i for i in base if (head in hay[i] or tail in hay[i]) and typo(hay[i])]
        marked = set(with_typo)
        loose = sorted(marked.union(self._lines(subsequence, base)))
        return _State(words, "fuzzy", with_typo or loose, loose)

    # -- ranking -------------------------------------------------------------------------

    def _rank(self, words: tuple[str, ...], matched: list[int]) -> list[int]:
        if len(matched) < 2:
            return matched
        starts = [re.compile(r"(?:^|[^a-z0-9])" + re.escape(w)) for w in words]
        hay, methods, groups = self._hay, self._methods, self._groups
        method_words = [w for w in words if w in STRICT_METHODS]

        def score(i: int) -> tuple[int, int, int]:
            h = hay[i]
            s = sum(
                2 if p.search(h) else (1 if w in h else 0)
                for p, w in zip(starts, words, strict=True)
            )
            if method_words and methods[i] in method_words:
                s += 1
            return (groups[i], -s, i)

        return sorted(matched, key=score)
