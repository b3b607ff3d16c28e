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

A request as sent (`PreparedRequest`, for the history) passes through `redact_prepared`:
every value of a credential it carried (`secrets`), and the values of headers, query
parameters, cookies and form fields whose names look secret (or that a credential put
there), become `${NAME}` placeholders, listed in its `secrets` so that a snippet made from
it reads them from the environment. `scrub_text` takes a request's secret values out of
any other text (a response body that echoes them).

With `keep_variables` (a saved request: explorer.workbench.saved) a value that only names
variables (`{{token}}`, `Bearer {{token}}`) is kept: it says where the secret comes from,
and is none itself.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit, urlunsplit

from explorer.http.model import SECRET_NAME_WORDS, name_looks_secret
from explorer.http.snippets import env_name
from explorer.spec.model import Operation

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = [
    "only_variables",
    "password_names",
    "redact_json_text",
    "redact_pairs",
    "redact_prepared",
    "redact_state",
    "scrub_text",
    "secret_values",
]

MIN_SCRUB = 6
"""A secret shorter than this is replaced where it sits (its header, parameter, cookie)
but not searched for in other text, where it would cut ordinary words apart."""
_JSON_SCAN = 1 << 20
"""A JSON request body up to this size is read for values under secret-looking keys."""
AUTH_SCHEMES = frozenset(
    ("basic", "bearer", "digest", "token", "apikey", "hmac", "jwt", "negotiate", "ntlm", "otp")
)
"""Words before a credential in a header ("Bearer ...") that are kept as they are."""
_ALWAYS = frozenset(("authorization", "proxy-authorization", "cookie"))
_PLACEHOLDER = re.compile(r"\$\{[A-Za-z0-9_]+\}")

_JSON_SECRET = re.compile(
    r'("(?:[^"\\]*(?:password|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|'
    r'client[_-]?secret)[^"\\]*)"\s*:\s*)"(?:[^"\\]|\\.)*"',
    re.IGNORECASE,
)


def _secret(name: str, also: frozenset[str]) -> bool:
    return name in also or name_looks_secret(name)


_VARIABLE = re.compile(r"\{\{\s*[A-Za-z_][A-Za-z0-9_.\-]*\s*\}\}")


def only_variables(value: Any) -> bool:
    """`value` is text that only names variables (`{{token}}`, `Bearer {{token}}`): where
    a secret comes from, not a secret."""
    if not isinstance(value, str) or not _VARIABLE.search(value):
        return False
    rest = _VARIABLE.sub("", value).strip().lower()
    return rest == "" or rest in AUTH_SCHEMES


def _redact_value(value: Any, also: frozenset[str], keep: bool = False) -> Any:
    """Secrets inside a JSON value, by key: a secret key's string (or number) is emptied
    (with `keep`, not one that only names variables)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if (
                isinstance(v, str | int | float)
                and not isinstance(v, bool)
                and _secret(k, also)
                and not (keep and only_variables(v))
            ):
                out[k] = "" if isinstance(v, str) else None
            else:
                out[k] = _redact_value(v, also, keep)
        return out
    if isinstance(value, list):
        return [_redact_value(v, also, keep) for v in value]
    return value


def redact_json_text(
    text: str, also: frozenset[str] = frozenset(), *, keep_variables: bool = False
) -> str:
    """A JSON body's text with the values under secret-looking keys (and the keys in
    `also`) emptied; the text is kept as it is when there is nothing to empty.

    Called on every edit of a tab (its draft): a text without a secret-looking word is
    returned after one fast scan, and the answer for a text is remembered, so a big body
    costs its parse only when it changes."""
    if not also:
        low = text.lower()
        # every key name_looks_secret or _JSON_SECRET takes holds one of these words (a
        # substring test: a regular expression scans a big body far more slowly)
        if not any(word in low for word in SECRET_NAME_WORDS):
            return text
    return _redact_json_text(text, also, keep_variables)


@functools.lru_cache(maxsize=8)
def _redact_json_text(text: str, also: frozenset[str], keep: bool = False) -> str:
    try:
        value = json.loads(text)
    except ValueError:
        return _JSON_SECRET.sub(r'\1""', text)  # broken JSON: by pattern
    redacted = _redact_value(value, also, keep)
    if redacted == value:
        return text
    return json.dumps(redacted, indent=2, ensure_ascii=False)


def _rows(rows: Any, also: frozenset[str], keep: bool = False) -> Any:
    """Name/value rows ([enabled, name, value, ...flags]) with secret values emptied."""
    if not isinstance(rows, list):
        return rows
    out = []
    for row in rows:
        if isinstance(row, list) and len(row) >= 3:
            marked = len(row) > 4 and row[4] is True
            if (marked or _secret(str(row[1]), also)) and not (keep and only_variables(row[2])):
                row = [row[0], row[1], "", *row[3:]]
        out.append(row)
    return out


def _params(params: Any, also: frozenset[str], keep: bool = False) -> Any:
    """A form's state ({"location:name": {"value": ..., "include": ...}}), secrets emptied."""
    if not isinstance(params, Mapping):
        return params
    out: dict[str, Any] = {}
    for key, item in params.items():
        name = str(key).split(":", 1)[-1]
        if (
            isinstance(item, Mapping)
            and _secret(name, also)
            and not (keep and only_variables(item.get("value")))
        ):
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


