"""Collections on disk: a folder with collection.yaml, one YAML file per saved request,
sub-folders as folders (the format: docs/collection-format.md, its JSON Schema:
resources/schemas/collection-request.schema.json).

Reading never stops at one bad file: a file that is not YAML, or not a request, is a
`Problem` (its path, line and what is wrong) and the rest of the collection still loads.
Writing is atomic (`explorer.store._files.write_atomic`: temporary file, flush, fsync,
rename), so a kill in the middle leaves the old file whole.

Files are written with keys in a stable order (`explorer.collection.model`), multi-line
text as `|` blocks and no flow style, so a diff in a pull request shows what changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from explorer.collection.model import (
    Collection,
    Folder,
    FormatError,
    SavedRequest,
    collection_from_data,
    collection_to_data,
    request_from_data,
    request_to_data,
)
from explorer.errors import ExplorerError, Location, StoreError

__all__ = [
    "COLLECTION_FILE",
    "MAX_FILE_BYTES",
    "Problem",
    "delete_request",
    "dump_yaml",
    "file_stem",
    "is_collection",
    "load_collection",
    "request_path",
    "save_collection_file",
    "save_request",
    "write_collection",
]

COLLECTION_FILE = "collection.yaml"
FOLDER_FILE = "folder.yaml"
"""A folder's own file: its place among its parent's items (seq), and its name when the
directory's name had to differ from it."""
REQUEST_SUFFIX = ".yaml"
MAX_FILE_BYTES = 8 * 1024 * 1024
"""A request file larger than this is reported, not read (a body that size belongs in a
file of its own)."""
MAX_DEPTH = 32
"""Folders nested deeper than this are reported, not walked (a symlink loop, a mistake)."""


@dataclass(frozen=True)
class Problem:
    """A file of the collection that could not be read as what it should be."""

    path: Path
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = str(self.path) + (f":{self.line}" if self.line is not None else "")
        return f"{where}: {self.message}"


# -- writing ----------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style everywhere, multi-line text as `|` literal blocks."""


_YAML11_BREAKS = ("\x85", "\u2028", "\u2029")
"""Line breaks to YAML 1.1 besides \\n and \\r: PyYAML writes them raw in a single-quoted
scalar, where reading folds NEL into a space (hypothesis found it); "\\N" escapes them."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(ch in value for ch in _YAML11_BREAKS):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if "\n" in value and _literal_ok(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _literal_ok(value: str) -> bool:
    """A `|` block can hold the text exactly (PyYAML falls back to quotes otherwise, but
    trailing spaces on a line and a few controls make it choose quotes anyway)."""
    return not any(line != line.rstrip(" \t") for line in value.split("\n")) and all(
        ch in "\n\t" or unicodedata.category(ch)[0] != "C" for ch in value
    )


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: Any) -> str:
    """The YAML text of a collection file: keys in the order given, block style,
    Unicode as is, long lines not folded."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )


def _write(path: Path, data: Any) -> None:
    from explorer.store._files import write_atomic

    write_atomic(path, dump_yaml(data).encode("utf-8"))


def file_stem(name: str, taken: Sequence[str] = ()) -> str:
    """A file name (without .yaml) for a request called `name`: lower case, words joined
    by '-', safe on every file system, not one of `taken` (a number is added)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    stem = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-") or "request"
    if stem == Path(COLLECTION_FILE).stem:
        stem = "request-collection"
    taken_set = {t.lower() for t in taken}
    candidate, n = stem, 2
    while candidate in taken_set:
        candidate, n = f"{stem}-{n}", n + 1
    return candidate


def request_path(root: Path, folder: Sequence[str], req: SavedRequest) -> Path:
    """Where `req` (with its `file` set) lives in the collection at `root`."""
    return root.joinpath(*folder, req.file + REQUEST_SUFFIX)


def save_request(root: Path, folder: Sequence[str], req: SavedRequest) -> SavedRequest:
    """Write `req` into `folder` (names of sub-folders) of the collection at `root`,
    atomically. A request without a `file` gets one from its name, not taken by another
    file of the folder. Returns the request with its `file`."""
    _check_folder(folder)
    if not req.file:
        where = root.joinpath(*folder)
        taken = [p.stem for p in where.glob("*" + REQUEST_SUFFIX)] if where.is_dir() else []
        req = replace(req, file=file_stem(req.name, taken))
    _write(request_path(root, folder, req), request_to_data(req))
    return req


def delete_request(root: Path, folder: Sequence[str], req: SavedRequest) -> None:
    """Remove a request's file (nothing when it is already gone)."""
    _check_folder(folder)
    try:
        request_path(root, folder, req).unlink(missing_ok=True)
    except OSError as exc:
        raise StoreError(
            f"could not delete the request: {exc.strerror}", Location(str(root))
        ) from None


