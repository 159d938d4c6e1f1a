"""The theme's fonts, registered with Qt from the content folder.

Its own module so that the window (app.py) and the live-reload wiring (wiring.py) both use it
while importing each other only one way: app -> wiring.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFontDatabase

from kiosk.content.loader import LoadResult

log = logging.getLogger(__name__)
FALLBACK_FAMILY = "Sans Serif"


def load_fonts(result: LoadResult) -> str:
    """Register the theme's fonts from assets/ and return the family name to use."""
    family = FALLBACK_FAMILY
    if result.exhibition is None:
        return family
    theme = result.exhibition.theme
    for rel in (theme.font_regular, theme.font_bold):
        font_id = QFontDatabase.addApplicationFont(str(result.base_dir / rel))
        if font_id < 0:
            log.warning("could not load font %s", result.base_dir / rel)
            continue
        families = QFontDatabase.applicationFontFamilies(font_id)
        if families and family == FALLBACK_FAMILY:
            family = families[0]
    return family
