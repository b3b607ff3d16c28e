"""The response panel (`ResponseView`) and the code panel (`CodePanel`)."""

from explorer.ui.response.code import CodePanel
from explorer.ui.response.view import ResponseView

__all__ = ["CodePanel", "ResponseView"]
