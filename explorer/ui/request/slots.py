"""The credentials of the environment, on the Auth tab: one card per security scheme the
endpoint asks for, filled once and used by every endpoint that needs it.

A card shows the slot's kind (bearer, API key, basic, digest, login, OAuth 2.0, cookie
session), its fields, whether it is filled and from where (the keyring, an environment
variable, the cookie jar), and for a JWT its claims and a countdown to its expiry. What is
typed is kept as soon as the field is left: secrets in the keyring (through
`Credentials.set_secret`, off the event loop), the rest (a username, the login's plain
fields) in the environments file. The card of the alternative a request will use is
marked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.request.auth import secret_edit
from explorer.ui.request.looks import dim, title
from explorer.ui.safe_text import cut, set_plain

if TYPE_CHECKING:
    from explorer.spec.model import Operation
    from explorer.workbench.credentials import Credentials, SlotView

__all__ = ["KIND_NAMES", "SlotCard", "SlotsPanel", "countdown"]

KIND_NAMES = {
    "bearer": "Bearer token",
    "login": "Log in (email and password)",
    "apikey": "API key",
    "basic": "Basic (username and password)",
    "digest": "Digest (username and password)",
    "oauth2": "OAuth 2.0 / OpenID Connect",
    "cookie": "Cookie session",
}


def countdown(expires_at: float | None, now: float) -> str:
    """ "expires in 23 h 59 min", "expired 5 min ago", "" (no expiry)."""
    if expires_at is None:
        return ""
    left = int(expires_at - now)
    span = abs(left)
    if span >= 3600:
        text = f"{span // 3600} h {span % 3600 // 60} min"
    elif span >= 60:
        text = f"{span // 60} min {span % 60} s"
    else:
        text = f"{span} s"
    return f"expires in {text}" if left > 0 else f"expired {text} ago"


class SlotCard(QGroupBox):
    """One slot (see the module docstring)."""

    def __init__(self, creds: Credentials, scheme: str, run: Callable[[Any], None]) -> None:
        super().__init__()
        self.creds = creds
        self.scheme = scheme
        self.environment = creds.env.name
        """The environment this card shows: what is typed here is kept for it, even if
        another one is chosen while the field still has the focus."""
        self._shown: dict[str, str] = {}  # what each secret field showed when read
        self._run = run
        self.view: SlotView | None = None
        self.setObjectName(f"slot:{scheme}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("slotKind")
        for kind, name in KIND_NAMES.items():
            self.kind_combo.addItem(name, kind)
        self.kind_combo.activated.connect(self._kind_chosen)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.status = QLabel(self)
        self.status.setObjectName("slotStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        dim(self.status)
        self.claims = QLabel(self)
        self.claims.setObjectName("slotClaims")
        self.claims.setWordWrap(True)
        self.claims.setTextFormat(Qt.TextFormat.PlainText)
        self.claims.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.kind_combo)
        layout.addLayout(self.form)
        layout.addWidget(self.claims)
        layout.addWidget(self.status)
        self.edits: dict[str, QLineEdit] = {}
        self.login_button: QPushButton | None = None
        self._build_fields()

    # -- fields by kind -------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kind_combo.currentData() or "bearer")

    def _clear_fields(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.edits = {}
        self.login_button = None

    def _build_fields(self) -> None:
        creds, scheme = self.creds, self.scheme
        slot = creds.slot(scheme)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(slot.kind)))
        self._clear_fields()
        kind = slot.kind
        info = creds.scheme(scheme)
        if kind in ("bearer", "oauth2"):
            part = "access_token" if kind == "oauth2" else "token"
            self._secret_row("Token" if kind == "bearer" else "Access token", part)
        elif kind == "apikey":
            where = f"{info.location or 'header'} “{info.param_name}”" if info else "header"
            self._secret_row("API key", "key", f"sent in the {where}")
        elif kind in ("basic", "digest"):
            user = QLineEdit(slot.username, self)
            user.setObjectName("slotUsername")
            user.setPlaceholderText("username")
            user.editingFinished.connect(lambda: self._plain_changed("username", user.text()))
            self.form.addRow("Username", user)
            self.edits["username"] = user
            self._secret_row("Password", "password")
        elif kind == "login":
            login = slot.login
            op = QLineEdit(login.operation, self)
            op.setObjectName("slotLoginOperation")
            op.editingFinished.connect(lambda: self._login_changed("operation", op.text()))
            self.form.addRow("Operation", op)
            for name, value in login.fields.items():
                edit = QLineEdit(value, self)
                edit.setObjectName(f"slotField:{name}")
                edit.editingFinished.connect(
                    lambda n=name, e=edit: self._login_changed("field", e.text(), n)
                )
                self.form.addRow(name, edit)
                self.edits[name] = edit
            for name in login.secret_fields:
                self._secret_row(name, name)
            pointer = QLineEdit(login.token_pointer, self)
            pointer.setObjectName("slotTokenPointer")
            pointer.setToolTip("Where the token is in the reply (a JSON pointer)")
            pointer.editingFinished.connect(lambda: self._login_changed("pointer", pointer.text()))
            self.form.addRow("Token at", pointer)
            self.login_button = QPushButton("Log in now", self)
            self.login_button.setObjectName("slotLogIn")
            self.login_button.clicked.connect(lambda: self._run(self._log_in()))
            self.form.addRow("", self.login_button)
        elif kind == "cookie":
            clear = QPushButton("Clear the cookies", self)
            clear.setObjectName("slotClearCookies")
            clear.clicked.connect(self._clear_cookies)
            self.form.addRow("", clear)

    def _secret_row(self, label: str, part: str, hint: str = "") -> None:
        edit = secret_edit(self, hint or label.lower())
        edit.setObjectName(f"slotSecret:{part}")
        edit.setMinimumWidth(320)
        edit.editingFinished.connect(lambda: self._edited(part, edit.text()))
        self.form.addRow(label, edit)
        self.edits[part] = edit

    # -- edits ----------------------------------------------------------------------------

    def _kind_chosen(self, _index: int) -> None:
        self.creds.slot(self.scheme).kind = self.kind()
        self._build_fields()
        self._run(self.refresh())
        self.changed()

    def _plain_changed(self, what: str, value: str) -> None:
        slot = self.creds.slot(self.scheme)
        if what == "username" and slot.username != value:
            slot.username = value
            self.changed()

    def _login_changed(self, what: str, value: str, name: str = "") -> None:
        login = self.creds.slot(self.scheme).login
        if what == "operation":
            login.operation = value.strip()
        elif what == "pointer":
            login.token_pointer = value.strip() or "/token"
        else:
            login.fields[name] = value
        self.changed()

    def changed(self) -> None:
        """The slot's settings changed (the panel saves the environments file)."""
        panel = self.parent()
        while panel is not None and not isinstance(panel, SlotsPanel):
            panel = panel.parent()
        if isinstance(panel, SlotsPanel):
            panel.settings_changed.emit()

    def _edited(self, part: str, value: str) -> None:
        if value != self._shown.get(part, ""):
            self._shown[part] = value
            self._run(self._keep(part, value))

    async def _keep(self, part: str, value: str) -> None:
        await self.creds.set_secret(self.scheme, part, value, environment=self.environment)
        if self.creds.env.name == self.environment:
            await self.refresh()

    async def _log_in(self) -> None:
        panel = self.parent()
        while panel is not None and not isinstance(panel, SlotsPanel):
            panel = panel.parent()
        if not isinstance(panel, SlotsPanel) or panel.login_with is None:
            return
        self.status.setText("Logging in…")
        message = await panel.login_with(self.scheme)
        await self.refresh()
        if message:
            self.status.setText(message)

    def _clear_cookies(self) -> None:
        self.creds.clear_jar()
        self._run(self._after_clear())

    async def _after_clear(self) -> None:
        await self.creds.save_jar()
        await self.refresh()

    # -- showing --------------------------------------------------------------------------

    async def refresh(self) -> None:
        """Read the slot (the keyring, off the loop) and show it."""
        creds = self.creds
        if creds.env.name != self.environment:
            return  # another environment is shown now: this card is on its way out
        for part, edit in self.edits.items():
            if edit.echoMode() != QLineEdit.EchoMode.Normal or part in ("token", "key"):
                value = await creds.secrets_get_cached(self.scheme, part)
                if not edit.hasFocus():
                    edit.setText(value or "")
                    self._shown[part] = value or ""
        self.view = await creds.view(self.scheme)
        self.tick()

    def tick(self) -> None:
        """The status line (and the JWT's countdown)."""
        view = self.view
        if view is None:
            return
        store = self.creds.secrets
        where = "in the keyring" if store.available else "for this session only (no keyring)"
        if view.filled:
            text = f"Filled ({view.source})" if view.source else "Filled"
        else:
            text = f"Empty: type it here ({where}), or set ${view.env_name}"
        left = countdown(view.expires_at, time.time())
        if left:
            text += " · " + left
        failure = self.creds.login_failures.get(self.scheme)
        if failure:
            text += " · " + failure
        self.status.setText(text)
        claims = view.claims or {}
        shown = [f"{k}: {cut(str(v), 60)}" for k, v in claims.items() if k not in ("exp", "iat")]
        set_plain(self.claims, "JWT · " + " · ".join(shown[:6]) if claims else "")
        self.claims.setVisible(bool(claims))


