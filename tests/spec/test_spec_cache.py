"""The parsed-YAML cache: keyed by the bytes' hash, in the cache folder, never trusted blindly."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from explorer import spec
from explorer.spec import _cache, _source

REAL_YAML_LOAD = yaml.load

YAML_DOC = b"""openapi: 3.0.0
info: {title: Cached, version: "1"}
paths:
  /a:
    get:
      responses:
        200: {description: ok}
"""


def entries(cache: Path) -> list[Path]:
    folder = cache / "yaml"
    return sorted(folder.glob("*.json")) if folder.exists() else []


@pytest.fixture
def no_yaml_parser(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Make PyYAML unusable; returns the list of attempted calls."""
    calls: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        raise AssertionError("the YAML parser was called")

    monkeypatch.setattr(_source.yaml, "load", refuse)
    return calls


def test_second_load_comes_from_the_cache(
    tmp_path: Path, write: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    path = write("api.yaml", YAML_DOC)
    first = spec.load(path, cache_dir=cache)
    (entry,) = entries(cache)
    assert orjson.loads(entry.read_bytes())["doc"]["info"]["title"] == "Cached"

    calls: list[Any] = []
    monkeypatch.setattr(_source.yaml, "load", lambda *a, **k: calls.append(a))
    second = spec.load(path, cache_dir=cache)
    assert calls == []
    assert second.title == first.title == "Cached"
    assert [r.status for r in second.find("GET /a").responses] == ["200"]
    assert entries(cache) == [entry]


def test_default_cache_folder_is_used(write: Any, no_yaml_parser: list[Any]) -> None:
    # conftest points EXPLORER_CACHE_DIR at an isolated folder
    assert spec.default_cache_dir() == Path(__import__("os").environ["EXPLORER_CACHE_DIR"])
    text = YAML_DOC.replace(b"Cached", b"Default folder")
    path = write("default.yaml", text)
    digest_before = set(entries(spec.default_cache_dir()))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_source.yaml, "load", REAL_YAML_LOAD)  # parse for real once
        spec.load(path)
    new = set(entries(spec.default_cache_dir())) - digest_before
    assert len(new) == 1
    assert spec.load(path).title == "Default folder"  # no parser: from the cache


