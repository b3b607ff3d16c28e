"""The OpenAPI 3.x model: info, servers, security, modules, operations and their lazy parts."""

from __future__ import annotations

from typing import Any

import pytest

from explorer import spec

from .conftest import Loader, oas3

PET = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        "name": {"type": "string"},
        "password": {"type": "string", "writeOnly": True},
    },
}

STORE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pet Store", "version": "2.1.0", "description": "Pets, **sold**."},
    "servers": [
        {
            "url": "https://{region}.pets.example/{base}",
            "description": "production",
            "variables": {
                "region": {"default": "eu", "enum": ["eu", "us"], "description": "where"},
                "base": {"default": "v2"},
            },
        },
        {"url": "http://127.0.0.1:8080"},
    ],
    "security": [{"bearer": []}, {"key": [], "basic": []}],
    "tags": [
        {"name": "stores", "description": "Shops"},
        {"name": "pets", "description": "Animals"},
        {"name": "unused", "description": "No operations"},
    ],
    "x-tagGroups": [{"name": "Shop", "tags": ["stores", "pets"]}],
    "paths": {
        "/pets": {
            "summary": "all pets",
            "servers": [{"url": "https://path-level.example"}],
            "parameters": [
                {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "description": "path-level", "schema": {}},
            ],
            "get": {
                "operationId": "listPets",
                "summary": "  List pets  ",
                "tags": ["pets"],
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "description": "operation-level",
                        "schema": {"type": "integer", "maximum": 100},
                    },
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/Filter"},
                ],
                "responses": {
                    "200": {
                        "description": "pets",
                        "headers": {
                            "X-Rate-Limit": {
                                "description": "calls per hour",
                                "required": True,
                                "schema": {"type": "integer"},
                            },
                            "X-Next": {"$ref": "#/components/headers/Next"},
                        },
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Pet"},
                                }
                            },
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    "4XX": {"$ref": "#/components/responses/Problem"},
                    "default": {"description": "anything else"},
                },
            },
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "deprecated": True,
                "security": [],
                "servers": [{"url": "https://op-level.example"}],
                "requestBody": {"$ref": "#/components/requestBodies/NewPet"},
                "responses": {"201": {"description": "created"}},
                "x-ratelimit": {"limit": 10},
            },
        },
        "/pets/{petId}": {
            "parameters": [
                {"name": "petId", "in": "path", "schema": {"type": "string", "format": "uuid"}}
            ],
            "get": {
                "tags": ["pets"],
                "operationId": "showPet",
                "description": "one pet",
                "security": [{"oauth": ["read:pets"]}],
                "responses": {"200": {"description": "ok"}},
            },
            "delete": {"tags": ["stores"], "responses": {"204": {"description": "gone"}}},
        },
        "/v1/orders/{id}/items": {"get": {"responses": {"200": {"description": "ok"}}}},
    },
    "components": {
        "schemas": {"Pet": PET, "Error": {"type": "object"}},
        "parameters": {
            "Filter": {
                "name": "filter",
                "in": "query",
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"kind": {"type": "string"}}}
                    }
                },
            }
        },
        "headers": {"Next": {"description": "next page", "schema": {"type": "string"}}},
        "responses": {
            "Problem": {
                "description": "a problem",
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Error"}}
                },
            }
        },
        "examples": {"Rex": {"summary": "a dog", "value": {"name": "Rex"}}},
        "requestBodies": {
            "NewPet": {
                "description": "the pet",
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Pet"},
                        "example": {"name": "Tom"},
                        "examples": {
                            "rex": {"$ref": "#/components/examples/Rex"},
                            "inline": {"value": {"name": "Kit"}, "description": "a cat"},
                        },
                    },
                    "application/x-www-form-urlencoded": {
                        "schema": {"$ref": "#/components/schemas/Pet"},
                        "encoding": {"name": {"style": "form"}},
                    },
                },
            }
        },
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"},
            "basic": {"type": "http", "scheme": "basic", "description": "user and password"},
            "key": {"type": "apiKey", "name": "X-API-Key", "in": "header", "x-extra": 1},
            "qkey": {"type": "apiKey", "name": "api_key", "in": "query"},
            "ckey": {"type": "apiKey", "name": "sid", "in": "cookie"},
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": "https://auth.example/authorize",
                        "tokenUrl": "https://auth.example/token",
                        "refreshUrl": "https://auth.example/refresh",
                        "scopes": {"read:pets": "read pets", "write:pets": "write pets"},
                    },
                    "clientCredentials": {"tokenUrl": "https://auth.example/token", "scopes": {}},
                    "implicit": {
                        "authorizationUrl": "https://auth.example/authorize",
                        "scopes": {},
                    },
                    "password": {"tokenUrl": "https://auth.example/token", "scopes": {}},
                },
            },
            "oidc": {
                "type": "openIdConnect",
                "openIdConnectUrl": "https://auth.example/.well-known/openid-configuration",
            },
            "mtls": {"type": "mutualTLS", "description": "client certificate"},
        },
    },
}


