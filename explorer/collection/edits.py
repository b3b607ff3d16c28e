"""Edits of a collection on disk, each one undoable: create a folder, rename, duplicate,
delete, move and reorder. No Qt (the Collections panel calls these).

    change = Change("Deleted 'Contacts'")
    delete_folder(change, root, ("Contacts",))
    ...
    change.undo()           # the folder and every file in it are back, as they were

A `Change` records each step as it makes it (the bytes a file held before it was written
or removed, a rename, a new directory) and `undo()` takes them back in reverse order. Files
are written atomically by the store. Order among a folder's items is kept with `seq`: a
move or a drop renumbers the folder's items, rewriting only those whose number changed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from explorer.collection.model import Folder, SavedRequest
from explorer.collection.store import (
    FOLDER_FILE,
    REQUEST_SUFFIX,
    file_stem,
    folder_dirname,
    request_path,
    save_folder_file,
    save_request,
)
from explorer.errors import Location, StoreError

__all__ = [
    "UNDO_LIMIT_BYTES",
    "Change",
    "create_folder",
    "delete_folder",
    "delete_request",
    "duplicate_request",
    "move_folder",
    "move_request",
    "next_seq",
    "place",
    "rename_folder",
    "rename_request",
    "save_new_request",
]

UNDO_LIMIT_BYTES = 64 * 1024 * 1024
"""A folder holding more than this is not deleted here (its bytes are kept for undo)."""

Item = Folder | SavedRequest


@dataclass
class _Step:
    kind: Literal["content", "rename", "mkdir", "tree"]
    path: Path
    before: bytes | None = None
    target: Path | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    dirs: list[str] = field(default_factory=list)


class Change:
    """One edit the user can take back (see the module docstring)."""

    def __init__(self, description: str) -> None:
        self.description = description
        self._steps: list[_Step] = []

    @property
    def empty(self) -> bool:
        return not self._steps

    # -- recording --------------------------------------------------------------------

    def before_write(self, path: Path) -> None:
        """Call before `path` is written or removed: keeps what it holds now."""
        try:
            before: bytes | None = path.read_bytes()
        except FileNotFoundError:
            before = None
        except OSError as exc:
            raise StoreError(f"could not read: {exc.strerror}", Location(str(path))) from None
        self._steps.append(_Step("content", path, before))

    def remove_file(self, path: Path) -> None:
        self.before_write(path)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(f"could not delete: {exc.strerror}", Location(str(path))) from None

    def rename(self, source: Path, target: Path) -> None:
        if target.exists():
            raise StoreError("there is already something with that name", Location(str(target)))
        try:
            shutil.move(str(source), str(target))
        except OSError as exc:
            raise StoreError(f"could not move: {exc.strerror}", Location(str(source))) from None
        self._steps.append(_Step("rename", source, target=target))

    def mkdir(self, path: Path) -> None:
        if path.exists():
            raise StoreError("there is already something with that name", Location(str(path)))
        try:
            path.mkdir(parents=True)
        except OSError as exc:
            raise StoreError(f"could not create: {exc.strerror}", Location(str(path))) from None
        self._steps.append(_Step("mkdir", path))

    def remove_tree(self, path: Path) -> None:
        """Remove a directory and everything in it, keeping its files' bytes."""
        files: dict[str, bytes] = {}
        dirs: list[str] = []
        total = 0
        for where, subdirs, names in os.walk(path, followlinks=False):
            base = Path(where)
            dirs += [str((base / d).relative_to(path)) for d in subdirs]
            for name in names:
                file = base / name
                if file.is_symlink():
                    continue
                try:
                    data = file.read_bytes()
                except OSError as exc:
                    raise StoreError(
                        f"could not read: {exc.strerror}", Location(str(file))
                    ) from None
                total += len(data)
                if total > UNDO_LIMIT_BYTES:
                    raise StoreError(
                        "the folder is too large to delete with undo here: "
                        "delete it in the file manager",
                        Location(str(path)),
                    )
                files[str(file.relative_to(path))] = data
        try:
            shutil.rmtree(path)
        except OSError as exc:
            raise StoreError(f"could not delete: {exc.strerror}", Location(str(path))) from None
        self._steps.append(_Step("tree", path, files=files, dirs=dirs))

    # -- taking it back ---------------------------------------------------------------

    def undo(self) -> None:
        """Take every step back, the last first (StoreError when the disk refuses)."""
        from explorer.store._files import write_atomic

        try:
            for step in reversed(self._steps):
                if step.kind == "content":
                    if step.before is None:
                        step.path.unlink(missing_ok=True)
                    else:
                        step.path.parent.mkdir(parents=True, exist_ok=True)
                        write_atomic(step.path, step.before)
                elif step.kind == "rename" and step.target is not None:
                    if step.path.exists():
                        raise StoreError(
                            "something with the old name is there now: not moved back",
                            Location(str(step.path)),
                        )
                    shutil.move(str(step.target), str(step.path))
                elif step.kind == "mkdir":
                    with contextlib.suppress(OSError):
                        step.path.rmdir()
                elif step.kind == "tree":
                    step.path.mkdir(parents=True, exist_ok=True)
                    for rel in step.dirs:
                        (step.path / rel).mkdir(parents=True, exist_ok=True)
                    for rel, data in step.files.items():
                        write_atomic(step.path / rel, data)
        except OSError as exc:
            raise StoreError(
                f"could not undo: {exc.strerror}", Location(str(exc.filename))
            ) from None
        self._steps.clear()


