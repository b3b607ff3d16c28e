"""Command-line snippets: curl (POSIX shell and cmd.exe), HTTPie and wget.

POSIX commands are for sh, dash, bash and zsh, one option a line with `\\` continuations.
Every argument is single-quoted when it needs quoting; a secret becomes `"${ENV_NAME}"`
spliced between single-quoted pieces ('Authorization: Bearer '"${TOKEN}"), so the shell
expands the variable and nothing else, not even `!` in an interactive bash. Basic
credentials are written as `-u "${X_USER}:${X_PASSWORD}"`, never as a variable where
base64 of `user:password` belongs.

A body that is not UTF-8 text is piped in by `printf '%b'` (octal escapes), as is a text
body over `INLINE_BODY_LIMIT` (Linux refuses one program argument over 128 KiB; printf is
a shell builtin, so the body never becomes one).
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from explorer.http.snippets._common import (
    BytesBody,
    Env,
    FilePart,
    Multipart,
    NoBody,
    RequestView,
    SnippetContext,
    SnippetOptions,
    TextBody,
    Value,
    merged,
    plain,
    request_view,
)

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = ["INLINE_BODY_LIMIT", "to_curl", "to_curl_windows", "to_httpie", "to_wget"]

INLINE_BODY_LIMIT = 64 * 1024
_GLOB = re.compile(r"[\[\]{}]")
_DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$|\?|#)")


# --- POSIX shell words -------------------------------------------------------------------


def sh(value: Value) -> str:
    """A Value as one shell word: literal pieces single-quoted, variables as "${NAME}"."""
    pieces: list[str] = []
    for piece in merged(value):
        if isinstance(piece, Env):
            pieces.append(f'"${{{piece.name}}}"')
        elif piece:
            pieces.append(shlex.quote(piece))
    return "".join(pieces) or "''"


def _prefix(value: Value, text: str) -> Value:
    """`text` put before a Value."""
    return (text, *value)


def _printf_bytes(data: bytes) -> str:
    """A printf(1) %b argument, single-quoted, that writes exactly `data`."""
    out = []
    for byte in data:
        if 0x20 <= byte < 0x7F and byte not in (0x27, 0x5C):  # printable, not ' or \\
            out.append(chr(byte))
        else:
            out.append(f"\\0{byte:03o}")
    return "'" + "".join(out) + "'"


def _body_pipe(body: TextBody | BytesBody) -> str | None:
    """`printf ... | ` for a body that cannot be an argument, else None."""
    if isinstance(body, BytesBody):
        return f"printf '%b' {_printf_bytes(body.data)} | "
    if len(body.raw) > INLINE_BODY_LIMIT:
        return f"printf '%s' {sh(body.text)} | "
    return None


def _user_pair(view: RequestView) -> Value:
    """`user:password` as one Value (curl, wget and HTTPie split it at the first colon)."""
    assert view.basic is not None
    user, password = view.basic
    return (*user, ":", *password)


def _user_word(view: RequestView) -> str:
    """The basic credentials as one shell word: `"${X_USER}:${X_PASSWORD}"` when both
    come from the environment, else quoted as any other word."""
    pair = merged(_user_pair(view))
    if all(isinstance(p, Env) or p == ":" for p in pair):
        return '"' + "".join(p if isinstance(p, str) else f"${{{p.name}}}" for p in pair) + '"'
    return sh(pair)


# --- curl --------------------------------------------------------------------------------

_CURL_FLAGS = {
    "-X": "--request",
    "-H": "--header",
    "-u": "--user",
    "-F": "--form",
    "-I": "--head",
}


def to_curl(
    prepared: PreparedRequest, *, secrets_as_env: bool = True, long_flags: bool = False
) -> str:
    """A curl command that sends `prepared`: same method, URL, headers and body.

    With `secrets_as_env` (the default), each secret recorded in `prepared.secrets` is
    written as `${ENV_NAME}` for the shell to fill in. curl's own defaults (User-Agent,
    Accept) are left as curl sends them; its default form Content-Type is suppressed when
    the request has a body but no Content-Type."""
    options = SnippetOptions("env" if secrets_as_env else "inline", long_flags)
    return curl_snippet(prepared, options)


def curl_snippet(
    prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext | None = None
) -> str:
    """`to_curl` with `SnippetOptions`."""
    view = request_view(prepared, options)

    def flag(short: str) -> str:
        return _CURL_FLAGS.get(short, short) if options.long_flags else short

    has_body = not isinstance(view.body, NoBody)
    opts: list[str] = []
    if view.method == "HEAD":
        opts.append("--head")
    elif view.method != ("POST" if has_body else "GET"):
        opts.append(f"{flag('-X')} {shlex.quote(view.method)}")
    url_text = prepared.url
    if _GLOB.search(url_text):
        opts.append("--globoff")
    if _DOT_SEGMENT.search(url_text.split("?", 1)[0].split("://", 1)[-1]):
        opts.append("--path-as-is")
    if view.basic is not None:
        opts.append(f"{flag('-u')} {_user_word(view)}")
    for name, value in view.headers:
        # "Name:" with nothing after it would make curl drop the header; "Name;" sends it empty.
        item = _prefix(value, f"{name}: ") if plain(value) else (f"{name};",)
        opts.append(f"{flag('-H')} {sh(item)}")
    pipe = ""
    body = view.body
    if isinstance(body, TextBody | BytesBody):
        if view.header("content-type") is None:
            opts.append(f"{flag('-H')} 'Content-Type:'")  # curl would add a form Content-Type
        piped = _body_pipe(body)
        if piped is not None:
            pipe = piped
            opts.append("--data-binary @-")
        else:
            assert isinstance(body, TextBody)
            opts.append(f"--data-raw {sh(body.text)}")
    elif isinstance(body, Multipart):
        for name, value in body.fields:
            opts.append(f"--form-string {sh(_prefix(value, f'{name}='))}")
        for part in body.files:
            opts.append(f"{flag('-F')} {shlex.quote(_form_spec(part))}")
    lines = [f"{pipe}curl {sh(view.url)}", *opts]
    return " \\\n  ".join(lines)


def _form_spec(part: FilePart) -> str:
    """A file part as curl's -F reads it: name=@path;type=...(;filename=...), the path
    quoted where curl would cut it (the shell's quoting goes around all of it)."""
    spec = f"{part.name}=@{_form_path(part.path)};type={part.content_type}"
    if part.filename != part.path.rsplit("/", 1)[-1]:
        spec += f";filename={part.filename}"
    return spec


def _form_path(path: str) -> str:
    """A file path as curl's -F syntax reads it (quoted when it has ; , or quotes)."""
    if any(c in path for c in ';,"\\ ') or path.startswith(("<", "@")):
        return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return path


# --- curl for cmd.exe --------------------------------------------------------------------


def _cmd(value: Value) -> str:
    """A Value as one cmd.exe argument for curl: in double quotes, `"` as `""` (the C
    runtime reads it as one quote, and cmd's own idea of being inside quotes stays right,
    so `&`, `|`, `<` and `>` stay literal; `\\"` would end cmd's quotes), the backslashes
    before a quote doubled, variables as %NAME%."""
    out: list[str] = []
    for piece in value:
        if isinstance(piece, Env):
            out.append(f"%{piece.name}%")
            continue
        text = re.sub(r'(\\*)"', lambda m: m.group(1) * 2 + '""', piece)
        text = re.sub(r"(\\+)$", lambda m: m.group(1) * 2, text)
        out.append(text)
    return '"' + "".join(out) + '"'


def to_curl_windows(
    prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext | None = None
) -> str:
    """curl for the Windows command prompt (cmd.exe): `^` continuations, double quotes,
    secrets as %NAME%. A body with a line break cannot be a cmd argument: it is written
    to request-body.txt by the lines before the command and sent with `--data-binary @`."""
    view = request_view(prepared, options)
    has_body = not isinstance(view.body, NoBody)
    opts: list[str] = []
    before: list[str] = []
    if view.method == "HEAD":
        opts.append("--head")
    elif view.method != ("POST" if has_body else "GET"):
        opts.append(f"-X {view.method}")
    if _GLOB.search(prepared.url):
        opts.append("--globoff")
    if view.basic is not None:
        opts.append(f"-u {_cmd(_user_pair(view))}")
    for name, value in view.headers:
        item = _prefix(value, f"{name}: ") if plain(value) else (f"{name};",)
        opts.append(f"-H {_cmd(item)}")
    body = view.body
    if isinstance(body, TextBody | BytesBody):
        if view.header("content-type") is None:
            opts.append('-H "Content-Type:"')
        text = plain(body.text) if isinstance(body, TextBody) else None
        if text is not None and "\n" not in text and "\r" not in text:
            assert isinstance(body, TextBody)
            opts.append(f"--data-raw {_cmd(body.text)}")
        else:
            data = body.raw if isinstance(body, TextBody) else body.data
            before += _certutil_lines(data)
            opts.append('--data-binary "@request-body.txt"')
    elif isinstance(body, Multipart):
        for name, value in body.fields:
            opts.append(f"--form-string {_cmd(_prefix(value, f'{name}='))}")
        for part in body.files:
            opts.append(f"-F {_cmd((_form_spec(part),))}")
    lines = [f"curl {_cmd(view.url)}", *opts]
    return "\n".join([*before, " ^\n  ".join(lines)])


def _certutil_lines(data: bytes) -> list[str]:
    """cmd lines that write `data` to request-body.txt exactly (base64 through certutil,
    which every Windows has)."""
    import base64

    encoded = base64.b64encode(data).decode("ascii")
    chunks = [encoded[i : i + 76] for i in range(0, len(encoded), 76)] or [""]
    lines = ["REM The body has line breaks or bytes a cmd argument cannot hold:"]
    lines.append("REM it is written to request-body.txt first.")
    lines.append(f"(echo {chunks[0]}")
    lines += [f" echo {chunk}" for chunk in chunks[1:]]
    lines[-1] += ") > request-body.b64"
    lines.append("certutil -f -decode request-body.b64 request-body.txt >nul")
    return lines


# --- HTTPie ------------------------------------------------------------------------------

_HTTPIE_SPECIAL = re.compile(r"([:;=@])")


def _httpie_escape(text: str) -> str:
    """Text inside an HTTPie request item: its separator characters escaped."""
    return _HTTPIE_SPECIAL.sub(r"\\\1", text)


def _httpie_item(name: str, separator: str, value: Value) -> str:
    """`name<separator>value` as one shell word. Only the name is escaped: HTTPie splits
    at the first separator and keeps the rest as written (a backslash right before one
    of `:;=@` in a value is read as an escape and lost: HTTPie has no way to send it)."""
    first = value[0] if value else ""
    if isinstance(first, str) and first[:1] in (":", ";", "=", "@"):
        # It would lengthen the separator (`=@` reads a file, `:=` raw JSON): escaped.
        value = ("\\" + first, *value[1:])
    return sh((_httpie_escape(name) + separator, *value))


def to_httpie(
    prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext | None = None
) -> str:
    """An HTTPie (`http`) command: the method always named, the URL as sent, headers as
    `Name:value` items (`Name;` for an empty one), a text body with `--raw`, a binary or
    big one piped in, multipart with `--multipart` (`field=value`, `file@path;type=...`).
    HTTPie's own Content-Type is removed (`Content-Type:`) when the request has none."""
    view = request_view(prepared, options)
    opts: list[str] = []
    pipe = ""
    body = view.body
    if isinstance(body, Multipart):
        opts.append("--multipart")
    if view.basic is not None:
        opts.append(f"--auth {_user_word(view)}")
    if isinstance(body, TextBody | BytesBody):
        piped = _body_pipe(body)
        if piped is not None:
            pipe = piped
        else:
            assert isinstance(body, TextBody)
            opts.append(f"--raw={sh(body.text)}")  # `=`: a body may start with "-"
    if not pipe:
        opts.insert(0, "--ignore-stdin")  # in a script, stdin is no body
    items: list[str] = []
    for name, value in view.headers:
        if plain(value):
            items.append(_httpie_item(name, ":", value))
        else:
            items.append(sh((_httpie_escape(name) + ";",)))
    if isinstance(body, TextBody | BytesBody) and view.header("content-type") is None:
        items.append("'Content-Type:'")
    if isinstance(body, Multipart):
        for name, value in body.fields:
            items.append(_httpie_item(name, "=", value))
        for part in body.files:
            spec = f"{_httpie_escape(part.name)}@{_httpie_escape(part.path)}"
            items.append(shlex.quote(f"{spec};type={part.content_type}"))
    lines = [" ".join([f"{pipe}http", *opts, view.method, sh(view.url)]), *items]
    return " \\\n  ".join(lines)


# --- wget --------------------------------------------------------------------------------

BOUNDARY = "----ExplorerFormBoundary7MA4YWxkTrZu0gW"
"""The multipart boundary of the snippets that write the body themselves."""


def to_wget(
    prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext | None = None
) -> str:
    """A GNU wget command that prints the response: `--method`, `--header`s, the body with
    `--body-data` (text) or `--body-file` (binary, big, multipart: written first by
    printf, and cat for the files), basic credentials with `--auth-no-challenge` (wget
    would otherwise wait for a 401 before sending them)."""
    view = request_view(prepared, options)
    opts = ["--quiet", "--output-document=-", "--content-on-error", f"--method={view.method}"]
    before: list[str] = []
    if view.basic is not None:
        user, password = view.basic
        opts += [f"--user={sh(user)}", f"--password={sh(password)}", "--auth-no-challenge"]
    for name, value in view.headers:
        opts.append(f"--header={sh(_prefix(value, f'{name}: '))}")
    body = view.body
    if isinstance(body, TextBody | BytesBody):
        if view.header("content-type") is None:
            # wget always sends a Content-Type with a body (a form one unless told): empty.
            opts.append("--header='Content-Type:'")
        piped = _body_pipe(body)
        if piped is not None:
            before.append(piped.removesuffix(" | ") + " > request-body.bin")
            opts.append("--body-file=request-body.bin")
        else:
            assert isinstance(body, TextBody)
            opts.append(f"--body-data={sh(body.text)}")
    elif isinstance(body, Multipart):
        opts.append(f"--header='Content-Type: multipart/form-data; boundary={BOUNDARY}'")
        before.append(_multipart_script(body) + " > request-body.bin")
        opts.append("--body-file=request-body.bin")
    command = " \\\n  ".join([f"wget {opts[0]}", *opts[1:], sh(view.url)])
    return "\n".join([*before, command])


def form_quote(text: str) -> str:
    """A name or file name in a Content-Disposition, as httpx writes it (HTML5 form
    encoding: `"` as %22, `\\` doubled, other control characters as %XX)."""
    out = []
    for ch in text:
        if ch == '"':
            out.append("%22")
        elif ch == "\\":
            out.append("\\\\")
        elif (ord(ch) < 0x20 and ch != "\x1b") or ch == "\x7f":
            out.append(f"%{ord(ch):02X}")
        else:
            out.append(ch)
    return "".join(out)


def _multipart_script(body: Multipart) -> str:
    """A shell group that writes the multipart body (text fields, then files) to stdout."""
    lines: list[str] = ["{"]
    for name, value in body.fields:
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{form_quote(name)}"\r\n\r\n'
        lines.append(f"  printf '%s' {sh((head, *value, chr(13) + chr(10)))}")
    for part in body.files:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{form_quote(part.name)}"; '
            f'filename="{form_quote(part.filename)}"\r\nContent-Type: {part.content_type}\r\n\r\n'
        )
        lines.append(f"  printf '%s' {sh((head,))}")
        lines.append(f"  cat {shlex.quote(part.path)}")
        lines.append("  printf '\\r\\n'")
    lines.append(f"  printf '%s' {sh((f'--{BOUNDARY}--' + chr(13) + chr(10),))}")
    lines.append("}")
    return "\n".join(lines)
