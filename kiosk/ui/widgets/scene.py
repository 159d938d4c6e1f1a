"""Scenes behind the flows: a flat cross-section of the world, sky above, land and sea, rock below.

Drawn in code in the palette's colours (high contrast included), once per size into a cached
layer: FlowView paints it into its background layer, other views (the bathtub, the removal mix)
can take `scene_pixmap`, a pixmap at device resolution kept for the last few sizes. A frame
only blits it; particles and labels stay on top.

The layout (where the surface, the sea and the rock are) comes from kiosk.content.scenes, the
same numbers that place a cross-section's nodes, so the picture and the flows agree.
"""

from __future__ import annotations

import math
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QLinearGradient, QPainter, QPainterPath, QPen, QPixmap

from kiosk.content.model import Palette
from kiosk.content.scenes import SCENES, SceneLayout


def mix(a: QColor | str, b: QColor | str, t: float) -> QColor:
    """`a` moved towards `b` by t (0..1): scene colours are tints of the background."""
    a, b = QColor(a), QColor(b)
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        1.0,
    )


def paint_scene(p: QPainter, rect: QRectF, name: str, palette: Palette, area: QRectF | None = None) -> None:
    """Paint scene `name` over `rect`; `area` is where the diagram's fractions 0..1 lie (default: rect)."""
    layout = SCENES.get(name)
    if layout is None:
        return
    area = area or rect
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setPen(Qt.PenStyle.NoPen)
    _paint(p, rect, area, layout, palette)
    p.restore()


