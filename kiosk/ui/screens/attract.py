"""The attract loop: CO2 flowing, the exhibition's name and "touch to start" in every language.

The text block drifts slowly over the screen so that nothing stays in one place long enough to
burn into the panel during a ten-day event.
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
        # A slow Lissajous drift inside the free area: no pixel stays lit the same way for long.
        period = self.ctx.exhibition.timings.attract_drift_period_s
        phase = 2 * math.pi * self.ctx.clock.now / period
        free_x = max(0, w - bw - 2 * m)
        free_y = max(0, h - bh - langs_hint.height() - sh - 3 * m)
        x = m + free_x * (0.5 + 0.5 * math.sin(phase))
        y = m + free_y * (0.5 + 0.5 * math.sin(2 * phase + 1.0))
        self.block.setGeometry(int(x), int(y), bw, bh)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
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
