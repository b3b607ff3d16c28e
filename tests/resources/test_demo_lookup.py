"""explorer.demo: finding the bundled files, and reading what a document declares in
`x-explorer-demo` (which is what makes the mock play a demo, not the title)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from explorer import spec
from explorer.demo import (
    DemoSettings,
    DemoUser,
    demo_settings,
    demo_spec_path,
    icon_path,
    resource_path,
)
from explorer.mock import MockServer

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_and_the_icon_are_the_checkouts_files() -> None:
    """In the test environment (a checkout, editable install) the package is the folder."""
    assert demo_spec_path() == ROOT / "resources" / "ecosire" / "openapi.json"
    assert icon_path() == ROOT / "resources" / "icons" / "explorer.svg"
    assert demo_spec_path().is_file() and icon_path().is_file()


def test_a_checkout_that_is_not_installed_reads_its_resources_folder(tmp_path: Path) -> None:
    """No site-packages (-S), so no explorer.resources package: the folder is read."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import importlib.util\n"
        "assert importlib.util.find_spec('explorer.resources') is None\n"
        "from explorer.demo import demo_spec_path, icon_path\n"
        "print(demo_spec_path()); print(icon_path())"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(demo_spec_path()), str(icon_path())]


@pytest.fixture
def zipped_package(tmp_path: Path) -> Iterator[str]:
    """A package `zipped_res` imported from a zip file, with ecosire/openapi.json."""
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped_res/__init__.py", "")
        zf.writestr("zipped_res/ecosire/openapi.json", '{"openapi": "3.0.3"}')
    sys.path.insert(0, str(archive))
    try:
        yield "zipped_res"
    finally:
        sys.path.remove(str(archive))
        sys.modules.pop("zipped_res", None)


def test_a_resource_inside_a_zip_is_copied_once_to_the_cache(
    zipped_package: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    path = resource_path("ecosire", "openapi.json", package=zipped_package)
    assert path.is_file() and path.is_relative_to(tmp_path / "cache")
    assert path.read_text() == '{"openapi": "3.0.3"}'
    assert path.name == "openapi.json"
    stamp = path.stat().st_mtime_ns
    assert resource_path("ecosire", "openapi.json", package=zipped_package) == path
    assert path.stat().st_mtime_ns == stamp


def doc(extension: Any = None, title: str = "Shop", cookie: str | None = None) -> spec.Spec:
    """A small document with a login operation, `x-explorer-demo` if given."""
    raw: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1"},
        "servers": [{"url": "/api"}],
        "paths": {
            "/auth/login": {
                "post": {
                    "security": [],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"type": "object"}}}
                    },
                    "responses": {
                        "200": {"description": "ok"},
                        "401": {
                            "description": "no",
                            "content": {"application/problem+json": {"schema": {"type": "object"}}},
                        },
                    },
                }
            }
        },
    }
    if cookie:
        scheme = {"type": "apiKey", "in": "cookie", "name": cookie}
        raw["components"] = {"securitySchemes": {"session": scheme}}
    if extension is not None:
        raw["x-explorer-demo"] = extension
    return spec.load_bytes(json.dumps(raw).encode())


DECLARED = {
    "user": {"email": "Ada@Example.com", "password": "pw-1", "id": "u1", "name": "Ada"},
    "jwtSecret": "shop-secret",
    "tokenLifetime": 600,
    "apiKeyPrefixes": {"test": "shop_test_", "live": "shop_live_"},
    "apiKeyLength": 16,
    "webhookSecrets": {"SHOP_HOOK": "hook-secret"},
}


def test_settings_are_read_from_the_extension() -> None:
    settings = demo_settings(doc(DECLARED, cookie="shop_session"))
    assert settings == DemoSettings(
        user=DemoUser(email="Ada@Example.com", password="pw-1", id="u1", name="Ada"),
        jwt_secret=b"shop-secret",
        token_lifetime=600,
        cookie="shop_session",
        api_key_prefixes={"test": "shop_test_", "live": "shop_live_"},
        api_key_length=16,
        webhook_secrets={"SHOP_HOOK": "hook-secret"},
    )
    assert settings.is_api_key("shop_live_" + "aB3" * 5 + "x")
    assert not settings.is_api_key("shop_live_" + "a" * 15)
    assert not settings.is_api_key("shop_live_" + "a-" * 8)
    assert not settings.is_api_key("ecos_test_" + "a" * 16)
    assert settings.api_key_prefix("test") == "shop_test_"
    assert settings.api_key_prefix("staging") == "shop_test_"  # the first declared


def test_no_extension_is_no_demo_whatever_the_title() -> None:
    assert demo_settings(doc(title="ECOSIRE API")) is None
    assert demo_settings(doc(["not", "a", "mapping"])) is None
    assert demo_settings(doc({})) is not None


@pytest.mark.parametrize(
    "bad",
    [
        {"user": "demo"},
        {"user": {"email": "a@b.c"}},
        {"user": {"email": 7, "password": "x"}},
        {"jwtSecret": 12, "tokenLifetime": "long", "apiKeyLength": True},
        {"tokenLifetime": -5, "apiKeyLength": 10**9},
        {"apiKeyPrefixes": ["ecos_"], "webhookSecrets": {"A": None, "B": ""}},
    ],
)
def test_members_of_the_wrong_kind_are_left_at_their_defaults(bad: dict[str, Any]) -> None:
    settings = demo_settings(doc(bad))
    assert settings is not None
    assert settings.user is None
    assert (settings.token_lifetime, settings.api_key_length) == (24 * 3600, 32)
    assert settings.api_key_prefixes == {} and settings.webhook_secrets == {}
    assert len(settings.jwt_secret) == 32  # a random one, not a guessable default
    assert settings.cookie == "session"


def test_without_a_declared_secret_each_demo_signs_with_its_own() -> None:
    first, second = demo_settings(doc({})), demo_settings(doc({}))
    assert first is not None and second is not None
    assert first.jwt_secret != second.jwt_secret


def login(server: MockServer, email: str, password: str) -> httpx.Response:
    body = {"email": email, "password": password}
    return httpx.post(server.api_url + "/auth/login", json=body, timeout=10)


def test_the_mock_plays_the_demo_a_document_declares() -> None:
    with MockServer(doc(DECLARED, cookie="shop_session")) as server:
        assert server.app.demo is not None
        r = login(server, "ada@example.com", "pw-1")
        assert r.status_code == 200, r.text
        assert r.json()["user"] == {
            "id": "u1",
            "email": "Ada@Example.com",
            "name": "Ada",
            "role": "",
        }
        assert r.headers["set-cookie"].startswith("shop_session=")
        assert "Max-Age=600" in r.headers["set-cookie"]
        refused = login(server, "demo@ecosire.com", "demo-password")
        assert refused.status_code == 401
        assert "Ada@Example.com / pw-1" in refused.json()["message"]


def test_the_mock_plays_no_demo_for_a_title_alone() -> None:
    with MockServer(doc(title="ECOSIRE API")) as server:
        assert server.app.demo is None
        assert login(server, "demo@ecosire.com", "demo-password").status_code == 200  # example
