"""`explorer webhook sign|verify|listen|send` as a user runs them: subprocesses, the secret
in an environment variable, exit codes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import stripe

from explorer.demo import demo_spec_path
from explorer.webhooks import Receiver, Scheme, Verifier

SECRET = "whsec_cli_secret"
BODY = b'{"type":"invoice.paid","id":"evt_9"}'


def run(
    *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", "webhook", *args],
        capture_output=True,
        text=True,
        input=stdin.decode() if stdin is not None else None,
        env={**os.environ, "HOOK_SECRET": SECRET, **(env or {})},
        timeout=60,
    )


def test_sign_prints_a_header_stripe_accepts(tmp_path: Path) -> None:
    body = tmp_path / "body.json"
    body.write_bytes(BODY)
    done = run(
        "sign",
        "--scheme",
        "stripe",
        "--secret-env",
        "HOOK_SECRET",
        "--timestamp",
        "1711000000",
        str(body),
    )
    assert done.returncode == 0, done.stderr
    name, _, value = done.stdout.strip().partition(": ")
    assert name == "Stripe-Signature" and value.startswith("t=1711000000,v1=")
    assert stripe.WebhookSignature.verify_header(BODY, value, SECRET, tolerance=None)
    license_sig = run(
        "sign", "--scheme", "ecosire-license", "--secret-env", "HOOK_SECRET", "-", stdin=BODY
    )
    assert license_sig.stdout.startswith("X-License-Signature: ")
    hmac_sig = run(
        "sign",
        "--scheme",
        "hmac",
        "--secret-env",
        "HOOK_SECRET",
        "--header-name",
        "X-Hub-Signature",
        "--algorithm",
        "sha1",
        "--encoding",
        "base64",
        "--timestamp-header",
        "X-Time",
        "--timestamp",
        "5",
        str(body),
    )
    assert hmac_sig.stdout.splitlines()[1] == "X-Time: 5"


def test_verify_exits_0_or_1_with_the_reason(tmp_path: Path) -> None:
    body = tmp_path / "body.json"
    body.write_bytes(BODY)
    good = stripe.WebhookSignature.generate_signature_header(BODY.decode(), SECRET)
    ok = run(
        "verify", "--scheme", "stripe", "--secret-env", "HOOK_SECRET", "--header", good, str(body)
    )
    assert ok.returncode == 0 and ok.stdout.startswith("valid:")
    named = run(
        "verify",
        "--scheme",
        "stripe",
        "--secret-env",
        "HOOK_SECRET",
        "--header",
        f"Stripe-Signature: {good}",
        str(body),
    )
    assert named.returncode == 0
    body.write_bytes(BODY + b" ")
    changed = run(
        "verify", "--scheme", "stripe", "--secret-env", "HOOK_SECRET", "--header", good, str(body)
    )
    assert changed.returncode == 1 and changed.stdout.startswith("invalid:")
    old = stripe.WebhookSignature.generate_signature_header(
        BODY.decode(), SECRET, timestamp=1711000000
    )
    body.write_bytes(BODY)
    stale = run(
        "verify", "--scheme", "stripe", "--secret-env", "HOOK_SECRET", "--header", old, str(body)
    )
    assert stale.returncode == 1 and "outside the tolerance" in stale.stdout
    malformed = run(
        "verify",
        "--scheme",
        "stripe",
        "--secret-env",
        "HOOK_SECRET",
        "--header",
        "nonsense",
        str(body),
    )
    assert malformed.returncode == 1 and "t=<time>" in malformed.stdout


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    unset = run("sign", "--scheme", "stripe", "--secret-env", "NOT_SET_ANYWHERE", "-", stdin=b"{}")
    assert unset.returncode == 2 and "NOT_SET_ANYWHERE is not set" in unset.stderr
    missing = run(
        "sign", "--scheme", "stripe", "--secret-env", "HOOK_SECRET", str(tmp_path / "nope")
    )
    assert missing.returncode == 2 and "No such file" in missing.stderr
    assert "Traceback" not in missing.stderr + unset.stderr
    assert run("frobnicate").returncode == 2
    no_event = run(
        "send",
        str(demo_spec_path()),
        "no.such.event",
        "--to",
        "http://127.0.0.1:9/",
        "--secret-env",
        "HOOK_SECRET",
    )
    assert no_event.returncode == 2 and "license.activated" in no_event.stderr


def test_send_delivers_an_event_of_a_document_signed_as_it_declares() -> None:
    with Receiver(Verifier.fixed(Scheme.ecosire_license(), SECRET)) as receiver:
        done = run(
            "send",
            str(demo_spec_path()),
            "license.validated",
            "--to",
            receiver.url,
            "--secret-env",
            "HOOK_SECRET",
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("200 OK (ECOSIRE license")
        (delivery,) = receiver.deliveries()
        assert delivery.event == "license.validated" and delivery.verdict.ok
        wrong = run(
            "send",
            str(demo_spec_path()),
            "license.validated",
            "--to",
            receiver.url,
            "--secret-env",
            "HOOK_SECRET",
            env={"HOOK_SECRET": "other"},
        )
        assert wrong.returncode == 1 and wrong.stdout.startswith("401")


def test_listen_prints_what_comes_and_a_port_in_use_is_exit_2() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "explorer",
            "webhook",
            "listen",
            "--scheme",
            "stripe",
            "--secret-env",
            "HOOK_SECRET",
            "--max-seconds",
            "30",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOOK_SECRET": SECRET, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.search(r"Listening on (http://127\.0\.0\.1:(\d+)/)", first)
        assert match, first
        url, port = match.group(1), match.group(2)
        header = stripe.WebhookSignature.generate_signature_header(BODY.decode(), SECRET)
        assert (
            httpx.post(url, content=BODY, headers={"Stripe-Signature": header}).status_code == 200
        )
        assert (
            httpx.post(url, content=b"not json", headers={"Stripe-Signature": header}).status_code
            == 401
        )
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        assert "invoice.paid -> 200 ✓ Valid Stripe" in lines[0]
        assert "-> 401 ✗" in lines[1]
        busy = run("listen", "--port", port, "--scheme", "stripe", "--secret-env", "HOOK_SECRET")
        assert busy.returncode == 2 and "already in use" in busy.stderr
    finally:
        proc.terminate()
        proc.communicate(timeout=15)  # closes the pipes
    assert proc.returncode is not None
