"""What a response body is and how to show it: decoding, kind sniffing, pretty-printing,
tokens for highlighting. Plain Python (no Qt). The slow parts (re-indenting, lexing) come in
slices a caller can run a few milliseconds at a time on the event loop: in a worker thread
pure Python would share the GIL with the window's own Python and make every step of the
window slower (measured: 2x longer steps, stalls over 100 ms), without running any faster.

Pretty JSON is produced by a re-indenter that keeps every token exactly as the server wrote
it (big integers, `1.0`, escapes, duplicate keys) and yields its output in chunks, so a
20 MB body starts to appear after the first chunk and no step holds the loop for long (a
`json.loads` of 20 MB holds the GIL for half a second, even in a thread).
"""

from __future__ import annotations

import codecs
import mimetypes
import re
import time
from collections.abc import Generator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from pygments.lexer import Lexer
from pygments.token import _TokenType

from explorer.http.media import is_json_media_type

if TYPE_CHECKING:
    from explorer.http.model import ResponseResult

__all__ = [
    "BodyKind",
    "DecodedBody",
    "JsonSyntaxError",
    "LineTable",
    "break_long_lines",
    "break_long_piece",
    "charset_of",
    "classify",
    "decode_body",
    "display_text",
    "human_duration",
    "human_size",
    "lex_lines",
    "lexer_for",
    "pretty_json_chunks",
    "pretty_xml",
    "role_of",
    "suggested_file_name",
    "tokens_for_line",
]

BodyKind = Literal["empty", "json", "xml", "html", "yaml", "text", "image", "binary"]

LONG_LINE = 10_000
"""Lines longer than this are broken for display: one huge line (minified JSON) would
take Qt's text layout a second per megabyte."""

_IMAGE_TYPES = {
    "image/png",
    "image/jpeg",
    "image/jpg",
    "image/gif",
    "image/svg+xml",
    "image/webp",
    "image/bmp",
    "image/x-icon",
    "image/vnd.microsoft.icon",
}
_BINARY_TYPES = (
    "application/octet-stream",
    "application/pdf",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/x-7z-compressed",
    "application/vnd.",
    "application/msword",
    "application/x-protobuf",
    "application/protobuf",
    "application/grpc",
    "application/wasm",
    "audio/",
    "video/",
    "font/",
    "image/",
)


def human_size(n: int) -> str:
    """`512 B`, `1.5 KB`, `20.0 MB` (1 KB = 1024 B)."""
    if n < 1024:
        return f"{n} B"
    for unit in ("KB", "MB", "GB"):
        n_f = n / 1024
        if n_f < 1024 or unit == "GB":
            return f"{n_f:.1f} {unit}" if n_f < 100 else f"{n_f:.0f} {unit}"
        n = int(n_f)
    return f"{n} B"  # pragma: no cover


def human_duration(seconds: float | None) -> str:
    """`850 µs`, `42 ms`, `1.24 s`, `2 min 5 s`; an em dash for a phase that did not happen."""
    if seconds is None:
        return "—"
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.2f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def charset_of(content_type: str | None) -> str | None:
    """The `charset=` parameter of a Content-Type header, if it names a known codec."""
    if not content_type:
        return None
    m = re.search(r";\s*charset\s*=\s*\"?([\w.:-]+)", content_type, re.IGNORECASE)
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1)).name
    except LookupError:
        return None


@dataclass(frozen=True)
class DecodedBody:
    """A body as text: `charset` used, and whether bytes had to be replaced."""

    text: str
    charset: str
    replaced: bool


def decode_body(body: bytes, content_type: str | None) -> DecodedBody:
    """Charset from the Content-Type, else UTF-8 (BOM honoured), with replacement."""
    charset = charset_of(content_type) or "utf-8"
    if body.startswith(codecs.BOM_UTF8):
        body, charset = body[3:], "utf-8"
    try:
        return DecodedBody(body.decode(charset), charset, False)
    except UnicodeDecodeError:
        return DecodedBody(body.decode(charset, errors="replace"), charset, True)


def _looks_binary(sample: bytes) -> bool:
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    try:
        sample.decode("utf-8")
        return False
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start >= len(sample) - 4 and exc.reason == "unexpected end of data":
            return False
    text = sample.decode("latin-1")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f\b")
    return controls > len(text) // 20


