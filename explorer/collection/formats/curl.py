"""cURL commands in, saved requests out. No Qt, no I/O.

    req = parse_curl("curl https://api.example.com/contacts -H 'Accept: text/csv'")
    parsed = parse_curl_command(text)      # the request, warnings, what was left behind
    col, warnings = import_curl(text)      # every curl command of a script, one request each

Quoting as bash, sh and zsh read it (single and double quotes, `$'...'`, backslashes,
`\\` line continuations, `$VAR` and `${VAR}` as `{{VAR}}`) and as cmd.exe reads it (`^`
escapes and continuations, `""` inside quotes, `%VAR%` as `{{VAR}}`): "Copy as cURL" of
the browsers and of explorer's own snippets. `printf '%s' ... | curl --data-binary @-`
(explorer's way with big bodies) is read too.

Options read: -X/--request, -H/--header, -d/--data, --data-raw, --data-ascii,
--data-binary, --data-urlencode, --json, -F/--form, --form-string, -u/--user, -b/--cookie,
--url, -G/--get, -I/--head, -A/--user-agent, -e/--referer, -k/--insecure, -m/--max-time,
--oauth2-bearer; options about output, progress, protocols and compression (--compressed,
-s, -v, -L, -o, --http2, ...) are ignored. A credential (an Authorization header, -u, a
bearer token) becomes a credential slot; its secret is never kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from explorer.collection.formats._common import (
    DEFAULT_SLOTS,
    ImportFailed,
    Notes,
    cookie_pairs,
    keep_variables,
    looks_literal_secret,
    sort_headers,
    split_query,
)
from explorer.collection.model import Body, Collection, Folder, FormField, SavedRequest, Settings

__all__ = ["CurlCommand", "import_curl", "looks_like_curl", "parse_curl", "parse_curl_command"]


@dataclass(frozen=True)
class CurlCommand:
    """A parsed curl command: the request (no secret in it), what could not be carried
    over, and the credential slots its secrets belong to (the values are not kept)."""

    request: SavedRequest
    warnings: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()


# -- words --------------------------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ANSI_ESCAPES = {
    "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r",
    "t": "\t", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?",
}  # fmt: skip
_OPERATORS = ("&&", "||", "|", ";", "\n")


@dataclass
class _Words:
    """A command line cut into words, operators (`|`, `;`, `&&`, newline) kept apart, and
    the comment that came before each command."""

    items: list[tuple[str, str]] = field(default_factory=list)  # ("word"|"op"|"comment", text)


def _bash_words(text: str) -> _Words:
    out = _Words()
    i, n = 0, len(text)
    word: list[str] | None = None

    def end() -> None:
        nonlocal word
        if word is not None:
            out.items.append(("word", "".join(word)))
            word = None

    while i < n:
        ch = text[i]
        if ch == "\\" and text.startswith("\n", i + 1):
            i += 2  # a line continuation
            continue
        if ch == "\\" and text.startswith("\r\n", i + 1):
            i += 3
            continue
        if ch in " \t\r":
            end()
            i += 1
            continue
        if word is None and ch == "#":
            stop = text.find("\n", i)
            stop = n if stop < 0 else stop
            out.items.append(("comment", text[i + 1 : stop].strip()))
            i = stop
            continue
        op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
        if op is not None:
            end()
            out.items.append(("op", op))
            i += len(op)
            continue
        word = word if word is not None else []
        if ch == "'":
            stop = text.find("'", i + 1)
            if stop < 0:
                raise ImportFailed("a quote (') is not closed")
            word.append(text[i + 1 : stop])
            i = stop + 1
        elif ch == "$" and text.startswith("'", i + 1):
            i = _ansi_c(text, i + 2, word)
        elif ch == '"':
            i = _double_quoted(text, i + 1, word)
        elif ch == "$":
            i = _variable(text, i, word)
        elif ch == "\\":
            if i + 1 < n:
                word.append(text[i + 1])
            i += 2
        else:
            word.append(ch)
            i += 1
    end()
    return out


def _variable(text: str, i: int, word: list[str]) -> int:
    """`$NAME` or `${NAME}` at `i` as `{{NAME}}`; a lone `$` as itself."""
    if text.startswith("${", i):
        stop = text.find("}", i + 2)
        inner = text[i + 2 : stop] if stop >= 0 else ""
        name = _NAME.match(inner)
        if stop >= 0 and name is not None:
            # ${NAME:-default} and the like: the name is what matters here
            word.append("{{" + name.group(0) + "}}")
            return stop + 1
    m = _NAME.match(text, i + 1)
    if m is not None:
        word.append("{{" + m.group(0) + "}}")
        return m.end()
    word.append("$")
    return i + 1


def _double_quoted(text: str, i: int, word: list[str]) -> int:
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            return i + 1
        if ch == "\\" and i + 1 < n and text[i + 1] in '"\\$`\n':
            if text[i + 1] != "\n":
                word.append(text[i + 1])
            i += 2
        elif ch == "$":
            i = _variable(text, i, word)
        else:
            word.append(ch)
            i += 1
    raise ImportFailed('a quote (") is not closed')


def _ansi_c(text: str, i: int, word: list[str]) -> int:
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "'":
            return i + 1
        if ch != "\\" or i + 1 >= n:
            word.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt in _ANSI_ESCAPES:
            word.append(_ANSI_ESCAPES[nxt])
            i += 2
        elif nxt in "xuU":
            size = {"x": 2, "u": 4, "U": 8}[nxt]
            m = re.match(rf"[0-9A-Fa-f]{{1,{size}}}", text[i + 2 :])
            if m is None:
                word.append("\\" + nxt)
                i += 2
            else:
                word.append(chr(int(m.group(0), 16)))
                i += 2 + len(m.group(0))
        elif nxt in "01234567":
            m = re.match(r"[0-7]{1,3}", text[i + 1 :])
            assert m is not None
            word.append(chr(int(m.group(0), 8)))
            i += 1 + len(m.group(0))
        else:
            word.append("\\" + nxt)
            i += 2
    raise ImportFailed("a quote ($') is not closed")


_PERCENT_ESCAPE = re.compile(r"[0-9A-Fa-f]+")
"""A `%NAME%` whose name is all hex digits is percent-encoding (`%C2%A0`), not cmd's."""


