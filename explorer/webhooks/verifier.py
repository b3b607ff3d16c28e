"""What a receiver checks deliveries with: one scheme and secret, or each event as its
document declares it. No Qt.

    >>> check = Verifier.fixed(Scheme.stripe(), secret)
    >>> check = Verifier.for_events(events_of(api), {"STRIPE_WEBHOOK_SECRET": "whsec_...",
    ...                                             "ECOSIRE_LICENSE_SECRET": "..."})
    >>> check(body, headers)              # a Verdict

Per event, the scheme is the one of the event the body names (a JSON body's `type`, as
Stripe and ECOSIRE events carry), else of the event whose signature header came, else
the first one. The other secrets it knows make a mismatch say "wrong secret" when one of
them is the right one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from explorer.webhooks.events import WebhookEvent
from explorer.webhooks.signing import Scheme, SignatureBook, Verdict

__all__ = ["Verifier", "event_type"]


def event_type(body: bytes) -> str:
    """The `type` a JSON event body names ("" when it is not one, or is large)."""
    if len(body) > 4 * 1024 * 1024 or not body.lstrip().startswith(b"{"):
        return ""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return ""
    kind = value.get("type") if isinstance(value, dict) else None
    return kind[:200] if isinstance(kind, str) else ""


@dataclass(frozen=True)
class _Rule:
    scheme: Scheme
    secret_name: str
    events: tuple[str, ...]


@dataclass
class Verifier:
    """A callable `(body, headers) -> Verdict` (see the module docstring)."""

    rules: tuple[_Rule, ...]
    secrets: Mapping[str, str]
    book: SignatureBook = field(default_factory=SignatureBook)
    tolerance: int | None = None

    @classmethod
    def fixed(
        cls,
        scheme: Scheme,
        secret: str,
        *,
        name: str = "the secret",
        book: SignatureBook | None = None,
    ) -> Verifier:
        return cls((_Rule(scheme, name, ()),), {name: secret}, book or SignatureBook())

    @classmethod
    def for_events(
        cls,
        events: Sequence[WebhookEvent],
        secrets: Mapping[str, str],
        *,
        fallback: Scheme | None = None,
        book: SignatureBook | None = None,
    ) -> Verifier:
        """One rule per (scheme, secret name) the events declare, in their order."""
        rules: dict[tuple[Scheme, str], list[str]] = {}
        for event in events:
            scheme = event.scheme
            if scheme is not None:
                rules.setdefault((scheme, event.secret_name or "WEBHOOK_SECRET"), []).append(
                    event.name
                )
        if not rules and fallback is not None:
            rules[(fallback, "WEBHOOK_SECRET")] = []
        made = tuple(_Rule(s, n, tuple(names)) for (s, n), names in rules.items())
        return cls(made, dict(secrets), book or SignatureBook())

    @property
    def schemes(self) -> tuple[Scheme, ...]:
        return tuple(rule.scheme for rule in self.rules)

    def _rule_for(self, body: bytes, headers: Sequence[tuple[str, str]]) -> _Rule | None:
        if not self.rules:
            return None
        if len(self.rules) == 1:
            return self.rules[0]
        kind = event_type(body)
        if kind:
            named = next((r for r in self.rules if kind in r.events), None)
            if named is not None:
                return named
        present = {k.lower() for k, _ in headers}
        return next((r for r in self.rules if r.scheme.header.lower() in present), self.rules[0])

    def __call__(self, body: bytes, headers: Sequence[tuple[str, str]]) -> Verdict:
        rule = self._rule_for(body, headers)
        if rule is None:
            return Verdict(False, "no-secret", "No signing scheme is set: nothing is verified")
        secret = self.secrets.get(rule.secret_name, "")
        if not secret:
            return Verdict(
                False, "no-secret", f"No secret is set for {rule.secret_name}: nothing is verified"
            )
        others = {n: v for n, v in self.secrets.items() if n != rule.secret_name and v != secret}
        return rule.scheme.verify(
            body,
            headers,
            secret,
            tolerance=self.tolerance,
            other_secrets=others,
            book=self.book,
        )
