"""Validation (422/400/415), security (401) and rate limits (429) on the shop spec."""

from __future__ import annotations

from typing import Any

import httpx

from explorer.mock import MockServer

FakeClock = Any  # tests/mock/conftest.py

AUTH = {"Authorization": "Bearer anything"}


def fields(r: httpx.Response) -> dict[str, str]:
    # a problem document, in the media type the operation documents for the status
    assert r.headers["content-type"] in ("application/problem+json", "application/json")
    doc = r.json()
    assert doc["statusCode"] == doc["status"] == r.status_code
    assert doc["instance"].startswith("/v1/")
    return {d["field"]: d["message"] for d in doc.get("details", [])}


def test_query_parameters_are_coerced_then_checked(shop_client: httpx.Client) -> None:
    ok = shop_client.get(
        "/items", params={"limit": "10", "inStock": "true", "tag": ["red", "blue"]}
    )
    assert ok.status_code == 200
    r = shop_client.get(
        "/items", params={"limit": "many", "inStock": "yes", "tag": ["red", "pink"]}
    )
    assert r.status_code == 422
    assert r.json()["message"] == "Validation failed"
    found = fields(r)
    assert set(found) == {"limit", "inStock", "tag[1]"}
    assert "integer" in found["limit"]
    assert "pink" in found["tag[1]"]
    too_big = shop_client.get("/items", params={"limit": "500"})
    assert "limit" in fields(too_big)


def test_required_query_parameter(shop_client: httpx.Client) -> None:
    r = shop_client.get("/items/search")
    assert r.status_code == 422
    assert fields(r) == {"q": "is required (query parameter)"}


def test_header_and_cookie_parameters(shop_client: httpx.Client) -> None:
    r = shop_client.get("/items", headers={"X-Trace": "not-hex", "Cookie": "session=ab"})
    assert r.status_code == 422
    assert set(fields(r)) == {"X-Trace", "session"}
    ok = shop_client.get("/items", headers={"X-Trace": "deadbeef", "Cookie": "session=abc"})
    assert ok.status_code == 200


def test_invalid_path_parameter(shop_client: httpx.Client) -> None:
    # getPhoto documents no error response: the plain 422
    r = shop_client.get("/items/x/photos/front.png")
    assert r.status_code == 422
    assert "integer" in fields(r)["itemId"]
    # getItem documents 404 but not 422: the answer stays within what the spec promises
    r = shop_client.get("/items/zero", headers=AUTH)
    assert r.status_code == 404
    assert "itemId" in fields(r)
    r = shop_client.get("/items/0", headers=AUTH)
    assert fields(r)["itemId"] == "Must be at least 1"  # in the documented wording


def test_body_fields_are_named_by_dotted_paths(shop_client: httpx.Client) -> None:
    body = {"price": -1, "dimensions": {"depth": "deep"}, "parts": [{"qty": 1}, {"qty": 0}], "x": 1}
    r = shop_client.post("/items", json=body, headers=AUTH)
    assert r.status_code == 422
    found = fields(r)
    assert set(found) == {
        "name",
        "price",
        "dimensions.width",
        "dimensions.depth",
        "parts[1].qty",
        "x",
    }
    assert found["name"] == "is required"
    assert found["x"] == "is not an allowed property"


def test_missing_body(shop_client: httpx.Client) -> None:
    r = shop_client.post("/items", headers=AUTH)
    assert r.status_code == 422
    assert fields(r) == {"body": "A request body is required"}


def test_malformed_json_names_line_and_column(shop_client: httpx.Client) -> None:
    r = shop_client.post(
        "/items",
        content=b'{\n  "name": "Lamp",\n  "price": 3,\n}',
        headers={"content-type": "application/json", **AUTH},
    )
    assert r.status_code == 400
    message = r.json()["message"]
    assert message.startswith("Malformed JSON in request body")
    assert "line 4, column 1" in message


def test_wrong_content_type_is_a_415(shop_client: httpx.Client) -> None:
    r = shop_client.post("/items", content=b"name=x", headers={"content-type": "text/csv", **AUTH})
    assert r.status_code == 415
    assert "application/json" in r.json()["message"]


def test_missing_credentials_is_a_401_with_a_challenge(shop_client: httpx.Client) -> None:
    r = shop_client.get("/items/1")
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert "Bearer" in r.headers["WWW-Authenticate"]
    assert "X-Api-Key" in r.headers["WWW-Authenticate"]
    assert r.json()["statusCode"] == 401


