"""Opening a document by URL from a hostile server, as `explorer inspect URL` does it in a
memory-limited subprocess: endless and dripping bodies, compression bombs, redirects that
would take a `$ref` to another host. Each ends in one clear line, on time, in bounded
memory; never a traceback, a MemoryError or a hang."""

from __future__ import annotations

import gzip
import json
from typing import Any

import orjson
import pytest

from tests.hostile.conftest import (
    HostileServer,
    Limited,
    drip,
    endless,
    explorer_command,
    explorer_patched,
    gzip_bomb,
    json_report,
    one_line_error,
    redirect,
    run_measured,
    send,
    stall,
)

CAP_MB = 100  # explorer.spec._source.MAX_DOCUMENT_BYTES


def doc(refs: dict[str, str] | None = None, title: str = "Hostile") -> bytes:
    """A small document whose one operation's body has a property per reference."""
    props = {name: {"$ref": ref} for name, ref in (refs or {}).items()}
    body = {"content": {"application/json": {"schema": {"type": "object", "properties": props}}}}
    return orjson.dumps(
        {
            "openapi": "3.0.3",
            "info": {"title": title, "version": "1"},
            "paths": {"/x": {"post": {"requestBody": body, "responses": {}}}},
        }
    )


def inspect(url: str, *extra: str, memory_mb: int = 700, timeout: float = 90.0) -> Limited:
    return run_measured(
        explorer_command("inspect", url, *extra), memory_mb=memory_mb, timeout=timeout
    )


def warning_about(data: dict[str, Any], text: str) -> dict[str, str]:
    (found,) = [w for w in data["warnings"] if text in w["message"]]
    return found


# -- size, time, compression ----------------------------------------------------------------


def test_endless_body_stops_at_the_size_cap(hostile_server: HostileServer) -> None:
    url = hostile_server.route("/openapi.json", endless())
    result = inspect(url)
    line = one_line_error(result)
    assert line == f"explorer: {url}: the document is larger than {CAP_MB} MB; it was not read"
    assert result.seconds < 60
    assert result.max_rss_mb < 500  # the cap, a copy, the interpreter


def test_a_declared_length_over_the_cap_is_refused_unread(hostile_server: HostileServer) -> None:
    def huge(h: Any) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(10 * 1024**3))
        h.end_headers()
        h.wfile.write(b"{" * 1000)

    url = hostile_server.route("/openapi.json", huge)
    line = one_line_error(inspect(url))
    assert f"larger than {CAP_MB} MB (10240 MB); it was not read" in line


@pytest.mark.parametrize("behaviour", ["drip", "stall"])
def test_a_slow_server_fails_at_the_deadline(hostile_server: HostileServer, behaviour: str) -> None:
    slow = drip(hostile_server, every=0.5) if behaviour == "drip" else stall(hostile_server)
    url = hostile_server.route("/openapi.json", slow)
    command = explorer_patched({"explorer.spec._fetch.FETCH_TIMEOUT": 2.0}, "inspect", url)
    result = run_measured(command, memory_mb=700, timeout=60)
    line = one_line_error(result)
    assert line == f"explorer: {url}: the server did not send the whole document within 2 s"
    assert result.seconds < 20  # two seconds, give or take a busy machine; never a hang


def test_the_default_deadline_is_thirty_seconds() -> None:
    from explorer.spec import _fetch

    assert _fetch.FETCH_TIMEOUT == 30.0


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(1 << 30)  # 1 GiB of zeros in about 1 MB


@pytest.mark.parametrize("layers", [1, 2])
def test_a_gzip_bomb_stops_at_the_cap(
    hostile_server: HostileServer, bomb: bytes, layers: int
) -> None:
    body = bomb if layers == 1 else gzip.compress(bomb)
    encoding = ", ".join(["gzip"] * layers)
    url = hostile_server.route("/openapi.json", send(body, headers={"Content-Encoding": encoding}))
    result = inspect(url, memory_mb=700)  # 1 GiB unpacked would not fit
    line = one_line_error(result)
    assert line == (
        f"explorer: {url}: the document unpacks to more than {CAP_MB} MB "
        "(a compression bomb?); it was not read"
    )
    assert result.seconds < 60
    assert result.max_rss_mb < 500


