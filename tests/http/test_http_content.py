"""explorer.http.content: a response body decoded, sniffed, re-indented and lexed (no Qt)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from explorer.http.content import (
    JsonSyntaxError,
    break_long_lines,
    break_long_piece,
    charset_of,
    classify,
    decode_body,
    display_text,
    human_duration,
    human_size,
    lex_lines,
    lexer_for,
    pretty_json_chunks,
    pretty_xml,
    tokens_for_line,
)

# Hypothesis keeps caches in `.hypothesis/` of the working directory, which trips pytest's
# collection; keep them in the isolated cache folder the root conftest made.
set_hypothesis_home_dir(Path(os.environ["EXPLORER_CACHE_DIR"]).parent / "hypothesis")


def pretty(text: str, chunk: int = 65536) -> str:
    return "".join(pretty_json_chunks(text, chunk=chunk))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, database=None)
@given(json_values, st.sampled_from([0, 1, 7, 65536]))
def test_reindent_matches_json_dumps_and_keeps_tokens(value: object, chunk: int) -> None:
    minified = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    assert pretty(minified, chunk) == json.dumps(value, indent=2, ensure_ascii=False)
    # Tokens are kept verbatim: only whitespace differs from the input.
    assert "".join(pretty(minified).split()) == "".join(minified.split()) or isinstance(value, str)


def test_reindent_keeps_numbers_and_escapes_exactly() -> None:
    text = '{"big": 123456789012345678901234567890, "f": 1.0, "e": 1E+2, "s": "\\u00e9\\n"}'
    out = pretty(text)
    assert '"big": 123456789012345678901234567890' in out
    assert '"f": 1.0' in out and '"e": 1E+2' in out and '"s": "\\u00e9\\n"' in out


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        ('{"a":1', 6),
        ('{"a" 1}', 5),
        ("[1,]", 3),
        ("[1 2]", 3),
        ('{"a":1}x', 7),
        ("", 0),
        ("]", 0),
        ('{"a":}', 5),
        ("{'a': 1}", 1),
        ('{"a": tru}', 6),
    ],
)
def test_reindent_reports_where_json_breaks(bad: str, where: int) -> None:
    with pytest.raises(JsonSyntaxError) as info:
        pretty(bad)
    assert info.value.position == where


def test_sizes_and_durations_read_like_a_person_wrote_them() -> None:
    assert [human_size(n) for n in (0, 1023, 1536, 20 * 1024 * 1024, 3 * 1024**3)] == [
        "0 B",
        "1023 B",
        "1.5 KB",
        "20.0 MB",
        "3.0 GB",
    ]
    assert [human_duration(s) for s in (None, 0.0004, 0.042, 1.2345, 125)] == [
        "—",
        "400 µs",
        "42 ms",
        "1.23 s",
        "2 min 5 s",
    ]


def test_charset_from_content_type_else_utf8_with_replacement() -> None:
    assert charset_of("text/plain; charset=ISO-8859-1") == "iso8859-1"
    assert charset_of("text/plain; charset=nonsense") is None
    assert decode_body("café".encode("latin-1"), "text/plain; charset=latin-1").text == "café"
    decoded = decode_body(b"ok \xff", "text/plain")
    assert decoded.text == "ok \ufffd" and decoded.replaced
    assert decode_body(b"\xef\xbb\xbf{}", None).text == "{}"


@pytest.mark.parametrize(
    ("ct", "body", "kind"),
    [
        ("application/json", b"{}", "json"),
        ("application/problem+json", b"{}", "json"),
        ("", b'  [{"a": 1}]', "json"),
        ("application/xml", b"<a/>", "xml"),
        ("", b'<?xml version="1.0"?><a/>', "xml"),
        ("text/html", b"<p>hi</p>", "html"),
        ("", b"<!DOCTYPE html><html></html>", "html"),
        ("application/yaml", b"a: 1", "yaml"),
        ("text/plain", b"hello", "text"),
        ("text/csv", b"a,b", "text"),
        ("image/png", b"\x89PNG", "image"),
        ("image/svg+xml", b"<svg/>", "image"),
        ("application/octet-stream", b"abc", "binary"),
        ("application/pdf", b"%PDF-1.7", "binary"),
        ("", b"\x00\x01\x02", "binary"),
        ("text/plain", b"", "empty"),
    ],
)
def test_body_kind_from_type_then_sniffed(ct: str, body: bytes, kind: str) -> None:
    assert classify(ct, body) == kind


def test_lexed_lines_line_up_with_the_text() -> None:
    text = '<a x="1">\n<!-- one\n two -->\n</a>'
    table = lex_lines(text, lexer_for("xml"))
    lines = text.split("\n")
    assert len(table) == len(lines)
    assert "comment" in {role for _s, _n, role in table[2]}  # inside a multi-line comment
    for spans, line in zip(table, lines, strict=True):
        for start, length, _role in spans:
            assert start >= 0 and start + length <= len(line)
    spans = tokens_for_line('    "name": "Ada",', lexer_for("json"))
    assert (4, 6, "key") in spans and (12, 5, "string") in spans


def test_long_lines_are_broken_and_line_ends_normalised() -> None:
    text, broke = break_long_lines("x" * 25, limit=10)
    assert broke and text.split("\n") == ["x" * 10, "x" * 10, "x" * 5]
    assert break_long_lines("short\nlines", limit=10) == ("short\nlines", False)
    assert display_text("a\r\nb\rc\u2029d") == "a\nb\nc\nd"


def test_pretty_xml_indents_or_gives_up() -> None:
    assert pretty_xml("<a><b>1</b></a>") == "<a>\n  <b>1</b>\n</a>"
    assert pretty_xml("<a><b>") is None


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab\n", max_size=120),
    cuts=st.lists(st.integers(1, 20), max_size=30),
    limit=st.integers(1, 12),
)
def test_breaking_in_pieces_is_breaking_the_whole(text: str, cuts: list[int], limit: int) -> None:
    out, column, pos = [], 0, 0
    for cut in [*cuts, len(text) + 1]:
        piece, column, _ = break_long_piece(text[pos : pos + cut], column, limit)
        out.append(piece)
        pos += cut
    assert "".join(out) == break_long_lines(text, limit)[0]


def test_lexers_load_from_two_threads_at_once() -> None:
    """`from pygments.lexers import X` in two threads at once fails about half the time
    (the package swaps itself for a lazy module while the other thread waits); a body is
    coloured in a worker while the code panel colours on the loop, so `lexer_for` must
    not. Fresh processes, since only the first import races."""
    import subprocess
    import sys

    program = (
        "import threading\n"
        "from explorer.http.content import lexer_for\n"
        "gate = threading.Barrier(2); errors = []\n"
        "def run(kind):\n"
        "    gate.wait()\n"
        "    try:\n"
        "        assert lexer_for(kind) is not None\n"
        "    except Exception as exc:\n"
        "        errors.append(repr(exc))\n"
        "threads = [threading.Thread(target=run, args=(k,)) for k in ('json', 'bash')]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(errors)\n"
    )
    for _ in range(8):  # the old import failed in about half the runs
        done = subprocess.run(
            [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "[]", done.stdout


def test_a_saved_body_is_named_by_its_url_and_type() -> None:
    from explorer.http.content import suggested_file_name
    from explorer.http.model import PreparedRequest, ResponseResult

    def named(url: str, content_type: str) -> str:
        result = ResponseResult(
            request=PreparedRequest("GET", url),
            status=200,
            reason="OK",
            http_version="HTTP/1.1",
            url=url,
            headers=(("Content-Type", content_type),),
            body=b"x",
        )
        return suggested_file_name(result)

    assert named("http://127.0.0.1:1/files/report.pdf", "application/pdf") == "report.pdf"
    assert named("http://127.0.0.1:1/files/42", "application/pdf") == "42.pdf"
    assert named("http://127.0.0.1:1/", "application/x-unknown") == "response.bin"
