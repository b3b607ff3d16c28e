"""Where explorer keeps its files, how it writes them (atomically), and how it reads them
back without ever losing one: a file that cannot be read as what it should be is moved
aside with a timestamp (never silently replaced at the next save), and temporary files
left by a write that was killed are removed."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from explorer.errors import Location, StoreError

__all__ = [
    "ORPHAN_AGE",
    "clean_temporary",
    "config_dir",
    "damaged_name",
    "data_dir",
    "read_json_object",
    "write_atomic",
]

ORPHAN_AGE = 3600.0
"""A temporary file older than this (seconds) was left by a write that never finished."""
_cleaned: set[Path] = set()


def config_dir() -> Path:
    """Settings: $EXPLORER_CONFIG_DIR, else the user's config folder."""
    env = os.environ.get("EXPLORER_CONFIG_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_config_dir("explorer", appauthor=False))


def data_dir() -> Path:
    """Drafts, history, collections: $EXPLORER_DATA_DIR, else the user's data folder."""
    env = os.environ.get("EXPLORER_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("explorer", appauthor=False))


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise StoreError(f"could not write the file: {exc.strerror}", Location(str(path))) from None


def _temporary_name(path: Path) -> tuple[str, str]:
    """The prefix and suffix `write_atomic` gives its temporary files for `path`."""
    return f".{path.name}.", ".tmp"


def clean_temporary(folder: Path, *, max_age: float = ORPHAN_AGE) -> list[Path]:
    """Remove the temporary files of writes that never finished (once per folder and
    process; only files older than `max_age`, so another explorer's write in progress is
    left alone). Returns what was removed."""
    if folder in _cleaned:
        return []
    _cleaned.add(folder)
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > max_age:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def read_json_object(path: Path, what: str) -> tuple[dict[str, Any] | None, str]:
    """The JSON object in `path`, and a sentence for the user when something was wrong.

    A missing file is (None, ""). A file that is not a JSON object is moved aside as
    `<name>.damaged-<time><suffix>` (so the next save cannot destroy what was in it) and
    the sentence says where; a file that cannot be read at all is left where it is."""
    clean_temporary(path.parent)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, ""
    except OSError as exc:
        return None, f"Could not read the {what} ({path}): {exc.strerror}."
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError:
        doc = None
    if isinstance(doc, dict):
        return doc, ""
    aside = damaged_name(path)
    try:
        os.replace(path, aside)
    except OSError as exc:
        return None, f"The {what} ({path}) is damaged and could not be moved aside: {exc}."
    return None, f"The {what} file was damaged; it was kept as {aside.name} and a new one started."


def damaged_name(path: Path) -> Path:
    """Where a damaged file is kept: `<name>.damaged-<time><suffix>` beside it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
