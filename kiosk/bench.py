"""`kiosk bench`: frame times and memory of the flow views, offscreen.

Every case renders through the real FlowView paint code (`FlowView.paint_frame`, the code its
paintEvent runs) into a QImage of the screen's size, stepping the simulation each frame, and prints
one JSON line:

    {"case": ..., "size": "1920x1080", "particles": N, "median_ms": ..., "p99_ms": ..., "rss_mb": ...}

Cases: every shipped screen with a `diagram` (and every method's diagram), the carbon bathtub while
it plays its paths (the model's year, particles, tub, curves and budget: what a frame repaints),
then synthetic loads of
1,000 / 5,000 / 10,000 / 20,000 particles at 1920x1080 and 3840x2160, then the same loads through a
naive one-QGraphicsItem-per-particle scene (benchmarks/naive_items.py) for comparison.
`--soak-frames N` runs N frames of the 10,000-particle case and reports memory at start and end.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

SIZES = ((1920, 1080), (3840, 2160))
LOADS = (1_000, 5_000, 10_000, 20_000)
NAIVE_LOADS = (1_000, 5_000)
FRAME_DT = 1.0 / 60.0

DEFAULT_PALETTE = dict(
    background="#0b1320",
    surface="#16233a",
    text="#f2f5f8",
    muted="#9fb0c3",
    accent="#3ec6a8",
    on_accent="#0b1320",
    source="#ff7a45",
    air="#9ab4d6",
    sink="#5fd068",
    store="#b18cff",
    technology="#3ec6e0",
    particle="#e8eef5",
)


def rss_mb() -> float:
    """Resident memory of this process now (not the peak), in MB."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):  # not Linux: fall back to the peak
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def rss_parts_mb() -> dict[str, float]:
    """Resident memory split as Linux counts it: anonymous (what the process allocated), file
    (pages of mapped files: libraries, fonts, which come and go with use) and shared memory.
    Empty where /proc/self/status is not there."""
    parts: dict[str, float] = {}
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key in ("RssAnon", "RssFile", "RssShmem"):
                    parts[key[3:].lower()] = int(value.split()[0]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return parts


def heap_in_use_mb() -> float | None:
    """Bytes malloc has handed out and not yet had back (glibc's mallinfo2: small blocks plus
    mmapped ones), in MB; None where there is no such call. Unlike RSS this does not move with
    fragmentation or with pages the allocator keeps: growth here is memory still held."""
    try:
        import ctypes

        class MallInfo2(ctypes.Structure):
            _fields_ = [(name, ctypes.c_size_t) for name in (
                "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = MallInfo2
        info = libc.mallinfo2()
        return (info.uordblks + info.hblkhd) / 2**20
    except (OSError, AttributeError):
        return None


def percentile(values: list[float], q: float) -> float:
    data = sorted(values)
    if not data:
        return float("nan")
    k = min(len(data) - 1, max(0, round(q / 100 * (len(data) - 1))))
    return data[k]


def frame_figures(case: str, size: tuple[int, int], times: list[float], counts: list[int]) -> dict:
    """One printed line of `kiosk bench`: frame times (ms) and particles over the measured frames."""
    return {
        "case": case,
        "size": f"{size[0]}x{size[1]}",
        "particles": round(statistics.median(counts)) if counts else 0,
        "median_ms": round(statistics.median(times), 3),
        "p99_ms": round(percentile(times, 99), 3),
        "rss_mb": round(rss_mb(), 1),
    }


def synthetic_diagram(particles: int, size: tuple[int, int]):
    """A sources -> air -> sinks diagram whose steady state holds about `particles` particles."""
    from kiosk.content.model import FlowDiagram
    from kiosk.flow.sim import FlowSim

    spec = {
        "dot_value_gt": 0.1,
        "speed": 0.15,
        "seed": 7,
        "nodes": [
            {"id": "fossil", "label": {"en": "Fossil fuels"}, "kind": "source", "at": [0.0, 0.2]},
            {"id": "land", "label": {"en": "Land use"}, "kind": "source", "at": [0.0, 0.8]},
            {"id": "air", "label": {"en": "Atmosphere"}, "kind": "air", "at": [0.5, 0.45]},
            {"id": "ocean", "label": {"en": "Ocean"}, "kind": "sink", "at": [1.0, 0.85]},
            {"id": "plants", "label": {"en": "Plants"}, "kind": "sink", "at": [1.0, 0.1]},
            {"id": "dac", "label": {"en": "Direct air capture"}, "kind": "technology", "at": [0.7, 1.0]},
            {"id": "rock", "label": {"en": "Rock"}, "kind": "store", "at": [0.25, 1.0]},
        ],
        "links": [
            {"from": "fossil", "to": "air", "rate": 37.4, "curvature": -0.2},
            {"from": "land", "to": "air", "rate": 4.2, "curvature": 0.2},
            {"from": "air", "to": "ocean", "rate": 9.2, "curvature": 0.25},
            {"from": "air", "to": "plants", "rate": 12.4, "curvature": -0.25},
            {"from": "air", "to": "dac", "rate": 2.0, "curvature": 0.1},
            {"from": "dac", "to": "rock", "rate": 2.0, "via": [[0.5, 0.95]]},
        ],
    }
    probe = FlowSim(FlowDiagram.model_validate(spec), size, prewarm=False)
    # Steady state: each link holds rate_ps * travel time particles; scale the dot value to hit N.
    travel = probe.paths.lengths / probe.speed_px
    per_gt = float((probe.channel_rate * travel).sum())
    spec["dot_value_gt"] = per_gt / particles
    return FlowDiagram.model_validate(spec)


class Bench:
    def __init__(self, frames: int, quick: bool) -> None:
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance() or QApplication([sys.argv[0], "-platform", "offscreen"])
        from kiosk.ui.clock import AnimationClock

        self.clock = AnimationClock()
        self.frames = frames
        self.quick = quick
        self.results: dict[tuple[str, str], dict] = {}

    def palette(self, exhibition=None):
        from kiosk.content.model import Palette

        if exhibition is not None:
            return exhibition.theme.normal
        return Palette.model_validate(DEFAULT_PALETTE)

    def flow_case(self, case: str, diagram, size: tuple[int, int], palette, frames: int) -> dict:
        from PySide6.QtGui import QImage, QPainter

        from kiosk.ui.render import dispose
        from kiosk.ui.widgets.flow_view import FlowView

        view = FlowView(diagram, self.clock, palette, "en")
        view.resize(*size)
        view.set_legend_template("Each dot = {value} GtCO2 a year")
        img = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
        times: list[float] = []
        counts: list[int] = []
        warmup = min(10, max(1, frames // 10))
        for i in range(frames + warmup):
            t0 = time.perf_counter()
            view.sim.step(FRAME_DT)
            p = QPainter(img)
            view.paint_frame(p)
            p.end()
            t1 = time.perf_counter()
            if i >= warmup:
                times.append((t1 - t0) * 1000.0)
                counts.append(view.sim.count)
        result = frame_figures(case, size, times, counts)
        dispose(view)
        return result

    def bathtub_case(self, result, model, size: tuple[int, int], frames: int) -> dict:
        """The bathtub screen playing one path after another, every frame drawn in full."""
        from PySide6.QtCore import QPoint, QRect
        from PySide6.QtGui import QImage, QRegion
        from PySide6.QtWidgets import QVBoxLayout, QWidget

        from kiosk.ui.app import load_fonts
        from kiosk.ui.render import dispose, settle_layout
        from kiosk.ui.screens.base import ScreenContext
        from kiosk.ui.screens.bathtub import BathtubScreenWidget
        from kiosk.ui.theme import Look

        ex = result.exhibition
        look = Look.make(ex.theme, load_fonts(result), *size)
        ctx = ScreenContext(ex, result.base_dir, self.clock, "en", look)
        window = QWidget()
        window.setFixedSize(*size)
        window.setStyleSheet(look.style_sheet())
        screen = BathtubScreenWidget(model, ctx, window)
        layout = QVBoxLayout(window)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(screen)
        window.show()
        settle_layout()
        screen.predict(screen.right_outcome, record=False)
        paths = [p.id for p in model.paths]
        img = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
        # What a playing path repaints (Qt repaints only changed widgets): the tub every frame,
        # the curves and the budget when the model's year moves on; text and buttons stay.
        def area(*parts) -> QRegion:
            region = QRegion()
            for part in parts:
                region += QRect(part.mapTo(window, QPoint(0, 0)), part.size())
            return region

        particles_only = area(screen.tub)  # particles move every frame
        new_year = area(screen.tub, screen.charts, screen.budget_text, screen.budget_bar)  # ~19 times a second
        times: list[float] = []
        counts: list[int] = []
        warmup = min(10, max(1, frames // 10))
        chosen = 0
        for i in range(frames + warmup):
            t0 = time.perf_counter()
            year = (screen.path_id, screen.index)
            if not screen.playing:
                chosen += 1
                screen.choose_path(paths[chosen % len(paths)])
            self.clock.advance(FRAME_DT)
            changed = (screen.path_id, screen.index) != year
            window.render(img, QPoint(0, 0), new_year if changed else particles_only)
            t1 = time.perf_counter()
            if i >= warmup:
                times.append((t1 - t0) * 1000.0)
                counts.append(screen.tub.sim.count)
        out = frame_figures(f"screen:{model.id}", size, times, counts)
        dispose(window)
        return out

    def emit(self, result: dict) -> None:
        print(json.dumps(result), flush=True)
        self.results[(result["case"], result["size"])] = result


def _content_diagrams(content: Path | None):
    """(case name, diagram) for every shipped screen with a diagram and every method diagram."""
    from kiosk.content.loader import load
    from kiosk.locate import find_content

    result = load(find_content(content))
    if not result.ok or result.exhibition is None:
        return None, [], [f"{p}" for p in result.problems[:3]]
    cases = []
    for screen in result.exhibition.screens:
        diagram = getattr(screen, "diagram", None)
        if diagram is not None:
            cases.append((f"screen:{screen.id}", diagram))
        for method in getattr(screen, "methods", []) or []:
            if getattr(method, "diagram", None) is not None:  # the removal mix's methods have none
                cases.append((f"method:{screen.id}/{method.id}", method.diagram))
    return result.exhibition, cases, []


def _bathtub_screens(content: Path | None):
    """(load result, screen) for every bathtub screen of the content (the screen builds its diagram)."""
    from kiosk.content.loader import load
    from kiosk.locate import find_content

    result = load(find_content(content))
    if not result.ok or result.exhibition is None:
        return []
    return [(result, s) for s in result.exhibition.screens if s.type == "bathtub"]


def main(args) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    frames = max(1, int(getattr(args, "frames", 300) or 300))
    quick = bool(getattr(args, "quick", False))
    soak = int(getattr(args, "soak_frames", 0) or 0)
    if quick:
        frames = min(frames, 30)
    bench = Bench(frames, quick)
    uptime = None
    try:
        uptime = os.getloadavg()
    except OSError:
        pass
    print(json.dumps({"bench": "kiosk", "frames": frames, "quick": quick, "loadavg": uptime}), flush=True)

    exhibition, cases, problems = _content_diagrams(getattr(args, "content", None))
    if problems:
        print(json.dumps({"case": "content", "skipped": "content did not load", "problems": problems}), flush=True)
    palette = bench.palette(exhibition)
    sizes = SIZES[:1] if quick else SIZES
    for name, diagram in cases[:2] if quick else cases:
        for size in sizes:
            bench.emit(bench.flow_case(name, diagram, size, palette, frames))

    for result, model in _bathtub_screens(getattr(args, "content", None)):
        for size in sizes:
            bench.emit(bench.bathtub_case(result, model, size, frames))

    loads = (1_000, 10_000) if quick else LOADS
    for n in loads:
        for size in sizes:
            bench.emit(bench.flow_case(f"synthetic-{n}", synthetic_diagram(n, size), size, palette, frames))

    from kiosk.naive import run_naive

    naive_frames = 2 if quick else 5
    for n in (1_000,) if quick else NAIVE_LOADS:
        size = SIZES[0]
        naive = run_naive(synthetic_diagram(n, size), size, naive_frames)
        naive["case"] = f"naive-items-{n}"
        ours = bench.results.get((f"synthetic-{n}", f"{size[0]}x{size[1]}"))
        if ours is None:
            ours = bench.flow_case(f"synthetic-{n}", synthetic_diagram(n, size), size, palette, frames)
        naive["ratio_vs_flowview"] = round(naive["median_ms"] / max(ours["median_ms"], 1e-6), 1)
        print(json.dumps(naive), flush=True)

    if soak:
        soak_run(bench, palette, soak)
    return 0


def soak_run(bench: Bench, palette, frames: int) -> None:
    """Many frames of the 10,000-particle case: memory must not grow."""
    from PySide6.QtGui import QImage, QPainter

    from kiosk.ui.render import dispose
    from kiosk.ui.widgets.flow_view import FlowView

    size = SIZES[0]
    view = FlowView(synthetic_diagram(10_000, size), bench.clock, palette, "en")
    view.resize(*size)
    img = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
    marks: list[tuple[int, float]] = []
    start = time.perf_counter()
    for i in range(frames):
        view.sim.step(FRAME_DT)
        p = QPainter(img)
        view.paint_frame(p)
        p.end()
        if i == min(100, frames - 1) or (i + 1) % max(1, frames // 10) == 0:
            gc.collect()
            marks.append((i + 1, round(rss_mb(), 1)))
    elapsed = time.perf_counter() - start
    first = marks[0][1] if marks else rss_mb()
    last = marks[-1][1] if marks else rss_mb()
    print(
        json.dumps(
            {
                "case": "soak-10000",
                "size": f"{size[0]}x{size[1]}",
                "frames": frames,
                "particles": view.sim.count,
                "rss_mb_start": first,
                "rss_mb_end": last,
                "rss_growth_mb": round(last - first, 1),
                "rss_marks": marks,
                "mean_ms": round(elapsed / max(frames, 1) * 1000, 3),
            }
        ),
        flush=True,
    )
    dispose(view)
