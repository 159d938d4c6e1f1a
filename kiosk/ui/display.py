"""Follow the display: after an unplug and replug, a new resolution, a portrait mode or a
different monitor, cover the screen the kiosk is on again, fullscreen, within about a second.

With no window manager nobody else moves or resizes the window when X changes its outputs, so
the kiosk does it itself: Qt reports screens added and removed and screen geometry changes (from
RandR), and each starts a short settle timer (a monitor switch arrives as several events); a
once-a-second check catches anything no signal announced. When no usable screen is attached the
kiosk waits quietly - one log line, no busy loop, nothing drawn - and covers the screen that comes
back. The shell lays itself out for the new size on the resize (portrait or landscape). On X11
the monitor geometry is taken from the X server itself (kiosk.ui.xmonitors), because Qt can keep
a stale position for a screen after some RandR changes.
"""

from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QObject, QRect, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

MIN_USABLE_PX = 200  # X keeps a tiny root window (64x64) when every output is off: not a screen


class DisplayFollower(QObject):
    """Keeps `window` covering its screen while `wanted()` is true (the operator may make it a
    window); `covered` counts the re-covers (tests and logs)."""

    def __init__(
        self,
        window: QWidget,
        wanted: Callable[[], bool] = lambda: True,
        *,
        settle_ms: int = 250,
        check_ms: int = 1000,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.wanted = wanted
        self.covered = 0
        self._waiting = False
        self._x = None
        if QGuiApplication.platformName() == "xcb":
            from kiosk.ui.xmonitors import XMonitors

            self._x = XMonitors()
        self._last: tuple[str, QRect] | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self.recover)
        self._check = QTimer(self)
        self._check.setInterval(check_ms)
        self._check.timeout.connect(self._check_now)
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._screen_added)
        app.screenRemoved.connect(self._changed)
        app.primaryScreenChanged.connect(self._changed)
        for screen in QGuiApplication.screens():
            self._watch(screen)
        self._check.start()

    def stop(self) -> None:
        self._check.stop()
        self._settle.stop()
        if self._x is not None:
            self._x.close()

    def _watch(self, screen: QScreen) -> None:
        screen.geometryChanged.connect(self._changed)

    def _screen_added(self, screen: QScreen) -> None:
        self._watch(screen)
        self._changed()

    def _changed(self, *_args) -> None:
        self._settle.start()  # (re)start: let a burst of RandR events settle first

    # -- deciding -------------------------------------------------------------------------------
    def target(self) -> QScreen | None:
        """The screen to cover: the window's own if it is still there and usable, else the
        primary, else any usable one; None when no screen is attached."""
        screens = [s for s in QGuiApplication.screens() if usable(s)]
        if not screens or self._x_monitors() == []:
            return None
        current = self.window.screen()
        if current in screens:
            return current
        primary = QGuiApplication.primaryScreen()
        return primary if primary in screens else screens[0]

    def _check_now(self) -> None:
        if not self.wanted():
            return
        screen = self.target()
        if screen is None:
            if not self._waiting:
                self.recover()
            return
        if self._waiting or self.window.geometry() != self.geometry_of(screen) or not self.window.isVisible():
            self.recover()

    def _x_monitors(self) -> list[tuple[str, int, int, int, int]] | None:
        return self._x.list() if self._x is not None else None

    def geometry_of(self, screen: QScreen) -> QRect:
        """Where `screen` really is: the X server's word when it knows the monitor by name."""
        for name, x, y, w, h in self._x_monitors() or ():
            if name == screen.name() and w >= MIN_USABLE_PX and h >= MIN_USABLE_PX:
                return QRect(x, y, w, h)
        return screen.geometry()

    def recover(self) -> None:
        if not self.wanted():
            return
        screen = self.target()
        if screen is None:
            if not self._waiting:
                log.warning("display: no screen attached; waiting for one")
            self._waiting = True
            return
        self._waiting = False
        geometry = self.geometry_of(screen)
        w = self.window
        handle = w.windowHandle()
        if handle is not None and handle.screen() is not screen:
            handle.setScreen(screen)
        if w.geometry() != geometry or not w.isVisible():
            w.setGeometry(geometry)
            w.showFullScreen()
            w.setGeometry(geometry)  # with no window manager, fullscreen alone moves nothing
            w.raise_()
            self.covered += 1
        where = (screen.name(), geometry)
        if where != self._last:
            self._last = where
            QTimer.singleShot(300, self._log_cover)

    def _log_cover(self) -> None:
        """After the shell has laid itself out: say what is covered and which layout it took."""
        screen = self.window.screen()
        g = self.window.geometry()
        shell = getattr(self.window, "shell", None)
        layout = ""
        if shell is not None and hasattr(shell, "look"):
            layout = " (portrait layout)" if shell.look().portrait else " (landscape layout)"
        log.info("display: covering %s at %d,%d %dx%d%s", screen.name() if screen else "?", g.x(), g.y(),
                 g.width(), g.height(), layout)


def usable(screen: QScreen | None) -> bool:
    if screen is None:
        return False
    g = screen.geometry()
    return g.width() >= MIN_USABLE_PX and g.height() >= MIN_USABLE_PX
