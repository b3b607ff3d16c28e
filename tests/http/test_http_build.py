"""build_request: URL, parameter styles, headers, cookies, bodies, auth, and clear errors."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from explorer.errors import RequestError
from explorer.http import (
    AuthInput,
    BodyInput,
    FormField,
    ParamValue,
    RequestInput,
    build_request,
    name_looks_secret,
)
from explorer.http.build import basic_env_names

STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}

# The "Style Examples" table of OpenAPI 3.0.4 (identical in 3.1.1), column by column:
# empty string, string, array, object. It corrects the 3.0.0-3.0.3 table's label rows
# (".blue.black.brown" for explode=false contradicted RFC 6570) and percent-encodes
# `|`, `[` and `]` as RFC 3986 requires. None marks "n/a".
PATH_TABLE = [
    ("matrix", False, ";color", ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"),  # noqa: E501
    ("matrix", True, ";color", ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"),  # noqa: E501
    ("label", False, ".", ".blue", ".blue,black,brown", ".R,100,G,200,B,150"),
    ("label", True, ".", ".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    ("simple", False, None, "blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("simple", True, None, "blue", "blue,black,brown", "R=100,G=200,B=150"),
]  # fmt: skip
QUERY_TABLE = [
    ("form", False, "color=", "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    ("form", True, "color=", "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),  # noqa: E501
    ("spaceDelimited", False, None, None, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"),  # noqa: E501
    ("pipeDelimited", False, None, None, "color=blue%7Cblack%7Cbrown", "color=R%7C100%7CG%7C200%7CB%7C150"),  # noqa: E501
    ("deepObject", True, None, None, None, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
]  # fmt: skip


def _cases(table: list[tuple[Any, ...]]) -> list[Any]:
    out = []
    for style, explode, *expected in table:
        for value, want in zip(("", STRING, ARRAY, OBJECT), expected, strict=True):
            if want is not None:
                kind = type(value).__name__ if value != "" else "empty"
                out.append(
                    pytest.param(style, explode, value, want, id=f"{style}-{explode}-{kind}")
                )
    return out


def build(*params: ParamValue, path: str = "/items", **kw: Any) -> Any:
    return build_request(
        RequestInput(
            method="GET", base_url="http://127.0.0.1:1/api", path=path, params=params, **kw
        )
    )


@pytest.mark.parametrize(("style", "explode", "value", "expected"), _cases(PATH_TABLE))
def test_path_styles_follow_the_openapi_table(
    style: str, explode: bool, value: Any, expected: str
) -> None:
    prepared = build(ParamValue("color", "path", value, style, explode), path="/paint{color}")
    assert prepared.url == f"http://127.0.0.1:1/api/paint{expected}"


@pytest.mark.parametrize(("style", "explode", "value", "expected"), _cases(QUERY_TABLE))
def test_query_styles_follow_the_openapi_table(
    style: str, explode: bool, value: Any, expected: str
) -> None:
    prepared = build(ParamValue("color", "query", value, style, explode))
    assert prepared.url == f"http://127.0.0.1:1/api/items?{expected}"


@pytest.mark.parametrize(
    ("value", "explode", "expected"),
    [
        (STRING, False, "blue"),
        (ARRAY, False, "blue,black,brown"),
        (ARRAY, True, "blue,black,brown"),
        (OBJECT, False, "R,100,G,200,B,150"),
        (OBJECT, True, "R=100,G=200,B=150"),
    ],
)
def test_header_parameters_use_simple_style(value: Any, explode: bool, expected: str) -> None:
    prepared = build(ParamValue("X-Color", "header", value, "", explode))
    assert prepared.headers == (("X-Color", expected),)


@pytest.mark.parametrize(
    ("value", "explode", "expected"),
    [
        (STRING, None, "color=blue"),
        (ARRAY, False, "color=blue,black,brown"),
        (ARRAY, True, "color=blue; color=black; color=brown"),
        (OBJECT, False, "color=R,100,G,200,B,150"),
        (OBJECT, True, "R=100; G=200; B=150"),
    ],
)
def test_cookie_parameters_use_form_style(value: Any, explode: bool | None, expected: str) -> None:
    prepared = build(ParamValue("color", "cookie", value, "", explode))
    assert prepared.headers == (("Cookie", expected),)


def test_defaults_by_location_without_style() -> None:
    prepared = build(
        ParamValue("id", "path", [1, 2]),
        ParamValue("tag", "query", ["a", "b"]),
        ParamValue("X-Ids", "header", [3, 4]),
        path="/things/{id}",
    )
    assert prepared.url == "http://127.0.0.1:1/api/things/1,2?tag=a&tag=b"
    assert prepared.headers == (("X-Ids", "3,4"),)


def test_scalars_are_written_as_openapi_expects() -> None:
    prepared = build(
        ParamValue("yes", "query", True),
        ParamValue("no", "query", False),
        ParamValue("n", "query", 42),
        ParamValue("x", "query", 2.5),
        ParamValue("whole", "query", 3.0),
    )
    assert prepared.url.endswith("?yes=true&no=false&n=42&x=2.5&whole=3")


def test_none_values_and_none_items_are_left_out() -> None:
    prepared = build(
        ParamValue("gone", "query", None),
        ParamValue("tags", "query", ["a", None, "b"]),
        ParamValue("obj", "query", {"a": 1, "b": None}, "deepObject"),
        ParamValue("X-Gone", "header", None),
        ParamValue("gone", "cookie", None),
    )
    assert prepared.url.endswith("?tags=a&tags=b&obj%5Ba%5D=1")
    assert prepared.headers == ()


def test_values_are_percent_encoded_and_separators_are_not() -> None:
    prepared = build(
        ParamValue("id", "path", "a/b c?#%é"),
        ParamValue("q", "query", "x&y=z+1 ,"),
        ParamValue("list", "query", ["a,b", "c"], "form", False),
        path="/files/{id}",
    )
    assert prepared.url == (
        "http://127.0.0.1:1/api/files/a%2Fb%20c%3F%23%25%C3%A9?q=x%26y%3Dz%2B1%20%2C&list=a%2Cb,c"
    )


def test_dot_segments_in_path_values_are_escaped() -> None:
    assert build(ParamValue("id", "path", ".."), path="/f/{id}").url.endswith("/f/%2E%2E")
    assert build(ParamValue("id", "path", "", "label"), path="/f/{id}/x").url.endswith("/f/%2E/x")
    assert build(ParamValue("id", "path", "", "label"), path="/f{id}").url.endswith("/f.")


def test_nested_deep_object() -> None:
    value = {"filter": {"status": "open", "tags": ["a", "b"]}}
    prepared = build(ParamValue("q", "query", value, "deepObject"))
    assert prepared.url.endswith(
        "?q%5Bfilter%5D%5Bstatus%5D=open&q%5Bfilter%5D%5Btags%5D=a&q%5Bfilter%5D%5Btags%5D=b"
    )


@pytest.mark.parametrize(
    ("base", "path", "expected"),
    [
        ("http://127.0.0.1:8000/api/", "/contacts", "http://127.0.0.1:8000/api/contacts"),
        ("http://127.0.0.1:8000/api", "contacts", "http://127.0.0.1:8000/api/contacts"),
        ("https://api.ecosire.com/api//", "/contacts", "https://api.ecosire.com/api/contacts"),
        ("http://127.0.0.1:8000", "/", "http://127.0.0.1:8000/"),
        ("  http://127.0.0.1:8000/  ", "", "http://127.0.0.1:8000"),
        ("http://127.0.0.1/v1?key=1", "/a", "http://127.0.0.1/v1/a?key=1&q=2"),
    ],
)
def test_base_url_and_path_are_joined(base: str, path: str, expected: str) -> None:
    params = (ParamValue("q", "query", 2),) if "key" in base else ()
    prepared = build_request(RequestInput("get", base, path, params))
    assert prepared.url == expected
    assert prepared.method == "GET"


@pytest.mark.parametrize(
    ("base", "message"),
    [
        ("", "No server URL"),
        ("   ", "No server URL"),
        ("ftp://example.com", "must start with http:// or https://, not ftp://"),
        ("localhost:8080/api", "must start with http:// or https://"),
        ("http://", "has no host name"),
        ("http://127.0.0.1:99999/", "not a valid URL"),
        ("http://{host}/api", "fill in the server variables"),
    ],
)
def test_unusable_base_url_is_a_clear_error(base: str, message: str) -> None:
    with pytest.raises(RequestError, match=message):
        build_request(RequestInput("GET", base, "/x"))


def test_missing_or_empty_path_parameter_is_a_clear_error() -> None:
    with pytest.raises(RequestError, match="path parameter 'contactId' is required"):
        build(path="/contacts/{contactId}")
    with pytest.raises(RequestError, match="path parameter 'contactId' is required"):
        build(ParamValue("contactId", "path", None), path="/contacts/{contactId}")
    with pytest.raises(RequestError, match="path parameter 'contactId' is empty"):
        build(ParamValue("contactId", "path", ""), path="/contacts/{contactId}")


def test_header_values_with_line_breaks_are_refused() -> None:
    with pytest.raises(RequestError, match="line break"):
        build(ParamValue("X-A", "header", "a\r\nInjected: 1"))
    with pytest.raises(RequestError, match="line break"):
        build(headers=(("X-B", "a\nb"),))
    with pytest.raises(RequestError, match="header name"):
        build(headers=(("Bad Name", "x"),))


def test_user_headers_override_generated_ones_case_insensitively() -> None:
    prepared = build_request(
        RequestInput(
            "POST",
            "http://127.0.0.1:1",
            "/x",
            params=(ParamValue("X-Trace", "header", "generated"),),
            headers=(
                ("content-type", "application/vnd.custom+json"),
                ("x-trace", "typed"),
                ("", ""),
            ),
            body=BodyInput("application/json", '{"a": 1}'),
            auth=AuthInput("bearer", token="tok"),
        )
    )
    assert prepared.headers == (
        ("Authorization", "Bearer tok"),
        ("content-type", "application/vnd.custom+json"),
        ("x-trace", "typed"),
    )


@pytest.mark.parametrize("media_type", ["application/json", "application/merge-patch+json"])
def test_json_body_is_sent_exactly_as_typed(media_type: str) -> None:
    text = '{\n  "name":   "Zoë",\n  "n": 1.50\n}'
    prepared = build(body=BodyInput(media_type, text))
    assert prepared.content == text.encode("utf-8")
    assert ("Content-Type", media_type) in prepared.headers


def test_text_body_keeps_its_media_type_and_empty_body_sends_nothing() -> None:
    prepared = build(body=BodyInput("application/xml", "<a>é</a>"))
    assert prepared.content == "<a>é</a>".encode()
    assert prepared.headers == (("Content-Type", "application/xml"),)
    empty = build(body=BodyInput("application/json", ""))
    assert empty.content is None
    assert empty.headers == ()


def test_urlencoded_body_from_fields() -> None:
    fields = (FormField("email", "a+b@example.com"), FormField("msg", "hi there & bye"))
    prepared = build(body=BodyInput("application/x-www-form-urlencoded", fields=fields))
    assert prepared.content == b"email=a%2Bb%40example.com&msg=hi+there+%26+bye"
    assert prepared.headers == (("Content-Type", "application/x-www-form-urlencoded"),)


def test_multipart_body_leaves_content_type_to_httpx() -> None:
    fields = (
        FormField("title", "Report"),
        FormField("file", file_path="/tmp/report.pdf", content_type="application/pdf"),
        FormField("note", "second"),
    )
    prepared = build(body=BodyInput("multipart/form-data", fields=fields))
    assert prepared.form == (("title", "Report"), ("note", "second"))
    assert prepared.files == (("file", "/tmp/report.pdf", "application/pdf"),)
    assert prepared.content is None
    assert prepared.headers == ()


def test_bearer_and_basic_auth_record_their_secrets() -> None:
    bearer = build(auth=AuthInput("bearer", token="ecos_live_abc", env_name="ECOSIRE_API_KEY"))
    assert bearer.headers == (("Authorization", "Bearer ecos_live_abc"),)
    assert bearer.secrets == (("ecos_live_abc", "ECOSIRE_API_KEY"),)

    basic = build(auth=AuthInput("basic", username="demo@ecosire.com", password="pä:ss"))
    token = base64.b64encode("demo@ecosire.com:pä:ss".encode()).decode()
    assert basic.headers == (("Authorization", f"Basic {token}"),)
    # The two halves, each with its variable: snippets write `-u "${USER}:${PASSWORD}"`.
    assert basic.secrets == (("pä:ss", "API_PASSWORD"), ("demo@ecosire.com", "API_USER"))
    assert basic.basic_auth == ("API_USER", "API_PASSWORD")
    assert bearer.basic_auth is None


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ("ECOSIRE_PASSWORD", ("ECOSIRE_USER", "ECOSIRE_PASSWORD")),
        ("ECOSIRE_API_KEY", ("ECOSIRE_USER", "ECOSIRE_PASSWORD")),
        ("GITHUB_TOKEN", ("GITHUB_USER", "GITHUB_PASSWORD")),
        ("API_TOKEN", ("API_USER", "API_PASSWORD")),
        ("PASSWORD", ("API_USER", "API_PASSWORD")),
        ("USER", ("API_USER", "API_PASSWORD")),  # never the shell's own $USER
        ("my-pass", ("MY_PASS_USER", "MY_PASS_PASSWORD")),
    ],
)
def test_basic_credentials_get_a_user_and_a_password_variable(
    env: str, names: tuple[str, str]
) -> None:
    assert basic_env_names(env) == names
    prepared = build(auth=AuthInput("basic", username="u", password="p", env_name=env))
    assert prepared.basic_auth == names
    assert "USER" not in {name for _, name in prepared.secrets}


def test_credentials_record_where_they_went() -> None:
    bearer = build(auth=AuthInput("bearer", token="t"))
    assert bearer.credential_headers == ("Authorization",)
    assert (bearer.credential_query, bearer.credential_cookies) == ((), ())

    header = build(auth=AuthInput("apikey", token="k", name="X-API-Key"))
    assert header.credential_headers == ("X-API-Key",)
    query = build(auth=AuthInput("apikey", token="k", name="api key", location="query"))
    assert query.credential_query == ("api key",)  # the name, not its encoding
    assert query.credential_headers == ()
    cookie = build(
        ParamValue("theme", "cookie", "dark"),
        auth=AuthInput("apikey", token="k", name="ecosire_auth", location="cookie"),
    )
    assert cookie.credential_cookies == ("ecosire_auth",)
    assert cookie.credential_headers == ()  # the Cookie header goes on any other origin

    # Nothing typed: nothing recorded.
    assert build(headers=(("X-Note", "n"),)).credential_headers == ()


def test_headers_marked_secret_are_credentials_and_snippet_variables() -> None:
    prepared = build(
        headers=(("X-Auth-Token", " tok-1 "), ("X-Note", "hello"), ("X-Empty", "")),
        secret_headers=("x-auth-token", "X-EMPTY", "X-Absent"),
    )
    assert prepared.credential_headers == ("X-Auth-Token", "X-Empty")
    assert prepared.secrets == (("tok-1", "X_AUTH_TOKEN"),)
    # A typed header that replaces the credential's keeps it a credential.
    replaced = build(
        headers=(("authorization", "Bearer typed"),),
        auth=AuthInput("bearer", token="t"),
    )
    assert replaced.headers == (("authorization", "Bearer typed"),)
    assert replaced.credential_headers == ("Authorization",)


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("Authorization", True),
        ("X-API-Key", True),
        ("apikey", True),
        ("X-Auth-Token", True),
        ("X-Session-Id", True),
        ("X-Hub-Signature-256", True),
        ("X-Client-Secret", True),
        ("Cookie", True),
        ("X-Password", True),
        ("Accept", False),
        ("Content-Type", False),
        ("X-Request-Id", False),
        ("If-None-Match", False),
        ("User-Agent", False),
    ],
)
def test_names_that_look_secret(name: str, secret: bool) -> None:
    assert name_looks_secret(name) is secret
    assert name_looks_secret(name.upper()) is secret


def test_api_key_in_header_query_and_cookie() -> None:
    header = build(auth=AuthInput("apikey", token="k1", name="X-API-Key"))
    assert header.headers == (("X-API-Key", "k1"),)

    query = build(
        ParamValue("page", "query", 2),
        auth=AuthInput("apikey", token="a b/c", name="api_key", location="query"),
    )
    assert query.url.endswith("?page=2&api_key=a%20b%2Fc")
    assert query.secrets == (("a b/c", "API_TOKEN"), ("a%20b%2Fc", "API_TOKEN"))

    cookie = build(
        ParamValue("theme", "cookie", "dark"),
        auth=AuthInput("apikey", token="k3", name="ecosire_auth", location="cookie"),
    )
    assert cookie.headers == (("Cookie", "theme=dark; ecosire_auth=k3"),)


def test_empty_credentials_attach_nothing_and_a_nameless_key_is_an_error() -> None:
    assert build(auth=AuthInput("bearer", token="")).headers == ()
    assert build(auth=AuthInput("basic")).headers == ()
    with pytest.raises(RequestError, match="no parameter name"):
        build(auth=AuthInput("apikey", token="k", name=" "))


def test_reserved_header_parameters_are_ignored_and_values_trimmed() -> None:
    prepared = build(
        ParamValue("Accept", "header", "text/html"),
        ParamValue("content-type", "header", "text/plain"),
        ParamValue("Authorization", "header", "Bearer x"),
        ParamValue("X-Kept", "header", "  spaced\t"),
        headers=(("X-Typed", " padded "),),
    )
    assert prepared.headers == (("X-Kept", "spaced"), ("X-Typed", "padded"))


def test_every_credential_of_an_and_requirement_and_the_jars_cookies() -> None:
    inp = RequestInput(
        "GET",
        "https://api.example.com",
        "/x",
        params=(ParamValue("theme", "cookie", "dark"),),
        credentials=(
            AuthInput("apikey", token="k-1", name="X-API-Key", env_name="ACME_API_KEY"),
            AuthInput(
                "apikey", token="c-1", name="client_id", location="query", env_name="ACME_CLIENT"
            ),
        ),
        cookies=(("ecosire_auth", "jwt.a.b"), ("theme", "light")),
    )
    prepared = build_request(inp)
    assert ("X-API-Key", "k-1") in prepared.headers
    assert "client_id=c-1" in prepared.url
    cookie = dict(prepared.headers)["Cookie"]
    assert "ecosire_auth=jwt.a.b" in cookie and "theme=dark" in cookie
    assert "theme=light" not in cookie  # the request's own cookie parameter wins
    assert set(prepared.credential_cookies) == {"ecosire_auth"}
    assert {"X-API-Key"} <= set(prepared.credential_headers)
    assert prepared.credential_query == ("client_id",)
    assert ("jwt.a.b", "COOKIE_ECOSIRE_AUTH") in prepared.secrets
