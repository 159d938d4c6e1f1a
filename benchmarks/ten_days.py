"""An accelerated ten-day event: the real app, on clocks this script controls, through ten opening
days of visitors, measured after every day.

    python benchmarks/ten_days.py [--days 10] [--visits 80] [--seed 1] [--size 1920x1080]

One process, offscreen: the real Shell in a KioskWindow, real visit analytics (SQLite, WAL) and
the real rotating log files in a temporary folder, hot reload through LiveContent. Wall time
(visit dates) and monotonic time (idle timer, visit lengths) are fake clocks moved by the script:
each day opens at 10:00 and closes at 18:00, nights are skipped. Visitors are the scripted
visitor of kiosk.ui.autopilot (touches on buttons and anywhere on the screen shown, so every
screen type in the registry is driven, swipes, languages, display settings, the menu); most
visits end at the real idle reset ("Still there?" and the countdown), some visitors walk away.
The content file is replaced a few times a day and reloaded, and once more every evening before
the day's figures are taken (so each day is measured in the same state: fresh screens, all
built). Day 0 is the warm-up (a tour of every screen in every language first).

Prints one row per day: resident memory (all of it, its anonymous part, and malloc's bytes in
use), open file descriptors, live QObjects, threads, the database and log sizes, and the wall
time the day took; then a JSON summary with each day's growth and the least-squares trend per
day. Flat means: after the warm-up no day adds more than 1 MB of memory or any file descriptor.
Resident memory also counts pages of mapped files (libraries, fonts) that come and go with use;
the anonymous part and the heap figure are what the kiosk itself holds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import shutil
import sys
import threading
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.bench import heap_in_use_mb, rss_mb, rss_parts_mb  # noqa: E402

OPEN_H, CLOSE_H = 10, 18


class SimClock:
    """Wall and monotonic time for the whole app, moved only by the script."""

    def __init__(self, start: dt.datetime) -> None:
        self.wall_t = start.timestamp()
        self.mono_t = 100_000.0

    def wall(self) -> float:
        return self.wall_t

    def mono(self) -> float:
        return self.mono_t

    def advance(self, seconds: float) -> None:
        self.wall_t += seconds
        self.mono_t += seconds


def open_fds() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return -1


def os_threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def live_qobjects(app) -> int:
    """Every QObject under the application and under each top-level widget, counted in C++
    (dumpObjectTree prints one line per object): asking PySide for the children instead
    (findChildren) would make Python wrappers that outlive the objects and skew the count."""
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    lines: list[str] = []
    previous = qInstallMessageHandler(lambda mode, ctx, msg: lines.append(msg))
    try:
        app.dumpObjectTree()
        for top in QApplication.topLevelWidgets():
            top.dumpObjectTree()
    finally:
        qInstallMessageHandler(previous)
    return sum(msg.count("\n") + 1 for msg in lines)


def trim_heap() -> None:
    """Hand freed heap pages back to the OS before reading RSS (glibc), so the figure shows what
    is alive rather than where malloc's arenas happen to stand; a no-op elsewhere."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def content_variants() -> list[str]:
    text = (REPO / "content.yaml").read_text(encoding="utf-8")
    assert "  idle_warning_s: 90\n" in text
    return [text.replace("  idle_warning_s: 90\n", f"  idle_warning_s: {w}\n") for w in (90, 88, 92)]


