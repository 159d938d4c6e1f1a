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
