"""Helpers for the spec engine tests: write a small document and load it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from explorer import spec

FIXTURES = Path(__file__).parent / "fixtures"

Loader = Callable[..., spec.Spec]


def dump(doc: Any, name: str) -> bytes:
    """JSON bytes for .json names, YAML for anything else."""
    if name.endswith(".json"):
        try:
            return orjson.dumps(doc)
        except orjson.JSONEncodeError:  # nested deeper than orjson writes
            return json.dumps(doc).encode()
    return yaml.safe_dump(doc, sort_keys=False).encode()


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, Any], Path]:
    """write(relative_name, doc_or_text) -> the path written under tmp_path."""

    def _write(name: str, doc: Any) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(doc, bytes):
            path.write_bytes(doc)
        elif isinstance(doc, str):
            path.write_text(doc, encoding="utf-8")
        else:
            path.write_bytes(dump(doc, name))
        return path

    return _write


@pytest.fixture
def load_doc(write: Callable[[str, Any], Path]) -> Loader:
    """load_doc(doc, name="openapi.json", **load_kwargs) -> Spec, via a real file."""

    def _load(doc: Any, name: str = "openapi.json", **kwargs: Any) -> spec.Spec:
        kwargs.setdefault("cache_dir", None)
        return spec.load(write(name, doc), **kwargs)

    return _load


def oas3(paths: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A minimal OpenAPI 3.0 document with the given paths and top-level members."""
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": paths or {},
    }
    doc.update(extra)
    return doc


def warning_texts(api: spec.Spec) -> list[str]:
    return [str(w) for w in api.warnings]


def _keep_hypothesis_out_of_the_tree() -> None:
    """Hypothesis writes a `.hypothesis` folder in the working directory, which pytest's
    `norecursedirs` then warns about (an error here): keep it in the isolated test folder."""
    import os

    from hypothesis.configuration import set_hypothesis_home_dir

    cache = os.environ.get("EXPLORER_CACHE_DIR")
    if cache:
        set_hypothesis_home_dir(Path(cache).parent / "hypothesis")


_keep_hypothesis_out_of_the_tree()
