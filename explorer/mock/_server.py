"""Serving the app: `MockServer` (a background thread, for the desktop app and tests) and
`cli_main` (the `explorer mock` command, in the foreground until Ctrl+C).

Both serve through uvicorn with the connection guard of `_protocol.py` (header read
timeout, connection limit) and an event-loop error handler that logs each kind of error
at most once per interval (a full file-descriptor table used to log a traceback per
failed `accept()`, 78 MB in 30 s).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import uvicorn

from explorer import spec
from explorer.demo import demo_spec_path
from explorer.errors import SpecError
from explorer.mock._app import MockApp
from explorer.mock._log import ThrottledLogger
from explorer.mock._protocol import HEADER_TIMEOUT, ConnectionGuard

__all__ = ["MockServer", "ServerThread", "cli_main", "create_app", "demo_spec_path"]


def create_app(
    api: spec.Spec,
    *,
    demo: bool | None = None,
    seed: int = 0,
    clock: Any = None,
    max_body: int | None = None,
    allow_hosts: Sequence[str] = (),
    **limits: Any,
) -> MockApp:
    """An ASGI app serving `api`.

    `demo` turns the demo behaviour on or off (default: on when the document declares
    `x-explorer-demo`); `seed` makes generated ids repeatable; `clock` (a `time.time`-like
    callable) drives rate-limit windows and token expiry; `max_body` caps request bodies.
    `allow_hosts` names the `Host` values served besides loopback ones on a loopback
    address ("*": any). `limits` are MockApp's other options (`work_budget`, `max_answer`,
    `body_timeout`, `workers`, `access_log`).
    """
    options: dict[str, Any] = {"demo": demo, "seed": seed, "allow_hosts": allow_hosts}
    if clock is not None:
        options["clock"] = clock
    if max_body is not None:
        options["max_body"] = max_body
    return MockApp(api, **options, **limits)


_loop_log = ThrottledLogger(logging.getLogger("explorer.mock"))


def _loop_error(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The event loop's error handler: each kind of error once per interval."""
    message = str(context.get("message") or "error in the event loop")
    exc = context.get("exception")
    if isinstance(exc, OSError):  # out of file descriptors, a reset: no bug, no traceback
        _loop_log.error(f"event loop: {message}: {exc}")
    else:
        _loop_log.error(f"event loop: {message}", exc_info=exc)


def _config(app: MockApp, guard: ConnectionGuard, **options: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        http=guard.protocol(),
        lifespan="off",
        timeout_graceful_shutdown=2,
        loop="asyncio",
        proxy_headers=False,  # no proxy in front: X-Forwarded-For is not to be believed
        backlog=256,  # the listen queue, and how many one accept() round takes before they count
        **options,
    )


