"""Real exports, written in each tool's documented format (a Postman v2.1 collection, an
Insomnia v4 export, a Chrome HAR), with auth, variables and folders: imported and checked
field by field. No secret of theirs ends up in the collection's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.collection.formats import import_file
from explorer.collection.model import Body, Check, Folder, FormField, SavedRequest, Settings
from explorer.collection.store import load_collection, write_collection

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SECRETS = ("hunter2", "ecos_test_0123456789", "eyJhbGciOiJIUzI1NiJ9", "8f3a0c2b")


def _by_name(folder: Folder) -> dict[str, SavedRequest]:
    return {r.name: r for _f, r in folder.requests()}


def _written_without_secrets(tmp_path: Path, fixture: str) -> None:
    """The imported collection written and read back: the same, and no secret in a file."""
    imported = import_file(FIXTURES / fixture)
    written = write_collection(tmp_path / "col", imported.collection)
    loaded, problems = load_collection(tmp_path / "col")
    assert problems == []
    assert loaded == written
    for path in (tmp_path / "col").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert not [s for s in SECRETS if s in text], path


# -- Postman ------------------------------------------------------------------------------


def test_postman_collection_field_by_field() -> None:
    imported = import_file(FIXTURES / "postman-contacts.postman_collection.json")
    col = imported.collection
    assert imported.format == "postman"
    assert (col.name, col.description) == ("Contacts API", "Requests for the contacts service.")
    assert col.variables == {
        "baseUrl": "https://api.example.com/v1",
        "email": "ada@example.com",
        "token": "",
    }
    assert [i.name for i in col.root.items if isinstance(i, Folder)] == [
        "Auth",
        "Contacts",
        "Admin",
    ]
    req = _by_name(col.root)

    login = req["Log in"]
    assert (login.method, login.url, login.auth) == ("POST", "{{baseUrl}}/auth/login", "none")
    assert login.description == "Exchanges an email and a password for a token."
    assert login.body == Body(
        "application/json", '{\n    "email": "{{email}}",\n    "password": "{{password}}"\n}'
    )
    assert login.checks == (Check("status", value=200),)

    listing = req["List contacts"]
    assert listing.url == "{{baseUrl}}/contacts"
    assert listing.query == (
        ("page", "1"),
        ("limit", "20"),
        ("q", "ada lovelace"),
        ("tag", "vip"),
        ("tag", "new"),
    )
    assert listing.headers == (("Accept", "application/json"),)  # the disabled row is left out
    assert listing.auth == ("token",)  # the collection's bearer {{token}}, inherited
    assert listing.checks == (
        Check("status", value=200),
        Check("time", op="under", value=800),
        Check("header", "X-RateLimit-Remaining", "exists", True),
    )

    one = req["Get a contact"]
    assert (one.url, one.path) == (
        "{{baseUrl}}/contacts/{contactId}",
        (("contactId", "con_01HV8Z3K4M"),),
    )

    upload = req["Import contacts from a CSV file"]
    assert upload.body == Body(
        "multipart/form-data",
        fields=(FormField("file", file="/home/ada/contacts.csv"), FormField("delimiter", ";")),
    )

    search = req["Search (form)"]
    assert search.body == Body(
        "application/x-www-form-urlencoded", fields=(FormField("q", "ada lovelace"),)
    )
    assert search.cookies == (("theme", "dark"),)
    assert search.settings == Settings(follow_redirects=False)

    assert req["List API keys"].auth == ("apiKeyAuth",)  # the folder's API key
    legacy = req["Legacy report"]
    assert legacy.url == "https://legacy.example.com:8443/reports"
    assert legacy.query == (("since", "{{since}}"),)
    assert legacy.auth == ("basicAuth",)

    warnings = "\n".join(imported.warnings)
    assert (
        "'Log in': its test script cannot run here; 1 of its assertions became checks" in warnings
    )
    assert "'List contacts'" not in warnings  # its whole script became checks
    assert "'Legacy report': its prerequest script cannot run here" in warnings
    assert "user name 'ada'" in warnings and "'basicAuth'" in warnings
    assert "'apiKeyAuth'" in warnings and "X-API-Key" in warnings
    assert "cookie session" in warnings
    assert not [s for s in SECRETS if s in repr(col)]


def test_postman_import_writes_a_collection_without_secrets(tmp_path: Path) -> None:
    _written_without_secrets(tmp_path, "postman-contacts.postman_collection.json")


# -- Insomnia -----------------------------------------------------------------------------


def test_insomnia_export_field_by_field() -> None:
    imported = import_file(FIXTURES / "insomnia-contacts.json")
    col = imported.collection
    assert imported.format == "insomnia"
    assert (col.name, col.description) == ("Contacts API", "The contacts service, by hand.")
    assert col.variables == {
        "baseUrl": "https://api.example.com/v1",
        "email": "ada@example.com",
        "api.region": "eu",
        "api.retries": "3",
    }
    assert [(f, r.name) for f, r in col.root.requests()] == [
        (("Contacts",), "List contacts"),
        (("Contacts",), "Create a contact"),
        (("Contacts",), "Upload an avatar"),
        ((), "Health"),
    ]
    req = _by_name(col.root)

    listing = req["List contacts"]
    assert listing.url == "{{baseUrl}}/contacts"
    assert listing.query == (("page", "1"), ("limit", "20"))
    assert listing.headers == (("Accept", "application/json"),)
    assert listing.auth == ("basicAuth",)
    assert listing.settings == Settings(follow_redirects=False)

    create = req["Create a contact"]
    assert create.body == Body(
        "application/json",
        '{\n\t"type": "person",\n\t"name": "Ada Lovelace",\n\t"email": "{{email}}"\n}',
    )
    assert create.auth == ("token",)
    assert create.description == "Adds a person or a company."

    avatar = req["Upload an avatar"]
    assert (avatar.method, avatar.url) == ("PUT", "{{baseUrl}}/contacts/{contactId}/avatar")
    assert avatar.path == (("contactId", "con_01HV8Z3K4M"),)
    assert avatar.body == Body(
        "multipart/form-data",
        fields=(
            FormField("image", file="/home/ada/avatar.png"),
            FormField("caption", "{{caption}}"),
        ),
    )
    assert avatar.auth == ("apiKey",)
    assert req["Health"].auth == "inherit"

    warnings = "\n".join(imported.warnings)
    assert "'Production'" in warnings  # a sub-environment
    assert "cookie jar" in warnings
    assert "template tags" in warnings
    assert "user name 'ada'" in warnings
    assert "eyJhbGciOiJIUzI1NiJ9" not in repr(col)


def test_insomnia_import_writes_a_collection_without_secrets(tmp_path: Path) -> None:
    _written_without_secrets(tmp_path, "insomnia-contacts.json")


# -- HAR ----------------------------------------------------------------------------------


def test_har_capture_field_by_field() -> None:
    imported = import_file(FIXTURES / "chrome-contacts.har")
    col = imported.collection
    assert imported.format == "har"
    assert col.variables == {"baseUrl": "https://api.example.com"}
    reqs = [r for _f, r in col.root.requests()]
    assert [(r.method, r.url) for r in reqs] == [
        ("POST", "{{baseUrl}}/v1/contacts"),
        ("GET", "{{baseUrl}}/v1/contacts"),
        ("POST", "https://auth.example.com/session"),
        ("PUT", "{{baseUrl}}/v1/contacts/con_01HV8Z3K4M/avatar"),
    ]
    create, listing, session, avatar = reqs
    assert create.query == (("notify", "true"),)
    # HTTP/2 pseudo-headers, Content-Length, Accept-Encoding and the cookies are left out
    assert create.headers == (("accept", "application/json"), ("origin", "https://app.example.com"))
    assert create.cookies == ()
    assert create.auth == ("bearerAuth",)
    assert create.body == Body("application/json", '{"name":"Ada Lovelace","type":"person"}')
    assert listing.query == (("page", "2"), ("q", "ada l"), ("tags", "a,b"))
    assert listing.headers == (
        ("accept", "application/json"),
        ("x-api-key", "{{x-api-key}}"),
        ("x-request-id", "7f1d6c1e"),
    )
    assert session.body == Body(
        "application/x-www-form-urlencoded", "email=ada%40example.com&remember=1"
    )
    assert session.headers == ()  # Host is the client's
    assert avatar.body == Body(
        "multipart/form-data",
        fields=(
            FormField("caption", "At the desk"),
            FormField("image", file="avatar.png", content_type="image/png"),
        ),
    )
    warnings = "\n".join(imported.warnings)
    assert "'bearerAuth'" in warnings
    assert "cookies were left out" in warnings
    assert "x-api-key" in warnings
    assert "avatar.png" in warnings


def test_har_import_writes_a_collection_without_secrets(tmp_path: Path) -> None:
    _written_without_secrets(tmp_path, "chrome-contacts.har")


@pytest.mark.parametrize(
    "fixture",
    ["postman-contacts.postman_collection.json", "insomnia-contacts.json", "chrome-contacts.har"],
)
def test_every_fixture_request_can_be_sent(fixture: str) -> None:
    """Each imported request converts to what is sent (the one conversion), its variables
    filled in: nothing imported is a request that cannot be built."""
    from explorer.collection.formats.sending import prepare

    col = import_file(FIXTURES / fixture).collection
    variables = {**col.variables, "password": "p", "since": "2024", "token": "t", "caption": "c"}
    for _f, req in col.root.requests():
        names = {"x-api-key": "k", "X-API-Key": "k"}
        prepared = prepare(req, {**variables, **names})
        assert prepared.url.startswith(("https://", "http://"))
