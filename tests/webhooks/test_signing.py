"""Signatures: known answers against Stripe's own library (both ways), the ECOSIRE
license scheme against the demo document's examples, generic HMAC, and every reason a
signature is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
import stripe

from explorer import spec
from explorer.webhooks import (
    REASONS,
    Scheme,
    SignatureBook,
    events_of,
    find_event,
    scheme_from_extension,
)

SECRET = "whsec_test_secret_for_explorer"
BODY = b'{"id":"evt_1","object":"event","type":"invoice.paid","created":1711000000,"data":{}}'


def test_stripe_accepts_what_we_sign() -> None:
    (header,) = Scheme.stripe().sign(BODY, SECRET)
    assert header[0] == "Stripe-Signature"
    event = stripe.Webhook.construct_event(BODY.decode(), header[1], SECRET)
    assert event["type"] == "invoice.paid"
    assert stripe.WebhookSignature.verify_header(BODY, header[1], SECRET, tolerance=300)


def test_we_accept_what_stripe_signs() -> None:
    value = stripe.WebhookSignature.generate_signature_header(BODY.decode(), SECRET)
    verdict = Scheme.stripe().verify(BODY, [("Stripe-Signature", value)], SECRET)
    assert verdict.ok and verdict.reason == "valid", verdict
    # a fixed time gives the same bytes both ways
    ours = Scheme.stripe().signature(BODY, SECRET, 1711000000)
    theirs = stripe.WebhookSignature.generate_signature_header(
        BODY.decode(), SECRET, timestamp=1711000000
    )
    assert ours == theirs


def test_tampered_bodies_are_refused_by_both() -> None:
    value = Scheme.stripe().signature(BODY, SECRET)
    tampered = BODY.replace(b"invoice.paid", b"invoice.pain")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(tampered.decode(), value, SECRET)
    verdict = Scheme.stripe().verify(tampered, [("Stripe-Signature", value)], SECRET)
    assert not verdict.ok and verdict.reason == "mismatch"
    theirs = stripe.WebhookSignature.generate_signature_header(BODY.decode(), SECRET)
    verdict = Scheme.stripe().verify(tampered, [("Stripe-Signature", theirs)], SECRET)
    assert not verdict.ok


def test_stale_timestamps_are_refused_by_both() -> None:
    old = int(time.time()) - 3600
    ours = Scheme.stripe().signature(BODY, SECRET, old)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        stripe.Webhook.construct_event(BODY.decode(), ours, SECRET, tolerance=300)
    theirs = stripe.WebhookSignature.generate_signature_header(BODY.decode(), SECRET, timestamp=old)
    verdict = Scheme.stripe().verify(BODY, [("Stripe-Signature", theirs)], SECRET)
    assert not verdict.ok and verdict.reason == "stale"
    assert "1.0 h ago" in verdict.message or "60 min" in verdict.message
    # no tolerance: any age (Stripe's tolerance=None likewise)
    assert Scheme.stripe().verify(BODY, [("Stripe-Signature", theirs)], SECRET, tolerance=0).ok


def test_a_wrong_secret_is_refused_by_both_and_named_when_known() -> None:
    value = Scheme.stripe().signature(BODY, SECRET)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(BODY.decode(), value, "whsec_other")
    verdict = Scheme.stripe().verify(
        BODY, [("Stripe-Signature", value)], "whsec_other", other_secrets={"PROD": SECRET}
    )
    assert verdict.reason == "wrong-secret" and "PROD" in verdict.message


def test_several_v1_signatures_any_one_verifies() -> None:
    t = int(time.time())
    good = Scheme.stripe().signature(BODY, SECRET, t).split(",")[1]
    header = f"t={t},v1={'0' * 64},{good},v0=abc"
    assert Scheme.stripe().verify(BODY, {"stripe-signature": header}, SECRET).ok


@pytest.mark.parametrize(
    ("headers", "reason", "words"),
    [
        ([], "missing-header", "missing"),
        ([("Stripe-Signature", "t=1,v1=" + "a" * 64)] * 2, "doubled-header", "2 times"),
        ([("Stripe-Signature", "v1=" + "a" * 64)], "malformed-header", "no t="),
        ([("Stripe-Signature", "t=1")], "malformed-header", "no v1="),
        ([("Stripe-Signature", "t=abc,v1=" + "a" * 64)], "malformed-header", "Unix time"),
        ([("Stripe-Signature", "t=1,v1=xyz")], "malformed-header", "64 hex"),
        ([("Stripe-Signature", "garbage")], "malformed-header", "t=<time>"),
        ([("Stripe-Signature", "t=1,t=2,v1=" + "a" * 64)], "malformed-header", "two t="),
        ([("Stripe-Signature", "x" * 10_000)], "malformed-header", "too long"),
    ],
)
def test_every_way_a_stripe_header_is_wrong_is_said(
    headers: list[tuple[str, str]], reason: str, words: str
) -> None:
    verdict = Scheme.stripe().verify(BODY, headers, SECRET)
    assert not verdict.ok and verdict.reason == reason and words in verdict.message, verdict
    assert verdict.reason in REASONS


def test_no_secret_is_said() -> None:
    value = Scheme.stripe().signature(BODY, SECRET)
    assert Scheme.stripe().verify(BODY, [("Stripe-Signature", value)], "").reason == "no-secret"


def test_a_timestamp_far_in_the_future_is_refused() -> None:
    value = Scheme.stripe().signature(BODY, SECRET, int(time.time()) + 3600)
    verdict = Scheme.stripe().verify(BODY, [("Stripe-Signature", value)], SECRET)
    assert verdict.reason == "future"


def test_ecosire_license_signatures_are_the_documents_examples() -> None:
    """The demo document's examples are signed with its declared secret; ours agree."""
    from explorer.demo import demo_settings, demo_spec_path

    api = spec.load(demo_spec_path())
    secrets = demo_settings(api).webhook_secrets  # type: ignore[union-attr]
    for event in events_of(api):
        scheme = event.scheme
        assert scheme is not None
        (param,) = event.operation.parameters
        assert param.name == scheme.header
        body = event.sample_body()
        if scheme.kind == "ecosire-license":
            assert scheme.signature(body, secrets[event.secret_name]) == param.example
            expected = hmac.new(secrets[event.secret_name].encode(), body, hashlib.sha256)
            assert param.example == expected.hexdigest()
        else:
            created = json.loads(body)["created"]
            assert scheme.signature(body, secrets[event.secret_name], created) == param.example
        verdict = scheme.verify(
            body, [(scheme.header, param.example)], secrets[event.secret_name], tolerance=0
        )
        assert verdict.ok, (event.name, verdict)


