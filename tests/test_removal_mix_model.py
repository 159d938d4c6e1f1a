"""The removal-mix arithmetic on its own (no Qt): totals and ranges worked by hand, warnings at
their thresholds, refusals, and the country comparison in every language of the shipped content."""

from __future__ import annotations

import math

import pytest

from kiosk.content.loader import load
from kiosk.models.removal_mix import (
    Country,
    MethodFacts,
    MixRefused,
    MixSettings,
    PerGt,
    Span,
    compare_land,
    evaluate,
    format_span,
    round_multiple,
)

# The shipped figures for three methods, written out so the sums below can be checked by hand.
FORESTS = MethodFacts(
    id="forests",
    land_mha=PerGt(Span(79, 241), rough=True),
    energy_ej=PerGt(Span(0, 0)),
    cost_usd_t=PerGt(Span(0, 240)),
    sustainable_gt=Span(0.5, 3.6),
    max_gt=10,
    storage="reversible",
)
SOIL = MethodFacts(
    id="soil",
    land_mha=PerGt(Span(0, 0), rough=True),
    energy_ej=PerGt(Span(0, 0)),
    cost_usd_t=PerGt(Span(-45, 100)),
    sustainable_gt=Span(2.3, 5),
    max_gt=9.3,
    storage="reversible",
)
DACCS = MethodFacts(
    id="daccs",
    land_mha=PerGt(Span(0.8, 1.8)),
    energy_ej=PerGt(Span(5, 15)),
    cost_usd_t=PerGt(Span(100, 300)),
    sustainable_gt=Span(0.5, 5),
    max_gt=40,
    storage="permanent",
)
WEATHERING = MethodFacts(
    id="weathering",
    land_mha=PerGt(Span(0, 0)),
    energy_ej=PerGt(None),  # no source gives a figure
    cost_usd_t=PerGt(Span(50, 200)),
    sustainable_gt=Span(2, 4),
    max_gt=4,
    storage="permanent",
)
BIOCHAR = MethodFacts(
    id="biochar",
    land_mha=PerGt(Span(0, 0), rough=True),
    energy_ej=PerGt(Span(0, 0), rough=True),
    cost_usd_t=PerGt(Span(10, 345)),
    sustainable_gt=Span(0.5, 2),
    max_gt=6.6,
    storage="centuries",
)
METHODS = [FORESTS, SOIL, BIOCHAR, DACCS, WEATHERING]
SETTINGS = MixSettings(goal_gt=8.75, world_energy_ej=600, large_country_mha=328.7)

UK = Country("uk", 24.4, {"en": "the United Kingdom"})
GERMANY = Country("germany", 35.7, {"en": "Germany", "de": "Deutschland"})
FRANCE = Country("france", 55.2, {"en": "France"})
INDIA = Country("india", 328.7, {"en": "India"})
COUNTRIES = [UK, GERMANY, FRANCE, INDIA]
EN = dict(times="about {n} × {country}", less_than="less than {country}", none="no extra land")


def close(span: Span, low: float, high: float) -> bool:
    return math.isclose(span.low, low, abs_tol=1e-9) and math.isclose(span.high, high, abs_tol=1e-9)


def test_a_mix_of_forests_soil_and_air_capture_worked_by_hand():
    r = evaluate(METHODS, {"forests": 2, "soil": 1, "daccs": 3}, SETTINGS)
    assert r.total_gt == 6  # 2 + 1 + 3
    # land: forests 2 × 79..241 = 158..482; soil 1 × 0 = 0; air capture 3 × 0.8..1.8 = 2.4..5.4
    assert close(r.land_mha, 160.4, 487.4)
    assert r.land_rough  # the forest figure is unconfirmed: the total is a rough estimate
    # energy: only air capture uses any, 3 × 5..15 EJ = 15..45 EJ; of 600 EJ that is 2.5 %..7.5 %
    assert close(r.energy_ej, 15, 45)
    assert close(r.energy_share, 0.025, 0.075)
    assert not r.energy_rough and r.energy_left_out == ()
    # cost: forests 2 × 0..240 = 0..480; soil 1 × −45..100 = −45..100; air 3 × 100..300 = 300..900
    assert close(r.cost_busd, 255, 1480)
    # permanence: 3 of 6 Gt in rock (air capture), 3 of 6 reversible (forests, soil)
    assert r.storage_share("permanent") == 0.5
    assert r.storage_share("reversible") == 0.5
    assert r.storage_share("centuries") == 0.0
    # the middle of the land range, (160.4 + 487.4) / 2 = 323.9 Mha, is still under India's 328.7
    assert r.warnings == ()
    assert not r.goal_reached  # 6 < 8.75
    assert r.largest_method == "daccs"


