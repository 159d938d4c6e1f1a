"""Touch to update on the removal-mix screen: a press on + until the window is repainted.

    python benchmarks/removal_mix_latency.py [--presses 60] [--size 1920x1080]

A real mouse press and release on a stepper's + button (QTest), then the event loop's work (the
relayout the new texts ask for and the repaint of what changed), and, as a worst case, a
synchronous `repaint()` of the whole window on top.
Offscreen software rendering, like kiosk PCs without a GPU. Prints one JSON line; figures, not a
test (the target is under 50 ms at 1080p; visitors notice delays above 100 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KIOSK_NO_ANALYTICS", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from kiosk.content.loader import load
    from kiosk.ui.app import build_window, make_application, parse_size
    from kiosk.ui.clock import AnimationClock
    from kiosk.ui.render import dispose, settle_layout

    app = make_application()
    result = load(REPO / "content.yaml")
    clock = AnimationClock(parent=app)
    window = build_window(result, clock)
    window.resize(*parse_size(args.size))
    window.show()
    shell = window.shell
    shell.set_language(args.lang)
    ids = [s.id for s in shell.exhibition.screens]
    shell.go_to(ids.index("removal_mix"))
    screen = shell.current
    settle_layout()
    # Step forests and air capture up and down (never reaching the goal, so the game stays open).
    plan = []
    for method in ("forests", "daccs", "biochar"):
        stepper = next(s for s in screen.steppers if s.method.id == method)
        plan += [stepper.plus] * 4 + [stepper.minus] * 4
    dirty, full = [], []
    for i in range(args.presses):
        button = plan[i % len(plan)]
        t0 = time.perf_counter()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        # The event loop's own work after a touch: relayout and repaint of what changed.
        settle_layout()
        t1 = time.perf_counter()
        window.repaint()  # the worst case: the whole window drawn again
        t2 = time.perf_counter()
        dirty.append((t1 - t0) * 1000)
        full.append((t2 - t0) * 1000)

    def figures(times: list[float]) -> dict:
        times = sorted(times)
        return {
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            "max_ms": round(times[-1], 1),
        }

    print(json.dumps({
        "case": "removal_mix_touch_to_update",
        "size": args.size,
        "lang": args.lang,
        "presses": len(dirty),
        "changed_parts_repainted": figures(dirty),
        "whole_window_repainted": figures(full),
    }))
    shell.shutdown()
    dispose(window)


if __name__ == "__main__":
    main()
