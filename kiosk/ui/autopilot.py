"""A scripted visitor, for soaks and crash tests: it walks the real shell the way people do.

`Autopilot(shell).step()` does one thing a visitor does: start a visit from the attract loop (in a
random language), go on or back, tap a button or any point of the screen shown (so every screen
type in the registry gets touched, the interactive ones included, without the autopilot knowing
them), swipe, change language or a display setting, jump through the menu, or walk away (the
visit ends as at the idle reset, and the analytics writes it).

`KIOSK_AUTOPILOT=<ms>` makes `kiosk run` take a step every <ms> milliseconds (never set on a
real kiosk; the power-cut test uses it so that a SIGKILL lands in the middle of real work).
"""

from __future__ import annotations

import logging
import os
import random

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QWidget

log = logging.getLogger(__name__)

ENV = "KIOSK_AUTOPILOT"


class Autopilot:
    def __init__(self, shell, rng: random.Random | None = None, leave_p: float = 0.03) -> None:
        self.shell = shell
        self.rng = rng or random.Random()
        self.leave_p = leave_p  # chance per step in the walk that the visitor walks away
        self.counts: dict[str, int] = {}
        self._timer: QTimer | None = None

    def _count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def step(self) -> str:
        """One visitor action; returns its name."""
        shell, rng = self.shell, self.rng
        if shell.index == 0:
            langs = shell.exhibition.languages.available
            shell._start_walk_in(rng.choice(langs))  # what tapping a language on the attract loop does
            action = "start"
        else:
            roll = rng.random()
            if roll < 0.28:
                shell.next()
                action = "next"
            elif roll < 0.36:
                shell.back()
                action = "back"
            elif roll < 0.58:
                action = self._tap_button() or self._tap_point()
            elif roll < 0.72:
                action = self._tap_point()
            elif roll < 0.78:
                self._swipe()
                action = "swipe"
            elif roll < 0.85:
                shell.set_language(rng.choice(shell.exhibition.languages.available))
                action = "language"
            elif roll < 0.88:
                name = rng.choice(list(shell.settings))
                shell.set_setting(name, not shell.settings[name])
                action = "setting"
            elif roll < 0.93:
                shell.go_to(rng.randrange(1, shell.screen_count))
                action = "menu"
            elif roll < 1.0 - self.leave_p:
                shell.idle.activity()
                action = "wait"
            else:
                shell.reset_for_next_visitor()  # walked away: what the idle reset does
                action = "leave"
        self._count(action)
        return action

    def _visible(self, widget: QWidget) -> bool:
        return widget.isVisible() and widget.isEnabled() and widget.width() > 0 and widget.height() > 0

    def _tap_button(self) -> str | None:
        buttons = [b for b in self.shell.current.findChildren(QAbstractButton) if self._visible(b)]
        if not buttons:
            return None
        button = self.rng.choice(buttons)
        QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
        return "tap_button"

    def _tap_point(self) -> str:
        screen = self.shell.current
        if screen.width() < 2 or screen.height() < 2:
            return "tap_point"
        pos = QPoint(self.rng.randrange(screen.width()), self.rng.randrange(screen.height()))
        target = screen.childAt(pos) or screen
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(screen, pos))
        return "tap_point"

    def _swipe(self) -> None:
        shell = self.shell
        w, h = shell.width(), shell.height()
        if w < 10 or h < 10:
            return
        y = self.rng.randrange(h // 5, h * 4 // 5)
        x0 = self.rng.randrange(w // 4, w * 3 // 4)
        dx = self.rng.choice([-1, 1]) * self.rng.randrange(w // 6, w // 3)
        start = QPoint(x0, y)
        target = shell.childAt(start) or shell
        local = target.mapFrom(shell, start)
        QTest.mousePress(target, Qt.MouseButton.LeftButton, pos=local)
        QTest.mouseMove(target, local + QPoint(dx // 2, 0))
        QTest.mouseRelease(target, Qt.MouseButton.LeftButton, pos=local + QPoint(dx, 0))

    # -- timed mode (kiosk run with KIOSK_AUTOPILOT) ----------------------------------------------
    def start(self, interval_ms: int) -> None:
        self._timer = QTimer(self.shell)
        self._timer.setInterval(max(1, interval_ms))
        self._timer.timeout.connect(self._safe_step)
        self._timer.start()

    def _safe_step(self) -> None:
        try:
            self.step()
        except Exception:  # noqa: BLE001 - a scripted visitor must not end the run it is testing
            log.exception("autopilot step failed")


def start_from_env(shell) -> Autopilot | None:
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    try:
        interval = int(value)
    except ValueError:
        log.error("%s=%r is not a number of milliseconds; no autopilot", ENV, value)
        return None
    pilot = Autopilot(shell, leave_p=0.12)  # short visits: many analytics writes to be killed in
    pilot.start(interval)
    log.warning("autopilot: a scripted visitor acts every %d ms (%s is set)", interval, ENV)
    return pilot
