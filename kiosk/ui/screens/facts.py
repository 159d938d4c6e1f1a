"""Why removal is needed: a short argument and the headline numbers, with their sources."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QGridLayout, QVBoxLayout

from kiosk.content.model import FactsScreen
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.widgets.common import FigureCard, label
from kiosk.ui.widgets.glossary import show_text
from kiosk.ui.widgets.layout import fill_grid, set_direction


class FactsScreenWidget(ScreenWidget):
    model: FactsScreen
    # 1: the cards' pictures beside their numbers instead of above; 2: tighter cards too.
    compact_levels = 2

    def __init__(self, model: FactsScreen, ctx: ScreenContext, parent=None) -> None:
        super().__init__(model, ctx, parent)
        outer = QVBoxLayout(self)
        self.title = label("title")
        outer.addWidget(self.title)
        # Landscape: the two paragraphs side by side, the numbers in one row beneath them.
        self.text_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.lead = label("lead")
        self.body = label("body")
        self.text_row.addWidget(self.lead, 1)
        self.text_row.addWidget(self.body, 1)
        outer.addLayout(self.text_row)
        self.grid = QGridLayout()
        # The numbers are the point of this screen: big cards with a picture each, filling the page.
        self.cards = [FigureCard(f, big_icon=True) for f in model.figures]
        outer.addLayout(self.grid, 1)
        # The numbers in the two paragraphs, sourced (each card names its own source).
        self.sources = label("source")
        outer.addWidget(self.sources)
        self.apply(ctx)

    def apply(self, ctx: ScreenContext) -> None:
        super().apply(ctx)
        m, look = ctx.margin, ctx.look
        self.show_heading(ctx, self.layout())
        self.text_row.setSpacing(m)
        self.grid.setSpacing(m // 2)
        set_direction(self.text_row, look.portrait)
        show_text(self.body, ctx.tr(self.model.body), ctx)
        self.body.setVisible(self.model.body is not None)
        columns = 2 if look.portrait else max(1, len(self.cards))
        fill_grid(self.grid, self.cards, columns)
        tight = self.compact >= 2
        if tight:  # the footer a few pixels nearer the bar, rather than a scroll bar for them
            self.layout().setContentsMargins(m, m // 2, m, m // 4)
        for c in self.cards:
            c.set_big_icon(self.compact == 0)
            c.apply(ctx, m // 4 if tight else m // 3, m // 10 if tight else m // 6)
        self.sources.setText(ctx.sources_line(self.model.sources))
        self.sources.setVisible(bool(self.model.sources))
