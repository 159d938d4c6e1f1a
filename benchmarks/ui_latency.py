"""Start to first frame, touch to next screen drawn, and memory after walking every screen.

    python benchmarks/ui_latency.py [--runs 5] [--size 1920x1080]

Prints one JSON line per measurement. Offscreen (software rendering), like the kiosk PCs
without a GPU; no assertions: figures, not tests.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.bench import rss_mb  # noqa: E402 (after the path set-up, for a plain `python benchmarks/...`)



def start_to_first_frame(runs: int) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_NO_ANALYTICS="1")
    first, wall = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "run", "--smoke", "--content", str(REPO / "content.yaml")],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        wall.append((time.perf_counter() - t0) * 1000)
        match = re.search(r"KIOSK READY first_frame_ms=(\d+)", done.stdout)
        if done.returncode != 0 or not match:
            raise SystemExit(f"smoke run failed: {done.stdout}\n{done.stderr[-2000:]}")
        first.append(int(match.group(1)))
    return {
        "case": "start_to_first_frame",
        "runs": runs,
        "median_ms": statistics.median(first),
        "max_ms": max(first),
        "smoke_run_wall_median_ms": round(statistics.median(wall)),
    }


def touch_latency_and_memory(size: tuple[int, int]) -> list[dict]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["KIOSK_NO_ANALYTICS"] = "1"
    from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
    from PySide6.QtTest import QTest

    from kiosk.content.loader import load
    from kiosk.ui.app import KioskWindow, load_fonts, make_application
    from kiosk.ui.clock import AnimationClock
    from kiosk.ui.render import dispose
    from kiosk.ui.shell import Shell

    app = make_application()
    result = load(REPO / "content.yaml")
    clock = AnimationClock()
    shell = Shell(result.exhibition, result.base_dir, clock, load_fonts(result))
    window = KioskWindow(shell)
    window.setFixedSize(*size)
    window.show()
    app.processEvents()
    rss_start = rss_mb()
    # As in a real run: the walk's screens are built while the attract loop plays.
    while shell.build_remaining():
        app.processEvents()

    def touch(widget) -> float:
        """Press and release like a finger, then draw the whole window: time until drawn."""
        app.processEvents()  # what the event loop does between two touches, deferred deletes too
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        t0 = time.perf_counter()
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(widget.width() // 2, widget.height() // 2))
        window.grab()
        return (time.perf_counter() - t0) * 1000

    latencies = []
    for lang in result.exhibition.languages.available:
        shell.go_to(0)
        latencies.append(touch(shell.attract.lang_buttons[lang]))
        while shell.index < shell.screen_count - 1:  # on the last screen Next says "Start again"
            clock.advance(1 / 60)
            latencies.append(touch(shell.bottom.next_button))
        for screen in shell.screens:  # open every detail view too, as a curious visitor would
            for _name, key in screen.render_variants():
                shell.go_to(shell.screens.index(screen))
                screen.show_variant(key)
                clock.advance(1 / 60)
                window.grab()
        shell.reset_for_next_visitor()
    # Then the kiosk idles a moment, as between two visitors: its heap trim runs (kiosk.ui.memory).
    deadline = time.perf_counter() + 2.0
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.02)
    rss_end = rss_mb()
    shell.shutdown()
    dispose(window)
    latencies.sort()
    return [
        {
            "case": "touch_to_next_screen_drawn",
            "size": f"{size[0]}x{size[1]}",
            "touches": len(latencies),
            "median_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
            "max_ms": round(latencies[-1], 1),
        },
        {
            "case": "memory_after_walking_every_screen",
            "size": f"{size[0]}x{size[1]}",
            "rss_first_screen_mb": round(rss_start, 1),
            "rss_after_walk_and_2s_idle_mb": round(rss_end, 1),
        },
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))
    print(json.dumps(start_to_first_frame(args.runs)), flush=True)
    for line in touch_latency_and_memory((w, h)):
        print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
