"""Spoken mode's words: each screen's text from the content, numbers and units in words. No Qt."""

from kiosk.narration.script import control_phrase, figure_line, flow_lines, phrase, screen_lines, spoken_lines
from kiosk.narration.words import speakable

__all__ = ["control_phrase", "figure_line", "flow_lines", "phrase", "screen_lines", "speakable", "spoken_lines"]
