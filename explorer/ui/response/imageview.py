"""Image bodies shown as a picture (scaled down to fit, never up), on a checkerboard so
transparency shows, with their format and dimensions."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from explorer.http.content import human_size

__all__ = ["ImageView", "checkerboard"]


def checkerboard(size: int = 8) -> QPixmap:
    pix = QPixmap(size * 2, size * 2)
    pix.fill(QColor("#ffffff"))
    painter = QPainter(pix)
    painter.fillRect(0, 0, size, size, QColor("#e9ecef"))
    painter.fillRect(size, size, size, size, QColor("#e9ecef"))
    painter.end()
    return pix


class ImageView(QWidget):
    """A decoded image and a caption."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.setSpacing(6)
        self.caption = QLabel("")
        self.caption.setStyleSheet("color: palette(placeholder-text);")
        self.caption.hide()  # the body's toolbar shows it
        layout.addWidget(self.caption)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area.setWidget(self.picture)
        layout.addWidget(self.area, 1)
        self._image = QImage()
        self._brush = QBrush(checkerboard())

    @property
    def image(self) -> QImage:
        return self._image

    def set_image(self, image: QImage, fmt: str, size: int) -> None:
        """Show `image`; `fmt` is the short format name ("PNG")."""
        self._image = image
        self.caption.setText(f"{fmt} · {image.width()} × {image.height()} px · {human_size(size)}")
        self._rescale()

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self._rescale()

    def _rescale(self) -> None:
        if self._image.isNull():
            self.picture.clear()
            return
        room = self.area.viewport().size() - QSize(16, 16)
        img = self._image
        if img.width() > room.width() or img.height() > room.height():
            img = img.scaled(
                room.expandedTo(QSize(16, 16)),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        canvas = QPixmap(img.size())
        painter = QPainter(canvas)
        painter.fillRect(canvas.rect(), self._brush)
        painter.drawImage(0, 0, img)
        painter.end()
        self.picture.setPixmap(canvas)
