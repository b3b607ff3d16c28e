"""What a schema is, in short: the one reading of its type, and descriptions made from it.

Every reading of a schema's `type` goes through `schema_types` (or `main_type`, its first
non-null type): the form's field kinds, `sample()`, the docs' type labels, the mock's
coercion of parameters. So `type: [string, null]` (3.1), `nullable: true` (3.0),
`x-nullable: true` (2.0) and a type left out but implied by `properties` or `items`
read the same everywhere.

    >>> schema_types({"type": "string", "nullable": True})     # ['string', 'null']
    >>> main_type({"type": ["null", "integer"]})               # 'integer'
    >>> main_type({"properties": {"a": {}}})                   # 'object'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["main_type", "schema_types"]


def schema_types(schema: Mapping[str, Any]) -> list[str]:
    """The types a schema allows, in its order: `type` as a string or a list (strings
    only), else implied by its shape ("object" for `properties`/`additionalProperties`,
    "array" for `items`); "null" added for `nullable: true` (3.0) or `x-nullable: true`
    (2.0). Empty when the schema says nothing about its type."""
    raw = schema.get("type")
    if isinstance(raw, str):
        types = [raw]
    elif isinstance(raw, list):
        types = [t for t in raw if isinstance(t, str)]
    else:
        types = []
    if not types:
        if "properties" in schema or "additionalProperties" in schema:
            types = ["object"]
        elif "items" in schema:
            types = ["array"]
    nullable = schema.get("nullable") is True or schema.get("x-nullable") is True
    if types and nullable and "null" not in types:
        types.append("null")
    return types


def main_type(schema: Mapping[str, Any]) -> str | None:
    """The type a value of the schema has when it is not null: the first of
    `schema_types` other than "null" ("null" when that is all; None when there is none)."""
    types = schema_types(schema)
    return next((t for t in types if t != "null"), types[0] if types else None)
