"""The few looks the request editor gives its widgets, by palette and font rather than a
style sheet over the whole editor (style sheets make every child slower to show).

Only a widget in error gets a style sheet of its own (the red border), while in error."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

__all__ = ["DIM", "ERROR", "OK", "colour_text", "dim", "set_error_look", "title"]

DIM = "#868e96"
ERROR = "#c92a2a"
OK = "#2f9e44"

_INVALID_EDIT = (
    "QLineEdit { border: 1px solid #e03131; border-radius: 3px; background: #fff5f5;"
    " padding: 2px 4px; }"
)
_INVALID_COMBO = "QComboBox { border: 1px solid #e03131; border-radius: 3px; padding: 2px 6px; }"


def colour_text(widget: QWidget, color: str) -> None:
    """Set the text colour of a label-like widget."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
    palette.setColor(QPalette.ColorRole.Text, QColor(color))
    widget.setPalette(palette)


def dim(label: QLabel) -> QLabel:
    """Grey secondary text."""
    colour_text(label, DIM)
    return label


def title(label: QLabel) -> QLabel:
    """A bold, dark-grey section title."""
    font = label.font()
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    colour_text(label, "#495057")
    return label


def set_error_look(widget: QWidget, on: bool) -> None:
    """A red border and a light red background while a field is in error."""
    if bool(widget.property("invalid")) == on:
        return
    widget.setProperty("invalid", on)
    if not on:
        widget.setStyleSheet("")
    elif isinstance(widget, QComboBox):
        widget.setStyleSheet(_INVALID_COMBO)
    else:
        widget.setStyleSheet(_INVALID_EDIT)
