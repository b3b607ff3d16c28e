"""The operation matcher behind the tree's filter box."""

from __future__ import annotations

import random
from typing import Any

import orjson
import pytest

from explorer import spec
from explorer.spec.search import OperationIndex, haystack


def _doc() -> dict[str, Any]:
    def op(op_id: str, summary: str, tag: str) -> dict[str, Any]:
        return {
            "operationId": op_id,
            "summary": summary,
            "tags": [tag],
            "responses": {"200": {"description": "OK"}},
        }

    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/contacts": {
                "get": op("listContacts", "List contacts", "Contacts"),
                "post": op("createContact", "Create a contact", "Contacts"),
            },
            "/contacts/{id}": {
                "get": op("getContact", "Get a contact", "Contacts"),
                "delete": op("deleteContact", "Delete a contact", "Contacts"),
            },
            "/contacts/{id}/invoices": {
                "post": op("invoiceContact", "Send an invoice to a contact", "Billing"),
            },
            "/invoices": {"get": op("listInvoices", "List invoices", "Billing")},
            "/posts": {"get": op("listPosts", "List blog posts", "Blog")},
            "/products": {"put": op("replaceProducts", "Replace the catalogue", "Shop")},
        },
    }


@pytest.fixture
def api() -> spec.Spec:
    return spec.load_bytes(orjson.dumps(_doc()))


@pytest.fixture
def index(api: spec.Spec) -> OperationIndex:
    ops = [op for m in api.modules for op in m.operations]
    groups = [g for g, m in enumerate(api.modules) for _ in m.operations]
    return OperationIndex(ops, groups)


def keys(index: OperationIndex, query: str) -> list[str]:
    return [index.operations[i].key for i in index.search(query)]


def test_empty_query_matches_everything(index: OperationIndex) -> None:
    assert index.search("") == list(range(len(index)))
    assert index.search("   ") == list(range(len(index)))


def test_words_match_in_any_order_across_fields(index: OperationIndex) -> None:
    assert keys(index, "invoice contact") == ["POST /contacts/{id}/invoices"]
    assert keys(index, "contact invoice") == ["POST /contacts/{id}/invoices"]
    # module name and operationId are searched too
    assert set(keys(index, "billing")) == {"POST /contacts/{id}/invoices", "GET /invoices"}
    assert keys(index, "replaceproducts") == ["PUT /products"]
    assert keys(index, "CATALOGUE") == ["PUT /products"]


def test_method_words_select_the_method(index: OperationIndex) -> None:
    assert keys(index, "post contacts") == ["POST /contacts", "POST /contacts/{id}/invoices"]
    assert keys(index, "delete") == ["DELETE /contacts/{id}"]
    # "post" is a method here, so GET /posts is not a match...
    assert "GET /posts" not in keys(index, "post")
    # ...but a method word that no operation has still matches as text
    assert keys(index, "blog posts") == ["GET /posts"]


def test_fuzzy_subsequence(index: OperationIndex) -> None:
    found = keys(index, "gcont")
    assert "GET /contacts" in found
    assert "POST /contacts" not in found
    assert keys(index, "rplcprd") == ["PUT /products"]


def test_typos(index: OperationIndex) -> None:
    assert "GET /contacts" in keys(index, "contcats")  # swapped letters
    assert "GET /invoices" in keys(index, "invoixces")  # one letter too many
    assert keys(index, "zzzzzz") == []


def test_substring_matches_hide_fuzzy_ones(index: OperationIndex) -> None:
    # "list" is a substring of three operations: fuzzy "l...i...s...t" ones are not shown
    assert keys(index, "list") == ["GET /contacts", "GET /invoices", "GET /posts"]


