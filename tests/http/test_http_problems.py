"""parse_problem and parse_rate_limit: the shapes APIs use, and no exception on anything."""

from __future__ import annotations

import json
from email.utils import formatdate
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.http import (
    FieldError,
    PreparedRequest,
    Problem,
    RateLimit,
    ResponseResult,
    parse_problem,
    parse_rate_limit,
)
from explorer.http.problems import field_to_pointer

NOW = 1_750_000_000.0


def response(
    status: int = 422,
    body: Any = b"",
    content_type: str | None = "application/json",
    headers: tuple[tuple[str, str], ...] = (),
    reason: str = "Unprocessable Entity",
) -> ResponseResult:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    all_headers = ((("Content-Type", content_type),) if content_type else ()) + headers
    return ResponseResult(
        request=PreparedRequest("GET", "http://127.0.0.1:1/x"),
        status=status,
        reason=reason,
        http_version="HTTP/1.1",
        url="http://127.0.0.1:1/x",
        headers=all_headers,
        body=raw,
    )


def test_ecosire_validation_error() -> None:
    body = {
        "statusCode": 422,
        "error": "Unprocessable Entity",
        "message": "Validation failed",
        "details": [
            {"field": "email", "message": "Invalid email address"},
            {"field": "password", "message": "Must be at least 8 characters"},
        ],
    }
    assert parse_problem(response(body=body)) == Problem(
        status=422,
        title="Unprocessable Entity",
        detail="Validation failed",
        errors=(
            FieldError("email", "Invalid email address", "/email"),
            FieldError("password", "Must be at least 8 characters", "/password"),
        ),
    )


def test_rfc7807_problem_with_extensions_and_invalid_params() -> None:
    body = {
        "type": "https://example.net/validation-error",
        "title": "Your request parameters didn't validate.",
        "status": 400,
        "instance": "/orders/12",
        "balance": 30,
        "invalid-params": [
            {"name": "age", "reason": "must be a positive integer"},
            {"name": "color", "reason": "must be 'green', 'red' or 'blue'"},
        ],
    }
    problem = parse_problem(
        response(400, body, "application/problem+json; charset=utf-8", reason="Bad Request")
    )
    assert problem is not None
    assert problem.status == 400
    assert problem.type == "https://example.net/validation-error"
    assert problem.title == "Your request parameters didn't validate."
    assert problem.detail == ""
    assert problem.instance == "/orders/12"
    assert problem.extra == {"balance": 30}
    assert problem.errors == (
        FieldError("age", "must be a positive integer", "/age"),
        FieldError("color", "must be 'green', 'red' or 'blue'", "/color"),
    )


def test_problem_json_counts_even_on_success_status() -> None:
    problem = parse_problem(response(200, {"title": "Partial"}, "application/problem+json"))
    assert problem is not None and problem.title == "Partial" and problem.status == 200


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        (
            [{"path": "address.city", "detail": "required"}],
            [FieldError("address.city", "required", "/address/city")],
        ),
        (
            [{"pointer": "/items/0/qty", "msg": "too small"}],
            [FieldError("/items/0/qty", "too small", "/items/0/qty")],
        ),
        (
            [{"source": {"pointer": "/data/attributes/email"}, "title": "Invalid"}],
            [FieldError("/data/attributes/email", "Invalid", "/data/attributes/email")],
        ),
        (
            {"Email": ["The Email field is required.", "Too short."]},
            [
                FieldError("Email", "The Email field is required.", "/Email"),
                FieldError("Email", "Too short.", "/Email"),
            ],
        ),
        (
            [{"message": "Something is off"}],
            [FieldError("", "Something is off", "")],
        ),
    ],
)
def test_common_field_error_variants(errors: Any, expected: list[FieldError]) -> None:
    problem = parse_problem(response(400, {"message": "Bad input", "errors": errors}))
    assert problem is not None
    assert problem.detail == "Bad input"
    assert list(problem.errors) == expected


def test_fastapi_and_nestjs_shapes() -> None:
    fastapi = {"detail": [{"loc": ["body", "items", 0, "qty"], "msg": "must be > 0"}]}
    problem = parse_problem(response(422, fastapi))
    assert problem is not None
    assert problem.errors == (FieldError("items.0.qty", "must be > 0", "/items/0/qty"),)
    assert problem.title == "Unprocessable Entity"  # from the status line

    nest = {"statusCode": 400, "message": ["email must be an email"], "error": "Bad Request"}
    problem = parse_problem(response(400, nest))
    assert problem is not None
    assert (problem.status, problem.title, problem.detail) == (
        400,
        "Bad Request",
        "email must be an email",
    )


def test_google_style_error_object() -> None:
    body = {"error": {"code": 403, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}}
    problem = parse_problem(response(403, body))
    assert problem is not None
    assert (problem.status, problem.title, problem.detail) == (
        403,
        "RESOURCE_EXHAUSTED",
        "Quota exceeded",
    )


@pytest.mark.parametrize(
    "result",
    [
        response(200, {"message": "ok"}),  # success
        response(404, b"<html>Not Found</html>", "text/html"),  # not JSON
        response(500, b"[1, 2]"),  # not an object
        response(500, {"id": 3, "name": "x"}),  # nothing problem-like
        response(500, b"{not json"),
        response(500, b""),
        response(500, b"\xff\xfe\x00garbage"),
        response(500, b"[" * 100_000 + b"]" * 100_000),
    ],
)
def test_not_a_problem(result: ResponseResult) -> None:
    assert parse_problem(result) is None


def test_json_error_without_content_type_is_still_read() -> None:
    problem = parse_problem(response(400, {"message": "nope"}, None))
    assert problem is not None and problem.detail == "nope"