@pytest.fixture
def store(load_doc: Loader) -> spec.Spec:
    return load_doc(STORE)


def test_info(store: spec.Spec) -> None:
    assert (store.title, store.version) == ("Pet Store", "2.1.0")
    assert store.description == "Pets, **sold**."
    assert store.openapi_version == "3.0.3"
    assert not store.is_swagger2 and not store.is_openapi31
    assert store.warnings == []


def test_untitled_document_gets_a_title(load_doc: Loader) -> None:
    api = load_doc({"openapi": "3.0.0", "paths": {}})
    assert api.title == "Untitled API"
    assert api.version == ""


def test_servers_and_variables(store: spec.Spec) -> None:
    first, second = store.servers
    assert first.description == "production"
    region = first.variables[0]
    assert (region.name, region.default, region.enum, region.description) == (
        "region",
        "eu",
        ("eu", "us"),
        "where",
    )
    assert first.resolve() == "https://eu.pets.example/v2"
    assert first.resolve({"region": "us"}) == "https://us.pets.example/v2"
    assert first.resolve({"region": "us", "base": "v3"}) == "https://us.pets.example/v3"
    assert second.resolve() == "http://127.0.0.1:8080"


def test_server_resolve_keeps_unknown_variables() -> None:
    server = spec.Server("https://{tenant}.example/{version}")
    assert server.resolve({"version": "v1"}) == "https://{tenant}.example/v1"


def test_document_without_servers_gets_root(load_doc: Loader) -> None:
    assert [s.url for s in load_doc(oas3()).servers] == ["/"]


def test_security_schemes_of_every_type(store: spec.Spec) -> None:
    schemes = store.security_schemes
    assert sorted(schemes) == ["basic", "bearer", "ckey", "key", "mtls", "oauth", "oidc", "qkey"]
    assert (schemes["bearer"].type, schemes["bearer"].scheme) == ("http", "bearer")
    assert schemes["bearer"].bearer_format == "JWT"
    assert (schemes["basic"].scheme, schemes["basic"].description) == (
        "basic",
        "user and password",
    )
    key = schemes["key"]
    assert (key.type, key.param_name, key.location) == ("apiKey", "X-API-Key", "header")
    assert key.extensions == {"x-extra": 1}
    assert schemes["qkey"].location == "query"
    assert (schemes["ckey"].location, schemes["ckey"].param_name) == ("cookie", "sid")
    flows = {f.kind: f for f in schemes["oauth"].flows}
    assert sorted(flows) == ["authorizationCode", "clientCredentials", "implicit", "password"]
    code = flows["authorizationCode"]
    assert code.authorization_url == "https://auth.example/authorize"
    assert code.token_url == "https://auth.example/token"
    assert code.refresh_url == "https://auth.example/refresh"
    assert code.scopes == {"read:pets": "read pets", "write:pets": "write pets"}
    assert flows["clientCredentials"].token_url == "https://auth.example/token"
    assert schemes["oidc"].openid_connect_url.endswith("/openid-configuration")
    assert schemes["mtls"].type == "mutualTLS"


def test_global_and_operation_security(store: spec.Spec) -> None:
    assert store.security == ({"bearer": ()}, {"key": (), "basic": ()})
    assert store.find("listPets").security == store.security  # inherits
    assert store.find("createPet").security == ()  # security: [] switches it off
    assert store.find("showPet").security == ({"oauth": ("read:pets",)},)


def test_modules_follow_declared_tag_order(store: spec.Spec) -> None:
    names = [m.name for m in store.modules]
    # declared tags first (in declaration order, unused ones left out), then path modules
    assert names == ["stores", "pets", "orders"]
    assert store.module("pets").description == "Animals"
    assert store.module("stores").description == "Shops"
    assert [op.key for op in store.module("pets").operations] == [
        "GET /pets",
        "POST /pets",
        "GET /pets/{petId}",
    ]
    assert store.module("unused") is None
    assert store.module("orders").operations[0].module == "orders"


