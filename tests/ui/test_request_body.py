"""The JSON body editor: checked against the schema as you type (debounced, off the loop),
problems listed by JSON pointer and marked on their lines; pointer -> line mapping."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot
from request_spec import load

from explorer.spec import Spec
from explorer.ui.request import RequestEditor
from explorer.ui.request.editor import TAB_BODY

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

WaitFor = Callable[..., Coroutine[Any, Any, None]]


@pytest.fixture
def api() -> Spec:
    return load()


@pytest.fixture
def editor(qtbot: QtBot, api: Spec) -> Iterator[RequestEditor]:
    ed = RequestEditor()
    qtbot.addWidget(ed)
    ed.resize(900, 600)
    ed.show()
    op = api.find("createContact")
    assert op is not None
    ed.set_operation(api, op)
    ed.tabs.setCurrentIndex(TAB_BODY)
    yield ed
    ed.shutdown()


def test_live_validation_lists_issues_by_pointer(
    qtbot: QtBot, qloop: qasync.QEventLoop, wait_for: WaitFor, editor: RequestEditor
) -> None:
    body = editor.body

    async def scenario() -> None:
        await wait_for(lambda: body.status.text() == "✓  Matches the schema", 5)
        assert not body.issue_list.isVisible()
        body.editor.setPlainText('{\n  "name": "Ada",\n  "email": "not-an-email",\n  "age": 200\n}')
        # debounced: no verdict right after typing, and never the old tick
        assert body.status.text() == "Checking…"
        await wait_for(lambda: body.issue_list.count() == 2, 5)
        issues = body.issues()
        assert issues[0].startswith("/age") and "line 4" in issues[0]
        assert issues[1].startswith("/email") and "line 3" in issues[1]
        assert body.status.text() == "✗  2 problems with the body"
        assert set(body.editor.error_lines()) == {2, 3}
        assert editor.tabs.tabText(TAB_BODY) == "Body ● 2"
        # clicking an issue moves the cursor to its line
        item = body.issue_list.item(1)
        body.issue_list.itemClicked.emit(item)
        assert body.editor.textCursor().blockNumber() == 2
        # a missing required property is reported on the object
        body.editor.setPlainText('{\n  "name": "Ada"\n}')
        await wait_for(lambda: body.issue_list.count() == 1, 5)
        assert "'email' is a required property" in body.issues()[0]
        # a parse error with line and column
        body.editor.setPlainText('{\n  "name": "Ada",\n  "email": \n}')
        await wait_for(lambda: "Not valid JSON" in body.status.text(), 5)
        assert "line 4, column 1" in body.status.text()
        assert 3 in body.editor.error_lines()
        # fixed again
        body.editor.setPlainText('{"name": "Ada", "email": "ada@example.com"}')
        await wait_for(lambda: body.issue_list.count() == 0, 5)
        assert body.status.text() == "✓  Matches the schema"
        assert editor.tabs.tabText(TAB_BODY) == "Body"

    qloop.run_until_complete(scenario())


def test_typing_keeps_indentation(qtbot: QtBot, editor: RequestEditor) -> None:
    ed = editor.body.editor
    ed.setPlainText("{")
    cursor = ed.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    ed.setTextCursor(cursor)
    qtbot.keyClick(ed, Qt.Key.Key_Return)
    qtbot.keyClicks(ed, '"a": 1')
    assert ed.toPlainText() == '{\n  "a": 1'


def test_format_button_pretty_prints(editor: RequestEditor) -> None:
    editor.body.editor.setPlainText('{"a":[1,2],"b":{"c":null}}')
    editor.body.format_button.click()
    assert editor.body.editor.toPlainText() == json.dumps({"a": [1, 2], "b": {"c": None}}, indent=2)


def test_reset_restores_the_example(editor: RequestEditor) -> None:
    editor.body.editor.setPlainText("{}")
    editor.body.reset_button.click()
    assert json.loads(editor.body.editor.toPlainText())["name"] == "Ada"


def test_switching_media_types_keeps_text(editor: RequestEditor) -> None:
    body = editor.body
    body.editor.setPlainText('{"name": "kept"}')
    i = body.media_combo.findText("text/plain")
    body.media_combo.setCurrentIndex(i)
    body.media_combo.activated.emit(i)
    body.editor.setPlainText("plain words")
    j = body.media_combo.findText("application/json")
    body.media_combo.setCurrentIndex(j)
    body.media_combo.activated.emit(j)
    assert body.editor.toPlainText() == '{"name": "kept"}'
    assert body.highlighter.document() is body.editor.document()


def test_big_body_checked_off_the_loop(
    qloop: qasync.QEventLoop, wait_for: WaitFor, editor: RequestEditor
) -> None:
    body = editor.body
    big = {"name": "A", "email": "a@b.co", "tags": [f"tag{i}" for i in range(20000)], "age": -1}
    text = json.dumps(big, indent=2)

    async def scenario() -> None:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.005)
                ticks += 1

        tick_task = asyncio.ensure_future(ticker())
        body.editor.setPlainText(text)
        await wait_for(lambda: body.issue_list.count() == 1, 20)
        tick_task.cancel()
        assert body.issues()[0].startswith("/age")
        assert ticks > 0  # the loop kept running while the body was checked

    qloop.run_until_complete(scenario())


def test_huge_body_is_left_plain(editor: RequestEditor) -> None:
    from explorer.ui.request.body import HIGHLIGHT_LIMIT

    body = editor.body
    assert body.highlighter.document() is body.editor.document()
    body.editor.setPlainText('{"a": "' + "x" * (HIGHLIGHT_LIMIT + 10) + '"}')
    assert body.highlighter.document() is None
    assert editor.request_input().body is not None
