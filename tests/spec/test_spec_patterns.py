"""Schema patterns are matched in bounded time (`explorer.spec.pattern_search`)."""

from __future__ import annotations

import time
from typing import Any

from explorer.spec import pattern_search
from explorer.spec.patterns import MAX_SUBJECT


def test_patterns_match_like_json_schema() -> None:
    assert pattern_search(r"^[0-9]{12}$", "123456789012") is True
    assert pattern_search(r"^[0-9]{12}$", "12345") is False
    assert pattern_search(r"b", "abc") is True  # unanchored, as JSON Schema says


def test_unicode_classes_of_ecma_patterns_are_understood() -> None:
    assert pattern_search(r"^\p{L}+$", "héllo") is True
    assert pattern_search(r"^\p{L}+$", "h3llo") is False


def test_a_catastrophic_pattern_is_given_up_not_a_freeze() -> None:
    started = time.monotonic()
    assert pattern_search(r"^(a|aa)+$", "a" * 60 + "!", timeout=0.05) is None
    assert time.monotonic() - started < 2  # exponential without the budget: hours


def test_a_broken_pattern_or_a_huge_text_is_undecided() -> None:
    assert pattern_search(r"([a-", "x") is None
    assert pattern_search(r"x", "x" * (MAX_SUBJECT + 1)) is None


def test_a_gigabyte_min_length_makes_a_bounded_sample() -> None:
    from explorer.spec import sample
    from explorer.spec.schema import MAX_SAMPLE_STRING

    assert len(sample({"type": "string", "minLength": 10**9})) == MAX_SAMPLE_STRING


def test_a_pattern_that_cannot_be_used_is_a_spec_warning_not_a_refusal(tmp_path: Any) -> None:
    import json

    from explorer import spec

    doc = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "schema": {"type": "string", "pattern": "(unclosed"},
                        },
                        {"name": "ok", "in": "query", "schema": {"pattern": r"^[\w-.]+$"}},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    api = spec.load(path, cache_dir=None)
    op = api.find("GET /x")
    assert op is not None
    schema = op.parameters[0].schema
    assert spec.validate("anything", schema) == []
    messages = [w.message for w in api.warnings]
    assert any("'(unclosed' is not a regular expression" in m for m in messages), messages
    assert not any("[\\w-.]" in m for m in messages)  # ECMA-262 that reads fine is no warning


def test_a_catastrophic_pattern_gets_no_example_in_bounded_time() -> None:
    from explorer.spec.patterns import pattern_example

    started = time.monotonic()
    made = pattern_example(r"^(a|aa)+$(?<=b)", 30)  # no string matches; each check backtracks
    assert made is None
    assert time.monotonic() - started < 3  # the budget is 0.25 s; a freeze would be minutes
