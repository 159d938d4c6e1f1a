"""Every screen, in every language and at every screen size, draws and its text fits.

This is the test an operator's translation or a new figure most often breaks: a German
compound word too wide for its card, a lead too long for 1080 px. `kiosk render` prints the
same report; here it fails the build.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QScrollArea

from kiosk.ui.render import dispose, settle_layout, shots

from image_compare import as_array, compare_golden
from kiosk_window import open_kiosk

SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]


CASES = [(size, ()) for size in SIZES] + [
    # Larger text may make a long screen scroll, but nothing may be clipped or overlap.
    ((1920, 1080), ("larger_text",)),
    ((1080, 1920), ("larger_text",)),
    ((1920, 1080), ("high_contrast", "reduced_motion")),
]


def case_id(case) -> str:
    (w, h), settings = case
    return f"{w}x{h}" + "".join(f"-{name}" for name in settings)


@pytest.mark.parametrize("size,settings", CASES, ids=[case_id(c) for c in CASES])
def test_every_screen_fits_in_every_language(qtbot, shipped_content_path, size, settings):
    window, shell, clock = open_kiosk(qtbot, shipped_content_path, size)
    for name in settings:
        shell.set_setting(name, True)
    problems, drawn = [], 0
    try:
        for lang in shell.exhibition.languages.available:
            shell.set_language(lang)
            for name, image, found in shots(shell, clock, window, settle_s=0.5):
                assert not image.isNull()
                # Something is drawn: not one flat colour (a black or blank screen).
                assert as_array(image).std() > 5, f"{name}[{lang}] is blank"
                drawn += 1
                problems += found
                # At normal text size a screen fits the window: a scroll bar a few pixels long
                # is a thin line at the edge and a footer a visitor has to drag up to read.
                area = shell.stack.currentWidget()
                if "larger_text" not in settings and shell.index > 0 and not name.startswith("99_") and isinstance(area, QScrollArea):
                    over = area.verticalScrollBar().maximum()
                    if over > 0:
                        problems.append(f"{name}[{lang}] scrolls by {over} px")
    finally:
        shell.shutdown()
        dispose(window)
    assert drawn >= len(shell.exhibition.languages.available) * (6 + 3)  # screens, overlays
    assert not problems, "\n".join(str(p) for p in problems)


@pytest.mark.parametrize("screen_id", ["why", "coalition", "flows", "technologies:daccs", "ending"])
def test_golden_image_of_a_screen(qtbot, shipped_content_path, tmp_path, screen_id):
    """Pictures included: icons on the cards, the scene behind the flows (particles from a fixed
    seed on a clock that does not run), the method detail's cross-section, the ending."""
    window, shell, clock = open_kiosk(qtbot, shipped_content_path, (1920, 1080))
    try:
        ids = [s.id for s in shell.exhibition.screens]
        screen, _, variant = screen_id.partition(":")
        shell.go_to(ids.index(screen))
        if variant:
            shell.current.show_variant(variant)
        settle_layout()
        name = screen_id.replace(":", "_")
        compare_golden(window.grab().toImage(), f"screen_{name}_en_1920x1080.png", tmp_path)
    finally:
        shell.shutdown()
        dispose(window)
