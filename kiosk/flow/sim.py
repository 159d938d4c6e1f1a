"""Particles of CO2 moving along the links of a flow diagram, on numpy arrays. No Qt here.

One particle emitted per second stands for `dot_value_gt` GtCO2 per year, so a link emits
`rate / dot_value_gt` particles per second and, as every particle moves at the same speed, the
density of particles on a link is proportional to its flow.

Emission is a jittered lattice: particle k of a channel leaves at (k + u_k) / rate_ps with u_k
uniform in [0, 1), so the count over any stretch of time is exact to within one particle while
the stream still looks organic. Everything random comes from one numpy Generator seeded from the
diagram, so the same seed gives the same frames.

Channels: one per link of the diagram, then one per reversal (a burst from -> to while the event
lasts). All particles of all channels live in preallocated arrays; `step(dt)` moves them with
array operations (per-channel loops only for emission), drops arrivals and emits new ones.
"""

from __future__ import annotations

import math

import numpy as np

from kiosk.content.model import FlowDiagram
from kiosk.flow.paths import ArcPath, Frame, PathSet, build_link_path, link_points, node_positions

MAX_PARTICLES = 30_000
KINDS = ("source", "air", "sink", "store", "technology")
PARTICLE_COLOUR = len(KINDS)  # index of palette.particle in the colour classes
COLOUR_CLASSES = (*KINDS, "particle")
REVERSAL_CURVATURE = 0.35
PREWARM_DT = 1.0 / 20.0
INITIAL_CAPACITY = 2048


