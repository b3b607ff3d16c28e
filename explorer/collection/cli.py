"""`explorer import` and `explorer export`: collections in and out of other tools. No Qt.

    explorer import FILE --to DIR [--format auto|postman|insomnia|har|curl|openapi]
    explorer export DIR --format postman|har|curl|LANG [-o FILE|DIR] [--env NAME] [--spec SPEC]

`import` reads FILE (`-`: standard input, e.g. a pasted curl command), says which format
it found, and writes a new collection into DIR, which must be empty or new; what could not
be carried over is listed as warnings. A file that is not what `--format` says, or none of
the formats, is one line on standard error and exit 2, and nothing is written.

`export` writes the collection in DIR as a Postman v2.1 collection, a HAR 1.2 file or a
shell script of curl commands (to FILE, or standard output), or as one program per request
in any snippet language (into DIR given with -o, which must be empty or new). `--env NAME`
takes the variables (and, for Postman, the credential slots' settings) of that environment
of the collection's API (default: the collection's `environment`); the collection's spec
(`spec:` in collection.yaml, or `--spec`) says which credentials each request sends.
Secrets are never written: Postman reads them from variables named after the slots, the
scripts from environment variables.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.collection.model import Collection
    from explorer.spec.model import Spec
    from explorer.store.environments import Environment

__all__ = ["UsageError", "export_collection", "export_main", "import_main", "main"]

EXPORT_FORMATS = ("postman", "har", "curl")


class UsageError(Exception):
    """Input that cannot be used: one sentence, exit 2."""


def main(argv: list[str]) -> int:
    """`explorer import ...` or `explorer export ...` (argv starts with the command)."""
    command, rest = argv[0], argv[1:]
    try:
        if command == "import":
            return import_main(rest)
        return export_main(rest)
    except UsageError as exc:
        print(f"explorer {command}: {exc}", file=sys.stderr)
        return 2


def _warn(lines: list[str]) -> None:
    for line in lines:
        print(f"warning: {line}", file=sys.stderr)


# -- import -------------------------------------------------------------------------------


def import_main(argv: list[str]) -> int:
    from explorer.collection.formats import FORMATS

    parser = argparse.ArgumentParser(
        prog="explorer import",
        description="Make a collection from a Postman collection (v2.1), an Insomnia export "
        "(v4), a HAR file, a curl command or an OpenAPI document.",
    )
    parser.add_argument("file", help="the file to import; - reads standard input")
    parser.add_argument("--to", required=True, metavar="DIR", help="a new or empty folder")
    parser.add_argument("--format", default="auto", choices=("auto", *FORMATS))
    args = parser.parse_args(argv)
    from explorer.collection.formats import ImportFailed, import_bytes, import_file
    from explorer.collection.store import write_collection
    from explorer.errors import StoreError

    target = Path(args.to)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} is not empty: choose a new folder")
    try:
        if args.file == "-":
            imported = import_bytes(sys.stdin.buffer.read(), args.format, source="<stdin>")
        else:
            imported = import_file(args.file, args.format, to=target)
    except ImportFailed as exc:
        raise UsageError(str(exc)) from None
    try:
        written = write_collection(target, imported.collection)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    _warn(imported.warnings)
    requests = written.root.requests()
    folders = len({f for f, _r in requests if f})
    print(
        f"Imported {len(requests)} request{'s' if len(requests) != 1 else ''}"
        + (f" in {folders} folder{'s' if folders != 1 else ''}" if folders else "")
        + f" from {_named(imported.format)} into {target}"
        + (f" ({len(imported.warnings)} warnings)" if imported.warnings else "")
    )
    return 0


def _named(fmt: str) -> str:
    from explorer.collection.formats import FORMATS

    return FORMATS.get(fmt, fmt)


# -- export -------------------------------------------------------------------------------


def export_main(argv: list[str]) -> int:
    from explorer.http.snippets import LANGUAGES

    parser = argparse.ArgumentParser(
        prog="explorer export",
        description="Write a collection as a Postman collection, a HAR file, a shell script "
        "of curl commands, or one program per request in a snippet language.",
    )
    parser.add_argument("folder", metavar="DIR", help="the collection's folder")
    parser.add_argument(
        "--format",
        required=True,
        metavar="FORMAT",
        help=f"postman, har, curl, or a snippet language: {', '.join(LANGUAGES)}",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE|DIR", help="where to write (default: standard output)"
    )
    parser.add_argument("--env", metavar="NAME", help="the environment whose variables to use")
    parser.add_argument("--spec", metavar="SPEC", help="the OpenAPI document (path or URL)")
    args = parser.parse_args(argv)
    if args.format not in EXPORT_FORMATS and args.format not in LANGUAGES:
        raise UsageError(
            f"no format {args.format!r}; one of: {', '.join((*EXPORT_FORMATS, *LANGUAGES))}"
        )
    if args.format not in EXPORT_FORMATS and not args.output:
        raise UsageError(f"--format {args.format} writes one file per request: give -o DIR")
    root = Path(args.folder)
    notes: list[str] = []
    try:
        made, warnings = export_collection(
            root, args.format, spec=args.spec, env=args.env, notes=notes
        )
    finally:
        _warn(notes)
    if isinstance(made, dict):
        return _write_files(made, Path(args.output), warnings)
    code = _write_text(made, args.output, warnings)
    if args.format == "curl" and args.output and args.output != "-":
        mode = os.stat(args.output).st_mode
        os.chmod(args.output, mode | (0o111 & ~_umask()))
    return code


def export_collection(
    root: Path,
    fmt: str,
    *,
    spec: str | None = None,
    env: str | None = None,
    notes: list[str] | None = None,
) -> tuple[str | dict[str, str], list[str]]:
    """The collection in folder `root` in format `fmt` (postman, har, curl: the file's
    text; a snippet language: {relative path: program}) and the warnings of the export.
    What was left out on the way (a file that could not be read, a spec that could not be
    loaded) is added to `notes`. Raises UsageError for what cannot be exported (the
    window calls it too, off its event loop)."""
    notes = [] if notes is None else notes
    col = _load(root, notes)
    api = _spec(spec, col, root, notes)
    environment = _environment(env, col, api, notes)
    variables = dict(environment.variables) if environment is not None else {}
    if "baseUrl" not in {**col.variables, **variables} and api is not None and api.servers:
        variables["baseUrl"] = api.servers[0].resolve()
    if fmt == "postman":
        from explorer.collection.formats import export_postman, postman_json

        doc, warnings = export_postman(col, api=api, environment=environment)
        return postman_json(doc), warnings
    if fmt == "har":
        from explorer.collection.formats import export_har, har_json

        har, warnings = export_har(col, variables=variables, api=api, folder=root)
        return har_json(har), warnings
    if fmt == "curl":
        from explorer.collection.formats import export_curl_script

        return export_curl_script(col, variables=variables, api=api, folder=root)
    from explorer.collection.formats import export_snippets

    files, warnings = export_snippets(col, fmt, variables=variables, api=api, folder=root)
    return files, warnings


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _load(root: Path, notes: list[str]) -> Collection:
    from explorer.collection.store import load_collection
    from explorer.errors import StoreError

    try:
        col, problems = load_collection(root)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    notes += [f"{p} (not exported)" for p in problems]
    return col


def _spec(given: str | None, col: Collection, root: Path, notes: list[str]) -> Spec | None:
    """The collection's OpenAPI document: --spec, else its `spec` (relative to its folder);
    None when it names none. One that cannot be loaded is an error with --spec, else a
    warning (the export goes on without it)."""
    from explorer import spec
    from explorer.spec._source import is_url

    value = given or col.spec
    if not value:
        return None
    source = value if is_url(value) or given else str(root / value)
    try:
        return spec.load(source)
    except (spec.SpecError, OSError, ValueError) as exc:
        if given:
            raise UsageError(f"the spec could not be loaded: {exc}") from None
        notes.append(f"the collection's spec could not be loaded ({exc}): exported without it")
        return None


def _environment(
    name: str | None, col: Collection, api: Spec | None, notes: list[str]
) -> Environment | None:
    from explorer.store.environments import EnvironmentStore

    wanted = name or col.environment
    if not wanted:
        return None
    if api is None:
        if name:
            raise UsageError(
                "environments belong to an API, and the collection names no spec: give one "
                "with --spec"
            )
        return None
    store = EnvironmentStore()
    envs = store.for_api(api.title)
    env = envs.get(wanted)
    if env is None:
        known = ", ".join(e.name for e in envs.environments) or "none"
        if name:
            raise UsageError(
                f"no environment {wanted!r} for {api.title} (its environments: {known})"
            )
        notes.append(f"the collection's environment {wanted!r} does not exist: exported without it")
    return env


def _write_text(text: str, output: str | None, warnings: list[str]) -> int:
    from explorer.errors import StoreError
    from explorer.store._files import write_atomic

    if output is None or output == "-":
        sys.stdout.write(text)
    else:
        try:
            write_atomic(Path(output), text.encode("utf-8"))
        except StoreError as exc:
            raise UsageError(str(exc)) from None
    _warn(warnings)
    return 0


def _write_files(files: dict[str, str], target: Path, warnings: list[str]) -> int:
    from explorer.errors import StoreError
    from explorer.store._files import write_atomic

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} is not empty: choose a new folder")
    try:
        for relative, text in files.items():
            write_atomic(target.joinpath(*relative.split("/")), text.encode("utf-8"))
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    _warn(warnings)
    print(f"Wrote {len(files)} file{'s' if len(files) != 1 else ''} into {target}")
    return 0
