"""The whole kiosk in a window for a test: content loaded, the real Shell, fonts, a clock the
test moves by hand."""

from __future__ import annotations

from pathlib import Path

from kiosk.content.loader import load
from kiosk.ui.app import KioskWindow, load_fonts
from kiosk.ui.clock import AnimationClock
from kiosk.ui.shell import Shell


def open_kiosk(qtbot, content: Path, size: tuple[int, int] = (1920, 1080)):
    """(window, shell, clock) for `content`, shown at `size` (fixed before it is shown)."""
    result = load(content)
    assert result.ok, [p.headline() for p in result.problems]
    clock = AnimationClock()
    shell = Shell(result.exhibition, result.base_dir, clock, load_fonts(result))
    window = KioskWindow(shell)
    window.setFixedSize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window, shell, clock
