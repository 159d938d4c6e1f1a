"""Numbers as each language writes them: "0.5–10" in English is "0,5–10" in German.

Figures are written once in content.yaml (the value is the same fact in every language); only
the decimal mark changes on screen.
"""

from __future__ import annotations

import re

# Languages whose decimal mark is a comma (CLDR); others keep the point.
DECIMAL_COMMA = {"de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "fi", "nb", "cs", "ru", "tr"}

_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def localize_number(text: str, lang: str) -> str:
    """Swap the decimal point for the language's decimal mark; thousands spaces stay as written."""
    if lang.split("-")[0] in DECIMAL_COMMA:
        return _DECIMAL_POINT.sub(",", text)
    return text


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
