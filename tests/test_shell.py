"""The walk-through as a visitor uses it: taps, swipes, the menu, languages, idle reset."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from kiosk.content.loader import load
from kiosk.ui.app import KioskWindow, load_fonts
from kiosk.ui.clock import AnimationClock
from kiosk.ui.shell import Shell


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class RecordingAnalytics:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __getattr__(self, name):
        return lambda *a, **k: self.calls.append((name, *a))


@pytest.fixture
def kiosk(qtbot, shipped_content_path):
    """The shipped content in a 1920x1080 window, with a hand-stepped clock and fake time."""
    result = load(shipped_content_path)
    assert result.ok, [p.headline() for p in result.problems]
    clock = AnimationClock()
    now = FakeTime()
    analytics = RecordingAnalytics()
    family = load_fonts(result)
    shell = Shell(result.exhibition, result.base_dir, clock, family, analytics=analytics, now=now)
    window = KioskWindow(shell)
    window.setFixedSize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    shell.fake_time = now
    shell.recorded = analytics
    yield shell
    shell.shutdown()


def tap(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def swipe(qtbot, shell: Shell, dx: int) -> None:
    y = shell.height() // 2
    x0 = shell.width() // 2 - dx // 2
    start, end = QPoint(x0, y), QPoint(x0 + dx, y)
    qtbot.mousePress(shell, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(shell, pos=end)
    qtbot.mouseRelease(shell, Qt.MouseButton.LeftButton, pos=end)


def visible_texts(shell: Shell) -> list[str]:
    return [lbl.text() for lbl in shell.findChildren(QLabel) if lbl.isVisibleTo(shell.window()) and lbl.text()]


def test_touching_the_attract_loop_starts_the_walk(qtbot, kiosk):
    assert kiosk.current.screen_id == "attract"
    tap(qtbot, kiosk.attract)
    assert kiosk.index == 1
    assert kiosk.current.screen_id == kiosk.exhibition.screens[1].id
    assert kiosk.recorded.calls[0] == ("start_session", "en")


def test_next_and_back_buttons_step_through_every_screen(qtbot, kiosk):
    tap(qtbot, kiosk.attract)
    seen = [kiosk.current.screen_id]
    while kiosk.index < len(kiosk.exhibition.screens) - 1:
        tap(qtbot, kiosk.bottom.next_button)
        seen.append(kiosk.current.screen_id)
    assert seen == [s.id for s in kiosk.exhibition.screens[1:]]
    # the dots reach the last screen
    assert kiosk.bottom.dots.current == kiosk.bottom.dots.count - 1 == len(seen) - 1
    while kiosk.bottom.back_button.isEnabled():
        tap(qtbot, kiosk.bottom.back_button)
    assert kiosk.index == 1


def test_swipes_move_like_the_buttons_and_short_drags_do_not(qtbot, kiosk):
    tap(qtbot, kiosk.attract)
    swipe(qtbot, kiosk, -600)  # finger moves left: next page
    assert kiosk.index == 2
    swipe(qtbot, kiosk, 600)
    assert kiosk.index == 1
    swipe(qtbot, kiosk, -80)  # a wobble, not a swipe
    assert kiosk.index == 1


def test_menu_jumps_to_any_screen(qtbot, kiosk):
    tap(qtbot, kiosk.attract)
    tap(qtbot, kiosk.bottom.menu_button)
    assert kiosk.menu.isVisible()
    last = len(kiosk.screens) - 1
    tap(qtbot, kiosk.menu.buttons[last - 1])
    assert not kiosk.menu.isVisible()
    assert kiosk.index == last
    assert kiosk.current.screen_id == "ending"


def test_the_last_screen_offers_start_again_in_the_same_language(qtbot, kiosk):
    """The walk ends on what a visitor can do next and a live "Start again", not a greyed-out Next."""
    tap(qtbot, kiosk.attract.lang_buttons["de"])
    tap(qtbot, kiosk.bottom.next_button)  # one step in, so "again" has something to undo
    tap(qtbot, kiosk.bottom.menu_button)
    tap(qtbot, kiosk.menu.buttons[len(kiosk.screens) - 2])
    ending = kiosk.exhibition.screens[-1]
    assert kiosk.current.screen_id == "ending"
    texts = visible_texts(kiosk)
    assert ending.title.get("de") in texts
    assert all(action.text.get("de") in texts for action in ending.actions)
    assert kiosk.bottom.next_button.isEnabled()
    assert kiosk.bottom.next_button.text().endswith(ending.restart.get("de"))
    tap(qtbot, kiosk.bottom.next_button)
    assert kiosk.index == 1 and kiosk.lang == "de"
    assert kiosk.exhibition.screens[1].title.get("de") in visible_texts(kiosk)
    assert kiosk.bottom.next_button.text().startswith(kiosk.exhibition.ui.next.get("de"))
    assert ("interaction", "start_again") in kiosk.recorded.calls


def test_language_buttons_translate_the_screen_at_once(qtbot, kiosk):
    tap(qtbot, kiosk.attract)
    title_en = kiosk.exhibition.screens[1].title.get("en")
    assert title_en in visible_texts(kiosk)
    for code in kiosk.exhibition.languages.available:
        tap(qtbot, kiosk.languages.lang_buttons[code])
        texts = visible_texts(kiosk)
        assert kiosk.exhibition.screens[1].title.get(code) in texts
        assert kiosk.bottom.next_button.text().startswith(kiosk.exhibition.ui.next.get(code))
        assert kiosk.languages.lang_buttons[code].property("current") == "true"
    assert ("language_changed", "de") in kiosk.recorded.calls


def test_language_chosen_on_the_attract_loop_starts_in_that_language(qtbot, kiosk):
    tap(qtbot, kiosk.attract.lang_buttons["fr"])
    assert kiosk.index == 1
    assert kiosk.lang == "fr"
    assert kiosk.exhibition.screens[1].title.get("fr") in visible_texts(kiosk)


def test_idle_warns_then_resets_to_attract_and_default_language(qtbot, kiosk):
    t = kiosk.exhibition.timings
    tap(qtbot, kiosk.attract.lang_buttons["de"])
    tap(qtbot, kiosk.bottom.next_button)
    kiosk.set_setting("high_contrast", True)
    kiosk.fake_time.t += t.idle_warning_s - 1
    kiosk.idle.poll()
    assert not kiosk.idle_overlay.isVisible()
    kiosk.fake_time.t += 2
    kiosk.idle.poll()
    assert kiosk.idle_overlay.isVisible()
    assert kiosk.exhibition.ui.still_there.get("de") in visible_texts(kiosk)
    countdown = [s for s in visible_texts(kiosk) if str(int(t.idle_countdown_s) - 1) in s]
    assert countdown, "the warning shows the seconds left"
    kiosk.fake_time.t += t.idle_countdown_s
    kiosk.idle.poll()
    assert kiosk.index == 0
    assert kiosk.lang == kiosk.exhibition.languages.default
    assert not any(kiosk.settings.values())
    assert not kiosk.idle_overlay.isVisible()
    assert kiosk.recorded.calls[-1][0:2] == ("end_session", "idle")


def test_a_touch_during_the_warning_keeps_the_visitor_where_they_are(qtbot, kiosk):
    tap(qtbot, kiosk.attract)
    tap(qtbot, kiosk.bottom.next_button)
    here = kiosk.index
    kiosk.fake_time.t += kiosk.exhibition.timings.idle_warning_s + 1
    kiosk.idle.poll()
    assert kiosk.idle_overlay.isVisible()
    tap(qtbot, kiosk.idle_overlay)
    assert not kiosk.idle_overlay.isVisible()
    kiosk.fake_time.t += kiosk.exhibition.timings.idle_countdown_s + 1
    kiosk.idle.poll()
    assert kiosk.index == here


def test_the_attract_loop_never_times_out(qtbot, kiosk):
    kiosk.fake_time.t += 10_000
    kiosk.idle.poll()
    assert not kiosk.idle_overlay.isVisible()
    assert kiosk.index == 0


def test_accessibility_switches_change_text_size_and_contrast(qtbot, kiosk):
    tap(qtbot, kiosk.attract)
    title = kiosk.current.title
    normal_px = title.fontInfo().pixelSize()
    tap(qtbot, kiosk.languages.access)
    assert kiosk.access.isVisible()
    tap(qtbot, kiosk.access.switches["larger_text"])
    assert title.fontInfo().pixelSize() > normal_px * 1.2
    tap(qtbot, kiosk.access.switches["high_contrast"])
    hc = kiosk.exhibition.theme.high_contrast
    assert hc.background in kiosk.styleSheet() and hc.text in kiosk.styleSheet()
    assert ("setting_used", "high_contrast") in kiosk.recorded.calls


def test_technology_tile_opens_its_detail_and_back_closes_it(qtbot, kiosk):
    ids = [s.id for s in kiosk.exhibition.screens]
    kiosk._start_walk()
    kiosk.go_to(ids.index("technologies"))
    screen = kiosk.current
    tile = screen.tiles[1]
    tap(qtbot, tile)
    method = kiosk.exhibition.screens[ids.index("technologies")].methods[1]
    assert screen.open_method_id == method.id
    assert method.name.get("en") in visible_texts(kiosk)
    tap(qtbot, kiosk.bottom.back_button)
    assert screen.open_method_id is None
    assert kiosk.current is screen  # Back closed the detail, it did not leave the screen


def test_every_control_is_a_big_touch_target(qtbot, kiosk):
    from PySide6.QtWidgets import QPushButton

    tap(qtbot, kiosk.attract)
    buttons = [b for b in kiosk.findChildren(QPushButton) if b.isVisibleTo(kiosk.window())]
    assert buttons
    # 9 mm on a 24-inch 1080p panel (the smallest kiosk screen we expect) is 32 px.
    small = [(b.text(), b.width(), b.height()) for b in buttons if min(b.width(), b.height()) < 64]
    assert not small


def test_attract_loop_drifts_so_nothing_burns_in(qtbot, kiosk):
    block = kiosk.attract.block
    start = block.geometry().topLeft()
    period = kiosk.exhibition.timings.attract_drift_period_s
    seen = {(start.x(), start.y())}
    for _ in range(8):
        kiosk.clock.advance(period / 8)
        seen.add((block.x(), block.y()))
        assert kiosk.rect().contains(block.geometry()), "the title block stays on screen"
    assert len(seen) >= 6, "the title block moves over a drift period"


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (3840, 2160)], ids=["landscape", "portrait", "4k"])
def test_the_drifting_title_never_covers_a_node_or_its_label(qtbot, shipped_content_path, size):
    """The block drifts under the diagram; it used to drift over it and hide node labels
    ("Plants and soils: 31%" half under the title at 1920x1080)."""
    from kiosk_window import open_kiosk

    window, shell, clock = open_kiosk(qtbot, shipped_content_path, size)
    try:
        attract, period = shell.attract, shell.exhibition.timings.attract_drift_period_s
        for _ in range(24):
            clock.advance(period / 24)
            block = attract.block.geometry()
            flow = attract.flow
            covered = [node for node, rect in {**flow.node_rects(), **flow.label_rects()}.items()
                       if block.intersects(rect.toAlignedRect().translated(flow.pos()))]
            assert not covered, f"the title covers {covered} at {block.getRect()}"
            assert attract.rect().contains(block)
    finally:
        shell.shutdown()
        window.close()


def test_attract_prompt_cycles_through_every_language(qtbot, kiosk):
    from kiosk.ui.screens.attract import PROMPT_CYCLE_S

    prompts = set()
    for _ in range(len(kiosk.exhibition.languages.available)):
        prompts.add(kiosk.attract.prompt.text())
        kiosk.clock.advance(PROMPT_CYCLE_S)
    assert prompts == {kiosk.exhibition.attract.prompt.get(c) for c in kiosk.exhibition.languages.available}


def test_a_method_detail_fits_the_window_without_scrolling(qtbot, kiosk):
    """Tapping a method tile shows its detail, cross-section included, inside the window: the
    screen used to grow to the size of every page at once and scroll, its diagram taller than
    the window."""
    tap(qtbot, kiosk.attract)
    ids = [s.id for s in kiosk.exhibition.screens]
    kiosk.go_to(ids.index("technologies"))
    screen = kiosk.current
    tap(qtbot, screen.tiles[0])
    for _ in range(5):
        qtbot.wait(20)
    area = screen.parentWidget().parentWidget()
    assert screen.open_method_id == kiosk.exhibition.screens[ids.index("technologies")].methods[0].id
    assert screen.height() <= area.viewport().height()
    assert not area.verticalScrollBar().isVisible()
    assert 0 < screen.detail.flow.height() < area.viewport().height() * 0.8


def test_a_screen_change_arms_one_heap_trim_for_when_the_visitor_reads(qtbot, kiosk):
    """Freed pictures go back to the system a moment after the walk settles (kiosk.ui.memory)."""
    from kiosk.ui.memory import trim_heap

    tap(qtbot, kiosk.attract)
    kiosk.trimmer._timer.stop()
    tap(qtbot, kiosk.bottom.next_button)
    assert kiosk.trimmer._timer.isActive()
    assert trim_heap() is True  # Linux with glibc, as on the kiosk PCs and in CI
