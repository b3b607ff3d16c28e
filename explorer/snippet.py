"""`explorer snippet`: the code for one request of a document, built as the window builds it.

    explorer snippet SPEC "POST /contacts" --lang python-httpx --param Idempotency-Key=k1 \\
        --body contact.json --base-url http://127.0.0.1:8642/api

The request is what the window would send for the same form: parameters typed by their
schema (`--param name=value`, repeated for the items of an array; a value that does not
parse is sent as written, as the window does), the body as given (`--body FILE`, `-` for
standard input) or else the one the window starts with (the media type's example or a
sample of its schema), the first server (its variables at their defaults) unless
`--base-url`, and the credential the Auth tab starts with. Its secret is read from the
environment variable the snippet names (ECOSIRE_TOKEN, ...); the snippet itself reads it
from there too unless `--inline-secrets`, which needs it set. No Qt here.

Exit status: 0 with the snippet on standard output; 2 with one sentence on standard
error when the document, the endpoint, a parameter or the body cannot be used.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.http.model import AuthInput, BodyInput, ParamValue, RequestInput
    from explorer.spec import Operation, Spec

__all__ = [
    "COMMON_OPERATIONS",
    "CommonOperation",
    "Given",
    "SnippetError",
    "common_operations",
    "request_for",
    "run_snippet",
]

PLACEHOLDER = "explorer-placeholder-secret"
"""The secret used when its variable is not set: the snippet reads the variable anyway."""


class SnippetError(Exception):
    """Input that cannot make the request (one sentence for the user)."""


@dataclass(frozen=True)
class Given:
    """What the command line says about the request. `environ` holds the secrets'
    variables (None: the process's environment)."""

    params: Sequence[str] = ()
    body: str | None = None
    base_url: str = ""
    inline: bool = False
    environ: Mapping[str, str] | None = None


def find_operation(api: Spec, endpoint: str) -> Operation:
    """The operation named "METHOD /path" (method in any case)."""
    method, _, path = endpoint.strip().partition(" ")
    key = f"{method.upper()} {path.strip()}"
    for op in api.operations:
        if op.key == key:
            return op
    near = [op.key for op in api.operations if op.path == path.strip()]
    hint = f" ({', '.join(near)} there)" if near else ""
    raise SnippetError(f"No endpoint {key!r} in {api.title}{hint}.")


def _params(op: Operation, given: Sequence[str]) -> tuple[ParamValue, ...]:
    """The `--param name=value` values typed as the form types them, in form order."""
    from explorer.http.model import ParamValue
    from explorer.spec.form import entries_from_parameters
    from explorer.spec.values import field_kind, to_value

    entries = entries_from_parameters(op.parameters)
    by_key = {e.key: e for e in entries}
    by_name: dict[str, list[Any]] = {}
    values: dict[str, list[Any]] = {}
    for e in entries:
        by_name.setdefault(e.name, []).append(e)
    for item in given:
        name, sep, text = item.partition("=")
        if not sep:
            raise SnippetError(f"--param {item!r} needs the form name=value.")
        candidates = [by_key[name]] if name in by_key else by_name.get(name, [])
        if not candidates:
            known = ", ".join(e.name for e in entries) or "none"
            raise SnippetError(f"{op.key} has no parameter {name!r} (its parameters: {known}).")
        entry = candidates[0]
        schema = entry.schema
        if field_kind(schema) == "array":
            items = schema.get("items")
            schema = items if isinstance(items, dict) else {}
        try:
            value = to_value(text, schema)
        except ValueError as exc:
            print(f"explorer: {entry.name}: {exc}; sent as written", file=sys.stderr)
            value = text
        values.setdefault(entry.key, []).append(value)
    out = []
    for e in entries:
        if e.key not in values:
            continue
        got = values[e.key]
        value = got if field_kind(e.schema) == "array" else got[-1]
        out.append(ParamValue(e.name, e.location, value, e.style, e.explode))
    return tuple(out)


def _body(op: Operation, text: str | None) -> BodyInput | None:
    """The body: the text given, else the one the window starts with."""
    from explorer.http.media import initial_text, media_kind
    from explorer.http.model import BodyInput

    rb = op.request_body
    if rb is None or not rb.content:
        if text is not None:
            raise SnippetError(f"{op.key} takes no body.")
        return None
    media = rb.content[0]
    kind = media_kind(media.media_type)
    if kind == "multipart":
        if text is not None:
            raise SnippetError("A multipart body (files) is filled in the window, not with --body.")
        return BodyInput(media.media_type)
    if text is None:
        text = initial_text(media, 0) if kind in ("json", "raw") else ""
    return BodyInput(media.media_type, text=text)


def _auth(
    api: Spec, op: Operation, inline: bool, environ: Mapping[str, str] | None
) -> AuthInput | None:
    """The credential the Auth tab starts with for `op`, its secret from the environment."""
    import os

    variables = os.environ if environ is None else environ
    from explorer.http.build import basic_env_names
    from explorer.http.model import AuthInput
    from explorer.http.snippets import env_name_for
    from explorer.spec.describe import credential_kind

    alternatives = op.security
    if not alternatives or any(not alt for alt in alternatives):
        return None
    for name in alternatives[0]:
        scheme = api.security_schemes.get(name)
        if scheme is not None and scheme.type.lower() == "mutualtls":
            continue
        kind = credential_kind(scheme)
        env = env_name_for(api, kind, scheme.name if scheme is not None else "")

        def secret(variable: str) -> str:
            value = variables.get(variable, "")
            if value:
                return value
            if inline:
                raise SnippetError(f"--inline-secrets: set {variable} to the secret to write.")
            return f"{PLACEHOLDER}-{variable.lower()}"

        if kind == "basic":
            user_env, password_env = basic_env_names(env)
            return AuthInput(
                "basic", username=secret(user_env), password=secret(password_env), env_name=env
            )
        if kind == "apikey" and scheme is not None:
            return AuthInput(
                "apikey",
                token=secret(env),
                name=scheme.param_name,
                location=scheme.location or "header",
                env_name=env,
            )
        return AuthInput("bearer", token=secret(env), env_name=env)
    return None


def request_for(api: Spec, op: Operation, given: Given) -> RequestInput:
    """The `RequestInput` the window would make for `op` filled as `given` says."""
    from explorer.http.model import RequestInput

    base = given.base_url
    if not base:
        servers = op.servers or api.servers
        base = servers[0].resolve() if servers else ""
    if not base:
        raise SnippetError(f"{api.title} names no server: give one with --base-url.")
    return RequestInput(
        method=op.method,
        base_url=base,
        path=op.path,
        params=_params(op, given.params),
        body=_body(op, given.body),
        auth=_auth(api, op, given.inline, given.environ),
    )


def run_snippet(source: str, endpoint: str, language: str, given: Given) -> int:
    """Print the snippet (see the module docstring); returns the exit status."""
    from explorer import spec
    from explorer.errors import RequestError
    from explorer.http.build import build_request
    from explorer.http.snippets import LANGUAGES, SnippetContext, SnippetOptions, generate

    if language not in LANGUAGES:
        print(
            f"explorer: no language {language!r}; one of: {', '.join(LANGUAGES)}", file=sys.stderr
        )
        return 2
    try:
        api = spec.load(source)
        op = find_operation(api, endpoint)
        if given.body == "-":
            given = replace(given, body=sys.stdin.read())
        elif given.body is not None:
            with open(given.body, encoding="utf-8") as handle:
                given = replace(given, body=handle.read())
        inp = request_for(api, op, given)
        prepared = build_request(inp)
    except (spec.SpecError, SnippetError, RequestError) as exc:
        print(f"explorer: {exc}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as exc:
        print(f"explorer: cannot read the body {given.body}: {exc}", file=sys.stderr)
        return 2
    options = SnippetOptions(secrets="inline" if given.inline else "env")
    text = generate(language, prepared, options, SnippetContext(api, op, inp))
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


# --- the demo's common operations (its welcome page) -------------------------------------


@dataclass(frozen=True)
class CommonOperation:
    """One of ECOSIRE's common operations with its snippet (`text`; `error` when the
    document has no such endpoint or it cannot be built)."""

    title: str
    key: str
    text: str = ""
    error: str = ""


COMMON_OPERATIONS: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (
    (
        "Log in",
        "POST /auth/login",
        (),
        '{\n  "email": "demo@ecosire.com",\n  "password": "demo-password"\n}',
    ),
    ("List contacts", "GET /contacts", ("page=1", "limit=20"), None),
    ("Create a contact", "POST /contacts", (), None),
    (
        "Capture a CRM lead",
        "POST /crm/capture",
        (),
        '{\n  "name": "Ada Lovelace",\n  "email": "ada@example.com",\n'
        '  "source": "website",\n  "consent": true\n}',
    ),
    ("Validate a license", "POST /licenses/validate", (), None),
    (
        "Ask the AI assistant",
        "POST /ecosire-ai/ask",
        (),
        '{\n  "question": "How do I import my contacts from a CSV file?"\n}',
    ),
)
"""(title, endpoint, parameters, body or None for the window's own) of each operation
ECOSIRE's documentation starts with."""


def common_operations(api: Spec, base_url: str, language: str) -> list[CommonOperation]:
    """ECOSIRE's common operations as snippets in `language`, sent to `base_url` (the
    demo's local server), secrets from environment variables (ECOSIRE_TOKEN after the
    log in), built as `explorer snippet` builds them."""
    from explorer.errors import RequestError
    from explorer.http.build import build_request
    from explorer.http.snippets import SnippetContext, generate

    out = []
    for title, key, params, body in COMMON_OPERATIONS:
        try:
            op = find_operation(api, key)
            inp = request_for(api, op, Given(params, body, base_url, environ={}))
            prepared = build_request(inp)
            text = generate(language, prepared, context=SnippetContext(api, op, inp))
        except (SnippetError, RequestError) as exc:
            out.append(CommonOperation(title, key, error=str(exc)))
            continue
        out.append(CommonOperation(title, key, text))
    return out
