"""C# snippets: HttpClient, as top-level statements (C# 9+, .NET 6+).

Headers go on the request without validation (`TryAddWithoutValidation`) and Content-*
headers on the content, as HttpClient wants them. The body is the exact bytes
(`ByteArrayContent`): a StringContent would add its own `text/plain; charset=utf-8`.
Multipart text fields lose the Content-Type StringContent gives them, so every part is
sent as the explorer sends it.
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
    c_string,
    expression,
    merged,
    multiline,
    request_view,
)

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = ["csharp_string", "to_csharp"]

_CONTENT_HEADERS = {
    "content-type",
    "content-language",
    "content-encoding",
    "content-disposition",
    "content-location",
    "content-md5",
    "content-range",
    "expires",
    "last-modified",
    "allow",
}


def csharp_string(text: str) -> str:
    """A C# regular string literal."""
    return c_string(text, control=lambda cp: f"\\u{cp:04x}")


def _env(name: str) -> str:
    return f'Environment.GetEnvironmentVariable("{name}")'


def _expr(value: Value) -> str:
    return expression(value, csharp_string, _env)


def to_csharp(prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext) -> str:
    """A C# program (top-level statements) that sends the request and prints the answer."""
    view = request_view(prepared, options)
    lines = ["using System.Net.Http.Headers;", "using System.Text;", ""]
    lines.append("using var client = new HttpClient();")
    lines.append(
        f"using var request = new HttpRequestMessage(new HttpMethod({csharp_string(view.method)}), "
        f"{_expr(view.url)});"
    )
    body = view.body
    if isinstance(body, TextBody):
        text = multiline(body.text, csharp_string, _env, indent="    ")
        lines.append(f"request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes({text}));")
    elif isinstance(body, BytesBody):
        encoded = base64.b64encode(body.data).decode("ascii")
        lines.append(
            f'request.Content = new ByteArrayContent(Convert.FromBase64String("{encoded}"));'
        )
    elif isinstance(body, Multipart):
        lines.append("var form = new MultipartFormDataContent();")
        for i, (name, value) in enumerate(body.fields):
            lines += [
                f"var field{i} = new StringContent({_expr(value)}, Encoding.UTF8);",
                f"field{i}.Headers.ContentType = null;",
                f"form.Add(field{i}, {csharp_string(name)});",
            ]
        for i, part in enumerate(body.files):
            lines += [
                f"var file{i} = new ByteArrayContent("
                f"File.ReadAllBytes({csharp_string(part.path)}));",
                f"file{i}.Headers.ContentType = MediaTypeHeaderValue.Parse("
                f"{csharp_string(part.content_type)});",
                f"form.Add(file{i}, {csharp_string(part.name)}, {csharp_string(part.filename)});",
            ]
        lines.append("request.Content = form;")
    if view.basic is not None:
        user, password = view.basic
        pair = expression(merged((*user, ":", *password)), csharp_string, _env)
        lines.append(
            'request.Headers.Authorization = new AuthenticationHeaderValue("Basic", '
            f"Convert.ToBase64String(Encoding.UTF8.GetBytes({pair})));"
        )
    for name, value in view.headers:
        target = "request.Headers"
        if name.lower() in _CONTENT_HEADERS and isinstance(body, TextBody | BytesBody):
            target = "request.Content.Headers"
        lines.append(f"{target}.TryAddWithoutValidation({csharp_string(name)}, {_expr(value)});")
    lines += [
        "",
        "using var response = await client.SendAsync(request);",
        "Console.WriteLine((int)response.StatusCode);",
        "Console.WriteLine(await response.Content.ReadAsStringAsync());",
        "",
    ]
    return "\n".join(lines)