def test_tag_groups(store: spec.Spec) -> None:
    assert store.tag_groups == (spec.TagGroup("Shop", ("stores", "pets")),)


def test_undeclared_tags_come_after_declared_ones(load_doc: Loader) -> None:
    doc = oas3(
        {
            "/a": {"get": {"tags": ["zeta"], "responses": {}}},
            "/b": {"get": {"tags": ["alpha"], "responses": {}}},
            "/c": {"get": {"tags": ["declared"], "responses": {}}},
            "/things": {"get": {"responses": {}}},
        },
        tags=[{"name": "declared"}],
    )
    api = load_doc(doc)
    assert [m.name for m in api.modules] == ["declared", "zeta", "alpha", "things"]


def test_untagged_operations_grouped_by_path_segment(load_doc: Loader) -> None:
    doc = oas3(
        {
            "/v1/customers": {"get": {"responses": {}}, "post": {"responses": {}}},
            "/v1/customers/{customer}": {"get": {"responses": {}}},
            "/v1/customers/{customer}/balance_transactions": {"get": {"responses": {}}},
            "/v1/charges/{charge}/refund": {"post": {"responses": {}}},
            "/api/v2.1/accounts": {"get": {"responses": {}}},
            "/{tenant}/rest/3/users": {"get": {"responses": {}}},
            "/": {"get": {"responses": {}}},
        }
    )
    api = load_doc(doc)
    modules = {m.name: [op.key for op in m.operations] for m in api.modules}
    assert modules["customers"] == [
        "GET /v1/customers",
        "POST /v1/customers",
        "GET /v1/customers/{customer}",
        "GET /v1/customers/{customer}/balance_transactions",
    ]
    assert modules["charges"] == ["POST /v1/charges/{charge}/refund"]
    assert modules["accounts"] == ["GET /api/v2.1/accounts"]
    assert modules["users"] == ["GET /{tenant}/rest/3/users"]
    assert modules["default"] == ["GET /"]
    # modules made from paths are in alphabetical order
    assert [m.name for m in api.modules] == sorted(modules)


def test_operation_index_fields(store: spec.Spec) -> None:
    ops = {op.key: op for op in store.operations}
    assert list(ops) == [
        "GET /pets",
        "POST /pets",
        "GET /pets/{petId}",
        "DELETE /pets/{petId}",
        "GET /v1/orders/{id}/items",
    ]
    get = ops["GET /pets"]
    assert (get.method, get.path, get.operation_id, get.summary) == (
        "GET",
        "/pets",
        "listPets",
        "List pets",
    )
    assert get.title == "List pets"
    assert get.tags == ("pets",)
    assert get.pointer == "/paths/~1pets/get"
    assert get.kind == "operation"
    assert not get.deprecated
    assert ops["POST /pets"].deprecated
    assert ops["POST /pets"].title == "createPet"
    assert ops["DELETE /pets/{petId}"].title == "DELETE /pets/{petId}"
    assert ops["DELETE /pets/{petId}"].operation_id == ""
    assert store.find("GET /pets") is get
    assert store.find("get /pets") is get
    assert store.find("listPets") is get
    assert store.operation("get", "/pets") is get
    assert store.find("nope") is None
    assert store.find("GET /nope") is None


def test_descriptions(store: spec.Spec) -> None:
    assert store.find("showPet").description == "one pet"
    assert store.find("listPets").description == ""


def test_parameters_merged_and_overridden(store: spec.Spec) -> None:
    params = store.find("listPets").parameters
    assert [(p.name, p.location) for p in params] == [
        ("X-Trace", "header"),
        ("limit", "query"),
        ("session", "cookie"),
        ("filter", "query"),
    ]
    limit = store.find("listPets").parameter("limit", "query")
    assert limit is not None
    assert limit.description == "operation-level"
    assert limit.schema == {"type": "integer", "maximum": 100}
    assert not limit.required


def test_path_parameters_are_required(store: spec.Spec) -> None:
    (pet_id,) = store.find("showPet").parameters
    assert (pet_id.name, pet_id.location, pet_id.required) == ("petId", "path", True)
    assert pet_id.schema == {"type": "string", "format": "uuid"}
    # the path-level parameter is shared by every method of the path
    delete = store.find("DELETE /pets/{petId}")
    assert [p.name for p in delete.parameters] == ["petId"]


def test_content_described_parameter(store: spec.Spec) -> None:
    flt = store.find("listPets").parameter("filter", "query")
    assert flt is not None
    assert flt.media_type == "application/json"
    assert flt.schema["properties"]["kind"] == {"type": "string"}


