"""The request editor as a whole: server picker, the RequestInput it builds, auth, keys,
field errors from the server, and state that survives re-selecting an operation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot
from request_spec import load

from explorer.http.model import AuthInput, BodyInput, FieldError, FormField
from explorer.spec import Operation, Spec
from explorer.ui.request import RequestEditor
from explorer.ui.request.editor import TAB_AUTH, TAB_BODY, TAB_PARAMS
from explorer.ui.request.fields import ChoiceField, FileField, LineField

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def api() -> Spec:
    return load()


@pytest.fixture
def editor(qtbot: QtBot) -> Iterator[RequestEditor]:
    ed = RequestEditor()
    qtbot.addWidget(ed)
    ed.resize(900, 600)
    ed.show()
    yield ed
    ed.shutdown()


def op_of(api: Spec, key: str) -> Operation:
    op = api.find(key)
    assert op is not None, key
    return op


def type_into(qtbot: QtBot, ed: RequestEditor, name: str, text: str) -> None:
    form = ed.params_form()
    assert form is not None
    row = form.row(name)
    assert row is not None and isinstance(row.field, LineField)
    replace_text(qtbot, row.field.edit, text)


def replace_text(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Type `text` over what a field holds (required fields start filled)."""
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(edit, text)


# -- server picker and URL preview --------------------------------------------------------


def test_servers_listed_with_custom_url_and_preview(
    qtbot: QtBot, editor: RequestEditor, api: Spec
) -> None:
    editor.set_operation(api, op_of(api, "getContact"))
    combo = editor.server.combo
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items[:3] == ["Production", "Local", "https://eu.acme.test"]
    assert items[-1] == "Custom URL…"
    # the required path parameter starts filled, so that the request can be sent as it is
    assert editor.url_preview.full_text().startswith("https://api.acme.test/v1/contacts/")
    assert "{contactId}" not in editor.url_preview.full_text()
    type_into(qtbot, editor, "contactId", "")
    assert editor.url_preview.full_text() == "https://api.acme.test/v1/contacts/{contactId}"
    type_into(qtbot, editor, "contactId", "a b")
    type_into(qtbot, editor, "limit", "5")
    assert editor.url_preview.full_text() == "https://api.acme.test/v1/contacts/a%20b?limit=5"
    # a server with variables shows them in a row; editing one changes the URL
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    port = editor.server.variable_editor("port")
    assert isinstance(port, QLineEdit) and port.text() == "8080"
    assert editor.server.details.isVisible()
    port.clear()
    qtbot.keyClicks(port, "9999")
    assert editor.request_input().base_url == "http://127.0.0.1:9999/api"
    assert editor.url_preview.full_text().startswith("http://127.0.0.1:9999/api/contacts/a%20b")
    # an enum variable is a choice
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    region = editor.server.variable_editor("region")
    assert isinstance(region, QComboBox)
    region.setCurrentText("us")
    assert editor.request_input().base_url == "https://us.acme.test"
    # custom URL
    combo.setCurrentIndex(combo.count() - 1)
    combo.activated.emit(combo.count() - 1)
    assert editor.server.custom_edit.isVisible()
    qtbot.keyClicks(editor.server.custom_edit, "http://127.0.0.1:1234/x/")
    assert editor.request_input().base_url == "http://127.0.0.1:1234/x"


def test_preferred_server_fills_template_variables(editor: RequestEditor, api: Spec) -> None:
    editor.set_operation(api, op_of(api, "getContact"), "http://127.0.0.1:54321/api")
    assert editor.server.combo.currentIndex() == 1
    assert editor.request_input().base_url == "http://127.0.0.1:54321/api"
    port = editor.server.variable_editor("port")
    assert isinstance(port, QLineEdit) and port.text() == "54321"


def test_preferred_server_added_as_local_mock(editor: RequestEditor, api: Spec) -> None:
    editor.set_operation(api, op_of(api, "getContact"), "http://localhost:7000/mock")
    assert editor.server.combo.itemText(0) == "Local mock"
    assert editor.server.combo.currentIndex() == 0
    assert editor.request_input().base_url == "http://localhost:7000/mock"


# -- request_input ------------------------------------------------------------------------


