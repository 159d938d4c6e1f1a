"""What visitors read in the shipped content.yaml is true, sourced and readable.

No Qt: the content model alone. The reference numbers below are copied from the project's fact
sheet (shared/facts.md); they are the source of truth, the content file must agree with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from kiosk.content.loader import load
from kiosk.content.model import (
    ChartSeries,
    Exhibition,
    Figure,
    FlowDiagram,
    FlowLink,
    Project,
    Reversal,
    Text,
)

CONTENT = Path(__file__).resolve().parent.parent / "content.yaml"

# IPCC AR6 WGIII Table 12.6, as given in facts.md: method id in content.yaml -> (TRL, cost in USD
# per t CO2, potential in Gt CO2 a year in 2050).
TABLE_12_6 = {
    "daccs": ("6", "100–300", "5–40"),
    "beccs": ("5–6", "15–400", "0.5–11"),
    "biochar": ("6–7", "10–345", "0.3–6.6"),
    "weathering": ("3–4", "50–200", "2–4"),
    "ocean_alkalinity": ("1–2", "40–260", "1–100"),
    "forests": ("8–9", "0–240", "0.5–10"),
    "soil_carbon": ("8–9", "−45\u2009–\u2009100", "0.6–9.3"),
}

# Global Carbon Budget 2025 (2025, Gt CO2 a year) and IPCC AR6 WGI ch. 5 (2010–2019 shares).
FOSSIL = 38.1
LAND_USE = 4.1
SHARES = {"stays": 0.46, "ocean": 0.23, "land": 0.31}
# State of Carbon Dioxide Removal, 3rd ed. (2026): removed today, needed in 2050 (Gt CO2 a year).
REMOVED_TODAY = 2.2
NEEDED_2050 = 8.75

MAX_SENTENCE_WORDS = 25
MAX_BLOCK_WORDS = 100
MAX_TITLE_CHARS = 40
MAX_FIGURE_LABEL_CHARS = 60

# The seed page's overstatements, in any of the four languages.
FORBIDDEN = [
    re.compile(r"\b88\s*(out of|of|von|sur|de|/|aus)\s*90\b", re.I),
    re.compile(r"\b12\s*(gigaton|gigatonne|gigatonnen|gigatoneladas|gt\b)", re.I),
    re.compile(r"\b12\s*(billion|milliarden|milliards|mil millones)", re.I),
]


@pytest.fixture(scope="module")
def exhibition() -> Exhibition:
    result = load(CONTENT)
    assert result.ok, [p.headline() + " " + p.key for p in result.problems]
    assert result.exhibition is not None
    return result.exhibition


def walk(obj: object, path: str = "") -> Iterator[tuple[str, object]]:
    """Every model object, Text and plain string in the content, with a readable path."""
    yield path, obj
    if isinstance(obj, Text):
        return
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from walk(getattr(obj, name), f"{path}.{name}" if path else name)
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from walk(item, f"{path}[{i}]")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from walk(item, f"{path}.{key}")


def texts(obj: object) -> Iterator[tuple[str, str, str]]:
    """(path, language, text) for every visitor-facing Text."""
    for path, node in walk(obj):
        if isinstance(node, Text):
            for lang, text in node.root.items():
                yield path, lang, text


def screen(exhibition: Exhibition, screen_id: str):
    found = [s for s in exhibition.screens if s.id == screen_id]
    assert found, f"no screen {screen_id!r}"
    return found[0]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def words(text: str) -> int:
    return len([w for w in text.split() if re.search(r"\w", w)])


# --- sources -----------------------------------------------------------------------------------


def test_every_number_carries_a_source(exhibition: Exhibition) -> None:
    sourced = (Figure, FlowLink, Reversal, ChartSeries, Project)
    checked = 0
    for path, node in walk(exhibition):
        if isinstance(node, sourced):
            checked += 1
            assert node.source and node.source.strip(), f"{path} has no source"
    assert checked > 50


def test_sources_name_the_fact_sheet_references(exhibition: Exhibition) -> None:
    known = (
        "Global Carbon Budget",
        "Global Carbon Project",
        "IPCC",
        "State of Carbon Dioxide Removal",
        "State of CDR report",
        "Matter et al. 2016",
        "Climeworks",
        "Drax",
        "Northern Lights",
        "Coalition for Negative Emissions",
        "Byrne et al. 2024",
        "Gidden et al. 2025",
        "Heimildin",
        "LOC-NESS",
    )
    for path, node in walk(exhibition):
        if isinstance(node, (Figure, FlowLink, Reversal, ChartSeries)):
            assert any(k in node.source for k in known), f"{path}: unknown source {node.source!r}"


# --- languages ---------------------------------------------------------------------------------


def test_every_text_has_every_language(exhibition: Exhibition) -> None:
    wanted = set(exhibition.languages.available)
    assert wanted == {"en", "de", "fr", "es"}
    assert exhibition.languages.default == "en"
    count = 0
    for path, node in walk(exhibition):
        if isinstance(node, Text):
            count += 1
            assert node.languages() == wanted, f"{path}: has {sorted(node.languages())}"
            for lang, text in node.root.items():
                assert text.strip(), f"{path}.{lang} is empty"
    assert count > 200


def test_placeholders_survive_translation(exhibition: Exhibition) -> None:
    for lang in exhibition.languages.available:
        assert "{seconds}" in exhibition.ui.still_there_body.get(lang)
        assert "{value}" in exhibition.ui.each_dot.get(lang)


def test_decimal_comma_in_german_french_spanish(exhibition: Exhibition) -> None:
    for path, lang, text in texts(exhibition):
        if lang in {"de", "fr", "es"}:
            # a point before exactly three digits is a German thousands separator ("10.000")
            assert not re.search(r"\d\.(?!\d{3}(?!\d))\d", text), f"{path}.{lang}: decimal point in {text!r}"


def test_co2_is_written_with_a_subscript(exhibition: Exhibition) -> None:
    for path, lang, text in texts(exhibition):
        assert not re.search(r"\bCO2\b", text), f"{path}.{lang}: write CO₂, not CO2"


# --- the seed's overstatements -----------------------------------------------------------------


def all_visible_strings(exhibition: Exhibition) -> Iterator[tuple[str, str]]:
    for path, lang, text in texts(exhibition):
        yield f"{path}.{lang}", text
    for path, node in walk(exhibition):
        if isinstance(node, Figure):
            for lang in exhibition.languages.available:
                unit = node.unit.get(lang) if node.unit else ""
                yield f"{path}.value+unit.{lang}", f"{node.value} {unit}"
        if isinstance(node, Project):
            yield f"{path}.name", node.name


def test_no_88_out_of_90_and_no_12_gigatonne_storage(exhibition: Exhibition) -> None:
    for where, text in all_visible_strings(exhibition):
        for pattern in FORBIDDEN:
            assert not pattern.search(text), f"{where}: seed overstatement {text!r}"


def test_why_screen_says_all_90_pathways(exhibition: Exhibition) -> None:
    why = screen(exhibition, "why")
    shown = " ".join(f"{f.value} {f.label.get('en')}" for f in why.figures)
    assert "All 90" in shown


def test_why_screen_shows_the_2050_need_beside_any_20(exhibition: Exhibition) -> None:
    why = screen(exhibition, "why")
    standalone_20 = re.compile(r"(?<![\d.,])20(?![\d.,])")
    for path, lang, text in texts(why):
        if standalone_20.search(text):
            assert re.search(r"\b9\s*Gt", text), f"why.{path}.{lang}: a 20 without the ~9 Gt needed in 2050"
            assert "2050" in text, f"why.{path}.{lang}: the need is a rate in 2050"
    for fig in why.figures:
        assert not standalone_20.search(fig.value), "20 Gt is not a headline figure"
    assert any(f.value == "8.75" and "in 2050" in f.label.get("en") for f in why.figures)


def test_in_2050_never_by_2050(exhibition: Exhibition) -> None:
    """A rate happens in a year ("9 Gt a year in 2050"); a target is reached by a date ("net zero by 2050")."""
    by = re.compile(r"\b(by 2050|bis 2050|d’ici 2050|d'ici 2050|para 2050)", re.I)
    rate = re.compile(r"(a year|per year|pro Jahr|im Jahr|par an|al año|por año|Gt)", re.I)
    for where, text in all_visible_strings(exhibition):
        for sentence in re.split(r"(?<=[.!?;:,])\s+", text):
            if rate.search(sentence):
                assert not by.search(sentence), f"{where}: a yearly rate is 'in 2050': {sentence!r}"
    # The rule still bites: a rate "by 2050" in a figure label is caught.
    assert rate.search("Removal needed by 2050: 9 Gt a year") and by.search("Removal needed by 2050: 9 Gt a year")


def test_running_text_rounds_and_the_card_is_exact(exhibition: Exhibition) -> None:
    """No "about 41.6" in a sentence: three-figure precision belongs in the figure card."""
    flows = screen(exhibition, "flows")
    for lang, text in flows.lead.root.items():
        assert not re.search(r"\d+[.,]\d", text.split("2010")[0]), f"flows.lead.{lang}: {text!r}"
        assert re.search(r"\b42\b", text), lang
    assert [f.value for f in flows.figures] == ["425.7", "42.2"]


def test_storage_capacity_is_the_prudent_estimate_beside_ar6(exhibition: Exhibition) -> None:
    storage = screen(exhibition, "storage")
    fig = storage.permanent.figure
    assert fig is not None
    assert fig.value == "~1,460"
    assert "Gidden et al. 2025" in fig.source and "C.4.6" in fig.source
    assert "1,000" in fig.label.get("en") and "1.000" in fig.label.get("de")


# --- the flows ---------------------------------------------------------------------------------


def flow_diagrams(exhibition: Exhibition) -> list[tuple[str, FlowDiagram]]:
    return [(s.id, s.diagram) for s in exhibition.screens if s.type in {"attract", "flow"}]


def test_sources_are_fossil_38_1_and_land_use_4_1(exhibition: Exhibition) -> None:
    for sid, diagram in flow_diagrams(exhibition):
        rates = {link.from_: link.rate for link in diagram.links if link.to == "air" and link.step == 0}
        assert rates == {"fossil": FOSSIL, "land_use": LAND_USE}, sid


def test_flow_split_is_the_ipcc_decade_shares(exhibition: Exhibition) -> None:
    for sid, diagram in flow_diagrams(exhibition):
        out = {link.to: link.rate for link in diagram.links if link.from_ == "air" and link.step == 0}
        assert set(out) == set(SHARES), sid
        total = sum(out.values())
        for node, share in SHARES.items():
            assert out[node] / total == pytest.approx(share, abs=0.01), f"{sid}: {node}"
        # and the absolute numbers are the fact sheet's (19.4 / 9.7 / 13.1 Gt of 2025's 42.2)
        assert out == {"stays": 19.4, "ocean": 9.7, "land": 13.1}, sid


def test_removal_step_is_todays_scale_and_not_stored_for_good(exhibition: Exhibition) -> None:
    flows = screen(exhibition, "flows")
    assert len(flows.diagram.steps) == 1
    stepped = {link.to: link.rate for link in flows.diagram.links if link.step == 1}
    assert stepped == {"air": REMOVED_TODAY, "regrowth": REMOVED_TODAY}
    caption = flows.diagram.steps[0].caption.get("en")
    assert "about 9 Gt a year" in caption.replace("\u00a0", " ") and "2050" in caption
    for where, text in all_visible_strings(exhibition):
        assert not re.search(r"for good:\s*0[.,]0013", text), where
    # The storage screen draws only the durable part into rock: under 0.001 Gt a year.
    storage = screen(exhibition, "storage")
    rock = [link for link in storage.diagram.links if link.to == "rock"]
    assert [link.rate for link in rock] == [0.001]
    assert "under" in rock[0].label.get("en")


def test_wildfire_reversal_is_the_2023_canadian_fires(exhibition: Exhibition) -> None:
    storage = screen(exhibition, "storage")
    (fire,) = storage.diagram.reversals
    assert fire.rate == pytest.approx(2.4)  # Byrne et al. 2024: 647 MtC
    assert "Byrne et al. 2024" in fire.source
    assert (fire.from_, fire.to) == ("forest", "air")
    assert 3 <= fire.duration_s <= 10


# --- the technologies --------------------------------------------------------------------------


def test_methods_match_ipcc_table_12_6(exhibition: Exhibition) -> None:
    tech = screen(exhibition, "technologies")
    methods = {m.id: m for m in tech.methods}
    assert set(methods) == set(TABLE_12_6)
    for mid, (trl, cost, potential) in TABLE_12_6.items():
        m = methods[mid]
        assert m.readiness.value == trl, mid
        assert m.cost.value == cost, mid
        assert m.potential.value == potential, mid
        for fig in (m.cost, m.potential, m.readiness):
            assert fig.source == "IPCC AR6 WGIII Table 12.6", f"{mid}: {fig.source}"
        assert "1 = idea, 9 = in everyday use" in m.readiness.label.get("en"), mid
        # storage times: Table 12.6, or SPM C.11.1 for geological storage (10,000 years or more)
        assert "Table 12.6" in m.permanence.source or "SPM C.11.1" in m.permanence.source, mid
        if mid in {"daccs", "beccs"}:  # the same geological storage
            assert m.permanence.value == "10,000+", mid
        assert m.short is not None and all(len(t) <= 14 for t in m.short.root.values()), mid
        assert m.diagram is not None and 2 <= len(m.diagram.nodes) <= 4, mid


def test_chart_shows_today_and_2050_truthfully(exhibition: Exhibition) -> None:
    chart = screen(exhibition, "scale")
    ys = sorted(y for s in chart.series for _, y in (s.points or []))
    assert ys == [0.002, REMOVED_TODAY, NEEDED_2050]
    assert all(s.style == "bar" for s in chart.series)


def test_coalition_lists_only_named_members(exhibition: Exhibition) -> None:
    named = {
        "CBI", "Carbon Engineering", "Carbon Removal Centre", "Carbon Capture & Storage Association",
        "Climeworks", "Drax", "Energy UK", "Heathrow", "IAG", "NFU", "Velocys", "Enviva",
        "Renewable Energy Association",
    }  # fmt: skip
    coalition = screen(exhibition, "coalition")
    listed = [m for g in coalition.groups for m in g.members]
    assert len(listed) == len(set(listed))
    assert set(listed) <= named
    assert coalition.join.url == "https://coalitionfornegativeemissions.org/contact/"


# --- readability -------------------------------------------------------------------------------


def test_sentences_and_blocks_are_short(exhibition: Exhibition) -> None:
    for path, lang, text in texts(exhibition):
        assert words(text) <= MAX_BLOCK_WORDS, f"{path}.{lang}: {words(text)} words"
        for sentence in sentences(text):
            assert words(sentence) <= MAX_SENTENCE_WORDS, f"{path}.{lang}: {sentence!r}"


def test_titles_and_figure_labels_fit(exhibition: Exhibition) -> None:
    for path, node in walk(exhibition):
        if path.endswith("title") and isinstance(node, Text):
            for lang, text in node.root.items():
                assert len(text) <= MAX_TITLE_CHARS, f"{path}.{lang}: {text!r}"
        if isinstance(node, Figure):
            for lang, text in node.label.root.items():
                assert len(text) <= MAX_FIGURE_LABEL_CHARS, f"{path}.label.{lang}: {text!r}"


def test_screen_order(exhibition: Exhibition) -> None:
    assert [s.id for s in exhibition.screens] == [
        "attract", "why", "flows", "bathtub", "storage", "technologies", "removal_mix", "scale", "coalition",
    ]  # fmt: skip
