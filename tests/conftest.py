"""Test setup shared by every test: headless Qt, and no test touches the user's folders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Set before anything imports Qt: tests always run headless.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")
_ISOLATED = Path(tempfile.mkdtemp(prefix="explorer-tests-"))
os.environ["EXPLORER_CACHE_DIR"] = str(_ISOLATED / "cache")
os.environ["EXPLORER_CONFIG_DIR"] = str(_ISOLATED / "config")
os.environ["EXPLORER_DATA_DIR"] = str(_ISOLATED / "data")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED_SPECS = ROOT.parent / "shared" / "specs"
DEMO_SPEC = ROOT / "resources" / "ecosire" / "openapi.json"


@pytest.fixture
def shared_specs() -> Path:
    """The public OpenAPI documents in ../shared/specs (skips when absent)."""
    if not SHARED_SPECS.is_dir():
        pytest.skip("../shared/specs is not present")
    return SHARED_SPECS


@pytest.fixture
def demo_spec_path() -> Path:
    return DEMO_SPEC