# -- helpers ------------------------------------------------------------------------------


def _taken_files(where: Path) -> list[str]:
    return [p.stem for p in where.glob("*" + REQUEST_SUFFIX)] if where.is_dir() else []


def _taken_dirs(where: Path) -> list[str]:
    return [p.name for p in where.iterdir() if p.is_dir()] if where.is_dir() else []


def _dir(item: Folder) -> str:
    return item.directory or item.name


def next_seq(items: Sequence[Item]) -> int:
    """The `seq` that puts a new item last among `items` (0 when some have none: then it
    sorts by name among those)."""
    if any(i.seq == 0 for i in items):
        return 0
    return max((i.seq for i in items), default=0) + 1


def _write_request(change: Change, root: Path, folder: Sequence[str], req: SavedRequest) -> None:
    change.before_write(request_path(root, folder, req))
    save_request(root, folder, req)


def _write_folder_file(change: Change, root: Path, path: Sequence[str], folder: Folder) -> None:
    change.before_write(root.joinpath(*path, FOLDER_FILE))
    save_folder_file(root, path, folder.name, folder.seq)


def place(
    change: Change,
    root: Path,
    folder: Sequence[str],
    items: Sequence[Item],
    item: Item,
    index: int,
) -> None:
    """Put `item` (already in the folder on disk) at `index` among the folder's `items`
    (the folder as loaded, `item` in it or not): its items are renumbered 1..n and those
    whose number changed are written again."""
    key = _key(item)
    order = [i for i in items if _key(i) != key]
    order.insert(max(0, min(index, len(order))), item)
    for seq, each in enumerate(order, start=1):
        if each.seq == seq and each is not item:
            continue
        if isinstance(each, Folder):
            _write_folder_file(change, root, (*folder, _dir(each)), replace(each, seq=seq))
        else:
            _write_request(change, root, folder, replace(each, seq=seq))


def _key(item: Item) -> tuple[str, str]:
    return ("folder", _dir(item)) if isinstance(item, Folder) else ("request", item.file)


# -- the edits ----------------------------------------------------------------------------


def save_new_request(
    change: Change, root: Path, folder: Sequence[str], req: SavedRequest, items: Sequence[Item]
) -> SavedRequest:
    """Write a request new to the folder (a file name from its name, last in order)."""
    where = root.joinpath(*folder)
    if not where.is_dir():
        raise StoreError("the folder is not there any more", Location(str(where)))
    saved = replace(req, file=file_stem(req.name, _taken_files(where)), seq=next_seq(items))
    _write_request(change, root, folder, saved)
    return saved


def create_folder(
    change: Change, root: Path, parent: Sequence[str], name: str, items: Sequence[Item]
) -> tuple[str, ...]:
    """A new folder called `name` at the end of `parent`; returns its path."""
    name = " ".join(name.split()) or "New folder"
    where = root.joinpath(*parent)
    dirname = folder_dirname(name, _taken_dirs(where))
    change.mkdir(where / dirname)
    path = (*parent, dirname)
    _write_folder_file(change, root, path, Folder(name, seq=next_seq(items), directory=dirname))
    return path


