"""The last screen: what a visitor can do next, each with a picture, and "Start again".

On this screen the bottom bar's Next becomes "Start again" (the shell does it): back to the
first screen of the walk in the visitor's language, so the walk never ends on a greyed-out Next.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout

from kiosk.content.model import EndingScreen
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.widgets.common import card, label
from kiosk.ui.widgets.icons import IconLabel
from kiosk.ui.widgets.layout import fill_grid


class EndingScreenWidget(ScreenWidget):
    model: EndingScreen

    def __init__(self, model: EndingScreen, ctx: ScreenContext, parent=None) -> None:
        super().__init__(model, ctx, parent)
        outer = QVBoxLayout(self)
        self.add_heading(outer)
        self.grid = QGridLayout()
        outer.addLayout(self.grid, 1)
        self.actions = []
        for action in model.actions:
            frame = card()
            lay = QHBoxLayout(frame)
            icon, text = IconLabel(), label("lead")
            lay.addWidget(icon, 0, Qt.AlignmentFlag.AlignVCenter)
            lay.addWidget(text, 1, Qt.AlignmentFlag.AlignVCenter)
            self.actions.append((frame, icon, text, action))
        self.apply(ctx)

    def apply(self, ctx: ScreenContext) -> None:
        super().apply(ctx)
        m, look = ctx.margin, ctx.look
        self.show_heading(ctx, self.layout())
        self.grid.setSpacing(m // 2)
        for frame, icon, text, action in self.actions:
            frame.layout().setContentsMargins(m // 2, m // 2, m // 2, m // 2)
            frame.layout().setSpacing(m // 2)
            icon.show_icon(action.icon, look.px(110), look.color("accent"))
            text.setText(ctx.tr(action.text))
        fill_grid(self.grid, [a[0] for a in self.actions], 1 if look.portrait else 2)