def _is_cmd(text: str) -> bool:
    """The command is written for cmd.exe rather than a POSIX shell: its lines continue
    with `^` (not `\\`), or its first word after curl is quoted `^"` (Chrome); failing
    those, a first word in double quotes with `%NAME%` variables or `""` inside quotes and
    no `$` or `'` of a POSIX shell.
    (`%C2%A0` is percent-encoding, not a variable.)"""
    for line in re.split(r"\r?\n", text):
        end = line.rstrip(" \t")
        if end.endswith("\\"):
            return False
        if end.endswith("^") and not end.endswith("^^"):
            return True
    first = re.search(r"\bcurl(?:\.exe)?[ \t]+(\S)", text)
    if first is not None:
        if text.startswith('^"', first.start(1)):
            return True
        if first.group(1) != '"':
            return False  # '...' or a bare word: as a POSIX shell writes it
    if "'" in text or "$" in text:
        return False
    names = re.findall(r"%([A-Za-z_][A-Za-z0-9_]*)%", text)
    if any(not _PERCENT_ESCAPE.fullmatch(n) for n in names):
        return True
    return bool(re.search(r'[^\s]""[^\s]', text))


def _cmd_words(text: str) -> _Words:
    """cmd.exe, then the C runtime: `^` escapes (outside cmd's quotes), `%NAME%`, then
    words split at white space with `"` quoting, `""` and backslashes before quotes as
    the Microsoft C runtime reads them."""
    out = _Words()
    for line in _cmd_lines(text):
        stripped = line.strip()
        if stripped.lower().startswith(("rem ", "::")):
            out.items.append(("comment", stripped.split(" ", 1)[-1].lstrip(":").strip()))
            continue
        for word in _msvc_argv(_cmd_caret(line)):
            out.items.append(("word", word))
        out.items.append(("op", "\n"))
    return out


def _cmd_lines(text: str) -> Iterator[str]:
    """Logical lines: a `^` at the end of a line joins the next one."""
    current = ""
    for line in re.split(r"\r?\n", text):  # not splitlines(): \x1e is no line break here
        if line.endswith("^") and not line.endswith("^^"):
            current += line[:-1]
            continue
        yield current + line
        current = ""
    if current:
        yield current


def _cmd_caret(line: str) -> str:
    out: list[str] = []
    quoted = False
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "^" and not quoted and i + 1 < len(line):
            out.append("\x00" + line[i + 1])  # escaped: a quote here does not toggle cmd's state
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        if ch == "%":
            m = re.match(r"%([A-Za-z_][A-Za-z0-9_]*)%", line[i:])
            if m is not None and not _PERCENT_ESCAPE.fullmatch(m.group(1)):
                out.append("{{" + m.group(1) + "}}")
                i += len(m.group(0))
                continue
        out.append(ch)
        i += 1
    return "".join(out).replace("\x00", "")


