"""Fuzzing the loader with mutated real documents: a Spec or a SpecError, nothing else."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import spec
from explorer.inspect import inspect_report

from .conftest import FIXTURES

SPECS = Path(__file__).resolve().parents[3] / "shared" / "specs"
SMALL = [
    "oas-examples/callbacks-3.0.json",
    "oas-examples/petstore-2.0.yaml",
    "oas-examples/polymorphism-3.0.json",
    "oas-examples/schema-circular-3.0.json",
    "oas-examples/security-3.1.yaml",
    "oas-examples/train-travel-3.1.yaml",
    "multi-file/petstore-separate/spec/openapi.yaml",
]


def _documents() -> list[tuple[str, Any]]:
    docs = []
    for name in SMALL:
        path = SPECS / name
        if path.exists():
            docs.append((str(path), yaml.safe_load(path.read_bytes())))
    # always something to fuzz, also where ../shared/specs is absent
    docs.append(
        (str(FIXTURES / "fuzz-seed.json"), orjson.loads((FIXTURES / "fuzz-seed.json").read_bytes()))
    )
    return docs


DOCUMENTS = _documents()

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(
        ["#/components/schemas/Pet", "#/nope", "../x.yaml", "http://127.0.0.1:9/x", "#", "/"]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "$ref",
                    "type",
                    "properties",
                    "items",
                    "allOf",
                    "name",
                    "in",
                    "schema",
                    "content",
                    "responses",
                    "get",
                    "parameters",
                    "x",
                ]
            )
            | st.text(max_size=4),
            children,
            max_size=3,
        )
    ),
    max_leaves=8,
)


def _containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a dict or list member in the tree."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*path, k))
            out.extend(_containers(v, (*path, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((*path, i))
            out.extend(_containers(v, (*path, i)))
    return out


def _change_type(value: Any) -> Any:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, str):
        return {"$ref": value}
    return str(value)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    uri, original = draw(st.sampled_from(DOCUMENTS))
    doc = copy.deepcopy(original)
    paths = _containers(doc)
    for _ in range(draw(st.integers(1, 6))):
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            old = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["replace", "delete", "retype", "ref"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "retype":
            parent[path[-1]] = _change_type(old)
        else:
            parent[path[-1]] = {
                "$ref": draw(
                    st.sampled_from(
                        [
                            "#/components/schemas",
                            "#/paths",
                            "#",
                            "#/info/title",
                            "#/" + "/".join(map(str, path)),
                        ]
                    )
                )
            }
    as_yaml = draw(st.booleans())
    try:
        data = yaml.safe_dump(doc).encode() if as_yaml else orjson.dumps(doc)
    except (orjson.JSONEncodeError, yaml.YAMLError, ValueError, TypeError):
        data = orjson.dumps(original)
    return uri, data


@st.composite
def damaged_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    uri, original = draw(st.sampled_from(DOCUMENTS))
    data = bytearray(
        (SPECS / uri).read_bytes() if (SPECS / uri).exists() else orjson.dumps(original)
    )
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if action == "truncate":
            del data[at:]
        elif action == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "insert":
            data[at:at] = draw(
                st.binary(min_size=1, max_size=8)
                | st.sampled_from(
                    [
                        b"&a",
                        b"*a",
                        b"!!python/object/apply:os.system [ls]",
                        b"\x00",
                        b"\xff\xfe",
                        b"{",
                        b"- ",
                    ]
                )
            )
        else:
            del data[at : at + draw(st.integers(1, 50))]
    return uri, bytes(data)


def _exercise(uri: str, data: bytes) -> None:
    try:
        api = spec.load_bytes(data, uri)
    except spec.SpecError as exc:
        assert str(exc)  # a message a person can read
        assert "\n" not in str(exc).strip() or "YAML" in str(exc)
        return
    report = inspect_report(api)  # resolves every operation and webhook
    assert report["operations"] == len(api.operations)
    for op in (*api.operations, *api.webhooks):
        for callback in op.callbacks:
            for cb_op in callback.operations:
                cb_op.resolve_all()
        for param in op.parameters:
            spec.sample(param.schema)
        if op.request_body is not None:
            for media in op.request_body.content:
                value = spec.sample(media.schema, "request")
                spec.validate(value, media.schema, openapi_version=api.openapi_version)
        for response in op.responses:
            for media in response.content:
                spec.sample(media.schema, "response")
        for server in op.servers:
            server.resolve()
    for m in api.modules:
        assert m.operations
    for w in api.warnings:
        assert isinstance(w.message, str) and w.message


FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(mutated())
def test_mutated_documents_load_or_fail_cleanly(case: tuple[str, bytes]) -> None:
    _exercise(*case)


@FUZZ
@given(damaged_bytes())
def test_damaged_bytes_load_or_fail_cleanly(case: tuple[str, bytes]) -> None:
    _exercise(*case)


@pytest.mark.parametrize("uri", [d[0] for d in DOCUMENTS])
def test_seed_documents_load_cleanly(uri: str) -> None:
    data = Path(uri).read_bytes()
    api = spec.load_bytes(data, uri, allow_outside_refs=True)  # petstore-separate: ../common
    inspect_report(api)
    assert api.warnings == []
