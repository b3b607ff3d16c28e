"""The Docs tab: an endpoint's documentation, rendered from the spec model as HTML.

    view = DocsView()
    view.set_operation(api, op)

What it shows: method and path, summary, a deprecation notice, the description (Markdown),
the security requirements, the parameters, the request body per media type and the
responses per status, each schema as an indented type tree and examples as pretty JSON.

A spec is untrusted input. Every piece of it goes through `explorer.ui.safe_text`: text in
our own markup through `html_text` (escaped, cut, long runs broken), descriptions through
its one Markdown path (`markdown_to_html`); the browser (`DocsBrowser`, a `SafeBrowser`)
loads no resource at all and opens only http(s) links, on click, in the system browser.

Big schemas are cut at `SCHEMA_ROWS` rows and `SCHEMA_DEPTH` levels with a "Show more"
link, so that a GitHub-sized operation renders in a few milliseconds.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from explorer.spec import Operation, Spec
from explorer.spec.describe import (
    SchemaRow,
    schema_facts,
    schema_rows,
    type_label,
)
from explorer.spec.model import MediaType, Parameter, SecurityScheme
from explorer.ui.safe_text import SafeBrowser, html_text, markdown_to_html, plain_words
from explorer.ui.style import METHOD_COLORS, status_color

__all__ = ["SCHEMA_DEPTH", "SCHEMA_ROWS", "DocsBrowser", "DocsView"]

SCHEMA_ROWS = 60
"""Rows of one schema tree shown at first; "Show more" multiplies it by 5. The schemas of
responses other than 2xx start folded (their type only, and a "Show schema" link)."""
SCHEMA_DEPTH = 8
"""Levels of one schema tree shown at first; "Show more" adds 6."""
EXAMPLE_LINES = 30
"""Lines of one example shown at first; "Show more" shows up to `EXAMPLE_CHARS`."""
EXAMPLE_CHARS = 20000
"""Characters of one example shown; longer ones are cut with a note."""
NAME_CHARS = 300
"""Characters of a name (summary, path, parameter, property, media type) shown."""


def _first_paragraph(text: str, limit: int = 240) -> str:
    """The first paragraph as plain words (see `plain_words`), at most `limit` characters."""
    return plain_words(text.strip()[: limit * 4].split("\n\n", 1)[0], limit)


def _json(value: Any, limit: int = EXAMPLE_CHARS) -> str:
    try:
        text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) > limit:
        text = text[:limit].rstrip() + f"\n… ({len(text) - limit:,} more characters)"
    return text


@dataclass
class _Colors:
    text: str
    dim: str
    border: str
    code_bg: str
    link: str
    required: str
    type: str
    warning_bg: str
    warning_text: str


def _colors(palette: QPalette) -> _Colors:
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    dark = base.lightness() < 128

    def mix(a: QColor, b: QColor, t: float) -> str:
        return QColor(
            round(a.red() + (b.red() - a.red()) * t),
            round(a.green() + (b.green() - a.green()) * t),
            round(a.blue() + (b.blue() - a.blue()) * t),
        ).name()

    return _Colors(
        text=text.name(),
        dim=mix(text, base, 0.45),
        border=mix(text, base, 0.85),
        code_bg=mix(text, base, 0.94),
        link=palette.color(QPalette.ColorRole.Link).name(),
        required="#ff6b6b" if dark else "#c92a2a",
        type="#b197fc" if dark else "#6741d9",
        warning_bg="#5c3c00" if dark else "#fff3bf",
        warning_text="#ffe8a3" if dark else "#5c3c00",
    )


_PLAIN_NAMES = ("", "default", "example")
_ROW = "margin-top:0px; margin-bottom:3px; "


class _Renderer:
    """Builds the HTML of one operation's documentation."""

    def __init__(
        self,
        api: Spec,
        op: Operation,
        colors: _Colors,
        limits: Mapping[str, tuple[int, int]],
    ) -> None:
        self.api = api
        self.op = op
        self.c = colors
        self.limits = limits
        self.out: list[str] = []
        self.seen: dict[int, str] = {}  # schemas already shown: id -> where
        self.used: dict[str, tuple[int, int]] = {}  # schema key -> (rows, depth) allowed

    def md(self, text: str) -> str:
        return markdown_to_html(text)

    def render(self) -> str:
        op, c, w = self.op, self.c, self.out.append
        color = METHOD_COLORS.get(op.method, "#495057")
        w(
            f'<p style="margin:0 0 2px 0"><span style="background-color:{color};'
            f' color:#ffffff; font-weight:700;">&nbsp;{html_text(op.method)}&nbsp;</span>'
            f'&nbsp; <span style="font-family:monospace; font-size:large;">'
            f"{html_text(op.path)}</span></p>"
        )
        if op.summary:
            w(f'<h2 style="margin:8px 0 2px 0">{html_text(op.summary)}</h2>')
        meta = [html_text(x) for x in (op.operation_id, op.module) if x]
        if op.kind == "webhook":
            meta.insert(0, "webhook")
        if meta:
            w(f'<p style="color:{c.dim}; margin:0">{" · ".join(meta)}</p>')
        if op.deprecated:
            w(
                f'<table width="100%" cellpadding="6" style="margin-top:8px; background-color:'
                f'{c.warning_bg}; color:{c.warning_text}"><tr><td><b>Deprecated.</b> This '
                "endpoint may be removed in a future version of the API.</td></tr></table>"
            )
        if op.description.strip():
            w(f'<div style="margin-top:8px">{self.md(op.description)}</div>')
        self.security()
        self.parameters()
        self.request_body()
        self.responses()
        return "".join(self.out)

    def section(self, title: str) -> None:
        self.out.append(
            f'<h3 style="margin:18px 0 4px 0; color:{self.c.text}">{html_text(title)}</h3>'
        )

    # -- security -------------------------------------------------------------------------

    def _scheme_text(self, name: str, scheme: SecurityScheme | None, scopes: Iterable[str]) -> str:
        label = f"<b>{html_text(name)}</b>"
        if scheme is None:
            return f"{label} <span style='color:{self.c.dim}'>(not declared)</span>"
        kind = scheme.type
        if kind == "http":
            what = f"HTTP {scheme.scheme or 'auth'}"
            if scheme.bearer_format:
                what += f" ({scheme.bearer_format})"
        elif kind == "apiKey":
            what = f"API key in {scheme.location or 'header'} “{scheme.param_name}”"
        elif kind == "oauth2":
            flows = ", ".join(f.kind for f in scheme.flows)
            what = f"OAuth 2.0 ({flows})" if flows else "OAuth 2.0"
        elif kind == "openIdConnect":
            what = "OpenID Connect"
        elif kind == "mutualTLS":
            what = "mutual TLS"
        else:
            what = kind
        text = f"{label} — {html_text(what)}"
        scopes = list(scopes)
        if scopes:
            text += (
                f" <span style='color:{self.c.dim}'>scopes: {html_text(', '.join(scopes))}</span>"
            )
        return text

    def security(self) -> None:
        alternatives = self.op.security
        self.section("Authorization")
        if not alternatives:
            self.out.append(f'<p style="color:{self.c.dim}">No authentication.</p>')
            return
        items = []
        for alt in alternatives:
            if not alt:
                items.append(f"<span style='color:{self.c.dim}'>none (optional)</span>")
                continue
            parts = [
                self._scheme_text(name, self.api.security_schemes.get(name), scopes)
                for name, scopes in alt.items()
            ]
            items.append(" <i>and</i> ".join(parts))
        if len(items) == 1:
            self.out.append(f"<p>{items[0]}</p>")
        else:
            self.out.append("<p>Any one of:</p><ul>")
            self.out.extend(f"<li>{item}</li>" for item in items)
            self.out.append("</ul>")

    # -- parameters -----------------------------------------------------------------------

    def parameters(self) -> None:
        params = self.op.parameters
        if not params:
            return
        c = self.c
        self.section("Parameters")
        w = self.out.append
        w(
            f'<table width="100%" cellspacing="0" cellpadding="4" style="border-collapse:'
            f'collapse; border-color:{c.border}" border="1">'
            f'<tr style="background-color:{c.code_bg}"><th align="left">Name</th>'
            f'<th align="left">In</th><th align="left">Type</th>'
            f'<th align="left">Description</th></tr>'
        )
        for p in params:
            w(self._param_row(p))
        w("</table>")

    def _param_row(self, p: Parameter) -> str:
        c = self.c
        name = f'<span style="font-family:monospace">{html_text(p.name)}</span>'
        if p.required:
            name += f' <span style="color:{c.required}">*</span>'
        if p.deprecated:
            name = f"<s>{name}</s>"
        schema = p.schema or {}
        kind = type_label(schema) if schema else (p.media_type or "")
        facts = schema_facts(schema)
        if p.example is not None and not any(f.startswith("example") for f in facts):
            facts.append(f"example: {json.dumps(p.example, ensure_ascii=False, default=str)}")
        desc = html_text(_first_paragraph(p.description, 400))
        if facts:
            desc += f'<br><span style="color:{c.dim}">{html_text(" · ".join(facts))}</span>'
        return (
            f"<tr><td>{name}</td><td>{html_text(p.location)}</td>"
            f'<td><span style="font-family:monospace; color:{c.type}">{html_text(kind)}'
            f"</span></td><td>{desc}</td></tr>"
        )

    # -- bodies ---------------------------------------------------------------------------

    def request_body(self) -> None:
        body = self.op.request_body
        if body is None or not body.content:
            return
        self.section("Request body" + ("" if body.required else " (optional)"))
        if body.description.strip():
            self.out.append(self.md(body.description))
        for media in body.content:
            self.media(media, f"req:{media.media_type}", where="the request body")

    def responses(self) -> None:
        responses = self.op.responses
        if not responses:
            return
        self.section("Responses")
        c = self.c
        for r in responses:
            try:
                color = status_color(int(r.status)).name()
            except ValueError:
                digit = r.status[:1]
                color = status_color(int(digit) * 100).name() if digit.isdigit() else c.dim
            self.out.append(
                f'<p style="margin:12px 0 2px 0"><span style="background-color:{color};'
                f' color:#ffffff; font-weight:700;">&nbsp;{html_text(r.status)}&nbsp;</span>'
                f"&nbsp; {html_text(_first_paragraph(r.description, 300))}</p>"
            )
            if r.headers:
                rows = "".join(
                    f'<tr><td style="font-family:monospace">{html_text(h.name)}</td>'
                    f'<td style="font-family:monospace; color:{c.type}">'
                    f"{html_text(type_label(h.schema) if h.schema else '')}</td>"
                    f"<td>{html_text(_first_paragraph(h.description))}</td></tr>"
                    for h in r.headers
                )
                self.out.append(
                    f'<p style="margin:4px 0 0 16px; color:{c.dim}">Headers</p>'
                    f'<table cellpadding="2" style="margin-left:16px">{rows}</table>'
                )
            for media in r.content:
                key = f"res:{r.status}:{media.media_type}"
                self.media(media, key, folded=not r.status.startswith("2"), where=r.status)

    def media(self, media: MediaType, key: str, folded: bool = False, where: str = "") -> None:
        c = self.c
        self.out.append(
            f'<p style="margin:6px 0 2px 16px; font-family:monospace; color:{c.dim}">'
            f"{html_text(media.media_type)}</p>"
        )
        if media.schema:
            self.schema_tree(media.schema, key, folded, where)
        for example in media.examples[:3]:
            title = example.summary or example.name
            self.out.append(
                f'<p style="margin:6px 0 2px 16px; color:{c.dim}">Example'
                f"{': ' + html_text(title) if title not in _PLAIN_NAMES else ''}</p>"
            )
            if example.external_value:
                self.out.append(
                    f'<p style="margin-left:16px">{html_text(example.external_value)}</p>'
                )
            else:
                self.example(example.value, f"ex:{key}:{example.name}")

    def example(self, value: Any, key: str) -> None:
        text = _json(value)
        lines = self.limits.get(key, (EXAMPLE_LINES, 0))[0]
        cut = text.split("\n", lines)
        more = ""
        if len(cut) > lines:
            text = "\n".join(cut[:lines])
            href = "explorer:more?" + bytes(QUrl.toPercentEncoding(key).data()).decode()
            rest = cut[lines].count("\n") + 1
            more = (
                f'<p style="{_ROW}margin-left:16px"><a href="{html.escape(href)}">'
                f"Show {rest:,} more lines…</a></p>"
            )
        self.used[key] = (lines, 0)
        self.out.append(
            f'<pre style="margin-left:16px; background-color:{self.c.code_bg}">'
            f"{html.escape(text)}</pre>{more}"
        )

    def schema_tree(
        self, schema: Mapping[str, Any], key: str, folded: bool = False, where: str = ""
    ) -> None:
        default = (0, SCHEMA_DEPTH) if folded else (SCHEMA_ROWS, SCHEMA_DEPTH)
        rows, depth = self.limits.get(key, default)
        self.used[key] = (rows, depth)
        seen = self.seen.get(id(schema))
        w = self.out.append
        w(
            f'<p style="{_ROW}margin-left:16px">'
            f'<code style="color:{self.c.type}">{html_text(type_label(schema))}</code>'
        )
        root_desc = _first_paragraph(str(schema.get("description") or ""))
        if root_desc:
            w(f' <span style="color:{self.c.dim}">{html_text(root_desc)}</span>')
        if seen is not None and key not in self.limits:
            same = f"— the same schema as {html_text(seen)}"
            w(f' <span style="color:{self.c.dim}">{same}</span></p>')
            return
        w("</p>")
        self.seen.setdefault(id(schema), where or key)
        tree, truncated = schema_rows(schema, rows, depth)
        for row in tree:
            w(self._schema_row(row))
        if truncated:
            href = "explorer:more?" + bytes(QUrl.toPercentEncoding(key).data()).decode()
            label = "Show schema" if rows == 0 else "Show more of this schema…"
            w(f'<p style="{_ROW}margin-left:32px"><a href="{html.escape(href)}">{label}</a></p>')

    def _schema_row(self, row: SchemaRow) -> str:
        c = self.c
        name = html_text(row.name)
        name = f'<i style="color:{c.dim}">{name}</i>' if row.note else f"<code>{name}</code>"
        if row.deprecated:
            name = f"<s>{name}</s>"
        text = ""
        if row.required:
            text += f'&nbsp; <span style="color:{c.required}">required</span>'
        tail = []
        description = _first_paragraph(row.description)
        if row.repeated:
            description = (description + " " if description else "") + "(fields as above)"
        if description:
            tail.append(html_text(description))
        if row.facts:
            facts = html_text(" · ".join(row.facts))
            tail.append(f'<span style="color:{c.dim}">{facts}</span>')
        if tail:
            text += " — " + " · ".join(tail)
        kind = (
            f'&nbsp; <code style="color:{c.type}">{html_text(row.type)}</code>' if row.type else ""
        )
        return f'<p style="{_ROW}margin-left:{32 + 18 * row.depth}px">{name}{kind}{text}</p>'


