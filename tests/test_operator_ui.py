"""Operator mode: the hidden corner gesture, the PIN pad, the panel and the fallback screen."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.operator_pin import hash_pin
from kiosk.ui.operator import CornerTapGesture, FallbackWindow, OperatorPanel, PinGuard, PinPad

PIN = "2468"
PIN_HASH = hash_pin(PIN, iterations=1000)  # few iterations: fast tests, same code path


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return FakeClock()


# -- the corner gesture ---------------------------------------------------------------------------


@pytest.fixture
def kiosk_window(qtbot):
    window = QWidget()
    window.resize(1000, 800)
    corner_button = QPushButton("Menu", window)  # a visitor's button that happens to sit in the corner
    corner_button.setGeometry(0, 0, 120, 120)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, corner_button


@pytest.fixture
def gesture(kiosk_window, clock):
    window, _ = kiosk_window
    g = CornerTapGesture(window, clock=clock)
    yield g
    g.uninstall()


def tap(window, x=10, y=10, clock=None, dt_s=0.3):
    # through the QWindow, as a real click or touch arrives
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
    if clock is not None:
        clock.t += dt_s


def test_five_taps_in_the_corner_trigger(kiosk_window, gesture, clock, qtbot):
    window, _ = kiosk_window
    with qtbot.waitSignal(gesture.triggered, timeout=1000):
        for _ in range(5):
            tap(window, clock=clock)


def test_taps_still_reach_the_visitors_button(kiosk_window, gesture, clock):
    window, button = kiosk_window
    clicks = []
    button.clicked.connect(lambda: clicks.append(1))
    fired = []
    gesture.triggered.connect(lambda: fired.append(1))
    for _ in range(5):
        tap(window, clock=clock)
    assert len(clicks) == 5
    assert fired == [1]


def test_four_taps_do_not_trigger(kiosk_window, gesture, clock):
    window, _ = kiosk_window
    fired = []
    gesture.triggered.connect(lambda: fired.append(1))
    for _ in range(4):
        tap(window, clock=clock)
    assert fired == []
    assert gesture.tap_count == 4


def test_taps_spread_over_more_than_three_seconds_do_not_trigger(kiosk_window, gesture, clock):
    window, _ = kiosk_window
    fired = []
    gesture.triggered.connect(lambda: fired.append(1))
    for _ in range(5):
        tap(window, clock=clock, dt_s=0.9)  # 5 taps over 3.6 s
    assert fired == []


def test_taps_elsewhere_do_not_trigger_and_reset_the_count(kiosk_window, gesture, clock):
    window, _ = kiosk_window
    fired = []
    gesture.triggered.connect(lambda: fired.append(1))
    for _ in range(5):
        tap(window, x=500, y=400, clock=clock)
    assert fired == []
    for _ in range(3):
        tap(window, clock=clock)
    tap(window, x=900, y=10, clock=clock)  # top-right: not the corner
    tap(window, clock=clock)
    tap(window, clock=clock)
    assert fired == []
    assert gesture.tap_count == 2


def test_touch_taps_count_once_each(kiosk_window, gesture, clock):
    window, _ = kiosk_window
    device = QTest.createTouchDevice()
    fired = []
    gesture.triggered.connect(lambda: fired.append(1))
    for i in range(4):
        QTest.touchEvent(window, device).press(0, QPoint(12, 12)).commit()
        QTest.touchEvent(window, device).release(0, QPoint(12, 12)).commit()
        clock.t += 0.3
    assert fired == []
    QTest.touchEvent(window, device).press(0, QPoint(12, 12)).commit()
    QTest.touchEvent(window, device).release(0, QPoint(12, 12)).commit()
    assert fired == [1]


# -- the PIN pad ----------------------------------------------------------------------------------


def hosted(qtbot, widget: QWidget) -> QWidget:
    """Show `widget` as the shell will: an overlay inside the 1080p kiosk window."""
    host = QWidget()
    host.resize(1920, 1080)
    widget.setParent(host)
    widget.setGeometry(host.rect())
    qtbot.addWidget(host)
    host.show()
    widget.show()
    widget._test_host = host  # keep the host alive as long as the widget is used
    return widget


def enter(pad: PinPad, digits: str) -> None:
    for d in digits:
        QTest.mouseClick(pad.digit_buttons[d], Qt.MouseButton.LeftButton)
    QTest.mouseClick(pad.ok_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def pad(qtbot, clock):
    return hosted(qtbot, PinPad(PIN_HASH, clock=clock))


def test_right_pin_is_accepted(pad, qtbot):
    with qtbot.waitSignal(pad.accepted, timeout=1000):
        enter(pad, PIN)


def test_entry_is_masked(pad):
    for d in "24":
        QTest.mouseClick(pad.digit_buttons[d], Qt.MouseButton.LeftButton)
    assert pad.display.text() == "●●"
    assert "2" not in pad.display.text()
    QTest.mouseClick(pad.clear_button, Qt.MouseButton.LeftButton)
    assert pad.entry_length == 0


def test_wrong_pin_is_refused_with_tries_left(pad):
    accepted = []
    pad.accepted.connect(lambda: accepted.append(1))
    enter(pad, "1111")
    assert accepted == []
    assert pad.message.text() == "Wrong PIN. 4 tries left."


def test_five_wrong_tries_lock_the_pad_for_a_minute(pad, clock):
    accepted = []
    pad.accepted.connect(lambda: accepted.append(1))
    for _ in range(5):
        enter(pad, "1111")
    assert pad.locked
    assert "Try again in 60 s" in pad.message.text()
    assert not pad.digit_buttons["1"].isEnabled()
    enter(pad, PIN)  # even the right PIN does nothing while locked
    assert accepted == []
    clock.t += 45
    pad.update_lock_state()
    assert "Try again in 15 s" in pad.message.text()
    clock.t += 15
    pad.update_lock_state()
    assert not pad.locked
    assert pad.digit_buttons["1"].isEnabled()
    enter(pad, PIN)
    assert accepted == [1]


def test_cancelling_does_not_reset_the_lock(qtbot, clock):
    guard = PinGuard(clock=clock)
    first = hosted(qtbot, PinPad(PIN_HASH, guard=guard))
    for _ in range(5):
        enter(first, "9999")
    first.cancel()
    again = hosted(qtbot, PinPad(PIN_HASH, guard=guard))
    assert again.locked


def test_cancel_emits(pad, qtbot):
    with qtbot.waitSignal(pad.cancelled, timeout=1000):
        QTest.mouseClick(pad.cancel_button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("stored", [None, "", "1234", "md5$1$x$y"], ids=["none", "empty", "clear-text", "bad"])
def test_no_pin_configured_means_operator_mode_off(qtbot, stored):
    pad = hosted(qtbot, PinPad(stored))
    assert not pad.enabled
    assert "Operator mode is off" in pad.message.text()
    assert not pad.digit_buttons["1"].isVisible()
    assert pad.cancel_button.isVisible()
    accepted = []
    pad.accepted.connect(lambda: accepted.append(1))
    for pin in ("0000", "1234", ""):
        for d in pin:
            pad.press_digit(d)
        pad.submit()
    assert accepted == []


def test_buttons_are_big_enough_to_touch(pad):
    for b in [*pad.digit_buttons.values(), pad.ok_button, pad.clear_button, pad.cancel_button]:
        assert b.height() >= 90
    assert all(b.width() >= 90 for b in pad.digit_buttons.values())


# -- the panel ------------------------------------------------------------------------------------


def test_panel_shows_status_and_problems(qtbot):
    panel = hosted(qtbot, OperatorPanel())
    panel.set_status(
        "/srv/kiosk/content.yaml",
        dt.datetime(2026, 11, 22, 9, 30, 5),
        ["content.yaml:12:5 screens[2].title: missing 'de'", "assets/forest.png: file not found"],
        37,
    )
    assert "/srv/kiosk/content.yaml" in panel.content_label.text()
    assert "2026-11-22 09:30:05" in panel.reload_label.text()
    assert "37" in panel.visits_label.text()
    assert panel.problem_texts[1] == "assets/forest.png: file not found"
    assert "Problems (2)" in panel.problems_title.text()
    panel.set_status("/srv/kiosk/content.yaml", None, [], 0)
    assert panel.problem_texts == []
    assert "not yet" in panel.reload_label.text()


@pytest.mark.parametrize(
    ("button", "signal"),
    [
        ("reload", "reload_requested"),
        ("fullscreen", "toggle_fullscreen_requested"),
        ("restart", "restart_requested"),
        ("quit", "quit_requested"),
        ("close", "closed"),
    ],
)
def test_panel_buttons_emit(qtbot, button, signal):
    panel = hosted(qtbot, OperatorPanel())
    with qtbot.waitSignal(getattr(panel, signal), timeout=1000):
        QTest.mouseClick(panel.buttons[button], Qt.MouseButton.LeftButton)


# -- the fallback screen --------------------------------------------------------------------------


def test_fallback_window_shows_the_message(qtbot):
    w = hosted(qtbot, FallbackWindow("Taking a short break"))
    assert w.label.text() == "Taking a short break"


def test_fallback_process_runs_until_ended(tmp_path, repo):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_FALLBACK": "1",
           "KIOSK_FALLBACK_MESSAGE": "Back soon", "KIOSK_HEARTBEAT_FILE": str(tmp_path / "beat")}
    from kiosk.supervisor import fallback_command

    child = subprocess.Popen(fallback_command([]), cwd=repo, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "beat").exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert child.poll() is None, child.stdout.read().decode()
        assert (tmp_path / "beat").exists()  # its event loop runs
    finally:
        child.terminate()
        out = child.communicate(timeout=30)[0].decode()
    assert "Back soon" in out  # logged
    assert "Traceback" not in out
