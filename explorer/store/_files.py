"""Where explorer keeps its files, and how it writes them (atomically)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from explorer.errors import Location, StoreError

__all__ = ["config_dir", "data_dir", "write_atomic"]


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
