"""The content of the "build your 2050 removal mix" screen: methods, yardsticks and words.

Hooked into the `Screen` union in model.py. Every figure per 1 GtCO2 a year is a range with
its source; `rough: true` marks a figure the fact sheet could not confirm (the screen then says
"rough estimate"), and a figure nobody has found is written `range: null` and left out of the
totals. Qt-free like the rest of kiosk.content.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel, field_validator, model_validator

from kiosk.content.model import ScreenBase, Strict, Text

# kiosk.models.removal_mix (the arithmetic) is imported where it is used: it formats numbers
# with kiosk.content.numbers, so importing it here would make the two packages import each other.


class MixRange(RootModel[tuple[float, float]]):
    """[low, high] as the literature gives it; [x, x] for a single value."""

    @model_validator(mode="after")
    def _ordered(self) -> MixRange:
        low, high = self.root
        if low > high:
            raise ValueError(f"a range is written [low, high]; {low} is above {high}")
        return self

    def span(self):
        from kiosk.models.removal_mix import Span

        return Span(*self.root)


class MixFigure(Strict):
    """One resource a method needs per 1 GtCO2 a year removed, with its source."""

    range: MixRange | None = Field(description="[low, high] per GtCO2/yr; null when no source gives a figure")
    rough: bool = Field(default=False, description="Not confirmed in a primary source: shown as a rough estimate")
    source: str = Field(min_length=1, description="Where the figure comes from (shown on screen)")

    def per_gt(self):
        from kiosk.models.removal_mix import PerGt

        return PerGt(self.range.span() if self.range is not None else None, self.rough)


class MixLimit(Strict):
    value: float = Field(gt=0, description="GtCO2 a year")
    source: str = Field(min_length=1)


class MixMethod(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text = Field(description="Name beside the stepper")
    in_sentence: Text = Field(description='The method inside a sentence: "forests", "les forêts"')
    icon: str | None = Field(
        default=None, description="Icon name (drawn beside the stepper once the kiosk has an icon set)"
    )
    land_mha: MixFigure = Field(description="Million hectares per GtCO2/yr")
    energy_ej: MixFigure = Field(description="Exajoules a year used per GtCO2/yr (producers count 0)")
    cost_usd_t: MixFigure = Field(description="US dollars per tonne of CO2")
    sustainable_gt: MixFigure = Field(description="What the literature calls sustainable in 2050, GtCO2/yr")
    potential_gt: MixLimit = Field(description="The method's potential in 2050: the stepper stops here")
    storage: Literal["permanent", "centuries", "reversible"]
    stays: Text = Field(description="How long the carbon stays away")
    risk: Text = Field(description="What can send it back (fire, plough) or what it costs nature")
    storage_source: str = Field(min_length=1)

    @field_validator("sustainable_gt")
    @classmethod
    def _has_range(cls, v: MixFigure) -> MixFigure:
        if v.range is None:
            raise ValueError("a sustainable potential needs a [low, high] range")
        return v

    def facts(self):
        from kiosk.models.removal_mix import MethodFacts

        return MethodFacts(
            id=self.id,
            land_mha=self.land_mha.per_gt(),
            energy_ej=self.energy_ej.per_gt(),
            cost_usd_t=self.cost_usd_t.per_gt(),
            sustainable_gt=self.sustainable_gt.range.span(),  # type: ignore[union-attr]
            max_gt=self.potential_gt.value,
            storage=self.storage,
        )


class MixCountry(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text = Field(description='As it reads in "about 2 × {country}": "Germany", "l’Allemagne"')
    area_mha: float = Field(gt=0, description="Area in million hectares (1 Mha = 10,000 km²)")
    source: str = Field(min_length=1)

    def country(self):
        from kiosk.models.removal_mix import Country

        return Country(self.id, self.area_mha, dict(self.name.root))


class MixValue(Strict):
    value: float = Field(gt=0)
    source: str = Field(min_length=1)


# Each template and the placeholders it must contain (checked at load, so a typo is an error
# with a line number instead of a sentence missing its number).
MIX_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "goal": ("{goal}",),
    "today": ("{today}",),
    "total": ("{total}",),
    "sustainable": ("{high}",),
    "land_value": ("{range}",),
    "land_times": ("{n}", "{country}"),
    "land_less": ("{country}",),
    "energy_value": ("{range}",),
    "energy_left_out": ("{methods}",),
    "cost_value": ("{range}",),
    "storage_permanent": ("{percent}",),
    "storage_centuries": ("{percent}",),
    "storage_reversible": ("{percent}",),
    "warn_sustainable": ("{method}", "{high}"),
    "warn_land": ("{country}",),
    "summary_reached": ("{total}", "{method}"),
    "summary_short": ("{total}", "{missing}", "{method}"),
    "others": ("{method}", "{permanent}", "{others_permanent}"),
    "others_first": ("{permanent}",),
}


class MixWords(Strict):
    """The screen's own words. {placeholders} are filled with numbers in the visitor's language."""

    goal: Text
    today: Text
    total: Text
    unit: Text = Field(description='"Gt a year", after each stepper value')
    sustainable: Text
    land: Text
    land_value: Text
    land_none: Text
    land_times: Text
    land_less: Text
    energy: Text
    energy_value: Text
    energy_left_out: Text
    cost: Text
    cost_value: Text
    storage: Text
    storage_permanent: Text
    storage_centuries: Text
    storage_reversible: Text
    rough: Text = Field(description='Marks a total that rests on unconfirmed figures: "rough estimate"')
    range_to: Text = Field(description='Joins a range whose low end is negative: "to", "bis"')
    warn_sustainable: Text
    warn_land: Text
    done: Text
    again: Text
    summary_empty: Text
    summary_reached: Text
    summary_short: Text
    others: Text
    others_first: Text
    increase: Text = Field(description="Accessible name of the + button")
    decrease: Text = Field(description="Accessible name of the − button")

    @model_validator(mode="after")
    def _placeholders(self) -> MixWords:
        for key, needed in MIX_PLACEHOLDERS.items():
            for lang, text in getattr(self, key).root.items():
                missing = [p for p in needed if p not in text]
                if missing:
                    raise ValueError(f"words.{key}.{lang} lacks {', '.join(missing)}")
        return self


PositiveGt = Annotated[float, Field(gt=0)]


class RemovalMixScreen(ScreenBase):
    type: Literal["removal_mix"]
    lead: Text
    goal_gt: MixValue = Field(description="Removal needed in 2050, GtCO2/yr: the goal bar's end")
    today_gt: MixValue = Field(description="Removal today, GtCO2/yr: shown on the goal bar for scale")
    step_gt: PositiveGt = Field(default=0.5, le=5, description="One touch of + or −, GtCO2/yr")
    world_energy_ej: MixValue = Field(description="World primary energy a year, EJ: the energy yardstick")
    countries: list[MixCountry] = Field(min_length=1, description="Yardsticks for land; localise freely")
    large_country: str = Field(description="Id of the country whose area triggers the land warning")
    methods: list[MixMethod] = Field(min_length=2, max_length=6)
    words: MixWords

    @model_validator(mode="after")
    def _known_ids(self) -> RemovalMixScreen:
        ids = [c.id for c in self.countries]
        if self.large_country not in ids:
            raise ValueError(f"large_country {self.large_country!r} is not a country id (known: {', '.join(ids)})")
        methods = [m.id for m in self.methods]
        dupes = sorted({i for i in methods if methods.count(i) > 1})
        if dupes:
            raise ValueError(f"method id {dupes[0]!r} is used twice")
        return self

    def settings(self):
        from kiosk.models.removal_mix import MixSettings

        large = next(c for c in self.countries if c.id == self.large_country)
        return MixSettings(
            goal_gt=self.goal_gt.value, world_energy_ej=self.world_energy_ej.value, large_country_mha=large.area_mha
        )

    def method_facts(self) -> list:
        return [m.facts() for m in self.methods]

    def yardsticks(self) -> list:
        return [c.country() for c in self.countries]

    @property
    def large(self) -> MixCountry:
        return next(c for c in self.countries if c.id == self.large_country)
