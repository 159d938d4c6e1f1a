"""The coalition: who is in it, grouped by kind, and how to join (QR codes a phone can read)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QVBoxLayout

from kiosk.content.model import CoalitionScreen
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.widgets.common import card, label
from kiosk.ui.widgets.layout import fill_grid, set_direction
from kiosk.ui.widgets.qr import QrCode


class CoalitionScreenWidget(ScreenWidget):
    model: CoalitionScreen
    # Tighter: smaller gaps and card padding (Spanish names wrap to three lines); the QR codes
    # keep their size, phones must read them from a step away.
    compact_levels = 1

    def __init__(self, model: CoalitionScreen, ctx: ScreenContext, parent=None) -> None:
        super().__init__(model, ctx, parent)
        outer = QVBoxLayout(self)
        self.add_heading(outer)
        self.grid = QGridLayout()
        outer.addLayout(self.grid, 1)
        self.group_cards = []
        for group in model.groups:
            frame = card()
            lay = QVBoxLayout(frame)
            name, members = label("heading"), label("small")
            lay.addWidget(name)
            lay.addWidget(members)
            lay.addStretch(1)
            self.group_cards.append((frame, name, members, group))
        # The two ways in (join, updates): a QR code a phone can read, with what it leads to.
        self.qr_box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        outer.addLayout(self.qr_box)
        self.qrs = []
        for link in (model.join, model.updates):
            frame = card()
            lay = QHBoxLayout(frame)
            qr = QrCode(link.url)
            text = QVBoxLayout()
            heading, caption = label("heading"), label("body")
            text.addWidget(heading)
            text.addWidget(caption)
            text.addStretch(1)
            lay.addWidget(qr, 0, Qt.AlignmentFlag.AlignTop)
            lay.addLayout(text, 1)
            self.qr_box.addWidget(frame, 1)
            self.qrs.append((frame, qr, heading, caption, link))
        self.sources = label("source")
        outer.addWidget(self.sources)
        self.apply(ctx)

    def apply(self, ctx: ScreenContext) -> None:
        super().apply(ctx)
        m, look = ctx.margin, ctx.look
        self.show_heading(ctx, self.layout())
        gap = m // 3 if self.compact else m // 2
        if self.compact:
            self.layout().setSpacing(gap)
        self.grid.setSpacing(gap)
        self.qr_box.setSpacing(gap)
        # The numbers in the lead (11 founders, over 20 members, the years) are sourced here.
        self.sources.setText(ctx.sources_line(self.model.sources))
        self.sources.setVisible(bool(self.sources.text()))
        set_direction(self.qr_box, look.portrait)
        for frame, name, members, group in self.group_cards:
            frame.layout().setContentsMargins(gap, gap, gap, gap)
            name.setText(ctx.tr(group.name))
            members.setText(" · ".join(group.members))
        columns = 2 if look.portrait else min(4, len(self.group_cards))
        fill_grid(self.grid, [c[0] for c in self.group_cards], columns)
        for (frame, qr, heading, caption, link), ui_name in zip(self.qrs, ("scan_to_join", "scan_for_updates")):
            frame.layout().setContentsMargins(gap, gap, gap, gap)
            frame.layout().setSpacing(gap)
            # ~5 cm on a 55" panel: phones read it from a step away.
            qr.set_side(look.px(190))
            heading.setText(ctx.ui(ui_name))
            caption.setText(ctx.tr(link.label))
