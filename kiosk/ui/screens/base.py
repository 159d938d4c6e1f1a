"""What every screen shares: its content model, the context it draws in, its life cycle."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QScrollArea, QWidget

from kiosk.content.model import Exhibition, Text
from kiosk.ui.clock import AnimationClock
from kiosk.ui.theme import MARGIN_PX, Look
from kiosk.ui.widgets.common import label
from kiosk.ui.widgets.glossary import open_card, show_text


@dataclass(frozen=True)
class ScreenContext:
    exhibition: Exhibition
    base_dir: Path  # the folder content.yaml lives in; asset paths are relative to it
    clock: AnimationClock
    lang: str
    look: Look
    # The visit analytics (kiosk.analytics.Analytics or NullAnalytics), for screens that show
    # what today's visitors answered or chose; None in renders and tests that do not need it.
    analytics: object | None = None

    def tr(self, text: Text | None) -> str:
        if text is None:
            return ""
        return text.get(self.lang, self.exhibition.languages.default)

    def ui(self, name: str) -> str:
        return self.tr(getattr(self.exhibition.ui, name))

    @property
    def source_prefix(self) -> str:
        return self.ui("source")

    def labelled(self, ui_name: str, text: str) -> str:
        """"Risks: text", with the space French typography puts before a colon."""
        colon = "\u202f:" if self.lang.split("-")[0] == "fr" else ":"
        return f"{self.ui(ui_name)}{colon} {text}"

    def show_flow(self, flow, label_px: int, min_height_px: int | None = None, legend: bool = True) -> None:
        """Give a FlowView this context's language, colours, label size, motion and dot legend."""
        flow.set_language(self.lang)
        flow.set_palette(self.look.palette)
        flow.set_label_font(self.look.font(label_px, bold=True))
        flow.set_legend_template(self.ui("each_dot") if legend else None)
        flow.set_rate_template(self.ui("rate_label") or None)
        flow.set_reduced_motion(self.look.reduced_motion)
        if min_height_px is not None:
            flow.setMinimumHeight(self.look.px(min_height_px))

    def sources_line(self, sources) -> str:
        """"Source: a; b" for a screen's footer, each source once however often it is cited."""
        parts: list[str] = []
        for source in sources:
            for part in (source or "").split(";"):
                part = part.strip()
                if part and part not in parts:
                    parts.append(part)
        return f"{self.source_prefix} {'; '.join(parts)}" if parts else ""

    @property
    def margin(self) -> int:
        return self.look.px(MARGIN_PX)


class ScreenWidget(QWidget):
    """A page of the walk-through. Subclasses build widgets once and fill them in `apply`."""

    # A screen asks the shell to go on (e.g. the attract loop was touched).
    advance_requested = Signal()
    # A visitor did something worth recording (name of the interaction).
    interaction = Signal(str)

    def __init__(self, model, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.model = model
        self.ctx = ctx
        # How tight the layout is (0: roomiest). A screen whose text, pictures and sources footer do
        # not fit the window steps to its next tighter layout (smaller inline icons, shorter
        # diagrams) instead of scrolling its sources out of sight; see `fit_window`.
        self.compact = 0

    # How many tighter layouts a screen has; it reads `self.compact` in `apply`.
    compact_levels = 0

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self.fit_window()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self.fit_window()

    def fit_window(self) -> None:
        """Inside the shell's scroll area, the screen grows past the window only when it does not
        fit: then take the next tighter layout (the area resizes it again, until it fits or the
        tightest layout is reached; with larger text it may then scroll, by design)."""
        viewport = self.parentWidget()
        if viewport is None or not isinstance(viewport.parentWidget(), QScrollArea) or not self.isVisible():
            return  # hidden, its labels are not laid out yet and would measure wrong
        if self.height() <= viewport.height() or self.compact >= self.compact_levels:
            return
        if self.ctx.look.text_factor > 1:
            return  # larger text scrolls by design; tighter diagrams would crowd its bigger labels
        # Right after a change the height can be a passing one (wrapped labels still measured at
        # an old width): measure again with this width before giving up room.
        while self.compact < self.compact_levels and self._needed_height() > viewport.height():
            self.compact += 1
            self.apply(self.ctx)

    def _needed_height(self) -> int:
        layout = self.layout()
        if layout is None:
            return 0
        for _ in range(2):  # pass 1 gives the wrapped labels their widths, pass 2 their heights
            layout.invalidate()
            layout.activate()
        need = self.minimumSizeHint().height()
        if self.hasHeightForWidth():
            need = max(need, self.heightForWidth(self.width()))
        return need

    @property
    def screen_id(self) -> str:
        return self.model.id

    def apply(self, ctx: ScreenContext) -> None:
        """Show the content in ctx's language and look. Called on every language or look change."""
        if ctx is not self.ctx:
            self.compact = 0  # new text or size: try the roomiest layout first
        self.ctx = ctx
        card = open_card(self.window()) if self.window() is not self else None
        if card is not None:
            card.close_card()  # its explanation is in the language that was just left

    def add_heading(self, layout: QBoxLayout) -> None:
        """The screen's title and lead paragraph, at the top of `layout`."""
        self.title = label("title")
        self.lead = label("lead")
        layout.addWidget(self.title)
        layout.addWidget(self.lead)

    def show_heading(self, ctx: ScreenContext, layout: QBoxLayout) -> None:
        """The page's margins, and its title and lead in ctx's language."""
        m = ctx.margin
        layout.setContentsMargins(m, m // 2, m, m // 2)
        layout.setSpacing(m // 2)
        show_text(self.title, ctx.tr(self.model.title), ctx)
        show_text(self.lead, ctx.tr(self.model.lead), ctx)

    def narration_state(self) -> dict:
        """What spoken mode needs to know of the screen's state (step, open detail ...)."""
        return {}

    def narration_lines(self) -> list[str]:
        """Sentences about the screen's live state, said after its content text (e.g. an
        interactive screen's current result, with units as shown). After a keypad activation,
        the lines that changed are said again."""
        return []

    def entered(self) -> None:
        """The screen became the one visitors see."""

    def left(self) -> None:
        """The screen is no longer shown: stop anything that costs CPU."""

    def reset(self) -> None:
        """Back to the state a new visitor should find (closed details, first step)."""

    def back(self) -> bool:
        """Handle the Back button inside the screen (e.g. close a detail); True if handled."""
        return False

    def render_variants(self) -> list[tuple[str, object]]:
        """Extra states to render for proofing (e.g. each technology's detail), as (name, key)."""
        return []

    def show_variant(self, key: object) -> None:
        """Show one of `render_variants`."""
