"""A visitor with a keypad (keys only, no touch) reaches and activates every control of every screen,
detail and overlay, always seeing where the focus is."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.content.loader import load
from kiosk.ui.app import KioskWindow, load_fonts
from kiosk.ui.clock import AnimationClock
from kiosk.ui.keypad import KEYPAD_KEYS
from kiosk.ui.lockdown import install_lockdown
from kiosk.ui.shell import Shell
from kiosk.ui.speech import Speaker
from kiosk.ui.widgets.glossary import open_card
from kiosk.ui.widgets.tile import Tile


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def kiosk(qtbot, shipped_content_path):
    result = load(shipped_content_path)
    clock = AnimationClock()
    now = FakeTime()
    shell = Shell(result.exhibition, result.base_dir, clock, load_fonts(result), now=now)
    shell.spoken.speaker = Speaker(exe="", parent=shell)  # silent here; test_speech uses the real engine
    window = KioskWindow(shell)
    window.setFixedSize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    shell.fake_time = now
    yield shell
    shell.shutdown()


def key(shell: Shell, k, mods=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(shell.window(), k, mods)
    QTest.qWait(1)  # the focus settles after an activation on the next turn of the event loop


def every_visible_control(shell: Shell) -> set[QWidget]:
    """Buttons and tiles a sighted visitor could touch now (found independently of the keypad)."""
    window = shell.window()
    overlays = [o for o in shell.overlays() if o.isVisible()]
    root = overlays[-1] if overlays else shell
    found = set()
    for w in root.findChildren(QWidget):
        if isinstance(w, (QAbstractButton, Tile)) and w.isVisibleTo(window) and w.isEnabled():
            if root is shell and any(o.isAncestorOf(w) for o in shell.overlays()):
                continue
            found.add(w)
    return found


def tab_cycle(shell: Shell) -> list[QWidget]:
    """Press Tab until the focus comes back to where it started; what it visited."""
    shell.keypad.set_focus(None)
    seen: list[QWidget] = []
    for _ in range(100):
        key(shell, Qt.Key.Key_Tab)
        w = shell.keypad.focused
        if w is None or (seen and w is seen[0]):
            break
        seen.append(w)
    return seen


def state(shell: Shell) -> tuple:
    return (
        shell.index,
        tuple(o.isVisible() for o in shell.overlays()),
        tuple(sorted((k, str(v)) for k, v in shell.current.narration_state().items())),
        shell.lang,
        tuple(sorted(shell.settings.items())),
        shell.spoken.on,
        getattr(open_card(shell.window()), "term_id", None),  # a glossary card open on a marked word
    )


def go_fresh(shell: Shell, index: int) -> None:
    for overlay in shell.overlays():
        overlay.hide()
    shell.current.reset()
    shell.set_language("en")
    for name in list(shell.settings):
        shell.set_setting(name, False)
    shell.spoken.set_on(False, announce=False)
    shell.go_to(index)
    shell.current.reset()
    shell.keypad.set_focus(None)


def follow(shell: Shell, path: list[int]) -> QWidget:
    """From a fresh screen: Tab to control path[0], Enter, Tab to path[1] ... (keys only)."""
    for depth, position in enumerate(path):
        shell.keypad.set_focus(None)
        for _ in range(position + 1):
            key(shell, Qt.Key.Key_Tab)
        if depth < len(path) - 1:
            key(shell, Qt.Key.Key_Return)
    return shell.keypad.focused


def test_enter_on_the_attract_loop_starts_the_walk(kiosk):
    assert kiosk.index == 0
    key(kiosk, Qt.Key.Key_Return)
    assert kiosk.index == 1


def test_page_and_arrow_keys_change_screens(kiosk):
    key(kiosk, Qt.Key.Key_Return)
    key(kiosk, Qt.Key.Key_Right)
    assert kiosk.index == 2
    key(kiosk, Qt.Key.Key_PageDown)
    assert kiosk.index == 3
    key(kiosk, Qt.Key.Key_PageUp)
    key(kiosk, Qt.Key.Key_Left)
    assert kiosk.index == 1


def test_shift_tab_walks_backwards(kiosk):
    key(kiosk, Qt.Key.Key_Return)
    forward = tab_cycle(kiosk)
    kiosk.keypad.set_focus(None)
    backward = []
    for _ in range(len(forward)):
        key(kiosk, Qt.Key.Key_Backtab)
        backward.append(kiosk.keypad.focused)
    assert backward == list(reversed(forward))


def test_keys_count_as_activity_for_the_idle_timer(kiosk):
    key(kiosk, Qt.Key.Key_Return)
    kiosk.fake_time.t += kiosk.idle.warn_after_s - 1
    key(kiosk, Qt.Key.Key_Tab)
    kiosk.fake_time.t += 2
    kiosk.idle.poll()
    assert not kiosk.idle.warning_shown


def test_every_control_of_every_screen_detail_and_overlay_is_reached_and_activated(kiosk):
    activated = []
    kiosk.keypad.activated.connect(activated.append)
    reached_overall = 0
    for index in range(1, kiosk.screen_count):
        go_fresh(kiosk, index)
        chain = tab_cycle(kiosk)
        assert set(chain) == every_visible_control(kiosk), kiosk.current.screen_id
        seen_here = set(chain)
        for position, control in enumerate(chain):
            go_fresh(kiosk, index)
            assert follow(kiosk, [position]) is control
            before = state(kiosk)
            key(kiosk, Qt.Key.Key_Return)
            assert activated[-1] is control
            reached_overall += 1
            changed = state(kiosk) != before
            assert changed or control.property("current") == "true", (kiosk.current.screen_id, control)
            overlay_open = any(o.isVisible() for o in kiosk.overlays())
            detail_open = kiosk.index == index and any(kiosk.current.narration_state().values())
            if not (overlay_open or detail_open) or kiosk.index != index:
                continue
            # An overlay or a detail page opened: everything new in it is reached and activated too.
            inner = tab_cycle(kiosk)
            assert set(inner) == every_visible_control(kiosk)
            for inner_pos, inner_control in enumerate(inner):
                if inner_control in seen_here:
                    continue
                go_fresh(kiosk, index)
                assert follow(kiosk, [position, inner_pos]) is inner_control
                key(kiosk, Qt.Key.Key_Return)
                assert activated[-1] is inner_control
                reached_overall += 1
    assert reached_overall > 60


def accent_share_on_ring(image, ring_rect, colour: QColor, width: int) -> float:
    """Share of points along the ring's top and bottom strokes that have the accent colour."""
    hits = total = 0
    for x in range(ring_rect.left() + 3 * width, ring_rect.right() - 3 * width, 3):
        for y in (ring_rect.top() + width // 2, ring_rect.bottom() - width // 2):
            if 0 <= y < image.height():
                total += 1
                c = image.pixelColor(x, y)
                if abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue()) < 40:
                    hits += 1
    return hits / max(1, total)


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_the_focus_is_visible_in_the_rendered_image(kiosk, high_contrast):
    key(kiosk, Qt.Key.Key_Return)
    kiosk.set_setting("high_contrast", high_contrast)
    for index in range(1, kiosk.screen_count):
        go_fresh(kiosk, index)
        kiosk.set_setting("high_contrast", high_contrast)
        for _ in range(3):
            key(kiosk, Qt.Key.Key_Tab)
            focused = kiosk.keypad.focused
            image = kiosk.window().grab().toImage()
            rect = focused.rect().translated(focused.mapTo(kiosk.window(), focused.rect().topLeft()))
            ring = kiosk.keypad.ring
            ring_rect = ring.geometry().translated(kiosk.mapTo(kiosk.window(), kiosk.rect().topLeft()))
            assert ring.isVisible() and ring_rect.contains(rect)  # around the control, not over it
            # Above and below the control, along its width, the image has the accent colour.
            share = accent_share_on_ring(image, ring_rect, kiosk.look().color("accent"), ring.width_px)
            assert share > 0.9, (kiosk.current.screen_id, focused, share)
        key(kiosk, Qt.Key.Key_Tab)


