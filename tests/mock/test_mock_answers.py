"""Routing and answers on a small hand-written spec (tests/mock/fixtures/shop.yaml)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from explorer import mock, spec
from explorer.mock import MockServer

SHOP_FILE = Path(__file__).resolve().parent / "fixtures" / "shop.yaml"
AUTH = {"Authorization": "Bearer anything"}


def test_public_names() -> None:
    assert set(mock.__all__) >= {"MockServer", "cli_main", "create_app"}
    for name in mock.__all__:
        assert getattr(mock, name) is not None


def test_serves_under_the_servers_base_path(shop: MockServer) -> None:
    assert shop.base_url.startswith("http://127.0.0.1:")
    assert shop.port > 0
    assert shop.api_url == shop.base_url + "/v1"
    with httpx.Client(base_url=shop.base_url) as client:
        r = client.get("/v1/health")
        assert r.status_code == 200
        assert r.text == "ok"
        assert r.headers["content-type"].startswith("text/plain")


def test_literal_path_wins_over_template(shop_client: httpx.Client) -> None:
    r = shop_client.get("/items/search", params={"q": "lamp"})
    assert r.status_code == 200
    assert r.json() == {"query": "lamp", "count": 0}


def test_path_parameters_inside_a_segment(shop_client: httpx.Client) -> None:
    r = shop_client.get("/items/3/photos/front.png")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/png"
    bad = shop_client.get("/items/3/photos/side.png")
    assert bad.status_code == 422
    assert bad.json()["details"][0]["field"] == "photo"


def test_first_example_and_declared_headers(shop_client: httpx.Client) -> None:
    r = shop_client.get("/items")
    assert r.status_code == 200
    assert r.json() == [
        {"id": 1, "name": "Lamp", "price": 12.5},
        {"id": 2, "name": "Desk", "price": 99},
    ]
    assert r.headers["X-Total-Count"] == "2"


def test_prefer_example_picks_a_named_example(shop_client: httpx.Client) -> None:
    r = shop_client.get("/items", headers={"Prefer": "example=empty"})
    assert r.status_code == 200
    assert r.json() == []
    missing = shop_client.get("/items", headers={"Prefer": "example=nope"})
    assert missing.status_code == 400
    assert "two, empty" in missing.json()["message"]


def test_prefer_code_picks_a_response(shop_client: httpx.Client) -> None:
    r = shop_client.get("/items/5", headers={"Prefer": "code=404", **AUTH})
    assert r.status_code == 404
    assert r.json() == {"message": "no such item"}


def test_generated_body_is_stable_and_fits_the_schema(
    shop_client: httpx.Client, shop_api: spec.Spec
) -> None:
    first = shop_client.get("/items/5", headers=AUTH)
    second = shop_client.get("/items/5", headers=AUTH)
    assert first.status_code == 200
    assert first.json() == second.json()
    schema = shop_api.find("getItem").response(200).content[0].schema  # type: ignore[union-attr]
    assert spec.validate(first.json(), schema, direction="response") == []
    assert first.json()["name"] == "Chair"


def test_no_content_has_no_body(shop_client: httpx.Client) -> None:
    r = shop_client.delete("/items/5", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert r.status_code == 204
    assert r.content == b""
    assert "content-type" not in r.headers


def test_created_item_from_schema(shop_client: httpx.Client) -> None:
    r = shop_client.post("/items", json={"name": "Lamp", "price": 3}, headers=AUTH)
    assert r.status_code == 201
    assert set(r.json()) >= {"id", "name", "price"}


def test_form_body_is_coerced(shop_client: httpx.Client) -> None:
    r = shop_client.post("/items", data={"name": "Lamp", "price": "3.5"}, headers=AUTH)
    assert r.status_code == 201
    bad = shop_client.post("/items", data={"name": "Lamp", "price": "cheap"}, headers=AUTH)
    assert bad.status_code == 422
    assert bad.json()["details"][0]["field"] == "price"


def test_unknown_path_is_a_404_problem(shop_client: httpx.Client) -> None:
    r = shop_client.get("/nothing/here")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    doc = r.json()
    assert doc["statusCode"] == doc["status"] == 404
    assert doc["error"] == doc["title"] == "Not Found"
    assert doc["instance"] == "/v1/nothing/here"
    assert "/v1" in doc["message"]


def test_wrong_method_is_a_405_with_allow(shop_client: httpx.Client) -> None:
    r = shop_client.put("/items/1", json={})
    assert r.status_code == 405
    assert r.headers["Allow"] == "DELETE, GET"
    assert r.json()["statusCode"] == 405


def test_body_over_the_limit_is_a_413(shop_api: spec.Spec) -> None:
    with (
        MockServer(shop_api, max_body=1000) as server,
        httpx.Client(base_url=server.api_url) as client,
    ):
        r = client.post("/items", content=b"x" * 5000, headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert r.json()["statusCode"] == 413
        assert client.get("/health").status_code == 200  # still serving


def test_context_manager_stops_the_server(shop_api: spec.Spec) -> None:
    server = MockServer(shop_api)
    with server:
        url = server.api_url
        assert server.running
        with httpx.Client() as client:
            assert client.get(url + "/health").status_code == 200
    assert not server.running
    with httpx.Client() as client:
        try:
            client.get(url + "/health", timeout=2)
        except httpx.ConnectError:
            pass
        else:
            raise AssertionError("the server still answers after stop()")


def test_prefer_dynamic_skips_the_examples(shop_client: httpx.Client) -> None:
    r = shop_client.get("/items", headers={"Prefer": "dynamic=true"})
    assert r.status_code == 200
    assert r.json() == [{"id": 7, "name": "Chair", "price": 45.0, "sku": r.json()[0]["sku"]}]


def test_a_path_is_loaded_and_served() -> None:
    with MockServer(SHOP_FILE) as server, httpx.Client(base_url=server.api_url) as client:
        assert server.api.title == "Shop"
        assert client.get("/health").text == "ok"


def test_demo_behaviour_can_be_forced(shop_api: spec.Spec) -> None:
    assert MockServer(shop_api).app.demo is None
    assert MockServer(shop_api, demo=True).app.demo is not None


def test_a_failure_inside_is_a_500_problem_and_the_server_lives_on(
    shop: MockServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(shop.app.responder, "reply", broken)
    with httpx.Client(base_url=shop.api_url) as client:
        r = client.get("/health")
        assert r.status_code == 500
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["statusCode"] == 500
        monkeypatch.undo()
        assert client.get("/health").status_code == 200
    assert any("boom" in (rec.exc_text or "") or rec.exc_info for rec in caplog.records)
