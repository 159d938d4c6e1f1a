"""The attract loop: CO2 flowing, the exhibition's name and "touch to start" in every language.

The text block drifts slowly so that nothing stays in one place long enough to burn into the
panel during a ten-day event: across the whole width, in a band under the diagram that the
diagram keeps clear (it used to drift over the nodes and hide their labels).
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.content.model import AttractScreen
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.widgets.common import label, touch_button
from kiosk.ui.widgets.flow_view import FlowView

PROMPT_CYCLE_S = 3.0


class AttractScreenWidget(ScreenWidget):
    model: AttractScreen
    language_chosen = Signal(str)

    def __init__(self, model: AttractScreen, ctx: ScreenContext, parent=None) -> None:
        super().__init__(model, ctx, parent)
        self.flow = FlowView(model.diagram, ctx.clock, ctx.look.palette, ctx.lang, self)
        self.flow.setProperty("background", True)
        self.flow.release_when_hidden = True  # nobody waits for the attract loop to come back
        self.block = QWidget(self)
        self.block.setObjectName("AttractBlock")
        self.block.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        lay = QVBoxLayout(self.block)
        self.title = label("overlay_title", self.block)
        self.prompt = label("title", self.block)
        lay.addWidget(self.title)
        lay.addWidget(self.prompt)
        self.langs = QWidget(self)
        row = QHBoxLayout(self.langs)
        self.lang_buttons = {}
        for code in ctx.exhibition.languages.available:
            btn = touch_button("")
            btn.clicked.connect(lambda _=False, c=code: self.language_chosen.emit(c))
            row.addWidget(btn)
            self.lang_buttons[code] = btn
        # The shares on the node labels and the drawn rates are numbers: their sources (and the
        # period they describe) stay on screen, above the language buttons.
        self.sources = label("source", self)
        self._elapsed = 0.0
        self._prompt_index = 0
        self._block_h = 0  # the tallest the block gets in any language (it cycles through them)
        self._band_for: tuple | None = None
        self.apply(ctx)

    def apply(self, ctx: ScreenContext) -> None:
        super().apply(ctx)
        look = ctx.look
        names = ctx.exhibition.languages.names
        for code, btn in self.lang_buttons.items():
            btn.setText(names[code])
        ctx.show_flow(self.flow, 34, legend=False)
        self.block.layout().setSpacing(ctx.margin // 2)
        m = ctx.margin
        self.block.layout().setContentsMargins(m, m // 2, m, m // 2)
        # A veil of the background behind the words: readable over the particles, still airy.
        bg = look.color("background")
        self.block.setStyleSheet(
            f"#AttractBlock {{ background: rgba({bg.red()}, {bg.green()}, {bg.blue()}, 190);"
            f" border-radius: {look.px(24)}px; }}"
        )
        self.sources.setText(ctx.sources_line([*self.model.sources, *(k.source for k in self.model.diagram.links)]))
        self._block_h = 0
        self._band_for = None  # new label sizes: the diagram's band is measured again
        self._show_prompt()
        self._place()

    def _show_prompt(self) -> None:
        langs = self.ctx.exhibition.languages.available
        lang = langs[self._prompt_index % len(langs)]
        self.title.setText(self.model.title.get(lang, self.ctx.exhibition.languages.default))
        self.prompt.setText(self.model.prompt.get(lang, self.ctx.exhibition.languages.default))

    def tick(self, dt: float) -> None:
        before = int(self._elapsed / PROMPT_CYCLE_S)
        self._elapsed += dt
        if int(self._elapsed / PROMPT_CYCLE_S) != before:
            self._prompt_index += 1
            self._show_prompt()
        self._place()

    def _place(self) -> None:
        w, h = self.width(), self.height()
        self.flow.setGeometry(0, 0, w, h)
        m = self.ctx.margin
        langs_hint = self.langs.sizeHint()
        lw = min(w - 2 * m, langs_hint.width())
        self.langs.setGeometry((w - lw) // 2, h - langs_hint.height() - m, lw, langs_hint.height())
        sw = w - 2 * m
        sh = self.sources.heightForWidth(sw) if self.sources.text() else 0
        self.sources.setGeometry(m, h - langs_hint.height() - m - sh - m // 3, sw, sh)
        bw = int(w * (0.8 if self.ctx.look.portrait else 0.55))
        bh = self.block.heightForWidth(bw) if self.block.hasHeightForWidth() else self.block.sizeHint().height()
        bh = max(bh, self.block.sizeHint().height())
        if bh > self._block_h or self._block_h == 0:
            self._block_h = max(bh, self._measure_block(bw))
        # The block drifts in a band under the diagram, above the sources and the language
        # buttons; the diagram keeps its nodes and labels above the band, squeezed only when
        # it has to be. Measured for the tallest language, so nothing moves when the prompt
        # changes language.
        lowest = h - langs_hint.height() - sh - 2 * m - self._block_h  # the block's lowest top
        drift_y = m  # room to move up and down, too
        if self._band_for != (w, h, lowest):  # once per size and language set, not every frame
            self._band_for = (w, h, lowest)
            self.flow.keep_bottom_clear(min(self.flow.reserve_to_end_above(lowest - drift_y - m // 2), 0.5 * h))
        top = max(m, lowest - drift_y)
        # A slow Lissajous drift inside the band: no pixel stays lit the same way for long.
        period = self.ctx.exhibition.timings.attract_drift_period_s
        phase = 2 * math.pi * self.ctx.clock.now / period
        free_x = max(0, w - bw - 2 * m)
        free_y = max(0, h - langs_hint.height() - sh - 2 * m - bh - top)
        x = m + free_x * (0.5 + 0.5 * math.sin(phase))
        y = top + free_y * (0.5 + 0.5 * math.sin(2 * phase + 1.0))
        # In steps of a few pixels: a move repaints the block and the diagram under it apart
        # from the frame's own repaint (measured: a third more paints at every 1 px step).
        step = max(4, self.ctx.look.px(12))
        x, y = round(x / step) * step, round(y / step) * step
        if (x, y, bw, bh) != self.block.geometry().getRect():
            self.block.setGeometry(int(x), int(y), bw, bh)

    def _measure_block(self, width: int) -> int:
        """The block's height at `width` with the tallest title and prompt of all languages."""
        tallest = 0
        shown = self.title.text(), self.prompt.text()
        default = self.ctx.exhibition.languages.default
        for lang in self.ctx.exhibition.languages.available:
            self.title.setText(self.model.title.get(lang, default))
            self.prompt.setText(self.model.prompt.get(lang, default))
            self.block.layout().activate()
            tallest = max(tallest, self.block.heightForWidth(width) if self.block.hasHeightForWidth() else self.block.sizeHint().height())
        self.title.setText(shown[0])
        self.prompt.setText(shown[1])
        return tallest

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._block_h = 0  # another width: other line breaks
        self._place()

    def entered(self) -> None:
        self._prompt_index = 0
        self._show_prompt()
        self.ctx.clock.subscribe(self.tick)

    def left(self) -> None:
        self.ctx.clock.unsubscribe(self.tick)

    def mouseReleaseEvent(self, event) -> None:
        # Touching anywhere but a language button starts the walk in the default language.
        self.advance_requested.emit()
        event.accept()
