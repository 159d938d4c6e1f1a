"""What a visitor sees: the kiosk in a real X window, frames delivered on each animated screen.

    python benchmarks/real_window.py [--sizes 1920x1080,3840x2160] [--seconds 5] [--repo PATH]

Starts Xvfb at each size (no window manager, like a kiosk PC), runs the kiosk fullscreen in a
child process on Qt's xcb platform, and shows each animated screen in turn: the attract loop,
sources and sinks, storage and a method detail. For each it prints one JSON line: frames drawn
per second, dropped frames (gaps of more than 1.5 frame periods at 60 Hz), and CPU time per
second of the kiosk process and of the X server, both from /proc. `--repo` measures another
checkout's code (e.g. main, for a before/after), with this machine's Python packages.

Figures, not tests: nothing is asserted. Linux only (/proc), needs Xvfb.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FRAME_S = 1 / 60
CASES = ("attract", "flows", "storage", "method:daccs")


def cpu_seconds(pid: int | str = "self") -> float:
    """utime + stime of a process, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_display() -> int:
    for n in range(150, 250):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


def run_size(size: str, seconds: float, repo: Path) -> list[dict]:
    n = free_display()
    xvfb = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while not Path(f"/tmp/.X11-unix/X{n}").exists():
            if xvfb.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        env = dict(os.environ, DISPLAY=f":{n}", KIOSK_NO_ANALYTICS="1", KIOSK_HIDE_CURSOR="0")
        env.pop("QT_QPA_PLATFORM", None)
        env.pop("WAYLAND_DISPLAY", None)
        child = subprocess.run(
            [sys.executable, __file__, "--child", "--seconds", str(seconds), "--repo", str(repo),
             "--xserver-pid", str(xvfb.pid)],
            env=env, capture_output=True, text=True, timeout=600,
        )
        if child.returncode != 0:
            raise RuntimeError(f"kiosk child failed:\n{child.stdout}\n{child.stderr[-3000:]}")
        rows = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
        for row in rows:
            row["size"] = size
        return rows
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def child(seconds: float, repo: Path, xserver_pid: int) -> int:
    sys.path.insert(0, str(repo))
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtGui import QGuiApplication

    from kiosk.content.loader import load
    from kiosk.ui.app import KioskWindow, load_fonts, make_application
    from kiosk.ui.clock import AnimationClock
    from kiosk.ui.shell import Shell
    from kiosk.ui.widgets.flow_view import FlowView

    app = make_application()
    assert QGuiApplication.platformName() == "xcb", QGuiApplication.platformName()
    result = load(repo / "content.yaml")
    clock = AnimationClock(parent=app)
    shell = Shell(result.exhibition, result.base_dir, clock, load_fonts(result))
    window = KioskWindow(shell)
    window.cover_screen()
    clock.start()
    while shell.build_remaining():
        app.processEvents()

    def wait(s: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(round(s * 1000), loop.quit)
        loop.exec()

    class FrameCounter(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.times: list[float] = []

        def eventFilter(self, obj, event) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                now = time.perf_counter()
                # one frame may paint the view in two pieces (particles, the moving attract block)
                if not self.times or now - self.times[-1] > 0.004:
                    self.times.append(now)
            return False

    ids = [s.id for s in result.exhibition.screens]
    for case in CASES:
        name, _, variant = case.partition(":")
        target = "technologies" if name == "method" else name
        if target not in ids:
            continue
        index = ids.index(target)
        shell.go_to(index)
        if variant:
            shell.current.show_variant(variant)
        wait(1.0)  # layers built, particles flowing
        views = [v for v in window.findChildren(FlowView) if v.isVisible()]
        if not views:
            continue
        counter = FrameCounter()
        views[0].installEventFilter(counter)
        cpu0, x0, t0 = cpu_seconds(), cpu_seconds(xserver_pid), time.perf_counter()
        wait(seconds)
        cpu1, x1, t1 = cpu_seconds(), cpu_seconds(xserver_pid), time.perf_counter()
        views[0].removeEventFilter(counter)
        times = counter.times
        gaps = [b - a for a, b in zip(times, times[1:])]
        dropped = sum(max(0, round(g / FRAME_S) - 1) for g in gaps if g > 1.5 * FRAME_S)
        wall = t1 - t0
        print(json.dumps({
            "case": f"real_window:{case}",
            "fps": round(len(times) / wall, 1),
            "dropped_frames": dropped,
            "dropped_per_s": round(dropped / wall, 2),
            "worst_gap_ms": round(max(gaps) * 1000, 1) if gaps else None,
            "kiosk_cpu_per_s": round((cpu1 - cpu0) / wall, 3),
            "xserver_cpu_per_s": round((x1 - x0) / wall, 3),
            "view": f"{views[0].width()}x{views[0].height()}",
            "screen": f"{shell.current.width()}x{shell.current.height()}",
        }), flush=True)
    shell.shutdown()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1920x1080,3840x2160")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose kiosk code to measure")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--xserver-pid", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.seconds, args.repo.resolve(), args.xserver_pid)
    for size in args.sizes.split(","):
        for row in run_size(size.strip(), args.seconds, args.repo.resolve()):
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
