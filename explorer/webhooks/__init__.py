"""Webhooks: the events a document declares, their signatures, deliveries and a local
receiver. No Qt here.

    >>> from explorer import webhooks
    >>> event = webhooks.find_event(api, "license.activated")
    >>> scheme = event.scheme                                  # from its x-signature
    >>> delivery = webhooks.build_delivery(url, event.sample_body(), scheme, secret)
    >>> webhooks.delivery_curl(delivery)                       # the secret as ${NAME}
    >>> scheme.verify(body, headers, secret)                   # a Verdict: ok, or why not
    >>> with webhooks.Receiver(verifier) as receiver: ...      # 127.0.0.1, deliveries listed
"""

from explorer.webhooks.delivery import (
    USER_AGENT,
    Delivery,
    build_delivery,
    delivery_curl,
    replay_request,
)
from explorer.webhooks.events import EXTENSION, WebhookEvent, count_events, events_of, find_event
from explorer.webhooks.receiver import MAX_DELIVERY, ReceivedDelivery, Receiver, ReceiverError
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