class DocsBrowser(SafeBrowser):
    """The Docs tab's browser: a `SafeBrowser` (loads nothing, opens http(s) links in the
    system browser) that also follows our own "Show more" links and in-page anchors."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.more_requested: Callable[[str], None] | None = None
        self.other_link = self._on_own_link

    def _on_own_link(self, url: QUrl) -> None:
        if url.scheme() == "explorer" and url.path() == "more" and self.more_requested:
            self.more_requested(QUrl.fromPercentEncoding(url.query().encode()))
        elif not url.scheme() and url.fragment():
            self.scrollToAnchor(url.fragment())


class DocsView(QWidget):
    """The documentation of one operation (the Docs tab of the request editor)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DocsView")
        self._browser = DocsBrowser(self)
        self._browser.setObjectName("docsBrowser")
        self._browser.more_requested = self._show_more
        self._browser.document().setDocumentMargin(12)
        # a scroll bar that comes and goes would lay the document out twice
        self._browser.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._browser)
        self._api: Spec | None = None
        self._op: Operation | None = None
        self._limits: dict[str, tuple[int, int]] = {}
        self._used: dict[str, tuple[int, int]] = {}
        self._dirty = False
        self._html = ""
        self._render()

    @property
    def browser(self) -> DocsBrowser:
        return self._browser

    def set_operation(self, api: Spec, op: Operation | None) -> None:
        """Show an operation's documentation (None: a short hint). Renders now if visible,
        else the next time the tab is shown."""
        if op is self._op and api is self._api and not self._dirty:
            return
        self._api, self._op = api, op
        self._limits = {}
        self._dirty = True
        if self.isVisible():
            self._render()

    def html(self) -> str:
        """The HTML shown (rendering first if it is due)."""
        self._flush()
        return self._html

    def plain_text(self) -> str:
        """The text shown, as a user would read it."""
        self._flush()
        return self._browser.toPlainText()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # a theme switch: colours change
            self._dirty = True
            if self.isVisible():
                self._render()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._flush()
        super().showEvent(event)

    def _flush(self) -> None:
        if self._dirty:
            self._render()

    def _show_more(self, key: str) -> None:
        rows, depth = self._used.get(key, (0, SCHEMA_DEPTH))
        if key.startswith("ex:"):
            self._limits[key] = (EXAMPLE_CHARS, 0)
        else:
            self._limits[key] = (max(SCHEMA_ROWS, rows * 5), depth + 6 if rows else depth)
        bar = self._browser.verticalScrollBar()
        where = bar.value()
        self._render()
        bar.setValue(where)

    def _render(self) -> None:
        self._dirty = False
        colors = _colors(self.palette())
        if self._api is None or self._op is None:
            self._html = (
                f'<p style="color:{colors.dim}">Select an endpoint to read its documentation.</p>'
            )
        else:
            try:
                renderer = _Renderer(self._api, self._op, colors, self._limits)
                self._html = renderer.render()
                self._used = renderer.used
            except Exception as exc:  # a broken corner of a spec must not break the window
                self._html = (
                    f"<p><b>This endpoint's documentation could not be shown.</b></p>"
                    f'<p style="color:{colors.dim}">{html_text(type(exc).__name__)}: '
                    f"{html_text(str(exc))}</p>"
                )
        self._browser.setHtml(self._html)
