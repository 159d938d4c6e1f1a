"""A touchable card with wrapped text (QPushButton cannot wrap), emitting `clicked`."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAccessibleWidget, QFrame, QVBoxLayout, QWidget

from kiosk.ui.widgets.common import label


class Tile(QFrame):
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        lay = QVBoxLayout(self)
        self.heading = label("heading", self)
        self.text = label("small", self)
        lay.addWidget(self.heading)
        lay.addWidget(self.text)
        lay.addStretch(1)
        self._pressed = False

    def mousePressEvent(self, event) -> None:
        self._pressed = True
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        # A release outside the tile is a swipe or a change of mind, not a tap.
        if self._pressed and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        self._pressed = False
        event.accept()


def _tile_accessible(_key: str, obj) -> QAccessibleWidget | None:
    # A screen reader should call a tile what it is to a visitor: a button.
    if isinstance(obj, Tile):
        return QAccessibleWidget(obj, QAccessible.Role.Button)
    return None


_factory_installed = False


def install_accessible_factory() -> None:
    """Tiles are buttons to screen readers (Qt would call a QFrame a frame). Once per process."""
    global _factory_installed
    if not _factory_installed:
        QAccessible.installFactory(_tile_accessible)
        _factory_installed = True
