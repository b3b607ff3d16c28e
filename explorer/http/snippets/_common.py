"""What every snippet generator reads: the `PreparedRequest` taken apart once, with each
secret it carries cut out of the text it sits in.

    view = request_view(prepared, options)
    view.method, view.url          # "PUT", ("https://h/x?k=", Env("API_KEY"))
    view.headers                   # [("Authorization", ("Bearer ", Env("API_TOKEN"))), ...]
    view.basic                     # (user, password) when basic credentials were typed
    view.body                      # NoBody | TextBody | BytesBody | Multipart

A `Value` is a tuple of pieces: plain text, or an `Env` (an environment variable the
snippet reads at run time instead of the secret). With `secrets="inline"` every Value is
one piece of text. Each language writes a Value with `expression()`: its string literal,
its way of reading a variable, its concatenation.

Multipart files carry the content type the explorer itself sends: the one the request
names, else the guess httpx makes from the file name (`mimetypes`, else
application/octet-stream), written out so that no client's own guess can differ.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest, RequestInput
    from explorer.spec.model import Operation, Spec

__all__ = [
    "BytesBody",
    "Env",
    "FilePart",
    "Multipart",
    "NoBody",
    "RequestView",
    "SnippetContext",
    "SnippetOptions",
    "TextBody",
    "Value",
    "env_name",
    "expression",
    "is_plain",
    "plain",
    "request_view",
]

_ENV_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def env_name(name: str) -> str:
    """`name` as an environment variable name: other characters become `_`
    ("api-key" -> "api_key"; a leading digit gets a `_` before it)."""
    if _ENV_OK.match(name):
        return name
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name) or "API_TOKEN"
    return cleaned if not cleaned[0].isdigit() else "_" + cleaned


@dataclass(frozen=True)
class SnippetOptions:
    """How a snippet is written.

    `secrets`: "env" (the default) reads every secret of the request from an environment
    variable named in `PreparedRequest.secrets`; "inline" writes the values themselves.
    `long_flags`: curl's options spelled long (`--header`, `--request`) instead of short."""

    secrets: Literal["env", "inline"] = "env"
    long_flags: bool = False


@dataclass(frozen=True)
class SnippetContext:
    """What a generator may know beyond the request: the document, the operation and
    the `RequestInput` the request was built from (the `ts-sdk` snippet is named from
    the operation's tag and operationId and takes the typed parameter values)."""

    api: Spec | None = None
    operation: Operation | None = None
    request: RequestInput | None = None


@dataclass(frozen=True)
class Env:
    """An environment variable read at run time in place of a secret."""

    name: str


Value = tuple[str | Env, ...]


def merged(value: Value) -> Value:
    """The Value with neighbouring pieces of text joined (and empty ones dropped)."""
    out: list[str | Env] = []
    for piece in value:
        if isinstance(piece, str) and out and isinstance(out[-1], str):
            out[-1] += piece
        elif piece != "":
            out.append(piece)
    return tuple(out) or ("",)


def plain(value: Value) -> str:
    """The text of a Value whose variables are written `${NAME}` (for comments, notes)."""
    return "".join(p if isinstance(p, str) else f"${{{p.name}}}" for p in value)


def is_plain(value: Value) -> bool:
    """True when the Value has no variable in it."""
    return all(isinstance(p, str) for p in value)


def expression(
    value: Value,
    literal: Callable[[str], str],
    variable: Callable[[str], str],
    join: str = " + ",
) -> str:
    """The Value as one expression of a language: literals and variables joined."""
    pieces = [
        literal(p) if isinstance(p, str) else variable(p.name) for p in merged(value) if p != ""
    ]
    return join.join(pieces) if pieces else literal("")


@dataclass(frozen=True)
class NoBody:
    """The request has no body."""


@dataclass(frozen=True)
class TextBody:
    """A body that is UTF-8 text without NUL (JSON, urlencoded, XML, plain text)."""

    text: Value
    raw: bytes


@dataclass(frozen=True)
class BytesBody:
    """A body that is not text a program source can hold as a string."""

    data: bytes