def test_the_ring_moves_with_its_control_at_once(kiosk):
    """A layout that moves the focused control (or a parent) moves the ring in the same turn,
    not a follow-timer tick later: no frame shows the ring beside its control."""
    key(kiosk, Qt.Key.Key_Return)
    go_fresh(kiosk, 2)
    key(kiosk, Qt.Key.Key_Tab)
    focused = kiosk.keypad.focused
    ring = kiosk.keypad.ring

    def around() -> bool:
        rect = QRect(focused.mapTo(kiosk, focused.rect().topLeft()), focused.size())
        return ring.isVisible() and ring.geometry().contains(rect)

    assert around()
    focused.parentWidget().move(focused.parentWidget().pos() + QPoint(0, -40))  # its parent moves
    assert around()
    focused.resize(focused.width() + 30, focused.height())  # it grows
    assert around()


def test_lockdown_lets_the_keypad_keys_through(qtbot, qapp, kiosk):
    lock = install_lockdown(kiosk.window(), qapp, hide_cursor=False, keep_awake=False, fullscreen=False)
    try:
        key(kiosk, Qt.Key.Key_Return)
        key(kiosk, Qt.Key.Key_Tab)
        assert kiosk.keypad.focused is not None
        key(kiosk, Qt.Key.Key_Right)
        assert kiosk.index == 2
        key(kiosk, Qt.Key.Key_F1)
        assert kiosk.spoken.on
        key(kiosk, Qt.Key.Key_Escape)  # still swallowed: nothing leaves the kiosk
        assert kiosk.window().isVisible()
        assert {Qt.Key.Key_F1, Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4, Qt.Key.Key_Tab} <= KEYPAD_KEYS
    finally:
        lock.allow_close()
        lock.uninstall()


