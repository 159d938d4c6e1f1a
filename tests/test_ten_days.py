"""An accelerated event, shortened: ten opening days with a few visitors each, the real app on
clocks the test controls (benchmarks/ten_days.py; run it there for the full table with memory).

Asserted here: nothing raises, no day after the warm-up adds a file descriptor or a thread, live
QObjects stay bounded while content is reloaded three times a day, the logs stay under their
rotation cap, every screen type of the content is driven. Memory is printed, not asserted."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.ten_days import run  # noqa: E402
from kiosk.content.loader import load  # noqa: E402
from kiosk.logs import BACKUPS, MAX_BYTES  # noqa: E402

DAYS, VISITS = 10, 3


def test_ten_days_stay_flat(qapp, tmp_path, shipped_content_path):
    rows: list[dict] = []
    summary = run(DAYS, VISITS, tmp_path / "event", seed=3, size=(1280, 720), report=rows.append)
    for r in rows:
        print(r)
    print({k: v for k, v in summary.items() if k != "rows"})
    assert summary["exceptions"] == 0, summary["errors"]
    assert len(rows) == DAYS + 1 and summary["visits"] == (DAYS + 1) * VISITS
    assert summary["reloads"] >= DAYS and summary["idle_resets"] >= DAYS
    warm, after = rows[1], rows[1:]
    assert all(r["fds"] <= warm["fds"] for r in after), [r["fds"] for r in rows]
    assert all(r["threads"] <= warm["threads"] for r in after), [r["threads"] for r in rows]
    # Which detail views exist depends on what visitors opened since the last reload, so the
    # count moves a little; a leak per reload (30 reloads here) would climb far past this.
    first_days = max(r["qobjects"] for r in rows[1:4])
    assert max(r["qobjects"] for r in after) <= first_days + 10, [r["qobjects"] for r in rows]
    assert all(r["log_kb"] * 1024 <= MAX_BYTES * (BACKUPS + 1) for r in rows)
    types = {screen.type for screen in load(shipped_content_path).exhibition.screens}
    assert types <= set(summary["screen_types_driven"])
