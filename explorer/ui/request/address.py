"""The address bar's parts: the URL field that shows what will be sent and takes a URL
typed by hand (or a curl command pasted: `curl_pasted`), and a one-line label that elides
(the endpoint's summary)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QLineEdit, QMenu, QSizePolicy, QWidget

from explorer.ui.safe_text import tooltip
from explorer.ui.style import mono_font

__all__ = ["AddressEdit", "ElidedLabel"]

ADDRESS_STYLE = "QLineEdit { padding: 4px 6px; }"


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when its text does not fit; the full text is the
    tooltip. Plain text always (it shows what a document says)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_full_text(self, text: str) -> None:
        self._full = " ".join(text[:4000].split())
        self.setToolTip(tooltip(text))
        self._elide()

    def full_text(self) -> str:
        return self._full

    def _elide(self) -> None:
        width = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(
            self._full[:2000], Qt.TextElideMode.ElideRight, max(width, 40)
        )
        super().setText(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()


class AddressEdit(QLineEdit):
    """The URL field: shows the URL that will be sent, takes a URL typed by hand.

    While the user types, previews do not overwrite the text; Enter or leaving the field
    commits it (`committed`), Escape goes back to the preview."""

    committed = Signal(str)
    """The user finished typing a URL (the text)."""
    submitted = Signal()
    """Enter was pressed (after `committed`, when the text had changed)."""
    copy_as_requested = Signal(str)
    """"Copy as" in the context menu: the request as code in that language (its name)."""
    curl_pasted = Signal(str)
    """A curl command was pasted (or typed and committed): its text, line breaks kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview = ""
        self._typing = False
        self.setObjectName("addressEdit")
        self.setFont(mono_font())
        self.setStyleSheet(ADDRESS_STYLE)
        self.setPlaceholderText("Type a URL, or pick an endpoint on the left")
        self.textEdited.connect(self._edited)

    def _edited(self, _text: str) -> None:
        self._typing = True

    @property
    def typing(self) -> bool:
        return self._typing

    def show_preview(self, url: str) -> None:
        """Show the URL the request would go to (not while the user is typing)."""
        self._preview = url
        self.setToolTip(tooltip(url))
        if not self._typing and self.text() != url:
            self.setText(url)
            self.setCursorPosition(0)

    def full_text(self) -> str:
        """The URL as previewed (the wire's URL, secrets shown as "…")."""
        return self._preview

    def paste_text(self, text: str) -> None:
        """Paste `text` as the user would: a curl command becomes the request
        (`curl_pasted`); anything else is inserted as Qt pastes it."""
        from explorer.collection.formats.curl import looks_like_curl

        if looks_like_curl(text):
            self._typing = False
            self.show_preview(self._preview)
            self.curl_pasted.emit(text)
        else:
            self.insert(text)

    def _paste(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def commit(self) -> None:
        """End typing: report the typed text if it differs from the preview (a curl
        command dropped or typed in: `curl_pasted`)."""
        from explorer.collection.formats.curl import looks_like_curl

        if not self._typing:
            return
        self._typing = False
        text = self.text()
        if looks_like_curl(text):
            self.show_preview(self._preview)
            self.curl_pasted.emit(text)
        elif text.strip() != self._preview:
            self.committed.emit(text)
        else:
            self.show_preview(self._preview)

    def revert(self) -> None:
        self._typing = False
        self.setText(self._preview)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste) and not self.isReadOnly():
            self._typing = True
            self._paste()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.commit()
            self.submitted.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self._typing:
            self.revert()
            return
        super().keyPressEvent(event)

    def context_menu(self) -> QMenu:
        """The line edit's own menu, and "Copy as" with every snippet language."""
        from explorer.http.snippets import SNIPPETS

        menu = self.createStandardContextMenu()
        for action in menu.actions():
            if action.objectName() == "edit-paste":  # a curl command pasted is a request
                action.triggered.disconnect()
                action.triggered.connect(lambda _c=False: self._paste())
        menu.addSeparator()
        copy_as = menu.addMenu("Copy &as")
        copy_as.setObjectName("copyAsMenu")
        for snippet in SNIPPETS:
            action = copy_as.addAction(snippet.title)
            action.setData(snippet.name)
            action.triggered.connect(
                lambda _c=False, n=snippet.name: self.copy_as_requested.emit(n)
            )
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.commit()