def test_keys_do_not_reach_the_kiosk_under_the_operator_panel(qtbot, kiosk):
    from kiosk.ui.operator import OperatorPanel

    key(kiosk, Qt.Key.Key_Return)
    panel = OperatorPanel()
    panel.setParent(kiosk.window())
    panel.setGeometry(kiosk.window().rect())
    panel.show()
    key(kiosk, Qt.Key.Key_Right)
    key(kiosk, Qt.Key.Key_Tab)
    assert kiosk.index == 1 and kiosk.keypad.focused is None
    panel.hide()
    key(kiosk, Qt.Key.Key_Right)
    assert kiosk.index == 2


def test_the_bathtub_is_played_with_keys_only(kiosk):
    """Guess with Enter, then every path of the world is chosen from the keypad too."""
    index = [s.id for s in kiosk.exhibition.screens].index("bathtub")
    go_fresh(kiosk, index)
    screen = kiosk.current
    chain = tab_cycle(kiosk)
    answers = [b for b, _ in screen.answer_buttons]
    assert [w for w in chain if w in answers] == answers  # in reading order, before the bottom bar
    position = chain.index(answers[0])
    assert follow(kiosk, [position]) is answers[0]
    key(kiosk, Qt.Key.Key_Return)
    assert screen.answer == screen.answer_buttons[0][1]
    inner = tab_cycle(kiosk)
    paths = [b for b, _ in screen.path_buttons]
    assert [w for w in inner if w in paths] == paths and not any(a in inner for a in answers)
    for button, path_id in screen.path_buttons:
        kiosk.keypad.set_focus(button)
        key(kiosk, Qt.Key.Key_Return)
        assert screen.path_id == path_id and button.isChecked()
        assert screen.narration_state()["path"] == path_id
