"""Webhooks: the events a document declares, their signatures, deliveries and a local
receiver. No Qt here.

    >>> from explorer import webhooks
    >>> event = webhooks.find_event(api, "license.activated")
    >>> scheme = event.scheme                                  # from its x-signature
    >>> delivery = webhooks.build_delivery(url, event.sample_body(), scheme, secret)
    >>> webhooks.delivery_curl(delivery)                       # the secret as ${NAME}
    >>> scheme.verify(body, headers, secret)                   # a Verdict: ok, or why not
    >>> with webhooks.Receiver(verifier) as receiver: ...      # 127.0.0.1, deliveries listed

Names are loaded on first use: the tree counts events (`events`) without loading the
HTTP stack or the receiver's server.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.webhooks.delivery import (
        USER_AGENT,
        Delivery,
        build_delivery,
        delivery_curl,
        replay_request,
    )
    from explorer.webhooks.events import (
        EXTENSION,
        WebhookEvent,
        count_events,
        events_of,
        find_event,
    )
    from explorer.webhooks.receiver import (
        MAX_DELIVERY,
        ReceivedDelivery,
        Receiver,
        ReceiverError,
    )
    from explorer.webhooks.signing import (
        ALGORITHMS,
        DEFAULT_TOLERANCE,
        REASONS,
        SCHEME_KINDS,
        Scheme,
        SignatureBook,
        Verdict,
        scheme_from_extension,
    )
    from explorer.webhooks.verifier import Verifier, event_type

_LAZY = {
    **dict.fromkeys(
        ("USER_AGENT", "Delivery", "build_delivery", "delivery_curl", "replay_request"),
        "explorer.webhooks.delivery",
    ),
    **dict.fromkeys(
        ("EXTENSION", "WebhookEvent", "count_events", "events_of", "find_event"),
        "explorer.webhooks.events",
    ),
    **dict.fromkeys(
        ("MAX_DELIVERY", "ReceivedDelivery", "Receiver", "ReceiverError"),
        "explorer.webhooks.receiver",
    ),
    **dict.fromkeys(
        (
            "ALGORITHMS",
            "DEFAULT_TOLERANCE",
            "REASONS",
            "SCHEME_KINDS",
            "Scheme",
            "SignatureBook",
            "Verdict",
            "scheme_from_extension",
        ),
        "explorer.webhooks.signing",
    ),
    **dict.fromkeys(("Verifier", "event_type"), "explorer.webhooks.verifier"),
}

__all__ = [
    "ALGORITHMS",
    "DEFAULT_TOLERANCE",
    "EXTENSION",
    "MAX_DELIVERY",
    "REASONS",
    "SCHEME_KINDS",
    "USER_AGENT",
    "Delivery",
    "ReceivedDelivery",
    "Receiver",
    "ReceiverError",
    "Scheme",
    "SignatureBook",
    "Verdict",
    "Verifier",
    "WebhookEvent",
    "build_delivery",
    "count_events",
    "delivery_curl",
    "event_type",
    "events_of",
    "find_event",
    "replay_request",
    "scheme_from_extension",
]


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'explorer.webhooks' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
