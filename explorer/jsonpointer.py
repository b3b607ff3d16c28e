"""JSON pointers (RFC 6901): escaping a reference token, and where a pointer sits in JSON
text, by line. No Qt here, and nothing else of explorer: the spec loader, the validator,
the problem reader, the mock and the body editor all name places in JSON by pointer, and
all of them escape and unescape through this one module.

    >>> escape_token("a/b~c")                # "a~1b~0c"
    >>> unescape_token("a~1b~0c")            # "a/b~c"
    >>> text = '{\\n  "a": {\\n    "b": 1\\n  }\\n}'
    >>> pointer_lines(text)["/a/b"]          # 2 (0-based line of the "b" member)
    >>> line_of_pointer(text, "/a/missing")  # 1: the nearest ancestor that is there
    >>> resolve_pointer({"a": [{"b": 1}]}, "/a/0/b")   # 1

The scanner is forgiving: on broken JSON it maps what it read before the break.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable

__all__ = [
    "escape_token",
    "join_pointer",
    "line_of_pointer",
    "parse_error_position",
    "pointer_lines",
    "resolve_pointer",
    "unescape_token",
]

_WS = " \t\r\n"


def escape_token(token: str) -> str:
    """One reference token of a JSON pointer (RFC 6901: ~ as ~0, / as ~1)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """A reference token read back (~1 as /, then ~0 as ~: "~01" is "~1", not "/")."""
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(tokens: Iterable[object]) -> str:
    """The pointer of a path of keys and indexes: ("a/b", 0) -> "/a~1b/0"."""
    return "".join("/" + escape_token(str(t)) for t in tokens)


def resolve_pointer(doc: object, pointer: str) -> object:
    """The value a pointer names in parsed JSON ("" is the whole document). Raises
    KeyError when there is nothing there."""
    if pointer and not pointer.startswith("/"):
        raise KeyError(pointer)
    node = doc
    for raw in pointer.split("/")[1:] if pointer else []:
        token = unescape_token(raw)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


class _Scanner:
    def __init__(self, text: str, limit: int) -> None:
        self.text = text
        self.pos = 0
        self.line = 0
        self.lines: dict[str, int] = {}
        self.limit = limit

    def skip_ws(self) -> None:
        text, n = self.text, len(self.text)
        while self.pos < n and text[self.pos] in _WS:
            if text[self.pos] == "\n":
                self.line += 1
            self.pos += 1

    def string(self) -> str:
        # at the opening quote
        text = self.text
        start = self.pos + 1
        i = start
        n = len(text)
        chunks: list[str] = []
        while i < n:
            c = text[i]
            if c == '"':
                chunks.append(text[start:i])
                self.pos = i + 1
                raw = "".join(chunks)
                if "\\" in raw:
                    try:
                        return str(json.loads('"' + raw + '"'))
                    except ValueError:
                        return raw
                return raw
            if c == "\\":
                i += 2
                continue
            if c == "\n":
                break
            i += 1
        raise ValueError("unterminated string")

    def value(self, pointer: str, depth: int) -> None:
        if len(self.lines) >= self.limit or depth > 200:
            raise ValueError("too deep or too large")
        self.skip_ws()
        if self.pos >= len(self.text):
            raise ValueError("end of text")
        self.lines.setdefault(pointer, self.line)
        c = self.text[self.pos]
        if c == "{":
            self.pos += 1
            self.skip_ws()
            if self.pos < len(self.text) and self.text[self.pos] == "}":
                self.pos += 1
                return
            while True:
                self.skip_ws()
                if self.pos >= len(self.text) or self.text[self.pos] != '"':
                    raise ValueError("expected a key")
                key_line = self.line
                key = self.string()
                child = pointer + "/" + escape_token(key)
                self.lines.setdefault(child, key_line)
                self.skip_ws()
                if self.pos >= len(self.text) or self.text[self.pos] != ":":
                    raise ValueError("expected ':'")
                self.pos += 1
                self.value(child, depth + 1)
                self.skip_ws()
                if self.pos >= len(self.text):
                    raise ValueError("end of text")
                c = self.text[self.pos]
                self.pos += 1
                if c == "}":
                    return
                if c != ",":
                    raise ValueError("expected ',' or '}'")
        elif c == "[":
            self.pos += 1
            self.skip_ws()
            if self.pos < len(self.text) and self.text[self.pos] == "]":
                self.pos += 1
                return
            index = 0
            while True:
                self.value(f"{pointer}/{index}", depth + 1)
                index += 1
                self.skip_ws()
                if self.pos >= len(self.text):
                    raise ValueError("end of text")
                c = self.text[self.pos]
                self.pos += 1
                if c == "]":
                    return
                if c != ",":
                    raise ValueError("expected ',' or ']'")
        elif c == '"':
            self.string()
        else:
            text, n = self.text, len(self.text)
            start = self.pos
            while self.pos < n and text[self.pos] not in _WS + ",]}":
                self.pos += 1
            if self.pos == start:
                raise ValueError("unexpected character")


def pointer_lines(text: str, limit: int = 200_000) -> dict[str, int]:
    """The 0-based line where each JSON pointer's member (its key, for object members)
    starts; "" is the document itself. At most `limit` pointers are mapped."""
    scanner = _Scanner(text, limit)
    with contextlib.suppress(ValueError):
        scanner.value("", 0)
    return scanner.lines


def line_of_pointer(text: str, pointer: str, lines: dict[str, int] | None = None) -> int:
    """The 0-based line of `pointer` in the JSON `text`; for a member that is not there
    (a missing required property) the line of its nearest ancestor that is."""
    table = pointer_lines(text) if lines is None else lines
    p = pointer
    while True:
        if p in table:
            return table[p]
        if not p:
            return 0
        p = p.rsplit("/", 1)[0]


def parse_error_position(text: str, pos: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col