@dataclass(frozen=True)
class FilePart:
    """A file of a multipart body: field name, path on disk, the file name and content
    type sent (as the explorer sends them)."""

    name: str
    path: str
    filename: str
    content_type: str


@dataclass(frozen=True)
class Multipart:
    """A multipart/form-data body: text fields first, then files, in order (as sent)."""

    fields: tuple[tuple[str, Value], ...] = ()
    files: tuple[FilePart, ...] = ()


Body = NoBody | TextBody | BytesBody | Multipart


@dataclass(frozen=True)
class RequestView:
    """A prepared request as snippet generators read it (see the module docstring)."""

    method: str
    url: Value
    headers: tuple[tuple[str, Value], ...]
    body: Body
    basic: tuple[Value, Value] | None = None
    """(username, password) when the Authorization header is basic credentials made from
    them: generators write the pair, not the encoded header (which is left out of
    `headers`)."""
    envs: tuple[str, ...] = field(default=())
    """The environment variables the snippet reads, in order of first use."""

    def header(self, name: str) -> Value | None:
        low = name.lower()
        return next((v for n, v in self.headers if n.lower() == low), None)

    @property
    def content_type(self) -> str:
        """The Content-Type header's text ("" when there is none, or it holds a secret)."""
        value = self.header("content-type")
        return (
            value[0] if value is not None and len(value) == 1 and isinstance(value[0], str) else ""
        )


def request_view(prepared: PreparedRequest, options: SnippetOptions | None = None) -> RequestView:
    """Take `prepared` apart for the generators (see the module docstring)."""
    options = options or SnippetOptions()
    secrets: list[tuple[str, str]] = []
    if options.secrets == "env":
        secrets = sorted(
            ((value, env_name(env)) for value, env in prepared.secrets if value),
            key=lambda pair: -len(pair[0]),
        )
    split = _splitter(secrets)
    used: list[str] = []

    def cut(text: str) -> Value:
        value = split(text)
        for piece in value:
            if isinstance(piece, Env) and piece.name not in used:
                used.append(piece.name)
        return value

    basic = basic_credentials(prepared)
    basic_value: tuple[Value, Value] | None = None
    headers: list[tuple[str, Value]] = []
    for name, text in prepared.headers:
        if basic is not None and name.lower() == "authorization":
            username, password, user_env, password_env = basic
            if options.secrets == "env":
                user: Value = (Env(env_name(user_env)),) if username else ("",)
                secret: Value = (Env(env_name(password_env)),) if password else ("",)
                for piece in (*user, *secret):
                    if isinstance(piece, Env) and piece.name not in used:
                        used.append(piece.name)
            else:
                user, secret = (username,), (password,)
            basic_value = (user, secret)
            continue
        headers.append((name, cut(text)))

    body: Body = NoBody()
    if prepared.content is not None:
        decoded = as_text(prepared.content)
        body = (
            BytesBody(prepared.content)
            if decoded is None
            else TextBody(cut(decoded), prepared.content)
        )
    elif prepared.form or prepared.files:
        body = Multipart(
            tuple((name, cut(value)) for name, value in prepared.form),
            tuple(
                FilePart(name, path, os.path.basename(path), file_content_type(path, ctype))
                for name, path, ctype in prepared.files
            ),
        )
    url = cut(prepared.url)
    return RequestView(
        method=prepared.method.upper(),
        url=url,
        headers=tuple(headers),
        body=body,
        basic=basic_value,
        envs=tuple(used),
    )


def file_content_type(path: str, given: str) -> str:
    """The content type a file part is sent with: the one given, else httpx's guess from
    the file name (what `Sender` sends when none is given)."""
    if given:
        return given
    guessed, _encoding = mimetypes.guess_type(os.path.basename(path))
    return guessed or "application/octet-stream"


def basic_credentials(prepared: PreparedRequest) -> tuple[str, str, str, str] | None:
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


