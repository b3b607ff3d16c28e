"""The parsed-YAML cache: YAML is slow to parse (Stripe's 6 MB take seconds), so each
parsed document is kept as JSON in the user's cache folder, keyed by a hash of its bytes,
and the second opening costs what JSON does.

The cache is bounded: at most `MAX_CACHE_BYTES` in all, the least recently used entries
evicted first (a hit touches its entry), and no entry larger than a quarter of that.
Entries are written as every file of explorer's is (`store.write_atomic`), and temporary
files of writes that were killed are removed when the cache is next written (the store's
`clean_temporary`, and the `.tmp-` files of versions before it). An entry that cannot be
read, or is not what this version writes, is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from pathlib import Path
from typing import Any

import orjson

__all__ = ["MAX_CACHE_BYTES", "entry_path", "read_entry", "write_entry"]

MAX_CACHE_BYTES = 256 * 1024 * 1024
"""The cache folder's entries may take this much space in all."""
_FORMAT = b"2"  # 2: {"doc": ..., "duplicates": [...]}
_OLD_TMP_PREFIX = ".tmp-"  # temporary files of versions that wrote the cache themselves


def entry_path(cache_dir: Path, data: bytes) -> Path:
    """Where the parsed form of these YAML bytes is kept."""
    digest = hashlib.blake2b(data + _FORMAT, digest_size=20).hexdigest()
    return cache_dir / "yaml" / f"{digest}.json"


def read_entry(path: Path) -> tuple[dict[str, Any], bytes] | None:
    """(the entry, its bytes), or None when missing, unreadable or of the wrong shape."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        entry = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if (
        not isinstance(entry, dict)
        or not isinstance(entry.get("doc"), dict)  # only documents are ever written
        or not isinstance(entry.get("duplicates"), list)
    ):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: the last to be evicted
    return entry, raw


def write_entry(path: Path, payload: bytes) -> None:
    """Write an entry atomically (a torn write is a miss, never a wrong document), then
    bring the folder back under its cap. Failures are ignored: the cache is optional."""
    from explorer.errors import StoreError
    from explorer.store._files import clean_temporary, write_atomic

    if len(payload) > MAX_CACHE_BYTES // 4:
        return
    try:
        write_atomic(path, payload)
    except StoreError:
        return
    clean_temporary(path.parent)
    with contextlib.suppress(OSError):
        _evict(path.parent, keep=path)


def _evict(folder: Path, keep: Path) -> None:
    """Remove the least recently used entries while the folder holds more than
    MAX_CACHE_BYTES (and old versions' orphaned temporary files)."""
    from explorer.store._files import ORPHAN_AGE

    now = time.time()
    entries: list[tuple[float, int, str]] = []
    with os.scandir(folder) as found:
        for item in found:
            try:
                stat = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if item.name.startswith(_OLD_TMP_PREFIX) and now - stat.st_mtime > ORPHAN_AGE:
                with contextlib.suppress(OSError):
                    os.unlink(item.path)
            elif item.name.endswith(".json") and item.is_file(follow_symlinks=False):
                entries.append((stat.st_mtime, stat.st_size, item.path))
    total = sum(size for _, size, _ in entries)
    for _, size, entry in sorted(entries):
        if total <= MAX_CACHE_BYTES:
            break
        if entry == str(keep):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry)
            total -= size
