"""What one document's requests keep between runs: what was typed per endpoint (drafts)
and the open tabs, always written without secrets. No Qt.

    space = Workspace(Drafts(api.source), preferred_server="http://127.0.0.1:5000/api")
    space.draft_for("GET /contacts")            # what was typed, without the old port
    space.remember("GET /contacts", redacted)   # the per-endpoint draft
    space.keep_tabs([persisted, ...], active)   # the open tabs (already redacted)
    for session, state in space.restored_tabs()[0]: ...
    space.save()

A run of the demo serves it on a new free port each time: a draft or tab saved in an
earlier run keeps none of that run's local server (its port is gone), and an ad-hoc URL
on it moves to this run's. A server that names a variable (`{{baseUrl}}`, as a request
opened from a collection has it) is kept: the variable follows the run.

A tab opened from a collection file comes back linked to it (`RequestSession.saved`); the
window reads the file again (it may have changed while the app was closed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer.store import Drafts
from explorer.workbench.session import RequestSession

__all__ = ["Workspace", "rebase_address"]


class Workspace:
    """The drafts and tabs of one document (see the module docstring)."""

    def __init__(self, drafts: Drafts, preferred_server: str | None = None) -> None:
        self.drafts = drafts
        self.preferred_server = preferred_server

    @property
    def problem(self) -> str:
        """A sentence for the user when the drafts file was damaged or unreadable."""
        return self.drafts.problem

    def draft_for(self, op_key: str | None) -> dict[str, Any] | None:
        """What the user typed for an endpoint before (None: nothing)."""
        if op_key is None:
            return None
        draft = self.drafts.get(op_key)
        if not draft:
            return None
        if self.preferred_server:
            # Saved in an earlier run: its local server port is gone; this run's wins.
            return {k: v for k, v in draft.items() if k != "server"}
        return dict(draft)

    def remember(self, op_key: str | None, redacted: Mapping[str, Any]) -> None:
        """Keep what was typed for an endpoint (already without secrets)."""
        if op_key is not None:
            self.drafts.put(op_key, redacted)

    def keep_tabs(self, persisted: list[dict[str, Any]], active: int) -> None:
        """Remember the open tabs (each `RequestSession.persisted()`, without secrets)."""
        self.drafts.set_tabs(persisted, active, self.preferred_server or "")

    def restored_tabs(self) -> tuple[list[tuple[RequestSession, dict[str, Any]]], int]:
        """The tabs open when the document was last closed, as new sessions with the state
        to fill them with, and which one was active."""
        saved, active, old_server = self.drafts.tabs()
        out: list[tuple[RequestSession, dict[str, Any]]] = []
        for data in saved:
            session = RequestSession.from_persisted(data)
            if session is None:
                continue
            state = dict(session.state)
            if self.preferred_server and not _names_variable(state.get("server")):
                state.pop("server", None)  # the local mock of that run is gone
                if old_server and session.op_key is None:
                    state = rebase_address(state, old_server, self.preferred_server)
            out.append((session, state))
        return out, active

    def save(self) -> None:
        """Write what changed; raises StoreError."""
        self.drafts.save()


def _names_variable(server: Any) -> bool:
    """A server state whose custom base URL is a `{{variable}}`."""
    return isinstance(server, Mapping) and "{{" in str(server.get("custom") or "")


def rebase_address(state: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """An ad-hoc state whose URL was on an earlier run's local server, moved to this run's
    (same path, this run's origin)."""
    from explorer.workbench.address import split_address  # not needed for the first paint

    address = state.get("address")
    old_parts, new_parts = split_address(old), split_address(new)
    if isinstance(address, dict) and old_parts is not None and new_parts is not None:
        base = str(address.get("base") or "")
        if base == old_parts.origin or base.startswith(old_parts.origin + "/"):
            moved = new_parts.origin + base[len(old_parts.origin) :]
            state = {**state, "address": {**address, "base": moved}}
    return state
