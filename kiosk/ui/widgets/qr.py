"""A QR code drawn crisply at any size from segno's module matrix (no image scaling blur)."""

from __future__ import annotations

import segno
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget


class QrCode(QWidget):
    def __init__(self, data: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matrix: list[list[bool]] = []
        self.set_data(data)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._side = 240

    def set_data(self, data: str) -> None:
        self.data = data
        self.setAccessibleName(f"QR code: {data}")
        # Error correction "M" survives smudges on a much-touched screen; the quiet zone is drawn below.
        qr = segno.make(data, error="m", micro=False)
        self._matrix = [[bool(v) for v in row] for row in qr.matrix]
        self.update()

    @property
    def modules(self) -> int:
        return len(self._matrix)

    def set_side(self, side: int) -> None:
        self._side = side
        self.setFixedSize(side, side)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(self._side, self._side)

    def paintEvent(self, event) -> None:
        n = len(self._matrix)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))  # phones read dark-on-light most reliably
        quiet = 2  # modules of white border
        cell = min(self.width(), self.height()) / (n + 2 * quiet)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        for y, row in enumerate(self._matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.drawRect(QRectF((x + quiet) * cell, (y + quiet) * cell, cell + 0.5, cell + 0.5))
        painter.end()
