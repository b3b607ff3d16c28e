"""The plain-prose shortcut of `markdown_to_html` gives exactly what markdown-it gives.

A description that is plain prose (most one-line API descriptions) is shown without loading
markdown-it, which costs ~30 ms of start-up; the shortcut must never change what is shown.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from explorer.ui.safe_text import LONG_RUN, _plain_paragraph, _render_markdown, markdown_to_html

# Hypothesis keeps caches in `.hypothesis/` of the working directory; keep them in the
# isolated cache folder the root conftest made.
set_hypothesis_home_dir(Path(os.environ["EXPLORER_CACHE_DIR"]).parent / "hypothesis")

PROSE = "abcxyzABCXYZé" + "0129" + "   " + ".,;:!?'\"()/%@$=+{}-"
"""Letters, digits, spaces and the punctuation the shortcut accepts."""
MARKDOWN = ("*", "_", "[", "]", "<", ">", "&", "\\", "|", "~", "#", "`", "\t", "\r", "\x00")
"""Characters that make Markdown, or white space that it normalises."""

letters = st.characters(categories=("Lu", "Ll", "Lo", "Nd", "Nl", "No"))


def lines_of(alphabet: str) -> st.SearchStrategy[str]:
    """Lines that start with a letter, then mostly `alphabet`, sometimes any letter."""
    char = st.one_of(*[st.sampled_from(alphabet)] * 4, letters)
    line = st.tuples(letters, st.text(char, max_size=40)).map("".join)
    return st.lists(line, min_size=1, max_size=4).map("\n".join)


prose = lines_of(PROSE)
words = st.text(st.sampled_from(PROSE), min_size=1, max_size=12)
# prose around one Markdown construct (twice: emphasis and code need a pair)
snippets = st.sampled_from(
    (*MARKDOWN, "**", "~~", "](", "&amp;", "\n-", "\n1.", "\n=", "\n ", "\n\n", "  \n", "\n>")
)
near_prose = st.builds(
    lambda line, mark, middle, end, gap: f"{line}{gap}{mark}{middle}{mark}{gap}{end}",
    prose,
    snippets,
    words,
    words,
    st.sampled_from(("", " ")),
) | st.builds(lambda line, text, target: f"{line} [{text}]({target})", prose, words, words)
mixed = st.text(st.sampled_from(PROSE + "".join(MARKDOWN) + "\n=-+>1.") | letters, max_size=80)


def _agrees(text: str) -> None:
    shortcut = _plain_paragraph(text)
    if shortcut is not None:
        assert shortcut == _render_markdown(text)


@settings(max_examples=300, deadline=None)
@given(prose | mixed)
@example("GitHub's v3 REST API.")
@example('Say "hi" (or not) at 100% / 50$ = {id} + more-or-less; ok? yes!')
@example("Two lines\nof prose")
@example("x" * (LONG_RUN + 50))
def test_the_shortcut_agrees_with_markdown_it_on_prose(text: str) -> None:
    _agrees(text)


@settings(max_examples=800, deadline=None)
@given(near_prose)
@example("a _b_ c")
@example("Ends with a space ")
@example("1. a list")
@example("Title\n=====")
def test_the_shortcut_agrees_with_markdown_it_near_markdown(text: str) -> None:
    _agrees(text)


def test_plain_descriptions_take_the_shortcut_and_markdown_does_not() -> None:
    for text in (
        "GitHub's v3 REST API.",
        "The Stripe REST API. Please see https://stripe.com/docs/api for more details.",
        "Long lines\nwrapped by hand",
    ):
        assert _plain_paragraph(text) is not None, text
        assert markdown_to_html(text) == _render_markdown(text)
    for text in ("A *small* API.", "- a list", "Ends with a space ", "a\n\nb", "<b>x</b>"):
        assert _plain_paragraph(text) is None, text