def test_ecosire_license_refusals() -> None:
    scheme = Scheme.ecosire_license()
    secret = "demo-license-secret"
    good = scheme.signature(BODY, secret)
    assert scheme.verify(BODY, [("X-License-Signature", good.upper())], secret).ok
    assert scheme.verify(BODY + b" ", [("x-license-signature", good)], secret).reason in (
        "body-changed",
        "mismatch",
    )
    assert scheme.verify(BODY, [("X-License-Signature", good[:-2])], secret).reason == (
        "malformed-header"
    )
    assert scheme.verify(BODY, [], secret).reason == "missing-header"


def test_generic_hmac_base64_prefix_and_timestamp_header() -> None:
    scheme = Scheme.hmac("X-Hub-Signature", "sha1", "base64", "sha1=", "X-Hub-Timestamp")
    t = int(time.time())
    headers = scheme.sign(BODY, "k", t)
    assert dict(headers)["X-Hub-Timestamp"] == str(t)
    mac = hmac.new(b"k", f"{t}.".encode() + BODY, hashlib.sha1).digest()
    assert dict(headers)["X-Hub-Signature"] == "sha1=" + base64.b64encode(mac).decode()
    assert scheme.verify(BODY, headers, "k").ok
    no_prefix = [("X-Hub-Signature", base64.b64encode(mac).decode()), headers[1]]
    assert scheme.verify(BODY, no_prefix, "k").reason == "malformed-header"
    assert scheme.verify(BODY, headers[:1], "k").reason == "missing-header"
    stale = scheme.sign(BODY, "k", t - 10_000)
    assert scheme.verify(BODY, stale, "k").reason == "stale"
    github = Scheme.hmac("X-Hub-Signature-256", prefix="sha256=")
    value = github.signature(BODY, "k")
    assert value == "sha256=" + hmac.new(b"k", BODY, hashlib.sha256).hexdigest()
    with pytest.raises(ValueError, match="algorithm"):
        Scheme.hmac(algorithm="md5")


