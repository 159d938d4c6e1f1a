"""The naive way to draw particles: one QGraphicsEllipseItem per particle in a QGraphicsScene.

`kiosk bench` (and benchmarks/naive_items.py) runs the same synthetic loads through this and through FlowView and prints the
ratio. Each frame the simulation steps, every item gets `setPos` (and its opacity), and the
scene renders into a QImage of the screen's size. Items are created when particles appear and
reused, never created per frame for an existing particle; still, one Python call and one item
per particle is what makes this slow.
"""

from __future__ import annotations

import statistics
import time

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QRadialGradient
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsScene, QGraphicsView, QWidget

from kiosk.flow.sim import FlowSim

COLOURS = ("#ff7a45", "#9ab4d6", "#5fd068", "#b18cff", "#3ec6e0", "#e8eef5")


def run_naive(diagram, size: tuple[int, int], frames: int = 5, through_view: bool = True) -> dict:
    """Frame times of the naive approach. With `through_view` the scene is drawn the way an app
    would show it, by a QGraphicsView widget (rendered into the image); else by scene.render()."""
    w, h = size
    sim = FlowSim(diagram, size)
    scene = QGraphicsScene(0, 0, w, h)
    view = None
    if through_view:
        view = QGraphicsView(scene)
        view.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setFrameShape(QGraphicsView.Shape.NoFrame)
        view.resize(w, h)
    scene.setBackgroundBrush(QColor("#0b1320"))
    d = max(5, round(0.011 * min(w, h)))
    brushes = []
    for c in COLOURS:
        g = QRadialGradient(0, 0, d / 2)
        g.setColorAt(0.0, QColor(c).lighter(165))
        col = QColor(c)
        col.setAlphaF(0.0)
        g.setColorAt(1.0, col)
        brushes.append(QBrush(g))
    items: list[QGraphicsEllipseItem] = []
    img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    for i in range(frames + 1):
        t0 = time.perf_counter()
        sim.step(1 / 60)
        n = sim.count
        while len(items) < n:
            item = QGraphicsEllipseItem(QRectF(-d / 2, -d / 2, d, d))
            item.setPen(Qt.PenStyle.NoPen)
            scene.addItem(item)
            items.append(item)
        pos = sim.positions
        cols = sim.colours
        alphas = sim.alphas
        for k in range(n):
            it = items[k]
            it.setVisible(True)
            it.setPos(float(pos[k, 0]), float(pos[k, 1]))
            it.setBrush(brushes[int(cols[k])])
            it.setOpacity(float(alphas[k]))
        for k in range(n, len(items)):
            items[k].setVisible(False)
        if view is not None:
            QWidget.render(view, img)  # the widget paint path, as on screen
        else:
            p = QPainter(img)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            scene.render(p, QRectF(0, 0, w, h), QRectF(0, 0, w, h))
            p.end()
        if i:  # the first frame creates the items
            times.append((time.perf_counter() - t0) * 1000)
    if view is not None:
        view.setScene(None)
        view.deleteLater()
    scene.clear()
    return {
        "case": "naive-items",
        "size": f"{w}x{h}",
        "particles": sim.count,
        "median_ms": round(statistics.median(times), 1),
        "frames": frames,
        "drawn_by": "QGraphicsView" if through_view else "QGraphicsScene.render",
    }
