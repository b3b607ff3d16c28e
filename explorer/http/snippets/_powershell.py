"""PowerShell snippets: Invoke-WebRequest (PowerShell 7+).

Strings are single-quoted (nothing expands in them; a quote is doubled, the typographic
single quotes PowerShell also reads as quotes too). Headers are sent as given
(`-SkipHeaderValidation`), the body as its exact bytes, a multipart body with `-Form`.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from explorer.http.snippets._common import (
    BytesBody,
    Multipart,
    SnippetContext,
    SnippetOptions,
    TextBody,
    Value,
    expression,
    merged,
    request_view,
)

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = ["ps_string", "to_powershell"]

_QUOTES = "'\u2018\u2019\u201a\u201b"


def ps_string(text: str) -> str:
    """A PowerShell single-quoted (verbatim) string."""
    return "'" + "".join(ch * 2 if ch in _QUOTES else ch for ch in text) + "'"


def _env(name: str) -> str:
    return f"$env:{name}"


def _expr(value: Value) -> str:
    text = expression(value, ps_string, _env)
    return f"({text})" if len(merged(value)) > 1 else text


def to_powershell(
    prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext
) -> str:
    """A PowerShell script that sends the request and prints the answer."""
    view = request_view(prepared, options)
    lines: list[str] = []
    params = [f"-Method {ps_string(view.method)}", f"-Uri {_expr(view.url)}"]
    headers = [(name, _expr(value)) for name, value in view.headers]
    if view.basic is not None:
        user, password = view.basic
        pair = expression(merged((*user, ":", *password)), ps_string, _env)
        headers.insert(
            0,
            (
                "Authorization",
                f"('Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes({pair})))",
            ),
        )
    content_type = next((v for n, v in headers if n.lower() == "content-type"), None)
    headers = [(n, v) for n, v in headers if n.lower() != "content-type"]
    if headers:
        lines.append("$headers = @{")
        lines += [f"    {ps_string(name)} = {value}" for name, value in headers]
        lines.append("}")
        params.append("-Headers $headers")
    body = view.body
    if isinstance(body, TextBody):
        # A verbatim string may span lines: the text as it is, line breaks included.
        lines.append(f"$body = [Text.Encoding]::UTF8.GetBytes({_expr(body.text)})")
        params.append("-Body $body")
    elif isinstance(body, BytesBody):
        encoded = base64.b64encode(body.data).decode("ascii")
        lines.append(f"$body = [Convert]::FromBase64String('{encoded}')")
        params.append("-Body $body")
    elif isinstance(body, Multipart):
        lines.append("$form = @{")
        for name, value in body.fields:
            lines.append(f"    {ps_string(name)} = {_expr(value)}")
        for part in body.files:
            lines.append(
                f"    {ps_string(part.name)} = Get-Item -LiteralPath {ps_string(part.path)}"
            )
        lines.append("}")
        params.append("-Form $form")
    if content_type is not None:
        params.append(f"-ContentType {content_type}")
    params.append("-SkipHeaderValidation")
    lines.append("$response = Invoke-WebRequest " + " `\n    ".join(params))
    lines += ["$response.StatusCode", "$response.Content", ""]
    return "\n".join(lines)
