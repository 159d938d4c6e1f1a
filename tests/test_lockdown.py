"""Visitors cannot leave the kiosk: keys, menus and closing are swallowed until the operator quits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.lockdown import install_lockdown


class KioskWindow(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int] = []
        self.menus = 0

    def keyPressEvent(self, event):  # noqa: N802
        self.keys.append(event.key())

    def contextMenuEvent(self, event):  # noqa: N802
        self.menus += 1


@pytest.fixture
def locked(qtbot, qapp):
    window = KioskWindow()
    qtbot.addWidget(window)
    lock = install_lockdown(window, qapp, hide_cursor=False, keep_awake=False)
    qtbot.waitExposed(window)
    yield window, lock
    lock.allow_close()
    lock.uninstall()


@pytest.mark.parametrize(
    ("key", "mods"),
    [
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
    ],
    ids=["Escape", "Alt+F4", "Ctrl+Q", "Ctrl+W", "Alt+Tab"],
)
def test_leaving_keys_are_swallowed(locked, key, mods):
    window, _ = locked
    QTest.keyClick(window, key, mods)
    assert key not in window.keys  # (the modifier key itself may arrive)
    assert window.isVisible()


def test_ordinary_keys_still_arrive(locked):
    window, _ = locked
    QTest.keyClick(window, Qt.Key.Key_A)
    assert window.keys == [Qt.Key.Key_A]


def test_quit_shortcut_does_not_fire(locked):
    window, _ = locked
    fired = []
    shortcut = QShortcut(QKeySequence("Ctrl+Q"), window)
    shortcut.activated.connect(lambda: fired.append(1))
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert fired == []
    assert window.isVisible()


def test_context_menus_are_swallowed(locked):
    window, _ = locked
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(10, 10), window.mapToGlobal(QPoint(10, 10)))
    QApplication.sendEvent(window, event)
    QTest.mouseClick(window, Qt.MouseButton.RightButton, pos=QPoint(20, 20))
    assert window.menus == 0


def test_close_is_refused_until_the_operator_quits(locked):
    window, lock = locked
    assert window.close() is False
    assert window.isVisible()
    lock.allow_close()
    assert window.close() is True
    assert not window.isVisible()


def test_window_is_frameless_on_top_and_covers_the_screen(locked):
    window, lock = locked
    flags = window.windowFlags()
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert flags & Qt.WindowType.FramelessWindowHint
    assert window.isFullScreen()
    assert window.geometry() == window.screen().geometry()
    lock.set_fullscreen(False)  # the operator's windowed toggle
    assert not window.isFullScreen()
    assert not window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    lock.set_fullscreen(True)
    assert window.isFullScreen()


def test_focus_is_taken_back(locked, qtbot, monkeypatch):
    window, lock = locked
    raised = []
    monkeypatch.setattr(window, "activateWindow", lambda: raised.append(1))
    monkeypatch.setattr(QApplication, "activeWindow", staticmethod(lambda: None))
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowDeactivate))
    qtbot.waitUntil(lambda: len(raised) > 0, timeout=3000)


def test_cursor_hidden_on_request_and_restored(qtbot, qapp, monkeypatch):
    monkeypatch.setenv("KIOSK_HIDE_CURSOR", "1")
    window = KioskWindow()
    qtbot.addWidget(window)
    lock = install_lockdown(window, qapp, keep_awake=False)
    try:
        assert QGuiApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    finally:
        lock.allow_close()
        lock.uninstall()
    assert QGuiApplication.overrideCursor() is None


def test_keep_awake_without_display_only_logs(monkeypatch, caplog):
    import sys

    from kiosk.ui import lockdown

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    awake = lockdown.ScreenAwake()
    awake.hold()
    awake.release()
    assert "screen blanking" in caplog.text


def test_keep_awake_runs_xset_once(monkeypatch):
    import sys

    from kiosk.ui import lockdown

    calls = []

    class Done:
        returncode = 0
        stderr = b""

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(lockdown.shutil, "which", lambda name: "/usr/bin/xset")
    monkeypatch.setattr(lockdown.subprocess, "run", lambda args, **kw: calls.append(args) or Done())
    lockdown.ScreenAwake().hold()
    assert ["/usr/bin/xset", "s", "off"] in calls
    assert ["/usr/bin/xset", "-dpms"] in calls


def test_windowed_preview_keeps_its_size_and_can_still_not_be_closed(qtbot, qapp):
    window = KioskWindow()
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    lock = install_lockdown(window, qapp, hide_cursor=False, keep_awake=False, fullscreen=False)
    try:
        assert window.size().width() == 1280 and not window.isFullScreen()
        assert window.close() is False
    finally:
        lock.allow_close()
        lock.uninstall()


@pytest.mark.parametrize(
    ("key", "mods"),
    [
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier),
        (Qt.Key.Key_Up, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_PageUp, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_PageDown, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F3, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier),
    ],
)
def test_the_keypad_keys_pass_the_lockdown(locked, key, mods):
    """Issue 15: a visitor's keypad (arrows, Tab, Enter, the speech keys) still works."""
    window, _ = locked
    QTest.keyClick(window, key, mods)
    assert key in window.keys
