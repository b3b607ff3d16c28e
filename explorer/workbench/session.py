"""One request being worked on (what a tab holds), as plain data. No Qt here.

A session is linked to the endpoint it came from (`op_key`, "METHOD /path") or is ad hoc
(`op_key` None: a method and URL typed by hand). Its `state` is what the editor shows, as
JSON-able data (the editor's `state()`): kept whole in memory, secrets included, and
written to disk only through `persisted()`, which leaves secrets out.

    opened ──edit──> unsent changes (the dot) ──send──> sending ──> done | cancelled
                                                             └──> error (could not build)

A request opened from (or saved to) a collection file keeps where (`saved`) and the state
the file holds (`saved_state`): its tab shows a dot while they differ (`unsaved`).

`generation` grows with every send: the task of an older send checks it before touching
the session, so a late cancellation can never overwrite the newer request's state.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # annotations only: the window's start-up does not load the HTTP model
    from explorer.http.model import NetworkFailure, PreparedRequest, ResponseResult
    from explorer.workbench.saved import SavedLink

__all__ = ["Phase", "RequestSession"]

Phase = Literal["idle", "sending", "done", "cancelled", "error"]

_ids = itertools.count(1)


@dataclass(eq=False)
class RequestSession:
    """One request being edited and sent; see the module docstring."""

    op_key: str | None = None
    """The endpoint this request was made for ("GET /contacts"); None for an ad-hoc one."""
    state: dict[str, Any] = field(default_factory=dict)
    """What the editor shows (its `state()`), secrets included: memory only."""
    baseline: dict[str, Any] | None = None
    """The state when the request was opened or last sent: `unsent` compares with it."""
    edited: bool = False
    """The user changed something since the session was opened."""
    sent: bool = False
    """The request was sent at least once."""
    phase: Phase = "idle"
    prepared: PreparedRequest | None = None
    """What the last send put on the wire."""
    result: ResponseResult | NetworkFailure | None = None
    """What came back from the last send (None before the first, or while it runs)."""
    error: str = ""
    """Why the last send could not be built (phase "error")."""
    note: str = ""
    """Something to say about the last send ("logged in again and sent once more")."""
    generation: int = 0
    """Grows with every send (see the module docstring)."""
    closed: bool = False
    saved: SavedLink | None = None
    """The collection file this request was opened from or saved to (None: not saved)."""
    saved_state: dict[str, Any] | None = None
    """The state when the request was last read from or written to that file."""
    id: int = field(default_factory=lambda: next(_ids))

    @property
    def unsent(self) -> bool:
        """The state differs from what was last sent (or opened): the tab shows a dot."""
        return self.edited and self.state != self.baseline

    @property
    def unsaved(self) -> bool:
        """A saved request whose state differs from its file's (the tab shows a dot); not
        while it waits to be filled from its file (`saved_state` None)."""
        if self.saved is None or self.saved_state is None:
            return False
        from explorer.workbench.saved import comparable

        return comparable(self.state) != comparable(self.saved_state)

    def mark_saved(self, link: SavedLink) -> None:
        """The state now is what the file `link` holds (just read or written)."""
        self.saved = link
        self.saved_state = copy.deepcopy(self.state)

    @property
    def keep(self) -> bool:
        """Changed by the user, sent or saved: selecting another endpoint opens a new tab
        rather than replacing this one."""
        return self.edited or self.sent or self.saved is not None

    def opened(self, state: Mapping[str, Any]) -> None:
        """The editor was filled for this session (from defaults, a draft or disk)."""
        self.state = copy.deepcopy(dict(state))
        self.baseline = copy.deepcopy(self.state)

    def update(self, state: Mapping[str, Any]) -> bool:
        """The user edited the request: keep its new state. True when it changed."""
        new = dict(state)
        if new == self.state:
            return False
        self.state = copy.deepcopy(new)
        self.edited = True
        return True

    def retarget(self, op_key: str | None) -> None:
        """Show another endpoint in this (unchanged) session: a fresh start for it."""
        self.op_key = op_key
        self.result = None
        self.prepared = None
        self.phase = "idle"
        self.edited = False

    def start_send(self, prepared: PreparedRequest) -> int:
        """A send begins with `prepared`; returns its generation."""
        self.generation += 1
        self.phase = "sending"
        self.prepared = prepared
        self.result = None
        self.error = ""
        self.note = ""
        self.sent = True
        self.baseline = copy.deepcopy(self.state)
        return self.generation

    def fail_build(self, message: str) -> None:
        """The request could not be built: nothing was sent."""
        self.generation += 1
        self.phase = "error"
        self.error = message

    def persisted(self, redact: Callable[[Mapping[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        """What is written to disk for this session: the endpoint and the editor state,
        passed through `redact` (which leaves secrets out), and where it is saved. Results
        are not kept."""
        out: dict[str, Any] = {
            "op": self.op_key,
            "state": redact(self.state),
            "edited": self.edited,
        }
        if self.saved is not None:
            out["saved"] = self.saved.to_data()
            if self.unsaved:  # else the file is the state: read again at the next start
                out["saved_state"] = redact(self.saved_state or {})
        return out

    @classmethod
    def from_persisted(cls, data: Mapping[str, Any]) -> RequestSession | None:
        """A session from what `persisted()` wrote; None when the data is not usable."""
        op = data.get("op")
        state = data.get("state")
        if not (op is None or isinstance(op, str)) or not isinstance(state, dict):
            return None
        session = cls(op_key=op)
        session.opened(state)
        session.edited = bool(data.get("edited"))
        if "saved" in data:
            from explorer.workbench.saved import SavedLink

            session.saved = SavedLink.from_data(data.get("saved"))
            saved_state = data.get("saved_state")
            session.saved_state = dict(saved_state) if isinstance(saved_state, dict) else None
        return session
