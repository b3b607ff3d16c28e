"""Running generated snippets for real, many requests to one program, and what arrived.

- `Recorder`: a server on 127.0.0.1 (port 0) that keeps every request to `/rec/<case>/...`
  exactly as it arrived (method, raw path, raw query, raw header bytes, body) and answers
  200 with a small JSON document.
- `RUNNERS`: for each language that runs here, how to run a batch of snippets in one
  process (Python and Node import them one after another, PHP includes and Ruby loads
  them, Go and Java get one program made of all of them, shell commands one script).
- `compare`: what a snippet delivered against what `Sender` delivered for the same
  `PreparedRequest`: method, path, query, the request's own headers, the body byte for
  byte (multipart: part by part).
"""

from __future__ import annotations

import asyncio
import email.policy
import os
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import uvicorn

from explorer.http import PreparedRequest, ResponseResult, Sender

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT / ".cache" / "peers" / "snippets"
NODE_MODULES = PEERS / "node_modules"


@dataclass
class Arrival:
    """One request as the recorder saw it."""

    method: str
    raw_path: str
    query: str
    headers: list[tuple[str, bytes]]
    body: bytes

    def header_values(self, name: str) -> list[bytes]:
        low = name.lower()
        return [v for n, v in self.headers if n == low]


@dataclass
class Recorder:
    """The recording server (see the module docstring)."""

    url: str = ""
    arrivals: dict[str, list[Arrival]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def base(self, case: str) -> str:
        return f"{self.url}/rec/{case}"

    def take(self, case: str) -> list[Arrival]:
        with self.lock:
            return self.arrivals.pop(case, [])

    def clear(self) -> None:
        with self.lock:
            self.arrivals.clear()

    async def app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        raw_path = scope["raw_path"].decode("latin-1")
        match = re.match(r"^/rec/([^/?]+)", raw_path)
        arrival = Arrival(
            scope["method"],
            raw_path,
            scope["query_string"].decode("latin-1"),
            [(k.decode("latin-1").lower(), v) for k, v in scope["headers"]],
            b"".join(chunks),
        )
        with self.lock:
            self.arrivals.setdefault(match.group(1) if match else "", []).append(arrival)
        answer = b'{"ok": true}'
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(answer)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer})


def serve_recorder() -> Iterator[Recorder]:
    recorder = Recorder()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        recorder.app,
        interface="asgi3",
        log_level=os.environ.get("RECORDER_LOG", "critical"),
        lifespan="off",
        ws="none",
        http="h11",
        access_log=False,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    assert server.started
    recorder.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        yield recorder
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def send_all(cases: dict[str, PreparedRequest], recorder: Recorder) -> dict[str, Arrival]:
    """What `Sender` delivers for each case (the reference)."""

    async def main() -> None:
        sender = Sender()
        try:
            for prepared in cases.values():
                result = await sender.send(prepared)
                assert isinstance(result, ResponseResult), result
        finally:
            await sender.aclose()

    asyncio.run(main())
    out = {}
    for case in cases:
        got = recorder.take(case)
        assert len(got) == 1, (case, got)
        out[case] = got[0]
    return out


# --- comparing ---------------------------------------------------------------------------


def parts(content_type: bytes, body: bytes) -> list[tuple[Any, ...]]:
    """(name, file name, content type, content) of each part of a multipart body."""
    raw = b"Content-Type: " + content_type + b"\r\n\r\n" + body
    message = BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    out = []
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        ctype = part.get_content_type() if "content-type" in part else None
        out.append((name, part.get_filename(), ctype, part.get_payload(decode=True)))
    return out


