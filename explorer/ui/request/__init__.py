"""The request editor: a typed form for one operation's request (see `editor`).

`RequestEditor` is loaded on first use (PEP 562), so that importing a module of this
package (e.g. `explorer.ui.request.looks`) does not import the whole editor."""

from typing import TYPE_CHECKING, Any

__all__ = ["RequestEditor"]

if TYPE_CHECKING:
    from explorer.ui.request.editor import RequestEditor


def __getattr__(name: str) -> Any:
    if name == "RequestEditor":
        from explorer.ui.request.editor import RequestEditor

        return RequestEditor
    raise AttributeError(f"module 'explorer.ui.request' has no attribute {name!r}")
