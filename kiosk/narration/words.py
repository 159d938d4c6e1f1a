"""Text as a voice should say it: numbers, ranges and units in words, in the visitor's language.

"7–9 Gt CO₂ a year" becomes "seven to nine billion tonnes of C O two a year". Numbers are turned
into words with num2words (a maintained library covering en, de, fr and es and many more), so a
speech engine never guesses how to read "41,6" or "10 000+" and every language reads its own
decimal mark and thousands separator correctly. No Qt here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

# The words around numbers and units, per language. Languages missing here use English words
# around the number (num2words still says the number in the language if it knows it).
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "to": "to", "about": "about", "more_than": "more than", "less_than": "less than",
        "minus": "minus", "plus": "plus", "percent": "percent", "degrees": "degrees Celsius",
        "gt": "billion tonnes", "mt": "million tonnes", "t": "tonnes", "t1": "tonne", "of": "of ",
        "ppm": "parts per million", "usd": "US dollars", "co2": "C O two", "million": "million",
        "s": "seconds", "s1": "one second", "min": "minutes", "min1": "one minute",
    },
    "de": {
        "to": "bis", "about": "etwa", "more_than": "mehr als", "less_than": "weniger als",
        "minus": "minus", "plus": "plus", "percent": "Prozent", "degrees": "Grad Celsius",
        "gt": "Milliarden Tonnen", "mt": "Millionen Tonnen", "t": "Tonnen", "t1": "Tonne", "of": "",
        "ppm": "Teile pro Million", "usd": "US-Dollar", "co2": "C O zwei", "million": "Millionen",
        "s": "Sekunden", "s1": "eine Sekunde", "min": "Minuten", "min1": "eine Minute",
    },
    "fr": {
        "to": "à", "about": "environ", "more_than": "plus de", "less_than": "moins de",
        "minus": "moins", "plus": "plus", "percent": "pour cent", "degrees": "degrés Celsius",
        "gt": "milliards de tonnes", "mt": "millions de tonnes", "t": "tonnes", "t1": "tonne", "of": "de ",
        "ppm": "parties par million", "usd": "dollars américains", "co2": "C O deux", "million": "millions",
        "s": "secondes", "s1": "une seconde", "min": "minutes", "min1": "une minute",
    },
    "es": {
        "to": "a", "about": "aproximadamente", "more_than": "más de", "less_than": "menos de",
        "minus": "menos", "plus": "más", "percent": "por ciento", "degrees": "grados Celsius",
        "gt": "mil millones de toneladas", "mt": "millones de toneladas", "t": "toneladas", "t1": "tonelada", "of": "de ",
        "ppm": "partes por millón", "usd": "dólares estadounidenses", "co2": "C O dos", "million": "millones",
        "s": "segundos", "s1": "un segundo", "min": "minutos", "min1": "un minuto",
    },
}

DECIMAL_COMMA = {"de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "fi", "nb", "cs", "ru", "tr"}
SPACES = " \u00a0\u202f"
DASHES = "–—-"  # a range: "7–9" (en dash), also a hyphen between two numbers


def base_lang(lang: str) -> str:
    return lang.split("-")[0]


def words(lang: str) -> dict[str, str]:
    return WORDS.get(base_lang(lang), WORDS["en"])


@lru_cache(maxsize=8)
def _number_pattern(lang: str) -> re.Pattern[str]:
    """A number as `lang` writes it in running text, with a prefix (~ > < −) and a suffix (+ %).

    Figure values in content.yaml are written once for all languages with a point for decimals
    and spaces for thousands ("1 000–10 000", "422.5"); running text uses the language's own marks
    ("41,6" in German, "10,000" in English). Both are understood."""
    comma = base_lang(lang) in DECIMAL_COMMA
    dec = "[,.]" if comma else r"\."
    group = f"[.{SPACES}]" if comma else f"[,{SPACES}]"
    number = rf"(?:\d{{1,3}}(?:{group}\d{{3}})+(?!\d)|\d+)(?:{dec}\d+)?"
    return re.compile(
        rf"(?<![\w.,])(?P<prefix>[~≈<>]|\u2212|-(?=\d))?(?P<a>{number})"
        rf"(?:\s?[{DASHES}]\s?(?P<bminus>\u2212)?(?P<b>{number}))?(?P<plus>\+)?(?P<pct>\s?%)?"
    )


def _parse(text: str, lang: str) -> float:
    comma = base_lang(lang) in DECIMAL_COMMA
    for space in SPACES:
        text = text.replace(space, "")
    if comma:
        # "10.000" is ten thousand, "41,6" is a decimal; a point followed by exactly three digits
        # is a thousands mark, any other point a decimal point (figure values: "422.5").
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text):
            text = text.replace(".", "")
        text = text.replace(",", ".")
    else:
        text = text.replace(",", "")
    return float(text)


def number_words(value: float, lang: str, *, year: bool = False) -> str:
    """One number in words: 41.6 -> "forty-one point six" (en), "einundvierzig Komma sechs" (de)."""
    code = base_lang(lang)
    try:
        if value == int(value) and abs(value) < 1e15:
            if year and code == "en":
                return num2words(int(value), lang=code, to="year")
            return num2words(int(value), lang=code)
        text = num2words(value, lang=code)
    except NotImplementedError:
        text = num2words(value, lang="en")
    if code == "es":
        text = text.replace(" punto ", " coma ")  # Spain reads the decimal comma as "coma"
    return text


def _is_year(raw: str) -> bool:
    return bool(re.fullmatch(r"(1[5-9]|20|21)\d\d", raw))


def _replace_number(match: re.Match[str], lang: str) -> str:
    w = words(lang)
    prefix = (match.group("prefix") or "").strip()
    a_raw, b_raw = match.group("a"), match.group("b")
    a = number_words(_parse(a_raw, lang), lang, year=_is_year(a_raw))
    if prefix in ("\u2212", "-"):
        a = f"{w['minus']} {a}"
    said = a
    if b_raw:
        b = number_words(_parse(b_raw, lang), lang, year=_is_year(b_raw))
        if match.group("bminus"):
            b = f"{w['minus']} {b}"
        said = f"{a} {w['to']} {b}"
    if match.group("plus"):
        said = f"{w['more_than']} {said}" if not b_raw else f"{a} {w['to']} {w['more_than']} {b}"
    if prefix in ("~", "≈"):
        said = f"{w['about']} {said}"
    elif prefix == ">":
        said = f"{w['more_than']} {said}"
    elif prefix == "<":
        said = f"{w['less_than']} {said}"
    if match.group("pct"):
        said = f"{said} {w['percent']}"
    return said


def _units(text: str, lang: str) -> str:
    w = words(lang)
    co2 = w["co2"]
    text = text.replace("CO₂", "CO2")
    # A written gloss after a unit ("42 Gt (billion tonnes)") is what the spoken unit already says.
    text = re.sub(r"\b(Gt|Mt|ppm)\s*\([^()]{1,40}\)", r"\1", text)
    # "Gt CO₂" is "billion tonnes of CO₂"; "Gt de CO₂" (fr, es) already has its "of".
    text = re.sub(r"\bGt\s+CO2\b", f"{w['gt']} {w['of']}CO2", text)
    text = re.sub(r"\bMt\s+CO2\b", f"{w['mt']} {w['of']}CO2", text)
    text = re.sub(r"(?<=[\d\s])(?:Mio\.|million|millions|millones)\s+(?:de\s+)?t\s+(?:de\s+)?CO2\b",
                  f"{w['mt']} {w['of']}CO2", text)
    # "per t", "1 t": one tonne; "2 t": tonnes.
    text = re.sub(
        r"\b(per|pro|je|par|por|1)[\s\u00a0\u202f]t\b(\s+(?:de\s+)?CO2\b)?",
        lambda m: f"{m.group(1)} {w['t1']}" + (f" {w['of']}CO2" if m.group(2) else ""),
        text,
    )
    text = re.sub(r"(?<=[\d\s])t\s+CO2\b", f"{w['t']} {w['of']}CO2", text)
    text = re.sub(r"\bGt\b", w["gt"], text)
    text = re.sub(r"\bMt\b", w["mt"], text)
    text = re.sub(r"(?<=\d)[\s\u00a0\u202f]t\b", " " + w["t"], text)
    text = re.sub(r"\bppm\b", w["ppm"], text)
    text = re.sub(r"\bUSD\b", w["usd"], text)
    text = re.sub(r"\s?°C\b", " " + w["degrees"], text)
    # Time after a number ("in 39 s", "2 min"): a voice reads a lone "s" as a letter. "1 s" is
    # said whole ("une seconde", "un segundo"): the number takes the unit's gender.
    text = re.sub(
        r"(?<![\d.,])(\d+)[\s\u00a0\u202f](s|min)\b(?![\w'’])",
        lambda m: w[m.group(2) + "1"] if m.group(1) == "1" else f"{m.group(1)} {w[m.group(2)]}",
        text,
    )
    text = re.sub(r"\bCO2\b", co2, text)
    return text


def speakable(text: str, lang: str) -> str:
    """`text` with every number, range and unit in words, and signs a voice stumbles on removed."""
    if not text:
        return ""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"[‹›«»“”„\"]", "", text)
    text = text.replace("·", ",").replace(" — ", ", ").replace("—", "")
    text = _units(text, lang)
    pattern = _number_pattern(lang)
    text = pattern.sub(lambda m: _replace_number(m, lang), text)
    text = text.replace("+", f" {words(lang)['plus']} ") if re.search(r"\+", text) else text
    return re.sub(r"\s{2,}", " ", text).strip()


def has_digits(text: str) -> bool:
    return bool(re.search(r"\d", text))