def _msvc_argv(line: str) -> list[str]:
    words: list[str] = []
    word: list[str] | None = None
    quoted = False
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in " \t" and not quoted:
            if word is not None:
                words.append("".join(word))
                word = None
            i += 1
            continue
        word = word if word is not None else []
        if ch == "\\":
            j = i
            while j < n and line[j] == "\\":
                j += 1
            count = j - i
            if j < n and line[j] == '"':
                word.append("\\" * (count // 2))
                if count % 2:
                    word.append('"')
                    i = j + 1
                else:
                    i = j  # the quote toggles
            else:
                word.append("\\" * count)
                i = j
            continue
        if ch == '"':
            if quoted and i + 1 < n and line[i + 1] == '"':
                word.append('"')
                i += 2
                continue
            quoted = not quoted
            i += 1
            continue
        word.append(ch)
        i += 1
    if word is not None:
        words.append("".join(word))
    return words


def _commands(text: str) -> list[tuple[str, list[str], str | None]]:
    """(the comment before it, the curl command's words, what is piped into it) for each
    curl command of `text`."""
    words = _cmd_words(text) if _is_cmd(text) else _bash_words(text)
    out: list[tuple[str, list[str], str | None]] = []
    pipeline: list[list[str]] = [[]]
    comment = ""
    last_comment = ""

    def flush() -> None:
        nonlocal comment
        stdin: str | None = None
        for cmd in pipeline:
            if not cmd:
                continue
            program = cmd[0].rsplit("/", 1)[-1].lower()
            if program in ("curl", "curl.exe"):
                out.append((comment, cmd[1:], stdin))
                comment = ""
            elif program == "printf":
                stdin = _printf(cmd[1:])
            else:
                stdin = None
        pipeline[:] = [[]]

    for kind, value in words.items:
        if kind == "comment":
            last_comment = value
            if not any(pipeline):
                comment = value
            continue
        if kind == "op":
            if value == "|":
                pipeline.append([])
                continue
            flush()
            if value == "\n" and not any(pipeline):
                comment = last_comment if comment else ""
            continue
        if not pipeline[-1] and value == "$" and len(pipeline) == 1:
            continue  # a prompt
        pipeline[-1].append(value)
    flush()
    return out


def _printf(args: list[str]) -> str | None:
    """What `printf FORMAT ARG` writes, for the formats explorer's snippets use."""
    if len(args) != 2 or args[0] not in ("%s", "%b"):
        return None
    if args[0] == "%s":
        return args[1]
    text = args[1]
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            m = re.match(r"0[0-7]{0,3}", text[i + 1 :])
            if m is not None:
                out.append(int(m.group(0), 8) & 0xFF)
                i += 1 + len(m.group(0))
                continue
            esc = _ANSI_ESCAPES.get(text[i + 1])
            if esc is not None:
                out += esc.encode()
                i += 2
                continue
        out += text[i].encode("utf-8")
        i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return None


# -- options ------------------------------------------------------------------------------

_SHORT_WITH_ARG = set("XHdFubAeomxwcTEKrUCYyzDPQt")
"""Short options that take an argument (so `-XPOST` and `-sX POST` read right)."""
_LONG = {
    "request": "X", "header": "H", "data": "d", "data-ascii": "d", "data-raw": "data-raw",
    "data-binary": "data-binary", "data-urlencode": "data-urlencode", "json": "json",
    "form": "F", "form-string": "form-string", "user": "u", "cookie": "b", "url": "url",
    "get": "G", "head": "I", "user-agent": "A", "referer": "e", "insecure": "k",
    "max-time": "m", "oauth2-bearer": "oauth2-bearer",
}  # fmt: skip
_LONG_IGNORED_WITH_ARG = {
    "output", "proxy", "write-out", "cookie-jar", "upload-file", "cert", "config", "range",
    "proxy-user", "continue-at", "speed-limit", "speed-time", "time-cond", "dump-header",
    "ftp-port", "quote", "telnet-option", "connect-timeout", "max-redirs", "retry",
    "retry-delay", "retry-max-time", "resolve", "connect-to", "cacert", "capath", "key",
    "interface", "limit-rate", "max-filesize", "trace", "trace-ascii", "stderr",
    "unix-socket", "abstract-unix-socket", "dns-servers", "local-port", "noproxy",
    "proxy-header", "expect100-timeout", "happy-eyeballs-timeout-ms", "output-dir",
    "variable", "etag-save", "etag-compare", "create-file-mode",
}  # fmt: skip


@dataclass
class _Options:
    method: str = ""
    url: str = ""
    extra_urls: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    data: list[tuple[str, str]] = field(default_factory=list)  # (kind, value)
    form: list[tuple[str, str]] = field(default_factory=list)  # (kind, value)
    user: str | None = None
    cookies: list[str] = field(default_factory=list)
    get: bool = False
    head: bool = False
    insecure: bool = False
    timeout: float | None = None
    bearer: str | None = None
    ignored: list[str] = field(default_factory=list)


def _options(args: list[str]) -> _Options:
    opts = _Options()
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            for rest in args[i:]:
                _url_arg(opts, rest)
            break
        if arg.startswith("--") and len(arg) > 2:
            name = arg[2:]
            key = _LONG.get(name)
            if key is None and name.startswith("no-"):
                continue
            if key in ("G", "I", "k"):
                _flag(opts, key)
            elif key is not None:
                if i >= len(args):
                    raise ImportFailed(f"curl option {arg} needs a value")
                _value(opts, key, args[i])
                i += 1
            elif name in _LONG_IGNORED_WITH_ARG:
                i += 1
                opts.ignored.append(arg)
            else:
                opts.ignored.append(arg)
            continue
        if arg.startswith("-") and len(arg) > 1:
            j = 1
            while j < len(arg):
                letter = arg[j]
                if letter in _SHORT_WITH_ARG:
                    value = arg[j + 1 :]
                    if not value:
                        if i >= len(args):
                            raise ImportFailed(f"curl option -{letter} needs a value")
                        value = args[i]
                        i += 1
                    _value(opts, letter, value)
                    break
                _flag(opts, letter)
                j += 1
            continue
        _url_arg(opts, arg)
    return opts


def _url_arg(opts: _Options, value: str) -> None:
    if opts.url:
        opts.extra_urls += 1
    else:
        opts.url = value


def _flag(opts: _Options, letter: str) -> None:
    if letter == "G":
        opts.get = True
    elif letter == "I":
        opts.head = True
    elif letter == "k":
        opts.insecure = True


def _value(opts: _Options, key: str, value: str) -> None:
    if key == "X":
        opts.method = value.strip().upper()
    elif key == "H":
        # curl trims spaces and tabs around a header's value, nothing else (not NBSP)
        name, sep, rest = value.partition(":")
        if sep:
            if rest.strip(" \t"):
                opts.headers.append((name.strip(" \t"), rest.strip(" \t")))
            else:
                opts.headers.append((name.strip(" \t"), "\x00remove"))
        elif value.rstrip(" \t").endswith(";"):
            opts.headers.append((value.rstrip(" \t")[:-1].strip(" \t"), ""))
        else:
            opts.ignored.append(f"-H {value}")
    elif key in ("d", "data-raw", "data-binary", "data-urlencode", "json"):
        opts.data.append((key, value))
    elif key in ("F", "form-string"):
        opts.form.append((key, value))
    elif key == "u":
        opts.user = value
    elif key == "b":
        opts.cookies.append(value)
    elif key == "url":
        _url_arg(opts, value)
    elif key == "A":
        opts.headers.append(("User-Agent", value))
    elif key == "e":
        opts.headers.append(("Referer", value))
    elif key == "m":
        try:
            opts.timeout = float(value)
        except ValueError:
            opts.ignored.append(f"-m {value}")
    elif key == "oauth2-bearer":
        opts.bearer = value
    else:
        opts.ignored.append(f"-{key}")


# -- the request ------------------------------------------------------------------------


def _body_piece(kind: str, value: str, stdin: str | None, notes: Notes, where: str) -> str | None:
    """The text one data option adds to the body (None: it reads a file)."""
    if kind == "data-raw" or (kind == "json" and not value.startswith("@")):
        return value
    if kind == "data-urlencode":
        name, eq, content = value.partition("=")
        if not eq:
            name, content = "", value
        if content.startswith("@") or (not eq and "@" in value):
            notes.add(f"{where}: --data-urlencode reads a file ({value}): not imported")
            return None
        encoded = keep_variables(content, lambda part: quote(part, safe=""))
        return f"{name}={encoded}" if name else encoded
    if value.startswith("@"):
        if value == "@-" and stdin is not None:
            return stdin
        notes.add(f"{where}: the body is read from a file ({value[1:]}): not imported")
        return None
    return value


def _form_field(kind: str, value: str, notes: Notes, where: str) -> FormField | None:
    name, eq, content = value.partition("=")
    if not eq or not name:
        notes.add(f"{where}: the form field {value!r} has no name=value: left out")
        return None
    if kind == "form-string":
        return FormField(name, content)
    if content.startswith("<"):
        notes.add(f"{where}: the form field {name} reads its value from a file: left out")
        return None
    if not content.startswith("@"):
        return FormField(name, content.split(";type=")[0])
    spec = content[1:]
    path, params = _form_path(spec)
    ctype = params.get("type", "")
    if params.get("filename") and params["filename"] != path.rsplit("/", 1)[-1]:
        notes.add(f"{where}: the file name sent for {name} ({params['filename']}) was not kept")
    return FormField(name, file=path, content_type=ctype)


def _form_path(spec: str) -> tuple[str, dict[str, str]]:
    """The path and the `;type=` / `;filename=` settings of curl's `-F name=@path;...`."""
    if spec.startswith('"'):
        m = re.match(r'"((?:[^"\\]|\\.)*)"', spec)
        if m is not None:
            path = re.sub(r"\\(.)", r"\1", m.group(1))
            rest = spec[m.end() :]
        else:
            path, rest = spec, ""
    else:
        path, _, rest = spec.partition(";")
        rest = ";" + rest if rest else ""
    params = {}
    for part in rest.split(";"):
        key, eq, val = part.partition("=")
        if eq:
            params[key.strip().lower()] = val.strip().strip('"')
    return path, params


def _build(
    opts: _Options, stdin: str | None, name: str, notes: Notes
) -> tuple[SavedRequest, tuple[str, ...]]:
    url = opts.url.strip()
    if not url:
        raise ImportFailed("the curl command has no URL")
    if opts.extra_urls:
        notes.add(f"curl was given {opts.extra_urls + 1} URLs: only the first was imported")
    if "://" not in url and not url.startswith("{{"):
        url = "http://" + url
    base, _, query_string = url.split("#", 1)[0].partition("?")
    query = split_query(query_string)

    pieces = []
    where = name or "the curl command"
    for kind, value in opts.data:
        piece = _body_piece(kind, value, stdin, notes, where)
        if piece is not None:
            pieces.append(piece)
    headers = [(k, v) for k, v in opts.headers if v != "\x00remove"]
    removed = {k.lower() for k, v in opts.headers if v == "\x00remove"}
    sorted_ = sort_headers(headers, where, notes)
    slots = list(sorted_.slots)
    if opts.user is not None:
        user = opts.user.partition(":")[0]
        if "basicAuth" not in slots:
            slots.append(DEFAULT_SLOTS["basic"])
        shown = f" (user name {user!r})" if user and looks_literal_secret(user) else ""
        notes.add(
            f"{where}: its user and password were not imported: enter the password{shown} "
            f"in the keyring for the credential slot {DEFAULT_SLOTS['basic']!r}"
        )
    if opts.bearer is not None:
        if DEFAULT_SLOTS["bearer"] not in slots:
            slots.append(DEFAULT_SLOTS["bearer"])
        notes.add(
            f"{where}: its bearer token was not imported: enter it in the keyring for the "
            f"credential slot {DEFAULT_SLOTS['bearer']!r}"
        )
    cookies = list(sorted_.cookies)
    for value in opts.cookies:
        if "=" not in value:
            notes.add(f"{where}: -b {value} reads cookies from a file: not imported")
            continue
        cookies += cookie_pairs(value, where, notes)

    method = opts.method
    body: Body | None = None
    json_body = any(k == "json" for k, _v in opts.data)
    if opts.get and pieces:
        query += split_query("&".join(pieces))
        pieces = []
    if pieces:
        content_type = sorted_.content_type
        if "content-type" in removed and not content_type:
            content_type = "*/*"
        if not content_type:
            content_type = "application/json" if json_body else "application/x-www-form-urlencoded"
        joiner = "" if all(k == "json" for k, _v in opts.data) else "&"
        body = Body(content_type, joiner.join(pieces))
    elif opts.form:
        fields = [_form_field(k, v, notes, where) for k, v in opts.form]
        body = Body("multipart/form-data", fields=tuple(f for f in fields if f is not None))
    elif sorted_.content_type:
        sorted_.headers.append(("Content-Type", sorted_.content_type))
    if json_body and not any(k.lower() == "accept" for k, _v in sorted_.headers):
        sorted_.headers.append(("Accept", "application/json"))
    if not method:
        if opts.head:
            method = "HEAD"
        elif opts.get:
            method = "GET"
        else:
            method = "POST" if body is not None else "GET"
    template = _template(base)
    request = SavedRequest(
        name=name or f"{method} {_path_of(template)}",
        method=method,
        url=template,
        query=tuple(query),
        headers=tuple(sorted_.headers),
        cookies=tuple(cookies),
        body=body,
        auth=tuple(slots) if slots else "inherit",
        settings=Settings(opts.timeout, None, False if opts.insecure else None),
    )
    return request, tuple(slots)


def _template(base: str) -> str:
    """A URL as a template: literal braces percent-encoded (they would read as `{name}`)."""
    return keep_variables(base, lambda s: s.replace("{", "%7B").replace("}", "%7D"))


def _path_of(url: str) -> str:
    after = url.split("://", 1)[-1]
    slash = after.find("/")
    return after[slash:] if slash >= 0 else "/"


def looks_like_curl(text: str) -> bool:
    """The text holds a curl command (what the URL field and `detect` ask): a line that
    starts with `curl` (after a `$ ` prompt), or pipes into it."""
    for line in text.lstrip("\ufeff").split("\n"):
        stripped = line.strip()
        if stripped.startswith("$ "):
            stripped = stripped[2:].lstrip()
        first = stripped.split(None, 1)[0] if stripped else ""
        if first.lower() in ("curl", "curl.exe") or first.endswith("/curl"):
            return True
        if first == "printf" and re.search(r"\|\s*curl\b", stripped):
            return True
    return False


def parse_curl_command(text: str, name: str = "") -> CurlCommand:
    """The first curl command of `text` as a saved request. Raises ImportFailed (one
    sentence) when there is no curl command or it cannot be read."""
    commands = _commands(text)
    if not commands:
        raise ImportFailed("not a curl command")
    _comment, args, stdin = commands[0]
    notes = Notes()
    opts = _options(args)
    request, slots = _build(opts, stdin, name, notes)
    for ignored in opts.ignored:
        if ignored.lstrip("-") not in _QUIET:
            notes.add(f"{ignored}: a curl option explorer does not use, ignored")
    return CurlCommand(request, tuple(notes.items), slots)


_QUIET = {
    "compressed", "s", "silent", "S", "show-error", "v", "verbose", "i", "include", "L",
    "location", "globoff", "g", "path-as-is", "f", "fail", "fail-with-body", "http1.1",
    "http2", "http2-prior-knowledge", "http1.0", "tlsv1.2", "tlsv1.3", "no-buffer", "N",
    "progress-bar", "#", "output", "o", "O", "remote-name", "w", "write-out", "location-trusted",
    "max-redirs", "connect-timeout", "retry",
}  # fmt: skip


def parse_curl(text: str) -> SavedRequest:
    """The saved request a pasted curl command sends (see the module docstring): what the
    window makes of a curl command pasted into the URL field. Secrets are left out (a
    credential becomes a slot of `auth`). Raises ImportFailed when it is not one."""
    return parse_curl_command(text).request


def import_curl(text: str, source: str = "") -> tuple[Collection, list[str]]:
    """Every curl command of `text` (a pasted command, or a script of them such as
    `explorer export --format curl` writes) as a request of a new collection; a comment
    line right before a command names it."""
    try:
        commands = _commands(text)
    except ImportFailed as exc:
        raise ImportFailed(exc.message, source) from None
    if not commands:
        raise ImportFailed("no curl command in it", source)
    notes = Notes()
    items: list[Folder | SavedRequest] = []
    failed: list[str] = []
    for comment, args, stdin in commands:
        try:
            opts = _options(args)
            request, _slots = _build(opts, stdin, comment, notes)
        except ImportFailed as exc:
            failed.append(exc.message)
            notes.add(f"{comment or 'a curl command'}: {exc.message}: left out")
            continue
        items.append(request)
    if not items:
        raise ImportFailed(failed[0] if failed else "no curl command in it", source)
    return Collection("curl", root=Folder("", items)), notes.items
