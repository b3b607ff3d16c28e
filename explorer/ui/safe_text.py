"""Text from outside (a spec, a server) shown as text: the one sanitising path.

Whatever a spec or a server wrote is untrusted. Qt renders a string as rich text when it
"might be" rich text (a QLabel in its default format, every tooltip), and rich text can
name a local file (`<img src='/dev/zero'>`) that Qt then reads. So outside text reaches
the screen in one of three ways only:

- as plain text: `set_plain(label, text)` (a QLabel in PlainText format), item views'
  display text, line edits;
- inside our own markup, escaped: `html_text(text)`; a tooltip through `tooltip(text)`,
  which Qt shows as exactly the text it was given;
- as Markdown (descriptions): `markdown_to_html(text)` (markdown-it-py, raw HTML off,
  images shown as their alt text, links only http(s) and without titles), shown in a
  `SafeBrowser`, which loads no resource at all and opens a clicked http(s) link in the
  system browser.

Long text is cut (`cut`, with a visible "(cut, N more characters)") and long runs without
a break opportunity are broken (`break_runs`), because Qt's line layout of an unbreakable
line is quadratic in its length (a 300 KB line took 7 s).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QTextBrowser, QWidget

if TYPE_CHECKING:  # markdown-it loads with the first description rendered
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "DESCRIPTION_CHARS",
    "LABEL_CHARS",
    "LINK_SCHEMES",
    "LONG_RUN",
    "RUN_CHARS",
    "TOOLTIP_CHARS",
    "SafeBrowser",
    "break_runs",
    "cut",
    "html_text",
    "markdown_to_html",
    "plain_words",
    "set_plain",
    "shown",
    "tooltip",
]

DESCRIPTION_CHARS = 30_000
"""Characters of one Markdown description rendered; the rest is cut with a note."""
LABEL_CHARS = 2_000
"""Characters of one piece of outside text shown in a label or a line of a document."""
TOOLTIP_CHARS = 1_500
"""Characters of outside text shown in one tooltip."""
LONG_RUN = 200
"""Longest run of characters without white space left as it is (a long URL stays intact
for copying); a longer run gets a zero-width space every `RUN_CHARS` characters."""
RUN_CHARS = 40
"""Characters between two zero-width spaces in a long run: lines wrap there, in linear
time, and fill the width to within this many characters."""
LINK_SCHEMES = ("http", "https")
"""The only links that are links; any other target is shown as text."""

_ZWSP = "\u200b"
_RUN = re.compile(rf"[^\s\u200b]{{{LONG_RUN + 1},}}")


def cut(text: str, limit: int) -> str:
    """`text`, or its first `limit` characters and a note of how many were cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]} … (cut, {len(text) - limit:,} more characters)"


def break_runs(text: str) -> str:
    """`text` with a zero-width space every `RUN_CHARS` characters of each run longer than
    `LONG_RUN` that has no white space: such a run can wrap, and Qt lays it out in linear
    time (its own fallback, breaking anywhere, is quadratic in the run's length)."""
    if len(text) <= LONG_RUN:
        return text

    def split(match: re.Match[str]) -> str:
        run = match.group(0)
        return _ZWSP.join(run[i : i + RUN_CHARS] for i in range(0, len(run), RUN_CHARS))

    return _RUN.sub(split, text)


def shown(text: str, limit: int = LABEL_CHARS) -> str:
    """Outside text as it is shown in plain text: cut at `limit`, long runs broken."""
    return break_runs(cut(text, limit))


def html_text(text: str, limit: int = LABEL_CHARS) -> str:
    """Outside text as an HTML fragment that shows it literally (cut, runs broken,
    escaped): for our own markup around it."""
    return html.escape(shown(text, limit), quote=False)


def tooltip(text: str, limit: int = TOOLTIP_CHARS) -> str:
    """A tooltip that shows `text` as written: Qt renders any tooltip that "might be" rich
    text as HTML, so the text is escaped and wrapped in a paragraph that keeps its line
    breaks ("" stays "": no tooltip)."""
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{html_text(text, limit)}</p>"


