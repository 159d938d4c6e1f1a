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
        ("en", "Removal needed by twenty fifty: seven to nine billion tonnes of C O two a year."),
        ("de", "Nötige Entnahme bis zweitausendfünfzig: sieben bis neun Milliarden Tonnen C O zwei pro Jahr."),
        ("fr", "Retrait nécessaire d’ici deux mille cinquante : sept à neuf milliards de tonnes de C O deux par an."),
        ("es", "Retirada necesaria para dos mil cincuenta: siete a nueve mil millones de toneladas de C O dos al año."),
    ],
)
def test_a_figure_is_said_with_its_number_and_unit_in_words(lang, expected):
    why = next(s for s in EX.screens if s.id == "why")
    assert expected in spoken_lines(why, EX, lang)


def test_the_flow_diagram_is_described_from_its_data_in_order():
    flows = next(s for s in EX.screens if s.id == "flows")
    lines = spoken_lines(flows, EX, "en", state={"step": 0})
    start = lines.index("The diagram shows five flows of C O two, in this order.")
    assert lines[start + 1] == "Thirty-seven point four billion tonnes of C O two a year flow from Coal, oil, gas, cement to Air."
    assert lines[start + 5].startswith("Twelve point four billion tonnes")
    # The step adds today's removal; the tiny permanent flow is said in million tonnes.
    after = spoken_lines(flows, EX, "en", state={"step": 1})
    assert "One point three million tonnes of C O two a year flow from Air to Permanent storage." in after
    assert after[1].startswith("Today we remove about two billion tonnes")  # the step's caption replaces the lead


def test_a_changed_rate_changes_what_is_said():
    flows = next(s for s in EX.screens if s.id == "flows")
    link = flows.diagram.links[0].model_copy(update={"rate": 40.0})
    diagram = flows.diagram.model_copy(update={"links": [link, *flows.diagram.links[1:]]})
    changed = flows.model_copy(update={"diagram": diagram})
    assert "Forty billion tonnes of C O two a year flow from Coal, oil, gas, cement to Air." in spoken_lines(changed, EX, "en")


def test_the_chart_is_described_bar_by_bar():
    chart = next(s for s in EX.screens if s.type == "chart")
    lines = screen_lines(chart, EX, "en", base_dir=CONTENT.base_dir)
    assert "Forests today: 2 Gt CO₂ a year." in lines
    assert "2050: high: 9 Gt CO₂ a year." in lines


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
    ],
)
def test_numbers_ranges_and_units_in_words(text, lang, said):
    assert speakable(text, lang) == said
