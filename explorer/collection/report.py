"""What `explorer run` found, and the three ways it is written: text, JUnit XML, JSON.

    line = progress_line(request_report)       # "✓ POST /contacts  201  12 ms  Contacts / Add"
    text = summary_line(run_report)            # "3 requests, 9 checks: all passed in 0.4 s"
    xml = junit_xml(run_report)                # what Jenkins, GitLab and GitHub read
    data = json_report(run_report)             # a JSON-able mapping

The JUnit XML keeps to what CI servers read (the schema of Jenkins' xUnit plugin, which
GitLab and the GitHub test-report actions also accept): <testsuites> with one <testsuite>
per collection (name, tests, failures, errors, skipped, time, timestamp), one <testcase>
per request (name, classname = the collection and its folders, time), a <failure> with a
message for each check that failed, an <error> for a request that could not be sent or a
file that could not be read, <skipped> for the requests a --bail left out.

Everything here may hold a server's or a collection's text: it is written through
`plain()`, which keeps terminal control sequences (and the characters XML 1.0 cannot
hold) out. URLs are shown with their secrets replaced (`shown_url`); headers and bodies
of requests are never written.
"""

from __future__ import annotations

import json
import re
import socket
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus, urlsplit

from explorer.collection.checks import CheckOutcome

if TYPE_CHECKING:
    from explorer.http.model import PreparedRequest

__all__ = [
    "RequestReport",
    "RunReport",
    "dump_json",
    "json_report",
    "junit_xml",
    "plain",
    "progress_lines",
    "shown_url",
    "summary_line",
]

HIDDEN = "…"
"""What a secret is shown as."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass
class RequestReport:
    """One saved request as it ran (or a file of the collection that could not be read)."""

    name: str
    file: str
    """Its file, relative to the collection's folder."""
    folder: tuple[str, ...] = ()
    """The names of the folders it is in, outermost first."""
    method: str = ""
    path: str = ""
    """The path template as saved ("/contacts/{contactId}")."""
    url: str = ""
    """The URL sent, secrets replaced (`shown_url`); "" when nothing was sent."""
    status: int | None = None
    ms: float | None = None
    checks: list[CheckOutcome] = field(default_factory=list)
    error: str = ""
    """Why it could not be sent (or the file read); "" when it was."""
    note: str = ""
    line: int | None = None
    """For a file that could not be read: the line of the problem."""
    skipped: bool = False
    """Not run: `--bail` stopped the run before it."""

    @property
    def failures(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.ok]

    @property
    def failed(self) -> bool:
        return bool(self.error) or any(not c.ok for c in self.checks)

    @property
    def title(self) -> str:
        """Its folders and name: "Contacts / Create a contact"."""
        return " / ".join((*self.folder, self.name))


@dataclass
class RunReport:
    """A whole run: the collection, where it ran, and each request."""

    collection: str
    environment: str = ""
    spec: str = ""
    requests: list[RequestReport] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(r.failed for r in self.requests)

    def counts(self) -> dict[str, int]:
        """requests (run), passed, failed, errors (not sent / broken files), checks,
        failed_checks, skipped, broken_files."""
        ran = [r for r in self.requests if not r.skipped and r.method]
        return {
            "requests": len(ran),
            "passed": sum(not r.failed for r in ran),
            "failed": sum(r.failed for r in self.requests),
            "errors": sum(bool(r.error) for r in self.requests),
            "checks": sum(len(r.checks) for r in self.requests),
            "failed_checks": sum(len(r.failures) for r in self.requests),
            "skipped": sum(r.skipped for r in self.requests),
            "broken_files": sum(not r.method for r in self.requests),
        }


# -- text -------------------------------------------------------------------------------


def plain(text: str, limit: int = 2000) -> str:
    """`text` safe to print on a terminal and to put in XML: one line, control characters
    (escape sequences, NULs, lone surrogates) shown as `\\xNN` escapes, at most `limit`
    characters."""
    from explorer.spec._source import clip

    one_line = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return clip(_CONTROL.sub(_escape, one_line), limit)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def progress_lines(r: RequestReport) -> list[str]:
    """What the text reporter prints for one request: a line with ✓ or ✗, then one line
    per further failure (and the note, if any)."""
    mark = "✗" if r.failed else ("-" if r.skipped else "✓")
    if not r.method:  # a file that could not be read
        where = r.file + (f":{r.line}" if r.line is not None else "")
        return [plain(f"{mark} {where}: {r.error}")]
    parts = [f"{mark} {r.method} {r.path}"]
    if r.status is not None:
        parts.append(str(r.status))
    if r.ms is not None:
        parts.append(f"{r.ms:.0f} ms")
    parts.append(r.title)
    head = "  ".join(parts)
    if r.skipped:
        return [plain(f"{head}: not run (--bail)")]
    if r.error:
        return [plain(f"{head}: {r.error}")]
    failures = r.failures
    lines = [plain(f"{head}: {failures[0].why}") if failures else plain(head)]
    lines += [plain(f"    ✗ {c.what}: {c.why}") for c in failures[1:]]
    if r.note:
        lines.append(plain(f"    note: {r.note}"))
    return lines


