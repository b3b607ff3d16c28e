"""Every public document in ../shared/specs opens in the window, and a request built by
its form reaches `explorer mock` serving that same document and gets a response."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from explorer import spec
from explorer.mock import MockServer
from explorer.ui.main_window import MainWindow
from tests.shared_documents import DOCUMENTS, SHARED_SPECS

Wait = Callable[..., Coroutine[Any, Any, None]]
SPECS = SHARED_SPECS


def simple_get(api: spec.Spec) -> spec.Operation:
    """A GET whose parameters are all optional (else the first operation)."""
    for op in api.operations:
        if op.method == "GET" and not any(p.required for p in op.parameters):
            return op
    return api.operations[0]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_open_select_and_send(
    name: str, qloop: Any, wait_for: Wait, window: MainWindow, shared_specs: Path
) -> None:
    path = shared_specs / name
    with MockServer(str(path)) as server:
        api = spec.load(path)
        first = api.servers[0].resolve() if api.servers else "/"
        base = first.split("://", 1)[-1]
        base = "/" + base.split("/", 1)[1] if "/" in base else ""
        preferred = server.base_url + base.rstrip("/")

        async def scenario() -> None:
            assert await window.open_source_async(str(path), preferred)
            assert window.api is not None
            assert window.api.title == api.title
            op = simple_get(window.api)
            assert window.tree.select_operation(op.key)
            assert window.current_op is not None and window.current_op.key == op.key
            window.send()
            await wait_for(lambda: window.response.state_name != "sending", 20, "the response")
            assert window.response.state_name == "result", window.response.state.title.text()
            result = window.response.result
            assert result is not None and result.status < 500
            assert window.code.text.startswith("curl")

        qloop.run_until_complete(scenario())


def chosen_operations(api: spec.Spec) -> list[spec.Operation]:
    """Operations a user is most likely to find unsendable: one with a required path or
    header parameter, one with a JSON request body, one without either."""
    picks: list[spec.Operation] = []
    rules = (
        lambda op: any(p.required and p.location in ("path", "header") for p in op.parameters),
        lambda op: op.request_body is not None and op.request_body.required,
        lambda op: op.method == "GET",
    )
    for rule in rules:
        found = next((op for op in api.operations if rule(op) and op not in picks), None)
        if found is not None:
            picks.append(found)
    return picks


@pytest.mark.parametrize(
    "name",
    [
        "digitalocean-3.0.json",
        "stripe-3.0.yaml",
        "oas-examples/train-travel-3.1.yaml",
        "oas-examples/star-trek-3.0.yaml",
    ],
)
def test_send_without_typing_is_marked_as_matching_the_spec(
    name: str, qloop: Any, wait_for: Wait, window: MainWindow, shared_specs: Path
) -> None:
    """The issue's 'done when': open a public document, press Send on an operation without
    typing, and the answer of `explorer mock` is marked ✓ (never ✗)."""
    path = shared_specs / name
    with MockServer(str(path)) as server:
        api = spec.load(path)
        first = api.servers[0].resolve() if api.servers else "/"
        base = first.split("://", 1)[-1]
        base = "/" + base.split("/", 1)[1] if "/" in base else ""

        async def scenario() -> None:
            assert await window.open_source_async(str(path), server.base_url + base.rstrip("/"))
            assert window.api is not None
            marks: list[str] = []
            for op in chosen_operations(window.api):
                assert window.tree.select_operation(op.key)
                window.send()  # no credential either: a secured operation's 401 is documented
                await wait_for(lambda: window.response.state_name != "sending", 20, "answer")
                assert window.response.state_name == "result", op.key
                result = window.response.result
                assert result is not None and result.status < 500, (op.key, result.status)
                assert op.response(result.status) is not None, (op.key, result.status)
                label = window.response.schema_label
                await wait_for(lambda lb=label: "Checking" not in lb.text(), 20, "the check")
                if label.isVisibleTo(window):
                    assert "✗" not in label.text(), (op.key, label.text())
                    marks.append(label.text())
            assert any(m.startswith("✓") for m in marks), marks

        qloop.run_until_complete(scenario())
