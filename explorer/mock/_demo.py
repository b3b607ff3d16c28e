"""The demo (the ECOSIRE one): real behaviour where a first-time user looks.

It plays for a document that declares `x-explorer-demo` (explorer.demo.DemoSettings),
with the user, secrets and key formats declared there:

- `POST /auth/login` with the demo user's email and password answers a real HS256 JWT
  (with `exp`), the user, and the HttpOnly session cookie (the document's cookie
  scheme); `/auth/register` adds users who can then log in; `/auth/me`,
  `/auth/refresh`, `/auth/logout` work.
- Credentials: a valid demo JWT as a bearer token or in the cookie, the one demo key the
  document names, or an API key issued here (`POST /api-keys`): not revoked, not past its
  `expiresAt`; after a rotation the previous secret works for 24 hours, then 401. A
  credential is held to its scope (`x-api-key-scope` of the operation: read-only, then
  read-write, then admin; a user's JWT has the admin scope for the admin role): 403.
- Every credential is on the document's plan, with its daily quota (429 past it, with
  `X-Quota-*` headers and `Retry-After`). Rate limits count per credential (or per address
  without a valid one); `_app` shares one budget among the authenticated endpoints.
- What a key does is kept: `lastUsedAt`, its usage (`/api-keys/{id}/usage`), and an audit
  entry for every authenticated request (`/audit-logs/entries`).
- Contacts, API keys and webhook endpoints live in memory: what you create you can get,
  list (page, limit, q, simple filters), search, update, replace and delete.
- Webhook endpoints receive signed deliveries (`_webhooks.Dispatcher`): of the events
  they subscribe to when an operation named in `webhookTriggers` succeeds (a license
  activated, a checkout completed), and of the event asked for on `POST
  /webhooks/{id}/test`; failed ones are retried with backoff and listed by `GET
  /webhooks/{id}/deliveries`. Events are signed with the secrets declared for their
  `x-signature` (`webhookSecrets`).

Every answer is built on the document's own examples, so it keeps to its schemas.
What it keeps in memory is bounded: `MAX_RECORDS` per collection and as many users, each
record at most `MAX_RECORD` bytes as JSON (413 for a larger one, 507 past the count).
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from explorer.demo import DemoSettings, DemoUser, demo_settings
from explorer.http.media import is_json_media_type
from explorer.mock._problem import Detail, MockProblem, Reply
from explorer.mock._respond import Responder, default_response, serialize
from explorer.mock._security import bearer_token, jwt_decode, jwt_encode
from explorer.mock._validate import RequestParts, choose_status
from explorer.mock._webhooks import DeliveryJob, Dispatcher
from explorer.spec import Operation, Spec
from explorer.spec.describe import main_type, schema_types
from explorer.webhooks.events import WebhookEvent, events_of

__all__ = ["Demo", "Later", "is_demo"]

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_STATEFUL = ("contacts", "api-keys", "webhooks")
_PREFIX = re.compile(r"^\^?([a-z]+)_")
_WHSEC = re.compile(r"^whsec_[A-Za-z0-9]{32}$")
MAX_RECORDS = 1000
MAX_RECORD = 16 * 1024


def _check_size(record: Mapping[str, Any]) -> None:
    size = len(json.dumps(record, ensure_ascii=False, default=str))
    if size > MAX_RECORD:
        raise MockProblem(
            413, f"The demo keeps records of at most {MAX_RECORD:,} bytes (this one: {size:,})"
        )


def _check_room(kept: int, what: str) -> None:
    if kept >= MAX_RECORDS:
        raise MockProblem(
            507, f"The demo keeps at most {MAX_RECORDS:,} {what} in memory; delete some first"
        )


def is_demo(api: Spec) -> bool:
    """Whether a document declares a demo (`x-explorer-demo`)."""
    return demo_settings(api) is not None


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json_reply(status: int, value: Any, headers: list[tuple[str, str]] | None = None) -> Reply:
    body, ctype = serialize(value, "application/json")
    return Reply(status, body, ctype, list(headers or []))


def _schema_props(schema: Any, depth: int = 0) -> dict[str, Any]:
    """The properties of an object schema, allOf parts merged."""
    out: dict[str, Any] = {}
    if not isinstance(schema, Mapping) or depth > 6:
        return out
    for part in schema.get("allOf") or ():
        out.update(_schema_props(part, depth + 1))
    props = schema.get("properties")
    if isinstance(props, Mapping):
        out.update(props)
    return out


def _schema_required(schema: Any, depth: int = 0) -> set[str]:
    out: set[str] = set()
    if not isinstance(schema, Mapping) or depth > 6:
        return out
    for part in schema.get("allOf") or ():
        out |= _schema_required(part, depth + 1)
    req = schema.get("required")
    if isinstance(req, list):
        out |= {r for r in req if isinstance(r, str)}
    return out


def _body_schema(op: Operation | None) -> Any:
    if op is None or op.request_body is None:
        return None
    media = next((m for m in op.request_body.content if is_json_media_type(m.media_type)), None)
    return media.schema if media else None


class Later:
    """An answer the app finishes outside the demo's lock (it waits on the network)."""

    def __init__(self, finish: Callable[[], Reply]) -> None:
        self.finish = finish


