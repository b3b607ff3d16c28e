"""The Qt binding itself: a build that leaks references to None aborts long sessions."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont


def test_void_qt_calls_keep_none_alive() -> None:
    # PySide6 6.12.0 on Python 3.11 dropped one reference to None per void call; after
    # some ten thousand calls the interpreter aborts ("deallocating None").
    font = QFont()
    before = sys.getrefcount(None)
    for _ in range(1000):
        font.setStrikeOut(False)
    assert sys.getrefcount(None) - before > -100
