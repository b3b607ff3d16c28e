"""The one place that wires things together: QApplication, the qasync loop, exception
hooks, services, and an orderly async shutdown."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
import traceback
from types import TracebackType
from typing import Any

import qasync
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from explorer.demo import icon_path
from explorer.store import Settings
from explorer.workbench import Services

__all__ = ["run"]

log = logging.getLogger("explorer")


def _install_hooks(services: Services, loop: asyncio.AbstractEventLoop) -> None:
    """Show unexpected errors in the window instead of losing them."""

    def excepthook(
        kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.__stderr__.write(text) if sys.__stderr__ else None
        services.report_error(f"Unexpected error: {value!r}")

    def loop_handler(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, asyncio.CancelledError):
            return
        message = context.get("message", "")
        if exc is not None:
            text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            sys.__stderr__.write(text) if sys.__stderr__ else None
            message = f"{message}: {exc!r}" if message else repr(exc)
        services.report_error(f"Unexpected error: {message}")

    sys.excepthook = excepthook
    loop.set_exception_handler(loop_handler)


def run(
    spec: str | None = None,
    *,
    screenshot: str | None = None,
    select: str | None = None,
    send: bool = False,
) -> int:
    """Open the window (on `spec`, or on the demo served in-process) and run until closed."""
    from explorer.ui.main_window import build_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("explorer")
    app.setApplicationDisplayName("Explorer")
    app.setOrganizationName("explorer")
    app.setQuitOnLastWindowClosed(False)  # the window's close runs the async shutdown
    services = Services(settings=Settings())
    icon = icon_path()
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    _install_hooks(services, loop)

    window = build_window(services, screenshot_mode=screenshot is not None)
    window.show()
    exit_code = 0
    closing = asyncio.Event()

    async def start() -> None:
        nonlocal exit_code
        source = spec
        try:
            ok = await window.open_initial(source, select=select)
        finally:
            gc.enable()  # paused by the `explorer` command for the start-up
        if ok and send and select:
            await window.send_and_wait()
        if screenshot:
            await window.settled()
            if not window.grab().save(screenshot):
                print(f"explorer: could not save {screenshot}", file=sys.stderr)
                exit_code = 2
            elif not ok:
                exit_code = 1
            window.close()

    async def shutdown() -> None:
        window.save_state()
        await window.aclose()
        await services.aclose()
        closing.set()

    stopping: list[asyncio.Task[None]] = []
    window.closed.connect(lambda: stopping.append(loop.create_task(shutdown())))
    starter = loop.create_task(start())
    with loop:
        loop.run_until_complete(closing.wait())
        if not starter.done():
            starter.cancel()
    return exit_code
