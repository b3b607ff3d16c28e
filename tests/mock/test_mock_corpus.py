"""The corpus: every operation of the shared public documents and of the demo, sent as its
form opens (no typing) to `explorer mock` of the same document (tests/mock/corpus.py).

Every pre-filled body passes the body check, and every answer is one the window marks ✓:
a documented status, a documented media type, a body that passes the documented schema.
What the documents themselves get wrong is named here and reported, not hidden:
- operations that document no success status (only errors, or only `101`): a valid
  request is answered 200 without a body, a status no documented one fits;
- oneOf choices no value can tell apart (`{type: string}` twice): no body can fit;
- response examples that break their own schema (the mock makes a value instead), listed
  as spec warnings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from explorer import spec
from explorer.demo import demo_spec_path
from tests.shared_documents import DOCUMENTS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import Figures, run


def documented_success(op: spec.Operation) -> bool:
    statuses = [r.status.upper() for r in op.responses]
    return any(s == "DEFAULT" or s[:1] in "23" for s in statuses)


def document_errors(path: Path, figures: Figures) -> tuple[list[str], list[str]]:
    """(body failures, answer failures) that are not the document's own error."""
    api = spec.load(path)
    no_success = {op.key for op in api.operations if not documented_success(op)}
    impossible = {
        key(f) for f in figures.body_failures if any(choices in f for choices in _INDISTINGUISHABLE)
    }

    def ours(line: str) -> bool:
        if key(line) in no_success and "is not documented" in line:
            return False
        return key(line) not in impossible

    bodies = [f for f in figures.body_failures if ours(f)]
    answers = [f for f in figures.answer_failures if ours(f)]
    return bodies, answers


_INDISTINGUISHABLE = (
    "is valid under each of {'type': 'string'}, {'type': 'string'}",
    "is valid under each of {'description': 'oneof two'}, {'description': 'oneof one'}",
)
"""The oneOf choices of the shared documents that no value can tell apart."""


def key(line: str) -> str:
    """The operation a failure line is about ("POST /pets: ...")."""
    return line.split(": ", 1)[0]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_operation_sent_as_it_opens_is_answered_within_the_document(
    name: str, shared_specs: Path
) -> None:
    path = shared_specs / name
    figures = run(path)
    print(figures.line())
    for warning in figures.example_warnings[:20]:
        print("  spec warning:", warning)
    bodies, answers = document_errors(path, figures)
    assert bodies == []
    assert answers == []
    assert figures.answers == figures.operations


def test_every_demo_operation_sent_as_it_opens_is_answered_within_the_document() -> None:
    figures = run(demo_spec_path())
    print(figures.line())
    assert figures.bodies >= 400 and figures.bodies_ok == figures.bodies
    assert figures.answers_ok == figures.answers == figures.operations
    assert figures.example_warnings == []  # the demo's examples fit their schemas