def classify(content_type: str, body: bytes) -> BodyKind:
    """The kind of a body, from its media type (without parameters), sniffed when vague."""
    ct = content_type.lower()
    if not body:
        return "empty"
    if ct in _IMAGE_TYPES:
        return "image"
    if is_json_media_type(ct):
        return "json"
    if ct.endswith("+xml") or ct in ("application/xml", "text/xml"):
        return "xml"
    if ct in ("text/html", "application/xhtml+xml"):
        return "html"
    if "yaml" in ct or "yml" in ct:
        return "yaml"
    if ct.startswith(_BINARY_TYPES):
        return "binary" if _looks_binary(body[:8192]) or ct.startswith(_BINARY_TYPES) else "text"
    head = body[:8192]
    if _looks_binary(head):
        return "binary"
    if ct.startswith("text/") and ct != "text/plain":
        return "text"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if stripped[:1] in (b"{", b"["):
        return "json"
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "html"
    if stripped.startswith(b"<?xml") or (stripped.startswith(b"<") and not ct):
        return "xml"
    return "text"


def suggested_file_name(result: ResponseResult) -> str:
    """A file name for "Save": the URL's last segment, with an extension for the type."""
    name = urlsplit(result.url).path.rstrip("/").rsplit("/", 1)[-1] or "response"
    if "." not in name:
        ext = mimetypes.guess_extension(result.content_type or "") or ".bin"
        name += ext
    return name


class JsonSyntaxError(ValueError):
    """The body is not JSON; `position` is the character offset where reading stopped."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} at character {position}")
        self.position = position


_WS = "[ \\t\\r\\n]*"
_STR = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_SCALAR = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null"
# A member with a scalar value ("key": 1,) and an item with its comma are one token each:
# a third of the iterations of one token per string, colon, value and comma.
_JSON_TOKEN = re.compile(
    f"{_WS}(?:(?P<kv>(?P<key>{_STR}){_WS}:{_WS}(?P<val>{_STR}|{_SCALAR}))(?P<kvm>{_WS},)?"
    f"|(?P<s>{_STR})(?P<sm>{_WS},)?"
    f"|(?P<v>{_SCALAR})(?P<vm>{_WS},)?"
    f"|(?P<o>[\\[{{])|(?P<c>[\\]}}])|(?P<m>,)|(?P<k>:))"
)


def pretty_json_chunks(
    text: str, indent: int = 2, chunk: int = 65536
) -> Generator[str, None, None]:
    """Re-indent JSON text, yielding pieces of about `chunk` characters.

    Tokens are kept verbatim; only whitespace changes (the layout of `json.dumps(indent=2)`).
    Raises JsonSyntaxError where the text stops being JSON (after yielding what came before).
    """
    out: list[str] = []
    size = 0
    stack: list[str] = []
    prev = ""  # "" at the start, "o" after an opener, "m" after a comma, "k" after a
    # colon, "v" after a value (scalar, string or closed container)
    pos = 0
    n = len(text)
    match = _JSON_TOKEN.match
    pad = " " * indent
    last = ""  # the kind of the previous token
    while True:
        mt = match(text, pos)
        if mt is None:
            rest = text[pos:]
            if not rest.strip() and not stack and prev:
                break
            where = pos + len(rest) - len(rest.lstrip(" \t\r\n"))
            raise JsonSyntaxError(
                "unexpected character" if rest.strip() else "unexpected end", where
            )
        pos = mt.end()
        kind = mt.lastgroup or ""
        if kind in ("kvm", "sm", "vm"):  # lastgroup names the comma group when present
            kind = kind[:-1]
        start = mt.start(kind)
        if kind == "kv":
            if prev == "v":
                raise JsonSyntaxError("missing comma", start)
            if prev not in ("o", "m") or stack[-1] != "}":
                raise JsonSyntaxError("unexpected member", start)
            piece = "\n" + pad * len(stack) + mt.group("key") + ": " + mt.group("val")
            if mt.group("kvm"):
                piece += ","
                prev = "m"
            else:
                prev = "v"
        elif kind in ("s", "v", "o"):
            if prev == "v":
                raise JsonSyntaxError("missing comma", start)
            tok = mt.group(kind)
            piece = "\n" + pad * len(stack) + tok if prev in ("o", "m") else tok
            if kind == "o":
                stack.append("}" if tok == "{" else "]")
                prev = "o"
            elif mt.group(kind + "m"):
                if not stack:
                    raise JsonSyntaxError("unexpected comma", mt.start(kind + "m"))
                piece += ","
                prev = "m"
            else:
                prev = "v"
        elif kind == "c":
            tok = mt.group("c")
            if not stack or stack[-1] != tok:
                raise JsonSyntaxError("unbalanced bracket", start)
            if prev in ("m", "k"):
                raise JsonSyntaxError("value expected", start)
            stack.pop()
            piece = tok if prev == "o" else "\n" + pad * len(stack) + tok
            prev = "v"
        elif kind == "m":
            if prev != "v" or not stack:
                raise JsonSyntaxError("unexpected comma", start)
            piece = ","
            prev = "m"
        else:  # colon after a key whose value is a container
            if prev != "v" or not stack or stack[-1] != "}" or last != "s":
                raise JsonSyntaxError("unexpected colon", start)
            piece = ": "
            prev = "k"
        last = kind
        out.append(piece)
        size += len(piece)
        if not stack and prev == "v":
            # A complete top-level value: only whitespace may follow.
            rest = text[pos:]
            if rest.strip():
                raise JsonSyntaxError("extra data", pos + len(rest) - len(rest.lstrip()))
            break
        if size >= chunk:
            yield "".join(out)
            out.clear()
            size = 0
        if pos >= n:
            raise JsonSyntaxError("unexpected end", pos)
    if out:
        yield "".join(out)


def pretty_xml(text: str) -> str | None:
    """Indented XML, or None when it does not parse (then show it as it came)."""
    import xml.dom.minidom
    from xml.parsers.expat import ExpatError

    try:
        dom = xml.dom.minidom.parseString(text.encode("utf-8"))
    except (ExpatError, ValueError):
        return None
    pretty = dom.toprettyxml(indent="  ")
    lines = [line for line in pretty.splitlines() if line.strip()]
    if not text.lstrip().startswith("<?xml") and lines and lines[0].startswith("<?xml"):
        lines = lines[1:]
    return "\n".join(lines)


def display_text(text: str) -> str:
    """Line ends as the text view counts them: CR LF, CR and U+2029 become LF."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2029" in text:
        text = text.replace("\u2029", "\n")
    return text