def as_text(content: bytes) -> str | None:
    """The body as text a program source can carry (UTF-8, no NUL), else None."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def split_secrets(text: str, secrets: list[tuple[str, str]]) -> Value:
    """`text` with each (secret value, variable) of `secrets` cut out as an `Env`."""
    ordered = sorted(secrets, key=lambda pair: -len(pair[0]))
    return _splitter([(value, name) for value, name in ordered if value])(text)


def _splitter(secrets: list[tuple[str, str]]) -> Callable[[str], Value]:
    """A function that cuts each secret out of a text (longest secrets first, so that one
    inside another is not split)."""
    if not secrets:
        return lambda text: (text,)
    envs = dict(secrets)
    pattern = re.compile("|".join(re.escape(value) for value, _ in secrets))

    def split(text: str) -> Value:
        pieces: list[str | Env] = []
        pos = 0
        for match in pattern.finditer(text):
            if match.start() > pos:
                pieces.append(text[pos : match.start()])
            pieces.append(Env(envs[match.group(0)]))
            pos = match.end()
        if pos < len(text) or not pieces:
            pieces.append(text[pos:])
        return tuple(pieces)

    return split


def env_names_in(values: Iterable[Value]) -> list[str]:
    """The variables in `values`, in order of first use."""
    out: list[str] = []
    for value in values:
        for piece in value:
            if isinstance(piece, Env) and piece.name not in out:
                out.append(piece.name)
    return out


# --- string literals ---------------------------------------------------------------------

_SIMPLE_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def sparing_string(text: str) -> str:
    """A string literal of a language that takes both quotes alike (Python, JavaScript):
    in single quotes when that spares escaping `"`, else in double quotes."""
    return c_string(text, quote="'" if '"' in text and "'" not in text else '"')


def c_string(
    text: str,
    *,
    quote: str = '"',
    extra: dict[str, str] | None = None,
    control: Callable[[int], str] = lambda cp: f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}",
    non_ascii: Callable[[int], str] | None = None,
) -> str:
    """`text` as a double-quoted string literal of a C-like language: backslash, the quote,
    line breaks and tabs escaped, other control characters by `control`, characters past
    ASCII by `non_ascii` (kept as they are when None), and `extra` replacements."""
    table = {**_SIMPLE_ESCAPES, quote: "\\" + quote, **(extra or {})}
    out: list[str] = []
    for ch in text:
        if ch in table:
            out.append(table[ch])
            continue
        cp = ord(ch)
        if cp < 0x20 or cp == 0x7F or 0x80 <= cp < 0xA0 or cp in (0x2028, 0x2029):
            out.append(control(cp))
        elif cp > 0x7F and non_ascii is not None:
            out.append(non_ascii(cp))
        else:
            out.append(ch)
    return quote + "".join(out) + quote


def byte_string(data: bytes, escaped: str = '"\\', *, upper: bool = False) -> str:
    """Bytes as a double-quoted literal of a language whose strings are bytes (Go, PHP,
    Ruby, Rust's b""): printable ASCII as it is, the characters of `escaped` after a
    backslash, every other byte as \\xNN."""
    out = []
    for byte in data:
        ch = chr(byte)
        if ch in escaped:
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\x{byte:02X}" if upper else f"\\x{byte:02x}")
    return '"' + "".join(out) + '"'


def value_lines(value: Value) -> list[Value]:
    """A Value cut after each line break (for writing long text one line a literal)."""
    lines: list[list[str | Env]] = [[]]
    for piece in merged(value):
        if isinstance(piece, Env):
            lines[-1].append(piece)
            continue
        parts = piece.split("\n")
        for i, part in enumerate(parts):
            if i < len(parts) - 1:
                lines[-1].append(part + "\n")
                lines.append([])
            elif part:
                lines[-1].append(part)
    return [tuple(line) for line in lines if line]


def multiline(
    value: Value,
    literal: Callable[[str], str],
    variable: Callable[[str], str],
    *,
    join: str = " + ",
    indent: str = "    ",
) -> str:
    """A Value as one expression, one source line per line of text when it has several
    (`join` between them, each continuation line indented by `indent`)."""
    lines = value_lines(value)
    if len(lines) <= 1:
        return expression(value, literal, variable, join)
    parts = [expression(line, literal, variable, join) for line in lines]
    return (join.rstrip() + "\n" + indent).join(parts)
