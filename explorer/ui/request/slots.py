"""The credentials of the environment, on the Auth tab: one card per security scheme the
endpoint asks for, filled once and used by every endpoint that needs it.

A card shows the slot's kind (bearer, API key, basic, digest, login, OAuth 2.0, cookie
session), its fields, whether it is filled and from where (the keyring, an environment
variable, the cookie jar), and for a JWT its claims and a countdown to its expiry. What is
typed is kept as soon as the field is left: secrets in the keyring (through
`Credentials.set_secret`, off the event loop), the rest (a username, the login's plain
fields) in the environments file. The card of the alternative a request will use is
marked.

An OAuth 2.0 / OpenID Connect card has the flow (those the scheme declares), the client
ID and secret, the scopes, the discovery URL (or the endpoints, for an `oauth2` scheme),
the redirect URI to register, and Sign in / Cancel / Sign out. A sign-in runs as a task of
the panel (the system browser for the authorization code; the user code and verification
page shown as plain text for the device code), so it outlives the card that started it: a
new card for the same slot shows it. Its errors are one line on the card; what was typed
is kept before it starts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.errors import AuthError
from explorer.ui.request.auth import secret_edit
from explorer.ui.request.looks import dim, title
from explorer.ui.safe_text import cut, set_plain

if TYPE_CHECKING:
    from explorer.http.oauth import OAuthSettings
    from explorer.spec.model import Operation
    from explorer.workbench.credentials import Credentials, SlotView

__all__ = ["FLOW_NAMES", "KIND_NAMES", "SlotCard", "SlotsPanel", "countdown"]

KIND_NAMES = {
    "bearer": "Bearer token",
    "login": "Log in (email and password)",
    "apikey": "API key",
    "basic": "Basic (username and password)",
    "digest": "Digest (username and password)",
    "oauth2": "OAuth 2.0 / OpenID Connect",
    "cookie": "Cookie session",
}
FLOW_NAMES = {
    "authorization_code": "Authorization code with PKCE (browser)",
    "client_credentials": "Client credentials (no person)",
    "device_code": "Device code (sign in on another device)",
}
"""The OAuth2 flows (explorer.http.oauth.FLOWS) as a card offers them."""
_ENDPOINTS = (
    ("authorization_url", "Authorization URL", ("authorization_code",)),
    ("token_url", "Token URL", ("authorization_code", "client_credentials", "device_code")),
    ("device_authorization_url", "Device URL", ("device_code",)),
)
"""The endpoint fields of an `oauth2` card: (setting, label, the flows that need it)."""


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


@dataclasses.dataclass
class _SignIn:
    """An OAuth2 sign-in in progress for one (environment, slot)."""

    task: asyncio.Task[None] | None = None
    device: str = ""
    """For the device code: where to go and the code to enter."""
    by_user: bool = False
    """Cancelled by the person (not by the tab closing)."""


def _open_browser(url: str) -> bool:
    """Open the provider's sign-in page in the system browser (False: none could be)."""
    return bool(QDesktopServices.openUrl(QUrl.fromEncoded(url.encode("ascii"))))