@dataclass
class _Collection:
    """One in-memory resource: /name (list, create) and /name/{id} (get, update, delete)."""

    name: str
    collection: str  # "/contacts"
    item: str  # "/contacts/{contactId}"
    param: str  # "contactId"
    prefix: str  # "con"
    ops: dict[str, Operation]  # "list", "create", "get", "patch", "put", "delete"
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    seeded: bool = False


class Demo:
    """ECOSIRE behaviour on top of the generic mock."""

    def __init__(
        self,
        api: Spec,
        responder: Responder,
        clock: Callable[[], float],
        seed: int = 0,
        *,
        webhook_attempts: int = 5,
        webhook_backoff: float = 1.0,
    ):
        self._api = api
        self._responder = responder
        self._clock = clock
        self._random = random.Random(seed)
        self.settings = demo_settings(api) or DemoSettings()
        self.secret = self.settings.jwt_secret
        self.users: dict[str, tuple[str, dict[str, Any]]] = {}
        self.revoked: set[str] = set()
        self._key_secrets: dict[str, str] = {}  # key id -> its secret
        self._keys: dict[str, _Key] = {}  # secret (current or previous) -> the issued key
        self._quota: dict[str, tuple[int, int]] = {}  # identity -> (day, calls)
        self._usage: dict[str, _Usage] = {}  # key id -> what it did
        self._success: dict[Operation, tuple[int, Any, Any]] = {}
        self._collections = self._find_collections(api)
        self._events: dict[str, WebhookEvent] = {
            e.name: e for e in events_of(api) if e.kind == "webhook"
        }
        self.dispatcher = Dispatcher(
            clock,
            attempts=webhook_attempts,
            backoff=webhook_backoff,
            new_id=lambda: "dly_" + self._ulid(),
        )
        audit = self._audit_collection(api)
        self._audit = audit
        if audit is not None:
            self._collections.append(audit)

    def close(self) -> None:
        """Stop delivering webhook events (the server has stopped)."""
        self.dispatcher.close()

    def _ok(self, op: Operation, *, copy_example: bool = True) -> tuple[int, Any, Any]:
        """(status, schema, first example) of an operation's default success response.

        The example is a fresh copy the caller may change (unless `copy_example` is False).
        """
        cached = self._success.get(op)
        if cached is None:
            status, response = default_response(op)
            schema = example = None
            if response is not None and response.content:
                media = next(
                    (m for m in response.content if is_json_media_type(m.media_type)),
                    response.content[0],
                )
                schema = media.schema
                example = media.examples[0].value if media.examples else None
            cached = (status, schema, example)
            self._success[op] = cached
        status, schema, example = cached
        return status, schema, copy.deepcopy(example) if copy_example else example

    # -- credentials ---------------------------------------------------------------------
    def claims(self, token: str) -> dict[str, Any] | None:
        """The claims of a valid (signed here, not expired) demo JWT."""
        return jwt_decode(token, self.secret, self._clock())

    def token_check(self, kind: str, value: str) -> bool:
        """Which credentials the demo accepts (see the module docstring)."""
        if kind == "basic":
            return False
        return self._credential_of(kind, value) is not None

    def _credential_of(self, kind: str, value: str) -> Credential | None:
        """Who a JWT or an API key is, when the demo accepts it."""
        claims = self.claims(value)
        if claims is not None:
            sub = str(claims.get("sub") or "")
            scope = "admin" if claims.get("role") == "admin" else "read-write"
            return Credential(f"user:{sub}", sub, scope)
        if kind not in ("bearer", "apikey", "cookie") or not self.settings.is_api_key(value):
            return None
        if self.settings.api_key and value == self.settings.api_key:
            user = self.settings.user.id if self.settings.user else ""
            return Credential("key:demo", user, self.settings.api_key_scope)
        key = self._keys.get(value)
        if key is None or value in self.revoked:
            return None
        now = self._clock()
        if key.expires_at is not None and now >= key.expires_at:
            self._set_status(key.record_id, "expired")
            return None
        if value != key.secret and (key.previous_until is None or now >= key.previous_until):
            return None  # a rotated-out secret, past its 24 hours
        return Credential(f"key:{key.record_id}", key.user_id, key.scope, key.record_id)

    def credential(self, req: RequestParts) -> Credential | None:
        """The credential of a request the demo accepts (bearer token or cookie)."""
        token = bearer_token(req.headers)
        if token:
            found = self._credential_of("bearer", token)
            if found is not None:
                return found
        cookie = req.cookies.get(self.settings.cookie)
        return self._credential_of("cookie", cookie) if cookie else None

    def identity(self, req: RequestParts) -> str | None:
        """Who counts a request against a rate limit or a quota: the valid credential's
        user or key, else None (the caller counts by address)."""
        found = self.credential(req)
        return found.identity if found is not None else None

    def admit(self, op: Operation, req: RequestParts) -> list[tuple[str, str]]:
        """After the security check: the credential's scope (403) and its daily quota
        (429); the quota headers to send."""
        found = self.credential(req)
        if found is None:
            return []
        needed = op.extensions.get("x-api-key-scope")
        if isinstance(needed, str) and needed in SCOPES and SCOPES[found.scope] < SCOPES[needed]:
            raise MockProblem(
                choose_status(op, (403,)),
                f"This credential's scope ({found.scope}) does not allow "
                f"{op.method} {op.path}: it needs the {needed} scope",
            )
        return self._count_quota(found)

    def _count_quota(self, found: Credential) -> list[tuple[str, str]]:
        quota = self.settings.daily_quota
        if quota <= 0:
            return []
        now = self._clock()
        day = int(now // 86400)
        seen_day, calls = self._quota.get(found.identity, (day, 0))
        if seen_day != day:
            calls = 0
        reset = (day + 1) * 86400
        if calls >= quota:
            headers = _quota_headers(quota, 0, reset)
            raise MockProblem(
                429,
                f"Daily quota exceeded: {quota:,} calls a day on the {self.settings.plan} plan. "
                f"It resets at midnight UTC, in {reset - math.floor(now)} seconds.",
                headers=[*headers, ("Retry-After", str(max(1, reset - math.floor(now))))],
            )
        if len(self._quota) >= MAX_RECORDS * 10 and found.identity not in self._quota:
            self._quota = {k: v for k, v in self._quota.items() if v[0] == day}
        self._quota[found.identity] = (day, calls + 1)
        return _quota_headers(quota, quota - calls - 1, reset)

    def record(self, op: Operation, req: RequestParts, status: int) -> None:
        """After the answer: a key's last use and usage, and an audit entry."""
        found = self.credential(req)
        if found is None:
            return
        now = self._clock()
        if found.key_id is not None:
            usage = self._usage.setdefault(found.key_id, _Usage())
            usage.add(now, status)
            self._set_field(found.key_id, "lastUsedAt", _iso(now))
        self._audit_entry(op, req, found, status, now)

    def _set_status(self, key_id: str, status: str) -> None:
        self._set_field(key_id, "status", status)

    def _set_field(self, key_id: str, name: str, value: Any) -> None:
        for coll in self._collections:
            if coll.name == "api-keys" and key_id in coll.records:
                coll.records[key_id][name] = value

    def _audit_collection(self, api: Spec) -> _Collection | None:
        base = "/audit-logs/entries"
        list_op = api.operation("GET", base)
        get_op = next(
            (o for o in api.operations if o.method == "GET" and o.path.startswith(base + "/{")),
            None,
        )
        if list_op is None or get_op is None:
            return None
        param = get_op.path[len(base) + 2 : -1]
        return _Collection(
            "audit-logs", base, get_op.path, param, "", {"list": list_op, "get": get_op}
        )

    def _audit_entry(
        self, op: Operation, req: RequestParts, found: Credential, status: int, now: float
    ) -> None:
        coll = self._audit
        if coll is None:
            return
        self._seed(coll)
        _, _, example = self._ok(coll.ops["get"])
        entry: dict[str, Any] = example if isinstance(example, dict) else {}
        for name in ("resourceId", "changes", "apiKeyId", "ipAddress", "userAgent", "actorId"):
            entry.pop(name, None)
        entry.update(
            id=f"aud_{self._ulid()}",
            action=(op.operation_id or f"{op.method} {op.path}")[:255],
            resourceType="api-request",
            status="success" if status < 400 else "failure",
            occurredAt=_iso(now),
            createdAt=_iso(now),
            updatedAt=_iso(now),
        )
        if re.fullmatch(r"usr_[0-9A-Z]{4,26}", found.user_id):
            entry["actorId"] = found.user_id
        if found.key_id is not None:
            entry["apiKeyId"] = found.key_id
        if re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", req.client):
            entry["ipAddress"] = req.client
        agent = req.headers.get("user-agent", "")
        if agent:
            entry["userAgent"] = agent[:255]
        while len(coll.records) >= MAX_RECORDS:
            del coll.records[next(iter(coll.records))]
        coll.records[entry["id"]] = entry

    def _issue(self, user: Mapping[str, Any]) -> tuple[str, float]:
        now = self._clock()
        exp = math.floor(now) + self.settings.token_lifetime
        claims = {
            "sub": user.get("id"),
            "email": user.get("email"),
            "name": user.get("name"),
            "role": user.get("role"),
            "iat": math.floor(now),
            "exp": exp,
        }
        return jwt_encode(claims, self.secret), exp

    def _demo_user(self, op: Operation | None = None) -> dict[str, Any]:
        declared = self.settings.user or DemoUser(email="", password="")
        user: dict[str, Any] = declared.public()
        if op is not None:
            _, _, example = self._ok(op)
            if isinstance(example, dict) and isinstance(example.get("user"), dict):
                user.update(example["user"])
                user["email"] = declared.email
        return user

    def _current_user(self, req: RequestParts) -> dict[str, Any]:
        token = bearer_token(req.headers) or req.cookies.get(self.settings.cookie) or ""
        claims = self.claims(token)
        if claims is None:
            return self._demo_user()
        return {
            "id": claims.get("sub"),
            "email": claims.get("email"),
            "name": claims.get("name"),
            "role": claims.get("role"),
        }

    def _session(self, op: Operation, user: dict[str, Any], status: int = 200) -> Reply:
        token, exp = self._issue(user)
        _, _, example = self._ok(op)
        body = example if isinstance(example, dict) else {}
        body.update({"token": token, "user": user})
        if "expiresAt" in body or not example:
            body["expiresAt"] = _iso(exp)
        lifetime = self.settings.token_lifetime
        cookie = (
            f"{self.settings.cookie}={token}; HttpOnly; Path=/; SameSite=Lax; Max-Age={lifetime}"
        )
        return _json_reply(status, body, [("Set-Cookie", cookie)])

    # -- dispatch ------------------------------------------------------------------------
    def handle(self, op: Operation, req: RequestParts) -> Reply | Later | None:
        """The demo's own answer (or one to finish outside the lock), or None to let the
        generic mock answer."""
        path, method = op.path, op.method.upper()
        hooks = self._webhook_collection()
        if hooks is not None and path.startswith(hooks.item + "/"):
            if path == hooks.item + "/test" and method == "POST":
                return self._test_event(hooks, op, req)
            if path == hooks.item + "/deliveries" and method == "GET":
                return self._deliveries(hooks, op, req)
        if path == "/auth/login" and method == "POST":
            return self._login(op, req)
        if path == "/auth/register" and method == "POST":
            return self._register(op, req)
        if path == "/auth/me" and method == "GET":
            return _json_reply(200, self._current_user(req))
        if path == "/auth/refresh" and method == "POST":
            return self._session(op, self._current_user(req))
        if path == "/auth/logout" and method == "POST":
            status, _ = default_response(op)
            cookie = f"{self.settings.cookie}=; HttpOnly; Path=/; SameSite=Lax; Max-Age=0"
            return Reply(status, headers=[("Set-Cookie", cookie)])
        for coll in self._collections:
            if path.startswith(coll.collection):
                reply = self._collection(coll, op, req)
                if reply is not None:
                    return reply
        return None

    def _login(self, op: Operation, req: RequestParts) -> Reply:
        body = req.body if isinstance(req.body, dict) else {}
        email = str(body.get("email", "")).strip().lower()
        password = body.get("password")
        user = self.settings.user
        if user is not None and email == user.email.lower() and password == user.password:
            return self._session(op, self._demo_user(op))
        known = self.users.get(email)
        if known is not None and known[0] == password:
            return self._session(op, dict(known[1]))
        hint = f" (the demo user is {user.email} / {user.password})" if user else ""
        raise MockProblem(choose_status(op, (401,)), "Invalid email or password" + hint)

    def _register(self, op: Operation, req: RequestParts) -> Reply:
        body = req.body if isinstance(req.body, dict) else {}
        email = str(body.get("email", "")).strip().lower()
        demo_email = self.settings.user.email.lower() if self.settings.user else None
        if email == demo_email or email in self.users:
            raise MockProblem(choose_status(op, (409, 422)), "Email already registered")
        user = {
            "id": "usr_" + self._ulid(),
            "email": email,
            "name": str(body.get("name") or email),
            "role": "member",
        }
        _check_room(len(self.users), "registered users")
        self.users[email] = (str(body.get("password"))[:200], user)
        status, _ = default_response(op)
        return self._session(op, user, status)

    def _issued(
        self, record_id: str, body: Mapping[str, Any], req: RequestParts, secret: str
    ) -> _Key:
        scope = str(body.get("scope") or "read-only")
        creator = self.credential(req)
        return _Key(
            record_id,
            creator.user_id if creator else "",
            scope if scope in SCOPES else "read-only",
            secret,
            _timestamp(body.get("expiresAt")),
        )

    def _usage_reply(self, op: Operation, req: RequestParts, key_id: str, now: float) -> Reply:
        status, _, example = self._ok(op)
        query = dict(req.query)
        today = _iso(now)[:10]
        last_week = _iso(now - 6 * 86400)[:10]
        start = str(query.get("from") or last_week)
        end = str(query.get("to") or today)
        usage = self._usage.get(key_id, _Usage())
        days = {d: v for d, v in usage.daily.items() if start <= d <= end}
        requests = sum(v[0] for v in days.values())
        errors = sum(v[1] for v in days.values())
        body: dict[str, Any] = example if isinstance(example, dict) else {}
        last = next(
            (
                r.get("lastUsedAt")
                for c in self._collections
                if c.name == "api-keys"
                for k, r in c.records.items()
                if k == key_id
            ),
            None,
        )
        body.update(
            keyId=key_id,
            **{"from": start, "to": end},
            totalRequests=requests,
            errorCount=errors,
            errorRate=round(errors / requests, 4) if requests else 0,
            lastUsedAt=last,
            byStatus=dict(usage.by_status) if days else {},
            daily=[{"date": d, "requests": v[0], "errors": v[1]} for d, v in sorted(days.items())],
        )
        return _json_reply(status, body)

    # -- in-memory collections -----------------------------------------------------------
    def _find_collections(self, api: Spec) -> list[_Collection]:
        found: list[_Collection] = []
        for name in _STATEFUL:
            base = f"/{name}"
            list_op, create_op = api.operation("GET", base), api.operation("POST", base)
            if list_op is None or create_op is None:
                continue
            item_ops = [
                op
                for op in api.operations
                if op.path.startswith(base + "/{")
                and op.path.endswith("}")
                and op.path.count("/") == 2
            ]
            if not item_ops:
                continue
            item = item_ops[0].path
            ops: dict[str, Operation] = {"list": list_op, "create": create_op}
            for op in item_ops:
                if op.path == item:
                    ops[op.method.lower()] = op
            found.append(_Collection(name, base, item, item[len(base) + 2 : -1], "", ops))
        return found

    def _ulid(self) -> str:
        ms = int(self._clock() * 1000)
        head = "".join(_CROCKFORD[(ms >> (5 * i)) & 31] for i in reversed(range(10)))
        return head + "".join(self._random.choice(_CROCKFORD) for _ in range(16))

    def _new_key(self, env: str) -> str:
        length = self.settings.api_key_length
        tail = "".join(self._random.choice(_ALNUM) for _ in range(length))
        return self.settings.api_key_prefix(env) + tail

    def _seed(self, coll: _Collection) -> None:
        if coll.seeded:
            return
        coll.seeded = True
        get_op = coll.ops.get("get")
        if get_op is not None:
            param = get_op.parameter(coll.param, "path")
            pattern = param.schema.get("pattern") if param else None
            m = _PREFIX.match(pattern) if isinstance(pattern, str) else None
            if m:
                coll.prefix = m.group(1)
            _, _, example = self._ok(get_op)
            if isinstance(example, dict) and "id" in example:
                coll.records[str(example["id"])] = example
        _, _, listed = self._ok(coll.ops["list"])
        if isinstance(listed, dict):
            for value in listed.values():
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, dict) and "id" in item:
                            coll.records.setdefault(str(item["id"]), copy.deepcopy(item))
        if not coll.prefix:
            coll.prefix = coll.name[:3]

    def _not_found(self, coll: _Collection, op: Operation, record_id: str) -> MockProblem:
        label = coll.name.rstrip("s").replace("-", " ")
        return MockProblem(
            choose_status(op, (404,)),
            f"No {label} with id {record_id!r}",
            [Detail(coll.param, "not found")],
        )

    def _collection(self, coll: _Collection, op: Operation, req: RequestParts) -> Reply | None:
        self._seed(coll)
        method = op.method.upper()
        now = self._clock()
        if op.path == coll.collection:
            if method == "GET":
                return self._list(coll, op, dict(req.query))
            if method == "POST":
                return self._create(coll, op, req, now)
            return None
        if op.path == coll.collection + "/search" and method == "POST":
            criteria = req.body if isinstance(req.body, dict) else {}
            return self._list(coll, op, {k: v for k, v in criteria.items() if k != "filters"})
        if not op.path.startswith(coll.item):
            return None
        record_id = req.path_params.get(coll.param, "")
        record = coll.records.get(record_id)
        if record is None:
            raise self._not_found(coll, op, record_id)
        if op.path == coll.item:
            if method == "GET":
                return _json_reply(200, record)
            if method == "DELETE":
                del coll.records[record_id]
                secret = self._key_secrets.pop(record_id, None)
                if secret:
                    self.revoked.add(secret)
                for value, key in list(self._keys.items()):
                    if key.record_id == record_id:
                        self.revoked.add(value)  # the rotated-out secret too
                        del self._keys[value]
                status, _ = default_response(op)
                return Reply(status)
            if method in ("PATCH", "PUT"):
                body = req.body if isinstance(req.body, dict) else {}
                _check_size({**record, **body})
                if method == "PUT":
                    self._clear_unsent(record, op, body)
                record.update(copy.deepcopy(body))
                if "updatedAt" in record:
                    record["updatedAt"] = _iso(now)
                status, _ = default_response(op)
                return _json_reply(status, record)
            return None
        return self._action(coll, op, req, record, now)

    def _clear_unsent(self, record: dict[str, Any], op: Operation, body: Mapping[str, Any]) -> None:
        """Writable fields the request did not send: null, default or gone."""
        item_schema = self._ok(op, copy_example=False)[1]
        item_props = _schema_props(item_schema)
        required = _schema_required(item_schema)
        for name, prop in _schema_props(_body_schema(op)).items():
            if name in body:
                continue
            target = item_props.get(name, prop)
            if isinstance(target, Mapping) and "null" in schema_types(target):
                record[name] = None
            elif isinstance(prop, Mapping) and "default" in prop:
                record[name] = copy.deepcopy(prop["default"])
            elif isinstance(target, Mapping) and main_type(target) == "array":
                record[name] = []
            elif name not in required:
                record.pop(name, None)

    def _create(self, coll: _Collection, op: Operation, req: RequestParts, now: float) -> Reply:
        body = req.body if isinstance(req.body, dict) else {}
        _check_room(len(coll.records), coll.name)
        _check_size(body)
        status, _, example = self._ok(op)
        record: dict[str, Any] = example if isinstance(example, dict) else {}
        self._clear_unsent(record, op, body)
        record.update(copy.deepcopy(body))
        record_id = f"{coll.prefix}_{self._ulid()}"
        record["id"] = record_id
        for stamp in ("createdAt", "updatedAt"):
            if stamp in record:
                record[stamp] = _iso(now)
        if "lastUsedAt" in record:
            record["lastUsedAt"] = None
        env = str(body.get("environment") or "live")
        for name, value in list(record.items()):
            if isinstance(value, str) and self.settings.is_api_key(value):
                secret = self._new_key(env)
                record[name] = secret
                self._key_secrets[record_id] = secret
                self._keys[secret] = self._issued(record_id, body, req, secret)
                if "prefix" in record:
                    record["prefix"] = self.settings.api_key_prefix(env)
                if "last4" in record:
                    record["last4"] = secret[-4:]
            elif isinstance(value, str) and _WHSEC.match(value):
                secret = "whsec_" + "".join(self._random.choice(_ALNUM) for _ in range(32))
                record[name] = secret
                if "secretLast4" in record:
                    record["secretLast4"] = secret[-4:]
        get_op = coll.ops.get("get")
        stored_props = _schema_props(self._ok(get_op, copy_example=False)[1]) if get_op else {}
        stored = {k: v for k, v in record.items() if not stored_props or k in stored_props}
        coll.records[record_id] = copy.deepcopy(stored)
        location = f"{req.base}{coll.collection}/{record_id}"
        return _json_reply(status, record, [("Location", location)])

    def _list(self, coll: _Collection, op: Operation, criteria: Mapping[str, Any]) -> Reply | None:
        status, _, example = self._ok(op)
        if not isinstance(example, dict):
            return None
        records = list(coll.records.values())
        q = str(criteria.get("q") or "").lower()
        if q:
            records = [r for r in records if q in json.dumps(r, ensure_ascii=False).lower()]
        archived = str(criteria.get("archived", "false")).lower()
        if any("archived" in r for r in records):
            if archived == "false":
                records = [r for r in records if not r.get("archived")]
            elif archived == "only":
                records = [r for r in records if r.get("archived")]
        for key, value in criteria.items():
            if key in ("q", "page", "limit", "sort", "archived"):
                continue
            if any(isinstance(r.get(key), str | int | bool) for r in records):
                records = [r for r in records if str(r.get(key)).lower() == str(value).lower()]
        records.sort(key=lambda r: str(r.get("createdAt", "")), reverse=True)
        try:
            page = max(1, int(criteria.get("page") or 1))
            limit = max(1, min(100, int(criteria.get("limit") or 20)))
        except (TypeError, ValueError, OverflowError):
            page, limit = 1, 20
        total = len(records)
        chunk = records[(page - 1) * limit : page * limit]
        for key, value in example.items():
            if isinstance(value, list):
                example[key] = copy.deepcopy(chunk)
            elif isinstance(value, dict) and "total" in value:
                value.update(
                    page=page, limit=limit, total=total, totalPages=math.ceil(total / limit)
                )
        return _json_reply(status, example)

    def _action(
        self,
        coll: _Collection,
        op: Operation,
        req: RequestParts,
        record: dict[str, Any],
        now: float,
    ) -> Reply | None:
        """POST /name/{id}/action and GET /name/{id}/sub: the record must exist."""
        action = op.path.rsplit("/", 1)[-1]
        if action in ("archive", "unarchive", "restore") and "archived" in record:
            record["archived"] = action == "archive"
            if "updatedAt" in record:
                record["updatedAt"] = _iso(now)
        status, _, example = self._ok(op)
        if not isinstance(example, dict):
            return None
        if "id" in example and op.method.upper() == "POST":
            return _json_reply(status, record)
        if action == "rotate" and isinstance(example.get("apiKey"), dict):
            env = "test" if str(record.get("environment")) == "test" else "live"
            old = self._key_secrets.get(record["id"])
            secret = self._new_key(env)
            self._key_secrets[record["id"]] = secret
            until = now + ROTATION_GRACE
            key = self._keys.get(old) if old else None
            if key is not None and old is not None:
                for value, other in list(self._keys.items()):
                    if other is key and value != old:
                        del self._keys[value]  # an older rotated-out secret ends now
                key.secret, key.previous_until = secret, until
                self._keys[secret] = key
            if "last4" in record:
                record["last4"] = secret[-4:]
            example.update(apiKey=record, key=secret, previousKeyExpiresAt=_iso(until))
            return _json_reply(status, example)
        if action == "usage" and op.method.upper() == "GET":
            return self._usage_reply(op, req, record["id"], now)
        if coll.param in example:
            example[coll.param] = record["id"]
            return _json_reply(status, example)
        return None

    # -- webhook deliveries --------------------------------------------------------------
    def _webhook_collection(self) -> _Collection | None:
        return next((c for c in self._collections if c.name == "webhooks"), None)

    def _endpoint(self, coll: _Collection, op: Operation, req: RequestParts) -> dict[str, Any]:
        self._seed(coll)
        record_id = req.path_params.get(coll.param, "")
        record = coll.records.get(record_id)
        if record is None:
            raise self._not_found(coll, op, record_id)
        return record

    def _payload(self, event: WebhookEvent, req: RequestParts | None) -> tuple[bytes, str]:
        """An event's body (its example, a new id, now) and the event id."""
        try:
            value = json.loads(event.sample_body())
        except ValueError:
            return event.sample_body(), ""
        if not isinstance(value, dict):
            return event.sample_body(), ""
        now = self._clock()
        event_id = "evt_" + "".join(self._random.choice(_ALNUM) for _ in range(24))
        value["id"] = event_id
        value["created"] = math.floor(now)
        data = value.get("data")
        obj = data.get("object") if isinstance(data, dict) else None
        sent = req.body if req is not None and isinstance(req.body, dict) else {}
        if isinstance(obj, dict) and event.name.startswith("license."):
            for name in ("productId", "instanceId", "domain"):
                if isinstance(sent.get(name), str) and name in obj:
                    obj[name] = sent[name]
            key = sent.get("licenseKey")
            if isinstance(key, str) and key.count("-") == 4 and "licenseKey" in obj:
                parts = key.split("-")
                obj["licenseKey"] = "-".join([parts[0], parts[1], "****", "****", parts[4]])
            if "occurredAt" in obj:
                obj["occurredAt"] = _iso(now)
        body = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
        return body, event_id

    def _job(self, endpoint: Mapping[str, Any], event: WebhookEvent, body: bytes) -> DeliveryJob:
        scheme = event.scheme
        secret = self.settings.webhook_secrets.get(event.secret_name, "")
        if scheme is None or not secret:
            raise MockProblem(
                409, f"The demo declares no signing secret for {event.name} (x-explorer-demo)"
            )
        return DeliveryJob(
            str(endpoint.get("id", "")),
            str(endpoint.get("url", "")),
            event.name,
            body,
            scheme,
            secret,
        )

    def _test_event(self, coll: _Collection, op: Operation, req: RequestParts) -> Later:
        endpoint = self._endpoint(coll, op, req)
        body = req.body if isinstance(req.body, dict) else {}
        name = str(body.get("event", ""))
        event = self._events.get(name)
        if event is None:
            raise MockProblem(
                choose_status(op, (422, 400)), f"No event {name!r}", [Detail("event", "unknown")]
            )
        payload, event_id = self._payload(event, None)
        job = self._job(endpoint, event, payload)
        status = default_response(op)[0]

        def finish() -> Reply:
            record = self.dispatcher.deliver(job, event_id)
            return _json_reply(
                status,
                {
                    "deliveryId": record["id"],
                    "event": name,
                    "success": record["status"] == "succeeded",
                    "responseStatus": record["responseStatus"],
                    "durationMs": record["durationMs"],
                },
            )

        return Later(finish)

    def _deliveries(self, coll: _Collection, op: Operation, req: RequestParts) -> Reply | None:
        endpoint = self._endpoint(coll, op, req)
        records = self.dispatcher.deliveries(str(endpoint.get("id", "")))
        query = dict(req.query)
        wanted = query.get("status")
        if wanted:
            records = [r for r in records if r.get("status") == wanted]
        status, _, example = self._ok(op)
        if not isinstance(example, dict):
            return None
        try:
            page = max(1, int(query.get("page") or 1))
            limit = max(1, min(100, int(query.get("limit") or 20)))
        except (TypeError, ValueError, OverflowError):
            page, limit = 1, 20
        chunk = records[(page - 1) * limit : page * limit]
        for key, value in example.items():
            if isinstance(value, list):
                example[key] = chunk
            elif isinstance(value, dict) and "total" in value:
                value.update(
                    page=page,
                    limit=limit,
                    total=len(records),
                    totalPages=math.ceil(len(records) / limit),
                )
        return _json_reply(status, example)

    def after_success(self, op: Operation, req: RequestParts) -> None:
        """An operation answered 2xx: deliver the events it triggers to the endpoints
        subscribed to them (on the dispatcher's thread)."""
        names = self.settings.webhook_triggers.get(op.key, ())
        coll = self._webhook_collection() if names else None
        if coll is None:
            return
        self._seed(coll)
        for name in names:
            event = self._events.get(name)
            if event is None:
                continue
            for endpoint in list(coll.records.values()):
                events = endpoint.get("events")
                if endpoint.get("enabled") is False or not isinstance(events, list):
                    continue
                if name in events:
                    payload, event_id = self._payload(event, req)
                    with contextlib.suppress(MockProblem):
                        self.dispatcher.enqueue(self._job(endpoint, event, payload), event_id)

