"""A URL typed by hand links to the endpoint it names, with the mock's own router."""

from __future__ import annotations

import pytest

from explorer import spec
from explorer.demo import demo_spec_path
from explorer.workbench.address import link_address, split_address


@pytest.fixture(scope="module")
def demo() -> spec.Spec:
    return spec.load(demo_spec_path())


def test_a_url_under_an_offered_base_links_with_its_values(demo: spec.Spec) -> None:
    found = link_address(
        demo,
        "get",
        "http://127.0.0.1:5000/api/contacts/c%201?limit=5&q=a+b",
        bases=["http://127.0.0.1:5000/api"],
    )
    assert found.operation is not None and found.operation.key == "GET /contacts/{contactId}"
    assert found.base == "http://127.0.0.1:5000/api"
    assert found.path_values == {"contactId": "c 1"}
    assert found.query == (("limit", "5"), ("q", "a b"))


def test_a_literal_path_wins_over_a_template(demo: spec.Spec) -> None:
    found = link_address(demo, "POST", "https://api.ecosire.com/api/contacts/search?q=x")
    assert found.operation is not None and found.operation.key == "POST /contacts/search"
    assert found.base == "https://api.ecosire.com/api"


def test_any_host_under_the_documents_base_path_links(demo: spec.Spec) -> None:
    found = link_address(demo, "POST", "staging.example.com:8443/api/contacts")
    assert found.operation is not None and found.operation.key == "POST /contacts"
    assert found.base == "http://staging.example.com:8443/api"


def test_an_unknown_path_or_method_is_ad_hoc(demo: spec.Spec) -> None:
    other = link_address(demo, "GET", "https://example.com/nothing/here?x=1")
    assert other.operation is None
    assert (other.base, other.path, other.query) == (
        "https://example.com",
        "/nothing/here",
        (("x", "1"),),
    )
    wrong_method = link_address(demo, "TRACE", "https://api.ecosire.com/api/contacts")
    assert wrong_method.operation is None
    # the demo is served under /api: "/status" on another host is not its GET /status
    assert link_address(demo, "GET", "http://example.com/status").operation is None
    assert link_address(demo, "GET", "http://example.com/api/status").operation is not None


def test_what_is_not_an_http_url() -> None:
    assert split_address("") is None
    assert split_address("ftp://example.com/x") is None
    assert split_address("http://host:notaport/") is None
    with pytest.raises(ValueError):
        link_address(None, "GET", "mailto:someone@example.com")
    assert split_address("http://h/a{b}").path == "/a%7Bb%7D"  # type: ignore[union-attr]
