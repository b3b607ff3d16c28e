"""A collection as code: one shell script of curl commands, or one program per request
in any snippet language. No Qt, no I/O.

    text, warnings = export_curl_script(col, variables={"baseUrl": url})
    files, warnings = export_snippets(col, "python-httpx", variables=...)  # {path: text}

Every command is written by the snippet generator (`explorer.http.snippets`, the one curl
writer) from the request as it would be sent (`explorer.collection.formats.sending`), so
the script sends what `explorer run` sends. Secrets are read from environment variables
(`ECOSIRE_TOKEN`, ...), never written.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.collection.formats._common import Notes
from explorer.collection.formats.sending import prepare_all
from explorer.collection.model import Collection

if TYPE_CHECKING:
    from explorer.spec.model import Spec

__all__ = ["EXTENSIONS", "export_curl_script", "export_snippets"]

EXTENSIONS = {
    "curl": ".sh", "curl-windows": ".cmd", "httpie": ".sh", "wget": ".sh",
    "python-httpx": ".py", "python-httpx-async": ".py", "python-requests": ".py",
    "js-fetch": ".mjs", "node-axios": ".mjs", "ts-sdk": ".ts", "go": ".go", "java": ".java",
    "php": ".php", "ruby": ".rb", "csharp": ".cs", "powershell": ".ps1", "rust": ".rs",
}  # fmt: skip
"""The file name ending of each snippet language's programs."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def export_curl_script(
    col: Collection,
    *,
    variables: Mapping[str, str] | None = None,
    api: Spec | None = None,
    folder: Path | None = None,
) -> tuple[str, list[str]]:
    """A POSIX shell script that sends every request of `col` with curl, in order (a
    comment naming each), `{{variables}}` filled from the collection's and `variables`;
    and what could not be written."""
    from explorer.http.snippets import env_names, generate

    notes = Notes()
    blocks: list[str] = []
    envs: list[str] = []
    for one in prepare_all(col, variables or {}, api, folder, notes, credentials=True):
        command = generate("curl", one.prepared)
        envs += [n for n in env_names(command, one.prepared) if n not in envs]
        blocks.append(f"# {_one_line(one.where)}\n{command}\n")
    head = [
        "#!/bin/sh",
        f"# {_one_line(col.name)}: {len(blocks)} requests, written by explorer "
        "(explorer export DIR --format curl).",
    ]
    if envs:
        head.append("# Secrets are read from the environment: " + ", ".join(envs) + ".")
    head.append("set -e")
    return "\n".join(head) + "\n\n" + "\n".join(blocks), notes.items


def export_snippets(
    col: Collection,
    language: str,
    *,
    variables: Mapping[str, str] | None = None,
    api: Spec | None = None,
    folder: Path | None = None,
) -> tuple[dict[str, str], list[str]]:
    """One program per request of `col` in `language` (a name of
    `explorer.http.snippets.LANGUAGES`): {relative path: text}, the paths following the
    collection's folders and files; and what could not be written."""
    from explorer.collection.store import file_stem
    from explorer.http.snippets import SnippetContext, generate

    notes = Notes()
    ext = EXTENSIONS.get(language, ".txt")
    files: dict[str, str] = {}
    for one in prepare_all(col, variables or {}, api, folder, notes, credentials=True):
        saved = one.saved
        op = api.find(saved.operation) if api is not None and saved.operation else None
        text = generate(language, one.prepared, context=SnippetContext(api, op))
        stem = saved.file or file_stem(saved.name)
        path = "/".join((*one.directories, stem + ext))
        n = 2
        while path in files:
            path = "/".join((*one.directories, f"{stem}-{n}{ext}"))
            n += 1
        files[path] = text if text.endswith("\n") else text + "\n"
    return files, notes.items
