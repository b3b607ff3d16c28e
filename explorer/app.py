"""The one place that wires things together: QApplication, the qasync loop, exception
hooks, services, and an orderly async shutdown."""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import qasync
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import explorer
from explorer.store import Settings

__all__ = ["DEMO_SPEC", "Services", "run"]

log = logging.getLogger("explorer")

DEMO_SPEC = (
    Path(explorer.__file__).resolve().parent.parent / "resources" / "ecosire" / "openapi.json"
)


@dataclass
class Services:
    """What the window uses and the app owns: settings, the HTTP sender, the demo server."""

    settings: Settings
    sender: Any = None  # explorer.http.Sender, made by `get_sender()` (httpx loads lazily)
    demo_spec: Path = DEMO_SPEC
    mock: Any = None  # explorer.mock.MockServer while the demo runs in-process
    on_error: list[Callable[[str], None]] = field(default_factory=list)

    def report_error(self, message: str) -> None:
        log.error("%s", message)
        for handler in self.on_error:
            handler(message)

    async def get_sender(self) -> Any:
        """The HTTP sender; its first use imports httpx in a worker thread."""
        if self.sender is None:
            module = await asyncio.to_thread(importlib.import_module, "explorer.http.send")
            if self.sender is None:
                self.sender = module.Sender()
        return self.sender

    async def start_demo_server(self) -> str:
        """Serve the bundled demo on a free loopback port (in a thread); its base URL."""
        from explorer.mock import MockServer

        if self.mock is None:
            server = MockServer(str(self.demo_spec), host="127.0.0.1", port=0)
            await asyncio.to_thread(server.start)
            self.mock = server
        return str(self.mock.base_url)

    async def aclose(self) -> None:
        if self.sender is not None:
            await self.sender.aclose()
        if self.mock is not None:
            mock, self.mock = self.mock, None
            await asyncio.to_thread(mock.stop)


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
    from explorer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("explorer")
    app.setApplicationDisplayName("Explorer")
    app.setOrganizationName("explorer")
    app.setQuitOnLastWindowClosed(False)  # the window's close runs the async shutdown
    icon = DEMO_SPEC.parent.parent / "icons" / "explorer.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    services = Services(settings=Settings())
    _install_hooks(services, loop)

    window = MainWindow(services, screenshot_mode=screenshot is not None)
    window.show()
    exit_code = 0
    closing = asyncio.Event()

    async def start() -> None:
        nonlocal exit_code
        source = spec
        ok = await window.open_initial(source, select=select)
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
