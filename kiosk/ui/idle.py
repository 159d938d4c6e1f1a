"""Idle handling: after a quiet spell ask "Still there?", then hand the kiosk to the next visitor.

The time source is injectable and `poll()` is public, so tests drive the whole warning and reset
on a clock they control instead of waiting 110 real seconds.
"""

from __future__ import annotations

import math
import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal


class IdleMonitor(QObject):
    warning = Signal(int)  # seconds left before the reset; emitted each second while warning
    warning_cancelled = Signal()
    timed_out = Signal()

    def __init__(
        self,
        warn_after_s: float,
        countdown_s: float,
        now: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
        poll_ms: int = 250,
    ) -> None:
        super().__init__(parent)
        self.warn_after_s = warn_after_s
        self.countdown_s = countdown_s
        self._now = now
        self._last_activity = now()
        self._warning = False
        self._last_left: int | None = None
        self.enabled = False  # only while a visitor is in the walk (not on the attract loop)
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.activity()

    @property
    def warning_shown(self) -> bool:
        return self._warning

    def activity(self) -> None:
        """A touch, click or key: the visitor is still there."""
        self._last_activity = self._now()
        if self._warning:
            self._warning = False
            self._last_left = None
            self.warning_cancelled.emit()

    def poll(self) -> None:
        if not self.enabled:
            return
        quiet = self._now() - self._last_activity
        if quiet < self.warn_after_s:
            return
        left = self.warn_after_s + self.countdown_s - quiet
        if left <= 0:
            self._warning = False
            self._last_left = None
            self.enabled = False
            self.timed_out.emit()
            return
        self._warning = True
        seconds = math.ceil(left)
        if seconds != self._last_left:
            self._last_left = seconds
            self.warning.emit(seconds)