def rename_request(
    change: Change, root: Path, folder: Sequence[str], req: SavedRequest, name: str
) -> SavedRequest:
    """Give a request another name; its file is renamed to match (git sees a rename)."""
    name = " ".join(name.split())
    if not name:
        raise StoreError("a request needs a name")
    where = root.joinpath(*folder)
    taken = [t for t in _taken_files(where) if t != req.file]
    renamed = replace(req, name=name, file=file_stem(name, taken))
    if renamed.file != req.file:
        change.remove_file(request_path(root, folder, req))
    _write_request(change, root, folder, renamed)
    return renamed


def rename_folder(
    change: Change, root: Path, path: Sequence[str], folder: Folder, name: str
) -> tuple[str, ...]:
    """Give a folder another name; its directory is renamed to match. Returns its path."""
    name = " ".join(name.split())
    if not name:
        raise StoreError("a folder needs a name")
    parent = root.joinpath(*path[:-1])
    taken = [t for t in _taken_dirs(parent) if t.lower() != path[-1].lower()]
    dirname = folder_dirname(name, taken)
    new_path = (*path[:-1], dirname)
    if dirname != path[-1]:
        change.rename(root.joinpath(*path), parent / dirname)
    _write_folder_file(change, root, new_path, replace(folder, name=name, directory=dirname))
    return new_path


def duplicate_request(
    change: Change, root: Path, folder: Sequence[str], req: SavedRequest, items: Sequence[Item]
) -> SavedRequest:
    """A copy of a request right after it, called "<name> copy"."""
    where = root.joinpath(*folder)
    copy = replace(req, name=f"{req.name} copy", file="")
    copy = replace(copy, file=file_stem(copy.name, _taken_files(where)))
    index = next((i for i, it in enumerate(items) if _key(it) == _key(req)), len(items) - 1)
    _write_request(change, root, folder, copy)
    place(change, root, folder, items, copy, index + 1)
    return copy


def delete_request(change: Change, root: Path, folder: Sequence[str], req: SavedRequest) -> Path:
    """Remove a request's file; returns its path."""
    path = request_path(root, folder, req)
    change.remove_file(path)
    return path


def delete_folder(change: Change, root: Path, path: Sequence[str]) -> Path:
    """Remove a folder and all in it; returns its path."""
    if not path:
        raise StoreError("the collection itself is not deleted here")
    where = root.joinpath(*path)
    change.remove_tree(where)
    return where


def move_request(
    change: Change,
    root: Path,
    folder: Sequence[str],
    req: SavedRequest,
    dest_root: Path,
    dest_folder: Sequence[str],
    dest_items: Sequence[Item],
    index: int,
) -> SavedRequest:
    """Move a request's file into another folder (of this or another collection) at
    `index` among `dest_items` (the destination as loaded); within its own folder, only
    its place changes. Returns the request as it is now (its file name may change)."""
    same = dest_root == root and tuple(dest_folder) == tuple(folder)
    moved = req
    if not same:
        where = dest_root.joinpath(*dest_folder)
        if not where.is_dir():
            raise StoreError("the folder is not there any more", Location(str(where)))
        moved = replace(req, file=file_stem(req.file, _taken_files(where)))
        change.rename(request_path(root, folder, req), request_path(dest_root, dest_folder, moved))
    place(change, dest_root, dest_folder, dest_items, moved, index)
    return moved


def move_folder(
    change: Change,
    root: Path,
    path: Sequence[str],
    folder: Folder,
    dest_root: Path,
    dest_parent: Sequence[str],
    dest_items: Sequence[Item],
    index: int,
) -> tuple[str, ...]:
    """Move a folder (and all in it) into another folder at `index`; returns its path."""
    if not path:
        raise StoreError("the collection itself is not moved here")
    same = dest_root == root and tuple(dest_parent) == tuple(path[:-1])
    if dest_root == root and tuple(dest_parent[: len(path)]) == tuple(path):
        raise StoreError("a folder cannot go into itself")
    new_path = tuple(path)
    moved = folder
    if not same:
        where = dest_root.joinpath(*dest_parent)
        dirname = folder_dirname(folder.name, _taken_dirs(where))
        change.rename(root.joinpath(*path), where / dirname)
        new_path = (*dest_parent, dirname)
        moved = replace(folder, directory=dirname)
    place(change, dest_root, dest_parent, dest_items, moved, index)
    return new_path
