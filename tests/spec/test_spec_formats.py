"""One validator: a form field (`explorer.spec.values.check_value`) and `spec.validate` (the
body check, the response check, the mock) read `format` (and bounds, lengths, patterns)
the same way, so they never disagree on a value."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import spec
from explorer.spec.formats import _JSONSCHEMA_FORMATS, FORMAT_RULES, format_error
from explorer.spec.values import check_text, check_value

VERSIONS = ["3.0.3", "3.1.0"]


def form_says_ok(value: Any, schema: dict[str, Any]) -> bool:
    return check_value(value, schema) is None


def body_says_ok(value: Any, schema: dict[str, Any], version: str) -> bool:
    return spec.validate(value, schema, openapi_version=version) == []


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("fmt", "value", "message"),
    [
        ("email", "a@b", "not an email address"),
        ("uri", "https://example.com/a b", "not an absolute URI"),
        ("uuid", "{3fa85f64-5717-4562-b3fc-2c963f66afa6}", "not a UUID"),
        ("uuid", "3fa85f6457174562b3fc2c963f66afa6", "not a UUID"),
        ("date-time", "2024-01-15T09:30:00", "not a date-time"),
        ("time", "09:30:00", "not a time"),
        ("hostname", "-bad-.example.com", "not a host name"),
    ],
)
def test_the_values_of_the_issue_are_refused_by_both(
    fmt: str, value: str, message: str, version: str
) -> None:
    schema = {"type": "string", "format": fmt}
    assert message in (check_text(value, schema) or "")
    issues = spec.validate(value, schema, openapi_version=version)
    assert [(i.pointer, i.keyword) for i in issues] == [("", "format")]
    # and inside a body, where the mock and the body editor meet it
    body = {"type": "object", "properties": {"v": schema}}
    assert [i.pointer for i in spec.validate({"v": value}, body, openapi_version=version)] == ["/v"]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("fmt", "value"),
    [
        ("email", "a@b.co"),
        ("uri", "https://example.com/a%20b?q=1"),
        ("uri", "urn:isbn:0451450523"),
        ("uuid", "3FA85F64-5717-4562-B3FC-2C963F66AFA6"),
        ("date", "2024-02-29"),
        ("date-time", "2024-01-15T09:30:00.5+02:00"),
        ("time", "09:30:00Z"),
        ("hostname", "api.example.com"),
    ],
)
def test_good_values_pass_both(fmt: str, value: str, version: str) -> None:
    schema = {"type": "string", "format": fmt}
    assert check_text(value, schema) is None
    assert spec.validate(value, schema, openapi_version=version) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_integer_formats_are_ranges_for_both(version: str) -> None:
    schema = {"type": "integer", "format": "int32"}
    assert check_text(str(2**31), schema) == "must be at most 2147483647 (int32)"
    assert check_text(str(-(2**31)), schema) is None
    assert not body_says_ok(2**31, schema, version)
    assert body_says_ok(2**31 - 1, schema, version)
    assert not body_says_ok(2**63, {"type": "integer", "format": "int64"}, version)


def test_formats_of_jsonschema_are_read_by_the_form_too() -> None:
    schema = {"type": "string", "format": "ipv4"}
    assert check_text("300.1.1.1", schema) == "not a valid ipv4"
    assert not body_says_ok("300.1.1.1", schema, "3.0.3")
    assert check_text("10.1.1.1", schema) is None
    assert format_error("secret", "password") is None  # nothing checks it


def test_every_format_jsonschema_checks_is_known_here() -> None:
    """A format jsonschema checks that this module does not know would be checked by the
    body and skipped by the form (format_error does not ask jsonschema about it)."""
    assert set(jsonschema.FormatChecker.checkers) <= FORMAT_RULES | _JSONSCHEMA_FORMATS


_CHARS = "a@b.c -{}:/0123456789efTZ+~\t"
_SAMPLES = [
    "a@b",
    "a@b.co",
    "https://x.io/p q",
    "https://x.io/",
    "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "{3fa85f64-5717-4562-b3fc-2c963f66afa6}",
    "2024-01-15",
    "2024-01-15T09:30:00Z",
    "2024-01-15 09:30:00+01:00",
    "09:30:00Z",
    "example.com",
]


@settings(max_examples=300, deadline=None)
@given(
    fmt=st.sampled_from([*sorted(FORMAT_RULES - {"int32", "int64"}), "ipv4", "ipv6"]),
    value=st.sampled_from(_SAMPLES) | st.text(alphabet=_CHARS, min_size=1, max_size=40),
    version=st.sampled_from(VERSIONS),
)
def test_form_and_body_agree_on_every_string(fmt: str, value: str, version: str) -> None:
    schema = {"type": "string", "format": fmt}
    assert form_says_ok(value, schema) == body_says_ok(value, schema, version)


_BOUNDS = st.none() | st.integers(-50, 50)


@settings(max_examples=300, deadline=None)
@given(
    value=st.integers(-60, 60),
    low=_BOUNDS,
    high=_BOUNDS,
    exclusive=st.sampled_from([None, "flag", "number"]),
    step=st.none() | st.integers(1, 7),
    version=st.sampled_from(VERSIONS),
)
def test_form_and_body_agree_on_integer_bounds(
    value: int,
    low: int | None,
    high: int | None,
    exclusive: str | None,
    step: int | None,
    version: str,
) -> None:
    schema: dict[str, Any] = {"type": "integer"}
    if low is not None:
        schema["minimum"] = low
    if high is not None:
        schema["maximum"] = high
    if exclusive == "flag" and low is not None:
        schema["exclusiveMinimum"] = True  # the 3.0 way; 3.1 documents use it too
    if exclusive == "number" and high is not None:
        schema["exclusiveMaximum"] = high  # the 3.1 way; 3.0 documents use it too
    if step is not None:
        schema["multipleOf"] = step
    assert form_says_ok(value, schema) == body_says_ok(value, schema, version)


@settings(max_examples=200, deadline=None)
@given(
    value=st.text(alphabet="ab1-", max_size=8),
    low=st.none() | st.integers(0, 6),
    high=st.none() | st.integers(0, 6),
    pattern=st.sampled_from([None, "^[a-z]+$", "[0-9]", "^a", "b$"]),
    version=st.sampled_from(VERSIONS),
)
def test_form_and_body_agree_on_lengths_and_patterns(
    value: str, low: int | None, high: int | None, pattern: str | None, version: str
) -> None:
    schema: dict[str, Any] = {"type": "string"}
    if low is not None:
        schema["minLength"] = low
    if high is not None:
        schema["maxLength"] = high
    if pattern is not None:
        schema["pattern"] = pattern
    assert form_says_ok(value, schema) == body_says_ok(value, schema, version)
