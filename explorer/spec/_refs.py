"""Following `$ref`s: local pointers, other files, and, with the caller's consent,
http(s) URLs.

Other documents are all read up front, by `read_documents` (which `load()` calls, off the
window's thread): every document a reference can reach, transitively. Resolving an
operation later never reads a file or the network. What may be read:
- a file in the root document's folder tree (by real path, symbolic links resolved),
  any other file only with `allow_outside`; a regular file in any case (never a named
  pipe, a device, a socket or a folder), of at most `MAX_REFERENCED_BYTES`;
- an http(s) URL with `allow_remote` (or, for a document opened from a URL, on its own
  origin), never redirected to another origin; a document from the web never refers to
  a local file.
At most `MAX_DOCUMENTS` documents of `MAX_REFERENCED_TOTAL` bytes in all. A reference
that may not or cannot be read becomes a warning (with the pointer where it is used and
the file that refers) and an unresolved marker when it is resolved, never an error.

Nothing in an operation is resolved up front. `Resolver.follow` takes one step (for
parameter, response and example objects, which may themselves be references);
`Resolver.deep` hands back a schema with every reference inside it followed. Where
references go round in a cycle, a schema is spelled out once and then shows as a marker
`{CYCLE_KEY: ref}` rather than endless recursion (see "cycles" below: the result never
depends on what was resolved before); a reference that cannot be followed becomes
`{UNRESOLVED_KEY: ref}` and a warning. Deeply resolved targets are kept, so a schema used
by many operations is resolved once.
"""

from __future__ import annotations

import os
import re
import threading
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import orjson

from explorer.errors import Location, RefError, SpecError
from explorer.jsonpointer import escape_token, unescape_token
from explorer.spec._fetch import fetch, origin
from explorer.spec._source import Duplicate, clip, is_url, parse, read_file
from explorer.spec.model import CYCLE_KEY, REF_KEY, UNRESOLVED_KEY, SpecWarning

__all__ = [
    "MAX_DEPTH",
    "MAX_DOCUMENTS",
    "MAX_REFERENCED_BYTES",
    "MAX_REFERENCED_TOTAL",
    "Resolver",
]

MAX_DEPTH = 200
"""Schemas nested deeper than this are cut off (with a warning)."""
MAX_DOCUMENTS = 1000
"""At most this many other documents are read for one root document."""
MAX_REFERENCED_BYTES = 32 * 1024 * 1024
"""The largest document a reference may name."""
MAX_REFERENCED_TOTAL = 128 * 1024 * 1024
"""The documents references name may take this many bytes in all."""
MAX_DUPLICATE_WARNINGS = 100
"""Duplicate keys warned about per document; the rest are counted in one more warning."""
TRUNCATED_KEY = "x-explorer-truncated"
CYCLE_HOPS = 2
"""Inside a cycle, how many references deep schemas are spelled out before a marker."""

# Keys whose values are literal data, never schemas, unless they name a property.
_LITERAL_KEYS = frozenset({"example", "examples", "default", "enum", "const", "x-examples"})
# Keys whose values are maps of name -> schema (so their keys are names, not keywords).
_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)


_REF_IN_JSON = re.compile(rb'"\$ref":"([^"\\]*(?:\\.[^"\\]*)*)"')
OUTSIDE = (
    "outside the document's folder; not read (allow references outside the document to follow it)"
)
REMOTE = "remote reference not fetched (allow remote references to follow it)"


def _unescape(token: str) -> str:
    if "%" in token:
        token = unquote(token)
    if "~" in token:
        token = unescape_token(token)
    return token


