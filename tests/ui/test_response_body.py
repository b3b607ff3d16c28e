"""The Body tab: pretty and raw text, highlighting, find, images, hex, big bodies."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QImage
from pytestqt.qtbot import QtBot
from response_samples import contacts_json, result

from explorer.ui.response.body import BodyView
from explorer.ui.response.highlight import LIGHT

WaitFor = Callable[..., Coroutine[Any, Any, None]]


@pytest.fixture
def body(qtbot: QtBot) -> BodyView:
    view = BodyView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def colour_at(view: BodyView, needle: str, offset: int = 0) -> str:
    """The highlight colour of the first occurrence of `needle` in the view."""
    view.text.highlight_visible()
    pos = view.text.toPlainText().index(needle) + offset
    return view.text.format_at(pos).foreground().color().name()


def test_json_pretty_is_indented_and_coloured(body: BodyView) -> None:
    body.set_result(result(200, b'{"name":"Ada","age":36,"tags":["x"],"ok":true}'))
    assert body.kind == "json" and body.kind_label.text() == "JSON"
    assert body.text.toPlainText() == json.dumps(
        {"name": "Ada", "age": 36, "tags": ["x"], "ok": True}, indent=2
    )
    assert colour_at(body, '"name"') == LIGHT["key"]
    assert colour_at(body, '"Ada"') == LIGHT["string"]
    assert colour_at(body, "36") == LIGHT["number"]
    assert colour_at(body, "true") == LIGHT["keyword"]


def test_raw_shows_the_exact_text_without_colours(body: BodyView) -> None:
    raw = b'{"name":"Ada",  "age":36}'
    body.set_result(result(200, raw))
    body.set_pretty(False)
    assert body.text.toPlainText() == raw.decode()
    assert colour_at(body, '"name"') != LIGHT["key"]
    body.set_pretty(True)
    assert '\n  "name": "Ada"' in body.text.toPlainText()


def test_invalid_json_is_shown_as_received_with_a_note(body: BodyView) -> None:
    body.set_result(result(200, b'{"a": 1,'))
    assert body.text.toPlainText() == '{"a": 1,'
    assert "Not valid JSON" in body.note_label.text()


def test_xml_is_indented_and_coloured(body: BodyView) -> None:
    body.set_result(result(200, b'<feed><entry id="1">Hi</entry></feed>', "application/xml"))
    assert body.text.toPlainText() == '<feed>\n  <entry id="1">Hi</entry>\n</feed>'
    assert colour_at(body, "entry", -1) == LIGHT["key"]  # the tag
    assert colour_at(body, "id") == LIGHT["attr"]


def test_html_and_plain_text(body: BodyView) -> None:
    body.set_result(result(200, b"<html><body><p>Hi</p></body></html>", "text/html"))
    assert body.kind_label.text() == "HTML"
    assert body.text.toPlainText() == "<html><body><p>Hi</p></body></html>"
    assert colour_at(body, "body") == LIGHT["key"]
    body.set_result(result(200, "plain ünïcode".encode(), "text/plain; charset=utf-8"))
    assert body.kind_label.text() == "Text"
    assert body.text.toPlainText() == "plain ünïcode"


def test_charset_from_the_content_type(body: BodyView) -> None:
    body.set_result(result(200, "café".encode("latin-1"), "text/plain; charset=ISO-8859-1"))
    assert body.text.toPlainText() == "café"


def test_find_counts_marks_and_moves(body: BodyView, qtbot: QtBot) -> None:
    body.set_result(result(200, contacts_json(3)))
    qtbot.keyClick(body.text, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = body.find_bar
    assert bar.isVisible() and bar.edit.hasFocus()
    qtbot.keyClicks(bar.edit, "Contact")
    qtbot.waitUntil(lambda: bar.match_count == 6)  # "Contact 0..2" and "contact0..2@"
    assert bar.count_label.text() == "1 of 6"
    assert body.text.textCursor().selectedText() == "Contact"
    marks = body.text.extraSelections()  # the matches on screen are marked
    assert 1 <= len(marks) <= 6
    assert {m.cursor.selectedText().lower() for m in marks} == {"contact"}
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.count_label.text() == "2 of 6"
    assert body.text.textCursor().selectedText() == "contact"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count_label.text() == "1 of 6"
    bar.case_box.setChecked(True)
    assert bar.match_count == 3
    bar.edit.setText("nowhere")
    bar.search()
    assert bar.count_label.text() == "No matches"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible() and body.text.extraSelections() == []


def png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#1971c2"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_image_is_shown_with_its_dimensions(body: BodyView) -> None:
    body.set_result(result(200, png(64, 48), "image/png"))
    assert body.stack.currentWidget() is body.image
    assert body.image.image.size().toTuple() == (64, 48)
    assert "PNG · 64 × 48 px" in body.kind_label.text()
    pixmap = body.image.picture.pixmap()
    assert pixmap.toImage().pixelColor(10, 10).name() == "#1971c2"


def test_broken_image_falls_back_to_hex(body: BodyView) -> None:
    body.set_result(result(200, b"not a png", "image/png"))
    assert body.stack.currentWidget() is body.hex


def test_binary_is_a_hex_view_and_saves_exact_bytes(
    body: BodyView, tmp_path: Path, qloop: qasync.QEventLoop, wait_for: WaitFor
) -> None:
    data = bytes(range(256)) * 4 + b"tail"
    body.set_result(
        result(200, data, "application/octet-stream", url="http://127.0.0.1:9/files/blob.dat")
    )
    assert body.stack.currentWidget() is body.hex
    model = body.hex.model
    assert model.rowCount() == 65
    assert model.index(1, 0).data() == "00000010"
    assert model.index(2, 2).data() == " !\"#$%&'()*+,-./"
    assert model.index(4, 2).data() == "@ABCDEFGHIJKLMNO"
    assert model.index(64, 1).data() == "74 61 69 6c"
    assert "1.0 KB" in body.hex.caption.text() and "65 rows" in body.hex.caption.text()
    assert body.hex.suggested_name == "blob.dat"
    target = tmp_path / "out.bin"
    body.hex.save_to(str(target))
    qloop.run_until_complete(wait_for(lambda: "Saved" in body.hex.caption.text(), 10))
    assert target.read_bytes() == data


def test_hex_model_is_a_valid_item_model(qtmodeltester: Any) -> None:
    from explorer.ui.response.hexview import HexModel

    qtmodeltester.check(HexModel(bytes(range(100))))


def test_big_hex_is_virtual(body: BodyView) -> None:
    data = bytes(50 * 1024 * 1024)
    started = time.perf_counter()
    body.set_result(result(200, data, "application/octet-stream"))
    body.repaint()
    elapsed = time.perf_counter() - started
    assert body.hex.model.rowCount() == 50 * 1024 * 1024 // 16
    # Only the visible rows were formatted. Formatting 3 million rows would take tens of
    # seconds; the bound is loose on purpose so a busy machine cannot fail it.
    assert elapsed < 5.0


def test_empty_body(body: BodyView) -> None:
    body.set_result(result(204, b"", "", reason="No Content"))
    assert body.stack.currentWidget() is body.empty
    assert body.empty.text() == "No body (204 No Content)"


def test_copy_puts_the_body_as_received_on_the_clipboard(body: BodyView) -> None:
    body.set_result(result(200, b'{"a":1}'))
    body.copy_button.click()
    assert QGuiApplication.clipboard().text() == '{"a":1}'
    assert body.copy_button.text() == "Copied ✓"


def test_large_body_shows_text_first_and_keeps_the_window_responsive(
    body: BodyView, qloop: qasync.QEventLoop, wait_for: WaitFor
) -> None:
    raw = contacts_json(28_000)  # about 5 MB minified, about 12 MB pretty
    assert len(raw) > 5_000_000
    ticks: list[float] = []
    probe = QTimer()
    probe.setInterval(5)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))

    async def scenario() -> None:
        probe.start()
        body.set_result(result(200, raw))
        assert body.rendering  # a task, not one long call
        shown_at = len(ticks)
        # Past 2 MB the text goes into the virtual view (no wrapping there).
        assert body.showing_big and body.big.isVisible() and not body.wrap_button.isVisible()
        big = body.big
        await wait_for(lambda: big.line_count() > 100, 10, "first text")
        # The top is on screen, coloured, while the rest is still going in.
        assert body.rendering
        top = [big.line_text(i) for i in range(4)]
        assert top == ["{", '  "data": [', "    {", '      "id": "c_0000",']
        assert big.colour_at(big.line_start(3) + 6) == LIGHT["key"]
        await wait_for(lambda: not body.rendering, 60, "the whole body")
        probe.stop()
        # The probe kept ticking all along: the loop was never held for long.
        assert len(ticks) - shown_at > 20
        assert big.line_count() > 250_000

    qloop.run_until_complete(scenario())
    text = body.shown_text()
    assert json.loads(text) == json.loads(raw)


def test_huge_body_shows_a_preview_and_show_all(
    body: BodyView, qloop: qasync.QEventLoop, wait_for: WaitFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import explorer.ui.response.body as body_mod

    monkeypatch.setattr(body_mod, "LARGE_LIMIT", 200_000)
    monkeypatch.setattr(body_mod, "PREVIEW_CHARS", 50_000)
    raw = contacts_json(2000)  # about 400 KB minified
    assert len(raw) > 200_000

    async def scenario() -> None:
        body.set_result(result(200, raw))
        await wait_for(lambda: not body.rendering, 20)
        assert body.show_all_button.isVisible()
        assert body.show_all_button.text().startswith("Show all (")
        assert "Showing the first" in body.note_label.text()
        assert 50_000 <= len(body.shown_text()) < 400_000
        body.show_all_button.click()
        await wait_for(lambda: not body.rendering, 20)
        assert not body.show_all_button.isVisible()
        assert json.loads(body.shown_text()) == json.loads(raw)
        assert body.big.text() == body.shown_text()
        # A small response after it goes back to the ordinary view.
        body.set_result(result(200, b'{"a": 1}'))
        assert not body.showing_big and body.text.isVisible()
        assert body.text.toPlainText() == '{\n  "a": 1\n}'

    qloop.run_until_complete(scenario())


def test_big_xml_is_plain_until_asked_to_highlight(
    body: BodyView, qloop: qasync.QEventLoop, wait_for: WaitFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import explorer.ui.response.body as body_mod

    monkeypatch.setattr(body_mod, "HIGHLIGHT_LIMIT", 10_000)
    xml = "<items>\n" + "".join(f'  <item id="{i}">v</item>\n' for i in range(5000)) + "</items>"

    async def scenario() -> None:
        body.set_result(result(200, xml.encode(), "text/xml"))
        await wait_for(lambda: not body.rendering, 20)
        assert body.highlight_button.isVisible()
        assert colour_at(body, "items") == "#000000"
        body.highlight_button.click()
        await wait_for(lambda: colour_at(body, "items") == LIGHT["key"], 20)

    qloop.run_until_complete(scenario())


def test_a_new_response_cancels_the_old_rendering(
    body: BodyView, qloop: qasync.QEventLoop, wait_for: WaitFor
) -> None:
    async def scenario() -> None:
        body.set_result(result(200, contacts_json(5000)))
        await asyncio.sleep(0.05)
        body.set_result(result(200, b'{"fresh": true}'))
        assert not body.rendering
        await asyncio.sleep(0.3)
        assert body.text.toPlainText() == '{\n  "fresh": true\n}'

    qloop.run_until_complete(scenario())


def test_yaml_is_coloured(body: BodyView) -> None:
    body.set_result(result(200, b"name: Ada\ncount: 3\n# note\n", "application/yaml"))
    assert body.kind_label.text() == "YAML"
    assert colour_at(body, "# note") == LIGHT["comment"]


def test_svg_is_shown_as_an_image(body: BodyView) -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">'
        b'<rect width="40" height="30" fill="#2f9e44"/></svg>'
    )
    body.set_result(result(200, svg, "image/svg+xml"))
    assert body.stack.currentWidget() is body.image
    assert body.image.image.size().toTuple() == (40, 30)


def test_minified_long_line_is_broken_for_display_in_raw(
    body: BodyView, qloop: qasync.QEventLoop, wait_for: WaitFor
) -> None:
    raw = contacts_json(2000)  # one line of about 400 KB
    assert b"\n" not in raw

    async def scenario() -> None:
        body.set_result(result(200, raw))
        await wait_for(lambda: not body.rendering, 20)
        body.set_pretty(False)
        await wait_for(lambda: not body.rendering, 20)
        assert body.note_label.text() == "Long lines are broken for display"
        lines = body.shown_text().split("\n")
        assert max(map(len, lines)) == 10_000
        assert "".join(lines) == raw.decode()

    qloop.run_until_complete(scenario())