def _paint(p: QPainter, rect: QRectF, area: QRectF, s: SceneLayout, pal: Palette) -> None:
    bg = QColor(pal.background)
    left, right, top, bottom = rect.left(), rect.right(), rect.top(), rect.bottom()
    w = rect.width()
    unit = min(rect.width(), rect.height())
    surface = area.top() + s.surface * area.height()
    rock = area.top() + s.rock * area.height()
    sea = None
    if s.sea is not None:
        sea = (area.left() + s.sea[0] * area.width(), area.left() + s.sea[1] * area.width())
        if s.sea[0] <= 0.0:
            sea = (left, sea[1])
        if s.sea[1] >= 1.0:
            sea = (sea[0], right)

    # Sky: darkest at the top, a little lighter and bluer towards the horizon.
    sky = QLinearGradient(QPointF(0, top), QPointF(0, surface))
    sky.setColorAt(0.0, bg)
    sky.setColorAt(1.0, mix(bg, pal.air, 0.16))
    p.fillRect(QRectF(left, top, w, surface - top), QBrush(sky))
    # A few flat clouds, far from the middle where the flows are busiest.
    cloud = mix(bg, pal.air, 0.24)
    p.setBrush(cloud)
    for cx, cy, size in ((0.14, 0.12, 1.0), (0.70, 0.07, 0.8), (0.90, 0.30, 0.6)):
        x, y = left + cx * w, top + cy * (surface - top)
        r = 0.045 * unit * size
        for dx, dy, k in ((-1.1, 0.25, 0.75), (0.0, 0.0, 1.0), (1.1, 0.3, 0.7)):
            p.drawEllipse(QPointF(x + dx * r, y + dy * r), 1.2 * r * k, 0.8 * r * k)

    # Soil: from a gently rolling surface down to the rock.
    soil = mix(bg, pal.source, 0.22)  # earth: a brown from the warm source colour
    hills = QPainterPath(QPointF(left, surface))
    steps = 48
    for i in range(steps + 1):
        x = left + w * i / steps
        y = surface - 0.018 * unit * (1 + math.sin(2 * math.pi * (i / steps) * 2.3 + 0.7))
        hills.lineTo(x, y)
    hills.lineTo(right, rock)
    hills.lineTo(left, rock)
    hills.closeSubpath()
    p.setBrush(soil)
    p.drawPath(hills)
    # Grass and plants: a green band along the top of the land.
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(mix(bg, pal.sink, 0.55), max(2.0, 0.012 * unit), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    grass = QPainterPath()
    grass.addPath(hills)
    p.save()
    p.setClipRect(QRectF(left, top, w, surface - top + 0.01 * unit))
    p.drawPath(grass)
    p.restore()
    p.setPen(Qt.PenStyle.NoPen)

    # Rock: layered strata down to the bottom of the picture.
    rock_col = mix(bg, pal.store, 0.20)
    p.fillRect(QRectF(left, rock, w, bottom - rock), rock_col)
    p.setPen(QPen(mix(bg, pal.store, 0.34), max(1.5, 0.004 * unit)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    layers = 4
    for k in range(1, layers + 1):
        y0 = rock + (bottom - rock) * k / (layers + 1)
        strata = QPainterPath(QPointF(left, y0))
        for i in range(1, steps + 1):
            x = left + w * i / steps
            strata.lineTo(x, y0 + 0.008 * unit * math.sin(2 * math.pi * (i / steps) * (1.5 + 0.4 * k) + k))
        p.drawPath(strata)
    p.setPen(QPen(mix(bg, pal.store, 0.45), max(2.0, 0.006 * unit)))
    p.drawLine(QPointF(left, rock), QPointF(right, rock))
    p.setPen(Qt.PenStyle.NoPen)

    # Sea: from its surface down to a sea floor just above the rock, with waves on top.
    if sea is not None:
        x0, x1 = sea
        floor = rock - 0.03 * unit
        water = QLinearGradient(QPointF(0, surface), QPointF(0, floor))
        water.setColorAt(0.0, mix(bg, pal.technology, 0.30))
        water.setColorAt(1.0, mix(bg, pal.technology, 0.12))
        shore = 0.06 * unit if x0 > left else 0.0
        body = QPainterPath(QPointF(x0, surface))
        body.lineTo(x1, surface)
        body.lineTo(x1, floor)
        body.lineTo(x0 + shore, floor)
        body.closeSubpath()
        p.setBrush(QBrush(water))
        p.drawPath(body)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(mix(bg, pal.technology, 0.55), max(2.0, 0.006 * unit), Qt.PenStyle.SolidLine,
                      Qt.PenCapStyle.RoundCap))
        wave_len = 0.05 * unit
        n = max(2, int((x1 - x0) / wave_len))
        for row, alpha in ((0, 1.0), (1, 0.5)):
            y = surface + row * 0.035 * unit
            waves = QPainterPath(QPointF(x0, y))
            for i in range(1, 4 * n + 1):
                x = x0 + (x1 - x0) * i / (4 * n)
                waves.lineTo(x, y - 0.006 * unit * math.sin(2 * math.pi * i / 4))
            if alpha < 1.0:
                p.setOpacity(alpha)
            p.drawPath(waves)
            p.setOpacity(1.0)
        p.setPen(Qt.PenStyle.NoPen)


@lru_cache(maxsize=3)
def _scene_pixmap(name: str, w: int, h: int, palette: Palette, dpr: float, area: tuple | None) -> QPixmap:
    pix = QPixmap(max(1, math.ceil(w * dpr)), max(1, math.ceil(h * dpr)))
    pix.setDevicePixelRatio(dpr)
    pix.fill(QColor(palette.background))
    p = QPainter(pix)
    paint_scene(p, QRectF(0, 0, w, h), name, palette, QRectF(*area) if area else None)
    p.end()
    return pix


def scene_pixmap(name: str, w: int, h: int, palette: Palette, dpr: float = 1.0, area: QRectF | None = None) -> QPixmap:
    """Scene `name` at w x h logical pixels and device ratio `dpr`, painted once and cached.

    Only the last three sizes are kept: a 4K scene is 33 MB.
    """
    key = (area.x(), area.y(), area.width(), area.height()) if area is not None else None
    return _scene_pixmap(name, int(w), int(h), palette, float(dpr), key)
