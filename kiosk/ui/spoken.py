"""Spoken mode: the kiosk reads each screen aloud in the visitor's language, then what the focus reaches.

Turned on and off with F1 (the keypad's audio key) or the "Read aloud" switch under Aa. While
on, the screen is read when it appears (from `kiosk.narration`, numbers and units in words), the
focused control's name and state when the focus moves, and what an activation changed (a new
step's caption and flows, an opened detail, an overlay's heading). Speech stops at once on a
touch, a screen change (the new screen is read instead) and the idle reset; the idle warning
comes later while spoken mode is on (WCAG 2.2.1: more time on request).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.narration import control_phrase, phrase, speakable, spoken_lines
from kiosk.ui.speech import Speaker

log = logging.getLogger(__name__)

# While spoken mode is on: how much longer before "Still there?", and how much longer it counts.
IDLE_WARNING_FACTOR = 3.0
IDLE_COUNTDOWN_FACTOR = 2.0


def plain_text(lbl: QLabel) -> str:
    """A label's words without markup: a rich-text label (glossary links, a styled figure value)
    is read as its visitors see it, never as "<a href=...>"."""
    text = lbl.text()
    rich = lbl.textFormat() == Qt.TextFormat.RichText or (
        lbl.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def control_name(widget: QWidget) -> str:
    name = widget.accessibleName() or (widget.text() if hasattr(widget, "text") else "")
    return name.replace("‹", "").replace("›", "").replace("✓", "").strip()


class SpokenMode(QObject):
    toggled = Signal(bool)

    def __init__(self, shell, speaker: Speaker | None = None) -> None:
        super().__init__(shell)
        self.shell = shell
        self.speaker = speaker if speaker is not None else Speaker(parent=self)
        self.on = False
        self._last_lines: list[str] = []
        self._announce_change = False
        self._activated_at: tuple | None = None
        self._layer = None
        keypad = shell.keypad
        keypad.command.connect(self.command)
        keypad.focus_changed.connect(self._focus_changed)
        keypad.activating.connect(self._activating)
        keypad.activated.connect(self._activated)
        shell.screen_changed.connect(self._screen_changed)
        shell.language_changed.connect(self._language_changed)
        shell.idle.warning.connect(self._idle_warning)
        shell.idle.warning_cancelled.connect(self._idle_warning_over)
        self._warned = False

    # -- switching -----------------------------------------------------------------------------
    def set_on(self, on: bool, *, announce: bool = True) -> None:
        if on == self.on:
            return
        self.on = on
        log.info("spoken mode %s", "on" if on else "off")
        self.shell.apply_idle_times()
        self.toggled.emit(on)
        lang = self.shell.lang
        if on:
            self.speak_screen(intro=[speakable(phrase("spoken_on", lang), lang)])
        else:
            self.speaker.stop()
            if announce:
                self.speaker.say([speakable(phrase("spoken_off", lang), lang)], lang)

    def idle_factors(self) -> tuple[float, float]:
        return (IDLE_WARNING_FACTOR, IDLE_COUNTDOWN_FACTOR) if self.on else (1.0, 1.0)

    def command(self, name: str) -> None:
        lang = self.shell.lang
        if name == "toggle_spoken":
            self.set_on(not self.on)
        elif not self.on:
            return
        elif name == "repeat":
            self.speak_screen()
        elif name == "slower":
            self.speaker.slower()
            said = "normal_speed" if self.speaker.rate_index == 0 else "slower"
            self.speaker.say([phrase(said, lang), *self.speaker.lines[self.speaker.index:]], lang)
        elif name == "pause":
            self.speaker.toggle_pause()

    def interrupt(self) -> None:
        """A touch: silence at once (spoken mode stays on for the next screen)."""
        self.speaker.stop()

    def reset(self) -> None:
        """Idle reset: silent, off, for the next visitor."""
        self.speaker.stop()
        self.set_on(False, announce=False)

    # -- what to say ---------------------------------------------------------------------------
    def current_lines(self) -> list[str]:
        shell = self.shell
        screen = shell.current
        lines = spoken_lines(screen.model, shell.exhibition, shell.lang, state=screen.narration_state(),
                             base_dir=shell.base_dir)
        return lines + [speakable(line, shell.lang) for line in screen.narration_lines()]

    def speak_screen(self, intro: list[str] | None = None) -> None:
        shell = self.shell
        lines = list(intro or [])
        if shell.index > 0:
            lines.append(speakable(phrase("screen_of", shell.lang, i=shell.index, n=shell.walk_length) + ".", shell.lang))
        self._last_lines = self.current_lines()
        self.speaker.say(lines + self._last_lines, shell.lang)

    def _screen_changed(self, _screen_id: str) -> None:
        if self.on:
            # After the screen settled (a reload may rebuild it in the same turn).
            QTimer.singleShot(0, self.speak_screen)

    def _language_changed(self, _lang: str) -> None:
        if self.on:
            self.speak_screen()

    def _activating(self, _widget) -> None:
        self._activated_at = (self.shell.index, self.shell.lang)

    def _activated(self, _widget) -> None:
        self._announce_change = True

    def _focus_changed(self, widget) -> None:
        if not self.on:
            self._announce_change = False
            return
        lang = self.shell.lang
        if self._announce_change and self._activated_at != (self.shell.index, lang):
            # The activation changed the screen or the language: the new screen is being read
            # already; the control's name would only cut it short.
            self._announce_change = False
            self._layer = self.shell.keypad.layer()
            return
        lines: list[str] = []
        layer = self.shell.keypad.layer()
        if layer is not self._layer and layer is not self.shell:
            # An overlay opened: its heading and text first.
            lines += [speakable(plain_text(lbl), lang) for lbl in layer.findChildren(QLabel)
                      if lbl.isVisibleTo(layer) and lbl.text()]
        self._layer = layer
        if widget is not None:
            lines.append(self.describe(widget))
        if self._announce_change:
            self._announce_change = False
            now = self.current_lines()
            lines += [line for line in now if line not in self._last_lines]
            self._last_lines = now
        if lines:
            self.speaker.say(lines, lang)

    def describe(self, widget: QWidget) -> str:
        checked = widget.isChecked() if isinstance(widget, QAbstractButton) and widget.isCheckable() else None
        selected = widget.property("current") == "true"
        said = control_phrase(control_name(widget), self.shell.lang, checked=checked, selected=selected,
                              enabled=widget.isEnabled())
        more = widget.accessibleDescription()  # e.g. a method tile's one-line summary
        return f"{said}. {speakable(more, self.shell.lang)}" if more else said

    def _idle_warning_over(self) -> None:
        self._warned = False

    def _idle_warning(self, seconds: int) -> None:
        if not self.on or self._warned:
            return
        self._warned = True  # said once, when the warning appears; the countdown is on screen
        ctx = self.shell.context()
        body = ctx.ui("still_there_body").replace("{seconds}", str(seconds))  # "39 s": speakable says the unit
        self.speaker.say([speakable(f"{ctx.ui('still_there')} {body}", ctx.lang)], ctx.lang)

    def shutdown(self) -> None:
        self.speaker.shutdown()