async def _serve(server: uvicorn.Server, sock: socket.socket) -> None:
    asyncio.get_running_loop().set_exception_handler(_loop_error)
    await server.serve(sockets=[sock])


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only then
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class ServerThread:
    """An ASGI app served by uvicorn behind a connection guard, on a thread of its own
    with its own event loop: the mock server's and the webhook receiver's.

        runner = ServerThread(app, ConnectionGuard(), "mock server")
        port = runner.start("127.0.0.1", 0)      # OSError: the address cannot be bound
        runner.stop()
    """

    def __init__(self, app: Any, guard: ConnectionGuard, what: str) -> None:
        self.app = app
        self.guard = guard
        self.what = what
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def started(self) -> bool:
        return self._thread is not None

    def start(self, host: str, port: int, timeout: float = 10.0) -> int:
        """Bind and serve; returns the port once connections are accepted. An address
        that cannot be bound is an OSError; a server that does not start, a RuntimeError."""
        sock = _bind(host, port)
        port = sock.getsockname()[1]
        config = _config(self.app, self.guard, log_level="warning", access_log=False)
        server = uvicorn.Server(config)
        self._server = server
        self._error = None

        def run() -> None:
            loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(_serve(server, sock))
            except BaseException as exc:  # reported by start()
                self._error = exc
            finally:
                sock.close()
                loop.close()

        name = f"{self.what.replace(' ', '-')}-{port}"
        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if self._error is not None or not self._thread.is_alive():
                self._thread.join()
                self._thread = None
                raise RuntimeError(f"the {self.what} did not start: {self._error}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the {self.what} did not start in time")
            time.sleep(0.005)
        return port

    def stop(self, timeout: float = 10.0) -> None:
        """Shut the server down and wait for its thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._server = None


class MockServer:
    """A mock server on a background thread with its own event loop.

        with MockServer("openapi.yaml") as server:      # port 0: a free port
            httpx.get(server.base_url + "/api/contacts")

    `api_or_path` is a loaded `Spec` or a path/URL to load. `start()` returns once the
    server accepts connections; `stop()` shuts it down and joins the thread.
    `header_timeout` and `max_connections` set the connection guard (`_protocol.py`);
    other options go to `create_app` (`allow_hosts`, `clock`, `work_budget`...).
    """

    def __init__(
        self,
        api_or_path: spec.Spec | str | os.PathLike[str],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        header_timeout: float = HEADER_TIMEOUT,
        max_connections: int | None = None,
        **app_options: Any,
    ) -> None:
        self.api = api_or_path if isinstance(api_or_path, spec.Spec) else spec.load(api_or_path)
        self.app = create_app(self.api, **app_options)
        self.guard = ConnectionGuard(max_connections, header_timeout)
        self.host = host
        self.port = port
        self._runner = ServerThread(self.app, self.guard, "mock server")

    @property
    def base_url(self) -> str:
        """ "http://127.0.0.1:54321" (no base path; add `app.base_path` for the API root)."""
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def api_url(self) -> str:
        """The URL the API is served under: base_url plus the first server's base path."""
        return self.base_url + self.app.base_path

    def start(self, timeout: float = 10.0) -> MockServer:
        """Start serving; returns once the server accepts connections."""
        if not self._runner.started:
            self.port = self._runner.start(self.host, self.port, timeout)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Shut the server down and wait for its thread."""
        self._runner.stop(timeout)
        self.app.close()

    @property
    def running(self) -> bool:
        return self._runner.running

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def cli_main(
    spec_path: str | None,
    host: str = "127.0.0.1",
    port: int = 8642,
    allow_hosts: Sequence[str] = (),
    *,
    allow_outside_refs: bool = False,
    allow_remote_refs: bool = False,
) -> int:
    """`explorer mock [SPEC] [--host H] [--port N] [--allow-host NAME]...
    [--allow-outside-refs] [--allow-remote-refs]`: serve until Ctrl+C (exit 0), with an
    access log on stderr (secret query values masked). References the document makes to
    files outside its folder or to other hosts are followed only when allowed; what was
    not followed is said on stderr.

    A document that cannot be loaded, or an address that cannot be bound, is one line
    on stderr and exit status 2.
    """
    source = spec_path or str(demo_spec_path())
    try:
        api = spec.load(
            source, allow_outside_refs=allow_outside_refs, allow_remote_refs=allow_remote_refs
        )
    except SpecError as exc:
        print(f"explorer mock: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"explorer mock: {source}: {exc}", file=sys.stderr)
        return 2
    flags = {"outside": "--allow-outside-refs", "remote": "--allow-remote-refs"}
    for kind in api.consent:
        print(
            f"explorer mock: some $refs were not followed (pass {flags[kind]} to follow them)",
            file=sys.stderr,
        )
    app = create_app(api, allow_hosts=allow_hosts, access_log=True)
    try:
        sock = _bind(host, port)
    except OSError as exc:
        print(
            f"explorer mock: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr
        )
        return 2
    real_port = sock.getsockname()[1]
    url = f"http://{_url_host(host)}:{real_port}{app.base_path}"
    count = len(api.operations)
    version = f" {api.version}" if api.version else ""
    print(
        f"Serving {api.title}{version} ({count} operation{'s' * (count != 1)}) on {url}",
        flush=True,
    )
    user = app.demo.settings.user if app.demo is not None else None
    if user is not None:
        print(f"Demo login: {user.email} / {user.password}", flush=True)
    if api.webhooks:
        print(
            f'Webhook events: POST {{"event": NAME, "url": URL}} to '
            f"http://{_url_host(host)}:{real_port}/_explorer/webhooks/deliver",
            flush=True,
        )
    print("Press Ctrl+C to stop.", flush=True)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    config = _config(app, ConnectionGuard(), log_level="info", access_log=False, log_config=None)
    server = uvicorn.Server(config)
    try:
        asyncio.run(_serve(server, sock))
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        app.close()
    print("Stopped.", flush=True)
    return 0
