"""The loopback redirect of a native app's sign-in (RFC 8252 7.3). No Qt.

    redirect = LoopbackRedirect(path="/callback")      # 127.0.0.1, a free port
    try:
        uri = await redirect.start(state)                # http://127.0.0.1:PORT/callback
        answer = await redirect.wait()                   # {"code": ..., "state": ...}
    finally:
        await redirect.close()

A one-shot HTTP/1.1 listener on 127.0.0.1 only: the first request to `path` decides the
sign-in, whatever it says (a code, an error, a wrong `state`); the browser gets a short
page saying it may be closed, and nothing of the request is reflected into it. Other paths
(a favicon) get a 404 and change nothing; a request after the decision is told the sign-in
has finished. A connection that sends no complete request head within a few seconds, or
one over 16 KiB, is dropped without a reply, so no client can hold the listener.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
from urllib.parse import parse_qs, urlsplit

from explorer.errors import OAuthError

__all__ = ["LoopbackRedirect"]

HEAD_TIMEOUT = 10.0
"""Seconds a connection may take to send its request head."""
HEAD_LIMIT = 16 * 1024
"""Bytes a request head may have (the redirect carries a code and a state: far less)."""

_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Explorer</title>"
    "<style>body{{font:16px sans-serif;margin:4em auto;max-width:32em;color:#222}}</style>"
    "</head><body><h1>{title}</h1><p>{text}</p></body></html>"
)
_DONE = _PAGE.format(title="Signed in", text="You can close this page and go back to Explorer.")
_FAILED = _PAGE.format(
    title="Sign-in not completed",
    text="You can close this page: Explorer says what happened.",
)
_FINISHED = _PAGE.format(
    title="Already finished", text="This sign-in has already finished; close this page."
)
_NOT_FOUND = _PAGE.format(title="Not found", text="Nothing here.")


class LoopbackRedirect:
    """A one-shot listener for the authorization response (see the module docstring)."""

    def __init__(self, *, path: str = "/callback", port: int = 0) -> None:
        self.path = path if path.startswith("/") else "/" + path
        self.port = port
        self._server: asyncio.Server | None = None
        self._state = ""
        self._answer: asyncio.Future[dict[str, str]] | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def uri(self) -> str:
        """The redirect URI to send to the provider (valid once started)."""
        return f"http://127.0.0.1:{self.port}{self.path}"

    async def start(self, state: str) -> str:
        """Listen on 127.0.0.1 (port 0: one the system picks); the answer must carry
        `state`. Returns `uri`."""
        self._state = state
        self._answer = asyncio.get_running_loop().create_future()
        try:
            self._server = await asyncio.start_server(
                self._handle, "127.0.0.1", self.port, limit=HEAD_LIMIT
            )
        except OSError as exc:
            raise OAuthError(
                f"Cannot listen for the sign-in redirect on 127.0.0.1 port {self.port} "
                f"({exc.strerror or exc}): choose another redirect port, or 0 for any.",
                error="browser",
            ) from exc
        self.port = self._server.sockets[0].getsockname()[1]
        return self.uri

    async def wait(self) -> dict[str, str]:
        """The parameters of the redirect once it came, each once (`code`, `state`, `iss`
        ...). Raises OAuthError for an answer that is an error or has a wrong `state`. The
        caller bounds the wait (the person may never come back)."""
        if self._answer is None:
            raise RuntimeError("LoopbackRedirect.wait() before start()")
        return await self._answer

    async def close(self) -> None:
        """Stop listening and drop every open connection."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for task in list(self._handlers):
            task.cancel()
        if self._handlers:
            await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._answer is not None and not self._answer.done():
            self._answer.cancel()

    # -- one connection --------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        try:
            await self._serve(reader, writer)
        except asyncio.CancelledError:
            # `close()` stops it. Ending as cancelled is not an option: Python 3.11's
            # streams then report an "exception in callback" to the loop (the window would
            # show it as an unexpected error).
            pass
        finally:
            if task is not None:
                self._handlers.discard(task)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            try:
                async with asyncio.timeout(HEAD_TIMEOUT):
                    head = await reader.readuntil(b"\r\n\r\n")
            except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                return
            status, page = self._answer_to(head)
            await _respond(writer, status, page)
        except (ConnectionError, TimeoutError):
            pass  # the browser went away: the decision (if any) is made already
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    def _answer_to(self, head: bytes) -> tuple[str, str]:
        """(status line text, page) for one request head; decides the sign-in when the
        request is the redirect."""
        words = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
        if len(words) != 3 or not words[2].startswith("HTTP/"):
            return "400 Bad Request", _NOT_FOUND
        method, target = words[0], urlsplit(words[1])
        if target.path != self.path:
            return "404 Not Found", _NOT_FOUND
        if method != "GET":
            return "405 Method Not Allowed", _NOT_FOUND
        if self._answer is None or self._answer.done():
            return "200 OK", _FINISHED
        try:
            params = self._judge(parse_qs(target.query, keep_blank_values=True))
        except OAuthError as exc:
            self._answer.set_exception(exc)
            return "400 Bad Request", _FAILED
        self._answer.set_result(params)
        return "200 OK", _DONE

    def _judge(self, raw: dict[str, list[str]]) -> dict[str, str]:
        """The redirect's parameters, or OAuthError: a state that is not ours first (an
        answer meant for another sign-in is never used), then the provider's error."""
        from explorer.http.oauth import refusal  # the one wording of provider errors

        if any(len(values) > 1 for values in raw.values()):
            raise OAuthError(
                "The browser came back with a malformed sign-in answer (a parameter given "
                "twice); nothing of it was used. Start the sign-in again.",
                error="state_mismatch",
            )
        params = {name: values[0] for name, values in raw.items()}
        if not hmac.compare_digest(params.get("state", "").encode(), self._state.encode()):
            raise OAuthError(
                "The browser came back with a sign-in answer that does not belong to this "
                "sign-in (its state does not match); nothing of it was used. Start the "
                "sign-in again.",
                error="state_mismatch",
            )
        if "error" in params:
            raise refusal(params["error"], params.get("error_description", ""), "browser")
        if not params.get("code"):
            raise OAuthError(
                "The browser came back from the provider without an authorization code.",
                error="not_oauth",
            )
        return params


async def _respond(writer: asyncio.StreamWriter, status: str, page: str) -> None:
    """Send a small HTML page and close: no caching, no referrer (the URL held a code)."""
    body = page.encode()
    writer.write(
        (
            f"HTTP/1.1 {status}\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\n"
            "Referrer-Policy: no-referrer\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        + body
    )
    async with asyncio.timeout(HEAD_TIMEOUT):
        await writer.drain()
