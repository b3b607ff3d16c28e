"""The request editor: a typed form for one operation's request (see `editor`)."""

from explorer.ui.request.editor import RequestEditor

__all__ = ["RequestEditor"]
