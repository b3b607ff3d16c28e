"""CodePanel: the request as a curl command, secrets as environment variables."""

from __future__ import annotations

import shlex

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explorer.http.model import PreparedRequest
from explorer.http.snippets import SNIPPETS
from explorer.ui.response.code import CodePanel
from explorer.ui.response.highlight import LIGHT

SECRET = "sk_live_5up3r53cr3t"


@pytest.fixture
def panel(qtbot: QtBot) -> CodePanel:
    p = CodePanel()
    qtbot.addWidget(p)
    p.resize(640, 260)
    p.show()
    qtbot.waitExposed(p)
    return p


def request_with_secret() -> PreparedRequest:
    return PreparedRequest(
        "POST",
        "http://127.0.0.1:8080/api/contacts?page=2",
        headers=(("Authorization", f"Bearer {SECRET}"), ("Content-Type", "application/json")),
        content=b'{"name": "Ada"}',
        secrets=((SECRET, "ECOSIRE_API_KEY"),),
    )


def test_curl_with_env_placeholder_and_note(panel: CodePanel) -> None:
    panel.set_request(request_with_secret())
    text = panel.text
    assert text.startswith("curl ")
    assert SECRET not in text
    assert "${ECOSIRE_API_KEY}" in text
    words = shlex.split(text.replace("\\\n", " "))
    assert "http://127.0.0.1:8080/api/contacts?page=2" in words
    assert '{"name": "Ada"}' in words
    assert panel.note.isVisible()
    assert panel.note.text() == ("Secrets are shown as $ECOSIRE_API_KEY; export it before running.")
    assert [panel.language.itemText(i) for i in range(panel.language.count())] == [
        s.name for s in SNIPPETS
    ]


def test_curl_is_highlighted(panel: CodePanel) -> None:
    panel.set_request(request_with_secret())
    doc = panel.editor.document()
    colours = {
        rng.format.foreground().color().name()
        for block_no in range(doc.blockCount())
        for rng in doc.findBlockByNumber(block_no).layout().formats()
    }
    assert LIGHT["string"] in colours  # the quoted header values


def test_copy_puts_the_command_on_the_clipboard(panel: CodePanel) -> None:
    panel.set_request(request_with_secret())
    panel.copy_button.click()
    assert QApplication.clipboard().text() == panel.text
    assert SECRET not in QApplication.clipboard().text()
    assert panel.copy_button.text() == "Copied ✓"


def test_no_note_without_secrets(panel: CodePanel) -> None:
    panel.set_request(PreparedRequest("GET", "http://127.0.0.1:8080/api/health"))
    assert panel.text == "curl http://127.0.0.1:8080/api/health"
    assert not panel.note.isVisible()


def test_error_is_shown_instead_and_cannot_be_copied(panel: CodePanel) -> None:
    panel.set_request(None, "Path parameter contactId is required")
    assert panel.text == "Path parameter contactId is required"
    assert not panel.copy_button.isEnabled()
    panel.set_request(None)
    assert panel.text == "" and not panel.copy_button.isEnabled()
