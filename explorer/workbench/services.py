"""What the window uses and the app owns: settings, the HTTP sender, the demo server, and
where unexpected errors are reported. No Qt here: the window and the tests build one and
hand it over; `aclose()` is the one shutdown of everything it holds."""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.demo import demo_spec_path
from explorer.store import Settings

if TYPE_CHECKING:
    from explorer.http.send import Sender
    from explorer.mock import MockServer
    from explorer.store.environments import EnvironmentStore
    from explorer.store.history import History
    from explorer.store.secrets import SecretStore
    from explorer.store.usage import Usage

__all__ = ["Services"]

log = logging.getLogger("explorer")


@dataclass
class Services:
    """Settings, the HTTP sender (made on first use: httpx loads lazily), the in-process demo
    server, and the error handlers the window registers."""

    settings: Settings
    sender: Sender | None = None
    demo_spec: Path = field(default_factory=demo_spec_path)
    mock: MockServer | None = None
    on_error: list[Callable[[str], None]] = field(default_factory=list)
    secrets: SecretStore | None = None
    """The keyring (made on first use)."""
    environments: EnvironmentStore | None = None
    """Every API's environments, variables and credential slots (read on first use)."""
    usage: Usage | None = None
    """How much each credential is used (read on first use)."""
    history: History | None = None
    """Every request sent (the file is opened on first use, on its own thread)."""

    def secret_store(self) -> SecretStore:
        if self.secrets is None:
            from explorer.store.secrets import SecretStore

            self.secrets = SecretStore()
        return self.secrets

    def environment_store(self) -> EnvironmentStore:
        if self.environments is None:
            from explorer.store.environments import EnvironmentStore

            self.environments = EnvironmentStore()
        return self.environments

    def usage_store(self) -> Usage:
        if self.usage is None:
            from explorer.store.usage import Usage

            self.usage = Usage()
        return self.usage

    def history_store(self) -> History:
        if self.history is None:
            from explorer.store.history import History

            self.history = History(
                max_entries=self.settings.get("history.max_entries"),
                max_days=self.settings.get("history.max_days"),
            )
        return self.history

    def save(self) -> str:
        """Write what the services keep (environments, usage); an error message or ""."""
        messages = [
            store.try_save() for store in (self.environments, self.usage) if store is not None
        ]
        return next((m for m in messages if m), "")

    def report_error(self, message: str) -> None:
        """Log an unexpected error and show it wherever the window put a handler."""
        log.error("%s", message)
        for handler in self.on_error:
            handler(message)

    async def get_sender(self) -> Sender:
        """The HTTP sender; its first use imports httpx in a worker thread."""
        if self.sender is None:
            module = await asyncio.to_thread(importlib.import_module, "explorer.http.send")
            if self.sender is None:
                self.sender = module.Sender()
        assert self.sender is not None
        return self.sender

    async def start_demo_server(self) -> str:
        """Serve the bundled demo on a free loopback port (in a thread); its base URL."""
        if self.mock is None:
            mock = await asyncio.to_thread(importlib.import_module, "explorer.mock")
            server = mock.MockServer(str(self.demo_spec), host="127.0.0.1", port=0)
            await asyncio.to_thread(server.start)
            self.mock = server
        return str(self.mock.base_url)

    async def aclose(self) -> None:
        """Close the sender's connections, the history and stop the demo server."""
        if self.history is not None:
            await self.history.aclose()
        if self.sender is not None:
            await self.sender.aclose()
        if self.mock is not None:
            mock, self.mock = self.mock, None
            await asyncio.to_thread(mock.stop)
