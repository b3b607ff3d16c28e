"""What the user typed per operation, kept per document so that reopening it (or
reselecting an endpoint) gives back the form as it was. No secrets: the editor's state
leaves them out, and this file would be the wrong place for them anyway."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from explorer.store._files import data_dir, read_json_object, write_atomic

__all__ = ["Drafts"]


class Drafts:
    """Editor states of one document, keyed by "METHOD /path"."""

    def __init__(self, source: str, folder: Path | None = None) -> None:
        digest = hashlib.sha1(source.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
        self.path = (folder or data_dir() / "drafts") / f"{digest}.json"
        self.source = source
        self._states: dict[str, Any] = {}
        self._tabs: dict[str, Any] = {}
        self._dirty = False
        raw, self.problem = read_json_object(self.path, "drafts")
        """A sentence for the user when the file was damaged (moved aside) or unreadable."""
        # A file that is there but could not be read is never written over.
        self._writable = raw is not None or not self.path.exists()
        if isinstance(raw, dict) and isinstance(raw.get("operations"), dict):
            self._states = raw["operations"]
        if isinstance(raw, dict) and isinstance(raw.get("tabs"), dict):
            self._tabs = raw["tabs"]

    def get(self, key: str) -> Mapping[str, Any] | None:
        state = self._states.get(key)
        return state if isinstance(state, dict) else None

    def put(self, key: str, state: Mapping[str, Any]) -> None:
        if self._states.get(key) != state:
            self._states[key] = dict(state)
            self._dirty = True

    def tabs(self) -> tuple[list[dict[str, Any]], int, str]:
        """The tabs open when the document was last closed: (sessions as persisted, the
        active index, the local server of that run)."""
        items = self._tabs.get("open")
        active = self._tabs.get("active")
        server = self._tabs.get("server")
        return (
            [t for t in items if isinstance(t, dict)] if isinstance(items, list) else [],
            active if isinstance(active, int) else 0,
            server if isinstance(server, str) else "",
        )

    def set_tabs(self, sessions: list[dict[str, Any]], active: int, server: str) -> None:
        """Remember the open tabs (already without secrets)."""
        tabs = {"open": sessions, "active": active, "server": server}
        if tabs != self._tabs:
            self._tabs = tabs
            self._dirty = True

    def save(self) -> None:
        """Write if anything changed; raises StoreError."""
        if not self._dirty or not self._writable:
            return
        payload = {"source": self.source, "operations": self._states, "tabs": self._tabs}
        write_atomic(self.path, orjson.dumps(payload, option=orjson.OPT_INDENT_2))
        self._dirty = False
