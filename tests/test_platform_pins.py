"""The traps of this stack, caught by tests rather than remembered."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# PySide6 6.12.0 on Python 3.11 drops a reference to None on every void-returning call
# ("Fatal Python error: none_dealloc" after a few thousand). This runs exactly that pattern.
NONE_LEAK_PROBE = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
before = sys.getrefcount(None)
for _ in range(20000):
    w.move(1, 2)
    w.update()
after = sys.getrefcount(None)
print(before, after)
"""


def test_void_calls_do_not_eat_references_to_none():
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", NONE_LEAK_PROBE], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    before, after = map(int, done.stdout.split())
    # On a broken build `after` falls by ~40,000 (or the process aborts); a sound one holds steady.
    assert after >= before - 100, f"None refcount fell from {before} to {after}"


def test_pyside6_is_not_the_release_that_aborts_on_python_311():
    if sys.version_info[:2] == (3, 11):
        assert version("PySide6-Essentials") != "6.12.0"


def test_content_model_and_flow_simulation_stay_free_of_qt():
    done = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "KEPT" in done.stdout


def test_the_shipped_package_never_imports_from_benchmarks() -> None:
    """benchmarks/ is not shipped: `kiosk bench` must work from the frozen bundle. The shared part
    (naive drawing, rss_mb) lives in kiosk and benchmarks import it from there."""
    import ast

    repo = Path(__file__).resolve().parent.parent
    offenders = []
    for path in (repo / "kiosk").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n == "benchmarks" or n.startswith("benchmarks.")]
    assert not offenders
