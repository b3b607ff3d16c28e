"""The ECOSIRE demo: login, JWT, cookie and API-key auth, contacts in memory, limits.

Skipped only while resources/ecosire/openapi.json has not been generated.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx

from explorer import spec
from explorer.mock import MockServer, jwt_decode

FakeClock = Any  # tests/mock/conftest.py
API_KEY = "ecos_test_" + "A1b2C3d4" * 4
DEMO_EMAIL, DEMO_PASSWORD = "demo@ecosire.com", "demo-password"  # as the README says


def login(client: httpx.Client) -> httpx.Response:
    return client.post("/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def test_demo_is_served_under_api(demo: MockServer, demo_api: spec.Spec) -> None:
    assert demo_api.title == "ECOSIRE API"
    assert demo.api_url.endswith("/api")
    assert demo.app.demo is not None


def test_login_returns_a_signed_jwt_the_user_and_a_cookie(
    demo_client: httpx.Client, clock: FakeClock
) -> None:
    r = login(demo_client)
    assert r.status_code == 200
    body = r.json()
    assert body["user"]["email"] == DEMO_EMAIL
    assert set(body["user"]) >= {"id", "email", "name", "role"}
    token = body["token"]
    claims = claims_of(token)
    assert claims["email"] == DEMO_EMAIL
    assert claims["sub"] == body["user"]["id"]
    assert claims["role"] == body["user"]["role"]
    assert claims["exp"] > clock.now
    assert jwt_decode(token, b"ecosire-demo-jwt-secret", clock.now) == claims
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith(f"ecosire_auth={token};")
    assert "HttpOnly" in cookie and "Path=/" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_is_a_401_problem(demo_client: httpx.Client) -> None:
    r = demo_client.post("/auth/login", json={"email": DEMO_EMAIL, "password": "not-the-one"})
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["statusCode"] == 401
    assert "Set-Cookie" not in r.headers


def test_login_body_is_validated(demo_client: httpx.Client) -> None:
    r = demo_client.post("/auth/login", json={"email": "not-an-email"})
    assert r.status_code == 422
    doc = r.json()
    assert doc["error"] == "Unprocessable Entity"
    assert doc["message"] == "Validation failed"
    assert {d["field"] for d in doc["details"]} == {"email", "password"}


def test_jwt_authenticates_later_calls(demo: MockServer) -> None:
    with httpx.Client(base_url=demo.api_url) as client:
        assert client.get("/contacts").status_code == 401
        token = login(client).json()["token"]
    with httpx.Client(base_url=demo.api_url) as fresh:  # no cookie jar carried over
        r = fresh.get("/contacts", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200
        assert r.json()["data"]
        me = fresh.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["email"] == DEMO_EMAIL


def test_cookie_from_login_authenticates(demo: MockServer) -> None:
    with httpx.Client(base_url=demo.api_url) as client:
        login(client)
        assert client.cookies.get("ecosire_auth")
        assert client.get("/contacts").status_code == 200
        assert client.post("/auth/logout").status_code == 204
        assert client.get("/contacts").status_code == 401


def test_api_keys_authenticate(demo_client: httpx.Client) -> None:
    ok = demo_client.get("/contacts", headers={"Authorization": f"Bearer {API_KEY}"})
    assert ok.status_code == 200
    for bad in ("ecos_test_short", "ecos_prod_" + "a" * 32, "garbage", API_KEY + "x"):
        r = demo_client.get("/contacts", headers={"Authorization": f"Bearer {bad}"})
        assert r.status_code == 401, bad
        assert r.json()["message"] == "Invalid or expired credentials"
        assert "Bearer" in r.headers["WWW-Authenticate"]


def test_tampered_or_expired_jwt_is_refused(demo: MockServer, clock: FakeClock) -> None:
    with httpx.Client(base_url=demo.api_url) as client:
        token = login(client).json()["token"]
    head, _, sig = token.split(".")
    forged = dict(claims_of(token), role="superuser")
    forged_payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    with httpx.Client(base_url=demo.api_url) as client:
        auth = {"Authorization": f"Bearer {head}.{forged_payload}.{sig}"}
        assert client.get("/contacts", headers=auth).status_code == 401
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/contacts", headers=auth).status_code == 200
        clock.advance(25 * 3600)
        assert client.get("/contacts", headers=auth).status_code == 401


def test_contacts_round_trip(demo_client: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {API_KEY}"}
    new = {"type": "person", "name": "Ada Lovelace", "email": "ada@example.com"}
    created = demo_client.post("/contacts", json=new, headers=auth)
    assert created.status_code == 201
    contact = created.json()
    cid = contact["id"]
    assert cid.startswith("con_") and len(cid) == 30
    assert contact["name"] == "Ada Lovelace"
    assert created.headers["Location"] == f"/api/contacts/{cid}"

    got = demo_client.get(f"/contacts/{cid}", headers=auth)
    assert got.status_code == 200
    assert got.json()["email"] == "ada@example.com"

    found = demo_client.get("/contacts", params={"q": "lovelace", "limit": 5}, headers=auth)
    assert [c["id"] for c in found.json()["data"]] == [cid]
    assert found.json()["meta"]["total"] == 1
    assert found.json()["meta"]["limit"] == 5

    patched = demo_client.patch(f"/contacts/{cid}", json={"jobTitle": "Analyst"}, headers=auth)
    assert patched.status_code == 200
    assert patched.json()["jobTitle"] == "Analyst"
    assert patched.json()["name"] == "Ada Lovelace"

    replaced = demo_client.put(
        f"/contacts/{cid}", json={"type": "person", "name": "Ada King"}, headers=auth
    )
    assert replaced.status_code == 200
    assert replaced.json()["name"] == "Ada King"
    assert replaced.json()["email"] is None  # PUT clears what it does not send

    assert demo_client.delete(f"/contacts/{cid}", headers=auth).status_code == 204
    gone = demo_client.get(f"/contacts/{cid}", headers=auth)
    assert gone.status_code == 404
    assert cid in gone.json()["message"]
    listed = demo_client.get("/contacts", params={"q": "lovelace"}, headers=auth)
    assert listed.json()["data"] == []


def test_contact_lists_page(demo_client: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {API_KEY}"}
    for i in range(5):
        r = demo_client.post(
            "/contacts", json={"type": "company", "name": f"Paging Co {i}"}, headers=auth
        )
        assert r.status_code == 201
    page = demo_client.get(
        "/contacts", params={"q": "paging co", "limit": 2, "page": 3}, headers=auth
    ).json()
    assert len(page["data"]) == 1
    assert page["meta"] == {"page": 3, "limit": 2, "total": 5, "totalPages": 3}


def test_contact_validation_names_fields(demo_client: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {API_KEY}"}
    r = demo_client.post(
        "/contacts",
        json={"type": "alien", "name": "X", "address": {"street": "s", "country": "DE"}},
        headers=auth,
    )
    assert r.status_code == 422
    assert {d["field"] for d in r.json()["details"]} == {"type", "address.city"}
    bad_id = demo_client.get("/contacts/not-an-id", headers=auth)
    assert bad_id.status_code in (404, 422)
    assert bad_id.json()["details"][0]["field"] == "contactId"


def test_created_api_key_works_until_revoked(demo_client: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {API_KEY}"}
    r = demo_client.post("/api-keys", json={"name": "CI", "scope": "read-only"}, headers=auth)
    assert r.status_code == 201
    key = r.json()["key"]
    assert key.startswith("ecos_live_") and len(key) == 42
    mine = {"Authorization": f"Bearer {key}"}
    assert demo_client.get("/contacts", headers=mine).status_code == 200
    listed = demo_client.get("/api-keys", headers=auth).json()["data"]
    assert r.json()["id"] in [k["id"] for k in listed]
    assert all("key" not in k for k in listed)
    assert demo_client.delete(f"/api-keys/{r.json()['id']}", headers=auth).status_code == 204
    assert demo_client.get("/contacts", headers=mine).status_code == 401


def test_webhook_endpoints_are_kept(demo_client: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {API_KEY}"}
    new = {"url": "https://erp.example.com/hook", "events": ["invoice.paid"]}
    r = demo_client.post("/webhooks", json=new, headers=auth)
    assert r.status_code == 201
    wid = r.json()["id"]
    assert r.json()["secret"].startswith("whsec_")
    r = demo_client.patch(f"/webhooks/{wid}", json={"enabled": False}, headers=auth)
    assert r.json()["enabled"] is False
    assert demo_client.get(f"/webhooks/{wid}", headers=auth).json()["enabled"] is False


def test_documented_rate_limit_on_support(demo_client: httpx.Client, clock: FakeClock) -> None:
    statuses = []
    for _ in range(6):
        r = demo_client.post("/support", json={})
        statuses.append(r.status_code)
        assert r.headers["X-RateLimit-Limit"] == "5"
    assert statuses == [422] * 5 + [429]
    assert r.json()["statusCode"] == 429
    assert int(r.headers["Retry-After"]) == 60
    assert int(r.headers["X-RateLimit-Reset"]) == int(clock.now) + 60


def test_every_answer_of_the_demo_has_rate_limit_headers(demo_client: httpx.Client) -> None:
    for path in ("/contacts", "/auth/me"):
        r = demo_client.get(path)
        assert r.status_code == 401
        assert r.headers["X-RateLimit-Limit"] == "100"


def test_problem_answers_fit_the_documented_error_schemas(
    demo_client: httpx.Client, demo_api: spec.Spec
) -> None:
    def check(r: httpx.Response, key: str) -> None:
        op = demo_api.find(key)
        assert op is not None
        declared = op.response(r.status_code)
        assert declared is not None, (key, r.status_code)
        media = declared.media(r.headers["content-type"])
        assert media is not None, (key, r.headers["content-type"])
        issues = spec.validate(r.json(), media.schema, direction="response")
        assert issues == [], issues

    check(demo_client.get("/contacts"), "GET /contacts")  # 401
    auth = {"Authorization": f"Bearer {API_KEY}"}
    check(demo_client.post("/contacts", json={"type": "x"}, headers=auth), "POST /contacts")  # 422
    check(
        demo_client.post(
            "/contacts", content=b"{", headers={**auth, "content-type": "application/json"}
        ),
        "POST /contacts",
    )  # 400
    check(
        demo_client.get("/contacts/con_01HV8Z3K4M5N6P7Q8R9S0T1V2Z", headers=auth),
        "GET /contacts/{contactId}",
    )  # 404
    for _ in range(6):
        r = demo_client.post("/support", json={})
    check(r, "POST /support")  # 429


def test_the_demo_store_is_bounded(demo_client: httpx.Client, clock: FakeClock) -> None:
    from explorer.mock._demo import MAX_RECORD, MAX_RECORDS

    auth = {"Authorization": f"Bearer {API_KEY}"}
    address = {"street": "s", "city": "c", "country": "DE", "more": "x" * MAX_RECORD}
    big = {"type": "person", "name": "Big", "address": address}
    r = demo_client.post("/contacts", json=big, headers=auth)
    assert r.status_code == 413
    assert r.json()["message"].startswith("The demo keeps records of at most 16,384 bytes")
    kept = demo_client.get("/contacts", params={"limit": 1}, headers=auth).json()["meta"]["total"]
    statuses = []
    for i in range(MAX_RECORDS - kept + 1):
        clock.advance(3600)  # past the rate limit's window
        r = demo_client.post("/contacts", json={"type": "person", "name": f"n{i}"}, headers=auth)
        statuses.append(r.status_code)
    assert statuses[:-1] == [201] * (MAX_RECORDS - kept)
    assert statuses[-1] == 507
    assert r.json()["message"] == (
        "The demo keeps at most 1,000 contacts in memory; delete some first"
    )
    cid = demo_client.get("/contacts", params={"limit": 1}, headers=auth).json()["data"][0]["id"]
    r = demo_client.patch(f"/contacts/{cid}", json={"address": address}, headers=auth)
    assert r.status_code == 413
