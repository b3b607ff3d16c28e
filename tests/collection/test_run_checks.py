"""Each kind of check `explorer run` makes, passing and failing, on responses as the sender
returns them; and the spec's response schema through the one validator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from explorer import spec
from explorer.collection.checks import (
    check_response,
    check_schema,
    check_status_ok,
    describe,
    same_json,
)
from explorer.collection.model import Check
from explorer.http.model import PreparedRequest, ResponseResult, Timing

BODY = {
    "id": "c_1",
    "email": "ada@example.com",
    "age": 36,
    "score": 1.0,
    "active": True,
    "tags": ["vip", "beta", 7],
    "address": {"city": "London", "a/b": "slash"},
    "none": None,
}


def response(
    status: int = 200,
    body: Any = BODY,
    *,
    content_type: str = "application/json",
    headers: tuple[tuple[str, str], ...] = (),
    seconds: float = 0.05,
) -> ResponseResult:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    all_headers = (("Content-Type", content_type), *headers) if content_type else headers
    return ResponseResult(
        request=PreparedRequest("GET", "http://127.0.0.1:1/x"),
        status=status,
        reason="",
        http_version="HTTP/1.1",
        url="http://127.0.0.1:1/x",
        headers=all_headers,
        body=raw,
        timing=Timing(total=seconds),
    )


def outcome(check: Check, result: ResponseResult | None = None) -> tuple[bool, str]:
    got = check_response(check, result or response())
    return got.ok, got.why


# -- status ---------------------------------------------------------------------------


def test_status_equals() -> None:
    assert outcome(Check("status", value=200)) == (True, "")
    ok, why = outcome(Check("status", value=201))
    assert not ok and why == "expected status 201, got 200"


def test_a_wrong_status_says_what_the_servers_problem_says() -> None:
    problem = {
        "statusCode": 422,
        "error": "Unprocessable Entity",
        "message": "Validation failed",
        "details": [{"field": "email", "message": "Invalid email address"}],
    }
    ok, why = outcome(Check("status", value=201), response(422, problem))
    assert not ok
    assert why == "expected status 201, got 422 (Validation failed: email: Invalid email address)"


def test_without_a_status_check_an_error_status_fails_and_says_how_to_expect_it() -> None:
    assert check_status_ok(response(204, b"")).ok
    assert check_status_ok(response(302, b"")).ok
    failed = check_status_ok(
        response(404, {"title": "Not found"}, content_type="application/problem+json")
    )
    assert not failed.ok
    assert failed.why == "got 404 (Not found); add the check `status: 404` to expect it"


# -- JSON pointers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("/id", "c_1"),
        ("/age", 36),
        ("/age", 36.0),  # JSON has one kind of number
        ("/score", 1),
        ("/active", True),
        ("/tags", ["vip", "beta", 7]),
        ("/address", {"a/b": "slash", "city": "London"}),
        ("/address/a~1b", "slash"),
        ("/tags/2", 7),
        ("/none", None),
    ],
)
def test_json_equals_passes(pointer: str, value: Any) -> None:
    assert outcome(Check("json", pointer, "equals", value)) == (True, "")


@pytest.mark.parametrize(
    ("pointer", "value", "why"),
    [
        ("/id", "c_2", 'expected /id to equal "c_2", got "c_1"'),
        ("/age", "36", 'expected /age to equal "36", got 36'),
        ("/active", 1, "expected /active to equal 1, got true"),
        ("/score", True, "expected /score to equal true, got 1.0"),
        ("/tags", ["vip"], 'expected /tags to equal ["vip"], got ["vip","beta",7]'),
        ("/missing", 1, "nothing at /missing"),
        ("/tags/9", "x", "nothing at /tags/9"),
    ],
)
def test_json_equals_fails_with_what_was_there(pointer: str, value: Any, why: str) -> None:
    assert outcome(Check("json", pointer, "equals", value)) == (False, why)


def test_json_exists_and_absent() -> None:
    assert outcome(Check("json", "/id", "exists", True)) == (True, "")
    assert outcome(Check("json", "/none", "exists", True)) == (True, "")  # null is there
    assert outcome(Check("json", "/nope", "exists", True)) == (False, "nothing at /nope")
    assert outcome(Check("json", "/nope", "exists", False)) == (True, "")
    assert outcome(Check("json", "/id", "exists", False)) == (False, '/id is there: "c_1"')
    assert outcome(Check("json", "", "exists", True)) == (True, "")  # the whole body


def test_json_contains() -> None:
    assert outcome(Check("json", "/email", "contains", "@example."))[0]
    assert outcome(Check("json", "/tags", "contains", "beta"))[0]
    assert outcome(Check("json", "/tags", "contains", "7"))[0]  # an item whose JSON is it
    assert outcome(Check("json", "/address", "contains", "city"))[0]  # a member
    assert outcome(Check("json", "/age", "contains", "3"))[0]
    ok, why = outcome(Check("json", "/tags", "contains", "alpha"))
    assert not ok and why == '/tags does not contain "alpha": ["vip","beta",7]'
    assert not outcome(Check("json", "/tags", "contains", "vi"))[0]  # items, not parts of them
    assert not outcome(Check("json", "/address", "contains", "London"))[0]  # names, not values
    assert outcome(Check("json", "/nope", "contains", "x")) == (False, "nothing at /nope")


def test_json_matches() -> None:
    assert outcome(Check("json", "/id", "matches", r"^c_\d+$"))[0]
    assert outcome(Check("json", "/age", "matches", r"^3\d$"))[0]
    ok, why = outcome(Check("json", "/id", "matches", r"^u_"))
    assert not ok and why == '/id does not match "^u_": "c_1"'
    ok, why = outcome(Check("json", "/id", "matches", "(unclosed"))
    assert not ok and why == '"(unclosed" is not a regular expression'


def test_a_pattern_that_backtracks_forever_is_undecided_not_a_hang() -> None:
    body = {"text": "a" * 40 + "!"}
    ok, why = outcome(Check("json", "/text", "matches", r"^(a|aa)+$"), response(body=body))
    assert not ok and "undecided" in why


def test_a_json_check_on_a_body_that_is_not_json_fails() -> None:
    html = response(body=b"<html>oops</html>", content_type="text/html")
    assert outcome(Check("json", "/id", "exists", True), html) == (False, "the body is not JSON")


# -- headers ----------------------------------------------------------------------------


HEADERS = (("X-Request-Id", "req-42"), ("Cache-Control", "no-store"), ("Vary", "Accept"))


def test_header_checks() -> None:
    r = response(headers=HEADERS)
    assert outcome(Check("header", "content-type", "contains", "json"), r)[0]  # any case
    assert outcome(Check("header", "X-Request-Id", "equals", "req-42"), r)[0]
    assert outcome(Check("header", "X-Request-Id", "matches", r"^req-\d+$"), r)[0]
    assert outcome(Check("header", "X-Request-Id", "exists", True), r)[0]
    assert outcome(Check("header", "Set-Cookie", "exists", False), r)[0]
    assert outcome(Check("header", "X-Request-Id", "equals", "req-4"), r) == (
        False,
        'expected X-Request-Id: "req-4", got "req-42"',
    )
    assert outcome(Check("header", "Cache-Control", "contains", "private"), r) == (
        False,
        'Cache-Control does not contain "private": "no-store"',
    )
    assert outcome(Check("header", "ETag", "equals", "x"), r) == (False, "no ETag header")
    assert outcome(Check("header", "ETag", "exists", True), r) == (False, "no ETag header")
    assert outcome(Check("header", "Vary", "exists", False), r) == (
        False,
        'the Vary header is there: "Accept"',
    )
    assert not outcome(Check("header", "Vary", "matches", "^Origin$"), r)[0]


def test_a_header_repeated_passes_when_one_of_its_values_does() -> None:
    r = response(headers=(("Link", "<a>; rel=prev"), ("Link", "<b>; rel=next")))
    assert outcome(Check("header", "Link", "contains", "rel=next"), r)[0]


# -- time -------------------------------------------------------------------------------


def test_time_under() -> None:
    assert outcome(Check("time", op="under", value=500), response(seconds=0.2)) == (True, "")
    assert outcome(Check("time", op="under", value=100), response(seconds=0.25)) == (
        False,
        "took 250 ms, expected under 100 ms",
    )


def test_descriptions_read_as_sentences() -> None:
    assert describe(Check("status", value=201)) == "status is 201"
    assert describe(Check("json", "/id", "exists", True)) == "/id exists"
    assert describe(Check("json", "/id", "exists", False)) == "/id is absent"
    assert describe(Check("json", "", "equals", {"a": 1})) == 'the body equals {"a":1}'
    assert describe(Check("header", "ETag", "matches", "^W/")) == 'header ETag matches "^W/"'
    assert describe(Check("time", op="under", value=250.5)) == "time under 250.5 ms"


def test_json_equality_keeps_types_apart() -> None:
    assert same_json({"a": [1, 2.0]}, {"a": [1.0, 2]})
    assert not same_json(True, 1) and not same_json(0, False) and not same_json("1", 1)
    assert not same_json(None, False) and not same_json([], {})


# -- the spec's schema ------------------------------------------------------------------

SPEC = """
openapi: 3.0.3
info: {title: Checks, version: "1"}
paths:
  /things:
    post:
      responses:
        "201":
          description: made
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties:
                  id: {type: string}
                  name: {type: string}
        "204": {description: nothing}
        4XX:
          description: a problem
          content:
            application/problem+json:
              schema: {type: object, required: [title]}