def save_collection_file(root: Path, col: Collection) -> None:
    """Write collection.yaml (name, spec, environment, variables) atomically."""
    _write(root / COLLECTION_FILE, collection_to_data(col))


def write_collection(root: Path, col: Collection) -> Collection:
    """Write a whole collection into `root`, which must be empty or not exist yet (an
    import never mixes with or overwrites what is there). Returns the collection with
    every request's `file` set."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise StoreError("the folder is not empty: choose a new one", Location(str(root)))
    root.mkdir(parents=True, exist_ok=True)
    save_collection_file(root, col)
    return replace(col, root=_write_folder(root, (), col.root))


def _write_folder(root: Path, path: tuple[str, ...], folder: Folder) -> Folder:
    out = Folder(folder.name, [], folder.seq, folder.directory)
    taken_dirs: list[str] = []
    taken_files: list[str] = []
    for seq, item in enumerate(folder.items, start=1):
        if isinstance(item, Folder):
            name = _folder_name(item.name, taken_dirs)
            taken_dirs.append(name)
            where = root.joinpath(*path, name)
            where.mkdir(parents=True, exist_ok=True)
            meta: dict[str, Any] = {"seq": seq}
            if name != item.name:
                meta = {"name": item.name, **meta}
            _write(where / FOLDER_FILE, meta)
            written = _write_folder(root, (*path, name), replace(item, seq=seq, directory=name))
            out.items.append(written)
        else:
            stem = item.file or file_stem(item.name, taken_files)
            if stem in taken_files:
                stem = file_stem(item.name, taken_files)
            taken_files.append(stem)
            saved = replace(item, file=stem, seq=seq)
            _write(request_path(root, path, saved), request_to_data(saved))
            out.items.append(saved)
    return out


def _folder_name(name: str, taken: Sequence[str]) -> str:
    """A folder's directory name: its name, with characters no file system takes replaced."""
    clean = re.sub(r'[\x00-\x1f/\\:*?"<>|]+', "-", name).strip(" .") or "folder"
    candidate, n = clean[:80], 2
    while candidate.lower() in {t.lower() for t in taken}:
        candidate, n = f"{clean[:76]} {n}", n + 1
    return candidate


def _check_folder(folder: Sequence[str]) -> None:
    for part in folder:
        if not part or part in (".", "..") or "/" in part or "\\" in part:
            raise StoreError(f"not a folder name: {part!r}")


# -- reading ----------------------------------------------------------------------------


def is_collection(root: Path) -> bool:
    """`root` is a collection folder (it has collection.yaml)."""
    return (root / COLLECTION_FILE).is_file()


def load_collection(root: Path) -> tuple[Collection, list[Problem]]:
    """The collection in folder `root` and the problems of the files that could not be
    read (each with its path and line; the rest loads). A folder without collection.yaml
    is a StoreError."""
    if not root.is_dir():
        raise StoreError("not a folder", Location(str(root)))
    problems: list[Problem] = []
    meta = root / COLLECTION_FILE
    if not meta.is_file():
        raise StoreError(f"not a collection: there is no {COLLECTION_FILE}", Location(str(root)))
    col = Collection(name=root.name)
    data = _read(meta, problems)
    if data is not _BAD:
        try:
            col = collection_from_data(data, default_name=root.name)
        except FormatError as exc:
            problems.append(
                Problem(meta, exc.message if not exc.where else str(exc), _line_of(meta, exc.where))
            )
    col.root = _read_folder(root, root, "", problems, 0)
    col.root.directory = ""
    return col, problems


