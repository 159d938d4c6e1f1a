"""An operator edits content.yaml while the kiosk runs: visitors see good edits at the next
screen change and never see bad ones; the operator panel lists what is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from kiosk.content.loader import load
from kiosk.operator_pin import hash_pin
from kiosk.ui.app import KioskWindow, load_fonts
from kiosk.ui.clock import AnimationClock
from kiosk.ui.shell import Shell
from kiosk.ui.wiring import LiveContent, OperatorMode


@pytest.fixture
def content_copy(tmp_path, repo) -> Path:
    """The shipped content and its assets in a folder the test may edit."""
    shutil.copy(repo / "content.yaml", tmp_path / "content.yaml")
    shutil.copytree(repo / "assets", tmp_path / "assets")
    return tmp_path / "content.yaml"


@pytest.fixture
def running(qtbot, content_copy):
    result = load(content_copy)
    assert result.ok
    shell = Shell(result.exhibition, result.base_dir, AnimationClock(), load_fonts(result))
    window = KioskWindow(shell)
    window.setFixedSize(1280, 720)
    qtbot.addWidget(window)
    window.show()
    live = LiveContent(shell, content_copy, result, parent=window)
    yield shell, live, content_copy
    live.stop()
    shell.shutdown()


def texts(shell: Shell) -> list[str]:
    return [lbl.text() for lbl in shell.findChildren(QLabel) if lbl.isVisibleTo(shell.window()) and lbl.text()]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


WHY_TITLE = "Why remove CO₂?"


def test_a_good_edit_waits_for_the_next_screen_change(qtbot, running):
    shell, live, path = running
    shell._start_walk()
    assert WHY_TITLE in texts(shell)
    with qtbot.waitSignal(live.watcher.reloaded, timeout=5000):
        edit(path, WHY_TITLE, "Why take CO₂ back?")
    assert shell.has_pending_content
    assert WHY_TITLE in texts(shell), "the visitor's screen must not change under their finger"
    shell.next()
    shell.back()
    assert "Why take CO₂ back?" in texts(shell)
    assert not shell.has_pending_content


def test_on_the_attract_loop_a_good_edit_shows_at_once(qtbot, running):
    shell, live, path = running
    old_prompt = shell.exhibition.attract.prompt.get("en")
    with qtbot.waitSignal(live.watcher.reloaded, timeout=5000):
        edit(path, old_prompt, "Touch me to begin")
    assert shell.index == 0
    assert shell.exhibition.attract.prompt.get("en") == "Touch me to begin"
    assert not shell.has_pending_content


def test_a_bad_edit_keeps_the_last_good_content_and_tells_the_operator(qtbot, running):
    shell, live, path = running
    shell._start_walk()
    before = shell.exhibition
    with qtbot.waitSignal(live.watcher.rejected, timeout=5000):
        edit(path, "idle_warning_s: 90", "idle_warning_s: ninety")
    shell.next()
    assert shell.exhibition is before
    assert WHY_TITLE not in texts(shell)  # the walk went on, on the old content
    assert any("content.yaml:" in p and "expected a number" in p for p in live.problems)
    # Fixed again: the next good save clears the problem list.
    with qtbot.waitSignal(live.watcher.reloaded, timeout=5000):
        edit(path, "idle_warning_s: ninety", "idle_warning_s: 90")
    assert live.problems == [] or all("warning" in p for p in live.problems)


def test_operator_gesture_pin_and_panel(qtbot, running):
    shell, live, path = running
    window = shell.window()
    pin_hash = hash_pin("2468")
    shell.exhibition = shell.exhibition.model_copy(
        update={"operator": shell.exhibition.operator.model_copy(update={"pin_hash": pin_hash})}
    )
    mode = OperatorMode(window, shell, live, lockdown=None, analytics=None)
    for _ in range(5):  # as the platform delivers a tap: to the window first
        QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))
    assert mode.pad is not None and mode.pad.isVisible()
    for digit in "2468":
        qtbot.mouseClick(mode.pad.digit_buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(mode.pad.ok_button, Qt.MouseButton.LeftButton)
    assert mode.panel is not None and mode.panel.isVisible()
    assert str(path) in mode.panel.content_label.text()
