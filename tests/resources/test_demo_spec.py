"""The bundled ECOSIRE demo document (resources/ecosire/openapi.json) and its sources."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from explorer import demo_build

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = ROOT / "resources" / "ecosire"
SPEC_PATH = SPEC_DIR / "openapi.json"

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# Facts of the real API (/work/shared/ECOSIRE-API.md).
DOCUMENTED_LIMITS = {
    ("post", "/support"): 5,
    ("post", "/crm/capture"): 10,
    ("post", "/ecosire-ai/ask"): 20,
    ("post", "/licenses/validate"): 30,
    ("post", "/licenses/activate"): 10,
    ("post", "/newsletter/subscribe"): 5,
}
PUBLIC = {
    ("post", "/auth/login"),
    ("post", "/auth/register"),
    ("post", "/auth/password/forgot"),
    ("post", "/auth/password/reset"),
    ("post", "/newsletter/subscribe"),
    ("post", "/newsletter/unsubscribe"),
    ("post", "/support"),
    ("post", "/crm/capture"),
    ("post", "/licenses/validate"),
    ("post", "/licenses/activate"),
    ("get", "/health"),
    ("get", "/status"),
}
WEBHOOK_EVENTS = [
    "checkout.session.completed",
    "invoice.paid",
    "customer.subscription.deleted",
    "customer.subscription.updated",
    "charge.refunded",
    "payment_intent.payment_failed",
    "license.validated",
    "license.activated",
]
CHECKOUT_EXAMPLE = json.loads("""
{ "id": "evt_1ABCxyz", "object": "event", "type": "checkout.session.completed",
  "created": 1711000000,
  "data": { "object": { "id": "cs_live_abc123", "object": "checkout.session",
    "customer_email": "user@example.com", "amount_total": 24900, "currency": "usd",
    "mode": "payment", "payment_status": "paid",
    "metadata": { "userId": "usr_01HXYZ", "productIds": "[\\"prd_01HODOOCRM\\"]" } } } }
""")
VALIDATION_EXAMPLE = json.loads("""
{ "statusCode": 422, "error": "Unprocessable Entity", "message": "Validation failed",
  "details": [ { "field": "email", "message": "Invalid email address" },
               { "field": "password", "message": "Must be at least 8 characters" } ] }
