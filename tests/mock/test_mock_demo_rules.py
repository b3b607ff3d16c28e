"""The demo keeps the rules its documentation states, each through HTTP: issued keys only,
scopes, expiry, revocation, rotation's 24 hours, real `lastUsedAt` and usage, the free
plan's daily quota, rate limits per client with one authenticated budget, the audit log,
and validation messages in the documented words. The clock is the tests' (conftest)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

FakeClock = Any  # tests/mock/conftest.py
DEMO_KEY = "ecos_test_A1b2C3d4A1b2C3d4A1b2C3d4A1b2C3d4"  # the one the document names
ADMIN = {"Authorization": f"Bearer {DEMO_KEY}"}


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issue(client: httpx.Client, scope: str, **extra: Any) -> tuple[str, str]:
    """(key id, secret) of a key issued by the demo key."""
    r = client.post(
        "/api-keys", json={"name": f"{scope} key", "scope": scope, **extra}, headers=ADMIN
    )
    assert r.status_code == 201, r.text
    return r.json()["id"], r.json()["key"]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_only_issued_keys_and_the_documented_demo_key_are_accepted(
    demo_client: httpx.Client,
) -> None:
    assert demo_client.get("/contacts", headers=ADMIN).status_code == 200
    made_up = "ecos_live_" + "Q" * 32  # well-formed, never issued
    r = demo_client.get("/contacts", headers=bearer(made_up))
    assert r.status_code == 401
    assert r.json()["message"] == "Invalid or expired credentials"
    _, secret = issue(demo_client, "read-only")
    assert demo_client.get("/contacts", headers=bearer(secret)).status_code == 200


def test_scopes_are_enforced_with_403_problems(demo_client: httpx.Client) -> None:
    _, read_only = issue(demo_client, "read-only")
    _, read_write = issue(demo_client, "read-write")
    new = {"type": "person", "name": "Grace Hopper"}
    assert demo_client.get("/contacts", headers=bearer(read_only)).status_code == 200
    r = demo_client.post("/contacts", json=new, headers=bearer(read_only))
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["statusCode"] == 403
    assert "read-only" in r.json()["message"] and "read-write" in r.json()["message"]
    assert demo_client.post("/contacts", json=new, headers=bearer(read_write)).status_code == 201
    key = {"name": "sneaky", "scope": "admin"}
    for secret in (read_only, read_write):
        r = demo_client.post("/api-keys", json=key, headers=bearer(secret))
        assert r.status_code == 403, secret
        assert "admin" in r.json()["message"]


def test_an_expired_key_is_refused(demo_client: httpx.Client, clock: FakeClock) -> None:
    key_id, secret = issue(demo_client, "read-only", expiresAt=iso(clock.now + 3600))
    assert demo_client.get("/contacts", headers=bearer(secret)).status_code == 200
    clock.advance(3601)
    assert demo_client.get("/contacts", headers=bearer(secret)).status_code == 401
    record = demo_client.get(f"/api-keys/{key_id}", headers=ADMIN).json()
    assert record["status"] == "expired"


def test_a_rotated_out_key_works_24_hours_then_not(
    demo_client: httpx.Client, clock: FakeClock
) -> None:
    key_id, old = issue(demo_client, "read-only")
    r = demo_client.post(f"/api-keys/{key_id}/rotate", headers=ADMIN)
    assert r.status_code == 200
    new = r.json()["key"]
    assert r.json()["previousKeyExpiresAt"] == iso(clock.now + 24 * 3600)
    assert demo_client.get("/contacts", headers=bearer(old)).status_code == 200
    assert demo_client.get("/contacts", headers=bearer(new)).status_code == 200
    clock.advance(23 * 3600)
    assert demo_client.get("/contacts", headers=bearer(old)).status_code == 200
    clock.advance(3600 + 1)
    assert demo_client.get("/contacts", headers=bearer(old)).status_code == 401
    assert demo_client.get("/contacts", headers=bearer(new)).status_code == 200


def test_revocation_ends_the_key_and_its_rotated_out_secret(demo_client: httpx.Client) -> None:
    key_id, old = issue(demo_client, "read-only")
    new = demo_client.post(f"/api-keys/{key_id}/rotate", headers=ADMIN).json()["key"]
    assert demo_client.delete(f"/api-keys/{key_id}", headers=ADMIN).status_code == 204
    for secret in (old, new):
        assert demo_client.get("/contacts", headers=bearer(secret)).status_code == 401


def test_last_used_and_usage_are_real(demo_client: httpx.Client, clock: FakeClock) -> None:
    key_id, secret = issue(demo_client, "read-only")
    record = demo_client.get(f"/api-keys/{key_id}", headers=ADMIN).json()
    assert record["lastUsedAt"] is None
    clock.advance(90)
    assert demo_client.get("/contacts", headers=bearer(secret)).status_code == 200
    assert demo_client.get("/contacts/not-an-id", headers=bearer(secret)).status_code in (
        404,
        422,
    )
    used_at = clock.now
    clock.advance(30)
    record = demo_client.get(f"/api-keys/{key_id}", headers=ADMIN).json()
    assert record["lastUsedAt"] == iso(used_at)
    usage = demo_client.get(f"/api-keys/{key_id}/usage", headers=ADMIN).json()
    assert usage["keyId"] == key_id
    assert (usage["totalRequests"], usage["errorCount"], usage["errorRate"]) == (2, 1, 0.5)
    assert usage["daily"] == [{"date": iso(used_at)[:10], "requests": 2, "errors": 1}]
    assert usage["lastUsedAt"] == iso(used_at)


def test_the_free_plan_has_a_daily_quota(demo_client: httpx.Client, clock: FakeClock) -> None:
    clock.now = 1_700_006_400.0  # a midnight, UTC
    _, secret = issue(demo_client, "read-only")
    statuses = []
    for _ in range(1000):
        clock.advance(1)  # 60 a minute: under the 100/min rate limit
        r = demo_client.get("/contacts", headers=bearer(secret))
        statuses.append(r.status_code)
    assert statuses == [200] * 1000
    assert r.headers["X-Quota-Limit"] == "1000"
    assert r.headers["X-Quota-Remaining"] == "0"
    r = demo_client.get("/contacts", headers=bearer(secret))
    assert r.status_code == 429
    assert "Daily quota exceeded" in r.json()["message"]
    reset = 1_700_006_400 + 86400
    assert r.headers["X-Quota-Reset"] == str(reset)
    assert int(r.headers["Retry-After"]) == reset - int(clock.now)
    assert demo_client.get("/contacts", headers=ADMIN).status_code == 200  # per credential
    clock.now = reset + 1
    assert demo_client.get("/contacts", headers=bearer(secret)).status_code == 200


def test_public_rate_limits_count_by_address_whatever_the_header(
    demo_client: httpx.Client,
) -> None:
    for _ in range(5):
        demo_client.post("/support", json={})
    for made_up in ("Bearer a", "Bearer b", "Bearer ecos_live_" + "Z" * 32):
        r = demo_client.post("/support", json={}, headers={"Authorization": made_up})
        assert r.status_code == 429, made_up  # no fresh budget for a made-up credential
    r = demo_client.post("/support", json={}, headers=ADMIN)
    assert r.status_code == 422  # a valid credential has a budget of its own


def test_one_authenticated_budget_across_endpoints(demo_client: httpx.Client) -> None:
    statuses = []
    for i in range(100):
        path = ("/contacts", "/auth/me", "/api-keys")[i % 3]
        statuses.append(demo_client.get(path, headers=ADMIN).status_code)
    assert statuses == [200] * 100
    r = demo_client.get("/webhooks", headers=ADMIN)
    assert r.status_code == 429
    assert r.headers["X-RateLimit-Limit"] == "100"
    assert r.headers["X-RateLimit-Remaining"] == "0"


def test_the_audit_log_records_requests(demo_client: httpx.Client) -> None:
    key_id, secret = issue(demo_client, "read-write")
    demo_client.post(
        "/contacts", json={"type": "person", "name": "Audited"}, headers=bearer(secret)
    )
    entries = demo_client.get("/audit-logs/entries", params={"limit": 100}, headers=ADMIN).json()[
        "data"
    ]
    mine = [e for e in entries if e.get("apiKeyId") == key_id]
    assert [e["action"] for e in mine] == ["contactsCreate"]
    assert mine[0]["status"] == "success"
    assert mine[0]["ipAddress"] == "127.0.0.1"
    one = demo_client.get(f"/audit-logs/entries/{mine[0]['id']}", headers=ADMIN)
    assert one.json() == mine[0]


def test_validation_messages_in_the_documented_words(demo_client: httpx.Client) -> None:
    r = demo_client.post(
        "/auth/register", json={"email": "not-an-email", "password": "short", "name": "A"}
    )
    assert r.status_code == 422
    details = {d["field"]: d["message"] for d in r.json()["details"]}
    assert details["email"] == "Invalid email address"
    assert details["password"] == "Must be at least 8 characters"