def test_request_input_for_every_location(qtbot: QtBot, editor: RequestEditor, api: Spec) -> None:
    editor.set_operation(api, op_of(api, "getContact"))
    type_into(qtbot, editor, "contactId", "3fa85f64-5717-4562-b3fc-2c963f66afa6")
    type_into(qtbot, editor, "limit", "10")
    type_into(qtbot, editor, "X-Request-ID", "r1")
    type_into(qtbot, editor, "session", "s1")
    qtbot.keyClicks(editor.headers.rows[0].name, "Accept-Language")
    qtbot.keyClicks(editor.headers.rows[0].value, "fr")
    inp = editor.request_input()
    assert inp.method == "GET"
    assert inp.path == "/contacts/{contactId}"
    assert inp.base_url == "https://api.acme.test/v1"
    got = {(p.location, p.name): p.value for p in inp.params}
    assert got == {
        ("path", "contactId"): "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        ("query", "limit"): 10,
        ("header", "X-Request-ID"): "r1",
        ("cookie", "session"): "s1",
    }
    assert inp.headers == (("Accept-Language", "fr"),)
    assert inp.body is None
    assert inp.auth is None
    # an extra header can be switched off without deleting it
    editor.headers.rows[0].enabled.setChecked(False)
    assert editor.request_input().headers == ()


def test_json_body_prefilled_from_example_and_examples_picker(
    editor: RequestEditor, api: Spec
) -> None:
    editor.set_operation(api, op_of(api, "createContact"))
    editor.tabs.setCurrentIndex(TAB_BODY)
    body = editor.body
    assert json.loads(body.editor.toPlainText()) == {"name": "Ada", "email": "ada@example.com"}
    assert body.example_combo.isVisible()
    assert [body.example_combo.itemText(i) for i in range(body.example_combo.count())] == [
        "Ada",
        "Bob",
        "Sample from the schema",
    ]
    body.example_combo.setCurrentIndex(1)
    body.example_combo.activated.emit(1)
    assert json.loads(body.editor.toPlainText())["name"] == "Bob"
    body.example_combo.setCurrentIndex(2)
    body.example_combo.activated.emit(2)
    sample = json.loads(body.editor.toPlainText())
    assert "id" not in sample  # readOnly left out of requests
    assert sample["email"] == "user@example.com"
    inp = editor.request_input()
    assert inp.body is not None and inp.body.media_type == "application/json"
    assert json.loads(inp.body.text) == sample


def test_json_body_prefilled_from_schema_without_opening_the_tab(
    editor: RequestEditor, api: Spec
) -> None:
    editor.tabs.setCurrentIndex(TAB_AUTH)  # a tab the user chose stays chosen
    editor.set_operation(api, op_of(api, "searchContacts"))
    assert editor.tabs.currentIndex() == TAB_AUTH
    assert not editor.body.isVisible()
    inp = editor.request_input()
    assert inp.body is not None
    value = json.loads(inp.body.text)
    assert value["name"] == "string" and value["address"] == {"city": "string", "zip": "string"}


def test_urlencoded_body_rows(qtbot: QtBot, editor: RequestEditor, api: Spec) -> None:
    editor.set_operation(api, op_of(api, "createContact"))
    editor.tabs.setCurrentIndex(TAB_BODY)
    body = editor.body
    i = body.media_combo.findText("application/x-www-form-urlencoded")
    body.media_combo.setCurrentIndex(i)
    body.media_combo.activated.emit(i)
    form = body.form()
    assert form is not None
    assert [r.entry.name for r in form.rows] == ["name", "email", "age", "address", "tags"]
    name, email, age = (form.row(n) for n in ("name", "email", "age"))
    assert name is not None and email is not None and age is not None
    assert isinstance(name.field, LineField) and isinstance(age.field, LineField)
    assert isinstance(email.field, LineField)
    replace_text(qtbot, name.field.edit, "Ada")
    replace_text(qtbot, email.field.edit, "ada@example.com")
    replace_text(qtbot, age.field.edit, "36")
    extra = body.extra_rows()
    assert extra is not None
    qtbot.keyClicks(extra.rows[0].name, "source")
    qtbot.keyClicks(extra.rows[0].value, "web")
    inp = editor.request_input()
    assert inp.body == BodyInput(
        "application/x-www-form-urlencoded",
        fields=(
            FormField("name", "Ada"),
            FormField("email", "ada@example.com"),
            FormField("age", "36"),
            FormField("source", "web"),
        ),
    )


