"""The response panel (`ResponseView`) and the code panel (`CodePanel`).

Both are loaded on first use (PEP 562): importing one of this package's modules must not
import the other's (the response view and its highlighters are not needed for the
window's first paint)."""

from typing import TYPE_CHECKING, Any

__all__ = ["CodePanel", "ResponseView"]

if TYPE_CHECKING:
    from explorer.ui.response.code import CodePanel
    from explorer.ui.response.view import ResponseView


def __getattr__(name: str) -> Any:
    if name == "CodePanel":
        from explorer.ui.response.code import CodePanel

        return CodePanel
    if name == "ResponseView":
        from explorer.ui.response.view import ResponseView

        return ResponseView
    raise AttributeError(f"module 'explorer.ui.response' has no attribute {name!r}")
