"""The removal-mix screen's parts: the goal bar, a method's stepper, an output card, two pages.

Drawn by kiosk.ui.screens.removal_mix; kept apart so the screen module holds only what the
visitor does and what is shown when.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.content.numbers import format_number
from kiosk.content.removal_mix import MixMethod
from kiosk.models.removal_mix import Span
from kiosk.ui.theme import SMALL_PX
from kiosk.ui.widgets.icons import IconLabel
from kiosk.ui.widgets.common import card, label, touch_button

if TYPE_CHECKING:  # only for annotations: widgets do not depend on screens
    from kiosk.ui.screens.base import ScreenContext

STEPPER_PX = 80  # the + and − buttons: 80 px at 1080p (22 mm on a 24" panel), above the kiosk's 76 px minimum
STORAGE_COLOUR = {"permanent": "store", "centuries": "technology", "reversible": "sink"}


def significant(x: float, digits: int = 2) -> float:
    """Round to `digits` significant figures: a range of estimates is not precise to the tonne."""
    if x == 0:
        return 0.0
    from math import floor, log10

    return round(x, -int(floor(log10(abs(x)))) + digits - 1)


def rounded_span(span: Span, digits: int = 2) -> Span:
    return Span(significant(span.low, digits), significant(span.high, digits))


def format_gt(value: float, lang: str) -> str:
    """GtCO2/yr as the steppers move it: halves show one decimal, whole numbers none."""
    return format_number(value, lang, 0 if float(value).is_integer() else (1 if (value * 10).is_integer() else 2))


def rough_note_label() -> QLabel:
    """"~ rough estimate.": what the "~" before an output means. In the look of a source line but
    not one (role "small"): a screen's source line starts with "Source:", and readers, tests and
    the content review find its sources by that prefix."""
    note = label("small")
    note.hide()
    return note


class GoalBar(QWidget):
    """A horizontal bar: one segment per method (coloured by how long it stores carbon), a mark
    at today's removal for scale and a goal line at the removal needed in 2050."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.segments: list[tuple[float, QColor]] = []
        self.goal = 1.0
        self.today = 0.0
        self.today_text = ""
        self.goal_text = ""
        self.colours = {"track": QColor("#333"), "goal": QColor("#fff"), "today": QColor("#aaa"), "gap": QColor("#000")}
        self.text_px = 32
        self.bar_px = 40
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_state(self, segments, goal: float, today: float, today_text: str, goal_text: str) -> None:
        self.segments, self.goal, self.today = segments, goal, today
        self.today_text, self.goal_text = today_text, goal_text
        self.setAccessibleName(f"{goal_text}. {today_text}")  # what the bar's marks say
        self._fit_height()
        self.update()

    def set_sizes(self, bar_px: int, text_px: int) -> None:
        self.bar_px, self.text_px = bar_px, text_px
        self._fit_height()

    @property
    def scale_max(self) -> float:
        # The goal sits at 85 % of the width so a mix past it still fits on the bar.
        total = sum(a for a, _ in self.segments)
        return max(self.goal / 0.85, total)

    def _fonts(self) -> tuple[QFont, QFont]:
        font = QFont(self.font())
        font.setPixelSize(self.text_px)
        bold = QFont(font)
        bold.setBold(True)
        return font, bold

    def _label_rects(self) -> tuple[QRectF, QRectF]:
        """Where today's and the goal's labels go: under their marks, the goal's on a second line
        when the two would touch (long words, larger text, a narrow portrait screen)."""
        w = float(max(1, self.width()))
        font, bold = self._fonts()
        line = QFontMetricsF(font).height()
        today_w = QFontMetricsF(font).horizontalAdvance(self.today_text)
        goal_w = QFontMetricsF(bold).horizontalAdvance(self.goal_text)
        scale = w / self.scale_max
        top = self.bar_px * 1.08
        tx, gx = self.today * scale, self.goal * scale
        today_left = min(max(0.0, tx - today_w / 2), max(0.0, w - today_w))
        goal_right = min(w, gx + min(w - gx, w * 0.1))
        goal_left = max(0.0, goal_right - goal_w)
        today = QRectF(today_left, top, today_w, line)
        goal_top = top + line if today_left + today_w + line * 0.5 > goal_left else top
        return today, QRectF(goal_left, goal_top, goal_right - goal_left, line)

    def _fit_height(self) -> None:
        _, goal = self._label_rects()
        height = round(goal.bottom())
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w = self.width()
        bar_h = float(self.bar_px)
        radius = bar_h * 0.25
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.colours["track"])
        p.drawRoundedRect(QRectF(0, 0, w, bar_h), radius, radius)
        x = 0.0
        scale = w / self.scale_max
        for amount, colour in self.segments:
            if amount <= 0:
                continue
            seg = amount * scale
            p.setBrush(colour)
            p.drawRect(QRectF(x, 0, seg, bar_h))
            p.fillRect(QRectF(x + seg - 2, 0, 2, bar_h), self.colours["gap"])  # methods stay apart
            x += seg
        today_rect, goal_rect = self._label_rects()
        font, bold = self._fonts()
        # Today's removal: a dashed mark through the bar, its label under it.
        tx = self.today * scale
        p.setPen(QPen(self.colours["today"], max(2, self.bar_px // 14), Qt.PenStyle.DashLine))
        p.drawLine(int(tx), 0, int(tx), int(today_rect.top()))
        p.setFont(font)
        p.setPen(self.colours["today"])
        p.drawText(today_rect, Qt.AlignmentFlag.AlignLeft, self.today_text)
        # The goal: a solid line through the bar down to its label, which ends at the line.
        gx = self.goal * scale
        p.setPen(QPen(self.colours["goal"], max(3, self.bar_px // 8)))
        p.drawLine(int(gx), 0, int(gx), int(goal_rect.top()))
        p.setFont(bold)
        p.setPen(self.colours["goal"])
        p.drawText(goal_rect, Qt.AlignmentFlag.AlignRight, self.goal_text)
        p.end()


class MethodStepper(QWidget):
    """− [name, amount, sustainable limit] + for one method."""

    def __init__(self, method: MixMethod, words, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method = method
        self.words = words
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.frame = card(self)
        outer.addWidget(self.frame)
        lay = QVBoxLayout(self.frame)
        self.minus = touch_button()
        self.plus = touch_button()
        # The method's picture before its name, as on the technologies tiles (hidden without one).
        self.icon = IconLabel()
        self.icon.hide()
        head = QHBoxLayout()
        self.name = label("heading")
        head.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.name, 1)
        lay.addLayout(head)
        row = QHBoxLayout()
        self.row = row
        # The amount big and, under it, the most the literature calls sustainable, between − and +.
        self.value = label("value", align=Qt.AlignmentFlag.AlignCenter)
        self.value.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.minus)
        row.addWidget(self.value, 1)
        row.addWidget(self.plus)
        lay.addLayout(row)
        # Portrait cards are narrow: the limit goes on its own line under the buttons instead.
        self.limit_below = label("small", align=Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.limit_below)
        self.limit_html = "{limit}"
        self.portrait = False

    def apply(self, ctx: ScreenContext, colour: str) -> None:
        m = ctx.margin
        size = ctx.look.px(STEPPER_PX)
        for btn, text, name in ((self.minus, "−", "decrease"), (self.plus, "+", "increase")):
            btn.setText(text)
            btn.setFixedSize(size, size)
            btn.setStyleSheet(f"font-size: {ctx.look.px(56)}px; padding: 0;")
            btn.setAccessibleName(f"{ctx.tr(getattr(self.words, name))} {ctx.tr(self.method.name)}")
        self.frame.layout().setContentsMargins(m // 3, m // 6, m // 4, m // 6)
        self.frame.layout().setSpacing(m // 8)
        self.row.setSpacing(m // 4)
        # The card's left edge in the colour of its storage, as on the goal bar.
        self.frame.setStyleSheet(
            f'QFrame[role="card"] {{ border-left: {ctx.look.px(10)}px solid {colour}; }}'
        )
        self.name.setText(ctx.tr(self.method.name))
        look = ctx.look
        # The picture only where a card has the width for it (portrait cards are narrow and tall).
        self.icon.show_icon(None if look.portrait else self.method.icon, look.text_px(30), look.color("technology"))
        # Narrow cards (portrait) and larger text: the limit on its own line under the buttons.
        self.portrait = look.portrait or look.text_factor > 1
        self.limit_below.setVisible(self.portrait)
        self.limit_html = (
            f'<br><span style="font-size:{look.text_px(SMALL_PX)}px; font-weight:normal; color:{look.palette.muted}">'
            "{limit}</span>"
        )

    def show_amount(self, ctx: ScreenContext, amount: float, top: float, words) -> None:
        high = self.method.sustainable_gt.range.root[1]  # type: ignore[union-attr]
        limit = ctx.tr(words.sustainable).replace("{high}", format_gt(high, ctx.lang))
        self.amount_text = f"{format_gt(amount, ctx.lang)} {ctx.tr(words.unit)}"
        if self.portrait:
            self.value.setText(escape(self.amount_text))
            self.limit_below.setText(limit)
        else:
            self.value.setText(escape(self.amount_text) + self.limit_html.replace("{limit}", escape(limit)))
        self.minus.setEnabled(amount > 0)
        self.plus.setEnabled(amount < top - 1e-9)
        # The stepper's state for a screen reader and spoken mode: the focus on + or − says the
        # amount and the limit ("More Forests, button. 0.5 Gt a year, sustainable: up to 3.6").
        state = f"{self.amount_text}, {limit}"
        for btn in (self.minus, self.plus):
            btn.setAccessibleDescription(state)


def unbroken(html_text: str) -> str:
    """Qt's rich-text layout breaks a line at a narrow no-break space ("10 000" in French went
    "10 / 000 ans"): the words holding one are kept whole."""
    return re.sub("(\\S*\u202f\\S*)", r'<span style="white-space:nowrap">\1</span>', html_text)


class OutputCard(QWidget):
    """One live output: heading, the range in big type, a line that explains it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.frame = card(self)
        outer.addWidget(self.frame)
        lay = QVBoxLayout(self.frame)
        # "Land  200–600 million hectares" on one line: the heading small and muted, the range big.
        # Rich text at body size: a per-label style sheet set while the screen is hidden (a
        # language change on another screen) left Qt measuring the old font, squeezing the card.
        self.value = label("body")
        self.value.setTextFormat(Qt.TextFormat.RichText)
        self.detail = label("body")
        lay.addWidget(self.value)
        lay.addWidget(self.detail)
        lay.addStretch(1)
        self.heading_html = ""
        self.value_html = "{value}"

    def apply(self, ctx: ScreenContext) -> None:
        m = ctx.margin
        self.frame.layout().setContentsMargins(m // 2, m // 5, m // 2, m // 5)
        self.frame.layout().setSpacing(0)
        look = ctx.look
        self.value_html = f'<span style="font-weight:bold; color:{look.palette.accent}">{{value}}</span>'
        self.heading_html = (
            f'<span style="font-size:{look.text_px(SMALL_PX)}px; font-weight:normal; color:{look.palette.muted}">'
            "{heading}</span>&nbsp; "
        )

    def show_texts(self, heading: str, value: str, detail: str, swatches: list[str] | None = None) -> None:
        """`swatches`: a colour per line (value first), drawn as a square before it: the legend of
        the goal bar's colours (how long each method keeps its carbon)."""
        def square(colour: str) -> str:
            return f'<span style="color:{colour}">\u25a0</span> '

        lines = detail.split("\n") if detail else []
        if swatches:
            value_html = square(swatches[0]) + unbroken(escape(value))
            self.detail.setTextFormat(Qt.TextFormat.RichText)
            detail_html = "<br>".join(square(c) + unbroken(escape(t)) for c, t in zip(swatches[1:], lines))
            self.detail.setText(detail_html)
        else:
            value_html = unbroken(escape(value))
            self.detail.setTextFormat(Qt.TextFormat.PlainText)
            self.detail.setText(detail)
        self.value.setText(
            self.heading_html.replace("{heading}", escape(heading)) + self.value_html.replace("{value}", value_html)
        )
        self.detail.setVisible(bool(detail))


class Pages:
    """Two pages in one box layout, one shown at a time (QStackedLayout's API).

    A QStackedLayout ignores its pages' height-for-width, so wrapped text in a page that is
    taller than the window (larger text) was squeezed instead of scrolling; a box layout with the
    other page hidden asks for the real height.
    """

    def __init__(self, parent: QWidget) -> None:
        self.layout = QVBoxLayout(parent)
        self.layout.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current = 0

    def addWidget(self, page: QWidget) -> None:  # noqa: N802 (QStackedLayout's name)
        self.layout.addWidget(page)
        self._pages.append(page)
        page.setVisible(len(self._pages) - 1 == self._current)

    def widget(self, index: int) -> QWidget:
        return self._pages[index]

    def currentIndex(self) -> int:  # noqa: N802
        return self._current

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802
        self._current = index
        for i, page in enumerate(self._pages):
            page.setVisible(i == index)
