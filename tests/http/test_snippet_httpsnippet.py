"""The peer nobody here wrote: npm httpsnippet 3 makes snippets from a HAR request. Each of
its snippets for the same requests (the matrix of test_snippet_runs, secrets inline, as a
HAR carries them) runs through the same recorder and is judged the same way as ours.

Ours must all pass (test_snippet_runs asserts it case by case; here again, in the same
run); httpsnippet's results are recorded, not asserted: the table is printed and written
to .cache/peers/snippets/httpsnippet-table.md (the README's table comes from it).

To be fair to httpsnippet, its snippets get only what they need to run at all: a class
and `main` around its Java statements, and `require` for its CommonJS Node code, which
also uses top-level `await`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from snippet_runs import NODE_MODULES, PEERS, RUNNERS, Recorder, serve_recorder
from test_snippet_runs import LIMITS, make_uploads, matrix, run_batch

from explorer.http import PreparedRequest

HTTPSNIPPET = NODE_MODULES / "httpsnippet"
pytestmark = pytest.mark.skipif(
    not HTTPSNIPPET.is_dir(), reason=f"no {HTTPSNIPPET} (.ci/peers/snippets.sh installs it)"
)
TARGETS = {
    "curl": ("shell", "curl"),
    "httpie": ("shell", "httpie"),
    "wget": ("shell", "wget"),
    "python-requests": ("python", "requests"),
    "js-fetch": ("javascript", "fetch"),
    "node-axios": ("node", "axios"),
    "go": ("go", "native"),
    "java": ("java", "nethttp"),
    "php": ("php", "curl"),
    "ruby": ("ruby", "native"),
}
"""Our language -> httpsnippet's (target, client) for the same library."""

CONVERT = """
const { HTTPSnippet } = require("httpsnippet");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = {};
for (const [case_, har] of Object.entries(input.requests)) {
  try { out[case_] = new HTTPSnippet(har).convert(input.target, input.client); }
  catch (error) { out[case_] = { error: String(error) }; }
}
process.stdout.write(JSON.stringify(out));
"""


