"""PHP snippets: the curl extension (php-curl), one script.

Strings are double-quoted with `\\$` and escapes, so the exact bytes (a binary body too)
are in the source. libcurl's own form Content-Type is removed (`Content-Type:`) when the
request has a body but no Content-Type, and an empty header is written `Name;` (libcurl
would drop `Name:`). Files are CURLFile objects with the explorer's content type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.http.snippets._common import (
    BytesBody,
    Multipart,
    SnippetContext,
    SnippetOptions,
    TextBody,
    Value,
    byte_string,
    c_string,
    expression,
    merged,
    multiline,
    plain,
    request_view,
)

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = ["php_string", "to_php"]


def php_string(text: str) -> str:
    """A PHP double-quoted string literal (bytes: a control character past ASCII is
    written `\\u{...}`, which PHP encodes as UTF-8)."""
    return c_string(
        text,
        extra={"$": "\\$"},
        control=lambda cp: f"\\x{cp:02x}" if cp < 0x80 else f"\\u{{{cp:x}}}",
    )


def _bytes_literal(data: bytes) -> str:
    return byte_string(data, '"\\$')


def _env(name: str) -> str:
    return f'getenv("{name}")'


def _expr(value: Value) -> str:
    return expression(value, php_string, _env, " . ")


def to_php(prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext) -> str:
    """A PHP script (`php snippet.php`) that sends the request and prints the answer."""
    view = request_view(prepared, options)
    lines = ["<?php", ""]
    headers: list[str] = []
    for name, value in view.headers:
        if plain(value) == "":
            headers.append(php_string(f"{name};"))
        else:
            headers.append(_expr(merged((f"{name}: ", *value))))
    body = view.body
    if isinstance(body, TextBody | BytesBody) and view.header("content-type") is None:
        headers.append(php_string("Content-Type:"))
    opts = [f"    CURLOPT_URL => {_expr(view.url)},"]
    if view.method == "HEAD":
        opts.append("    CURLOPT_NOBODY => true,")
    else:
        opts.append(f"    CURLOPT_CUSTOMREQUEST => {php_string(view.method)},")
    if headers:
        opts.append("    CURLOPT_HTTPHEADER => [")
        opts += [f"        {h}," for h in headers]
        opts.append("    ],")
    if view.basic is not None:
        user, password = view.basic
        opts.append("    CURLOPT_HTTPAUTH => CURLAUTH_BASIC,")
        opts.append(f"    CURLOPT_USERPWD => {_expr(merged((*user, ':', *password)))},")
    if isinstance(body, TextBody):
        text = multiline(body.text, php_string, _env, join=" . ", indent="    ")
        lines.append(f"$body = {text};")
        opts.append("    CURLOPT_POSTFIELDS => $body,")
    elif isinstance(body, BytesBody):
        lines.append(f"$body = {_bytes_literal(body.data)};")
        opts.append("    CURLOPT_POSTFIELDS => $body,")
    elif isinstance(body, Multipart):
        lines.append("$form = [")
        for name, value in body.fields:
            lines.append(f"    {php_string(name)} => {_expr(value)},")
        for part in body.files:
            lines.append(
                f"    {php_string(part.name)} => new CURLFile({php_string(part.path)}, "
                f"{php_string(part.content_type)}, {php_string(part.filename)}),"
            )
        lines.append("];")
        opts.append("    CURLOPT_POSTFIELDS => $form,")
    opts.append("    CURLOPT_RETURNTRANSFER => true,")
    lines += [
        "$ch = curl_init();",
        "curl_setopt_array($ch, [",
        *opts,
        "]);",
        "$response = curl_exec($ch);",
        "if ($response === false) {",
        '    fwrite(STDERR, curl_error($ch) . "\\n");',
        "    exit(1);",
        "}",
        'echo curl_getinfo($ch, CURLINFO_RESPONSE_CODE), "\\n", $response, "\\n";',
        "curl_close($ch);",
        "",
    ]
    return "\n".join(lines)
