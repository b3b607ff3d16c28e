"""The runner in-process (`run_collection`), against real servers on 127.0.0.1: the demo
mock and the HTTP tests' echo server. What a run does with undocumented statuses, unknown
operations and variables, requests linked to the spec by their URL, --bail, --timeout,
the demo served by itself, a request's own environment; and what its reports show."""

from __future__ import annotations

import asyncio
import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail

from explorer import spec
from explorer.collection.checks import CheckOutcome
from explorer.collection.model import Check, Collection, Folder, SavedRequest, Settings
from explorer.collection.report import (
    RequestReport,
    RunReport,
    json_report,
    junit_xml,
    plain,
    progress_lines,
    shown_url,
    summary_line,
)
from explorer.collection.run import (
    RunOptions,
    UsageError,
    resolve_spec_source,
    run_collection,
)
from explorer.collection.store import write_collection
from explorer.demo import demo_spec_path
from explorer.http.model import PreparedRequest
from explorer.mock import MockServer
from explorer.store.environments import EnvironmentStore
from explorer.store.secrets import SecretStore

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "http"))

from http_servers import RunningServer, serve

DEMO = demo_spec_path()

ECHO_SPEC = """
openapi: 3.0.3
info: {title: Echo, version: "1"}
paths:
  /status/{code}:
    get:
      parameters:
        - {name: code, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            text/plain: {schema: {type: string}}
  /echo/{rest}:
    post:
      parameters:
        - {name: rest, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: what arrived
          content:
            application/json:
              schema:
                type: object
                required: [method, raw_path]
                properties: {method: {type: string}, raw_path: {type: string}}
"""


@pytest.fixture(scope="module")
def echo_server() -> Iterator[RunningServer]:
    yield from serve()


@pytest.fixture(scope="module")
def demo_server() -> Iterator[MockServer]:
    mock = MockServer(spec.load(DEMO), host="127.0.0.1", port=0).start()
    yield mock
    mock.stop()


@pytest.fixture(autouse=True)
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path / "data"))


def collection(
    root: Path, items: list[Folder | SavedRequest], *, spec_text: str = "", **kw: object
) -> Path:
    if spec_text:  # beside the collection, named relative to its folder
        (root.parent / f"{root.name}-spec.yaml").write_text(spec_text)
        kw.setdefault("spec", f"../{root.name}-spec.yaml")
    write_collection(root, Collection("Runner", root=Folder("", items), **kw))  # type: ignore[arg-type]
    return root


def run(root: Path, **kw: object) -> RunReport:
    seen: list[str] = []
    report = asyncio.run(
        run_collection(
            RunOptions(root, **kw),  # type: ignore[arg-type]
            progress=lambda r: seen.extend(progress_lines(r)),
            secrets=SecretStore(backend=fail.Keyring()),
            environ={},
        )
    )
    assert len(seen) >= len(report.requests)  # told as it went
    return report


def whys(report: RunReport) -> list[list[str]]:
    return [[c.why for c in r.failures] + ([r.error] if r.error else []) for r in report.requests]


def test_an_undocumented_status_fails_and_a_documented_one_passes(
    tmp_path: Path, echo_server: RunningServer
) -> None:
    items: list[Folder | SavedRequest] = [
        SavedRequest("Teapot", "GET", f"{echo_server.url}/status/{{code}}",
                     operation="GET /status/{code}", path=(("code", 418),),
                     checks=(Check("status", value=418),)),
        SavedRequest("Fine", "GET", f"{echo_server.url}/status/200", query=(("body", "hi"),)),
    ]  # fmt: skip
    report = run(collection(tmp_path / "col", items, spec_text=ECHO_SPEC))
    assert whys(report) == [
        ["status 418 is not documented for GET /status/{code} (it documents 200)"],
        [],
    ]
    fine = report.requests[1]
    assert [c.what for c in fine.checks] == [
        "body matches the spec's schema for 200",
        "status below 400",
    ]
    assert not report.passed


def test_a_request_without_an_operation_is_linked_to_one_by_its_url(
    tmp_path: Path, echo_server: RunningServer
) -> None:
    items: list[Folder | SavedRequest] = [
        SavedRequest("Echo", "POST", "{{base}}/echo/hello",
                     checks=(Check("json", "/method", value="POST"),)),
        SavedRequest("Gone", "POST", "{{base}}/echo/x", operation="POST /gone"),
        SavedRequest("Unknown", "GET", "{{base}}/status/200", headers=(("X-A", "{{nope}}"),)),
    ]  # fmt: skip
    variables = {"base": echo_server.url}
    root = collection(tmp_path / "col", items, spec_text=ECHO_SPEC, variables=variables)
    report = run(root)
    echo, gone, unknown = report.requests
    assert echo.checks[0].what == "body matches the spec's schema for 200"
    assert not echo.failed and echo.status == 200
    assert gone.failures[0].why == "the spec has no POST /gone (the request names it)"
    assert unknown.error == (
        "Unknown variable {{nope}}: define it in the environment 'development' or the "
        "collection's variables or take it out of the request."
    )
    assert unknown.status is None and unknown.url == ""