def har(prepared: PreparedRequest) -> dict[str, Any]:
    """The request as a HAR entry's request, as a browser or a proxy records it."""
    query = urlsplit(prepared.url).query
    headers = [{"name": n, "value": v} for n, v in prepared.headers]
    entry: dict[str, Any] = {
        "method": prepared.method,
        "url": prepared.url,
        "httpVersion": "HTTP/1.1",
        "headers": headers,
        "queryString": [
            {"name": n, "value": v} for n, v in parse_qsl(query, keep_blank_values=True)
        ],
        "cookies": [],
        "headersSize": -1,
        "bodySize": -1,
    }
    content_type = next((v for n, v in prepared.headers if n.lower() == "content-type"), "")
    if prepared.content is not None:
        # HAR's text is a string: bytes that are not UTF-8 can only be given as Latin-1.
        text = (
            prepared.content.decode("utf-8")
            if _is_utf8(prepared.content)
            else prepared.content.decode("latin-1")
        )
        entry["postData"] = {"mimeType": content_type, "text": text}
        if content_type.startswith("application/x-www-form-urlencoded"):
            pairs = parse_qsl(text, keep_blank_values=True)
            entry["postData"]["params"] = [{"name": n, "value": v} for n, v in pairs]
    elif prepared.form or prepared.files:
        params: list[dict[str, str]] = [{"name": n, "value": v} for n, v in prepared.form]
        for name, path, ctype in prepared.files:
            params.append({"name": name, "fileName": path, "contentType": ctype})
        entry["postData"] = {"mimeType": "multipart/form-data", "params": params}
    return entry


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def convert(target: str, client: str, cases: dict[str, PreparedRequest]) -> dict[str, Any]:
    request = {
        "target": target,
        "client": client,
        "requests": {c: har(p) for c, p in cases.items()},
    }
    done = subprocess.run(
        ["node", "-e", CONVERT],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=PEERS,
        timeout=120,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def runnable(language: str, code: str) -> str:
    """httpsnippet's code with what it needs to run at all (see the module docstring)."""
    if language == "java":
        imports = "import java.net.URI;\nimport java.net.http.*;\n\n"
        body = "\n".join("        " + line for line in code.splitlines())
        main = "    public static void main(String[] args) throws Exception {\n"
        return f"{imports}public class Main {{\n{main}{body}\n    }}\n}}\n"
    if language == "node-axios":
        head = 'import { createRequire } from "node:module";\n'
        return head + "const require = createRequire(import.meta.url);\n" + code
    return code


@pytest.fixture(scope="module")
def recorder() -> Any:
    yield from serve_recorder()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_uploads(tmp_path_factory.mktemp("uploads"))


def test_httpsnippet_against_ours(
    recorder: Recorder, files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    cases = matrix(recorder, files)
    everything = set(cases)
    rows = []
    for language, (target, client) in TARGETS.items():
        if RUNNERS[language].missing():
            continue
        ours = run_batch(language, cases, recorder, tmp_path_factory.mktemp(f"ours-{language}"))
        for case, problems in ours.items():
            if (language, case) in LIMITS:
                assert len(problems) == 1 and LIMITS[language, case] in problems[0]
                ours[case] = []
        assert not any(ours.values()), ours
        converted = convert(target, client, cases)
        theirs: dict[str, list[str]] = {}
        texts = {}
        for case, code in converted.items():
            if isinstance(code, dict):
                theirs[case] = [f"no snippet: {code['error']}"]
            else:
                texts[case] = runnable(language, code)
        if texts:
            got = run_peer(language, texts, cases, recorder, tmp_path_factory)
            theirs.update(got)
        for case, problems in theirs.items():  # what the language itself cannot do
            if (language, case) in LIMITS and any(LIMITS[language, case] in p for p in problems):
                theirs[case] = []
        wrong = sorted(case for case, problems in theirs.items() if problems)
        rows.append((language, f"{target} {client}", len(everything), wrong, theirs))
    table = render(rows)
    print(table)
    PEERS.mkdir(parents=True, exist_ok=True)
    (PEERS / "httpsnippet-table.md").write_text(table, encoding="utf-8")
    (PEERS / "httpsnippet-details.json").write_text(
        json.dumps({r[0]: r[4] for r in rows}, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    assert rows, "no language could run"


def run_peer(
    language: str,
    texts: dict[str, str],
    cases: dict[str, PreparedRequest],
    recorder: Recorder,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, list[str]]:
    """Run httpsnippet's snippets as the runner runs ours; what each got wrong."""
    from snippet_runs import differences, send_all

    runner = RUNNERS[language]
    recorder.clear()
    reference = send_all({c: cases[c] for c in texts}, recorder)
    tmp = tmp_path_factory.mktemp(f"theirs-{language}")
    done = runner.run(list(texts.items()), tmp, {})
    arrivals = {case: recorder.take(case) for case in texts}
    if language in ("go", "java") and not any(arrivals.values()):
        # One program for all: a snippet that does not compile stops the others. Each
        # alone, then, so that only the broken ones count as broken.
        for case, text in texts.items():
            done = runner.run([(case, text)], tmp_path_factory.mktemp(f"one-{language}"), {})
            arrivals[case] = recorder.take(case)
            if not arrivals[case]:
                print(f"{language} {case}: {done.stderr[-300:]}")
    out = {}
    for case, arrived in arrivals.items():
        if len(arrived) != 1:
            out[case] = [f"{len(arrived)} requests arrived (did not run)"]
        else:
            out[case] = differences(cases[case], arrived[0], reference[case])
    return out


def render(rows: list[tuple[str, str, int, list[str], dict[str, list[str]]]]) -> str:
    lines = [
        "| language | httpsnippet target | ours: right | httpsnippet: right "
        "| httpsnippet got wrong |",
        "|---|---|---|---|---|",
    ]
    for language, target, total, wrong, details in rows:
        shown = ", ".join(f"{case} ({_short(details[case][0])})" for case in wrong)
        lines.append(
            f"| {language} | {target} | {total}/{total} | {total - len(wrong)}/{total} | "
            f"{shown or '-'} |"
        )
    return "\n".join(lines) + "\n"


def _short(problem: str) -> str:
    """The kind of a problem: what part of the request was wrong."""
    head = problem.split(":", 1)[0]
    return head.replace("|", "/")[:40]
