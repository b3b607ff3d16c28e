"""Ruby snippets: Net::HTTP from the standard library.

A generic request (`Net::HTTPGenericRequest`) carries any method with or without a body.
Net::HTTP would add a form Content-Type to a body that has none: the snippet switches
that off for its request. Strings are double-quoted with `#`, `\\` and `"` escaped; a
binary body is a string of \\x escapes marked binary (`.b`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.http.snippets._common import (
    BytesBody,
    Multipart,
    NoBody,
    SnippetContext,
    SnippetOptions,
    TextBody,
    Value,
    byte_string,
    c_string,
    expression,
    multiline,
    request_view,
)

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = ["ruby_string", "to_ruby"]


def ruby_string(text: str) -> str:
    """A Ruby double-quoted string literal."""
    return c_string(text, extra={"#": "\\#"}, control=lambda cp: f"\\u{{{cp:x}}}")


def _bytes_literal(data: bytes) -> str:
    return byte_string(data, '"\\#', upper=True) + ".b"


def _env(name: str) -> str:
    return f'ENV.fetch("{name}")'


def _expr(value: Value) -> str:
    return expression(value, ruby_string, _env)


def to_ruby(prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext) -> str:
    """A Ruby script (`ruby snippet.rb`) that sends the request and prints the answer."""
    view = request_view(prepared, options)
    body = view.body
    has_body = not isinstance(body, NoBody)
    lines = ['require "net/http"', 'require "uri"', ""]
    lines.append(f"uri = URI({_expr(view.url)})")
    lines.append(
        f"request = Net::HTTPGenericRequest.new({ruby_string(view.method)}, "
        f"{'true' if has_body else 'false'}, {'false' if view.method == 'HEAD' else 'true'}, "
        "uri.request_uri)"
    )
    if view.basic is not None:
        user, password = view.basic
        lines.append(f"request.basic_auth({_expr(user)}, {_expr(password)})")
    for name, value in view.headers:
        lines.append(f"request[{ruby_string(name)}] = {_expr(value)}")
    if isinstance(body, TextBody):
        text = multiline(body.text, ruby_string, _env, join=" + ", indent="  ")
        text = text.replace(" +\n", " \\\n") if "ENV.fetch" not in text else text
        lines.append(f"request.body = {text}")
    elif isinstance(body, BytesBody):
        lines.append(f"request.body = {_bytes_literal(body.data)}")
    elif isinstance(body, Multipart):
        lines.append("request.set_form([")
        for name, value in body.fields:
            lines.append(f"  [{ruby_string(name)}, {_expr(value)}],")
        for part in body.files:
            lines.append(
                f'  [{ruby_string(part.name)}, File.open({ruby_string(part.path)}, "rb"), '
                f"{{ filename: {ruby_string(part.filename)}, "
                f"content_type: {ruby_string(part.content_type)} }}],"
            )
        lines.append('], "multipart/form-data")')
    if isinstance(body, TextBody | BytesBody) and view.header("content-type") is None:
        lines.append("# No Content-Type: keep Net::HTTP from adding a form one.")
        lines.append("request.define_singleton_method(:supply_default_content_type) {}")
    lines += [
        "",
        'response = Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == "https") do |http|',
        "  http.request(request)",
        "end",
        "puts response.code",
        "puts response.body",
        "",
    ]
    return "\n".join(lines)