def test_different_bytes_different_entries(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    spec.load_bytes(YAML_DOC, "/a.yaml", cache_dir=cache)
    spec.load_bytes(YAML_DOC.replace(b'"1"', b'"2"'), "/b.yaml", cache_dir=cache)
    spec.load_bytes(YAML_DOC, "/elsewhere/c.yaml", cache_dir=cache)  # same bytes: same entry
    assert len(entries(cache)) == 2


def test_corrupted_entry_is_ignored_and_rewritten(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    spec.load_bytes(YAML_DOC, "/a.yaml", cache_dir=cache)
    (entry,) = entries(cache)
    good = entry.read_bytes()
    for bad in (b'{"openapi": "3.0.0", "info": {"tit', b"\x00\xff garbage", b"", b"null"):
        entry.write_bytes(bad)
        api = spec.load_bytes(YAML_DOC, "/a.yaml", cache_dir=cache)
        assert api.title == "Cached"
        assert entry.read_bytes() == good


def test_entry_of_wrong_shape_is_not_trusted(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    spec.load_bytes(YAML_DOC, "/a.yaml", cache_dir=cache)
    (entry,) = entries(cache)
    entry.write_bytes(b"[1, 2, 3]")  # valid JSON, but no parsed document is a list here
    assert spec.load_bytes(YAML_DOC, "/a.yaml", cache_dir=cache).title == "Cached"


def test_json_is_not_cached(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    spec.load_bytes(b'{"openapi": "3.0.0", "paths": {}}', "/a.json", cache_dir=cache)
    assert entries(cache) == []


def test_no_cache_when_asked(tmp_path: Path, write: Any) -> None:
    path = write("api.yaml", YAML_DOC)
    spec.load(path, cache_dir=None)
    spec.load(path, cache_dir=False)
    spec.load_bytes(YAML_DOC, "/a.yaml")  # load_bytes caches only when asked
    assert not (tmp_path / "cache").exists()


def test_unwritable_cache_does_not_stop_loading(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    api = spec.load_bytes(YAML_DOC, "/a.yaml", cache_dir=blocker)
    assert api.title == "Cached"


def test_broken_yaml_is_not_cached(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with pytest.raises(spec.ParseError):
        spec.load_bytes(b"openapi: [", "/a.yaml", cache_dir=cache)
    assert entries(cache) == []


def test_cached_document_equals_parsed_document(tmp_path: Path, write: Any) -> None:
    cache = tmp_path / "cache"
    text = YAML_DOC + b"x-when: 2024-01-15\nx-on: {on: yes, 404: no}\nx-float: 1.5\n"
    cold = spec.load_bytes(text, "/a.yaml", cache_dir=cache).raw
    warm = spec.load_bytes(text, "/a.yaml", cache_dir=cache).raw
    assert warm == cold
    assert warm["x-on"] == {"on": True, "404": False}


def test_files_referenced_from_yaml_are_cached(tmp_path: Path, write: Any) -> None:
    cache = tmp_path / "cache"
    write("schemas/pet.yaml", "type: object\nproperties: {name: {type: string}}\n")
    root = write(
        "api.yaml",
        YAML_DOC
        + b"""  /b:
    post:
      requestBody: {content: {application/json: {schema: {$ref: 'schemas/pet.yaml'}}}}
      responses: {}
""",
    )
    api = spec.load(root, cache_dir=cache)
    api.find("POST /b").resolve_all()
    assert len(entries(cache)) == 2


# -- bounds: a total size, least recently used first out, orphans of killed writes --------


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _yaml_doc(n: int) -> bytes:
    return YAML_DOC.replace(b"Cached", f"Doc {n} {'x' * 2000}".encode())


def test_cache_is_capped_and_evicts_the_least_recently_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    spec.load_bytes(_yaml_doc(0), "/0.yaml", cache_dir=cache)
    (one,) = entries(cache)
    size = one.stat().st_size
    monkeypatch.setattr(_cache, "MAX_CACHE_BYTES", size * 4 + size // 2)  # room for four
    for n in (1, 2, 3):
        spec.load_bytes(_yaml_doc(n), f"/{n}.yaml", cache_dir=cache)
    paths = {n: _cache.entry_path(cache, _yaml_doc(n)) for n in range(6)}
    for n in range(4):
        _age(paths[n], 400 - 100 * n)  # 0 is the oldest, 3 the newest
    spec.load_bytes(_yaml_doc(0), "/0.yaml", cache_dir=cache)  # a hit: 0 is used again
    spec.load_bytes(_yaml_doc(4), "/4.yaml", cache_dir=cache)  # over the cap: 1 goes
    assert set(entries(cache)) == {paths[0], paths[2], paths[3], paths[4]}
    spec.load_bytes(_yaml_doc(5), "/5.yaml", cache_dir=cache)  # then 2
    assert set(entries(cache)) == {paths[0], paths[3], paths[4], paths[5]}
    assert sum(p.stat().st_size for p in entries(cache)) <= _cache.MAX_CACHE_BYTES


def test_an_entry_bigger_than_a_quarter_of_the_cap_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cache, "MAX_CACHE_BYTES", 4 * 1024)
    cache = tmp_path / "cache"
    api = spec.load_bytes(_yaml_doc(0), "/0.yaml", cache_dir=cache)  # ~2 KB as JSON
    assert api.title.startswith("Doc 0")
    assert entries(cache) == []


def test_orphaned_temporary_files_go_when_the_cache_is_next_written(tmp_path: Path) -> None:
    from explorer.store._files import ORPHAN_AGE

    folder = tmp_path / "cache" / "yaml"
    folder.mkdir(parents=True)
    killed = folder / ".0123.json.x1y2.tmp"  # a write (named as write_atomic names them) killed
    killed.write_bytes(b'{"doc": {"openapi": "3.0.0", "pa')
    _age(killed, ORPHAN_AGE + 60)
    old_killed = folder / ".tmp-abcd"  # the same, by a version that wrote the cache itself
    old_killed.write_bytes(b"{" * 1000)
    _age(old_killed, ORPHAN_AGE + 60)
    writing = folder / ".4567.json.z9.tmp"  # another process, a moment ago
    writing.write_bytes(b"{")
    spec.load_bytes(_yaml_doc(0), "/0.yaml", cache_dir=tmp_path / "cache")
    assert not killed.exists() and not old_killed.exists()
    assert writing.exists()
    (entry,) = entries(tmp_path / "cache")
    assert entry.name.endswith(".json") and not entry.name.startswith(".")


def test_entries_of_the_old_format_are_not_read(tmp_path: Path) -> None:
    import hashlib

    cache = tmp_path / "cache"
    old = cache / "yaml" / (hashlib.blake2b(YAML_DOC + b"1", digest_size=20).hexdigest() + ".json")
    old.parent.mkdir(parents=True)
    old.write_bytes(orjson.dumps({"openapi": "3.0.0", "info": {"title": "Old"}, "paths": {}}))
    assert spec.load_bytes(YAML_DOC, "/a.yaml", cache_dir=cache).title == "Cached"