def test_compressed_documents_still_open(hostile_server: HostileServer) -> None:
    import zlib

    data = doc(title="Packed")
    hostile_server.route("/g.json", send(gzip.compress(data), headers={"Content-Encoding": "gzip"}))
    hostile_server.route(
        "/d.json", send(zlib.compress(data), headers={"Content-Encoding": "deflate"})
    )
    raw_deflate = zlib.compressobj(wbits=-15)
    packed = raw_deflate.compress(data) + raw_deflate.flush()
    hostile_server.route("/r.json", send(packed, headers={"Content-Encoding": "deflate"}))
    two = gzip.compress(gzip.compress(data)) + gzip.compress(b"")  # two layers, two members
    hostile_server.route("/gg.json", send(two, headers={"Content-Encoding": "gzip, gzip"}))
    for path in ("/g.json", "/d.json", "/r.json", "/gg.json"):
        assert json_report(inspect(hostile_server.url(path), "--json"))["title"] == "Packed", path


@pytest.mark.parametrize(
    ("encoding", "body", "message"),
    [
        ("br", b"\x8b\x00\x80", "encoded as 'br', which explorer does not read"),
        ("gzip", b"\x1f\x8b\x08\x00not gzip at all", "a damaged compressed document"),
        ("gzip, gzip, gzip", b"", "compressed the document 3 times over"),
    ],
)
def test_encodings_that_cannot_be_read_say_so(
    hostile_server: HostileServer, encoding: str, body: bytes, message: str
) -> None:
    url = hostile_server.route("/openapi.json", send(body, headers={"Content-Encoding": encoding}))
    assert message in one_line_error(inspect(url))


# -- redirects ------------------------------------------------------------------------------


def test_a_remote_ref_is_never_redirected_to_another_host(
    hostile_server: HostileServer, other_host_server: HostileServer
) -> None:
    secret = other_host_server.route("/secret.json", send(b'{"type": "string"}'))
    hostile_server.route("/schemas/pet.json", redirect(secret))  # same host, then elsewhere
    hostile_server.route("/schemas/tag.json", redirect("/schemas/real-tag.json"))  # same origin
    hostile_server.route("/schemas/real-tag.json", send(b'{"type": "string", "x-tag": true}'))
    url = hostile_server.route(
        "/openapi.json", send(doc({"pet": "schemas/pet.json", "tag": "schemas/tag.json"}))
    )
    for extra in ((), ("--allow-remote-refs",)):  # consent to other hosts changes nothing
        data = json_report(inspect(url, "--json", *extra))
        refused = warning_about(data, "schemas/pet.json")
        assert "the server redirected to another host" in refused["message"]
        assert "a reference does not follow that" in refused["message"]
        assert refused["source"] == url
        assert not [w for w in data["warnings"] if "tag.json" in w["message"]]
    assert other_host_server.requested == []


def test_a_document_opened_by_url_may_be_redirected_and_is_then_known_by_its_new_url(
    hostile_server: HostileServer, other_host_server: HostileServer
) -> None:
    other_host_server.route("/api/pet.json", send(b'{"type": "object", "x-pet": 1}'))
    final = other_host_server.route("/api/openapi.json", send(doc({"pet": "pet.json"})))
    start = hostile_server.route("/openapi.json", redirect(final, status=301))
    data = json_report(inspect(start, "--json"))
    assert data["source"] == final
    assert data["warnings"] == []  # pet.json is read from the document's own (new) origin
    assert hostile_server.requested == ["/openapi.json"]
    assert other_host_server.requested == ["/api/openapi.json", "/api/pet.json"]


def test_a_document_from_the_web_cannot_refer_to_local_files(
    hostile_server: HostileServer,
) -> None:
    url = hostile_server.route(
        "/openapi.json",
        send(doc({"f": "file:///etc/passwd", "abs": "/etc/passwd", "c": "C:\\\\secret.json"})),
    )
    data = json_report(inspect(url, "--json", "--allow-outside-refs", "--allow-remote-refs"))
    messages = " | ".join(w["message"] for w in data["warnings"])
    assert "file:///etc/passwd: a document from the web cannot refer to a local file" in messages
    assert "/etc/passwd: fetching the document answered HTTP 404" in messages  # its own host
    assert "root:" not in json.dumps(data)
    assert "/etc/passwd" in hostile_server.requested


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("file:///etc/passwd", "is not an http(s) URL"),
        ("/openapi.json", "more than 5 redirects"),
    ],
)
def test_bad_redirects_of_the_document(
    hostile_server: HostileServer, target: str, message: str
) -> None:
    url = hostile_server.route("/openapi.json", redirect(target))
    assert message in one_line_error(inspect(url))