def break_long_lines(text: str, limit: int = LONG_LINE) -> tuple[str, bool]:
    """Break lines longer than `limit` characters; returns (text, whether any was broken)."""
    if len(text) <= limit:
        return text, False
    if max(map(len, text.split("\n"))) <= limit:
        return text, False
    pieces: list[str] = []
    for line in text.split("\n"):
        if len(line) <= limit:
            pieces.append(line)
        else:
            pieces.extend(line[i : i + limit] for i in range(0, len(line), limit))
    return "\n".join(pieces), True


def break_long_piece(piece: str, column: int, limit: int = LONG_LINE) -> tuple[str, int, bool]:
    """`break_long_lines` for a text that comes in pieces: `column` is the length of the
    line the piece continues. Returns (piece, column after it, whether any line was broken);
    the pieces joined are `break_long_lines` of the whole text."""
    lines = piece.split("\n")
    first_end = column + len(lines[0])
    if first_end <= limit and (len(lines) == 1 or max(map(len, lines)) <= limit):
        return piece, first_end if len(lines) == 1 else len(lines[-1]), False
    out: list[str] = []
    for i, line in enumerate(lines):
        start = column if i == 0 else 0
        room = limit - start
        if len(line) <= room:
            out.append(line)
            column = start + len(line)
            continue
        segments = [line[:room]]
        segments.extend(line[j : j + limit] for j in range(room, len(line), limit))
        out.append("\n".join(segments))
        column = len(segments[-1])
    return "\n".join(out), column, True


