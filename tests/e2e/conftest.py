"""End-to-end: the real window, driven like a person would, against real local servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from explorer.app import Services
from explorer.http import Sender
from explorer.store import Settings
from explorer.ui.main_window import MainWindow


@pytest.fixture
def window(qapp: QApplication, qloop: object, tmp_path: Path) -> Iterator[MainWindow]:
    services = Services(settings=Settings(tmp_path / "settings.json"), sender=Sender())
    win = MainWindow(services)
    win.resize(1480, 900)
    win.show()
    yield win
    win.close()
    qloop.run_until_complete(services.aclose())  # type: ignore[attr-defined]
