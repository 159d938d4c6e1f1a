"""Soak: tens of thousands of random touches and swipes at every screen, with the clock run fast.

    python benchmarks/soak.py [--events 50000] [--seed 1] [--size 1920x1080]

Taps land anywhere (buttons, tiles, empty space, the overlays), swipes go both ways, time jumps
now and then past the idle warning and reset. Prints exceptions seen (target 0), Qt warnings,
and resident memory after warm-up and at the end (target: growth at most 20 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.bench import rss_mb  # noqa: E402 (after the path set-up, for a plain `python benchmarks/...`)
WARM_UP = 2000  # random events after the tour before the baseline



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["KIOSK_NO_ANALYTICS"] = "1"

    from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, qInstallMessageHandler
    from PySide6.QtTest import QTest

    from kiosk.content.loader import load
    from kiosk.ui.app import KioskWindow, load_fonts, make_application
    from kiosk.ui.clock import AnimationClock
    from kiosk.ui.render import dispose, shots
    from kiosk.ui.shell import Shell

    errors: list[str] = []
    warnings: list[str] = []

    def hook(exc_type, exc, tb):  # exceptions raised inside Qt's event handlers land here
        errors.append("".join(traceback.format_exception(exc_type, exc, tb))[-1500:])

    sys.excepthook = hook
    qInstallMessageHandler(lambda mode, ctx, msg: warnings.append(msg))

    app = make_application()
    result = load(REPO / "content.yaml")
    now = [1000.0]
    clock = AnimationClock()
    shell = Shell(result.exhibition, result.base_dir, clock, load_fonts(result), now=lambda: now[0])
    window = KioskWindow(shell)
    w, h = (int(v) for v in args.size.lower().split("x"))
    window.setFixedSize(w, h)
    window.show()
    app.processEvents()
    while shell.build_remaining():  # as the running kiosk does after its first frame
        app.processEvents()
    # Warm-up: one tour of every screen, detail view and language, so that every cache a
    # visitor can fill (per-language layers, one flow view per method) is full before the
    # memory baseline is taken. Growth after that is what a ten-day event would accumulate.
    for lang in result.exhibition.languages.available:
        shell.set_language(lang)
        for _shot in shots(shell, clock, window, settle_s=0.1):
            pass
    shell.reset_for_next_visitor()
    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    rng = random.Random(args.seed)
    trace = []
    counts = {"tap": 0, "swipe": 0, "idle_jump": 0, "frames": 0}
    rss_warm = None
    t_start = time.perf_counter()

    def target(pos: QPoint):
        widget = window.childAt(pos) or window
        return widget, widget.mapFrom(window, pos)

    for i in range(args.events):
        if i == WARM_UP:
            rss_warm = rss_mb()  # after the tour and a first stretch of random use
        if i % 5000 == 0:
            trace.append(round(rss_mb(), 1))
        roll = rng.random()
        try:
            if roll < 0.75:
                pos = QPoint(rng.randrange(w), rng.randrange(h))
                widget, local = target(pos)
                QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=local)
                counts["tap"] += 1
            elif roll < 0.97:
                y = rng.randrange(h // 5, h * 4 // 5)
                x0 = rng.randrange(w // 5, w * 4 // 5)
                dx = rng.choice([-1, 1]) * rng.randrange(w // 10, w // 2)
                widget, local = target(QPoint(x0, y))
                QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=local)
                QTest.mouseMove(widget, local + QPoint(dx // 2, 0))
                QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=local + QPoint(dx, 0))
                counts["swipe"] += 1
            else:
                # Nobody touches for a while: the warning, sometimes the reset.
                now[0] += rng.choice([60.0, 95.0, 120.0])
                counts["idle_jump"] += 1
            now[0] += rng.uniform(0.05, 2.0)
            shell.idle.poll()
            clock.advance(rng.uniform(0.016, 0.25))  # the clock run fast
            if i % 50 == 0:
                window.grab()
                counts["frames"] += 1
            if i % 10 == 0:
                # What app.exec() does between touches, deferred deletes included
                # (processEvents alone never runs them outside an event loop).
                app.processEvents()
                QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        except Exception:  # noqa: BLE001 - the point is to count them
            errors.append(traceback.format_exc()[-1500:])
    app.processEvents()
    rss_end = rss_mb()
    elapsed = time.perf_counter() - t_start
    shell.shutdown()
    dispose(window)
    report = {
        "case": "soak",
        "events": args.events,
        **counts,
        "exceptions": len(errors),
        "qt_warnings": len(warnings),
        "rss_warm_mb": round(rss_warm or float("nan"), 1),
        "rss_end_mb": round(rss_end, 1),
        "growth_mb": round(rss_end - (rss_warm or rss_end), 1),
        "rss_every_5000_mb": trace,
        "seconds": round(elapsed, 1),
    }
    print(json.dumps(report), flush=True)
    for text in errors[:5]:
        print(text, file=sys.stderr)
    for text in sorted(set(warnings))[:10]:
        print("qt warning:", text, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