def test_bail_stops_at_the_first_failure_and_the_rest_is_reported_as_not_run(
    tmp_path: Path, echo_server: RunningServer
) -> None:
    items: list[Folder | SavedRequest] = [
        SavedRequest("One", "GET", f"{echo_server.url}/status/200"),
        Folder("F", [SavedRequest("Two", "GET", f"{echo_server.url}/status/500")]),
        SavedRequest("Three", "GET", f"{echo_server.url}/status/200"),
    ]
    report = run(collection(tmp_path / "col", items), bail=True)
    assert [(r.name, r.failed, r.skipped) for r in report.requests] == [
        ("One", False, False),
        ("Two", True, False),
        ("Three", False, True),
    ]
    assert report.counts()["skipped"] == 1
    assert summary_line(report).startswith("2 requests, 2 checks: FAILED: 1 failed, 1 not run")
    assert progress_lines(report.requests[2]) == ["- GET /status/200  Three: not run (--bail)"]
    xml = ET.fromstring(junit_xml(report))
    skipped = [c for c in xml.iter("testcase") if c.find("skipped") is not None]
    assert [c.get("name") for c in skipped] == ["Three (GET /status/200)"]
    assert xml.find("testsuite").get("skipped") == "1"  # type: ignore[union-attr]


def test_the_timeout_bounds_each_request(tmp_path: Path, echo_server: RunningServer) -> None:
    items: list[Folder | SavedRequest] = [
        SavedRequest("Slow", "GET", f"{echo_server.url}/slow", query=(("delay", 5),),
                     settings=Settings(timeout=60)),
        SavedRequest("Closed", "GET", "http://127.0.0.1:9/none"),
    ]  # fmt: skip
    report = run(collection(tmp_path / "col", items), timeout=0.5)
    slow, closed = report.requests
    assert slow.error.startswith("no response: ") and "0.5 s" in slow.error
    assert closed.error.startswith("no response: ")
    assert report.seconds < 4.5  # the 5 s answer was not waited for


def test_no_spec_means_no_schema_check_and_no_environments(
    tmp_path: Path, echo_server: RunningServer
) -> None:
    items: list[Folder | SavedRequest] = [SavedRequest("Echo", "POST", "{{base}}/echo/x")]
    root = collection(tmp_path / "col", items, variables={"base": echo_server.url})
    report = run(root)
    assert [c.what for c in report.requests[0].checks] == ["status below 400"]
    assert report.environment == ""
    with pytest.raises(UsageError, match="--env staging: environments belong to an API"):
        run(root, environment="staging")


@pytest.mark.skipif(not DEMO.is_file(), reason="the demo spec has not been generated")
def test_the_demo_named_from_another_machine_is_served_by_itself(tmp_path: Path) -> None:
    elsewhere = "/home/someone/explorer/resources/ecosire/openapi.json"
    items: list[Folder | SavedRequest] = [
        SavedRequest("Login", "POST", "{{baseUrl}}/auth/login", operation="POST /auth/login",
                     checks=(Check("status", value=422),)),  # no body: a problem
        SavedRequest("Contacts", "GET", "{{baseUrl}}/contacts", operation="GET /contacts",
                     checks=(Check("status", value=401),)),
    ]  # fmt: skip
    root = collection(tmp_path / "col", items, spec=elsewhere)
    col_spec = resolve_spec_source(None, Collection("x", spec=elsewhere), root)
    assert col_spec == str(DEMO)
    report = run(root)
    assert report.passed, whys(report)
    assert report.requests[1].url.startswith("http://127.0.0.1:")
    assert any(n.startswith("the demo API was served in-process at ") for n in report.notes)


@pytest.mark.skipif(not DEMO.is_file(), reason="the demo spec has not been generated")
def test_a_request_uses_its_own_environment_unless_one_is_given(
    tmp_path: Path, demo_server: MockServer, echo_server: RunningServer
) -> None:
    store = EnvironmentStore(tmp_path / "config" / "environments.json")
    envs = store.for_api("ECOSIRE API")
    envs.get("staging").variables["baseUrl"] = demo_server.api_url  # type: ignore[union-attr]
    envs.get("development").variables["baseUrl"] = echo_server.url + "/status/204?x="  # type: ignore[union-attr]
    store.save()
    items: list[Folder | SavedRequest] = [
        SavedRequest("Dev", "GET", "{{baseUrl}}"),
        SavedRequest("Staging", "GET", "{{baseUrl}}/contacts", operation="GET /contacts",
                     environment="staging", checks=(Check("status", value=401),)),
        SavedRequest("Nowhere", "GET", "{{baseUrl}}", environment="qa"),
    ]  # fmt: skip
    root = collection(tmp_path / "col", items, spec=str(DEMO))
    report = run(root)
    dev, staging, nowhere = report.requests
    assert dev.status == 204 and staging.status == 401 and not staging.failed
    assert nowhere.error == "the request names the environment 'qa', which is not defined"
    forced = run(root, environment="staging")
    assert forced.environment == "staging"
    assert forced.requests[0].url.startswith(demo_server.api_url)


# -- what the reports show -------------------------------------------------------------


def test_urls_are_shown_without_their_secrets() -> None:
    prepared = PreparedRequest(
        "GET",
        "http://h/x?api_key=k-123&page=2&access_token=t-9&q=k-123x",
        secrets=(("k-123", "ECOSIRE_API_KEY"),),
        credential_query=("api_key",),
    )
    assert shown_url(prepared) == "http://h/x?api_key=…&page=2&access_token=…&q=…x"


def test_text_from_a_server_cannot_drive_the_terminal_or_break_the_xml() -> None:
    assert plain("red \x1b[31mX\x1b[0m\nline\x00") == "red \\x1b[31mX\\x1b[0m line\\x00"
    report = RunReport("C\x07", requests=[])

    report.requests.append(
        RequestReport("R", "r.yaml", method="GET", path="/", status=500,
                      checks=[CheckOutcome("status is 200", False, "got \x1b]0;pwned\x07\ud800")])
    )  # fmt: skip
    xml = junit_xml(report)
    failure = ET.fromstring(xml).find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "got \\x1b]0;pwned\\x07\\ud800"
    assert "\x1b" not in "\n".join(progress_lines(report.requests[0]))
    assert json.loads(json.dumps(json_report(report)))["passed"] is False
