"""Numbers in each language's own typography: en 10,000 and 0.5; de 10.000 and 0,5; fr and es
10 000 (narrow no-break space) and 0,5; a no-break space between a number and its unit."""

from __future__ import annotations

import re

import pytest

from kiosk.content.loader import load
from kiosk.content.model import Figure, Text
from kiosk.content.numbers import format_number, localize_number
from kiosk.ui.widgets.flow_view import format_rate

NNBSP = "\u202f"


@pytest.mark.parametrize(
    "value,lang,shown",
    [
        ("10,000+", "en", "10,000+"),
        ("10,000+", "de", "10.000+"),
        ("10,000+", "fr", f"10{NNBSP}000+"),
        ("10,000+", "es", f"10{NNBSP}000+"),
        ("~1,460", "de", "~1.460"),
        ("0.5–11", "en", "0.5–11"),
        ("0.5–11", "de", "0,5–11"),
        ("0.5–11", "fr", "0,5–11"),
        ("425.7", "es", "425,7"),
        ("1 000–10 000", "de", "1.000–10.000"),  # an old file's spaced groups are understood too
        ("2050", "de", "2050"),  # a year is not a thousand
        ("8.75", "fr", "8,75"),
    ],
)
def test_figure_values_take_the_language_marks(value: str, lang: str, shown: str) -> None:
    assert localize_number(value, lang) == shown


@pytest.mark.parametrize(
    "rate,lang,shown",
    [(38.1, "en", "38.1"), (38.1, "de", "38,1"), (0.001, "fr", "0,001"), (12500.5, "de", "12.500,5"), (2.0, "es", "2")],
)
def test_drawn_rates_take_the_language_marks(rate: float, lang: str, shown: str) -> None:
    assert format_rate(rate, lang) == shown


def test_computed_and_written_numbers_agree() -> None:
    for lang in ("en", "de", "fr", "es"):
        assert localize_number("12,345.5", lang) == format_number(12345.5, lang, 1)


def texts(obj, lang):
    from pydantic import BaseModel

    if isinstance(obj, Text):
        if lang in obj.root:
            yield obj.root[lang]
        return
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from texts(getattr(obj, name), lang)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from texts(item, lang)


GROUPED = {
    "en": re.compile(r"\d,\d{3}(?!\d)"),
    "de": re.compile(r"\d\.\d{3}(?!\d)"),
    "fr": re.compile(rf"\d{NNBSP}\d{{3}}(?!\d)"),
    "es": re.compile(rf"\d{NNBSP}\d{{3}}(?!\d)"),
}
WRONG_GROUP = re.compile(r"(?<![\d.,\u202f])[1-9]\d{0,2}[ \u00a0,.\u202f]\d{3}(?!\d)")


def test_shipped_texts_group_thousands_the_language_way(shipped_content_path) -> None:
    ex = load(shipped_content_path).exhibition
    assert ex is not None
    seen = dict.fromkeys(GROUPED, 0)
    for lang, right in GROUPED.items():
        for text in texts(ex, lang):
            for m in WRONG_GROUP.finditer(text):
                assert right.search(m.group(0)), f"{lang}: {m.group(0)!r} in {text!r}"
                seen[lang] += 1
    assert all(n >= 3 for n in seen.values()), seen  # 10,000 years, 1,000 t ... in every language


def test_a_number_and_its_unit_never_break_apart(shipped_content_path) -> None:
    ex = load(shipped_content_path).exhibition
    assert ex is not None
    symbols = r"(Gt|ppm|t|%|s|°C)"
    words = r"(ans|años|Jahre)"
    for lang in ex.languages.available:
        for text in texts(ex, lang):
            bad = re.search(rf"\d {symbols}(?!\w)", text)
            assert not bad, f"{lang}: plain space in {bad.group(0)!r} of {text!r}"
            bad = re.search(rf"\d[.\u202f]\d{{3}} {words}(?!\w)", text)  # "10 000 ans" stays on one line
            assert not bad, f"{lang}: plain space in {bad.group(0)!r} of {text!r}"


def test_figure_values_are_written_in_one_style(shipped_content_path) -> None:
    ex = load(shipped_content_path).exhibition
    from pydantic import BaseModel

    def figures(obj):
        if isinstance(obj, Figure):
            yield obj
        elif isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                yield from figures(getattr(obj, name))
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                yield from figures(item)

    values = [f.value for f in figures(ex)]
    assert "10,000+" in values and "~1,460" in values
    for v in values:
        assert not re.search(r"\d[ \u00a0\u202f]\d{3}", v), f"write {v!r} as 10,000 (English style) in the file"
