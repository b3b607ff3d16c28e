"""Schema tools: a sample value from a schema, and validation of a value against one.

Both take the resolved schemas the model hands out (plain dicts, `$ref`s followed, cycles
marked). Validation uses `jsonschema`: Draft 4 rules for OpenAPI 2.0 and 3.0 (boolean
`exclusiveMinimum`, `nullable` rewritten as a `null` type), Draft 2020-12 for 3.1.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from explorer.jsonpointer import join_pointer
from explorer.spec.describe import main_type
from explorer.spec.formats import format_checker
from explorer.spec.model import CYCLE_KEY, REF_KEY, UNRESOLVED_KEY
from explorer.spec.patterns import PATTERN_TIMEOUT, compile_pattern, pattern_search

__all__ = ["SampleTooLarge", "SchemaIssue", "sample", "validate"]

Direction = Literal["request", "response"]

MAX_SAMPLE_DEPTH = 8
MAX_ISSUES = 200

_FORMAT_SAMPLES: dict[str, Any] = {
    "date": "2024-01-15",
    "date-time": "2024-01-15T09:30:00Z",
    "time": "09:30:00Z",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "uri-reference": "/resource",
    "iri": "https://example.com/resource",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "U3dhZ2dlciByb2Nrcw==",
    "binary": "",
    "password": "********",
    "duration": "P1D",
    "regex": "^.*$",
    "json-pointer": "/path",
}


def _number(schema: Mapping[str, Any], integer: bool) -> int | float:
    low = schema.get("minimum")
    high = schema.get("maximum")
    ex_low = schema.get("exclusiveMinimum")
    if isinstance(ex_low, int | float) and not isinstance(ex_low, bool):
        low = ex_low + (1 if integer else 0.5)
    elif ex_low is True and isinstance(low, int | float):
        low = low + (1 if integer else 0.5)
    value: float = low if isinstance(low, int | float) else 0
    if isinstance(high, int | float) and value > high:
        value = high
    step = schema.get("multipleOf")
    if isinstance(step, int | float) and step > 0 and value % step:
        value = (value // step + 1) * step
    return int(value) if integer else value


def _string(schema: Mapping[str, Any]) -> str:
    fmt = schema.get("format")
    text = _FORMAT_SAMPLES.get(fmt, "string") if isinstance(fmt, str) else "string"
    min_len = schema.get("minLength")
    max_len = schema.get("maxLength")
    if isinstance(min_len, int) and min_len > MAX_SAMPLE_STRING:
        min_len = MAX_SAMPLE_STRING  # a document may ask for a gigabyte: it gets less
    if isinstance(min_len, int) and len(text) < min_len:
        text = (text * (min_len // max(len(text), 1) + 1))[:min_len] if text else "x" * min_len
    if isinstance(max_len, int) and len(text) > max_len:
        text = text[:max_len]
    return text


MAX_SAMPLE_STRING = 65_536
"""A sample string is never longer than this, whatever `minLength` says."""


class SampleTooLarge(ValueError):
    """`sample()` would make more values than its `limit` (a schema whose shared parts
    multiply: ten properties that each hold the next level, nine levels deep)."""


def sample(
    schema: Mapping[str, Any] | None,
    direction: Direction = "request",
    *,
    limit: int | None = None,
    _depth: int = 0,
    _left: list[int] | None = None,
) -> Any:
    """A value that fits `schema`: its example, else default, else first enum, else one
    made by type and format. allOf is merged, oneOf/anyOf take the first choice; readOnly
    properties are left out of requests and writeOnly ones out of responses; recursion
    stops at reference cycles and at MAX_SAMPLE_DEPTH. With a `limit`, making more than
    that many values raises `SampleTooLarge` (time and memory stay bounded)."""
    if _left is None and limit is not None:
        _left = [limit, limit]  # values left to make, and the limit
    if _left is not None:
        _left[0] -= 1
        if _left[0] < 0:
            raise SampleTooLarge(f"the value would hold more than {_left[1]:,} values")
    if not isinstance(schema, Mapping) or CYCLE_KEY in schema or UNRESOLVED_KEY in schema:
        return None
    if "example" in schema:
        return schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    if "default" in schema:
        return schema["default"]
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return next((e for e in enum if e is not None), enum[0])
    if _depth > MAX_SAMPLE_DEPTH:  # stop nesting, with the emptiest value of the type
        kind = main_type(schema)
        if kind == "object":
            return {}
        if kind == "array":
            return []
        if kind not in ("string", "integer", "number", "boolean"):
            return None
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and all_of:
        parts = [sample(s, direction, _depth=_depth + 1, _left=_left) for s in all_of]
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        if main_type(rest) or rest.get("properties"):
            parts.append(sample(rest, direction, _depth=_depth + 1, _left=_left))
        if all(isinstance(p, dict) for p in parts):
            merged: dict[str, Any] = {}
            for p in parts:
                merged.update(p)
            return merged
        return next((p for p in parts if p is not None), None)
    for key in ("oneOf", "anyOf"):
        choices = schema.get(key)
        if isinstance(choices, list) and choices:
            non_null = [
                c for c in choices if not (isinstance(c, Mapping) and c.get("type") == "null")
            ]
            choice = (non_null or choices)[0]
            value = sample(choice, direction, _depth=_depth + 1, _left=_left)
            if isinstance(value, dict) and schema.get("properties"):
                rest = {k: v for k, v in schema.items() if k != key}
                base = sample(rest, direction, _depth=_depth + 1, _left=_left)
                if isinstance(base, dict):
                    return {**base, **value}
            return value
    kind = main_type(schema)
    if kind == "object":
        out: dict[str, Any] = {}
        props = schema.get("properties")
        if isinstance(props, Mapping):
            skip = "readOnly" if direction == "request" else "writeOnly"
            for name, prop in props.items():
                if isinstance(prop, Mapping) and prop.get(skip) is True:
                    continue
                out[str(name)] = sample(prop, direction, _depth=_depth + 1, _left=_left)
        extra = schema.get("additionalProperties")
        if not out and isinstance(extra, Mapping) and extra:
            out["key"] = sample(extra, direction, _depth=_depth + 1, _left=_left)
        return out
    if kind == "array":
        item = sample(schema.get("items"), direction, _depth=_depth + 1, _left=_left)
        if item is None:
            return []
        count = schema.get("minItems")
        return [item] * (count if isinstance(count, int) and 1 < count <= 10 else 1)
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return _number(schema, integer=True)
    if kind == "number":
        return _number(schema, integer=False)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return {} if schema.get("type") is None and not schema else None


# -- validation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemaIssue:
    """One way a value breaks its schema: where (a JSON pointer into the value) and why."""

    pointer: str
    message: str
    keyword: str = ""

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


def _openapi30_to_jsonschema(node: Any, direction: Direction, legacy: bool) -> Any:
    """Rewrite an OpenAPI 3.0/2.0 (legacy) or 3.1 schema into plain JSON Schema.

    Resolved schemas share their parts (a schema used in many places is one object), so
    as a tree they can be astronomically large (Stripe's are): each part is converted
    once and the result shares it the same way.
    """
    return _Converter(direction, legacy).convert(node)


class _Converter:
    def __init__(self, direction: Direction, legacy: bool) -> None:
        self.direction = direction
        self.legacy = legacy
        self.done: dict[int, Any] = {}
        self.keep: list[Any] = []  # keeps converted nodes alive, so their ids stay theirs

    def convert(self, node: Any) -> Any:
        if isinstance(node, list):
            hit = self.done.get(id(node))
            if hit is not None:
                return hit
            out_list: list[Any] = []
            self.done[id(node)] = out_list
            self.keep.append(node)
            out_list.extend(self.convert(v) for v in node)
            return out_list
        if not isinstance(node, Mapping):
            return node
        hit = self.done.get(id(node))
        if hit is not None:
            return hit
        result: dict[str, Any] = {}
        self.done[id(node)] = result  # before the parts: a schema may contain itself
        self.keep.append(node)
        if CYCLE_KEY in node or UNRESOLVED_KEY in node:
            return result
        out = self._convert_schema(node)
        legacy = self.legacy
        if legacy and (node.get("nullable") is True or node.get("x-nullable") is True):
            out.pop("nullable", None)
            t = out.get("type")
            if isinstance(t, str):
                out["type"] = [t, "null"]
                if isinstance(out.get("enum"), list) and None not in out["enum"]:
                    out["enum"] = [*out["enum"], None]
            elif t is None:
                out = {"anyOf": [out, {"type": "null"}]}
        result.update(out)
        return result

    def _convert_schema(self, node: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in (REF_KEY, "discriminator", "xml", "externalDocs", "x-nullable"):
                continue
            if key in ("example", "examples", "default", "enum", "const"):
                out[key] = value
            elif key in ("properties", "patternProperties", "definitions", "$defs") and isinstance(
                value, Mapping
            ):
                out[key] = {k: self.convert(v) for k, v in value.items()}
            else:
                out[key] = self.convert(value)
        if out.get("type") == "file":
            out.pop("type")
        # readOnly properties are not required in requests, writeOnly ones not in responses.
        props = node.get("properties")
        required = out.get("required")
        if isinstance(props, Mapping) and isinstance(required, list):
            flag = "readOnly" if self.direction == "request" else "writeOnly"
            out["required"] = [
                r
                for r in required
                if not (
                    isinstance(r, str)
                    and isinstance(props.get(r), Mapping)
                    and props[r].get(flag) is True
                )
            ]
            if not out["required"] and self.legacy:
                del out["required"]  # Draft 4 requires a non-empty list
        _exclusive_bounds(out, self.legacy)
        return out


def _exclusive_bounds(out: dict[str, Any], legacy: bool) -> None:
    """Read `exclusiveMinimum`/`exclusiveMaximum` in either dialect: a number (3.1, JSON
    Schema 2020-12) or a flag on `minimum`/`maximum` (2.0, 3.0). Documents mix them up."""
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = out.get(bound)
        if isinstance(value, bool):
            if legacy:
                continue
            del out[bound]
            if value and isinstance(out.get(limit), int | float):
                out[bound] = out.pop(limit)
        elif isinstance(value, int | float) and legacy:
            del out[bound]
            current = out.get(limit)
            stricter = bound == "exclusiveMinimum" and (
                not isinstance(current, int | float) or value >= current
            )
            stricter = stricter or (
                bound == "exclusiveMaximum"
                and (not isinstance(current, int | float) or value <= current)
            )
            if stricter:
                out[limit] = value
                out[bound] = True
    if legacy and out.get("required") == []:
        del out["required"]  # Draft 4 wants a non-empty list


# -- pattern keywords: through `pattern_search`, bounded in time ---------------------------
# jsonschema matches `pattern` and `patternProperties` with Python's `re`: a pattern such
# as `^(a+)+$` takes exponential time there, holding the GIL (the whole process freezes),
# and ECMA-262 classes like `\p{L}` do not compile. These keywords are replaced with ones
# that match through `pattern_search` (the `regex` module with a time budget). A match that
# cannot be decided in time is never an error: the value passes that one check.


def _compiled(pattern: object) -> None:
    """Refuse a pattern that is not a regular expression: the schema cannot be used."""
    if not isinstance(pattern, str) or compile_pattern(pattern) is None:
        raise _BrokenSchema(f"the pattern {str(pattern)[:200]!r} is not a regular expression")


PATTERNS_BUDGET = 1.0
"""Seconds all pattern checks of one `validate()` call may take together; checks after
that are undecided at once (a body of a thousand ReDoS strings is not 50 s of work)."""
_deadline = threading.local()


def _matches(pattern: str, text: str) -> bool | None:
    """Whether `pattern` finds a match in `text`; None when undecided (ran out of time)."""
    _compiled(pattern)
    ends: float | None = getattr(_deadline, "at", None)
    if ends is None:
        return pattern_search(pattern, text)
    left = ends - time.monotonic()
    if left <= 0:
        return None
    return pattern_search(pattern, text, timeout=min(PATTERN_TIMEOUT, left))


def _pattern_keyword(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and _matches(pattern, instance) is False:
        yield ValidationError(f"{_cut(instance)!r} does not match {_cut(pattern)!r}")


def _cut(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if _matches(pattern, key):  # undecided: not checked against the subschema
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional(instance: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """The keys that neither `properties` nor a `patternProperties` pattern covers (an
    undecided match counts as covered: no error from a match that was not decided)."""
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        key
        for key in instance
        if key not in properties and not any(_matches(p, key) is not False for p in patterns)
    ]


def _additional_properties(validator: Any, extra: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    extras = _additional(instance, schema)
    if validator.is_type(extra, "object"):
        for key in extras:
            yield from validator.descend(instance[key], extra, path=key)
    elif not extra and extras:
        names = sorted(extras, key=str)
        listed = ", ".join(repr(k) for k in names)
        if "patternProperties" in schema:
            verb = "does" if len(names) == 1 else "do"
            regexes = ", ".join(repr(p) for p in sorted(schema["patternProperties"]))
            yield ValidationError(f"{listed} {verb} not match any of the regexes: {regexes}")
        else:
            verb = "was" if len(names) == 1 else "were"
            yield ValidationError(
                f"Additional properties are not allowed ({listed} {verb} unexpected)"
            )


def _evaluated_keys(validator: Any, instance: Mapping[str, Any], schema: Any) -> set[str]:
    """The keys of `instance` that `schema` evaluates (for `unevaluatedProperties`), as
    jsonschema finds them, with `patternProperties` matched through `pattern_search`."""
    from jsonschema._utils import find_evaluated_property_keys_by_schema

    if not isinstance(schema, Mapping):
        return set()
    found: set[str] = set()
    if "$ref" in schema or "$dynamicRef" in schema:  # not left by the model's resolution
        only = {k: schema[k] for k in ("$ref", "$dynamicRef") if k in schema}
        found.update(find_evaluated_property_keys_by_schema(validator, instance, only))
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        found.update(k for k in instance if k in properties)
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        sub = schema.get(keyword)
        if sub is not None:
            found.update(
                k for k, v in instance.items() if next(validator.descend(v, sub), None) is None
            )
    for pattern in schema.get("patternProperties") or ():
        found.update(k for k in instance if _matches(pattern, k) is not False)
    for key, sub in (schema.get("dependentSchemas") or {}).items():
        if key in instance:
            found |= _evaluated_keys(validator, instance, sub)
    for keyword in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(keyword) or ():
            if next(validator.descend(instance, sub), None) is None:
                found |= _evaluated_keys(validator, instance, sub)
    if "if" in schema:
        if validator.evolve(schema=schema["if"]).is_valid(instance):
            found |= _evaluated_keys(validator, instance, schema["if"])
            found |= _evaluated_keys(validator, instance, schema.get("then"))
        else:
            found |= _evaluated_keys(validator, instance, schema.get("else"))
    return found


def _unevaluated_properties(
    validator: Any, unevaluated: Any, instance: Any, schema: Any
) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    evaluated = _evaluated_keys(validator, instance, schema)
    bad = [
        key
        for key in instance
        if key not in evaluated
        and next(validator.descend(instance[key], unevaluated, path=key), None) is not None
    ]
    if not bad:
        return
    listed = ", ".join(repr(k) for k in (sorted(bad, key=str) if unevaluated is False else bad))
    verb = "was" if len(bad) == 1 else "were"
    if unevaluated is False:
        yield ValidationError(
            f"Unevaluated properties are not allowed ({listed} {verb} unexpected)"
        )
    else:
        yield ValidationError(
            "Unevaluated properties are not valid under the given schema "
            f"({listed} {verb} unevaluated and invalid)"
        )


_PATTERN_KEYWORDS: dict[str, Any] = {
    "pattern": _pattern_keyword,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
}
_CLASSES: dict[bool, Any] = {}


def _validator_class(legacy: bool) -> Any:
    """Draft 4 (legacy) or Draft 2020-12, with the pattern keywords above."""
    cls = _CLASSES.get(legacy)
    if cls is None:
        import jsonschema
        from jsonschema.validators import extend

        if legacy:
            cls = extend(jsonschema.Draft4Validator, _PATTERN_KEYWORDS)
        else:
            keywords = {**_PATTERN_KEYWORDS, "unevaluatedProperties": _unevaluated_properties}
            cls = extend(jsonschema.Draft202012Validator, keywords)
        _CLASSES[legacy] = cls
    return cls


_VALIDATORS: OrderedDict[tuple[int, str, bool], tuple[Mapping[str, Any], Any]] = OrderedDict()
_VALIDATOR_CACHE_SIZE = 256


class _BrokenSchema(Exception):
    """The schema itself cannot be used for validation."""


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(text).strip().splitlines()[0] if str(text).strip() else type(exc).__name__


def _validator(schema: Mapping[str, Any], direction: Direction, legacy: bool) -> Any:
    """A checked jsonschema validator for a schema; kept for the schemas seen last, since
    the model hands out the same (read-only) schema objects again and again."""
    key = (id(schema), direction, legacy)
    hit = _VALIDATORS.get(key)
    if hit is not None and hit[0] is schema:
        with contextlib.suppress(KeyError):  # evicted meanwhile by another thread (the mock's)
            _VALIDATORS.move_to_end(key)
        return hit[1]
    cls = _validator_class(legacy)
    try:
        # Not check_schema(): real documents bend the rules (a 3.1-style keyword in a 3.0
        # document, an empty `required`), and validating the parts that work is worth more
        # than refusing the whole schema. What really cannot be used fails below.
        plain = _openapi30_to_jsonschema(schema, direction, legacy)
        validator = cls(plain, format_checker=format_checker())
    except Exception as exc:  # a broken schema can fail in many ways inside jsonschema
        raise _BrokenSchema(_first_line(exc)) from None
    _VALIDATORS[key] = (schema, validator)
    if len(_VALIDATORS) > _VALIDATOR_CACHE_SIZE:
        with contextlib.suppress(KeyError):
            _VALIDATORS.popitem(last=False)
    return validator


def validate(
    value: Any,
    schema: Mapping[str, Any] | None,
    *,
    openapi_version: str = "3.0",
    direction: Direction = "request",
) -> list[SchemaIssue]:
    """Every way `value` breaks `schema` (empty when it fits), by JSON pointer.

    A schema that cannot be used (a bad regex, a keyword of the wrong type, a `$ref` that
    was not resolved) gives one issue with the keyword "schema", never an exception.
    """
    if not isinstance(schema, Mapping) or not schema:
        return []
    legacy = not openapi_version.startswith("3.1")
    issues: list[SchemaIssue] = []
    outer = getattr(_deadline, "at", None)
    if outer is None:
        _deadline.at = time.monotonic() + PATTERNS_BUDGET
    try:
        validator = _validator(schema, direction, legacy)
        errors: Iterable[Any] = validator.iter_errors(value)
        for error in errors:
            pointer = join_pointer(error.absolute_path)
            issues.append(SchemaIssue(pointer, error.message, str(error.validator)))
            if len(issues) >= MAX_ISSUES:
                break
    except _BrokenSchema as exc:
        return [SchemaIssue("", f"the schema itself could not be used: {exc}", "schema")]
    except Exception as exc:  # a broken schema fails in many ways inside jsonschema
        return [
            SchemaIssue("", f"the schema itself could not be used: {_first_line(exc)}", "schema")
        ]
    finally:
        _deadline.at = outer
    issues.sort(key=lambda i: i.pointer)
    return issues
