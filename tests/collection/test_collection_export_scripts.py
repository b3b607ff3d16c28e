"""Exports of what is sent: a shell script of curl commands that the real sh and curl run
against `explorer mock` (secrets from the environment, never written), a HAR file, and one
program per request in any snippet language; each read back (curl, HAR) sends the same."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from collection_export_mock import demo_mock

from explorer import spec
from explorer.collection.formats import (
    export_curl_script,
    export_har,
    import_bytes,
)
from explorer.collection.formats.sending import prepare
from explorer.collection.model import Body, Check, Collection, Folder, FormField, SavedRequest
from explorer.collection.store import load_collection, write_collection
from explorer.demo import demo_spec_path
from explorer.http.model import PreparedRequest
from explorer.store.environments import EnvironmentStore

CREATE = SavedRequest(
    "Create a contact",
    "POST",
    "{{baseUrl}}/contacts",
    operation="POST /contacts",
    body=Body("application/json", '{"type": "person", "name": "Ada O\'Brien $HOME `x`"}'),
    checks=(Check("status", value=201),),
)
LIST = SavedRequest(
    "List contacts",
    "GET",
    "{{baseUrl}}/contacts",
    operation="GET /contacts",
    query=(("limit", "5"), ("q", "O'Brien & co")),
)
ONE = SavedRequest(
    "Get a contact",
    "GET",
    "{{baseUrl}}/contacts/{contactId}",
    operation="GET /contacts/{contactId}",
    path=(("contactId", "con/1 é"),),
    headers=(("X-Trace", 'a"b'),),
    cookies=(("theme", "dark; blue"),),
)
FORM = SavedRequest(
    "Send a form",
    "POST",
    "{{baseUrl}}/echo",
    auth="none",
    body=Body("application/x-www-form-urlencoded", fields=(FormField("a", "1 & 2"),)),
)


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    with demo_mock() as url:
        yield url


def _collection(root: Path, base_url: str) -> Path:
    col = Collection(
        "Demo",
        spec=str(demo_spec_path()),
        variables={"baseUrl": base_url},
        root=Folder("", [Folder("Contacts", [CREATE, LIST, ONE]), FORM]),
    )
    write_collection(root, col)
    return root


def explorer(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def _wire(p: PreparedRequest, *, cookies: bool = True) -> tuple[Any, ...]:
    headers = sorted((k.lower(), v) for k, v in p.headers if cookies or k.lower() != "cookie")
    return (p.method, p.url, headers, p.content, p.form)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_curl_script_runs_in_sh_against_the_demo(tmp_path: Path, demo_url: str) -> None:
    root = _collection(tmp_path / "col", demo_url)
    script = tmp_path / "requests.sh"
    done = explorer("export", str(root), "--format", "curl", "-o", str(script))
    assert done.returncode == 0, done.stderr
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh\n# Demo: 4 requests")
    assert "# Secrets are read from the environment: ECOSIRE_TOKEN." in text
    assert '"${ECOSIRE_TOKEN}"' in text
    assert os.access(script, os.X_OK)
    token = httpx.post(
        demo_url + "/auth/login",
        json={"email": "demo@ecosire.com", "password": "demo-password"},
        timeout=30,
    ).json()["token"]
    assert token not in text
    ran = subprocess.run(
        ["sh", str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ECOSIRE_TOKEN": token},
    )
    assert ran.returncode == 0, ran.stderr
    assert "Ada O'Brien $HOME `x`" in ran.stdout  # the created contact, quoted right
    assert '"data"' in ran.stdout  # the list
    assert "Unauthorized" not in ran.stdout


def test_the_curl_script_read_back_sends_the_same(tmp_path: Path) -> None:
    root = _collection(tmp_path / "col", "http://127.0.0.1:9/api")
    col, _problems = load_collection(root)
    api = spec.load(demo_spec_path())
    text, warnings = export_curl_script(col, api=api, folder=root)
    assert warnings == []
    back = import_bytes(text.encode()).collection
    names = [r.name for _f, r in back.root.requests()]
    assert names == [
        "Contacts / Create a contact",
        "Contacts / List contacts",
        "Contacts / Get a contact",
        "Send a form",
    ]
    for (_f, original), (_g, read) in zip(col.root.requests(), back.root.requests(), strict=True):
        want = prepare(original, col.variables, api, root)
        got = prepare(read, {})
        assert _wire(got) == _wire(want), original.name


def test_the_har_export_read_back_sends_the_same(tmp_path: Path) -> None:
    root = _collection(tmp_path / "col", "http://127.0.0.1:9/api")
    col, _problems = load_collection(root)
    api = spec.load(demo_spec_path())
    har, warnings = export_har(col, api=api, folder=root)
    assert warnings == [
        "Contacts / Create a contact: its credentials are not written into a HAR",
        "Contacts / List contacts: its credentials are not written into a HAR",
        "Contacts / Get a contact: its credentials are not written into a HAR",
    ]
    assert har["log"]["version"] == "1.2"
    entry = har["log"]["entries"][1]["request"]
    assert entry["queryString"] == [
        {"name": "limit", "value": "5"},
        {"name": "q", "value": "O'Brien & co"},
    ]
    imported = import_bytes(json.dumps(har).encode())
    assert imported.format == "har"
    # a HAR's cookies are taken for a session when it is imported: left out, and said
    assert imported.warnings == [
        "GET /api/contacts/con%2F1%20%C3%A9: its cookies were left out (a capture's cookies "
        "are a session)"
    ]
    back = imported.collection
    for (_f, original), (_g, read) in zip(col.root.requests(), back.root.requests(), strict=True):
        want = prepare(original, col.variables, api, root)
        got = prepare(read, back.variables)
        assert _wire(got) == _wire(want, cookies=False), original.name


def test_har_from_the_command_line_with_an_environment(tmp_path: Path) -> None:
    config = tmp_path / "config"
    store = EnvironmentStore(config / "environments.json")
    api = spec.load(demo_spec_path())
    env = store.for_api(api.title).add("ci")
    env.variables["baseUrl"] = "http://ci.invalid:1234/api"
    store.save()
    col = Collection("Demo", spec=str(demo_spec_path()), root=Folder("", [LIST]))
    write_collection(tmp_path / "col", col)
    out = tmp_path / "demo.har"
    done = explorer(
        "export",
        str(tmp_path / "col"),
        "--format",
        "har",
        "--env",
        "ci",
        "-o",
        str(out),
        EXPLORER_CONFIG_DIR=str(config),
    )
    assert done.returncode == 0, done.stderr
    (entry,) = json.loads(out.read_text())["log"]["entries"]
    assert (
        entry["request"]["url"]
        == "http://ci.invalid:1234/api/contacts?limit=5&q=O%27Brien%20%26%20co"
    )
    wrong = explorer(
        "export",
        str(tmp_path / "col"),
        "--format",
        "har",
        "--env",
        "nope",
        EXPLORER_CONFIG_DIR=str(config),
    )
    assert wrong.returncode == 2
    known = "development, staging, production, ci"
    assert f"no environment 'nope' for ECOSIRE API (its environments: {known})" in wrong.stderr


def test_one_program_per_request_in_a_snippet_language(tmp_path: Path, demo_url: str) -> None:
    root = _collection(tmp_path / "col", demo_url)
    out = tmp_path / "python"
    done = explorer("export", str(root), "--format", "python-httpx", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Wrote 4 files into {out}"
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [
        "Contacts/create-a-contact.py",
        "Contacts/get-a-contact.py",
        "Contacts/list-contacts.py",
        "send-a-form.py",
    ]
    token = httpx.post(
        demo_url + "/auth/login",
        json={"email": "demo@ecosire.com", "password": "demo-password"},
        timeout=30,
    ).json()["token"]
    ran = subprocess.run(
        [sys.executable, str(out / "Contacts" / "create-a-contact.py")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ECOSIRE_TOKEN": token},
    )
    assert ran.returncode == 0, ran.stderr
    assert "Ada O'Brien" in ran.stdout
    again = explorer("export", str(root), "--format", "python-httpx", "-o", str(out))
    assert again.returncode == 2 and "is not empty" in again.stderr


def test_bad_export_requests_say_why() -> None:
    done = explorer("export", "/nonexistent/col", "--format", "postman")
    assert done.returncode == 2 and "not a folder" in done.stderr
    done = explorer("export", ".", "--format", "yaml")
    assert done.returncode == 2 and "no format 'yaml'" in done.stderr
    done = explorer("export", ".", "--format", "go")
    assert done.returncode == 2 and "give -o DIR" in done.stderr