def test_ranking_within_a_module_keeps_module_order() -> None:
    def op(tag: str) -> dict[str, Any]:
        return {"tags": [tag], "responses": {"200": {"description": "OK"}}}

    doc = {
        "openapi": "3.0.3",
        "info": {},
        "tags": [{"name": "A"}, {"name": "B"}],
        "paths": {
            "/reinvoice": {"get": op("A")},
            "/invoice": {"get": op("A")},
            "/b/reinvoice": {"get": op("B")},
        },
    }
    api = spec.load_bytes(orjson.dumps(doc))
    ops = [op for m in api.modules for op in m.operations]
    groups = [g for g, m in enumerate(api.modules) for _ in m.operations]
    index = OperationIndex(ops, groups)
    # in module A the match at the start of a word comes first; module B stays last
    assert keys(index, "invoice") == ["GET /invoice", "GET /reinvoice", "GET /b/reinvoice"]


def test_haystack_holds_method_path_id_summary_module(api: spec.Spec) -> None:
    op = api.find("GET /contacts")
    assert op is not None
    text = haystack(op)
    assert text.startswith("get/contacts ")
    for part in ("listcontacts", "list contacts", "contacts"):
        assert part in text


def _random_spec(seed: int) -> spec.Spec:
    rnd = random.Random(seed)
    nouns = ["contacts", "orders", "invoices", "users", "teams", "files", "notes", "tags"]
    paths: dict[str, Any] = {}
    for i in range(300):
        path = f"/{rnd.choice(nouns)}/{rnd.choice(nouns)}{i}"
        method = rnd.choice(["get", "post", "put", "patch", "delete"])
        paths[path] = {
            method: {
                "tags": [rnd.choice(nouns)],
                "operationId": f"{method}{rnd.choice(nouns).title()}{i}",
                "summary": f"{method} the {rnd.choice(nouns)}",
                "responses": {"200": {"description": "OK"}},
            }
        }
    return spec.load_bytes(orjson.dumps({"openapi": "3.0.3", "info": {}, "paths": paths}))


@pytest.mark.parametrize("query", ["post contacts inv", "gcont", "contcats orders", "tea no"])
def test_typing_gives_the_same_results_as_a_fresh_search(query: str) -> None:
    api = _random_spec(7)
    typed = OperationIndex(api.operations)
    for n in range(1, len(query) + 1):
        fresh = OperationIndex(api.operations)
        assert typed.search(query[:n]) == fresh.search(query[:n]), query[:n]
    # and back again, letter by letter, as Backspace does
    for n in range(len(query), 0, -1):
        fresh = OperationIndex(api.operations)
        assert typed.search(query[:n]) == fresh.search(query[:n]), query[:n]


def test_groups_must_fit(api: spec.Spec) -> None:
    with pytest.raises(ValueError, match="one entry per operation"):
        OperationIndex(api.operations, groups=[0])


def test_large_indexes_scan_in_one_pass_with_the_same_results() -> None:
    # From _SCAN_ALL candidates on, fuzzy words are matched against all haystacks joined
    # into one string; the result must be what matching each haystack alone gives.
    rng = random.Random(7)
    nouns = ["contacts", "invoices", "orders", "payments", "tickets", "leads", "users", "keys"]
    paths: dict[str, Any] = {}
    for i in range(900):
        noun = rng.choice(nouns)
        paths[f"/v1/{noun}/{i}/{{id}}"] = {
            "get": {
                "operationId": f"get{noun.title()}{i}",
                "summary": f"Get {noun} number {i}",
                "tags": [noun],
                "responses": {"200": {"description": "OK"}},
            }
        }
    doc = {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths}
    api = spec.load_bytes(orjson.dumps(doc))
    index = OperationIndex(api.operations)
    brute = OperationIndex(api.operations)
    brute._lines = lambda pattern, base: [  # type: ignore[method-assign]
        i for i in base if pattern.search(brute.haystack(i))
    ]
    for query in ("gcont", "cntcts", "invoces", "pymnt", "tkt", "zzz", "get lds", "ordrs 12"):
        assert index.search(query) == brute.search(query), query
    assert index.search("gcont"), "the fuzzy query should find the contacts endpoints"
