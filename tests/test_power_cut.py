"""Power cut at any moment: the real kiosk is killed with SIGKILL at random points (while it
reloads content, writes visits, rotates its log, while the operator PIN is being changed) and
every next start shows the last good content with an intact analytics database.

The loop lives in benchmarks/power_cut.py (run it there for 50+ kills and a printed summary);
this test runs a shorter series."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.power_cut import run  # noqa: E402

KILLS = 10


def test_every_restart_after_a_sigkill_is_intact(tmp_path):
    lines: list[str] = []
    totals = run(KILLS, tmp_path / "power-cut", seed=13, report=lines.append)
    print("\n".join(lines))
    print(totals)
    assert totals["kills"] == KILLS
    assert totals["intact_restarts"] == KILLS, totals["problems"]
    # The series really did what it claims: reloads, PIN changes cut short, rotations, visits.
    assert totals["content_writes"] >= KILLS
    assert totals["pin_changes_killed"] >= 1
    assert totals["rotations"] >= 1
    assert totals["visits_recorded"] >= 1
