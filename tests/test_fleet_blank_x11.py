"""Issue 14, opening hours on a real X server (Xvfb): a server without DPMS is detected, and the
kiosk falls back to a black window with its animation stopped, then wakes at opening time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NEEDED = ("Xvfb", "xset")
missing = [tool for tool in NEEDED if shutil.which(tool) is None]
if missing and os.environ.get("CI"):
    raise RuntimeError(f"CI must install {missing} (see .ci/run)")
pytestmark = pytest.mark.skipif(bool(missing), reason=f"needs {missing}")

SCRIPT = textwrap.dedent(
    """
    import datetime as dt
    from PySide6.QtWidgets import QApplication, QWidget
    app = QApplication([])
    from kiosk.sync.hours import Schedule
    from kiosk.ui.clock import AnimationClock
    from kiosk.ui.fleet import Curtain
    w = QWidget(); w.setStyleSheet("background: white"); w.resize(400, 300); w.show()
    for _ in range(20): app.processEvents()
    clock = AnimationClock(); clock.start()
    now = {"t": dt.datetime(2026, 12, 1, 20, 0)}
    c = Curtain(w, clock, Schedule({"mon-fri": "09:00-18:00"}), now=lambda: now["t"])
    for _ in range(20): app.processEvents()
    img = w.grab().toImage()
    print("CLOSED", c.blanked, c.dpms_used, clock.running, img.pixelColor(200, 150).name(), app.platformName(), flush=True)
    now["t"] = dt.datetime(2026, 12, 2, 9, 0)
    c.check()
    print("OPEN", c.blanked, c.cover.isVisible(), clock.running, flush=True)
    """
)


def test_no_dpms_means_a_black_window_and_a_stopped_clock(tmp_path):
    n = next(i for i in range(140, 190) if not Path(f"/tmp/.X11-unix/X{i}").exists() and not Path(f"/tmp/.X{i}-lock").exists())
    xvfb = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "800x600x24", "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{n}").exists():
            assert xvfb.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        env = dict(os.environ, DISPLAY=f":{n}", PYTHONPATH=str(REPO))
        env.pop("QT_QPA_PLATFORM", None)
        out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60)
        # Xvfb has no DPMS extension; `xset dpms force off` still exits 0 there
        assert subprocess.run(["xset", "-display", f":{n}", "dpms", "force", "off"], capture_output=True).returncode == 0
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    lines = {line.split()[0]: line.split()[1:] for line in out.stdout.splitlines() if line.split()}
    assert lines["CLOSED"] == ["True", "False", "False", "#000000", "xcb"], out.stdout + out.stderr
    assert lines["OPEN"] == ["False", "False", "True"], out.stdout + out.stderr
