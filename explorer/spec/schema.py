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
from explorer.spec._samples import MAX_SAMPLE_DEPTH, MAX_SAMPLE_STRING, SampleTooLarge, sample
from explorer.spec.formats import format_checker
from explorer.spec.model import CYCLE_KEY, REF_KEY, UNRESOLVED_KEY, follow_cycle
from explorer.spec.patterns import PATTERN_TIMEOUT, compile_pattern, pattern_search

__all__ = [
    "MAX_SAMPLE_DEPTH",
    "MAX_SAMPLE_STRING",
    "SampleTooLarge",
    "SchemaIssue",
    "sample",
    "validate",
]

Direction = Literal["request", "response"]

MAX_ISSUES = 200


# -- validation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemaIssue:
    """One way a value breaks its schema: where (a JSON pointer into the value) and why."""

    pointer: str
    message: str
    keyword: str = ""
    expected: Any = None  # the keyword's value in the schema (the format, the bound ...)

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


def _openapi30_to_jsonschema(
    node: Any, direction: Direction, legacy: bool, converter: _Converter | None = None
) -> Any:
    """Rewrite an OpenAPI 3.0/2.0 (legacy) or 3.1 schema into plain JSON Schema.

    Resolved schemas share their parts (a schema used in many places is one object), so
    as a tree they can be astronomically large (Stripe's are): each part is converted
    once and the result shares it the same way.
    """
    return (converter or _Converter(direction, legacy)).convert(node)


CYCLE_URI = "urn:explorer:cycle:"
"""Where a converted schema refers to what a cycle marker stands for (see `_Converter`)."""


class _Converter:
    """Converts resolved schemas to plain JSON Schema (see `_openapi30_to_jsonschema`).

    A cycle marker becomes a `$ref` to `CYCLE_URI` + a number, and `retrieve` (the
    `referencing` registry's) converts what the marker stands for when validation first
    reaches it: what a schema inherits past the cut (an `allOf` edge) is checked, and
    nothing is converted that no value reaches."""

    def __init__(self, direction: Direction, legacy: bool) -> None:
        self.direction = direction
        self.legacy = legacy
        self.done: dict[int, Any] = {}
        self.keep: list[Any] = []  # keeps converted nodes alive, so their ids stay theirs
        self.markers: list[Mapping[str, Any]] = []
        self.marker_numbers: dict[int, int] = {}
        self.retrieved: dict[str, Any] = {}
        self.lock = threading.Lock()  # a cached validator is used by several threads

    def marker_ref(self, marker: Mapping[str, Any]) -> dict[str, Any]:
        number = self.marker_numbers.get(id(marker))
        if number is None:
            number = self.marker_numbers[id(marker)] = len(self.markers)
            self.markers.append(marker)
        return {"$ref": f"{CYCLE_URI}{number}"}

    def retrieve(self, uri: str) -> Any:
        """The `referencing` resource of a cycle marker's target, converted once."""
        from referencing.exceptions import NoSuchResource
        from referencing.jsonschema import DRAFT4, DRAFT202012

        with self.lock:
            hit = self.retrieved.get(uri)
            if hit is None:
                number = uri.removeprefix(CYCLE_URI)
                if not number.isdigit() or int(number) >= len(self.markers):
                    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
                target = follow_cycle(self.markers[int(number)])
                contents = self.convert(target) if isinstance(target, Mapping) else {}
                hit = self.retrieved[uri] = contents
        spec = DRAFT4 if self.legacy else DRAFT202012
        return spec.create_resource(hit)

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
        if CYCLE_KEY in node and callable(getattr(node, "follow", None)):
            result.update(self.marker_ref(node))
            return result
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


PATTERNS_BUDGET = 1.0
"""Seconds all pattern checks of one `validate()` call may take together; checks after
that are undecided at once (a body of a thousand ReDoS strings is not 50 s of work)."""
_deadline = threading.local()


def _matches(pattern: str, text: str) -> bool | None:
    """Whether `pattern` finds a match in `text`; None when undecided (ran out of time, or
    a pattern that cannot be used even read as ECMA-262: a spec warning, never a refusal
    of the value)."""
    if not isinstance(pattern, str) or compile_pattern(pattern) is None:
        return None
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
        converter = _Converter(direction, legacy)
        plain = _openapi30_to_jsonschema(schema, direction, legacy, converter)
        if converter.markers:
            from referencing import Registry

            registry: Any = Registry(retrieve=converter.retrieve)  # type: ignore[call-arg]
            validator = cls(plain, format_checker=format_checker(), registry=registry)
        else:
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
            expected = error.validator_value
            if not isinstance(expected, str | int | float | bool | None):
                expected = None  # only plain values: an issue stays small and hashable
            issues.append(SchemaIssue(pointer, error.message, str(error.validator), expected))
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
