"""Properties over arbitrary input: built URLs are what httpx puts on the wire, values
survive the round trip, and shell quoting gives back exactly the text."""

from __future__ import annotations

import os
import shutil
import subprocess
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.errors import RequestError
from explorer.http import ParamValue, RequestInput, build_request
from explorer.http.snippets._common import split_secrets
from explorer.http.snippets._shell import sh

# Text a form field can hold: any character but NUL and lone surrogates.
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
scalar = text | st.integers() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False)
value = scalar | st.lists(scalar, max_size=4) | st.dictionaries(text, scalar, max_size=4)
style = st.sampled_from(["", "form", "simple", "label", "matrix", "spaceDelimited",
                         "pipeDelimited", "deepObject"])  # fmt: skip
location = st.sampled_from(["path", "query", "header", "cookie"])


@settings(max_examples=300, deadline=None, database=None)
@given(
    params=st.lists(
        st.builds(ParamValue, text, location, value, style, st.none() | st.booleans()),
        max_size=6,
    ),
    path=st.sampled_from(["/a/{id}", "/b", "/c{x}/d", "/é/{id}.json"]),
)
def test_built_url_is_what_httpx_sends(params: list[ParamValue], path: str) -> None:
    try:
        prepared = build_request(
            RequestInput("GET", "http://127.0.0.1:8000/api", path, tuple(params))
        )
    except RequestError:
        return  # a missing path parameter or a header that cannot be sent: said plainly
    assert str(httpx.URL(prepared.url)) == prepared.url
    assert urlsplit(prepared.url).path.startswith("/api/")
    httpx.Request(
        prepared.method,
        prepared.url,
        headers=[(k.encode("ascii"), v.encode("utf-8")) for k, v in prepared.headers],
    )


@settings(max_examples=300, deadline=None, database=None)
@given(values=st.lists(text, min_size=1, max_size=5), explode=st.booleans())
def test_query_values_round_trip(values: list[str], explode: bool) -> None:
    prepared = build_request(
        RequestInput(
            "GET", "http://127.0.0.1:1", "/x", (ParamValue("v", "query", values, "form", explode),)
        )
    )
    query = urlsplit(prepared.url).query
    if explode:
        assert [v for _, v in parse_qsl(query, keep_blank_values=True)] == values
    else:
        assert query.startswith("v=")
        assert [unquote(v) for v in query[2:].split(",")] == values


@settings(max_examples=300, deadline=None, database=None)
@given(value=text)
def test_path_value_round_trips(value: str) -> None:
    if value == "":
        return
    prepared = build_request(
        RequestInput("GET", "http://127.0.0.1:1", "/x/{v}/y", (ParamValue("v", "path", value),))
    )
    segment = urlsplit(prepared.url).path.split("/")[2]
    assert unquote(segment) == value


SH = shutil.which("sh")


@pytest.mark.skipif(SH is None, reason="no sh")
@settings(max_examples=60, deadline=None, database=None)
@given(
    before=text,
    secret=text.filter(lambda s: s != ""),
    after=text,
)
def test_shell_quoting_gives_back_exactly_the_text(before: str, secret: str, after: str) -> None:
    whole = before + secret + after
    quoted = sh(split_secrets(whole, [(secret, "THE_SECRET")]))
    done = subprocess.run(
        [SH or "sh", "-c", "printf '%s' " + quoted],
        capture_output=True,
        env={"PATH": os.environ["PATH"], "THE_SECRET": secret},
        timeout=10,
        check=True,
    )
    assert done.stdout == whole.encode("utf-8")
    if secret.isalnum() and secret not in "THE_SECRET":
        assert secret not in quoted


@settings(max_examples=300, deadline=None, database=None)
@given(
    params=st.lists(
        st.builds(ParamValue, text, location, value, style, st.none() | st.booleans()),
        max_size=6,
    ),
    path=st.sampled_from(["/a/{id}", "/b", "/c{x}/d", "/é/{id}.json", "/m/{id}/{x}"]),
)
def test_the_preview_is_the_url_sent(params: list[ParamValue], path: str) -> None:
    """The address bar shows `build_request(lenient=True)`: whenever the strict build (the
    wire) works, both give the same URL, whatever the styles; when it does not, the
    preview still shows something, with the unfilled parameters as `{name}`."""
    inp = RequestInput("GET", "http://127.0.0.1:8000/api", path, tuple(params))
    preview = build_request(inp, lenient=True)
    try:
        sent = build_request(inp)
    except RequestError:
        assert preview.url.startswith("http://127.0.0.1:8000/api")
        return
    assert preview.url == sent.url
    assert preview.headers == sent.headers
    assert preview.content == sent.content


def test_the_preview_keeps_unfilled_path_parameters_as_templates() -> None:
    inp = RequestInput(
        "GET", "", "/users/{user}/repos/{repo}", (ParamValue("user", "path", "a b"),)
    )
    assert build_request(inp, lenient=True).url == "/users/a%20b/repos/{repo}"
    with pytest.raises(RequestError):
        build_request(inp)
