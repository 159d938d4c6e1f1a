"""The shell's side of fleet support: new synced content, the frame meter, opening hours.

- `FleetBridge` carries "new content ready" from the sync thread to the GUI thread (a queued
  signal), where `LiveContent.switch_to` offers it to the shell: applied at the next screen
  change, at once on the attract loop, exactly like a hot reload.
- `FrameMeter` keeps the last few seconds of frame intervals for the metrics.
- `Curtain` blanks the kiosk outside opening hours: DPMS off where X11 has it (`xset`), else a
  black window over everything with the animation clock stopped. A touch wakes it for
  `wake_minutes`; opening time wakes it for good.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import statistics
import subprocess
from collections import deque

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class FleetBridge(QObject):
    content_ready = Signal(object)  # kiosk.sync.client.SyncResult, emitted from the sync thread


class FrameMeter:
    def __init__(self, clock, frames: int = 300) -> None:
        self._dts: deque[float] = deque(maxlen=frames)
        self._clock = clock
        clock.subscribe(self._tick)

    def _tick(self, dt_s: float) -> None:
        if dt_s > 0:
            self._dts.append(dt_s)

    def median_s(self) -> float | None:
        values = list(self._dts)  # a copy: the metrics thread reads while the GUI appends
        return statistics.median(values) if values else None


class Curtain(QObject):
    """Opening hours on screen. `now` is injectable so tests can walk through a day."""

    changed = Signal(bool)  # open?

    def __init__(self, window: QWidget, clock, schedule, *, now=dt.datetime.now, check_ms: int = 30_000, wake_minutes: float = 10) -> None:
        super().__init__(window)
        self.window = window
        self.clock = clock
        self.schedule = schedule
        self.now = now
        self.wake_minutes = wake_minutes
        self.woken_until: dt.datetime | None = None
        self.blanked = False
        self.dpms_used = False
        self.cover = QWidget(window)
        self.cover.setObjectName("closed-curtain")
        self.cover.setStyleSheet("QWidget#closed-curtain { background: black; }")
        self.cover.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.cover.hide()
        self.cover.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        self.check()

    @property
    def is_open(self) -> bool:
        return not self.blanked

    def check(self) -> None:
        now = self.now()
        wanted_open = self.schedule.is_open(now) or (self.woken_until is not None and now < self.woken_until)
        if self.schedule.is_open(now):
            self.woken_until = None
        if wanted_open and self.blanked:
            self._wake()
        elif not wanted_open and not self.blanked:
            self._blank()

    def _blank(self) -> None:
        log.info("outside opening hours: blanking the screen")
        self.blanked = True
        self.clock.stop()  # no animation for nobody: the CPU and GPU rest
        self.cover.setGeometry(self.window.rect())
        self.cover.show()
        self.cover.raise_()
        self.dpms_used = _dpms("off")
        self.changed.emit(False)

    def _wake(self) -> None:
        log.info("opening hours (or a touch): waking the screen")
        self.blanked = False
        if self.dpms_used:
            _dpms("on")
            self.dpms_used = False
        self.cover.hide()
        self.clock.start()
        self.changed.emit(True)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.cover and event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.woken_until = self.now() + dt.timedelta(minutes=self.wake_minutes)
            self._wake()
            return True
        return super().eventFilter(obj, event)


def _dpms(state: str) -> bool:
    """Switch the display off/on through DPMS on X11; False where that is not available.

    `xset dpms force off` exits 0 even on a server without the DPMS extension (Xvfb, Debian's
    dummy driver), so the monitor state is read back with `xset q` before counting on it."""
    if QGuiApplication.platformName() != "xcb" or not os.environ.get("DISPLAY") or shutil.which("xset") is None:
        return False
    try:
        subprocess.run(["xset", "dpms", "force", state], capture_output=True, timeout=5)
        query = subprocess.run(["xset", "q"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return f"Monitor is {state.capitalize()}" in query
