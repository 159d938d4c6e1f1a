"""Icons from the icon fonts qtawesome bundles, as cached pixmaps: crisp at any size, in the palette's colours.

An icon is a glyph of an icon font, drawn once per (name, size, colour, pixel ratio) into a
pixmap at device resolution and kept: a frame only blits it. Colours come from the palette, so
high contrast recolours every icon with the rest of the screen.
"""

from __future__ import annotations

import logging
import math
from functools import lru_cache

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from kiosk.content import icons

log = logging.getLogger(__name__)

# Every node kind and every method number has a picture even where content.yaml names none.
KIND_ICONS = {
    "air": "mdi6.weather-windy",
    "source": "mdi6.factory",
    "sink": "mdi6.sprout",
    "store": "mdi6.layers-triple",
    "technology": "mdi6.cog",
}
STAT_ICONS = {
    "cost": "mdi6.cash",
    "potential": "mdi6.chart-bar",
    "permanence": "mdi6.timer-sand",
    "readiness": "mdi6.rocket-launch",
}


# Sets whose fonts share a family name with another set (Font Awesome regular/solid, the two
# Material Design versions) are drawn through qtawesome, which tells them apart; the others
# load only their own font file: qtawesome's first use loads all twelve (~1 s at start-up).
_SHARED_FAMILIES = {"fa5", "fa5s", "fa5b", "fa6", "fa6s", "fa6b", "mdi"}


@lru_cache(maxsize=None)
def _family(prefix: str) -> str | None:
    path = icons.font_file(prefix)
    if path is None:
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None


def _glyph(name: str) -> tuple[QFont, str] | None:
    prefix, _, glyph = name.partition(".")
    try:
        if prefix in _SHARED_FAMILIES:
            import qtawesome

            return QFont(qtawesome.font(prefix, 100)), qtawesome.charmap(name)
        code = icons.charmap(prefix).get(glyph)
        family = _family(prefix) if code else None
        if family is None:
            raise KeyError(name)
        font = QFont(family)
        font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
        return font, chr(int(code, 16))
    except Exception:  # noqa: BLE001 - an unknown name is kiosk check's job; draw nothing
        log.warning("unknown icon %r", name)
        return None


def _icon_image(name: str, px_device: int, rgba: int) -> QImage:
    img = QImage(px_device, px_device, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    glyph = _glyph(name)
    if glyph is None:
        return img
    font, char = glyph
    font.setPixelSize(px_device)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    p.setFont(font)
    p.setPen(QColor.fromRgba(rgba))
    p.drawText(QRectF(0, 0, px_device, px_device), int(Qt.AlignmentFlag.AlignCenter), char)
    p.end()
    return img


def icon_image(name: str, px: int, color: QColor, dpr: float = 1.0) -> QImage:
    """The icon `name` as a square image of `px` logical pixels (device pixels: px * dpr).

    Not cached: it is drawn into layers that are themselves cached (the flow view's labels).
    """
    device = max(1, math.ceil(px * dpr))
    img = _icon_image(name, device, QColor(color).rgba())
    img.setDevicePixelRatio(dpr)
    return img


# Widgets show the same few dozen icons in a few sizes and two palettes; a 4K icon is ~170 kB.
@lru_cache(maxsize=128)
def _icon_pixmap(name: str, device: int, rgba: int, dpr: float) -> QPixmap:
    pix = QPixmap.fromImage(_icon_image(name, device, rgba))
    pix.setDevicePixelRatio(dpr)
    return pix


def icon_pixmap(name: str, px: int, color: QColor, dpr: float = 1.0) -> QPixmap:
    """The icon `name`, `px` logical pixels square, in `color`, at device pixel ratio `dpr` (cached)."""
    device = max(1, math.ceil(px * dpr))
    return _icon_pixmap(name, device, QColor(color).rgba(), float(dpr))


def clear_cache() -> None:
    _icon_pixmap.cache_clear()


class IconLabel(QLabel):
    """A fixed-size square showing one icon; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._key: tuple | None = None

    def show_icon(self, name: str | None, px: int, color: QColor | str) -> None:
        if not name:
            self.hide()
            self._key = None
            return
        dpr = float(self.devicePixelRatioF()) if self.window() is not None else 1.0
        key = (name, px, QColor(color).rgba(), dpr)
        if key != self._key:
            self._key = key
            self.setFixedSize(QSize(px, px))
            self.setPixmap(icon_pixmap(name, px, QColor(color), dpr))
        self.show()