def set_plain(label: QLabel, text: str, limit: int = LABEL_CHARS) -> None:
    """Show outside text in a label as plain text (never rich text), cut and wrappable."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(shown(text, limit))


# -- Markdown ---------------------------------------------------------------------------

_MD_LINK = re.compile(r"!?\[([^\]\n]{0,500})\]\([^)\s]{0,2000}\)")
_MD_MARKS = re.compile(r"\*\*|`")
_SPACE = re.compile(r"\s+")


def plain_words(text: str, limit: int = LABEL_CHARS) -> str:
    """Markdown read as plain words, for a one-line summary (a form's info line, a table
    cell): links as their text, no emphasis marks or backticks, white space collapsed, at
    most `limit` characters (with "…"). Raw HTML stays as written: it is text."""
    if not text:
        return ""
    words = text[: limit * 4]
    if "](" in words:
        words = _MD_LINK.sub(r"\1", words)
    if "`" in words or "**" in words:
        words = _MD_MARKS.sub("", words)
    words = _SPACE.sub(" ", words).strip()
    return words if len(words) <= limit else words[:limit].rstrip() + "…"


def _link_allowed(url: str) -> bool:
    return QUrl(url).scheme().lower() in LINK_SCHEMES


@cache
def _markdown() -> MarkdownIt:
    """The one parser: CommonMark with tables and strikethrough, raw HTML off (shown as
    text). Made on first use: markdown-it is not needed before a description is shown."""
    from markdown_it import MarkdownIt

    class _Markdown(MarkdownIt):
        def validateLink(self, url: str) -> bool:
            """Every target parses as a link or an image, so that an image of any kind
            becomes its alt text; `_sanitise` then keeps only http(s) links as links."""
            return True

    md = _Markdown("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    return md


def _text_token(content: str) -> Token:
    from markdown_it.token import Token

    return Token("text", "", 0, content=content)


def _sanitise_inline(children: Sequence[Token]) -> list[Token]:
    """Inline tokens made safe: images become "[image: alt]" text, links to anything but
    http(s) become their text and target as text, titles are dropped, long runs broken."""
    out: list[Token] = []
    open_links: list[str | None] = []  # per open link: the target shown after it, or None
    for token in children:
        if token.type == "image":
            alt = "".join(c.content for c in token.children or () if c.type != "image")
            out.append(_text_token(break_runs(f"[image: {alt}]" if alt.strip() else "[image]")))
        elif token.type == "link_open":
            href = str(token.attrGet("href") or "")
            token.attrs.pop("title", None)
            if _link_allowed(href) and token.markup != "linkify":
                open_links.append(None)
                out.append(token)
            else:
                open_links.append("" if token.markup == "autolink" else href)
        elif token.type == "link_close":
            target = open_links.pop() if open_links else None
            if target is None:
                out.append(token)
            elif target:
                out.append(_text_token(break_runs(f" ({target})")))
        else:
            if token.type in ("text", "code_inline"):
                token.content = break_runs(token.content)
            out.append(token)
    return out


def _sanitise(tokens: list[Token]) -> list[Token]:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
            token.tag = f"h{min(6, level + 2)}"  # below the page's own headings
        elif token.type == "inline" and token.children is not None:
            token.children = _sanitise_inline(token.children)
    return tokens


_PUNCTUATION = r""".,;:!?'"()/%@$=+{}-"""
_VISIBLE = rf"(?:[^\W_]|[{_PUNCTUATION}])"
_PLAIN_LINE = rf"[^\W\d_](?:(?:{_VISIBLE}| )*{_VISIBLE})?"
_PLAIN = re.compile(rf"{_PLAIN_LINE}(?:\n{_PLAIN_LINE})*")
"""Text that Markdown reads as one paragraph of literal text: lines that start with a
letter and hold only letters, digits, spaces and punctuation that starts no Markdown
construct there (none of `*_[]<>&\\|~#` or backticks), no line ending in a space."""


def _plain_paragraph(source: str) -> str | None:
    """What `_render_markdown(source)` gives when `source` is plain prose (`_PLAIN`), made
    without loading markdown-it (~30 ms of start-up for a document's plain description);
    None for anything else. tests/ui/test_safe_text.py checks that the two agree."""
    if not _PLAIN.fullmatch(source):
        return None
    lines = (break_runs(line).replace('"', "&quot;") for line in source.split("\n"))
    return "<p>" + "\n".join(lines) + "</p>\n"


def _render_markdown(source: str) -> str:
    md = _markdown()
    return str(md.renderer.render(_sanitise(md.parse(source)), md.options, {}))


def markdown_to_html(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Markdown from a spec as an HTML fragment that loads nothing when shown: raw HTML is
    shown as text, images as "[image: alt]", links only when http(s) (others as their text
    and target), no link titles (Qt would show them as rich-text tooltips). Longer text
    than `limit` is cut, with a note."""
    if not text.strip():
        return ""
    source = text[:limit]
    body = _plain_paragraph(source)
    if body is None:
        body = _render_markdown(source)
    if len(text) > limit:
        body += f"<p><i>(cut, {len(text) - limit:,} more characters)</i></p>"
    return str(body)


# -- a browser that loads nothing -------------------------------------------------------


class SafeBrowser(QTextBrowser):
    """A read-only text browser for outside text: it loads no resource (not an image, not
    a style sheet, not a local file) and follows no link itself. A clicked http(s) link
    goes to `open_url` (the system browser); `other_link` gets any other link (our own
    `explorer:` links); anything else is ignored.

    `refused` lists every resource the document asked for (for tests and diagnosis)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.refused: list[str] = []
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.other_link: Callable[[QUrl], None] | None = None
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Nothing, ever: the request is only noted in `refused`."""
        url = name.toString() if isinstance(name, QUrl) else str(name)
        self.refused.append(url[:200])
        return None

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme().lower() in LINK_SCHEMES:
            self.open_url(url)
        elif self.other_link is not None:
            self.other_link(url)
