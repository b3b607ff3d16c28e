"""The events a document says its API sends: 3.1 `webhooks`, 3.0 `x-webhooks`, and the
callbacks of its operations. No Qt.

    >>> for event in events_of(api):
    ...     event.name, event.kind, event.scheme, event.secret_name, event.sample_body()

An event is an `Operation` the API sends to you: its request body is the payload, its
`x-signature` member (or the document's) says how the payload is signed:

    x-signature: {scheme: stripe, header: Stripe-Signature, secret: STRIPE_WEBHOOK_SECRET}

Callbacks are found without resolving every operation: the raw document is scanned for
operations that declare `callbacks`, and only those are resolved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from explorer.http.media import initial_text, is_json_media_type
from explorer.spec import MediaType, Operation, Spec
from explorer.webhooks.signing import Scheme, scheme_from_extension

__all__ = ["EXTENSION", "WebhookEvent", "count_events", "events_of", "find_event"]

EXTENSION = "x-signature"
"""The member (on an event's operation, or the document's root) that declares how events
are signed: scheme, header, secret (the name of the secret)."""


@dataclass(frozen=True, eq=False)
class WebhookEvent:
    """One event the API sends: a webhook, or a callback of an operation."""

    name: str
    kind: str  # "webhook" or "callback"
    operation: Operation
    source: str = ""
    """For a callback: the operation that declares it ("POST /payments")."""
    expression: str = ""
    """For a callback: the runtime expression of the URL it is sent to."""
    root_signature: Any = None

    @property
    def summary(self) -> str:
        return self.operation.summary

    @property
    def description(self) -> str:
        return self.operation.description

    @property
    def method(self) -> str:
        return self.operation.method

    @property
    def media(self) -> MediaType | None:
        """The payload's media type: the JSON one when there is one."""
        body = self.operation.request_body
        if body is None or not body.content:
            return None
        return next((m for m in body.content if is_json_media_type(m.media_type)), body.content[0])

    @property
    def media_type(self) -> str:
        media = self.media
        return media.media_type if media is not None else "application/json"

    @property
    def schema(self) -> Mapping[str, Any] | None:
        media = self.media
        return media.schema if media is not None else None

    @property
    def _signature(self) -> Any:
        own = self.operation.extensions.get(EXTENSION)
        return own if isinstance(own, Mapping) else self.root_signature

    @property
    def scheme(self) -> Scheme | None:
        """How the document says this event is signed (None: it does not say)."""
        return scheme_from_extension(self._signature)

    @property
    def secret_name(self) -> str:
        """The name of the secret that signs it ("STRIPE_WEBHOOK_SECRET"; "" unknown)."""
        sig = self._signature
        name = sig.get("secret") if isinstance(sig, Mapping) else None
        return name.strip()[:100] if isinstance(name, str) else ""

    def sample_text(self) -> str:
        """The payload to start from: the example, else one made from the schema
        (JSON indented)."""
        media = self.media
        return initial_text(media) if media is not None else "{}"

    def sample_body(self) -> bytes:
        """The payload as a sender puts it on the wire: compact JSON (the example or the
        schema's sample), or the sample text as it is."""
        text = self.sample_text()
        try:
            value = json.loads(text)
        except ValueError:
            return text.encode("utf-8")
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _callback_sources(api: Spec) -> list[Operation]:
    """The operations whose raw object declares `callbacks` (found without resolving)."""
    raw = api.raw if isinstance(api.raw, Mapping) else {}
    paths = raw.get("paths")
    if not isinstance(paths, Mapping):
        return []
    found: list[Operation] = []
    for path, item in paths.items():
        if not isinstance(item, Mapping):
            continue
        for method, op in item.items():
            if isinstance(op, Mapping) and op.get("callbacks"):
                resolved = api.operation(str(method), str(path))
                if resolved is not None:
                    found.append(resolved)
    return found


def events_of(api: Spec) -> tuple[WebhookEvent, ...]:
    """Every event of a document: its webhooks in order, then the callbacks."""
    raw = api.raw if isinstance(api.raw, Mapping) else {}
    root = raw.get(EXTENSION)
    events = [WebhookEvent(op.path, "webhook", op, root_signature=root) for op in api.webhooks]
    for source in _callback_sources(api):
        for callback in source.callbacks:
            for op in callback.operations:
                events.append(
                    WebhookEvent(
                        callback.name,
                        "callback",
                        op,
                        source=source.key,
                        expression=callback.expression,
                        root_signature=root,
                    )
                )
    return tuple(events)


def count_events(api: Spec) -> int:
    """How many events `events_of` lists (the one count the tree and the welcome show)."""
    return len(events_of(api))


def find_event(api: Spec, name: str) -> WebhookEvent | None:
    """An event by its name (a webhook's name, a callback's name or "METHOD name")."""
    events = events_of(api)
    exact = next((e for e in events if e.name == name), None)
    if exact is not None:
        return exact
    return next((e for e in events if f"{e.method} {e.name}" == name), None)