_LEXERS: dict[str, tuple[str, str]] = {
    "json": ("data", "JsonLexer"),
    "xml": ("html", "XmlLexer"),
    "html": ("html", "HtmlLexer"),
    "yaml": ("data", "YamlLexer"),
    "bash": ("shell", "BashLexer"),
    "batch": ("shell", "BatchLexer"),
    "powershell": ("shell", "PowerShellLexer"),
    "python": ("python", "PythonLexer"),
    "javascript": ("javascript", "JavascriptLexer"),
    "typescript": ("javascript", "TypeScriptLexer"),
    "go": ("go", "GoLexer"),
    "java": ("jvm", "JavaLexer"),
    "php": ("php", "PhpLexer"),
    "ruby": ("ruby", "RubyLexer"),
    "csharp": ("dotnet", "CSharpLexer"),
    "rust": ("rust", "RustLexer"),
}
"""Each kind's lexer (module of pygments.lexers, class): body kinds and snippet languages."""


@lru_cache(maxsize=32)
def lexer_for(kind: str) -> Lexer | None:
    """The pygments lexer for a body kind (None for plain text)."""
    # From their modules, not `from pygments.lexers import ...`: that package swaps itself
    # for a lazy module when first imported, and a second thread importing it meanwhile
    # gets the old module and an ImportError (seen: the code panel and a body at once).
    import importlib

    where = _LEXERS.get(kind)
    if where is None:
        return None
    module, name = where
    cls: type[Lexer] = getattr(importlib.import_module(f"pygments.lexers.{module}"), name)
    options: dict[str, bool] = {"startinline": True} if kind == "php" else {}
    return cls(stripnl=False, ensurenl=False, **options)


_ROLES: tuple[tuple[str, str], ...] = (
    ("Token.Name.Tag", "key"),
    ("Token.Name.Attribute", "attr"),
    ("Token.Name.Builtin", "builtin"),
    ("Token.Name.Variable", "variable"),
    ("Token.Name.Entity", "keyword"),
    ("Token.Literal.String", "string"),
    ("Token.Literal.Number", "number"),
    ("Token.Keyword", "keyword"),
    ("Token.Comment", "comment"),
    ("Token.Operator", "punct"),
    ("Token.Punctuation", "punct"),
    ("Token.Generic.Error", "error"),
    ("Token.Error", "error"),
)


@lru_cache(maxsize=512)
def role_of(ttype: _TokenType) -> str:
    """A small set of colour roles for pygments token types ("" for default text)."""
    name = str(ttype)
    for prefix, role in _ROLES:
        if name == prefix or name.startswith(prefix + "."):
            return role
    return ""


Span = tuple[int, int, str]  # start column, length, role


def tokens_for_line(line: str, lexer: Lexer) -> list[Span]:
    """Spans of one line, lexed on its own (exact for JSON: no token spans lines)."""
    spans: list[Span] = []
    for index, ttype, value in lexer.get_tokens_unprocessed(line):
        role = role_of(ttype)
        if role and value:
            spans.append((index, len(value), role))
    return spans


class LineTable:
    """Spans per line ("\\n"-separated) for a whole text, lexed as one piece (multi-line
    comments and strings stay right), built a slice at a time: `run(budget)` lexes for
    about `budget` seconds and says whether it is done; `lines` is the table."""

    def __init__(self, text: str, lexer: Lexer) -> None:
        self._tokens = lexer.get_tokens_unprocessed(text)
        self.lines: list[list[Span]] = [[]]
        self._col = 0
        self.done = False

    def run(self, budget: float = float("inf")) -> bool:
        deadline = time.perf_counter() + budget
        lines = self.lines
        col = self._col
        for count, (_index, ttype, value) in enumerate(self._tokens, 1):
            role = role_of(ttype)
            if "\n" in value:
                parts = value.split("\n")
                for i, part in enumerate(parts):
                    if i:
                        lines.append([])
                        col = 0
                    if part and role:
                        lines[-1].append((col, len(part), role))
                    col += len(part)
            else:
                if role and value:
                    lines[-1].append((col, len(value), role))
                col += len(value)
            if count & 255 == 0 and time.perf_counter() > deadline:
                self._col = col
                return False
        self._col = col
        self.done = True
        return True


def lex_lines(text: str, lexer: Lexer) -> list[list[Span]]:
    """The whole LineTable of `text` in one go (small texts)."""
    table = LineTable(text, lexer)
    table.run()
    return table.lines
