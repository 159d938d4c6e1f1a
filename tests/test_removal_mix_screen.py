"""The removal-mix screen as a visitor uses it, in the shipped walk, on a hand-stepped clock:
steppers answer at once, the goal is reached, the ending compares with mixes recorded earlier in
the local analytics (a real SQLite file), and idle reset clears it."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.analytics import Analytics
from kiosk.content.loader import load
from kiosk.ui.app import KioskWindow, load_fonts
from kiosk.ui.clock import AnimationClock
from kiosk.ui.shell import Shell
from kiosk.ui.spoken import plain_text


class FakeTime:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


NOON = 1_780_000_000.0  # a fixed wall-clock time for the analytics ("today")


@pytest.fixture
def mix(qtbot, shipped_content_path, tmp_path):
    """The shipped kiosk at 1920x1080 with real analytics in a temporary file, on the mix screen."""
    result = load(shipped_content_path)
    assert result.ok
    clock = AnimationClock()
    wall = FakeTime(NOON)
    analytics = Analytics(tmp_path / "a.sqlite3", clock=wall)
    shell = Shell(result.exhibition, result.base_dir, clock, load_fonts(result), analytics=analytics,
                  now=FakeTime(1000.0))
    window = KioskWindow(shell)
    window.setFixedSize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.mouseClick(shell.attract, Qt.MouseButton.LeftButton)  # a visitor starts the walk
    ids = [s.id for s in shell.exhibition.screens]
    shell.go_to(ids.index("removal_mix"))
    screen = shell.current
    screen.analytics, screen.wall, screen.shell = analytics, wall, shell
    yield screen
    shell.shutdown()
    analytics.close()


def stepper(screen, method_id):
    return next(s for s in screen.steppers if s.method.id == method_id)


def press(qtbot, screen, method_id, sign, times=1):
    s = stepper(screen, method_id)
    for _ in range(times):
        qtbot.mouseClick(s.plus if sign > 0 else s.minus, Qt.MouseButton.LeftButton)


def visible(screen) -> str:
    return " | ".join(l.text() for l in screen.findChildren(QLabel) if l.isVisibleTo(screen.window()) and l.text())


def test_the_screen_follows_the_technologies_in_the_walk(mix):
    ids = [s.id for s in mix.shell.exhibition.screens]
    assert ids.index("removal_mix") == ids.index("technologies") + 1


def test_each_touch_changes_the_totals_and_outputs_at_once(qtbot, mix):
    assert "Your mix: 0 Gt a year" in mix.total.text()
    assert "no extra land" in mix.land.value.text()
    press(qtbot, mix, "daccs", +1, times=2)  # 1 Gt of air capture, no event loop turn in between
    assert mix.total.text() == "Your mix: 1 Gt a year"
    assert "1 Gt a year" in stepper(mix, "daccs").amount_text
    # 1 × 5..15 EJ of 600 EJ = 0.8..2.5 %; 1 × 100..300 US$/t = 100..300 billion a year
    assert "0.8–2.5 % of world energy" in mix.energy.value.text()
    assert "100–300 billion US$ a year" in mix.cost.value.text()
    assert "100 % for 10,000+ years" in mix.storage.value.text()
    press(qtbot, mix, "forests", +1, times=2)  # + 1 Gt of forests: 79..241 Mha, rough
    assert "~80–240 million hectares" in mix.land.value.text()  # "~": rests on an unconfirmed figure
    assert mix.rough_note.isVisibleTo(mix.window()) and mix.rough_note.text() == "~ rough estimate."
    assert mix.sources.text().startswith("Source:")  # the source line itself starts as on every screen
    assert "50 % for 10,000+ years" in mix.storage.value.text()
    assert "50 % that fire or a plough can undo" in mix.storage.detail.text()
    # each storage line starts with a square in its colour on the goal bar: the bar's legend
    palette = mix.ctx.look.palette
    assert palette.store in mix.storage.value.text() and palette.sink in mix.storage.detail.text()
    press(qtbot, mix, "forests", -1)
    assert mix.total.text() == "Your mix: 1.5 Gt a year"


def test_minus_stops_at_zero_and_plus_at_the_potential(qtbot, mix):
    s = stepper(mix, "weathering")
    assert not s.minus.isEnabled()
    press(qtbot, mix, "weathering", +1, times=8)  # 4 Gt: its potential (AR6: 2–4)
    assert mix.amounts["weathering"] == 4.0 and not s.plus.isEnabled()
    press(qtbot, mix, "weathering", +1)
    assert mix.amounts["weathering"] == 4.0  # refused, nothing changed


def test_warnings_appear_in_plain_words(qtbot, mix):
    press(qtbot, mix, "daccs", +1, times=11)  # 5.5 Gt: past the 5 Gt Fuss et al. call sustainable
    assert "Direct air capture: more than studies call sustainable (up to 5 Gt)." in mix.warnings.text()
    assert mix.warnings.isVisible()
    press(qtbot, mix, "daccs", -1)
    assert not mix.warnings.isVisible()


def test_reaching_the_goal_shows_the_ending_and_try_again_resets(qtbot, mix):
    press(qtbot, mix, "forests", +1, times=4)  # 2
    press(qtbot, mix, "daccs", +1, times=10)  # 5: total 7
    press(qtbot, mix, "weathering", +1, times=3)  # 1.5: total 8.5, not yet
    assert not mix.ending_shown
    press(qtbot, mix, "weathering", +1)  # 9 Gt >= 8.75: the goal
    assert mix.ending_shown and mix.pages.currentIndex() == 1
    summary = plain_text(mix.end_summary)  # its words; "Gt" is a marked glossary word
    assert summary == "Your mix removes 9 Gt a year and reaches the goal, relying most on direct air capture."
    # Nobody before today: the visitor is told they are the first, with their own share.
    assert mix.end_others.text() == "You are the first to build a mix here today. You chose 78 % permanent storage."
    qtbot.mouseClick(mix.again, Qt.MouseButton.LeftButton)
    assert mix.pages.currentIndex() == 0 and sum(mix.amounts.values()) == 0
    assert "Your mix: 0 Gt a year" in mix.total.text()


def test_done_before_the_goal_says_how_far_short(qtbot, mix):
    press(qtbot, mix, "soil", +1, times=4)
    qtbot.mouseClick(mix.done, Qt.MouseButton.LeftButton)
    assert plain_text(mix.end_summary) == "Your mix removes 2 Gt a year, 6.75 Gt short of the goal, relying most on soil carbon."
    # Back returns to the mix to change it, without leaving the screen.
    mix.shell.back()
    assert mix.shell.current is mix and mix.pages.currentIndex() == 0 and mix.amounts["soil"] == 2


def test_the_ending_compares_with_mixes_visitors_finished_earlier(qtbot, mix):
    a = mix.analytics
    # Two earlier visitors today leaned on forests, one on air capture.
    a.record_mix("removal_mix", "de", {"forests": 3.0, "daccs": 1.0}, 8.75, 0.25)
    a.record_mix("removal_mix", "en", {"forests": 2.0, "beccs": 1.0}, 8.75, 1 / 3)
    a.record_mix("removal_mix", "fr", {"daccs": 5.0, "weathering": 4.0}, 8.75, 1.0)
    a.flush()
    press(qtbot, mix, "beccs", +1, times=6)  # 3 Gt of BECCS: 100 % permanent
    qtbot.mouseClick(mix.done, Qt.MouseButton.LeftButton)
    # mean permanent share of the three: (25 + 33.3 + 100) / 3 = 53 %
    assert mix.end_others.text() == (
        "Most visitors today relied on forests. You chose 100 % permanent storage; they chose 53 % on average."
    )


def test_a_finished_mix_is_written_once_when_the_visitor_moves_on(qtbot, mix):
    press(qtbot, mix, "biochar", +1, times=2)
    qtbot.mouseClick(mix.done, Qt.MouseButton.LeftButton)
    mix.analytics.flush()
    assert mix.analytics.mixes_today() == []  # still on the ending: the visitor may go back and change it
    mix.shell.back()
    press(qtbot, mix, "biochar", +1)
    qtbot.mouseClick(mix.done, Qt.MouseButton.LeftButton)
    mix.shell.next()  # on to the next screen: the mix they settled on is recorded
    rows = mix.analytics.mixes_today()
    assert [(r.lang, dict(r.parts)["biochar"], r.reached_goal, r.permanent_share) for r in rows] == [
        ("en", 1.5, False, 0.0)
    ]
    con = sqlite3.connect(mix.analytics.db_path)
    assert con.execute("SELECT COUNT(*), MAX(total_gt) FROM mixes").fetchone() == (1, 1.5)
    con.close()


def test_idle_reset_clears_the_mix(qtbot, mix):
    press(qtbot, mix, "forests", +1, times=3)
    qtbot.mouseClick(mix.done, Qt.MouseButton.LeftButton)
    mix.shell.reset_for_next_visitor()
    assert mix.pages.currentIndex() == 0 and sum(mix.amounts.values()) == 0
    assert mix.shell.index == 0  # back on the attract loop
    assert [dict(r.parts)["forests"] for r in mix.analytics.mixes_today()] == [1.5]


def test_steppers_are_big_touch_targets(mix):
    for s in mix.steppers:
        for b in (s.minus, s.plus):
            assert min(b.width(), b.height()) >= 76  # the kiosk's touch minimum at 1080p


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("de", ["Ihr Mix: 3 Gt pro Jahr", "Mrd. US-$ pro Jahr", "Deutschland"]),
        ("fr", ["Votre bouquet\u202f: 3 Gt par an", "milliards de $ US par an"]),
        ("es", ["Tu combinación: 3 Gt al año", "mil millones de US$/año"]),
    ],
)
def test_every_language_reads_naturally_with_its_own_numbers(qtbot, mix, lang, words):
    press(qtbot, mix, "beccs", +1, times=2)  # 1 Gt: 31..58 Mha ≈ 1–1.5 × Germany
    press(qtbot, mix, "soil", +1, times=4)  # 2 Gt
    mix.shell.set_language(lang)
    text = visible(mix)
    for w in words:
        assert w in text, (w, text)
    assert "1,5" not in mix.total.text()  # 3 Gt is whole


def test_spoken_mode_says_the_live_result_in_words(qtbot, mix):
    from kiosk.narration.words import speakable

    press(qtbot, mix, "daccs", +1, times=2)  # 1 Gt of air capture
    lines = mix.narration_lines()
    assert lines[0] == "Your mix: 1 Gt a year"
    assert "Cost: 100–300 billion US$ a year" in lines
    said = " ".join(speakable(line, "en") for line in lines)
    assert "one hundred to three hundred" in said and "billion tonnes" in said
    assert mix.narration_state() == {"mix": "daccs=1", "ending": False}
    qtbot.mouseClick(mix.done, Qt.MouseButton.LeftButton)
    assert mix.narration_state()["ending"] is True
    assert mix.narration_lines()[0].startswith("Your mix removes 1 Gt a year, 7.75 Gt short of the goal")


def test_goal_bar_labels_never_overlap(qtbot):
    from kiosk.ui.widgets.mix_parts import GoalBar

    bar = GoalBar()
    qtbot.addWidget(bar)
    bar.set_sizes(34, 32)
    for width in (1848, 900, 600):
        bar.resize(width, bar.height())
        bar.set_state([], 8.75, 2.2, "Aujourd’hui : 2,2", "Nécessaire en 2050 : 8,75 Gt par an")
        today, goal = bar._label_rects()
        assert not today.intersects(goal), width
        assert goal.bottom() <= bar.height() + 1  # the widget grew to hold a second line


def test_a_keypad_visitor_builds_a_mix_hears_each_amount_and_goes_back_from_the_ending(qtbot, mix):
    """Keys only: + and − are reached and say the amount, − at zero hands the focus to its +, Done
    opens the ending, Back (the bottom bar's button) returns to the same mix, Try another clears it."""
    from PySide6.QtCore import Qt as K
    from PySide6.QtTest import QTest

    from kiosk.narration import speakable

    shell = mix.shell
    keypad = shell.keypad
    window = mix.window()

    def key(k):
        QTest.keyClick(window, k)
        QTest.qWait(1)  # the keypad settles its focus on the next turn of the event loop

    def tab_to(widget):
        for _ in range(len(keypad.controls()) + 1):
            if keypad.focused is widget:
                return
            key(K.Key.Key_Tab)
        raise AssertionError(f"the keypad never reached {widget.accessibleName()!r}")

    forests = stepper(mix, "forests")
    keypad.set_focus(None)
    tab_to(forests.plus)
    said = shell.spoken.describe(forests.plus)
    assert said.startswith("More Forests, button.") and speakable("0 Gt a year", "en") in said
    key(K.Key.Key_Return)
    assert mix.amounts["forests"] == 0.5 and keypad.focused is forests.plus  # the focus stays for the next press
    assert speakable("0.5 Gt a year", "en") in shell.spoken.describe(forests.plus)
    assert "sustainable: up to 3.6" in forests.plus.accessibleDescription()
    tab_to(forests.minus)
    assert shell.spoken.describe(forests.minus).startswith("Less Forests, button.")
    key(K.Key.Key_Return)
    assert mix.amounts["forests"] == 0.0 and not forests.minus.isEnabled()
    assert keypad.focused is forests.plus  # not thrown back to the top of the page
    key(K.Key.Key_Return)
    key(K.Key.Key_Return)  # 1 Gt of forests
    tab_to(mix.done)
    key(K.Key.Key_Return)
    assert mix.pages.currentIndex() == 1 and keypad.focused is not None
    assert plain_text(mix.end_summary).startswith("Your mix removes 1 Gt a year")
    # The lead is not on the ending: its summary marks "Gt", and the marked word is a keypad stop.
    from kiosk.ui.widgets.glossary import TermButton, marked_terms

    assert marked_terms(mix.end_summary) == ["gt"]
    assert any(isinstance(c, TermButton) and c.parentWidget() is mix.end_summary for c in keypad.controls())
    tab_to(shell.bottom.back_button)
    key(K.Key.Key_Return)
    assert mix.pages.currentIndex() == 0 and shell.current is mix  # back to the mix, not the screen before
    assert mix.amounts["forests"] == 1.0
    tab_to(mix.done)
    key(K.Key.Key_Return)
    tab_to(mix.again)
    key(K.Key.Key_Return)
    assert mix.pages.currentIndex() == 0 and not any(mix.amounts.values())
