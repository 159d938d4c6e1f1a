"""The carbon bathtub's sentences, from its content and the carbon-cycle model's numbers. No Qt.

The screen shows these sentences and spoken mode says them (with numbers in words), so what a
visitor reads and what a visitor hears come from one place. Computed numbers go through
`format_number`: 803 ppm, 1,6 °C in German.

state keys (all optional): `answer` (the outcome the visitor predicted), `path` (the path that
played last), `first` (True while the question's own path is the one shown after the answer).
"""

from __future__ import annotations

from functools import lru_cache

from kiosk.content.bathtub import FIRST_YEAR, LAST_YEAR, BathtubScreen
from kiosk.content.numbers import NBSP, format_number
from kiosk.models.carbon_cycle import EmissionPath, Run, default_cycle

# The year a path's level is also told for, beside 2100 (the year the paths' targets name).
MIDDLE_YEAR = 2050

PHRASES: dict[str, dict[str, str]] = {
    "en": {"answers": "The answers: {items}.", "your_answer": "Your answer: {answer}.",
           "paths": "The paths: {items}.", "level_in": "In {year}: {ppm} ppm."},
    "de": {"answers": "Die Antworten: {items}.", "your_answer": "Deine Antwort: {answer}.",
           "paths": "Die Wege: {items}.", "level_in": "Im Jahr {year}: {ppm} ppm."},
    "fr": {"answers": "Les réponses : {items}.", "your_answer": "Votre réponse : {answer}.",
           "paths": "Les chemins : {items}.", "level_in": "En {year} : {ppm} ppm."},
    "es": {"answers": "Las respuestas: {items}.", "your_answer": "Tu respuesta: {answer}.",
           "paths": "Los caminos: {items}.", "level_in": "En {year}: {ppm} ppm."},
}


def _phrase(name: str, lang: str, **values: str) -> str:
    table = PHRASES.get(lang.split("-")[0], PHRASES["en"])
    return table[name].format(**values)


def fill(template: str, **values: str) -> str:
    """The template with its {placeholders} filled; a unit after a number never starts a line."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    for unit in (" °C", " ppm", " Gt"):
        template = template.replace(unit, NBSP + unit[1:])
    return template


@lru_cache(maxsize=32)
def _run(path: EmissionPath) -> Run:
    return default_cycle().run(path, LAST_YEAR)


def path_run(screen: BathtubScreen, path_id: str) -> Run:
    """The model's run of one of the screen's paths (computed once per path)."""
    return _run(screen.path(path_id).emission_path())


def _tr(text, lang: str, default: str) -> str:
    return text.get(lang, default) if text is not None else ""


def why_text(screen: BathtubScreen, lang: str, default: str = "en") -> str:
    run = path_run(screen, screen.question.path)
    return fill(_tr(screen.question.why, lang, default), ppm=format_number(run.ppm_in(LAST_YEAR), lang, 0))


def verdict_text(screen: BathtubScreen, answer: str, lang: str, default: str = "en") -> str:
    q = screen.question
    right = answer == screen.question_outcome()
    return f"{_tr(q.right if right else q.wrong, lang, default)} {why_text(screen, lang, default)}"


def outcome_text(screen: BathtubScreen, path_id: str, lang: str, default: str = "en") -> str:
    """'In 2100: 803 ppm, warming about 2.9 °C (likely 2.1–3.7 °C).'"""
    run = path_run(screen, path_id)
    i = run.at(LAST_YEAR)
    return fill(
        _tr(screen.texts.outcome, lang, default),
        ppm=format_number(run.ppm[i], lang, 0),
        warming=format_number(run.warming[i], lang, 1),
        low=format_number(run.warming_low[i], lang, 1),
        high=format_number(run.warming_high[i], lang, 1),
    )


def budget_text(screen: BathtubScreen, run: Run | None, index: int, lang: str, default: str = "en") -> str:
    """The 1.5 °C budget left in year FIRST_YEAR + index of `run` (None: before any path played)."""
    t = screen.texts
    budget = (run.constants if run is not None else path_run(screen, screen.question.path).constants).budget_for(1.5)
    left = float(run.budget_left[index]) if run is not None else budget
    if left > 0:
        return fill(_tr(t.budget_left, lang, default), gt=format_number(left, lang, 0))
    return fill(_tr(t.budget_gone, lang, default), year=str(run.budget_gone_year()))


def level_text(screen: BathtubScreen, ppm: float, year: int, lang: str, default: str = "en") -> str:
    return fill(_tr(screen.texts.level, lang, default), year=str(year), ppm=format_number(ppm, lang, 0))


def bathtub_lines(screen: BathtubScreen, lang: str, state: dict | None = None, default: str = "en") -> list[str]:
    """The screen in its state, as a sighted visitor reads it (digits; spoken mode turns them to words)."""
    state = state or {}
    tr = lambda text: _tr(text, lang, default)  # noqa: E731
    q = screen.question
    answer, path_id = state.get("answer"), state.get("path")
    lines = [tr(screen.title)]
    if answer is None:
        lines += [tr(screen.lead), tr(q.text)]
        lines.append(_phrase("answers", lang, items="; ".join(tr(a.label) for a in q.answers)))
        lines.append(budget_text(screen, None, 0, lang, default))
        return lines
    chosen = next((a for a in q.answers if a.outcome == answer), None)
    lines.append(tr(q.text))
    if chosen is not None:
        lines.append(_phrase("your_answer", lang, answer=tr(chosen.label)))
    lines.append(verdict_text(screen, answer, lang, default))
    if path_id is not None:
        path = screen.path(path_id)
        run = path_run(screen, path_id)
        if not (state.get("first") and path_id == q.path):
            lines += [tr(path.label), tr(path.caption)]
        lines.append(_phrase("level_in", lang, year=str(MIDDLE_YEAR),
                             ppm=format_number(run.ppm_in(MIDDLE_YEAR), lang, 0)).replace(" ppm", NBSP + "ppm"))
        lines.append(outcome_text(screen, path_id, lang, default))
        lines.append(budget_text(screen, run, run.at(LAST_YEAR), lang, default))
    lines.append(tr(screen.texts.choose))
    lines.append(_phrase("paths", lang, items="; ".join(tr(p.label) for p in screen.paths)))
    return lines


__all__ = ["FIRST_YEAR", "LAST_YEAR", "bathtub_lines", "budget_text", "fill", "level_text", "outcome_text",
           "path_run", "verdict_text", "why_text"]
