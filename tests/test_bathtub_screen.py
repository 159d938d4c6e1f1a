"""The carbon bathtub as a visitor uses it: predict, see the answer play out, choose paths.

The clock is stepped by hand (AnimationClock.advance), so every frame is the same on every run.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.analytics import Analytics
from kiosk.content.loader import load
from kiosk.content.numbers import format_number
from kiosk.models.carbon_cycle import default_cycle
from kiosk.ui.clock import AnimationClock
from kiosk.ui.screens.base import ScreenContext
from kiosk.ui.screens.bathtub import BathtubScreenWidget
from kiosk.ui.theme import Look

from image_compare import as_array

LANGS = ["en", "de", "fr", "es"]


class FakeClock:
    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def content(shipped_content_path):
    result = load(shipped_content_path)
    assert result.ok
    return result


@pytest.fixture
def make(qtbot, content):
    """Build the bathtub screen alone at 1920x1080 with a hand-stepped clock."""
    # Fonts are not registered here: registering them is process-wide and would change the flow
    # view's golden image, which test_flow_view.py compares later in the same run. Layout with the
    # real fonts is checked by test_screens_render.py.
    family = "Noto Sans"
    model = next(s for s in content.exhibition.screens if s.type == "bathtub")

    def build(lang="en", reduced=False, analytics=None, size=(1920, 1080)):
        clock = AnimationClock()
        look = Look.make(content.exhibition.theme, family, *size, reduced_motion=reduced)
        ctx = ScreenContext(content.exhibition, content.base_dir, clock, lang, look, analytics)
        window = QWidget()
        window.setFixedSize(*size)  # a fixed window, as the kiosk's: no size hints to propagate
        window.setStyleSheet(look.style_sheet())
        qtbot.addWidget(window)
        screen = BathtubScreenWidget(model, ctx, window)
        QVBoxLayout(window).addWidget(screen)
        window.layout().setContentsMargins(0, 0, 0, 0)
        window.show()
        qtbot.waitExposed(window)
        screen.clock = clock
        screen.test_window = window  # keep the window (and so the screen) alive
        return screen

    return build


def plain(lbl) -> str:
    """What a label reads as (marked glossary words are links in its rich text)."""
    if lbl.textFormat() != Qt.TextFormat.RichText:
        return lbl.text()
    doc = QTextDocument()
    doc.setHtml(lbl.text())
    return doc.toRawText()  # keeps the no-break spaces (toPlainText makes them plain spaces)


def tap(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer_button(screen, outcome):
    return next(b for b, o in screen.answer_buttons if o == outcome)


def path_button(screen, path_id):
    return next(b for b, p in screen.path_buttons if p == path_id)


def play_out(screen, seconds=None) -> None:
    seconds = screen.model.play_s + 0.2 if seconds is None else seconds
    for _ in range(int(seconds / 0.05) + 1):
        screen.clock.advance(0.05)


def test_the_question_comes_first(make):
    screen = make()
    q = screen.model.question
    assert plain(screen.story) == q.text.get("en")
    shown = [b.text() for b, _ in screen.answer_buttons if b.isVisible()]
    assert shown == ["It keeps rising", "It stays level", "It falls"]
    assert not any(b.isVisible() for b, _ in screen.path_buttons)  # choices come after the guess
    assert screen.charts.visible_years() == 0  # nothing given away yet


def test_the_answer_plays_out_and_then_says_who_was_right(make, qtbot):
    screen = make()
    tap(qtbot, answer_button(screen, "level"))
    assert screen.playing
    play_out(screen, 1.0)  # a quarter of the way
    drawn = screen.charts.visible_years()
    assert 5 < drawn < 76
    assert screen.tub.ppm > 425.7 and screen.tub.year > 2025  # the tub is filling
    assert plain(screen.story) == screen.model.question.text.get("en")  # verdict waits for the end
    play_out(screen)
    assert not screen.playing
    assert screen.charts.visible_years() == 76  # 2025..2100
    run = default_cycle().run(screen.model.path("today").emission_path())
    assert plain(screen.story).startswith("Not quite.")
    assert f"{run.ppm_in(2100):.0f}\u00a0ppm" in plain(screen.story)  # the unit stays with its number
    assert screen.tub.ppm == pytest.approx(run.ppm_in(2100))
    assert all(b.isVisible() for b, _ in screen.path_buttons)
    assert path_button(screen, "today").isChecked()


def test_the_right_guess_is_called_right(make, qtbot):
    screen = make()
    tap(qtbot, answer_button(screen, "rises"))
    play_out(screen)
    assert plain(screen.story).startswith("Right!")


@pytest.mark.parametrize("path_id", ["today", "net_zero_2050", "net_negative", "late_removal"])
def test_each_choice_plays_the_model_and_keeps_the_previous_curve(make, qtbot, path_id):
    screen = make()
    tap(qtbot, answer_button(screen, "rises"))
    play_out(screen)
    first = screen.runs["today"]
    tap(qtbot, path_button(screen, path_id))
    assert screen.playing and path_button(screen, path_id).isChecked()
    play_out(screen)
    run = screen.runs[path_id]
    expected = default_cycle().run(screen.model.path(path_id).emission_path())
    assert np.allclose(run.ppm, expected.ppm)
    # The numbers of 2100, from the model, in the visitor's typography.
    result = plain(screen.result)
    assert f"{expected.ppm_in(2100):.0f}\u00a0ppm" in result
    assert format_number(expected.warming[-1], "en", 1) in result
    # The flows of 2100 in the tub: inflow = emissions, outflows = sinks and removal (Gt a year).
    rates = screen.tub.sim.channel_rate
    assert rates[0] == pytest.approx(expected.emissions[-1])
    assert rates[1] == pytest.approx(max(0.0, expected.sinks[-1]))
    assert rates[2] == pytest.approx(expected.removal[-1])
    # The path before stays faintly drawn (unless the same path was chosen again).
    prev_x, prev_y = screen.charts.ppm_prev.getData()
    if path_id != "today":
        assert np.allclose(prev_y, first.ppm)


def test_the_budget_runs_out_while_emissions_stay(make, qtbot):
    screen = make()
    assert "170" in plain(screen.budget_text)
    tap(qtbot, answer_button(screen, "rises"))
    play_out(screen)
    assert plain(screen.budget_text) == "1.5\u00a0°C budget used up in 2030"
    assert screen.budget_bar.fraction == 0.0


def test_a_prediction_is_recorded_without_who_and_counted_today(make, qtbot, tmp_path):
    now = FakeClock()
    db = tmp_path / "analytics.sqlite3"
    recorder = Analytics(db, clock=now, busy_timeout_s=0.2)
    try:
        # Nine visitors earlier today: six expected a flat level, three a rise.
        for answer in ["level"] * 6 + ["rises"] * 3:
            recorder.prediction("bathtub", answer, "en")
        screen = make(lang="de", analytics=recorder)
        tap(qtbot, answer_button(screen, "level"))
        assert recorder.flush(2.0)
        conn = sqlite3.connect(db)
        try:
            columns = [r[1] for r in conn.execute("PRAGMA table_info(predictions)")]
            last = conn.execute("SELECT day, screen_id, answer, lang FROM predictions ORDER BY rowid DESC LIMIT 1").fetchone()
            count = conn.execute("SELECT COUNT(*) FROM predictions").fetchone()[0]
        finally:
            conn.close()
        assert "session_id" not in columns  # what was guessed, never by whom
        assert last == (dt.date.fromtimestamp(now.t).isoformat(), "bathtub", "level", "de")
        assert count == 10
        play_out(screen)
        assert screen.social.isVisible()
        assert plain(screen.social) == "Heute erwarteten 7 von 10 Besuchern, dass der Pegel gleich bleibt."
    finally:
        recorder.close()


def test_too_few_answers_today_say_nothing(make, qtbot, tmp_path):
    recorder = Analytics(tmp_path / "a.sqlite3", clock=FakeClock(), busy_timeout_s=0.2)
    try:
        screen = make(analytics=recorder)
        tap(qtbot, answer_button(screen, "rises"))
        play_out(screen)
        assert not screen.social.isVisible()  # "1 of 1 visitors" would say nothing
    finally:
        recorder.close()


@pytest.mark.parametrize("lang", LANGS)
def test_every_language(make, qtbot, lang):
    screen = make(lang=lang)
    model = screen.model
    assert plain(screen.story) == model.question.text.get(lang)
    assert [b.text() for b, _ in screen.answer_buttons] == [a.label.get(lang) for a in model.question.answers]
    tap(qtbot, answer_button(screen, "falls"))
    play_out(screen)
    assert plain(screen.story).startswith(model.question.wrong.get(lang))
    assert [b.text() for b, _ in screen.path_buttons] == [p.label.get(lang) for p in model.paths]
    tap(qtbot, path_button(screen, "net_negative"))
    play_out(screen)
    run = screen.runs["net_negative"]
    warming = format_number(run.warming[-1], lang, 1)
    assert warming in plain(screen.result)
    if lang != "en":
        assert "," in warming  # 1,6 °C, not 1.6
    # The footer: the model note in the sources' look, then a line that is only sources.
    assert screen.note.text() == model.texts.model_note.get(lang)
    assert plain(screen.sources).startswith(screen.ctx.exhibition.ui.source.get(lang))
    assert "Joos et al. 2013" in plain(screen.sources)


def test_reduced_motion_shows_the_end_at_once_and_moves_no_particle(make, qtbot):
    screen = make(reduced=True)
    assert screen.tub.reduced_motion
    tap(qtbot, answer_button(screen, "rises"))
    # No stepping: the final state is there at once.
    assert not screen.playing
    assert screen.charts.visible_years() == 76
    assert plain(screen.story).startswith("Right!")
    assert screen.clock.subscriber_count == 0  # nothing animates
    first = as_array(screen.tub.render_image())
    screen.clock.advance(0.5)
    screen.tub.sim.step(0.5)  # even if the simulation were stepped, nothing is drawn moving
    second = as_array(screen.tub.render_image())
    assert np.array_equal(first, second)


def test_with_motion_the_particles_do_move(make, qtbot):
    screen = make()
    tap(qtbot, answer_button(screen, "rises"))
    first = as_array(screen.tub.render_image())
    play_out(screen, 0.5)
    second = as_array(screen.tub.render_image())
    assert not np.array_equal(first, second)


def test_idle_reset_clears_the_choices(make, qtbot):
    screen = make()
    tap(qtbot, answer_button(screen, "level"))
    play_out(screen)
    tap(qtbot, path_button(screen, "net_zero_2050"))
    play_out(screen, 1.0)
    screen.reset()
    assert screen.answer is None and screen.path_id is None and not screen.playing
    assert plain(screen.story) == screen.model.question.text.get("en")
    assert all(b.isVisible() and not b.isChecked() for b, _ in screen.answer_buttons)
    assert not any(b.isVisible() for b, _ in screen.path_buttons)
    assert screen.charts.visible_years() == 0
    assert screen.charts.ppm_prev.getData()[0] is None or len(screen.charts.ppm_prev.getData()[0]) == 0
    assert screen.tub.ppm == pytest.approx(425.7)
    assert screen.clock.subscriber_count == 0 or not screen.playing


def test_leaving_mid_play_ends_in_the_final_state(make, qtbot):
    screen = make()
    tap(qtbot, answer_button(screen, "rises"))
    play_out(screen, 1.0)
    screen.left()
    assert not screen.playing
    assert screen.charts.visible_years() == 76


def test_the_bathtub_follows_sources_and_sinks_in_the_walk(content):
    ids = [s.id for s in content.exhibition.screens]
    assert ids.index("bathtub") == ids.index("flows") + 1
