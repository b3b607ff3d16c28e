"""spec.validate(): OpenAPI 3.0 and 3.1 dialects, formats, pointers, broken schemas."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from explorer import spec


def messages(value: Any, schema: dict[str, Any], **kw: Any) -> list[tuple[str, str]]:
    return [(i.pointer, i.keyword) for i in spec.validate(value, schema, **kw)]


def test_valid_value_has_no_issues() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    assert spec.validate({"n": 1}, schema) == []


def test_empty_or_missing_schema_accepts_anything() -> None:
    assert spec.validate({"any": "thing"}, {}) == []
    assert spec.validate(1, None) == []


def test_nullable_in_30() -> None:
    schema = {"type": "string", "nullable": True}
    assert spec.validate(None, schema, openapi_version="3.0.3") == []
    assert messages(None, {"type": "string"}, openapi_version="3.0.3") == [("", "type")]
    assert spec.validate(None, {"type": "string", "enum": ["a"], "nullable": True}) == []
    assert spec.validate(None, {"nullable": True, "allOf": [{"type": "object"}]}) == []
    # Swagger 2.0's vendor flag works the same way
    assert spec.validate(None, {"type": "integer", "x-nullable": True}, openapi_version="2.0") == []


def test_exclusive_minimum_boolean_in_30() -> None:
    schema = {"type": "integer", "minimum": 5, "exclusiveMinimum": True}
    assert messages(5, schema, openapi_version="3.0.0") == [("", "minimum")]
    assert spec.validate(6, schema, openapi_version="3.0.0") == []
    high = {"type": "number", "maximum": 1.5, "exclusiveMaximum": True}
    assert messages(1.5, high, openapi_version="3.0.0") == [("", "maximum")]


def test_31_dialect() -> None:
    assert spec.validate(None, {"type": ["string", "null"]}, openapi_version="3.1.0") == []
    assert messages(3, {"type": ["string", "null"]}, openapi_version="3.1.0") == [("", "type")]
    schema = {"type": "integer", "exclusiveMinimum": 5}
    assert messages(5, schema, openapi_version="3.1.0") == [("", "exclusiveMinimum")]
    assert spec.validate(6, schema, openapi_version="3.1.0") == []
    assert messages("b", {"const": "a"}, openapi_version="3.1.0") == [("", "const")]
    prefix = {"type": "array", "prefixItems": [{"type": "integer"}], "items": {"type": "string"}}
    assert messages([1, 2], prefix, openapi_version="3.1.0") == [("/1", "type")]


def test_read_only_required_only_in_responses() -> None:
    schema = {
        "type": "object",
        "required": ["id", "name", "secret"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "name": {"type": "string"},
            "secret": {"type": "string", "writeOnly": True},
        },
    }
    assert spec.validate({"name": "x", "secret": "s"}, schema, direction="request") == []
    assert messages({"name": "x"}, schema, direction="request") == [("", "required")]
    assert spec.validate({"id": 1, "name": "x"}, schema, direction="response") == []
    assert messages({"name": "x"}, schema, direction="response") == [("", "required")]
    only_ro = {"type": "object", "required": ["id"], "properties": {"id": {"readOnly": True}}}
    assert spec.validate({}, only_ro, direction="request") == []


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("email", "a@example.com", "not an email"),
        ("date", "2024-02-29", "2024-02-30"),
        ("date", "2024-01-15", "15/01/2024"),
        ("date-time", "2024-01-15T09:30:00Z", "2024-01-15"),
        ("date-time", "2024-01-15T09:30:00+02:00", "yesterday"),
        ("uuid", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "3fa85f64"),
        ("uri", "https://example.com/x?y=1", "example"),
    ],
)
@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_formats(fmt: str, good: str, bad: str, version: str) -> None:
    schema = {"type": "string", "format": fmt}
    assert spec.validate(good, schema, openapi_version=version) == []
    assert messages(bad, schema, openapi_version=version) == [("", "format")]


def test_unknown_format_is_ignored() -> None:
    assert spec.validate("x", {"type": "string", "format": "color"}) == []


def test_pointers_of_issues() -> None:
    schema = {
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "items": {"type": "object", "properties": {"n": {"type": "integer"}}},
            },
            "a/b": {"type": "string"},
            "t~": {"type": "boolean"},
        },
    }
    value = {"items": [{"n": 1}, {"n": "two"}], "a/b": 3, "t~": "no"}
    assert messages(value, schema) == [("/a~1b", "type"), ("/items/1/n", "type"), ("/t~0", "type")]
    (issue, *_) = spec.validate(value, schema)
    assert str(issue) == "/a~1b: 3 is not of type 'string'"


def test_issue_messages_are_readable() -> None:
    (issue,) = spec.validate(5, {"type": "integer", "maximum": 3})
    assert issue.message == "5 is greater than the maximum of 3"
    assert str(issue) == "/: 5 is greater than the maximum of 3"


def test_a_pattern_that_cannot_be_used_passes_the_value() -> None:
    """A pattern that is no regular expression, even read as ECMA-262, is a spec warning
    (see test_spec_patterns), never a refusal of a valid value."""
    assert spec.validate("abc", {"type": "string", "pattern": "(unclosed"}) == []
    (issue,) = spec.validate(5, {"type": "string", "pattern": "(unclosed"})
    assert issue.keyword == "type"


def test_broken_schema_gives_an_issue() -> None:
    issues = spec.validate(1, {"type": 5})
    assert issues and issues[0].keyword == "schema"
    issues = spec.validate(1, {"minimum": "ten"})
    assert all(isinstance(i, spec.SchemaIssue) for i in issues)


def test_markers_accept_anything() -> None:
    schema = {
        "type": "object",
        "properties": {
            "loop": {spec.CYCLE_KEY: "#/components/schemas/Node", "title": "Node"},
            "gone": {spec.UNRESOLVED_KEY: "#/x", "description": "not found"},
        },
    }
    assert spec.validate({"loop": {"x": 1}, "gone": [1]}, schema) == []


def test_issue_count_is_bounded() -> None:
    schema = {"type": "array", "items": {"type": "string"}}
    assert len(spec.validate(list(range(10_000)), schema)) == 200


def test_file_type_is_accepted() -> None:
    assert spec.validate("bytes", {"type": "file"}, openapi_version="2.0") == []


def test_discriminator_and_xml_are_ignored() -> None:
    schema = {
        "type": "object",
        "discriminator": {"propertyName": "kind"},
        "xml": {"name": "pet"},
        "properties": {"kind": {"type": "string"}},
    }
    assert spec.validate({"kind": "cat"}, schema) == []


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_exclusive_bounds_in_either_dialect(version: str) -> None:
    """Documents mix the dialects up: both spellings are understood in both versions."""
    as_number = {"type": "number", "exclusiveMinimum": 5, "exclusiveMaximum": 10}
    as_flag = {
        "type": "number",
        "minimum": 5,
        "exclusiveMinimum": True,
        "maximum": 10,
        "exclusiveMaximum": True,
    }
    for schema in (as_number, as_flag):
        assert spec.validate(7, schema, openapi_version=version) == []
        assert [i.pointer for i in spec.validate(5, schema, openapi_version=version)] == [""]
        assert [i.pointer for i in spec.validate(10, schema, openapi_version=version)] == [""]
    not_exclusive = {"type": "number", "minimum": 5, "exclusiveMinimum": False}
    assert spec.validate(5, not_exclusive, openapi_version=version) == []


def test_empty_required_in_30_is_accepted() -> None:
    schema = {"type": "object", "required": [], "properties": {"a": {"type": "string"}}}
    assert [i.pointer for i in spec.validate({"a": 1}, schema)] == ["/a"]


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "properties": [{"type": "string"}]},
        {"type": "object", "required": [{"a": 1}], "properties": {"a": {}}},
        {"oneOf": ["string", 5]},
        {"allOf": {"type": "string"}},
        {"$ref": {"not": "a string"}},
        {"$ref": "#/components/schemas/NotResolved"},
        {"items": "nope", "type": "array"},
        {"type": "unknown-type"},
        {"pattern": 5, "type": "string"},
    ],
)
def test_malformed_schemas_never_raise(schema: dict[str, Any]) -> None:
    for value in ("text", 1, [1, "a"], {"a": 1}, None):
        for version in ("2.0", "3.0.3", "3.1.0"):
            issues = spec.validate(value, schema, openapi_version=version)
            assert all(isinstance(i, spec.SchemaIssue) for i in issues)


def test_repeated_validation_reuses_the_schema_work() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    first = spec.validate({"n": "x"}, schema)
    assert spec.validate({"n": "x"}, schema) == first
    assert spec.validate({"n": 1}, schema) == []
    assert spec.validate({"n": "x"}, schema, direction="response") == first


def _doubling_chain(levels: int) -> dict[str, Any]:
    """Schemas S0..Sn where each refers to the next twice: small as a document, 2**n as a tree."""
    schemas: dict[str, Any] = {f"S{levels}": {"type": "string", "format": "date"}}
    for i in range(levels - 1, -1, -1):
        nxt = {"$ref": f"#/components/schemas/S{i + 1}"}
        schemas[f"S{i}"] = {"type": "object", "properties": {"left": nxt, "right": nxt}}
    return schemas


def test_shared_schema_parts_are_not_walked_as_a_tree(load_doc: Any) -> None:
    """Resolved schemas share parts (Stripe's would be astronomically large as trees)."""
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
                                "application/json": {"schema": {"$ref": "#/components/schemas/S0"}}
                            },
                        }
                    }
                }
            }
        },
        "components": {"schemas": _doubling_chain(60)},
    }
    api = load_doc(doc)
    schema = api.find("GET /x").response(200).content[0].schema
    value = spec.sample(schema, "response")  # bounded by depth
    assert spec.validate(value, schema, direction="response") == []
    deep_value: Any = "2024-13-01"
    for _ in range(60):
        deep_value = {"left": deep_value}
    (issue,) = spec.validate(deep_value, schema, direction="response")
    assert issue.pointer == "/left" * 60
    assert issue.keyword == "format"