def test_multipart_with_a_file(
    qtbot: QtBot, editor: RequestEditor, api: Spec, tmp_path: Path
) -> None:
    upload = tmp_path / "contacts.csv"
    upload.write_text("name,email\nAda,ada@example.com\n")
    editor.set_operation(api, op_of(api, "importContacts"))
    editor.tabs.setCurrentIndex(TAB_BODY)
    form = editor.body.form()
    assert form is not None
    file_row, dry = form.row("file"), form.row("dryRun")
    assert file_row is not None and isinstance(file_row.field, FileField)
    assert dry is not None and isinstance(dry.field, ChoiceField)
    file_row.field._chosen(str(upload))  # what the file dialog does when a file is picked
    dry.field.combo.setCurrentIndex(0)
    dry.field.combo.activated.emit(0)
    inp = editor.request_input()
    assert inp.body == BodyInput(
        "multipart/form-data",
        fields=(FormField("file", file_path=str(upload)), FormField("dryRun", "true")),
    )
    # a missing file is flagged on the field
    file_row.field.edit.clear()
    qtbot.keyClicks(file_row.field.edit, str(tmp_path / "nope.csv"))
    assert file_row.error_label is not None and file_row.error_label.text() == "no such file"


def test_raw_text_body(editor: RequestEditor, api: Spec) -> None:
    editor.set_operation(api, op_of(api, "createContact"))
    editor.tabs.setCurrentIndex(TAB_BODY)
    body = editor.body
    i = body.media_combo.findText("text/plain")
    body.media_combo.setCurrentIndex(i)
    body.media_combo.activated.emit(i)
    body.editor.setPlainText("hello there")
    inp = editor.request_input()
    assert inp.body == BodyInput("text/plain", text="hello there")


# -- auth ----------------------------------------------------------------------------------


def test_auth_bearer_never_in_state(qtbot: QtBot, editor: RequestEditor, api: Spec) -> None:
    editor.set_operation(api, op_of(api, "getContact"))
    editor.tabs.setCurrentIndex(TAB_AUTH)
    auth = editor.auth
    assert "bearerAuth" in auth.needs.text() and "HTTP bearer (JWT)" in auth.needs.text()
    assert auth.kind_combo.currentText() == "bearerAuth — Bearer token"
    assert auth.token_edit.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(auth.token_edit, "s3cret-token")
    assert editor.request_input().auth == AuthInput(
        "bearer", token="s3cret-token", env_name="ACME_TOKEN"
    )
    assert "s3cret-token" not in json.dumps(editor.state())
    # the eye shows the secret
    eye = auth.token_edit.property("eye")
    eye.setChecked(True)
    assert auth.token_edit.echoMode() == QLineEdit.EchoMode.Normal
    # the token stays for the session when another endpoint with the same scheme is chosen
    editor.set_operation(api, op_of(api, "searchContacts"))
    editor.set_operation(api, op_of(api, "getContact"))
    assert editor.request_input().auth == AuthInput(
        "bearer", token="s3cret-token", env_name="ACME_TOKEN"
    )


def test_auth_basic_and_apikey(qtbot: QtBot, editor: RequestEditor, api: Spec) -> None:
    editor.set_operation(api, op_of(api, "importContacts"))
    auth = editor.auth
    assert auth.kind_combo.currentText() == "basicAuth — Basic auth"
    qtbot.keyClicks(auth.username_edit, "ada")
    qtbot.keyClicks(auth.password_edit, "pw!")
    assert editor.request_input().auth == AuthInput(
        "basic", username="ada", password="pw!", env_name="ACME_PASSWORD"
    )
    assert "pw!" not in json.dumps(editor.state())
    editor.set_operation(api, op_of(api, "createContact"))
    assert "Option 1" in auth.needs.text() and "Option 2" in auth.needs.text()
    i = auth.kind_combo.findText("apiKey — API key")
    auth.kind_combo.setCurrentIndex(i)
    auth.kind_combo.activated.emit(i)
    assert auth.key_name_edit.text() == "X-API-Key"
    qtbot.keyClicks(auth.token_edit, "k-123")
    assert editor.request_input().auth == AuthInput(
        "apikey", token="k-123", name="X-API-Key", location="header", env_name="ACME_API_KEY"
    )
    assert "k-123" not in json.dumps(editor.state())
    editor.set_operation(api, op_of(api, "searchContacts"))
    qtbot.keyClicks(auth.token_edit, "q-1")
    got = editor.request_input().auth
    assert got is not None and (got.location, got.name) == ("query", "api_key")
    assert editor.url_preview.full_text().endswith("?api_key=…")  # never the key itself


def test_no_authentication_needed(editor: RequestEditor, api: Spec) -> None:
    editor.set_operation(api, op_of(api, "health"))
    assert "No authentication needed" in editor.auth.needs.text()
    assert editor.auth.kind_combo.currentText() == "None"
    assert editor.request_input().auth is None
    assert editor.params_empty.isVisible()


