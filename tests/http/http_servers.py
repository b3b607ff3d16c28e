"""Real servers on 127.0.0.1 (port 0) for the HTTP tests (the fixtures are in conftest.py).

- `echo_server`: a uvicorn + starlette app in a thread that tells what it received
  (`/echo...`), answers with any status and headers (`/status/{code}`), streams large
  bodies (`/bytes/{n}`), answers late (`/slow`), stalls mid-body (`/drip`), redirects
  (`/redirect/{n}`, `/to?status=&url=`), sets cookies (`/cookie`), reads basic
  credentials (`/basic`) and digest ones (`/digest`, ada / s3cret), and misbehaves: a
  byte at a time (`/trickle`), without end (`/endless`), compressed zeros without end or
  up to N MiB (`/zip/{coding}`), and small compressed bodies, some broken (`/encoded`).
- `tls_server`: the same app over HTTPS with a self-signed certificate.
- `raw_server`: a plain socket server that misbehaves on purpose (closes, resets, sends
  something that is not HTTP).
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import gzip
import ipaddress
import socket
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

PATTERN = bytes(range(256)) * 256  # 64 KiB, the unit of /bytes bodies


def pattern_body(n: int) -> bytes:
    """The exact body `/bytes/{n}` sends."""
    reps, rest = divmod(n, len(PATTERN))
    return PATTERN * reps + PATTERN[:rest]


@dataclass
class ServerState:
    """Signals between a test and the server thread."""

    drip_started: threading.Event = field(default_factory=threading.Event)
    drip_release: threading.Event = field(default_factory=threading.Event)
    drip_finished: threading.Event = field(default_factory=threading.Event)


def make_app(state: ServerState) -> ASGIApp:
    async def echo(request: Request) -> Response:
        body = await request.body()
        headers = [
            [k.decode("latin-1"), v.decode("utf-8", errors="replace")]
            for k, v in request.scope["headers"]
        ]
        return JSONResponse(
            {
                "method": request.method,
                "raw_path": request.scope["raw_path"].decode("latin-1"),
                "query": request.scope["query_string"].decode("latin-1"),
                "headers": headers,
                "body_b64": base64.b64encode(body).decode("ascii"),
            }
        )

    async def status(request: Request) -> Response:
        code = int(request.path_params["code"])
        headers: dict[str, str] = {}
        for item in request.query_params.getlist("h"):
            name, _, value = item.partition(":")
            headers[name.strip()] = value.strip()
        return Response(
            request.query_params.get("body", ""),
            status_code=code,
            headers=headers,
            media_type=request.query_params.get("type", "text/plain"),
        )

    async def many_bytes(request: Request) -> Response:
        n = int(request.path_params["n"])

        async def chunks() -> Any:
            reps, rest = divmod(n, len(PATTERN))
            for _ in range(reps):
                yield PATTERN
            if rest:
                yield PATTERN[:rest]

        return StreamingResponse(
            chunks(),
            media_type="application/octet-stream",
            headers={"Content-Length": str(n)},
        )

    async def slow(request: Request) -> Response:
        await asyncio.sleep(float(request.query_params.get("delay", "1")))
        return Response("late", media_type="text/plain")

    async def drip(request: Request) -> Response:
        async def chunks() -> Any:
            yield b"first chunk;"
            state.drip_started.set()
            for _ in range(500):  # at most 5 s
                if state.drip_release.is_set():
                    break
                await asyncio.sleep(0.01)
            yield b"last chunk"
            state.drip_finished.set()

        return StreamingResponse(chunks(), media_type="text/plain")

    async def redirect(request: Request) -> Response:
        n = int(request.path_params["n"])
        target = f"/redirect/{n - 1}" if n > 1 else "/echo/done"
        return RedirectResponse(target, status_code=302)

    async def redirect_to(request: Request) -> Response:
        """`/to?status=307&url=...`: a redirect to any URL, with any status."""
        status_code = int(request.query_params.get("status", "302"))
        return Response(
            b"redirect body",
            status_code=status_code,
            headers={"Location": request.query_params["url"]},
        )

    async def trickle(request: Request) -> Response:
        """`/trickle?n=100&every=0.1`: one byte every `every` seconds, `n` of them."""
        n = int(request.query_params.get("n", "100"))
        every = float(request.query_params.get("every", "0.1"))

        async def chunks() -> Any:
            for _ in range(n):
                yield b"x"
                await asyncio.sleep(every)

        return StreamingResponse(chunks(), media_type="text/plain")

    async def endless(request: Request) -> Response:
        """A body that never ends (no Content-Length)."""

        async def chunks() -> Any:
            while True:
                yield PATTERN
                await asyncio.sleep(0)

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    async def zipped(request: Request) -> Response:
        """`/zip/{coding}?mb=N`: N MiB of zeros (endless without `mb`) compressed as it is
        sent; coding gzip, deflate (zlib), raw-deflate (sent as deflate) or members (gzip,
        one member per MiB)."""
        coding = request.path_params["coding"]
        mb = request.query_params.get("mb")
        wbits = {"gzip": 31, "members": 31, "deflate": 15, "raw-deflate": -15}[coding]

        async def chunks() -> Any:
            block = bytes(1024 * 1024)
            sent = 0
            compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
            while mb is None or sent < int(mb):
                data = compressor.compress(block)
                sent += 1
                if coding == "members":
                    data += compressor.flush()
                    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
                if data:
                    yield data
                await asyncio.sleep(0)
            yield compressor.flush()

        header = "gzip" if coding in ("gzip", "members") else "deflate"
        return StreamingResponse(
            chunks(), media_type="application/octet-stream", headers={"Content-Encoding": header}
        )

    async def encoded(request: Request) -> Response:
        """`/encoded?coding=gzip&text=...`: `text` compressed whole, labelled `coding`
        (gzip, deflate, raw-deflate, broken-gzip; anything else is sent as it is)."""
        coding = request.query_params.get("coding", "gzip")
        text = request.query_params.get("text", "").encode()
        if coding == "gzip":
            body = gzip.compress(text)
        elif coding == "deflate":
            body = zlib.compress(text)
        elif coding == "raw-deflate":
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = compressor.compress(text) + compressor.flush()
            coding = "deflate"
        elif coding == "broken-gzip":
            body = gzip.compress(text)[:10] + b"not deflate at all" * 10
            coding = "gzip"
        else:
            body = bytes.fromhex(request.query_params.get("hex", "")) or text
        return Response(body, media_type="application/json", headers={"Content-Encoding": coding})

    async def basic(request: Request) -> Response:
        """Basic credentials as RFC 7617 reads them (split at the first colon), or 401."""
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        try:
            pair = base64.b64decode(encoded, validate=True).decode("utf-8")
        except ValueError:
            pair = ""
        if scheme.lower() != "basic" or ":" not in pair:
            return JSONResponse(
                {"error": "basic credentials needed"},
                status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="test", charset="UTF-8"'},
            )
        user, _, password = pair.partition(":")
        return JSONResponse({"user": user, "password": password})

    async def digest(request: Request) -> Response:
        """HTTP digest (RFC 7616, MD5, qop=auth) for user "ada" with password "s3cret"."""
        import hashlib
        import re as _re

        realm, nonce = "explorer-tests", "dcd98b7102dd2f0e8b11d0f600bfb0c093"
        header = request.headers.get("authorization", "")
        challenge = {
            "WWW-Authenticate": f'Digest realm="{realm}", nonce="{nonce}", qop="auth", '
            "algorithm=MD5"
        }
        if not header.startswith("Digest "):
            return Response("digest credentials needed", status_code=401, headers=challenge)
        fields = dict(_re.findall(r'(\w+)="?([^",]*)"?', header[7:]))

        def md5(text: str) -> str:
            return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()

        ha1 = md5(f"ada:{realm}:s3cret")
        ha2 = md5(f"{request.method}:{fields.get('uri', '')}")
        expected = md5(
            f"{ha1}:{nonce}:{fields.get('nc', '')}:{fields.get('cnonce', '')}:auth:{ha2}"
        )
        if fields.get("username") != "ada" or fields.get("response") != expected:
            return Response("wrong digest credentials", status_code=401, headers=challenge)
        return Response("digest ok", media_type="text/plain")

    async def cookie(request: Request) -> Response:
        response = JSONResponse({"set": True})
        response.set_cookie("session", "s3cr3t", path="/")
        return response

    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    routed = Starlette(
        routes=[
            Route("/status/{code:int}", status, methods=methods),
            Route("/bytes/{n:int}", many_bytes),
            Route("/slow", slow),
            Route("/drip", drip),
            Route("/redirect/{n:int}", redirect),
            Route("/cookie", cookie),
            Route("/basic", basic),
            Route("/digest", digest),
            Route("/to", redirect_to, methods=methods),
            Route("/trickle", trickle),
            Route("/endless", endless),
            Route("/zip/{coding}", zipped),
            Route("/encoded", encoded),
        ]
    )

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        # /echo takes any path, even one whose decoded form has line breaks (which
        # Starlette's path routes do not match).
        if scope["type"] == "http" and scope["raw_path"].startswith(b"/echo"):
            response = await echo(Request(scope, receive))
            await response(scope, receive, send)
        else:
            await routed(scope, receive, send)

    return app


@dataclass
class RunningServer:
    """A server running in a thread: `url` is its base URL, `state` its signals."""

    url: str
    port: int
    state: ServerState


def serve(
    ssl_files: tuple[str, str] | None = None,
    host: str = "127.0.0.1",
    app: ASGIApp | None = None,
) -> Iterator[RunningServer]:
    """Run the app (or another ASGI `app`) on `host` (127.0.0.1, or 127.0.0.2 for a second
    origin), port 0."""
    state = ServerState()
    # proto=IPPROTO_TCP: asyncio only sets TCP_NODELAY on such sockets; without it the
    # server's Nagle and the client's delayed ACK add 40 ms to kept-alive responses.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        make_app(state) if app is None else app,
        log_level="critical",
        lifespan="off",
        ws="none",
        http="h11",
        access_log=False,
        timeout_graceful_shutdown=2,
        ssl_certfile=ssl_files[0] if ssl_files else None,
        ssl_keyfile=ssl_files[1] if ssl_files else None,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    assert server.started, "the test server did not start"
    scheme = "https" if ssl_files else "http"
    try:
        yield RunningServer(f"{scheme}://{host}:{port}", port, state)
    finally:
        state.drip_release.set()
        server.should_exit = True
        thread.join(10)
        sock.close()


def self_signed(directory: Path) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "explorer test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    certfile = directory / "cert.pem"
    keyfile = directory / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(certfile), str(keyfile)


@dataclass
class RawServer:
    """A socket server that reads a request and then does `behaviour`."""

    url: str