def test_schema_that_contains_itself() -> None:
    node: dict[str, Any] = {"type": "object", "properties": {}}
    node["properties"]["child"] = node
    assert spec.validate({"child": {"child": {}}}, node) == []
    (issue,) = spec.validate({"child": {"child": 5}}, node)
    assert issue.pointer == "/child/child"


# -- pattern and patternProperties: through spec.pattern_search ---------------------------

REDOS = "^(a|aa)+$"  # exponential for a backtracking engine (`re`), and for `regex` too
EVIL = "a" * 60 + "!"


@pytest.mark.parametrize("version", ["2.0", "3.0.3", "3.1.0"])
def test_ecma_unicode_classes_validate(version: str) -> None:
    schema = {"type": "string", "pattern": r"^\p{L}+$"}
    assert spec.validate("héllo", schema, openapi_version=version) == []
    (issue,) = spec.validate("h3llo", schema, openapi_version=version)
    assert issue.keyword == "pattern"
    assert issue.message == r"'h3llo' does not match '^\\p{L}+$'"


def test_pattern_is_unanchored_like_json_schema() -> None:
    assert spec.validate("xx42yy", {"type": "string", "pattern": "[0-9]+"}) == []
    assert [i.keyword for i in spec.validate("xx", {"pattern": "[0-9]+"})] == ["pattern"]
    assert spec.validate(42, {"pattern": "[a-z]"}) == []  # only strings are matched


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_pattern_properties_and_additional_properties(version: str) -> None:
    schema = {
        "type": "object",
        "patternProperties": {r"^\p{Lu}": {"type": "integer"}},
        "additionalProperties": False,
    }
    assert spec.validate({"Éa": 1}, schema, openapi_version=version) == []
    issues = spec.validate({"Éa": "x", "lower": 1}, schema, openapi_version=version)
    assert sorted((i.pointer, i.keyword) for i in issues) == [
        ("", "additionalProperties"),
        ("/Éa", "type"),
    ]
    extra = next(i for i in issues if i.keyword == "additionalProperties")
    assert "'lower' does not match any of the regexes" in extra.message