def test_the_goal_and_energy_that_no_source_gives():
    r = evaluate(METHODS, {"daccs": 5, "weathering": 4}, SETTINGS)
    assert r.total_gt == 9 and r.goal_reached  # 5 + 4 = 9 >= 8.75
    # weathering's energy is unknown: left out of the total, and named
    assert close(r.energy_ej, 25, 75) and r.energy_left_out == ("weathering",)
    assert close(r.cost_busd, 5 * 100 + 4 * 50, 5 * 300 + 4 * 200)  # 700..2300 billion US$
    assert r.storage_share("permanent") == 1.0
    assert not r.land_rough  # air capture's and weathering's land figures are confirmed


def test_biochar_counts_as_centuries_and_marks_energy_rough():
    r = evaluate(METHODS, {"biochar": 2, "forests": 2}, SETTINGS)
    assert r.storage_share("centuries") == 0.5
    assert r.energy_rough  # "small net producer" is unconfirmed


def test_an_unconfirmed_zero_is_still_rough():
    # "No extra land: existing farmland" is unconfirmed for soil carbon: the total says so.
    r = evaluate(METHODS, {"soil": 2}, SETTINGS)
    assert close(r.land_mha, 0, 0) and r.land_rough


def test_the_empty_mix():
    r = evaluate(METHODS, {}, SETTINGS)
    assert r.total_gt == 0 and close(r.land_mha, 0, 0) and close(r.cost_busd, 0, 0)
    assert r.storage_share("permanent") == 0.0 and r.largest_method is None and r.warnings == ()


@pytest.mark.parametrize(("amount", "warned"), [(3.5, False), (3.6, False), (4.0, True)])
def test_warning_past_the_sustainable_potential(amount, warned):
    r = evaluate(METHODS, {"forests": amount}, SETTINGS)
    past = [w for w in r.warnings if w.kind == "past_sustainable"]
    assert bool(past) is warned
    if warned:
        assert past[0].method_id == "forests" and past[0].limit == Span(0.5, 3.6)


def test_warning_when_the_land_exceeds_a_large_country():
    flat = MethodFacts("trees", PerGt(Span(100, 100)), PerGt(Span(0, 0)), PerGt(Span(0, 0)), Span(0, 99), 99, "reversible")
    at = evaluate([flat], {"trees": 3.287}, SETTINGS)  # 328.7 Mha: as large as India, not larger
    over = evaluate([flat], {"trees": 3.3}, SETTINGS)  # 330 Mha
    assert [w.kind for w in at.warnings] == []
    assert [w.kind for w in over.warnings] == ["land_over_large_country"]
    # With a range, the middle decides: forests 2.5 Gt -> 197.5..602.5 Mha, middle 400 > 328.7
    assert [w.kind for w in evaluate(METHODS, {"forests": 2.5}, SETTINGS).warnings] == ["land_over_large_country"]


@pytest.mark.parametrize(
    "amounts",
    [{"forests": 10.5}, {"daccs": -0.5}, {"weathering": 4.5}, {"kelp": 1}, {"soil": float("nan")}],
)
def test_refuses_a_mix_above_any_potential_or_impossible(amounts):
    with pytest.raises(MixRefused):
        evaluate(METHODS, amounts, SETTINGS)


def test_accepts_a_mix_exactly_at_every_potential():
    r = evaluate(METHODS, {m.id: m.max_gt for m in METHODS}, SETTINGS)
    assert math.isclose(r.total_gt, 10 + 9.3 + 6.6 + 40 + 4)


