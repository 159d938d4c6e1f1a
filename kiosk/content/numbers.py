"""Numbers as each language writes them: "0.5–10" in English is "0,5–10" in German, and
"10,000+" is "10.000+" in German and "10 000+" (narrow no-break space) in French and Spanish.

Figures are written once in content.yaml, in English style (the value is the same fact in every
language); the decimal mark and the thousands separator change on screen.
"""

from __future__ import annotations

import re

# Languages whose decimal mark is a comma (CLDR); others keep the point.
DECIMAL_COMMA = {"de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "fi", "nb", "cs", "ru", "tr"}

_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
# A thousands group as a figure value may be written: "10,000", "10 000", "10\u00a0000" or
# "10\u202f000" (a separator between a digit and exactly three digits).
_GROUP = re.compile(r"(?<=\d)[,\u0020\u00a0\u202f](?=\d{3}(?!\d))")


def localize_number(text: str, lang: str) -> str:
    """A figure value written in English style, with `lang`'s decimal mark and thousands separator:
    localize_number("~1,460", "de") -> "~1.460"; localize_number("0.5–11", "fr") -> "0,5–11"."""
    base = lang.split("-")[0]
    sep = GROUP_SEPARATOR.get(base, ",")
    marked = _GROUP.sub("\x00", text)  # park the groups while the decimal mark changes
    if base in DECIMAL_COMMA:
        marked = _DECIMAL_POINT.sub(",", marked)
    return marked.replace("\x00", sep)


# Thousands separators per language (the typography: en 10,000; de 10.000; fr and es
# 10 000 with a narrow no-break space, U+202F).
GROUP_SEPARATOR = {"en": ",", "de": ".", "fr": "\u202f", "es": "\u202f"}
NBSP = "\u00a0"  # between a number and its unit, so "42 Gt" never breaks across lines


def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """A computed number as `lang` writes it: format_number(10000.5, "de", 1) -> "10.000,5".

    For numbers the program computes (models, statistics); numbers written in content.yaml go
    through `localize_number`.
    """
    base = lang.split("-")[0]
    text = f"{abs(value):,.{decimals}f}"  # "10,000.5"
    whole, _, frac = text.partition(".")
    whole = whole.replace(",", GROUP_SEPARATOR.get(base, ","))
    mark = "," if base in DECIMAL_COMMA else "."
    sign = "\u2212" if value < 0 and float(text.replace(",", "")) != 0 else ""
    return sign + whole + (mark + frac if frac else "")


def with_unit(number: str, unit: str) -> str:
    """Join a number and its unit with a no-break space."""
    return f"{number}{NBSP}{unit}" if unit else number
