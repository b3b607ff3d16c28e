"""Postman v2.1 export: exported then imported gives the same collection (hypothesis, with
awkward text everywhere Postman can hold it), checks become `pm.test` lines and back,
credentials become variables named after the slots, never values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from collection_format_strategies import check, name_text, solid_text, text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import spec
from explorer.collection.formats import export_postman, import_file, postman_json
from explorer.collection.formats.postman import SCHEMA_V21, import_postman, script_checks
from explorer.collection.model import (
    Body,
    Check,
    Collection,
    Folder,
    FormField,
    SavedRequest,
    Settings,
)
from explorer.demo import demo_spec_path
from explorer.http.model import name_looks_secret
from explorer.store.environments import Environment, LoginSettings, Slot

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# -- what Postman can hold, with awkward text --------------------------------------------------

_TOKEN = "!#$&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CLIENT_HEADERS = {
    "content-type",
    "cookie",
    "authorization",
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "upgrade",
    "proxy-connection",
    "expect",
}
header_name = st.text(_TOKEN, min_size=1, max_size=10).filter(
    lambda n: n.lower() not in _CLIENT_HEADERS and not name_looks_secret(n)
)
cookie_name = st.text(_TOKEN.replace(";", ""), min_size=1, max_size=8).filter(
    lambda n: not name_looks_secret(n) and "=" not in n
)
segment = text.map(lambda t: t.replace("/", "").replace("?", "").replace("#", "")).filter(
    lambda t: "{" not in t and "}" not in t and not t.startswith(":")
)
param_name = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", min_size=1, max_size=8
)
slot = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", min_size=1, max_size=10
)
raw_media = st.sampled_from(
    [
        "application/json",
        "text/plain",
        "application/xml",
        "text/csv; charset=utf-8",
        "application/problem+json",
        "*/*",
    ]
)


@st.composite
def postman_body(draw: st.DrawFn) -> Body:
    kind = draw(st.sampled_from(["raw", "urlencoded", "urlencoded-text", "multipart"]))
    if kind == "raw":
        return Body(draw(raw_media), draw(text))
    if kind == "urlencoded-text":
        return Body("application/x-www-form-urlencoded", draw(solid_text))
    if kind == "urlencoded":
        fields = draw(st.lists(st.builds(FormField, name_text, text), min_size=1, max_size=3))
        return Body("application/x-www-form-urlencoded", fields=tuple(fields))
    field = st.one_of(
        st.builds(FormField, name_text, text, st.just(""), st.sampled_from(["", "text/csv"])),
        st.builds(
            FormField, name_text, st.just(""), solid_text, st.sampled_from(["", "image/png"])
        ),
    )
    return Body("multipart/form-data", fields=tuple(draw(st.lists(field, min_size=1, max_size=3))))


@st.composite
def postman_request(draw: st.DrawFn) -> SavedRequest:
    base = draw(
        st.sampled_from(["{{baseUrl}}", "https://api.example.com", "http://127.0.0.1:8080/base"])
    )
    parts: list[str] = []
    path: list[tuple[str, Any]] = []
    for is_param in draw(st.lists(st.booleans(), max_size=4)):
        if is_param:
            name = draw(param_name.filter(lambda n, used=tuple(p for p, _v in path): n not in used))
            parts.append("{" + name + "}")
            path.append((name, draw(text)))
        else:
            parts.append(draw(segment))
    return SavedRequest(
        name=draw(solid_text),
        method=draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])),
        url=base + "".join("/" + p for p in parts),
        operation=draw(text),
        description=draw(text),
        path=tuple(path),
        query=tuple(draw(st.lists(st.tuples(name_text, text), max_size=3))),
        headers=tuple(draw(st.lists(st.tuples(header_name, text), max_size=3))),
        cookies=tuple(draw(st.lists(st.tuples(cookie_name, text), max_size=2))),
        body=draw(st.none() | postman_body()),
        auth=draw(st.sampled_from(["inherit", "none"]) | st.lists(slot, max_size=2).map(tuple)),
        environment=draw(text),
        settings=draw(
            st.builds(
                Settings,
                st.none() | st.floats(0.5, 600),
                st.none() | st.booleans(),
                st.none() | st.booleans(),
            )
        ),
        checks=tuple(draw(st.lists(check, max_size=3))),
    )


tree: st.SearchStrategy[Any] = st.recursive(
    postman_request(),
    lambda inner: st.one_of(inner, st.builds(Folder, solid_text, st.lists(inner, max_size=3))),
    max_leaves=6,
)
collections = st.builds(
    Collection,
    solid_text,
    text,
    text,
    st.dictionaries(name_text, text, max_size=3),
    text,
    st.builds(Folder, st.just(""), st.lists(tree, max_size=4)),
)


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(collections)
def test_exported_to_postman_then_imported_is_the_same_collection(col: Collection) -> None:
    doc, _warnings = export_postman(col)
    text_of_it = postman_json(doc)
    back, warnings = import_postman(json.loads(text_of_it))
    assert warnings == []
    assert back == col


def test_the_postman_fixture_exported_and_imported_again_is_unchanged() -> None:
    col = import_file(FIXTURES / "postman-contacts.postman_collection.json").collection
    doc, _warnings = export_postman(col)
    back, warnings = import_postman(doc)
    assert warnings == []
    assert back == col


# -- what the export writes -------------------------------------------------------------------


def test_the_export_is_a_postman_collection_with_base_url_and_folders() -> None:
    col = Collection(
        "Demo",
        description="Runs against the demo.",
        variables={"email": "demo@ecosire.com"},
        root=Folder(
            "",
            [
                Folder(
                    "Contacts",
                    [
                        SavedRequest(
                            "Get a contact",
                            "GET",
                            "{{baseUrl}}/contacts/{contactId}",
                            path=(("contactId", "con/1 2"),),
                            query=(("expand", "owner&tags"),),
                            checks=(
                                Check("status", value=200),
                                Check("json", "/id", "equals", "con/1 2"),
                            ),
                        )
                    ],
                ),
            ],
        ),
    )
    doc, warnings = export_postman(col)
    assert warnings == []
    assert doc["info"] == {
        "name": "Demo",
        "schema": SCHEMA_V21,
        "description": "Runs against the demo.",
    }
    assert {"key": "baseUrl", "value": "", "type": "string"} in doc["variable"]
    (folder,) = doc["item"]
    assert folder["name"] == "Contacts"
    (item,) = folder["item"]
    url = item["request"]["url"]
    assert url["raw"] == "{{baseUrl}}/contacts/:contactId?expand=owner%26tags"
    assert (url["host"], url["path"]) == (["{{baseUrl}}"], ["contacts", ":contactId"])
    assert url["variable"] == [{"key": "contactId", "value": "con%2F1 2"}]
    lines = item["event"][0]["script"]["exec"]
    assert 'pm.test("status is 200", function () { pm.response.to.have.status(200); });' in lines
    assert script_checks(lines) == (
        [Check("status", value=200), Check("json", "/id", "equals", "con/1 2")],
        True,
    )


def test_credentials_are_variables_named_after_their_slots_and_the_login_fills_them() -> None:
    api = spec.load(demo_spec_path())
    login = SavedRequest("Log in", "POST", "{{baseUrl}}/auth/login", operation="POST /auth/login")
    me = SavedRequest("Me", "GET", "{{baseUrl}}/auth/me", operation="GET /auth/me")
    keys = SavedRequest("Keys", "GET", "{{baseUrl}}/api-keys", auth=("apiKey",))
    basic = SavedRequest("Old", "GET", "{{baseUrl}}/x", auth=("legacy",))
    env = Environment("development", variables={"baseUrl": "http://127.0.0.1:1/api"})
    env.slots["legacy"] = Slot("legacy", kind="basic", username="ada")
    env.slots["bearerAuth"] = Slot(
        "bearerAuth", kind="login", login=LoginSettings(token_pointer="/token")
    )
    doc, warnings = export_postman(
        Collection("c", root=Folder("", [login, me, keys, basic])), api=api, environment=env
    )
    items = {i["name"]: i for i in doc["item"]}
    # the operation's security, inherited: its first alternative, the login slot
    assert items["Me"]["request"]["auth"] == {
        "type": "bearer",
        "bearer": [{"key": "token", "value": "{{bearerAuth}}", "type": "string"}],
    }
    assert items["Me"]["_explorer"] == {"operation": "GET /auth/me", "auth": "inherit"}
    capture = items["Log in"]["event"][0]["script"]["exec"][-1]
    assert capture == (
        'if (pm.response.code < 300) pm.collectionVariables.set("bearerAuth", '
        'explorerPointer(pm.response.json(), "/token"));'
    )
    assert items["Keys"]["request"]["auth"]["type"] == "bearer"  # the demo's apiKey is http bearer
    assert items["Old"]["request"]["auth"]["basic"] == [
        {"key": "username", "value": "ada", "type": "string"},
        {"key": "password", "value": "{{legacy_password}}", "type": "string"},
    ]
    variables = {v["key"]: v["value"] for v in doc["variable"]}
    assert variables == {
        "baseUrl": "http://127.0.0.1:1/api",
        "bearerAuth": "",
        "apiKey": "",
        "legacy_password": "",
    }
    said = "\n".join(warnings)
    assert "'apiKey' is the Postman variable {{apiKey}}" in said
    assert "'legacy'" in said
    assert "bearerAuth" not in said  # the login request fills it
    back, _warnings = import_postman(doc)
    assert back.variables == {}  # what the export added is not the collection's
