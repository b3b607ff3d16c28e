"""`explorer import` as a user runs it, and what it makes of what it is given: each format
told apart, a file that is not what it claims (or is nothing it reads) refused with one
sentence and nothing written, an OpenAPI document as one request per operation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer import spec
from explorer.collection.formats import FORMATS, ImportFailed, detect, import_bytes, import_file
from explorer.collection.formats.openapi import import_openapi
from explorer.collection.formats.sending import prepare
from explorer.collection.store import load_collection
from explorer.demo import demo_spec_path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHOP = Path(__file__).resolve().parents[1] / "mock" / "fixtures" / "shop.yaml"
POSTMAN_SCHEMA = "https://schema.getpostman.com/json/collection/v{}/collection.json"


def explorer(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        (FIXTURES / "postman-contacts.postman_collection.json", "postman"),
        (FIXTURES / "insomnia-contacts.json", "insomnia"),
        (FIXTURES / "chrome-contacts.har", "har"),
        (SHOP, "openapi"),
        (demo_spec_path(), "openapi"),
    ],
)
def test_each_format_is_told_apart(path: Path, fmt: str) -> None:
    assert detect(path) == fmt
    assert detect(path.read_bytes()) == fmt


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not text"),
        (b"hello: world\n", "not a Postman collection, an Insomnia export, a HAR file"),
        (b'{"name": "x"}', "JSON, but not"),
        (b'{"info": {"name": "x", "schema": "https://sc', "not valid JSON"),
        (b"[1, 2]", "JSON, but not"),
        (b"type: collection.insomnia.rest/5.0\nname: x\n", "Insomnia v4"),
        (
            json.dumps(
                {"info": {"name": "x", "schema": POSTMAN_SCHEMA.format("1.0.0")}, "item": []}
            ).encode(),
            "format 1",
        ),
        (b'{"_type": "export", "__export_format": 3, "resources": []}', "format 3"),
        (b'{"log": {"entries": {"a": 1}}}', "not a list"),
        (
            json.dumps(
                {"info": {"name": "x", "schema": POSTMAN_SCHEMA.format("2.1.0")}, "item": {}}
            ).encode(),
            "item is not a list",
        ),
        (b"curl -H 'X: 1'", "has no URL"),
    ],
)
def test_what_is_none_of_them_says_so_in_one_sentence(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        import_bytes(data)


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out"
    done = explorer(
        "import", str(FIXTURES / "chrome-contacts.har"), "--to", str(target), "--format", "postman"
    )
    assert done.returncode == 2
    said = "this is a HAR file, not a Postman collection"
    assert done.stderr.strip().splitlines() == [
        f"explorer import: {FIXTURES / 'chrome-contacts.har'}: {said}"
    ]
    assert not target.exists()
    with pytest.raises(ImportFailed, match="this is an OpenAPI document, not an Insomnia export"):
        import_file(SHOP, "insomnia")


def test_a_broken_file_writes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.postman_collection.json"
    broken.write_bytes((FIXTURES / "postman-contacts.postman_collection.json").read_bytes()[:-200])
    target = tmp_path / "out"
    done = explorer("import", str(broken), "--to", str(target))
    assert done.returncode == 2
    assert "not valid JSON" in done.stderr and "Traceback" not in done.stderr
    assert not target.exists()


def test_a_folder_that_has_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    done = explorer("import", str(FIXTURES / "chrome-contacts.har"), "--to", str(tmp_path))
    assert done.returncode == 2
    assert "is not empty" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_import_writes_a_collection_and_lists_what_it_left_behind(tmp_path: Path) -> None:
    target = tmp_path / "contacts"
    done = explorer(
        "import", str(FIXTURES / "postman-contacts.postman_collection.json"), "--to", str(target)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        f"Imported 7 requests in 3 folders from a Postman collection into {target} ("
    )
    assert "warning: 'Legacy report': its basic credential was not imported" in done.stderr
    col, problems = load_collection(target)
    assert problems == []
    assert col.name == "Contacts API"
    assert (target / "Contacts" / "get-a-contact.yaml").is_file()


def test_a_pasted_curl_command_from_standard_input(tmp_path: Path) -> None:
    done = explorer(
        "import",
        "-",
        "--to",
        str(tmp_path / "c"),
        stdin="curl 'https://x.io/contacts?page=2' -H 'Accept: application/json'\n",
    )
    assert done.returncode == 0, done.stderr
    assert "from a curl command" in done.stdout
    col, _problems = load_collection(tmp_path / "c")
    ((_f, req),) = col.root.requests()
    assert (req.method, req.url, req.query) == ("GET", "https://x.io/contacts", (("page", "2"),))


def test_an_openapi_document_becomes_one_request_per_operation(tmp_path: Path) -> None:
    target = tmp_path / "shop"
    done = explorer("import", str(SHOP), "--to", str(target))
    assert done.returncode == 0, done.stderr
    col, problems = load_collection(target)
    assert problems == []
    api = spec.load(SHOP)
    assert len(col.root.requests()) == len(api.operations)
    assert col.spec == os.path.relpath(SHOP, target)  # the collection finds its document
    assert col.variables == {"baseUrl": "https://shop.example.com/v1"}
    assert {r.operation for _f, r in col.root.requests()} == {op.key for op in api.operations}
    assert all(r.url == "{{baseUrl}}" + api.find(r.operation).path for _f, r in col.root.requests())  # type: ignore[union-attr]
    assert [f.name for f in col.root.items] == [m.name for m in api.modules]  # type: ignore[union-attr]


def test_the_demo_imports_with_example_values_and_every_request_can_be_built() -> None:
    api = spec.load(demo_spec_path())
    col, warnings = import_openapi(api, spec="../openapi.json")
    assert warnings == []
    requests = {r.operation: r for _f, r in col.root.requests()}
    assert len(requests) == len(api.operations) > 800
    login = requests["POST /auth/login"]
    assert json.loads(login.body.text) == {"email": "demo@ecosire.com", "password": "demo-password"}  # type: ignore[union-attr]
    contact = requests["GET /contacts/{contactId}"]
    assert contact.url == "{{baseUrl}}/contacts/{contactId}"
    ((name, value),) = contact.path
    assert name == "contactId" and isinstance(value, str) and value
    assert login.auth == "inherit"
    for op_key, req in requests.items():
        prepared = prepare(req, {"baseUrl": "http://127.0.0.1:8642/api"}, api)
        assert prepared.url.startswith("http://127.0.0.1:8642/api/"), op_key


def test_the_formats_named_in_messages() -> None:
    assert set(FORMATS) == {"postman", "insomnia", "har", "curl", "openapi"}


def test_hostile_nesting_and_loops_end_in_a_warning_not_a_traceback(tmp_path: Path) -> None:
    """Folders 250 deep (a RecursionError waiting to happen) and Insomnia groups whose
    parents make a loop: read as far as a collection goes, said, and written."""
    item: dict[str, object] = {"name": "leaf", "request": {"method": "GET", "url": "https://x.io"}}
    for n in range(250):
        item = {"name": f"f{n}", "item": [item]}
    postman = {"info": {"name": "deep", "schema": POSTMAN_SCHEMA.format("2.1.0")}, "item": [item]}
    imported = import_bytes(json.dumps(postman).encode())
    assert imported.warnings == ["folders nested deeper than 30 levels were left out"]
    insomnia = {
        "_type": "export",
        "__export_format": 4,
        "resources": [
            {"_id": "wrk", "_type": "workspace", "name": "w"},
            {"_id": "a", "_type": "request_group", "parentId": "wrk", "name": "a"},
            {"_id": "b", "_type": "request_group", "parentId": "a", "name": "b"},
            {"_id": "a", "_type": "request_group", "parentId": "b", "name": "a again"},
            {"_id": "r", "_type": "request", "parentId": "b", "name": "r", "url": "https://x.io"},
        ],
    }
    looped = import_bytes(json.dumps(insomnia).encode())
    assert any("contains itself" in w for w in looped.warnings)
    assert [r.name for _f, r in looped.collection.root.requests()] == ["r"]
    target = tmp_path / "deep"
    source = tmp_path / "deep.json"
    source.write_text(json.dumps(postman))
    done = explorer("import", str(source), "--to", str(target))
    assert done.returncode == 0, done.stderr
    assert "folders nested deeper than 30 levels" in done.stderr
