"""Saved requests as they would be sent, for the exports that write what goes on the wire
(HAR, curl scripts, snippets in any language). No Qt, no I/O.

Each request goes through the one conversion (`explorer.collection.convert`), the one
variable substitution (`explorer.workbench.variables`) and the one request builder
(`explorer.http.build`), so an export cannot drift from what `explorer run` and the window
send. Credentials are stand-ins whose secrets the snippets read from environment variables
(`ECOSIRE_TOKEN`, ...), never values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.collection.formats._common import DEFAULT_SLOTS, Notes
from explorer.collection.model import Collection, Folder, SavedRequest

if TYPE_CHECKING:
    from explorer.http.model import AuthInput, PreparedRequest
    from explorer.spec.model import Spec

__all__ = ["Prepared", "prepare", "prepare_all", "request_path"]


@dataclass(frozen=True)
class Prepared:
    """One request of a collection as it would be sent."""

    where: str
    """Its folders' names and its own: "Contacts / Create a contact"."""
    directories: tuple[str, ...]
    """The directories it is in (for files named after the collection's)."""
    saved: SavedRequest
    prepared: PreparedRequest


def request_path(folders: tuple[str, ...], saved: SavedRequest) -> str:
    """How a request is named in an export's messages: "Contacts / Create a contact"."""
    return " / ".join((*folders, saved.name))


def prepare_all(
    col: Collection,
    variables: Mapping[str, str],
    api: Spec | None,
    folder: Path | None,
    notes: Notes,
    *,
    credentials: bool = False,
) -> Iterator[Prepared]:
    """Every request of `col` that can be built, in order, with its name; the others are
    noted (an unknown variable, a path parameter without a value) and left out."""
    from explorer.errors import RequestError

    merged = {**col.variables, **variables}
    for names, dirs, saved in _requests(col):
        where = request_path(names, saved)
        try:
            prepared = prepare(saved, merged, api, folder, credentials=credentials)
        except RequestError as exc:
            notes.add(f"{where}: left out: {exc.message}")
            continue
        yield Prepared(where, dirs, saved, prepared)


def _requests(
    col: Collection,
) -> list[tuple[tuple[str, ...], tuple[str, ...], SavedRequest]]:
    """The requests with the names and the directories of the folders they are in."""
    from explorer.collection.model import Folder

    out: list[tuple[tuple[str, ...], tuple[str, ...], SavedRequest]] = []

    def walk(folder: Folder, names: tuple[str, ...], dirs: tuple[str, ...]) -> None:
        for item in folder.items:
            if isinstance(item, Folder):
                walk(item, (*names, item.name), (*dirs, _directory(item)))
            else:
                out.append((names, dirs, item))

    walk(col.root, (), ())
    return out


def _directory(folder: Folder) -> str:
    from explorer.collection.store import file_stem

    return folder.directory or file_stem(folder.name)


def prepare(
    saved: SavedRequest,
    variables: Mapping[str, str],
    api: Spec | None = None,
    folder: Path | None = None,
    *,
    credentials: bool = False,
) -> PreparedRequest:
    """What `saved` sends with `variables` filled in. With `credentials`, the slots it
    uses are sent as stand-ins whose secrets snippets read from environment variables.
    Raises RequestError when it cannot be built (an unknown variable among them)."""
    import dataclasses

    from explorer.collection.convert import to_request_input
    from explorer.errors import RequestError
    from explorer.http.build import build_request
    from explorer.workbench.variables import substitute

    inp, _options = to_request_input(saved, api, folder=folder)
    if credentials:
        inp = dataclasses.replace(inp, credentials=stand_in_credentials(saved, api))
    filled, unknown = substitute(inp, variables)
    if unknown:
        names = ", ".join("{{" + n + "}}" for n in sorted(unknown))
        raise RequestError(f"unknown variable {names}: give it with --env or in collection.yaml")
    return build_request(filled)


def stand_in_credentials(saved: SavedRequest, api: Spec | None) -> tuple[AuthInput, ...]:
    """The credentials `saved` sends, as snippets write them: each secret a placeholder
    that the snippet replaces with the environment variable it names (ECOSIRE_TOKEN)."""
    from explorer.collection.convert import security_operation

    op = api.find(saved.operation) if api is not None and saved.operation else None
    chosen = security_operation(saved, op)
    if chosen is None:
        return ()
    if api is not None:
        from explorer.snippet import _auth

        auth = _auth(api, chosen, False, {})
        return (auth,) if auth is not None else ()
    return tuple(_without_spec(name) for req in chosen.security[:1] for name in req)


def _without_spec(slot: str) -> AuthInput:
    """A stand-in for a slot of a collection without a spec: its kind from its name."""
    from explorer.http.build import basic_env_names
    from explorer.http.model import AuthInput
    from explorer.http.snippets import env_name_for
    from explorer.snippet import PLACEHOLDER

    kind = next((k for k, name in DEFAULT_SLOTS.items() if name == slot), "bearer")
    env = env_name_for(None, kind)
    if kind == "basic":
        user, password = basic_env_names(env)
        return AuthInput(
            "basic",
            username=f"{PLACEHOLDER}-{user.lower()}",
            password=f"{PLACEHOLDER}-{password.lower()}",
            env_name=env,
        )
    if kind == "apikey":
        return AuthInput(
            "apikey", token=f"{PLACEHOLDER}-{env.lower()}", name="X-API-Key", env_name=env
        )
    return AuthInput("bearer", token=f"{PLACEHOLDER}-{env.lower()}", env_name=env)
