"""Code that sends a `PreparedRequest` outside the explorer. Only curl for now.

The command is for a POSIX shell (sh, dash, bash, zsh), one option a line with `\\`
continuations. Every argument is single-quoted when it needs quoting; a secret becomes
`"${ENV_NAME}"` spliced between single-quoted pieces ('Authorization: Bearer '"${TOKEN}"),
so the shell expands the variable and nothing else, not even `!` in an interactive bash.
Basic credentials are written as `-u "${X_USER}:${X_PASSWORD}"`, never as a variable where
base64 of `user:password` belongs.

Each language is a `Snippet` (a name, a generator from PreparedRequest to text, the lexer
that colours it); adding a language is adding one entry to `SNIPPETS`.
"""

from __future__ import annotations

import base64
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the code panel lists SNIPPETS at start-up
    from explorer.http.model import PreparedRequest
    from explorer.spec.model import Spec

__all__ = ["SNIPPETS", "Snippet", "env_name", "env_name_for", "env_names", "to_curl"]

INLINE_BODY_LIMIT = 64 * 1024  # bigger bodies are piped in by printf, not passed as arguments
_ENV_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_GLOB = re.compile(r"[\[\]{}]")
_DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$|\?|#)")


def env_name(name: str) -> str:
    """`name` as a shell variable name: other characters become `_` ("api-key" -> "api_key")."""
    if _ENV_OK.match(name):
        return name
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name) or "API_TOKEN"
    return cleaned if not cleaned[0].isdigit() else "_" + cleaned


def env_name_for(api: Spec | None, kind: str, scheme_name: str = "") -> str:
    """The environment variable snippets use for a secret: the API's name, then API_KEY
    for API keys (an apiKey scheme, or a scheme named like one: "apiKey", "ApiKeyAuth"),
    PASSWORD for basic auth, TOKEN otherwise: ECOSIRE_API_KEY, ECOSIRE_TOKEN,
    GITHUB_TOKEN; API_TOKEN / API_KEY when the API has no usable name."""
    base = {"bearer": "TOKEN", "basic": "PASSWORD", "apikey": "API_KEY"}.get(kind, "TOKEN")
    if kind == "bearer" and "key" in scheme_name.lower():
        base = "API_KEY"
    prefix = ""
    if api is not None and api.title:
        word = re.sub(r"[^A-Za-z0-9]", "", api.title.split()[0]).upper()
        if word and word[0].isalpha() and word not in ("THE", "API", "OPENAPI", "SWAGGER"):
            prefix = word
    if not prefix:
        return "API_KEY" if kind == "apikey" else f"API_{base}"
    return f"{prefix}_{base}"


def to_curl(prepared: PreparedRequest, *, secrets_as_env: bool = True) -> str:
    """A curl command that sends `prepared`: same method, URL, headers and body.

    With `secrets_as_env` (the default), each secret recorded in `prepared.secrets` is
    written as `${ENV_NAME}` for the shell to fill in. curl's own defaults (User-Agent,
    Accept) are left as curl sends them; its default form Content-Type is suppressed when
    the request has a body but no Content-Type. A body over `INLINE_BODY_LIMIT` is piped
    in with `printf '%s' '...' | curl ... --data-binary @-`, and one that is not UTF-8
    text with `printf '%b' '\\0ooo...' | curl ...`."""
    secrets: list[tuple[str, str]] = []
    if secrets_as_env:
        secrets = sorted(
            ((value, env_name(env)) for value, env in prepared.secrets if value),
            key=lambda pair: -len(pair[0]),
        )

    def arg(text: str) -> str:
        return _quote(text, secrets)

    method = prepared.method.upper()
    prefix = ""  # a binary body is piped in by printf
    has_body = prepared.content is not None or bool(prepared.form or prepared.files)
    options: list[str] = []
    if method == "HEAD":
        options.append("--head")
    elif method != ("POST" if has_body else "GET"):
        options.append(f"-X {arg(method)}")
    if _GLOB.search(prepared.url):
        options.append("--globoff")
    if _DOT_SEGMENT.search(prepared.url.split("?", 1)[0].split("://", 1)[-1]):
        options.append("--path-as-is")

    header_names = {name.lower() for name, _ in prepared.headers}
    basic = _basic_credentials(prepared)
    for name, value in prepared.headers:
        if basic is not None and name.lower() == "authorization":
            options.append(f"-u {_user_option(basic, secrets_as_env)}")
            continue
        # "Name:" with nothing after it would make curl drop the header; "Name;" sends it empty.
        options.append(f"-H {arg(f'{name}: {value}' if value else f'{name};')}")

    if prepared.content is not None:
        if "content-type" not in header_names:
            options.append("-H 'Content-Type:'")  # curl would add a form Content-Type
        text = _as_text(prepared.content)
        if text is None:
            prefix = f"printf '%b' {_printf_bytes(prepared.content)} | "
            options.append("--data-binary @-")
        elif len(prepared.content) > INLINE_BODY_LIMIT:
            # Linux refuses a single program argument over 128 KiB; printf is a shell
            # builtin, so the body never becomes one.
            prefix = f"printf '%s' {arg(text)} | "
            options.append("--data-binary @-")
        else:
            options.append(f"--data-raw {arg(text)}")
    for name, value in prepared.form:
        options.append(f"--form-string {arg(f'{name}={value}')}")
    for name, path, content_type in prepared.files:
        spec = f"{name}=@{_form_path(path)}"
        if content_type:
            spec += f";type={content_type}"
        options.append(f"-F {arg(spec)}")

    lines = [f"{prefix}curl {arg(prepared.url)}", *options]
    return " \\\n  ".join(lines)