_BAD = object()


def _read(path: Path, problems: list[Problem]) -> Any:
    """The YAML in `path`, or _BAD with a problem noted."""
    from explorer.spec._yaml import read_yaml

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.append(Problem(path, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"))
            return _BAD
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(path, f"could not be read: {exc.strerror}"))
        return _BAD
    try:
        doc = read_yaml(raw, str(path))
    except ExplorerError as exc:
        line = exc.location.line if exc.location is not None else None
        problems.append(Problem(path, exc.message, line))
        return _BAD
    for _pointer, key, line in doc.duplicates:
        problems.append(Problem(path, f"the key {key!r} appears twice: the last one counts", line))
    return doc.doc


def _read_folder(root: Path, where: Path, name: str, problems: list[Problem], depth: int) -> Folder:
    folder = Folder(name, directory=name)
    if depth > MAX_DEPTH:
        problems.append(Problem(where, "folders nested too deeply: not read"))
        return folder
    try:
        entries = sorted(where.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        problems.append(Problem(where, f"could not be read: {exc.strerror}"))
        return folder
    requests: list[SavedRequest] = []
    folders: list[Folder] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue  # .git, temporary files of an unfinished write
        if entry.is_symlink() and not entry.resolve().is_relative_to(root.resolve()):
            problems.append(Problem(entry, "a link out of the collection: not followed"))
            continue
        if entry.is_dir():
            folders.append(_read_folder(root, entry, entry.name, problems, depth + 1))
        elif entry.name == FOLDER_FILE and where != root:
            _read_folder_file(entry, folder, problems)
        elif entry.suffix == REQUEST_SUFFIX and entry != root / COLLECTION_FILE:
            req = _read_request(entry, problems)
            if req is not None:
                requests.append(req)
    items: list[Folder | SavedRequest] = [*folders, *requests]
    items.sort(
        key=lambda i: (i.seq == 0, i.seq, i.name.lower() if isinstance(i, Folder) else i.file)
    )
    folder.items = items
    return folder


def _read_folder_file(path: Path, folder: Folder, problems: list[Problem]) -> None:
    data = _read(path, problems)
    if data is _BAD or data is None:
        return
    if not isinstance(data, dict):
        problems.append(Problem(path, "expected a mapping (name, seq)", 1))
        return
    name, seq = data.get("name", folder.name), data.get("seq", 0)
    if isinstance(name, str) and name.strip():
        folder.name = name
    else:
        problems.append(Problem(path, "name: expected text", _line_of(path, "name")))
    if isinstance(seq, int) and not isinstance(seq, bool):
        folder.seq = seq
    else:
        problems.append(Problem(path, "seq: expected a whole number", _line_of(path, "seq")))


def _read_request(path: Path, problems: list[Problem]) -> SavedRequest | None:
    data = _read(path, problems)
    if data is _BAD:
        return None
    try:
        req = request_from_data(data, default_name=path.stem)
    except FormatError as exc:
        problems.append(Problem(path, str(exc), _line_of(path, exc.where)))
        return None
    return replace(req, file=path.stem)


def _line_of(path: Path, where: str) -> int | None:
    """The 1-based line of the key path `where` ("checks[1].json") in a YAML file."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if node is None:
        return None
    line: int = node.start_mark.line + 1
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", where):
        if isinstance(node, yaml.SequenceNode) and part.startswith("["):
            index = int(part[1:-1])
            if index >= len(node.value):
                break
            node = node.value[index]
        elif isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            key = next((k for k, _v in node.value if getattr(k, "value", None) == part), None)
            if match is None or key is None:
                break
            line = key.start_mark.line + 1
            node = match
            continue
        else:
            break
        line = node.start_mark.line + 1
    return line
