"""JavaScript snippets: `fetch` (Node 18+, an ES module with top-level await) and axios.

Text bodies are sent as UTF-8 bytes when the request has no Content-Type (a string would
make fetch add text/plain and axios a form type) and, with axios, past its request
transform (which would trim a JSON string). Header values past ASCII are given as their
UTF-8 bytes read as Latin-1 (`Buffer.from(...).toString("latin1")`): Node writes header
values as Latin-1 and refuses any character past U+00FF.
"""

from __future__ import annotations

import base64
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
    multiline,
    request_view,
    sparing_string,
)
from explorer.http.snippets._shell import form_quote

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = ["js_string", "to_axios", "to_fetch"]


js_string = sparing_string
"""A string literal, in single quotes when that spares escaping `"`."""


def _env(name: str) -> str:
    return f"process.env.{name}"


def _expr(value: Value) -> str:
    return expression(value, js_string, _env)


def _header_value(value: Value) -> str:
    """A header value: as it is when what is written is ASCII (a secret read from the
    environment is taken to be ASCII, as tokens and keys are), else its UTF-8 bytes as
    Latin-1 text."""
    text = _expr(value)
    if all(p.isascii() for p in value if isinstance(p, str)):
        return text
    return f'Buffer.from({text}).toString("latin1")'


def _hand_built(view: RequestView) -> bool:
    """True when a multipart body is written by the snippet itself: FormData turns every
    line break of a text field into CR LF (as the HTML standard says), which would change
    what is sent."""
    body = view.body
    return isinstance(body, Multipart) and any(
        "\n" in p or "\r" in p for _n, v in body.fields for p in v if isinstance(p, str)
    )


def headers_object(view: RequestView, indent: str = "  ", axios: bool = False) -> list[str]:
    """`headers: {...}` lines (Authorization for basic credentials included)."""
    entries = [(name, _header_value(value)) for name, value in view.headers]
    if _hand_built(view):
        entries.append(("Content-Type", '"multipart/form-data; boundary=" + boundary'))
    if (
        axios
        and isinstance(view.body, TextBody | BytesBody)
        and view.header("content-type") is None
    ):
        # axios adds a form Content-Type to a body that has none, unless told `false`.
        entries.append(("Content-Type", "false"))
    if view.basic is not None:
        user, password = view.basic
        pair = expression((*user, ":", *password), js_string, _env)
        entries.insert(0, ("Authorization", f'"Basic " + Buffer.from({pair}).toString("base64")'))
    if not entries:
        return []
    lines = [f"{indent}headers: {{"]
    lines += [f"{indent}  {js_string(name)}: {value}," for name, value in entries]
    lines.append(f"{indent}}},")
    return lines


def body_source(view: RequestView, axios: bool) -> tuple[list[str], str]:
    """(statements before the call, the body expression) for the request's body."""
    body = view.body
    if isinstance(body, NoBody):
        return [], ""
    if isinstance(body, BytesBody):
        encoded = base64.b64encode(body.data).decode("ascii")
        return [], f'Buffer.from("{encoded}", "base64")'
    if isinstance(body, TextBody):
        text = multiline(body.text, js_string, _env, indent="  ")
        statement = f"const body = {text};" if "\n" not in text else f"const body =\n  {text};"
        if view.header("content-type") is None:
            return [statement], "Buffer.from(body)" if axios else "new TextEncoder().encode(body)"
        return [statement], "body"
    assert isinstance(body, Multipart)
    if _hand_built(view):
        return _multipart_buffer(body), "body"
    lines = ["const form = new FormData();"]
    for name, value in body.fields:
        lines.append(f"form.append({js_string(name)}, {_expr(value)});")
    for part in body.files:
        blob = (
            f"new Blob([await readFile({js_string(part.path)})], "
            f"{{ type: {js_string(part.content_type)} }})"
        )
        lines.append(f"form.append({js_string(part.name)}, {blob}, {js_string(part.filename)});")
    return lines, "form"


def _multipart_buffer(body: Multipart) -> list[str]:
    """Statements that write a multipart body byte for byte (text fields, then files)."""
    lines = [
        'const boundary = "----NodeFormBoundary" + crypto.randomUUID();',
        "const body = Buffer.concat([",
    ]
    for name, value in body.fields:
        head = f'Content-Disposition: form-data; name="{form_quote(name)}"\r\n\r\n'
        lines.append(f'  Buffer.from("--" + boundary + "\\r\\n" + {js_string(head)}),')
        lines.append(f"  Buffer.from({_expr(value)}),")
        lines.append('  Buffer.from("\\r\\n"),')
    for part in body.files:
        head = (
            f'Content-Disposition: form-data; name="{form_quote(part.name)}"; '
            f'filename="{form_quote(part.filename)}"\r\nContent-Type: {part.content_type}\r\n\r\n'
        )
        lines.append(f'  Buffer.from("--" + boundary + "\\r\\n" + {js_string(head)}),')
        lines.append(f"  await readFile({js_string(part.path)}),")
        lines.append('  Buffer.from("\\r\\n"),')
    lines.append('  Buffer.from("--" + boundary + "--\\r\\n"),')
    lines.append("]);")
    return lines


def _imports(view: RequestView, axios: bool) -> list[str]:
    lines = ['import axios from "axios";'] if axios else []
    if isinstance(view.body, Multipart) and view.body.files:
        lines.append('import { readFile } from "node:fs/promises";')
    return [*lines, ""] if lines else []


def to_fetch(prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext) -> str:
    """JavaScript with fetch, as an ES module (`node snippet.mjs`; secrets from
    process.env)."""
    view = request_view(prepared, options)
    before, body = body_source(view, axios=False)
    init = [f"  method: {js_string(view.method)},", *headers_object(view)]
    if body:
        init.append(f"  body: {body},")
    return "\n".join(
        [
            *_imports(view, axios=False),
            *before,
            f"const response = await fetch({_expr(view.url)}, {{",
            *init,
            "});",
            "console.log(response.status);",
            "console.log(await response.text());",
            "",
        ]
    )


def to_axios(prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext) -> str:
    """Node.js with axios, as an ES module; any status is a response (not an error)."""
    view = request_view(prepared, options)
    before, body = body_source(view, axios=True)
    config = [
        f"  method: {js_string(view.method)},",
        f"  url: {_expr(view.url)},",
        *headers_object(view, axios=True),
    ]
    if body:
        config.append(f"  data: {body},")
        if isinstance(view.body, TextBody):
            config.append("  transformRequest: [(data) => data], // send the text as it is")
    config += ['  responseType: "text",', "  validateStatus: () => true,"]
    return "\n".join(
        [
            *_imports(view, axios=True),
            *before,
            "const response = await axios.request({",
            *config,
            "});",
            "console.log(response.status);",
            "console.log(response.data);",
            "",
        ]
    )
