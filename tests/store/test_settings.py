from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from explorer.errors import StoreError
from explorer.store import SETTINGS, Drafts, Settings, write_atomic


def test_every_setting_is_declared_well() -> None:
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names)), "a setting is declared twice"
    for s in SETTINGS:
        assert "." in s.name and s.name == s.name.lower()
        assert s.description.endswith("."), s.name
        assert s.accepts(s.default), f"{s.name}: default {s.default!r} is not a {s.type}"


def test_round_trip_and_types(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(path)
    assert settings.get("request.timeout") == 30.0
    settings.set("request.timeout", 5)
    settings.set("request.follow_redirects", False)
    settings.add_recent("/a.yaml")
    settings.add_recent("/b.yaml")
    settings.add_recent("/a.yaml")
    settings.save()
    again = Settings(path)
    assert again.get("request.timeout") == 5.0
    assert again.get("request.follow_redirects") is False
    assert again.get("general.recent_specs") == ["/a.yaml", "/b.yaml"]
    with pytest.raises(TypeError):
        settings.set("request.follow_redirects", "yes")
    with pytest.raises(KeyError):
        settings.get("no.such.setting")


def test_bad_file_falls_back_to_defaults_and_keeps_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(orjson.dumps({"request.timeout": "soon", "future.key": 1}))
    settings = Settings(path)
    assert settings.get("request.timeout") == 30.0
    settings.save()
    assert orjson.loads(path.read_bytes())["future.key"] == 1
    path.write_bytes(b"\x00not json")
    assert Settings(path).get("general.recent_specs") == []


def test_recent_list_is_bounded(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.json")
    settings.set("general.recent_limit", 3)
    for i in range(6):
        settings.add_recent(f"/spec{i}.json")
    assert settings.get("general.recent_specs") == ["/spec5.json", "/spec4.json", "/spec3.json"]


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["file.json"]


def test_unwritable_place_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        write_atomic(blocker / "inside.json", b"{}")


def test_drafts_round_trip_per_document(tmp_path: Path) -> None:
    drafts = Drafts("/specs/a.yaml", tmp_path)
    drafts.put("GET /contacts", {"params": {"q": "ada"}})
    drafts.save()
    assert Drafts("/specs/a.yaml", tmp_path).get("GET /contacts") == {"params": {"q": "ada"}}
    assert Drafts("/specs/b.yaml", tmp_path).get("GET /contacts") is None


def test_a_damaged_file_is_moved_aside_and_said_once(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b'{"general.recent_specs": ["/a.yaml"')  # cut off mid-write
    settings = Settings(path)
    assert "damaged" in settings.problem and "settings" in settings.problem
    kept = list(tmp_path.glob("settings.damaged-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b'{"general')
    settings.add_recent("/b.yaml")
    settings.save()  # a new file, the damaged one untouched beside it
    assert Settings(path).problem == ""
    assert kept[0].exists()


def test_drafts_that_are_not_an_object_are_moved_aside(tmp_path: Path) -> None:
    probe = Drafts("/spec.json", folder=tmp_path)
    probe.path.write_bytes(b"[1, 2, 3]")
    drafts = Drafts("/spec.json", folder=tmp_path)
    assert "drafts" in drafts.problem
    assert list(tmp_path.glob("*.damaged-*.json"))
    drafts.put("GET /x", {"params": {}})
    drafts.save()
    assert Drafts("/spec.json", folder=tmp_path).get("GET /x") == {"params": {}}


def test_an_unreadable_file_is_never_written_over(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.mkdir()  # there, but not readable as a file (a permission error reads the same way)
    (path / "keep").write_text("mine")
    settings = Settings(path)
    assert "Could not read" in settings.problem
    settings.add_recent("/x.yaml")
    with pytest.raises(StoreError):
        settings.save()
    assert (path / "keep").read_text() == "mine"


def test_temporary_files_of_killed_writes_are_cleaned(tmp_path: Path) -> None:
    import os
    import time

    from explorer.store._files import clean_temporary

    old = tmp_path / ".settings.json.abc123.tmp"
    young = tmp_path / ".settings.json.def456.tmp"
    mine = tmp_path / "notes.tmp"  # not ours: no leading dot
    for f in (old, young, mine):
        f.write_bytes(b"x")
    past = time.time() - 2 * 3600
    os.utime(old, (past, past))
    removed = clean_temporary(tmp_path)
    assert removed == [old]
    assert young.exists() and mine.exists() and not old.exists()
