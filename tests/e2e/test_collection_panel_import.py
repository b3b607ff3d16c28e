"""Import and export in the window, as a person moves a collection from Postman and back:
File > Import collection… reads a Postman export into a new collection folder and shows
it; Export as Postman writes a file that imports again to the same requests; a file that
is not a collection writes nothing and says why where the user looks."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from explorer.collection.store import load_collection
from explorer.ui.main_window import MainWindow
from tests.e2e.test_request_tabs import open_demo

Wait = Callable[..., Coroutine[Any, Any, None]]
FIXTURES = Path(__file__).resolve().parents[1] / "collection" / "fixtures"


def test_import_from_postman_export_and_import_again(
    qtbot: Any,
    qloop: Any,
    wait_for: Wait,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = FIXTURES / "postman-contacts.postman_collection.json"
    home = tmp_path / "work"
    (home / "something-else").mkdir(parents=True)  # not empty: a new folder goes in it
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(home))
    panel = window.saved.panel

    async def scenario() -> None:
        await open_demo(window, qtbot)
        window.actions_by_name["import_collection"].trigger()
        await wait_for(lambda: panel.collections(), 10, "the imported collection shown")
        loaded = panel.collections()[0]
        assert loaded.root.parent == home and loaded.root.name != "something-else"
        assert window.sidebar.current_name() == "Collections"
        names = [r.name for _f, r in loaded.collection.root.requests()]
        assert len(names) >= 3, names
        assert panel.message.text().startswith(f"Imported {len(names)} requests (postman)")
        # Export as Postman, then import that file again: the same requests
        target = tmp_path / "out.postman_collection.json"
        assert await panel.export_collection(loaded.root, "postman", target)
        assert "Exported as Postman collection v2.1" in panel.message.text()
        doc = json.loads(target.read_text())
        assert doc["info"]["schema"].endswith("v2.1.0/collection.json")
        again = await panel.import_collection(target, tmp_path / "again")
        assert again == tmp_path / "again"
        back, problems = load_collection(again)
        assert problems == []
        pairs = [(r.name, r.method, r.url) for _f, r in back.root.requests()]
        assert pairs == [(r.name, r.method, r.url) for _f, r in loaded.collection.root.requests()]

        # a file that is not a collection: nothing written, said in the panel
        junk = tmp_path / "notes.json"
        junk.write_text('{"hello": "world"}')
        before = sorted(p.name for p in home.iterdir())
        assert await panel.import_collection(junk, home) is None
        assert panel.message.text().startswith("Nothing imported from notes.json:")
        assert sorted(p.name for p in home.iterdir()) == before

    qloop.run_until_complete(scenario())