@pytest.mark.parametrize(
    ("land", "expected"),
    [
        (Span(0, 0), "no extra land"),
        (Span(10, 20), "less than the United Kingdom"),  # even the smallest yardstick is larger
        (Span(36, 60), "about 1–1.5 × Germany"),  # middle 48: Germany fits, France not; 1.01 -> 1, 1.68 -> 1.5
        (Span(160.4, 487.4), "about 3–9 × France"),  # middle 323.9: France; 2.91 -> 3, 8.83 -> 9
        (Span(71.4, 71.4), "about 1.5 × France"),  # 1.29 -> 1.5
        (Span(700, 1400), "about 2–4 × India"),  # 2.13 -> 2, 4.26 -> 4
    ],
)
def test_land_compared_with_a_familiar_country(land, expected):
    assert compare_land(land, COUNTRIES, "en", **EN) == expected


def test_multiples_round_to_halves_then_whole_numbers_then_fives():
    assert [round_multiple(x) for x in (0.1, 1.26, 2.74, 3.4, 19.6, 23)] == [0.5, 1.5, 2.5, 3, 20, 25]


def test_ranges_in_each_language_and_negative_low_ends():
    assert format_span(Span(1500.5, 20000), "de") == "1.500–20.000"  # rounding 1500.5 -> "1.500"
    assert format_span(Span(0.025 * 100, 7.5), "fr", 1) == "2,5–7,5"
    assert format_span(Span(-45, 100), "en", to_word="to") == "−45 to 100"
    assert format_span(Span(-45, 100), "es", to_word="a") == "−45 a 100"
    assert format_span(Span(12, 12), "en") == "12"


def shipped_mix(shipped_content_path):
    ex = load(shipped_content_path).exhibition
    return next(s for s in ex.screens if s.type == "removal_mix"), ex.languages.available


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "about 3–9 × France"),
        ("de", "etwa 3–9 × Frankreich"),
        ("fr", "environ 3–9 fois la France métropolitaine"),
        ("es", "unas 3–9 veces Francia"),
    ],
)
def test_country_comparison_in_every_shipped_language(shipped_content_path, lang, expected):
    screen, available = shipped_mix(shipped_content_path)
    assert lang in available
    w = screen.words
    text = compare_land(
        Span(160.4, 487.4),
        screen.yardsticks(),
        lang,
        times=w.land_times.get(lang),
        less_than=w.land_less.get(lang),
        none=w.land_none.get(lang),
    )
    assert text == expected


def test_shipped_germany_half_steps_use_the_decimal_comma(shipped_content_path):
    screen, _ = shipped_mix(shipped_content_path)
    w = screen.words
    de = compare_land(Span(36, 60), screen.yardsticks(), "de", times=w.land_times.get("de"),
                      less_than=w.land_less.get("de"), none=w.land_none.get("de"))
    assert de == "etwa 1–1,5 × Deutschland"


def test_shipped_methods_evaluate_with_the_goal_and_potentials(shipped_content_path):
    screen, _ = shipped_mix(shipped_content_path)
    facts = screen.method_facts()
    assert [m.id for m in facts] == ["forests", "soil", "biochar", "beccs", "daccs", "weathering"]
    s = screen.settings()
    assert (s.goal_gt, s.world_energy_ej, s.large_country_mha) == (8.75, 600, 328.7)
    # "5 Gt/yr of BECCS needs ~150–290 Mha (4–8 Germanys)" and "5 Gt/yr of DACCS needs ~25–75 EJ/yr
    # (4–12 % of world energy)": the fact sheet's rough consequences come out of the shipped data.
    beccs = evaluate(facts, {"beccs": 5}, s)
    assert close(beccs.land_mha, 155, 290) and beccs.land_rough
    daccs = evaluate(facts, {"daccs": 5}, s)
    assert close(daccs.energy_ej, 25, 75)
    assert round(daccs.energy_share.low * 100) == 4 and round(daccs.energy_share.high * 100) == 12


def test_summary_of_other_visitors_counts_leaders_and_averages_permanence():
    from kiosk.models.removal_mix import summarize_others

    mixes = [
        ({"forests": 3, "daccs": 1}, 0.25, 8.75),  # leaned on forests
        ({"forests": 2.5, "beccs": 0.5}, 1 / 6, 8.75),  # forests
        ({"daccs": 5, "weathering": 4}, 1.0, 8.75),  # air capture, reached the goal (9 >= 8.75)
        ({}, 0.0, 8.75),  # an empty mix is not counted
    ]
    s = summarize_others(mixes)
    assert (s.count, s.most_relied_on, s.reached_goal) == (3, "forests", 1)
    assert math.isclose(s.mean_permanent_share, (0.25 + 1 / 6 + 1.0) / 3)
