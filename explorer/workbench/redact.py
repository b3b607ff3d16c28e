"""What of a request's state may be written to disk: everything but the secrets. No Qt.

A request's state (the editor's `state()`) is kept whole in memory for the session. Before
it goes into a file (drafts, open tabs; later history and collections) it passes through
`redact_state`, which empties:

- header, query and cookie values (parameters, extra rows) whose names look secret (the
  one rule, `explorer.http.name_looks_secret`: key, token, secret, auth, session,
  signature, password, ...), and rows the user marked secret;
- values in JSON and form bodies under keys that look secret (`"password": ""`);
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

from explorer.http.model import name_looks_secret as looks_secret

__all__ = ["redact_json_text", "redact_state"]

_JSON_SECRET = re.compile(
    r'("(?:[^"\\]*(?:password|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|'
    r'client[_-]?secret)[^"\\]*)"\s*:\s*)"(?:[^"\\]|\\.)*"',
    re.IGNORECASE,
)


def _redact_value(value: Any) -> Any:
    """Secrets inside a JSON value, by key: a secret key's string (or number) is emptied."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if isinstance(v, str | int | float) and not isinstance(v, bool) and looks_secret(k):
                out[k] = "" if isinstance(v, str) else None
            else:
                out[k] = _redact_value(v)
        return out
    if isinstance(value, list):
        return [_redact_value(v) for v in value]
    return value


def redact_json_text(text: str) -> str:
    """A JSON body's text with the values under secret-looking keys emptied; the text is
    kept as it is when there is nothing to empty."""
    try:
        value = json.loads(text)
    except ValueError:
        return _JSON_SECRET.sub(r'\1""', text)  # broken JSON: by pattern
    redacted = _redact_value(value)
    if redacted == value:
        return text
    return json.dumps(redacted, indent=2, ensure_ascii=False)


def _rows(rows: Any) -> Any:
    """Name/value rows ([enabled, name, value, ...flags]) with secret values emptied."""
    if not isinstance(rows, list):
        return rows
    out = []
    for row in rows:
        if isinstance(row, list) and len(row) >= 3:
            marked = len(row) > 4 and row[4] is True
            if marked or looks_secret(str(row[1])):
                row = [row[0], row[1], "", *row[3:]]
        out.append(row)
    return out


def _params(params: Any) -> Any:
    """A form's state ({"location:name": {"value": ..., "include": ...}}), secrets emptied."""
    if not isinstance(params, Mapping):
        return params
    out: dict[str, Any] = {}
    for key, item in params.items():
        name = str(key).split(":", 1)[-1]
        if isinstance(item, Mapping) and looks_secret(name):
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


def redact_state(state: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of an editor state that may be written to disk (see the module docstring)."""
    out = copy.deepcopy(dict(state))
    out["headers"] = _rows(out.get("headers"))
    out["query"] = _rows(out.get("query"))
    out["params"] = _params(out.get("params"))
    body = out.get("body")
    if isinstance(body, dict):
        texts = body.get("texts")
        if isinstance(texts, dict):
            body["texts"] = {
                mt: redact_json_text(t) if isinstance(t, str) and "json" in mt.lower() else t
                for mt, t in texts.items()
            }
        forms = body.get("forms")
        if isinstance(forms, dict):
            for form in forms.values():
                if isinstance(form, dict):
                    form["fields"] = _params(form.get("fields"))
                    form["extra"] = _rows(form.get("extra"))
    settings = out.get("settings")
    if isinstance(settings, dict) and "proxy" in settings:
        settings["proxy"] = _proxy(settings["proxy"])
    return {k: v for k, v in out.items() if v is not None or k in state}
