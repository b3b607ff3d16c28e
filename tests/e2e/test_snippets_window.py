"""Snippets in the window (issue 10): the demo's welcome page lists ECOSIRE's common
operations with ready snippets that run against the demo's local server, the code panel's
language is remembered, and Copy as (Request menu, address bar) puts the request on the
clipboard in any language."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMenu
from test_window import Wait, open_demo, select, type_token

from explorer.snippet import COMMON_OPERATIONS
from explorer.ui.main_window import MainWindow, build_window


def run_curl(text: str, tmp_path: Path, env: dict[str, str]) -> tuple[int, Any]:
    """Run a curl snippet as a user would paste it; (HTTP status, JSON answer)."""
    script = tmp_path / "snippet.sh"
    script.write_text(text + " \\\n  --silent --show-error --write-out '\\n%{http_code}'\n")
    done = subprocess.run(
        ["sh", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    body, _, status = done.stdout.rpartition("\n")
    return int(status), json.loads(body) if body.strip() else None


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_welcome_page_snippets_run_against_the_demo_server(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow, tmp_path: Path
) -> None:
    async def scenario() -> None:
        await open_demo(window, wait_for)
        page = window.banner
        await wait_for(lambda: page.operations.isVisible(), 5, "the common operations")
        texts = [view.toPlainText() for view in page.snippet_views]
        assert len(texts) == len(COMMON_OPERATIONS) == 6
        assert all(t.startswith("curl ") for t in texts)
        assert all(window.preferred_server in t for t in texts)  # type: ignore[operator]
        by_title = dict(zip([c[0] for c in COMMON_OPERATIONS], texts, strict=True))

        status, answer = run_curl(by_title["Log in"], tmp_path, {})
        assert status == 200
        env = {"ECOSIRE_TOKEN": answer["token"]}
        assert "${ECOSIRE_TOKEN}" in by_title["List contacts"]
        for title in ("List contacts", "Create a contact", "Capture a CRM lead"):
            status, answer = run_curl(by_title[title], tmp_path, env)
            assert 200 <= status < 300, (title, status, answer)
        status, answer = run_curl(by_title["List contacts"], tmp_path, env)
        assert any(c["name"] == "Acme Corporation" for c in answer["data"])
        for title in ("Validate a license", "Ask the AI assistant"):
            status, answer = run_curl(by_title[title], tmp_path, env)
            assert status < 500 and status != 401, (title, status, answer)

        # Another language: the page follows the code panel, which remembers it.
        window.code.set_language("python-httpx")
        assert window.services.settings.get("code.language") == "python-httpx"
        login = page.snippet_views[0].toPlainText()
        assert login.startswith("import httpx")
        done = subprocess.run(
            [sys.executable, "-c", login], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0 and done.stdout.startswith("200"), done.stderr

        # Open goes to the endpoint.
        page.operation_requested.emit("GET /contacts")
        await wait_for(lambda: window.current_op is not None, 5)
        assert window.current_op is not None and window.current_op.key == "GET /contacts"

    qloop.run_until_complete(scenario())


def test_copy_as_from_the_request_menu_and_the_address_bar(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.e30.c2VjcmV0"

    async def scenario() -> None:
        await open_demo(window, wait_for)
        select(window, "GET /contacts")
        type_token(window, qtbot, token)
        titles = {a.text(): a for a in window.copy_as_menu.actions()}
        assert "Go (net/http)" in titles and "TypeScript (@ecosire/sdk)" in titles
        titles["Go (net/http)"].trigger()
        copied = QApplication.clipboard().text()
        assert copied.startswith("package main") and token not in copied
        assert 'os.Getenv("ECOSIRE_TOKEN")' in copied
        assert "Copied the request as Go" in window._status_label.text()

        titles["TypeScript (@ecosire/sdk)"].trigger()
        assert "client.contacts.list(" in QApplication.clipboard().text()

        menu = window.editor.address.context_menu()
        sub = next(a.menu() for a in menu.actions() if a.menu() is not None)
        assert isinstance(sub, QMenu)
        ruby = next(a for a in sub.actions() if a.data() == "ruby")
        ruby.trigger()
        assert QApplication.clipboard().text().startswith('require "net/http"')
        menu.deleteLater()

    qloop.run_until_complete(scenario())


def test_the_code_panel_language_comes_back_in_a_new_window(
    qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    window.code.set_language("php")
    window.code.set_long_flags(True)
    again = build_window(window.services)
    try:
        assert again.code.snippet.name == "php"
        assert again.code.long_action.isChecked()
    finally:
        again.close()
        qloop.run_until_complete(again.aclose())


def explorer_snippet(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "explorer", "snippet", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_explorer_snippet_prints_what_the_code_panel_shows(
    qtbot: Any, qloop: Any, wait_for: Wait, window: MainWindow
) -> None:
    token = "tok_from_env_123"

    async def scenario() -> None:
        await open_demo(window, wait_for)
        select(window, "GET /contacts")
        type_token(window, qtbot, token)
        form = window.editor.params_form()
        assert form is not None
        form.set_values({"page": "2", "q": "Zoë & 'co'", "type": "company"})
        for language in ("curl", "python-requests", "ts-sdk"):
            window.code.set_language(language)
            window.refresh_code()
            done = explorer_snippet(
                str(window.api.source),  # type: ignore[union-attr]
                "GET /contacts",
                "--lang", language,
                "--param", "page=2", "--param", "q=Zoë & 'co'", "--param", "type=company",
                "--base-url", window.preferred_server or "",
                env={"ECOSIRE_TOKEN": token},
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            assert done.stdout.rstrip("\n") == window.code.text.rstrip("\n"), language
            assert token not in done.stdout

    qloop.run_until_complete(scenario())


def test_explorer_snippet_says_plainly_what_is_wrong(tmp_path: Path) -> None:
    from explorer.demo import demo_spec_path

    spec = str(demo_spec_path())
    done = explorer_snippet(spec, "GET /nowhere", "--lang", "curl")
    assert done.returncode == 2 and "No endpoint 'GET /nowhere'" in done.stderr
    done = explorer_snippet(spec, "GET /contacts/{contactId}", "--lang", "go")
    assert done.returncode == 2 and "contactId" in done.stderr
    done = explorer_snippet(spec, "GET /contacts", "--lang", "cobol")
    assert done.returncode == 2 and "cobol" in done.stderr
    done = explorer_snippet(spec, "GET /contacts", "--lang", "curl", "--param", "colour=red")
    assert done.returncode == 2 and "no parameter 'colour'" in done.stderr
    done = explorer_snippet(
        spec, "GET /contacts", "--lang", "curl", "--inline-secrets", env={"ECOSIRE_TOKEN": ""}
    )
    assert done.returncode == 2 and "ECOSIRE_TOKEN" in done.stderr
    done = explorer_snippet(
        spec, "GET /contacts", "--lang", "curl", "--inline-secrets", env={"ECOSIRE_TOKEN": "t0k"}
    )
    assert done.returncode == 0 and "Bearer t0k" in done.stdout
    body = '{"question": "a \\"b\\" $c"}'
    done = explorer_snippet(
        spec, "POST /ecosire-ai/ask", "--lang", "php", "--body", "-", stdin=body
    )
    assert done.returncode == 0 and '\\"b\\\\\\" \\$c' in done.stdout
    assert "traceback" not in (done.stderr + done.stdout).lower()
