"""End-to-end: the real window, driven like a person would, against real local servers."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from explorer.http import Sender
from explorer.store import SecretStore, Settings
from explorer.ui.main_window import MainWindow, build_window
from explorer.workbench import Services


@pytest.fixture
def keyring_service() -> str:
    """The keyring service this test's secrets live under (the real keyring in CI): one
    of its own, so that no secret of one test reaches another."""
    return f"explorer-test-{uuid.uuid4().hex[:10]}"


def make_services(tmp_path: Path, keyring_service: str) -> Services:
    """Services as the app makes them, on the test's own folders and keyring service."""
    return Services(
        settings=Settings(tmp_path / "settings.json"),
        sender=Sender(),
        secrets=SecretStore(service=keyring_service),
    )


@pytest.fixture
def window(
    qapp: QApplication,
    qloop: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    keyring_service: str,
) -> Iterator[MainWindow]:
    """The window as `explorer` builds it (one function for both), with folders of its
    own: what one test leaves (drafts, open tabs, environments, secrets) never reaches
    another."""
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EXPLORER_CONFIG_DIR", str(tmp_path / "config"))
    services = make_services(tmp_path, keyring_service)
    win = build_window(services)
    win.show()
    yield win
    win.close()
    qloop.run_until_complete(win.aclose())  # type: ignore[attr-defined]
    qloop.run_until_complete(services.aclose())  # type: ignore[attr-defined]


@pytest.fixture
def fresh_services(tmp_path: Path, keyring_service: str) -> Callable[[], Services]:
    """Services for a second start of the app on the same folders and keyring (a restart)."""
    return lambda: make_services(tmp_path, keyring_service)
