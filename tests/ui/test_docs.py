"""The Docs tab: what it shows of an operation, and that it loads nothing remote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QTextDocument
from pytestqt.qtbot import QtBot

from explorer import spec
from explorer.ui.docs import SCHEMA_ROWS, DocsView

EVIL = "http://evil.example"
HOSTILE = (
    f"Hello <img src={EVIL}/raw.png> and <script>alert('x')</script>\n\n"
    f"![tracking pixel]({EVIL}/md.png)\n\n"
    "![by reference][pic]\n\n"
    f"[pic]: {EVIL}/ref.png\n\n"
    f'<iframe src="{EVIL}/frame"></iframe> [a link](https://docs.example.com/guide)'
)


def _doc() -> dict[str, Any]:
    contact = {
        "type": "object",
        "required": ["email"],
        "properties": {
            "email": {"type": "string", "format": "email", "description": "Where to write"},
            "kind": {"type": "string", "enum": ["person", "company"], "default": "person"},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
            "parent": {"$ref": "#/components/schemas/Contact"},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "CRM", "version": "1"},
        "components": {
            "schemas": {"Contact": contact},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
        },
        "security": [{"bearer": []}, {"key": []}],
        "paths": {
            "/contacts/{id}": {
                "put": {
                    "operationId": "replaceContact",
                    "summary": "Replace a <b>contact</b>",
                    "description": HOSTILE,
                    "deprecated": True,
                    "tags": ["Contacts"],
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                            "description": "The contact's id",
                        },
                        {
                            "name": "<x-evil>",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "default": 10},
                            "example": 20,
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Contact"},
                                "example": {"email": "<script>@x.y", "kind": "person"},
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The contact, replaced",
                            "headers": {
                                "X-RateLimit-Remaining": {
                                    "schema": {"type": "integer"},
                                    "description": "Calls left",
                                }
                            },
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Contact"},
                                    "example": {"email": "ada@example.com", "tags": ["vip"]},
                                }
                            },
                        },
                        "404": {"description": "No such contact"},
                    },
                }
            },
            "/health": {"get": {"responses": {"204": {"description": "Up"}}, "security": []}},
        },
    }


@pytest.fixture
def api() -> spec.Spec:
    return spec.load_bytes(orjson.dumps(_doc()))


@pytest.fixture
def view(qtbot: QtBot) -> DocsView:
    widget = DocsView()
    qtbot.addWidget(widget)
    widget.resize(800, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _op(api: spec.Spec, key: str) -> spec.Operation:
    op = api.find(key)
    assert op is not None
    return op


def test_header_summary_deprecation_and_security(view: DocsView, api: spec.Spec) -> None:
    view.set_operation(api, _op(api, "PUT /contacts/{id}"))
    text = view.plain_text()
    assert "PUT" in text and "/contacts/{id}" in text
    assert "Replace a <b>contact</b>" in text  # escaped, shown as written
    assert "replaceContact" in text
    assert "Deprecated." in text
    assert "bearer — HTTP bearer (JWT)" in text
    assert "key — API key in header “X-API-Key”" in text
    assert "Any one of:" in text


def test_no_authentication_is_said(view: DocsView, api: spec.Spec) -> None:
    view.set_operation(api, _op(api, "GET /health"))
    assert "No authentication." in view.plain_text()


def test_parameters_table(view: DocsView, api: spec.Spec) -> None:
    view.set_operation(api, _op(api, "PUT /contacts/{id}"))
    text = view.plain_text()
    for expected in (
        "Name",
        "id *",
        "path",
        "string<uuid>",
        "The contact's id",
        "<x-evil>",
        "query",
        "integer",
        "default: 10",
        "≥ 1",
        "example: 20",
    ):
        assert expected in text, expected


def test_body_schema_tree_with_cycle_and_examples(view: DocsView, api: spec.Spec) -> None:
    view.set_operation(api, _op(api, "PUT /contacts/{id}"))
    lines = [line.strip() for line in view.plain_text().splitlines()]
    assert "Request body" in lines
    assert "email  string<email>  required — Where to write" in [
        line.replace("\xa0", " ") for line in lines
    ]
    text = view.plain_text().replace("\xa0", " ")
    assert 'kind  string — one of: "person", "company" · default: "person"' in text
    assert "tags  array<string> — max items 5" in text
    assert "parent  ↻ Contact" in text
    assert '"email": "<script>@x.y"' in text  # the example, pretty and escaped


def test_responses(view: DocsView, api: spec.Spec) -> None:
    view.set_operation(api, _op(api, "PUT /contacts/{id}"))
    text = view.plain_text().replace("\xa0", " ")
    words = " ".join(text.split())
    assert "200 The contact, replaced" in words
    assert "X-RateLimit-Remaining" in text and "Calls left" in text
    assert '"tags": [\n    "vip"\n  ]' in text  # indented JSON
    assert "404 No such contact" in words
    # the 200 body is the same schema as the request body: said, not repeated
    assert "the same schema as the request body" in text


def test_hostile_description_loads_nothing_and_shows_as_text(
    view: DocsView, api: spec.Spec, qtbot: QtBot
) -> None:
    view.set_operation(api, _op(api, "PUT /contacts/{id}"))
    view.grab()  # lay out and paint everything
    qtbot.wait(10)
    assert view.browser.refused == []  # no resource was even asked for
    assert "<img" not in view.html()
    assert "<script" not in view.html()
    assert "<iframe" not in view.html()
    text = view.plain_text()
    assert f"<img src={EVIL}/raw.png>" in text
    assert "<script>alert('x')</script>" in text
    assert "[image: tracking pixel]" in text  # the image became its alt text
    assert "[image: by reference]" in text


def test_load_resource_refuses_everything(view: DocsView, tmp_path: Path) -> None:
    browser = view.browser
    bait = tmp_path / "bait.png"
    bait.write_bytes(b"not read")
    for url in (EVIL, bait.as_uri(), str(bait), "data:image/png;base64,iVBORw0KGgo="):
        assert browser.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(url)) is None
    assert len(browser.refused) == 4


def test_links_open_only_on_click_and_only_http(view: DocsView, api: spec.Spec) -> None:
    opened: list[str] = []
    view.browser.open_url = lambda url: opened.append(url.toString())
    view.set_operation(api, _op(api, "PUT /contacts/{id}"))
    assert opened == []
    assert "https://docs.example.com/guide" in view.html()
    view.browser.anchorClicked.emit(QUrl("https://docs.example.com/guide"))
    view.browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    view.browser.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert opened == ["https://docs.example.com/guide"]


def test_big_schema_is_cut_with_show_more(view: DocsView) -> None:
    props = {f"field{i:03}": {"type": "string"} for i in range(SCHEMA_ROWS * 3)}
    doc = {
        "openapi": "3.0.3",
        "info": {},
        "paths": {
            "/big": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"type": "object", "properties": props}}
                        }
                    },
                    "responses": {"204": {"description": "Done"}},
                }
            }
        },
    }
    api = spec.load_bytes(orjson.dumps(doc))
    view.set_operation(api, _op(api, "POST /big"))
    text = view.plain_text()
    assert f"field{SCHEMA_ROWS - 1:03}" in text
    assert f"field{SCHEMA_ROWS:03}" not in text
    assert "Show more of this schema…" in text
    view.browser.anchorClicked.emit(QUrl("explorer:more?req%3Aapplication%2Fjson"))
    text = view.plain_text()
    assert f"field{SCHEMA_ROWS * 3 - 1:03}" in text
    assert "Show more of this schema…" not in text


def test_no_operation_and_deferred_rendering(qtbot: QtBot, api: spec.Spec) -> None:
    view = DocsView()
    qtbot.addWidget(view)
    assert "Select an endpoint" in view.plain_text()
    view.set_operation(api, _op(api, "GET /health"))  # hidden: rendered when asked for
    assert "/health" in view.plain_text()
    view.set_operation(api, None)
    assert "Select an endpoint" in view.plain_text()


def test_description_markdown_is_rendered(view: DocsView, api: spec.Spec) -> None:
    doc = _doc()
    doc["paths"]["/health"]["get"]["description"] = "**bold** and `code`\n\n- one\n- two"
    api = spec.load_bytes(orjson.dumps(doc))
    view.set_operation(api, _op(api, "GET /health"))
    assert "<strong>bold</strong>" in view.html() and "<li>one</li>" in view.html()
    assert "bold and code" in view.plain_text()


def test_short_descriptions_read_as_plain_words(view: DocsView) -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {},
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "200": {"description": "Pass the [media type](https://x.example/m) **now**"}
                    }
                }
            }
        },
    }
    api = spec.load_bytes(orjson.dumps(doc))
    view.set_operation(api, _op(api, "GET /x"))
    text = " ".join(view.plain_text().split())
    assert "200 Pass the media type now" in text


def test_palette_change_recolours(view: DocsView, api: spec.Spec) -> None:
    view.set_operation(api, _op(api, "PUT /contacts/{id}"))
    before = view.html()
    palette = view.palette()
    palette.setColor(palette.ColorRole.Text, QColor("#abcdef"))
    view.setPalette(palette)
    assert view.html() != before
    assert "#abcdef" in view.html()
