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
        s.title for s in SNIPPETS
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


def coloured(panel: CodePanel) -> set[str]:
    doc = panel.editor.document()
    return {
        rng.format.foreground().color().name()
        for block_no in range(doc.blockCount())
        for rng in doc.findBlockByNumber(block_no).layout().formats()
    }


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.name for s in SNIPPETS])
def test_every_language_is_shown_highlighted_without_the_secret(
    panel: CodePanel, snippet: object
) -> None:
    chosen: list[str] = []
    panel.language_changed.connect(chosen.append)
    panel.set_request(request_with_secret())
    name = snippet.name  # type: ignore[attr-defined]
    panel.set_language(name)
    assert panel.snippet.name == name
    if name != SNIPPETS[0].name:
        assert chosen == [name]
    assert "/api/contacts?page=2" in panel.text and "127.0.0.1:8080" in panel.text
    assert SECRET not in panel.text and "ECOSIRE_API_KEY" in panel.text
    assert LIGHT["string"] in coloured(panel)


def test_secrets_inline_only_when_asked_and_then_with_a_warning(panel: CodePanel) -> None:
    panel.set_request(request_with_secret())
    panel.set_language("python-requests")
    assert SECRET not in panel.text
    panel.inline_action.setChecked(True)
    assert SECRET in panel.text and "ECOSIRE_API_KEY" not in panel.text
    assert "do not share" in panel.note.text()
    panel.inline_action.setChecked(False)
    assert SECRET not in panel.text


def test_curl_long_option_names(panel: CodePanel) -> None:
    toggled: list[bool] = []
    panel.long_flags_changed.connect(toggled.append)
    panel.set_request(request_with_secret())
    assert "-H 'Content-Type: application/json'" in panel.text
    panel.set_long_flags(True)
    assert "--header 'Content-Type: application/json'" in panel.text
    assert toggled == [True]
