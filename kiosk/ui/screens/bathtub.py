"""The carbon bathtub: predict what steady emissions do to the CO2 in the air, then drive a model.

First a question with large answers (keeps rising / stays level / falls). The answer plays out:
the tub fills, the curve of CO2 in the air draws itself from 2025, and a sentence says whether the
visitor was right and why. Then a few large choices of the world's path to 2100; each plays in a
few seconds: the tub's level, its inflow and outflows as particles (the flow engine: density
proportional to Gt a year), the ppm curve, warming with its likely range against the 1.5 °C and
2 °C lines, and the 1.5 °C budget running out. The path played before stays faintly drawn.

Every number comes from `kiosk.models.carbon_cycle` (no Qt), run once per path when the content
is loaded; the screen only draws it. One AnimationClock drives the playing; in reduced motion a
path appears at once in its final state and no particle moves.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QFontMetricsF, QImage, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QBoxLayout, QFrame, QGridLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.content.bathtub import FIRST_YEAR, LAST_YEAR, BathtubScreen, outcome_of
from kiosk.content.model import FlowDiagram, Palette
from kiosk.content.numbers import format_number
from kiosk.models.carbon_cycle import Run
from kiosk.narration import phrase
from kiosk.narration.bathtub import budget_text, fill, level_text, outcome_text, path_run, verdict_text
from kiosk.ui.clock import ClockDriven
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.theme import BUTTON_PX, TOUCH_MIN_PX
from kiosk.ui.widgets.common import label
from kiosk.ui.widgets.flow_view import FlowView
from kiosk.ui.widgets.glossary import show_text
from kiosk.ui.widgets.layout import empty_layout, fill_leftover_space, set_direction

# The tub in the flow view's diagram coordinates (fractions, see kiosk.flow.paths.Frame).
TUB_LEFT, TUB_RIGHT, TUB_TOP, TUB_BOTTOM = 0.12, 0.88, 0.22, 0.8
DRAINS = (0.25, 0.75)  # where the outflows leave the tub's floor, as fractions of its width
TUB_FLOOR_PPM = 250.0  # the level drawn at the tub's floor: the rise from pre-industrial shows
LINKS = ("tap", "drain", "removal")  # link order in the tub's diagram


def _gt(value: float, lang: str) -> str:
    return format_number(value, lang, 1 if abs(value) < 10 else 0)


_fill = fill  # the sentences' one filler, shared with spoken mode (kiosk.narration.bathtub)


# -- the tub ---------------------------------------------------------------------------------------


def _floor_x(fraction: float) -> float:
    return TUB_LEFT + fraction * (TUB_RIGHT - TUB_LEFT)


def tub_diagram(screen: BathtubScreen, runs: dict[str, Run]) -> FlowDiagram:
    """Tap -> air -> ocean and land, air -> removal: the flow engine's picture of the bathtub.

    Each link starts at the largest flow any path reaches, so the streams' widths fit them all;
    the screen sets the flows of the year shown (FlowView.set_rates).
    """
    t = screen.texts
    top = {
        "tap": max(float(r.emissions.max()) for r in runs.values()),
        "drain": max(float(np.maximum(r.sinks, 0).max()) for r in runs.values()),
        "removal": max(float(r.removal.max()) for r in runs.values()),
    }
    spec = {
        "dot_value_gt": screen.dot_value_gt,
        "speed": 0.22,
        "seed": 11,
        "nodes": [
            {"id": "tap", "kind": "source", "label": t.tap.root, "at": [0.3, 0.0]},
            {"id": "air", "kind": "air", "label": t.tub.root, "at": [0.4, 0.72]},
            {"id": "drain", "kind": "sink", "label": t.drain.root, "at": [1.0, 1.0]},
            {"id": "removal", "kind": "technology", "label": t.removal.root, "at": [0.0, 1.0]},
        ],
        "links": [
            {"from": "tap", "to": "air", "rate": top["tap"], "via": [[0.3, 0.4]]},
            {"from": "air", "to": "drain", "rate": top["drain"], "via": [[_floor_x(DRAINS[1]), TUB_BOTTOM + 0.02],
                                                                          [_floor_x(DRAINS[1]), 0.9]]},
            {"from": "air", "to": "removal", "rate": top["removal"], "via": [[_floor_x(DRAINS[0]), TUB_BOTTOM + 0.02],
                                                                              [_floor_x(DRAINS[0]), 0.9]]},
        ],
    }
    return FlowDiagram.model_validate(spec)


class TubView(FlowView):
    """The flow view with a bathtub drawn under the particles: walls, water level, level text.

    The walls are drawn once into a pixmap per size, palette and pixel ratio; a frame only blits
    it and fills the water up to the level.
    """

    def __init__(self, diagram: FlowDiagram, ctx: ScreenContext, floor_ppm: float, rim_ppm: float) -> None:
        super().__init__(diagram, ctx.clock, ctx.look.palette, ctx.lang)
        self.floor_ppm, self.rim_ppm = floor_ppm, rim_ppm
        self.ppm = 425.7
        self.start_ppm = 425.7
        self.year = FIRST_YEAR
        self.level_template = "{year}: {ppm} ppm"
        self.rate_template = "{gt}"
        self.rates = np.zeros(len(LINKS))
        self._walls: QPixmap | None = None
        self._walls_key: tuple | None = None

    def _describe(self) -> None:
        """The screen describes the tub from the run it shows (level and flows of that year);
        the flow view's own description would give the diagram's largest flows instead."""

    def set_level(self, ppm: float, year: int) -> None:
        if (ppm, year) != (self.ppm, self.year):
            self.ppm, self.year = ppm, year
            self.update()

    def set_rates(self, rates) -> None:
        self.rates = np.maximum(np.asarray(rates, dtype=float), 0.0)
        super().set_rates(self.rates)
        self.update()

    def tub_rect(self) -> QRectF:
        f = self.sim.frame
        x0, y0 = f.margin_x + TUB_LEFT * (f.width - 2 * f.margin_x), f.margin_y + TUB_TOP * (
            f.height - 2 * f.margin_y - f.reserve_bottom
        )
        x1, y1 = f.margin_x + TUB_RIGHT * (f.width - 2 * f.margin_x), f.margin_y + TUB_BOTTOM * (
            f.height - 2 * f.margin_y - f.reserve_bottom
        )
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    def level_y(self, ppm: float) -> float:
        rect = self.tub_rect()
        frac = (ppm - self.floor_ppm) / max(1e-9, self.rim_ppm - self.floor_ppm)
        return rect.bottom() - max(0.0, min(1.0, frac)) * rect.height()

    def _ensure_walls(self) -> None:
        size = (self.sim.width, self.sim.height, self._dpr, self._palette)
        if size == self._walls_key and self._walls is not None:
            return
        self._walls_key = size
        w, h = max(1, round(self.sim.width)), max(1, round(self.sim.height))
        img = QImage(max(1, math.ceil(w * self._dpr)), max(1, math.ceil(h * self._dpr)),
                     QImage.Format.Format_ARGB32_Premultiplied)
        img.setDevicePixelRatio(self._dpr)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = self.tub_rect()
        wall = max(3.0, 0.012 * min(w, h))
        colour = QColor(self._palette.text)
        colour.setAlphaF(0.75)
        pen = QPen(colour, wall, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        r = 0.12 * rect.width()
        # A U: the rim stays open, the floor has rounded corners.
        path = _u_path(rect, r)
        p.drawPath(path)
        # Two drains in the floor: short stubs where the outflows leave the tub.
        for fx in DRAINS:
            x = rect.left() + fx * rect.width()
            p.drawLine(QPointF(x - wall, rect.bottom() + wall * 0.5), QPointF(x - wall, rect.bottom() + 2.5 * wall))
            p.drawLine(QPointF(x + wall, rect.bottom() + wall * 0.5), QPointF(x + wall, rect.bottom() + 2.5 * wall))
        p.end()
        img.setDevicePixelRatio(1.0)
        self._walls = QPixmap.fromImage(img)

    def paint_scene(self, p: QPainter) -> None:
        self._ensure_walls()
        dpr = self._dpr
        p.save()
        p.scale(dpr, dpr)  # logical pixels from here
        rect = self.tub_rect()
        water = QColor(self._palette.air)
        water.setAlphaF(0.28)
        top = self.level_y(self.ppm)
        inner = rect.adjusted(0.012 * rect.width(), 0, -0.012 * rect.width(), -0.01 * rect.height())
        clip = _u_path(inner, 0.12 * inner.width())
        p.setClipPath(clip)
        p.fillRect(QRectF(inner.left(), top, inner.width(), inner.bottom() - top), water)
        # The surface, a brighter line; and where the level stood in 2025, dashed.
        surface = QColor(self._palette.air)
        p.setPen(QPen(surface, max(2.0, 0.006 * rect.height())))
        p.drawLine(QPointF(inner.left(), top), QPointF(inner.right(), top))
        p.setClipping(False)
        start = QColor(self._palette.muted)
        p.setPen(QPen(start, max(1.5, 0.004 * rect.height()), Qt.PenStyle.DashLine))
        y0 = self.level_y(self.start_ppm)
        p.drawLine(QPointF(rect.left(), y0), QPointF(rect.right(), y0))
        p.restore()
        p.drawPixmap(0, 0, self._walls)

    def paint_frame(self, p: QPainter) -> None:
        super().paint_frame(p)
        self._paint_numbers(p)  # over the particles, so a stream never hides a number

    def _paint_numbers(self, p: QPainter) -> None:
        """The level as a number on the water; the flows beside their streams (logical pixels)."""
        rect = self.tub_rect()
        top = self.level_y(self.ppm)
        p.save()
        font = QFont(self.label_font())
        p.setFont(font)
        fm = QFontMetricsF(font)
        text = _fill(self.level_template, year=str(self.year), ppm=format_number(self.ppm, self._lang, 0))
        tw = fm.horizontalAdvance(text)
        ty = max(rect.top() + fm.height(), top - 0.3 * fm.height())
        self._plate_text(p, fm, QPointF(rect.right() - tw - 0.04 * rect.width(), ty), text)  # clear of the tap
        small = QFont(font)
        small.setBold(False)
        p.setFont(small)
        fm = QFontMetricsF(small)
        p.setPen(QColor(self._palette.text))
        tap = self._label_rects_cached().get("tap")
        floor_text_y = rect.bottom() + 0.2 * fm.height() + fm.ascent() + 0.02 * rect.height()
        for name, value in zip(LINKS, self.rates):
            words = _fill(self.rate_template, gt=_gt(float(value), self._lang))
            ww = fm.horizontalAdvance(words)
            if name == "tap":
                # Beside the falling stream, between the tap's label and the rim.
                x = rect.left() + 0.3 * rect.width() if tap is None else tap.left()
                y = (tap.bottom() if tap is not None else rect.top() - 2 * fm.height()) + fm.ascent() + 0.1 * fm.height()
            elif name == "removal":  # under the floor, left of the left drain
                x, y = rect.left() + DRAINS[0] * rect.width() - ww - 0.03 * rect.width(), floor_text_y
            else:  # under the floor, right of the right drain
                x, y = rect.left() + DRAINS[1] * rect.width() + 0.03 * rect.width(), floor_text_y
            x = min(max(x, 2.0), self.sim.width - ww - 2.0)
            self._plate_text(p, fm, QPointF(x, y), words)
        p.restore()

    def _plate_text(self, p: QPainter, fm: QFontMetricsF, at: QPointF, text: str) -> None:
        """Text on a faint plate of the background colour: readable over a passing stream."""
        pad = 0.15 * fm.height()
        plate = QColor(self._palette.background)
        plate.setAlphaF(0.65)
        box = QRectF(at.x() - pad, at.y() - fm.ascent() - pad / 2, fm.horizontalAdvance(text) + 2 * pad,
                     fm.height() + pad)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(plate)
        p.drawRoundedRect(box, pad, pad)
        p.setPen(QColor(self._palette.text))
        p.drawText(at, text)

    def _label_rects_cached(self) -> dict[str, QRectF]:
        return getattr(self, "_label_rects", {}) or {}


def _u_path(rect: QRectF, r: float):
    from PySide6.QtGui import QPainterPath

    path = QPainterPath(QPointF(rect.left(), rect.top()))
    path.lineTo(rect.left(), rect.bottom() - r)
    path.quadTo(rect.left(), rect.bottom(), rect.left() + r, rect.bottom())
    path.lineTo(rect.right() - r, rect.bottom())
    path.quadTo(rect.right(), rect.bottom(), rect.right(), rect.bottom() - r)
    path.lineTo(rect.right(), rect.top())
    return path


# -- the charts ------------------------------------------------------------------------------------


class LocalAxis(pg.AxisItem):
    """Tick labels as the language writes numbers (years plain: 2050, never 2,050)."""

    def __init__(self, orientation: str, years: bool = False) -> None:
        super().__init__(orientation)
        self.years = years
        self.lang = "en"

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph override)
        if self.years:
            return [str(int(round(v))) for v in values]
        decimals = 0 if spacing >= 1 else (1 if spacing >= 0.1 else 2)
        return [format_number(v, self.lang, decimals) for v in values]


class PathCharts(QWidget):
    """CO2 in the air (ppm) and warming (°C, likely range as a band) from 2025 to 2100.

    Items are made once; playing a path only writes slices of the run into them (setData), and
    the run before stays as a faint curve.
    """

    def __init__(self, runs: dict[str, Run], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs = runs
        self.current: Run | None = None
        self.previous: Run | None = None
        self.shown = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.axes = {}
        self.plots = []
        for key in ("ppm", "warming"):
            axes = {"bottom": LocalAxis("bottom", years=True), "left": LocalAxis("left")}
            # enableMenu=False at construction: see ChartView (a menu lists every live ViewBox).
            widget = pg.PlotWidget(parent=self, axisItems=axes, enableMenu=False)
            widget.setFrameShape(QFrame.Shape.NoFrame)
            widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            plot = widget.getPlotItem()
            plot.setMouseEnabled(x=False, y=False)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.showGrid(x=False, y=True, alpha=0.15)
            layout.addWidget(widget, 1)
            self.axes[key] = axes
            self.plots.append((key, widget, plot))
        # The legend is placed by the screen, under the plots, in its own layout: a wrapped
        # label must be in the layout that gives out the height (see hasHeightForWidth).
        self.legend = label("small")  # the footer's look; not a source line (those start with "Source:")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        ppm_plot, warm_plot = self.plots[0][2], self.plots[1][2]
        self.ppm_prev = pg.PlotDataItem([], [])
        self.ppm_curve = pg.PlotDataItem([], [])
        self.ppm_start = pg.ScatterPlotItem([float(FIRST_YEAR)], [425.7])
        for item in (self.ppm_prev, self.ppm_curve, self.ppm_start):
            ppm_plot.addItem(item)
        self.low = pg.PlotDataItem([FIRST_YEAR, FIRST_YEAR], [0, 0])
        self.high = pg.PlotDataItem([FIRST_YEAR, FIRST_YEAR], [0, 0])
        self.band = pg.FillBetweenItem(self.low, self.high)
        self.warm_prev = pg.PlotDataItem([], [])
        self.warm_curve = pg.PlotDataItem([], [])
        self.limits = [pg.InfiniteLine(pos=v, angle=0, movable=False, label="") for v in (1.5, 2.0)]
        for line, position in zip(self.limits, (0.02, 0.24)):
            # Above its line, near the left end; the two labels side by side, so a short plot
            # never draws one on the other.
            line.label.setPosition(position)
            line.label.anchors = [(0, 1), (0, 1)]
        for item in (self.band, self.low, self.high, self.warm_prev, self.warm_curve, *self.limits):
            warm_plot.addItem(item)
        ppms = np.concatenate([r.ppm for r in runs.values()])
        highs = np.concatenate([r.warming_high for r in runs.values()])
        lows = np.concatenate([r.warming_low for r in runs.values()])
        ppm_plot.disableAutoRange()
        warm_plot.disableAutoRange()
        # A little room either side, so the 2025 and 2100 tick labels fit inside the axis.
        for plot in (ppm_plot, warm_plot):
            plot.setXRange(FIRST_YEAR - 7, LAST_YEAR + 7, padding=0.0)
        ppm_plot.setYRange(float(ppms.min()) - 10, float(ppms.max()) + 10, padding=0.0)
        warm_plot.setYRange(min(1.0, float(lows.min()) - 0.1), max(2.2, float(highs.max()) + 0.1), padding=0.0)
        self.lang = "en"
        self.palette_: Palette | None = None
        self.px = 28
        self.texts = ("", "", "", "")

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return False

    def sizeHint(self) -> QSize:  # noqa: N802
        # The plots take the height the screen leaves, and ask for no more than their minimum:
        # a larger wish would make the screen scroll, a zero one (an Ignored size policy) would let
        # a scrolling screen squeeze the texts under them.
        return QSize(max(1, self.minimumWidth()), max(1, self.minimumHeight()))

    def style(self, palette: Palette, lang: str, px: int, ppm_axis: str, warming_axis: str, likely: str,
              previous: str) -> None:
        self.palette_, self.lang, self.px = palette, lang, px
        self.texts = (ppm_axis, warming_axis, likely, previous)
        qpal = self.palette()
        qpal.setColor(QPalette.ColorRole.Window, QColor(palette.background))
        self.setPalette(qpal)
        self.setAutoFillBackground(True)
        font = QFont()
        font.setPixelSize(px)
        text, muted = QColor(palette.text), QColor(palette.muted)
        for (key, widget, plot), title in zip(self.plots, (ppm_axis, warming_axis)):
            widget.setBackground(QColor(palette.background))
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.lang = lang
                axis.setTextPen(pg.mkPen(text))
                axis.setPen(pg.mkPen(muted, width=max(1, px // 14)))
                axis.setStyle(tickFont=font, tickLength=-max(6, px // 3), tickTextOffset=max(6, px // 3), maxTickLevel=0,
                              hideOverlappingLabels=False)
                axis.picture = None
            plot.getAxis("bottom").setTicks([[(y, str(y)) for y in (2025, 2050, 2075, 2100)]])
            plot.getAxis("left").setWidth(int(px * 3.6))
            plot.getAxis("bottom").setHeight(int(px * 1.8))
            # The title above the plot, not along its axis: a long title never gets cut off.
            plot.setTitle(title, color=palette.text, size=f"{px}px", justify="left")
        line_w = max(3.0, px / 6)
        accent, air = QColor(palette.accent), QColor(palette.air)
        faint = QColor(palette.muted)
        faint.setAlphaF(0.55)
        self.ppm_curve.setPen(pg.mkPen(air, width=line_w))
        self.ppm_prev.setPen(pg.mkPen(faint, width=line_w * 0.7))
        self.ppm_start.setBrush(pg.mkBrush(air))
        self.ppm_start.setPen(pg.mkPen(None))
        self.ppm_start.setSize(px * 0.5)
        self.warm_curve.setPen(pg.mkPen(accent, width=line_w))
        self.warm_prev.setPen(pg.mkPen(faint, width=line_w * 0.7))
        band = QColor(palette.accent)
        band.setAlphaF(0.28)
        self.band.setBrush(pg.mkBrush(band))
        self.band.setPen(pg.mkPen(None))
        self.low.setPen(pg.mkPen(None))
        self.high.setPen(pg.mkPen(None))
        for line, value in zip(self.limits, (1.5, 2.0)):
            line.setPen(pg.mkPen(QColor(palette.source), width=max(2, px // 10), style=Qt.PenStyle.DashLine))
            line.label.setFormat(f"{format_number(value, lang, 1)} °C")
            line.label.setColor(QColor(palette.source))
            line.label.setFont(font)
        self._style_legend()

    def _style_legend(self) -> None:
        if self.palette_ is None:
            return
        pal = self.palette_
        _, _, likely, previous = self.texts
        def keep(text: str) -> str:  # an entry wraps as a whole, never inside
            return html.escape(text).replace(" ", "&nbsp;")

        parts = [f'<span style="color:{pal.accent}">&#9632;</span>&nbsp;{keep(likely)}']
        if self.previous is not None:
            parts.append(f'<span style="color:{pal.muted}">&#9473;&#9473;</span>&nbsp;{keep(previous)}')
        self.legend.setText(" &nbsp;&nbsp;".join(parts))

    def start(self, run: Run) -> None:
        """A new path: the one shown so far becomes the faint previous curve."""
        if self.current is not None and self.current is not run:
            self.previous = self.current
            self.ppm_prev.setData(self.previous.years, self.previous.ppm)
            self.warm_prev.setData(self.previous.years, self.previous.warming)
        self.current = run
        self.show_until(0)
        self._style_legend()

    def clear(self) -> None:
        self.current = self.previous = None
        for item in (self.ppm_prev, self.ppm_curve, self.warm_prev, self.warm_curve):
            item.setData([], [])
        self.low.setData([FIRST_YEAR, FIRST_YEAR], [0, 0])
        self.high.setData([FIRST_YEAR, FIRST_YEAR], [0, 0])
        self.shown = 0
        self._style_legend()

    def show_until(self, index: int) -> None:
        run = self.current
        if run is None:
            return
        n = max(2, index + 1)
        self.shown = index
        years = run.years[:n]
        self.ppm_curve.setData(years, run.ppm[:n])
        self.warm_curve.setData(years, run.warming[:n])
        self.low.setData(years, run.warming_low[:n])
        self.high.setData(years, run.warming_high[:n])

    def visible_years(self) -> int:
        xd, _ = self.ppm_curve.getData()
        return 0 if xd is None else len(xd)


class BudgetBar(QWidget):
    """The remaining 1.5 °C budget as a bar that empties (drawn, not a QProgressBar: no style)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fraction = 1.0
        self.fill = QColor("#f4a259")
        self.track = QColor("#163b3f")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_fraction(self, fraction: float) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if fraction != self.fraction:
            self.fraction = fraction
            self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        r = self.height() / 2
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.track)
        p.drawRoundedRect(QRectF(self.rect()), r, r)
        if self.fraction > 0:
            p.setBrush(self.fill)
            p.drawRoundedRect(QRectF(0, 0, max(2 * r, self.width() * self.fraction), self.height()), r, r)
        p.end()


