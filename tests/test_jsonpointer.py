"""explorer.jsonpointer: the one escaping of reference tokens, and pointers placed on the
lines of JSON text."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from explorer.jsonpointer import (
    escape_token,
    join_pointer,
    line_of_pointer,
    parse_error_position,
    pointer_lines,
    unescape_token,
)


def test_escape_and_unescape_follow_rfc_6901() -> None:
    assert escape_token("a/b~c") == "a~1b~0c"
    assert escape_token("~1") == "~01"  # not "/" when read back
    assert unescape_token("~01") == "~1"
    assert unescape_token("a~1b~0c") == "a/b~c"
    assert join_pointer(["a/b", 0, "t~"]) == "/a~1b/0/t~0"
    assert join_pointer([]) == ""


@given(st.text(alphabet=st.sampled_from("ab~/01"), max_size=12))
def test_unescape_reads_back_what_escape_wrote(token: str) -> None:
    assert unescape_token(escape_token(token)) == token
    assert "/" not in escape_token(token)


def test_pointers_of_the_validator_are_found_in_the_text() -> None:
    """The validator's pointers (escaped here) are the keys `pointer_lines` maps."""
    from explorer import spec

    value = {"a/b": 1, "t~": [True, "x"]}
    text = json.dumps(value, indent=2)
    schema = {
        "type": "object",
        "properties": {"a/b": {"type": "string"}, "t~": {"items": {"type": "boolean"}}},
    }
    issues = spec.validate(value, schema)
    assert [i.pointer for i in issues] == ["/a~1b", "/t~0/1"]
    lines = pointer_lines(text)
    rows = text.splitlines()
    assert rows[lines["/a~1b"]].strip() == '"a/b": 1,'
    assert rows[lines["/t~0/1"]].strip() == '"x"'


def test_parse_error_position_is_one_based() -> None:
    assert parse_error_position("ab\ncd", 0) == (1, 1)
    assert parse_error_position("ab\ncd", 4) == (2, 2)


def test_pointer_lines() -> None:
    text = json.dumps(
        {"a": {"b": [1, {"c": 2}], "d/e": "x", "t~": True}, "list": [], "obj": {}}, indent=2
    )
    lines = pointer_lines(text)
    rows = text.splitlines()
    assert lines[""] == 0
    assert rows[lines["/a"]].strip().startswith('"a"')
    assert rows[lines["/a/b/0"]].strip() == "1,"
    assert rows[lines["/a/b/1/c"]].strip() == '"c": 2'
    assert rows[lines["/a/d~1e"]].strip().startswith('"d/e"')
    assert rows[lines["/a/t~0"]].strip().startswith('"t~"')
    assert rows[lines["/list"]].strip().startswith('"list"')
    # a member that is not there: its nearest ancestor
    assert line_of_pointer(text, "/a/b/1/missing") == lines["/a/b/1"]
    assert line_of_pointer(text, "/nothing/here") == 0
    # escaped quotes and one-line documents
    assert pointer_lines('{"q\\"x": {"y": 1}}') == {"": 0, '/q"x': 0, '/q"x/y': 0}
    # broken text: what was read before the break is mapped
    broken = '{\n  "a": 1,\n  "b": [\n    2,\n'
    assert pointer_lines(broken)["/b/0"] == 3
