"""`explorer env` and `explorer secret` as a person runs them in a terminal: real
subprocesses, the real keyring API (gnome-keyring's Secret Service in CI), and no secret
in an argument or a file."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

real_keyring = pytest.mark.skipif(
    not os.environ.get("EXPLORER_TEST_KEYRING"),
    reason="needs the Secret Service that .ci/test.sh starts (EXPLORER_TEST_KEYRING=1)",
)


def explorer(
    args: list[str], env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    out = dict(os.environ)
    out["EXPLORER_CONFIG_DIR"] = str(tmp_path / "config")
    out["EXPLORER_DATA_DIR"] = str(tmp_path / "data")
    out["EXPLORER_KEYRING_SERVICE"] = f"explorer-test-{uuid.uuid4().hex[:8]}"
    out.pop("ECOSIRE_TOKEN", None)
    return out


def test_env_list_and_use(env: dict[str, str], tmp_path: Path) -> None:
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    listed = explorer(["env", "list"], env)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == "ECOSIRE API: environments (* in use)"
    assert "* development" in lines and "  production  [production]" in lines
    assert any(line.split()[:2] == ["bearerAuth", "login"] for line in lines)
    assert "No usable keyring" in listed.stdout
    used = explorer(["env", "use", "staging"], env)
    assert used.returncode == 0 and "now using staging" in used.stdout
    again = explorer(["env", "list"], env)
    assert "* staging" in again.stdout.splitlines()
    wrong = explorer(["env", "use", "prod"], env)
    assert wrong.returncode == 2 and "no environment 'prod'" in wrong.stderr
    assert "development, staging, production" in wrong.stderr


def test_no_keyring_stores_nothing_anywhere(env: dict[str, str], tmp_path: Path) -> None:
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    done = explorer(["secret", "set", "production", "apiKey"], env, stdin="ecos_live_sekrit\n")
    assert done.returncode == 1 and "no usable keyring, so nothing was stored" in done.stderr
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(b"ecos_live_sekrit" not in p.read_bytes() for p in files)


def test_usage_errors_say_what_exists(env: dict[str, str]) -> None:
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    slot = explorer(["secret", "set", "production", "nope"], env, stdin="x\n")
    assert slot.returncode == 2 and "no credential slot 'nope'" in slot.stderr
    assert "apiKey, bearerAuth" in slot.stderr
    part = explorer(["secret", "set", "production", "apiKey", "--part", "key"], env, stdin="x\n")
    assert part.returncode == 2 and "keeps token, not 'key'" in part.stderr
    assert explorer(["secret", "set", "production", "apiKey", "s3cr3t"], env).returncode == 2


@real_keyring
def test_a_secret_set_from_stdin_is_in_the_keyring_and_nowhere_else(
    env: dict[str, str], tmp_path: Path
) -> None:
    import keyring

    service = env["EXPLORER_KEYRING_SERVICE"]
    secret = "ecos_live_" + uuid.uuid4().hex
    done = explorer(["secret", "set", "production", "apiKey"], env, stdin=secret + "\n")
    assert done.returncode == 0, done.stderr
    assert "Stored the token of production/apiKey in the keyring" in done.stdout
    assert keyring.get_password(service, "ECOSIRE API/production/apiKey/token") == secret
    login = explorer(["secret", "set", "development", "bearerAuth"], env, stdin="pw\n")
    assert login.returncode == 0 and "the password of development/bearerAuth" in login.stdout
    listed = explorer(["env", "list"], env).stdout
    assert "token: in the keyring" in listed and secret not in listed
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(secret.encode() not in p.read_bytes() for p in files)
    gone = explorer(["secret", "delete", "production", "apiKey"], env)
    assert gone.returncode == 0 and "Forgot the token" in gone.stdout
    assert keyring.get_password(service, "ECOSIRE API/production/apiKey/token") is None
    keyring.delete_password(service, "ECOSIRE API/development/bearerAuth/password")