def test_a_body_changed_after_signing_is_said_with_where() -> None:
    book = SignatureBook()
    scheme = Scheme.ecosire_license()
    (header,) = scheme.sign(BODY, "s", book=book)
    changed = BODY.replace(b"evt_1", b"evt_2")
    verdict = scheme.verify(changed, [header], "s", book=book)
    assert verdict.reason == "body-changed"
    assert "1 byte differs, the first at byte 11" in verdict.message
    # re-indented JSON is told apart without a book
    pretty = json.dumps(json.loads(BODY), indent=2).encode()
    verdict = scheme.verify(pretty, [header], "s")
    assert verdict.reason == "body-changed" and "re-written" in verdict.message


def test_signatures_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every comparison of digests goes through hmac.compare_digest."""
    import explorer.webhooks.signing as signing

    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(signing.hmac, "compare_digest", spy)
    value = Scheme.stripe().signature(BODY, SECRET)
    assert Scheme.stripe().verify(BODY, [("Stripe-Signature", value)], SECRET).ok
    assert Scheme.ecosire_license().verify(BODY, [("X-License-Signature", "0" * 64)], SECRET)
    assert len(calls) >= 2


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ({"scheme": "stripe", "header": "Stripe-Signature"}, Scheme.stripe()),
        ({"scheme": "hmac-sha256", "header": "X-License-Signature"}, Scheme.ecosire_license()),
        (
            {"scheme": "hmac", "algorithm": "sha512", "encoding": "base64", "header": "X-Sig"},
            Scheme.hmac("X-Sig", "sha512", "base64"),
        ),
        (
            {"scheme": "hmac-sha1", "header": "X-Hub-Signature", "prefix": "sha1="},
            Scheme.hmac("X-Hub-Signature", "sha1", prefix="sha1="),
        ),
        ({"scheme": "stripe", "tolerance": 60}, Scheme.stripe().with_tolerance(60)),
        ({"scheme": "hmac-md5"}, None),
        ({"scheme": "rsa"}, None),
        ({"scheme": 5}, None),
        ("stripe", None),
        (None, None),
    ],
)
def test_the_x_signature_member_is_read_and_never_trusted(
    member: object, expected: Scheme | None
) -> None:
    assert scheme_from_extension(member) == expected


def test_events_of_a_31_document_with_callbacks() -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Hooks", "version": "1"},
        "x-signature": {"scheme": "hmac", "header": "X-Sig", "secret": "HOOKS_SECRET"},
        "paths": {
            "/subscribe": {
                "post": {
                    "responses": {"201": {"description": "ok"}},
                    "callbacks": {
                        "onData": {
                            "{$request.body#/url}": {
                                "post": {
                                    "requestBody": {
                                        "content": {
                                            "application/json": {
                                                "schema": {
                                                    "type": "object",
                                                    "properties": {"n": {"type": "integer"}},
                                                }
                                            }
                                        }
                                    },
                                    "responses": {"200": {"description": "ok"}},
                                }
                            }
                        }
                    },
                }
            }
        },
        "webhooks": {
            "thing.made": {
                "post": {
                    "summary": "A thing was made",
                    "x-signature": {"scheme": "stripe", "secret": "STRIPE"},
                    "requestBody": {
                        "content": {"application/json": {"example": {"type": "thing.made"}}}
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    api = spec.load_bytes(json.dumps(doc).encode())
    events = events_of(api)
    assert [(e.name, e.kind) for e in events] == [("thing.made", "webhook"), ("onData", "callback")]
    made, callback = events
    assert made.scheme == Scheme.stripe() and made.secret_name == "STRIPE"
    assert made.sample_body() == b'{"type":"thing.made"}'
    assert callback.source == "POST /subscribe" and callback.expression == "{$request.body#/url}"
    assert callback.scheme == Scheme.hmac("X-Sig") and callback.secret_name == "HOOKS_SECRET"
    assert json.loads(callback.sample_body()) == {"n": 0}
    found = find_event(api, "onData")
    assert found is not None and found.kind == "callback"
    assert find_event(api, "nothing") is None
