"""The bundled demo: where its document and the icons are, and what a document declares
for the mock server to play a demo of it (`x-explorer-demo`). No Qt.

The files live in the top-level resources/ folder of a checkout. A built wheel installs
that folder as the package `explorer.resources` (pyproject.toml maps it), and an editable
install maps the package to the folder itself; `importlib.resources` finds it in both. A
checkout run without installing (`PYTHONPATH=.`) has no such package and reads the folder.

    >>> demo_spec_path()                   # .../resources/ecosire/openapi.json
    >>> settings = demo_settings(spec.load(demo_spec_path()))
    >>> settings.user.email, settings.is_api_key("ecos_test_" + "A" * 32)
"""

from __future__ import annotations

import hashlib
import importlib.resources
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.spec import Spec

__all__ = [
    "EXTENSION",
    "DemoSettings",
    "DemoUser",
    "demo_settings",
    "demo_spec_path",
    "icon_path",
    "resource_path",
]

EXTENSION = "x-explorer-demo"
"""The member of a document's root that makes the mock server play its demo."""


def resource_path(*parts: str, package: str = "explorer.resources") -> Path:
    """A file of resources/ (e.g. "icons", "explorer.svg") as a path on disk.

    From a zipped install, where a resource is no file, it is copied once into the cache
    folder (a path that stays valid, unlike `importlib.resources.as_file`'s)."""
    try:
        root = importlib.resources.files(package)
    except ModuleNotFoundError:  # a checkout that is not installed
        import explorer

        return Path(explorer.__file__).resolve().parent.parent.joinpath("resources", *parts)
    target = root.joinpath(*parts)
    return target if isinstance(target, Path) else _on_disk(target)


def _on_disk(resource: Traversable) -> Path:
    from explorer.spec import default_cache_dir

    data = resource.read_bytes()
    folder = default_cache_dir() / "resources" / hashlib.sha256(data).hexdigest()[:16]
    path = folder / resource.name
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f".{resource.name}.{secrets.token_hex(4)}"
        part.write_bytes(data)
        part.replace(path)
    return path


def demo_spec_path() -> Path:
    """The bundled ECOSIRE demo document (resources/ecosire/openapi.json)."""
    return resource_path("ecosire", "openapi.json")


def icon_path() -> Path:
    """The application's icon (resources/icons/explorer.svg)."""
    return resource_path("icons", "explorer.svg")


@dataclass(frozen=True)
class DemoUser:
    """The user the demo logs in (what `user` in `x-explorer-demo` says)."""

    email: str
    password: str
    id: str = ""
    name: str = ""
    role: str = ""

    def public(self) -> dict[str, str]:
        """The user as the API shows it: id, email, name and role (no password)."""
        return {"id": self.id, "email": self.email, "name": self.name, "role": self.role}


@dataclass(frozen=True)
class DemoSettings:
    """What a document declares in `x-explorer-demo`; every member is optional.

    `user` can log in; tokens are HS256 JWTs signed with `jwt_secret` (random for each
    server when not declared) and valid `token_lifetime` seconds, and also sent in the
    `cookie` (the document's cookie security scheme); API keys are one of
    `api_key_prefixes` (by environment: "test", "live") and `api_key_length` letters and
    digits; `api_key` is the one key accepted without being issued (with `api_key_scope`);
    every credential is on `plan`, with `daily_quota` calls a day (0: none);
    `webhook_secrets` sign webhook events, by the name in their `x-signature`;
    `webhook_triggers` name the events an operation ("METHOD /path") sends to the
    registered endpoints when it succeeds.
    The values are a local demo's, made up: none is a real secret.
    """

    user: DemoUser | None = None
    jwt_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    token_lifetime: int = 24 * 3600
    cookie: str = "session"
    api_key_prefixes: Mapping[str, str] = field(default_factory=dict)
    api_key_length: int = 32
    webhook_secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    webhook_triggers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    api_key: str = field(default="", repr=False)
    api_key_scope: str = "admin"
    api_key_name: str = "Demo key"
    plan: str = "free"
    daily_quota: int = 0

    def is_api_key(self, value: str) -> bool:
        """Whether `value` has the form of one of the demo's API keys."""
        for prefix in self.api_key_prefixes.values():
            rest = value.removeprefix(prefix)
            if rest != value and len(rest) == self.api_key_length:
                return rest.isascii() and rest.isalnum()
        return False

    def api_key_prefix(self, environment: str) -> str:
        """The prefix of a new key for `environment`; the first one for any other."""
        prefixes = self.api_key_prefixes
        return prefixes.get(environment) or next(iter(prefixes.values()), "")


def demo_settings(api: Spec) -> DemoSettings | None:
    """The demo a document declares, or None when its root has no `x-explorer-demo`.

    The extension is text from a document: members of the wrong type or out of range are
    left at their defaults, never trusted."""
    raw = api.raw.get(EXTENSION) if isinstance(api.raw, Mapping) else None
    if not isinstance(raw, Mapping):
        return None
    cookie = next(
        (
            scheme.param_name
            for scheme in api.security_schemes.values()
            if scheme.type == "apiKey" and scheme.location == "cookie" and scheme.param_name
        ),
        "session",
    )
    values: dict[str, Any] = {
        "user": _user(raw.get("user")),
        "cookie": cookie,
        "api_key_prefixes": _texts(raw.get("apiKeyPrefixes")),
        "webhook_secrets": _texts(raw.get("webhookSecrets")),
        "webhook_triggers": _triggers(raw.get("webhookTriggers")),
    }
    if _text(raw.get("jwtSecret")):
        values["jwt_secret"] = raw["jwtSecret"].encode()
    if _int_in(raw.get("tokenLifetime"), 60, 366 * 24 * 3600):
        values["token_lifetime"] = raw["tokenLifetime"]
    if _int_in(raw.get("apiKeyLength"), 8, 256):
        values["api_key_length"] = raw["apiKeyLength"]
    key = raw.get("apiKey")
    if isinstance(key, Mapping) and _text(key.get("key")):
        values["api_key"] = key["key"]
        if key.get("scope") in ("read-only", "read-write", "admin"):
            values["api_key_scope"] = key["scope"]
        if _text(key.get("name")):
            values["api_key_name"] = key["name"]
    plan = raw.get("plan")
    if isinstance(plan, Mapping):
        if _text(plan.get("name")):
            values["plan"] = plan["name"]
        if _int_in(plan.get("dailyQuota"), 1, 10**9):
            values["daily_quota"] = plan["dailyQuota"]
    return DemoSettings(**values)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _texts(value: Any) -> dict[str, str]:
    """The members of a mapping whose names and values are non-empty text."""
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and _text(v)}


def _triggers(value: Any) -> dict[str, tuple[str, ...]]:
    """ "METHOD /path" -> the event names it sends (a name or a list of names)."""
    if not isinstance(value, Mapping):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for key, events in value.items():
        names = [events] if isinstance(events, str) else events
        if isinstance(key, str) and isinstance(names, list):
            kept = tuple(n for n in names if isinstance(n, str) and n)
            method, _, path = key.strip().partition(" ")
            if kept and path:
                out[f"{method.upper()} {path.strip()}"] = kept
    return out


def _int_in(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _user(value: Any) -> DemoUser | None:
    if not isinstance(value, Mapping):
        return None
    email, password = _text(value.get("email")), _text(value.get("password"))
    if not email or not password:
        return None
    fields = {name: _text(value.get(name)) for name in ("id", "name", "role")}
    return DemoUser(email=email, password=password, **fields)
