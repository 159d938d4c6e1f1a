"""`python benchmarks/naive_items.py`: FlowView and one-item-per-particle drawing on the same loads.

The naive drawing itself lives in kiosk.naive (the shipped `kiosk bench` uses it too), so the
package never imports from benchmarks/.
"""

from __future__ import annotations


def main() -> int:
    """`python benchmarks/naive_items.py`: FlowView and the naive scene on the same loads, and the ratio."""
    import json
    import os
    import sys
    from pathlib import Path

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from PySide6.QtWidgets import QApplication

    from kiosk.bench import NAIVE_LOADS, SIZES, Bench, synthetic_diagram
    from kiosk.naive import run_naive

    app = QApplication.instance() or QApplication([])  # noqa: F841 (keeps Qt alive for the run)
    bench = Bench(frames=120, quick=False)
    palette = bench.palette(None)
    size = SIZES[0]
    for n in NAIVE_LOADS:
        ours = bench.flow_case(f"synthetic-{n}", synthetic_diagram(n, size), size, palette, 120)
        naive = run_naive(synthetic_diagram(n, size), size, frames=5)
        naive["case"] = f"naive-items-{n}"
        naive["ratio_vs_flowview"] = round(naive["median_ms"] / max(ours["median_ms"], 1e-6), 1)
        print(json.dumps(ours), flush=True)
        print(json.dumps(naive), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
