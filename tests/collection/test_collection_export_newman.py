"""The peer: Postman's own runner, newman (npm), runs the Postman collection that
`explorer export --format postman` writes for the demo (log in, create a contact, list
contacts, with checks) against `explorer mock`, and every check passes; a wrong check
makes newman fail. newman is installed by .ci/peers/newman.sh."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from collection_export_mock import demo_mock

from explorer.collection.model import Body, Check, Collection, Folder, SavedRequest
from explorer.collection.store import write_collection
from explorer.demo import demo_spec_path

ROOT = Path(__file__).resolve().parents[2]
NEWMAN = ROOT / ".cache" / "peers" / "newman" / "node_modules" / ".bin" / "newman"

pytestmark = pytest.mark.skipif(
    not NEWMAN.is_file() or shutil.which("node") is None,
    reason="newman is not installed: bash .ci/peers/newman.sh installs it (.ci/test.sh does)",
)

LOGIN = SavedRequest(
    "Log in",
    "POST",
    "{{baseUrl}}/auth/login",
    operation="POST /auth/login",
    body=Body("application/json", '{\n  "email": "{{email}}",\n  "password": "{{password}}"\n}\n'),
    checks=(
        Check("status", value=200),
        Check("json", "/token", "exists", True),
        Check("json", "/user/email", "equals", "demo@ecosire.com"),
        Check("header", "Content-Type", "contains", "application/json"),
    ),
)
CREATE = SavedRequest(
    "Create a contact",
    "POST",
    "{{baseUrl}}/contacts",
    operation="POST /contacts",
    body=Body(
        "application/json",
        '{\n  "type": "person",\n  "name": "Ada Lovelace",\n  "email": "ada@example.com"\n}\n',
    ),
    checks=(
        Check("status", value=201),
        Check("json", "/id", "exists", True),
        Check("json", "/name", "equals", "Ada Lovelace"),
        Check("json", "/archived", "equals", False),
        Check("time", op="under", value=10_000),
    ),
)
LIST = SavedRequest(
    "List contacts",
    "GET",
    "{{baseUrl}}/contacts",
    operation="GET /contacts",
    query=(("limit", "5"),),
    checks=(Check("status", value=200), Check("header", "X-RateLimit-Limit", "matches", r"^\d+$")),
)


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    with demo_mock() as url:
        yield url


def _export(tmp_path: Path, requests: list[SavedRequest]) -> Path:
    """The collection written as explorer writes it, exported by `explorer export`."""
    col = Collection(
        "Demo",
        spec=str(demo_spec_path()),
        variables={"email": "demo@ecosire.com"},
        root=Folder("", [requests[0], Folder("Contacts", requests[1:])]),
    )
    write_collection(tmp_path / "col", col)
    out = tmp_path / "demo.postman_collection.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "explorer",
            "export",
            str(tmp_path / "col"),
            "--format",
            "postman",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "demo-password" not in out.read_text(encoding="utf-8")
    return out


def _newman(collection: Path, base_url: str, report: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(NEWMAN),
            "run",
            str(collection),
            "--env-var",
            f"baseUrl={base_url}",
            "--env-var",
            "password=demo-password",  # a secret: given when it runs
            "--reporters",
            "cli,json",
            "--reporter-json-export",
            str(report),
            "--color",
            "off",
            "--disable-unicode",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )


def _report(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data["run"]


def test_newman_runs_the_exported_demo_collection_with_no_failures(
    tmp_path: Path, demo_url: str
) -> None:
    collection = _export(tmp_path, [LOGIN, CREATE, LIST])
    done = _newman(collection, demo_url, tmp_path / "report.json")
    assert done.returncode == 0, done.stdout + done.stderr
    run = _report(tmp_path / "report.json")
    assert run["stats"]["requests"] == {"total": 3, "pending": 0, "failed": 0}
    assert run["stats"]["assertions"]["total"] == 11
    assert run["stats"]["assertions"]["failed"] == 0
    assert run["failures"] == []
    by_name = {e["item"]["name"]: e for e in run["executions"]}
    assert by_name["Create a contact"]["response"]["code"] == 201
    # the login request filled the bearerAuth slot's variable; the later requests send it
    sent = {h["key"].lower(): h["value"] for h in by_name["Create a contact"]["request"]["header"]}
    assert sent["authorization"].startswith("Bearer ey")
    assert "authorization" not in {h["key"].lower() for h in by_name["Log in"]["request"]["header"]}


def test_a_wrong_check_makes_newman_fail(tmp_path: Path, demo_url: str) -> None:
    wrong = SavedRequest(
        LIST.name,
        LIST.method,
        LIST.url,
        operation=LIST.operation,
        checks=(Check("status", value=418), Check("json", "/nothing/here", "exists", True)),
    )
    collection = _export(tmp_path, [LOGIN, wrong])
    done = _newman(collection, demo_url, tmp_path / "report.json")
    assert done.returncode == 1, done.stdout + done.stderr
    run = _report(tmp_path / "report.json")
    failed = sorted(f["error"]["test"] for f in run["failures"])
    assert failed == ["json /nothing/here exists", "status is 418"]
    assert run["stats"]["assertions"]["failed"] == 2