def redact_state(
    state: Mapping[str, Any], also: frozenset[str] = frozenset(), *, keep_variables: bool = False
) -> dict[str, Any]:
    """A copy of an editor state that may be written to disk (see the module docstring);
    `also` names fields to treat as secret whatever their names say (`password_names`);
    `keep_variables` keeps values that only name variables."""
    keep = keep_variables
    out = copy.deepcopy(dict(state))
    out["headers"] = _rows(out.get("headers"), also, keep)
    out["query"] = _rows(out.get("query"), also, keep)
    out["params"] = _params(out.get("params"), also, keep)
    body = out.get("body")
    if isinstance(body, dict):
        texts = body.get("texts")
        if isinstance(texts, dict):
            body["texts"] = {
                mt: redact_json_text(t, also, keep_variables=keep)
                if isinstance(t, str) and "json" in mt.lower()
                else t
                for mt, t in texts.items()
            }
        forms = body.get("forms")
        if isinstance(forms, dict):
            for form in forms.values():
                if isinstance(form, dict):
                    form["fields"] = _params(form.get("fields"), also, keep)
                    form["extra"] = _rows(form.get("extra"), also, keep)
    settings = out.get("settings")
    if isinstance(settings, dict) and "proxy" in settings:
        settings["proxy"] = _proxy(settings["proxy"])
    return {k: v for k, v in out.items() if v is not None or k in state}


def _placeholder(env: str) -> str:
    return "${" + env_name(env).upper() + "}"


def secret_values(prepared: PreparedRequest) -> list[tuple[str, str]]:
    """(text, placeholder) for every secret value `prepared` carried, in each spelling it
    may have on the wire or in an echo (as is, percent-encoded, form-encoded), longest
    first: its credentials (`secrets`), and the values of its headers, query parameters,
    cookies, form fields and JSON body keys whose names look secret. Values shorter than
    `MIN_SCRUB` are left out."""
    found: dict[str, str] = {}
    pairs = list(prepared.secrets)
    if prepared.digest_auth is not None:
        pairs += [(prepared.digest_auth[1], "PASSWORD"), (prepared.digest_auth[0], "USER")]
    pairs += _named_values(prepared)
    for value, env in pairs:
        if len(value) < MIN_SCRUB:
            continue
        for spelling in (value, unquote_plus(value), quote(value, safe=""), quote_plus(value)):
            if len(spelling) >= MIN_SCRUB:
                found.setdefault(spelling, _placeholder(env))
    return sorted(found.items(), key=lambda pair: -len(pair[0]))


def _named_values(prepared: PreparedRequest) -> list[tuple[str, str]]:
    """(value, variable name) of what the request carried under secret-looking names."""
    out: list[tuple[str, str]] = []
    credential_headers = {n.lower() for n in prepared.credential_headers} | _ALWAYS
    for name, value in prepared.headers:
        if name.lower() == "cookie":
            for pair in value.split(";"):
                cookie, _eq, cookie_value = pair.strip().partition("=")
                out.append((cookie_value, "COOKIE_" + cookie))
        elif name.lower() in credential_headers or name_looks_secret(name):
            scheme, space, rest = value.strip().partition(" ")
            out.append((rest.strip() if space and scheme.lower() in AUTH_SCHEMES else value, name))
    credential_query = set(prepared.credential_query)
    for item in prepared.url.partition("?")[2].split("&"):
        raw_name, _eq, value = item.partition("=")
        name = unquote_plus(raw_name)
        if name in credential_query or name_looks_secret(name):
            out.append((value, name))
    out += [(value, name) for name, value in prepared.form if name_looks_secret(name)]
    content = prepared.content
    if content and len(content) <= _JSON_SCAN and content.lstrip()[:1] in (b"{", b"["):
        with contextlib.suppress(ValueError, RecursionError):
            _json_values(json.loads(content), out)
    return out


