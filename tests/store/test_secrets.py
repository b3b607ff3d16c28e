"""Secrets live in the real OS keyring (gnome-keyring's Secret Service, started by the test
setup) or, with no usable keyring, in memory for the session: never in a file."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import pytest
from keyring.backends import fail
from keyring.errors import KeyringLocked

from explorer.store.secrets import SecretStore

real_keyring = pytest.mark.skipif(
    not os.environ.get("EXPLORER_TEST_KEYRING"),
    reason="needs the Secret Service that .ci/test.sh starts (EXPLORER_TEST_KEYRING=1)",
)


@real_keyring
def test_a_secret_goes_to_the_real_keyring_and_back() -> None:
    import keyring

    store = SecretStore(service=f"explorer-test-{uuid.uuid4().hex[:8]}")
    assert store.available, store.problem
    chosen = keyring.get_keyring()
    names = [type(b).__module__ for b in getattr(chosen, "backends", [chosen])]
    assert any("SecretService" in n for n in names), names

    async def scenario() -> None:
        await store.set("production/bearerAuth", "tok-1")
        assert await store.get("production/bearerAuth") == "tok-1"
        # another process reads it back: it is in the keyring, not in our memory
        assert keyring.get_password(store.service, "production/bearerAuth") == "tok-1"
        assert await store.delete("production/bearerAuth")
        assert await store.get("production/bearerAuth") is None
        assert not await store.delete("production/bearerAuth")

    asyncio.run(scenario())


def test_no_backend_keeps_secrets_for_the_session_and_says_so(tmp_path: Path) -> None:
    store = SecretStore(backend=fail.Keyring())
    assert not store.available
    assert "session only" in store.problem
    store.set_sync("dev/key", "k-1")
    assert store.get_sync("dev/key") == "k-1"
    assert SecretStore(backend=fail.Keyring()).get_sync("dev/key") is None  # not kept


class _Locked:
    """A keyring that stays locked. Not a `KeyringBackend` subclass: keyring registers
    every subclass as a backend of the process, and it would then be tried for real."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


def test_a_locked_keyring_is_said_once_and_nothing_is_lost() -> None:
    store = SecretStore(backend=_Locked())
    assert store.available and store.problem == ""
    store.set_sync("dev/key", "k-2")  # the keyring refuses: kept for the session
    assert "could not be used" in store.problem and "unlock" in store.problem
    assert store.get_sync("dev/key") == "k-2"
    assert store.delete_sync("dev/key")