"""


@pytest.fixture(scope="module")
def things_op(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("spec") / "things.yaml"
    path.write_text(SPEC)
    op = spec.load(path, cache_dir=None).find("POST /things")
    assert op is not None
    return op


def test_a_body_that_matches_its_schema_passes(things_op: Any) -> None:
    got = check_schema(things_op, response(201, {"id": "t1", "name": "x"}), "3.0.3")
    assert got.ok and got.what == "body matches the spec's schema for 201"


def test_a_body_that_does_not_match_says_where(things_op: Any) -> None:
    got = check_schema(things_op, response(201, {"id": 5}), "3.0.3")
    assert not got.ok
    assert "/id: 5 is not of type 'string'" in got.why
    assert "'name' is a required property" in got.why


def test_an_undocumented_status_fails_and_names_the_documented_ones(things_op: Any) -> None:
    got = check_schema(things_op, response(500, {"oops": 1}), "3.0.3")
    assert not got.ok
    assert got.why == "status 500 is not documented for POST /things (it documents 201, 204, 4XX)"


def test_a_range_status_is_documented_and_checked(things_op: Any) -> None:
    problem = response(404, {"title": "no"}, content_type="application/problem+json")
    assert check_schema(things_op, problem, "3.0.3").ok
    bad = response(404, {"detail": "no"}, content_type="application/problem+json")
    got = check_schema(things_op, bad, "3.0.3")
    assert not got.ok and "'title' is a required property" in got.why


def test_a_body_of_an_undeclared_media_type_fails(things_op: Any) -> None:
    got = check_schema(things_op, response(201, b"<p>made</p>", content_type="text/html"), "3.0.3")
    assert not got.ok
    assert got.why == "the body came as text/html; the spec declares application/json"


def test_a_status_without_content_passes_with_an_empty_body(things_op: Any) -> None:
    assert check_schema(things_op, response(204, b"", content_type=""), "3.0.3").ok
