"""Content of the carbon-bathtub screen: the question, the world's paths, the words around them.

No Qt here. The numbers the screen shows are computed by `kiosk.models.carbon_cycle` from the
paths written here; the model's constants and their sources live in that module, and the
sources a visitor reads are listed under `sources:`.

Who was right is not written in the content: each answer says which outcome it predicts
(`rises`, `level`, `falls`) and the model decides, so an edited path can never make the kiosk
praise a wrong answer.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from kiosk.content.model import ScreenBase, Strict, Text
from kiosk.models.carbon_cycle import EmissionPath

FIRST_YEAR, LAST_YEAR = 2025, 2100
Outcome = Literal["rises", "level", "falls"]
# Under this change from 2025 to 2100 (ppm) the level counts as staying level.
LEVEL_BAND_PPM = 5.0


def _needs(text: Text, *placeholders: str) -> Text:
    for lang, value in text.root.items():
        for ph in placeholders:
            if ph not in value:
                raise ValueError(f"the '{lang}' text has no {ph}: visitors would miss the number")
    return text


class YearPoint(Strict):
    """One point of a path: `{year: 2050, gt: 5}`, GtCO2 a year; straight lines between points."""

    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    gt: float = Field(ge=0.0, le=200.0, description="GtCO2 a year (never negative: removal has its own list)")


class BathtubPath(Strict):
    """A way the world could go from 2025 to 2100: a large button, then the model plays it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text = Field(description="The button, e.g. 'Emissions stay as today'")
    caption: Text | None = Field(default=None, description="One sentence shown after the path has played")
    emissions: list[YearPoint] = Field(min_length=1, description="World CO2 emissions (fossil and land use)")
    removal: list[YearPoint] = Field(default_factory=list, description="CO2 removal beyond today's forests")
    source: str | None = Field(default=None, description="Where the path's numbers come from")

    @field_validator("emissions", "removal")
    @classmethod
    def _years_ascend(cls, points: list[YearPoint]) -> list[YearPoint]:
        years = [p.year for p in points]
        if years != sorted(set(years)):
            raise ValueError("years must go up, each once")
        return points

    def emission_path(self) -> EmissionPath:
        return EmissionPath(
            emissions=tuple((p.year, p.gt) for p in self.emissions),
            removal=tuple((p.year, p.gt) for p in self.removal),
        )


class BathtubAnswer(Strict):
    outcome: Outcome = Field(description="What this answer predicts for the CO2 in the air")
    label: Text
    social: Text = Field(description="'Today, {count} of {total} visitors expected ...' (from the local analytics)")

    @field_validator("social")
    @classmethod
    def _social_counts(cls, text: Text) -> Text:
        return _needs(text, "{count}", "{total}")


class BathtubQuestion(Strict):
    """Predict first: one question, a few large answers; the model then plays `path`."""

    text: Text
    path: str = Field(description="The id of the path that plays out after the answer")
    answers: list[BathtubAnswer] = Field(min_length=2, max_length=4)
    right: Text = Field(description="Said when the visitor's answer matches what the model shows")
    wrong: Text
    why: Text = Field(description="Why the level does what it does; {ppm} is the level in 2100")
    social_min_visitors: int = Field(default=5, ge=1, description="Show today's answers from this many on")

    @field_validator("why")
    @classmethod
    def _why_has_level(cls, text: Text) -> Text:
        return _needs(text, "{ppm}")

    @model_validator(mode="after")
    def _one_answer_per_outcome(self) -> BathtubQuestion:
        outcomes = [a.outcome for a in self.answers]
        if len(set(outcomes)) != len(outcomes):
            raise ValueError("two answers predict the same outcome")
        return self


class BathtubTexts(Strict):
    """The screen's own words; {placeholders} are filled with the model's numbers."""

    choose: Text = Field(description="Invitation to pick a path")
    tap: Text = Field(description="Label of the inflow: emissions")
    tub: Text = Field(description="Label of the tub: the CO2 in the air")
    drain: Text = Field(description="Label of the natural outflow: ocean and land")
    removal: Text = Field(description="Label of the removal outflow")
    level: Text = Field(description="In the tub: '{year}: {ppm} ppm'")
    rate: Text = Field(description="Beside each flow: '{gt} Gt a year'")
    ppm_axis: Text
    warming_axis: Text
    likely: Text = Field(description="Legend of the warming's likely range")
    previous: Text = Field(description="Legend of the faint curve of the path played before")
    budget_left: Text = Field(description="'1.5 °C budget left: {gt} Gt'")
    budget_gone: Text = Field(description="'1.5 °C budget used up in {year}'")
    outcome: Text = Field(description="After a path: '{ppm}', '{warming}', '{low}', '{high}' in 2100")
    model_note: Text = Field(description="Says it is a simple model and which one")

    @model_validator(mode="after")
    def _placeholders(self) -> BathtubTexts:
        _needs(self.level, "{year}", "{ppm}")
        _needs(self.rate, "{gt}")
        _needs(self.budget_left, "{gt}")
        _needs(self.budget_gone, "{year}")
        _needs(self.outcome, "{ppm}", "{warming}", "{low}", "{high}")
        return self


class BathtubScreen(ScreenBase):
    """The carbon bathtub: predict what constant emissions do, then drive a carbon-cycle model."""

    type: Literal["bathtub"]
    lead: Text
    question: BathtubQuestion
    paths: list[BathtubPath] = Field(min_length=3, max_length=5)
    texts: BathtubTexts
    sources: list[str] = Field(min_length=1, description="Shown on the screen: where the model's numbers come from")
    play_s: float = Field(default=4.0, gt=0.0, le=30.0, description="Seconds a path takes to play 2025-2100")
    dot_value_gt: float = Field(default=0.1, gt=0.0, description="One particle a second stands for this many Gt a year")

    @model_validator(mode="after")
    def _paths_known(self) -> BathtubScreen:
        ids = [p.id for p in self.paths]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"path id {dupes[0]!r} is used twice")
        if self.question.path not in ids:
            raise ValueError(f"question.path {self.question.path!r} is not a path id (known: {', '.join(ids)})")
        shown = self.question_outcome()
        if shown not in {a.outcome for a in self.question.answers}:
            raise ValueError(f"the model shows the level {shown!r} on path {self.question.path!r}, but no answer says so")
        return self

    def question_outcome(self) -> Outcome:
        """What the model shows for the question's path, 2025 to 2100: the right answer."""
        from kiosk.models.carbon_cycle import default_cycle

        run = default_cycle().run(self.path(self.question.path).emission_path(), LAST_YEAR)
        return outcome_of(run.ppm_in(FIRST_YEAR), run.ppm_in(LAST_YEAR))

    def path(self, path_id: str) -> BathtubPath:
        return next(p for p in self.paths if p.id == path_id)


def outcome_of(ppm_start: float, ppm_end: float) -> Outcome:
    """What a visitor would call the change of the level between two years."""
    if ppm_end > ppm_start + LEVEL_BAND_PPM:
        return "rises"
    if ppm_end < ppm_start - LEVEL_BAND_PPM:
        return "falls"
    return "level"
