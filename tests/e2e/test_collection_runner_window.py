"""The collection runner in the window, as a Postman user runs a collection: right-click
the collection, Run collection…, choose the environment, Run; a line per request as it
ends (✓ or ✗ with why), a summary, a JUnit report saved; Stop leaves what ran listed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from explorer.collection.model import Body, Check, Collection, Folder, SavedRequest
from explorer.collection.store import write_collection
from explorer.demo import demo_spec_path
from explorer.ui.main_window import MainWindow
from tests.e2e.test_request_tabs import open_demo

Wait = Callable[..., Coroutine[Any, Any, None]]


def make(root: Path) -> Path:
    login = SavedRequest(
        "Log in",
        "POST",
        "{{baseUrl}}/auth/login",
        operation="POST /auth/login",
        body=Body("application/json", '{"email": "demo@ecosire.com", "password": "{{pw}}"}'),
        checks=(Check("status", value=200), Check("json", "/token", "exists", True)),
    )
    contacts = SavedRequest(
        "List contacts",
        "GET",
        "{{baseUrl}}/contacts",
        operation="GET /contacts",
        checks=(Check("status", value=200),),
    )
    wrong = SavedRequest(
        "Health says 201",
        "GET",
        "{{baseUrl}}/health",
        operation="GET /health",
        checks=(Check("status", value=201),),
    )
    write_collection(
        root,
        Collection(
            "Smoke",
            spec=str(demo_spec_path()),
            variables={"pw": "demo-password"},
            root=Folder("", [login, Folder("Contacts", [contacts]), wrong]),
        ),
    )
    return root


def test_run_a_collection_from_the_panel(
    qtbot: Any,
    qloop: Any,
    wait_for: Wait,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make(tmp_path / "smoke")
    monkeypatch.setenv("ECOSIRE_PASSWORD", "demo-password")  # the login slot, as in CI

    async def scenario() -> None:
        await open_demo(window, qtbot)
        panel = window.saved.panel
        assert await panel.open_collection(root)
        index = panel.model.find(("collection", str(root), (), ""))
        menu = panel.context_menu(index)
        action = next(a for a in menu.actions() if a.text() == "Run collection…")
        action.trigger()
        runner = window.saved.runners[str(root)]
        assert runner.isVisible() and runner.environment.currentText() == "development"
        runner.run_button.click()
        await wait_for(lambda: runner.report is not None, 60, "the run to end")
        lines = [runner.lines.item(i).text() for i in range(runner.lines.count())]
        assert lines[0].startswith("✓ POST /auth/login  200") and lines[0].endswith("Log in")
        assert (
            lines[1].startswith("✓ GET /contacts  200") and "Contacts / List contacts" in lines[1]
        )
        assert lines[2].startswith("✗ GET /health") and "expected status 201, got 200" in lines[2]
        assert "demo-password" not in "\n".join(lines)
        assert "FAILED: 1 failed" in runner.summary.text()
        assert runner.run_button.isEnabled() and not runner.stop_button.isEnabled()

        junit = tmp_path / "junit.xml"
        assert runner.save_junit(junit)
        suite = ET.parse(junit).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        assert suite is not None and suite.get("failures") == "1"

        # run again, and stop at once: the runner says so and can run again
        runner.run_button.click()
        runner.stop_button.click()
        assert "Stopped" in runner.summary.text() and runner.run_button.isEnabled()

    qloop.run_until_complete(scenario())
