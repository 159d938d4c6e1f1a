"""Colour contrast as WCAG 2 defines it (relative luminance, ratio from 1:1 to 21:1)."""

from __future__ import annotations

import math

# (foreground, background) pairs of Palette fields a visitor reads.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "background"),
    ("text", "surface"),
    ("on_accent", "accent"),
    ("muted", "background"),
)
MIN_RATIO = {"normal": 4.5, "high_contrast": 7.0}


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """Relative luminance of `#RRGGBB`."""
    h = color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def ratio(fg: str, bg: str) -> float:
    a, b = luminance(fg), luminance(bg)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def shown(r: float) -> str:
    """The ratio rounded down to 2 decimals, so 4.499 never reads as a passing 4.50."""
    return f"{math.floor(r * 100) / 100:.2f}"