def test_additional_properties_message_names_the_extras() -> None:
    schema = {"type": "object", "properties": {"a": {}}, "additionalProperties": False}
    (issue,) = spec.validate({"a": 1, "b": 2, "c": 3}, schema)
    assert issue.message == "Additional properties are not allowed ('b', 'c' were unexpected)"


def test_unevaluated_properties_use_the_bounded_matcher() -> None:
    schema = {
        "type": "object",
        "allOf": [{"properties": {"a": {}}}],
        "patternProperties": {r"^\p{L}x$": {}},
        "unevaluatedProperties": False,
    }
    assert spec.validate({"a": 1, "éx": 2}, schema, openapi_version="3.1.0") == []
    (issue,) = spec.validate({"a": 1, "zz": 2}, schema, openapi_version="3.1.0")
    assert issue.keyword == "unevaluatedProperties"
    assert "'zz' was unexpected" in issue.message


def test_ecma_patterns_are_read_as_the_document_means_them() -> None:
    schema = {"type": "string", "pattern": r"^[\w-.]+$"}  # "-" is a literal in ECMA-262
    assert spec.validate("a-b.c", schema) == []
    assert spec.validate("a b", schema)[0].keyword == "pattern"
    named = {"type": "string", "pattern": r"^(?<y>\d{4})-\k<y>$"}
    assert spec.validate("2024-2024", named) == []
    assert spec.validate("2024-2025", named)[0].keyword == "pattern"
    assert spec.validate("é", {"type": "string", "pattern": r"^\p{L}$"}) == []


