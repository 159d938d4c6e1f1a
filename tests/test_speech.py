"""Spoken mode with the real speech engine (espeak-ng, installed by .ci/run): a screen is said to the
end, a touch silences it at once, and with no engine the kiosk stays silent and says so."""

from __future__ import annotations

import wave

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.content.loader import load
from kiosk.narration import speakable, spoken_lines
from kiosk.ui.app import KioskWindow, load_fonts
from kiosk.ui.clock import AnimationClock
from kiosk.ui.shell import Shell
from kiosk.ui.speech import Speaker
from kiosk.ui.widgets.glossary import TermButton
from kiosk.ui.widgets.tile import Tile



class FakeTime:
    t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def kiosk(qtbot, shipped_content_path, tmp_path):
    result = load(shipped_content_path)
    shell = Shell(result.exhibition, result.base_dir, AnimationClock(), load_fonts(result), now=FakeTime())
    # The real engine, writing each line to a WAV file: this machine may have no sound card.
    shell.spoken.speaker = Speaker(parent=shell, wav_dir=str(tmp_path))
    window = KioskWindow(shell)
    window.setFixedSize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield shell
    shell.shutdown()


def seconds(path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_a_screen_is_spoken_to_the_end_in_each_language(qtbot, kiosk, lang):
    speaker = kiosk.spoken.speaker
    assert speaker.available and lang in speaker.languages
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Return)  # start the walk
    kiosk.set_language(lang)
    kiosk.go_to(2)  # the flow screen
    started = []
    speaker.line_started.connect(lambda i, text: started.append(text))
    with qtbot.waitSignal(speaker.finished, timeout=30_000):
        QTest.keyClick(kiosk.window(), Qt.Key.Key_F1)
    expected = spoken_lines(kiosk.current.model, kiosk.exhibition, lang, state={"step": 0}, base_dir=kiosk.base_dir)
    assert started[-len(expected):] == expected  # every line, in order, to the last
    assert not speaker.speaking
    # Real audio for every line: at least ~0.3 s of sound per spoken word cluster.
    durations = [seconds(p) for p in speaker.spoken_files]
    assert len(durations) == len(started)
    assert all(d > 0.3 for d in durations)
    assert sum(durations) > 20  # the whole flow screen, read at a calm pace, takes a while


def test_a_touch_stops_the_voice_at_once(qtbot, kiosk):
    speaker = kiosk.spoken.speaker
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Return)
    kiosk.go_to(2)
    said = []
    stopped = []
    speaker.stopped.connect(lambda: stopped.append(True))

    def touch_on_third_line(index: int, text: str) -> None:
        said.append(text)
        if len(said) == 3:
            QTest.mouseClick(kiosk.current, Qt.MouseButton.LeftButton, pos=QPoint(400, 400))

    speaker.line_started.connect(touch_on_third_line)
    QTest.keyClick(kiosk.window(), Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(stopped), timeout=10_000)
    qtbot.wait(300)
    assert len(said) == 3  # nothing after the touch
    assert not speaker.speaking
    assert kiosk.spoken.on  # still on for the next screen
    with qtbot.waitSignal(speaker.line_started, timeout=5000):
        QTest.keyClick(kiosk.window(), Qt.Key.Key_Right)  # the next screen is read


def test_focus_moves_are_spoken_with_name_and_state(qtbot, kiosk):
    speaker = kiosk.spoken.speaker
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Return)
    kiosk.spoken.set_on(True, announce=False)
    said = []
    speaker.line_started.connect(lambda i, text: said.append(text))
    kiosk.go_to(1)
    # The marked words of the screen's text come first, in reading order: each says its explanation.
    glossary = {t.id: t for t in kiosk.exhibition.glossary}
    met = 0
    for _ in range(len(kiosk.keypad.controls())):
        QTest.keyClick(kiosk.window(), Qt.Key.Key_Tab)
        button = kiosk.keypad.focused
        if not isinstance(button, TermButton):
            break
        met += 1
        explanation = speakable(glossary[button.term_id].explanation.get("en"), "en")
        assert said[-1] == f"{speakable(button.text(), 'en')}, button. {explanation}"
        assert "<" not in said[-1] and "href" not in said[-1]  # words, not markup
    assert met > 0
    assert said[-1].startswith("Menu, button")
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Tab)
    assert said[-1] == "English, button, selected"
    kiosk.set_language("de")
    kiosk.go_to([s.id for s in kiosk.exhibition.screens].index("technologies"))  # by id: the bathtub came in before it
    kiosk.keypad.set_focus(None)
    # The marked words of the lead come first (keypad stops too); the first method tile after them.
    for _ in range(len(kiosk.keypad.controls())):
        QTest.keyClick(kiosk.window(), Qt.Key.Key_Tab)
        if isinstance(kiosk.keypad.focused, Tile):
            break
    assert isinstance(kiosk.keypad.focused, Tile)
    assert said[-1] == "C O zwei-Luftfilter, Schaltfläche. Maschinen filtern C O zwei aus der Luft und lagern es tief im Untergrund."


