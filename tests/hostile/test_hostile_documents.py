"""Hostile documents through `explorer inspect`, in a memory-limited subprocess: `$ref`s
that escape the document's folder or name a device, a named pipe or a socket; alias bombs
near every cap; duplicate keys; a 13 MB document that is almost JSON; very long lines.
Each asserts what the user sees (exit code, the one line or the warnings) and loose
bounds on time and memory that only a freeze or a runaway would break."""

from __future__ import annotations

import contextlib
import itertools
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.hostile.conftest import (
    Limited,
    explorer_command,
    json_report,
    one_line_error,
    run_measured,
)

MB = 1024 * 1024


def inspect(
    path: Path | str, *extra: str, cache: Path | None = None, memory_mb: int = 700
) -> Limited:
    env = {"EXPLORER_CACHE_DIR": str(cache)} if cache is not None else None
    return run_measured(
        explorer_command("inspect", str(path), *extra), memory_mb=memory_mb, timeout=120, env=env
    )


def doc_with(refs: dict[str, str]) -> dict[str, Any]:
    props = {name: {"$ref": ref} for name, ref in refs.items()}
    body = {"content": {"application/json": {"schema": {"type": "object", "properties": props}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Hostile", "version": "1"},
        "paths": {"/x": {"post": {"requestBody": body, "responses": {}}}},
    }


def messages(data: dict[str, Any]) -> str:
    return "\n".join(w["message"] for w in data["warnings"])


# -- $refs that reach too far -------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """tmp/home/secret.json (the user's), tmp/home/project/api/ (the document's folder)
    with a named pipe and a socket in it; yields the api folder."""
    home = tmp_path / "home"
    api = home / "project" / "api"
    api.mkdir(parents=True)
    (home / "secret.json").write_text('{"token": "hunter2-the-users-secret"}')
    os.mkfifo(api / "pipe.yaml")
    (api / "link.json").symlink_to(home / "secret.json")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(api / "sock.json"))
    try:
        yield api
    finally:
        sock.close()
        with contextlib.suppress(OSError):  # a reader a regression left blocked is let go
            os.close(os.open(api / "pipe.yaml", os.O_WRONLY | os.O_NONBLOCK))


REACHING = {
    "escape": "../../secret.json#/token",
    "absolute": "{home}/secret.json#/token",
    "link": "link.json#/token",
    "zero": "/dev/zero",
    "random": "/dev/urandom",
    "pipe": "pipe.yaml",
    "socket": "sock.json",
    "folder": "..",
}


@pytest.mark.parametrize("consent", [False, True])
def test_refs_that_reach_out_of_the_folder_or_at_special_files(
    project: Path, consent: bool
) -> None:
    home = project.parent.parent
    refs = {k: v.format(home=home) for k, v in REACHING.items()}
    path = project / "openapi.json"
    path.write_bytes(orjson.dumps(doc_with(refs)))
    result = inspect(path, "--json", *(("--allow-outside-refs",) if consent else ()))
    data = json_report(result)
    assert result.seconds < 30  # a pipe or /dev/zero read would hang or run out of memory
    assert result.max_rss_mb < 300
    text = messages(data)
    by_ref = {w["message"].split(":")[0]: w for w in data["warnings"]}
    assert len(data["warnings"]) == (5 if consent else 8)  # one per reference refused
    for warning in data["warnings"]:
        assert warning["source"] == str(path)
        assert warning["pointer"] == "/paths/~1x/post/requestBody/content/application~1json/schema"
    assert "a named pipe, not a file" in by_ref["unresolved reference pipe.yaml"]["message"]
    assert "a socket, not a file" in by_ref["unresolved reference sock.json"]["message"]
    if consent:  # the user's own file may be read; devices never
        assert "hunter2" not in text  # (read, but never shown in a message)
        assert "unresolved reference /dev/zero: this is a device, not a file" in text
        assert "unresolved reference /dev/urandom: this is a device, not a file" in text
        assert "escape" not in text and "link.json" not in text
    else:
        for ref in ("../../secret.json#/token", "link.json#/token", "/dev/zero", ".."):
            assert f"unresolved reference {ref}: outside the document's folder" in text
    human = inspect(path)
    assert human.returncode == 0
    assert "allow references outside the document" in human.stdout or consent


@pytest.mark.parametrize("kind", ["pipe", "device", "socket", "folder"])
def test_a_document_that_is_not_a_file(project: Path, kind: str) -> None:
    target = {
        "pipe": project / "pipe.yaml",
        "device": Path("/dev/zero"),
        "socket": project / "sock.json",
        "folder": project,
    }[kind]
    result = inspect(target)
    line = one_line_error(result)
    what = {
        "pipe": "a named pipe",
        "device": "a device",
        "socket": "a socket",
        "folder": "a folder",
    }
    assert line == f"explorer: {target}: this is {what[kind]}, not a file; only files are read"
    assert result.seconds < 30


def test_a_document_over_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as fh:
        fh.truncate(200 * MB)  # sparse: no disk, and never read
    result = inspect(path, memory_mb=400)
    line = one_line_error(result)
    assert line == f"explorer: {path}: the file is larger than 100 MB (200 MB); it was not read"
    assert result.max_rss_mb < 200


# -- YAML alias bombs near every cap ----------------------------------------------------------


def bomb(levels: int, top: int = 0, padding: int = 0) -> bytes:
    """Ten x's, then `levels` lists of ten aliases of the level below; a list of `top`
    aliases of the last level; `padding` bytes of text."""
    names = "abcdefghij"[: levels + 1]
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    if top:
        lines.append("z: [" + ", ".join([f"*{names[-1]}"] * top) + "]")
    lines.append("openapi: 3.0.0\ninfo: {title: Bomb, version: '1'}\npaths: {}")
    if padding:
        lines.append("x-padding: " + "p" * padding)
    return ("\n".join(lines) + "\n").encode()


def test_the_small_alias_bomb_is_refused_fast_and_never_cached(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_bytes(bomb(6))  # 11 million nodes once expanded, from about 400 bytes
    assert len(path.read_bytes()) < 620
    cache = tmp_path / "cache"
    result = inspect(path, cache=cache)
    line = one_line_error(result)
    assert line == (
        f"explorer: {path}: YAML aliases expand the document to more than 10 times its size "
        "(an alias bomb?); it was not read"
    )
    assert result.seconds < 10
    assert result.max_rss_mb < 150
    assert not list(cache.rglob("*")) or not [p for p in cache.rglob("*") if p.is_file()]


def _nodes(levels: int, top: int) -> int:
    """Nodes in `bomb(levels, top)` once expanded, but for the dozen of the rest."""
    size = [11]  # a: a list of ten x's
    for _ in range(levels):
        size.append(1 + 10 * size[-1])
    return sum(size) + 1 + top * size[-1]


@pytest.mark.parametrize(("top", "refused"), [(16, False), (17, True)])
def test_alias_bombs_at_the_node_cap(tmp_path: Path, top: int, refused: bool) -> None:
    # 12 MB of padding lifts the size cap (10x) out of the way: the node cap decides
    nodes = _nodes(5, top)
    assert (nodes > 20_000_000) == refused and abs(nodes - 20_000_000) < 1_000_000
    path = tmp_path / "bomb.yaml"
    path.write_bytes(bomb(5, top, padding=12 * MB))
    result = inspect(path, "--json", cache=tmp_path / "cache", memory_mb=1200)
    if refused:
        line = one_line_error(result)
        assert "the document expands to too many nodes (more than 20,000,000" in line
    else:
        assert json_report(result)["title"] == "Bomb"
    assert result.seconds < 60
    assert result.max_rss_mb < 900


@pytest.mark.parametrize(("copies", "refused"), [(8, False), (10, True)])
def test_alias_bombs_at_the_size_cap(tmp_path: Path, copies: int, refused: bool) -> None:
    # a 1 MB string and `copies` aliases of it: about copies + 1 times the file's size
    text = b"openapi: 3.0.0\ninfo: {title: Big, version: '1'}\npaths: {}\n"
    text += b"x-s: &s " + b"s" * MB + b"\n"
    text += b"x-l: [" + b", ".join([b"*s"] * copies) + b"]\n"
    path = tmp_path / "big.yaml"
    path.write_bytes(text)
    result = inspect(path, cache=tmp_path / "cache")
    if refused:
        assert "more than 10 times its size" in one_line_error(result)
    else:
        assert result.returncode == 0, result.stderr
    assert result.seconds < 30
    assert result.max_rss_mb < 300


# -- duplicate keys, almost-JSON, long lines ------------------------------------------------


def test_duplicate_keys_are_warnings(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text(
        '{"openapi": "3.0.0", "info": {"title": "Dup", "version": "1"}, "paths": {'
        '"/a": {"get": {"responses": {}}}, "/b": {"get": {"responses": {}}},'
        ' "/a": {"delete": {"responses": {}}}},'
        ' "components": {"schemas": {"S": {}, "S": {"type": "string"}}}}'
    )
    data = json_report(inspect(path, "--json"))
    assert data["operations"] == 2
    assert {(w["pointer"], w["message"]) for w in data["warnings"]} == {
        ("/paths/~1a", "duplicate key '/a': only the last one is used"),
        ("/components/schemas/S", "duplicate key 'S': only the last one is used"),
    }


def _almost_json(size: int) -> bytes:
    """About `size` bytes of an OpenAPI document in JSON, broken near the very end."""
    paths = {
        f"/items{n}/{{id}}": {"get": {"summary": "s" * 200, "responses": {}}}
        for n in range(size // 300)
    }
    doc = orjson.dumps(
        {"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": paths},
        option=orjson.OPT_INDENT_2,
    )
    return doc[:-10] + b",," + doc[-10:]


@pytest.mark.parametrize("name", ["big.json", "big"])
def test_a_13_mb_document_that_is_almost_json_fails_fast_with_the_json_error(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    data = _almost_json(13 * MB)
    path.write_bytes(data)
    result = inspect(path)
    line = one_line_error(result)
    lines = data[: data.index(b",,")].count(b"\n") + 1
    assert line.startswith(f"explorer: {path}:{lines}:")
    assert "invalid JSON" in line
    assert result.seconds < 20  # the YAML parser took 34 s over it


def test_very_long_lines(tmp_path: Path) -> None:
    long_ref = "x" * 1_000_000 + ".json"
    doc = doc_with({"long": long_ref})
    doc["paths"]["p" * 1_000_000] = {"get": {"responses": {}}}  # does not start with "/"
    doc["info"]["description"] = "d" * (10 * MB)
    json_path = tmp_path / "long.json"
    json_path.write_bytes(orjson.dumps(doc))  # one line of 12 MB
    yaml_path = tmp_path / "long.yaml"
    yaml_path.write_text(
        "openapi: 3.0.0\ninfo: {title: Long, version: '1', description: "
        + "y" * (10 * MB)
        + "}\npaths: {}\n"
    )
    data = json_report(inspect(json_path, "--json"))
    assert data["operations"] == 2
    assert all(len(w["message"]) <= 500 and len(w["pointer"]) <= 500 for w in data["warnings"])
    assert len(data["warnings"]) == 2
    human = inspect(json_path)
    assert max(len(line) for line in human.stdout.splitlines()) < 1100
    assert json_report(inspect(yaml_path, "--json", cache=tmp_path / "cache"))["title"] == "Long"
