"""From a request path to an operation: base paths, literal paths, templated paths (used by
the mock to route requests and by the window to link a typed URL to its endpoint).

The table is built from the operation index alone (method and path template of each
operation), which the spec engine reads when the document loads: nothing about an
operation is resolved here. Literal paths are one dict lookup; templated paths walk a
segment trie where a literal segment wins over a templated one (as OpenAPI asks), with
backtracking when the literal branch leads nowhere.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from explorer.spec.model import Operation, Server, Spec

__all__ = ["Match", "Router", "base_paths", "match_server", "router_for", "server_path"]

_PARAM = re.compile(r"\{([^{}]+)\}")
MATCH_TIMEOUT = 0.05
"""Seconds `match_server` may take before it gives up (no match)."""


def server_path(server: Server) -> str | None:
    """The path part of a server URL, variables at their defaults ("/api"; "" for "/")."""
    try:
        url = server.resolve()
        path = urlsplit(url).path if "://" in url else url.split("?", 1)[0]
    except ValueError:
        return None
    return unquote("/" + path.strip("/")) if path.strip("/") else ""


def match_server(server: Server, url: str) -> dict[str, str] | None:
    """The variable values that turn `server` into `url`, or None when it cannot (or when
    deciding takes longer than `MATCH_TIMEOUT`: a document's template such as
    "{a}.{b}.{c}.{d}.{e}.{f}" makes a backtracking match exponential, and this runs on
    the window's thread as a URL is typed)."""
    import regex

    want = url.rstrip("/")
    pattern = ""
    pos = 0
    names: list[str] = []
    template = server.url.rstrip("/")
    for m in _PARAM.finditer(template):
        pattern += regex.escape(template[pos : m.start()])
        name = m.group(1)
        if name in names:
            pattern += f"(?P=v{names.index(name)})"
        else:
            pattern += f"(?P<v{len(names)}>[^/]*)"
            names.append(name)
        pos = m.end()
    pattern += regex.escape(template[pos:])
    try:
        found = regex.fullmatch(pattern, want, timeout=MATCH_TIMEOUT)
    except TimeoutError:
        return None
    if found is None:
        return None
    values = {name: found.group(f"v{i}") for i, name in enumerate(names)}
    for var in server.variables:
        if var.enum and var.name in values and values[var.name] not in var.enum:
            return None
    return values


def base_paths(api: Spec) -> tuple[str, ...]:
    """The path prefixes the API is served under, longest first ("" for the root).

    Taken from each server URL with its variables at their defaults: "/api" from
    "https://api.ecosire.com/api", "/v1.53" from a Swagger 2.0 basePath, "" from "/".
    """
    found = {p for p in (server_path(s) for s in api.servers) if p is not None}
    found.add("")
    return tuple(sorted(found, key=lambda p: (-len(p), p)))


@dataclass(frozen=True)
class Match:
    """A path that names a known path template."""

    template: str
    params: dict[str, str]
    methods: dict[str, Operation]  # upper-case method -> operation
    base: str = ""  # the base path the request came under


@dataclass
class _Segment:
    """One templated segment: its regex and the names of the parameters it holds."""

    text: str
    regex: re.Pattern[str]
    names: tuple[str, ...]


@dataclass
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    templated: list[tuple[_Segment, _Node]] = field(default_factory=list)
    template: str | None = None


def _segment(text: str) -> _Segment:
    names: list[str] = []
    pattern = ""
    pos = 0
    for m in _PARAM.finditer(text):
        pattern += re.escape(text[pos : m.start()])
        pattern += f"(?P<p{len(names)}>.+?)"
        names.append(m.group(1))
        pos = m.end()
    pattern += re.escape(text[pos:])
    return _Segment(text, re.compile(f"^{pattern}$", re.DOTALL), tuple(names))


def _split(path: str) -> list[str]:
    """Segments of a path; "/a/b/" and "/a/b" are the same path."""
    stripped = path.strip("/")
    return stripped.split("/") if stripped else []


class Router:
    """Finds the operations of a request path. Cheap to build: no schema is read."""

    def __init__(self, api: Spec) -> None:
        self.base_paths = base_paths(api)
        self._by_template: dict[str, dict[str, Operation]] = {}
        for op in api.operations:
            self._by_template.setdefault(op.path, {})[op.method.upper()] = op
        self._literal: dict[tuple[str, ...], str] = {}
        self._root = _Node()
        for template in self._by_template:
            segments = _split(template)
            if not _PARAM.search(template):
                self._literal.setdefault(tuple(segments), template)
                continue
            node = self._root
            for text in segments:
                if "{" in text and _PARAM.search(text):
                    child = next((n for s, n in node.templated if s.text == text), None)
                    if child is None:
                        child = _Node()
                        node.templated.append((_segment(text), child))
                        # Plain "{id}" segments last: "{id}.json" is the more specific one.
                        node.templated.sort(
                            key=lambda sn: (
                                sn[0].text.startswith("{")
                                and sn[0].text.endswith("}")
                                and sn[0].text.count("{") == 1
                            )
                        )
                else:
                    child = node.literal.setdefault(text, _Node())
                node = child
            if node.template is None:
                node.template = template

    def match(self, raw_path: str, method: str | None = None) -> Match | None:
        """The operations for a request path (percent-encoded, as sent), or None.

        The most specific template wins (a literal segment before a templated one, as
        OpenAPI asks); look-alike templates that differ from it only in their parameters'
        names (`GET /x/{id}`, `POST /x/{name}`) are all tried: the first that has `method`
        wins. Where none has it, the match has the methods of all of them (a 405's Allow)."""
        for base in self.base_paths:
            if base:
                if raw_path != base and not raw_path.startswith(base + "/"):
                    continue
                rest = raw_path[len(base) :]
            else:
                rest = raw_path
            found = self.match_path(rest, method)
            if found is not None:
                return Match(found.template, found.params, found.methods, base)
        return None

    def match_path(self, rest: str, method: str | None = None) -> Match | None:
        """The operations of a path already taken from under its base, or None (see
        `match` for `method`)."""
        segments = [unquote(s) for s in _split(rest)]
        found: list[Match] = []
        template = self._literal.get(tuple(segments))
        if template is not None:
            found.append(Match(template, {}, self._by_template[template]))
        for node, params in self._walk(self._root, segments, 0, {}):
            if node.template is not None:
                found.append(Match(node.template, params, self._by_template[node.template]))
            if len(found) >= _MAX_MATCHES:
                break
        if not found:
            return None
        shape = _PARAM.sub("{}", found[0].template)
        found = [m for m in found if _PARAM.sub("{}", m.template) == shape]
        wanted = method.upper() if method else None
        for match in found:
            if wanted is None or wanted in match.methods:
                return match
        methods: dict[str, Operation] = {}
        for match in reversed(found):
            methods.update(match.methods)
        first = found[0]
        return Match(first.template, first.params, methods)

    def _walk(
        self, node: _Node, segments: list[str], index: int, params: dict[str, str]
    ) -> Iterator[tuple[_Node, dict[str, str]]]:
        """Every node the segments lead to (with the parameters taken on the way), most
        specific first."""
        if index == len(segments):
            if node.template is not None:
                yield node, params
            return
        text = segments[index]
        child = node.literal.get(text)
        if child is not None:
            yield from self._walk(child, segments, index + 1, params)
        for seg, sub in node.templated:
            m = seg.regex.match(text)
            if m is None or not text:
                continue
            values = {name: m.group(f"p{i}") for i, name in enumerate(seg.names)}
            yield from self._walk(sub, segments, index + 1, {**params, **values})


_MAX_MATCHES = 64
_ROUTERS: weakref.WeakKeyDictionary[Spec, Router] = weakref.WeakKeyDictionary()


def router_for(api: Spec) -> Router:
    """The router of a document, built once and kept as long as the document lives."""
    router = _ROUTERS.get(api)
    if router is None:
        router = _ROUTERS[api] = Router(api)
    return router
