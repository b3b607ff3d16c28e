"""The YAML side of reading documents: PyYAML's safe loader (the C one where present)
with mapping keys kept as text and timestamps kept as strings; alias bombs refused.
Imported only when a YAML document is read."""

from __future__ import annotations

from typing import Any

import yaml

from explorer.errors import Location, ParseError, StructureError
from explorer.spec._source import _utf8_error

__all__ = ["MAX_NODES", "parse_yaml"]

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


MAX_NODES = 20_000_000
"""A parsed YAML document may expand (through aliases) to at most this many nodes."""


# Tags whose keys are read as their text; any other tag on a key (`!!python/name:...`,
# a local `!tag`) goes through the safe constructor, which refuses it.
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge")
)


class _Loader(_BaseLoader):
    """Safe loader whose mapping keys keep their text and whose timestamps stay strings."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag in _CORE_TAGS:
                key: Any = key_node.value
            else:
                key = str(self.construct_object(key_node, deep=True))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


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


def _count_nodes(doc: Any, source: str) -> None:
    """Refuse documents that expand past MAX_NODES (YAML alias bombs) or contain themselves
    (recursive aliases). Aliases share one object, so each is sized once: this takes time
    in the number of distinct nodes, however far the aliases would expand."""
    if not isinstance(doc, dict | list):
        return
    sizes: dict[int, int] = {}
    open_ids: set[int] = set()
    stack: list[tuple[Any, bool]] = [(doc, False)]
    while stack:
        node, finished = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        nid = id(node)
        if finished:
            size = 1 + sum(sizes.get(id(c), 1) for c in children)
            if size > MAX_NODES:
                raise StructureError(
                    "the document expands to too many nodes (YAML aliases used as a bomb?)",
                    Location(source),
                )
            sizes[nid] = size
            open_ids.discard(nid)
            continue
        if nid in sizes:
            continue
        if nid in open_ids:
            raise StructureError(
                "the document contains itself (a recursive YAML alias)", Location(source)
            )
        open_ids.add(nid)
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, dict | list))


def parse_yaml(data: bytes, source: str) -> Any:
    try:
        doc = yaml.load(data, Loader=_Loader)
    except yaml.YAMLError as exc:
        if isinstance(exc, yaml.reader.ReaderError):
            raise (_utf8_error(data, source) or _yaml_error(exc, source)) from None
        raise _yaml_error(exc, source) from None
    except RecursionError:
        raise StructureError("the document is nested too deeply", Location(source)) from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise ParseError(f"invalid YAML: {exc}", Location(source)) from None
    _count_nodes(doc, source)
    return doc