# -- the buttons -----------------------------------------------------------------------------------


class ChoiceButton(QPushButton):
    """A large touch button whose label wraps onto more lines (a QPushButton's never does)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCheckable(True)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.pad = 20
        self.radius = 20
        self.border = 3
        self.min_h = 76
        self.colours = ("#163b3f", "#f5f1e8", "#b8c7c3", "#f4a259", "#10262a")

    def configure(self, ctx: ScreenContext) -> None:
        look, pal = ctx.look, ctx.look.palette
        self.pad, self.radius = look.px(14), look.px(20)
        self.border, self.min_h = max(2, look.px(3)), look.px(TOUCH_MIN_PX)
        self.colours = (pal.surface, pal.text, pal.muted, pal.accent, pal.on_accent)
        font = QFont(look.family)
        font.setPixelSize(look.text_px(BUTTON_PX + 2))
        font.setBold(True)
        self.setFont(font)
        self.setStyleSheet(f"font-size: {font.pixelSize()}px;")
        self.updateGeometry()
        self.update()

    def _flags(self) -> int:
        return int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        inner = max(10, width - 2 * self.pad - 2 * self.border)
        rect = QFontMetrics(self.font()).boundingRect(QRect(0, 0, inner, 100_000), self._flags(), self.text())
        return max(self.min_h, rect.height() + self.pad + 2 * self.border)

    def sizeHint(self) -> QSize:  # noqa: N802
        fm = QFontMetrics(self.font())
        widest = max((fm.horizontalAdvance(w) for w in self.text().split()), default=0)
        width = max(widest + 2 * self.pad + 2 * self.border, self.min_h)
        return QSize(width, self.heightForWidth(max(width, self.width())))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, event) -> None:  # noqa: N802
        surface, text, muted, accent, on_accent = (QColor(c) for c in self.colours)
        on = self.isChecked()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        b = self.border
        rect = QRectF(self.rect()).adjusted(b / 2, b / 2, -b / 2, -b / 2)
        p.setPen(QPen(accent if on else muted, b))
        p.setBrush(accent if on else surface)
        p.drawRoundedRect(rect, self.radius, self.radius)
        p.setPen(on_accent if on else text)
        p.setFont(self.font())
        p.drawText(rect.adjusted(self.pad, self.pad / 2, -self.pad, -self.pad / 2), self._flags(), self.text())
        p.end()


# -- the screen ------------------------------------------------------------------------------------


class BathtubScreenWidget(ClockDriven, ScreenWidget):
    model: BathtubScreen
    # Tighter: less room between the answer buttons and above the title (the German verdict
    # over four paths came 2 px past the window).
    compact_levels = 1

    def __init__(self, model: BathtubScreen, ctx: ScreenContext, parent=None) -> None:
        super().__init__(model, ctx, parent)
        self._clock = ctx.clock
        self.runs: dict[str, Run] = {p.id: path_run(model, p.id) for p in model.paths}
        self.right_outcome = model.question_outcome()
        self.answer: str | None = None  # the visitor's prediction (an outcome)
        self.path_id: str | None = None  # the path playing or played
        self.playing = False
        self.elapsed = 0.0
        self.index = 0  # year index shown
        self.social_text = ""

        outer = QVBoxLayout(self)
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        outer.addLayout(self.row, 1)
        # Text and choices.
        self.side = QVBoxLayout()
        self.title = label("title")
        self.lead = label("lead")
        self.story = label("heading")
        self.choose = label("body")
        self.side.addWidget(self.title)
        self.side.addWidget(self.lead)
        self.side.addWidget(self.story)
        self.side.addWidget(self.choose)
        self.buttons = QGridLayout()
        self.side.addLayout(self.buttons)
        # The buttons are the screen's children from the start: a button never placed in the grid
        # (the paths, before the visitor answered) was a parentless window that outlived the
        # screen, and its click lambda kept the whole old screen alive after every content reload
        # (found by benchmarks/ten_days.py).
        self.answer_buttons: list[tuple[ChoiceButton, str]] = []
        for a in model.question.answers:
            btn = ChoiceButton(self)
            btn.hide()
            btn.clicked.connect(lambda _=False, o=a.outcome: self.predict(o))
            self.answer_buttons.append((btn, a.outcome))
        self.path_buttons: list[tuple[ChoiceButton, str]] = []
        for path in model.paths:
            btn = ChoiceButton(self)
            btn.hide()
            btn.clicked.connect(lambda _=False, i=path.id: self.choose_path(i))
            self.path_buttons.append((btn, path.id))
        self.social = label("body")
        self.side.addWidget(self.social)
        self.side.addStretch(1)
        # The tub and the charts.
        self.scene = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        ppms = np.concatenate([r.ppm for r in self.runs.values()])
        self.tub = fill_leftover_space(
            TubView(tub_diagram(model, self.runs), ctx, TUB_FLOOR_PPM, float(ppms.max()) + 25.0)
        )
        self.charts = PathCharts(self.runs)
        charts_box = QVBoxLayout()
        charts_box.setSpacing(0)
        charts_box.addWidget(self.charts, 1)
        charts_box.addWidget(self.charts.legend)
        self.budget_text = label("small")
        self.budget_bar = BudgetBar()
        self.result = label("body")
        charts_box.addWidget(self.result)
        charts_box.addWidget(self.budget_text)
        charts_box.addWidget(self.budget_bar)
        self.charts_box = charts_box
        self.scene.addWidget(self.tub, 4)
        self.scene.addLayout(charts_box, 5)
        self.row.addLayout(self.side, 2)
        self.row.addLayout(self.scene, 3)
        # The footer: what the model is (a note, in the sources' look), then the sources line.
        self.note = label("small")
        self.sources = label("source")
        footer = QVBoxLayout()
        footer.setSpacing(0)  # one footer in two lines: no gap between note and sources
        footer.addWidget(self.note)
        footer.addWidget(self.sources)
        outer.addLayout(footer)
        self.apply(ctx)
        self._show_year(0)

    # -- look and language -------------------------------------------------------------------
    def apply(self, ctx: ScreenContext) -> None:
        super().apply(ctx)
        m, look = ctx.margin, ctx.look
        t = self.model.texts
        self.layout().setContentsMargins(m, m // 3 if self.compact else m // 2, m, m // 4)
        self.layout().setSpacing(m // 4)
        self.row.setSpacing(m)
        self.side.setSpacing(m // 6)  # the reveal (a long verdict over four paths) fits with the footer
        self.scene.setSpacing(m // 2)
        self.buttons.setSpacing(m // 6 if self.compact else m // 4)
        portrait = look.portrait
        set_direction(self.row, portrait)
        self.row.setStretch(0, 0 if portrait else 2)
        self.row.setStretch(1, 1 if portrait else 3)
        show_text(self.title, ctx.tr(self.model.title), ctx)
        show_text(self.lead, ctx.tr(self.model.lead), ctx)
        show_text(self.choose, ctx.tr(t.choose), ctx)
        self.note.setText(ctx.tr(t.model_note))
        for btn, outcome in self.answer_buttons:
            answer = next(a for a in self.model.question.answers if a.outcome == outcome)
            btn.setText(ctx.tr(answer.label))
            btn.configure(ctx)
        for btn, path_id in self.path_buttons:
            btn.setText(ctx.tr(self.model.path(path_id).label))
            btn.configure(ctx)
        ctx.show_flow(self.tub, 26, min_height_px=300, legend=False)
        # The tub draws each flow's number of the year shown itself; the flow view's stream labels
        # would give the links' fixed top rates (the largest any path reaches) beside them.
        self.tub.set_rate_template(None)
        self.tub.level_template = ctx.tr(t.level)
        self.tub.rate_template = ctx.tr(t.rate)
        self.charts.style(look.palette, ctx.lang, look.text_px(26), ctx.tr(t.ppm_axis), ctx.tr(t.warming_axis),
                          ctx.tr(t.likely), ctx.tr(t.previous))
        # Two plots with titles and year labels: their room grows with the text size.
        self.charts.setMinimumHeight(look.text_px(330))
        self.budget_bar.fill, self.budget_bar.track = QColor(look.palette.accent), QColor(look.palette.surface)
        self.budget_bar.setFixedHeight(look.px(18))
        self.charts_box.setSpacing(m // 6)
        self._budget_shown = ""  # language or look changed: the budget line is shown anew
        self._arrange_buttons()
        self._sync_subscription()
        if look.reduced_motion and self.playing:
            self._finish()
        self._show_texts()
        self._show_year(self.index)

    def _arrange_buttons(self) -> None:
        grid = self.buttons
        empty_layout(grid)
        answered = self.answer is not None
        shown = self.path_buttons if answered else self.answer_buttons
        hidden = self.answer_buttons if answered else self.path_buttons
        for btn, _ in hidden:
            btn.hide()
        # Portrait: side by side (three short answers in one row, the paths two by two).
        columns = (3 if len(shown) == 3 else 2) if self.ctx.look.portrait else 1
        for i, (btn, _) in enumerate(shown):
            grid.addWidget(btn, i // columns, i % columns)
            btn.show()
        for c in range(3):
            grid.setColumnStretch(c, 1 if c < columns else 0)

    def _show_texts(self) -> None:
        ctx, q = self.ctx, self.model.question
        answered = self.answer is not None
        self.lead.setVisible(not answered)
        self.choose.setVisible(answered)
        self.social.setVisible(bool(self.social_text) and answered)
        show_text(self.social, self.social_text, ctx)
        if not answered:
            story = ctx.tr(q.text)
        elif self.playing:
            story = ctx.tr(q.text) if self.path_id == q.path and self._first_play else ctx.tr(self.model.path(self.path_id).label)
        elif self._first_play:
            story = verdict_text(self.model, self.answer, ctx.lang, self._default)
        else:
            caption = self.model.path(self.path_id).caption
            story = ctx.tr(caption) if caption else ctx.tr(self.model.path(self.path_id).label)
        show_text(self.story, story, ctx)
        # The numbers of 2100 beside the curves, once a path has played to its end.
        done = self.path_id is not None and not self.playing
        show_text(self.result, self.outcome_sentence(self.path_id) if done else "", ctx)
        self.result.setVisible(done)
        for btn, path_id in self.path_buttons:
            btn.setChecked(path_id == self.path_id)
        for btn, outcome in self.answer_buttons:
            btn.setChecked(outcome == self.answer)
        self.sources.setText(ctx.sources_line(self.shown_sources()))
        self._describe()

    def shown_sources(self) -> list[str]:
        """The model's sources, and those of every path whose numbers are on screen: the one
        played, and all of them once their buttons (some with numbers: '5 Gt a year') show."""
        sources = list(self.model.sources)
        if self.path_id is not None:
            sources.append(self.model.path(self.path_id).source)
        if self.answer is not None:
            sources += [p.source for p in self.model.paths]
        return [s for s in sources if s]

    @property
    def _default(self) -> str:
        return self.ctx.exhibition.languages.default

    def outcome_sentence(self, path_id: str) -> str:
        return outcome_text(self.model, path_id, self.ctx.lang, self._default)

    # -- what visitors do --------------------------------------------------------------------
    @property
    def _first_play(self) -> bool:
        return self.path_id == self.model.question.path and not self._chose_since

    def predict(self, outcome: str, *, record: bool = True) -> None:
        """The visitor's guess: record it (what, not who) and play the question's path."""
        if self.answer is not None:
            return
        self.answer = outcome
        self._chose_since = False
        if record:
            self.interaction.emit(f"predict:{outcome}")
            analytics = self.ctx.analytics
            if analytics is not None:
                analytics.prediction(self.screen_id, outcome, self.ctx.lang)
        self.social_text = self._social_line(outcome)
        self._arrange_buttons()
        self._play(self.model.question.path)

    def choose_path(self, path_id: str) -> None:
        if self.answer is None:
            return
        self._chose_since = True
        self.interaction.emit(f"path:{path_id}")
        self._play(path_id)

    def _social_line(self, outcome: str) -> str:
        analytics = self.ctx.analytics
        if analytics is None:
            return ""
        counts = analytics.predictions_today(self.screen_id)
        if not isinstance(counts, dict):
            return ""
        total = sum(counts.values())
        if total < self.model.question.social_min_visitors:
            return ""
        answer = next(a for a in self.model.question.answers if a.outcome == outcome)
        return _fill(
            self.ctx.tr(answer.social),
            count=format_number(counts.get(outcome, 0), self.ctx.lang),
            total=format_number(total, self.ctx.lang),
        )

    def _play(self, path_id: str) -> None:
        self.path_id = path_id
        run = self.runs[path_id]
        self.charts.start(run)
        self.elapsed = 0.0
        self.playing = True
        if self.ctx.look.reduced_motion:
            self._finish()
        else:
            self._show_year(0)
            self._show_texts()
            self._sync_subscription()

    def _finish(self) -> None:
        """The path's final state: the whole curve, the level and flows of 2100."""
        self.playing = False
        self._show_year(LAST_YEAR - FIRST_YEAR)
        self._sync_subscription()
        self._show_texts()

    def _wants_ticks(self) -> bool:
        return self.isVisible() and self.playing and not self.ctx.look.reduced_motion

    def _on_tick(self, dt: float) -> None:
        self.elapsed += dt
        span = LAST_YEAR - FIRST_YEAR
        progress = min(1.0, self.elapsed / self.model.play_s)
        if progress >= 1.0:
            self._finish()
            return
        index = int(progress * span)
        if index != self.index:  # ~19 model years a second: curves and labels change only then
            self._show_year(index)

    def _show_year(self, index: int) -> None:
        self.index = index
        run = self.runs[self.path_id] if self.path_id else self.runs[self.model.question.path]
        ctx = self.ctx
        year = FIRST_YEAR + index
        started = self.path_id is not None
        self.tub.set_level(float(run.ppm[index]) if started else run.ppm[0], year if started else FIRST_YEAR)
        i = index if started else 0
        self.tub.set_rates([run.emissions[i], max(0.0, float(run.sinks[i])), run.removal[i]])
        if started:
            self.charts.show_until(index)
        left = float(run.budget_left[i]) if started else run.constants.budget_for(1.5)
        budget = run.constants.budget_for(1.5)
        text = budget_text(self.model, run if started else None, i, ctx.lang, self._default)
        if text != self._budget_shown:
            self._budget_shown = text
            show_text(self.budget_text, text, ctx)
            self.budget_bar.setAccessibleName(text)
        self.budget_bar.set_fraction(left / budget)

    # -- life cycle --------------------------------------------------------------------------
    def entered(self) -> None:
        self._sync_subscription()

    def left(self) -> None:
        # A path still playing when the visitor moves on ends in its final state.
        if self.playing:
            self._finish()

    def reset(self) -> None:
        self.answer = None
        self.path_id = None
        self.playing = False
        self._chose_since = False
        self.social_text = ""
        self.elapsed = 0.0
        self.charts.clear()
        self._sync_subscription()
        self._arrange_buttons()
        self._show_texts()
        self._show_year(0)

    def render_variants(self) -> list[tuple[str, object]]:
        wrong = next((a.outcome for a in self.model.question.answers if a.outcome != self.right_outcome), None)
        out: list[tuple[str, object]] = [("reveal", ("answer", wrong or self.right_outcome))]
        out += [(f"path_{p.id}", ("path", p.id)) for p in self.model.paths]
        return out

    def show_variant(self, key: object) -> None:
        kind, value = key  # type: ignore[misc]
        if kind == "answer":
            self.reset()
            self.predict(str(value), record=False)
        else:
            if self.answer is None:
                self.predict(self.right_outcome, record=False)
            self.choose_path(str(value))
        self._finish()

    _chose_since = False
    _budget_shown = ""

    # -- what a screen reader and spoken mode get ---------------------------------------------
    def narration_state(self) -> dict:
        return {"answer": self.answer, "path": self.path_id, "first": self.path_id is not None and self._first_play}

    def narration_lines(self) -> list[str]:
        """While a path plays: the level of the year shown; after a guess: today's answers."""
        lines = []
        if self.playing:
            lines.append(level_text(self.model, self.tub.ppm, self.tub.year, self.ctx.lang, self._default))
        if self.social_text and self.answer is not None:
            lines.append(self.social_text)
        return lines

    def _describe(self) -> None:
        """The tub and the charts described from the run shown (names and descriptions)."""
        ctx = self.ctx
        lang, default = ctx.lang, self._default
        path_id = self.path_id or self.model.question.path
        run = self.runs[path_id]
        started = self.path_id is not None
        t = self.model.texts
        year = LAST_YEAR if started and not self.playing else FIRST_YEAR
        i = run.at(year)
        flows = [
            f"{ctx.tr(getattr(t, name))}: {_fill(ctx.tr(t.rate), gt=_gt(float(value), lang))}"
            for name, value in zip(LINKS, (run.emissions[i], max(0.0, float(run.sinks[i])), run.removal[i]))
        ]
        level = level_text(self.model, float(run.ppm[i]), year, lang, default)
        self.tub.setAccessibleName(f"{phrase('diagram', lang)}: {ctx.tr(t.tub)}")
        self.tub.setAccessibleDescription(f"{level}. " + ". ".join(flows) + ".")
        self.charts.setAccessibleName(f"{phrase('chart', lang)}: {ctx.tr(t.ppm_axis)}; {ctx.tr(t.warming_axis)}")
        if started:
            label = ctx.tr(self.model.path(path_id).label)
            start = level_text(self.model, run.ppm_in(FIRST_YEAR), FIRST_YEAR, lang, default)
            self.charts.setAccessibleDescription(f"{label}: {start}. {outcome_text(self.model, path_id, lang, default)}")
        else:
            self.charts.setAccessibleDescription(level + ".")


def outcome_for(run: Run) -> str:
    """What a visitor would call the level's change on a run, 2025 to 2100."""
    return outcome_of(run.ppm_in(FIRST_YEAR), run.ppm_in(LAST_YEAR))
