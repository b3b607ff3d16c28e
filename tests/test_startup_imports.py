"""Start-up imports only what the first paint needs (issue 7, Speed).

Start-up time is mostly imports: the HTTP stack, the mock server, the schema checks, the
highlighters, the request editor and the response view load when they are first used, not
before the window is painted. Each check runs in a fresh interpreter and reads its
`sys.modules`, so one import added at the top of a start-up module fails it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

NEVER_AT_START = (
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "uvicorn",
    "starlette",
    "jsonschema",
    "pygments",
    "keyring",
    "yaml",
    "regex",
    "authlib",
    "explorer.mock",
    "explorer.http.oauth",
    "explorer.http.send",
    "explorer.http.build",
    "explorer.http.problems",
    "explorer.http.content",
    "explorer.spec.schema",
    "explorer.spec.form",
    "explorer.spec.describe",
    "explorer.ui.docs",
    "explorer.ui.request.editor",
    "explorer.ui.response.view",
    "explorer.ui.response.highlight",
)
"""Modules (and packages) that neither importing the window nor opening a JSON document
in it may load."""

NOT_ON_IMPORT = ("markdown_it", "explorer.http.model", "explorer.workbench.address")
"""Loaded later than the window's modules: markdown-it with the first Markdown description
shown, the HTTP model and the address parser with the first tab or send."""

SMALL_DOC = {
    "openapi": "3.0.3",
    "info": {"title": "Small", "version": "1", "description": "A *small* API."},
    "paths": {
        "/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True}],
            "get": {"summary": "One item", "responses": {"200": {"description": "ok"}}},
        }
    },
}

REPORT = "print('LOADED:' + ','.join(sorted(sys.modules)))\n"


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter (headless, its own folders), then `REPORT`."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("CONFIG", "DATA", "CACHE"):
        env[f"EXPLORER_{name}_DIR"] = str(tmp_path / name.lower())
    result = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code + REPORT],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return result


def _modules(result: subprocess.CompletedProcess[str]) -> set[str]:
    line = next(x for x in result.stdout.splitlines() if x.startswith("LOADED:"))
    return set(line.removeprefix("LOADED:").split(","))


def _loaded(code: str, tmp_path: Path) -> set[str]:
    """The modules a fresh interpreter has loaded after running `code`."""
    return _modules(_run(code, tmp_path))


def _offending(loaded: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(m for m in loaded if any(m == b or m.startswith(b + ".") for b in banned))


def test_the_window_modules_import_only_what_the_first_paint_needs(tmp_path: Path) -> None:
    loaded = _loaded("import explorer.app, explorer.ui.main_window\n", tmp_path)
    assert "explorer.ui.main_window" in loaded  # the check looks at the right process
    assert _offending(loaded, NEVER_AT_START + NOT_ON_IMPORT) == []


def test_opening_a_document_to_a_screenshot_loads_none_of_the_rest(tmp_path: Path) -> None:
    """The whole `explorer SPEC --screenshot` run: window, load, paint, shutdown."""
    doc = tmp_path / "small.json"
    doc.write_bytes(orjson.dumps(SMALL_DOC))
    shot = tmp_path / "shot.png"
    code = (
        "from explorer.__main__ import main\n"
        f"assert main([{str(doc)!r}, '--screenshot', {str(shot)!r}]) == 0\n"
    )
    loaded = _loaded(code, tmp_path)
    assert shot.stat().st_size > 0
    assert "explorer.ui.tree" in loaded and "markdown_it" in loaded  # it did show the doc
    assert _offending(loaded, NEVER_AT_START) == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("from explorer.ui.request import RequestEditor\n", "explorer.ui.request.editor"),
        ("from explorer.ui.response import ResponseView\n", "explorer.ui.response.view"),
        ("from explorer.http import Sender\n", "explorer.http.send"),
        ("from explorer.spec import validate\n", "explorer.spec.schema"),
    ],
)
def test_lazy_names_still_load_on_first_use(code: str, expected: str, tmp_path: Path) -> None:
    assert expected in _loaded(code, tmp_path)


def test_once_a_document_is_shown_the_window_preloads_what_a_click_needs(
    tmp_path: Path,
) -> None:
    """Not in the first paint, but before the first click: a worker thread imports the
    editor, the response view, the docs and markdown-it (module code only: no Qt object
    is made off the GUI thread, so Qt says nothing)."""
    doc = tmp_path / "plain.json"
    doc.write_bytes(orjson.dumps({**SMALL_DOC, "info": {"title": "Plain", "version": "1"}}))
    code = f"""
import asyncio
import qasync
from PySide6.QtWidgets import QApplication
from explorer.store import Settings
from explorer.ui.main_window import PRELOAD, build_window
from explorer.workbench import Services

app = QApplication([])
loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)
services = Services(settings=Settings())
window = build_window(services)

shown = []
window.spec_loaded.connect(  # the moment the document is shown, before any preload
    lambda _api: shown.append(",".join(n for n in PRELOAD if n in sys.modules))
)

async def scenario() -> None:
    assert await window.open_initial({str(doc)!r})
    print("SHOWN:" + shown[0])
    for _ in range(3000):
        if all(n in sys.modules for n in PRELOAD):
            break
        await asyncio.sleep(0.01)
    await window.aclose()
    await services.aclose()

with loop:
    loop.run_until_complete(scenario())
"""
    result = _run(code, tmp_path)
    line = next(x for x in result.stdout.splitlines() if x.startswith("SHOWN:"))
    shown, loaded = line.removeprefix("SHOWN:"), _modules(result)
    assert shown == ""  # none of it was needed to show the document
    assert {"explorer.ui.request.editor", "explorer.ui.docs", "markdown_it"} <= loaded
    assert "QObject" not in result.stderr and "thread" not in result.stderr.lower()
