"""A chart screen: e.g. removal today against what is needed by 2050; lines draw themselves in."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from kiosk.content.model import ChartScreen
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.widgets.chart_view import ChartView
from kiosk.ui.widgets.layout import fill_leftover_space
from kiosk.ui.widgets.common import label


class ChartScreenWidget(ScreenWidget):
    model: ChartScreen

    def __init__(self, model: ChartScreen, ctx: ScreenContext, parent=None) -> None:
        super().__init__(model, ctx, parent)
        outer = QVBoxLayout(self)
        self.add_heading(outer)
        self.chart = fill_leftover_space(ChartView(model, ctx.base_dir, ctx.clock, ctx.look.palette, ctx.lang))
        outer.addWidget(self.chart, 1)
        self.sources = label("source")
        outer.addWidget(self.sources)
        self.apply(ctx)

    def apply(self, ctx: ScreenContext) -> None:
        super().apply(ctx)
        look = ctx.look
        self.show_heading(ctx, self.layout())
        self.chart.set_language(ctx.lang)
        self.chart.set_palette(look.palette)
        if hasattr(self.chart, "set_text_px"):
            self.chart.set_text_px(look.text_px(32))
        self.chart.set_reduced_motion(look.reduced_motion)
        self.chart.setMinimumHeight(look.px(360))
        self.sources.setText(ctx.sources_line([*self.model.sources, *(s.source for s in self.model.series)]))

    def entered(self) -> None:
        self.chart.restart()
