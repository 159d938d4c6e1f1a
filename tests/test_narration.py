"""Spoken text from the content, as text: every screen in every language, numbers and units in words."""

from __future__ import annotations

import re

import pytest

from kiosk.content.loader import load
from kiosk.content.model import Text
from kiosk.narration import speakable, spoken_lines
from kiosk.narration.script import screen_lines

CONTENT = load(__import__("pathlib").Path(__file__).resolve().parent.parent / "content.yaml")
EX = CONTENT.exhibition


def states(screen):
    yield {}
    if screen.type == "flow":
        for step in range(1, len(screen.diagram.steps) + 1):
            yield {"step": step}
    if screen.type == "storage":
        for r in screen.diagram.reversals:
            yield {"reversal": r.id}
    if screen.type == "technologies":
        for m in screen.methods:
            yield {"method": m.id}
    if screen.type == "bathtub":
        for a in screen.question.answers:
            yield {"answer": a.outcome}
            yield {"answer": a.outcome, "path": screen.question.path, "first": True}
        for p in screen.paths:
            yield {"answer": screen.question.answers[0].outcome, "path": p.id}


@pytest.mark.parametrize("lang", EX.languages.available)
@pytest.mark.parametrize("screen", EX.screens, ids=[s.id for s in EX.screens])
def test_every_screen_is_spoken_in_words_in_every_language(screen, lang):
    for state in states(screen):
        lines = spoken_lines(screen, EX, lang, state=state, base_dir=CONTENT.base_dir)
        assert lines, (screen.id, state)
        text = " ".join(lines)
        assert not re.search(r"\d", text), f"{screen.id} {state} {lang}: digits left in {text!r}"
        assert "Gt" not in text and "CO₂" not in text and "%" not in text
        # It starts with what the screen (or the open detail) is called.
        title = screen.title
        if state.get("method"):
            title = next(m.name for m in screen.methods if m.id == state["method"])
        heard = speakable(title.get(lang), lang)
        assert lines[0].lower().startswith(heard[:12].lower()), (lines[0], heard)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Removed today, almost all by forests: about two point two billion tonnes of C O two a year."),
        ("de", "Heute entnommen, fast alles durch Wälder: etwa zwei Komma zwei Milliarden Tonnen C O zwei pro Jahr."),
        ("fr", "Retiré aujourd’hui, presque entièrement par les forêts : environ deux virgule deux milliards de tonnes de C O deux par an."),
        ("es", "Retirado hoy, casi todo por los bosques: aproximadamente dos coma dos mil millones de toneladas de C O dos al año."),
    ],
)
def test_a_figure_is_said_with_its_number_and_unit_in_words(lang, expected):
    why = next(s for s in EX.screens if s.id == "why")
    assert expected in spoken_lines(why, EX, lang)


def test_the_flow_diagram_is_described_from_its_data_in_order():
    flows = next(s for s in EX.screens if s.id == "flows")
    lines = spoken_lines(flows, EX, "en", state={"step": 0})
    start = lines.index("The diagram shows five flows of C O two, in this order.")
    assert lines[start + 1] == "Thirty-eight point one billion tonnes of C O two a year flow from Coal, oil, gas, cement to Air."
    assert lines[start + 5].startswith("Thirteen point one billion tonnes")
    # The step opens the land-use exchange: today's removal is regrowth inside it, not an extra sink.
    after = spoken_lines(flows, EX, "en", state={"step": 1})
    assert "Two point two billion tonnes of C O two a year flow from Air to Regrowing forests: removal today." in after
    assert after[1].startswith("Clearing forests releases about six billion tonnes")  # the step's caption replaces the lead


def test_a_written_gloss_of_a_unit_is_not_said_twice():
    flows = next(s for s in EX.screens if s.id == "flows")
    lead = spoken_lines(flows, EX, "en", state={"step": 0})[1]
    assert "forty-two billion tonnes of C O two" in lead or "forty-two billion tonnes" in lead
    assert "billion tonnes (billion tonnes)" not in lead


def test_a_changed_rate_changes_what_is_said():
    flows = next(s for s in EX.screens if s.id == "flows")
    link = flows.diagram.links[0].model_copy(update={"rate": 40.0})
    diagram = flows.diagram.model_copy(update={"links": [link, *flows.diagram.links[1:]]})
    changed = flows.model_copy(update={"diagram": diagram})
    assert "Forty billion tonnes of C O two a year flow from Coal, oil, gas, cement to Air." in spoken_lines(changed, EX, "en")


