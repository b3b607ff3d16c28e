"""curl commands in: what browsers' "Copy as cURL" (bash and cmd), Postman's code panel and
explorer's own snippets write becomes the request they send; secrets never come along.
Hypothesis: a request built by explorer, written by its curl snippets (sh and cmd.exe),
read back, is sent byte for byte the same."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.collection.convert import to_request_input
from explorer.collection.formats import (
    ImportFailed,
    detect,
    import_bytes,
    parse_curl,
    parse_curl_command,
)
from explorer.collection.model import Body, FormField
from explorer.http.build import build_request
from explorer.http.model import (
    BodyInput,
    ParamValue,
    PreparedRequest,
    RequestInput,
    name_looks_secret,
)
from explorer.http.snippets import SnippetOptions, generate
from explorer.http.snippets._common import file_content_type

CHROME_BASH = r"""curl 'https://api.example.com/v1/contacts?page=2&q=ada%20l' \
  -H 'accept: application/json' \
  -H 'accept-language: en-GB,en;q=0.9' \
  -H 'authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig' \
  -H 'content-type: application/json' \
  -b 'theme=dark; session_id=3f2a9c' \
  -H $'x-note: it\'s \u00e9t\u00e9' \
  --data-raw '{"name":"Ada","tags":["a","b"]}' \
  --compressed"""

CHROME_CMD = r"""curl ^"https://api.example.com/v1/contacts?page=2^&q=ada^%^20l^" ^
  -H ^"accept: application/json^" ^
  -H ^"authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig^" ^
  -H ^"content-type: application/json^" ^
  --data-raw ^"^{^\^"name^\^":^\^"Ada^\^",^\^"tags^\^":^[^\^"a^\^",^\^"b^\^"^]^}^" ^
  --compressed"""

POSTMAN_CURL = """curl --location --request PUT 'https://api.example.com/v1/contacts/con_1' \\
--header 'Content-Type: application/x-www-form-urlencoded' \\
--header 'X-API-Key: ecos_test_0123456789abcdefghijklmnopqrstuv' \\
--data-urlencode 'name=Ada Lovelace' \\
--data-urlencode 'note=a&b=c'"""


def test_chrome_copy_as_curl_for_bash() -> None:
    parsed = parse_curl_command(CHROME_BASH)
    req = parsed.request
    assert (req.method, req.url) == ("POST", "https://api.example.com/v1/contacts")
    assert req.query == (("page", "2"), ("q", "ada l"))
    assert req.headers == (
        ("accept", "application/json"),
        ("accept-language", "en-GB,en;q=0.9"),
        ("x-note", "it's été"),
    )
    assert req.body == Body("application/json", '{"name":"Ada","tags":["a","b"]}')
    assert req.cookies == (("theme", "dark"),)  # the session cookie is left behind
    assert req.auth == ("bearerAuth",) and parsed.slots == ("bearerAuth",)
    assert "eyJ" not in repr(req)
    assert any("keyring" in w and "'bearerAuth'" in w for w in parsed.warnings)
    assert any("session_id" in w for w in parsed.warnings)


def test_chrome_copy_as_curl_for_cmd_reads_the_same_request() -> None:
    bash, cmd = parse_curl(CHROME_BASH), parse_curl(CHROME_CMD)
    assert (cmd.method, cmd.url, cmd.query, cmd.body, cmd.auth) == (
        bash.method,
        bash.url,
        bash.query,
        bash.body,
        bash.auth,
    )


def test_postmans_curl_with_data_urlencode() -> None:
    parsed = parse_curl_command(POSTMAN_CURL)
    req = parsed.request
    assert req.method == "PUT"
    assert req.body == Body(
        "application/x-www-form-urlencoded", "name=Ada%20Lovelace&note=a%26b%3Dc"
    )
    # a header that names a key keeps its place, its value becomes a variable
    assert req.headers == (("X-API-Key", "{{X-API-Key}}"),)
    assert "ecos_test_" not in repr(req)
    assert any("X-API-Key" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("command", "method", "url", "query", "body"),
    [
        ("curl example.com", "GET", "http://example.com", (), None),
        ("$ curl -XDELETE https://x.io/a/1", "DELETE", "https://x.io/a/1", (), None),
        (
            "curl -sSLX PATCH https://x.io -d a=1",
            "PATCH",
            "https://x.io",
            (),
            Body("application/x-www-form-urlencoded", "a=1"),
        ),
        (
            "curl -G https://x.io/s -d q=a+b -d r=%2F",
            "GET",
            "https://x.io/s",
            (("q", "a b"), ("r", "/")),
            None,
        ),
        ("curl -I https://x.io", "HEAD", "https://x.io", (), None),
        (
            "curl --url https://x.io --json '{\"a\":1}'",
            "POST",
            "https://x.io",
            (),
            Body("application/json", '{"a":1}'),
        ),
        (
            "curl https://x.io -d a=1 -d b=2",
            "POST",
            "https://x.io",
            (),
            Body("application/x-www-form-urlencoded", "a=1&b=2"),
        ),
        (
            "curl https://x.io -H 'Content-Type: text/csv' --data-binary $'a;b\\n1;2\\n'",
            "POST",
            "https://x.io",
            (),
            Body("text/csv", "a;b\n1;2\n"),
        ),
        (
            'curl "$BASE/items/${ID}" -H "X-Tenant: $TENANT"',
            "GET",
            "{{BASE}}/items/{{ID}}",
            (),
            None,
        ),
        ('curl "%BASE%/items" -H "X-A: 1"', "GET", "{{BASE}}/items", (), None),
        ("curl 'https://x.io/a{b}' --globoff", "GET", "https://x.io/a%7Bb%7D", (), None),
        (
            "printf '%s' 'piped body' | curl https://x.io --data-binary @- -H 'Content-Type: a/b'",
            "POST",
            "https://x.io",
            (),
            Body("a/b", "piped body"),
        ),
    ],
)
def test_common_flags_and_quoting(
    command: str, method: str, url: str, query: tuple[Any, ...], body: Body | None
) -> None:
    req = parse_curl(command)
    assert (req.method, req.url, req.query, req.body) == (method, url, query, body)


def test_forms_user_and_settings() -> None:
    parsed = parse_curl_command(
        "curl -k -m 7.5 -u ada:hunter2 https://x.io/up "
        "-F 'doc=@\"/tmp/a b;c.pdf\";type=application/pdf' -F note=hello --form-string 'raw=@x'"
    )
    req = parsed.request
    assert req.body == Body(
        "multipart/form-data",
        fields=(
            FormField("doc", file="/tmp/a b;c.pdf", content_type="application/pdf"),
            FormField("note", "hello"),
            FormField("raw", "@x"),
        ),
    )
    assert req.auth == ("basicAuth",)
    assert (req.settings.timeout, req.settings.verify_tls) == (7.5, False)
    assert "hunter2" not in repr(parsed)
    assert any("user name 'ada'" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wget https://x.io", "not a curl command"),
        ("curl -H 'X: 1'", "no URL"),
        ("curl 'https://x.io", "not closed"),
        ("curl https://x.io -H", "needs a value"),
    ],
)
def test_what_is_not_a_usable_curl_command_says_why(text: str, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        parse_curl(text)


def test_a_script_of_commands_is_one_request_each_named_by_its_comment() -> None:
    script = (
        "#!/bin/sh\nset -e\n\n# Log in\ncurl https://x.io/login -d a=1\n\n"
        "# Contacts / List contacts\ncurl 'https://x.io/contacts' \\\n  -H 'Accept: */*'\n"
    )
    assert detect(script.encode()) == "curl"
    imported = import_bytes(script.encode())
    names = [r.name for _f, r in imported.collection.root.requests()]
    assert names == ["Log in", "Contacts / List contacts"]


# -- hypothesis: explorer's curl snippets read back send the same bytes -----------------------

_TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_AWKWARD = [
    "'",
    '"',
    "\\",
    "$",
    "`",
    "!",
    "%",
    "^",
    "&",
    "|",
    "<",
    ">",
    " ",
    "{{v}}",
    "é",
    "\t",
    "~",
    "#",
    ";",
    "*",
    "?",
    "(",
    ")",
]
header_name = st.text(_TOKEN_CHARS, min_size=1, max_size=12).filter(
    lambda n: (
        not name_looks_secret(n)
        and n.lower()
        not in (
            "content-type",
            "cookie",
            "host",
            "content-length",
            "connection",
            "expect",
            "te",
            "upgrade",
            "keep-alive",
            "transfer-encoding",
            "proxy-connection",
        )
    )
)
value_text = st.lists(
    st.sampled_from(_AWKWARD)
    | st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=6
    ),
    max_size=5,
).map("".join)
header_value = value_text.map(lambda v: v.strip(" \t")).filter(lambda v: v != "")
body_text = st.lists(
    st.sampled_from([*_AWKWARD, "\n", "\r\n", "{}"]) | st.text(max_size=8), max_size=8
).map("".join)


@st.composite
def prepared_requests(draw: st.DrawFn) -> PreparedRequest:
    # a "?" or "#" in a path starts a query or a fragment: kept out of the path's text
    segment = value_text.map(lambda s: s.replace("?", "").replace("#", ""))
    segments = draw(
        st.lists(segment.filter(lambda s: s not in (".", "..")), min_size=1, max_size=3)
    )
    query = draw(st.lists(st.tuples(value_text.filter(bool), value_text), max_size=3))
    headers = draw(
        st.lists(st.tuples(header_name, header_value), max_size=3, unique_by=lambda h: h[0].lower())
    )
    kind = draw(st.sampled_from(["none", "json", "text", "urlencoded", "multipart", "no-type"]))
    body: BodyInput | None = None
    if kind == "json":
        body = BodyInput("application/json", draw(body_text))
    elif kind == "text":
        body = BodyInput("text/plain; charset=utf-8", draw(body_text))
    elif kind == "no-type":
        body = BodyInput("*/*", draw(body_text))
    elif kind == "urlencoded":
        fields = draw(
            st.lists(st.tuples(value_text.filter(bool), value_text), min_size=1, max_size=3)
        )
        body = BodyInput("application/x-www-form-urlencoded", fields=tuple(_fields(fields)))
    elif kind == "multipart":
        # curl -F cuts name=value at the first "=": a part's name cannot hold one
        part = value_text.map(lambda s: s.replace("=", "")).filter(bool)
        fields = draw(st.lists(st.tuples(part, value_text), min_size=1, max_size=3))
        files = draw(
            st.lists(
                st.tuples(
                    part, st.sampled_from(["/tmp/a.png", "/tmp/x y;z.txt", "/tmp/q\"uo'te.bin"])
                ),
                max_size=2,
            )
        )
        body = BodyInput(
            "multipart/form-data",
            fields=tuple(_fields(fields)) + tuple(_files(files)),
        )
    method = draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]))
    if method == "GET" and body is not None and kind != "multipart":
        method = "POST"
    inp = RequestInput(
        method=method,
        base_url=draw(st.sampled_from(["http://127.0.0.1:8642/api", "https://api.example.com"])),
        path="/" + "/".join(s.replace("{", "(").replace("}", ")") for s in segments),
        params=tuple(ParamValue(n, "query", v) for n, v in query),
        headers=tuple(headers),
        body=body,
    )
    return build_request(inp)


def _fields(pairs: list[tuple[str, str]]) -> list[Any]:
    from explorer.http.model import FormField as HttpField

    return [HttpField(n, v) for n, v in pairs]


def _files(pairs: list[tuple[str, str]]) -> list[Any]:
    from explorer.http.model import FormField as HttpField

    return [HttpField(n, file_path=p, content_type="application/octet-stream") for n, p in pairs]


def _wire(p: PreparedRequest) -> tuple[Any, ...]:
    headers = sorted((k.lower(), v) for k, v in p.headers)
    files = tuple((n, path, file_content_type(path, ct)) for n, path, ct in p.files)
    return (p.method, p.url, headers, p.content, p.form, files)


def _round_trip(language: str, prepared: PreparedRequest) -> PreparedRequest:
    text = generate(language, prepared, SnippetOptions(secrets="inline"))
    saved = parse_curl(text)
    inp, _options = to_request_input(saved)
    return build_request(inp)


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(prepared_requests())
def test_explorers_curl_for_sh_read_back_sends_the_same(prepared: PreparedRequest) -> None:
    assert _wire(_round_trip("curl", prepared)) == _wire(prepared)


def _cmd_safe(p: PreparedRequest) -> bool:
    """cmd.exe reads %NAME% as a variable and curl-windows writes a multi-line body
    through a file: both are outside what a pasted command can say. (curl-windows also
    writes a file part's name and path in -F as they are: curl itself cuts a path at `;`
    and a `"` ends cmd's quotes.)"""
    if any(c in name + path for name, path, _t in p.files for c in ';,"'):
        return False
    texts = [p.url, *(f"{k}: {v}" for k, v in p.headers), *(v for _k, v in p.form)]
    texts.append((p.content or b"").decode("utf-8", "replace"))
    if any(re.search(r"%[A-Za-z_][A-Za-z0-9_]*%", t) for t in texts):
        return False
    # (a body with a line break or a control character goes through certutil and a file)
    return not re.search(rb"[\x00-\x1f\x7f]", p.content or b"") and not any(
        "\n" in v or "\r" in v for _k, v in p.form
    )


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(prepared_requests().filter(_cmd_safe))
def test_explorers_curl_for_cmd_read_back_sends_the_same(prepared: PreparedRequest) -> None:
    assert _wire(_round_trip("curl-windows", prepared)) == _wire(prepared)


def test_a_big_body_piped_through_printf_reads_back() -> None:
    body = '{"text": "' + "é'x\\" * 30_000 + '"}'
    prepared = build_request(
        RequestInput("POST", "https://x.io", "/big", body=BodyInput("application/json", body))
    )
    text = generate("curl", prepared)
    assert text.startswith("printf '%s' ")
    assert _wire(_round_trip("curl", prepared)) == _wire(prepared)
