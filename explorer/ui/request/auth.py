"""The Auth tab: which security schemes the endpoint asks for, and a credential to use now.

The credential typed here (bearer token, basic username and password, API key) is attached
to the request right away. It lives in memory only, per scheme, for the session: `state()`
holds which kind was chosen, never a secret (the keyring-backed credential manager is a
separate piece).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.http.model import AuthInput
from explorer.http.snippets import env_name_for
from explorer.spec import Operation, SecurityScheme, Spec
from explorer.spec.describe import credential_kind, scheme_summary
from explorer.ui.request.looks import dim, title
from explorer.ui.safe_text import cut, html_text, plain_words, set_plain

__all__ = ["AuthPanel", "eye_icon", "secret_edit"]

NONE = "none"


def eye_icon(visible: bool, color: str = "#6c757d") -> QIcon:
    """A small eye (crossed out when `visible` is False), drawn so no icon theme is needed."""
    size = 32
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(color), 2.6)
    p.setPen(pen)
    path = QPainterPath()
    path.moveTo(3, 16)
    path.quadTo(16, 2, 29, 16)
    path.quadTo(16, 30, 3, 16)
    p.drawPath(path)
    p.setBrush(QColor(color))
    p.drawEllipse(QPointF(16, 16), 4.5, 4.5)
    if not visible:
        p.setPen(QPen(QColor(color), 2.8))
        p.drawLine(QPointF(6, 27), QPointF(26, 5))
    p.end()
    return QIcon(pix)


def secret_edit(parent: QWidget, placeholder: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(False)
    action = QAction(eye_icon(False), "Show", edit)
    action.setCheckable(True)
    action.setToolTip("Show the secret")

    def toggle(on: bool) -> None:
        edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        action.setIcon(eye_icon(on))
        action.setToolTip("Hide the secret" if on else "Show the secret")

    action.toggled.connect(toggle)
    edit.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
    edit.setProperty("eye", action)
    return edit


class AuthPanel(QWidget):
    """The Auth tab (see the module docstring); `on_edit()` after every change."""

    def __init__(self, on_edit: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_edit = on_edit
        self._api: Spec | None = None
        self._choices: list[tuple[str, str, SecurityScheme | None]] = []  # key, kind, scheme
        self._secrets: dict[str, dict[str, str]] = {}  # choice key -> typed values (memory)
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(8)
        self.needs_title = QLabel("This endpoint needs", self)
        self.needs_title.setObjectName("sectionTitle")
        title(self.needs_title)
        layout.addWidget(self.needs_title)
        self.needs = QLabel(self)
        self.needs.setObjectName("authNeeds")
        self.needs.setWordWrap(True)
        self.needs.setTextFormat(Qt.TextFormat.RichText)
        self.needs.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.needs)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setObjectName("separator")
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setStyleSheet("color: #dee2e6;")
        layout.addWidget(line)
        cred_title = QLabel("Or a credential for this request only (not saved)", self)
        cred_title.setObjectName("sectionTitle")
        title(cred_title)
        layout.addWidget(cred_title)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        self.kind_combo = QComboBox(self)
        self.kind_combo.activated.connect(self._choice_changed)
        form.addRow("Use", self.kind_combo)
        self.token_edit = secret_edit(self, "token")
        self.username_edit = QLineEdit(self)
        self.username_edit.setPlaceholderText("username")
        self.password_edit = secret_edit(self, "password")
        self.key_name_edit = QLineEdit(self)
        self.key_name_edit.setPlaceholderText("X-API-Key")
        self.key_in_combo = QComboBox(self)
        self.key_in_combo.addItems(["header", "query", "cookie"])
        self.kind_combo.setMinimumWidth(260)
        for secret in (self.token_edit, self.password_edit):
            secret.setMinimumWidth(360)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._rows: dict[str, list[QWidget]] = {}
        self._form = form
        for label, w in (
            ("Token", self.token_edit),
            ("Username", self.username_edit),
            ("Password", self.password_edit),
            ("Key name", self.key_name_edit),
            ("Send in", self.key_in_combo),
        ):
            form.addRow(label, w)
        layout.addLayout(form)
        for edit in (self.token_edit, self.username_edit, self.password_edit, self.key_name_edit):
            edit.textEdited.connect(self._typed)
        self.key_in_combo.activated.connect(lambda _i: self._typed(""))
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)  # names the spec's key parameter
        self.note.setObjectName("dimLabel")
        dim(self.note)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self._show_fields(NONE)

    # -- operation ------------------------------------------------------------------------

    def set_operation(self, api: Spec | None, op: Operation | None) -> None:
        """Show what `op` needs and pick the credential kind its first option takes; for
        an ad-hoc request (no `op`), offer the document's schemes and the generic kinds."""
        self._api = api
        previous = self.current_choice()
        schemes = api.security_schemes if api is not None else {}
        alternatives = op.security if op is not None else ()
        if op is None:
            self.needs.setText(
                "<b>This request is not an endpoint of the document.</b><br>"
                "<span style='color:#868e96'>If it needs a credential, choose it below.</span>"
            )
            alternatives = tuple({name: ()} for name in schemes)
            alternatives = (*alternatives, {})
        elif not alternatives and not schemes:
            self.needs.setText(
                "<b>The API description declares no authentication.</b><br>"
                "<span style='color:#868e96'>If the API takes a token anyway, choose its kind "
                "below.</span>"
            )
        elif not alternatives:
            self.needs.setText("<b>No authentication needed.</b>")
        else:
            parts = []
            for i, alt in enumerate(alternatives):
                if not alt:
                    parts.append(f"<div>Option {i + 1}: <b>none</b> (anonymous access)</div>")
                    continue
                items = []
                for name, scopes in alt.items():
                    scheme = schemes.get(name)
                    text = f"<b>{html_text(name, 200)}</b> — {html_text(scheme_summary(scheme))}"
                    if scopes:
                        shown = html_text(", ".join(scopes), 500)
                        text += f" <span style='color:#868e96'>scopes: {shown}</span>"
                    if scheme is not None and scheme.description:
                        desc = html_text(plain_words(scheme.description, 160))
                        text += f"<br><span style='color:#868e96'>{desc}</span>"
                    items.append(text)
                prefix = f"Option {i + 1}: " if len(alternatives) > 1 else ""
                parts.append(f"<div style='margin-bottom:4px'>{prefix}{' + '.join(items)}</div>")
            self.needs.setText("".join(parts))
        # the credential choices: the schemes this endpoint names, then generic kinds
        self._choices = []
        seen: set[str] = set()
        for alt in alternatives:
            for name in alt:
                if name in seen:
                    continue
                seen.add(name)
                scheme = schemes.get(name)
                kind = credential_kind(scheme)
                if scheme is not None and scheme.type.lower() == "mutualtls":
                    continue
                self._choices.append((f"scheme:{name}", kind, scheme))
        generic = [("bearer", "bearer", None), ("basic", "basic", None), ("apikey", "apikey", None)]
        self._choices += [*generic, (NONE, NONE, None)]
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        for key, kind, scheme in self._choices:
            self.kind_combo.addItem(self._choice_label(key, kind, scheme))
        keys = [c[0] for c in self._choices]
        if previous in keys and previous.startswith("scheme:"):
            index = keys.index(previous)
        elif not alternatives or any(not alt for alt in alternatives):
            index = (
                keys.index(previous) if previous in keys and previous != NONE else keys.index(NONE)
            )
            if not any(self._secrets.get(previous, {}).values()):
                index = keys.index(NONE)
        else:
            index = 0
        self.kind_combo.setCurrentIndex(index)
        self.kind_combo.blockSignals(False)
        self._fill()

    @staticmethod
    def _choice_label(key: str, kind: str, scheme: SecurityScheme | None) -> str:
        names = {"bearer": "Bearer token", "basic": "Basic auth", "apikey": "API key", NONE: "None"}
        if scheme is not None:
            return f"{cut(scheme.name, 200)} — {names[kind]}"
        return names[kind] if key == kind else key

    def current_choice(self) -> str:
        i = self.kind_combo.currentIndex()
        return self._choices[i][0] if 0 <= i < len(self._choices) else NONE

    def _current(self) -> tuple[str, str, SecurityScheme | None]:
        i = self.kind_combo.currentIndex()
        return self._choices[i] if 0 <= i < len(self._choices) else (NONE, NONE, None)

    def _choice_changed(self, _index: int) -> None:
        self._fill()
        self._on_edit()

    def _fill(self) -> None:
        key, kind, scheme = self._current()
        saved = self._secrets.get(key, {})
        self._filling = True
        self.token_edit.setText(saved.get("token", ""))
        self.username_edit.setText(saved.get("username", ""))
        self.password_edit.setText(saved.get("password", ""))
        name = saved.get("name") or (scheme.param_name if scheme is not None else "") or ""
        self.key_name_edit.setText(name if kind == "apikey" else "")
        location = saved.get("location") or (scheme.location if scheme is not None else "")
        self.key_in_combo.setCurrentText(location or "header")
        self.key_name_edit.setReadOnly(scheme is not None)
        self.key_in_combo.setEnabled(scheme is None)
        self._filling = False
        self._show_fields(kind)
        self._update_note()

    def _update_note(self) -> None:
        _key, kind, scheme = self._current()
        env = env_name_for(self._api, kind, scheme.name if scheme is not None else "")
        if kind == NONE:
            self.note.setText("No credential is sent.")
        else:
            where = {
                "bearer": "the Authorization header as “Bearer …”",
                "basic": "the Authorization header as “Basic …”",
                "apikey": f"the {self.key_in_combo.currentText()} “{self.key_name_edit.text()}”",
            }[kind]
            set_plain(
                self.note,
                f"Sent in {where}. Kept in memory for this session only, never saved with the "
                f"request; code snippets read it from ${env}.",
            )

    def _show_fields(self, kind: str) -> None:
        show = {
            self.token_edit: kind in ("bearer", "apikey"),
            self.username_edit: kind == "basic",
            self.password_edit: kind == "basic",
            self.key_name_edit: kind == "apikey",
            self.key_in_combo: kind == "apikey",
        }
        for w, visible in show.items():
            self._form.setRowVisible(w, visible)
        self.token_edit.setPlaceholderText("API key" if kind == "apikey" else "token")

    def _typed(self, _text: str) -> None:
        if self._filling:
            return
        key, _kind, _scheme = self._current()
        self._secrets[key] = {
            "token": self.token_edit.text(),
            "username": self.username_edit.text(),
            "password": self.password_edit.text(),
            "name": self.key_name_edit.text(),
            "location": self.key_in_combo.currentText(),
        }
        self._update_note()
        self._on_edit()

    # -- reading --------------------------------------------------------------------------

    def auth_input(self) -> AuthInput | None:
        """The credential to attach, or None when none is chosen or typed."""
        _key, kind, scheme = self._current()
        env = env_name_for(self._api, kind, scheme.name if scheme is not None else "")
        if kind == "bearer" and self.token_edit.text():
            return AuthInput("bearer", token=self.token_edit.text().strip(), env_name=env)
        if kind == "basic" and (self.username_edit.text() or self.password_edit.text()):
            return AuthInput(
                "basic",
                username=self.username_edit.text(),
                password=self.password_edit.text(),
                env_name=env,
            )
        if kind == "apikey" and self.token_edit.text() and self.key_name_edit.text().strip():
            return AuthInput(
                "apikey",
                token=self.token_edit.text().strip(),
                name=self.key_name_edit.text().strip(),
                location=self.key_in_combo.currentText(),
                env_name=env,
            )
        return None

    def state(self) -> dict[str, Any]:
        """The chosen credential kind only: never a secret."""
        return {"choice": self.current_choice()}

    def restore_state(self, state: Mapping[str, Any]) -> None:
        choice = state.get("choice")
        keys = [c[0] for c in self._choices]
        if isinstance(choice, str) and choice in keys:
            self.kind_combo.setCurrentIndex(keys.index(choice))
            self._fill()
