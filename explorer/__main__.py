"""The `explorer` command.

explorer [SPEC_OR_URL] [--screenshot FILE.png] [--select "METHOD /path"]
explorer inspect SPEC [--json] [--allow-remote-refs] [--allow-outside-refs]
explorer mock [SPEC] [--host 127.0.0.1] [--port N] [--allow-host NAME]
explorer snippet SPEC "METHOD /path" --lang LANG [--param name=value]... [--body FILE|-]
                 [--base-url URL] [--inline-secrets]
explorer webhook {sign,verify,listen,send} ...
explorer env list | use NAME [--spec SPEC]
explorer secret set|delete ENV SLOT [--part PART] [--spec SPEC]   (the value: stdin or a prompt)
explorer run DIR [--env NAME] [--spec SPEC] [--reporter text|junit|json] [-o FILE] [--bail]
             [--timeout S]
explorer import FILE --to DIR [--format auto|postman|insomnia|har|curl|openapi]
explorer export DIR --format postman|har|curl|LANG [-o FILE|DIR] [--env NAME] [--spec SPEC]
"""

from __future__ import annotations

import argparse
import gc
import sys


def _inspect(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="explorer inspect", description="Load an OpenAPI document and report on it."
    )
    parser.add_argument("spec", help="file path or http(s) URL of an OpenAPI 2.0/3.0/3.1 document")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--allow-remote-refs", action="store_true", help="fetch http(s) $refs to other hosts"
    )
    parser.add_argument(
        "--allow-outside-refs",
        action="store_true",
        help="read $refs to files outside the document's folder",
    )
    args = parser.parse_args(argv)
    from explorer.inspect import run_inspect

    return run_inspect(
        args.spec,
        as_json=args.json,
        allow_remote_refs=args.allow_remote_refs,
        allow_outside_refs=args.allow_outside_refs,
    )


def _mock(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="explorer mock", description="Serve an OpenAPI document as a mock HTTP server."
    )
    parser.add_argument("spec", nargs="?", help="OpenAPI document (default: the ECOSIRE demo)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8642, help="0 picks a free port")
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="serve this Host name too on a loopback address (repeatable; '*' for any)",
    )
    parser.add_argument(
        "--allow-outside-refs",
        action="store_true",
        help="follow $refs to files outside the document's folder",
    )
    parser.add_argument(
        "--allow-remote-refs", action="store_true", help="fetch http(s) $refs to other hosts"
    )
    args = parser.parse_args(argv)
    try:
        from explorer.mock import cli_main
    except ImportError:
        print("explorer: the mock server is not available in this build", file=sys.stderr)
        return 2
    return cli_main(
        args.spec,
        host=args.host,
        port=args.port,
        allow_hosts=args.allow_host,
        allow_outside_refs=args.allow_outside_refs,
        allow_remote_refs=args.allow_remote_refs,
    )


def _snippet(argv: list[str]) -> int:
    from explorer.http.snippets import LANGUAGES

    parser = argparse.ArgumentParser(
        prog="explorer snippet",
        description="Print the code that sends one request of a document, built as the "
        "window builds it.",
    )
    parser.add_argument("spec", help="file path or http(s) URL of an OpenAPI document")
    parser.add_argument("endpoint", help='the endpoint, as "METHOD /path"')
    parser.add_argument("--lang", required=True, choices=LANGUAGES, metavar="LANG",
                        help=f"one of: {', '.join(LANGUAGES)}")  # fmt: skip
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE",
        help="a parameter's value (repeat it for the items of an array)",
    )  # fmt: skip
    parser.add_argument("--body", metavar="FILE", help="the body's text; - reads standard input")
    parser.add_argument("--base-url", default="", metavar="URL", help="the server to send to")
    parser.add_argument(
        "--inline-secrets",
        action="store_true",
        help="write the secrets themselves (read from their variables) instead of reading "
        "them from the environment",
    )
    args = parser.parse_args(argv)
    from explorer.snippet import Given, run_snippet

    given = Given(tuple(args.param), args.body, args.base_url, args.inline_secrets)
    return run_snippet(args.spec, args.endpoint, args.lang, given)


def _gui(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="explorer", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("spec", nargs="?", help="OpenAPI file or URL (default: the ECOSIRE demo)")
    parser.add_argument(
        "--screenshot", metavar="FILE", help="save a picture of the window and exit"
    )
    parser.add_argument("--select", metavar="'METHOD /path'", help="endpoint to select at start")
    parser.add_argument(
        "--send", action="store_true", help="with --select: send it (before a --screenshot)"
    )
    args = parser.parse_args(argv)
    # Start-up allocates a lot and frees little: no cyclic collection until the first
    # document is shown (run() turns the collector back on), ~5 ms less to the first paint.
    gc.disable()
    try:
        # The Qt-free part first: once PySide6 is loaded, every import statement goes
        # through its Python import hook (~5 ms less for these modules' own imports).
        import explorer.spec
        import explorer.workbench  # noqa: F401
        from explorer.app import run
    except ImportError as exc:
        print(f"explorer: the window cannot start: {exc}", file=sys.stderr)
        return 2
    return run(args.spec, screenshot=args.screenshot, select=args.select, send=args.send)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "inspect":
        return _inspect(args[1:])
    if args and args[0] == "mock":
        return _mock(args[1:])
    if args and args[0] == "snippet":
        return _snippet(args[1:])
    if args and args[0] in ("env", "secret"):
        from explorer.workbench.cli import env_main, secret_main

        return (env_main if args[0] == "env" else secret_main)(args[1:])
    if args and args[0] in ("import", "export"):
        from explorer.collection.cli import main as collection_main

        return collection_main(args)
    if args and args[0] == "webhook":
        from explorer.webhooks.cli import main as webhook_main

        return webhook_main(args[1:])
    if args and args[0] == "run":
        from explorer.collection.run import main as run_main

        return run_main(args[1:])
    return _gui(args)


if __name__ == "__main__":
    sys.exit(main())
