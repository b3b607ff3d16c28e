"""explorer.spec.check: one check of a JSON body against its schema, for the request body
editor (issues on their lines) and the response view (bytes, no lines)."""

from __future__ import annotations

from explorer.spec.check import BodyCheck, check_json_body

SCHEMA = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "email": {"type": "string", "format": "email"}},
}


def test_a_request_body_gets_its_issues_on_their_lines() -> None:
    good = check_json_body('{"name": "A", "email": "a@b.co"}', SCHEMA, "3.0.3")
    assert good.issues == () and good.parse_error == ""
    bad = check_json_body('{"name": "A",\n "email": "a@b"}', SCHEMA, "3.0.3")
    assert [(p, line) for p, _m, line in bad.issues] == [("/email", 1)]
    assert bad.lines["/email"] == 1
    assert bad.messages() == ["/email: 'a@b' is not a 'email'"]


def test_a_response_body_is_checked_as_bytes_without_lines() -> None:
    result = check_json_body(b'{"email": 5}', SCHEMA, "3.1.0", "response", locate=False)
    assert [(p, line) for p, _m, line in result.issues] == [("", -1), ("/email", -1)]
    assert result.messages()[0] == "/: 'name' is a required property"
    utf16 = check_json_body('{"name": "A"}'.encode("utf-16"), SCHEMA, "3.0.3", locate=False)
    assert utf16 == BodyCheck()  # JSON's own reading of bytes: UTF-16 by its BOM


def test_text_that_is_not_json_says_where() -> None:
    result = check_json_body('{\n  "name": }', SCHEMA, "3.0.3")
    assert result.parse_error == "Not valid JSON: Expecting value at line 2, column 11"
    assert (result.parse_line, result.parse_column) == (1, 10)
    assert result.messages() == [result.parse_error]
    assert check_json_body(b'{"a": "\xff"}', SCHEMA, "3.0.3").parse_error.startswith(
        "Not valid JSON"
    )
    assert check_json_body("  ", SCHEMA, "3.0.3") == BodyCheck()
    assert check_json_body('{"x": 1}', None, "3.0.3") == BodyCheck()


def test_nesting_too_deep_is_a_message_not_an_exception() -> None:
    result = check_json_body("[" * 100_000 + "]" * 100_000, SCHEMA, "3.0.3")
    assert result.parse_error == "Not checked: the JSON is nested too deeply"