class Resolver:
    """The root document and every document a `$ref` reaches, keyed by URI."""

    def __init__(
        self,
        root_uri: str,
        root: Any,
        warnings: list[SpecWarning],
        *,
        allow_remote: bool = False,
        allow_outside: bool = False,
        cache_dir: Path | None = None,
    ) -> None:
        self.root_uri = root_uri
        self._docs: dict[str, Any] = {root_uri: root}
        self._failed: dict[str, SpecError] = {}
        self._deep_cache: dict[tuple[str, str], Any] = {}
        self._edges: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._component: dict[tuple[str, str], int] = {}
        self._component_sizes: list[int] = []
        self._warned: set[str] = set()
        self._read_total = 0
        self.warnings = warnings
        self.allow_remote = allow_remote
        self.allow_outside = allow_outside
        self.cache_dir = cache_dir
        self._folders = self._root_folders(root_uri)
        self._lock = threading.RLock()

    # -- documents -----------------------------------------------------------------
    @staticmethod
    def _root_folders(root_uri: str) -> tuple[str, ...]:
        """The real folders whose trees local references may read: the root document's
        folder (by its path and by its real path); the working folder for a document
        read from memory; none for a document read from the web."""
        if is_url(root_uri):
            return ()
        if root_uri.startswith("<"):
            return (os.path.realpath(os.getcwd()),)
        path = os.path.abspath(root_uri)
        folders = (
            os.path.realpath(os.path.dirname(path)),
            os.path.dirname(os.path.realpath(path)),
        )
        return tuple(dict.fromkeys(folders))

    def _join(self, base: str, ref_file: str) -> str:
        if is_url(ref_file):
            return ref_file
        if is_url(base):
            return urljoin(base, ref_file)
        base_dir = os.getcwd() if base.startswith("<") else os.path.dirname(os.path.abspath(base))
        return os.path.normpath(os.path.join(base_dir, unquote(ref_file)))

    def _may_fetch(self, uri: str) -> bool:
        if self.allow_remote:
            return True
        if is_url(self.root_uri):  # the user chose to open a URL: its own origin is fine
            own = origin(self.root_uri)
            return own is not None and origin(uri) == own
        return False

    def _inside(self, path: str) -> bool:
        """Whether a path is, by its real path, in the root document's folder tree."""
        try:
            real = os.path.realpath(path)
            return any(os.path.commonpath([real, f]) == f for f in self._folders)
        except ValueError:  # a NUL in the name, another drive
            return False

    def _read(self, uri: str, base: str) -> bytes:
        """The bytes of a referenced document, if the rules above let it be read."""
        room = min(MAX_REFERENCED_BYTES, MAX_REFERENCED_TOTAL - self._read_total)
        if len(self._docs) + len(self._failed) > MAX_DOCUMENTS:
            raise RefError(f"more than {MAX_DOCUMENTS} documents referenced; not read")
        if room <= 0:
            raise RefError(
                f"the referenced documents exceed {MAX_REFERENCED_TOTAL // 2**20} MB in all; "
                "not read"
            )
        if is_url(uri):
            if not self._may_fetch(uri):
                raise RefError(REMOTE, Location(uri))
            data = fetch(uri, max_bytes=room, same_origin=True).data
        elif is_url(base):
            raise RefError("a document from the web cannot refer to a local file; not read")
        else:
            if not self.allow_outside and not self._inside(uri):
                raise RefError(OUTSIDE, Location(uri))
            data = read_file(uri, max_bytes=room)
        self._read_total += len(data)
        return data

    def read_documents(self, refs: Iterable[str]) -> None:
        """Read every document that `refs` (made in the root document) reach, transitively
        (see the module docstring). What cannot be read is kept as the error that its
        references will report when they are resolved."""
        queue = deque((ref, self.root_uri) for ref in refs)
        while queue:
            ref, base = queue.popleft()
            uri = self.split(ref, base)[0]
            if uri in self._docs or uri in self._failed:
                continue
            try:
                parsed = parse(self._read(uri, base), uri, cache_dir=self.cache_dir)
            except SpecError as exc:
                error = exc if isinstance(exc, RefError) else RefError(exc.message, exc.location)
                self._failed[uri] = error
                continue
            self._docs[uri] = parsed.doc
            self.warn_duplicates(parsed.duplicates, uri)
            queue.extend((inner, uri) for inner in parsed.refs)

    def warn_duplicates(self, duplicates: Iterable[Duplicate], source: str) -> None:
        """A warning for each key an object of the document repeats (the last one wins)."""
        found = list(duplicates)
        for dup in found[:MAX_DUPLICATE_WARNINGS]:
            if not dup.key and not dup.pointer:
                self.warn(
                    "duplicate keys in the document: only the last of each is used", "", source
                )
                continue
            line = f" (line {dup.line})" if dup.line else ""
            self.warn(
                f"duplicate key {clip(dup.key)!r}: only the last one is used{line}",
                f"{dup.pointer}/{escape_token(dup.key)}",
                source,
            )
        if len(found) > MAX_DUPLICATE_WARNINGS:
            self.warn(
                f"{len(found) - MAX_DUPLICATE_WARNINGS} more duplicate keys "
                "(only the last of each is used)",
                "",
                source,
            )

    def consent_needed(self) -> tuple[str, ...]:
        """The kinds of references refused for want of consent ("outside", "remote")."""
        kinds = {
            {OUTSIDE: "outside", REMOTE: "remote"}[error.message]
            for error in self._failed.values()
            if error.message in (OUTSIDE, REMOTE)
        }
        return tuple(sorted(kinds))

    def document(self, uri: str) -> Any:
        """The parsed document at a URI; never reads (see `read_documents`)."""
        if uri in self._docs:
            return self._docs[uri]
        if uri in self._failed:
            raise self._failed[uri]
        raise RefError("not read when the document was opened", Location(uri))

    @property
    def documents(self) -> tuple[str, ...]:
        """URIs of every document read so far (the root first)."""
        return tuple(self._docs)

    # -- pointers ------------------------------------------------------------------
    def split(self, ref: str, base: str) -> tuple[str, str]:
        """(document URI, JSON pointer) of a reference made in document `base`."""
        file_part, _, fragment = ref.partition("#")
        uri = self._join(base, file_part) if file_part else base
        return uri, fragment

    def lookup(self, ref: str, base: str) -> tuple[Any, str]:
        """The target of a reference and the URI of its document."""
        uri, pointer = self.split(ref, base)
        return self.target(uri, pointer, ref, base), uri

    def target(self, uri: str, pointer: str, ref: str = "", base: str = "") -> Any:
        """The node at a JSON pointer in the document at `uri`."""
        ref = ref or f"{uri}#{pointer}"
        node = self.document(uri)
        if pointer and not pointer.startswith("/"):
            raise RefError(
                f"unsupported reference {clip(ref)!r}", Location(base or uri, pointer=clip(pointer))
            )
        walked = ""
        for raw in pointer.split("/")[1:]:
            token = _unescape(raw)
            walked += "/" + raw
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise RefError(
                    f"reference target not found: {clip(ref)}", Location(uri, clip(walked))
                )
        return node

    def warn(self, message: str, pointer: str = "", source: str = "") -> None:
        """Add a warning (once); text from the document is cut to a readable length."""
        message, pointer = clip(message, 500), clip(pointer, 500)
        key = f"{message}|{pointer}|{source}"
        if key not in self._warned:
            self._warned.add(key)
            self.warnings.append(SpecWarning(message, pointer, source))

    # -- following -----------------------------------------------------------------
    def follow(self, node: Any, base: str, pointer: str = "") -> tuple[Any, str]:
        """Follow a chain of references to a non-reference node; (node, its document).

        A reference that cannot be followed gives (None, base) and a warning.
        """
        seen: set[tuple[str, str]] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            key = self.split(ref, base)
            if key in seen or len(seen) > 64:
                self.warn(f"reference loop: {clip(ref)}", pointer, base)
                return None, base
            seen.add(key)
            try:
                node, base = self.lookup(ref, base)
            except SpecError as exc:
                self.warn(f"unresolved reference {clip(ref)}: {exc.message}", pointer, base)
                return None, base
        return node, base

    def deep(self, node: Any, base: str, pointer: str = "") -> Any:
        """`node` with every `$ref` inside it followed (see module docstring).

        Parts without references are handed back as they are, not copied: the result
        shares them with the document, so treat it as read-only.
        """
        if not isinstance(node, dict | list):
            return node
        return self._deep(node, base, pointer, None, 0, False)

    def _deep(
        self,
        node: dict[str, Any] | list[Any],
        base: str,
        pointer: str,
        entry: _Entry | None,
        depth: int,
        names: bool,
    ) -> Any:
        """`deep` for a dict or list; `names` when its keys are names (of properties ...)."""
        if depth > MAX_DEPTH:
            self.warn(f"schema nested deeper than {MAX_DEPTH} levels; cut off", pointer, base)
            return {TRUNCATED_KEY: True}
        depth += 1
        if isinstance(node, list):
            new_list: list[Any] | None = None
            for i, v in enumerate(node):
                if isinstance(v, dict | list):
                    r = self._deep(v, base, pointer, entry, depth, False)
                    if r is not v:
                        if new_list is None:
                            new_list = list(node)
                        new_list[i] = r
            return node if new_list is None else new_list
        ref = node.get("$ref")
        if not names and isinstance(ref, str):
            resolved = self._deep_ref(ref, base, pointer, entry, depth)
            if len(node) > 1 and isinstance(resolved, dict):
                # siblings of $ref (3.1, or descriptions in practice) win over the target
                siblings = {k: v for k, v in node.items() if k != "$ref"}
                extra = self._deep(siblings, base, pointer, entry, depth, False)
                return {**resolved, **extra}
            return resolved
        new: dict[str, Any] | None = None
        for k, v in node.items():
            if isinstance(v, dict | list) and (names or k not in _LITERAL_KEYS):
                r = self._deep(v, base, pointer, entry, depth, not names and k in _SCHEMA_MAPS)
                if r is not v:
                    if new is None:
                        new = dict(node)
                    new[k] = r
        return node if new is None else new

    # -- cycles ----------------------------------------------------------------------
    #
    # What a reference resolves to must not depend on what was resolved before it. So
    # references are grouped into strongly connected components (schemas that can reach
    # each other, i.e. the cycles). A reference into another component is resolved as an
    # "entry" of its own and kept. Inside one component, each schema is spelled out once
    # per entry, in document order; every further reference to it, above or beside, is a
    # cycle marker. Each entry costs time linear in its component, and the same entry
    # always gives the same result.

    def follow_marker(self, ref: str, base: str) -> Any:
        """The target of a cycle marker, resolved as an entry of its own (kept). Markers
        are followed from the mock's worker threads too: one at a time."""
        with self._lock:
            return self._deep_ref(ref, base, "", None, 0)

    def _deep_ref(self, ref: str, base: str, pointer: str, entry: _Entry | None, depth: int) -> Any:
        """The deeply resolved target of one reference, a cycle marker, or an unresolved one."""
        key = self.split(ref, base)
        if entry is not None and self._component.get(key) == entry.component:
            if key in entry.spelled or entry.hops >= CYCLE_HOPS:
                name = _unescape(key[1].rsplit("/", 1)[-1]) or ref
                return CycleMarker({CYCLE_KEY: ref, "title": name}, self, ref, base)
            entry.spelled.add(key)
            entry.hops += 1
            try:
                return self._spell(ref, key, base, pointer, entry, depth)
            finally:
                entry.hops -= 1
        if key in self._deep_cache:
            known = self._deep_cache[key]
            if isinstance(known, dict) and UNRESOLVED_KEY in known:  # each use is reported
                self.warn(
                    f"unresolved reference {clip(ref)}: {known['description']}", pointer, base
                )
            return known
        self._components_from(key)
        resolved = self._spell(ref, key, base, pointer, _Entry(self._component[key], key), depth)
        self._deep_cache[key] = resolved
        return resolved

    def _spell(
        self, ref: str, key: tuple[str, str], base: str, pointer: str, entry: _Entry, depth: int
    ) -> Any:
        try:
            target, target_uri = self.lookup(ref, base)
        except SpecError as exc:
            self.warn(f"unresolved reference {clip(ref)}: {exc.message}", pointer, base)
            return {UNRESOLVED_KEY: ref, "description": exc.message}
        if isinstance(target, dict | list):
            resolved = self._deep(target, target_uri, key[1], entry, depth, False)
        else:
            resolved = target
        if isinstance(resolved, dict) and REF_KEY not in resolved:
            resolved = {**resolved, REF_KEY: ref}
        return resolved

    def _targets(self, key: tuple[str, str]) -> list[tuple[str, str]]:
        """The references made inside the schema a key points at (not followed)."""
        known = self._edges.get(key)
        if known is not None:
            return known
        out: list[tuple[str, str]] = []
        uri = key[0]
        try:
            target = self.target(uri, key[1])
        except SpecError:
            self._edges[key] = out
            return out
        if isinstance(target, dict | list):
            try:
                text = orjson.dumps(target)
            except (orjson.JSONEncodeError, TypeError):  # too deep, odd keys: walk it below
                pass
            else:
                # Fast, and a superset: a "$ref" string inside an example counts too, which
                # at worst joins two cycles into one component.
                for raw in _REF_IN_JSON.findall(text):
                    inner = orjson.loads(b'"' + raw + b'"') if b"\\" in raw else raw.decode()
                    out.append(self.split(inner, uri))
                self._edges[key] = out
                return out
        stack: list[tuple[Any, bool]] = [(target, False)]
        while stack:
            node, names = stack.pop()
            if isinstance(node, list):
                stack.extend((v, False) for v in node if isinstance(v, dict | list))
            elif isinstance(node, dict):
                inner = node.get("$ref")
                if not names and isinstance(inner, str):
                    out.append(self.split(inner, uri))
                for k, v in node.items():
                    if isinstance(v, dict | list) and (names or k not in _LITERAL_KEYS):
                        stack.append((v, not names and k in _SCHEMA_MAPS))
        self._edges[key] = out
        return out

    def _components_from(self, start: tuple[str, str]) -> None:
        """Number the strongly connected components reachable from a key (Tarjan's
        algorithm, without recursion)."""
        if start in self._component:
            return
        index: dict[tuple[str, str], int] = {}
        low: dict[tuple[str, str], int] = {}
        on_stack: set[tuple[str, str]] = set()
        stack: list[tuple[str, str]] = []
        work: list[tuple[tuple[str, str], int]] = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = self._targets(node)
            recurse = False
            while i < len(targets):
                nxt = targets[i]
                i += 1
                if nxt in self._component:
                    continue
                if nxt not in index:
                    work.append((node, i))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                number = len(self._component_sizes)
                size = 0
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    self._component[member] = number
                    size += 1
                    if member == node:
                        break
                self._component_sizes.append(size)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])


class CycleMarker(dict[str, Any]):
    """A cycle marker (`{CYCLE_KEY: ref, "title": name}`, plain data to every reader) that
    can also be followed: `follow()` is the target resolved as an entry of its own (kept,
    so following the same marker again costs a lookup). See `model.follow_cycle`."""

    __slots__ = ("_base", "_ref", "_resolver")

    def __init__(self, data: dict[str, Any], resolver: Resolver, ref: str, base: str) -> None:
        super().__init__(data)
        self._resolver = resolver
        self._ref = ref
        self._base = base

    def follow(self) -> Any:
        """The deeply resolved target of the marker's reference."""
        return self._resolver.follow_marker(self._ref, self._base)

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return dict(self)  # a copy is plain data: its keys are strings


class _Entry:
    """One resolution into a component: which schemas it has spelled out already."""

    __slots__ = ("component", "hops", "spelled")

    def __init__(self, component: int, key: tuple[str, str]) -> None:
        self.component = component
        self.spelled = {key}
        self.hops = 0