# -- keys ----------------------------------------------------------------------------------


def test_the_send_button_sends_and_cancels(qtbot: QtBot, editor: RequestEditor, api: Spec) -> None:
    """Keys (Ctrl+Enter, Esc) belong to the window: tests/e2e/test_keys.py presses them."""
    editor.set_operation(api, op_of(api, "createContact"))
    with qtbot.waitSignal(editor.send_requested, timeout=1000):
        qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    editor.set_sending(True)
    assert editor.send_button.text() == "Cancel"
    with (
        qtbot.waitSignal(editor.cancel_requested, timeout=1000),
        qtbot.assertNotEmitted(editor.send_requested),
    ):
        qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    editor.set_sending(False)
    assert editor.send_button.text() == "Send"


def test_changed_on_edits_but_not_while_filling(
    qtbot: QtBot, editor: RequestEditor, api: Spec
) -> None:
    with qtbot.assertNotEmitted(editor.changed):
        editor.set_operation(api, op_of(api, "getContact"))
    with qtbot.waitSignal(editor.changed, timeout=1000):
        type_into(qtbot, editor, "limit", "3")


# -- field errors --------------------------------------------------------------------------


def test_field_error_on_a_param_and_clearing(
    qtbot: QtBot, editor: RequestEditor, api: Spec
) -> None:
    editor.set_operation(api, op_of(api, "getContact"))
    editor.tabs.setCurrentIndex(TAB_AUTH)
    editor.show_field_errors([FieldError("limit", "must be 50 or less", "/limit")])
    assert editor.tabs.currentIndex() == TAB_PARAMS
    assert editor.tabs.tabText(TAB_PARAMS) == "Params ● 1"
    form = editor.params_form()
    assert form is not None
    row = form.row("limit")
    assert row is not None and row.error_label is not None
    assert row.error_label.isVisible() and row.error_label.text() == "must be 50 or less"
    assert row.field.widget.property("invalid") is True
    editor.clear_field_errors()
    assert not row.error_label.isVisible()
    assert "●" not in editor.tabs.tabText(TAB_PARAMS)
    # editing the field clears its error too
    editor.show_field_errors([FieldError("limit", "must be 50 or less", "/limit")])
    type_into(qtbot, editor, "limit", "7")
    assert not row.error_label.isVisible()


def test_field_error_on_body_lines(editor: RequestEditor, api: Spec) -> None:
    editor.set_operation(api, op_of(api, "createContact"))
    body = editor.body
    body.set_text('{\n  "name": "Ada",\n  "address": {\n    "city": 7\n  }\n}')
    editor.show_field_errors(
        [
            FieldError("address.city", "must be a string", "/address/city"),
            FieldError("email", "is required", "/email"),
        ]
    )
    assert editor.tabs.currentIndex() == TAB_BODY
    lines = body.editor.error_lines()
    assert 3 in lines and "must be a string" in lines[3]
    assert 0 in lines  # /email is missing: marked on the object that should hold it
    issues = body.issues()
    assert any("/address/city" in i and "line 4" in i for i in issues)
    assert "●" in editor.tabs.tabText(TAB_BODY)
    assert body.editor.textCursor().blockNumber() in (0, 3)  # moved to the first error
    editor.clear_field_errors()
    assert not any("(server)" in i for i in body.issues())
    # errors never follow the user to another endpoint
    editor.show_field_errors([FieldError("email", "is required", "/email")])
    editor.tabs.setCurrentIndex(TAB_AUTH)
    editor.set_operation(api, op_of(api, "getContact"))
    assert editor.tabs.tabText(TAB_BODY) == "Body"


def test_unplaced_errors_shown_in_a_banner(editor: RequestEditor, api: Spec) -> None:
    editor.set_operation(api, op_of(api, "health"))
    editor.show_field_errors([FieldError("tenant", "unknown tenant", "/tenant")])
    assert editor.error_banner.isVisible()
    assert "tenant: unknown tenant" in editor.error_banner.text()
    editor.clear_field_errors()
    assert not editor.error_banner.isVisible()


# -- state ---------------------------------------------------------------------------------


