"""Keep visitors inside the kiosk: no way out by keys, menus or closing the window.

`install_lockdown(window, app)` returns a `Lockdown` that

- swallows Escape, Alt+F4, Ctrl+Q, Ctrl+W, Alt+Tab and the menu key wherever Qt sees them
  (the operating system may act on some of them before Qt does: configure the kiosk user's
  desktop too — see packaging/);
- swallows context menus (QContextMenuEvent) and right-button presses, which is what a long press
  on a touch screen turns into;
- refuses to close the window until `allow_close()` (the operator chose "quit");
- keeps the window frameless, on top and covering the whole screen, set from the screen's
  geometry (kiosk PCs often run with no window manager);
- takes the focus back when another program took it;
- hides the mouse pointer on touch screens (or with KIOSK_HIDE_CURSOR=1; KIOSK_HIDE_CURSOR=0
  keeps it);
- holds off screen blanking where the platform allows. All of it best-effort: logged, never raises.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication, QInputDevice, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

KIOSK_FLAGS = Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.FramelessWindowHint
KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)
MOUSE_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick)
WATCHED = frozenset(
    (*KEY_EVENTS, *MOUSE_EVENTS, QEvent.Type.Close, QEvent.Type.ContextMenu, QEvent.Type.WindowDeactivate)
)


def is_escape_key(event: QKeyEvent) -> bool:
    """A key a visitor could use to leave or switch away from the kiosk."""
    key = event.key()
    mods = event.modifiers()
    alt = bool(mods & Qt.KeyboardModifier.AltModifier)
    ctrl = bool(mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier))
    if key in (Qt.Key.Key_Escape, Qt.Key.Key_Menu, Qt.Key.Key_Close, Qt.Key.Key_Exit):
        return True
    if alt and key in (Qt.Key.Key_F4, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
        return True
    if ctrl and key in (Qt.Key.Key_Q, Qt.Key.Key_W, Qt.Key.Key_F4):
        return True
    return False


def has_touch_screen() -> bool:
    try:
        return any(d.type() == QInputDevice.DeviceType.TouchScreen for d in QInputDevice.devices())
    except Exception:  # noqa: BLE001
        return False


def should_hide_cursor() -> bool:
    setting = os.environ.get("KIOSK_HIDE_CURSOR", "").strip()
    if setting:
        return setting not in ("0", "no", "false")
    return has_touch_screen()


class ScreenAwake:
    """Holds off screen blanking and sleep while the kiosk runs (best effort)."""

    def __init__(self) -> None:
        self._caffeinate: subprocess.Popen[bytes] | None = None
        self._windows = False

    def hold(self) -> None:
        try:
            if sys.platform == "win32":
                import ctypes

                es_continuous, es_system, es_display = 0x80000000, 0x00000001, 0x00000002
                ok = ctypes.windll.kernel32.SetThreadExecutionState(es_continuous | es_system | es_display)  # type: ignore[attr-defined]
                self._windows = bool(ok)
                log.info("screen blanking held off (SetThreadExecutionState: %s)", "ok" if ok else "failed")
            elif sys.platform == "darwin":
                exe = shutil.which("caffeinate")
                if exe is None:
                    log.warning("caffeinate not found; the display may sleep")
                    return
                self._caffeinate = subprocess.Popen([exe, "-dis", "-w", str(os.getpid())])
                log.info("screen blanking held off (caffeinate)")
            else:
                exe = shutil.which("xset")
                if not os.environ.get("DISPLAY"):
                    log.warning("no X11 DISPLAY: cannot turn off screen blanking here; set it in the system settings")
                    return
                if exe is None:
                    log.warning("xset not found: cannot turn off screen blanking; install x11-xserver-utils")
                    return
                for args in (["s", "off"], ["s", "noblank"], ["-dpms"]):
                    done = subprocess.run([exe, *args], capture_output=True, timeout=5, check=False)
                    if done.returncode != 0:
                        log.warning("xset %s failed: %s", " ".join(args), done.stderr.decode(errors="replace").strip())
                log.info("screen blanking held off (xset s off -dpms)")
        except Exception as exc:  # noqa: BLE001 - never stop the kiosk for this
            log.warning("could not hold off screen blanking: %s", exc)

    def release(self) -> None:
        try:
            if self._caffeinate is not None:
                self._caffeinate.terminate()
                self._caffeinate.wait(3)
                self._caffeinate = None
            if self._windows:
                import ctypes

                ctypes.windll.kernel32.SetThreadExecutionState(0x80000000)  # type: ignore[attr-defined]
                self._windows = False
        except Exception as exc:  # noqa: BLE001
            log.warning("could not release the screen-awake hold: %s", exc)


class Lockdown(QObject):
    """See the module docstring. Made by `install_lockdown`; a child of the window."""

    def __init__(
        self,
        window: QWidget,
        app: QApplication,
        *,
        hide_cursor: bool | None = None,
        keep_awake: bool | None = None,
        fullscreen: bool = True,
        refocus_ms: int = 300,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.app = app
        self._close_allowed = False
        self._enabled = True
        self._fullscreen = fullscreen
        self._cursor_hidden = False
        self._hide_cursor = should_hide_cursor() if hide_cursor is None else hide_cursor
        offscreen = QGuiApplication.platformName() in ("offscreen", "minimal")
        self._awake = ScreenAwake() if (keep_awake if keep_awake is not None else not offscreen) else None

        self._refocus_timer = QTimer(self)
        self._refocus_timer.setSingleShot(True)
        self._refocus_timer.setInterval(refocus_ms)
        self._refocus_timer.timeout.connect(self._refocus)

        app.installEventFilter(self)
        app.applicationStateChanged.connect(self._on_state_changed)
        if self._awake is not None:
            self._awake.hold()
        if fullscreen:
            self.set_fullscreen(True)
        # fullscreen=False (a `--windowed` preview): the window keeps the size the shell gave it

    # -- what the shell calls ------------------------------------------------------------------------
    def allow_close(self) -> None:
        """The operator chose quit: the window may close now."""
        self._close_allowed = True

    @property
    def close_allowed(self) -> bool:
        return self._close_allowed

    @property
    def fullscreen(self) -> bool:
        return self._fullscreen

    def set_enabled(self, on: bool) -> None:
        """Off: keys, menus and focus pass as usual (closing still needs `allow_close`)."""
        self._enabled = on
        if not on:
            self._refocus_timer.stop()

    def set_fullscreen(self, on: bool) -> None:
        """Fullscreen on top (the kiosk) or a normal window (operator's windowed toggle)."""
        self._fullscreen = on
        w = self.window
        flags = w.windowFlags()
        w.setWindowFlags(flags | KIOSK_FLAGS if on else flags & ~KIOSK_FLAGS)
        if on:
            screen = w.screen() or QGuiApplication.primaryScreen()
            if screen is not None:
                w.setGeometry(screen.geometry())
            w.showFullScreen()
            self._set_cursor_hidden(self._hide_cursor)
        else:
            self._refocus_timer.stop()
            w.showNormal()
            screen = w.screen() or QGuiApplication.primaryScreen()
            if screen is not None:
                avail = screen.availableGeometry()
                w.resize(avail.width() * 3 // 4, avail.height() * 3 // 4)
                w.move(avail.center() - w.rect().center())
            self._set_cursor_hidden(False)
        _bring_to_front(w)

    def uninstall(self) -> None:
        """Undo everything (tests; the operator quitting)."""
        self._refocus_timer.stop()
        self.app.removeEventFilter(self)
        try:
            self.app.applicationStateChanged.disconnect(self._on_state_changed)
        except (RuntimeError, TypeError):
            pass
        self._set_cursor_hidden(False)
        if self._awake is not None:
            self._awake.release()
            self._awake = None

    # -- internals ----------------------------------------------------------------------------------
    def _set_cursor_hidden(self, hidden: bool) -> None:
        if hidden and not self._cursor_hidden:
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
            self._cursor_hidden = True
        elif not hidden and self._cursor_hidden:
            QGuiApplication.restoreOverrideCursor()
            self._cursor_hidden = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind not in WATCHED:  # the fast path: paints, timers, moves ...
            return False
        if kind == QEvent.Type.Close and obj is self.window:
            if self._close_allowed:
                return False
            log.info("window close refused (kiosk lockdown)")
            event.ignore()
            return True
        if not self._enabled:
            return False
        if kind in KEY_EVENTS and is_escape_key(event):
            event.accept()  # a ShortcutOverride accepted here never triggers a shortcut
            return True
        if kind == QEvent.Type.ContextMenu:
            event.accept()
            return True
        if kind in MOUSE_EVENTS and event.button() == Qt.MouseButton.RightButton:
            return True
        if kind == QEvent.Type.WindowDeactivate and obj is self.window:
            self._schedule_refocus()
        return False

    def _on_state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self._schedule_refocus()

    def _schedule_refocus(self) -> None:
        if self._enabled and self._fullscreen and not self._close_allowed:
            self._refocus_timer.start()

    def _refocus(self) -> None:
        w = self.window
        if not w.isVisible():
            return
        active = QApplication.activeWindow()
        if active is not None and active is not w:
            return  # one of our own windows (the operator's PIN pad) has the focus
        _bring_to_front(w)


def _bring_to_front(w: QWidget) -> None:
    # The offscreen test platform warns on raise(), and there is nothing to raise above there.
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        w.raise_()
    w.activateWindow()


def install_lockdown(window: QWidget, app: QApplication | None = None, **options) -> Lockdown:
    """Lock the kiosk window down; options: hide_cursor, keep_awake, fullscreen, refocus_ms."""
    app = app or QApplication.instance()
    return Lockdown(window, app, **options)
