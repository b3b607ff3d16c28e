"""The one owner of the requests' tasks. No Qt here.

`Workbench` holds the open sessions (the window's tabs, in order), the recently closed
ones (to reopen), one tracked send task per session and one load task for documents.
Widgets never run requests: they ask the workbench to `send()` or `cancel()` and show
what its listeners are told.

    bench = Workbench(services)
    bench.listeners.append(lambda session: ...)     # after every phase change
    session = bench.open(RequestSession(op_key="GET /contacts"))
    bench.send(session, request_input, options)     # replaces a send in flight
    bench.cancel(session)                           # phase "cancelled"
    bench.close(session)                            # cancels its send; reopen_closed()
    await bench.aclose()                            # shutdown: cancel and wait for all

A send that is replaced or whose session was closed never touches the session again:
its task compares the session's `generation` (and `closed`) before writing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from explorer.errors import AuthError, RequestError
from explorer.workbench.services import Services
from explorer.workbench.session import RequestSession
from explorer.workbench.tasks import TaskSlot

if TYPE_CHECKING:  # the HTTP side loads with the first send, not at the window's start-up
    from explorer.http.model import (
        NetworkFailure,
        PreparedRequest,
        RequestInput,
        ResponseResult,
        TransportOptions,
    )
    from explorer.spec.model import Operation
    from explorer.workbench.credentials import Credentials

__all__ = ["CLOSED_LIMIT", "Placement", "Workbench"]

CLOSED_LIMIT = 20
"""How many closed sessions Ctrl+Shift+T can bring back."""

T = TypeVar("T")

Placement = Literal["shown", "switch", "reuse", "new"]
"""Where an endpoint picked in the tree goes: it is shown already; the session that shows
it; the current session (unchanged, so it may be replaced); a new session."""


class Workbench:
    """See the module docstring."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.sessions: list[RequestSession] = []
        self.closed: list[RequestSession] = []
        self.listeners: list[Callable[[RequestSession], None]] = []
        self._sends: dict[int, TaskSlot] = {}
        self._load = TaskSlot("load document")
        self.credentials: Credentials | None = None
        """The open document's credentials in its environment in use (the window sets it)."""

    # -- sessions -------------------------------------------------------------------------

    def open(self, session: RequestSession, index: int | None = None) -> RequestSession:
        """Add a session (at `index`, else last)."""
        session.closed = False
        if index is None or not 0 <= index <= len(self.sessions):
            self.sessions.append(session)
        else:
            self.sessions.insert(index, session)
        return session

    def close(self, session: RequestSession) -> None:
        """Close a session: its send is cancelled and nothing it started touches it again."""
        if session not in self.sessions:
            return
        self._cancel_task(session)
        session.closed = True
        if session.phase == "sending":
            session.phase = "cancelled"
        self.sessions.remove(session)
        self.closed.append(session)
        del self.closed[:-CLOSED_LIMIT]

    def reopen_closed(self) -> RequestSession | None:
        """The session closed last, open again at the end (None when there is none)."""
        if not self.closed:
            return None
        return self.open(self.closed.pop())

    def place(
        self, op_key: str, current: RequestSession | None
    ) -> tuple[Placement, RequestSession | None]:
        """Where the endpoint `op_key`, picked by the user, is shown: in the session that
        shows it already, else in the current one unless that was changed (edited or
        sent) or is sending, else in a new one."""
        if current is not None and current.op_key == op_key:
            return "shown", current
        existing = next((s for s in self.sessions if s.op_key == op_key), None)
        if existing is not None:
            return "switch", existing
        if current is None or current.keep or current.phase == "sending":
            return "new", None
        return "reuse", current

    def clear(self) -> None:
        """Close every session for good (another document was opened)."""
        for session in list(self.sessions):
            self.close(session)
        self.closed.clear()

    # -- sending --------------------------------------------------------------------------

    def send(
        self,
        session: RequestSession,
        inp: RequestInput,
        options: TransportOptions,
        *,
        op: Operation | None = None,
    ) -> asyncio.Task[None] | None:
        """Build and send `inp` for `session` (the request of `op`, when it has one),
        replacing a send in flight. Returns the task, or None when the request could not
        be built (phase "error", with why).

        With `credentials` set, the environment's variables are filled in first (an
        unknown one refuses the send), then, in the task, the credentials the operation's
        security requirement asks for and the jar's cookies are added (a login slot logs
        in by itself), and after a 401 a login slot logs in again once and the request is
        sent once more."""
        from explorer.http.build import build_request
        from explorer.workbench.exchange import fill_variables

        self._cancel_task(session)
        creds = self.credentials
        try:
            if creds is not None:
                inp = fill_variables(inp, creds.variables(), f"the environment '{creds.env.name}'")
            prepared = build_request(inp)
        except RequestError as exc:
            session.fail_build(str(exc))
            self._notify(session)
            return None
        generation = session.start_send(prepared)
        self._notify(session)
        slot = self._sends.setdefault(session.id, TaskSlot(f"send {session.op_key or 'request'}"))
        return slot.start(self._send(session, generation, inp, prepared, options, op))

    async def _send(
        self,
        session: RequestSession,
        generation: int,
        inp: RequestInput,
        prepared: PreparedRequest,
        options: TransportOptions,
        op: Operation | None,
    ) -> None:
        from explorer.workbench.exchange import exchange

        def current() -> bool:
            return session.generation == generation and not session.closed

        try:
            sender = await self.services.get_sender()

            def send(request: PreparedRequest) -> Awaitable[ResponseResult | NetworkFailure]:
                return sender.send(request, options)

            result, prepared, note = await exchange(self.credentials, inp, prepared, op, send)
        except asyncio.CancelledError:
            if current() and session.phase == "sending":
                session.phase = "cancelled"
                self._notify(session)
            raise
        except (AuthError, RequestError) as exc:
            if current():
                session.fail_build(str(exc))
                self._notify(session)
            return
        if not current():
            return
        session.prepared = prepared
        session.result = result
        session.note = note
        session.phase = "done"
        self._notify(session)
        self._record(session, op)

    def _record(self, session: RequestSession, op: Operation | None) -> None:
        """Keep the finished send in the history, redacted (written on the history's own
        thread: the send never waits on the disk)."""
        if not self.services.settings.get("history.enabled"):
            return
        from explorer.workbench.history import entry_for

        try:
            env = self.credentials.env.name if self.credentials is not None else ""
            entry = entry_for(session, op, env)
        except Exception as exc:  # the history must never cost the user a response
            self.services.report_error(f"The request could not be kept in the history: {exc!r}")
            return
        if entry is not None:
            self.services.history_store().record(entry)

    def cancel(self, session: RequestSession) -> bool:
        """Cancel the session's send in flight; True when there was one."""
        if session.phase != "sending":
            return False
        self._cancel_task(session)
        session.phase = "cancelled"
        self._notify(session)
        return True

    def sending(self, session: RequestSession) -> bool:
        return session.phase == "sending"

    def _cancel_task(self, session: RequestSession) -> None:
        slot = self._sends.get(session.id)
        if slot is not None:
            slot.cancel()

    # -- loading --------------------------------------------------------------------------

    def load(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run a document load as the one load task (a new load replaces the old one)."""
        return self._load.start(coro)

    @property
    def loading(self) -> asyncio.Task[Any] | None:
        return self._load.task

    # -- the end --------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Cancel every task this workbench owns and wait until they have ended."""
        tasks = [slot.task for slot in (*self._sends.values(), self._load)]
        for slot in (*self._sends.values(), self._load):
            slot.cancel()
        for task in tasks:
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    def _notify(self, session: RequestSession) -> None:
        for listener in list(self.listeners):
            listener(session)
