"""A delivery: the signed POST an API would send, to a URL of your choice, and its curl.

    >>> delivery = build_delivery("http://127.0.0.1:9000/hook", body, Scheme.stripe(),
    ...                           secret, secret_env="STRIPE_WEBHOOK_SECRET")
    >>> await sender.send(delivery.prepared)            # explorer.http.Sender
    >>> delivery_curl(delivery)                          # the secret as ${STRIPE_WEBHOOK_SECRET}

A delivery carries the body, its Content-Type, the signature headers and a User-Agent:
never the API's token or any other credential of the open document. Its curl command (by
`explorer.http.snippets.to_curl`) signs the body in the shell with `openssl`, from the
secret in an environment variable and the time the command runs (so it never goes
stale), unless `secret_as_env=False`, which writes the signature as computed here.
No Qt.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Iterable
from dataclasses import dataclass

from explorer.http.model import PreparedRequest
from explorer.http.snippets import env_name, to_curl
from explorer.webhooks.signing import Scheme, SignatureBook

__all__ = ["USER_AGENT", "Delivery", "build_delivery", "delivery_curl", "replay_request"]

USER_AGENT = "explorer-webhooks/1"
_BODY_ENV = "WEBHOOK_BODY"
_SIGNATURE_ENV = "WEBHOOK_SIGNATURE"
_TIMESTAMP_ENV = "WEBHOOK_TIMESTAMP"
_HOP_BY_HOP = {
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "keep-alive",
    "accept-encoding",
    "te",
    "upgrade",
    "proxy-authorization",
    "proxy-connection",
}


@dataclass(frozen=True)
class Delivery:
    """One signed delivery, ready to send."""

    prepared: PreparedRequest
    scheme: Scheme
    timestamp: int
    secret_env: str

    @property
    def body(self) -> bytes:
        return self.prepared.content or b""

    @property
    def signature(self) -> str:
        low = self.scheme.header.lower()
        return next((v for k, v in self.prepared.headers if k.lower() == low), "")


def build_delivery(
    url: str,
    body: bytes | str,
    scheme: Scheme,
    secret: str,
    *,
    timestamp: int | None = None,
    secret_env: str = "WEBHOOK_SECRET",
    content_type: str = "application/json",
    signature: str | None = None,
    book: SignatureBook | None = None,
) -> Delivery:
    """A POST of `body` to `url`, signed by `scheme` with `secret` at `timestamp`
    (default now). `signature` sends that header value instead of a fresh one (to see
    what a receiver does with a signature that does not fit)."""
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    t = int(time.time()) if timestamp is None else int(timestamp)
    signed = list(scheme.sign(raw, secret, t, book=book))
    if signature is not None:
        signed[0] = (scheme.header, signature)
    headers = (("Content-Type", content_type), ("User-Agent", USER_AGENT), *signed)
    prepared = PreparedRequest(method="POST", url=url, headers=headers, content=raw)
    return Delivery(prepared, scheme, t, env_name(secret_env or "WEBHOOK_SECRET"))


def _openssl(scheme: Scheme, secret_env: str) -> str:
    """A shell pipeline stage that prints the HMAC of its input in the scheme's encoding."""
    key = f'"${{{secret_env}}}"'
    algorithm = shlex.quote(scheme.algorithm)
    if scheme.encoding == "base64":
        return f"openssl dgst -{algorithm} -hmac {key} -binary | base64"
    return f"openssl dgst -{algorithm} -hmac {key} -r | cut -d ' ' -f 1"


def delivery_curl(delivery: Delivery, *, secret_as_env: bool = True) -> str:
    """A shell command that sends the delivery with curl.

    With `secret_as_env` (the default), the command signs the body itself from
    `${SECRET_ENV}` (openssl) at the time it runs; otherwise it carries the signature
    computed here (which a timestamped scheme lets go stale)."""
    prepared = delivery.prepared
    text = _as_text(delivery.body)
    if not secret_as_env or text is None or _clashes(text, prepared):
        return to_curl(prepared, secrets_as_env=False)
    scheme = delivery.scheme
    secrets = [(text, _BODY_ENV)] if text else []
    lines = [f"{_BODY_ENV}={shlex.quote(text)}"] if text else [f"{_BODY_ENV}=''"]
    digest = _openssl(scheme, delivery.secret_env)
    header_values: dict[str, str] = {}
    if scheme.timestamped:
        lines.append(f"{_TIMESTAMP_ENV}=$(date +%s)")
        payload = f'printf \'%s.%s\' "${_TIMESTAMP_ENV}" "${_BODY_ENV}"'
    else:
        payload = f"printf '%s' \"${_BODY_ENV}\""
    mac = f"$({payload} | {digest})"
    if scheme.kind == "stripe":
        lines.append(f'{_SIGNATURE_ENV}="t=${{{_TIMESTAMP_ENV}}},v1={mac}"')
    else:
        prefix = scheme.prefix.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
        prefix = prefix.replace("`", "\\`")
        lines.append(f'{_SIGNATURE_ENV}="{prefix}{mac}"')
    header_values[scheme.header.lower()] = _SIGNATURE_ENV
    if scheme.kind == "hmac" and scheme.timestamp_header:
        header_values[scheme.timestamp_header.lower()] = _TIMESTAMP_ENV
    # The signature (and timestamp) values become ${VARIABLES} through to_curl's secrets.
    for name, value in prepared.headers:
        env = header_values.get(name.lower())
        if env is not None and value:
            secrets.append((value, env))
    shown = PreparedRequest(
        method=prepared.method,
        url=prepared.url,
        headers=prepared.headers,
        content=prepared.content,
        secrets=tuple(secrets),
    )
    note = f"# needs {delivery.secret_env} (the signing secret) in the environment, and openssl"
    return "\n".join([note, *lines, to_curl(shown, secrets_as_env=True)])


def _as_text(body: bytes) -> str | None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _clashes(text: str, prepared: PreparedRequest) -> bool:
    """Whether the body also occurs in the URL or a header (it would be replaced there
    too by its variable)."""
    if not text:
        return False
    return text in prepared.url or any(text in f"{k}: {v}" for k, v in prepared.headers)


def replay_request(
    url: str, headers: Iterable[tuple[str, str]], body: bytes, method: str = "POST"
) -> PreparedRequest:
    """A received delivery sent again to `url`: the same method, body and headers, less
    the hop-by-hop ones (Host, Content-Length, Connection...), which the new hop sets."""
    kept = tuple((k, v) for k, v in headers if k.lower() not in _HOP_BY_HOP)
    return PreparedRequest(method=method.upper() or "POST", url=url, headers=kept, content=body)