def _basic_credentials(prepared: PreparedRequest) -> tuple[str, str, str, str] | None:
    """(username, password, username variable, password variable) when the request's
    Authorization header is the basic credentials `build_request` made from a username
    and password (not one the user typed over it); else None."""
    if prepared.basic_auth is None:
        return None
    user_env, password_env = prepared.basic_auth
    values = {env: value for value, env in prepared.secrets}
    username, password = values.get(user_env, ""), values.get(password_env, "")
    pair = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    sent = [v for n, v in prepared.headers if n.lower() == "authorization"]
    if sent != [f"Basic {pair}"]:
        return None
    return username, password, user_env, password_env


def _user_option(basic: tuple[str, str, str, str], secrets_as_env: bool) -> str:
    """curl's `-u` argument: `"${X_USER}:${X_PASSWORD}"`, or the quoted pair itself.
    curl splits it at the first colon and sends base64 of the whole, so a colon in a
    password (or in a username, which RFC 7617 forbids) still arrives as it was."""
    username, password, user_env, password_env = basic
    if not secrets_as_env:
        return shlex.quote(f"{username}:{password}")
    user = f"${{{env_name(user_env)}}}" if username else ""
    secret = f"${{{env_name(password_env)}}}" if password else ""
    return f'"{user}:{secret}"'


def _as_text(content: bytes) -> str | None:
    """The body as text a command line can carry (UTF-8, no NUL), else None."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _form_path(path: str) -> str:
    """A file path as curl's -F syntax reads it (quoted when it has ; , or quotes)."""
    if any(c in path for c in ';,"\\ ') or path.startswith(("<", "@")):
        return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return path


def _quote(text: str, secrets: list[tuple[str, str]]) -> str:
    """`text` as one shell word; each secret in it as "${ENV}" the shell expands."""
    if not secrets:
        return shlex.quote(text)
    envs = dict(secrets)
    # Longest secrets first, so that one secret inside another is not split.
    pattern = re.compile("|".join(re.escape(value) for value, _ in secrets))
    pieces: list[str] = []
    pos = 0
    for match in pattern.finditer(text):
        if match.start() > pos:
            pieces.append(shlex.quote(text[pos : match.start()]))
        pieces.append(f'"${{{envs[match.group(0)]}}}"')
        pos = match.end()
    if pos < len(text) or not pieces:
        pieces.append(shlex.quote(text[pos:]))
    return "".join(pieces)


def _printf_bytes(data: bytes) -> str:
    """A printf(1) %b argument, single-quoted, that writes exactly `data`."""
    out = []
    for byte in data:
        if 0x20 <= byte < 0x7F and byte not in (0x27, 0x5C):  # printable, not ' or \\
            out.append(chr(byte))
        else:
            out.append(f"\\0{byte:03o}")
    return "'" + "".join(out) + "'"


@dataclass(frozen=True)
class Snippet:
    """One snippet language: `generate(prepared)` gives the text, `lexer` colours it."""

    name: str
    generate: Callable[[PreparedRequest], str]
    lexer: str  # a kind for explorer.http.content.lexer_for


SNIPPETS: tuple[Snippet, ...] = (
    Snippet("curl", lambda p: to_curl(p, secrets_as_env=True), "bash"),
)


def env_names(text: str, prepared: PreparedRequest) -> list[str]:
    """The environment variables the snippet uses in place of the request's secrets."""
    names = {env_name(env) for value, env in prepared.secrets if value}
    return sorted(n for n in names if f"${{{n}}}" in text or f"${n}" in text)