def _json_values(value: Any, out: list[tuple[str, str]], depth: int = 0) -> None:
    """The strings under secret-looking keys of a JSON value (a bounded walk)."""
    if depth > 50:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and name_looks_secret(str(key)):
                out.append((item, str(key)))
            else:
                _json_values(item, out, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _json_values(item, out, depth + 1)


def _scrubber(secrets: list[tuple[str, str]]) -> Callable[[str], str]:
    """A function that replaces each secret of `secrets` in a text by its placeholder (in
    one pass: a placeholder is never searched again)."""
    if not secrets:
        return lambda text: text
    table = dict(secrets)
    pattern = re.compile("|".join(re.escape(value) for value, _ in secrets))
    return lambda text: pattern.sub(lambda m: table[m.group(0)], text)


def scrub_text(text: str, secrets: list[tuple[str, str]]) -> str:
    """`text` with every secret of `secrets` (from `secret_values`) replaced."""
    return _scrubber(secrets)(text)


def _secret_header(name: str, value: str, scrub: Callable[[str], str]) -> str:
    """A credential header's value as it may be stored: placeholders only, after the
    scheme word ("Bearer ${ECOSIRE_TOKEN}")."""
    if name.lower() == "cookie":
        return "; ".join(_cookie(p.strip(), scrub) for p in value.split(";"))
    scrubbed = scrub(value)
    scheme, space, rest = scrubbed.strip().partition(" ")
    if not _PLACEHOLDER.sub("", scrubbed).strip():
        return scrubbed
    if space and scheme.lower() in AUTH_SCHEMES and not _PLACEHOLDER.sub("", rest).strip():
        return scrubbed.strip()
    placeholder = _placeholder(name)
    return f"{scheme} {placeholder}" if space and scheme.lower() in AUTH_SCHEMES else placeholder


def _cookie(pair: str, scrub: Callable[[str], str]) -> str:
    """A cookie "name=value" with its value as a placeholder (the name kept)."""
    name, eq, value = pair.partition("=")
    if not eq:
        return _placeholder("COOKIE") if name else name
    scrubbed = scrub(value)
    if value and _PLACEHOLDER.sub("", scrubbed):
        scrubbed = _placeholder("COOKIE_" + name)
    return f"{name}={scrubbed}"


def _pairs(text: str, secret: Callable[[str], bool], scrub: Callable[[str], str]) -> str:
    """`a=1&b=2` (a query or a form body) with the values of secret names as placeholders
    and the secrets of the request scrubbed out of the rest."""
    out = []
    for item in text.split("&"):
        raw_name, eq, value = item.partition("=")
        name = unquote_plus(raw_name)
        if eq and value and secret(name):
            scrubbed = scrub(value)
            if _PLACEHOLDER.sub("", scrubbed):
                scrubbed = _placeholder(name)
            out.append(f"{raw_name}={scrubbed}")
        else:
            out.append(scrub(item))
    return "&".join(out)


def redact_pairs(text: str) -> str:
    """Form-encoded text (`a=1&token=x`) with the values of secret-looking names as
    placeholders (`token=${TOKEN}`)."""
    return _pairs(text, name_looks_secret, lambda t: t)


def redact_prepared(prepared: PreparedRequest) -> PreparedRequest:
    """`prepared` as it may be written to disk (see the module docstring). Its `secrets`
    list the placeholders, so `Snippet.generate` writes them as environment variables;
    basic and digest credentials are gone (the Authorization header says `${...}`), and
    so is a body that is not UTF-8 text (it could not be searched for secrets)."""
    secrets = secret_values(prepared)
    scrub = _scrubber(secrets)
    credential_headers = {n.lower() for n in prepared.credential_headers} | _ALWAYS
    credential_query = set(prepared.credential_query)

    def secret_name(name: str) -> bool:
        return name in credential_query or name_looks_secret(name)

    headers = []
    for name, value in prepared.headers:
        if name.lower() in credential_headers or name_looks_secret(name):
            headers.append((name, _secret_header(name, value, scrub)))
        else:
            headers.append((name, scrub(value)))
    base, question, query = prepared.url.partition("?")
    url = scrub(base) + (question + _pairs(query, secret_name, scrub) if question else "")
    content = prepared.content
    if content is not None:
        content = _redact_content(content, dict(headers), secret_name, scrub)
    form = tuple(
        (name, _placeholder(name) if value and name_looks_secret(name) else scrub(value))
        for name, value in prepared.form
    )
    texts = [url, *(v for _, v in headers), *(v for _, v in form)]
    if content is not None:
        texts.append(content.decode("utf-8"))
    used = sorted({p for text in texts for p in _PLACEHOLDER.findall(text)})
    return replace(
        prepared,
        url=url,
        headers=tuple(headers),
        content=content,
        form=form,
        secrets=tuple((p, p[2:-1]) for p in used),
        basic_auth=None,
        digest_auth=None,
    )


def _redact_content(
    content: bytes,
    headers: dict[str, str],
    secret_name: Callable[[str], bool],
    scrub: Callable[[str], str],
) -> bytes | None:
    """A body as it may be stored: JSON values under secret keys emptied, urlencoded
    secret fields as placeholders, the request's secrets scrubbed; None for binary."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    media = next((v for k, v in headers.items() if k.lower() == "content-type"), "").lower()
    if "json" in media:
        text = redact_json_text(text)
    elif "x-www-form-urlencoded" in media:
        text = _pairs(text, secret_name, lambda t: t)
    return scrub(text).encode("utf-8")
