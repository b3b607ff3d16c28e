"""The package as a user installs it: the built wheel carries the demo and the icons, and
`explorer mock` from a fresh virtual environment, outside the checkout, serves the demo."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import httpx
import pytest

import explorer

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = re.compile(r"on (http://127\.0\.0\.1:\d+(/\S*)?)\s*$")


def test_every_package_of_explorer_is_in_pyproject() -> None:
    """pyproject lists the packages (find cannot add the mapped explorer.resources)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    package = Path(explorer.__file__).parent
    found = {
        ".".join(init.parent.relative_to(package.parent).parts)
        for init in package.rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["tool"]["setuptools"]["package-dir"] == {"explorer.resources": "resources"}


def run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, f"{args[:4]}: {done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built offline from a copy of the checkout (the checkout stays clean)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("explorer", "resources"):
        shutil.copytree(ROOT / name, source / name, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    run([*pip, "--no-index", "-q", "-w", str(tmp / "dist"), str(source)], cwd=tmp)
    (built,) = (tmp / "dist").glob("explorer-*.whl")
    return built


def test_the_wheel_carries_what_the_app_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "explorer/resources/ecosire/openapi.json" in names
    assert "explorer/resources/icons/explorer.svg" in names
    assert "explorer/py.typed" in names
    assert not [n for n in names if "/src/" in n or n.endswith(".yaml")]  # not the sources
    packed = zipfile.ZipFile(wheel).read("explorer/resources/ecosire/openapi.json")
    assert packed == (ROOT / "resources" / "ecosire" / "openapi.json").read_bytes()


@pytest.mark.slow
def test_explorer_mock_from_a_fresh_install_serves_the_demo(wheel: Path, tmp_path: Path) -> None:
    """A new venv gets the wheel (no dependencies: those of this venv are reached through
    a .pth file, so nothing is downloaded); from a folder outside the checkout, `explorer
    mock` with no argument serves the demo from the installed package."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    ours = run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    Path(site.stdout.strip(), "dependencies.pth").write_text(ours.stdout.strip() + "\n")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    run([*install, "--no-deps", "--no-index", str(wheel)])
    outside = tmp_path / "elsewhere"
    outside.mkdir()

    where = run(
        [str(python), "-c", "from explorer.demo import demo_spec_path; print(demo_spec_path())"],
        cwd=outside,
    )
    assert Path(where.stdout.strip()).is_relative_to(Path(site.stdout.strip()))

    proc = subprocess.Popen(
        [str(env_dir / "bin" / "explorer"), "mock", "--port", "0"],
        cwd=outside,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        found = ADDRESS.search(first)
        assert found is not None, f"no address in {first!r}"
        assert first.startswith("Serving ECOSIRE API ")
        assert proc.stdout.readline().strip() == "Demo login: demo@ecosire.com / demo-password"
        credentials = {"email": "demo@ecosire.com", "password": "demo-password"}
        r = httpx.post(found.group(1) + "/auth/login", json=credentials, timeout=10)
        assert r.status_code == 200, r.text
        assert r.json()["token"].count(".") == 2
        assert r.json()["user"]["email"] == "demo@ecosire.com"
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
        print(err, file=sys.stderr)  # shown by pytest when the test fails
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Stopped." in out