def differences(prepared: PreparedRequest, got: Arrival, ours: Arrival) -> list[str]:
    """What the snippet's request got wrong, compared with the explorer's ([] when none)."""
    problems = []
    for key in ("method", "raw_path", "query"):
        if getattr(got, key) != getattr(ours, key):
            problems.append(f"{key}: {getattr(got, key)!r} != {getattr(ours, key)!r}")
    names = [n.lower() for n, _ in prepared.headers]
    for name in dict.fromkeys(names):
        if got.header_values(name) != ours.header_values(name):
            problems.append(
                f"header {name}: {got.header_values(name)!r} != {ours.header_values(name)!r}"
            )
    multipart = bool(prepared.form or prepared.files)
    got_type = got.header_values("content-type")
    if multipart:
        ours_type = ours.header_values("content-type")
        if len(got_type) != 1 or not got_type[0].startswith(b"multipart/form-data"):
            problems.append(f"content-type: {got_type!r} is not multipart")
        elif parts(got_type[0], got.body) != parts(ours_type[0], ours.body):
            problems.append(
                f"parts: {parts(got_type[0], got.body)!r} != {parts(ours_type[0], ours.body)!r}"
            )
    else:
        if "content-type" not in names and got_type != ours.header_values("content-type"):
            problems.append(f"content-type added: {got_type!r}")
        if got.body != ours.body:
            problems.append(f"body: {got.body[:300]!r} != {ours.body[:300]!r}")
    return problems


# --- running -----------------------------------------------------------------------------


Batch = list[tuple[str, str]]
"""(case, snippet text) pairs run in one go."""


