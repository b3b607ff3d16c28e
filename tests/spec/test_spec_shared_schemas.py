"""Every schema of the shared public documents and of the demo gets a generated value that
validates against it: parameters, request bodies and responses, each direction as used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer import spec
from explorer.demo import demo_spec_path
from tests.shared_documents import DOCUMENTS, SHARED_SPECS

SHARED = SHARED_SPECS


def schemas(api: spec.Spec) -> Iterator[tuple[str, Any, Any]]:
    """(where, schema, direction) of every schema an operation uses, each object once."""
    seen: set[tuple[int, str]] = set()
    for op in api.operations:
        found: list[tuple[str, Any, Any]] = []
        found += [(f"{op.key} {p.name}", p.schema, "request") for p in op.parameters]
        if op.request_body is not None:
            found += [(f"{op.key} body", m.schema, "request") for m in op.request_body.content]
        for r in op.responses:
            found += [(f"{op.key} {r.status}", m.schema, "response") for m in r.content]
        for where, schema, direction in found:
            if schema and (id(schema), direction) not in seen:
                seen.add((id(schema), direction))
                yield where, schema, direction


def indistinguishable(issue: spec.SchemaIssue) -> bool:
    """A oneOf whose choices no value can tell apart (the same schema twice, or two
    schemas that say nothing): the document's error, which no generator can fix."""
    return issue.keyword == "oneOf" and issue.message.endswith(
        ("{'type': 'string'}, {'type': 'string'}", "{'description': 'oneof one'}")
    )


def check(path: Path) -> tuple[int, list[str]]:
    api = spec.load(path)
    count, failures = 0, []
    for where, schema, direction in schemas(api):
        count += 1
        value = spec.sample(schema, direction, limit=100_000, openapi_version=api.openapi_version)
        issues = spec.validate(
            value, schema, openapi_version=api.openapi_version, direction=direction
        )
        if [i for i in issues if not indistinguishable(i)]:
            failures.append(f"{where}: {issues[:2]}")
    return count, failures


@pytest.mark.parametrize("name", DOCUMENTS)
def test_generated_values_fit_every_schema_of_the_shared_documents(
    name: str, shared_specs: Path
) -> None:
    count, failures = check(shared_specs / name)
    assert count > 0 or name == "oas-examples/security-3.1.yaml"  # it declares no schema
    assert failures == []


def test_generated_values_fit_every_schema_of_the_demo() -> None:
    count, failures = check(demo_spec_path())
    assert count > 1000
    assert failures == []
