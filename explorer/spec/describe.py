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

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from explorer.spec.model import CYCLE_KEY, REF_KEY, UNRESOLVED_KEY, SecurityScheme

__all__ = [
    "SchemaRow",
    "credential_kind",
    "main_type",
    "object_properties",
    "ref_name",
    "schema_facts",
    "schema_rows",
    "schema_types",
    "scheme_summary",
    "simple_variants",
    "type_label",
]


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


def object_properties(schema: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The properties of an object schema and the names it requires, its `allOf` parts
    merged in (what a form or a docs tree shows for it)."""
    props: dict[str, Any] = {}
    required: set[str] = set()
    parts = [schema]
    all_of = schema.get("allOf")
    if isinstance(all_of, list):
        parts += [p for p in all_of if isinstance(p, Mapping)]
    for part in parts:
        raw = part.get("properties")
        if isinstance(raw, Mapping):
            props.update(raw)
        req = part.get("required")
        if isinstance(req, list):
            required.update(str(r) for r in req)
    return props, required


# -- descriptions (the docs) --------------------------------------------------------------


def ref_name(ref: Any) -> str:
    """The last segment of a `$ref` ("#/components/schemas/Contact" -> "Contact")."""
    text = str(ref)
    return text.rsplit("/", 1)[-1] or text


def simple_variants(schema: Mapping[str, Any]) -> list[str] | None:
    """The labels of a oneOf/anyOf whose variants are all plain types, else None."""
    for key in ("oneOf", "anyOf"):
        variants = schema.get(key)
        if isinstance(variants, list) and variants:
            labels: list[str] = []
            for v in variants:
                if not isinstance(v, Mapping) or CYCLE_KEY in v or REF_KEY in v:
                    return None
                types = schema_types(v)
                if not types or any(t in ("object", "array") for t in types):
                    return None
                if any(k in v for k in ("oneOf", "anyOf", "allOf", "properties")):
                    return None
                labels.extend(x for x in type_label(v).split(" | ") if x not in labels)
            return labels
    return None


def type_label(schema: Mapping[str, Any]) -> str:
    """A short type: `string<email>`, `array<Contact>`, `Contact`, `integer | null`."""
    if CYCLE_KEY in schema:
        return f"↻ {ref_name(schema[CYCLE_KEY])}"
    if UNRESOLVED_KEY in schema:
        return f"? {ref_name(schema[UNRESOLVED_KEY])}"
    types = schema_types(schema)
    parts: list[str] = []
    for t in types:
        if t == "array":
            items = schema.get("items")
            inner = type_label(items) if isinstance(items, Mapping) else "any"
            parts.append(f"array<{inner}>")
        elif t == "object" and REF_KEY in schema:
            parts.append(ref_name(schema[REF_KEY]))
        elif t not in ("null",) and isinstance(schema.get("format"), str):
            parts.append(f"{t}<{schema['format']}>")
        else:
            parts.append(t)
    if not parts:
        simple = simple_variants(schema)
        if simple is not None:
            parts.extend(simple)
    if not parts:
        for key, word in (("oneOf", "one of"), ("anyOf", "any of"), ("allOf", "all of")):
            if isinstance(schema.get(key), list):
                parts.append(ref_name(schema[REF_KEY]) if REF_KEY in schema else word)
                break
    if not parts and "const" in schema:
        parts.append("const")
    if not parts and "enum" in schema:
        parts.append("enum")
    label = " | ".join(parts) or "any"
    if schema.get("nullable") is True and "null" not in parts:
        label += " | null"
    return label


def schema_facts(schema: Mapping[str, Any]) -> list[str]:
    """Constraints worth a glance: enum, default, example, bounds, pattern."""
    out: list[str] = []
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        shown = ", ".join(json.dumps(v, ensure_ascii=False, default=str) for v in enum[:12])
        more = f", … {len(enum) - 12} more" if len(enum) > 12 else ""
        out.append(f"one of: {shown}{more}")
    if "const" in schema:
        out.append(f"const: {json.dumps(schema['const'], default=str)}")
    for key, label in (("default", "default"), ("example", "example")):
        if key in schema and not isinstance(schema[key], (dict, list)):
            out.append(f"{label}: {json.dumps(schema[key], ensure_ascii=False, default=str)}")
    for key, label in (
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
    ):
        value = schema.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(f"{label} {value}")
    for key, label in (
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minItems", "min items"),
        ("maxItems", "max items"),
    ):
        if isinstance(schema.get(key), int):
            out.append(f"{label} {schema[key]}")
    if isinstance(schema.get("pattern"), str):
        out.append(f"pattern {schema['pattern']}")
    if schema.get("readOnly") is True:
        out.append("read-only")
    if schema.get("writeOnly") is True:
        out.append("write-only")
    return out


@dataclass(frozen=True)
class SchemaRow:
    """One line of a schema tree: a property (or a variant, or a grouping note) at a depth."""

    depth: int
    name: str
    type: str  # `type_label` of the property's schema
    required: bool = False
    deprecated: bool = False
    description: str = ""  # the schema's whole description, as written (untrusted text)
    facts: tuple[str, ...] = ()  # `schema_facts`
    note: bool = False  # a grouping line ("one of") or a variant, not a property
    repeated: bool = False  # a `$ref` whose fields an earlier row already listed


def schema_rows(
    schema: Mapping[str, Any], max_rows: int, max_depth: int
) -> tuple[list[SchemaRow], bool]:
    """The properties, items and variants of `schema` as rows, depth first, and whether
    the tree was cut (at `max_rows` rows or `max_depth` levels). A `$ref` listed once is
    not listed again (its later rows are `repeated`); cycles end the walk."""
    builder = _TreeBuilder(max_rows, max_depth)
    builder.children(schema, 0)
    return builder.rows, builder.truncated


class _TreeBuilder:
    """Walks a schema into rows, within a budget of rows and depth."""

    def __init__(self, max_rows: int, max_depth: int) -> None:
        self.rows: list[SchemaRow] = []
        self.max_rows = max_rows
        self.max_depth = max_depth
        self.truncated = False
        self.expanded: set[Any] = set()  # $refs whose fields are already listed

    def full(self) -> bool:
        if len(self.rows) >= self.max_rows:
            self.truncated = True
            return True
        return False

    def add(self, row: SchemaRow) -> bool:
        if self.full():
            return False
        self.rows.append(row)
        return True

    def children(self, schema: Mapping[str, Any], depth: int) -> None:
        """The properties, items and variants of a schema, one level below `depth`."""
        if CYCLE_KEY in schema or UNRESOLVED_KEY in schema:
            return
        if depth >= self.max_depth:
            if self._has_children(schema):
                self.truncated = True
            return
        props, required = object_properties(schema)
        for name, sub in props.items():
            if not isinstance(sub, Mapping):
                continue
            if not self.property(name, sub, depth, name in required):
                return
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping) and extra and not self.property("{key}", extra, depth, False):
            return
        items = schema.get("items")
        if (
            isinstance(items, Mapping)
            and not props
            and "array" in schema_types(schema)
            and self._has_children(items)
        ):
            self.children(items, depth)
        for key, word in (("oneOf", "one of"), ("anyOf", "any of")):
            variants = schema.get(key)
            if isinstance(variants, list) and variants and simple_variants(schema) is None:
                if not self.add(SchemaRow(depth, word, "", note=True)):
                    return
                for n, variant in enumerate(variants, 1):
                    if not isinstance(variant, Mapping):
                        continue
                    title = str(variant.get("title") or "")
                    label = title or (
                        ref_name(variant[REF_KEY]) if REF_KEY in variant else f"option {n}"
                    )
                    if not self.property(label, variant, depth + 1, False, variant=True):
                        return

    def property(
        self,
        name: str,
        schema: Mapping[str, Any],
        depth: int,
        required: bool,
        variant: bool = False,
    ) -> bool:
        items = schema.get("items")
        inner = items if isinstance(items, Mapping) and REF_KEY not in schema else schema
        ref = inner.get(REF_KEY)
        repeated = ref is not None and ref in self.expanded and self._has_children(schema)
        row = SchemaRow(
            depth,
            name,
            type_label(schema),
            required=required,
            deprecated=schema.get("deprecated") is True,
            description=str(schema.get("description") or ""),
            facts=tuple(schema_facts(schema)),
            note=variant,
            repeated=repeated,
        )
        if not self.add(row):
            return False
        if repeated:
            return True
        if ref is not None:
            self.expanded.add(ref)
        self.children(schema, depth + 1)
        return not self.full() or len(self.rows) < self.max_rows

    def _has_children(self, schema: Mapping[str, Any]) -> bool:
        if CYCLE_KEY in schema:
            return False
        if any(isinstance(schema.get(k), (Mapping, list)) for k in ("properties", "allOf")):
            return True
        if isinstance(schema.get("oneOf"), list) or isinstance(schema.get("anyOf"), list):
            return True
        items = schema.get("items")
        return isinstance(items, Mapping) and self._has_children(items)


# -- security schemes ---------------------------------------------------------------------


def scheme_summary(scheme: SecurityScheme | None) -> str:
    """ "HTTP bearer (JWT)", "API key in header X-API-Key", "OAuth2: client credentials"..."""
    if scheme is None:
        return "unknown scheme (not declared in components.securitySchemes)"
    t = scheme.type.lower()
    if t == "http":
        s = scheme.scheme.lower()
        if s == "bearer":
            return "HTTP bearer" + (f" ({scheme.bearer_format})" if scheme.bearer_format else "")
        return f"HTTP {s or 'auth'}"
    if t == "apikey":
        return f"API key in {scheme.location or 'header'} “{scheme.param_name}”"
    if t == "oauth2":
        flows = ", ".join(_flow_name(f.kind) for f in scheme.flows) or "no flows"
        return f"OAuth 2.0: {flows}"
    if t == "openidconnect":
        return "OpenID Connect"
    if t == "mutualtls":
        return "Mutual TLS (client certificate)"
    return scheme.type


def _flow_name(kind: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r" \1", kind).lower()


def credential_kind(scheme: SecurityScheme | None) -> str:
    """The kind of credential a scheme takes (an `AuthInput` kind): "apikey", "basic", or
    "bearer" (HTTP bearer, OAuth 2.0 and OpenID Connect access tokens, and an unknown
    scheme)."""
    if scheme is None:
        return "bearer"
    t = scheme.type.lower()
    if t == "apikey":
        return "apikey"
    if t == "http" and scheme.scheme.lower() == "basic":
        return "basic"
    return "bearer"  # http bearer, oauth2 and openIdConnect access tokens
