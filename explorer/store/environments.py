"""Environments: development, staging, production and any the user adds, each with its
variables and its credential slots, per API. No Qt; no secrets (those are in the keyring).

    store = EnvironmentStore()                       # environments.json in the config folder
    envs = store.for_api("ECOSIRE API")              # made with the three defaults if new
    envs.active                                      # "development"
    env = envs.get("production"); env.production     # True: marked, sends confirmed
    env.variables["baseUrl"] = "https://api.example.com"
    slot = env.slot("bearerAuth"); slot.kind = "login"
    store.save()

A slot is one security scheme of the API in one environment: its kind (bearer, API key,
basic, digest, login, OAuth2) and what about it is not secret (a username, the login
operation and its plain fields, OAuth2 settings). The secret parts are named by
`secret_name()` and kept in the keyring by explorer.store.secrets.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from explorer.errors import StoreError
from explorer.store._files import config_dir, read_json_object, write_atomic

__all__ = [
    "DEFAULT_ENVIRONMENTS",
    "SLOT_KINDS",
    "ApiEnvironments",
    "Environment",
    "EnvironmentStore",
    "LoginSettings",
    "Slot",
    "secret_name",
]

DEFAULT_ENVIRONMENTS = ("development", "staging", "production")
SLOT_KINDS = ("bearer", "apikey", "basic", "digest", "login", "oauth2", "cookie")
"""bearer: a token; apikey: a key in a header, query or cookie; basic and digest: a
username and password; login: an operation of the API sent with stored fields, the token
taken from its reply; oauth2: tokens from an OAuth2 / OpenID Connect flow; cookie: the
environment's cookie jar is the session (nothing sent but the cookies)."""
_FORMAT = 1


def secret_name(api: str, environment: str, slot: str, part: str) -> str:
    """The keyring name of one secret part of a slot ("ECOSIRE API/production/bearerAuth/token")."""
    return f"{api}/{environment}/{slot}/{part}"


@dataclass
class LoginSettings:
    """How a login slot logs in: an operation ("POST /auth/login"), its fields (the plain
    ones here; the names in `secret_fields` are in the keyring), and where the token is in
    the reply (a JSON pointer)."""

    operation: str = "POST /auth/login"
    fields: dict[str, str] = field(default_factory=dict)
    secret_fields: tuple[str, ...] = ("password",)
    token_pointer: str = "/token"

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "fields": dict(self.fields),
            "secret_fields": list(self.secret_fields),
            "token_pointer": self.token_pointer,
        }

    @classmethod
    def from_json(cls, data: Any) -> LoginSettings:
        if not isinstance(data, dict):
            return cls()
        fields = data.get("fields")
        secret = data.get("secret_fields")
        return cls(
            operation=_text(data.get("operation"), "POST /auth/login"),
            fields={str(k): str(v) for k, v in fields.items()} if isinstance(fields, dict) else {},
            secret_fields=tuple(str(s) for s in secret)
            if isinstance(secret, list)
            else ("password",),
            token_pointer=_text(data.get("token_pointer"), "/token"),
        )


