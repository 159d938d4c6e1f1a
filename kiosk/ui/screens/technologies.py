"""Removal technologies: a grid of methods, and a detail page for each one."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QStackedLayout, QVBoxLayout, QWidget

from kiosk.content.model import Figure, Method, TechnologiesScreen
from kiosk.content.numbers import localize_number
from kiosk.narration import phrase
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.widgets.common import FigureCard, card, label, touch_button
from kiosk.ui.widgets.flow_view import FlowView
from kiosk.ui.widgets.glossary import show_text
from kiosk.ui.widgets.icons import STAT_ICONS, IconLabel
from kiosk.ui.widgets.layout import empty_layout, fill_grid, fill_leftover_space, set_direction
from kiosk.ui.theme import LEAD_PX, STAT_PX
from kiosk.ui.widgets.tile import Tile

STAT_FIELDS = ("cost", "potential", "permanence", "readiness")


class StatCard(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.frame = card(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.frame)
        lay = QVBoxLayout(self.frame)
        self.heading = label("small")
        self.icon = IconLabel()
        self.value = label("body")  # the number big, its unit beside it (one line saved per card)
        # What the number means ("Readiness: 1 = idea, 9 = in everyday use"): a bare "6 of 9"
        # tells a visitor nothing.
        self.meaning = label("small")
        lay.addWidget(self.heading)
        self.value_row = QHBoxLayout()
        self.value_row.addWidget(self.icon)
        self.value_row.addWidget(self.value, 1)
        lay.addLayout(self.value_row)
        lay.addWidget(self.meaning)
        lay.addStretch(1)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        # A grid row sized from another language's text can end up a few pixels short for this
        # one (big number and unit wrapping in one rich-text label): pin the height it needs.
        need = self.value.heightForWidth(self.value.width())
        if need > 0 and self.value.minimumHeight() != need:
            self.value.setMinimumHeight(need)

    def show_figure(
        self, heading: str, figure: Figure, ctx: ScreenContext, icon: str | None = None, tight: bool = False
    ) -> None:
        m = ctx.margin
        self.icon.show_icon(figure.icon or icon, ctx.look.text_px(40 if tight else 52), ctx.look.color("accent"))
        self.value_row.setSpacing(m // 4)
        pad = m // 4 if tight else m // 3
        self.frame.layout().setContentsMargins(m // 2 if not tight else m // 3, pad, m // 2 if not tight else m // 3, pad)
        self.frame.layout().setSpacing(m // 10 if tight else m // 6)
        self.heading.setText(heading)
        size = ctx.look.text_px(STAT_PX)
        colour = ctx.look.palette.accent
        value = escape(localize_number(figure.value, ctx.lang))
        self.value.setTextFormat(Qt.TextFormat.RichText)
        self.value.setText(
            f'<span style="font-size:{size}px; font-weight:bold; color:{colour}">{value}</span>&nbsp;{escape(ctx.tr(figure.unit))}'
        )
        show_text(self.meaning, ctx.tr(figure.label), ctx)
        if self.value.width() > 1:
            self.value.setMinimumHeight(self.value.heightForWidth(self.value.width()))
        spoken = f"{localize_number(figure.value, ctx.lang)} {ctx.tr(figure.unit)}".strip()
        self.setAccessibleName(phrase("figure", ctx.lang, label=heading, value=spoken))  # one sentence


class MethodDetail(QWidget):
    """One method: its four numbers, how it works (with a small flow), risks and a real project."""

    def __init__(self, ctx: ScreenContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        self.head = head = QHBoxLayout()
        self.icon = IconLabel()
        self.title = label("title")
        self.close = touch_button("primary")
        head.addWidget(self.icon)
        head.addWidget(self.title, 1)
        head.addWidget(self.close)
        outer.addLayout(head)
        self.grid = QGridLayout()
        self.stats = [StatCard() for _ in STAT_FIELDS]
        outer.addLayout(self.grid)
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        outer.addLayout(self.row, 1)
        left = QVBoxLayout()
        # The tile already gave the one-line summary: the detail goes on from there.
        # Text on one side, the cross-section (air -> machine -> deep rock) as large as the rest.
        self.how = label("body")
        self.risks = label("body")
        self.project = label("body")
        left.addWidget(self.how)
        left.addWidget(self.risks)
        left.addWidget(self.project)
        left.addStretch(1)
        self.left = left
        self.row.addLayout(left, 1)
        self.flow_slot = QVBoxLayout()
        self.row.addLayout(self.flow_slot, 1)
        self.source = label("source")
        outer.addWidget(self.source)
        self.flow: FlowView | None = None
        self._flows: dict[str, FlowView] = {}
        self.method: Method | None = None

    # Tighter layouts for methods whose texts and numbers need more room (see ScreenWidget.compact):
    # the diagram's least height (portrait, landscape) and the text column's share beside it.
    DIAGRAM_MIN = ((640, 300), (420, 240), (300, 200), (240, 160))
    TEXT_SHARE = (1, 3, 3, 3)  # against the diagram's 1, 2, 2, 2 (narrower, its labels crowd)

    def show_method(self, method: Method, ctx: ScreenContext, compact: int = 0) -> None:
        self.ctx = ctx
        compact = min(compact, len(self.DIAGRAM_MIN) - 1)
        if self.method is not method:
            self.method = method
            if self.flow is not None:
                self.flow.hide()
            # One view per method, kept: reopening is instant and memory stays bounded.
            self.flow = self._flows.get(method.id)
            if self.flow is None and method.diagram is not None:
                self.flow = fill_leftover_space(FlowView(method.diagram, ctx.clock, ctx.look.palette, ctx.lang))
                self.flow.release_when_hidden = True  # seven details: only the open one keeps its picture
                self.flow_slot.addWidget(self.flow)
                self._flows[method.id] = self.flow
            if self.flow is not None:
                self.flow.show()
        m = ctx.margin
        tight = compact >= 2
        self.layout().setContentsMargins(0, 0, 0, 0)
        self.layout().setSpacing(m // 3 if compact else m // 2)
        self.row.setSpacing(m // 2 if compact else m)
        self.left.setSpacing(m // 3 if compact else m // 2)
        self.grid.setSpacing(m // 4 if tight else m // 3)
        set_direction(self.row, ctx.look.portrait)
        share = self.TEXT_SHARE[compact]
        self.row.setStretch(0, 0 if ctx.look.portrait else share)
        self.row.setStretch(1, 1 if share == 1 or ctx.look.portrait else share - 1)
        self.head.setSpacing(m // 2)
        self.icon.show_icon(method.icon, ctx.look.text_px(64), ctx.look.color("technology"))
        fill_grid(self.grid, self.stats, 2 if ctx.look.portrait else 4)
        self.title.setText(ctx.tr(method.name))
        # Tightest: a long name (German BECCS takes two title lines) at heading size.
        self.title.setStyleSheet(f"font-size: {ctx.look.text_px(LEAD_PX)}px;" if compact >= 3 else "")
        self.close.setText(ctx.ui("close"))
        show_text(self.how, ctx.tr(method.how), ctx)
        for card_, name in zip(self.stats, STAT_FIELDS):
            card_.show_figure(ctx.ui(name), getattr(method, name), ctx, STAT_ICONS[name], tight)
        show_text(self.risks, ctx.labelled("risks", ctx.tr(method.risks)), ctx)
        name = method.project.name.strip(" —-")
        text = ctx.tr(method.project.text)
        show_text(self.project, ctx.labelled("example", f"{name}. {text}" if name else text), ctx)
        figures = [getattr(method, n) for n in STAT_FIELDS]
        self.source.setText(ctx.sources_line([*(f.source for f in figures), method.project.source]))
        if self.flow is not None:
            portrait_min, landscape_min = self.DIAGRAM_MIN[compact]
            ctx.show_flow(self.flow, 30, min_height_px=portrait_min if ctx.look.portrait else landscape_min, legend=False)
        # New texts, new heights: every layout on the way up is asked again (a layout's cache is
        # kept until invalidated, and invalidating a parent does not reach its children).
        for card_ in self.stats:
            card_.layout().invalidate()
        self.grid.invalidate()
        self.layout().invalidate()


def spread_grid(grid: QGridLayout, widgets: list, columns: int) -> None:
    """Rows of `columns` widgets; a shorter last row shares the full width, leaving no hole."""
    empty_layout(grid)
    span_unit = 12  # divisible by 1, 2, 3 and 4 columns
    for i, w in enumerate(widgets):
        row, col = divmod(i, columns)
        in_row = min(columns, len(widgets) - row * columns)
        span = span_unit // in_row
        grid.addWidget(w, row, col * span, 1, span)
    for c in range(span_unit):
        grid.setColumnStretch(c, 1)


class TechnologiesScreenWidget(ScreenWidget):
    model: TechnologiesScreen
    compact_levels = len(MethodDetail.DIAGRAM_MIN) - 1  # the open method's detail; the grid's gaps from level 1

    def __init__(self, model: TechnologiesScreen, ctx: ScreenContext, parent=None) -> None:
        super().__init__(model, ctx, parent)
        self.pages = QStackedLayout(self)
        grid_page = QWidget()
        outer = QVBoxLayout(grid_page)
        # Title and lead, with the screen's own numbers (removal today) beside them.
        self.head_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        heading = QVBoxLayout()
        self.add_heading(heading)
        heading.addStretch(1)
        self.head_row.addLayout(heading, 3)
        outer.addLayout(self.head_row)
        self.grid = QGridLayout()
        outer.addLayout(self.grid, 1)
        self.tiles: list[Tile] = []
        for method in model.methods:
            tile = Tile()
            tile.clicked.connect(lambda m=method: self.open_method(m.id))
            self.tiles.append(tile)
        self.figure_cards = [FigureCard(f, show_source=False, value_scale=0.7) for f in model.figures]
        for c in self.figure_cards:
            c.caption.setProperty("role", "small")
        self.figures_box = QHBoxLayout()
        for c in self.figure_cards:
            self.figures_box.addWidget(c, 1)
        self.head_row.addLayout(self.figures_box, 2 if self.figure_cards else 0)
        self.sources = label("source")
        outer.addWidget(self.sources)
        self.pages.addWidget(grid_page)
        self.detail = MethodDetail(ctx)
        self.detail.close.clicked.connect(self.close_method)
        self.pages.addWidget(self.detail)
        self.apply(ctx)

    # The screen is as tall as the page it shows. QStackedLayout sizes for every page, and gives
    # the detail page (a diagram with no height of its own) a height the scroll area then grew
    # the screen to: the detail scrolled, with a diagram taller than the window.
    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        page = self.pages.currentWidget()
        return page.heightForWidth(width) if page is not None else super().heightForWidth(width)

    def minimumSizeHint(self):  # noqa: N802
        page = self.pages.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()

    def sizeHint(self):  # noqa: N802
        page = self.pages.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    @property
    def open_method_id(self) -> str | None:
        if self.pages.currentWidget() is self.detail and self.detail.method is not None:
            return self.detail.method.id
        return None

    def apply(self, ctx: ScreenContext) -> None:
        super().apply(ctx)
        m, look = ctx.margin, ctx.look
        self.show_heading(ctx, self.pages.widget(0).layout())
        self.head_row.setSpacing(m)
        set_direction(self.head_row, look.portrait)
        # Tightest layout: the footer a few pixels nearer the bar, rather than a scroll bar for them.
        self.detail.setContentsMargins(m, m // 2, m, m // 4 if self.compact >= 3 else m // 2)
        # The grid page's tighter layout (French summaries are the longest): smaller gaps.
        gap = m // 3 if self.compact else m // 2
        self.grid.setSpacing(gap)
        for tile, method in zip(self.tiles, self.model.methods):
            tile.layout().setContentsMargins(gap, gap, gap, gap)
            tile.layout().setSpacing(m // 4)
            tile.head.setSpacing(m // 3)
            tile.icon.show_icon(method.icon, look.px(60), look.color("technology"))
            tile.heading.setText(ctx.tr(method.short) or ctx.tr(method.name))
            tile.text.setText(ctx.tr(method.summary))
            tile.setAccessibleName(tile.heading.text())
            tile.setAccessibleDescription(tile.text.text())
        columns = 2 if look.portrait else 4
        for c in self.figure_cards:
            c.apply(ctx, m // 3, m // 10)
        self.figures_box.setSpacing(m // 3)
        spread_grid(self.grid, self.tiles, columns)
        sources = [*self.model.sources, *(f.source for f in self.model.figures)]
        self.sources.setText(ctx.sources_line(sources))
        self.sources.setVisible(bool(sources))
        if self.detail.method is not None:
            self.detail.show_method(self.detail.method, ctx, self.compact)

    def open_method(self, method_id: str) -> None:
        method = next(m for m in self.model.methods if m.id == method_id)
        self.compact = 0  # each method's texts: the roomiest layout that fits
        self.detail.show_method(method, self.ctx, self.compact)
        self.pages.setCurrentWidget(self.detail)
        self.updateGeometry()
        self.interaction.emit(f"method:{method_id}")

    def close_method(self) -> None:
        self.pages.setCurrentIndex(0)
        self.updateGeometry()

    def back(self) -> bool:
        if self.open_method_id is not None:
            self.close_method()
            return True
        return False

    def narration_state(self) -> dict:
        return {"method": self.open_method_id}

    def reset(self) -> None:
        self.close_method()

    def render_variants(self) -> list[tuple[str, object]]:
        return [(m.id, m.id) for m in self.model.methods]

    def show_variant(self, key: object) -> None:
        self.open_method(str(key))
