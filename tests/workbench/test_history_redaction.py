"""Property: redaction for the history never lets the value of a secret-named header, query
parameter or cookie through, nor a credential's value anywhere in the request; and what
is not secret stays as it was."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.http.model import SECRET_NAME_WORDS, PreparedRequest
from explorer.workbench.redact import AUTH_SCHEMES, MIN_SCRUB, redact_prepared, secret_values

PLACEHOLDER = r"\$\{[A-Za-z0-9_]+\}"
STORED_SECRET = re.compile(rf"^(?:(?:{'|'.join(AUTH_SCHEMES)}) )?{PLACEHOLDER}$", re.IGNORECASE)

token_chars = st.characters(
    min_codepoint=33, max_codepoint=0x2FFF, blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")
)
affix = st.text(alphabet="abcxyzXYZ-_", max_size=6)
secret_names = st.builds(
    lambda pre, word, post, upper: pre + (word.upper() if upper else word) + post,
    affix,
    st.sampled_from([w for w in SECRET_NAME_WORDS if w != "cookie"] + ["Authorization"]),
    affix,
    st.booleans(),
).filter(lambda n: re.fullmatch(r"[A-Za-z0-9_-]+", n) is not None and n.lower() != "cookie")
header_values = st.text(token_chars, min_size=1, max_size=40).filter(lambda v: v.strip() == v)
schemes = st.sampled_from(["", "Bearer ", "Basic ", "token ", "Digest ", "Other "])
plain_values = st.text(alphabet="abcdefghij ", min_size=1, max_size=12).map(str.strip).filter(bool)


@settings(max_examples=300, deadline=None)
@given(name=secret_names, scheme=schemes, value=header_values, other=plain_values)
def test_a_secret_named_header_is_only_ever_a_placeholder(
    name: str, scheme: str, value: str, other: str
) -> None:
    prepared = PreparedRequest(
        "GET", "http://h/x", headers=((name, scheme + value), ("X-Plain", other))
    )
    safe = redact_prepared(prepared)
    stored = dict(safe.headers)
    assert STORED_SECRET.fullmatch(stored[name]), (name, stored[name])
    if scheme.strip().lower() not in AUTH_SCHEMES:
        assert stored[name].startswith("${")
    # the placeholders are listed, so a snippet reads them from the environment
    for found in re.findall(PLACEHOLDER, stored[name]):
        assert (found, found[2:-1]) in safe.secrets
    # a header with an ordinary name is kept (unless it holds the secret itself)
    if len(value) < MIN_SCRUB or value not in other:
        assert stored["X-Plain"] == other


# Digits and letters that no name or fixed text of the request has: a value found in the
# stored request can only be a value that got through.
secret_text = st.text(alphabet="0123456789qv", min_size=MIN_SCRUB, max_size=24)


@settings(max_examples=200, deadline=None)
@given(
    token=secret_text,
    key=secret_text,
    cookie=secret_text,
    query_name=secret_names,
    query_value=secret_text,
)
def test_no_credential_value_survives_anywhere_in_the_request(
    token: str, key: str, cookie: str, query_name: str, query_value: str
) -> None:
    url = f"http://h/items/{token}?q=1&key={key}&{query_name}={query_value}"
    body = f'{{"echo": "{token} {key} {cookie}", "n": 1}}'.encode()
    prepared = PreparedRequest(
        "POST",
        url,
        headers=(
            ("Authorization", f"Bearer {token}"),
            ("Cookie", f"a={cookie}; b=2"),
            ("X-Echo", f"k={key}"),
            ("Content-Type", "application/json"),
        ),
        content=body,
        secrets=((token, "TOKEN"), (key, "API_KEY"), (cookie, "COOKIE_A")),
        credential_query=("key",),
    )
    safe = redact_prepared(prepared)
    texts = [safe.url, *(v for _, v in safe.headers), (safe.content or b"").decode()]
    everything = "\n".join(texts)
    for value in (token, key, cookie, query_value):
        assert value not in everything, value
    assert "q=1" in safe.url and '"n": 1' in everything
    assert {v for v, _ in secret_values(prepared)} >= {token, key, cookie, query_value}