class FlowSim:
    """The particle state of one diagram at one size.

    Public state (read-only views, length `count`):
      positions  (N, 2) float64 pixels
      colours    (N,) int8 colour class (index into COLOUR_CLASSES: the from-node's kind)
      alphas     (N,) float32 0..1 (particles fade in at their source and out at their target)
      channels   (N,) int32 which link (0..L-1) or reversal (L + j) a particle belongs to
    """

    def __init__(
        self,
        diagram: FlowDiagram,
        size: tuple[float, float],
        *,
        seed: int | None = None,
        margin: float | None = None,
        reserve_bottom: float = 0.0,
        prewarm: bool = True,
        max_particles: int = MAX_PARTICLES,
    ) -> None:
        self.diagram = diagram
        self.seed = diagram.seed if seed is None else seed
        self.max_particles = int(max_particles)
        self._margin = margin
        self._reserve_bottom = reserve_bottom
        self._do_prewarm = prewarm
        self.links = list(diagram.links)
        self.reversals = list(diagram.reversals)
        self.n_links = len(self.links)
        n_ch = self.n_links + len(self.reversals)
        self.n_channels = n_ch
        kinds = {n.id: n.kind for n in diagram.nodes}
        ends = [(link.from_, link.to) for link in self.links] + [(r.from_, r.to) for r in self.reversals]
        self.channel_ends: list[tuple[str, str]] = ends
        self.channel_colour = np.array([KINDS.index(kinds[a]) for a, _ in ends], dtype=np.int8)
        rates = [link.rate for link in self.links] + [r.rate for r in self.reversals]
        self.channel_rate = np.array(rates, dtype=np.float64)  # GtCO2/yr
        self.rate_ps = self.channel_rate / diagram.dot_value_gt  # particles per second
        self.channel_step = np.array([link.step for link in self.links] + [0] * len(self.reversals), dtype=np.int64)
        self._reversal_index = {r.id: self.n_links + j for j, r in enumerate(self.reversals)}
        self._reversal_duration = np.array([0.0] * self.n_links + [r.duration_s for r in self.reversals])

        # Particle arrays start small and double when needed, up to max_particles: a small method
        # diagram should not hold the memory of the cap.
        self._n = 0
        self._allocate(min(self.max_particles, INITIAL_CAPACITY))

        self.width = self.height = 0.0
        self._build(size)
        self.reset()

    def _allocate(self, cap: int) -> None:
        n = self._n
        old = getattr(self, "_ch", None)
        arrays = {
            "_ch": np.zeros(cap, dtype=np.int32),
            "_s": np.zeros(cap, dtype=np.float64),
            "_lat": np.zeros(cap, dtype=np.float64),
            "_col": np.zeros(cap, dtype=np.int8),
            "_pos": np.zeros((cap, 2), dtype=np.float64),
            "_nrm": np.zeros((cap, 2), dtype=np.float64),
            "_alpha": np.zeros(cap, dtype=np.float32),
        }
        for name, arr in arrays.items():
            if old is not None and n:
                arr[:n] = getattr(self, name)[:n]
            setattr(self, name, arr)
        self._cap = cap

    @property
    def capacity(self) -> int:
        """Length of the particle arrays now (grows up to max_particles, never shrinks)."""
        return self._cap

    # -- geometry -----------------------------------------------------------------------------
    def _build(self, size: tuple[float, float]) -> None:
        w, h = max(float(size[0]), 1.0), max(float(size[1]), 1.0)
        self.width, self.height = w, h
        self.frame = Frame.for_size(w, h, self._margin, self._reserve_bottom)
        self.nodes_px = node_positions(self.diagram, self.frame)
        paths: list[ArcPath] = [build_link_path(self.frame, self.nodes_px, link) for link in self.links]
        for r in self.reversals:
            a, b = self.nodes_px[r.from_], self.nodes_px[r.to]
            paths.append(ArcPath(link_points(self.frame, a, b, [], None, REVERSAL_CURVATURE)))
        self.paths = PathSet(paths)
        self.speed_px = self.diagram.speed * h  # speed is in diagram heights per second
        # Particles spread sideways into a band whose width grows with the square root of the flow.
        # Band widths follow the diagram's own rates, not ones a model set since (set_rates):
        # a stream that is empty now keeps its width for when it flows again.
        rates = np.array([link.rate for link in self.links] + [r.rate for r in self.reversals], dtype=np.float64)
        top = float(rates.max()) if self.n_channels else 1.0
        band = 0.022 * min(w, h)
        self.band_halfwidth = band * np.sqrt(rates / max(top, 1e-12)) if self.n_channels else np.zeros(0)
        self.fade_px = 0.04 * min(w, h)

    def set_reserve_bottom(self, pixels: float) -> None:
        """Keep this much room free under the diagram (a legend); particles keep their progress."""
        if pixels != self._reserve_bottom:
            self._reserve_bottom = pixels
            self.resize(self.width, self.height, force=True)

    def resize(self, width: float, height: float, *, force: bool = False) -> None:
        """Rebuild the paths for a new size; particles keep how far along their path they were."""
        if not force and (float(width), float(height)) == (self.width, self.height):
            return
        n = self._n
        old_len = self.paths.lengths.copy() if self.n_channels else np.zeros(0)
        frac = self._s[:n] / np.maximum(old_len[self._ch[:n]], 1e-9) if n else None
        self._build((width, height))
        if n:
            self._s[:n] = frac * self.paths.lengths[self._ch[:n]]
        self._update_positions()

    def path(self, channel: int) -> ArcPath:
        return self.paths.paths[channel]

    # -- state --------------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the first step with a fresh, seeded stream; prewarmed if asked at creation."""
        self.rng = np.random.default_rng(self.seed)
        self.time = 0.0
        self.current_step = 0
        self._n = 0
        n_ch = self.n_channels
        self._slot = np.zeros(n_ch, dtype=np.int64)  # next emission slot per channel
        self._u_pending = self.rng.random(n_ch) if n_ch else np.zeros(0)
        self._t0 = np.zeros(n_ch)  # when the channel started emitting
        self._until = np.full(n_ch, math.inf)
        self._until[self.n_links :] = -math.inf  # reversals are off until triggered
        self.emitted = np.zeros(n_ch, dtype=np.int64)
        self.arrived = np.zeros(n_ch, dtype=np.int64)
        self.dropped = 0
        if self._do_prewarm:
            self.prewarm()
        self._update_positions()

    @property
    def step_count(self) -> int:
        return len(self.diagram.steps)

    def channel_active(self) -> np.ndarray:
        """Which channels emit now: links revealed by the current step, reversals under way."""
        active = np.zeros(self.n_channels, dtype=bool)
        active[: self.n_links] = self.channel_step[: self.n_links] <= self.current_step
        active[self.n_links :] = self._until[self.n_links :] > self.time
        return active

    def link_visible(self) -> np.ndarray:
        """Which links (not reversals) are revealed by the current step."""
        return self.channel_step[: self.n_links] <= self.current_step

    def advance_step(self) -> bool:
        """Reveal the next step's links. False when there is no further step."""
        if self.current_step >= self.step_count:
            return False
        self.current_step += 1
        newly = (self.channel_step == self.current_step) & (np.arange(self.n_channels) < self.n_links)
        self._start_channels(np.flatnonzero(newly))
        return True

    def set_rates(self, rates) -> None:
        """New flows (GtCO2/yr) for the links, in link order: a model playing a path year by year.

        The density of particles follows at once: a link whose rate changed starts a fresh
        emission lattice at the new rate (particles already on their way keep going).
        """
        new = np.maximum(np.asarray(rates, dtype=np.float64), 0.0)
        changed = np.flatnonzero(new != self.channel_rate[: self.n_links])
        if not len(changed):
            return
        self.channel_rate[: self.n_links] = new
        self.rate_ps = self.channel_rate / self.diagram.dot_value_gt
        self._start_channels(changed)

    def trigger_reversal(self, reversal_id: str) -> bool:
        """Start (or restart) a reversal burst. False for an unknown id."""
        c = self._reversal_index.get(reversal_id)
        if c is None:
            return False
        if not self._until[c] > self.time:
            self._start_channels(np.array([c]))
        self._until[c] = self.time + self._reversal_duration[c]
        return True

    def reversal_active(self, reversal_id: str) -> bool:
        c = self._reversal_index.get(reversal_id)
        return c is not None and bool(self._until[c] > self.time)

    def _start_channels(self, chans: np.ndarray) -> None:
        for c in chans:
            self._t0[c] = self.time
            self._slot[c] = 0
            self._u_pending[c] = self.rng.random()

    @property
    def count(self) -> int:
        return self._n

    @property
    def positions(self) -> np.ndarray:
        return self._pos[: self._n]

    @property
    def colours(self) -> np.ndarray:
        return self._col[: self._n]

    @property
    def alphas(self) -> np.ndarray:
        return self._alpha[: self._n]

    @property
    def channels(self) -> np.ndarray:
        return self._ch[: self._n]

    @property
    def distances(self) -> np.ndarray:
        """How far each particle has come along its path, in pixels."""
        return self._s[: self._n]

    # -- time ---------------------------------------------------------------------------------
    def prewarm(self, seconds: float | None = None) -> None:
        """Run the simulation quickly so the diagram is already full when first shown."""
        if seconds is None:
            longest = float(self.paths.lengths.max()) if self.n_channels else 0.0
            seconds = longest / max(self.speed_px, 1e-9) * 1.05
        steps = int(math.ceil(seconds / PREWARM_DT))
        for _ in range(steps):
            self._advance(PREWARM_DT)

    def step(self, dt: float) -> None:
        """Move time on by dt seconds: move, drop arrivals, emit, place."""
        if dt <= 0:
            return
        self._advance(dt)
        self._update_positions()

    def _advance(self, dt: float) -> None:
        n = self._n
        t1 = self.time + dt
        if n:
            s = self._s[:n]
            s += self.speed_px * dt
            done = s >= self.paths.lengths[self._ch[:n]]
            if done.any():
                self.arrived += np.bincount(self._ch[:n][done], minlength=self.n_channels)
                keep = ~done
                m = int(keep.sum())
                for arr in (self._ch, self._s, self._lat, self._col):
                    arr[:m] = arr[:n][keep]
                self._n = n = m
        active_until = np.minimum(self._until, t1)
        for c in range(self.n_channels):
            r = self.rate_ps[c]
            if r <= 0.0:
                continue
            if c < self.n_links:
                if self.channel_step[c] > self.current_step:
                    continue
            elif not active_until[c] > self.time:
                continue
            self._emit(c, r, float(active_until[c]), t1)
        self.time = t1

    def _emit(self, c: int, r: float, end: float, t1: float) -> None:
        local_end = (end - self._t0[c]) * r  # in slots
        k = int(self._slot[c])
        last = int(math.ceil(local_end))  # slots k .. last-1 start before `end`
        m = last - k
        if m <= 0:
            return
        u = np.empty(m)
        u[0] = self._u_pending[c]
        if m > 1:
            u[1:] = self.rng.random(m - 1)
        slot_t = k + np.arange(m) + u
        if slot_t[-1] < local_end:
            self._u_pending[c] = self.rng.random()
            self._slot[c] = last
            emit = m
        else:
            self._u_pending[c] = u[-1]
            self._slot[c] = last - 1
            emit = m - 1
        if emit <= 0:
            return
        ages = t1 - (self._t0[c] + slot_t[:emit] / r)
        lat = self.rng.uniform(-1.0, 1.0, emit)
        self.emitted[c] += emit
        need = self._n + emit
        if need > self._cap and self._cap < self.max_particles:
            self._allocate(min(self.max_particles, max(need, 2 * self._cap)))
        room = self.max_particles - self._n
        if emit > room:
            self.dropped += emit - room
            emit = room
            if emit <= 0:
                return
        i0, i1 = self._n, self._n + emit
        self._ch[i0:i1] = c
        self._s[i0:i1] = np.minimum(ages[:emit] * self.speed_px, self.paths.lengths[c] * 0.999)
        self._lat[i0:i1] = lat[:emit]
        self._col[i0:i1] = self.channel_colour[c]
        self._n = i1

    def _update_positions(self) -> None:
        n = self._n
        if not n:
            return
        ch = self._ch[:n]
        s = self._s[:n]
        self.paths.place(ch, s, self._pos[:n], self._nrm[:n])
        length = self.paths.lengths[ch]
        u = s / np.maximum(length, 1e-9)
        # Sideways spread, tapered to nothing at both nodes so streams leave and enter them.
        taper = np.minimum(1.0, 6.0 * np.minimum(u, 1.0 - u))
        off = self._lat[:n] * self.band_halfwidth[ch] * taper
        self._pos[:n] += self._nrm[:n] * off[:, None]
        fade = np.minimum(s, length - s) / self.fade_px
        np.clip(fade, 0.0, 1.0, out=fade)
        self._alpha[:n] = fade

    # -- for reduced motion and legends --------------------------------------------------------
    def emission_rate_ps(self) -> np.ndarray:
        return self.rate_ps.copy()
