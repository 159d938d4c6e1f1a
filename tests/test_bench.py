"""`kiosk bench --quick` runs offscreen and prints one JSON line per case (numbers not asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_bench_quick_prints_json_lines_for_every_case(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "bench", "--quick", "--frames", "3", "--soak-frames", "20"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    cases = {line.get("case"): line for line in lines if "case" in line}
    for name in ("synthetic-1000", "synthetic-10000"):
        row = cases[name]
        assert row["size"] == "1920x1080"
        assert set(row) >= {"particles", "median_ms", "p99_ms", "rss_mb"}
        assert row["median_ms"] > 0
    # The synthetic loads hold about the particles they are named for.
    assert 9000 <= cases["synthetic-10000"]["particles"] <= 11000
    naive = cases["naive-items-1000"]
    assert naive["ratio_vs_flowview"] > 1
    soak = cases["soak-10000"]
    assert soak["frames"] == 20 and "rss_mb_start" in soak and "rss_mb_end" in soak
    # The carbon bathtub is measured playing its paths, with its particles on screen.
    tub = cases["screen:bathtub"]
    assert tub["size"] == "1920x1080" and tub["median_ms"] > 0 and tub["particles"] > 100


def test_synthetic_diagram_holds_the_requested_particles() -> None:
    from kiosk.bench import synthetic_diagram
    from kiosk.flow.sim import FlowSim

    for n in (1000, 5000):
        sim = FlowSim(synthetic_diagram(n, (1920, 1080)), (1920, 1080))
        assert abs(sim.count - n) <= 0.05 * n