def _in_subprocess(code: str) -> str:
    """Run `code` in a fresh interpreter; a freeze (a backtracking `re` holds the GIL, so a
    thread could not time it out) fails the test instead of hanging the run."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail("validation still ran after 60 s (a ReDoS freeze)")
    assert done.returncode == 0, done.stderr
    return done.stdout


_REDOS_CHECK = """
import time
from explorer import spec
redos, evil = REDOS, EVIL
started = time.monotonic()
for version in ("3.0.3", "3.1.0"):
    plain = {"type": "string", "pattern": redos}
    assert spec.validate(evil, plain, openapi_version=version) == []
    props = {
        "type": "object",
        "patternProperties": {redos: {"type": "integer"}},
        "additionalProperties": False,
    }
    assert spec.validate({evil: "not checked"}, props, openapi_version=version) == []
    # decided matches still count, and `regex` decides this classic one at once
    issues = spec.validate("b", plain, openapi_version=version)
    assert [i.keyword for i in issues] == ["pattern"]
    issues = spec.validate(evil, {"pattern": "^(a+)+$"}, openapi_version=version)
    assert [i.keyword for i in issues] == ["pattern"]
unevaluated = {"patternProperties": {redos: {}}, "unevaluatedProperties": False}
assert spec.validate({evil: 1}, unevaluated, openapi_version="3.1.0") == []
# 2,000 undecided matches share one budget (PATTERNS_BUDGET), not 2,000 x 0.05 s
many = {"type": "array", "items": {"type": "string", "pattern": redos}}
assert spec.validate([evil] * 2000 + ["b"], many) == []  # "b" comes after the budget
assert [i.pointer for i in spec.validate(["b"] + [evil] * 2000, many)] == ["/0"]
print(round(time.monotonic() - started, 3))
"""


def test_redos_patterns_are_undecided_not_a_freeze() -> None:
    code = _REDOS_CHECK.replace("REDOS, EVIL", f"{REDOS!r}, {EVIL!r}")
    assert float(_in_subprocess(code)) < 30  # each undecided match gives up in 0.05 s
