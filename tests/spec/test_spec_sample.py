"""spec.sample(): a value that fits a schema."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import spec


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"type": "string", "example": "ex", "default": "de", "enum": ["en", "de", "ex"]}, "ex"),
        ({"type": "string", "default": "de", "enum": ["en", "de"]}, "de"),
        # a document's value that breaks its own schema is passed over
        ({"type": "string", "example": "ex", "default": "de", "enum": ["en"]}, "en"),
        ({"type": "integer", "example": "ten", "default": 3}, 3),
        ({"type": "string", "example": "abc", "pattern": "^[0-9]+$"}, "0"),
        ({"type": "string", "enum": ["en", "fr"]}, "en"),
        ({"type": "string", "enum": [None, "fr"], "nullable": True}, "fr"),
        ({"type": "integer", "example": 0}, 0),
        ({"type": "string", "example": None}, "string"),  # null only where allowed
        ({"type": "string", "nullable": True, "example": None}, None),
        ({"type": "string", "examples": ["first", "second"]}, "first"),
        ({"const": 3}, 3),
        ({"type": "string"}, "string"),
        ({"type": "string", "format": "email"}, "user@example.com"),
        ({"type": "string", "format": "date"}, "2024-01-15"),
        ({"type": "string", "format": "date-time"}, "2024-01-15T09:30:00Z"),
        ({"type": "string", "format": "uuid"}, "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        ({"type": "string", "format": "uri"}, "https://example.com/resource"),
        ({"type": "string", "format": "not-a-format"}, "string"),
        ({"type": "integer"}, 0),
        ({"type": "number"}, 0),
        ({"type": "boolean"}, True),
        ({"type": "null"}, None),
        ({"type": ["null", "integer"]}, 0),
        ({}, {}),
        ({"type": "array", "items": {"type": "integer"}}, [0]),
        ({"type": "array"}, []),
        ({"type": "array", "items": {"type": "string"}, "minItems": 3}, ["string"] * 3),
        ({"type": "object"}, {}),
        ({"additionalProperties": {"type": "integer"}}, {"key": 0}),
        ({"properties": {"a": {"type": "boolean"}}}, {"a": True}),
    ],
)
def test_sample_by_precedence_and_type(schema: dict[str, Any], value: Any) -> None:
    assert spec.sample(schema) == value


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"type": "integer", "minimum": 5}, 5),
        ({"type": "integer", "minimum": 5, "exclusiveMinimum": True}, 6),
        ({"type": "integer", "exclusiveMinimum": 5}, 6),
        ({"type": "number", "exclusiveMinimum": 1.5}, 2.0),
        ({"type": "integer", "maximum": -3}, -3),
        ({"type": "integer", "minimum": 1, "multipleOf": 5}, 5),
        ({"type": "number", "minimum": 0.3, "multipleOf": 0.25}, 0.5),
        ({"type": "integer", "minimum": 10, "maximum": 20, "multipleOf": 7}, 14),
        ({"type": "string", "minLength": 10}, "stringstri"),
        ({"type": "string", "maxLength": 3}, "str"),
        ({"type": "string", "format": "email", "minLength": 20}, "user@example.comuser"),
    ],
)
def test_sample_respects_limits(schema: dict[str, Any], value: Any) -> None:
    assert spec.sample(schema) == value
    assert spec.validate(value, schema) == []


def test_all_of_is_merged() -> None:
    schema = {
        "allOf": [
            {"type": "object", "properties": {"id": {"type": "integer"}}},
            {"type": "object", "properties": {"name": {"type": "string"}}},
        ],
        "properties": {"extra": {"type": "boolean"}},
        "type": "object",
    }
    assert spec.sample(schema) == {"id": 0, "name": "string", "extra": True}


def test_all_of_with_scalars_takes_first_value() -> None:
    assert spec.sample({"allOf": [{"type": "integer", "minimum": 2}, {"maximum": 9}]}) == 2


def test_one_of_and_any_of_take_first_non_null_choice() -> None:
    assert spec.sample({"oneOf": [{"type": "null"}, {"type": "integer"}, {"type": "string"}]}) == 0
    assert spec.sample({"anyOf": [{"type": "string"}, {"type": "integer"}]}) == "string"
    mixed = {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": ["cat"]}},
        "oneOf": [{"properties": {"purrs": {"type": "boolean"}}}],
    }
    assert spec.sample(mixed) == {"kind": "cat", "purrs": True}


def test_nullable_still_gives_a_value() -> None:
    assert spec.sample({"type": "string", "nullable": True}) == "string"


def test_read_only_and_write_only() -> None:
    schema = {
        "type": "object",
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "password": {"type": "string", "writeOnly": True},
            "name": {"type": "string"},
        },
    }
    assert spec.sample(schema, "request") == {"password": "string", "name": "string"}
    assert spec.sample(schema, "response") == {"id": 0, "name": "string"}
    assert spec.sample(schema) == spec.sample(schema, "request")


def test_markers_sample_to_none() -> None:
    assert spec.sample({spec.CYCLE_KEY: "#/components/schemas/Node", "title": "Node"}) is None
    assert spec.sample({spec.UNRESOLVED_KEY: "#/x"}) is None
    assert spec.sample(None) is None


def test_recursion_is_bounded_even_without_markers() -> None:
    """A schema built as a real Python cycle (not through markers) still ends."""
    node: dict[str, Any] = {"type": "object", "properties": {}}
    node["properties"]["child"] = node
    value = spec.sample(node)
    depth = 0
    while isinstance(value, dict) and value.get("child") is not None:
        value = value["child"]
        depth += 1
    assert 1 <= depth <= 20


def test_self_referencing_loaded_schema(load_doc: Any) -> None:
    doc = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/n": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Node"}}
                        }
                    },
                    "responses": {},
                }
            }
        },
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Node"},
                        },
                        "parent": {"$ref": "#/components/schemas/Node"},
                    },
                }
            }
        },
    }
    schema = load_doc(doc).find("POST /n").request_body.content[0].schema
    # the cycle ends at the optional property (left out) and the array (left empty)
    assert spec.sample(schema) == {"name": "string", "children": []}


# -- property: a sample of a simple schema validates against it ------------------------------

_formats = st.sampled_from([None, "email", "date", "date-time", "uuid", "uri", "int32"])


@st.composite
def _string_schema(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    fmt = draw(_formats)
    if fmt and fmt != "int32":
        schema["format"] = fmt
    if fmt is None:
        low = draw(st.none() | st.integers(0, 40))
        if low is not None:
            schema["minLength"] = low
        high = draw(st.none() | st.integers(low or 0, 60))
        if high is not None and high > 0:
            schema["maxLength"] = high
    if (
        fmt is None
        and "minLength" not in schema
        and "maxLength" not in schema
        and draw(st.booleans())
    ):
        schema["enum"] = draw(st.lists(st.text(max_size=5), min_size=1, max_size=3, unique=True))
    return schema


@st.composite
def _number_schema(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["integer", "number"]))
    schema: dict[str, Any] = {"type": kind}
    low = draw(st.none() | st.integers(-1000, 1000))
    if low is not None:
        schema["minimum"] = low
        if draw(st.booleans()):
            schema["exclusiveMinimum"] = True
    if draw(st.booleans()):
        schema["maximum"] = (low or 0) + draw(st.integers(20, 1000))
    if draw(st.booleans()):
        schema["multipleOf"] = draw(st.sampled_from([1, 2, 5, 10]))
    if draw(st.booleans()):
        schema["nullable"] = True
    return schema


_leaf = st.one_of(
    _string_schema(),
    _number_schema(),
    st.just({"type": "boolean"}),
    st.builds(lambda d: {"type": "integer", "default": d}, st.integers(-5, 5)),
)


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    names = st.text("abcdefgh", min_size=1, max_size=4)
    obj = st.builds(
        lambda props, req, ro: {
            "type": "object",
            "properties": {
                k: ({**v, "readOnly": True} if k in ro else v) for k, v in props.items()
            },
            **({"required": sorted(req & set(props))} if req & set(props) else {}),
        },
        st.dictionaries(names, children, min_size=1, max_size=4),
        st.sets(names, max_size=3),
        st.sets(names, max_size=2),
    )
    arr = st.builds(
        lambda items, n: {"type": "array", "items": items, "minItems": n},
        children,
        st.integers(0, 3),
    )
    all_of = st.builds(
        lambda a, b: {
            "allOf": [{"type": "object", "properties": a}, {"type": "object", "properties": b}]
        },
        # the two parts name different properties (else they could contradict each other)
        st.dictionaries(st.text("abcd", min_size=1, max_size=3), children, max_size=2),
        st.dictionaries(st.text("efgh", min_size=1, max_size=3), children, max_size=2),
    )
    any_of = st.builds(lambda a, b: {"anyOf": [a, b]}, children, children)
    # oneOf choices must not overlap (else no value can fit): a string and a number
    one_of = st.builds(lambda a, b: {"oneOf": [a, b]}, _string_schema(), _number_schema())
    return st.one_of(obj, arr, all_of, any_of, one_of)


_schemas = st.recursive(_leaf, _extend, max_leaves=12)


@settings(max_examples=200, deadline=None, database=None)
@given(schema=_schemas, direction=st.sampled_from(["request", "response"]))
def test_sample_validates_against_its_schema(schema: dict[str, Any], direction: Any) -> None:
    value = spec.sample(schema, direction)
    assert spec.validate(value, schema, openapi_version="3.0.3", direction=direction) == []


# -- values that satisfy the schema: patterns, formats, depth, cycles ------------------------

ECMA_PATTERNS = {  # pattern: (shortest, longest) length of a match (None: unbounded)
    r"^[0-9]{12}$": (12, 12),  # an AWS account id
    r"^\p{L}+$": (1, None),
    r"^[\p{L}\p{N} .'-]{2,40}$": (2, 40),
    r"^[\w-.]+@[\w-]+\.[a-z]{2,}$": (6, None),
    r"^(?=.*[A-Z])(?=.*\d)[A-Za-z\d]{8,}$": (8, None),
    r"^key_[0-9A-HJKMNP-TV-Z]{10,26}$": (14, 30),
    r"^arn:aws:iam::\d{12}:role/[\w+=,.@-]+$": (32, None),
    r"^(?<year>\d{4})-(0[1-9]|1[0-2])$": (7, 7),
    r"^[A-Z]{3}$": (3, 3),
    r"^\d{3}-\d{4}$": (8, 8),
    r"^#[0-9a-fA-F]{6}$": (7, 7),
    r"^(sk|pk)_(test|live)_[A-Za-z0-9]{24}$": (32, 32),
    r"[^\s]+": (1, None),
    r"^\$[a-z]+$": (2, None),
}


@pytest.mark.parametrize("pattern", list(ECMA_PATTERNS))
@pytest.mark.parametrize("bounds", [(None, None), (5, None), (None, 30), (12, 40)])
def test_strings_match_their_pattern_within_their_lengths(
    pattern: str, bounds: tuple[int | None, int | None]
) -> None:
    schema: dict[str, Any] = {"type": "string", "pattern": pattern}
    low, high = bounds
    if low is not None:
        schema["minLength"] = low
    if high is not None:
        schema["maxLength"] = high
    shortest, longest = ECMA_PATTERNS[pattern]
    possible = (low or 0) <= (longest if longest is not None else 10**9) and shortest <= (
        high if high is not None else 10**9
    )
    value = spec.sample(schema)
    if possible:
        assert spec.validate(value, schema) == [], value
    else:  # no string fits: the value says so in the check, nothing is invented
        assert spec.validate(value, schema) != []


def test_an_aws_account_id_is_twelve_digits() -> None:
    schema = {
        "type": "object",
        "required": ["accountId"],
        "properties": {"accountId": {"type": "string", "pattern": "^[0-9]{12}$"}},
    }
    assert spec.sample(schema) == {"accountId": "000000000000"}


def test_depth_counts_real_nesting_not_wrappers() -> None:
    """allOf/anyOf/oneOf wrappers are not levels: ten wrappers around each level still give
    a full value MAX_SAMPLE_DEPTH levels down (AWS-style documents wrap every shape)."""
    leaf: dict[str, Any] = {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string", "pattern": "^[a-z]{3}$"}},
    }
    schema = leaf
    for _ in range(6):
        wrapped: dict[str, Any] = {"type": "object", "properties": {"next": schema}}
        for _ in range(10):
            wrapped = {"allOf": [wrapped]}
        schema = wrapped
    value = spec.sample(schema)
    for _ in range(6):
        value = value["next"]
    assert value == {"id": "aaa"}


def test_null_only_where_allowed() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "enum": [None, "x"]},
            "b": {"oneOf": [{"type": "null"}, {"type": "integer", "minimum": 3}]},
            "c": {"type": ["null", "boolean"]},
        },
    }
    assert spec.sample(schema, openapi_version="3.1.0") == {"a": "x", "b": 3, "c": True}


def test_unique_items_are_distinct() -> None:
    schemas: list[dict[str, Any]] = [
        {"type": "array", "uniqueItems": True, "minItems": 3, "items": {"type": "string"}},
        {
            "type": "array",
            "uniqueItems": True,
            "minItems": 3,
            "items": {"type": "string", "format": "email"},
        },
        {
            "type": "array",
            "uniqueItems": True,
            "minItems": 2,
            "items": {"type": "string", "enum": ["a", "b", "c"]},
        },
        {
            "type": "array",
            "uniqueItems": True,
            "minItems": 4,
            "items": {"type": "integer", "minimum": 1, "maximum": 9},
        },
        {
            "type": "array",
            "uniqueItems": True,
            "minItems": 3,
            "items": {"type": "string", "pattern": "^[A-Z]{2}$"},
        },
    ]
    for schema in schemas:
        value = spec.sample(schema)
        assert len(value) == schema["minItems"], value
        assert spec.validate(value, schema) == [], value


def test_one_of_gives_a_value_that_fits_exactly_one_choice() -> None:
    schema = {
        "oneOf": [
            {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
            {"type": "object", "properties": {"c": {"type": "string"}, "d": {"type": "string"}}},
        ]
    }
    value = spec.sample(schema)
    assert spec.validate(value, schema) == []
    tagged = {
        "oneOf": [
            {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"type": "string"}},
                spec.REF_KEY: "#/components/schemas/Cat",
            },
            {
                "type": "object",
                "required": ["kind", "bark"],
                "properties": {"kind": {"type": "string"}, "bark": {"type": "boolean"}},
                spec.REF_KEY: "#/components/schemas/Dog",
            },
        ],
        "discriminator": {"propertyName": "kind"},
    }
    assert spec.sample(tagged)["kind"] == "Cat"


def test_a_required_cycle_is_followed_and_an_inherited_rule_checked(load_doc: Any) -> None:
    """Bing's shape: Thing <- Response (allOf Thing) <- Thing's property of type Response.
    What the cut at the allOf edge inherits (`_type` required) is still required."""
    doc = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Answer"}}
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["_type"],
                    "properties": {
                        "_type": {"type": "string", "enum": ["Thing"]},
                        "about": {"$ref": "#/components/schemas/Answer"},
                    },
                },
                "Response": {
                    "allOf": [{"$ref": "#/components/schemas/Thing"}],
                    "properties": {"readLink": {"type": "string"}},
                },
                "Answer": {
                    "allOf": [{"$ref": "#/components/schemas/Response"}],
                    "required": ["main"],
                    "properties": {"main": {"$ref": "#/components/schemas/Response"}},
                },
            }
        },
    }
    schema = load_doc(doc).find("POST /x").request_body.content[0].schema
    value = spec.sample(schema)
    assert spec.validate(value, schema) == []
    assert value["main"]["_type"] == "Thing"
    missing = {"_type": "Thing", "main": {"readLink": "x"}}
    issues = spec.validate(missing, schema)
    assert [(i.pointer, i.keyword) for i in issues] == [("/main", "required")]


@st.composite
def _rich_leaf(draw: st.DrawFn) -> dict[str, Any]:
    """Strings with patterns and formats, numbers with exclusive bounds and steps."""
    kind = draw(st.sampled_from(["pattern", "format", "number", "enum"]))
    if kind == "pattern":
        return {"type": "string", "pattern": draw(st.sampled_from(list(ECMA_PATTERNS)))}
    if kind == "format":
        fmt = draw(st.sampled_from(["email", "uuid", "date", "date-time", "uri", "ipv4"]))
        return {"type": "string", "format": fmt}
    if kind == "enum":
        return {"enum": draw(st.lists(st.integers(-3, 3), min_size=1, max_size=4, unique=True))}
    schema: dict[str, Any] = {"type": draw(st.sampled_from(["integer", "number"]))}
    low = draw(st.integers(-50, 50))
    schema["exclusiveMinimum"] = low
    schema["exclusiveMaximum"] = low + draw(st.integers(2, 100))
    if draw(st.booleans()):
        schema["multipleOf"] = draw(st.sampled_from([1, 2, 0.5]))
        schema["exclusiveMaximum"] += 10
    return schema


def _rich(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    names = st.text("abcdefgh", min_size=1, max_size=4)
    obj = st.builds(
        lambda props, req, nullable: {
            "type": ["object", "null"] if nullable else "object",
            "properties": props,
            "required": sorted(props)[: len(props) // 2 + 1] if req else [],
        },
        st.dictionaries(names, children, min_size=1, max_size=4),
        st.booleans(),
        st.booleans(),
    )
    arr = st.builds(
        lambda items, n, unique: {
            "type": "array",
            "items": items,
            "minItems": n,
            "maxItems": n + 2,
            # distinct items only where any schema has two values (see the test above)
            **({"uniqueItems": True} if unique and n <= 1 else {}),
        },
        children,
        st.integers(0, 3),
        st.booleans(),
    )
    wrapped = st.builds(lambda inner, n: _wrap(inner, n), children, st.integers(1, 4))
    return st.one_of(obj, arr, wrapped)


def _wrap(schema: dict[str, Any], times: int) -> dict[str, Any]:
    for _ in range(times):
        schema = {"allOf": [schema]}
    return schema


@settings(max_examples=150, deadline=None, database=None)
@given(schema=st.recursive(_rich_leaf(), _rich, max_leaves=10))
def test_rich_samples_validate_against_their_schema(schema: dict[str, Any]) -> None:
    value = spec.sample(schema, openapi_version="3.1.0")
    assert spec.validate(value, schema, openapi_version="3.1.0") == []
