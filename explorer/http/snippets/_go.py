"""Go snippets: net/http and nothing outside the standard library.

Header names are set as written (`req.Header[name]`, not `Set`, which would rewrite their
case). A multipart body is written by mime/multipart with each part's own headers, so a
file goes with the content type the explorer sends (CreateFormFile would always say
application/octet-stream).
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
    multiline,
    request_view,
)
from explorer.http.snippets._shell import form_quote

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = ["go_string", "to_go"]


def go_string(text: str) -> str:
    """A Go interpreted string literal (a Go string is bytes: `\\x` is one byte, so a
    character past ASCII is written as itself or as `\\u`)."""
    return c_string(text, control=lambda cp: f"\\x{cp:02x}" if cp < 0x80 else f"\\u{cp:04x}")


def _bytes_literal(data: bytes) -> str:
    return byte_string(data, '"\\')


def _raw_string(value: Value) -> str:
    """A Go raw string literal (backquotes, any number of lines) for text that one can
    hold exactly (no backquote, no carriage return, no other control character), else ""."""
    if len(value) != 1 or not isinstance(value[0], str):
        return ""
    text = value[0]
    if "`" in text or any((ord(c) < 0x20 and c not in "\n\t") or ord(c) == 0x7F for c in text):
        return ""
    return f"`{text}`"


def _env(name: str) -> str:
    return f'os.Getenv("{name}")'


def _expr(value: Value) -> str:
    return expression(value, go_string, _env)


def to_go(prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext) -> str:
    """A Go program (`go run main.go`) that sends the request and prints the answer."""
    view = request_view(prepared, options)
    imports = {"fmt", "io", "net/http"}
    if view.envs:
        imports.add("os")
    lines: list[str] = []
    body_arg = "nil"
    body = view.body
    content_type = ""
    if isinstance(body, TextBody):
        imports.add("strings")
        text = _raw_string(body.text) or multiline(body.text, go_string, _env, indent="\t\t")
        lines.append(f"\tbody := strings.NewReader({text})")
        body_arg = "body"
    elif isinstance(body, BytesBody):
        imports.add("strings")
        lines.append(f"\tbody := strings.NewReader({_bytes_literal(body.data)})")
        body_arg = "body"
    elif isinstance(body, Multipart):
        imports |= {"bytes", "mime/multipart", "net/textproto"}
        if body.files:
            imports.add("os")
        lines += ["\tbody := &bytes.Buffer{}", "\tform := multipart.NewWriter(body)"]
        for name, value in body.fields:
            lines.append(f"\tform.WriteField({go_string(name)}, {_expr(value)})")
        for i, part in enumerate(body.files):
            disposition = (
                f'form-data; name="{form_quote(part.name)}"; filename="{form_quote(part.filename)}"'
            )
            lines += [
                f"\tpart{i}, _ := form.CreatePart(textproto.MIMEHeader{{",
                f'\t\t"Content-Disposition": {{{go_string(disposition)}}},',
                f'\t\t"Content-Type":        {{{go_string(part.content_type)}}},',
                "\t})",
                f"\tfile{i}, err := os.ReadFile({go_string(part.path)})",
                "\tif err != nil {",
                "\t\tpanic(err)",
                "\t}",
                f"\tpart{i}.Write(file{i})",
            ]
        lines.append("\tform.Close()")
        body_arg = "body"
        content_type = "form.FormDataContentType()"
    lines += [
        f"\treq, err := http.NewRequest({go_string(view.method)}, {_expr(view.url)}, {body_arg})",
        "\tif err != nil {",
        "\t\tpanic(err)",
        "\t}",
    ]
    if view.basic is not None:
        user, password = view.basic
        lines.append(f"\treq.SetBasicAuth({_expr(user)}, {_expr(password)})")
    for name, value in view.headers:
        lines.append(f"\treq.Header[{go_string(name)}] = []string{{{_expr(value)}}}")
    if content_type:
        lines.append(f'\treq.Header.Set("Content-Type", {content_type})')
    lines += [
        "\tres, err := http.DefaultClient.Do(req)",
        "\tif err != nil {",
        "\t\tpanic(err)",
        "\t}",
        "\tdefer res.Body.Close()",
        "\tanswer, _ := io.ReadAll(res.Body)",
        "\tfmt.Println(res.Status)",
        "\tfmt.Println(string(answer))",
    ]
    header = ["package main", "", "import ("]
    header += [f'\t"{name}"' for name in sorted(imports)]
    header += [")", "", "func main() {"]
    return "\n".join([*header, *lines, "}", ""])
