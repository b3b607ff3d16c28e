"""`explorer run` as CI runs it: a subprocess, against `explorer mock` of the demo (another
subprocess, 127.0.0.1, port 0), on collections written by the store. It logs in by itself
and creates a contact (exit 0); a wrong assertion fails with exit 1 and a JUnit file a CI
reads; a broken file is reported with its path and line; an unknown environment is a
usage error (exit 2); an API key from ECOSIRE_API_KEY works with no keyring; no secret is
ever printed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from collection_export_mock import demo_mock, limit_memory

from explorer.collection.model import Body, Check, Collection, Folder, SavedRequest
from explorer.collection.store import write_collection
from explorer.demo import demo_spec_path
from explorer.store.environments import EnvironmentStore, secret_name
from explorer.store.secrets import SecretStore

DEMO = demo_spec_path()
API = "ECOSIRE API"
PASSWORD = "demo-password"
NO_KEYRING = "keyring.backends.fail.Keyring"

pytestmark = pytest.mark.skipif(not DEMO.is_file(), reason="the demo spec has not been generated")
real_keyring = pytest.mark.skipif(
    not os.environ.get("EXPLORER_TEST_KEYRING"),
    reason="needs the Secret Service that .ci/test.sh starts (EXPLORER_TEST_KEYRING=1)",
)


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    """`explorer mock` serving the demo, as a user starts it (its base URL, ".../api")."""
    with demo_mock() as url:
        yield url.rstrip("/")


def run(
    home: Path, *args: str, environ: dict[str, str] | None = None, keyring: bool = True
) -> subprocess.CompletedProcess[str]:
    """`explorer run ARGS` with its own config and data folders (and no ECOSIRE_*
    variables but those given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOSIRE_")}
    env.update(
        EXPLORER_CONFIG_DIR=str(home / "config"),
        EXPLORER_DATA_DIR=str(home / "data"),
        PYTHONIOENCODING="utf-8",
        **(environ or {}),
    )
    if not keyring:
        env["PYTHON_KEYRING_BACKEND"] = NO_KEYRING
    return subprocess.run(
        [sys.executable, "-m", "explorer", "run", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        preexec_fn=limit_memory,
    )


def run_with_key(home: Path, key: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`explorer run ARGS` as in CI: the API key in ECOSIRE_API_KEY, no keyring."""
    return run(home, *args, environ={"ECOSIRE_API_KEY": key}, keyring=False)


def contact_requests(email: str, *, expect: int = 201) -> list[Folder | SavedRequest]:
    body = json.dumps({"type": "person", "name": "Ada Lovelace", "email": email}, indent=2)
    create = SavedRequest(
        "Create a contact",
        "POST",
        "{{baseUrl}}/contacts",
        operation="POST /contacts",
        body=Body("application/json", body + "\n"),
        checks=(
            Check("status", value=expect),
            Check("json", "/id", "exists", True),
            Check("json", "/email", "equals", email),
            Check("header", "Content-Type", "contains", "json"),
            Check("time", op="under", value=30_000),
        ),
    )
    listing = SavedRequest(
        "Find it",
        "GET",
        "{{baseUrl}}/contacts",
        operation="GET /contacts",
        query=(("q", "Lovelace"), ("limit", 5)),
        checks=(Check("status", value=200), Check("json", "/data", "exists", True)),
    )
    return [Folder("Contacts", [create, listing])]


def write(root: Path, mock_url: str, items: list[Folder | SavedRequest], **kw: str) -> Path:
    col = Collection(
        "Demo in CI",
        spec=str(DEMO),
        variables={"baseUrl": mock_url},
        root=Folder("", items),
        **kw,  # type: ignore[arg-type]
    )
    write_collection(root, col)
    return root


def issue_api_key(base: str) -> str:
    """An API key the demo issues to its user (set-up, not the test)."""
    with httpx.Client(base_url=base, timeout=10) as client:
        token = client.post("/auth/login", json={"email": "demo@ecosire.com", "password": PASSWORD})
        made = client.post(
            "/api-keys",
            json={"name": "ci", "scope": "read-write"},
            headers={"Authorization": f"Bearer {token.json()['token']}"},
        )
        made.raise_for_status()
        key = made.json()["key"]
        assert isinstance(key, str) and key.startswith("ecos_")
        return key


def everything_printed(done: subprocess.CompletedProcess[str], *files: Path) -> str:
    return done.stdout + done.stderr + "".join(f.read_text() for f in files if f.exists())


@real_keyring
def test_a_collection_that_logs_in_and_creates_a_contact_passes(
    tmp_path: Path, mock_url: str
) -> None:
    # An environment of its own (the keyring is shared by the whole test session), with
    # the demo user's password in the real keyring: the login slot logs in by itself.
    env_name = f"ci-{uuid.uuid4().hex[:8]}"
    store = EnvironmentStore(tmp_path / "config" / "environments.json")
    store.for_api(API).add(env_name)
    store.save()
    secrets = SecretStore()
    secrets.set_sync(secret_name(API, env_name, "bearerAuth", "password"), PASSWORD)
    root = write(tmp_path / "col", mock_url, contact_requests("ada@example.com"))

    done = run(tmp_path, str(root), "--env", env_name)

    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert re.match(r"✓ POST /contacts  201  \d+ ms  Contacts / Create a contact$", lines[0])
    assert re.match(r"✓ GET /contacts  200  \d+ ms  Contacts / Find it$", lines[1])
    assert re.match(r"2 requests, 9 checks: all passed, in [\d.]+ s$", lines[2])
    # It logged in: the token is in the keyring for the next run, and was never printed.
    token = secrets.get_sync(secret_name(API, env_name, "bearerAuth", "token"))
    assert token and token.count(".") == 2
    assert token not in done.stdout + done.stderr and PASSWORD not in done.stdout + done.stderr
    # The second run uses the token it kept (no password needed any more).
    secrets.delete_sync(secret_name(API, env_name, "bearerAuth", "password"))
    again = run(tmp_path, str(root), "--env", env_name)
    assert again.returncode == 0, again.stdout + again.stderr


def test_an_api_key_from_the_environment_works_without_a_keyring(
    tmp_path: Path, mock_url: str
) -> None:
    key = issue_api_key(mock_url)
    root = write(tmp_path / "col", mock_url, contact_requests("grace@example.com"))
    report = tmp_path / "report.json"

    done = run_with_key(tmp_path, key, str(root), "--reporter", "json", "-o", str(report))

    assert done.returncode == 0, done.stdout + done.stderr
    assert "✓ POST /contacts  201" in done.stdout
    data = json.loads(report.read_text())
    assert data["passed"] is True and data["environment"] == "development"
    assert data["summary"]["requests"] == 2 and data["summary"]["failed_checks"] == 0
    created = data["requests"][0]
    assert created["status"] == 201 and created["file"] == "Contacts/create-a-contact.yaml"
    assert created["url"] == mock_url + "/contacts"
    assert "No usable keyring" in done.stderr  # said, and not a failure
    assert key not in everything_printed(done, report)
    # Without the key the same run fails, and says why.
    refused = run(tmp_path, str(root), keyring=False)
    assert refused.returncode == 1
    assert "expected status 201, got 401 (Authentication required" in refused.stdout


def test_a_wrong_assertion_fails_with_exit_1_and_a_junit_file_that_says_what(
    tmp_path: Path, mock_url: str
) -> None:
    key = issue_api_key(mock_url)
    items = contact_requests("alan@example.com", expect=200)  # it answers 201
    root = write(tmp_path / "col", mock_url, items)
    junit = tmp_path / "out" / "junit.xml"

    done = run_with_key(tmp_path, key, str(root), "--reporter", "junit", "-o", str(junit))

    assert done.returncode == 1, done.stdout + done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith("✗ POST /contacts  201  ")
    assert first.endswith("Contacts / Create a contact: expected status 200, got 201")
    assert "FAILED: 1 failed" in done.stdout
    root_el = ET.parse(junit).getroot()
    check_junit_shape(root_el)
    suite = root_el.find("testsuite")
    assert suite is not None
    assert suite.get("name") == "Demo in CI"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "Create a contact (POST /contacts)",
        "Find it (GET /contacts)",
    ]
    assert cases[0].get("classname") == "Demo in CI.Contacts"
    failure = cases[0].find("failure")
    assert failure is not None and failure.get("message") == "expected status 200, got 201"
    assert cases[1].find("failure") is None
    assert key not in everything_printed(done, junit)


def check_junit_shape(root: ET.Element) -> None:
    """What Jenkins' JUnit schema (xUnit plugin's junit-10.xsd) allows, and GitLab and the
    GitHub test-report actions read: elements, their attributes, and consistent counts."""
    allowed = {
        "testsuites": {"name", "time", "tests", "failures", "errors"},
        "testsuite": {"name", "tests", "failures", "errors", "group", "time", "skipped",
                      "timestamp", "hostname", "id", "package", "file", "log", "url"},
        "testcase": {"name", "time", "classname", "group"},
        "failure": {"type", "message"},
        "error": {"type", "message"},
        "skipped": {"type", "message"},
        "properties": set(),
        "property": {"name", "value"},
        "system-out": set(),
        "system-err": set(),
    }  # fmt: skip
    required = {
        "testsuite": {"name", "tests", "failures", "errors"},
        "testcase": {"name"},
        "property": {"name", "value"},
    }
    children = {
        "testsuites": {"testsuite"},
        "testsuite": {"testsuite", "properties", "testcase", "system-out", "system-err"},
        "testcase": {"skipped", "error", "failure", "system-out", "system-err"},
        "properties": {"property"},
    }
    time_re = re.compile(r"^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$")
    assert root.tag == "testsuites"
    for el in root.iter():
        assert el.tag in allowed, el.tag
        assert set(el.attrib) <= allowed[el.tag], (el.tag, el.attrib)
        assert required.get(el.tag, set()) <= set(el.attrib), (el.tag, el.attrib)
        assert {c.tag for c in el} <= children.get(el.tag, set()), el.tag
        if el.tag in ("testsuites", "testsuite") and "time" in el.attrib:
            assert time_re.match(el.attrib["time"]), el.attrib["time"]
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.attrib["tests"]) == len(cases)
        assert int(suite.attrib["failures"]) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.attrib["errors"]) == sum(c.find("error") is not None for c in cases)
        assert int(suite.get("skipped", "0")) == sum(c.find("skipped") is not None for c in cases)


def test_a_broken_request_file_is_reported_with_its_path_and_line_and_the_rest_runs(
    tmp_path: Path, mock_url: str
) -> None:
    key = issue_api_key(mock_url)
    root = write(tmp_path / "col", mock_url, contact_requests("edsger@example.com"))
    (root / "Contacts" / "broken.yaml").write_text(
        "name: Broken\nmethod: GET\nurl: '{{baseUrl}}/contacts\nchecks: []\n"
    )
    (root / "wrong-check.yaml").write_text(
        "name: Wrong check\nmethod: GET\nurl: '{{baseUrl}}/contacts'\n"
        "checks:\n  - status: 200\n  - json: id\n    exists: true\n"
    )
    junit = tmp_path / "junit.xml"

    done = run_with_key(tmp_path, key, str(root), "--reporter", "junit", "-o", str(junit))

    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    broken = next(line for line in lines if "broken.yaml" in line)
    assert re.match(r"✗ Contacts/broken\.yaml:\d+: ", broken), broken
    assert "✗ wrong-check.yaml:6: checks[1].json: expected a JSON pointer such as /id" in lines
    assert any(line.startswith("✓ POST /contacts  201") for line in lines)  # the rest ran
    assert "2 broken files" in lines[-1]
    root_el = ET.parse(junit).getroot()
    check_junit_shape(root_el)
    errors = [c for c in root_el.iter("testcase") if c.find("error") is not None]
    assert [c.get("name") for c in errors] == ["Contacts/broken.yaml", "wrong-check.yaml"]
    error = errors[1].find("error")
    assert error is not None and error.get("type") == "broken file"
    assert error.text == "wrong-check.yaml:6: checks[1].json: expected a JSON pointer such as /id"


def test_usage_errors_exit_2_with_a_clear_message(tmp_path: Path, mock_url: str) -> None:
    root = write(tmp_path / "col", mock_url, contact_requests("x@example.com"))
    done = run(tmp_path, str(root), "--env", "staging-eu", keyring=False)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == (
        "explorer run: no environment 'staging-eu' for ECOSIRE API "
        "(its environments: development, staging, production)"
    )
    missing = run(tmp_path, str(tmp_path / "nothing-here"), keyring=False)
    assert missing.returncode == 2
    assert missing.stderr.strip().startswith("explorer run: ")
    assert "not a folder" in missing.stderr and "Traceback" not in missing.stderr
    not_collection = run(tmp_path, str(tmp_path), keyring=False)
    assert not_collection.returncode == 2
    assert "not a collection: there is no collection.yaml" in not_collection.stderr
    bad_spec = run(tmp_path, str(root), "--spec", str(tmp_path / "none.yaml"), keyring=False)
    assert bad_spec.returncode == 2 and "the spec could not be loaded" in bad_spec.stderr