@pytest.mark.parametrize(
    ("field", "pointer"),
    [
        ("email", "/email"),
        ("address.city", "/address/city"),
        ("items[0].qty", "/items/0/qty"),
        ("items[0][name]", "/items/0/name"),
        ("/email", "/email"),
        ("#/a/b", "/a/b"),
        ("$.a.b", "/a/b"),
        ('map["a.b"]', "/map/a.b"),
        ("a/b.c~d", "/a~1b/c~0d"),
        ("", ""),
    ],
)
def test_field_names_become_json_pointers(field: str, pointer: str) -> None:
    assert field_to_pointer(field) == pointer


# --- rate limits ---------------------------------------------------------------------


def limited(*headers: tuple[str, str], status: int = 200) -> ResponseResult:
    return response(status, {"ok": True}, headers=headers)


def test_rate_limit_headers_with_unix_reset() -> None:
    result = limited(
        ("X-RateLimit-Limit", "100"),
        ("X-RateLimit-Remaining", "42"),
        ("X-RateLimit-Reset", "1750000060"),
    )
    assert parse_rate_limit(result, NOW) == RateLimit(100, 42, 1_750_000_060.0)


@pytest.mark.parametrize(
    ("reset", "expected"),
    [
        ("30", NOW + 30),  # seconds from now
        ("1750000060", 1_750_000_060.0),  # Unix time
        ("1750000060000", 1_750_000_060.0),  # Unix time in milliseconds
        ("Sun, 15 Jun 2025 15:07:40 GMT", 1_750_000_060.0),  # an HTTP date
    ],
)
def test_reset_forms(reset: str, expected: float) -> None:
    rate = parse_rate_limit(limited(("x-ratelimit-reset", reset)), NOW)
    assert rate is not None and rate.reset_at == pytest.approx(expected)


def test_retry_after_seconds_and_date_on_429() -> None:
    rate = parse_rate_limit(
        limited(("Retry-After", "17"), ("X-RateLimit-Remaining", "0"), status=429), NOW
    )
    assert rate == RateLimit(remaining=0, retry_after=17.0, retry_at=NOW + 17)

    date = formatdate(NOW + 90, usegmt=True)
    rate = parse_rate_limit(limited(("Retry-After", date), status=429), NOW)
    assert rate is not None
    assert rate.retry_at == pytest.approx(NOW + 90)
    assert rate.retry_after == pytest.approx(90)


def test_ietf_draft_headers_and_list_values() -> None:
    rate = parse_rate_limit(
        limited(
            ("RateLimit-Limit", "100, 100;w=60"),
            ("RateLimit-Remaining", "99"),
            ("RateLimit-Reset", "12"),
        ),
        NOW,
    )
    assert rate == RateLimit(100, 99, NOW + 12)


def test_hostile_values_are_ignored() -> None:
    result = limited(
        ("X-RateLimit-Limit", "-5"),
        ("X-RateLimit-Remaining", "9" * 5000),
        ("X-RateLimit-Reset", "soon"),
        ("Retry-After", "\udcff\x00NaN"),
    )
    assert parse_rate_limit(result, NOW) is None
    assert parse_rate_limit(limited(("Retry-After", "-3")), NOW) is None
    assert parse_rate_limit(limited(("Retry-After", "inf")), NOW) is None


def test_no_rate_limit_headers() -> None:
    assert parse_rate_limit(limited(("Content-Length", "3")), NOW) is None


# --- never raise ---------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.sampled_from(["email", "a.b[0]", "/x", "#/y", "$.z", "[", "]]", "~/"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "status",
                    "statusCode",
                    "title",
                    "detail",
                    "message",
                    "error",
                    "errors",
                    "details",
                    "invalid-params",
                    "field",
                    "path",
                    "pointer",
                    "name",
                    "loc",
                    "source",
                    "msg",
                    "reason",
                    "code",
                    "type",
                    "instance",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)
header_text = st.text(max_size=40) | st.sampled_from(
    ["0", "-1", "1e309", "99999999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT", " 5 "]
)
header_names = st.sampled_from(
    [
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "RateLimit-Limit",
        "RateLimit-Reset",
        "Retry-After",
        "Content-Type",
        "x-ratelimit-reset",
    ]
)


@settings(max_examples=200, deadline=None, database=None)
@given(
    body=json_values,
    status=st.integers(min_value=100, max_value=599),
    content_type=st.sampled_from(
        ["application/json", "application/problem+json", "text/plain", "", "application/x+json"]
    ),
)
def test_parse_problem_never_raises_on_json(body: Any, status: int, content_type: str) -> None:
    raw = json.dumps(body, allow_nan=True).encode()
    problem = parse_problem(response(status, raw, content_type or None))
    if problem is not None:
        assert isinstance(problem.title, str) and isinstance(problem.detail, str)
        assert all(isinstance(e.pointer, str) for e in problem.errors)
        assert all(e.pointer == "" or e.pointer.startswith("/") for e in problem.errors)


@settings(max_examples=300, deadline=None, database=None)
@given(body=st.binary(max_size=200), status=st.integers(min_value=100, max_value=599))
def test_parse_problem_never_raises_on_bytes(body: bytes, status: int) -> None:
    parse_problem(response(status, body))


@settings(max_examples=200, deadline=None, database=None)
@given(
    headers=st.lists(st.tuples(header_names, header_text), max_size=8),
    received_at=st.floats(min_value=0, max_value=4e9),
)
def test_parse_rate_limit_never_raises(headers: list[tuple[str, str]], received_at: float) -> None:
    rate = parse_rate_limit(limited(*headers), received_at)
    if rate is not None:
        for number in (rate.limit, rate.remaining, rate.retry_after):
            assert number is None or number >= 0
