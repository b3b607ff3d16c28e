"""The typed parameter form: a widget per type, required marks, checks as you type,
include toggles, and the typed values it produces."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QToolButton
from pytestqt.qtbot import QtBot
from request_spec import load

from explorer.spec import Spec
from explorer.ui.request import RequestEditor
from explorer.ui.request.fields import ArrayField, ChoiceField, LineField
from explorer.ui.request.form import FieldRow, ParamForm

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def api() -> Spec:
    return load()


@pytest.fixture
def editor(qtbot: QtBot, api: Spec) -> Iterator[RequestEditor]:
    ed = RequestEditor()
    qtbot.addWidget(ed)
    ed.resize(900, 600)
    ed.show()
    op = api.find("getContact")
    assert op is not None
    ed.set_operation(api, op)
    yield ed
    ed.shutdown()


def form_of(ed: RequestEditor) -> ParamForm:
    form = ed.params_form()
    assert form is not None
    return form


def row_of(ed: RequestEditor, name: str) -> FieldRow:
    row = form_of(ed).row(name)
    assert row is not None, name
    return row


def edit_of(row: FieldRow) -> QLineEdit:
    assert isinstance(row.field, LineField)
    return row.field.edit


def test_each_type_gets_its_widget(editor: RequestEditor) -> None:
    status = row_of(editor, "status").field
    assert isinstance(status, ChoiceField)
    combo = status.widget
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(2)] == ["active", "archived"]
    assert combo.currentIndex() == -1  # unset until chosen

    verbose = row_of(editor, "verbose").field
    assert isinstance(verbose, ChoiceField)
    assert verbose.options == [True, False]

    limit = edit_of(row_of(editor, "limit"))
    assert limit.validator() is not None
    assert "default 20" in limit.placeholderText()
    assert "1 to 100" in (
        row_of(editor, "limit").info.text() if row_of(editor, "limit").info else ""
    )

    assert isinstance(row_of(editor, "ids").field, ArrayField)
    assert isinstance(row_of(editor, "email").field, LineField)


def test_sections_required_marks_and_deprecated(editor: RequestEditor) -> None:
    form = form_of(editor)
    titles = [w.text() for w in form.findChildren(QLabel) if w.objectName() == "sectionTitle"]
    assert [t.split()[0] for t in titles] == ["Path", "Query", "Headers", "Cookies"]
    path_label = row_of(editor, "contactId").label
    assert isinstance(path_label, QLabel)
    assert "*" in path_label.text() and path_label.font().bold()
    header = row_of(editor, "X-Request-ID")
    assert header.include is None  # required: always sent, no include box
    assert "e.g. req-1" in edit_of(header).placeholderText()
    old = row_of(editor, "old")
    assert old.label.font().strikeOut()
    assert old.info is not None and "deprecated" in old.info.text()
    # descriptions in the tooltip and on the dim line
    limit = row_of(editor, "limit")
    assert "Page size." in limit.label.toolTip()
    assert limit.info is not None and "Page size." in limit.info.text()


def test_integer_field_rejects_letters_and_checks_bounds(
    qtbot: QtBot, editor: RequestEditor
) -> None:
    row = row_of(editor, "limit")
    edit = edit_of(row)
    qtbot.keyClicks(edit, "12a")
    assert edit.text() == "12"  # the validator keeps letters out
    assert row.error_label is None or not row.error_label.isVisible()
    edit.clear()
    qtbot.keyClicks(edit, "500")
    assert row.error_label is not None and row.error_label.isVisible()
    assert row.error_label.text() == "must be at most 100"
    assert edit.property("invalid") is True
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert not row.error_label.isVisible()
    assert edit.property("invalid") is False


@pytest.mark.parametrize(
    ("name", "bad", "good", "message"),
    [
        ("email", "ada@", "ada@example.com", "not an email address"),
        ("contactId", "123", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "not a UUID"),
        ("since", "2024-13-01", "2024-12-01", "not a date"),
    ],
)
def test_formats_checked_as_you_type(
    qtbot: QtBot, editor: RequestEditor, name: str, bad: str, good: str, message: str
) -> None:
    row = row_of(editor, name)
    edit = edit_of(row)
    qtbot.keyClicks(edit, bad)
    assert row.error_label is not None and row.error_label.isVisible()
    assert message in row.error_label.text()
    edit.clear()
    qtbot.keyClicks(edit, good)
    assert not row.error_label.isVisible()


def test_include_turns_on_when_typing_and_off_when_cleared(
    qtbot: QtBot, editor: RequestEditor
) -> None:
    row = row_of(editor, "email")
    assert row.include is not None and not row.include.isChecked()
    edit = edit_of(row)
    qtbot.keyClicks(edit, "a@b.co")
    assert row.include.isChecked()
    assert ("email", "a@b.co") in [(p.name, p.value) for p in editor.request_input().params]
    row.include.setChecked(False)  # leave it out, keep the text
    assert "email" not in [p.name for p in editor.request_input().params]
    assert edit.text() == "a@b.co"
    row.include.setChecked(True)
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert not row.include.isChecked()


def test_array_rows_add_and_remove(qtbot: QtBot, editor: RequestEditor) -> None:
    row = row_of(editor, "ids")
    field = row.field
    assert isinstance(field, ArrayField)
    first = field.item_fields()[0]
    assert isinstance(first, LineField)
    qtbot.keyClicks(first.edit, "1")
    add = next(b for b in field.widget.findChildren(QToolButton) if b.objectName() == "addItem")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert len(field.item_fields()) == 3
    second, third = field.item_fields()[1:]
    assert isinstance(second, LineField) and isinstance(third, LineField)
    qtbot.keyClicks(second.edit, "2")
    qtbot.keyClicks(third.edit, "3")
    assert row.include is not None and row.include.isChecked()
    param = next(p for p in editor.request_input().params if p.name == "ids")
    assert param.value == [1, 2, 3]
    removes = [b for b in field.widget.findChildren(QToolButton) if b.objectName() == "removeItem"]
    qtbot.mouseClick(removes[1], Qt.MouseButton.LeftButton)
    param = next(p for p in editor.request_input().params if p.name == "ids")
    assert param.value == [1, 3]


def test_choices_give_typed_values(qtbot: QtBot, editor: RequestEditor) -> None:
    status = row_of(editor, "status")
    verbose = row_of(editor, "verbose")
    assert isinstance(status.field, ChoiceField) and isinstance(verbose.field, ChoiceField)
    status.field.combo.setCurrentIndex(1)
    status.field.combo.activated.emit(1)
    verbose.field.combo.setCurrentIndex(1)
    verbose.field.combo.activated.emit(1)
    params = {p.name: p.value for p in editor.request_input().params}
    assert params["status"] == "archived"
    assert params["verbose"] is False
    assert status.include is not None and status.include.isChecked()
    # "(not set)" puts the choice back to unset and leaves it out
    last = verbose.field.combo.count() - 1
    verbose.field.combo.setCurrentIndex(last)
    verbose.field.combo.activated.emit(last)
    assert verbose.field.combo.currentIndex() == -1
    assert "verbose" not in {p.name for p in editor.request_input().params}


def test_number_and_required_values(qtbot: QtBot, editor: RequestEditor) -> None:
    qtbot.keyClicks(edit_of(row_of(editor, "ratio")), "0.5")
    qtbot.keyClicks(edit_of(row_of(editor, "limit")), "10")
    request_id = edit_of(row_of(editor, "X-Request-ID"))
    request_id.clear()  # a required parameter starts filled
    qtbot.keyClicks(request_id, "abc")
    params = {(p.location, p.name): p.value for p in editor.request_input().params}
    assert params[("query", "ratio")] == 0.5
    assert params[("query", "limit")] == 10
    assert params[("header", "X-Request-ID")] == "abc"


def test_include_box_is_a_checkbox_with_the_name(editor: RequestEditor) -> None:
    row = row_of(editor, "session")
    assert isinstance(row.label, QCheckBox)
    assert row.label.text() == "session"
    assert row.entry.location == "cookie"


def test_a_long_enum_is_a_search_field_restricted_to_its_values(qtbot: QtBot) -> None:
    from PySide6.QtTest import QTest

    from explorer.spec.form import FormEntry
    from explorer.ui.request.fields import COMBO_LIMIT, SearchChoiceField

    values = [f"code-{i:04}" for i in range(COMBO_LIMIT + 1)] + [7]
    short = FormEntry("short", "query", {"enum": values[:COMBO_LIMIT]})
    long = FormEntry("long", "query", {"enum": values})
    form = ParamForm([short, long], lambda _row: None)
    qtbot.addWidget(form)
    form.show()
    assert isinstance(form.rows[0].field, ChoiceField)
    field = form.rows[1].field
    assert isinstance(field, SearchChoiceField)
    combos = form.findChildren(QComboBox)
    assert [c.count() for c in combos] == [COMBO_LIMIT + 1]  # the short one, and "(not set)"
    assert f"one of {COMBO_LIMIT + 2:,} values" in field.edit.placeholderText()
    # offered as you type: those that start with it first, at most MATCHES
    assert field.completer.matches("0299") == ["code-0299"]
    assert field.completer.matches("CODE-000")[:2] == ["code-0000", "code-0001"]
    assert field.completer.matches("7")[0] == "7"
    QTest.keyClicks(field.edit, "code-0123")
    assert field.completer.model.stringList() == ["code-0123"]
    row = form.rows[1]
    assert row.live_problem is None and field.value() == "code-0123"
    assert form.state() == {"query:long": {"value": "code-0123", "include": True}}
    field.set_raw(7)  # a non-string value comes back as itself
    assert field.raw() == 7 and field.value() == 7
    field.set_raw("nope")
    assert (
        field.problem()
        == f"not one of the {COMBO_LIMIT + 2:,} allowed values (type to search them)"
    )
    with pytest.raises(ValueError):
        field.value()
    form.restore_state({"query:long": {"value": "code-0005", "include": True}})
    assert field.edit.text() == "code-0005" and row.live_problem is None
    field.set_raw(None)
    assert field.is_empty() and field.raw() is None


def test_a_pattern_that_cannot_be_decided_in_time_shows_no_error(qtbot: QtBot) -> None:
    from explorer.spec.form import FormEntry

    entry = FormEntry("code", "query", {"type": "string", "pattern": "^(a|aa)+$"})
    form = ParamForm([entry], lambda _row: None)
    qtbot.addWidget(form)
    field = form.rows[0].field
    field.set_raw("a" * 40 + "!")
    assert field.problem() is None  # undecided within the budget: no word
    field.set_raw("b")
    assert field.problem() == "must match the pattern ^(a|aa)+$"
    field.set_raw("aaa")
    assert field.problem() is None


def test_outside_text_in_a_form_is_shown_as_written(qtbot: QtBot) -> None:
    from explorer.spec.form import FormEntry

    evil = "<b>x</b><img src='/dev/zero'>"
    entries = [
        FormEntry(evil, "query", {"type": "string"}, required=True, description=evil),
        FormEntry(evil + "2", evil, {"type": "string"}, description=evil),
    ]
    form = ParamForm(entries, lambda _row: None)
    qtbot.addWidget(form)
    form.show()
    form.show_error(form.rows[0], evil)
    texts = []
    for label in form.findChildren(QLabel):
        if label.textFormat() == Qt.TextFormat.PlainText:
            texts.append(label.text())
        else:
            assert "<img" not in label.text() and "<b>x" not in label.text()
    assert any(evil in t for t in texts)  # the error message and the info line
    assert "<img" not in form.rows[0].label.toolTip()
    assert isinstance(form.rows[1].label, QCheckBox) and form.rows[1].label.text() == evil + "2"


# -- forms that can be sent as they open ----------------------------------------------------


def test_required_parameters_start_filled_and_say_from_where(editor: RequestEditor) -> None:
    request_id = row_of(editor, "X-Request-ID")  # required, with an example
    assert edit_of(request_id).text() == "req-1"
    assert request_id.info is not None
    assert request_id.info.text().startswith("from the document · ")
    contact = row_of(editor, "contactId")  # required, nothing named: made from the schema
    assert edit_of(contact).text() == "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    assert contact.info is not None and contact.info.text().startswith("example value · ")
    limit = row_of(editor, "limit")  # optional: empty, not sent
    assert edit_of(limit).text() == "" and not limit.included()
    params = {(p.location, p.name): p.value for p in editor.request_input().params}
    assert params == {
        ("path", "contactId"): "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        ("header", "X-Request-ID"): "req-1",
    }


def test_a_required_enum_of_one_value_starts_chosen(qtbot: QtBot) -> None:
    from explorer.spec.form import FormEntry

    target = FormEntry(
        "X-Amz-Target", "header", {"type": "string", "enum": ["Svc.Op"]}, required=True
    )
    form = ParamForm([target], lambda _row: None)
    qtbot.addWidget(form)
    (row,) = form.rows
    assert isinstance(row.field, ChoiceField)
    assert row.field.value() == "Svc.Op"
    assert row.included()
    form.restore_state({})  # nothing the user typed: back as the form opened
    assert row.field.value() == "Svc.Op"


def test_fill_with_examples_fills_the_rest(qtbot: QtBot, editor: RequestEditor) -> None:
    limit = row_of(editor, "limit")
    assert not limit.included()
    edited: list[str] = []
    editor.changed.connect(lambda: edited.append("x"))
    qtbot.mouseClick(editor.fill_button, Qt.MouseButton.LeftButton)
    assert edited
    assert limit.included() and limit.field.value() is not None
    assert limit.field.problem() is None
    session = row_of(editor, "session")
    assert session.included() and edit_of(session).text() == "string"
    assert edit_of(row_of(editor, "X-Request-ID")).text() == "req-1"  # kept as it was
