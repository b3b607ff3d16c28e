"""The environments and credentials manager: the API's environments (add, rename, remove,
mark as production), each one's variables, its credential slots with how much each is used,
and its cookie jar (viewed and cleared). Secrets are never shown here: they are filled on
an endpoint's Auth tab (or from environment variables) and live in the keyring."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.request.looks import dim, title
from explorer.ui.request.slots import KIND_NAMES

if TYPE_CHECKING:
    from explorer.workbench import Services
    from explorer.workbench.credentials import Credentials

__all__ = ["EnvironmentsDialog"]


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class EnvironmentsDialog(QDialog):
    """See the module docstring. `changed` after every edit (the window saves)."""

    changed = Signal()

    def __init__(self, creds: Credentials, services: Services, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.creds = creds
        self.services = services
        self.setWindowTitle(f"Environments and credentials — {creds.api.title[:80]}")
        self.setObjectName("environmentsDialog")
        self.resize(920, 600)
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        layout.addWidget(split, 1)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(left)
        self.list.setObjectName("environmentList")
        self.list.currentTextChanged.connect(lambda _t: self._show_selected())
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add…", left)
        self.add_button.setObjectName("addEnvironment")
        self.add_button.clicked.connect(self._add)
        self.rename_button = QPushButton("Rename…", left)
        self.rename_button.clicked.connect(self._rename)
        self.remove_button = QPushButton("Remove", left)
        self.remove_button.clicked.connect(self._remove)
        for b in (self.add_button, self.rename_button, self.remove_button):
            buttons.addWidget(b)
        self.production = QCheckBox("Production (ask before other than GET)", left)
        self.production.setObjectName("productionCheck")
        self.production.toggled.connect(self._production_toggled)
        self.use_button = QPushButton("Use this environment", left)
        self.use_button.setObjectName("useEnvironment")
        self.use_button.clicked.connect(self._use)
        ll.addWidget(self.list, 1)
        ll.addLayout(buttons)
        ll.addWidget(self.production)
        ll.addWidget(self.use_button)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        heading = QLabel("Variables — used as {{name}} anywhere in a request", right)
        heading.setObjectName("sectionTitle")
        title(heading)
        self.variables = QTableWidget(0, 2, right)
        self.variables.setObjectName("variablesTable")
        self.variables.setHorizontalHeaderLabels(["Name", "Value"])
        self.variables.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.variables.verticalHeader().hide()
        self.variables.itemChanged.connect(lambda _i: self._variables_edited())
        add_variable = QPushButton("Add a variable", right)
        add_variable.setObjectName("addVariable")
        add_variable.clicked.connect(self._add_variable)
        slots_heading = QLabel("Credentials (secrets are in the keyring)", right)
        slots_heading.setObjectName("sectionTitle")
        title(slots_heading)
        self.slots = QTableWidget(0, 6, right)
        self.slots.setObjectName("slotsTable")
        self.slots.setHorizontalHeaderLabels(
            ["Slot", "Kind", "Requests", "Errors", "Last used", "Today"]
        )
        self.slots.verticalHeader().hide()
        self.slots.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.slots.horizontalHeader().setStretchLastSection(True)
        cookies_heading = QLabel("Cookie jar", right)
        cookies_heading.setObjectName("sectionTitle")
        title(cookies_heading)
        self.cookies = QTableWidget(0, 5, right)
        self.cookies.setObjectName("cookiesTable")
        self.cookies.setHorizontalHeaderLabels(["Name", "Domain", "Path", "Expires", "Flags"])
        self.cookies.verticalHeader().hide()
        self.cookies.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cookies.horizontalHeader().setStretchLastSection(True)
        self.clear_cookies = QPushButton("Clear the cookies", right)
        self.clear_cookies.setObjectName("clearCookies")
        self.clear_cookies.clicked.connect(self._clear_cookies)
        self.note = QLabel(creds.secrets.problem, right)
        self.note.setWordWrap(True)
        dim(self.note)
        for w in (heading, self.variables, add_variable, slots_heading, self.slots):
            rl.addWidget(w)
        for w in (cookies_heading, self.cookies, self.clear_cookies, self.note):
            rl.addWidget(w)
        split.addWidget(right)
        split.setSizes([260, 660])
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self._filling = False
        self._fill_list(creds.env.name)

    # -- which environment ----------------------------------------------------------------

    def selected(self) -> str:
        item = self.list.currentItem()
        return item.text() if item is not None else ""

    def _fill_list(self, select: str) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for env in self.creds.envs.environments:
            self.list.addItem(env.name)
        matches = self.list.findItems(select, Qt.MatchFlag.MatchExactly)
        self.list.setCurrentItem(matches[0] if matches else self.list.item(0))
        self.list.blockSignals(False)
        self._show_selected()

    def _show_selected(self) -> None:
        env = self.creds.envs.get(self.selected())
        self._filling = True
        try:
            self.production.setChecked(bool(env and env.production))
            self.variables.setRowCount(0)
            for name, value in (env.variables if env else {}).items():
                self._variable_row(name, value)
        finally:
            self._filling = False
        self._show_slots()
        self._show_cookies()
        self.remove_button.setEnabled(len(self.creds.envs.environments) > 1)

    def _use(self) -> None:
        name = self.selected()
        if name:
            self.creds.envs.use(name)
            self._show_selected()
            self.changed.emit()

    def _add(self) -> None:
        name, ok = QInputDialog.getText(self, "New environment", "Name of the environment:")
        if ok and name.strip():
            try:
                self.creds.envs.add(name)
            except ValueError as exc:
                self.note.setText(str(exc))
                return
            self._fill_list(name.strip())
            self.changed.emit()

    def _rename(self) -> None:
        env = self.creds.envs.get(self.selected())
        if env is None:
            return
        name, ok = QInputDialog.getText(self, "Rename", "New name:", text=env.name)
        name = name.strip()
        if not ok or not name or name == env.name or self.creds.envs.get(name) is not None:
            return
        if self.creds.envs.active == env.name:
            self.creds.envs.active = name
        env.name = name
        self._fill_list(name)
        self.changed.emit()

    def _remove(self) -> None:
        name = self.selected()
        if name and len(self.creds.envs.environments) > 1:
            self.creds.envs.remove(name)
            self._fill_list(self.creds.envs.active)
            self.changed.emit()

    def _production_toggled(self, on: bool) -> None:
        env = self.creds.envs.get(self.selected())
        if env is not None and not self._filling and env.production != on:
            env.production = on
            self.changed.emit()

    # -- variables ------------------------------------------------------------------------

    def _variable_row(self, name: str, value: str) -> None:
        row = self.variables.rowCount()
        self.variables.insertRow(row)
        self.variables.setItem(row, 0, QTableWidgetItem(name))
        self.variables.setItem(row, 1, QTableWidgetItem(value))

    def _add_variable(self) -> None:
        self._filling = True
        try:
            self._variable_row("", "")
        finally:
            self._filling = False
        item = self.variables.item(self.variables.rowCount() - 1, 0)
        if item is not None:
            self.variables.editItem(item)

    def set_variable(self, name: str, value: str) -> None:
        """Add or change a variable of the selected environment (as typing would)."""
        for row in range(self.variables.rowCount()):
            item = self.variables.item(row, 0)
            if item is not None and item.text() == name:
                self.variables.setItem(row, 1, QTableWidgetItem(value))
                return
        self._variable_row(name, value)
        self._variables_edited()

    def _variables_edited(self) -> None:
        if self._filling:
            return
        env = self.creds.envs.get(self.selected())
        if env is None:
            return
        variables: dict[str, str] = {}
        for row in range(self.variables.rowCount()):
            name_item, value_item = self.variables.item(row, 0), self.variables.item(row, 1)
            name = name_item.text().strip() if name_item is not None else ""
            if name:
                variables[name] = value_item.text() if value_item is not None else ""
        if variables != env.variables:
            env.variables = variables
            self.changed.emit()

    # -- credentials and cookies ----------------------------------------------------------

    def _show_slots(self) -> None:
        env_name = self.selected()
        creds = self.creds
        usage = self.services.usage
        names = list(creds.api.security_schemes)
        self.slots.setRowCount(len(names))
        env = creds.envs.get(env_name)
        for row, name in enumerate(names):
            slot = env.slots.get(name) if env else None
            kind = (slot.kind if slot and slot.kind else "") or creds.kind_of(name)
            key = f"{creds.api.title}/{env_name}/{name}"
            stats = usage.stats(key) if usage is not None else None
            last = (
                time.strftime("%Y-%m-%d %H:%M", time.localtime(stats.last_used))
                if stats and stats.last_used
                else "never"
            )
            cells = (
                name,
                KIND_NAMES.get(kind, kind),
                str(stats.requests if stats else 0),
                f"{stats.error_rate:.0%}" if stats and stats.requests else "",
                last,
                str(stats.today if stats else 0),
            )
            for col, text in enumerate(cells):
                self.slots.setItem(row, col, _item(text))
        self.slots.resizeColumnsToContents()

    def _show_cookies(self) -> None:
        if self.selected() != self.creds.env.name:
            self.cookies.setRowCount(0)
            self.clear_cookies.setEnabled(False)
            return
        cookies = self.creds.jar_cookies()
        self.cookies.setRowCount(len(cookies))
        for row, c in enumerate(cookies):
            expires = c.get("expires")
            when = (
                time.strftime("%Y-%m-%d %H:%M", time.localtime(expires)) if expires else "session"
            )
            flags = " ".join(
                f for f, on in (("HttpOnly", c.get("http_only")), ("Secure", c.get("secure"))) if on
            )
            for col, text in enumerate((c["name"], c["domain"], c["path"], when, flags)):
                self.cookies.setItem(row, col, _item(str(text)))
        self.clear_cookies.setEnabled(bool(cookies))

    def _clear_cookies(self) -> None:
        self.creds.clear_jar()
        from explorer.workbench.tasks import TaskSlot

        self._save_jar = TaskSlot("save cookies")
        self._save_jar.start(self.creds.save_jar())
        self._show_cookies()
