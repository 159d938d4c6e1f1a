"""Permanent storage vs temporary sinks: a forest can burn, rock keeps carbon for millennia."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.content.model import StoragePanel, StorageScreen
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.widgets.layout import empty_layout, fill_leftover_space
from kiosk.ui.widgets.common import FigureCard, card, label, touch_button
from kiosk.ui.widgets.flow_view import FlowView
from kiosk.ui.widgets.glossary import show_text


class PanelCard(QWidget):
    def __init__(self, panel: StoragePanel, parent=None) -> None:
        super().__init__(parent)
        self.panel = panel
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.frame = card(self)
        outer.addWidget(self.frame)
        lay = QVBoxLayout(self.frame)
        self.heading = label("heading")
        self.body = label("body")
        lay.addWidget(self.heading)
        lay.addWidget(self.body)
        self.figure = FigureCard(panel.figure, show_source=False, value_scale=0.8) if panel.figure else None
        if self.figure:
            lay.addWidget(self.figure)
        lay.addStretch(1)

    def apply(self, ctx: ScreenContext, colour: str) -> None:
        m = ctx.margin
        self.frame.layout().setContentsMargins(m // 2, m // 2, m // 2, m // 2)
        self.frame.layout().setSpacing(m // 4)
        show_text(self.heading, ctx.tr(self.panel.title), ctx)
        self.heading.setStyleSheet(f"color: {colour};")
        show_text(self.body, ctx.tr(self.panel.body), ctx)
        if self.figure:
            self.figure.apply(ctx, 0, m // 6)


class StorageScreenWidget(ScreenWidget):
    model: StorageScreen
    # Where the panels' texts need more room: a shorter diagram (it takes the room left anyway).
    DIAGRAM_MIN = ((560, 160), (380, 120), (260, 100))  # (portrait, landscape) design px
    compact_levels = len(DIAGRAM_MIN) - 1

    def __init__(self, model: StorageScreen, ctx: ScreenContext, parent=None) -> None:
        super().__init__(model, ctx, parent)
        outer = QVBoxLayout(self)
        self.add_heading(outer)
        self.grid = QGridLayout()
        outer.addLayout(self.grid, 1)
        self._reversal: str | None = None
        self.temporary = PanelCard(model.temporary)
        self.permanent = PanelCard(model.permanent)
        middle = QVBoxLayout()
        self.flow = fill_leftover_space(FlowView(model.diagram, ctx.clock, ctx.look.palette, ctx.lang))
        middle.addWidget(self.flow, 1)
        self.buttons = []
        for reversal in model.diagram.reversals:
            btn = touch_button("primary")
            btn.clicked.connect(lambda _=False, r=reversal.id: self.trigger(r))
            middle.addWidget(btn)
            self.buttons.append((btn, reversal))
        self.middle = middle
        # Every number on this screen, the dots' scale included, is sourced in one footer.
        self.sources = label("source")
        outer.addWidget(self.sources)
        self.apply(ctx)

    def apply(self, ctx: ScreenContext) -> None:
        super().apply(ctx)
        m, look = ctx.margin, ctx.look
        self.show_heading(ctx, self.layout())
        self.layout().setSpacing(m // 3)  # the densest screen: a little tighter
        self._show_lead()
        self.grid.setSpacing(m // 2)
        self.middle.setSpacing(m // 3)
        self._arrange(look.portrait)
        self.temporary.apply(ctx, look.palette.sink)
        self.permanent.apply(ctx, look.palette.store)
        for btn, reversal in self.buttons:
            btn.setText(ctx.tr(reversal.button))
        portrait_min, landscape_min = self.DIAGRAM_MIN[self.compact]
        ctx.show_flow(self.flow, 26 if not look.portrait else 30, min_height_px=portrait_min if look.portrait else landscape_min)
        panels = (self.model.temporary, self.model.permanent)
        sources = [*self.model.sources, *(p.source for p in panels)]
        sources += [p.figure.source for p in panels if p.figure]
        sources += [r.source for r in self.model.diagram.reversals]
        sources += [link.source for link in self.model.diagram.links]
        self.sources.setText(ctx.sources_line(sources))

    def _arrange(self, portrait: bool) -> None:
        # Landscape: temporary | diagram | permanent. Portrait: the diagram on top, panels below.
        grid = self.grid
        empty_layout(grid)
        if portrait:
            grid.addLayout(self.middle, 0, 0, 1, 2)
            grid.addWidget(self.temporary, 1, 0)
            grid.addWidget(self.permanent, 1, 1)
            stretches = ((0, 1), (1, 1), (2, 0))
            # The panels take the height their text needs; the diagram gets the rest.
            grid.setRowStretch(0, 1)
            grid.setRowStretch(1, 0)
        else:
            grid.addWidget(self.temporary, 0, 0)
            grid.addLayout(self.middle, 0, 1)
            grid.addWidget(self.permanent, 0, 2)
            # The picture is the widest, it is the point; where the panels' texts need more room
            # they get wider (the diagram is drawn to any width).
            side, middle = ((2, 3), (5, 6), (1, 1))[self.compact]
            stretches = ((0, side), (1, middle), (2, side))
            grid.setRowStretch(0, 1)
            grid.setRowStretch(1, 0)
        for column, stretch in stretches:
            grid.setColumnStretch(column, stretch)

    def trigger(self, reversal_id: str) -> None:
        self.flow.trigger_reversal(reversal_id)
        self._reversal = reversal_id
        self._show_lead()
        self.interaction.emit(f"reversal:{reversal_id}")

    def _show_lead(self) -> None:
        # What just happened replaces the invitation to make it happen, in the same place.
        reversal = next((r for r in self.model.diagram.reversals if r.id == self._reversal), None)
        show_text(self.lead, self.ctx.tr(reversal.caption if reversal else self.model.lead), self.ctx)

    def narration_state(self) -> dict:
        return {"reversal": self._reversal}

    def reset(self) -> None:
        self.flow.reset()
        self._reversal = None
        self._show_lead()

    def render_variants(self) -> list[tuple[str, object]]:
        return [(r.id, r.id) for r in self.model.diagram.reversals]

    def show_variant(self, key: object) -> None:
        self.trigger(str(key))