def test_the_idle_warning_waits_longer_while_spoken_mode_is_on(kiosk):
    normal = kiosk.idle.warn_after_s, kiosk.idle.countdown_s
    kiosk.spoken.speaker = Speaker(exe="", parent=kiosk)
    kiosk.spoken.set_on(True)
    assert kiosk.idle.warn_after_s >= 3 * normal[0] and kiosk.idle.countdown_s >= 2 * normal[1]
    kiosk.reset_for_next_visitor()
    assert not kiosk.spoken.on
    assert (kiosk.idle.warn_after_s, kiosk.idle.countdown_s) == normal


def test_with_no_engine_the_kiosk_is_silent_and_the_operator_is_told(qtbot, kiosk):
    from kiosk.ui.operator import OperatorPanel

    silent = Speaker(exe="", parent=kiosk)
    kiosk.spoken.speaker = silent
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Return)
    QTest.keyClick(kiosk.window(), Qt.Key.Key_F1)
    assert kiosk.spoken.on and not silent.speaking
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Right)  # the walk goes on
    assert kiosk.index == 2
    panel = OperatorPanel()
    qtbot.addWidget(panel)
    panel.set_speech_status(silent.status(kiosk.exhibition.languages.available))
    assert "no speech engine found" in panel.speech_label.text()


def test_the_idle_warning_is_spoken_once(qtbot, kiosk):
    speaker = kiosk.spoken.speaker
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Return)
    kiosk.spoken.set_on(True, announce=False)
    speaker.stop()
    said = []
    speaker.line_started.connect(lambda i, text: said.append(text))
    kiosk.idle.set_enabled(True)
    kiosk.idle._now.t += kiosk.idle.warn_after_s + 1
    kiosk.idle.poll()
    kiosk.idle._now.t += 1
    kiosk.idle.poll()
    assert kiosk.idle.warning_shown
    assert said == ["Still there? Touch the screen to stay. Starting over in thirty-nine seconds."]


def test_a_touch_also_takes_the_focus_ring_away(qtbot, kiosk):
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Return)
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Tab)
    assert kiosk.keypad.ring.isVisible()
    QTest.mouseClick(kiosk.current, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    assert kiosk.keypad.focused is None and not kiosk.keypad.ring.isVisible()


def test_what_an_activation_changed_is_said(qtbot, kiosk):
    speaker = kiosk.spoken.speaker
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Return)
    ids = [s.id for s in kiosk.exhibition.screens]
    kiosk.go_to(ids.index("flows"))
    kiosk.spoken.set_on(True, announce=False)
    qtbot.wait(20)
    said = []
    speaker.line_started.connect(lambda i, text: said.append(text))
    kiosk.keypad.set_focus(kiosk.current.step_button)  # "Show today's removal"
    said.clear()
    with qtbot.waitSignal(speaker.finished, timeout=20_000):
        QTest.keyClick(kiosk.window(), Qt.Key.Key_Return)
    flows = kiosk.current.model
    assert said[0] == "Replay, button"  # the button's new name
    assert said[1] == speakable(flows.diagram.steps[0].caption.get("en"), "en")  # the new caption
    assert said[1].startswith("Clearing forests releases about six billion tonnes")
    before = [line for line in spoken_lines(flows, kiosk.exhibition, "en", state={"step": 0}) if " flow from " in line]
    after = [line for line in spoken_lines(flows, kiosk.exhibition, "en", state={"step": 1}) if " flow from " in line]
    added = [line for line in after if line not in before]
    assert added and all(line in said for line in added)  # the flows the step drew
    assert "Two point two billion tonnes of C O two a year flow from Air to Regrowing forests: removal today." in said
    assert before and not any(line in said for line in before)  # unchanged: not again

    # Next, pressed on the keypad: the new screen is read, not cut short by the button's name.
    kiosk.keypad.set_focus(kiosk.bottom.next_button)
    said.clear()
    with qtbot.waitSignal(speaker.finished, timeout=30_000):
        QTest.keyClick(kiosk.window(), Qt.Key.Key_Return)
    assert kiosk.index == ids.index("flows") + 1
    from kiosk.narration.words import number_words

    # The screen after the flows, whichever it is (screens added later move the others on).
    after_flows = kiosk.exhibition.screens[kiosk.index]
    assert said[0] == f"Screen {number_words(kiosk.index, 'en')} of {number_words(kiosk.walk_length, 'en')}."
    assert said[1] == spoken_lines(after_flows, kiosk.exhibition, "en", base_dir=kiosk.base_dir)[0]
    assert said[1].startswith(speakable(after_flows.title.get("en"), "en").rstrip(".?!"))  # its title first


def test_the_idle_reset_silences_the_voice_and_turns_spoken_mode_off(qtbot, kiosk):
    speaker = kiosk.spoken.speaker
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Return)
    kiosk.go_to(2)
    said, stopped = [], []
    speaker.stopped.connect(lambda: stopped.append(True))

    def reset_on_second_line(index: int, text: str) -> None:
        said.append(text)
        if len(said) == 2:
            kiosk.reset_for_next_visitor()

    speaker.line_started.connect(reset_on_second_line)
    QTest.keyClick(kiosk.window(), Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(stopped), timeout=10_000)
    qtbot.wait(300)
    assert len(said) == 2 and not speaker.speaking
    assert kiosk.index == 0 and not kiosk.spoken.on