@dataclass(frozen=True)
class Runner:
    """How to run a batch of snippets of one language in one go."""

    languages: tuple[str, ...]
    tools: tuple[str, ...]
    run: Callable[[Batch, Path, dict[str, str]], subprocess.CompletedProcess[str]]
    needs_node_modules: bool = False

    def missing(self) -> str:
        """Why it cannot run here ("" when it can)."""
        absent = [t for t in self.tools if shutil.which(t) is None]
        if absent:
            return f"not installed: {', '.join(absent)} (.ci/peers/snippets.sh installs it)"
        if self.needs_node_modules and not NODE_MODULES.is_dir():
            return f"no {NODE_MODULES} (.ci/peers/snippets.sh installs it)"
        return ""


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300):  # type: ignore[no-untyped-def]
    base = {"PATH": os.environ["PATH"], "HOME": str(cwd / "home"), "LANG": "C.UTF-8"}
    (cwd / "home").mkdir(exist_ok=True)
    for name in ("GOCACHE", "GOPATH"):
        base[name] = str(PEERS / "go" / name.lower())
    return subprocess.run(
        args,
        cwd=cwd,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _shell_batch(
    snippets: list[tuple[str, str]], tmp: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    script = []
    for case, text in snippets:
        folder = tmp / f"case-{case}"
        folder.mkdir(exist_ok=True)
        script.append(f"cd {folder} && (\n{text}\n) >/dev/null || echo 'FAILED {case}' >&2")
    (tmp / "all.sh").write_text("\n".join(script) + "\n", encoding="utf-8")
    return _run(["sh", str(tmp / "all.sh")], tmp, env)


def _files(snippets: list[tuple[str, str]], tmp: Path, suffix: str) -> list[str]:
    paths = []
    for case, text in snippets:
        path = tmp / f"case_{case}{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


PYTHON_DRIVER = """
import runpy, sys, traceback
for path in sys.argv[1:]:
    try:
        runpy.run_path(path)
    except BaseException:
        print("FAILED", path, file=sys.stderr)
        traceback.print_exc()
"""


def _python_batch(snippets: list[tuple[str, str]], tmp: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    import sys

    paths = _files(snippets, tmp, ".py")
    return _run([sys.executable, "-c", PYTHON_DRIVER, *paths], tmp, env)


NODE_DRIVER = """
for (const path of process.argv.slice(2)) {
  try { await import(path); }
  catch (error) { console.error("FAILED", path, error); }
}
"""


def _node_batch(snippets: list[tuple[str, str]], tmp: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    link = tmp / "node_modules"
    if not link.exists():
        link.symlink_to(NODE_MODULES)
    paths = _files(snippets, tmp, ".mjs")
    (tmp / "driver.mjs").write_text(NODE_DRIVER, encoding="utf-8")
    return _run(["node", str(tmp / "driver.mjs"), *paths], tmp, env)


def _php_batch(snippets: list[tuple[str, str]], tmp: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    paths = _files(snippets, tmp, ".php")
    driver = "<?php foreach (array_slice($argv, 1) as $f) { include $f; }\n"
    (tmp / "driver.php").write_text(driver, encoding="utf-8")
    return _run(["php", str(tmp / "driver.php"), *paths], tmp, env)


def _ruby_batch(snippets: list[tuple[str, str]], tmp: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    paths = _files(snippets, tmp, ".rb")
    driver = (
        "ARGV.each do |f|\n  begin\n    load f, true\n  rescue Exception => e\n"
        '    warn "FAILED #{f}: #{e.full_message}"\n  end\nend\n'
    )
    (tmp / "driver.rb").write_text(driver, encoding="utf-8")
    return _run(["ruby", str(tmp / "driver.rb"), *paths], tmp, env)


def merge_go(snippets: list[tuple[str, str]]) -> str:
    """One Go program made of several snippets: their imports merged, each `main` renamed
    `case_<id>` and called in turn (a panic is reported and the next one runs)."""
    imports: set[str] = {'"fmt"', '"os"'}
    bodies = []
    for case, text in snippets:
        block = re.search(r"import \((.*?)\)", text, re.S)
        assert block is not None
        imports |= {line.strip() for line in block.group(1).splitlines() if line.strip()}
        body = text[text.index("func main() {") :]
        bodies.append(body.replace("func main() {", f"func case_{_ident(case)}() {{", 1))
    calls = "\n".join(f'\trun("{case}", case_{_ident(case)})' for case, _ in snippets)
    return "\n".join(
        [
            "package main",
            "",
            "import (",
            *sorted(f"\t{name}" for name in imports),
            ")",
            "",
            "func run(name string, f func()) {",
            "\tdefer func() {",
            "\t\tif r := recover(); r != nil {",
            '\t\t\tfmt.Fprintln(os.Stderr, "FAILED", name, r)',
            "\t\t}",
            "\t}()",
            "\tf()",
            "}",
            "",
            "func main() {",
            calls,
            "}",
            "",
            *bodies,
        ]
    )


def _ident(case: str) -> str:
    return re.sub(r"\W", "_", case)


def _go_batch(snippets: list[tuple[str, str]], tmp: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    (tmp / "main.go").write_text(merge_go(snippets), encoding="utf-8")
    return _run(["go", "run", str(tmp / "main.go")], tmp, env)


def merge_java(snippets: list[tuple[str, str]]) -> str:
    """One Java source file made of several snippets: a driver class first (the launcher
    runs the first class), each snippet's `Main` renamed `Case_<id>`."""
    imports: set[str] = set()
    classes = []
    for case, text in snippets:
        imports |= {line for line in text.splitlines() if line.startswith("import ")}
        body = text[text.index("public class Main {") :]
        classes.append(body.replace("public class Main {", f"class Case_{_ident(case)} {{", 1))
    calls = "\n".join(
        f"        try {{ Case_{_ident(case)}.main(args); }} catch (Exception e) "
        f'{{ System.err.println("FAILED {case} " + e); }}'
        for case, _ in snippets
    )
    return "\n".join(
        [
            *sorted(imports),
            "",
            "public class Snippets {",
            "    public static void main(String[] args) {",
            calls,
            "    }",
            "}",
            "",
            *classes,
        ]
    )


def _java_batch(snippets: list[tuple[str, str]], tmp: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    (tmp / "Snippets.java").write_text(merge_java(snippets), encoding="utf-8")
    return _run(["java", str(tmp / "Snippets.java")], tmp, env)


RUNNERS: dict[str, Runner] = {
    "curl": Runner(("curl",), ("curl", "sh"), _shell_batch),
    "httpie": Runner(("httpie",), ("http", "sh"), _shell_batch),
    "wget": Runner(("wget",), ("wget", "sh"), _shell_batch),
    "python-httpx": Runner(("python-httpx",), (), _python_batch),
    "python-httpx-async": Runner(("python-httpx-async",), (), _python_batch),
    "python-requests": Runner(("python-requests",), (), _python_batch),
    "js-fetch": Runner(("js-fetch",), ("node",), _node_batch, needs_node_modules=True),
    "node-axios": Runner(("node-axios",), ("node",), _node_batch, needs_node_modules=True),
    "go": Runner(("go",), ("go",), _go_batch),
    "java": Runner(("java",), ("java",), _java_batch),
    "php": Runner(("php",), ("php",), _php_batch),
    "ruby": Runner(("ruby",), ("ruby",), _ruby_batch),
}
"""Every language whose runtime installs here, and how its batch runs."""
