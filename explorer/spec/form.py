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

from explorer.spec.describe import object_properties
from explorer.spec.model import Parameter

__all__ = ["LOCATION_ORDER", "FormEntry", "entries_from_parameters", "entries_from_schema"]

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
