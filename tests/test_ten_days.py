"""An accelerated event, shortened: ten opening days with a few visitors each, the real app on
clocks the test controls (benchmarks/ten_days.py; run it there for the full table with memory).

Asserted here: nothing raises, no day after the warm-up adds a file descriptor, a thread, a live
QObject or (beyond noise) a Python object while content is reloaded several times a day, the logs stay under their
rotation cap, every screen type of the content is driven. Memory is printed, not asserted."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.content.loader import load  # noqa: E402
from kiosk.logs import BACKUPS, MAX_BYTES  # noqa: E402

DAYS, VISITS = 10, 3


RUNNER = """
import json, logging, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from PySide6.QtWidgets import QApplication
app = QApplication.instance() or QApplication(["ten-days"])
from benchmarks.ten_days import run
rows = []
summary = run(int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[2]), seed=3, size=(1280, 720), report=rows.append)
summary.pop("rows", None)
print("RESULT " + json.dumps({"rows": rows, "summary": summary}, default=str), flush=True)
"""


def test_ten_days_stay_flat(tmp_path, shipped_content_path):
    # Its own interpreter, as the kiosk runs: nothing left over from other tests' windows, and a
    # crash is reported as what it is instead of ending the whole test run.
    import json
    import os
    import subprocess

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", RUNNER, str(REPO), str(tmp_path / "event"), str(DAYS), str(VISITS)],
        capture_output=True, text=True, timeout=1200, env=env, cwd=str(REPO),
    )
    assert proc.returncode == 0, proc.stderr[-5000:]
    result = json.loads(next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))[7:])
    rows, summary = result["rows"], result["summary"]
    for r in rows:
        print(r)
    print({k: v for k, v in summary.items() if k != "rows"})
    assert summary["exceptions"] == 0, summary["errors"]
    assert len(rows) == DAYS + 1 and summary["visits"] == (DAYS + 1) * VISITS
    assert summary["reloads"] >= DAYS and summary["idle_resets"] >= DAYS
    warm, after = rows[1], rows[1:]
    assert all(r["fds"] <= warm["fds"] for r in after), [r["fds"] for r in rows]
    assert all(r["threads"] <= warm["threads"] for r in after), [r["threads"] for r in rows]
    # Every evening ends with a content edit, so each day is measured with fresh screens: the
    # same objects every day, unless something leaks (as the scroll areas and their touch
    # gestures did, once per reload).
    assert all(r["qobjects"] <= warm["qobjects"] for r in after), [r["qobjects"] for r in rows]
    assert all(r["py_objects"] <= warm["py_objects"] + 1000 for r in after), [r["py_objects"] for r in rows]
    assert all(r["log_kb"] * 1024 <= MAX_BYTES * (BACKUPS + 1) for r in rows)
    types = {screen.type for screen in load(shipped_content_path).exhibition.screens}
    assert types <= set(summary["screen_types_driven"])
