"""What of a request's state may be written to disk: everything but the secrets. No Qt.

A request's state (the editor's `state()`) is kept whole in memory for the session. Before
it goes into a file (drafts, open tabs; later history and collections) it passes through
`redact_state`, which empties:

- header, query and cookie values (parameters, extra rows) whose names look secret (the
  one rule, `explorer.http.name_looks_secret`: key, token, secret, auth, session,
  signature, password, ...), and rows the user marked secret;
- values in JSON and form bodies under keys that look secret (`"password": ""`), and
  under the names the operation's schemas mark `format: password` (`password_names`);
- the password of a proxy URL (`http://user:pass@proxy` -> `http://user@proxy`).

The Auth tab keeps its credentials to itself (its state is only which kind was chosen).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from explorer.http.model import name_looks_secret
from explorer.spec.model import Operation

__all__ = ["password_names", "redact_json_text", "redact_state"]

_JSON_SECRET = re.compile(
    r'("(?:[^"\\]*(?:password|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|'
    r'client[_-]?secret)[^"\\]*)"\s*:\s*)"(?:[^"\\]|\\.)*"',
    re.IGNORECASE,
)


def _secret(name: str, also: frozenset[str]) -> bool:
    return name in also or name_looks_secret(name)


def _redact_value(value: Any, also: frozenset[str]) -> Any:
    """Secrets inside a JSON value, by key: a secret key's string (or number) is emptied."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if isinstance(v, str | int | float) and not isinstance(v, bool) and _secret(k, also):
                out[k] = "" if isinstance(v, str) else None
            else:
                out[k] = _redact_value(v, also)
        return out
    if isinstance(value, list):
        return [_redact_value(v, also) for v in value]
    return value


def redact_json_text(text: str, also: frozenset[str] = frozenset()) -> str:
    """A JSON body's text with the values under secret-looking keys (and the keys in
    `also`) emptied; the text is kept as it is when there is nothing to empty."""
    try:
        value = json.loads(text)
    except ValueError:
        return _JSON_SECRET.sub(r'\1""', text)  # broken JSON: by pattern
    redacted = _redact_value(value, also)
    if redacted == value:
        return text
    return json.dumps(redacted, indent=2, ensure_ascii=False)


def _rows(rows: Any, also: frozenset[str]) -> Any:
    """Name/value rows ([enabled, name, value, ...flags]) with secret values emptied."""
    if not isinstance(rows, list):
        return rows
    out = []
    for row in rows:
        if isinstance(row, list) and len(row) >= 3:
            marked = len(row) > 4 and row[4] is True
            if marked or _secret(str(row[1]), also):
                row = [row[0], row[1], "", *row[3:]]
        out.append(row)
    return out


def _params(params: Any, also: frozenset[str]) -> Any:
    """A form's state ({"location:name": {"value": ..., "include": ...}}), secrets emptied."""
    if not isinstance(params, Mapping):
        return params
    out: dict[str, Any] = {}
    for key, item in params.items():
        name = str(key).split(":", 1)[-1]
        if isinstance(item, Mapping) and _secret(name, also):
            item = {**item, "value": None}
        out[str(key)] = item
    return out


def _proxy(url: Any) -> Any:
    if not isinstance(url, str) or "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    netloc = f"{parts.username}@{host}" if parts.username else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def password_names(op: Operation | None) -> frozenset[str]:
    """Names the operation's schemas mark `format: password`: its parameters, and the
    properties of its request bodies (at any depth, a bounded walk)."""
    if op is None:
        return frozenset()
    names = {p.name for p in op.parameters if p.schema.get("format") == "password"}
    body = op.request_body
    todo: list[tuple[Any, int]] = [(m.schema, 0) for m in body.content] if body else []
    seen = 0
    while todo and seen < 5000:
        schema, depth = todo.pop()
        seen += 1
        if not isinstance(schema, Mapping) or depth > 20:
            continue
        props = schema.get("properties")
        if isinstance(props, Mapping):
            for name, prop in props.items():
                if isinstance(prop, Mapping) and prop.get("format") == "password":
                    names.add(str(name))
                todo.append((prop, depth + 1))
        for key in ("items", "additionalProperties"):
            todo.append((schema.get(key), depth + 1))
        for key in ("allOf", "anyOf", "oneOf"):
            parts = schema.get(key)
            if isinstance(parts, list):
                todo.extend((part, depth + 1) for part in parts)
    return frozenset(names)


def redact_state(state: Mapping[str, Any], also: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A copy of an editor state that may be written to disk (see the module docstring);
    `also` names fields to treat as secret whatever their names say (`password_names`)."""
    out = copy.deepcopy(dict(state))
    out["headers"] = _rows(out.get("headers"), also)
    out["query"] = _rows(out.get("query"), also)
    out["params"] = _params(out.get("params"), also)
    body = out.get("body")
    if isinstance(body, dict):
        texts = body.get("texts")
        if isinstance(texts, dict):
            body["texts"] = {
                mt: redact_json_text(t, also) if isinstance(t, str) and "json" in mt.lower() else t
                for mt, t in texts.items()
            }
        forms = body.get("forms")
        if isinstance(forms, dict):
            for form in forms.values():
                if isinstance(form, dict):
                    form["fields"] = _params(form.get("fields"), also)
                    form["extra"] = _rows(form.get("extra"), also)
    settings = out.get("settings")
    if isinstance(settings, dict) and "proxy" in settings:
        settings["proxy"] = _proxy(settings["proxy"])
    return {k: v for k, v in out.items() if v is not None or k in state}
