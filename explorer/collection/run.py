"""`explorer run`: send a collection's requests in order and check each response, for CI.

    explorer run DIR [--env NAME] [--spec SPEC] [--reporter text|junit|json] [-o FILE]
                     [--bail] [--timeout S]

- The collection is read with `explorer.collection.store.load_collection`: a file that
  cannot be read is reported with its path and line and counts as a failure; the rest
  runs.
- The spec: `--spec` (a path or URL), else the collection's `spec` (relative to its
  folder), else none. The bundled ECOSIRE demo is known by the path the window gives it
  (on any machine), and with no `baseUrl` defined it is served in-process, as the window
  does.
- Variables and credentials are the environment's (`--env`, else the collection's
  `environment`, else the one the window uses), through the window's `Credentials`: the
  keyring, or the environment variables snippets name (`ECOSIRE_API_KEY`,
  `ECOSIRE_TOKEN`); a login slot logs in by itself. The collection's variables are under
  the environment's. Requests go through `explorer.workbench.exchange`, as from a tab.
- The requests run in order, depth first, each folder's items in their order. Each
  response is checked (`explorer.collection.checks`): against the spec's response schema
  for its status, and by the checks saved with it; with no status check, a status of 400
  or more fails.
- Exit status: 0 when everything passed, 1 when anything failed (a check, a request that
  could not be sent, a broken file), 2 for a usage error (no such folder or environment,
  a spec that cannot be loaded).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from explorer.collection.report import RequestReport, RunReport

if TYPE_CHECKING:
    from explorer.collection.model import Collection, Folder, SavedRequest
    from explorer.http.model import PreparedRequest, ResponseResult
    from explorer.http.send import Sender
    from explorer.spec.model import Spec
    from explorer.store.secrets import SecretStore
    from explorer.workbench.credentials import Credentials

__all__ = ["RunOptions", "UsageError", "main", "resolve_spec_source", "run_collection"]

REPORTERS = ("text", "junit", "json")
DEMO_TAIL = ("resources", "ecosire", "openapi.json")
"""The last parts of the demo document's path: a collection saved on the demo names it by
the path the window opened it from, which differs from machine to machine."""


class UsageError(Exception):
    """The run cannot start: exit status 2, with this message."""


@dataclasses.dataclass(frozen=True)
class RunOptions:
    """What the command line says."""

    folder: Path
    environment: str | None = None
    spec: str | None = None
    timeout: float | None = None
    """Each request's time limit in seconds (None: the request's own, else 30 s)."""
    bail: bool = False
    """Stop at the first request that fails."""


# -- the command line -------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """`explorer run ...` (see the module docstring); the exit status."""
    parser = argparse.ArgumentParser(
        prog="explorer run",
        description="Send a collection's requests in order, check each response, and exit "
        "non-zero when anything failed.",
    )
    parser.add_argument("folder", metavar="DIR", help="the collection's folder")
    parser.add_argument("--env", metavar="NAME", help="the environment (variables, credentials)")
    parser.add_argument("--spec", metavar="SPEC", help="the OpenAPI document (path or URL)")
    parser.add_argument("--reporter", choices=REPORTERS, default="text")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    parser.add_argument("--bail", action="store_true", help="stop at the first failure")
    parser.add_argument(
        "--timeout", type=float, metavar="S", help="each request's time limit in seconds"
    )
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")  # ✓ and ✗ on a terminal that cannot show them
    if args.timeout is not None and not args.timeout > 0:
        print("explorer run: --timeout takes a number of seconds above 0", file=sys.stderr)
        return 2
    options = RunOptions(Path(args.folder), args.env, args.spec, args.timeout, args.bail)
    # The report goes to standard output when no file is named: the progress then to stderr.
    progress_to: TextIO = sys.stdout
    if args.reporter != "text" and not args.output:
        progress_to = sys.stderr
    from explorer.collection.report import progress_lines

    def progress(r: RequestReport) -> None:
        for line in progress_lines(r):
            print(line, file=progress_to, flush=True)

    try:
        report = asyncio.run(run_collection(options, progress=progress))
    except UsageError as exc:
        print(f"explorer run: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("explorer run: interrupted", file=sys.stderr)
        return 130
    return _write_report(report, args.reporter, args.output, progress_to)


def _write_report(report: RunReport, reporter: str, output: str | None, stream: TextIO) -> int:
    from explorer.collection.report import dump_json, junit_xml, plain, progress_lines, summary_line

    for note in report.notes:
        print(plain(f"note: {note}"), file=sys.stderr)
    summary = summary_line(report)
    print(summary, file=stream, flush=True)
    if reporter == "junit":
        text = junit_xml(report)
    elif reporter == "json":
        text = dump_json(report)
    else:
        lines = [line for r in report.requests for line in progress_lines(r)]
        text = "\n".join([*lines, summary]) + "\n"
    if output:
        from explorer.store._files import write_atomic

        try:
            write_atomic(Path(output), text.encode("utf-8"))
        except OSError as exc:
            print(f"explorer run: could not write {output}: {exc.strerror}", file=sys.stderr)
            return 2
    elif reporter != "text":
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0 if report.passed else 1


# -- the run ----------------------------------------------------------------------------


async def run_collection(
    options: RunOptions,
    *,
    progress: Callable[[RequestReport], None] = lambda r: None,
    secrets: SecretStore | None = None,
    environ: Mapping[str, str] | None = None,
) -> RunReport:
    """Run the collection in `options.folder` (see the module docstring). `progress` is
    told of each request as it ends. Raises UsageError when the run cannot start."""
    from explorer.collection.store import load_collection
    from explorer.errors import StoreError

    root = options.folder
    try:  # off the loop: the window runs collections too
        col, problems = await asyncio.to_thread(load_collection, root)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    source = resolve_spec_source(options.spec, col, root)
    api = await _load_spec(source) if source else None
    report = RunReport(col.name, spec=source or "")
    started = time.perf_counter()
    for problem in problems:
        r = RequestReport(
            name=problem.path.name,
            file=_relative(problem.path, root),
            error=problem.message,
            line=problem.line,
        )
        report.requests.append(r)
        progress(r)
    run = _Run(options, col, api, report, progress)
    try:
        await run.prepare(secrets, environ)
        await run.requests()
    finally:
        await run.aclose()
        report.seconds = time.perf_counter() - started
    return report


def resolve_spec_source(given: str | None, col: Collection, root: Path) -> str | None:
    """The document the run checks against: `given` (from the command line, relative to
    the working folder), else the collection's `spec` (relative to its folder), else None.
    A path that names the bundled demo where it is not gives the demo of this install."""
    from explorer.demo import demo_spec_path
    from explorer.spec._source import is_url

    value = given or col.spec
    if not value:
        return None
    if is_url(value):
        return value
    path = Path(value).expanduser()
    if not given and not path.is_absolute():
        path = root / path
    if not path.exists() and tuple(p.lower() for p in path.parts[-3:]) == DEMO_TAIL:
        return str(demo_spec_path())
    return str(path)


async def _load_spec(source: str) -> Spec:
    from explorer import spec
    from explorer.errors import SpecError

    try:
        return await asyncio.to_thread(spec.load, source)
    except SpecError as exc:
        raise UsageError(f"the spec could not be loaded: {exc}") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"the spec could not be loaded: {source}: {exc}") from None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _walk(
    folder: Folder, names: tuple[str, ...] = (), dirs: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], tuple[str, ...], SavedRequest]]:
    """Every request, depth first in order: (folder names, directory names, request)."""
    from explorer.collection.model import Folder

    for item in folder.items:
        if isinstance(item, Folder):
            yield from _walk(item, (*names, item.name), (*dirs, item.directory or item.name))
        else:
            yield names, dirs, item


class _Run:
    """One run's state: the document, the credentials, the sender, the demo server."""

    def __init__(
        self,
        options: RunOptions,
        col: Collection,
        api: Spec | None,
        report: RunReport,
        progress: Callable[[RequestReport], None],
    ) -> None:
        self.options = options
        self.col = col
        self.api = api
        self.report = report
        self.progress = progress
        self.creds: Credentials | None = None
        self.sender: Sender | None = None
        self.demo: Any = None  # a MockServer serving the demo in-process

    async def prepare(self, secrets: SecretStore | None, environ: Mapping[str, str] | None) -> None:
        """The environment and its credentials (a usage error when it does not exist),
        the demo server when it is needed, the sender."""
        api, wanted = self.api, self.options.environment
        if api is None:
            if wanted:
                raise UsageError(
                    f"--env {wanted}: environments belong to an API; name the collection's "
                    "spec with --spec (or `spec:` in collection.yaml)"
                )
            self.report.environment = ""
        else:
            self.creds = await self._credentials(api, secrets, environ)
            self.report.environment = self.creds.env.name
        from explorer.http.send import Sender

        self.sender = Sender()

    async def _credentials(
        self, api: Spec, secrets: SecretStore | None, environ: Mapping[str, str] | None
    ) -> Credentials:
        from explorer.demo import demo_spec_path
        from explorer.workbench.cli import credentials_for

        creds = credentials_for(api)  # as the window has them: environments, keyring, usage
        if secrets is not None:
            creds.secrets = secrets
        if environ is not None:
            creds.environ = environ
        envs = creds.envs
        name = self.options.environment or self.col.environment or envs.current.name
        if envs.get(name) is None:
            known = ", ".join(e.name for e in envs.environments) or "none"
            said = "" if self.options.environment else " (the collection's environment)"
            raise UsageError(
                f"no environment {name!r}{said} for {api.title} (its environments: {known})"
            )
        envs.use(name)
        creds.defaults.update(self.col.variables)
        if creds.env.production:
            self.report.notes.append(f"'{name}' is marked as a production environment")
        if api.source == str(demo_spec_path()) and "baseUrl" not in creds.variables():
            creds.defaults["baseUrl"] = await self._start_demo(api)
        return creds

    async def _start_demo(self, api: Spec) -> str:
        """Serve the demo in-process on a free loopback port (as the window does); its
        API's base URL."""
        from explorer.mock import MockServer

        server = MockServer(api, host="127.0.0.1", port=0)
        await asyncio.to_thread(server.start)
        self.demo = server
        self.report.notes.append(f"the demo API was served in-process at {server.api_url}")
        return str(server.api_url)

    async def requests(self) -> None:
        items = list(_walk(self.col.root))
        for index, (names, dirs, saved) in enumerate(items):
            r = await self._one(names, dirs, saved)
            self.report.requests.append(r)
            self.progress(r)
            if r.failed and self.options.bail:
                for names, dirs, rest in items[index + 1 :]:
                    skipped = self._report_for(names, dirs, rest)
                    skipped.skipped = True
                    self.report.requests.append(skipped)
                    self.progress(skipped)
                return

    def _report_for(
        self, names: tuple[str, ...], dirs: tuple[str, ...], saved: SavedRequest
    ) -> RequestReport:
        from explorer.collection.convert import split_url

        op = self.api.find(saved.operation) if self.api and saved.operation else None
        _base, path = split_url(saved.url, op, self.api, saved.method)
        return RequestReport(
            name=saved.name,
            file="/".join((*dirs, saved.file + ".yaml")),
            folder=names,
            method=saved.method,
            path=path.split("?", 1)[0] or "/",
        )

    async def _one(
        self, names: tuple[str, ...], dirs: tuple[str, ...], saved: SavedRequest
    ) -> RequestReport:
        """Send one request and check its response."""
        from explorer.errors import ExplorerError

        r = self._report_for(names, dirs, saved)
        try:
            await self._send(saved, r)
        except ExplorerError as exc:  # could not be built, a login that failed
            r.error = str(exc)
        return r

    async def _send(self, saved: SavedRequest, r: RequestReport) -> None:
        from explorer.collection.checks import CheckOutcome
        from explorer.collection.convert import security_operation, to_request_input
        from explorer.collection.report import shown_url
        from explorer.http.build import build_request
        from explorer.http.model import ResponseResult
        from explorer.workbench.exchange import exchange, fill_variables

        api, creds = self.api, self.creds
        inp, transport = to_request_input(saved, api, folder=self.options.folder)
        if self.options.timeout is not None:
            transport = dataclasses.replace(transport, timeout=self.options.timeout)
        extra: list[CheckOutcome] = []
        op = api.find(saved.operation) if api is not None and saved.operation else None
        if api is not None and saved.operation and op is None:
            extra.append(
                CheckOutcome(
                    "operation in the spec",
                    False,
                    f"the spec has no {saved.operation} (the request names it)",
                )
            )
        with self._environment(saved):
            if creds is not None:
                where = f"the environment '{creds.env.name}' or the collection's variables"
                inp = fill_variables(inp, creds.variables(), where)
            else:
                inp = fill_variables(inp, self.col.variables, "the collection's variables")
            prepared = build_request(inp)
            if op is None and api is not None and not saved.operation:
                op = _linked(api, inp.method, prepared.url, inp.base_url)
            sender = self.sender
            assert sender is not None

            def send(request: PreparedRequest) -> Any:
                return sender.send(request, transport)

            result, prepared, note = await exchange(
                creds, inp, prepared, security_operation(saved, op), send
            )
        r.url = shown_url(prepared)
        r.note = note
        if not isinstance(result, ResponseResult):
            r.error = f"no response: {result.message}"
            return
        r.status = result.status
        r.ms = result.timing.total * 1000
        r.checks = extra + self._checks(saved, result, op)

    def _checks(self, saved: SavedRequest, result: ResponseResult, op: Any) -> list[Any]:
        from explorer.collection.checks import (
            check_response,
            check_schema,
            check_status_ok,
            parse_json,
        )

        out = []
        if op is not None and self.api is not None:
            out.append(check_schema(op, result, self.api.openapi_version))
        if not any(c.kind == "status" for c in saved.checks):
            out.append(check_status_ok(result))
        body = parse_json(result) if any(c.kind == "json" for c in saved.checks) else None
        out += [check_response(c, result, body) for c in saved.checks]
        return out

    def _environment(self, saved: SavedRequest) -> Any:
        """While a request runs: the environment it names, when the command line named
        none (a request's own environment that does not exist is an error)."""
        import contextlib

        from explorer.errors import RequestError

        creds = self.creds
        name = saved.environment
        if creds is None or not name or self.options.environment or name == creds.env.name:
            return contextlib.nullcontext()
        if creds.envs.get(name) is None:
            raise RequestError(f"the request names the environment {name!r}, which is not defined")
        previous = creds.env.name

        @contextlib.contextmanager
        def switched() -> Iterator[None]:
            creds.envs.use(name)
            try:
                yield
            finally:
                creds.envs.use(previous)

        return switched()

    async def aclose(self) -> None:
        if self.sender is not None:
            await self.sender.aclose()
        if self.demo is not None:
            await asyncio.to_thread(self.demo.stop)
        if self.creds is not None and self.creds.usage is not None:
            message = self.creds.usage.try_save()
            if message:
                self.report.notes.append(message)
        if self.creds is not None and self.creds.secrets.problem:
            self.report.notes.append(self.creds.secrets.problem)


def _linked(api: Spec, method: str, url: str, base: str) -> Any:
    """The operation a request made by hand names by its URL (None: none)."""
    from explorer.workbench.address import link_address

    try:
        return link_address(api, method, url, bases=[base]).operation
    except ValueError:
        return None
