"""Removal technologies: a grid of methods, and a detail page for each one."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QStackedLayout, QVBoxLayout, QWidget

from kiosk.content.model import Figure, Method, TechnologiesScreen
from kiosk.content.numbers import localize_number
from kiosk.narration import phrase
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.widgets.common import card, label, touch_button
from kiosk.ui.widgets.flow_view import FlowView
from kiosk.ui.widgets.glossary import show_text
from kiosk.ui.widgets.layout import fill_grid, fill_leftover_space, set_direction
from kiosk.ui.theme import STAT_PX
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
        self.value = label("body")  # the number big, its unit beside it (one line saved per card)
        # What the number means ("Readiness: 1 = idea, 9 = in everyday use"): a bare "6 of 9"
        # tells a visitor nothing.
        self.meaning = label("small")
        lay.addWidget(self.heading)
        lay.addWidget(self.value)
        lay.addWidget(self.meaning)
        lay.addStretch(1)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        # A grid row sized from another language's text can end up a few pixels short for this
        # one (big number and unit wrapping in one rich-text label): pin the height it needs.
        need = self.value.heightForWidth(self.value.width())
        if need > 0 and self.value.minimumHeight() != need:
            self.value.setMinimumHeight(need)

    def show_figure(self, heading: str, figure: Figure, ctx: ScreenContext) -> None:
        m = ctx.margin
        self.frame.layout().setContentsMargins(m // 2, m // 3, m // 2, m // 3)
        self.frame.layout().setSpacing(m // 6)
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
        head = QHBoxLayout()
        self.title = label("title")
        self.close = touch_button("primary")
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
        self.how = label("body")
        self.risks = label("body")
        self.project = label("body")
        left.addWidget(self.how)
        left.addWidget(self.risks)
        left.addStretch(1)
        self.row.addLayout(left, 1)
        right = QVBoxLayout()
        self.flow_slot = QVBoxLayout()
        right.addLayout(self.flow_slot, 1)
        right.addWidget(self.project)
        self.row.addLayout(right, 1)
        self.source = label("source")
        outer.addWidget(self.source)
        self.flow: FlowView | None = None
        self._flows: dict[str, FlowView] = {}
        self.method: Method | None = None

    def show_method(self, method: Method, ctx: ScreenContext) -> None:
        self.ctx = ctx
        if self.method is not method:
            self.method = method
            if self.flow is not None:
                self.flow.hide()
            # One view per method, kept: reopening is instant and memory stays bounded.
            self.flow = self._flows.get(method.id)
            if self.flow is None and method.diagram is not None:
                self.flow = fill_leftover_space(FlowView(method.diagram, ctx.clock, ctx.look.palette, ctx.lang))
                self.flow_slot.addWidget(self.flow)
                self._flows[method.id] = self.flow
            if self.flow is not None:
                self.flow.show()
        m = ctx.margin
        self.layout().setContentsMargins(0, 0, 0, 0)
        self.layout().setSpacing(m // 2)
        self.row.setSpacing(m)
        self.grid.setSpacing(m // 3)
        set_direction(self.row, ctx.look.portrait)
        fill_grid(self.grid, self.stats, 2 if ctx.look.portrait else 4)
        self.title.setText(ctx.tr(method.name))
        self.close.setText(ctx.ui("close"))
        show_text(self.how, ctx.tr(method.how), ctx)
        for card_, name in zip(self.stats, STAT_FIELDS):
            card_.show_figure(ctx.ui(name), getattr(method, name), ctx)
        show_text(self.risks, ctx.labelled("risks", ctx.tr(method.risks)), ctx)
        name = method.project.name.strip(" —-")
        text = ctx.tr(method.project.text)
        show_text(self.project, ctx.labelled("example", f"{name}. {text}" if name else text), ctx)
        figures = [getattr(method, n) for n in STAT_FIELDS]
        self.source.setText(ctx.sources_line([*(f.source for f in figures), method.project.source]))
        if self.flow is not None:
            ctx.show_flow(self.flow, 24, min_height_px=150, legend=False)  # a small picture: smaller labels
        # New texts, new heights: every layout on the way up is asked again (a layout's cache is
        # kept until invalidated, and invalidating a parent does not reach its children).
        for card_ in self.stats:
            card_.layout().invalidate()
        self.grid.invalidate()
        self.layout().invalidate()


class TechnologiesScreenWidget(ScreenWidget):
    model: TechnologiesScreen

    def __init__(self, model: TechnologiesScreen, ctx: ScreenContext, parent=None) -> None:
        super().__init__(model, ctx, parent)
        self.pages = QStackedLayout(self)
        grid_page = QWidget()
        outer = QVBoxLayout(grid_page)
        self.add_heading(outer)
        self.grid = QGridLayout()
        outer.addLayout(self.grid, 1)
        self.tiles: list[Tile] = []
        for method in model.methods:
            tile = Tile()
            tile.clicked.connect(lambda m=method: self.open_method(m.id))
            self.tiles.append(tile)
        self.pages.addWidget(grid_page)
        self.detail = MethodDetail(ctx)
        self.detail.close.clicked.connect(self.close_method)
        self.pages.addWidget(self.detail)
        self.apply(ctx)

    @property
    def open_method_id(self) -> str | None:
        if self.pages.currentWidget() is self.detail and self.detail.method is not None:
            return self.detail.method.id
        return None

    def apply(self, ctx: ScreenContext) -> None:
        super().apply(ctx)
        m, look = ctx.margin, ctx.look
        self.show_heading(ctx, self.pages.widget(0).layout())
        self.detail.setContentsMargins(m, m // 2, m, m // 2)
        self.grid.setSpacing(m // 2)
        for tile, method in zip(self.tiles, self.model.methods):
            tile.layout().setContentsMargins(m // 2, m // 2, m // 2, m // 2)
            tile.heading.setText(ctx.tr(method.short) or ctx.tr(method.name))
            tile.text.setText(ctx.tr(method.summary))
            tile.setAccessibleName(tile.heading.text())
            tile.setAccessibleDescription(tile.text.text())
        columns = 2 if look.portrait else 4
        fill_grid(self.grid, self.tiles, columns)
        if self.detail.method is not None:
            self.detail.show_method(self.detail.method, ctx)

    def open_method(self, method_id: str) -> None:
        method = next(m for m in self.model.methods if m.id == method_id)
        self.detail.show_method(method, self.ctx)
        self.pages.setCurrentWidget(self.detail)
        self.interaction.emit(f"method:{method_id}")

    def close_method(self) -> None:
        self.pages.setCurrentIndex(0)

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
