"""Values made from a schema: the one generator the form, the request body and the mock use.

`sample(schema)` gives a value that fits the schema (what `validate()` accepts), made the
same way every time:

- the document's own values first: `example`, `examples[0]`, `default`, `const`, the first
  non-null `enum` value, each used only where it fits (a scalar that breaks its own
  schema's type, bounds, format or pattern is passed over);
- strings that match `pattern` (ECMA-262, `patterns.pattern_example`) and `format`, within
  `minLength`/`maxLength` (and never longer than `MAX_SAMPLE_STRING`); numbers within their
  bounds and on `multipleOf`; arrays of `minItems` (distinct items for `uniqueItems`);
- every required property, always; optional ones until `MAX_SAMPLE_DEPTH` levels of real
  nesting (object properties and array items: `allOf`/`anyOf`/`oneOf` wrappers and `$ref`
  hops are not levels). A reference cycle ends at an optional property (left out) or an
  array (left empty); where the cycle is required, its marker is followed;
- `null` only where the schema allows it (and only when nothing else fits);
- `allOf` parts merged into one schema; `oneOf`/`anyOf` take the first non-null choice
  (with its discriminator value) that fits, for `oneOf` the first that fits only it;
- `readOnly` properties are left out of requests, `writeOnly` ones out of responses.

With a `limit`, making more than that many values raises `SampleTooLarge` (time and
memory stay bounded on schemas whose shared parts multiply).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

from explorer.spec.describe import object_properties, ref_name, schema_types
from explorer.spec.model import CYCLE_KEY, REF_KEY, UNRESOLVED_KEY, follow_cycle
from explorer.spec.patterns import pattern_example, pattern_search

__all__ = ["MAX_SAMPLE_DEPTH", "MAX_SAMPLE_STRING", "SampleTooLarge", "sample"]

Direction = Literal["request", "response"]

MAX_SAMPLE_DEPTH = 8
"""Levels of real nesting (properties, items) below which optional parts are left out."""
MAX_SAMPLE_STRING = 65_536
"""A sample string is never longer than this, whatever `minLength` says."""
MAX_REQUIRED_DEPTH = 64
"""Levels a chain of required properties is followed at most (then the emptiest value)."""
MAX_SAMPLE_ITEMS = 1000
"""Items of one sample array at most, whatever `minItems` says."""
_CHOICES = 6  # oneOf/anyOf choices tried at most

FORMAT_SAMPLES: dict[str, str] = {
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
    "iri-reference": "/resource",
    "uri-template": "https://example.com/{id}",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "U3dhZ2dlciByb2Nrcw==",
    "binary": "",
    "password": "********",
    "duration": "P1D",
    "regex": "^.*$",
    "json-pointer": "/path",
    "relative-json-pointer": "0/path",
    "color": "#1971c2",
}
"""A value of each known string format (the first of a series, see `_format_text`)."""


class SampleTooLarge(ValueError):
    """`sample()` would make more values than its `limit` (a schema whose shared parts
    multiply: ten properties that each hold the next level, nine levels deep)."""


def sample(
    schema: Mapping[str, Any] | None,
    direction: Direction = "request",
    *,
    limit: int | None = None,
    openapi_version: str = "3.0",
) -> Any:
    """A value that fits `schema` (see the module docstring)."""
    return _Sampler(direction, limit, openapi_version).value(schema, 0, 0)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _nullable(schema: Mapping[str, Any]) -> bool:
    """Whether the schema itself lets a value be null (not counting oneOf/anyOf)."""
    types = schema_types(schema)
    if "null" in types:
        return True
    enum = schema.get("enum")
    return isinstance(enum, list) and None in enum and not types


def _implied_type(schema: Mapping[str, Any]) -> str | None:
    """The type a schema without `type` means by its other keywords, if any."""
    if any(k in schema for k in ("pattern", "minLength", "maxLength", "format")):
        return "string"
    if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "multipleOf")):
        return "number"
    if any(k in schema for k in ("required", "minProperties", "patternProperties")):
        return "object"
    if any(k in schema for k in ("minItems", "maxItems", "prefixItems", "uniqueItems")):
        return "array"
    return None


def _fits_scalar(value: Any, schema: Mapping[str, Any]) -> bool:
    """Whether a document's scalar value (an example, a default) fits its own schema: the
    type, enum, bounds, lengths, format and pattern (objects and arrays are trusted)."""
    from explorer.spec.values import check_value

    if isinstance(value, dict | list):
        kind = "object" if isinstance(value, dict) else "array"
        types = schema_types(schema)
        return not types or kind in types
    if value is None:
        return _nullable(schema) or not schema_types(schema)
    types = schema_types(schema)
    if types:
        ok = (
            (isinstance(value, bool) and "boolean" in types)
            or (isinstance(value, str) and "string" in types)
            or (
                _is_number(value)
                and ("number" in types or ("integer" in types and float(value).is_integer()))
            )
        )
        if not ok:
            return False
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and value not in enum:
        return False
    return check_value(value, schema) is None


class _Sampler:
    """One `sample()` call: the direction, the values left to make, the version."""

    def __init__(self, direction: Direction, limit: int | None, version: str) -> None:
        self.direction = direction
        self.limit = limit
        self.left = limit
        self.version = version

    def count(self) -> None:
        if self.left is not None:
            self.left -= 1
            if self.left < 0:
                raise SampleTooLarge(f"the value would hold more than {self.limit:,} values")

    # -- schemas ------------------------------------------------------------------------
    def unwrap(self, schema: Any, depth: int) -> Mapping[str, Any] | None:
        """The schema a marker stands for (followed where it must be), or None."""
        hops = 0
        while isinstance(schema, Mapping) and CYCLE_KEY in schema and hops < 8:
            if depth >= MAX_REQUIRED_DEPTH:
                return None
            schema = follow_cycle(schema)
            hops += 1
        if not isinstance(schema, Mapping) or UNRESOLVED_KEY in schema or CYCLE_KEY in schema:
            return None
        return schema

    def merged(self, schema: Mapping[str, Any], depth: int) -> Mapping[str, Any]:
        """The schema with its `allOf` parts merged in (recursively; markers followed)."""
        parts = schema.get("allOf")
        if not isinstance(parts, list) or not parts:
            return schema
        out: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in parts:
            real = self.unwrap(part, depth)
            if real is None:
                continue
            _merge_into(out, self.merged(real, depth))
        return out

    # -- values ---------------------------------------------------------------------------
    def value(self, schema: Any, depth: int, variant: int) -> Any:
        self.count()
        real = self.unwrap(schema, depth)
        if real is None:
            return None
        schema = self.merged(real, depth)
        found, value = self.document_value(schema, variant)
        if found:
            return value
        for key in ("oneOf", "anyOf"):
            choices = schema.get(key)
            if isinstance(choices, list) and choices:
                return self.choice(schema, key, choices, depth, variant)
        return self.typed(schema, depth, variant)

    def document_value(self, schema: Mapping[str, Any], variant: int) -> tuple[bool, Any]:
        """(found, value): the document's example, default, const or enum value."""
        if "const" in schema:
            return True, schema["const"]
        enum = schema.get("enum")
        real_enum = [e for e in enum if e is not None] if isinstance(enum, list) else []
        if variant and real_enum:
            return True, real_enum[variant % len(real_enum)]
        if variant:
            return False, None
        candidates: list[Any] = []
        if "example" in schema:
            candidates.append(schema["example"])
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            candidates.append(examples[0])
        if "default" in schema:
            candidates.append(schema["default"])
        for candidate in candidates:
            if _fits_scalar(candidate, schema) and self.fits_whole(candidate, schema):
                return True, candidate
        if real_enum:
            return True, real_enum[0]
        if isinstance(enum, list) and enum:
            return True, enum[0]
        return False, None

    def fits_whole(self, value: Any, schema: Mapping[str, Any]) -> bool:
        """Whether a document's object or array value fits the schema as a whole (those
        the document gets wrong are passed over, and made instead)."""
        if not isinstance(value, dict | list):
            return True
        from explorer.spec.schema import validate

        issues = validate(value, schema, openapi_version=self.version, direction=self.direction)
        return all(i.keyword == "schema" for i in issues)

    def choice(
        self, schema: Mapping[str, Any], key: str, choices: list[Any], depth: int, variant: int
    ) -> Any:
        """A value of the first oneOf/anyOf choice that fits (see the module docstring)."""
        from explorer.spec.schema import validate

        rest = {k: v for k, v in schema.items() if k not in (key, "example", "examples")}
        real = [self.unwrap(c, depth) for c in choices]
        options = [c for c in real if c is not None and schema_types(c) != ["null"]]
        if not options:
            return None if any(c is not None for c in real) else self.typed(rest, depth, variant)
        first: Any = None
        for index, option in enumerate(options[:_CHOICES]):
            combined = dict(rest)
            _merge_into(combined, self.merged(option, depth))
            value = self.value(combined, depth, variant)
            value = self.discriminated(schema, option, value)
            if index == 0:
                first = value
            if len(options) == 1:
                return value
            if key == "oneOf":
                value = self.apart(value, option, options)
            issues = validate(value, schema, openapi_version=self.version, direction=self.direction)
            if not issues:
                return value
        return first

    def apart(self, value: Any, option: Mapping[str, Any], options: list[Any]) -> Any:
        """An object value of one oneOf option made to fail the other options that it
        would also fit (so that it fits exactly one): a property that only another option
        names, given a value of another type, where this option lets it be anything."""
        from explorer.spec.schema import validate

        if not isinstance(value, dict):
            return value
        mine, _ = object_properties(option)
        if option.get("additionalProperties") is False:
            return value
        out = dict(value)
        for other in options:
            if other is option:
                continue
            fits = validate(out, other, openapi_version=self.version, direction=self.direction)
            if fits:
                continue
            theirs, _ = object_properties(self.merged(other, 0))
            for name, sub in theirs.items():
                if name in mine or name in out or not isinstance(sub, Mapping):
                    continue
                kind = next((t for t in schema_types(sub) if t != "null"), None)
                if kind is not None and "null" not in schema_types(sub):
                    out[name] = "" if kind != "string" else 0
                    break
        return out

    @staticmethod
    def discriminated(schema: Mapping[str, Any], option: Mapping[str, Any], value: Any) -> Any:
        """The value with the discriminator property set to the option's name."""
        disc = schema.get("discriminator")
        if not isinstance(disc, Mapping) or not isinstance(value, dict):
            return value
        name = disc.get("propertyName")
        if not isinstance(name, str):
            return value
        ref = option.get(REF_KEY)
        label: str | None = None
        mapping = disc.get("mapping")
        if isinstance(mapping, Mapping) and isinstance(ref, str):
            label = next((k for k, v in mapping.items() if v == ref), None)
        if label is None and isinstance(ref, str):
            label = ref_name(ref)
        prop = option.get("properties", {}).get(name) if isinstance(option, Mapping) else None
        fixed = isinstance(prop, Mapping) and ("enum" in prop or "const" in prop)
        if label is not None and not fixed:
            return {**value, name: label}
        return value

    def typed(self, schema: Mapping[str, Any], depth: int, variant: int) -> Any:
        types = schema_types(schema)
        kind = next((t for t in types if t != "null"), None)
        if kind is None and not types:
            kind = _implied_type(schema)
            if kind is None:
                return {}  # anything fits; an empty object reads as "fill me in"
        if kind == "object":
            return self.object(schema, depth)
        if kind == "array":
            return self.array(schema, depth)
        if kind == "string":
            return _string(schema, variant)
        if kind in ("integer", "number"):
            return _number(schema, kind == "integer", variant)
        if kind == "boolean":
            return variant % 2 == 0
        if kind == "file":
            return ""
        return None

    def object(self, schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        raw = schema.get("properties")
        props: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        req = schema.get("required")
        required = {r for r in req if isinstance(r, str)} if isinstance(req, list) else set()
        skip = "readOnly" if self.direction == "request" else "writeOnly"
        shallow = depth < MAX_SAMPLE_DEPTH
        for name, prop in props.items():
            name = str(name)
            needed = name in required
            if not isinstance(prop, Mapping) or (prop.get(skip) is True and not needed):
                continue
            if not needed and (not shallow or _cyclic(prop)):
                continue  # a cycle ends at an optional property
            value = self.value(prop, depth + 1, 0)
            if value is None and not needed and not self.allows_null(prop, depth):
                continue
            out[name] = value
        extra = schema.get("additionalProperties")
        extra_schema = extra if isinstance(extra, Mapping) else {}
        for name in sorted(required - set(out)):
            if name in props:
                continue
            out[name] = self.value(extra_schema, depth + 1, 0) if extra_schema else "string"
        least = schema.get("minProperties")
        want = least if isinstance(least, int) and not isinstance(least, bool) else 0
        if not out and shallow and isinstance(extra, Mapping) and extra and not _cyclic(extra):
            want = max(want, 1)
        n = 0
        while len(out) < min(want, 100) and extra is not False:
            n += 1
            key = "key" if n == 1 else f"key{n}"
            if key not in out:
                out[key] = self.value(extra_schema, depth + 1, n - 1) if extra_schema else "value"
        most = schema.get("maxProperties")
        if isinstance(most, int) and len(out) > most:
            for name in [k for k in out if k not in required][: len(out) - most]:
                del out[name]
        return out

    def allows_null(self, schema: Mapping[str, Any], depth: int) -> bool:
        real = self.unwrap(schema, depth)
        return real is not None and _nullable(self.merged(real, depth))

    def array(self, schema: Mapping[str, Any], depth: int) -> list[Any]:
        items = schema.get("items")
        least = schema.get("minItems")
        low = least if isinstance(least, int) and not isinstance(least, bool) else 0
        most = schema.get("maxItems")
        high = most if isinstance(most, int) and not isinstance(most, bool) else None
        prefix = schema.get("prefixItems")
        out: list[Any] = []
        if isinstance(prefix, list):
            out = [self.value(p, depth + 1, 0) for p in prefix[: max(low, 1)]]
        if low == 0 and (depth >= MAX_SAMPLE_DEPTH or _cyclic(items)):
            return out  # a cycle ends at an empty array
        if high == 0:
            return []
        count = max(low, 1) - len(out)
        count = min(count, MAX_SAMPLE_ITEMS, high if high is not None else count)
        if not isinstance(items, Mapping):
            if count <= 0 or low == 0:
                return out
            items = {}
        unique = schema.get("uniqueItems") is True
        first = self.value(items, depth + 1, 0)
        if first is None and low == 0 and not self.allows_null(items, depth):
            return out
        made = [first]
        variant = 1
        while len(made) < count and variant < count * 3 + 3:
            if unique:
                item = self.value(items, depth + 1, variant)
                if item not in made:
                    made.append(item)
            else:
                made.append(first)
            variant += 1
        return out + made[: max(count, 0)]


def _cyclic(schema: Any) -> bool:
    """Whether a schema is a cycle marker, or a wrapper of only markers (at an optional
    place, where the cycle ends; an array of them ends empty)."""
    if not isinstance(schema, Mapping):
        return False
    if CYCLE_KEY in schema:
        return True
    for key in ("allOf", "anyOf", "oneOf"):
        parts = schema.get(key)
        if isinstance(parts, list) and parts and all(_cyclic(p) for p in parts):
            return True
    return False


def _merge_into(out: dict[str, Any], part: Mapping[str, Any]) -> None:
    """Merge one allOf part into `out` (properties and required together, the stricter
    bound, the first value of anything else)."""
    for key, value in part.items():
        if key == REF_KEY:
            continue
        if key not in out:
            out[key] = value
            continue
        current = out[key]
        if key == "properties" and isinstance(current, Mapping) and isinstance(value, Mapping):
            props = dict(current)
            for name, sub in value.items():
                if name in props and isinstance(props[name], Mapping) and isinstance(sub, Mapping):
                    both = dict(props[name])
                    _merge_into(both, sub)
                    props[name] = both
                else:
                    props[name] = sub
            out[key] = props
        elif key in ("items", "additionalProperties") and isinstance(current, Mapping):
            if isinstance(value, Mapping):
                both = dict(current)
                _merge_into(both, value)
                out[key] = both
        elif key == "required" and isinstance(current, list) and isinstance(value, list):
            out[key] = list(dict.fromkeys([*current, *value]))
        elif key in ("minimum", "minLength", "minItems", "minProperties") and _is_number(value):
            out[key] = max(current, value) if _is_number(current) else value
        elif key in ("maximum", "maxLength", "maxItems", "maxProperties") and _is_number(value):
            out[key] = min(current, value) if _is_number(current) else value
        elif key == "type" and isinstance(current, list) and isinstance(value, str):
            out[key] = value if value in current else current
        elif key == "enum" and isinstance(current, list) and isinstance(value, list):
            common = [v for v in current if v in value]
            out[key] = common or current


# -- scalars --------------------------------------------------------------------------------


def _format_text(fmt: str, variant: int) -> str | None:
    """A value of a string format; another one for each `variant` (distinct array items)."""
    text = FORMAT_SAMPLES.get(fmt)
    if text is None or not variant:
        return text
    if fmt in ("email", "idn-email"):
        return f"user{variant}@example.com"
    if fmt == "uuid":
        return f"{text[:-8]}{variant:08x}"
    if fmt == "date":
        return f"2024-01-{1 + variant % 28:02d}"
    if fmt == "date-time":
        return f"2024-01-{1 + variant % 28:02d}T09:30:00Z"
    if fmt in ("uri", "url", "iri"):
        return f"{text}/{variant}"
    if fmt == "ipv4":
        return f"192.0.2.{variant % 250 + 1}"
    return f"{text}{variant}" if fmt not in ("byte", "binary", "date", "time") else text


def _string(schema: Mapping[str, Any], variant: int) -> str:
    fmt = schema.get("format")
    low = schema.get("minLength")
    high = schema.get("maxLength")
    low = min(low, MAX_SAMPLE_STRING) if isinstance(low, int) and low > 0 else 0
    high = min(high, MAX_SAMPLE_STRING) if isinstance(high, int) and high >= 0 else None
    text = _format_text(fmt, variant) if isinstance(fmt, str) else None
    if text is None:
        text = "string" if not variant else f"string{variant}"
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and pattern_search(pattern, text) is not True:
        made = pattern_example(pattern, low, high, variant)
        if made is not None:
            return made
    return _fit_length(text, low, high)


def _fit_length(text: str, low: int, high: int | None) -> str:
    if len(text) < low:
        text = (text * (low // max(len(text), 1) + 1))[:low] if text else "x" * low
    if high is not None and len(text) > high:
        text = text[:high]
    return text


def _number(schema: Mapping[str, Any], integer: bool, variant: int) -> int | float:
    low: Any = schema.get("minimum")
    high: Any = schema.get("maximum")
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    step_in = 1 if integer else 0.5
    low_open = high_open = False
    if _is_number(ex_low) and (not _is_number(low) or ex_low >= low):
        low, low_open = ex_low, True
    elif ex_low is True and _is_number(low):
        low_open = True
    if _is_number(ex_high) and (not _is_number(high) or ex_high <= high):
        high, high_open = ex_high, True
    elif ex_high is True and _is_number(high):
        high_open = True
    start: Any
    if _is_number(low):
        start = low + step_in if low_open else low
    elif _is_number(high) and high < 0:
        start = high - step_in if high_open else high
    else:
        start = 0
    if integer:
        start = math.ceil(start)
    step: Any = schema.get("multipleOf")
    if _is_number(step) and step > 0:
        start = _on_step(start, step, low if low_open else None)
        start += variant * step
    else:
        start += variant
    if _is_number(high):
        top = high - (step_in if high_open and not (_is_number(step) and step > 0) else 0)
        if start > top or (high_open and start >= high):
            start = _highest(low, high, high_open, integer, step)
    if integer:
        return int(start)
    return float(start) if isinstance(start, float) else int(start)


def _on_step(value: float, step: float, above: float | None) -> float:
    """The first multiple of `step` at or above `value` (above `above`, when open)."""
    multiple = math.ceil(round(value / step, 9)) * step
    if above is not None and multiple <= above:
        multiple += step
    if isinstance(step, int) and isinstance(multiple, float) and multiple.is_integer():
        return int(multiple)
    return round(multiple, 12)


def _highest(low: Any, high: Any, open_top: bool, integer: bool, step: Any) -> Any:
    """A value at the top of the range (where the bottom plus a variant overshot it)."""
    if _is_number(step) and step > 0:
        multiple = math.floor(round(high / step, 9)) * step
        if open_top and multiple >= high:
            multiple -= step
        return round(multiple, 12) if not isinstance(step, int) else multiple
    if integer:
        top = math.floor(high)
        return top - 1 if open_top and top >= high else top
    if open_top:
        return (high + low) / 2 if _is_number(low) else high - 0.5
    return high
