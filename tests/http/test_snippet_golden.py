"""Snippets whose runtime does not install here (C#, PowerShell, Rust, curl for cmd.exe)
are compared with stored texts that a person has read (tests/http/golden/). After a
deliberate change: `UPDATE_GOLDEN=1 pytest tests/http/test_snippet_golden.py`, then read
the diff before committing it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.http import (
    AuthInput,
    BodyInput,
    FormField,
    ParamValue,
    PreparedRequest,
    RequestInput,
    build_request,
)
from explorer.http.snippets import SNIPPETS, SnippetOptions, generate

GOLDEN = Path(__file__).with_name("golden")
BASE = "https://api.ecosire.com/api"
GOLDEN_ONLY = [s.name for s in SNIPPETS if s.proof == "golden"]
SECRET = "sk_live_s3cr3t"
BASIC = AuthInput(
    "basic", username="demo@ecosire.com", password="pa'ss", env_name="ECOSIRE_PASSWORD"
)


def cases() -> dict[str, tuple[PreparedRequest, SnippetOptions]]:
    bearer = AuthInput("bearer", token=SECRET, env_name="ECOSIRE_API_KEY")
    env = SnippetOptions()
    return {
        "json": (
            build_request(
                RequestInput(
                    "PUT", BASE, "/contacts/{id}",
                    params=(ParamValue("id", "path", "con_1"), ParamValue("q", "query", "a b"),
                            ParamValue("X-Note", "header", "it's \"quoted\" $x %PATH% é")),
                    body=BodyInput("application/json", '{\n  "name": "Zoë \\"Z\\"",\n  "n": 1\n}'),
                    auth=bearer,
                )
            ),
            env,
        ),
        "one-line": (
            build_request(
                RequestInput("POST", BASE, "/crm/capture",
                             body=BodyInput("application/json", '{"name": "A & B", "x": "50%"}'))
            ),
            env,
        ),
        "multipart": (
            build_request(
                RequestInput(
                    "POST", BASE, "/documents",
                    body=BodyInput("multipart/form-data", fields=(
                        FormField("title", "Q3 report"),
                        FormField("file", file_path="/data/report v2.csv", content_type="text/csv"),
                    )),
                    auth=bearer,
                )
            ),
            env,
        ),
        "binary": (
            PreparedRequest("POST", BASE + "/blobs", (("Content-Type", "image/png"),),
                            content=bytes(range(0, 256, 15))),
            env,
        ),
        "basic-inline": (
            build_request(
                RequestInput("GET", BASE, "/me", auth=BASIC)
            ),
            SnippetOptions(secrets="inline"),
        ),
        "basic-env": (
            build_request(
                RequestInput("GET", BASE, "/me", auth=BASIC)
            ),
            env,
        ),
    }  # fmt: skip


@pytest.mark.parametrize("case", sorted(cases()))
@pytest.mark.parametrize("language", GOLDEN_ONLY)
def test_matches_the_stored_text(language: str, case: str) -> None:
    prepared, options = cases()[case]
    text = generate(language, prepared, options)
    if options.secrets == "env":
        assert SECRET not in text and "pa'ss" not in text
    path = GOLDEN / f"{language}.{case}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no {path}: run with UPDATE_GOLDEN=1 and read it"
    assert text == path.read_text(encoding="utf-8")


def test_the_golden_only_languages_are_those_without_a_runtime_here() -> None:
    assert sorted(GOLDEN_ONLY) == ["csharp", "curl-windows", "powershell", "rust"]
