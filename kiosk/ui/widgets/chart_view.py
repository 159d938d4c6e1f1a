"""A chart screen's plot: lines that draw themselves in, or bars that grow, from points or a CSV.

pyqtgraph draws it; the shared AnimationClock drives the draw-in while the view is shown. Items are
created once per content (and language) change; each tick only updates their data in place
(`setData` on slices of preallocated arrays, `setOpts(height=...)` on bars), so a chart left
running for days does not grow (pyqtgraph issues 2158, 2672).
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from kiosk.content.model import ChartScreen, Palette
from kiosk.flow.series import SeriesError, series_data, visible_count
from kiosk.ui.clock import AnimationClock, ClockDriven

log = logging.getLogger(__name__)


class _Series:
    """One series' data, its drawing buffers and its pyqtgraph item."""

    def __init__(self, x: np.ndarray, y: np.ndarray, style: str) -> None:
        self.x = x
        self.y = y
        self.style = style
        self.xb = x.copy()  # line buffers: the growing end point is written in place
        self.yb = y.copy()
        self.heights = np.zeros_like(y)  # bar buffer
        self.patched = -1  # index of the buffer entry holding an interpolated end point
        self.item: pg.PlotDataItem | pg.BarGraphItem | None = None


class ChartView(ClockDriven, QWidget):
    def __init__(
        self,
        screen: ChartScreen,
        base_dir: Path,
        clock: AnimationClock,
        palette: Palette,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.screen = screen
        self.base_dir = Path(base_dir)
        self._clock = clock
        self._palette = palette
        self._lang = lang
        self._reduced = False
        self._subscribed = False
        self._elapsed = 0.0
        self._font = QFont(self.font())
        self._font.setPixelSize(28)
        self.errors: list[str] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The legend is a plain label row, not a pyqtgraph LegendItem: that one is anchored to the
        # ViewBox and can call into it while Qt tears the plot down (a flaky "ViewBox already
        # deleted" at exit), and a QLabel's text is as crisp as the rest of the screen.
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        # No context menu from the start: a ViewBox built with one fills it from every live view
        # (ViewBox.AllViews), which can reach a view whose C++ half is gone and crash (seen in
        # the ten-day soak, a chart built after many reloads).
        self.plot_widget = pg.PlotWidget(parent=self, enableMenu=False)
        self.plot_widget.setFrameShape(QFrame.Shape.NoFrame)
        layout.setSpacing(0)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot_widget, 1)
        self.setAutoFillBackground(True)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot_widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.plot_widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plot.showGrid(x=False, y=True, alpha=0.15)

        self.series: list[_Series] = []
        for s in screen.series:
            try:
                x, y = series_data(s, self.base_dir)
            except SeriesError as exc:
                log.warning("chart %s: %s", screen.id, exc)
                self.errors.append(str(exc))
                x, y = np.zeros(0), np.zeros(0)
            self.series.append(_Series(x, y, s.style))
        self._build_items()
        self._apply_style()
        self._set_ranges()
        self._draw(self.progress)
        self._describe()

    # -- public API ---------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        if lang != self._lang:
            self._lang = lang
            self._apply_texts()

    def set_palette(self, palette: Palette) -> None:
        if palette != self._palette:
            self._palette = palette
            self._apply_style()

    def set_label_font(self, font: QFont) -> None:
        """Font (and pixel size) of tick labels, axis titles and the legend."""
        self._font = QFont(font)
        self._apply_style()

    def set_text_px(self, px: int) -> None:
        """Pixel size of tick labels, axis titles and the legend (the screen scales it)."""
        if px != self._font.pixelSize():
            self._font.setPixelSize(max(8, int(px)))
            self._apply_style()

    def set_reduced_motion(self, on: bool) -> None:
        if on != self._reduced:
            self._reduced = on
            self._sync_subscription()
            self._draw(self.progress)

    def restart(self) -> None:
        """Draw the lines in again from the start (a visitor came back, or pressed replay)."""
        self._elapsed = 0.0
        self._draw(self.progress)
        self._sync_subscription()

    @property
    def progress(self) -> float:
        """0..1, how far the draw-in has come (always 1 in reduced motion)."""
        if self._reduced or self.screen.draw_in_s <= 0:
            return 1.0
        return min(1.0, self._elapsed / self.screen.draw_in_s)

    @property
    def subscribed(self) -> bool:
        return self._subscribed

    def visible_points(self) -> list[int]:
        """How many points (lines) or non-zero bars each series shows now (for tests)."""
        counts = []
        for s in self.series:
            if s.style == "bar":
                counts.append(int(np.count_nonzero(s.heights)))
            else:
                xd, _ = s.item.getData() if s.item is not None else (None, None)
                counts.append(0 if xd is None else len(xd))
        return counts

    # -- clock --------------------------------------------------------------------------------
    def _wants_ticks(self) -> bool:
        return self.isVisible() and not self._reduced and self.progress < 1.0

    def _on_tick(self, dt: float) -> None:
        self._elapsed += dt
        self._draw(self.progress)
        if self.progress >= 1.0:
            self._sync_subscription()

    # -- building -----------------------------------------------------------------------------
    def _colours(self) -> list[QColor]:
        pal = self._palette
        cycle = [pal.accent, pal.source, pal.sink, pal.technology, pal.store, pal.air]
        return [QColor(s.color or cycle[i % len(cycle)]) for i, s in enumerate(self.screen.series)]

    def _bar_width(self) -> float:
        xs = np.concatenate([s.x for s in self.series if s.style == "bar"] or [np.zeros(0)])
        if len(xs) < 2:
            return 0.8
        steps = np.diff(np.unique(xs))
        return 0.8 * float(steps.min()) if len(steps) else 0.8

    def _bars_share_places(self) -> bool:
        """Bars of different series at the same x stand side by side; bars at their own x don't."""
        xs = [set(np.round(s.x, 9)) for s in self.series if s.style == "bar"]
        return any(a & b for i, a in enumerate(xs) for b in xs[i + 1 :])

    def _build_items(self) -> None:
        n_bars = sum(1 for s in self.series if s.style == "bar")
        if not self._bars_share_places():
            n_bars = 1  # each bar centred on its own tick, at full width
        width = self._bar_width() / max(n_bars, 1)
        bar_i = 0
        for s, spec in zip(self.series, self.screen.series):
            if s.style == "bar":
                offset = (bar_i - (n_bars - 1) / 2) * width if n_bars > 1 else 0.0
                s.item = pg.BarGraphItem(x=s.x + offset, height=s.heights, width=width * 0.92)
                bar_i += 1
            else:
                s.item = pg.PlotDataItem(s.xb[:0], s.yb[:0])
            self.plot.addItem(s.item)

    def _describe(self) -> None:
        """A screen reader's view: every bar or line with its values, from the same data (issue 15)."""
        from kiosk.narration import phrase
        from kiosk.narration.script import chart_lines

        self.setAccessibleName(f"{phrase('chart', self._lang)}: {self.screen.title.get(self._lang)}")
        self.setAccessibleDescription(" ".join(chart_lines(self.screen, self._lang, self.base_dir)))

    def _apply_texts(self) -> None:
        self._describe()
        self._apply_axis_labels()
        self._style_legend()

    def _apply_x_ticks(self) -> None:
        ticks = self.screen.x_ticks
        axis = self.plot.getAxis("bottom")
        if ticks:
            axis.setTicks([[(t.at, t.label.get(self._lang)) for t in ticks]])
        else:
            axis.setTicks(None)

    def _apply_axis_labels(self) -> None:
        self._apply_x_ticks()
        css = {"color": self._palette.text, "font-size": f"{self._font.pixelSize()}px"}
        self.plot.setLabel("bottom", self.screen.x_label.get(self._lang), **css)
        self.plot.setLabel("left", self.screen.y_label.get(self._lang), **css)

    def _style_legend(self) -> None:
        """One line per series: a swatch in its colour (a dash for lines, a block for bars), its label."""
        px = self._font.pixelSize()
        parts = []
        for spec, colour in zip(self.screen.series, self._colours()):
            mark = "&#9632;" if spec.style == "bar" else "&#9473;&#9473;"
            parts.append(
                f'<span style="color:{colour.name()}">{mark}</span>&nbsp;{html.escape(spec.label.get(self._lang))}'
            )
        self.legend.setText("&nbsp;&nbsp;&nbsp;&nbsp;".join(parts))
        font = QFont(self._font)
        self.legend.setFont(font)
        self.legend.setStyleSheet(
            f"QLabel {{ color: {self._palette.text}; background: {self._palette.background};"
            f" font-size: {px}px; padding: {px // 3}px {px // 2}px; }}"
        )

    def _apply_style(self) -> None:
        pal = self._palette
        self.plot_widget.setBackground(QColor(pal.background))
        qpal = self.palette()
        qpal.setColor(QPalette.ColorRole.Window, QColor(pal.background))
        self.setPalette(qpal)
        px = max(10, self._font.pixelSize())
        tick_font = QFont(self._font)
        tick_font.setPixelSize(px)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setTextPen(pg.mkPen(QColor(pal.text)))
            axis.setPen(pg.mkPen(QColor(pal.muted), width=max(1, px // 14)))
            axis.setStyle(
                tickFont=tick_font, tickLength=-max(6, px // 3), tickTextOffset=max(6, px // 3), maxTickLevel=0
            )
        self.plot.getAxis("left").setWidth(int(px * 4.2))
        self.plot.getAxis("bottom").setHeight(int(px * 3.0))
        colours = self._colours()
        line_w = max(3.0, px / 6)
        for s, colour in zip(self.series, colours):
            if s.item is None:
                continue
            if s.style == "bar":
                fill = QColor(colour)
                fill.setAlphaF(0.85)
                s.item.setOpts(brush=pg.mkBrush(fill), pen=pg.mkPen(colour.lighter(130), width=1))
            else:
                s.item.setPen(pg.mkPen(colour, width=line_w))
                s.item.setShadowPen(None)
        self._apply_axis_labels()
        self._style_legend()

    def _set_ranges(self) -> None:
        xs = [s.x for s in self.series if len(s.x)]
        ys = [s.y for s in self.series if len(s.y)]
        if not xs:
            return
        x_all = np.concatenate(xs)
        y_all = np.concatenate(ys)
        pad_x = self._bar_width() / 2 if any(s.style == "bar" for s in self.series) else 0.0
        x0, x1 = float(x_all.min()) - pad_x, float(x_all.max()) + pad_x
        y0 = min(0.0, float(y_all.min()))
        y1 = max(0.0, float(y_all.max()))
        if y1 == y0:
            y1 = y0 + 1.0
        self.plot.disableAutoRange()
        self.plot.setXRange(x0, x1 if x1 > x0 else x0 + 1.0, padding=0.02)
        self.plot.setYRange(y0, y1 + 0.06 * (y1 - y0), padding=0.0)

    # -- drawing ------------------------------------------------------------------------------
    def _draw(self, progress: float) -> None:
        for s in self.series:
            if s.item is None:
                continue
            if s.style == "bar":
                # Bars grow together, eased so they settle gently.
                eased = 1.0 - (1.0 - progress) ** 3
                np.multiply(s.y, eased, out=s.heights)
                s.item.setOpts(height=s.heights)
                continue
            n = len(s.x)
            if s.patched >= 0:  # undo last tick's interpolated end point
                s.xb[s.patched] = s.x[s.patched]
                s.yb[s.patched] = s.y[s.patched]
                s.patched = -1
            whole, frac = visible_count(n, progress)
            shown = whole
            if 0 < whole < n and frac > 0.0:
                i = whole
                s.xb[i] = s.x[i - 1] + frac * (s.x[i] - s.x[i - 1])
                s.yb[i] = s.y[i - 1] + frac * (s.y[i] - s.y[i - 1])
                s.patched = i
                shown = whole + 1
            s.item.setData(s.xb[:shown], s.yb[:shown])