def test_the_chart_is_described_bar_by_bar():
    chart = next(s for s in EX.screens if s.type == "chart")
    lines = screen_lines(chart, EX, "en", base_dir=CONTENT.base_dir)
    ticks = {t.at: t.label.get("en") for t in chart.x_ticks}
    bars = [(x, y) for series in chart.series if series.style == "bar" for x, y in series.points]
    assert bars
    # Each bar by the tick under it, with its value and the axis unit, in the content's order.
    said = [f"{ticks[x]}: {y:g} {chart.y_label.get('en')}." for x, y in bars]
    assert [line for line in lines if line in said] == said
    assert "New methods today: 0.002 Gt CO₂ a year." in lines  # a tiny bar is still said, not rounded away


def test_narration_in_the_content_replaces_the_generated_text():
    why = next(s for s in EX.screens if s.id == "why")
    told = why.model_copy(update={"narration": Text({"en": "Listen: 42 Gt a year.", "de": "Hör zu."})})
    assert spoken_lines(told, EX, "en") == ["Listen: forty-two billion tonnes a year."]
    assert spoken_lines(told, EX, "de") == ["Hör zu."]


@pytest.mark.parametrize(
    ("text", "lang", "said"),
    [
        ("~170 Gt CO₂", "en", "about one hundred and seventy billion tonnes of C O two"),
        ("41,6 Gt", "de", "einundvierzig Komma sechs Milliarden Tonnen"),
        ("10.000 Jahre", "de", "zehntausend Jahre"),
        ("10,000 years", "en", "ten thousand years"),
        ("1 000–10 000", "fr", "mille à dix mille"),
        ("−45–100 USD per t CO₂", "en", "minus forty-five to one hundred US dollars per tonne of C O two"),
        ("98 %", "es", "noventa y ocho por ciento"),
        ("2,1 Gt", "es", "dos coma uno mil millones de toneladas"),
        ("20+ members", "en", "more than twenty members"),
        ("422.5 ppm", "en", "four hundred and twenty-two point five parts per million"),
        ("Starting over in 39\u00a0s.", "en", "Starting over in thirty-nine seconds."),
        ("Neustart in 39 s.", "de", "Neustart in neununddreißig Sekunden."),
        ("Retour au début dans 1\u00a0s.", "fr", "Retour au début dans une seconde."),
        ("Volvemos al inicio en 20 s.", "es", "Volvemos al inicio en veinte segundos."),
        ("about 2 min", "en", "about two minutes"),
    ],
)
def test_numbers_ranges_and_units_in_words(text, lang, said):
    assert speakable(text, lang) == said


@pytest.mark.parametrize("lang", EX.languages.available)
def test_the_bathtub_says_the_models_results_for_the_chosen_path(lang):
    from kiosk.content.numbers import format_number
    from kiosk.narration.bathtub import path_run
    from kiosk.narration.words import number_words

    tub = next(s for s in EX.screens if s.type == "bathtub")
    before = spoken_lines(tub, EX, lang)
    for answer in tub.question.answers:  # the question and every answer, before any guess
        assert speakable(answer.label.get(lang), lang) in " ".join(before)
    right = tub.question_outcome()
    for path in tub.paths:
        run = path_run(tub, path.id)
        lines = spoken_lines(tub, EX, lang, state={"answer": right, "path": path.id})
        text = " ".join(lines)
        # Right or not (the model decides), the chosen path's name and the model's numbers, in words.
        assert text.count(speakable(tub.question.right.get(lang), lang)) == 1
        assert speakable(path.label.get(lang), lang) in text
        for value, decimals in ((run.ppm_in(2050), 0), (run.ppm_in(2100), 0), (run.warming[-1], 1),
                                (run.warming_low[-1], 1), (run.warming_high[-1], 1)):
            shown = format_number(value, lang, decimals)
            assert speakable(shown, lang) in text, (path.id, shown)
        gone = run.budget_gone_year()
        if gone is not None:
            assert number_words(gone, lang, year=True) in text
    # A different path gives different numbers: nothing is fixed text.
    said = {" ".join(spoken_lines(tub, EX, lang, state={"answer": right, "path": p.id})) for p in tub.paths}
    assert len(said) == len(tub.paths)