def test_any_alternative_passes(shop_client: httpx.Client) -> None:
    assert shop_client.get("/items/1", headers={"X-Api-Key": "k"}).status_code == 200
    assert shop_client.get("/items/1", headers=AUTH).status_code == 200
    # a scheme with no credential after it is not a credential
    assert shop_client.get("/items/1", headers={"Authorization": "Bearer"}).status_code == 401
    assert shop_client.get("/items/1", headers={"X-Api-Key": ""}).status_code == 401


def test_basic_auth_must_be_well_formed(shop_client: httpx.Client) -> None:
    r = shop_client.delete("/items/1", headers={"Authorization": "Basic !!!"})
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Basic")
    assert shop_client.delete("/items/1", headers=AUTH).status_code == 401


def test_rate_limit_headers_then_429(shop_client: httpx.Client, clock: FakeClock) -> None:
    seen = []
    for _ in range(3):
        r = shop_client.get("/items")
        assert r.status_code == 200
        assert r.headers["X-RateLimit-Limit"] == "3"
        assert int(r.headers["X-RateLimit-Reset"]) == int(clock.now) + 60
        seen.append(int(r.headers["X-RateLimit-Remaining"]))
    assert seen == [2, 1, 0]
    clock.advance(15)
    r = shop_client.get("/items")
    assert r.status_code == 429
    assert r.headers["Retry-After"] == "45"
    assert r.headers["X-RateLimit-Remaining"] == "0"
    assert r.json()["statusCode"] == 429
    clock.advance(45)
    r = shop_client.get("/items")
    assert r.status_code == 200
    assert r.headers["X-RateLimit-Remaining"] == "2"


def test_rate_limits_count_per_credential(shop_client: httpx.Client) -> None:
    for _ in range(3):
        shop_client.get("/items")
    assert shop_client.get("/items").status_code == 429
    other = shop_client.get("/items", headers={"Authorization": "Bearer someone-else"})
    assert other.status_code == 200


def test_operations_without_x_ratelimit_have_no_headers(shop_client: httpx.Client) -> None:
    r = shop_client.get("/health")
    assert "X-RateLimit-Limit" not in r.headers


def test_validation_failures_keep_the_server_alive(shop: MockServer) -> None:
    junk = [
        b"\xff\xfe\x00",
        b"[" * 100_000,
        b'{"name": "\\ud800"}',
        b"null",
        b"",
    ]
    with httpx.Client(base_url=shop.api_url, headers=AUTH) as client:
        for body in junk:
            r = client.post("/items", content=body, headers={"content-type": "application/json"})
            assert 400 <= r.status_code < 500, (body[:10], r.status_code, r.text)
        r = client.get("/items/%2F..%2F")
        assert r.status_code in (404, 422)
        assert client.get("/health").status_code == 200
    assert shop.app.served >= len(junk)


def test_integral_json_numbers_count_as_integers(shop_client: httpx.Client) -> None:
    # 2.0 is an integer for JSON Schema since Draft 6 (and for schemathesis): accept it
    body = {"name": "Lamp", "price": 3, "parts": [{"qty": 2.0}]}
    assert shop_client.post("/items", json=body, headers=AUTH).status_code == 201
    body["parts"] = [{"qty": 2.5}]
    r = shop_client.post("/items", json=body, headers=AUTH)
    assert r.status_code == 422
    assert "parts[0].qty" in fields(r)


def test_a_scheme_type_in_any_case_is_checked_like_the_form_reads_it() -> None:
    """`type: APIKEY` is an API key for the Auth tab (credential_kind) and for the mock."""
    import json

    from explorer import spec
    from explorer.spec.describe import credential_kind

    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "/v1"}],
        "security": [{"key": []}],
        "components": {
            "securitySchemes": {"key": {"type": "APIKEY", "in": "header", "name": "X-Key"}}
        },
        "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    api = spec.load_bytes(json.dumps(doc).encode())
    assert credential_kind(api.security_schemes["key"]) == "apikey"
    with MockServer(api) as server, httpx.Client(base_url=server.api_url, timeout=10) as client:
        assert client.get("/x").status_code == 401
        assert client.get("/x", headers={"X-Key": "k"}).status_code == 200