@dataclass
class Slot:
    """One security scheme in one environment (see the module docstring)."""

    scheme: str
    kind: str = ""
    """One of SLOT_KINDS; "" until chosen (then the scheme's natural kind is used)."""
    username: str = ""
    login: LoginSettings = field(default_factory=LoginSettings)
    oauth: dict[str, Any] = field(default_factory=dict)
    """OAuth2 settings (client id, scopes, flow, discovery URL): no secret."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.username:
            out["username"] = self.username
        if self.kind == "login":
            out["login"] = self.login.to_json()
        if self.oauth:
            out["oauth"] = dict(self.oauth)
        return out

    @classmethod
    def from_json(cls, scheme: str, data: Any) -> Slot:
        if not isinstance(data, dict):
            return cls(scheme)
        kind = _text(data.get("kind"), "")
        oauth = data.get("oauth")
        return cls(
            scheme=scheme,
            kind=kind if kind in SLOT_KINDS else "",
            username=_text(data.get("username"), ""),
            login=LoginSettings.from_json(data.get("login")),
            oauth=dict(oauth) if isinstance(oauth, dict) else {},
        )


@dataclass
class Environment:
    """A named set of variables and credential slots."""

    name: str
    production: bool = False
    variables: dict[str, str] = field(default_factory=dict)
    slots: dict[str, Slot] = field(default_factory=dict)

    def slot(self, scheme: str) -> Slot:
        """The slot of a security scheme (made empty on first use)."""
        found = self.slots.get(scheme)
        if found is None:
            found = self.slots[scheme] = Slot(scheme)
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "production": self.production,
            "variables": dict(self.variables),
            "slots": {name: slot.to_json() for name, slot in self.slots.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> Environment | None:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return None
        variables = data.get("variables")
        slots = data.get("slots")
        return cls(
            name=data["name"],
            production=data.get("production") is True,
            variables={str(k): str(v) for k, v in variables.items()}
            if isinstance(variables, dict)
            else {},
            slots={str(k): Slot.from_json(str(k), v) for k, v in slots.items()}
            if isinstance(slots, dict)
            else {},
        )


@dataclass
class ApiEnvironments:
    """The environments of one API and which one is in use."""

    api: str
    environments: list[Environment] = field(default_factory=list)
    active: str = DEFAULT_ENVIRONMENTS[0]

    def get(self, name: str) -> Environment | None:
        return next((e for e in self.environments if e.name == name), None)

    @property
    def current(self) -> Environment:
        """The environment in use (the first one when `active` names none)."""
        env = self.get(self.active)
        if env is None:
            if not self.environments:
                self.environments.append(Environment(DEFAULT_ENVIRONMENTS[0]))
            env = self.environments[0]
            self.active = env.name
        return env

    def use(self, name: str) -> Environment:
        """Make `name` the environment in use; raises KeyError for an unknown name."""
        env = self.get(name)
        if env is None:
            raise KeyError(f"no environment named {name!r}")
        self.active = name
        return env

    def add(self, name: str, *, production: bool = False) -> Environment:
        """A new environment; raises ValueError for an empty or taken name."""
        name = name.strip()
        if not name or self.get(name) is not None:
            raise ValueError(f"an environment needs a new name, not {name!r}")
        env = Environment(name, production=production)
        self.environments.append(env)
        return env

    def remove(self, name: str) -> None:
        self.environments = [e for e in self.environments if e.name != name]
        if self.active == name:
            self.active = self.environments[0].name if self.environments else ""

    def to_json(self) -> dict[str, Any]:
        return {"active": self.active, "environments": [e.to_json() for e in self.environments]}

    @classmethod
    def from_json(cls, api: str, data: Any) -> ApiEnvironments | None:
        if not isinstance(data, dict) or not isinstance(data.get("environments"), list):
            return None
        envs = [e for e in map(Environment.from_json, data["environments"]) if e is not None]
        active = data.get("active")
        return cls(api, envs, active if isinstance(active, str) else DEFAULT_ENVIRONMENTS[0])

    @classmethod
    def defaults(cls, api: str) -> ApiEnvironments:
        """development, staging and production (marked as production)."""
        return cls(
            api,
            [Environment(name, production=name == "production") for name in DEFAULT_ENVIRONMENTS],
        )


class EnvironmentStore:
    """environments.json in the config folder: every API's environments (no secrets)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or (config_dir() / "environments.json")
        raw, self.problem = read_json_object(self.path, "environments")
        """A sentence for the user when the file was damaged (moved aside) or unreadable."""
        self._writable = raw is not None or not self.path.exists()
        self._apis: dict[str, ApiEnvironments] = {}
        apis = raw.get("apis") if isinstance(raw, dict) else None
        if isinstance(apis, dict):
            for name, data in apis.items():
                envs = ApiEnvironments.from_json(str(name), data)
                if envs is not None:
                    self._apis[str(name)] = envs

    def apis(self) -> list[str]:
        return sorted(self._apis)

    def for_api(self, api: str) -> ApiEnvironments:
        """The environments of an API (by its title), with the defaults when it is new."""
        found = self._apis.get(api)
        if found is None:
            found = self._apis[api] = ApiEnvironments.defaults(api)
        return found

    def save(self) -> None:
        """Write the file atomically; raises StoreError."""
        if not self._writable:
            raise StoreError("the environments file could not be read, so it is left as it is")
        payload = {
            "format": _FORMAT,
            "apis": {name: envs.to_json() for name, envs in sorted(self._apis.items())},
        }
        write_atomic(self.path, orjson.dumps(payload, option=orjson.OPT_INDENT_2))

    def try_save(self) -> str:
        """Save, returning an error message instead of raising (for shutdown paths)."""
        with contextlib.suppress(StoreError):
            self.save()
            return ""
        return f"could not save the environments to {self.path}"


def _text(value: Any, default: str) -> str:
    return value if isinstance(value, str) else default
