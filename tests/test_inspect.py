"""`explorer inspect` as a person runs it: a subprocess, on real documents and broken ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from explorer.spec.model import HTTP_METHODS

SHARED_SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs"

KEYS = {"title", "version", "operations", "modules", "webhooks", "schemas", "warnings"}

# Counts published with the documents (../shared/specs/README.md and the issue).
KNOWN = {
    "stripe-3.0.yaml": {"operations": 588, "schemas": 1321},
    "docker-2.0.yaml": {"operations": 107},
    "digitalocean-3.0.json": {"operations": 290, "modules": 35},
    "oas-examples/star-trek-3.0.yaml": {"operations": 120},
    "oas-examples/train-travel-3.1.yaml": {"webhooks": 1},
    "multi-file/petstore-separate/spec/openapi.yaml": {"operations": 3, "modules": 1},
}


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", "inspect", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


def _parse(path: Path) -> Any:
    data = path.read_bytes()
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        try:
            return yaml.load(data, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            return None


def _documents() -> tuple[list[Path], list[Path]]:
    """(OpenAPI documents, other files) under ../shared/specs."""
    if not SHARED_SPECS.is_dir():
        return [], []
    openapi, other = [], []
    for path in sorted(p for p in SHARED_SPECS.rglob("*") if p.is_file()):
        doc = _parse(path) if path.suffix in (".json", ".yaml", ".yml") else None
        if isinstance(doc, dict) and ("openapi" in doc or "swagger" in doc):
            openapi.append(path)
        else:
            other.append(path)
    return openapi, other


OPENAPI_DOCS, OTHER_FILES = _documents()


def _name(path: Path) -> str:
    return path.relative_to(SHARED_SPECS).as_posix()


def inspect_json(path: Path, *extra: str) -> dict[str, Any]:
    result = run(path, "--json", *extra)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    report: dict[str, Any] = orjson.loads(result.stdout)
    return report


def independent_counts(path: Path) -> dict[str, int]:
    """Operations, webhooks and schemas counted straight from the parsed document."""
    doc = _parse(path)
    ops = 0
    for key, item in doc.get("paths", {}).items():
        if key.startswith("/") and isinstance(item, dict):
            ops += sum(1 for m in HTTP_METHODS if isinstance(item.get(m), dict))
    hooks = 0
    for key in ("webhooks", "x-webhooks"):
        for item in (doc.get(key) or {}).values():
            hooks += sum(1 for m in HTTP_METHODS if isinstance(item.get(m), dict))
    schemas = (
        doc.get("definitions") if "swagger" in doc else doc.get("components", {}).get("schemas")
    )
    return {"operations": ops, "webhooks": hooks, "schemas": len(schemas or {})}


def test_the_documents_are_here() -> None:
    if not SHARED_SPECS.is_dir():
        pytest.skip("../shared/specs is not present")
    names = {_name(p) for p in OPENAPI_DOCS}
    assert set(KNOWN) <= names


@pytest.mark.slow
@pytest.mark.parametrize("path", OPENAPI_DOCS, ids=_name)
def test_counts_on_real_documents(path: Path) -> None:
    report = inspect_json(path, "--allow-outside-refs")  # petstore-separate uses ../common
    assert set(report) >= KEYS
    counts = independent_counts(path)
    for key, value in counts.items():
        assert report[key] == value, key
    for key, value in KNOWN.get(_name(path), {}).items():
        assert report[key] == value, key
    assert report["modules"] >= 1
    assert report["title"]
    # every $ref in these documents can be followed
    assert not [w for w in report["warnings"] if "unresolved" in w["message"]]


def test_human_output(shared_specs: Path) -> None:
    result = run(shared_specs / "oas-examples/train-travel-3.1.yaml")
    assert result.returncode == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Train Travel API 1.0.0  (OpenAPI 3.1.0)"
    assert "  operations: 7" in lines
    assert "  webhooks:   1" in lines
    assert "  schemas:    9" in lines
    assert "  warnings:   0" in lines


def test_multi_file_from_another_working_directory(shared_specs: Path, tmp_path: Path) -> None:
    doc = shared_specs / "multi-file/petstore-separate/spec/openapi.yaml"
    result = run(doc, "--json", "--allow-outside-refs", cwd=tmp_path)
    report = orjson.loads(result.stdout)
    assert (report["operations"], report["warnings"]) == (3, [])


def test_files_outside_the_document_folder_need_consent(shared_specs: Path) -> None:
    doc = shared_specs / "multi-file/petstore-separate/spec/openapi.yaml"
    report = inspect_json(doc)
    assert report["operations"] == 3
    outside = [w for w in report["warnings"] if "outside the document's folder" in w["message"]]
    assert outside and len(outside) == len(report["warnings"])
    assert {w["source"] for w in outside} == {str(doc)}  # the referring file
    assert all("../common/schemas/Error.yaml" in w["message"] for w in outside)
    assert all(w["pointer"].startswith("/paths/") for w in outside)
    text = run(doc).stdout
    assert "allow references outside the document" in text


@pytest.mark.parametrize("path", OTHER_FILES, ids=_name)
def test_files_that_are_not_openapi_fail_cleanly(path: Path) -> None:
    result = run(path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("explorer: ")
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_fragment_says_why(shared_specs: Path) -> None:
    result = run(shared_specs / "multi-file/petstore-separate/spec/schemas/Pet.yaml")
    assert result.returncode == 2
    assert "not an OpenAPI document" in result.stderr


BROKEN: dict[str, bytes] = {
    "invalid.json": b'{"openapi": "3.0.0",\n  "paths": {,}}',
    "invalid.yaml": b"openapi: 3.0.0\npaths:\n  /a: [\n",
    "empty.yaml": b"",
    "blank.json": b"\n\n   \n",
    "binary.bin": bytes(range(256)) * 4,
    "list.json": b"[1, 2]",
    "swagger12.json": b'{"swaggerVersion": "1.2"}',
    "tag.yaml": b"openapi: !!python/object/apply:os.system ['echo hi']\n",
    "bomb.yaml": b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + b"".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n".encode()
        for p, n in zip("abcdefghij", "bcdefghijk", strict=True)
    ),
    "deep.json": b'{"openapi": "3.0.0", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "deep.yaml": b"openapi: 3.0.0\nx: " + b"{a: " * 20_000 + b"1" + b"}" * 20_000,
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_documents_exit_2_with_one_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BROKEN[name])
    for extra in ((), ("--json",)):
        result = run(path, *extra)
        assert result.returncode == 2, result.stdout
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert str(path) in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("target", ["missing.yaml", "."])
def test_unreadable_sources_exit_2(tmp_path: Path, target: str) -> None:
    result = run(tmp_path / target)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_warnings_are_listed(tmp_path: Path) -> None:
    doc = {
        "openapi": "3.0.0",
        "info": {"title": "Odd", "version": "1"},
        "paths": {
            "/a": {"get": {"operationId": "x", "responses": {"200": {"$ref": "#/nope"}}}},
            "/b": {"get": {"operationId": "x", "responses": {}}},
        },
    }
    path = tmp_path / "odd.json"
    path.write_bytes(orjson.dumps(doc))
    text = run(path)
    assert text.returncode == 0
    assert "  warnings:   2" in text.stdout
    assert "duplicate operationId 'x'" in text.stdout
    assert "(at /paths/~1a/get/responses/200)" in text.stdout
    report = orjson.loads(run(path, "--json").stdout)
    assert {w["pointer"] for w in report["warnings"]} == {
        "/paths/~1b/get",
        "/paths/~1a/get/responses/200",
    }