class SlotCard(QGroupBox):
    """One slot (see the module docstring)."""

    def __init__(
        self,
        creds: Credentials,
        scheme: str,
        run: Callable[[Any], object],
        panel: SlotsPanel | None = None,
    ) -> None:
        super().__init__()
        self._panel = panel
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
        self.oauth_edits: dict[str, QLineEdit] = {}
        """OAuth2: the plain settings typed here (client_id, scopes, issuer, endpoints)."""
        self.flow_combo: QComboBox | None = None
        self.sign_in_button: QPushButton | None = None
        self.cancel_button: QPushButton | None = None
        self.sign_out_button: QPushButton | None = None
        self.redirect: QLineEdit | None = None
        self.device = QLabel(self)
        self.device.setObjectName("oauthDevice")
        self.device.setTextFormat(Qt.TextFormat.PlainText)
        self.device.setWordWrap(True)
        self.device.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.device.hide()
        self.oauth_state = QLabel(self)
        self.oauth_state.setObjectName("oauthState")
        self.oauth_state.setTextFormat(Qt.TextFormat.PlainText)
        self.oauth_state.setWordWrap(True)
        self.oauth_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.oauth_state.hide()
        layout.insertWidget(2, self.device)
        layout.insertWidget(3, self.oauth_state)
        self._tokens_seen: str | None = None
        self._build_fields()

    # -- fields by kind -------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kind_combo.currentData() or "bearer")

    def _clear_fields(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.edits = {}
        self.login_button = None
        self.oauth_edits = {}
        self.flow_combo = self.sign_in_button = self.cancel_button = None
        self.sign_out_button = None
        self.redirect = None
        self.device.hide()
        self.oauth_state.hide()

    def _build_fields(self) -> None:
        creds, scheme = self.creds, self.scheme
        slot = creds.slot(scheme)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(slot.kind)))
        self._clear_fields()
        kind = slot.kind
        info = creds.scheme(scheme)
        if kind == "bearer":
            self._secret_row("Token", "token")
        elif kind == "oauth2":
            self._build_oauth()
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

    def _build_oauth(self) -> None:
        """The OAuth2 fields, the redirect URI and the sign-in buttons."""
        from explorer.http.oauth import FLOWS, available_flows
        from explorer.workbench.credentials import CLIENT_SECRET

        creds, scheme = self.creds, self.scheme
        settings = creds.oauth_settings(scheme, self.environment)
        info = creds.scheme(scheme)
        flows = (available_flows(info) if info is not None else ()) or FLOWS
        combo = QComboBox(self)
        combo.setObjectName("oauthFlow")
        for flow in flows:
            combo.addItem(FLOW_NAMES[flow], flow)
        combo.setCurrentIndex(max(0, combo.findData(settings.flow)))
        combo.activated.connect(self._flow_chosen)
        self.flow_combo = combo
        self.form.addRow("Flow", combo)
        self._oauth_row("client_id", "Client ID", settings.client_id, "from the app's registration")
        self._secret_row("Client secret", CLIENT_SECRET, "only for a confidential client")
        self._oauth_row(
            "scopes",
            "Scopes",
            " ".join(settings.scopes),
            "separated by spaces (offline_access: a refresh token)",
        )
        self._oauth_row(
            "issuer",
            "Discovery",
            settings.issuer,
            "issuer URL, or its /.well-known/openid-configuration",
        )
        if info is None or info.type != "openIdConnect":
            for name, label, needed_by in _ENDPOINTS:
                if settings.flow in needed_by:
                    hint = "from discovery" if settings.issuer else "https://…"
                    self._oauth_row(name, label, getattr(settings, name), hint)
        if settings.flow == "authorization_code":
            redirect = QLineEdit(settings.redirect_uri_to_register, self)
            redirect.setObjectName("oauthRedirect")
            redirect.setReadOnly(True)
            redirect.setMinimumWidth(240)
            redirect.setToolTip("Register this redirect URI at the provider (any port)")
            copy = QPushButton("Copy", self)
            copy.setObjectName("oauthCopyRedirect")
            copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(redirect.text()))
            row = QHBoxLayout()
            row.addWidget(redirect, 1)
            row.addWidget(copy)
            self.form.addRow("Redirect URI", row)
            self.redirect = redirect
        buttons = QHBoxLayout()
        self.sign_in_button = QPushButton("Sign in", self)
        self.sign_in_button.setObjectName("oauthSignIn")
        self.sign_in_button.clicked.connect(self._sign_in)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("oauthCancel")
        self.cancel_button.clicked.connect(self._cancel_sign_in)
        self.sign_out_button = QPushButton("Sign out", self)
        self.sign_out_button.setObjectName("oauthSignOut")
        self.sign_out_button.clicked.connect(self._sign_out)
        for button in (self.sign_in_button, self.cancel_button, self.sign_out_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.form.addRow("", buttons)
        self.oauth_state.show()
        self.show_sign_in()

    def _oauth_row(self, name: str, label: str, value: str, hint: str) -> None:
        edit = QLineEdit(value, self)
        edit.setObjectName(f"oauth:{name}")
        edit.setPlaceholderText(hint)
        edit.setMinimumWidth(320)
        edit.editingFinished.connect(self._oauth_edited)
        self.form.addRow(label, edit)
        self.oauth_edits[name] = edit

    def _secret_row(self, label: str, part: str, hint: str = "") -> None:
        edit = secret_edit(self, hint or label.lower())
        edit.setObjectName(f"slotSecret:{part}")
        edit.setMinimumWidth(320)
        edit.editingFinished.connect(lambda: self._edited(part, edit.text()))
        self.form.addRow(label, edit)
        self.edits[part] = edit

    # -- OAuth2 ---------------------------------------------------------------------------

    def _oauth_typed(self, flow: str = "") -> OAuthSettings:
        """The slot's OAuth2 settings with what is typed on the card (and `flow`)."""
        settings = self.creds.oauth_settings(self.scheme, self.environment)
        values: dict[str, Any] = {
            name: edit.text().strip() for name, edit in self.oauth_edits.items() if name != "scopes"
        }
        if "scopes" in self.oauth_edits:
            values["scopes"] = tuple(self.oauth_edits["scopes"].text().replace(",", " ").split())
        if flow and flow != settings.flow:
            values["flow"] = flow
            # an `oauth2` scheme's endpoints are per flow: the new flow's, where it has some
            fresh = self.creds.oauth_defaults(self.scheme, flow)
            names = [name for name, _label, _needed in _ENDPOINTS] + ["refresh_url"]
            for name in names:
                if getattr(fresh, name):
                    values[name] = getattr(fresh, name)
        return dataclasses.replace(settings, **values)

    def _keep_oauth(self, flow: str = "") -> None:
        """Keep what is typed (in the environment, saved by the panel)."""
        typed = self._oauth_typed(flow)
        if typed != self.creds.oauth_settings(self.scheme, self.environment):
            self.creds.set_oauth_settings(self.scheme, typed, self.environment)
            self.changed()

    def _oauth_edited(self) -> None:
        if self.oauth_edits:
            self._keep_oauth()

    def _flow_chosen(self, _index: int) -> None:
        if self.flow_combo is None:
            return
        self._keep_oauth(str(self.flow_combo.currentData()))
        self._build_fields()
        self._run(self.refresh())

    def _sign_in(self) -> None:
        panel = self._owner()
        if panel is None:
            return
        if self.oauth_edits:
            self._keep_oauth()  # nothing typed is lost, and the sign-in uses it
        # the client secret as typed (once the field showed the stored one), kept before
        # the sign-in reads it: leaving the field may not have kept it yet
        typed: str | None = None
        edit = self.edits.get("client_secret")
        if edit is not None and "client_secret" in self._shown:
            typed = self._shown["client_secret"] = edit.text()
        panel.sign_in(self.creds, self.environment, self.scheme, client_secret=typed)

    def _cancel_sign_in(self) -> None:
        panel = self._owner()
        if panel is not None:
            panel.cancel_sign_in((self.environment, self.scheme))

    def _sign_out(self) -> None:
        panel = self._owner()
        if panel is not None:
            panel.say((self.environment, self.scheme), "")
        self._run(self._signed_out())

    async def _signed_out(self) -> None:
        await self.creds.oauth_sign_out(self.scheme, self.environment)
        if shiboken6.isValid(self):
            await self.refresh()

    def show_sign_in(self) -> None:
        """The buttons and the device code of a sign-in in progress (or none)."""
        panel = self._owner()
        running = panel.sign_ins.get((self.environment, self.scheme)) if panel else None
        if self.sign_in_button is not None and self.cancel_button is not None:
            self.sign_in_button.setEnabled(running is None)
            self.cancel_button.setVisible(running is not None)
        if self.sign_out_button is not None:
            self.sign_out_button.setEnabled(running is None)
        set_plain(self.device, running.device if running else "")
        self.device.setVisible(bool(running and running.device))
        self.tick()

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

    def _owner(self) -> SlotsPanel | None:
        """The panel the card is on."""
        if self._panel is not None:
            return self._panel
        panel = self.parent()
        while panel is not None and not isinstance(panel, SlotsPanel):
            panel = panel.parent()
        return panel if isinstance(panel, SlotsPanel) else None

    def changed(self) -> None:
        """The slot's settings changed (the panel saves the environments file)."""
        panel = self._owner()
        if panel is not None:
            panel.settings_changed.emit()
            if panel.save_settings is not None:
                panel.save_settings()

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
            secret = part in ("token", "key", "client_secret")
            if edit.echoMode() != QLineEdit.EchoMode.Normal or secret:
                value = await creds.secrets_get_cached(self.scheme, part)
                if not edit.hasFocus():
                    edit.setText(value or "")
                    self._shown[part] = value or ""
        self.view = await creds.view(self.scheme)
        self._tokens_seen = creds.cached(self.scheme, "tokens")
        self.tick()

    def tick(self) -> None:
        """The status line (and the JWT's countdown)."""
        view = self.view
        if view is None:
            return
        if view.kind == "oauth2":
            self._tick_oauth(view)
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

    def _tick_oauth(self, view: SlotView) -> None:
        """An OAuth2 slot's state (who, the countdown, renewal) and its message."""
        creds = self.creds
        if (
            creds.env.name == self.environment
            and creds.cached(self.scheme, "tokens") != self._tokens_seen
        ):
            self._tokens_seen = creds.cached(self.scheme, "tokens")
            self._run(self.refresh())  # renewed by a send meanwhile
        self.claims.hide()
        if view.source == "signed in":
            parts = [f"Signed in as {cut(view.who, 80)}" if view.who else "Signed in"]
            left = countdown(view.expires_at, time.time())
            if left:
                parts.append(left)
            if view.refresh_token:
                parts.append("refresh token present: renewed by itself")
            elif view.flow == "client_credentials":
                parts.append("renewed by itself (client credentials)")
            else:
                parts.append("no refresh token: sign in again when it expires")
            text = " · ".join(parts)
        elif view.filled:
            text = f"Not signed in: {view.source}"
        else:
            text = "Not signed in"
        set_plain(self.oauth_state, text)
        panel = self._owner()
        message = panel.messages.get((self.environment, self.scheme), "") if panel else ""
        store = creds.secrets
        where = "in the keyring" if store.available else "for this session only (no keyring)"
        self.status.setText(
            message or view.problem or f"Tokens and the client secret are kept {where}."
        )


class SlotsPanel(QWidget):
    """The environment's credentials for one endpoint (see the module docstring)."""

    settings_changed = Signal()
    """A slot's non-secret settings changed (kind, username, login fields)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("slotsPanel")
        self.login_with: Callable[[str], Any] | None = None
        """async (scheme) -> message: log a login slot in now (the window sets it)."""
        self.save_settings: Callable[[], object] | None = None
        """Save the environments file after a slot's settings changed (the window sets it)."""
        self.sign_ins: dict[tuple[str, str], _SignIn] = {}
        """OAuth2 sign-ins in progress, by (environment, slot)."""
        self.messages: dict[tuple[str, str], str] = {}
        """The last sign-in message of each (environment, slot), shown on its card."""
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

    def _run(self, coro: Any) -> asyncio.Task[Any]:
        """Run a keyring call or a login in a task the panel keeps until it ends."""
        from explorer.workbench.tasks import current_loop

        task = current_loop().create_task(coro)
        self._running.add(task)
        task.add_done_callback(self._done)
        return task

    # -- OAuth2 sign-ins ------------------------------------------------------------------

    def sign_in(
        self,
        creds: Credentials,
        environment: str,
        scheme: str,
        *,
        client_secret: str | None = None,
    ) -> None:
        """Start the OAuth2 sign-in of a slot (nothing when one is running), keeping a
        newly typed `client_secret` in the keyring first."""
        key = (environment, scheme)
        if key in self.sign_ins:
            return
        state = self.sign_ins[key] = _SignIn()
        flow = creds.oauth_settings(scheme, environment).flow
        self.messages[key] = {
            "authorization_code": "Waiting for the sign-in in the browser…",
            "device_code": "Asking the provider for a code…",
        }.get(flow, "Asking the provider for a token…")
        state.task = self._run(self._signing_in(creds, key, state, client_secret))
        self._show_sign_in(key)

    def cancel_sign_in(self, key: tuple[str, str]) -> None:
        state = self.sign_ins.get(key)
        if state is not None and state.task is not None:
            state.by_user = True
            state.task.cancel()

    def say(self, key: tuple[str, str], message: str) -> None:
        """Show a message on the card of (environment, slot)."""
        self.messages[key] = message
        card = self._card(key)
        if card is not None:
            card.tick()

    async def _signing_in(
        self, creds: Credentials, key: tuple[str, str], state: _SignIn, secret: str | None
    ) -> None:
        environment, scheme = key

        def show_device_code(user_code: str, verification_uri: str) -> None:
            state.device = f"Go to {verification_uri} and enter the code {user_code}"
            self.messages[key] = "Waiting for the sign-in on the other device…"
            self._show_sign_in(key)

        message = ""
        try:
            if secret is not None and secret != (
                await creds.secrets_get_cached(scheme, "client_secret", environment=environment)
                or ""
            ):
                await creds.set_secret(scheme, "client_secret", secret, environment=environment)
            await creds.oauth_sign_in(
                scheme,
                environment=environment,
                open_browser=_open_browser,
                show_device_code=show_device_code,
            )
        except AuthError as exc:
            message = str(exc)
        except asyncio.CancelledError:
            if not state.by_user:
                raise  # the tab is closing: nothing to show
            message = "Sign-in cancelled."
        finally:
            self.sign_ins.pop(key, None)
            self._show_sign_in(key)  # the buttons back, whatever happened
        self.messages[key] = message
        self._show_sign_in(key)
        card = self._card(key)
        if card is not None:
            await card.refresh()

    def _card(self, key: tuple[str, str]) -> SlotCard | None:
        """The card that shows (environment, slot) now, if any."""
        card = self.cards.get(key[1])
        if card is None or card.environment != key[0] or not shiboken6.isValid(card):
            return None
        return card

    def _show_sign_in(self, key: tuple[str, str]) -> None:
        card = self._card(key)
        if card is not None:
            card.show_sign_in()

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
            card = SlotCard(creds, name, self._run, self)
            self.cards[name] = card
            self._layout.addWidget(card)
        self.show()
        self._generation += 1
        self._run(self._load(creds, op, self._generation))
        self._timer.start()

    def refresh_views(self, creds: Credentials | None, op: Operation | None) -> None:
        """Read the shown cards' slots again (after a send: a login, a renewed token, a
        cookie) without making the cards anew, so nothing being typed is lost."""
        if creds is None or not self.cards:
            return
        self._generation += 1
        self._run(self._load(creds, op, self._generation))

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
