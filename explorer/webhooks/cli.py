"""`explorer webhook ...`: sign, verify, listen, send. No Qt.

    explorer webhook sign   --scheme stripe|ecosire-license|hmac --secret-env NAME
                            [--timestamp T] FILE
    explorer webhook verify --scheme ... --secret-env NAME --header VALUE [--tolerance S] FILE
    explorer webhook listen [--port N] --scheme ... --secret-env NAME [--forward-to URL]
    explorer webhook send SPEC EVENT --to URL [--scheme ...] --secret-env NAME [--payload FILE]

FILE is a path, or `-` for standard input; the body is read as bytes and used exactly as
it is. The secret is read from the environment variable named by --secret-env, never from
the command line (where other users of the machine could read it). `--scheme hmac` takes
--algorithm, --encoding, --prefix, --header-name and --timestamp-header.

Exit status: 0 done (verify: valid), 1 verify: not valid (the reason on stdout), and
send: the receiver did not answer 2xx; 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from explorer.webhooks.signing import ALGORITHMS, SCHEME_KINDS, Scheme

__all__ = ["main"]


class _Usage(Exception):
    """Bad input: one line on stderr, exit 2."""


def _scheme_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--scheme", choices=SCHEME_KINDS, required=required)
    parser.add_argument(
        "--secret-env", metavar="NAME", required=True, help="env variable holding the secret"
    )
    parser.add_argument(
        "--header-name", metavar="NAME", help="hmac: the signature header (X-Signature)"
    )
    parser.add_argument(
        "--algorithm", choices=ALGORITHMS, help="hmac: sha256 (default), sha1, sha512"
    )
    parser.add_argument(
        "--encoding", choices=("hex", "base64"), help="hmac: hex (default) or base64"
    )
    parser.add_argument("--prefix", help="hmac: text before the digest (e.g. sha256=)")
    parser.add_argument(
        "--timestamp-header", metavar="NAME", help="hmac: sign '<t>.<body>', t in this header"
    )


def _scheme(args: argparse.Namespace) -> Scheme:
    if args.scheme == "hmac":
        return Scheme.hmac(
            args.header_name or "X-Signature",
            args.algorithm or "sha256",
            args.encoding or "hex",
            args.prefix or "",
            args.timestamp_header or "",
        )
    scheme = Scheme.named(args.scheme)
    return Scheme.named(args.scheme, header=args.header_name) if args.header_name else scheme


def _secret(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise _Usage(f"the environment variable {name} is not set (it holds the signing secret)")
    return value


def _body(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise _Usage(f"{path}: {exc.strerror or exc}") from None


def _sign(argv: list[str], out: TextIO) -> int:
    parser = argparse.ArgumentParser(
        prog="explorer webhook sign", description="Print the signature header(s) of a body."
    )
    _scheme_options(parser)
    parser.add_argument(
        "--timestamp", type=int, metavar="T", help="Unix time to sign at (default: now)"
    )
    parser.add_argument("file", help="the body (- for standard input)")
    args = parser.parse_args(argv)
    scheme = _scheme(args)
    for name, value in scheme.sign(_body(args.file), _secret(args.secret_env), args.timestamp):
        print(f"{name}: {value}", file=out)
    return 0


def _verify(argv: list[str], out: TextIO) -> int:
    parser = argparse.ArgumentParser(
        prog="explorer webhook verify", description="Check a body's signature."
    )
    _scheme_options(parser)
    parser.add_argument(
        "--header",
        action="append",
        required=True,
        metavar="VALUE",
        help="the signature header's value ('Name: value' works too; repeat for a timestamp)",
    )
    parser.add_argument(
        "--tolerance", type=int, metavar="S", help="seconds a timestamp may be old (0: any)"
    )
    parser.add_argument("file", help="the body (- for standard input)")
    args = parser.parse_args(argv)
    scheme = _scheme(args)
    headers: list[tuple[str, str]] = []
    for given in args.header:
        name, sep, value = given.partition(":")
        if sep and name.strip() and " " not in name.strip() and "=" not in name:
            headers.append((name.strip(), value.strip()))
        else:
            headers.append((scheme.header, given.strip()))
    verdict = scheme.verify(
        _body(args.file), headers, _secret(args.secret_env), tolerance=args.tolerance
    )
    print(("valid: " if verdict.ok else "invalid: ") + verdict.message, file=out)
    return 0 if verdict.ok else 1


def _listen(argv: list[str], out: TextIO) -> int:
    from explorer.webhooks.receiver import ReceivedDelivery, Receiver, ReceiverError
    from explorer.webhooks.verifier import Verifier

    parser = argparse.ArgumentParser(
        prog="explorer webhook listen",
        description="Receive deliveries on 127.0.0.1 and print them.",
    )
    _scheme_options(parser)
    parser.add_argument("--port", type=int, default=0, help="0 (default) picks a free port")
    parser.add_argument(
        "--forward-to", metavar="URL", default="", help="also send each delivery on to this URL"
    )
    parser.add_argument("--max-seconds", type=float, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    verifier = Verifier.fixed(_scheme(args), _secret(args.secret_env), name=args.secret_env)

    def show(delivery: ReceivedDelivery) -> None:
        stamp = time.strftime("%H:%M:%S", time.localtime(delivery.received_at))
        mark = "✓" if delivery.verdict.ok else "✗"
        event = f" {delivery.event}" if delivery.event else ""
        print(
            f"{stamp} {delivery.method} {delivery.target}{event} -> {delivery.status} "
            f"{mark} {delivery.verdict.message}",
            file=out,
            flush=True,
        )
        if delivery.forwarded:
            print(f"         forwarded: {delivery.forwarded}", file=out, flush=True)

    try:
        receiver = Receiver(verifier, port=args.port, forward_to=args.forward_to)
        receiver.listeners.append(show)
        receiver.start()
    except ReceiverError as exc:
        raise _Usage(str(exc)) from None
    print(
        f"Listening on {receiver.url} ({verifier.schemes[0].label}); Ctrl+C stops.",
        file=out,
        flush=True,
    )
    try:
        deadline = time.monotonic() + args.max_seconds if args.max_seconds > 0 else None
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        receiver.stop()
    print(f"Stopped after {receiver.received} deliveries.", file=out, flush=True)
    return 0


def _send(argv: list[str], out: TextIO) -> int:
    from explorer import spec
    from explorer.errors import SpecError
    from explorer.webhooks.delivery import build_delivery
    from explorer.webhooks.events import events_of, find_event

    parser = argparse.ArgumentParser(
        prog="explorer webhook send", description="Send one signed event of a document to a URL."
    )
    parser.add_argument("spec", help="the OpenAPI document")
    parser.add_argument("event", help="the event's name (a webhook or callback)")
    parser.add_argument("--to", required=True, metavar="URL")
    _scheme_options(parser, required=False)
    parser.add_argument(
        "--payload", metavar="FILE", help="the body (default: the event's example or a sample)"
    )
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    try:
        api = spec.load(args.spec)
    except SpecError as exc:
        raise _Usage(str(exc)) from None
    event = find_event(api, args.event)
    if event is None:
        names = ", ".join(e.name for e in events_of(api)[:40]) or "none"
        raise _Usage(f"no event {args.event!r} in {args.spec} (its events: {names})")
    scheme = _scheme(args) if args.scheme else event.scheme
    if scheme is None:
        raise _Usage(f"{args.event} declares no signature (x-signature): give --scheme")
    body = _body(args.payload) if args.payload else event.sample_body()
    delivery = build_delivery(
        args.to, body, scheme, _secret(args.secret_env), content_type=event.media_type
    )
    import httpx

    try:
        response = httpx.post(
            args.to,
            headers=list(delivery.prepared.headers),
            content=body,
            timeout=args.timeout,
            trust_env=False,
        )
    except httpx.HTTPError as exc:
        print(f"explorer webhook send: {args.to}: {exc or type(exc).__name__}", file=sys.stderr)
        return 1
    print(f"{response.status_code} {response.reason_phrase} ({scheme.label})", file=out)
    text = response.text[:2000]
    if text:
        print(text, file=out)
    return 0 if 200 <= response.status_code < 300 else 1


_COMMANDS = {"sign": _sign, "verify": _verify, "listen": _listen, "send": _send}


def main(argv: list[str], out: TextIO | None = None) -> int:
    """`explorer webhook COMMAND ...` (see the module docstring)."""
    stream = out or sys.stdout
    if not argv or argv[0] not in _COMMANDS:
        print(
            "usage: explorer webhook {sign,verify,listen,send} ... (--help for each)",
            file=sys.stderr,
        )
        return 2
    try:
        return _COMMANDS[argv[0]](argv[1:], stream)
    except _Usage as exc:
        print(f"explorer webhook {argv[0]}: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"explorer webhook {argv[0]}: {exc}", file=sys.stderr)
        return 2
