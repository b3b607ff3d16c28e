"""The YAML side of reading documents: PyYAML's safe loader (the C one where present)
with mapping keys kept as text and timestamps kept as strings; duplicate keys noted;
alias bombs refused. Imported only when a YAML document is read.

Aliases let a small file stand for a huge document (a 614-byte file can spell out 19
million nodes). PyYAML shares an aliased part rather than copying it, so parsing stays
cheap, but whatever walks or writes the document later (the cache, the mock, the window)
pays for the whole expansion. So a document whose expansion is larger than a small
multiple of its file's size, or has more than `MAX_NODES` nodes, is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import yaml

from explorer.errors import Location, ParseError, StructureError
from explorer.spec._source import _utf8_error, pointers_of

__all__ = [
    "EXPANSION_FLOOR",
    "MAX_EXPANSION",
    "MAX_NODES",
    "YamlDocument",
    "parse_yaml",
    "read_yaml",
]

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


MAX_NODES = 20_000_000
"""A parsed YAML document may expand (through aliases) to at most this many nodes."""
MAX_EXPANSION = 10
"""... and to at most this many times its file's size (counted as compact JSON) ..."""
EXPANSION_FLOOR = 64 * 1024
"""... or this many bytes, for small files."""

_MERGE = "tag:yaml.org,2002:merge"
# Tags whose keys are read as their text; any other tag on a key (`!!python/name:...`,
# a local `!tag`) goes through the safe constructor, which refuses it.
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge")
)


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML document and its duplicate keys: (the mapping's JSON pointer, the key,
    its 1-based line), for every key that appears again in the same mapping."""

    doc: Any
    duplicates: tuple[tuple[str, str, int], ...] = ()


class _Loader(_BaseLoader):
    """Safe loader whose mapping keys keep their text and whose timestamps stay strings;
    it notes keys that a mapping repeats (the last one wins, as in JSON)."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[dict[str, Any], str, int]] = []
        """(the mapping, the repeated key, its line); the mapping is held, so its id holds."""
        self._merged: dict[int, set[int]] = {}
        """For each flattened mapping node, the key nodes that `<<` merges brought in."""

    def flatten_mapping(self, node: Any) -> None:
        before = {id(key) for key, _ in node.value}
        super().flatten_mapping(node)
        merged = {id(key) for key, _ in node.value} - before
        if merged:
            self._merged.setdefault(id(node), set()).update(merged)

    def _mapping(self, node: Any, deep: bool) -> tuple[dict[Any, Any], list[tuple[str, int]]]:
        """The mapping of a node and the keys it repeats. A key that a `<<` merge brought
        in and the mapping then sets itself is an override, not a repetition."""
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        merged = self._merged.get(id(node), ())
        mapping: dict[Any, Any] = {}
        own: set[Any] = set()
        repeated: list[tuple[str, int]] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag in _CORE_TAGS:
                key: Any = key_node.value
            else:
                key = str(self.construct_object(key_node, deep=True))
            if id(key_node) not in merged:
                if key in own:
                    repeated.append((key, key_node.start_mark.line + 1))
                own.add(key)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping, repeated

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        mapping, repeated = self._mapping(node, deep)
        self.duplicates.extend((mapping, key, line) for key, line in repeated)
        return mapping

    def construct_yaml_map(self, node: Any) -> Any:
        data: dict[Any, Any] = {}
        yield data
        mapping, repeated = self._mapping(node, False)
        data.update(mapping)
        self.duplicates.extend((data, key, line) for key, line in repeated)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)


def _yaml_error(exc: yaml.YAMLError, source: str) -> ParseError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    text = f"{context}, {problem}" if context else str(problem)
    if mark is not None:
        return ParseError(
            f"invalid YAML: {text}", Location(source, line=mark.line + 1, column=mark.column + 1)
        )
    return ParseError(f"invalid YAML: {text}", Location(source))


def _check_expansion(doc: Any, source: str, file_size: int) -> None:
    """Refuse documents that expand past MAX_NODES or past MAX_EXPANSION times the file's
    size (YAML alias bombs), or contain themselves (recursive aliases). Aliases share one
    object, so each is sized once: this takes time in the number of distinct nodes,
    however far the aliases would expand. Sizes are those of compact JSON, roughly."""
    if not isinstance(doc, dict | list):
        return
    limit = max(MAX_EXPANSION * file_size, EXPANSION_FLOOR)
    nodes: dict[int, int] = {}
    sizes: dict[int, int] = {}
    open_ids: set[int] = set()
    stack: list[tuple[Any, bool]] = [(doc, False)]
    while stack:
        node, finished = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        nid = id(node)
        if finished:
            count, size = 1, 2
            if isinstance(node, dict):
                size += sum(len(k) + 4 for k in node)  # keys are text: "key":...,
            for child in children:
                cid = id(child)
                if cid in nodes:
                    count += nodes[cid]
                    size += sizes[cid]
                else:
                    count += 1
                    size += len(child) + 3 if isinstance(child, str) else 6
            if count > MAX_NODES:
                raise StructureError(
                    f"the document expands to too many nodes (more than {MAX_NODES:,}; "
                    "YAML aliases used as a bomb?)",
                    Location(source),
                )
            if size > limit:
                raise StructureError(
                    f"YAML aliases expand the document to more than {MAX_EXPANSION} times "
                    "its size (an alias bomb?); it was not read",
                    Location(source),
                )
            nodes[nid] = count
            sizes[nid] = size
            open_ids.discard(nid)
            continue
        if nid in nodes:
            continue
        if nid in open_ids:
            raise StructureError(
                "the document contains itself (a recursive YAML alias)", Location(source)
            )
        open_ids.add(nid)
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, dict | list))


def parse_yaml(data: bytes, source: str) -> Any:
    """The parsed YAML document (see `read_yaml`)."""
    return read_yaml(data, source).doc


def read_yaml(data: bytes, source: str) -> YamlDocument:
    """Parse YAML bytes safely (see the module docstring), noting duplicate keys; raises a
    `SpecError` kind."""
    loaders: list[_Loader] = []

    def loader(stream: Any) -> _Loader:
        made = _Loader(stream)
        loaders.append(made)
        return made

    try:
        doc = yaml.load(data, Loader=cast(Any, loader))
    except yaml.YAMLError as exc:
        if isinstance(exc, yaml.reader.ReaderError):
            raise (_utf8_error(data, source) or _yaml_error(exc, source)) from None
        raise _yaml_error(exc, source) from None
    except RecursionError:
        raise StructureError("the document is nested too deeply", Location(source)) from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise ParseError(f"invalid YAML: {exc}", Location(source)) from None
    _check_expansion(doc, source, len(data))
    found = loaders[0].duplicates if loaders else []
    if not found:
        return YamlDocument(doc)
    where = pointers_of(doc, {id(mapping) for mapping, _, _ in found})
    return YamlDocument(
        doc,
        tuple(
            (where[id(mapping)], key, line) for mapping, key, line in found if id(mapping) in where
        ),
    )
