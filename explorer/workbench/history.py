"""From a finished send to a history entry, and from an entry back to a tab. No Qt.

    entry = entry_for(session, op, environment="development")   # redacted: no secret
    services.history_store().record(entry)                       # off the event loop
    op_key, state = reopen_state(entry, api, preferred_server)   # a new tab's editor state

What an entry keeps of the request goes through `explorer.workbench.redact`: the editor's
state as drafts keep it (`redact_state`, with the endpoint's `format: password` names),
the request as sent with its credentials as `${NAME}` placeholders (`redact_prepared`),
and every secret value the request carried is scrubbed from the rest, the start of the
response body included (a server that echoes the request, a login that answers a token).
"""

from __future__ import annotations

import copy
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import orjson

from explorer.store.history import HistoryEntry
from explorer.workbench.redact import (
    password_names,
    redact_json_text,
    redact_pairs,
    redact_prepared,
    redact_state,
    scrub_text,
    secret_values,
)
from explorer.workbench.session import RequestSession

if TYPE_CHECKING:
    from explorer.http.model import NetworkFailure, ResponseResult
    from explorer.spec.model import Operation, Spec
    from explorer.workbench.address import Address

__all__ = ["BODY_START", "REQUEST_LIMIT", "STATE_LIMIT", "entry_for", "reopen_state"]

BODY_START = 4096
"""How much of a response body (characters of text) an entry keeps."""
_REDACT_WINDOW = 16384
"""How much of the body is redacted before it is cut to BODY_START: a secret value cut in
two at the end of what is kept is still found whole."""
REQUEST_LIMIT = 64 * 1024
"""A request body longer than this (bytes) is not kept (the entry says how long it was)."""
STATE_LIMIT = 512 * 1024
"""An editor state bigger than this (as JSON, before redaction) is not kept: the entry
cannot be reopened."""
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def entry_for(
    session: RequestSession,
    op: Operation | None,
    environment: str = "",
    now: float | None = None,
) -> HistoryEntry | None:
    """What the history keeps of the session's finished send (None when it has none):
    redacted (see the module docstring)."""
    from explorer.http.model import NetworkFailure, ResponseResult

    prepared, result = session.prepared, session.result
    if session.phase != "done" or prepared is None or result is None:
        return None
    # What is not kept is not redacted either: a big body would hold the loop for nothing.
    big = prepared.content is not None and len(prepared.content) > REQUEST_LIMIT
    kept = replace(prepared, content=None) if big else prepared
    secrets = secret_values(kept)
    safe = redact_prepared(kept)
    raw_state = session.baseline or session.state
    state: dict[str, Any] | None = None
    if len(orjson.dumps(raw_state)) <= STATE_LIMIT:
        state = _scrubbed(redact_state(raw_state, password_names(op)), secrets)
    request: dict[str, Any] = {
        "headers": [list(h) for h in safe.headers],
        "form": [list(f) for f in safe.form],
        "files": [list(f) for f in safe.files],
        "secrets": [list(s) for s in safe.secrets],
    }
    if prepared.content is not None:
        request["size"] = len(prepared.content)
        if safe.content is not None:
            request["content"] = safe.content.decode("utf-8")
    entry = HistoryEntry(
        time=time.time() if now is None else now,
        method=safe.method,
        url=safe.url,
        op_key=session.op_key,
        environment=environment,
        state=state,
        request=request,
    )
    if isinstance(result, ResponseResult):
        return _answered(entry, result, secrets)
    assert isinstance(result, NetworkFailure)
    return _failed(entry, result, secrets)


def _answered(
    entry: HistoryEntry, result: ResponseResult, secrets: list[tuple[str, str]]
) -> HistoryEntry:
    return replace(
        entry,
        status=result.status,
        reason=scrub_text(result.reason, secrets),
        elapsed=result.timing.total,
        size=result.size,
        content_type=result.content_type,
        body_start=_body_start(result, secrets),
    )


def _failed(
    entry: HistoryEntry, failure: NetworkFailure, secrets: list[tuple[str, str]]
) -> HistoryEntry:
    return replace(
        entry,
        failure=failure.kind,
        reason=scrub_text(failure.message, secrets),
        elapsed=failure.elapsed,
    )


def _body_start(result: ResponseResult, secrets: list[tuple[str, str]]) -> str:
    """The start of the body as text, redacted: "" for a body that is not text."""
    from explorer.http.content import classify, decode_body
    from explorer.http.media import is_json_media_type

    if classify(result.content_type, result.body[:8192]) in ("empty", "image", "binary"):
        return ""
    header = result.header("content-type")
    text = decode_body(result.body[:_REDACT_WINDOW], header).text
    if len(result.body) > _REDACT_WINDOW:
        text = text.rstrip("\ufffd")  # a character cut in two at the window's end
    if is_json_media_type(result.content_type) or text.lstrip()[:1] in ("{", "["):
        text = redact_json_text(text)
    elif result.content_type == "application/x-www-form-urlencoded":
        text = redact_pairs(text)
    return scrub_text(text, secrets)[:BODY_START]


def _scrubbed(value: Any, secrets: list[tuple[str, str]]) -> Any:
    """A JSON-able value with the request's secrets scrubbed out of every string."""
    if not secrets:
        return value
    if isinstance(value, str):
        return scrub_text(value, secrets)
    if isinstance(value, dict):
        return {k: _scrubbed(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, secrets) for v in value]
    return value


def reopen_state(
    entry: HistoryEntry, api: Spec | None, preferred_server: str | None
) -> tuple[str | None, dict[str, Any]]:
    """The endpoint and editor state a new tab opens an entry with, as drafts do: an
    endpoint of the open document with the state it was sent with (the local server of an
    earlier run replaced by this run's); else an ad-hoc request of the same method, URL,
    query, headers and body."""
    state: dict[str, Any] = copy.deepcopy(entry.state) if entry.state else {}
    op = api.find(entry.op_key) if api is not None and entry.op_key else None
    if op is not None:
        if preferred_server:
            state.pop("server", None)  # as a draft: this run's server
        return op.key, state
    from explorer.workbench.address import split_address
    from explorer.workbench.workspace import rebase_address

    address = split_address(entry.url)
    if "address" not in state or entry.op_key is not None:
        # An endpoint of another document: the URL as it was sent, ad hoc.
        kept: dict[str, Any] = {k: state[k] for k in ("headers", "body", "settings") if k in state}
        query = [[True, n, "" if "${" in v else v] for n, v in address.query] if address else []
        origin_path = (address.origin, address.path) if address else (entry.url, "")
        state = {
            **kept,
            "method": entry.method,
            "address": {"base": origin_path[0], "path": origin_path[1]},
            "query": query,
        }
    state["method"] = entry.method
    if preferred_server and address is not None and _earlier_run(address, preferred_server):
        state = rebase_address(state, address.origin, preferred_server)
    return None, state


def _earlier_run(address: Address, preferred_server: str) -> bool:
    """The URL was on the local server of an earlier run (this machine, the same path
    under it, another port): its port is gone, this run's server takes its place."""
    from explorer.workbench.address import split_address

    here = split_address(preferred_server)
    host = urlsplit(address.origin).hostname or ""
    return (
        here is not None
        and host in _LOOPBACK
        and address.origin != here.origin
        and (address.path + "/").startswith(here.path.rstrip("/") + "/")
    )
