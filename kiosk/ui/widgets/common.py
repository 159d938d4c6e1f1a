"""Small building blocks every screen uses: role-styled labels, touch buttons, figure cards."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.content.model import Figure
from kiosk.content.numbers import localize_number
from kiosk.ui.theme import FIGURE_PX


class WrapLabel(QLabel):
    """A word-wrapped label that asks for the height its text needs at its current width.

    Qt's box layouts size a wrapped QLabel from a guess made at another width, so text could be
    cut off while space stayed empty below it. This label reports `heightForWidth(width)` as its
    size hints and asks for a new layout pass whenever its width changes; it settles in one pass.
    """

    def _height_now(self) -> int:
        return self.heightForWidth(self.width()) if self.text() and self.width() > 1 else 0

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self._height_now()))

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        needed = self._height_now()
        return QSize(hint.width(), needed) if needed else hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()


def label(role: str, parent: QWidget | None = None, *, wrap: bool = True, align=None) -> QLabel:
    """A QLabel styled by the window's style sheet through its `role` property."""
    lbl = WrapLabel(parent) if wrap else QLabel(parent)
    lbl.setProperty("role", role)
    lbl.setWordWrap(wrap)
    lbl.setTextFormat(Qt.TextFormat.PlainText)
    if align is not None:
        lbl.setAlignment(align)
    # Text grows downwards, never sideways past its column.
    lbl.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    return lbl


def touch_button(role: str = "", parent: QWidget | None = None, *, checkable: bool = False) -> QPushButton:
    btn = QPushButton(parent)
    if role:
        btn.setProperty("role", role)
    btn.setCheckable(checkable)
    btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no focus rings on a touch screen
    btn.setAutoRepeat(False)
    return btn


def card(parent: QWidget | None = None) -> QFrame:
    frame = QFrame(parent)
    frame.setProperty("role", "card")
    return frame


class FigureCard(QFrame):
    """A number as a visitor reads it: big value, unit, what it means, where it comes from."""

    def __init__(
        self, figure: Figure, parent: QWidget | None = None, *, show_source: bool = True, value_scale: float = 1.0,
        unit_below: bool = False, big_icon: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.figure = figure
        layout = QVBoxLayout(self)
        from kiosk.ui.widgets.icons import IconLabel

        # The picture first, the number beside it: visitors look before they read.
        self.icon = IconLabel(self)
        self.value = label("value", self)
        self.caption = label("body", self)
        self.source = label("source", self)
        self.top = QHBoxLayout()
        # A card with room shows the picture large, above the number; where room is short it
        # moves beside the number (set_big_icon), so the picture stays and the card is lower.
        self.big_slot = QHBoxLayout()
        self.big_slot.addStretch(1)
        layout.addLayout(self.big_slot)
        layout.addStretch(1)
        self.top.addWidget(self.value, 1)
        self.big_icon = not big_icon
        self.set_big_icon(big_icon)
        layout.addLayout(self.top)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        layout.addWidget(self.source)
        # Where a screen lists its sources in one footer, the card leaves them out to save room.
        self.show_source = show_source
        self.value_scale = value_scale  # narrow panels: a smaller number that stays on one line
        self.unit_below = unit_below  # narrow cells: the unit starts the caption, the number stands alone
        self.source.setVisible(show_source)

    def set_big_icon(self, big: bool) -> None:
        if big == self.big_icon:
            return
        self.big_icon = big
        self.big_slot.removeWidget(self.icon)
        self.top.removeWidget(self.icon)
        if big:
            self.big_slot.insertWidget(0, self.icon, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            self.top.insertWidget(0, self.icon, 0, Qt.AlignmentFlag.AlignVCenter)

    def apply(self, ctx, margin: int, spacing: int) -> None:
        """Fill in the figure for ctx's language and look (ctx: a ScreenContext)."""
        fig = self.figure
        unit = ctx.tr(fig.unit)
        value_px = ctx.look.text_px(FIGURE_PX * self.value_scale)
        # The number big, its unit at lead size beside it: "7–9 Gt CO₂ a year" fits one line.
        self.value.setTextFormat(Qt.TextFormat.RichText)
        # A no-break space: the unit never starts a line of its own.
        shown_unit = "" if self.unit_below else escape(unit)
        self.value.setText(
            f'<span style="font-size:{value_px}px">{escape(localize_number(fig.value, ctx.lang))}</span>&nbsp;{shown_unit}'
        )
        icon_px = ctx.look.px(104) if self.big_icon else round(value_px * 1.1)
        self.icon.show_icon(fig.icon, icon_px, ctx.look.color("accent"))
        self.top.setSpacing(max(4, spacing))
        from kiosk.ui.widgets.glossary import show_text  # glossary builds on this module's labels

        caption = ctx.tr(fig.label)
        show_text(self.caption, f"{unit} · {caption}" if self.unit_below and unit else caption, ctx)
        self.source.setText(f"{ctx.source_prefix} {fig.source}" if fig.source and self.show_source else "")
        # A screen reader reads the card as one sentence: "Removal needed by 2050: 7–9 Gt CO₂ a year."
        from kiosk.narration import figure_line

        sentence = figure_line(fig, ctx.lang, ctx.exhibition.languages.default)
        self.setAccessibleName(sentence)
        self.value.setAccessibleName(sentence)
        self.setAccessibleDescription(f"{ctx.source_prefix} {fig.source}" if fig.source else "")
        self.layout().setContentsMargins(margin, margin, margin, margin)
        self.layout().setSpacing(spacing)
