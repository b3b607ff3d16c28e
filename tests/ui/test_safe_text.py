"""The one sanitising path for outside text: Markdown that loads nothing, tooltips and
labels that show text as written, long text cut and wrappable."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from explorer.ui.safe_text import (
    LONG_RUN,
    RUN_CHARS,
    SafeBrowser,
    break_runs,
    cut,
    html_text,
    markdown_to_html,
    plain_words,
    set_plain,
    tooltip,
)

ZWSP = "\u200b"


def _plain(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def test_raw_html_is_text() -> None:
    out = markdown_to_html("Hi <b>x</b> <img src='/dev/zero'> <style>p{}</style>")
    assert "<b>" not in out and "<img" not in out and "<style" not in out
    assert _plain(out).strip() == "Hi <b>x</b> <img src='/dev/zero'> <style>p{}</style>"


def test_images_become_their_alt_text_whatever_the_brackets() -> None:
    for source in (
        "![a [b] c](/etc/passwd)",
        "![a [b] c](file:///etc/passwd)",
        "![a [b] c](https://tracker.example/p.png)",
        "![a [b] c](<data:image/png;base64,AAAA>)",
        "![a [b] c][ref]\n\n[ref]: https://tracker.example/p.png",
    ):
        out = markdown_to_html(source)
        assert "<img" not in out, source
        assert _plain(out).strip() == "[image: a [b] c]", source
    assert _plain(markdown_to_html("![](https://x.example/p.png)")).strip() == "[image]"


def test_only_http_links_are_links_and_they_have_no_title() -> None:
    out = markdown_to_html('[guide](https://docs.example.com/g "<img src=/etc/passwd>")')
    assert out.strip() == '<p><a href="https://docs.example.com/g">guide</a></p>'
    for target in ("file:///etc/passwd", "javascript:alert(1)", "/relative", "#anchor"):
        out = markdown_to_html(f"[t]({target})")
        assert "<a" not in out, target
        assert _plain(out).strip() == f"t ({target})"
    assert _plain(markdown_to_html("<file:///etc/passwd>")).strip() == "file:///etc/passwd"


def test_markdown_structure_is_kept_and_headings_sit_below_the_page() -> None:
    out = markdown_to_html("# Title\n\n**bold** `code`\n\n- one\n- two\n\n| a |\n|---|\n| 1 |")
    assert "<h3>Title</h3>" in out
    assert "<strong>bold</strong>" in out and "<code>code</code>" in out
    assert "<li>one</li>" in out and "<td>1</td>" in out
    assert markdown_to_html("") == "" and markdown_to_html("  \n") == ""


def test_long_markdown_is_cut_with_a_note_and_runs_are_broken() -> None:
    out = markdown_to_html("W" * 50_000, limit=1_000)
    text = _plain(out)
    assert "(cut, 49,000 more characters)" in text
    assert text.count("W") == 1_000
    assert max(len(run) for run in text.split("\n")[0].split(ZWSP)) == RUN_CHARS


def test_cut_and_break_runs() -> None:
    assert cut("short", 10) == "short"
    assert cut("x" * 12, 10) == "x" * 10 + " … (cut, 2 more characters)"
    assert break_runs("a b") == "a b"
    url = "https://example.com/" + "p" * (LONG_RUN - 20)
    assert break_runs(f"see {url} there") == f"see {url} there"  # copied intact
    broken = break_runs("word " + "y" * (LONG_RUN + 1))
    assert broken.startswith("word ") and broken.replace(ZWSP, "") == "word " + "y" * 201
    assert broken.count(ZWSP) == (LONG_RUN + 1) // RUN_CHARS
    assert {len(run) for run in broken[5:].split(ZWSP)} == {RUN_CHARS, 1}


def test_tooltips_show_the_text_as_written() -> None:
    assert tooltip("") == ""
    tip = tooltip("a <b>x</b> & <img src='/dev/zero'>\nsecond line")
    assert "<b>x" not in tip and "<img" not in tip
    assert _plain(tip) == "a <b>x</b> & <img src='/dev/zero'>\nsecond line"
    assert _plain(tooltip("plain & simple")) == "plain & simple"  # not "&amp;"
    assert "(cut, " in _plain(tooltip("z " * 5_000))


def test_html_text_escapes_inside_our_markup() -> None:
    assert html_text("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"


def test_set_plain_makes_a_label_plain_text(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    set_plain(label, "<b>x</b>")
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == "<b>x</b>"


def test_plain_words() -> None:
    assert plain_words("Use the **[guide](https://x.example)** and `code`.") == (
        "Use the guide and code."
    )
    assert plain_words("<b>kept</b>\n\nas   text") == "<b>kept</b> as text"
    assert plain_words("x" * 50, 10) == "x" * 10 + "…"


def test_safe_browser_loads_nothing_and_opens_only_http(qtbot: QtBot) -> None:
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    opened: list[str] = []
    others: list[str] = []
    browser.open_url = lambda url: opened.append(url.toString())
    browser.other_link = lambda url: others.append(url.toString())
    image = QTextDocument.ResourceType.ImageResource
    assert browser.loadResource(image, QUrl("file:///etc/passwd")) is None
    assert browser.loadResource(image, QUrl("data:image/png;base64,AAAA")) is None
    assert len(browser.refused) == 2
    for url in ("https://a.example/", "http://b.example/", "file:///etc/passwd", "explorer:x"):
        browser.anchorClicked.emit(QUrl(url))
    assert opened == ["https://a.example/", "http://b.example/"]
    assert others == ["file:///etc/passwd", "explorer:x"]
    browser.setHtml(markdown_to_html("![a](file:///etc/passwd) <img src='/etc/passwd'>"))
    browser.grab()
    assert browser.refused == [
        "file:///etc/passwd",
        "data:image/png;base64,AAAA",
    ]  # the document itself asked for nothing
