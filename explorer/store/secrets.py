"""Secrets: only ever in the operating system's keyring, through `keyring`. No Qt.

    store = SecretStore()
    await store.set("production/bearerAuth", token)      # a keyring call, off the loop
    await store.get("production/bearerAuth")             # the value, or None
    store.get_sync(...), store.set_sync(...)             # for the command line
    store.available, store.problem                       # is there a usable keyring?

Every call runs in a worker thread when awaited (a keyring call can wait on D-Bus, or
on the user unlocking a keyring). Names are "<environment>/<slot>" by convention, all
under one service ("explorer").

With no usable backend (none installed, a locked keyring that stays locked), `problem`
says so in one sentence for the window to show, and secrets are kept in memory for this
session only: never in a plain file, never silently.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from explorer.errors import StoreError

__all__ = ["SERVICE", "SecretStore"]

SERVICE = "explorer"
RETRY_DELAY = 0.2
"""Seconds before a failed keyring call is tried once more (off the event loop)."""
T = TypeVar("T")
"""The keyring service every secret of explorer is stored under."""


class SecretStore:
    """The secrets of explorer (see the module docstring)."""

    def __init__(self, service: str | None = None, *, backend: Any = None) -> None:
        # $EXPLORER_KEYRING_SERVICE keeps a second set of secrets apart (tests, a sandbox)
        self.service = service or os.environ.get("EXPLORER_KEYRING_SERVICE") or SERVICE
        self._backend = backend  # a keyring backend (tests); None: keyring's choice
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()
        self._checked = False
        self.problem = ""
        """Why secrets are kept for this session only ("" when the keyring works)."""

    # -- the backend ----------------------------------------------------------------------

    def _keyring(self) -> Any:
        """The keyring backend, or None when there is no usable one (`problem` says why)."""
        with self._lock:
            if self._checked:
                return self._backend
            self._checked = True
            try:
                import keyring
                from keyring.backends import fail

                backend = self._backend or keyring.get_keyring()
                if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
                    raise RuntimeError("no keyring backend is installed")
            except Exception as exc:  # an import error, a broken backend
                self._backend = None
                self.problem = (
                    f"No usable keyring ({_reason(exc)}): secrets are kept for this session "
                    "only, never written to a file."
                )
                return None
            self._backend = backend
            return backend

    @property
    def available(self) -> bool:
        """Whether secrets are kept in the keyring (checked on first use)."""
        return self._keyring() is not None

    def _fallback(self, exc: BaseException) -> None:
        """A keyring call failed (locked, D-Bus gone): keep secrets in memory from now on."""
        with self._lock:
            self._backend = None
            self._checked = True
            self.problem = (
                f"The keyring could not be used ({_reason(exc)}): secrets are kept for this "
                "session only, never written to a file."
            )

    # -- calls, as they block -------------------------------------------------------------

    @staticmethod
    def _twice(call: Callable[[], T]) -> T:
        """`call()`, tried once more after a moment when it fails: a Secret Service under
        load can fail one D-Bus call ("Failed to create the collection") and answer the
        next; a second failure is the caller's (the session-only fallback)."""
        try:
            return call()
        except Exception:
            time.sleep(RETRY_DELAY)
            return call()

    def get_sync(self, name: str) -> str | None:
        """The secret called `name`, or None (blocking: not on the event loop)."""
        backend = self._keyring()
        if backend is not None:
            try:
                value = self._twice(lambda: backend.get_password(self.service, name))
            except Exception as exc:  # locked, D-Bus gone: say so, keep working
                self._fallback(exc)
            else:
                return value if isinstance(value, str) else None
        return self._memory.get(name)

    def set_sync(self, name: str, value: str) -> None:
        """Keep `value` as the secret `name` (blocking). Raises StoreError only for a name
        that cannot be one."""
        if not name or "\x00" in name or "\x00" in value:
            raise StoreError(f"cannot keep a secret named {name!r}")
        backend = self._keyring()
        if backend is not None:
            try:
                self._twice(lambda: backend.set_password(self.service, name, value))
                self._memory.pop(name, None)
                return
            except Exception as exc:
                self._fallback(exc)
        self._memory[name] = value

    def delete_sync(self, name: str) -> bool:
        """Forget the secret `name` (blocking); True when there was one."""
        had = self._memory.pop(name, None) is not None
        backend = self._keyring()
        if backend is not None:
            try:
                if self._twice(lambda: backend.get_password(self.service, name)) is not None:
                    backend.delete_password(self.service, name)
                    had = True
            except Exception as exc:
                self._fallback(exc)
        return had

    # -- calls, off the event loop --------------------------------------------------------

    async def get(self, name: str) -> str | None:
        return await asyncio.to_thread(self.get_sync, name)

    async def set(self, name: str, value: str) -> None:
        await asyncio.to_thread(self.set_sync, name, value)

    async def delete(self, name: str) -> bool:
        return await asyncio.to_thread(self.delete_sync, name)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
