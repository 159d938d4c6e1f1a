"""Sources and sinks: today's CO2 flows as particles, with a touch step ("now add removal")."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from kiosk.content.model import FlowScreen
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.widgets.common import FigureCard, label, touch_button
from kiosk.ui.widgets.flow_view import FlowView
from kiosk.ui.widgets.glossary import show_text
from kiosk.ui.widgets.layout import fill_leftover_space, set_direction


class FlowScreenWidget(ScreenWidget):
    model: FlowScreen
    # Tighter: in portrait the diagram gives up a little height when long captions (German,
    # French, Spanish) would push the sources footer below the window.
    compact_levels = 1

    def __init__(self, model: FlowScreen, ctx: ScreenContext, parent=None) -> None:
        super().__init__(model, ctx, parent)
        outer = QVBoxLayout(self)
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        outer.addLayout(self.row, 1)
        side = QVBoxLayout()
        self.title = label("title")
        self.lead = label("lead")
        side.addWidget(self.title)
        side.addWidget(self.lead)
        self.cards = [FigureCard(f, show_source=False, value_scale=0.8) for f in model.figures]
        self.figures_box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        for c in self.cards:
            self.figures_box.addWidget(c, 1)
        side.addLayout(self.figures_box)
        side.addStretch(1)
        self.step_button = touch_button("primary")
        self.step_button.clicked.connect(self.next_step)
        side.addWidget(self.step_button)
        self.side = side
        self.flow = fill_leftover_space(FlowView(model.diagram, ctx.clock, ctx.look.palette, ctx.lang))
        self.row.addLayout(side, 2)
        self.row.addWidget(self.flow, 3)
        # Every number on this screen, the dots' scale included, is sourced in one footer.
        self.sources = label("source")
        outer.addWidget(self.sources)
        self.apply(ctx)

    def apply(self, ctx: ScreenContext) -> None:
        super().apply(ctx)
        m, look = ctx.margin, ctx.look
        self.layout().setContentsMargins(m, m // 2, m, m // 3)
        self.layout().setSpacing(m // 3)
        self.row.setSpacing(m)
        self.side.setSpacing(m // 2)
        self.figures_box.setSpacing(m // 3)
        set_direction(self.row, look.portrait)
        # Portrait: the diagram takes the middle of the screen, the text sits above it.
        self.row.setStretch(0, 0 if look.portrait else 2)
        self.row.setStretch(1, 1 if look.portrait else 3)
        show_text(self.title, ctx.tr(self.model.title), ctx)
        for c in self.cards:
            c.apply(ctx, m // 3, m // 6)
        # Portrait: the scene keeps room for its labels even when larger text scrolls the page.
        tall = 1150 if look.text_factor > 1 else (780 if self.compact else 820)
        ctx.show_flow(self.flow, 30, min_height_px=tall if look.portrait else 360)
        self._show_step()

    def _sources_text(self) -> str:
        current = self.flow.current_step
        sources = [*self.model.sources, *(f.source for f in self.model.figures)]
        sources += [link.source for link in self.model.diagram.links if link.step <= current]
        if current > 0:
            sources.append(self.model.diagram.steps[current - 1].source)
        return self.ctx.sources_line(sources)

    def _show_step(self) -> None:
        steps = self.model.diagram.steps
        current = self.flow.current_step
        # The story moves on in the same place: each step's caption takes the lead's place.
        text = self.ctx.tr(steps[current - 1].caption) if current > 0 else self.ctx.tr(self.model.lead)
        show_text(self.lead, text, self.ctx)
        self.step_button.setVisible(bool(steps))
        if current < len(steps):
            self.step_button.setText(self.ctx.tr(steps[current].button))
        else:
            self.step_button.setText(self.ctx.ui("replay"))
        self.sources.setText(self._sources_text())

    def next_step(self) -> None:
        if self.flow.current_step < len(self.model.diagram.steps):
            self.flow.advance_step()
            self.interaction.emit(f"step:{self.flow.current_step}")
        else:
            self.flow.reset()
        self._show_step()

    def narration_state(self) -> dict:
        return {"step": self.flow.current_step}

    def reset(self) -> None:
        self.flow.reset()
        self._show_step()

    def render_variants(self) -> list[tuple[str, object]]:
        return [(f"step{i + 1}", i + 1) for i in range(len(self.model.diagram.steps))]

    def show_variant(self, key: object) -> None:
        self.flow.reset()
        for _ in range(int(key)):
            self.flow.advance_step()
        self._show_step()
