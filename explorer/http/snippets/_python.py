"""Python snippets: httpx (sync and async) and requests.

The body is the exact bytes sent (`content=` / `data=` with `.encode()`), never `json=`,
which would re-serialise what was typed. Header values past ASCII are given as UTF-8
bytes (both libraries would otherwise refuse them or send Latin-1). Basic credentials
go through httpx's `auth=`, and through requests' `auth=` as bytes (requests encodes
text credentials as Latin-1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.http.snippets._common import (
    BytesBody,
    Multipart,
    NoBody,
    RequestView,
    SnippetContext,
    SnippetOptions,
    TextBody,
    Value,
    expression,
    request_view,
    sparing_string,
    value_lines,
)

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = ["to_httpx", "to_httpx_async", "to_requests"]


_lit = sparing_string
"""A string literal, in single quotes when that spares escaping `"`."""


def _env(name: str) -> str:
    return f'os.environ["{name}"]'


def _expr(value: Value) -> str:
    return expression(value, _lit, _env)


def _uses_os(view: RequestView) -> bool:
    return bool(view.envs)


def _header_value(value: Value) -> str:
    """A header value: text when what is written is ASCII (a secret read from the
    environment is taken to be ASCII, as tokens and keys are), else UTF-8 bytes."""
    if all(p.isascii() for p in value if isinstance(p, str)):
        return _expr(value)
    return _bytes(value)


def _long_text(value: Value, indent: str = "    ") -> str:
    """A text one source line per line: neighbouring literals side by side (Python joins
    them when it compiles; a long chain of `+` would exhaust its parser), `+` only next
    to a variable."""
    lines = value_lines(value)
    out = ""
    for i, line in enumerate(lines):
        if i:
            side_by_side = isinstance(lines[i - 1][-1], str) and isinstance(line[0], str)
            out += ("\n" if side_by_side else " +\n") + indent
        out += _expr(line)
    return out


def _body_lines(view: RequestView, library: str) -> tuple[list[str], str]:
    """(source lines that make the body, the keyword arguments that send it)."""
    body = view.body
    if isinstance(body, NoBody):
        return [], ""
    keyword = "data" if library == "requests" else "content"
    if isinstance(body, BytesBody):
        return [f"{keyword} = {body.data!r}"], f", {keyword}={keyword}"
    if isinstance(body, TextBody):
        text = _long_text(body.text)
        if "\n" in text:
            return [f"{keyword} = (\n    {text}\n).encode()"], f", {keyword}={keyword}"
        if len(body.text) > 1:
            return [f"{keyword} = ({text}).encode()"], f", {keyword}={keyword}"
        return [f"{keyword} = {text}.encode()"], f", {keyword}={keyword}"
    assert isinstance(body, Multipart)
    lines = ["files = ["]
    for name, value in body.fields:
        lines.append(f"    ({_lit(name)}, (None, {_bytes(value)})),")
    for part in body.files:
        lines.append(
            f'    ({_lit(part.name)}, ({_lit(part.filename)}, open({_lit(part.path)}, "rb"), '
            f"{_lit(part.content_type)})),"
        )
    lines.append("]")
    return lines, ", files=files"


def _bytes(value: Value) -> str:
    """The Value as UTF-8 bytes."""
    return f"({_expr(value)}).encode()" if len(value) > 1 else f"{_expr(value)}.encode()"


def _common_lines(view: RequestView, library: str) -> tuple[list[str], str]:
    """The url, headers, body assignments and the call's arguments after the method."""
    lines = [f"url = {_expr(view.url)}"]
    args = "url"
    if view.headers:
        lines.append("headers = {")
        lines += [f"    {_lit(name)}: {_header_value(value)}," for name, value in view.headers]
        lines.append("}")
        args += ", headers=headers"
    body_lines, body_args = _body_lines(view, library)
    lines += body_lines
    args += body_args
    if view.basic is not None:
        user, password = view.basic
        if library == "requests":
            args += f", auth=({_bytes(user)}, {_bytes(password)})"
        else:
            args += f", auth=({_expr(user)}, {_expr(password)})"
    return lines, args


def _imports(view: RequestView, library: str) -> list[str]:
    lines = []
    if library == "httpx-async":
        lines.append("import asyncio")
    if _uses_os(view):
        lines.append("import os")
    if lines:
        lines.append("")
    lines.append("import httpx" if library.startswith("httpx") else "import requests")
    return [*lines, ""]


def to_httpx(prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext) -> str:
    """Python with httpx: `httpx.request(method, url, headers=..., content=...)`."""
    view = request_view(prepared, options)
    lines, args = _common_lines(view, "httpx")
    return "\n".join(
        [
            *_imports(view, "httpx"),
            *lines,
            f"response = httpx.request({_lit(view.method)}, {args})",
            "print(response.status_code)",
            "print(response.text)",
            "",
        ]
    )


def to_httpx_async(
    prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext
) -> str:
    """Python with httpx's AsyncClient, in `asyncio.run(main())`."""
    view = request_view(prepared, options)
    lines, args = _common_lines(view, "httpx-async")
    body = ["    " + line if line else "" for line in "\n".join(lines).split("\n")]
    return "\n".join(
        [
            *_imports(view, "httpx-async"),
            "",
            "async def main() -> None:",
            *body,
            "    async with httpx.AsyncClient() as client:",
            f"        response = await client.request({_lit(view.method)}, {args})",
            "    print(response.status_code)",
            "    print(response.text)",
            "",
            "",
            "asyncio.run(main())",
            "",
        ]
    )


def to_requests(prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext) -> str:
    """Python with requests: `requests.request(method, url, headers=..., data=...)`."""
    view = request_view(prepared, options)
    lines, args = _common_lines(view, "requests")
    return "\n".join(
        [
            *_imports(view, "requests"),
            *lines,
            f"response = requests.request({_lit(view.method)}, {args})",
            "print(response.status_code)",
            "print(response.text)",
            "",
        ]
    )
