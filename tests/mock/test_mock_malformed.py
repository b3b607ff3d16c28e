"""Whatever a client sends, a parse error is a 4xx problem document, never a 500.

Integers past Python's int-string limit (4,300 digits) in every place a value is read,
NaN and Infinity, numbers beyond a double, JSON nested too deep or holding too many
values, invalid UTF-8, broken percent-encoding, hostile `Prefer` values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from explorer.mock import MockServer
from explorer.mock._validate import MAX_DEPTH, MAX_VALUES, parse_json

HUGE = "9" * 5000  # past sys.get_int_max_str_digits() (4,300)
JSON = {"content-type": "application/json"}


@pytest.fixture
def server(hostile_server: MockServer) -> MockServer:
    return hostile_server


@pytest.fixture
def client(server: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.api_url, timeout=30) as c:
        yield c


def problem_of(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"] == "application/problem+json"
    doc = r.json()
    assert doc["status"] == status
    return dict(doc)


def detail(doc: dict[str, Any], field: str) -> str:
    found = [d["message"] for d in doc.get("details", []) if d["field"] == field]
    assert found, doc
    return str(found[0])


@pytest.mark.parametrize(
    ("where", "request_args"),
    [
        ("n", {"url": f"/numbers/{HUGE}"}),
        ("q", {"url": "/numbers/1", "params": {"q": HUGE}}),
        ("X-Count", {"url": "/numbers/1", "headers": {"X-Count": HUGE}}),
        ("count", {"url": "/numbers/1", "headers": {"Cookie": f"count={HUGE}"}}),
        ("filter", {"url": "/numbers/1", "params": {"filter[n]": HUGE}}),
    ],
)
def test_a_huge_integer_parameter_is_a_field_error(
    client: httpx.Client, where: str, request_args: dict[str, Any]
) -> None:
    doc = problem_of(client.get(**request_args), 422)
    message = detail(doc, where)
    assert "5,000 digits" in message
    assert "4,300" in message


def test_huge_integers_inside_json_are_a_400(client: httpx.Client) -> None:
    for body in (f'{{"n": {HUGE}}}', f'{{"n": -{HUGE}}}', f"[{HUGE}]"):
        doc = problem_of(client.post("/things", content=body, headers=JSON), 400)
        assert doc["message"].startswith("Malformed JSON in request body: an integer of 5,0")
    # a JSON parameter (content: application/json) and an object read from JSON text
    r = client.get("/numbers/1", params={"doc": f'{{"a": {HUGE}}}'})
    problem_of(r, 422)  # not an object: the text stays a string


def test_a_huge_number_is_out_of_range(client: httpx.Client) -> None:
    r = client.get("/numbers/1", params={"x": "9" * 400})
    assert "range of a double" in detail(problem_of(r, 422), "x")
    doc = problem_of(client.post("/things", content='{"n": 1e999}', headers=JSON), 400)
    assert "range of a double" in doc["message"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(client: httpx.Client, constant: str) -> None:
    doc = problem_of(client.post("/things", content=f'{{"n": {constant}}}', headers=JSON), 400)
    assert doc["message"] == f"Malformed JSON in request body: {constant} is not a JSON value"


def test_deep_nesting_is_refused(client: httpx.Client) -> None:
    for depth in (MAX_DEPTH + 1, 500, 100_000):
        body = '{"tags": ' + "[" * depth + "]" * depth + "}"
        doc = problem_of(client.post("/things", content=body, headers=JSON), 400)
        assert f"nested deeper than {MAX_DEPTH} levels" in doc["message"]
    fine = '{"tags": [{"a": ' + "[" * 50 + "]" * 50 + "}]}"
    assert client.post("/things", content=fine, headers=JSON).status_code == 201


def test_too_many_values_are_refused() -> None:
    with pytest.raises(ValueError, match="more than 1,000,000 values"):
        parse_json("[" + "0," * MAX_VALUES + "0]")
    assert parse_json("[" + "0," * 1000 + "0]") == [0] * 1001


def test_invalid_utf8_and_bad_json(client: httpx.Client) -> None:
    doc = problem_of(client.post("/things", content=b'{"name": "\xff"}', headers=JSON), 400)
    assert doc["message"] == "The request body is not valid UTF-8 (byte 10)"
    doc = problem_of(client.post("/things", content=b'{"n": 1,}', headers=JSON), 400)
    assert "line 1, column 9" in doc["message"]


def test_form_and_multipart_bodies(client: httpx.Client) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    doc = problem_of(client.post("/things", content=f"n={HUGE}", headers=form), 400)
    assert doc["message"].startswith("Unreadable form field 'n': an integer of 5,000 digits")
    doc = problem_of(client.post("/things", content="a=1&" * 20_000, headers=form), 400)
    assert "more than 10,000 fields" in doc["message"]
    multipart = {"content-type": "multipart/form-data; boundary=b"}
    body = f'--b\r\nContent-Disposition: form-data; name="n"\r\n\r\n{HUGE}\r\n--b--\r\n'
    doc = problem_of(client.post("/things", content=body, headers=multipart), 400)
    assert "5,000 digits" in doc["message"]
    doc = problem_of(client.post("/things", content="junk", headers=multipart), 400)
    assert doc["message"].startswith("Malformed multipart body")
    many = "".join(
        f"\r\n--b\r\nContent-Disposition: form-data; name=f{i}\r\n\r\nx" for i in range(10_001)
    )
    doc = problem_of(client.post("/things", content=many + "\r\n--b--", headers=multipart), 400)
    assert "more than 10,000 parts" in doc["message"]


def test_broken_percent_encoding(client: httpx.Client) -> None:
    r = client.get("/numbers/%ff%fe%zz")
    assert "not of type 'integer'" in detail(problem_of(r, 422), "n")
    r = client.get("/numbers/1?q=%ff%zz&x=%")
    assert "not of type 'integer'" in detail(problem_of(r, 422), "q")
    assert client.get("/health?%%%=%%%&&&=").status_code == 200


@pytest.mark.parametrize("code", ["\xb2\xb9\xb3", HUGE, "99", "600", "2xx", "-200", "1e2"])
def test_hostile_prefer_codes(client: httpx.Client, code: str) -> None:
    # "²¹³" (sent as Latin-1, as a server reads header bytes) passes str.isdigit()
    r = client.get("/health", headers={"Prefer": f"code={code}".encode("latin-1")})
    doc = problem_of(r, 400)
    assert doc["message"].endswith("is not an HTTP status code")
    assert len(doc["message"]) < 100


def test_hostile_prefer_example_name(client: httpx.Client) -> None:
    r = client.get("/health", headers={"Prefer": "example=" + "x" * 5000})
    doc = problem_of(r, 400)
    assert len(doc["message"]) < 300