def test_parameter_details(load_doc: Loader) -> None:
    doc = oas3(
        {
            "/p": {
                "get": {
                    "parameters": [
                        {
                            "name": "ids",
                            "in": "query",
                            "required": True,
                            "deprecated": True,
                            "style": "pipeDelimited",
                            "explode": False,
                            "allowEmptyValue": True,
                            "example": "1|2",
                            "examples": {"two": {"value": "1|2", "summary": "two ids"}},
                            "schema": {"type": "array", "items": {"type": "integer"}},
                        }
                    ],
                    "responses": {},
                }
            }
        }
    )
    (p,) = load_doc(doc).find("GET /p").parameters
    assert p.required and p.deprecated and p.allow_empty_value
    assert (p.style, p.explode, p.example) == ("pipeDelimited", False, "1|2")
    assert [(e.name, e.value) for e in p.examples] == [("example", "1|2"), ("two", "1|2")]
    assert p.examples[1].summary == "two ids"


def test_request_body_per_media_type(store: spec.Spec) -> None:
    body = store.find("createPet").request_body
    assert body is not None
    assert body.required
    assert body.description == "the pet"
    assert [m.media_type for m in body.content] == [
        "application/json",
        "application/x-www-form-urlencoded",
    ]
    js = body.media("application/json")
    assert js is not None and js.schema is not None
    assert js.schema["properties"]["name"] == {"type": "string"}
    assert js.schema[spec.REF_KEY] == "#/components/schemas/Pet"
    examples = {e.name: e for e in js.examples}
    assert examples["example"].value == {"name": "Tom"}
    assert examples["rex"].value == {"name": "Rex"}
    assert examples["rex"].summary == "a dog"
    assert examples["inline"].description == "a cat"
    form = body.media("application/x-www-form-urlencoded")
    assert form is not None
    assert form.encoding == {"name": {"style": "form"}}
    assert body.media("text/plain") is None
    assert store.find("listPets").request_body is None


def test_responses_per_status_and_media_type(store: spec.Spec) -> None:
    op = store.find("listPets")
    assert [r.status for r in op.responses] == ["200", "4XX", "default"]
    ok = op.response(200)
    assert ok is not None
    assert [m.media_type for m in ok.content] == ["application/json", "text/csv"]
    schema = ok.media("application/json").schema  # type: ignore[union-attr]
    assert schema["type"] == "array"
    assert schema["items"]["properties"]["id"]["readOnly"] is True
    headers = {h.name: h for h in ok.headers}
    assert headers["X-Rate-Limit"].required
    assert headers["X-Rate-Limit"].schema == {"type": "integer"}
    assert headers["X-Rate-Limit"].description == "calls per hour"
    assert headers["X-Next"].description == "next page"
    assert op.response("404").status == "4XX"  # type: ignore[union-attr]
    problem = op.response(404).media("application/problem+json")  # type: ignore[union-attr]
    assert problem is not None and problem.schema["type"] == "object"  # type: ignore[index]
    assert op.response(500).status == "default"  # type: ignore[union-attr]


def test_response_lookup_without_default(store: spec.Spec) -> None:
    assert store.find("createPet").response(500) is None
    assert store.find("createPet").response(201).description == "created"  # type: ignore[union-attr]


def test_servers_per_operation_and_path(store: spec.Spec) -> None:
    assert [s.url for s in store.find("createPet").servers] == ["https://op-level.example"]
    assert [s.url for s in store.find("listPets").servers] == ["https://path-level.example"]
    assert store.find("showPet").servers == store.servers


def test_extensions(store: spec.Spec) -> None:
    assert store.find("createPet").extensions == {"x-ratelimit": {"limit": 10}}


def test_schema_names(store: spec.Spec) -> None:
    assert store.schema_names == ("Pet", "Error")


CALLBACKS = oas3(
    {
        "/subscribe": {
            "post": {
                "operationId": "subscribe",
                "responses": {"201": {"description": "ok"}},
                "callbacks": {
                    "onEvent": {
                        "{$request.body#/callbackUrl}": {
                            "post": {
                                "requestBody": {
                                    "content": {
                                        "application/json": {
                                            "schema": {"$ref": "#/components/schemas/Event"}
                                        }
                                    }
                                },
                                "responses": {"200": {"description": "ok"}},
                            }
                        }
                    },
                    "shared": {"$ref": "#/components/callbacks/Shared"},
                },
            }
        }
    },
    components={
        "schemas": {"Event": {"type": "object", "properties": {"id": {"type": "string"}}}},
        "callbacks": {
            "Shared": {"{$request.query.url}": {"get": {"responses": {"200": {"description": ""}}}}}
        },
    },
)


