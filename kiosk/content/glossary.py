"""Where the glossary's terms occur in a text, and the text with each first occurrence marked.

"Gt", "ppm", "net zero", "sink", "1.5 °C", "readiness" and "scenario" are explained once, in
plain words, where visitors meet them: a screen marks the term and a touch opens its card.
No Qt here: the screens turn the marks into links.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from kiosk.content.model import GlossaryTerm

LINK_PREFIX = "glossary:"
_SPACES = "[ \u00a0\u202f]"


@lru_cache(maxsize=512)
def _pattern(forms: str) -> re.Pattern[str]:
    """One regex for a term's forms ("sink|sinks"): any kind of space matches any other, and the
    term stands as a word of its own ("Gt" in "Gt CO₂", not in "Gtx")."""
    alternatives = sorted((f.strip() for f in forms.split("|") if f.strip()), key=len, reverse=True)
    parts = []
    for alt in alternatives:
        body = _SPACES.join(re.escape(word) for word in re.split(_SPACES, alt))
        first = alt[0]
        if first.upper() != first:  # "readiness" also at the start of a sentence: "Readiness"
            body = f"[{re.escape(first)}{re.escape(first.upper())}]" + body[len(re.escape(first)):]
        parts.append(body)
    # Case as written otherwise: the German noun "Senken" (sinks) is not the verb "senken".
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])")


def occurrences(text: str, glossary: list[GlossaryTerm], lang: str) -> list[tuple[int, int, str]]:
    """(start, end, term id) of each term's first occurrence in `text`, in text order, never overlapping."""
    found: list[tuple[int, int, str]] = []
    for term in glossary:
        forms = term.term.root.get(lang)
        if not forms:
            continue
        m = _pattern(forms).search(text)
        if m is None:
            continue
        if any(m.start() < end and start < m.end() for start, end, _ in found):
            continue
        found.append((m.start(), m.end(), term.id))
    return sorted(found)


def marked_html(text: str, glossary: list[GlossaryTerm], lang: str, colour: str) -> str | None:
    """`text` as rich text with each term a link (dotted underline, `colour`); None when no term occurs."""
    spots = occurrences(text, glossary, lang)
    if not spots:
        return None
    out: list[str] = []
    pos = 0
    style = f"color:{colour}; text-decoration: underline; text-underline-style: dotted;"
    for start, end, term_id in spots:
        out.append(escape(text[pos:start], quote=False))
        out.append(f'<a href="{LINK_PREFIX}{term_id}" style="{style}">{escape(text[start:end], quote=False)}</a>')
        pos = end
    out.append(escape(text[pos:], quote=False))
    return "".join(out)


def term_by_id(glossary: list[GlossaryTerm], term_id: str) -> GlossaryTerm | None:
    return next((t for t in glossary if t.id == term_id), None)
