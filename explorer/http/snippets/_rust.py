"""Rust snippets: reqwest's blocking client (`reqwest = { version = "0.12", features =
["blocking", "multipart"] }`).

Header values go through `HeaderValue::from_bytes`, so values past ASCII are sent as their
UTF-8 bytes; a binary body is a byte string literal.
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
    is_plain,
    merged,
    plain,
    request_view,
    value_lines,
)

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = ["rust_string", "to_rust"]


def rust_string(text: str) -> str:
    """A Rust string literal."""
    return c_string(text, control=lambda cp: f"\\u{{{cp:x}}}")


def _bytes_literal(data: bytes) -> str:
    return "b" + byte_string(data, '"\\')


def _expr(value: Value) -> str:
    """A `&str` expression: a literal, or `&format!(...)` with the variables."""
    value = merged(value)
    if is_plain(value):
        return rust_string("".join(p for p in value if isinstance(p, str)))
    if len(value) == 1 and not isinstance(value[0], str):
        return f'&env::var("{value[0].name}")?'
    template = "".join(
        p.replace("{", "{{").replace("}", "}}") if isinstance(p, str) else "{}" for p in value
    )
    args = ", ".join(f'env::var("{p.name}")?' for p in value if not isinstance(p, str))
    return f"&format!({rust_string(template)}, {args})"


def to_rust(prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext) -> str:
    """A Rust program (reqwest, blocking) that sends the request and prints the answer."""
    view = request_view(prepared, options)
    uses = ["use reqwest::header::HeaderValue;"]
    if view.envs:
        uses.insert(0, "use std::env;")
    lines = [
        "    let client = reqwest::blocking::Client::new();",
        "    let request = client",
        f"        .request(reqwest::Method::from_bytes({_bytes_literal(view.method.encode())})?, "
        f"{_expr(view.url)})",
    ]
    if view.basic is not None:
        user, password = view.basic
        lines.append(f"        .basic_auth({_expr(user)}, Some({_expr(password)}))")
    for name, value in view.headers:
        lines.append(
            f"        .header({rust_string(name)}, "
            f"HeaderValue::from_bytes({_expr(value)}.as_bytes())?)"
        )
    body = view.body
    if isinstance(body, TextBody):
        if is_plain(body.text):
            parts = [rust_string(plain(line)) for line in value_lines(body.text)]
            if len(parts) > 1:
                inner = "".join(f"\n            {part}," for part in parts)
                lines.append(f"        .body(concat!({inner}\n        ))")
            else:
                lines.append(f"        .body({parts[0] if parts else rust_string('')})")
        else:
            lines.append(f"        .body({_expr(body.text)}.to_string())")
    elif isinstance(body, BytesBody):
        lines.append(f"        .body({_bytes_literal(body.data)}.to_vec())")
    elif isinstance(body, Multipart):
        form = ["        .multipart(", "            reqwest::blocking::multipart::Form::new()"]
        for name, value in body.fields:
            form.append(f"                .text({rust_string(name)}, {_expr(value)}.to_string())")
        for part in body.files:
            form.append(
                f"                .part({rust_string(part.name)}, "
                f"reqwest::blocking::multipart::Part::file({rust_string(part.path)})?"
                f".file_name({rust_string(part.filename)})"
                f".mime_str({rust_string(part.content_type)})?)"
            )
        lines += [*form, "        )"]
    lines[-1] += ";"
    lines += [
        "    let response = request.send()?;",
        '    println!("{}", response.status());',
        '    println!("{}", response.text()?);',
        "    Ok(())",
    ]
    return "\n".join(
        [
            *uses,
            "",
            "fn main() -> Result<(), Box<dyn std::error::Error>> {",
            *lines,
            "}",
            "",
        ]
    )
