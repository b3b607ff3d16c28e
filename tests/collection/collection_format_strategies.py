"""Hypothesis strategies for saved requests and collections with awkward text: Unicode,
line breaks, quotes, `{{variables}}`, and strings YAML would read as something else."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from explorer.collection.model import (
    Body,
    Check,
    Collection,
    Folder,
    FormField,
    SavedRequest,
    Settings,
)

AWKWARD = (
    "yes", "no", "on", "off", "true", "False", "null", "~", "1.0", "0x1F", "1e3", "012",
    "- x", ": ", "a: b", "#not a comment", "'", '"', "`", "|", ">", "&a", "*a", "!tag", "%",
    "@at", "{{baseUrl}}", "{{ spaced }}", "{x}", "[1, 2]", "{a: 1}", "  lead", "trail  ",
    "line\nbreak", "end\n", "\n", "tab\tbed", "crlf\r\n", "é ✓ 日本", "\u2028", "\x85",
    "emoji 🙂", "---", "...", "? q", "", " ",
)  # fmt: skip
"""Strings that have tripped YAML writers and readers."""

text = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(max_size=30),
    st.lists(st.sampled_from(AWKWARD), min_size=2, max_size=4).map("".join),
)
name_text = text.filter(lambda t: t != "")
"""Text that names something (a key, a field): not empty."""
solid_text = text.filter(lambda t: t.strip() != "")
"""Text with something besides white space in it."""

json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
)
json_value: st.SearchStrategy[Any] = st.recursive(
    json_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(name_text, inner, max_size=3)
    ),
    max_leaves=6,
)


def _pairs(values: st.SearchStrategy[Any], *, unique: bool = False) -> Any:
    pairs = st.lists(st.tuples(name_text, values), max_size=3)
    if unique:
        pairs = st.lists(st.tuples(name_text, values), max_size=3, unique_by=lambda p: p[0])
    return pairs.map(tuple)


form_field = st.one_of(
    st.builds(FormField, name_text, text),
    st.builds(FormField, name_text, st.just(""), name_text, text),
)
body = st.builds(
    Body,
    name_text,
    text,
    st.lists(form_field, max_size=3).map(tuple),
)
check = st.one_of(
    st.builds(Check, st.just("status"), value=st.integers(100, 599)),
    st.builds(
        Check,
        st.just("time"),
        op=st.just("under"),
        value=st.one_of(
            st.integers(1, 10**6), st.floats(min_value=0.001, max_value=1e6, allow_nan=False)
        ),
    ),
    st.builds(
        Check,
        st.sampled_from(["json", "header"]),
        text.map(lambda t: "/" + t),
        st.just("exists"),
        st.booleans(),
    ),
    st.builds(
        Check,
        st.sampled_from(["json", "header"]),
        text.map(lambda t: "/" + t),
        st.just("equals"),
        json_value,
    ),
    st.builds(
        Check,
        st.sampled_from(["json", "header"]),
        text.map(lambda t: "/" + t),
        st.sampled_from(["contains", "matches"]),
        text,
    ),
)
settings = st.builds(
    Settings,
    st.none() | st.floats(min_value=0.001, max_value=3600),
    st.none() | st.booleans(),
    st.none() | st.booleans(),
)
auth = st.one_of(
    st.sampled_from(["inherit", "none"]),
    st.lists(name_text, max_size=2).map(tuple),
)
method = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND"])


@st.composite
def saved_request(draw: st.DrawFn) -> SavedRequest:
    """Any saved request the model allows, with awkward text everywhere."""
    return SavedRequest(
        name=draw(solid_text),
        method=draw(method),
        url=draw(solid_text.map(lambda t: "{{baseUrl}}/" + t) | solid_text),
        operation=draw(text),
        description=draw(text),
        path=draw(_pairs(json_value, unique=True)),
        query=draw(_pairs(json_value)),
        headers=draw(_pairs(text)),
        cookies=draw(_pairs(text)),
        body=draw(st.none() | body),
        auth=draw(auth),
        environment=draw(text),
        settings=draw(settings),
        checks=tuple(draw(st.lists(check, max_size=3))),
    )


def _folder(children: st.SearchStrategy[Any]) -> Any:
    return st.builds(Folder, solid_text, st.lists(children, max_size=3))


tree: st.SearchStrategy[Any] = st.recursive(
    saved_request(), lambda inner: st.one_of(inner, _folder(inner)), max_leaves=6
)


@st.composite
def collection(draw: st.DrawFn) -> Collection:
    """A collection with folders and requests in any arrangement."""
    return Collection(
        name=draw(solid_text),
        spec=draw(text),
        environment=draw(text),
        variables=draw(st.dictionaries(name_text, text, max_size=3)),
        description=draw(text),
        root=Folder("", draw(st.lists(tree, max_size=4))),
    )
