"""Java snippets: java.net.http.HttpClient (Java 11+), one file `Main.java` that
`java Main.java` runs.

HTTP/1.1 is asked for (the client would otherwise try an h2c upgrade on plain http).
Text outside ASCII is written as \\u escapes and control characters as octal escapes,
so the file reads the same whatever encoding javac assumes. The client writes header
values as US-ASCII (a character past it becomes `?`): the snippet says so above a header
that has one; nothing in java.net.http can send it.
A multipart body is written out by the program (the JDK has no multipart writer); a long
text is joined at run time from pieces (a class constant holds at most 65,535 bytes).
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
    value_lines,
)
from explorer.http.snippets._shell import form_quote

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = ["java_string", "to_java"]

_PIECE = 8000  # characters of one literal in a long text (each at most 3 bytes in the class file)


def _unicode_escape(cp: int) -> str:
    if cp > 0xFFFF:
        cp -= 0x10000
        return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"
    return f"\\u{cp:04x}"


def java_string(text: str) -> str:
    """A Java string literal; long text becomes `String.join("", ...)` of pieces."""
    if len(text) > _PIECE:
        pieces = [text[i : i + _PIECE] for i in range(0, len(text), _PIECE)]
        return 'String.join("", ' + ", ".join(java_string(p) for p in pieces) + ")"
    return c_string(
        text,
        control=lambda cp: f"\\{cp:03o}" if cp < 0x100 else _unicode_escape(cp),
        non_ascii=_unicode_escape,
    )


def _env(name: str) -> str:
    return f'System.getenv("{name}")'


def _expr(value: Value) -> str:
    return expression(value, java_string, _env)


def to_java(prepared: PreparedRequest, options: SnippetOptions, context: SnippetContext) -> str:
    """A Java program (`java Main.java`) that sends the request and prints the answer."""
    view = request_view(prepared, options)
    imports = {
        "java.net.URI",
        "java.net.http.HttpClient",
        "java.net.http.HttpRequest",
        "java.net.http.HttpResponse",
    }
    helpers: list[str] = []
    notes: list[str] = []
    lines: list[str] = []
    publisher = "HttpRequest.BodyPublishers.noBody()"
    body = view.body
    multipart_type = ""
    if isinstance(body, TextBody):
        imports.add("java.nio.charset.StandardCharsets")
        if sum(len(p) for p in body.text if isinstance(p, str)) > _PIECE:
            # Joined at run time: javac would fold `+` of literals into one constant.
            pieces = [expression(line, java_string, _env) for line in value_lines(body.text)]
            text = 'String.join("",\n            ' + ",\n            ".join(pieces) + ")"
        else:
            text = multiline(body.text, java_string, _env, indent="            ")
        lines.append(f"        String body = {text};")
        publisher = "HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)"
    elif isinstance(body, BytesBody):
        imports.add("java.util.Base64")
        encoded = base64.b64encode(body.data).decode("ascii")
        lines.append(f"        byte[] body = Base64.getDecoder().decode({java_string(encoded)});")
        publisher = "HttpRequest.BodyPublishers.ofByteArray(body)"
    elif isinstance(body, Multipart):
        imports |= {
            "java.io.ByteArrayOutputStream",
            "java.nio.charset.StandardCharsets",
            "java.nio.file.Files",
            "java.nio.file.Path",
            "java.util.UUID",
        }
        lines += [
            '        String boundary = "----JavaFormBoundary" + UUID.randomUUID();',
            "        ByteArrayOutputStream form = new ByteArrayOutputStream();",
        ]
        for name, value in body.fields:
            head = f'Content-Disposition: form-data; name="{form_quote(name)}"\r\n\r\n'
            lines.append(
                f"        part(form, boundary, {java_string(head)}, "
                f"{_expr(value)}.getBytes(StandardCharsets.UTF_8));"
            )
        for part in body.files:
            head = (
                f'Content-Disposition: form-data; name="{form_quote(part.name)}"; '
                f'filename="{form_quote(part.filename)}"\r\n'
                f"Content-Type: {part.content_type}\r\n\r\n"
            )
            lines.append(
                f"        part(form, boundary, {java_string(head)}, "
                f"Files.readAllBytes(Path.of({java_string(part.path)})));"
            )
        lines.append(
            '        form.write(("--" + boundary + "--\\r\\n").getBytes(StandardCharsets.UTF_8));'
        )
        publisher = "HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())"
        multipart_type = '"multipart/form-data; boundary=" + boundary'
        helpers += [
            "",
            "    static void part(ByteArrayOutputStream form, String boundary, String head, "
            "byte[] content) throws Exception {",
            '        form.write(("--" + boundary + "\\r\\n" + head)'
            ".getBytes(StandardCharsets.UTF_8));",
            "        form.write(content);",
            '        form.write("\\r\\n".getBytes(StandardCharsets.UTF_8));',
            "    }",
        ]
    builder = [
        f"        HttpRequest request = HttpRequest.newBuilder(URI.create({_expr(view.url)}))",
        f"            .method({java_string(view.method)}, {publisher})",
    ]
    if view.basic is not None:
        imports |= {"java.util.Base64", "java.nio.charset.StandardCharsets"}
        user, password = view.basic
        pair = expression(merged((*user, ":", *password)), java_string, _env)
        builder.append(
            '            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString('
            f"({pair}).getBytes(StandardCharsets.UTF_8)))"
        )
    for name, value in view.headers:
        if not all(p.isascii() for p in value if isinstance(p, str)):
            notes.append(
                f"        // HttpClient writes header values as ASCII: {name} has characters past"
                " ASCII and arrives with ? in their place."
            )
        builder.append(f"            .header({java_string(name)}, {_expr(value)})")
    if multipart_type:
        builder.append(f'            .header("Content-Type", {multipart_type})')
    builder.append("            .build();")
    source = [f"import {name};" for name in sorted(imports)]
    source += [
        "",
        "public class Main {",
        "    public static void main(String[] args) throws Exception {",
        "        HttpClient client = HttpClient.newBuilder()",
        "            .version(HttpClient.Version.HTTP_1_1)",
        "            .build();",
        *lines,
        *notes,
        *builder,
        "        HttpResponse<String> response = client.send(request, "
        "HttpResponse.BodyHandlers.ofString());",
        "        System.out.println(response.statusCode());",
        "        System.out.println(response.body());",
        "    }",
        *helpers,
        "}",
        "",
    ]
    return "\n".join(source)