def run(days: int, visits_per_day: int, work: Path, seed: int = 1, size=(1920, 1080), report=print) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer, qInstallMessageHandler

    from kiosk.analytics import Analytics
    from kiosk.atomic import write_atomic
    from kiosk.content.loader import load
    from kiosk.logs import setup_logging, teardown_logging
    from kiosk.ui.app import KioskWindow, load_fonts, make_application
    from kiosk.ui.autopilot import Autopilot
    from kiosk.ui.clock import AnimationClock
    from kiosk.ui.render import dispose, shots
    from kiosk.ui.shell import Shell
    from kiosk.ui.wiring import LiveContent

    errors: list[str] = []
    previous_hook = sys.excepthook
    sys.excepthook = lambda t, e, tb: errors.append("".join(traceback.format_exception(t, e, tb))[-1500:])
    qt_warnings: list[str] = []
    previous_handler = qInstallMessageHandler(lambda mode, ctx, msg: qt_warnings.append(msg))

    work.mkdir(parents=True, exist_ok=True)
    content_dir = work / "content"
    if not content_dir.exists():
        content_dir.mkdir()
        shutil.copytree(REPO / "assets", content_dir / "assets")
    content = content_dir / "content.yaml"
    variants = content_variants()
    shown = [0]  # which variant the content file holds

    def edit_content() -> None:
        """Another version of the content file (never the same: that would be no reload)."""
        shown[0] = (shown[0] + rng.randrange(1, len(variants))) % len(variants)
        write_atomic(content, variants[shown[0]])
        live.reload_now()
        totals["reloads"] += 1

    write_atomic(content, variants[0])
    log_dir, db = work / "log", work / "data" / "analytics.sqlite3"
    setup_logging(log_dir=log_dir, stderr=False)

    rng = random.Random(seed)
    first_day = dt.datetime(2026, 10, 20, OPEN_H, 0)  # across the October DST change, on purpose
    sim = SimClock(first_day)
    app = make_application()
    result = load(content)
    assert result.ok, [p.headline() for p in result.problems]
    analytics = Analytics(db, clock=sim.wall, monotonic=sim.mono)
    anim = AnimationClock()
    shell = Shell(result.exhibition, result.base_dir, anim, load_fonts(result), analytics=analytics, now=sim.mono)
    window = KioskWindow(shell)
    window.setFixedSize(*size)
    window.show()
    live = LiveContent(shell, content, result)
    pilot = Autopilot(shell, rng, leave_p=0.02)

    def pump() -> None:
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def settle_for_measure() -> None:
        # A short real event loop, as app.exec() gives the running kiosk: objects whose
        # deleteLater() was called outside any loop are deleted only once one runs.
        for _ in range(2):
            pump()
            loop = QEventLoop()
            QTimer.singleShot(30, loop.quit)
            loop.exec()
            gc.collect()
        trim_heap()

    # Warm-up tour: every screen, variant and overlay in every language (as the soak does).
    while shell.build_remaining():
        pump()
    for lang in result.exhibition.languages.available:
        shell.set_language(lang)
        for _shot in shots(shell, anim, window, settle_s=0.1):
            pass
    shell.reset_for_next_visitor()

    rows: list[dict] = []
    types_seen: set[str] = set()
    totals = {"visits": 0, "steps": 0, "idle_resets": 0, "reloads": 0, "frames": 0}
    shell.idle.timed_out.connect(lambda: totals.__setitem__("idle_resets", totals["idle_resets"] + 1))
    try:
        for day in range(days + 1):  # day 0: warm-up
            t0 = time.perf_counter()
            opening = dt.datetime.combine(first_day.date() + dt.timedelta(days=day), dt.time(OPEN_H))
            sim.advance(opening.timestamp() - sim.wall_t)  # the night passes
            closing = opening.replace(hour=CLOSE_H).timestamp()
            reload_at = sorted(rng.uniform(opening.timestamp(), closing) for _ in range(3))
            day_visits = visits_per_day
            gap = (closing - opening.timestamp()) / (day_visits + 1)
            for _visit in range(day_visits):
                while reload_at and sim.wall_t >= reload_at[0]:
                    reload_at.pop(0)
                    edit_content()
                pilot.step()  # the first touch starts the visit
                totals["visits"] += 1
                for _ in range(rng.randrange(4, 30)):
                    if shell.index == 0:
                        break  # walked away
                    sim.advance(rng.uniform(1.0, 15.0))
                    shell.idle.poll()
                    pilot.step()
                    types_seen.add(shell.current.model.type)
                    totals["steps"] += 1
                    anim.advance(rng.uniform(0.016, 0.1))
                    if totals["steps"] % 25 == 0:
                        window.grab()
                        totals["frames"] += 1
                    if totals["steps"] % 5 == 0:
                        pump()
                if shell.index != 0:
                    # Nobody touches any more: the warning, the countdown, the reset (the real one).
                    for _ in range(int(shell.idle.warn_after_s + shell.idle.countdown_s) // 10 + 2):
                        sim.advance(10.0)
                        shell.idle.poll()
                sim.advance(max(0.0, gap - 120))
                pump()
            analytics.today_summary()  # the operator looks at the panel at closing time
            analytics.flush(10)
            # Measure in the same state every evening: tomorrow's content loaded (the evening
            # edit; on the attract loop it applies at once) and every screen of it built. What a
            # day's visitors filled (detail views, per-language layers) is gone with the old
            # screens, so what stays is what the event accumulates. The last visitor's language
            # and display settings are put back first (as the idle reset does), so no evening
            # measures a German high-contrast layout against an English one.
            shell.reset_for_next_visitor()
            pump()
            edit_content()
            while shell.build_remaining():
                pump()
            settle_for_measure()
            row = {
                "day": day,
                "date": opening.date().isoformat(),
                "rss_mb": round(rss_mb(), 1),
                "anon_mb": round(rss_parts_mb().get("anon", 0.0), 1),
                "heap_mb": round(heap_in_use_mb() or 0.0, 2),
                "fds": open_fds(),
                "qobjects": live_qobjects(app),
                "py_objects": len(gc.get_objects()),
                "threads": os_threads(),
                "db_kb": round(sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1024),
                "log_kb": round(folder_bytes(log_dir) / 1024),
                "visits": totals["visits"],
                "wall_s": round(time.perf_counter() - t0, 1),
            }
            rows.append(row)
            report(row)
    finally:
        live.stop()
        shell.shutdown()
        analytics.close()
        dispose(window)
        teardown_logging()
        qInstallMessageHandler(previous_handler)
        sys.excepthook = previous_hook
    after = rows[1:]
    warm = rows[1] if len(rows) > 1 else rows[0]

    def day_steps(key: str) -> list[float]:
        """What each day after the warm-up added to `key` (negative: gave back)."""
        return [round(b[key] - a[key], 1) for a, b in zip(after, after[1:])]

    growth, anon_growth = day_steps("rss_mb"), day_steps("anon_mb")

    def trend(key: str) -> float:
        """Least-squares slope over the days after the warm-up, MB a day: the creep, without
        one day's ups and downs (which visitors happened to leave in the caches)."""
        points = [(r["day"], r[key]) for r in after]
        if len(points) < 2:
            return 0.0
        mean_d = sum(d for d, _ in points) / len(points)
        mean_v = sum(v for _, v in points) / len(points)
        return round(sum((d - mean_d) * (v - mean_v) for d, v in points) / sum((d - mean_d) ** 2 for d, _ in points), 3)

    return {
        "case": "ten-days",
        "days": days,
        "visits_per_day": visits_per_day,
        **totals,
        "screen_types_driven": sorted(types_seen),
        "exceptions": len(errors),
        "errors": errors[:3],
        "qt_warnings": len(qt_warnings),
        "rss_growth_per_day_mb": growth,
        "max_day_growth_mb": max(growth, default=0.0),
        "max_day_growth_anon_mb": max(anon_growth, default=0.0),
        "rss_trend_mb_per_day": trend("rss_mb"),
        "anon_trend_mb_per_day": trend("anon_mb"),
        "heap_trend_mb_per_day": trend("heap_mb"),
        "fds_added_after_warmup": max((r["fds"] for r in after), default=warm["fds"]) - warm["fds"],
        "rows": rows,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--visits", type=int, default=80, help="visits per simulated day")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    import tempfile

    w, h = (int(v) for v in args.size.lower().split("x"))
    work = Path(tempfile.mkdtemp(prefix="kiosk-ten-days-"))
    header = f"{'day':>3} {'date':<10} {'RSS MB':>7} {'anon MB':>7} {'heap MB':>7} {'fds':>4} {'QObjects':>8} {'Python obj':>10} {'threads':>7} {'DB kB':>6} {'log kB':>6} {'visits':>6} {'wall s':>6}"
    print(header, flush=True)

    def line(r: dict) -> None:
        print(f"{r['day']:>3} {r['date']:<10} {r['rss_mb']:>7.1f} {r['anon_mb']:>7.1f} {r['heap_mb']:>7.2f} {r['fds']:>4} {r['qobjects']:>8} {r['py_objects']:>10} {r['threads']:>7}"
              f" {r['db_kb']:>6} {r['log_kb']:>6} {r['visits']:>6} {r['wall_s']:>6}", flush=True)

    try:
        summary = run(args.days, args.visits, work, args.seed, (w, h), report=line)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary.pop("rows")
    print(json.dumps(summary), flush=True)
    return 1 if summary["exceptions"] else 0


if __name__ == "__main__":
    sys.exit(main())
