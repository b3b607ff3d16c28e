"""What the rows of a typed form are about: an operation's parameters, or the properties
of a form body's schema. No Qt here (the widgets are `explorer.ui.request.form`).

    >>> entries = entries_from_parameters(op.parameters)      # path first, then query ...
    >>> entries[0].key, entries[0].required                   # ('path:id', True)
    >>> entries_from_schema(media.schema)                     # urlencoded / multipart rows
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from explorer.spec._samples import sample
from explorer.spec.describe import object_properties
from explorer.spec.model import Parameter

__all__ = [
    "LOCATION_ORDER",
    "FormEntry",
    "entries_from_parameters",
    "entries_from_schema",
    "example_value",
    "preset",
]

LOCATION_ORDER = ("path", "query", "header", "cookie", "form")
"""The order of a form's sections."""


@dataclass(frozen=True)
class FormEntry:
    """What one form row is about: a parameter or a body property."""

    name: str
    location: str  # path, query, header, cookie, or "form" for body properties
    schema: Mapping[str, Any] = field(default_factory=dict)
    required: bool = False
    description: str = ""
    deprecated: bool = False
    example: Any = None
    style: str = ""
    explode: bool | None = None

    @property
    def key(self) -> str:
        """ "location:name", unique in a form."""
        return f"{self.location}:{self.name}"


def entries_from_parameters(params: Iterable[Parameter]) -> list[FormEntry]:
    """Form entries for an operation's parameters, path first, in spec order per section."""
    out = []
    for p in params:
        example = p.example
        if example is None and p.examples:
            example = p.examples[0].value
        out.append(
            FormEntry(
                name=p.name,
                location=p.location,
                schema=p.schema or {},
                required=p.required or p.location == "path",
                description=p.description,
                deprecated=p.deprecated,
                example=example,
                style=p.style,
                explode=p.explode,
            )
        )
    order = {loc: i for i, loc in enumerate(LOCATION_ORDER)}
    out.sort(key=lambda e: order.get(e.location, 9))
    return out


def entries_from_schema(schema: Mapping[str, Any] | None) -> list[FormEntry]:
    """Form entries for the properties of an object schema (urlencoded/multipart bodies)."""
    if not isinstance(schema, Mapping):
        return []
    props, required = object_properties(schema)
    out = []
    for name, prop in props.items():
        if not isinstance(prop, Mapping) or prop.get("readOnly") is True:
            continue
        out.append(
            FormEntry(
                name=str(name),
                location="form",
                schema=prop,
                required=name in required,
                description=str(prop.get("description") or prop.get("title") or ""),
                deprecated=prop.get("deprecated") is True,
                example=prop.get("example"),
            )
        )
    return out


def _from_document(entry: FormEntry) -> bool:
    """Whether the document names a value for the entry: an example, a default, a const
    or an enum of one value."""
    schema = entry.schema
    if entry.example is not None:
        return True
    if any(k in schema for k in ("example", "default", "const")):
        return True
    examples = schema.get("examples")
    enum = schema.get("enum")
    if isinstance(examples, list) and examples:
        return True
    return isinstance(enum, list) and len([e for e in enum if e is not None]) == 1


def example_value(entry: FormEntry) -> Any:
    """A value for the entry that fits its schema: the document's own (the entry's
    example, the schema's example, default, const or enum value) where it fits, else one
    made from the schema (`spec.sample`)."""
    schema: Mapping[str, Any] = entry.schema
    if entry.example is not None:
        schema = {**schema, "example": entry.example}
    return sample(schema, "request", limit=10_000)


def preset(entry: FormEntry) -> tuple[Any, str] | None:
    """What a required entry starts filled with, and where it comes from ("document": the
    document names it; "example": made from the schema), so that a form can be sent as
    it opens. None for optional entries (they start empty), file uploads and values that
    could not be made."""
    from explorer.spec.schema import SampleTooLarge
    from explorer.spec.values import is_binary

    if not entry.required or is_binary(entry.schema):
        return None
    try:
        value = example_value(entry)
    except SampleTooLarge:
        return None
    if value is None:
        return None
    return value, "document" if _from_document(entry) else "example"