class SlotsPanel(QWidget):
    """The environment's credentials for one endpoint (see the module docstring)."""

    settings_changed = Signal()
    """A slot's non-secret settings changed (kind, username, login fields)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("slotsPanel")
        self.login_with: Callable[[str], Any] | None = None
        """async (scheme) -> message: log a login slot in now (the window sets it)."""
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self)
        self.heading.setObjectName("sectionTitle")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        title(self.heading)
        self.uses = QLabel(self)
        self.uses.setObjectName("slotsUse")
        self.uses.setTextFormat(Qt.TextFormat.PlainText)
        self.uses.setWordWrap(True)
        dim(self.uses)
        self._layout.addWidget(self.heading)
        self._layout.addWidget(self.uses)
        self.cards: dict[str, SlotCard] = {}
        self._generation = 0
        self._running: set[Any] = set()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.hide()

    def _run(self, coro: Any) -> None:
        """Run a keyring call or a login in a task the panel keeps until it ends."""
        from explorer.workbench.tasks import current_loop

        task = current_loop().create_task(coro)
        self._running.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: Any) -> None:
        self._running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            task.get_loop().call_exception_handler(
                {"message": "a credential could not be kept", "exception": task.exception()}
            )

    def show_slots(self, creds: Credentials | None, op: Operation | None) -> None:
        """Cards for the schemes `op` asks for (every scheme of the API for an ad-hoc
        request); nothing without credentials or schemes."""
        for card in self.cards.values():
            self._layout.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.cards = {}
        if creds is None or not creds.api.security_schemes:
            self.hide()
            self._timer.stop()
            return
        if op is not None:
            names = list(dict.fromkeys(name for alt in op.security for name in alt))
        else:
            names = list(creds.api.security_schemes)
        self.heading.setText(f"Credentials of the environment “{creds.env.name}”")
        if op is not None and not op.security:
            self.uses.setText("This endpoint needs no credential: none is sent.")
        for name in names:
            card = SlotCard(creds, name, self._run)
            self.cards[name] = card
            self._layout.addWidget(card)
        self.show()
        self._generation += 1
        self._run(self._load(creds, op, self._generation))
        self._timer.start()

    async def _load(self, creds: Credentials, op: Operation | None, generation: int) -> None:
        """Read the cards' slots (the keyring, off the loop); a newer `show_slots` makes
        this one stop (no cancelling: a load is a few keyring reads)."""
        for card in list(self.cards.values()):
            if generation != self._generation:
                return
            await card.refresh()
        if generation != self._generation:
            return
        if op is not None and op.security:
            chosen = await creds.choose(op)
            names = " + ".join(chosen or ()) or "none"
            alternatives = len(op.security)
            self.uses.setText(
                f"A request sends: {names}"
                + (
                    f" (the first of {alternatives} alternatives that can be met)"
                    if alternatives > 1
                    else ""
                )
            )
            for name, card in self.cards.items():
                card.setTitle(f"{name}{'  · used' if chosen and name in chosen else ''}")
        else:
            for name, card in self.cards.items():
                card.setTitle(name)

    def _tick(self) -> None:
        if not self.isVisible():
            return
        for card in self.cards.values():
            card.tick()

    def shutdown(self) -> None:
        self._timer.stop()
        self._generation += 1
        for task in list(self._running):
            task.cancel()