def test_state_round_trip(qtbot: QtBot, editor: RequestEditor, api: Spec) -> None:
    get = op_of(api, "getContact")
    post = op_of(api, "createContact")
    editor.set_operation(api, get)
    type_into(qtbot, editor, "limit", "10")
    type_into(qtbot, editor, "contactId", "abc")
    form = editor.params_form()
    assert form is not None
    email = form.row("email")
    assert email is not None and email.include is not None
    type_into(qtbot, editor, "email", "x@y.zz")
    email.include.setChecked(False)  # typed but left out
    ids = form.row("ids")
    assert ids is not None
    from explorer.ui.request.fields import ArrayField

    assert isinstance(ids.field, ArrayField)
    ids.field.set_raw(["1", "2"])
    form._edited(ids)
    combo = editor.server.combo
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    port = editor.server.variable_editor("port")
    assert isinstance(port, QLineEdit)
    port.clear()
    qtbot.keyClicks(port, "5555")
    qtbot.keyClicks(editor.headers.rows[0].name, "X-Trace")
    qtbot.keyClicks(editor.headers.rows[0].value, "on")
    editor.timeout_spin.setValue(12)
    editor.follow_check.setChecked(False)
    before = editor.request_input()
    saved = json.loads(json.dumps(editor.state()))  # JSON-able

    editor.set_operation(api, post)
    editor.tabs.setCurrentIndex(TAB_BODY)
    editor.body.set_text('{"name": "typed"}')
    post_state = editor.state()

    editor.set_operation(api, get)
    editor.restore_state(saved)
    assert editor.request_input() == before
    form = editor.params_form()
    assert form is not None
    email = form.row("email")
    assert email is not None and email.include is not None
    assert isinstance(email.field, LineField) and email.field.edit.text() == "x@y.zz"
    assert not email.include.isChecked()
    assert editor.transport_options().timeout == 12
    assert editor.transport_options().follow_redirects is False

    editor.set_operation(api, post)
    editor.restore_state(post_state)
    inp = editor.request_input()
    assert inp.body is not None and inp.body.text == '{"name": "typed"}'
    assert editor.tabs.currentIndex() == TAB_BODY
    assert editor.body.editor.toPlainText() == '{"name": "typed"}'


# -- real specs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "oas-examples/petstore-2.0.yaml",
        "oas-examples/train-travel-3.1.yaml",
        "oas-examples/security-3.1.yaml",
        "oas-examples/polymorphism-3.0.json",
    ],
)
def test_every_operation_builds_and_keeps_its_state(
    editor: RequestEditor, shared_specs: Path, name: str
) -> None:
    from explorer import spec

    api = spec.load(shared_specs / name)
    assert api.operations
    for i, op in enumerate(api.operations):
        editor.tabs.setCurrentIndex(i % 4)
        editor.set_operation(api, op)
        before = editor.request_input()
        assert before.method == op.method and before.path == op.path
        state = json.loads(json.dumps(editor.state()))
        editor.set_operation(api, op)
        editor.restore_state(state)
        assert editor.request_input() == before


def test_preview_is_the_url_that_is_sent(editor: RequestEditor, api: Spec) -> None:
    from explorer.http import build_request

    editor.set_operation(api, op_of(api, "getContact"))
    form = editor.params_form()
    assert form is not None
    form.set_values(
        {
            "contactId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "limit": "10",
            "ids": ["1", "2"],
            "verbose": False,
            "status": "active",
            "email": "a+b@example.com",
            "X-Request-ID": "r1",
        }
    )
    prepared = build_request(editor.request_input())
    assert editor.url_preview.full_text() == prepared.url
    assert "ids=1&ids=2" in prepared.url and "verbose=false" in prepared.url


def test_body_tab_first_when_there_is_no_required_parameter(
    editor: RequestEditor, api: Spec
) -> None:
    editor.set_operation(api, op_of(api, "createContact"))
    assert editor.tabs.currentIndex() == TAB_BODY
    editor.set_operation(api, op_of(api, "getContact"))
    assert editor.tabs.currentIndex() == TAB_PARAMS


def test_send_flags_required_fields_left_empty(
    qtbot: QtBot, editor: RequestEditor, api: Spec
) -> None:
    editor.set_operation(api, op_of(api, "getContact"))
    form = editor.params_form()
    assert form is not None
    row = form.row("contactId")
    assert row is not None
    type_into(qtbot, editor, "contactId", "")  # it starts filled: the user empties it
    with qtbot.waitSignal(editor.send_requested, timeout=1000):
        qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    assert row.error_label is not None and row.error_label.text() == "required"
    type_into(qtbot, editor, "contactId", "3fa85f64-5717-4562-b3fc-2c963f66afa6")
    assert not row.error_label.isVisible()