""")
RL_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_top_level(doc: dict[str, Any]) -> None:
    assert doc["openapi"] == "3.0.3"
    assert doc["info"]["title"] == "ECOSIRE API"
    assert doc["servers"][0] == {"url": "https://api.ecosire.com/api", "description": "Production"}
    assert doc["servers"][1]["url"] == "http://127.0.0.1:{port}/api"
    assert doc["servers"][1]["variables"]["port"]["default"] == "8642"
    assert doc["security"] == [
        {"bearerAuth": []},
        {"apiKey": []},
        {"cookieAuth": []},
        {"oauth2": []},
    ]
    assert SPEC_PATH.stat().st_size < 4_000_000


def test_57_modules_and_818_operations(doc: dict[str, Any]) -> None:
    declared = [t["name"] for t in doc["tags"]]
    assert len(declared) == len(set(declared)) == 57
    assert all(t.get("description") for t in doc["tags"])
    used = {tag for _, _, op in operations(doc) for tag in op["tags"]}
    assert used == set(declared)
    assert all(len(op["tags"]) == 1 for _, _, op in operations(doc))
    assert len(operations(doc)) >= 818
    for name in (
        "auth",
        "contacts",
        "crm",
        "ecosire-ai",
        "licenses",
        "newsletter",
        "support",
        "api-keys",
        "webhooks",
        "sales",
        "inventory",
        "accounting",
        "hr",
        "helpdesk",
    ):
        assert name in declared
    grouped = [t for group in doc["x-tagGroups"] for t in group["tags"]]
    assert sorted(grouped) == sorted(declared)  # every module in exactly one group


def test_operation_ids_are_unique(doc: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(doc)]
    ids += [item["post"]["operationId"] for item in doc["x-webhooks"].values()]
    assert len(ids) == len(set(ids))
    assert all(i[0].islower() and "-" not in i and "_" not in i for i in ids)


def test_every_operation_is_rate_limited(doc: dict[str, Any]) -> None:
    for method, path, op in operations(doc):
        limit = op.get("x-ratelimit")
        assert limit is not None, (method, path)
        assert limit["window"] == 60
        if (method, path) in DOCUMENTED_LIMITS:
            assert limit["limit"] == DOCUMENTED_LIMITS[(method, path)], (method, path)
        elif op.get("security") == []:
            assert limit["limit"] == 60, (method, path)
        else:
            assert limit["limit"] == 100, (method, path)
    assert all((m, p) in {(m2, p2) for m2, p2, _ in operations(doc)} for m, p in DOCUMENTED_LIMITS)


def test_public_endpoints_override_security(doc: dict[str, Any]) -> None:
    public = {(m, p) for m, p, op in operations(doc) if op.get("security") == []}
    assert public == PUBLIC


def test_rate_limit_headers_on_success_and_429(doc: dict[str, Any]) -> None:
    comps = doc["components"]
    for name in (*RL_HEADERS, "Retry-After"):
        assert comps["headers"][name]["schema"]["type"] == "integer"
    too_many = comps["responses"]["TooManyRequests"]
    assert set(too_many["headers"]) == {"Retry-After", *RL_HEADERS}
    for method, path, op in operations(doc):
        assert op["responses"]["429"] == {"$ref": "#/components/responses/TooManyRequests"}, (
            method,
            path,
        )
        for status, response in op["responses"].items():
            if status.startswith("2"):
                headers = response.get("headers", {})
                for name in RL_HEADERS:
                    assert headers.get(name) == {"$ref": f"#/components/headers/{name}"}, (
                        method,
                        path,
                        status,
                    )


def test_errors_are_problem_details(doc: dict[str, Any]) -> None:
    comps = doc["components"]
    problem = comps["schemas"]["Problem"]
    assert problem["required"] == ["statusCode", "error", "message"]
    assert {"details", "type", "title", "status", "instance"} <= set(problem["properties"])
    expected = {
        "BadRequest": 400,
        "Unauthorized": 401,
        "Forbidden": 403,
        "NotFound": 404,
        "Conflict": 409,
        "ValidationFailed": 422,
        "TooManyRequests": 429,
        "InternalError": 500,
    }
    for name, status in expected.items():
        content = comps["responses"][name]["content"]
        assert list(content) == ["application/problem+json"]
        assert content["application/problem+json"]["example"]["statusCode"] == status
    assert (
        comps["responses"]["ValidationFailed"]["content"]["application/problem+json"]["example"]
        == VALIDATION_EXAMPLE
    )
    for name, spec in (("page", (1, None, 1)), ("limit", (1, 100, 20))):
        schema = comps["parameters"][name]["schema"]
        assert (schema["minimum"], schema.get("maximum"), schema["default"]) == spec
    assert {"sort", "q"} <= set(comps["parameters"])


def test_security_schemes(doc: dict[str, Any]) -> None:
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        **schemes["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert schemes["apiKey"]["type"] == "http" and schemes["apiKey"]["scheme"] == "bearer"
    assert schemes["apiKey"]["x-key-pattern"] == "^ecos_(live|test)_[A-Za-z0-9]{32}$"
    assert (
        schemes["cookieAuth"]["type"],
        schemes["cookieAuth"]["in"],
        schemes["cookieAuth"]["name"],
    ) == ("apiKey", "cookie", "ecosire_auth")
    flow = schemes["oauth2"]["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == "https://auth.ecosire.com/application/o/authorize/"
    assert flow["tokenUrl"] == "https://auth.ecosire.com/application/o/token/"
    assert {"openid", "profile", "email", "read", "write", "admin"} <= set(flow["scopes"])
    assert schemes["oauth2"]["x-pkce"] is True
    assert schemes["oidc"] == {
        **schemes["oidc"],
        "type": "openIdConnect",
        "openIdConnectUrl": "https://auth.ecosire.com/application/o/ecosire/.well-known/openid-configuration",
    }


def test_login_documents_the_demo_user_and_cookie(doc: dict[str, Any]) -> None:
    user = doc["x-explorer-demo"]["user"]
    assert (user["email"], user["password"]) == ("demo@ecosire.com", "demo-password")  # README
    login = doc["paths"]["/auth/login"]["post"]
    assert user["email"] in login["description"] and user["password"] in login["description"]
    assert user["password"] in doc["info"]["description"]
    body = login["requestBody"]["content"]["application/json"]
    assert body["example"] == {"email": user["email"], "password": user["password"]}
    ok = login["responses"]["200"]
    assert "HttpOnly" in ok["headers"]["Set-Cookie"]["description"]
    session = ok["content"]["application/json"]["example"]
    assert session["user"] == {k: user[k] for k in ("id", "email", "name", "role")}
    assert "401" in login["responses"] and "422" in login["responses"]


def test_the_example_jwt_is_signed_with_the_declared_secret(doc: dict[str, Any]) -> None:
    from explorer.mock import jwt_decode

    demo = doc["x-explorer-demo"]
    login = doc["paths"]["/auth/login"]["post"]["responses"]["200"]
    token = login["content"]["application/json"]["example"]["token"]
    claims = jwt_decode(token, demo["jwtSecret"].encode(), now=1711013400)
    assert claims is not None and claims["email"] == demo["user"]["email"]
    assert claims["exp"] - claims["iat"] == demo["tokenLifetime"]
    assert jwt_decode(token, b"another-secret", now=1711013400) is None


def test_the_demo_declares_its_secrets_once(doc: dict[str, Any]) -> None:
    """The mock's settings come from x-explorer-demo; no key there looks live."""
    from explorer.demo import demo_settings, demo_spec_path
    from explorer.spec import load

    settings = demo_settings(load(demo_spec_path()))
    demo = doc["x-explorer-demo"]
    assert settings is not None and settings.user is not None
    assert settings.user.email == demo["user"]["email"]
    assert settings.jwt_secret == demo["jwtSecret"].encode()
    assert settings.cookie == doc["components"]["securitySchemes"]["cookieAuth"]["name"]
    pattern = re.compile(doc["components"]["securitySchemes"]["apiKey"]["x-key-pattern"])
    for env, prefix in demo["apiKeyPrefixes"].items():
        key = prefix + "x" * demo["apiKeyLength"]
        assert pattern.match(key) and settings.is_api_key(key), env
    signed_with = {op["post"]["x-signature"]["secret"] for op in doc["x-webhooks"].values()}
    assert set(settings.webhook_secrets) == signed_with
    raw = SPEC_PATH.read_text(encoding="utf-8")
    for secret in (demo["jwtSecret"], *demo["webhookSecrets"].values()):
        assert raw.count(f'"{secret}"') == 1, secret


