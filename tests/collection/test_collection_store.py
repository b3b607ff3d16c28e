"""The collection store: files a person reads in a diff, one bad file reported with its
path and line while the rest loads, writes that never mix with what is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.collection.model import Body, Check, Collection, Folder, SavedRequest
from explorer.collection.store import (
    dump_yaml,
    file_stem,
    load_collection,
    save_request,
    write_collection,
)
from explorer.errors import StoreError

LOGIN = SavedRequest(
    "Log in",
    "POST",
    "{{baseUrl}}/auth/login",
    operation="POST /auth/login",
    body=Body("application/json", '{\n  "email": "{{email}}",\n  "password": "{{password}}"\n}\n'),
    auth="none",
    checks=(Check("status", value=200), Check("json", "/token", "exists", True)),
)
CONTACT = SavedRequest(
    "Get a contact",
    "GET",
    "{{baseUrl}}/contacts/{contactId}",
    operation="GET /contacts/{contactId}",
    path=(("contactId", "c_1"),),
    query=(("expand", ["owner", "tags"]),),
    headers=(("X-Trace", "é ✓"),),
)


def _collection() -> Collection:
    return Collection(
        "ECOSIRE",
        spec="../openapi.json",
        environment="development",
        variables={"email": "dev@example.com"},
        root=Folder("", [Folder("Contacts", [CONTACT]), LOGIN]),
    )


def test_written_then_loaded_is_the_same_collection(tmp_path: Path) -> None:
    written = write_collection(tmp_path / "col", _collection())
    loaded, problems = load_collection(tmp_path / "col")
    assert problems == []
    assert loaded == written
    assert [r.name for _p, r in loaded.root.requests()] == ["Get a contact", "Log in"]
    assert (tmp_path / "col" / "Contacts" / "get-a-contact.yaml").is_file()


def test_a_request_file_reads_like_a_person_wrote_it(tmp_path: Path) -> None:
    write_collection(tmp_path / "col", _collection())
    text = (tmp_path / "col" / "log-in.yaml").read_text()
    assert text.splitlines()[:4] == [
        "name: Log in",
        "operation: POST /auth/login",
        "method: POST",
        "url: '{{baseUrl}}/auth/login'",
    ]
    assert '  text: |\n    {\n      "email": "{{email}}",' in text
    assert "auth: none" in text and "- status: 200" in text
    assert "file:" not in text and "environment" not in text  # defaults left out


def test_one_broken_file_is_reported_with_its_line_and_the_rest_loads(tmp_path: Path) -> None:
    root = tmp_path / "col"
    write_collection(root, _collection())
    (root / "broken.yaml").write_text("name: x\nmethod: GET\nurl: /a\nchecks:\n  - status: 999\n")
    (root / "Contacts" / "not-yaml.yaml").write_text("name: [unclosed\n")
    loaded, problems = load_collection(root)
    assert len(loaded.root.requests()) == 2
    by_file = {p.path.name: p for p in problems}
    assert by_file["broken.yaml"].line == 5 and "checks[0].status" in by_file["broken.yaml"].message
    assert by_file["not-yaml.yaml"].line is not None


def test_an_import_never_writes_into_a_folder_that_has_files(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(StoreError, match="not empty"):
        write_collection(tmp_path, _collection())
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_a_saved_request_gets_a_file_name_not_taken(tmp_path: Path) -> None:
    root = tmp_path / "col"
    write_collection(root, _collection())
    second = save_request(root, (), SavedRequest("Log in", "POST", "{{baseUrl}}/auth/login"))
    assert second.file == "log-in-2"
    assert file_stem("Crème brûlée / ünïcode!") == "creme-brulee-unicode"
    assert file_stem("collection") != "collection"


def test_text_that_a_literal_block_cannot_hold_is_quoted_and_comes_back_exact() -> None:
    import yaml

    for text in ("a \nb", "line\r\nnext", "tab\t\nx", "\x00\n", "ok\nfine\n"):
        assert yaml.safe_load(dump_yaml({"text": text})) == {"text": text}


def test_folder_order_and_names_no_file_system_takes_come_back(tmp_path: Path) -> None:
    col = Collection(
        "c",
        root=Folder("", [LOGIN, Folder("Zeta", []), Folder("Contacts / People: *all*", [CONTACT])]),
    )
    written = write_collection(tmp_path / "c", col)
    loaded, problems = load_collection(tmp_path / "c")
    assert problems == [] and loaded == written
    assert [getattr(i, "name", None) for i in loaded.root.items] == [
        "Log in",
        "Zeta",
        "Contacts / People: *all*",
    ]
    assert loaded.root.requests()[1][0] == ("Contacts - People- -all-",)
