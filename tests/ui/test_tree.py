"""The endpoint tree and its filter box, driven as a user would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer import spec
from explorer.ui.tree import EXPAND_ROWS, EndpointModel, TreePanel

# the offscreen platform says this whenever a window is shown


def _op(op_id: str, summary: str, tags: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "responses": {"200": {"description": "OK"}},
    }
    if tags is not None:
        doc["tags"] = tags
    doc.update(extra)
    return doc


def _api(**extra: Any) -> spec.Spec:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "CRM", "version": "1"},
        "tags": [
            {"name": "Contacts", "description": "People you do business with"},
            {"name": "Invoices"},
        ],
        "paths": {
            "/contacts": {
                "get": _op("listContacts", "List contacts", ["Contacts"]),
                "post": _op("createContact", "Create a contact", ["Contacts"]),
            },
            "/contacts/{id}": {
                "get": _op("getContact", "Get a contact", ["Contacts"]),
                "delete": _op("deleteContact", "Delete a contact", ["Contacts"], deprecated=True),
            },
            "/invoices": {
                "get": _op("listInvoices", "List invoices", ["Invoices"]),
                "post": _op("createInvoice", "Create an invoice", ["Invoices"]),
            },
        },
        "webhooks": {
            "contact.created": {"post": _op("contactCreated", "A contact was created")},
        },
    }
    doc.update(extra)
    return spec.load_bytes(orjson.dumps(doc))


def _big_api(modules: int = 30, per_module: int = 20) -> spec.Spec:
    paths: dict[str, Any] = {}
    for m in range(modules):
        for i in range(per_module):
            paths[f"/m{m}/things{i}"] = {"get": _op(f"get{m}x{i}", f"Get thing {i}", [f"mod{m}"])}
    return spec.load_bytes(orjson.dumps({"openapi": "3.0.3", "info": {}, "paths": paths}))


@pytest.fixture
def panel(qtbot: QtBot) -> TreePanel:
    widget = TreePanel()
    qtbot.addWidget(widget)
    widget.resize(380, 520)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def visible_keys(panel: TreePanel) -> list[str]:
    """What the tree shows, top to bottom, as "METHOD /path" or "[Module]" (expanded only)."""
    tree, model = panel.tree, panel.model
    out: list[str] = []
    for r in range(model.rowCount()):
        module = model.index(r, 0)
        out.append(f"[{model.data(module)}]")
        if tree.isExpanded(module):
            for c in range(model.rowCount(module)):
                out.append(str(model.data(model.index(c, 0, module))))
    return out


def test_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = EndpointModel()
    model.set_spec(_api())
    qtmodeltester.check(model)
    model.set_filter("contact")
    qtmodeltester.check(model)
    model.set_filter("zzzz")
    qtmodeltester.check(model)
    model.set_spec(None)
    qtmodeltester.check(model)


def test_modules_with_counts_and_webhooks_last(panel: TreePanel) -> None:
    """Events come last, in a section of their own, and are counted apart."""
    panel.set_spec(_api())
    model = panel.model
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert names == ["Contacts", "Invoices", "Webhook events"]
    assert model.data(model.index(0, 0), EndpointModel.CountRole) == "4"
    assert "People you do business with" in model.data(
        model.index(0, 0), Qt.ItemDataRole.ToolTipRole
    )
    hook = model.index(0, 0, model.index(2, 0))
    assert model.data(hook) == "contact.created"
    assert model.data(hook, EndpointModel.MethodRole) == "EVENT"
    assert panel._count.text() == "6 endpoints · 1 event"
    assert (model.total, model.events) == (6, 1)


def test_operation_rows_carry_what_the_delegate_paints(panel: TreePanel) -> None:
    panel.set_spec(_api())
    model = panel.model
    contacts = model.index(0, 0)
    delete = model.index(3, 0, contacts)
    assert model.data(delete, EndpointModel.MethodRole) == "DELETE"
    assert model.data(delete, EndpointModel.PathRole) == "/contacts/{id}"
    assert model.data(delete, EndpointModel.SummaryRole) == "Delete a contact"
    assert model.data(delete, EndpointModel.DeprecatedRole) is True
    assert model.data(model.index(0, 0, contacts), EndpointModel.DeprecatedRole) is False
    tip = model.data(delete, Qt.ItemDataRole.ToolTipRole)
    assert "deleteContact" in tip and "Delete a contact" in tip and "Deprecated" in tip


def test_filter_by_words_fuzzy_and_method(panel: TreePanel, qtbot: QtBot) -> None:
    panel.set_spec(_api())
    panel.set_filter("contact list")
    assert visible_keys(panel) == ["[Contacts]", "GET /contacts"]
    panel.set_filter("post contact")
    assert visible_keys(panel) == [
        "[Contacts]",
        "POST /contacts",
        "[Webhook events]",
        "contact.created",
    ]
    panel.set_filter("gcont")
    assert "GET /contacts" in visible_keys(panel)
    assert "POST /contacts" not in visible_keys(panel)
    panel.set_filter("invoices")
    assert visible_keys(panel) == ["[Invoices]", "GET /invoices", "POST /invoices"]
    assert panel._count.text() == "2 of 6 · 0 of 1 events"


def test_typing_filters_and_esc_clears(panel: TreePanel, qtbot: QtBot) -> None:
    panel.set_spec(_api())
    panel.focus_filter()
    qtbot.keyClicks(panel.filter_edit, "invoi")
    assert visible_keys(panel) == ["[Invoices]", "GET /invoices", "POST /invoices"]
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Escape)
    assert panel.filter_text() == ""
    assert panel._count.text() == "6 endpoints · 1 event"
    assert len(visible_keys(panel)) == 3 + 7  # small documents open fully


def test_no_match_says_so(panel: TreePanel) -> None:
    panel.set_spec(_api())
    panel.set_filter("zzqq")
    assert panel._stack.currentWidget() is panel._empty
    assert "No endpoints match" in panel._empty.text()
    assert "zzqq" in panel._empty.text()
    assert panel._count.text() == "0 of 6 · 0 of 1 events"
    panel.set_filter("<b>")
    assert "&lt;b&gt;" in panel._empty.text()  # the query is shown, not interpreted
    panel.set_filter("")
    assert panel._stack.currentWidget() is panel.tree


def test_enter_selects_the_first_match(panel: TreePanel, qtbot: QtBot) -> None:
    panel.set_spec(_api())
    panel.focus_filter()
    qtbot.keyClicks(panel.filter_edit, "invoice")
    with (
        qtbot.waitSignal(panel.operation_selected) as selected,
        qtbot.waitSignal(panel.operation_activated) as activated,
    ):
        qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)
    assert selected.args[0].key == "GET /invoices"
    assert activated.args[0] is selected.args[0]
    assert panel.current_operation() is selected.args[0]


def test_keyboard_navigation(panel: TreePanel, qtbot: QtBot) -> None:
    panel.set_spec(_big_api(modules=3, per_module=30))  # 90 operations: modules closed
    tree = panel.tree
    assert visible_keys(panel) == ["[mod0]", "[mod1]", "[mod2]"]
    panel.focus_filter()
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Down)
    assert tree.hasFocus()
    assert panel.model.data(tree.currentIndex()) == "mod0"
    qtbot.keyClick(tree, Qt.Key.Key_Right)  # open the module
    assert tree.isExpanded(tree.currentIndex())
    with qtbot.waitSignal(panel.operation_selected) as selected:
        qtbot.keyClick(tree, Qt.Key.Key_Down)  # moving selects
    assert selected.args[0].key == "GET /m0/things0"
    with qtbot.waitSignal(panel.operation_selected) as selected:
        qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert selected.args[0].key == "GET /m0/things1"
    with qtbot.waitSignal(panel.operation_activated) as activated:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert activated.args[0].key == "GET /m0/things1"
    qtbot.keyClick(tree, Qt.Key.Key_Left)  # to the module
    qtbot.keyClick(tree, Qt.Key.Key_Left)  # close it
    assert not tree.isExpanded(panel.model.index(0, 0))
    qtbot.keyClick(tree, Qt.Key.Key_Up)  # top row: back to the filter
    assert panel.filter_edit.hasFocus()
    # typing in the tree goes on in the filter
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Down)
    qtbot.keyClicks(tree, "m2")
    assert panel.filter_text() == "m2"
    assert panel.filter_edit.hasFocus()


def test_matched_modules_open_and_the_rest_are_bounded(panel: TreePanel) -> None:
    panel.set_spec(_big_api(modules=20, per_module=20))  # 400 operations
    model = panel.model
    assert not any(panel.tree.isExpanded(model.index(r, 0)) for r in range(20))
    panel.set_filter("things1")  # 11 per module: 20 + 220 rows, within the budget
    assert EXPAND_ROWS >= 240
    assert model.rowCount() == 20
    assert all(panel.tree.isExpanded(model.index(r, 0)) for r in range(20))
    panel.set_filter("t")  # matches everything: the first modules open, within a budget
    opened = [r for r in range(20) if panel.tree.isExpanded(model.index(r, 0))]
    assert opened == list(range(len(opened)))
    assert 0 < len(opened) * 21 <= EXPAND_ROWS
    assert len(opened) < 20
    assert panel._count.text() == "400 of 400"


def test_select_operation_by_key_and_operation_id(panel: TreePanel, qtbot: QtBot) -> None:
    panel.set_spec(_api())
    with qtbot.waitSignal(panel.operation_selected) as selected:
        assert panel.select_operation("createInvoice")
    assert selected.args[0].key == "POST /invoices"
    assert panel.select_operation("get /contacts/{id}")
    current = panel.current_operation()
    assert current is not None and current.operation_id == "getContact"
    assert panel.model.operation(panel.tree.currentIndex()) is current
    assert not panel.select_operation("GET /nowhere")
    # a filter that hides the operation is cleared
    panel.set_filter("invoice")
    assert panel.select_operation("listContacts")
    assert panel.filter_text() == ""
    assert panel.model.operation(panel.tree.currentIndex()).key == "GET /contacts"  # type: ignore[union-attr]


def test_current_operation_survives_filtering(panel: TreePanel, qtbot: QtBot) -> None:
    panel.set_spec(_api())
    panel.select_operation("getContact")
    emitted: list[object] = []
    panel.operation_selected.connect(emitted.append)
    panel.set_filter("invoice")
    assert panel.current_operation() is not None
    assert panel.current_operation().operation_id == "getContact"  # type: ignore[union-attr]
    panel.set_filter("")
    assert panel.model.operation(panel.tree.currentIndex()).operation_id == "getContact"  # type: ignore[union-attr]
    assert emitted == []  # nothing changed for the editor


def test_click_selects_and_module_click_toggles(panel: TreePanel, qtbot: QtBot) -> None:
    panel.set_spec(_big_api(modules=2, per_module=40))
    tree = panel.tree
    module = panel.model.index(0, 0)
    rect = tree.visualRect(module)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tree.isExpanded(module)
    first = panel.model.index(0, 0, module)
    with qtbot.waitSignal(panel.operation_selected) as selected:
        qtbot.mouseClick(
            tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(first).center()
        )
    assert selected.args[0].key == "GET /m0/things0"


def test_set_spec_none_empties(panel: TreePanel) -> None:
    panel.set_spec(_api())
    panel.select_operation("listContacts")
    panel.set_spec(None)
    assert panel.model.rowCount() == 0
    assert panel.current_operation() is None
    assert panel._stack.currentWidget() is panel._empty
    assert "No API open" in panel._empty.text()
    assert panel._count.text() == ""


def test_untagged_spec_groups_by_path_segment(panel: TreePanel) -> None:
    paths = {
        "/v1/customers": {"get": _op("GetCustomers", "List all customers")},
        "/v1/customers/{customer}": {"get": _op("GetCustomer", "Retrieve a customer")},
        "/v1/charges": {"post": _op("PostCharges", "Create a charge")},
    }
    panel.set_spec(spec.load_bytes(orjson.dumps({"openapi": "3.0.0", "info": {}, "paths": paths})))
    assert visible_keys(panel) == [
        "[charges]",
        "POST /v1/charges",
        "[customers]",
        "GET /v1/customers",
        "GET /v1/customers/{customer}",
    ]


def test_filter_stays_across_set_spec(panel: TreePanel) -> None:
    panel.set_filter("invoice")
    panel.set_spec(_api())
    assert visible_keys(panel) == ["[Invoices]", "GET /invoices", "POST /invoices"]


def test_star_trek_spec(panel: TreePanel, shared_specs: Path, qtmodeltester: Any) -> None:
    api = spec.load(shared_specs / "oas-examples" / "star-trek-3.0.yaml", cache_dir=None)
    panel.set_spec(api)
    qtmodeltester.check(panel.model)
    assert panel._count.text() == f"{len(api.operations)} endpoints"
    panel.set_filter("spacecraft search")
    shown = visible_keys(panel)
    assert shown[0] == "[Spacecraft]"
    assert all("spacecraft" in key.lower() for key in shown)
    assert any(key.startswith(("GET ", "POST ")) for key in shown[1:])
    qtmodeltester.check(panel.model)


def test_filter_words_are_marked_in_the_rows(panel: TreePanel) -> None:
    panel.set_spec(_api())
    before = panel.tree.viewport().grab().toImage()
    panel.set_filter("post Contact")
    assert panel._delegate.highlight_words == ("contact",)  # the method word is not marked
    after = panel.tree.viewport().grab().toImage()

    def amber(image: object) -> int:
        from PySide6.QtGui import QImage

        assert isinstance(image, QImage)
        hits = 0
        for y in range(0, min(image.height(), 120), 2):
            for x in range(0, image.width(), 2):
                c = image.pixelColor(x, y)
                if c.red() > 230 and 200 < c.green() < 240 and c.blue() < 190:
                    hits += 1
        return hits

    assert amber(before) == 0
    assert amber(after) > 20
