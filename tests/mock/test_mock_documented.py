"""The mock answers within its document: error answers as each operation documents them,
look-alike path templates, security requirements that need every scheme, examples the
document gets wrong, ECMA-262 patterns."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from explorer import spec
from explorer.mock import MockServer

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["type", "message"],
            "properties": {
                "type": {"type": "string", "enum": ["invalid_request_error", "api_error"]},
                "message": {"type": "string"},
                "code": {"type": "string"},
            },
        }
    },
}

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Documented", "version": "1"},
    "servers": [{"url": "/v1"}],
    "components": {
        "securitySchemes": {
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "tenant": {"type": "apiKey", "in": "query", "name": "tenant"},
        },
        "schemas": {"Error": ERROR},
    },
    "paths": {
        "/charges": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["amount"],
                                "properties": {"amount": {"type": "integer", "minimum": 1}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "default": {
                        "description": "error",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                },
            }
        },
        "/quiet": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "responses": {"204": {"description": "ok"}, "400": {"description": "bad"}},
            }
        },
        "/plain": {
            "get": {
                "parameters": [
                    {"name": "n", "in": "query", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/x/{id}": {
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "got"}},
            }
        },
        "/x/{name}": {
            "post": {
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"201": {"description": "made"}},
            }
        },
        "/x/new": {"put": {"responses": {"200": {"description": "literal"}}}},
        "/both": {
            "get": {
                "security": [{"key": [], "tenant": []}],
                "responses": {"200": {"description": "ok"}, "401": {"description": "no"}},
            }
        },
        "/wrong-example": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id"],
                                    "properties": {"id": {"type": "string", "pattern": "^\\d+$"}},
                                },
                                "example": {"id": 7},
                            }
                        },
                    }
                }
            }
        },
        "/names/{name}": {
            "get": {
                "parameters": [
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[\\p{L}\\w-.]+$"},
                    }
                ],
                "responses": {"200": {"description": "ok"}, "422": {"description": "bad"}},
            }
        },
    },
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> spec.Spec:
    path = Path(tmp_path_factory.mktemp("doc")) / "documented.json"
    path.write_text(json.dumps(DOC))
    return spec.load(path, cache_dir=None)


@pytest.fixture
def client(api: spec.Spec) -> Iterator[httpx.Client]:
    with MockServer(api) as server, httpx.Client(base_url=server.api_url) as c:
        yield c


def test_an_error_takes_the_documented_media_type_and_schema(
    client: httpx.Client, api: spec.Spec
) -> None:
    r = client.post("/charges", json={"amount": 0})
    assert r.status_code == 422  # not documented exactly: the `default` response says how
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert spec.validate(body, api.find("POST /charges").response(422).content[0].schema) == []
    assert body["error"]["message"] == "Validation failed"  # written where the schema has room
    assert "statusCode" not in body


def test_a_documented_status_without_content_has_no_body(client: httpx.Client) -> None:
    r = client.post("/quiet", content=b"{", headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.content == b""
    assert "content-type" not in r.headers


def test_a_problem_document_only_where_nothing_is_documented(client: httpx.Client) -> None:
    r = client.get("/plain")
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["details"] == [{"field": "n", "message": "is required (query parameter)"}]


def test_look_alike_templates_are_all_reachable(client: httpx.Client) -> None:
    assert client.get("/x/abc").status_code == 200
    assert client.post("/x/abc").status_code == 201
    assert client.put("/x/new").status_code == 200
    assert client.get("/x/new").status_code == 405  # a literal path wins, as OpenAPI says
    r = client.delete("/x/abc")
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, POST"


def test_and_security_needs_every_scheme_and_says_so(client: httpx.Client) -> None:
    r = client.get("/both", headers={"X-Key": "k"})
    assert r.status_code == 401
    assert r.content == b""  # 401 is documented without a body
    challenge = r.headers["WWW-Authenticate"]
    assert 'name="X-Key"' in challenge and 'name="tenant"' in challenge
    assert client.get("/both", params={"tenant": "t"}).status_code == 401
    assert client.get("/both", params={"tenant": "t"}, headers={"X-Key": "k"}).status_code == 200


def test_the_401_message_names_every_scheme_of_an_alternative(api: spec.Spec) -> None:
    from explorer.mock._problem import MockProblem
    from explorer.mock._security import SecurityChecker
    from explorer.mock._validate import RequestParts

    checker = SecurityChecker(api)
    parts = RequestParts(path_params={}, query=[], headers={"x-key": "k"}, cookies={})
    with pytest.raises(MockProblem) as caught:
        checker.check(api.find("GET /both"), parts)
    assert caught.value.message == (
        "Authentication required: send the header 'X-Key' and the query 'tenant'"
    )


def test_an_example_the_document_gets_wrong_is_not_sent(client: httpx.Client) -> None:
    r = client.get("/wrong-example")
    assert r.status_code == 200
    assert r.json() == {"id": "0"}  # made from the schema: the pattern and the type kept
    asked = client.get("/wrong-example", headers={"Prefer": "example=example"})
    assert asked.json() == {"id": 7}  # still there when asked for by name


def test_ecma_patterns_accept_valid_values(client: httpx.Client) -> None:
    assert client.get("/names/Zoë-the.first").status_code == 200
    assert client.get("/names/two words").status_code == 422
