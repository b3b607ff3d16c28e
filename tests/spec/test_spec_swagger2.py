"""Swagger 2.0 mapped onto the OpenAPI 3 model."""

from __future__ import annotations

from typing import Any

import pytest

from explorer import spec

from .conftest import Loader

SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Old Pets", "version": "1.0"},
    "host": "pets.example:8443",
    "basePath": "/api",
    "schemes": ["https", "http"],
    "consumes": ["application/json", "application/xml"],
    "produces": ["application/json"],
    "securityDefinitions": {
        "basic": {"type": "basic"},
        "key": {"type": "apiKey", "name": "api_key", "in": "header"},
        "implicit": {
            "type": "oauth2",
            "flow": "implicit",
            "authorizationUrl": "https://auth.example/authorize",
            "scopes": {"read": "read things"},
        },
        "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://auth.example/t"},
        "code": {
            "type": "oauth2",
            "flow": "accessCode",
            "authorizationUrl": "https://auth.example/a",
            "tokenUrl": "https://auth.example/t",
        },
        "pw": {"type": "oauth2", "flow": "password", "tokenUrl": "https://auth.example/t"},
    },
    "security": [{"key": []}],
    "parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 50}},
    "responses": {
        "NotFound": {"description": "not found", "schema": {"$ref": "#/definitions/Error"}}
    },
    "paths": {
        "/pets": {
            "parameters": [{"$ref": "#/parameters/Limit"}],
            "get": {
                "tags": ["pets"],
                "operationId": "listPets",
                "produces": ["application/json", "application/xml"],
                "parameters": [
                    {
                        "name": "tags",
                        "in": "query",
                        "type": "array",
                        "items": {"type": "string"},
                        "collectionFormat": "pipes",
                        "x-nullable": True,
                    },
                    {"name": "X-Id", "in": "header", "type": "string", "required": True},
                ],
                "responses": {
                    "200": {
                        "description": "pets",
                        "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                        "headers": {"X-Total": {"type": "integer", "description": "count"}},
                        "examples": {"application/json": [{"name": "Rex"}]},
                    },
                    "404": {"$ref": "#/responses/NotFound"},
                },
            },
            "post": {
                "tags": ["pets"],
                "operationId": "addPet",
                "security": [{"basic": []}],
                "parameters": [
                    {
                        "name": "pet",
                        "in": "body",
                        "required": True,
                        "description": "the pet",
                        "schema": {"$ref": "#/definitions/Pet"},
                    }
                ],
                "responses": {"201": {"description": "created"}},
            },
        },
        "/pets/{id}/photo": {
            "post": {
                "tags": ["pets"],
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "id", "in": "path", "type": "integer", "required": True},
                    {"name": "file", "in": "formData", "type": "file", "required": True},
                    {"name": "caption", "in": "formData", "type": "string", "description": "c"},
                ],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/pets/{id}/rename": {
            "post": {
                "parameters": [
                    {"name": "id", "in": "path", "type": "integer", "required": True},
                    {"name": "name", "in": "formData", "type": "string"},
                ],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/upload": {
            "post": {
                "consumes": [],
                "parameters": [{"name": "f", "in": "formData", "type": "file"}],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
    "definitions": {
        "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
    },
}


@pytest.fixture
def old(load_doc: Loader) -> spec.Spec:
    return load_doc(SWAGGER, "swagger.yaml")


def test_version_and_info(old: spec.Spec) -> None:
    assert old.openapi_version == "2.0"
    assert old.is_swagger2
    assert old.title == "Old Pets"
    assert old.schema_names == ("Pet", "Error")
    assert old.warnings == []


def test_host_base_path_schemes_become_servers(old: spec.Spec) -> None:
    assert [s.url for s in old.servers] == [
        "https://pets.example:8443/api",
        "http://pets.example:8443/api",
    ]
    assert old.find("listPets").servers == old.servers


@pytest.mark.parametrize(
    ("extra", "urls"),
    [
        ({"host": "h.example"}, ["https://h.example"]),
        ({"host": "h.example", "basePath": "/v2/"}, ["https://h.example/v2"]),
        ({"basePath": "/v1"}, ["/v1"]),
        ({}, ["/"]),
        ({"host": "h.example", "schemes": ["http"], "basePath": "v3"}, ["http://h.example/v3"]),
    ],
)
def test_server_variants(load_doc: Loader, extra: dict[str, Any], urls: list[str]) -> None:
    api = load_doc({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}, **extra})
    assert [s.url for s in api.servers] == urls


def test_security_definitions(old: spec.Spec) -> None:
    s = old.security_schemes
    assert (s["basic"].type, s["basic"].scheme) == ("http", "basic")
    assert (s["key"].type, s["key"].param_name, s["key"].location) == (
        "apiKey",
        "api_key",
        "header",
    )
    kinds = {name: s[name].flows[0].kind for name in ("implicit", "app", "code", "pw")}
    assert kinds == {
        "implicit": "implicit",
        "app": "clientCredentials",
        "code": "authorizationCode",
        "pw": "password",
    }
    assert s["implicit"].flows[0].scopes == {"read": "read things"}
    assert s["implicit"].flows[0].authorization_url == "https://auth.example/authorize"
    assert s["code"].flows[0].token_url == "https://auth.example/t"
    assert old.security == ({"key": ()},)
    assert old.find("addPet").security == ({"basic": ()},)
    assert old.find("listPets").security == ({"key": ()},)


def test_parameters(old: spec.Spec) -> None:
    op = old.find("listPets")
    assert [(p.name, p.location) for p in op.parameters] == [
        ("limit", "query"),
        ("tags", "query"),
        ("X-Id", "header"),
    ]
    limit, tags, xid = op.parameters
    assert limit.schema == {"type": "integer", "maximum": 50}
    assert tags.schema == {"type": "array", "items": {"type": "string"}, "nullable": True}
    assert (tags.style, tags.explode) == ("pipeDelimited", False)
    assert xid.required
    assert op.request_body is None


def test_body_parameter_becomes_request_body_per_consumes(old: spec.Spec) -> None:
    op = old.find("addPet")
    assert [p.name for p in op.parameters] == ["limit"]  # body is not a parameter
    body = op.request_body
    assert body is not None
    assert body.required and body.description == "the pet"
    assert [m.media_type for m in body.content] == ["application/json", "application/xml"]
    for media in body.content:
        assert media.schema is not None
        assert media.schema["properties"] == {"name": {"type": "string"}}


def test_form_data_with_file_becomes_multipart(old: spec.Spec) -> None:
    op = old.find("POST /pets/{id}/photo")
    assert [p.name for p in op.parameters] == ["id"]
    body = op.request_body
    assert body is not None and body.required
    (media,) = body.content
    assert media.media_type == "multipart/form-data"
    assert media.schema == {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "caption": {"type": "string", "description": "c"},
        },
        "required": ["file"],
    }


