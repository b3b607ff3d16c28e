"""`explorer mock` as a user runs it: a subprocess, its printed address, Ctrl+C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from explorer.demo import demo_spec_path

HERE = Path(__file__).resolve().parent
SHOP = HERE / "fixtures" / "shop.yaml"
DEMO = demo_spec_path()
ADDRESS = re.compile(r"on (http://127\.0\.0\.1:(\d+)(/\S*)?)\s*$")


def start(*args: str) -> tuple[subprocess.Popen[str], str, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer", "mock", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    m = ADDRESS.search(first)
    if m is None:
        proc.kill()
        _, err = proc.communicate(timeout=10)
        raise AssertionError(f"no address in {first!r}; stderr: {err}")
    return proc, first, m.group(1)


def interrupt(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, out, err


def test_serves_a_spec_and_stops_on_ctrl_c() -> None:
    proc, first, url = start(str(SHOP), "--port", "0")
    try:
        assert first.startswith("Serving Shop 1.0.0 (7 operations) on http://127.0.0.1:")
        assert url.endswith("/v1")
        assert not url.endswith(":0/v1")
        r = httpx.get(url + "/health", timeout=10)
        assert r.status_code == 200
        assert r.text == "ok"
    finally:
        code, out, err = interrupt(proc)
    assert code == 0, err
    assert "Traceback" not in err
    assert "Stopped." in out


@pytest.mark.skipif(not DEMO.is_file(), reason="the demo spec has not been generated")
def test_no_spec_serves_the_demo() -> None:
    proc, first, url = start("--port", "0")
    try:
        assert first.startswith("Serving ECOSIRE API ")
        assert "operations) on http://127.0.0.1:" in first
        assert url.endswith("/api")
        r = httpx.post(
            url + "/auth/login",
            json={"email": "demo@ecosire.com", "password": "demo-password"},
            timeout=10,
        )
        assert r.status_code == 200
        assert r.json()["token"].count(".") == 2
    finally:
        code, _, err = interrupt(proc)
    assert code == 0, err


def test_a_bad_spec_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("openapi: 3.0.0\ninfo: [unclosed\n")
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "explorer", "mock", str(bad), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "broken.yaml" in lines[0]
    assert "Traceback" not in proc.stderr
    assert time.monotonic() - started < 60


def test_a_missing_spec_is_exit_2(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "explorer", "mock", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1


HOSTILE = HERE / "fixtures" / "hostile.yaml"


def test_access_log_masks_secrets_and_allow_host(tmp_path: Path) -> None:
    proc, _, url = start(str(HOSTILE), "--port", "0", "--allow-host", "mock.test")
    try:
        r = httpx.get(url + "/secure?k=KEYSECRET&access_token=TOK&page=2", timeout=10)
        assert r.status_code == 200
        r = httpx.get(url + "/health", headers={"Host": "mock.test:80"}, timeout=10)
        assert r.status_code == 200
        r = httpx.get(url + "/health", headers={"Host": "evil.example"}, timeout=10)
        assert r.status_code == 421
    finally:
        code, _, err = interrupt(proc)
    assert code == 0, err
    assert "KEYSECRET" not in err
    assert "TOK&" not in err
    assert '"GET /v1/secure?k=***&access_token=***&page=2 HTTP/1.1" 200' in err
    assert '"GET /v1/health HTTP/1.1" 421' in err
    assert "Traceback" not in err


def test_references_outside_the_folder_need_the_flag(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "Pet.json").write_text(
        '{"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}'
    )
    doc = tmp_path / "spec" / "openapi.json"
    doc.write_text(
        '{"openapi": "3.0.3", "info": {"title": "Split", "version": "1"},'
        ' "paths": {"/pets": {"post": {"requestBody": {"required": true, "content":'
        ' {"application/json": {"schema": {"$ref": "../common/Pet.json"}}}},'
        ' "responses": {"201": {"description": "made"}}}}}}'
    )
    for flags, status in (((), 201), (("--allow-outside-refs",), 422)):
        proc, _first, url = start(str(doc), "--port", "0", *flags)
        try:
            # without the flag the schema is missing, so nothing can fail it
            r = httpx.post(url + "/pets", json={"nameless": True}, timeout=10)
            assert r.status_code == status, (flags, r.text)
        finally:
            code, _out, err = interrupt(proc)
        assert code == 0 and "Traceback" not in err
        assert ("--allow-outside-refs to follow them" in err) is (not flags)