def test_callbacks(load_doc: Loader) -> None:
    api = load_doc(CALLBACKS)
    callbacks = api.find("subscribe").callbacks
    assert [(c.name, c.expression) for c in callbacks] == [
        ("onEvent", "{$request.body#/callbackUrl}"),
        ("shared", "{$request.query.url}"),
    ]
    (cb_op,) = callbacks[0].operations
    assert (cb_op.kind, cb_op.method, cb_op.path) == (
        "callback",
        "POST",
        "{$request.body#/callbackUrl}",
    )
    schema = cb_op.request_body.content[0].schema  # type: ignore[union-attr]
    assert schema["properties"]["id"] == {"type": "string"}  # type: ignore[index]
    assert callbacks[1].operations[0].method == "GET"
    # callbacks are not operations of the document
    assert len(api.operations) == 1


def test_webhooks_31(load_doc: Loader) -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "W", "version": "1"},
        "webhooks": {
            "order.created": {
                "post": {
                    "summary": "An order was made",
                    "requestBody": {
                        "content": {"application/json": {"schema": {"type": "object"}}}
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "ping": {"post": {"tags": ["Health"], "responses": {}}},
        },
    }
    api = load_doc(doc)
    assert api.operations == ()
    assert [(w.kind, w.method, w.path) for w in api.webhooks] == [
        ("webhook", "POST", "order.created"),
        ("webhook", "POST", "ping"),
    ]
    created = api.webhooks[0]
    assert created.summary == "An order was made"
    assert created.module == "webhooks"
    assert api.webhooks[1].module == "Health"
    assert created.request_body.content[0].schema == {"type": "object"}  # type: ignore[union-attr]
    assert created.pointer == "/webhooks/order.created/post"
    assert api.warnings == []


def test_x_webhooks_30(load_doc: Loader) -> None:
    doc = oas3(**{"x-webhooks": {"invoice.paid": {"post": {"responses": {}}}}})
    api = load_doc(doc)
    assert [w.key for w in api.webhooks] == ["POST invoice.paid"]
    assert api.webhooks[0].pointer == "/x-webhooks/invoice.paid/post"


def test_openapi_31_document(load_doc: Loader) -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": ["string", "null"]}}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/components/schemas/A",
                                        "description": "sibling of $ref",
                                    }
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"A": {"type": "object", "description": "original"}}},
    }
    api = load_doc(doc)
    assert api.is_openapi31
    op = api.find("GET /a")
    assert op.parameters[0].schema == {"type": ["string", "null"]}
    schema = op.response(200).content[0].schema  # type: ignore[union-attr]
    assert schema["description"] == "sibling of $ref"  # type: ignore[index]
    assert schema["type"] == "object"  # type: ignore[index]


def test_operations_without_source_explain_themselves() -> None:
    op = spec.Operation("GET", "/x", "", "", "m")
    with pytest.raises(RuntimeError):
        _ = op.parameters


def test_lazy_parts_are_kept(store: spec.Spec) -> None:
    op = store.find("listPets")
    assert op.parameters is op.parameters
    assert op.responses is op.responses


def test_operation_style_documents_are_grouped_by_service(load_doc: Any) -> None:
    """Paths that differ only after `#` or `?` (AWS-style documents) are grouped by the
    service or the operationId prefix, and each operation has its name."""

    def op(op_id: str) -> dict[str, Any]:
        return {"operationId": op_id, "responses": {"200": {"description": "ok"}}}

    doc = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/#X-Amz-Target=Cognito.AdminAddUserToGroup": {"post": op("AdminAddUserToGroup")},
            "/#X-Amz-Target=Cognito.AdminCreateUser": {"post": op("AdminCreateUser")},
            "/?Action=DescribeInstances&Version=2016-11-15": {"get": op("ec2.DescribeInstances")},
            "/?Action=RunInstances&Version=2016-11-15": {"get": op("ec2.RunInstances")},
            "/items/{id}": {"get": op("getItem")},
        },
    }
    api = load_doc(doc)
    modules = {m.name: [o.name or o.path for o in m.operations] for m in api.modules}
    assert modules == {
        "Cognito": ["AdminAddUserToGroup", "AdminCreateUser"],
        "ec2": ["DescribeInstances", "RunInstances"],
        "items": ["/items/{id}"],
    }