SCOPES = {"read-only": 0, "read-write": 1, "admin": 2}
"""API key scopes, each reaching what the ones before it reach."""
ROTATION_GRACE = 24 * 3600
"""Seconds a rotated-out secret keeps working."""


@dataclass(frozen=True)
class Credential:
    """Who a request is: `identity` counts its limits ("user:usr_..", "key:key_.."), the
    user behind it, its scope, and the issued key's id (None for a JWT or the demo key)."""

    identity: str
    user_id: str
    scope: str
    key_id: str | None = None


@dataclass
class _Key:
    """An API key issued here: its current secret, and a rotated-out one's end."""

    record_id: str
    user_id: str
    scope: str
    secret: str
    expires_at: float | None = None
    previous_until: float | None = None


@dataclass
class _Usage:
    """What one key did, by day (UTC) and status class."""

    total: int = 0
    errors: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    daily: dict[str, list[int]] = field(default_factory=dict)  # date -> [requests, errors]

    def add(self, now: float, status: int) -> None:
        error = status >= 400
        self.total += 1
        self.errors += error
        kind = f"{status // 100}xx"
        self.by_status[kind] = self.by_status.get(kind, 0) + 1
        day = self.daily.setdefault(_iso(now)[:10], [0, 0])
        day[0] += 1
        day[1] += error
        while len(self.daily) > 400:
            del self.daily[min(self.daily)]


def _quota_headers(limit: int, left: int, reset: int) -> list[tuple[str, str]]:
    return [
        ("X-Quota-Limit", str(limit)),
        ("X-Quota-Remaining", str(max(0, left))),
        ("X-Quota-Reset", str(reset)),
    ]


def _timestamp(text: Any) -> float | None:
    """A date-time of a request body as Unix time (None when absent or unreadable)."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(
            text.replace("Z", "+00:00").replace("z", "+00:00")
        ).timestamp()
    except ValueError:
        return None
