"""The animated flow diagram: CO2 as glowing particles streaming between labelled nodes.

All particles are drawn in ONE `QPainter.drawPixmapFragments` call per frame, fed from a
preallocated numpy array of fragments (the layout pyqtgraph's ScatterPlotItem uses: x, y,
sourceLeft, sourceTop, width, height, scaleX, scaleY, rotation, opacity) and an atlas of
pre-rendered translucent sprites, one per colour class. Everything that does not move (background,
link guides, node discs, labels, legend) is rendered once into pixmaps and rebuilt only when the
size, language, palette, font, step or reversal state changes. Nothing is created per frame.

The view subscribes to the shared AnimationClock while shown, and never in reduced-motion mode:
then it draws still arrows whose width is proportional to the flow (a Sankey-like picture).
"""

from __future__ import annotations

import math

import numpy as np
import shiboken6
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QRadialGradient,
    QRegion,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.content.model import FlowDiagram, Palette
from kiosk.content.numbers import format_number
from kiosk.flow.sim import COLOUR_CLASSES, KINDS, FlowSim
from kiosk.content.scenes import placed
from kiosk.ui.clock import AnimationClock, ClockDriven
from kiosk.ui.widgets.icons import KIND_ICONS, icon_image
from kiosk.ui.widgets.scene import paint_scene

ALPHA_LEVELS = 6  # fade steps baked into the atlas: per-fragment opacity takes a slower blend path
FRAGMENT_FIELDS = 10  # x, y, sourceLeft, sourceTop, width, height, scaleX, scaleY, rotation, opacity
DECIMAL_COMMA = {"de", "fr", "es", "it", "nl", "pt", "sv", "da", "fi", "nb", "nn", "no", "pl", "cs", "ru", "tr"}


def format_gt(value: float, lang: str) -> str:
    text = f"{value:g}"
    if lang.split("-")[0] in DECIMAL_COMMA:
        text = text.replace(".", ",")
    return text


def format_rate(value: float, lang: str) -> str:
    """A flow rate as written in content.yaml, in `lang`'s marks: 38.1 -> "38,1" in German."""
    digits = f"{value:.6f}".rstrip("0").split(".")[1] if "." in f"{value:.6f}".rstrip("0") else ""
    return format_number(value, lang, decimals=len(digits))


# A stream is labelled with its rate only when it carries at least this share of the diagram's
# largest flow: thinner streams are too narrow to read a label against (a link with its own
# `label:` is always labelled: the content asks for it).
LABEL_MIN_SHARE = 0.02


def kind_colour(palette: Palette, colour_class: str) -> QColor:
    return QColor(getattr(palette, colour_class))


