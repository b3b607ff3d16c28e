"""OpenAPI in, a typed model out. No Qt here.

    >>> from explorer import spec
    >>> api = spec.load("openapi.yaml")          # file path or http(s) URL; JSON or YAML
    >>> api.title, len(api.operations), [m.name for m in api.modules]
    >>> op = api.find("GET /pets/{petId}")       # or api.find("showPetById")
    >>> op.parameters, op.request_body, op.responses    # read lazily, $refs resolved
    >>> spec.sample(op.request_body.content[0].schema)  # a value that fits the schema
    >>> spec.validate(value, schema, openapi_version=api.openapi_version)  # [] or issues

Errors: `SpecError` and its kinds (see `explorer.errors`); survivable oddities are
collected in `Spec.warnings`.
"""

from typing import TYPE_CHECKING, Any

from explorer.errors import (
    NotOpenAPIError,
    ParseError,
    RefError,
    SourceError,
    SpecError,
    StructureError,
)
from explorer.spec._load import default_cache_dir, load, load_bytes
from explorer.spec.model import (
    CYCLE_KEY,
    REF_KEY,
    UNRESOLVED_KEY,
    Callback,
    Example,
    Header,
    MediaType,
    Module,
    OAuthFlow,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Schema,
    SecurityRequirement,
    SecurityScheme,
    Server,
    ServerVariable,
    Spec,
    SpecWarning,
    TagGroup,
)

if TYPE_CHECKING:
    from explorer.spec.patterns import pattern_search
    from explorer.spec.schema import SchemaIssue, sample, validate

__all__ = [
    "CYCLE_KEY",
    "REF_KEY",
    "UNRESOLVED_KEY",
    "Callback",
    "Example",
    "Header",
    "MediaType",
    "Module",
    "NotOpenAPIError",
    "OAuthFlow",
    "Operation",
    "Parameter",
    "ParseError",
    "RefError",
    "RequestBody",
    "Response",
    "Schema",
    "SchemaIssue",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "SourceError",
    "Spec",
    "SpecError",
    "SpecWarning",
    "StructureError",
    "TagGroup",
    "default_cache_dir",
    "load",
    "load_bytes",
    "pattern_search",
    "sample",
    "validate",
]

_LAZY = {
    "SchemaIssue": "explorer.spec.schema",
    "sample": "explorer.spec.schema",
    "validate": "explorer.spec.schema",
    "pattern_search": "explorer.spec.patterns",
}
"""Names loaded on first use: loading a document needs none of them (the window's
start-up does not pay for the schema checks)."""


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'explorer.spec' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
