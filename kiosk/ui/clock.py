"""One clock drives every animation in the kiosk.

A single QTimer ticks at the display rate and tells each subscriber how much time passed. Views
subscribe when shown and unsubscribe when hidden, so a hidden screen costs no CPU. Tests never
start the timer: they call `advance(dt)` and get the same frames every run.
"""

from __future__ import annotations

import time
from typing import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal

Tick = Callable[[float], None]


class AnimationClock(QObject):
    ticked = Signal(float)  # seconds since the previous tick

    def __init__(self, fps: float = 60.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(max(1, round(1000 / fps)))
        self._timer.timeout.connect(self._on_timeout)
        self._last = 0.0
        self._subscribers: list[Tick] = []
        self.now = 0.0  # clock time in seconds, advanced only by ticks

    # -- subscription -------------------------------------------------------------------------
    def subscribe(self, tick: Tick) -> None:
        if tick not in self._subscribers:
            self._subscribers.append(tick)

    def unsubscribe(self, tick: Tick) -> None:
        if tick in self._subscribers:
            self._subscribers.remove(tick)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    # -- running ------------------------------------------------------------------------------
    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def _on_timeout(self) -> None:
        now = time.perf_counter()
        # A stalled machine must not make particles jump across the screen: cap one step.
        dt = min(now - self._last, 0.1)
        self._last = now
        self.advance(dt)

    def advance(self, dt: float) -> None:
        """Move time on by `dt` seconds for every subscriber (tests call this directly)."""
        self.now += dt
        for tick in list(self._subscribers):
            tick(dt)
        self.ticked.emit(dt)


class ClockDriven:
    """Mixin for a QWidget that the clock animates: it ticks only while shown and wanting ticks.

    A subclass sets `self._clock`, implements `_on_tick(dt)` and, if it ever stops animating
    while visible (reduced motion, a finished draw-in), overrides `_wants_ticks()` and calls
    `_sync_subscription()` when that answer changes. A hidden screen then costs no CPU.
    """

    _clock: AnimationClock
    _subscribed: bool = False

    def _wants_ticks(self) -> bool:
        return self.isVisible()

    def _on_tick(self, dt: float) -> None:
        raise NotImplementedError

    def _tick(self, dt: float) -> None:
        if not shiboken6.isValid(self):  # deleted under a pending tick: just let go
            self._clock.unsubscribe(self._tick)
            return
        self._on_tick(dt)

    def _sync_subscription(self) -> None:
        want = self._wants_ticks()
        if want and not self._subscribed:
            self._clock.subscribe(self._tick)
            self._subscribed = True
        elif not want and self._subscribed:
            self._clock.unsubscribe(self._tick)
            self._subscribed = False

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._sync_subscription()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        self._sync_subscription()

    def closeEvent(self, event) -> None:  # noqa: N802
        self._clock.unsubscribe(self._tick)
        self._subscribed = False
        super().closeEvent(event)
