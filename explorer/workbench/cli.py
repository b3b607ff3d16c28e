"""`explorer env` and `explorer secret`: the window's environments and keyring from a
terminal (scripts, CI, a machine without a display).

    explorer env list [--spec SPEC]
    explorer env use NAME [--spec SPEC]
    explorer secret set ENV SLOT [--part PART] [--spec SPEC]     (the value: stdin or a prompt)
    explorer secret delete ENV SLOT [--part PART] [--spec SPEC]

Environments belong to an API (by its document's title), as in the window; SPEC is the
document (default: the ECOSIRE demo, what the window opens first). A slot is a security
scheme of the document. A secret is never taken from an argument (it would stay in the
shell's history and in `ps`): it is read from standard input when that is not a terminal,
else from a prompt that does not echo. With no usable keyring the command says so and
stores nothing (it never falls back to a file).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from explorer.spec import Spec
    from explorer.workbench.credentials import Credentials

__all__ = ["credentials_for", "env_main", "secret_main"]


def credentials_for(api: Spec, environment: str | None = None) -> Credentials:
    """The document's credentials as the window has them (environments file, keyring,
    usage), in `environment` (KeyError for an unknown one) or the one in use."""
    from explorer.store.environments import EnvironmentStore
    from explorer.store.secrets import SecretStore
    from explorer.store.usage import Usage
    from explorer.workbench.credentials import Credentials

    envs = EnvironmentStore().for_api(api.title)
    if environment is not None:
        envs.use(environment)
    return Credentials(api, envs, SecretStore(), usage=Usage())


def _load(spec: str | None, err: TextIO) -> Spec | None:
    from explorer import spec as spec_mod
    from explorer.errors import ExplorerError

    source = spec
    if source is None:
        from explorer.demo import demo_spec_path

        source = str(demo_spec_path())
    try:
        return spec_mod.load(source)
    except ExplorerError as exc:
        print(f"explorer: the document could not be loaded: {exc}", file=err)
        return None


def _spec_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--spec", metavar="SPEC", help="the API's OpenAPI document (default: the ECOSIRE demo)"
    )


def env_main(argv: list[str], out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """`explorer env list|use`; the exit code."""
    parser = argparse.ArgumentParser(
        prog="explorer env", description="List the environments of an API, or choose one."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="the environments, their variables and slots")
    _spec_option(listing)
    use = sub.add_parser("use", help="the environment the window and `explorer run` use")
    use.add_argument("name")
    _spec_option(use)
    args = parser.parse_args(argv)
    api = _load(args.spec, err)
    if api is None:
        return 2
    if args.command == "use":
        from explorer.errors import StoreError
        from explorer.store.environments import EnvironmentStore

        store = EnvironmentStore()
        envs = store.for_api(api.title)
        try:
            envs.use(args.name)
        except KeyError:
            names = ", ".join(e.name for e in envs.environments)
            print(f"explorer: no environment {args.name!r} for {api.title} ({names})", file=err)
            return 2
        try:
            store.save()
        except StoreError as exc:
            print(f"explorer: {exc}", file=err)
            return 1
        print(f"{api.title}: now using {args.name}", file=out)
        return 0
    creds = credentials_for(api)
    _print_environments(creds, out)
    if creds.secrets.problem:
        print(f"\nNote: {creds.secrets.problem}", file=out)
    return 0


def _print_environments(creds: Credentials, out: TextIO) -> None:
    from explorer.workbench.credentials import secret_parts

    api = creds.api
    active = creds.envs.active
    print(f"{api.title}: environments (* in use)", file=out)
    schemes = sorted(api.security_schemes)
    for env in creds.envs.environments:
        mark = "*" if env.name == active else " "
        prod = "  [production]" if env.production else ""
        print(f"{mark} {env.name}{prod}", file=out)
        for name, value in sorted(env.variables.items()):
            print(f"      {name} = {value}", file=out)
        creds.envs.use(env.name)
        for scheme in schemes:
            kind = creds.kind_of(scheme)
            states = []
            for part in secret_parts(creds.slot(scheme)):
                stored = creds.secrets.get_sync(creds.secret_key(scheme, part)) is not None
                states.append(f"{part}: {'in the keyring' if stored else 'not set'}")
            variable = creds.env_name(scheme)
            if variable and variable in creds.environ:
                states.append(f"${variable} is set")
            detail = ", ".join(states) if states else "nothing secret"
            print(f"      {scheme:<20} {kind:<8} {detail}", file=out)
    creds.envs.use(active)


def _read_secret(prompt: str, stdin: TextIO, err: TextIO) -> str:
    """The secret from standard input (a pipe: its first line) or a prompt that does not
    echo (a terminal)."""
    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    import getpass

    return getpass.getpass(prompt, stream=err)


def secret_main(
    argv: list[str],
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    stdin: TextIO | None = None,
) -> int:
    """`explorer secret set|delete`; the exit code."""
    parser = argparse.ArgumentParser(
        prog="explorer secret",
        description="Keep or forget a credential slot's secret in the OS keyring. The value "
        "is read from standard input or a prompt, never from an argument.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for command, text in (("set", "keep a secret"), ("delete", "forget a secret")):
        p = sub.add_parser(command, help=text)
        p.add_argument("env", help="the environment (explorer env list)")
        p.add_argument("slot", help="the credential slot: a security scheme of the document")
        p.add_argument(
            "--part", help="which secret of the slot (default: its main one: token, key, password)"
        )
        _spec_option(p)
    args = parser.parse_args(argv)
    api = _load(args.spec, err)
    if api is None:
        return 2
    from explorer.workbench.credentials import secret_parts

    try:
        creds = credentials_for(api, args.env)
    except KeyError:
        print(f"explorer: no environment {args.env!r} for {api.title}", file=err)
        return 2
    if args.slot not in api.security_schemes:
        known = ", ".join(sorted(api.security_schemes)) or "none"
        print(f"explorer: {api.title} has no credential slot {args.slot!r} ({known})", file=err)
        return 2
    parts = secret_parts(creds.slot(args.slot))
    part = args.part or (parts[0] if parts else "")
    if not part or (args.part is None and not parts):
        print(
            f"explorer: the slot {args.slot} ({creds.kind_of(args.slot)}) keeps no secret", file=err
        )
        return 2
    if parts and part not in parts:
        print(f"explorer: the slot {args.slot} keeps {', '.join(parts)}, not {part!r}", file=err)
        return 2
    store = creds.secrets
    if not store.available:
        print(f"explorer: no usable keyring, so nothing was stored: {store.problem}", file=err)
        return 1
    key = creds.secret_key(args.slot, part)
    if args.command == "delete":
        removed = store.delete_sync(key)
        print(
            f"{'Forgot the' if removed else 'There was no'} {part} of {args.env}/{args.slot}",
            file=out,
        )
        return 0
    value = _read_secret(f"{part} for {args.env}/{args.slot}: ", stdin or sys.stdin, err)
    if not value:
        print("explorer: an empty value: nothing stored", file=err)
        return 1
    store.set_sync(key, value)
    if store.problem:
        print(f"explorer: {store.problem}: nothing stored", file=err)
        return 1
    print(f"Stored the {part} of {args.env}/{args.slot} in the keyring", file=out)
    return 0
