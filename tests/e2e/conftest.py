"""End-to-end: the real window, driven like a person would, against real local servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from explorer.http import Sender
from explorer.store import Settings
from explorer.ui.main_window import MainWindow, build_window
from explorer.workbench import Services


@pytest.fixture
def window(
    qapp: QApplication, qloop: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """The window as `explorer` builds it (one function for both), with folders of its
    own: what one test leaves (drafts, open tabs) never reaches another."""
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path / "data"))
    services = Services(settings=Settings(tmp_path / "settings.json"), sender=Sender())
    win = build_window(services)
    win.show()
    yield win
    win.close()
    qloop.run_until_complete(win.aclose())  # type: ignore[attr-defined]
    qloop.run_until_complete(services.aclose())  # type: ignore[attr-defined]