def summary_line(report: RunReport) -> str:
    """One line for the end of the run."""
    n = report.counts()
    parts = [_count(n["requests"], "request"), _count(n["checks"], "check")]
    failed = []
    if n["failed_checks"]:
        failed.append(f"{n['failed_checks']} failed")
    if n["errors"] - n["broken_files"]:
        failed.append(f"{n['errors'] - n['broken_files']} not sent")
    if n["broken_files"]:
        failed.append(_count(n["broken_files"], "broken file"))
    if n["skipped"]:
        failed.append(f"{n['skipped']} not run (--bail)")
    verdict = ("FAILED: " + ", ".join(failed)) if failed else "all passed"
    return f"{', '.join(parts)}: {verdict}, in {report.seconds:.2f} s"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- JUnit XML --------------------------------------------------------------------------


def junit_xml(report: RunReport) -> str:
    """The run as JUnit XML (see the module docstring)."""
    n = report.counts()
    tests = len(report.requests)
    failures = sum(r.failed and not r.error for r in report.requests)
    errors = n["errors"]
    seconds = f"{report.seconds:.3f}"
    root = ET.Element(
        "testsuites",
        name=plain(report.collection, 300),
        tests=str(tests),
        failures=str(failures),
        errors=str(errors),
        time=seconds,
    )
    suite = ET.SubElement(
        root,
        "testsuite",
        name=plain(report.collection, 300),
        tests=str(tests),
        failures=str(failures),
        errors=str(errors),
        skipped=str(n["skipped"]),
        time=seconds,
        timestamp=time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(report.started)),
        hostname=plain(socket.gethostname(), 200),
    )
    props = ET.SubElement(suite, "properties")
    for name, value in (("environment", report.environment), ("spec", report.spec)):
        if value:
            ET.SubElement(props, "property", name=name, value=plain(value, 500))
    classname_root = _class_part(report.collection)
    for r in report.requests:
        case = ET.SubElement(
            suite,
            "testcase",
            name=plain(f"{r.name} ({r.method} {r.path})" if r.method else r.file, 500),
            classname=".".join([classname_root, *(_class_part(f) for f in r.folder)]),
            time=f"{(r.ms or 0) / 1000:.3f}",
        )
        if r.skipped:
            ET.SubElement(case, "skipped", message="not run: --bail stopped the run")
        elif r.error:
            where = r.file + (f":{r.line}" if r.line is not None else "")
            kind = "broken file" if not r.method else "not sent"
            error = ET.SubElement(case, "error", type=kind, message=plain(r.error, 1000))
            error.text = plain(f"{where}: {r.error}", 4000)
        elif r.failures:
            first = r.failures[0]
            failure = ET.SubElement(case, "failure", type="check failed", message=plain(first.why))
            failure.text = "\n".join(plain(f"✗ {c.what}: {c.why}") for c in r.failures)
        out = [f"{r.file}"]
        if r.url:
            status = f" -> {r.status}" if r.status is not None else ""
            ms = f" in {r.ms:.0f} ms" if r.ms is not None else ""
            out.append(plain(f"{r.method} {r.url}{status}{ms}"))
        out += [plain(f"{'✓' if c.ok else '✗'} {c.what}") for c in r.checks]
        if r.note:
            out.append(plain(f"note: {r.note}"))
        ET.SubElement(case, "system-out").text = "\n".join(out)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _class_part(name: str) -> str:
    """A folder or collection name as part of a JUnit class name (dots would nest it)."""
    return plain(name, 200).replace(".", "_") or "_"


# -- JSON -------------------------------------------------------------------------------


def json_report(report: RunReport) -> dict[str, Any]:
    """The run as plain data (written as JSON)."""
    return {
        "collection": report.collection,
        "environment": report.environment,
        "spec": report.spec,
        "passed": report.passed,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(report.started)),
        "seconds": round(report.seconds, 3),
        "summary": report.counts(),
        "notes": list(report.notes),
        "requests": [_request_data(r) for r in report.requests],
    }


def _request_data(r: RequestReport) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": r.name,
        "folder": list(r.folder),
        "file": r.file,
        "passed": not r.failed and not r.skipped,
    }
    if r.line is not None:
        out["line"] = r.line
    if r.method:
        out.update(method=r.method, path=r.path)
    if r.url:
        out["url"] = r.url
    if r.status is not None:
        out["status"] = r.status
    if r.ms is not None:
        out["ms"] = round(r.ms, 1)
    if r.skipped:
        out["skipped"] = True
    if r.error:
        out["error"] = r.error
    if r.note:
        out["note"] = r.note
    out["checks"] = [
        {"check": c.what, "passed": c.ok, **({"why": c.why} if c.why else {})} for c in r.checks
    ]
    return out


def dump_json(report: RunReport) -> str:
    return json.dumps(json_report(report), indent=2, ensure_ascii=False) + "\n"


# -- secrets ----------------------------------------------------------------------------


def shown_url(prepared: PreparedRequest) -> str:
    """The URL a request went to with its secrets replaced by "…": the values its
    credentials put there, and query parameters whose names look secret."""
    from explorer.http.model import name_looks_secret

    url = prepared.url
    for secret, _env in sorted(prepared.secrets, key=lambda s: -len(s[0])):
        if secret:
            url = url.replace(secret, HIDDEN)
    try:
        query = urlsplit(url).query
    except ValueError:
        return url
    if not query:
        return url
    secret_names = set(prepared.credential_query)
    kept = []
    for raw in query.split("&"):
        name = unquote_plus(raw.split("=", 1)[0])
        if name in secret_names or name_looks_secret(name):
            raw = raw.split("=", 1)[0] + "=" + HIDDEN
        kept.append(raw)
    return url.split("?", 1)[0] + "?" + "&".join(kept)