def test_form_data_without_file_is_urlencoded(old: spec.Spec) -> None:
    body = old.find("POST /pets/{id}/rename").request_body
    assert body is not None and not body.required
    assert [m.media_type for m in body.content] == ["application/x-www-form-urlencoded"]


def test_form_data_file_without_consumes_is_multipart(old: spec.Spec) -> None:
    body = old.find("POST /upload").request_body
    assert body is not None
    assert [m.media_type for m in body.content] == ["multipart/form-data"]


def test_responses_use_produces_and_examples(old: spec.Spec) -> None:
    op = old.find("listPets")
    ok = op.response(200)
    assert ok is not None
    assert [m.media_type for m in ok.content] == ["application/json", "application/xml"]
    js = ok.media("application/json")
    assert js is not None
    assert [(e.name, e.value) for e in js.examples] == [("example", [{"name": "Rex"}])]
    assert ok.media("application/xml").examples == ()  # type: ignore[union-attr]
    assert js.schema["items"]["properties"]["name"] == {"type": "string"}  # type: ignore[index]
    (total,) = ok.headers
    assert (total.name, total.description, total.schema) == (
        "X-Total",
        "count",
        {"type": "integer"},
    )
    missing = op.response(404)
    assert missing is not None and missing.description == "not found"
    assert missing.content[0].media_type == "application/json"  # document-level produces
    assert missing.content[0].schema["properties"]["message"] == {"type": "string"}  # type: ignore[index]


def test_response_without_schema_has_no_content(old: spec.Spec) -> None:
    assert old.find("addPet").response(201).content == ()  # type: ignore[union-attr]


def test_untagged_swagger_operations_use_path_modules(old: spec.Spec) -> None:
    assert [m.name for m in old.modules] == ["pets", "upload"]