def test_nothing_looks_like_a_live_api_key() -> None:
    """Leak scanners flag `ecos_live_` + 32 letters and digits; the demo uses `ecos_test_`."""
    live = re.compile(r"ecos_live_[A-Za-z0-9]{32}")
    found = [
        str(path.relative_to(ROOT))
        for top in ("explorer", "tests", "resources", "packaging")
        for path in (ROOT / top).rglob("*")
        if path.suffix in (".py", ".json", ".yaml", ".md", ".sh", ".toml")
        and live.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    found += ["README.md"] if live.search((ROOT / "README.md").read_text(encoding="utf-8")) else []
    assert found == []
    assert live.search("ecos_live_" + "a1" * 16)  # the pattern does find one


def test_api_key_format_in_examples(doc: dict[str, Any]) -> None:
    pattern = re.compile(doc["components"]["securitySchemes"]["apiKey"]["x-key-pattern"])
    created = doc["paths"]["/api-keys"]["post"]["responses"]["201"]["content"]["application/json"][
        "example"
    ]
    rotated = doc["paths"]["/api-keys/{keyId}/rotate"]["post"]["responses"]["200"]["content"][
        "application/json"
    ]
    assert pattern.match(created["key"])
    assert pattern.match(rotated["example"]["key"]) and "previousKeyExpiresAt" in rotated["example"]
    assert doc["paths"]["/api-keys/{keyId}"]["delete"]["responses"]["204"]


def test_webhooks(doc: dict[str, Any]) -> None:
    hooks = doc["x-webhooks"]
    assert list(hooks) == WEBHOOK_EVENTS
    for event, item in hooks.items():
        op = item["post"]
        assert set(op["responses"]) == {"200", "401"}
        example = op["requestBody"]["content"]["application/json"]["example"]
        assert example["id"].startswith("evt_") and example["object"] == "event"
        assert (
            example["type"] == event
            and isinstance(example["created"], int)
            and "object" in example["data"]
        )
        body = json.dumps(example, separators=(",", ":"), ensure_ascii=False).encode()
        (param,) = op["parameters"]
        signature = op["x-signature"]
        assert (
            param["in"] == "header"
            and param["required"] is True
            and param["name"] == signature["header"]
        )
        secret = doc["x-explorer-demo"]["webhookSecrets"][signature["secret"]].encode()
        if event.startswith("license."):
            assert signature == {
                "scheme": "hmac-sha256",
                "header": "X-License-Signature",
                "secret": "ECOSIRE_LICENSE_SECRET",
            }
            expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
            assert param["example"] == expected
        else:
            assert signature == {
                "scheme": "stripe",
                "header": "Stripe-Signature",
                "secret": "STRIPE_WEBHOOK_SECRET",
            }
            t = example["created"]
            mac = hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
            assert param["example"] == f"t={t},v1={mac}"
    checkout = hooks["checkout.session.completed"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    assert checkout["example"] == CHECKOUT_EXAMPLE


def test_document_is_valid_openapi(doc: dict[str, Any]) -> None:
    from openapi_spec_validator import validate

    validate(doc)


def test_examples_match_their_schemas(doc: dict[str, Any]) -> None:
    """Every example (schemas, parameters, bodies, responses, webhooks) fits its schema.

    Formats are checked too; request bodies may not hold readOnly members, responses no writeOnly.
    """
    from openapi_schema_validator import (
        OAS30ReadValidator,
        OAS30Validator,
        OAS30WriteValidator,
        oas30_format_checker,
    )

    comps = doc["components"]
    failures: list[str] = []

    def check(schema: dict[str, Any], instance: Any, cls: Any, where: str) -> None:
        validator = cls({"components": comps, **schema}, format_checker=oas30_format_checker)
        for error in validator.iter_errors(instance):
            failures.append(f"{where} {list(error.absolute_path)}: {error.message[:160]}")

    for name, schema in comps["schemas"].items():
        if "example" in schema:
            check({"$ref": f"#/components/schemas/{name}"}, schema["example"], OAS30Validator, name)
        for prop, sub in schema.get("properties", {}).items():
            if "example" in sub and "$ref" not in sub:
                check(sub, sub["example"], OAS30Validator, f"{name}.{prop}")
    for name, response in comps["responses"].items():
        for media in response["content"].values():
            check(media["schema"], media["example"], OAS30Validator, name)
    for method, path, op in operations(doc):
        where = f"{method.upper()} {path}"
        for param in op.get("parameters", []):
            if "example" in param:
                check(param["schema"], param["example"], OAS30Validator, f"{where} {param['name']}")
        for media in op.get("requestBody", {}).get("content", {}).values():
            if "example" in media:
                check(media["schema"], media["example"], OAS30WriteValidator, f"{where} body")
        for status, response in op["responses"].items():
            for media in response.get("content", {}).values():
                if "example" in media:
                    check(
                        media["schema"], media["example"], OAS30ReadValidator, f"{where} {status}"
                    )
    for event, item in doc["x-webhooks"].items():
        media = item["post"]["requestBody"]["content"]["application/json"]
        check(media["schema"], media["example"], OAS30Validator, event)
    assert not failures, "\n".join(failures[:20])


def test_the_sources_give_the_committed_document(tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"
    done = subprocess.run(
        [sys.executable, "-m", "explorer.demo_build", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == SPEC_PATH.read_bytes()


def copy_sources(tmp_path: Path) -> Path:
    shutil.copytree(SPEC_DIR / "src", tmp_path / "src")
    return tmp_path


def edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_a_resource_row_is_the_source_of_its_schemas_and_operations(tmp_path: Path) -> None:
    root = copy_sources(tmp_path)

    def add_warranties(sales: dict[str, Any]) -> None:
        sales["resources"].append(
            {
                "path": "warranties",
                "singular": "warranty",
                "prefix": "wty",
                "statuses": ["active", "expired"],
                "fields": ["orderId!:ref:sor", "endsOn:date=2026-01-31", "terms~:text"],
                "actions": ["archive"],
            }
        )

    edit(root / "src" / "modules" / "sales.yaml", add_warranties)
    doc = demo_build.assemble(root)
    record = doc["components"]["schemas"]["SalesWarranty"]
    assert record["required"] == ["id", "orderId", "status", "createdAt", "updatedAt"]
    assert record["properties"]["terms"]["readOnly"] is True
    assert record["example"]["endsOn"] == "2026-01-31"
    assert record["properties"]["orderId"]["description"] == "ID of the order (sales order)."
    create = doc["components"]["schemas"]["SalesWarrantyCreate"]
    assert "terms" not in create["properties"] and "terms" not in create["example"]
    assert set(doc["paths"]["/sales/warranties"]) == {"get", "post"}
    assert set(doc["paths"]["/sales/warranties/{warrantyId}"]) == {"get", "patch", "delete"}
    archive = doc["paths"]["/sales/warranties/{warrantyId}/archive"]["post"]
    assert archive["operationId"] == "salesWarrantiesArchive"
    assert archive["summary"] == "Archive a warranty"
    assert doc["paths"]["/sales/warranties/search"]["post"]["tags"] == ["sales"]
    before = json.loads(SPEC_PATH.read_bytes())
    assert len(doc["paths"]) == len(before["paths"]) + 4


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("size:furlongs", "sales/quotations: size: unknown field type 'furlongs'"),
        ("ownerId:ref:zzz", "sales/quotations: ownerId: no resource has the id prefix 'zzz'"),
        ("notes:text", "sales/quotations: a field is declared twice"),
    ],
)
def test_a_mistake_in_the_sources_is_named(tmp_path: Path, field: str, message: str) -> None:
    root = copy_sources(tmp_path)
    edit(
        root / "src" / "modules" / "sales.yaml",
        lambda sales: sales["resources"][0]["fields"].append(field),
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        demo_build.assemble(root)