class FlowView(ClockDriven, QWidget):
    def __init__(
        self,
        diagram: FlowDiagram,
        clock: AnimationClock,
        palette: Palette,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # A cross-section scene puts the nodes at their depth (air above, stores in rock).
        diagram = placed(diagram)
        self.diagram = diagram
        self._clock = clock
        self._palette = palette
        self._lang = lang
        self._label_font: QFont | None = None
        self._legend_template: str | None = None
        self._rate_template: str | None = None
        self._link_labels: dict[int, tuple[str, QRectF]] = {}
        self._reduced = False
        self._subscribed = False
        size = self.size()
        # Prewarmed lazily, at the size the view is first drawn at (see _ensure_warm).
        self.sim = FlowSim(diagram, (max(size.width(), 1), max(size.height(), 1)), prewarm=False)
        self._warm = False
        self._sprite_left = np.zeros(len(COLOUR_CLASSES), dtype=np.float64)
        self._sprite_top = np.zeros(ALPHA_LEVELS, dtype=np.float64)
        self._cell = 1  # sprite cell in device pixels
        self._centre_shift = 0.0
        self._dpr = 1.0  # device pixel ratio of what we paint on (HiDPI screens: 1.25, 1.5, 2)
        self._lut_x = np.zeros(2 * len(COLOUR_CLASSES))
        self._lut_y = np.zeros(2 * ALPHA_LEVELS)
        self._grow_fragments(0)
        self._atlas: QPixmap | None = None
        self._background: QImage | None = None
        self._base: QImage | None = None
        self._rm_reversals: set[str] = set()
        self._foreground: list[tuple[QPointF, QPixmap]] = []
        self._foreground_nodes: list[str | None] = []  # node id of each foreground pixmap (None: legend)
        self._shown: set[str] = set()
        self._shown_for_step: int | None = None
        self._static_key: tuple | None = None  # inputs of the cached layers (atlas, base, bg, fg)
        self._changes = 0  # bumped by every setter, so a frame can skip comparing all inputs
        self._quick_key: tuple | None = None
        self._active_reversals: tuple[bool, ...] = ()
        self._band_region = QRegion()
        self._band_region_key: tuple | None = None
        self._rm_timer = QTimer(self)
        self._rm_timer.setSingleShot(True)
        self._rm_timer.timeout.connect(self._end_still_reversals)
        self._describe()

    # -- public API used by the screens --------------------------------------------------------
    def set_language(self, lang: str) -> None:
        if lang != self._lang:
            self._lang = lang
            self._invalidate()

    @property
    def language(self) -> str:
        return self._lang

    def set_palette(self, palette: Palette) -> None:
        if palette != self._palette:
            self._palette = palette
            self._invalidate()

    def set_label_font(self, font: QFont) -> None:
        self._label_font = QFont(font)
        self._update_reserve()
        self._invalidate()

    def set_legend_template(self, template: str | None) -> None:
        """Draw the legend ("Each dot = {value} GtCO2 a year") in the view itself; None: don't."""
        self._legend_template = template
        self._update_reserve()
        self._invalidate()

    def set_rate_template(self, template: str | None) -> None:
        """Label streams without a `label:` of their own with their rate, e.g. "{value} Gt a year"."""
        if template != self._rate_template:
            self._rate_template = template
            self._invalidate()

    def link_label_text(self, index: int) -> str | None:
        """What stream `index` is labelled with in this language, or None when it has no label."""
        link = self.diagram.links[index]
        if link.label is not None:
            return link.label.get(self._lang)
        if not self._rate_template:
            return None
        top = max((lk.rate for lk in self.diagram.links), default=0.0)
        if top <= 0 or link.rate < LABEL_MIN_SHARE * top:
            return None
        # The same stream passing on through a node (plants -> kiln -> soil) is labelled once.
        if any(lk.to == link.from_ and lk.rate == link.rate for lk in self.diagram.links):
            return None
        return self._rate_template.replace("{value}", format_rate(link.rate, self._lang))

    def link_labels(self) -> dict[int, tuple[str, QRectF]]:
        """The stream labels a visitor sees now: link index -> (text, plate rectangle)."""
        self._sync_size()
        self._ensure_static()
        step = self.sim.current_step
        return {i: v for i, v in self._link_labels.items() if self.diagram.links[i].step <= step}

    def legend_text(self, template: str) -> str:
        return template.replace("{value}", format_gt(self.diagram.dot_value_gt, self._lang))

    def set_reduced_motion(self, on: bool) -> None:
        if on == self._reduced:
            return
        self._reduced = on
        self._sync_subscription()
        self._invalidate()

    @property
    def reduced_motion(self) -> bool:
        return self._reduced

    @property
    def step_count(self) -> int:
        return self.sim.step_count

    @property
    def current_step(self) -> int:
        return self.sim.current_step

    def shown_nodes(self) -> set[str]:
        """Nodes a visitor sees now: those on a link of this step or earlier, or on a reversal.

        A node that only a later step connects ("permanent storage" before "now add removal")
        appears with its step, so the first picture shows only what is true today.
        """
        step = self.sim.current_step
        if self._shown_for_step != step:
            ends = {e for link in self.diagram.links if link.step <= step for e in (link.from_, link.to)}
            ends |= {e for rev in self.diagram.reversals for e in (rev.from_, rev.to)}
            linked = {e for link in self.diagram.links for e in (link.from_, link.to)}
            self._shown = {n.id for n in self.diagram.nodes if n.id in ends or n.id not in linked}
            self._shown_for_step = step
        return self._shown

    def advance_step(self) -> bool:
        moved = self.sim.advance_step()
        if moved:
            self._invalidate()
        return moved

    def trigger_reversal(self, reversal_id: str) -> bool:
        ok = self.sim.trigger_reversal(reversal_id)
        if ok:
            self._invalidate()
            if self._reduced:
                # No clock in reduced motion: a timer takes the still arrow away when the event ends.
                idx = [r.id for r in self.diagram.reversals].index(reversal_id)
                self._rm_reversals.add(reversal_id)
                self._rm_timer.start(round(self.diagram.reversals[idx].duration_s * 1000))
        return ok

    def set_rates(self, rates) -> None:
        """New flows for the links (GtCO2/yr, link order), e.g. while a model plays a path."""
        self.sim.set_rates(rates)
        if self._reduced:
            self._invalidate()  # the still arrows' widths are the flows

    def paint_scene(self, p: QPainter) -> None:
        """Drawn over the background and under the particles, in device pixels (subclasses)."""

    def _end_still_reversals(self) -> None:
        self._rm_reversals.clear()
        self._invalidate()

    def reset(self) -> None:
        self.sim.reset()
        self._warm = False
        self._rm_timer.stop()
        self._invalidate()

    @property
    def subscribed(self) -> bool:
        return self._subscribed

    # -- clock --------------------------------------------------------------------------------
    def _wants_ticks(self) -> bool:
        return self.isVisible() and not self._reduced

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._ensure_warm()
        super().showEvent(event)

    # A view nobody waits for when it comes back (the attract loop, a method detail that was
    # closed) lets its picture go while hidden: at 4K a background is 33 MB. It is drawn again
    # on its next frame. The walk's own screens keep theirs, so entering them stays instant.
    release_when_hidden = False

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        if self.release_when_hidden:
            self.release_layers()

    def release_layers(self) -> None:
        """Drop the cached pictures (background, labels, sprites); the next frame rebuilds them."""
        self._background = None
        self._base = None
        self._atlas = None
        self._foreground = []
        self._foreground_nodes = []
        self._static_key = None
        self._quick_key = None

    def _on_tick(self, dt: float) -> None:
        self._ensure_warm()
        self.sim.step(dt)
        # Only the bands the particles move in change from frame to frame: repaint those, not
        # the whole picture. At 4K that is a fraction of the 33 MB the window would otherwise
        # copy, and send to the X server, 60 times a second. Any change of the static layers
        # (step, reversal, size, look) repaints everything once (_invalidate, or a new band key).
        key = self._band_key()
        if key != self._band_region_key:
            self._band_region = self._bands_region()
            self._band_region_key = key
            self.update()
        else:
            self.update(self._band_region)

    def _band_key(self) -> tuple:
        sim = self.sim
        return (sim.width, sim.height, sim.frame, sim.current_step, self._changes)

    def _bands_region(self) -> QRegion:
        """Where particles can be: a chain of squares along every link and active reversal."""
        sim = self.sim
        region = QRegion()
        visible = sim.link_visible()
        sprite = self.sprite_size() / max(self._dpr, 1e-6) + 4.0  # logical px, with a margin
        for c in range(sim.n_channels):
            if c < sim.n_links and not visible[c]:
                continue
            # reversal paths always: their last particles still fly after the event ends
            path = sim.path(c)
            half = float(sim.band_halfwidth[c]) + sprite
            step = max(8.0, half)  # squares of side 2*half every `half` px overlap: no gaps
            count = max(2, int(path.length / step) + 2)
            for x, y in path.sample(0.0, path.length, count):
                region += QRect(int(x - half), int(y - half), int(2 * half) + 1, int(2 * half) + 1)
        return region

    def _sync_size(self) -> None:
        # A hidden widget gets its resize event only when shown; paint and tick must not wait.
        w, h = max(self.width(), 1), max(self.height(), 1)
        if (float(w), float(h)) != (self.sim.width, self.sim.height):
            self.sim.resize(w, h)
            self._update_reserve()

    def _ensure_warm(self) -> None:
        """Fill the diagram before its first frame, so visitors never see it empty."""
        self._sync_size()
        if not self._warm:
            self._warm = True
            self.sim.prewarm()
            self.sim.step(1e-6)  # place the particles

    # -- geometry -----------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(960, 540)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._sync_size()
        self._invalidate()

    _kept_clear_px = 0.0

    def keep_bottom_clear(self, pixels: float) -> None:
        """Keep the diagram (nodes, streams, labels) above a band of `pixels` at the bottom of the
        view, where the screen shows something of its own over it (the attract loop's title)."""
        if pixels != self._kept_clear_px:
            self._kept_clear_px = pixels
            self._update_reserve()
            self._invalidate()

    def reserve_to_end_above(self, y_px: float) -> float:
        """The band `keep_bottom_clear` needs so that every node, with a label under it, ends
        above `y_px` (0 when it already does): only as much as that, so a diagram whose lower part
        is empty is not squeezed for nothing."""
        self._sync_size()  # the view's size now, also while hidden (its resize event waits for show)
        frame = self.sim.frame  # its margins and orientation do not depend on the band kept clear
        lowest = max(((n.portrait_at if frame.portrait and n.portrait_at is not None else n.at).y for n in self.sim.diagram.nodes), default=0.0)
        if lowest <= 0.0:
            return 0.0
        under = self.node_radius() + 1.9 * QFontMetricsF(self.label_font()).height()  # disc, gap, label plate
        # Node y = margin + lowest * (room - reserve); its label ends `under` lower.
        room = frame.height - 2 * frame.margin_y
        return max(0.0, room - (y_px - under - frame.margin_y) / lowest)

    def _update_reserve(self) -> None:
        """With a legend drawn in the view, keep the diagram clear of the legend's band."""
        reserve = self._kept_clear_px
        if self._legend_template:
            reserve += QFontMetricsF(self.label_font()).height() * 1.8 + 0.02 * self.sim.height
        self.sim.set_reserve_bottom(reserve)

    def _invalidate(self) -> None:
        self._describe()
        self._changes += 1
        # The cached layers are keyed by their inputs (_ensure_static); a repaint is enough.
        if shiboken6.isValid(self):
            self.update()

    def _describe(self) -> None:
        """A screen reader's view of the diagram: its flows and sizes, from the same data (issue 15)."""
        key = (self._lang, self.sim.current_step)
        if getattr(self, "_described", None) == key:
            return
        self._described = key
        from kiosk.narration import flow_lines, phrase

        self.setAccessibleName(phrase("diagram", self._lang))
        self.setAccessibleDescription(" ".join(flow_lines(self.diagram, self._lang, step=self.sim.current_step)))

    def node_radius(self) -> float:
        # Large enough for the icon inside to read from a metre away.
        return max(8.0, 0.045 * min(self.sim.width, self.sim.height))

    def label_font(self) -> QFont:
        if self._label_font is not None:
            return self._label_font
        font = QFont(self.font())
        font.setPixelSize(max(12, round(0.03 * min(self.sim.width, self.sim.height))))
        font.setWeight(QFont.Weight.DemiBold)
        return font

    def node_rects(self) -> dict[str, QRectF]:
        """Where each node's disc and label are drawn (for tests and the screens' layout)."""
        self._sync_size()
        self._ensure_static()
        return dict(self._node_rects)

    def label_rects(self) -> dict[str, QRectF]:
        """Where each node's label plate is drawn."""
        self._sync_size()
        self._ensure_static()
        return dict(self._label_rects)

    # -- painting -----------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        try:
            self.paint_frame(painter)
        finally:
            painter.end()

    def paint_frame(self, p: QPainter) -> None:
        """Draw one frame with `p` (the widget's own painter, or one on an image of its size)."""
        self._ensure_warm()
        dpr = float(p.device().devicePixelRatio()) if p.device() is not None else 1.0
        if dpr != self._dpr:
            self._dpr = dpr
        self._ensure_static()
        assert self._background is not None and self._atlas is not None
        hidpi = self._dpr != 1.0
        if hidpi:
            # Every layer is in device pixels: undo the HiDPI scale so that, with a (fuzzy)
            # identity transform, the raster engine blits them instead of resampling.
            p.save()
            p.setWorldTransform(QTransform.fromScale(1.0 / self._dpr, 1.0 / self._dpr))
        p.drawImage(0, 0, self._background)
        self.paint_scene(p)
        if not self._reduced:
            n = self.sim.count
            if n:
                self._fill_fragments(n)
                p.drawPixmapFragments(self._frag_ptr, n, self._atlas)
        shown = self.shown_nodes()
        step = self.sim.current_step
        for (at, pix), node_id in zip(self._foreground, self._foreground_nodes):
            if isinstance(node_id, int):  # a stream's label: shown with its stream
                if self.diagram.links[node_id].step <= step:
                    p.drawPixmap(at, pix)
            elif node_id is None or node_id in shown:
                p.drawPixmap(at, pix)
        if hidpi:
            p.restore()

    def _fill_fragments(self, n: int) -> None:
        """Write this frame's particles into the fragment array, in place.

        Each particle snaps to the nearest half pixel: the integer part places the fragment on
        whole pixels (the raster engine's fast blit, no resampling) and the half-pixel phase
        picks one of four pre-shifted sprite variants, so slow particles still glide smoothly.
        """
        if self._frags.shape[0] < self.sim.capacity:
            self._grow_fragments(self.sim.capacity)
        f = self._frags
        sim = self.sim
        half = self._half[:n]
        np.multiply(sim.positions, 2.0 * self._dpr, out=half)  # snapping happens in device pixels
        half += 0.5
        np.floor(half, out=half)  # nearest half pixel, counted in half pixels
        hi = self._hi[:n]
        np.copyto(hi, half, casting="unsafe")
        phase = self._phase[:n]
        np.bitwise_and(hi, 1, out=phase)  # 0 or 1 per axis: which pre-shifted sprite
        np.right_shift(hi, 1, out=hi)  # whole pixels (floors negatives too)
        # fragment centre = whole - K + cell/2, so its top-left lands on the whole pixel (whole - K)
        np.add(hi, self._centre_shift, out=f[:n, 0:2])  # device pixels (see paint_frame)
        idx = self._idx[:n]
        np.multiply(sim.colours, 2, out=idx)
        idx += phase[:, 0]
        f[:n, 2] = np.take(self._lut_x, idx)
        level = self._level[:n]
        np.multiply(sim.alphas, ALPHA_LEVELS, out=level)
        np.copyto(idx, level, casting="unsafe")  # truncates: floor for alphas >= 0
        np.minimum(idx, ALPHA_LEVELS - 1, out=idx)
        idx *= 2
        idx += phase[:, 1]
        f[:n, 3] = np.take(self._lut_y, idx)

    def _grow_fragments(self, cap: int) -> None:
        """(Re)allocate the fragment array; it then stays put, so one wrapper serves every frame.

        The simulation's arrays grow by doubling up to its cap, so this happens a handful of times
        in a view's life (mostly while prewarming), never per frame."""
        old = getattr(self, "_frags", np.zeros((0, FRAGMENT_FIELDS)))
        self._frags = np.zeros((cap, FRAGMENT_FIELDS), dtype=np.float64)
        self._frags[:, 4:10] = old[0, 4:10] if len(old) else (self._cell, self._cell, 1.0, 1.0, 0.0, 1.0)
        self._frag_ptr = shiboken6.wrapInstance(self._frags.ctypes.data, QPainter.PixmapFragment) if cap else None
        self._half = np.zeros((cap, 2), dtype=np.float64)  # scratch arrays for _fill_fragments
        self._hi = np.zeros((cap, 2), dtype=np.int32)
        self._phase = np.zeros((cap, 2), dtype=np.int32)
        self._idx = np.zeros(cap, dtype=np.int32)
        self._level = np.zeros(cap, dtype=np.float32)

    def render_image(self, width: int | None = None, height: int | None = None) -> QImage:
        """The current frame as an image (tests, `kiosk render`, the benchmark)."""
        if width is not None and height is not None and (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        img = QImage(self.width(), self.height(), QImage.Format.Format_ARGB32_Premultiplied)
        p = QPainter(img)
        try:
            self.paint_frame(p)
        finally:
            p.end()
        return img

    def _reversals_shown(self) -> tuple[bool, ...]:
        if self._reduced:  # the simulation is frozen: a timer ends the still arrow
            return tuple(r.id in self._rm_reversals for r in self.diagram.reversals)
        return tuple(self.sim.reversal_active(r.id) for r in self.diagram.reversals)

    def _ensure_static(self) -> None:
        """Rebuild only the cached layers whose inputs changed (a step must not re-render labels)."""
        sim = self.sim
        # Fast path for the usual frame: nothing was set, no step, no reversal began or ended.
        quick = (self._changes, sim.width, sim.height, self._dpr, sim.current_step, self._reversals_shown())
        if quick == self._quick_key:
            return
        self._quick_key = quick
        size = (sim.width, sim.height, self._dpr)
        font = self.label_font().key()
        atlas_key = (size, self._palette)
        base_key = (size, self._palette, sim.frame)
        active_rev = self._reversals_shown()
        # Still arrows are as wide as their flows, which a model may change (set_rates).
        rates = tuple(sim.channel_rate) if self._reduced else None
        bg_key = (base_key, self._reduced, sim.current_step, active_rev, rates)
        fg_key = (
            size, self._palette, self._lang, font, self._legend_template, self._rate_template, sim.frame, self._reduced,
        )
        if self._static_key is None:
            self._static_key = (None, None, None, None)
        old_atlas, old_base, old_bg, old_fg = self._static_key
        self._active_reversals = active_rev
        if atlas_key != old_atlas or self._atlas is None:
            self._build_atlas()
            old_fg = None  # the legend shows a sprite
        if base_key != old_base or bg_key != old_bg or self._background is None:
            # The base (fill and glow) is cheap to paint again and costs a full-screen image to
            # keep (33 MB at 4K), so it is drawn afresh under the guides and not kept.
            self._build_base()
            self._build_background()
        if fg_key != old_fg:
            self._build_foreground()
        self._static_key = (atlas_key, base_key, bg_key, fg_key)

    def _colour(self, colour_class: str) -> QColor:
        return kind_colour(self._palette, colour_class)

    def sprite_size(self) -> int:
        """Sprite cell size in device pixels."""
        return max(6, round(0.0115 * min(self.sim.width, self.sim.height) * self._dpr))

    def _build_atlas(self) -> None:
        """Glowing sprites: per colour class, fade level and half-pixel phase (x and y)."""
        cell = self.sprite_size()
        d = cell - 1  # the sprite's diameter; one spare pixel lets it shift by half a pixel
        k = cell // 2
        cols, rows = len(COLOUR_CLASSES) * 2, ALPHA_LEVELS * 2
        img = QImage(cell * cols, cell * rows, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(Qt.PenStyle.NoPen)
        for level in range(ALPHA_LEVELS):
            a = (level + 1) / ALPHA_LEVELS
            self._sprite_top[level] = level * 2 * cell
            for i, cls in enumerate(COLOUR_CLASSES):
                self._sprite_left[i] = i * 2 * cell
                base = self._colour(cls)
                core = base.lighter(165)
                for py in (0, 1):
                    for px in (0, 1):
                        centre = QPointF((i * 2 + px) * cell + k + 0.5 * px, (level * 2 + py) * cell + k + 0.5 * py)
                        grad = QRadialGradient(centre, d / 2)
                        grad.setColorAt(0.0, _with_alpha(core, a))
                        grad.setColorAt(0.22, _with_alpha(core, 0.95 * a))
                        grad.setColorAt(0.45, _with_alpha(base, 0.55 * a))
                        grad.setColorAt(0.75, _with_alpha(base, 0.16 * a))
                        grad.setColorAt(1.0, _with_alpha(base, 0.0))
                        p.setBrush(QBrush(grad))
                        p.drawEllipse(centre, d / 2, d / 2)
        p.end()
        self._atlas = QPixmap.fromImage(img)
        self._cell = cell
        self._centre_shift = cell / 2 - k
        # sprite left by colour * 2 + x phase; sprite top by fade level * 2 + y phase
        self._lut_x = np.array([self._sprite_left[i // 2] + (i % 2) * cell for i in range(2 * len(COLOUR_CLASSES))])
        self._lut_y = np.array([self._sprite_top[i // 2] + (i % 2) * cell for i in range(2 * ALPHA_LEVELS)])
        f = self._frags
        f[:, 4] = cell  # width
        f[:, 5] = cell  # height
        f[:, 6] = 1.0  # scaleX: atlas and fragments are both in device pixels
        f[:, 7] = 1.0  # scaleY
        f[:, 8] = 0.0  # rotation
        f[:, 9] = 1.0  # opacity: fades come from the atlas rows

    def _layer(self, w: float, h: float) -> QImage:
        """A premultiplied ARGB image of logical size w x h at the device pixel ratio."""
        img = QImage(max(1, math.ceil(w * self._dpr)), max(1, math.ceil(h * self._dpr)),
                     QImage.Format.Format_ARGB32_Premultiplied)
        img.setDevicePixelRatio(self._dpr)
        return img

    def _build_base(self) -> None:
        """Background colour with a faint glow, lighter towards the middle."""
        sim = self.sim
        w, h = max(1, round(sim.width)), max(1, round(sim.height))
        # Premultiplied ARGB (opaque): blits into both ARGB and RGB32 targets without conversion cost.
        img = self._layer(w, h)
        img.fill(QColor(self._palette.background))
        p = QPainter(img)
        if self.diagram.scene:
            # The place the flows happen in: sky, land, sea and rock, behind the particles.
            f = sim.frame
            area = QRectF(f.margin_x, f.margin_y, f.width - 2 * f.margin_x, f.height - 2 * f.margin_y - f.reserve_bottom)
            paint_scene(p, QRectF(0, 0, w, h), self.diagram.scene, self._palette, area)
        else:
            glow = QRadialGradient(QPointF(w / 2, h / 2), 0.75 * max(w, h))
            glow.setColorAt(0.0, _with_alpha(QColor(self._palette.surface), 0.55))
            glow.setColorAt(1.0, _with_alpha(QColor(self._palette.surface), 0.0))
            p.fillRect(QRectF(0, 0, w, h), QBrush(glow))
        p.end()
        img.setDevicePixelRatio(1.0)  # drawn in device pixels (paint_frame)
        self._base = img

    def _build_background(self) -> None:
        """The base plus faint link guides (or, in reduced motion, the still arrows)."""
        sim = self.sim
        assert self._base is not None
        img, self._base = self._base, None
        img.setDevicePixelRatio(self._dpr)  # paint in logical coordinates
        w, h = sim.width, sim.height
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        visible = sim.link_visible()
        if self._reduced:
            self._draw_arrows(p, visible)
        else:
            pen_w = max(1.0, 0.0025 * min(w, h))
            for c in range(sim.n_channels):
                if c < sim.n_links and not visible[c]:
                    continue
                if c >= sim.n_links and not self._active_reversals[c - sim.n_links]:
                    continue
                colour = self._colour(COLOUR_CLASSES[sim.channel_colour[c]])
                halfw = float(sim.band_halfwidth[c])
                path = _painter_path(sim.path(c).points)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QPen(_with_alpha(colour, 0.07), max(pen_w, 2 * halfw + 2 * pen_w), Qt.PenStyle.SolidLine,
                              Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
                p.drawPath(path)
                p.setPen(QPen(_with_alpha(colour, 0.18), pen_w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                              Qt.PenJoinStyle.RoundJoin))
                p.drawPath(path)
        p.end()
        img.setDevicePixelRatio(1.0)
        self._background = img

    def arrow_widths(self) -> np.ndarray:
        """Reduced-motion arrow width per channel in pixels, proportional to the flow."""
        sim = self.sim
        top = float(sim.channel_rate.max()) if sim.n_channels else 1.0
        maxw = 0.055 * min(sim.width, sim.height)
        return np.maximum(2.0, sim.channel_rate / max(top, 1e-12) * maxw)

    def _draw_arrows(self, p: QPainter, visible: np.ndarray) -> None:
        sim = self.sim
        widths = self.arrow_widths()
        r = self.node_radius()
        order = np.argsort(-widths)  # thick arrows first, thin ones stay visible on top
        for c in order:
            if c < sim.n_links and not visible[c]:
                continue
            if c >= sim.n_links and not self._active_reversals[c - sim.n_links]:
                continue
            path = sim.path(int(c))
            wdt = float(widths[c])
            head_len = max(1.1 * wdt, 0.018 * min(sim.width, sim.height))
            head_w = max(1.9 * wdt, wdt + 0.02 * min(sim.width, sim.height))
            start = r * 1.15
            tip = path.length - r * 1.15
            body_end = tip - head_len
            if body_end <= start:
                continue
            colour = _with_alpha(self._colour(COLOUR_CLASSES[sim.channel_colour[c]]), 0.9)
            pts = path.sample(start, body_end + 1.0, 64)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(colour, wdt, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap, Qt.PenJoinStyle.RoundJoin))
            p.drawPath(_painter_path(pts))
            base = path.at(body_end)
            end = path.at(tip)
            d = end - base
            norm = math.hypot(d[0], d[1]) or 1.0
            ux, uy = d[0] / norm, d[1] / norm
            nx, ny = -uy, ux
            head = QPolygonF(
                [
                    QPointF(end[0], end[1]),
                    QPointF(base[0] + nx * head_w / 2, base[1] + ny * head_w / 2),
                    QPointF(base[0] - nx * head_w / 2, base[1] - ny * head_w / 2),
                ]
            )
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawPolygon(head)

    def _build_foreground(self) -> None:
        sim = self.sim
        w = sim.width
        r = self.node_radius()
        font = self.label_font()
        fm = QFontMetricsF(font)
        pad = 0.35 * fm.height()
        max_label_w = max(4 * fm.height(), 0.24 * w)
        text_col = QColor(self._palette.text)
        self._foreground = []
        self._foreground_nodes = []
        self._node_rects: dict[str, QRectF] = {}
        self._label_rects: dict[str, QRectF] = {}
        # Points along every link (shown or still to come, so labels don't jump on a step) and
        # every disc: a label goes where it hides the fewest of them.
        if sim.n_channels:
            flow_pts = np.vstack([sim.path(c).sample(0.0, sim.path(c).length, 80) for c in range(sim.n_channels)])
        else:
            flow_pts = np.zeros((0, 2))
        discs = np.array([sim.nodes_px[n.id] for n in self.diagram.nodes], dtype=np.float64).reshape(-1, 2)
        sizes: dict[str, tuple[float, float]] = {}
        for node in self.diagram.nodes:
            text_rect = fm.boundingRect(QRectF(0, 0, max_label_w, 10 * fm.height()),
                                        int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap),
                                        node.label.get(self._lang))
            sizes[node.id] = (math.ceil(text_rect.width()) + 2 * pad, math.ceil(text_rect.height()) + pad)
        # Greedy in node order, then two rounds in which each label moves to its best place
        # given all the others: a crowded row sorts itself out (labels above, below, further).
        spots: dict[str, tuple[float, float]] = {}
        for _round in range(3):
            for node in self.diagram.nodes:
                tw, th = sizes[node.id]
                others = [QRectF(*spots[o], *sizes[o]) for o in spots if o != node.id]
                x, y = sim.nodes_px[node.id]
                spots[node.id] = self._place_label(x, y, r, tw, th, flow_pts, discs, others)
        for node in self.diagram.nodes:
            x, y = sim.nodes_px[node.id]
            colour = self._colour(node.kind if node.kind in KINDS else "particle")
            label = node.label.get(self._lang)
            tw, th = sizes[node.id]
            lx, ly = spots[node.id]
            glow_r = r * 1.6
            left = min(x - glow_r, lx)
            top = min(y - glow_r, ly)
            right = max(x + glow_r, lx + tw)
            bottom = max(y + glow_r, ly + th)
            pw, ph = math.ceil(right - left) + 2, math.ceil(bottom - top) + 2
            img = self._layer(pw, ph)
            img.fill(Qt.GlobalColor.transparent)
            p = QPainter(img)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            # on whole device pixels, so the pixmap is blitted, not resampled
            ox, oy = math.floor(left * self._dpr) / self._dpr, math.floor(top * self._dpr) / self._dpr
            p.translate(-ox, -oy)
            # halo, disc, ring
            halo = QRadialGradient(QPointF(x, y), glow_r)
            halo.setColorAt(0.55, _with_alpha(colour, 0.35))
            halo.setColorAt(1.0, _with_alpha(colour, 0.0))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(halo))
            p.drawEllipse(QPointF(x, y), glow_r, glow_r)
            fill = QRadialGradient(QPointF(x - 0.3 * r, y - 0.3 * r), 1.3 * r)
            fill.setColorAt(0.0, colour.lighter(125))
            fill.setColorAt(1.0, colour.darker(190))
            p.setBrush(QBrush(fill))
            p.setPen(QPen(colour.lighter(140), max(1.5, 0.09 * r)))
            p.drawEllipse(QPointF(x, y), r, r)
            # what the node is, as a picture: dark on the bright disc, in every palette
            icon_px = round(1.25 * r)
            icon = icon_image(node.icon or KIND_ICONS.get(node.kind, KIND_ICONS["air"]), icon_px,
                              QColor(self._palette.background), self._dpr)
            p.drawImage(QRectF(x - icon_px / 2, y - icon_px / 2, icon_px, icon_px), icon)
            # label on a rounded plate for contrast over particles
            plate = QRectF(lx, ly, tw, th)
            plate_col = QColor(self._palette.background)
            plate_col.setAlphaF(0.78)
            p.setPen(QPen(_with_alpha(colour, 0.7), max(1.0, 0.05 * r)))
            p.setBrush(plate_col)
            p.drawRoundedRect(plate, 0.3 * fm.height(), 0.3 * fm.height())
            p.setFont(font)
            p.setPen(text_col)
            p.drawText(plate, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), label)
            p.end()
            img.setDevicePixelRatio(1.0)
            self._foreground.append((QPointF(ox * self._dpr, oy * self._dpr), QPixmap.fromImage(img)))
            self._foreground_nodes.append(node.id)
            disc = QRectF(x - r, y - r, 2 * r, 2 * r)
            self._node_rects[node.id] = disc.united(plate)
            self._label_rects[node.id] = plate
        self._build_link_labels(font, discs, list(self._label_rects.values()))
        if self._legend_template and not self._reduced:  # no dots in reduced motion: no dot legend
            self._foreground.append(self._legend_pixmap(font))
            self._foreground_nodes.append(None)

    def _build_link_labels(self, node_font: QFont, discs: np.ndarray, placed: list[QRectF]) -> None:
        """Each stream's rate (or its own label) on a small plate beside the middle of the stream,
        where it covers no node label, disc or other stream label."""
        sim = self.sim
        w, h = sim.width, sim.height
        font = QFont(node_font)
        font.setPixelSize(max(11, round(0.8 * node_font.pixelSize())) if node_font.pixelSize() > 0 else 12)
        font.setWeight(QFont.Weight.Normal)
        fm = QFontMetricsF(font)
        r = self.node_radius()
        edge = max(2.0, 0.01 * min(w, h))
        bottom_limit = h - edge - sim.frame.reserve_bottom
        self._link_labels = {}
        for i, link in enumerate(self.diagram.links):
            text = self.link_label_text(i)
            if not text:
                continue
            path = sim.path(i)
            best, best_score, best_font = None, math.inf, font
            # Try the label as it is, then wider (one line fits above a stream where two lines
            # do not), then smaller: the first variant with a free place wins.
            for scale, wrap in ((1.0, 0.22), (1.0, 0.45), (0.8, 0.45), (0.7, 0.7)):
                vfont = QFont(font)
                if font.pixelSize() > 0:
                    vfont.setPixelSize(max(10, round(scale * font.pixelSize())))
                vfm = QFontMetricsF(vfont)
                vpad = 0.3 * vfm.height()
                rect = vfm.boundingRect(QRectF(0, 0, max(4 * vfm.height(), wrap * w), 6 * vfm.height()),
                                        int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap), text)
                tw, th = math.ceil(rect.width()) + 2 * vpad, math.ceil(rect.height()) + vpad
                side_x, side_y = tw / 2 + 0.6 * r, th / 2 + 0.6 * r
                spots = [
                    (frac, dx, dy)
                    for frac in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74)
                    # on the stream, above, below, then beside it
                    for dx, dy in ((0.0, 0.0), (0.0, -side_y), (0.0, side_y), (-side_x, 0.0), (side_x, 0.0))
                ]
                for rank, (frac, dx, dy) in enumerate(spots):
                    x, y = path.at(frac * path.length)
                    x, y = x + dx, y + dy
                    cx = min(max(x - tw / 2, edge), w - tw - edge)
                    cy = min(max(y - th / 2, edge), max(edge, bottom_limit - th))
                    plate = QRectF(cx, cy, tw, th)
                    score = 0.05 * rank
                    score += 100 * sum(1 for other in placed if other.intersects(plate))
                    near = (
                        (discs[:, 0] > cx - r) & (discs[:, 0] < cx + tw + r)
                        & (discs[:, 1] > cy - r) & (discs[:, 1] < cy + th + r)
                    )
                    score += 50 * float(near.sum())
                    if score < best_score:
                        best, best_score, best_font = plate, score, vfont
                if best_score < 50:
                    break
            assert best is not None
            if best_score >= 50 and link.label is None:
                continue  # no free place beside this stream: its rate stays in the footer's sources
            placed.append(best)
            fm = QFontMetricsF(best_font)
            tw, th = best.width(), best.height()
            colour = self._colour(COLOUR_CLASSES[sim.channel_colour[i]])
            pw, ph = math.ceil(tw) + 2, math.ceil(th) + 2
            img = self._layer(pw, ph)
            img.fill(Qt.GlobalColor.transparent)
            p = QPainter(img)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            plate_col = QColor(self._palette.background)
            plate_col.setAlphaF(0.82)
            p.setPen(QPen(_with_alpha(colour, 0.8), 1.0))
            p.setBrush(plate_col)
            inner = QRectF(1, 1, tw, th)
            p.drawRoundedRect(inner, 0.3 * fm.height(), 0.3 * fm.height())
            p.setFont(best_font)
            p.setPen(QColor(self._palette.text))
            p.drawText(inner, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text)
            p.end()
            img.setDevicePixelRatio(1.0)
            ox = math.floor((best.x() - 1) * self._dpr) / self._dpr
            oy = math.floor((best.y() - 1) * self._dpr) / self._dpr
            self._foreground.append((QPointF(ox * self._dpr, oy * self._dpr), QPixmap.fromImage(img)))
            self._foreground_nodes.append(i)
            self._link_labels[i] = (text, best)

    def _place_label(
        self, x: float, y: float, r: float, tw: float, th: float, flow_pts: np.ndarray, discs: np.ndarray,
        placed: list[QRectF],
    ) -> tuple[float, float]:
        """Top-left of a node's label: below, above, right or left of its disc, inside the widget,
        wherever it covers the fewest flow points, other discs and labels (ties: in that order)."""
        sim = self.sim
        w, h = sim.width, sim.height
        edge = max(2.0, 0.01 * min(w, h))
        bottom_limit = h - edge - sim.frame.reserve_bottom
        gap = 0.25 * r
        candidates = [
            (x - tw / 2, y + r + gap),  # below
            (x - tw / 2, y - r - gap - th),  # above
            (x + r + gap, y - th / 2),  # right
            (x - r - gap - tw, y - th / 2),  # left
            # then the same sides, slid along the disc: room between close neighbours
            (x - r, y + r + gap),  # below, to the right
            (x + r - tw, y + r + gap),  # below, to the left
            (x - r, y - r - gap - th),  # above, to the right
            (x + r - tw, y - r - gap - th),  # above, to the left
            (x + r + gap, y - th + r),  # right, higher
            (x + r + gap, y - r),  # right, lower
            (x - r - gap - tw, y - th + r),  # left, higher
            (x - r - gap - tw, y - r),  # left, lower
            # a crowded row: one label height further out, stacked over a neighbour's
            (x - tw / 2, y + r + 2 * gap + th),  # further below
            (x - tw / 2, y - r - 2 * gap - 2 * th),  # further above
            (x - r, y + r + 2 * gap + th),
            (x + r - tw, y + r + 2 * gap + th),
            (x - r, y - r - 2 * gap - 2 * th),
            (x + r - tw, y - r - 2 * gap - 2 * th),
        ]
        best, best_score = candidates[0], math.inf
        for rank, (lx, ly) in enumerate(candidates):
            cx = min(max(lx, edge), w - tw - edge)
            cy = min(max(ly, edge), max(edge, bottom_limit - th))
            score = rank * 0.5 + (15 if rank >= 12 else 0)  # a label further out only to avoid a clash
            # Pushed back onto the screen so far that it would sit on its own disc: poor choice.
            if abs(cx - lx) + abs(cy - ly) > gap:
                score += 200
            inside = (
                (flow_pts[:, 0] > cx) & (flow_pts[:, 0] < cx + tw) & (flow_pts[:, 1] > cy) & (flow_pts[:, 1] < cy + th)
            )
            score += float(inside.sum())
            near = (
                (discs[:, 0] > cx - r) & (discs[:, 0] < cx + tw + r) & (discs[:, 1] > cy - r) & (discs[:, 1] < cy + th + r)
            )
            score += 1000 * float(near.sum())
            rect = QRectF(cx, cy, tw, th)
            # Text over text is never readable: worse than a label pushed off its best side.
            score += 1000 * sum(1 for other in placed if other.intersects(rect))
            if score < best_score:
                best, best_score = (cx, cy), score
        return best

    def _legend_pixmap(self, font: QFont) -> tuple[QPointF, QPixmap]:
        assert self._legend_template is not None and self._atlas is not None
        text = self.legend_text(self._legend_template)
        fm = QFontMetricsF(font)
        cell = self._cell  # device pixels
        d = cell / self._dpr
        pad = 0.4 * fm.height()
        tw = fm.horizontalAdvance(text)
        pw, ph = math.ceil(tw + d * 3 + 2 * pad), math.ceil(fm.height() + 2 * pad)
        img = self._layer(pw, ph)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        plate = QColor(self._palette.background)
        plate.setAlphaF(0.7)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(plate)
        p.drawRoundedRect(QRectF(0, 0, pw, ph), ph / 3, ph / 3)
        sx = float(self._sprite_left[len(KINDS)])
        sy = float(self._sprite_top[-1])
        p.drawPixmap(QRectF(pad, (ph - 1.6 * d) / 2, 1.6 * d, 1.6 * d), self._atlas, QRectF(sx, sy, cell, cell))
        p.setFont(font)
        p.setPen(QColor(self._palette.text))
        p.drawText(QRectF(pad + 2.4 * d, 0, tw + d, ph), int(Qt.AlignmentFlag.AlignVCenter), text)
        p.end()
        img.setDevicePixelRatio(1.0)
        x = math.floor(0.02 * self.sim.width * self._dpr)
        y = math.floor((self.sim.height - ph - 0.02 * self.sim.height) * self._dpr)
        return QPointF(x, y), QPixmap.fromImage(img)  # device pixels


def _with_alpha(colour: QColor, alpha: float) -> QColor:
    c = QColor(colour)
    c.setAlphaF(max(0.0, min(1.0, alpha)))
    return c


def _painter_path(points: np.ndarray) -> QPainterPath:
    path = QPainterPath(QPointF(float(points[0, 0]), float(points[0, 1])))
    for x, y in points[1:]:
        path.lineTo(float(x), float(y))
    return path
