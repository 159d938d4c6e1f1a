"""Sizes, colours and the style sheet, derived from the content's theme and the screen size.

Every size is given for a 1080 px tall landscape screen and scaled by the shorter side of the
window, so a 4K panel shows the same layout twice as sharp and a portrait panel keeps readable
text. Text never falls under 24 pt at 1080p (32 px at 96 dpi), the exhibit-design floor.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont

from kiosk.content.model import Palette, Theme

# Design sizes in px at a 1080 px short side.
TITLE_PX = 54
LEAD_PX = 38
BODY_PX = 34  # ~26 pt at 96 dpi
SMALL_PX = 32  # 24 pt: the smallest text a visitor ever reads
FIGURE_PX = 64
STAT_PX = 46
BUTTON_PX = 32
TOUCH_MIN_PX = 76  # 20 mm on a 24" 1080p panel, 48 mm on a 55" one: far above the 9 mm minimum
MARGIN_PX = 36
LARGE_TEXT_FACTOR = 1.25


@dataclass(frozen=True)
class Look:
    """Everything a screen needs to size and colour itself."""

    palette: Palette
    unit: float  # scale from design px to real px
    text_factor: float  # 1.0, or LARGE_TEXT_FACTOR with "larger text" on
    family: str
    portrait: bool
    reduced_motion: bool

    @classmethod
    def make(
        cls,
        theme: Theme,
        family: str,
        width: int,
        height: int,
        *,
        high_contrast: bool = False,
        large_text: bool = False,
        reduced_motion: bool = False,
    ) -> Look:
        short = max(1, min(width, height))
        return cls(
            palette=theme.high_contrast if high_contrast else theme.normal,
            unit=short / 1080.0,
            text_factor=LARGE_TEXT_FACTOR if large_text else 1.0,
            family=family,
            portrait=height > width,
            reduced_motion=reduced_motion,
        )

    def px(self, design_px: float) -> int:
        return max(1, round(design_px * self.unit))

    def text_px(self, design_px: float) -> int:
        return max(1, round(design_px * self.unit * self.text_factor))

    def font(self, design_px: float, bold: bool = False) -> QFont:
        font = QFont(self.family)
        font.setPixelSize(self.text_px(design_px))
        font.setBold(bold)
        return font

    def color(self, name: str) -> QColor:
        return QColor(getattr(self.palette, name))

    def style_sheet(self) -> str:
        """One style sheet for the whole window; widgets pick their look by `role` property.

        "Larger text" enlarges what visitors read; the controls keep their size (they are big
        already) so the navigation bar still fits in every language.
        """
        p = self.palette
        t = self.text_px
        u = self.px
        return f"""
        QWidget {{ color: {p.text}; font-family: "{self.family}"; font-size: {t(BODY_PX)}px; }}
        #Shell, #Screen {{ background: {p.background}; }}
        QLabel[role="title"] {{ font-size: {t(TITLE_PX)}px; font-weight: bold; }}
        QLabel[role="lead"] {{ font-size: {t(LEAD_PX)}px; }}
        QLabel[role="body"] {{ font-size: {t(BODY_PX)}px; }}
        QLabel[role="small"], QLabel[role="source"] {{ font-size: {t(SMALL_PX)}px; color: {p.muted}; }}
        QLabel[role="value"] {{ font-size: {t(LEAD_PX)}px; font-weight: bold; color: {p.accent}; }}
        QLabel[role="stat"] {{ font-size: {t(STAT_PX)}px; font-weight: bold; color: {p.accent}; }}
        QLabel[role="heading"] {{ font-size: {t(LEAD_PX)}px; font-weight: bold; }}
        QLabel[role="overlay_title"] {{ font-size: {t(FIGURE_PX)}px; font-weight: bold; }}
        QFrame[role="card"] {{ background: {p.surface}; border-radius: {u(18)}px; }}
        QFrame[role="bar"] {{ background: {p.surface}; }}
        QFrame[role="overlay"] {{ background: {p.surface}; border: {max(2, u(3))}px solid {p.accent};
                                  border-radius: {u(24)}px; }}
        QPushButton {{
            font-size: {u(BUTTON_PX)}px; font-weight: bold; color: {p.text};
            background: {p.surface}; border: {max(2, u(3))}px solid {p.muted};
            border-radius: {u(20)}px; padding: {u(8)}px {u(24)}px;
            min-height: {u(TOUCH_MIN_PX)}px; min-width: {u(TOUCH_MIN_PX)}px;
        }}
        QPushButton[role="primary"] {{ background: {p.accent}; color: {p.on_accent}; border-color: {p.accent}; }}
        QPushButton:checked, QPushButton[current="true"] {{
            background: {p.accent}; color: {p.on_accent}; border-color: {p.accent};
        }}
        QPushButton:disabled {{ color: {p.muted}; border-color: {p.surface}; }}
        QPushButton[role="tile"] {{ text-align: left; padding: {u(20)}px; }}
        QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
        QScrollBar:vertical {{ background: {p.surface}; width: {u(14)}px; margin: 0; }}
        QScrollBar::handle:vertical {{ background: {p.accent}; border-radius: {u(7)}px; min-height: {u(80)}px; }}
        QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
        """
