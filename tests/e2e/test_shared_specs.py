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

Wait = Callable[..., Coroutine[Any, Any, None]]
SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "specs"
DOCUMENTS = [
    "digitalocean-3.0.json",
    "docker-2.0.yaml",
    "stripe-3.0.yaml",
    "multi-file/petstore-separate/spec/openapi.yaml",
    "oas-examples/petstore-2.0.yaml",
    "oas-examples/train-travel-3.1.yaml",
    "oas-examples/security-3.1.yaml",
    "oas-examples/callbacks-3.0.json",
    "oas-examples/schema-circular-3.0.json",
    "oas-examples/polymorphism-3.0.json",
    "oas-examples/star-trek-3.0.yaml",
]


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
