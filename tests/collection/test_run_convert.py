"""The one conversion of a saved request into what is sent: the URL template split into
base and path, parameters serialised in their operation's styles, bodies, files only
from inside the collection's folder, settings, the credentials it asks for."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer import spec
from explorer.collection.convert import security_operation, split_url, to_request_input
from explorer.collection.model import Body, FormField, SavedRequest, Settings
from explorer.errors import RequestError
from explorer.http.build import build_request
from explorer.http.model import PreparedRequest, TransportOptions
from explorer.workbench.exchange import fill_variables

SPEC = """
openapi: 3.0.3
info: {title: Styles, version: "1"}
servers: [{url: "https://api.example.com/v2"}]
paths:
  /items/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          style: label
          explode: true
          schema: {type: array, items: {type: integer}}
        - {name: filter, in: query, style: deepObject, schema: {type: object}}
        - {name: colors, in: query, style: pipeDelimited, explode: false, schema: {type: array}}
        - {name: X-Trace, in: header, schema: {type: array}}
        - {name: pref, in: cookie, explode: false, schema: {type: array}}
      responses: {"200": {description: ok}}
  /items:
    post:
      security: [{key: []}]
      responses: {"201": {description: made}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    other: {type: http, scheme: bearer}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> spec.Spec:
    path = tmp_path_factory.mktemp("spec") / "styles.yaml"
    path.write_text(SPEC)
    return spec.load(path, cache_dir=None)


def sent(
    saved: SavedRequest,
    api: spec.Spec | None,
    variables: dict[str, str] | None = None,
    folder: Path | None = None,
) -> PreparedRequest:
    inp, _options = to_request_input(saved, api, folder=folder)
    inp = fill_variables(inp, variables or {"base": "http://127.0.0.1:9/v2"}, "the test")
    return build_request(inp)


def test_the_operations_styles_serialise_the_saved_values(api: spec.Spec) -> None:
    saved = SavedRequest(
        "Styled",
        "GET",
        "{{base}}/items/{id}",
        operation="GET /items/{id}",
        path=(("id", [3, 4]),),
        query=(("filter", {"a": 1, "b": "x y"}), ("colors", ["red", "blue"]), ("plain", [1, 2])),
        headers=(("X-Trace", "t1"), ("Accept", "application/json")),
        cookies=(("pref", "dark"),),
    )
    prepared = sent(saved, api)
    assert prepared.url == (
        "http://127.0.0.1:9/v2/items/.3.4"
        "?filter%5Ba%5D=1&filter%5Bb%5D=x%20y&colors=red%7Cblue&plain=1&plain=2"
    )
    headers = dict(prepared.headers)
    assert headers["X-Trace"] == "t1"  # the declared header parameter
    assert headers["Accept"] == "application/json"  # a typed header
    assert headers["Cookie"] == "pref=dark"


def test_without_the_operation_the_defaults_of_openapi_apply() -> None:
    saved = SavedRequest(
        "Ad hoc", "GET", "{{base}}/items/{id}", path=(("id", [3, 4]),), query=(("c", ["a", "b"]),)
    )
    assert sent(saved, None).url == "http://127.0.0.1:9/v2/items/3,4?c=a&c=b"


@pytest.mark.parametrize(
    ("url", "base", "path"),
    [
        ("{{base}}/items/{id}", "{{base}}", "/items/{id}"),  # the operation's path
        ("https://h.example/v2/items/{id}", "https://h.example/v2", "/items/{id}"),
        ("{{base}}/items/7?x=1", "{{base}}", "/items/7?x=1"),  # a leading variable
        ("{{ base }}", "{{ base }}", ""),
        ("http://127.0.0.1:5/v2/items/7", "http://127.0.0.1:5/v2", "/items/7"),  # the servers
        ("http://127.0.0.1:5/other/x", "http://127.0.0.1:5", "/other/x"),  # the origin
        ("HTTP://Host.Example:5/x", "HTTP://Host.Example:5", "/x"),
        ("not a url", "not a url", ""),  # the builder says what is wrong with it
    ],
)
def test_the_url_splits_into_base_and_path(api: spec.Spec, url: str, base: str, path: str) -> None:
    assert split_url(url, api.find("GET /items/{id}"), api, "GET") == (base, path)


def test_a_url_that_is_not_one_fails_to_build_with_a_clear_message() -> None:
    with pytest.raises(RequestError, match="must start with http"):
        sent(SavedRequest("Bad", "GET", "not a url"), None)


def test_an_unknown_variable_is_named() -> None:
    with pytest.raises(
        RequestError, match=r"Unknown variable \{\{missing\}\}: define it in the test"
    ):
        sent(SavedRequest("V", "GET", "{{base}}/x", headers=(("X-A", "{{missing}}"),)), None)


def test_bodies_json_text_and_urlencoded() -> None:
    json_req = SavedRequest(
        "J", "POST", "{{base}}/x", body=Body("application/json", '{"a": "{{v}}"}')
    )
    prepared = sent(json_req, None, {"base": "http://127.0.0.1:9", "v": "1"})
    assert prepared.content == b'{"a": "1"}'
    assert ("Content-Type", "application/json") in prepared.headers
    form = Body(
        "application/x-www-form-urlencoded", fields=(FormField("a", "1 2"), FormField("b", "&"))
    )
    prepared = sent(SavedRequest("F", "POST", "{{base}}/x", body=form), None)
    assert prepared.content == b"a=1+2&b=%26"
    text = Body("text/plain", "line 1\nline 2\n")
    assert (
        sent(SavedRequest("T", "PUT", "{{base}}/x", body=text), None).content == b"line 1\nline 2\n"
    )


def test_multipart_files_are_read_from_the_collection_folder(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "logo.png").write_bytes(b"\x89PNG")
    body = Body(
        "multipart/form-data",
        fields=(
            FormField("title", "Logo"),
            FormField("file", file="files/logo.png", content_type="image/png"),
        ),
    )
    prepared = sent(SavedRequest("M", "POST", "{{base}}/upload", body=body), None, folder=tmp_path)
    assert prepared.form == (("title", "Logo"),)
    assert prepared.files == (("file", str(tmp_path / "files" / "logo.png"), "image/png"),)


@pytest.mark.parametrize("name", ["../secret.txt", "/etc/passwd", "files/../../secret.txt"])
def test_a_file_outside_the_collection_folder_is_refused(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "collection"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("not for upload")
    body = Body("multipart/form-data", fields=(FormField("file", file=name),))
    with pytest.raises(RequestError, match="outside the collection's folder"):
        to_request_input(SavedRequest("M", "POST", "{{base}}/x", body=body), None, folder=folder)


def test_settings_become_transport_options() -> None:
    assert to_request_input(SavedRequest("S", "GET", "{{base}}"), None)[1] == TransportOptions()
    saved = SavedRequest(
        "S",
        "GET",
        "{{base}}",
        settings=Settings(timeout=2.5, follow_redirects=False, verify_tls=False),
    )
    assert to_request_input(saved, None)[1] == TransportOptions(2.5, False, False)


def test_headers_that_look_secret_are_marked_so() -> None:
    saved = SavedRequest(
        "H", "GET", "{{base}}", headers=(("X-Api-Token", "{{t}}"), ("X-Plain", "1"))
    )
    inp, _ = to_request_input(saved, None)
    assert inp.secret_headers == ("X-Api-Token",)


def test_auth_inherit_none_and_named_slots(api: spec.Spec) -> None:
    op = api.find("POST /items")
    assert op is not None
    inherit = SavedRequest("A", "POST", "{{base}}/items", operation="POST /items")
    assert security_operation(inherit, op) is op
    assert security_operation(SavedRequest("A", "POST", "{{base}}/items", auth="none"), op) is None
    named = security_operation(
        SavedRequest("A", "POST", "{{base}}/items", auth=("key", "other")), op
    )
    assert named is not None and named.security == ({"key": (), "other": ()},)
    assert op.security == ({"key": ()},)  # the document's own operation is left alone
    adhoc = security_operation(SavedRequest("A", "GET", "http://h/x", auth=("other",)), None)
    assert adhoc is not None and adhoc.security == ({"other": ()},)
