"""explorer.http.media: one "is this JSON" for every media type, body kinds, media matching,
the starting text of a body and the schema a response should match."""

from __future__ import annotations

import json

import pytest

from explorer import spec
from explorer.http.media import (
    initial_text,
    is_json_media_type,
    match_media,
    media_kind,
    response_schema,
)
from explorer.http.model import PreparedRequest, ResponseResult
from explorer.http.problems import parse_problem
from explorer.spec.model import Example, MediaType

JSON = [
    "application/json",
    "Application/JSON; charset=utf-8",
    "text/json",
    "application/problem+json",
    "application/vnd.api+json",
    "application/merge-patch+json ; q=1",
]
NOT_JSON = [
    "",
    "text/plain",
    "application/x-ndjson",
    "application/jsonl",
    "application/json-seq",
    "application/javascript",
    "text/html; note=json",
    "application/xml",
]


@pytest.mark.parametrize("media_type", JSON)
def test_json_media_types(media_type: str) -> None:
    assert is_json_media_type(media_type)
    assert media_kind(media_type) == "json"


@pytest.mark.parametrize("media_type", NOT_JSON)
def test_other_media_types(media_type: str) -> None:
    assert not is_json_media_type(media_type)
    assert media_kind(media_type) != "json"


def test_every_json_check_is_the_one_function() -> None:
    """The request body editor, the response view, the problem reader and the mock read
    JSON-ness the same way: a problem document under `text/json` is a problem for all."""
    from explorer.http.content import classify
    from explorer.mock._respond import serialize

    for media_type in JSON:
        assert classify(media_type.split(";")[0].strip().lower(), b'{"a": 1}') == "json"
        result = ResponseResult(
            request=PreparedRequest("GET", "http://127.0.0.1:1/x"),
            status=400,
            reason="",
            http_version="HTTP/1.1",
            url="http://127.0.0.1:1/x",
            headers=(("content-type", media_type),),
            body=b'{"title": "Bad", "detail": "no"}',
        )
        problem = parse_problem(result)
        assert problem is not None and problem.title == "Bad"
        assert serialize({"a": 1}, media_type)[0] == b'{"a": 1}'


def test_body_kinds() -> None:
    assert media_kind("multipart/form-data; boundary=x") == "multipart"
    assert media_kind("application/x-www-form-urlencoded") == "urlencoded"
    assert media_kind("application/xml") == "raw"


def test_match_media_exact_then_wildcards() -> None:
    declared = (MediaType("application/*"), MediaType("application/json"), MediaType("*/*"))
    assert match_media("application/json; charset=utf-8", declared) is declared[1]
    assert match_media("application/xml", declared) is declared[0]
    assert match_media("text/plain", declared) is declared[2]
    assert match_media("text/plain", declared[:2]) is None


def test_initial_text_from_example_then_schema() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    media = MediaType("application/json", schema, (Example("one", {"n": 1}),))
    assert json.loads(initial_text(media)) == {"n": 1}
    assert json.loads(initial_text(MediaType("application/json", schema))) == {"n": 0}
    assert initial_text(MediaType("text/plain", {"type": "string", "example": "hi"})) == "hi"
    assert initial_text(MediaType("application/octet-stream")) == ""


def test_response_schema_by_status_and_media_type() -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "text/plain": {"schema": {"type": "string"}},
                                "application/vnd.api+json": {"schema": {"type": "object"}},
                            },
                        },
                        "4XX": {
                            "description": "bad",
                            "content": {"application/*": {"schema": {"type": "array"}}},
                        },
                        "default": {"description": "other"},
                    }
                }
            }
        },
    }
    op = spec.load_bytes(json.dumps(doc).encode()).operations[0]
    assert response_schema(op, 200, "text/plain") == ({"type": "string"}, "200")
    assert response_schema(op, 200, "") == ({"type": "object"}, "200")  # the JSON one
    assert response_schema(op, 404, "application/problem+json") == ({"type": "array"}, "4XX")
    assert response_schema(op, 500, "application/json") == (None, "default")
