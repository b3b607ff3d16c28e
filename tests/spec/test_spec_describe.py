"""explorer.spec.describe: the one reading of a schema's type, and what is made from it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from explorer import spec
from explorer.spec.describe import (
    credential_kind,
    main_type,
    schema_rows,
    schema_types,
    scheme_summary,
    type_label,
)
from explorer.spec.values import field_kind

# (schema, its types, its main type)
READINGS: list[tuple[dict[str, Any], list[str], str | None]] = [
    ({"type": "string"}, ["string"], "string"),
    ({"type": "string", "nullable": True}, ["string", "null"], "string"),
    ({"type": "integer", "x-nullable": True}, ["integer", "null"], "integer"),
    ({"type": ["null", "integer"]}, ["null", "integer"], "integer"),
    ({"type": ["null"]}, ["null"], "null"),
    ({"type": "null"}, ["null"], "null"),
    ({"type": [5, "boolean"]}, ["boolean"], "boolean"),
    ({"properties": {"a": {}}}, ["object"], "object"),
    ({"additionalProperties": {"type": "string"}}, ["object"], "object"),
    ({"items": {"type": "string"}, "nullable": True}, ["array", "null"], "array"),
    ({"nullable": True}, [], None),
    ({}, [], None),
]


@pytest.mark.parametrize(("schema", "types", "main"), READINGS)
def test_one_reading_of_type(schema: dict[str, Any], types: list[str], main: str | None) -> None:
    assert schema_types(schema) == types
    assert main_type(schema) == main


@pytest.mark.parametrize(
    ("schema", "python_type"),
    [
        ({"type": ["null", "integer"]}, int),
        ({"type": "string", "nullable": True}, str),
        ({"additionalProperties": {"type": "string"}}, dict),
        ({"items": {"type": "boolean"}}, list),
        ({"type": ["null", "number"], "minimum": 2}, int | float),
    ],
)
def test_sample_form_and_mock_read_the_same_type(schema: dict[str, Any], python_type: Any) -> None:
    """sample() makes a value of the main type, the form gives a field of that kind, and
    the mock coerces a parameter's text to it."""
    from explorer.mock._validate import coerce

    value = spec.sample(schema)
    assert isinstance(value, python_type)
    assert spec.validate(value, schema) == []
    kind = main_type(schema)
    assert field_kind(schema) == kind
    text = {"integer": "7", "number": "2.5", "string": "x"}.get(kind or "")
    if text is not None:
        assert coerce(text, schema) == {"integer": 7, "number": 2.5, "string": "x"}[kind or ""]


@pytest.mark.parametrize(
    ("schema", "label"),
    [
        ({"type": "string", "format": "email"}, "string<email>"),
        ({"type": ["integer", "null"]}, "integer | null"),
        ({"type": "array", "items": {"type": "string"}}, "array<string>"),
        (
            {"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True},
            "string | integer | null",
        ),
        ({"x-explorer-cycle": "#/components/schemas/Node"}, "↻ Node"),
        ({"type": "object", "x-explorer-ref": "#/components/schemas/Pet"}, "Pet"),
        ({}, "any"),
    ],
)
def test_type_labels(schema: dict[str, Any], label: str) -> None:
    assert type_label(schema) == label


def test_two_dialects_of_null_label_alike() -> None:
    assert type_label({"type": "string", "x-nullable": True}) == "string | null"
    assert type_label({"type": ["string", "null"]}) == type_label(
        {"type": "string", "nullable": True}
    )


def test_schema_rows_walk_properties_refs_and_variants_within_a_budget() -> None:
    address = {
        "type": "object",
        "x-explorer-ref": "#/components/schemas/Address",
        "properties": {"city": {"type": "string", "description": "The city.\n\nMore."}},
    }
    schema = {
        "type": "object",
        "required": ["home"],
        "properties": {
            "home": address,
            "work": address,
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
            "pet": {"oneOf": [{"type": "object", "title": "Cat", "properties": {"a": {}}}]},
            "next": {"x-explorer-cycle": "#/components/schemas/Node"},
        },
    }
    rows, truncated = schema_rows(schema, 100, 8)
    assert not truncated
    got = [(r.depth, r.name, r.type, r.required, r.repeated, r.note) for r in rows]
    assert got == [
        (0, "home", "Address", True, False, False),
        (1, "city", "string", False, False, False),
        (0, "work", "Address", False, True, False),  # fields as above: not listed again
        (0, "tags", "array<string>", False, False, False),
        (0, "pet", "one of", False, False, False),
        (1, "one of", "", False, False, True),
        (2, "Cat", "object", False, False, True),
        (3, "a", "any", False, False, False),
        (0, "next", "↻ Node", False, False, False),
    ]
    assert rows[1].description == "The city.\n\nMore."  # whole, as written: the view cuts it
    assert rows[3].facts == ("max items 3",)
    few, cut = schema_rows(schema, 2, 8)
    assert len(few) == 2 and cut
    shallow, cut = schema_rows(schema, 100, 1)
    assert [r.name for r in shallow][:2] == ["home", "work"] and cut


def _schemes(**raw: dict[str, Any]) -> dict[str, spec.SecurityScheme]:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Acme API", "version": "1"},
        "paths": {},
        "components": {"securitySchemes": raw},
    }
    api = spec.load_bytes(json.dumps(doc).encode())
    return dict(api.security_schemes)


def test_security_schemes_described_and_their_credential_kinds() -> None:
    schemes = _schemes(
        jwt={"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"},
        basic={"type": "HTTP", "scheme": "basic"},
        key={"type": "APIKEY", "in": "header", "name": "X-API-Key"},
        oauth={"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/t", "scopes": {}}}},
        oidc={"type": "openidconnect", "openIdConnectUrl": "https://x"},
    )
    assert schemes["key"].type == "apiKey"  # one spelling, for the mock's exact compares
    assert schemes["oidc"].type == "openIdConnect"
    assert scheme_summary(schemes["jwt"]) == "HTTP bearer (JWT)"
    assert scheme_summary(schemes["key"]) == "API key in header “X-API-Key”"
    assert scheme_summary(schemes["oauth"]) == "OAuth 2.0: client credentials"
    assert scheme_summary(None).startswith("unknown scheme")
    kinds = {name: credential_kind(s) for name, s in schemes.items()}
    assert kinds == {
        "jwt": "bearer",
        "basic": "basic",
        "key": "apikey",
        "oauth": "bearer",
        "oidc": "bearer",
    }


def test_env_names_for_secrets() -> None:
    from explorer.http.snippets import env_name_for

    api = spec.load_bytes(
        b'{"openapi": "3.0.3", "info": {"title": "Ecosire API", "version": "1"}, "paths": {}}'
    )
    assert env_name_for(api, "bearer") == "ECOSIRE_TOKEN"
    assert env_name_for(api, "apikey") == "ECOSIRE_API_KEY"
    assert env_name_for(api, "bearer", "ApiKeyAuth") == "ECOSIRE_API_KEY"
    assert env_name_for(api, "basic") == "ECOSIRE_PASSWORD"
    assert env_name_for(None, "bearer") == "API_TOKEN"
    assert env_name_for(None, "apikey") == "API_KEY"
