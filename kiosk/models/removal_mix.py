"""The arithmetic behind "build your 2050 removal mix": totals, ranges, warnings, comparisons.

Data in, numbers out: the screen hands in the amount of each method (GtCO2 a year) and draws
what comes back. No Qt and no content classes here, so the sums are tested on their own.

Every figure per 1 GtCO2 a year is a range (low, high) because the literature gives one; a total
is the sum of the lows and the sum of the highs, never a single precise number. Figures the fact
sheet could not confirm are flagged `rough` and make any total they enter "rough" too; a figure
nobody has found (`None`) is left out of the total, and the result says which methods it left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Literal, Mapping

from kiosk.content.numbers import format_number

Storage = Literal["permanent", "centuries", "reversible"]
STORAGE_KINDS: tuple[Storage, ...] = ("permanent", "centuries", "reversible")
EPS = 1e-9


@dataclass(frozen=True)
class Span:
    """A range from the literature, low <= high (equal ends for a point value)."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high)) or self.low > self.high:
            raise ValueError(f"a range needs finite low <= high, not {self.low}..{self.high}")

    def __add__(self, other: Span) -> Span:
        return Span(self.low + other.low, self.high + other.high)

    def scaled(self, factor: float) -> Span:
        a, b = self.low * factor, self.high * factor
        return Span(min(a, b), max(a, b))

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2


ZERO = Span(0.0, 0.0)


@dataclass(frozen=True)
class PerGt:
    """One resource a method needs per 1 GtCO2 a year removed."""

    span: Span | None  # None: no figure found; left out of totals
    rough: bool = False  # the fact sheet marks it unconfirmed: shown as a rough estimate


@dataclass(frozen=True)
class MethodFacts:
    id: str
    land_mha: PerGt  # million hectares per GtCO2/yr
    energy_ej: PerGt  # exajoules a year per GtCO2/yr (energy used; producers count as 0)
    cost_usd_t: PerGt  # US dollars per tonne CO2 (= billion USD a year per GtCO2/yr)
    sustainable_gt: Span  # what the literature calls a sustainable amount in 2050
    max_gt: float  # the most the stepper offers (the method's potential); above it: refused
    storage: Storage


@dataclass(frozen=True)
class Country:
    id: str
    area_mha: float
    names: Mapping[str, str]  # language -> name as it reads in a sentence ("la France")

    def name(self, lang: str, fallback: str = "en") -> str:
        return self.names.get(lang) or self.names.get(fallback) or next(iter(self.names.values()), self.id)


@dataclass(frozen=True)
class MixSettings:
    goal_gt: float = 8.75  # removal needed in 2050 (State of CDR, 3rd ed.)
    world_energy_ej: float = 600.0  # world primary energy a year, the yardstick for energy
    large_country_mha: float = 328.7  # a mix whose land (middle of its range) exceeds this is warned about


class MixRefused(ValueError):
    """A mix the model will not evaluate: an unknown method, a negative amount, or more than a
    method's potential."""


@dataclass(frozen=True)
class MixWarning:
    kind: Literal["past_sustainable", "land_over_large_country"]
    method_id: str | None = None
    amount_gt: float = 0.0
    limit: Span | float | None = None


@dataclass(frozen=True)
class MixResult:
    amounts: dict[str, float]
    total_gt: float
    goal_gt: float
    land_mha: Span
    land_rough: bool
    energy_ej: Span
    energy_rough: bool
    energy_left_out: tuple[str, ...]  # methods in the mix whose energy use no source gives
    energy_share: Span  # fraction of world primary energy
    cost_busd: Span  # billion US dollars a year
    cost_rough: bool
    storage_gt: dict[str, float]  # permanent / centuries / reversible
    warnings: tuple[MixWarning, ...] = field(default_factory=tuple)

    @property
    def goal_reached(self) -> bool:
        return self.total_gt >= self.goal_gt - EPS

    @property
    def goal_fraction(self) -> float:
        return self.total_gt / self.goal_gt if self.goal_gt > 0 else 0.0

    def storage_share(self, kind: Storage) -> float:
        return self.storage_gt.get(kind, 0.0) / self.total_gt if self.total_gt > 0 else 0.0

    @property
    def largest_method(self) -> str | None:
        """The method carrying most of the mix (the first one listed on a tie), or None if empty."""
        best = max(self.amounts.items(), key=lambda kv: kv[1], default=(None, 0.0))
        return best[0] if best[1] > 0 else None


def evaluate(methods: Iterable[MethodFacts], amounts: Mapping[str, float], settings: MixSettings) -> MixResult:
    """Totals, ranges and warnings for a mix; raises MixRefused for a mix above any potential."""
    facts = {m.id: m for m in methods}
    unknown = sorted(set(amounts) - set(facts))
    if unknown:
        raise MixRefused(f"unknown method {unknown[0]!r} (known: {', '.join(facts)})")
    clean: dict[str, float] = {}
    for mid, method in facts.items():
        amount = float(amounts.get(mid, 0.0))
        if not math.isfinite(amount) or amount < 0:
            raise MixRefused(f"{mid}: {amount} GtCO2/yr is not a removal")
        if amount > method.max_gt + EPS:
            raise MixRefused(f"{mid}: {amount} GtCO2/yr is above its potential of {method.max_gt}")
        clean[mid] = amount

    land = energy = cost = ZERO
    land_rough = energy_rough = cost_rough = False
    left_out: list[str] = []
    storage = {kind: 0.0 for kind in STORAGE_KINDS}
    warnings: list[MixWarning] = []
    for mid, amount in clean.items():
        method = facts[mid]
        if amount <= 0:
            continue
        storage[method.storage] += amount
        if method.land_mha.span is not None:
            land = land + method.land_mha.span.scaled(amount)
            land_rough |= method.land_mha.rough  # "no extra land" unconfirmed is a rough 0 too
        if method.energy_ej.span is None:
            left_out.append(mid)
        else:
            energy = energy + method.energy_ej.span.scaled(amount)
            energy_rough |= method.energy_ej.rough
        if method.cost_usd_t.span is not None:
            cost = cost + method.cost_usd_t.span.scaled(amount)
            cost_rough |= method.cost_usd_t.rough
        if amount > method.sustainable_gt.high + EPS:
            warnings.append(MixWarning("past_sustainable", mid, amount, method.sustainable_gt))
    if land.mid > settings.large_country_mha + EPS:
        warnings.append(MixWarning("land_over_large_country", None, 0.0, settings.large_country_mha))
    share = energy.scaled(1 / settings.world_energy_ej) if settings.world_energy_ej > 0 else ZERO
    return MixResult(
        amounts=clean,
        total_gt=sum(clean.values()),
        goal_gt=settings.goal_gt,
        land_mha=land,
        land_rough=land_rough,
        energy_ej=energy,
        energy_rough=energy_rough,
        energy_left_out=tuple(left_out),
        energy_share=share,
        cost_busd=cost,
        cost_rough=cost_rough,
        storage_gt=storage,
        warnings=tuple(warnings),
    )


# -- words: numbers and comparisons as a visitor reads them -------------------------------------


def round_multiple(x: float) -> float:
    """How many times a country: halves below 3 ("1.5 ×"), whole numbers up to 20, then fives."""
    if x < 3:
        return max(0.5, round(x * 2) / 2)
    if x <= 20:
        return float(round(x))
    return float(round(x / 5) * 5)


def format_span(span: Span, lang: str, decimals: int = 0, to_word: str = "–") -> str:
    """ "150–290" (a range), "150" (equal ends once rounded), or "−20 to 400" when the low end is
    negative (a dash after a minus sign reads as another minus)."""
    low, high = format_number(span.low, lang, decimals), format_number(span.high, lang, decimals)
    if low == high:
        return low
    joiner = f" {to_word.strip()} " if span.low < 0 and to_word.strip() != "–" else "–"
    return f"{low}{joiner}{high}"


def pick_country(area_mha: float, countries: Iterable[Country]) -> Country | None:
    """The yardstick for an area: the largest country that fits into it at least once (so the
    multiple stays small), else the smallest country there is."""
    ordered = sorted(countries, key=lambda c: c.area_mha)
    if not ordered:
        return None
    fitting = [c for c in ordered if c.area_mha <= area_mha + EPS]
    return fitting[-1] if fitting else ordered[0]


def compare_land(
    land: Span,
    countries: Iterable[Country],
    lang: str,
    *,
    times: str,
    less_than: str,
    none: str,
) -> str:
    """The land of a mix against a familiar country, in the visitor's language.

    `times` has {n} and {country} ("about {n} × {country}"), `less_than` has {country}, `none`
    is said when the mix needs no extra land. The country is chosen for the middle of the range;
    the multiple keeps the range: "about 3–8 × Germany".
    """
    if land.high <= EPS:
        return none
    country = pick_country(land.mid, countries)
    if country is None:
        return ""
    name = country.name(lang)
    lo, hi = round_multiple(land.low / country.area_mha), round_multiple(land.high / country.area_mha)
    if land.high < country.area_mha:
        return less_than.replace("{country}", name)  # only when even the smallest country is larger
    lo_text = format_number(lo, lang, 0 if lo.is_integer() else 1)
    hi_text = format_number(hi, lang, 0 if hi.is_integer() else 1)
    n = hi_text if lo == hi else f"{lo_text}–{hi_text}"
    return times.replace("{n}", n).replace("{country}", name)


def percent_decimals(share: Span) -> int:
    """One decimal for shares under 10 % (0.8–2.5 %, not "1–2 %"), none above."""
    return 1 if share.high * 100 < 10 else 0


# -- the ending: this visitor against the visitors before ----------------------------------------


@dataclass(frozen=True)
class OthersSummary:
    count: int
    most_relied_on: str | None  # the method most mixes leaned on most
    mean_permanent_share: float
    reached_goal: int


def largest_part(parts: Mapping[str, float]) -> str | None:
    best = max(parts.items(), key=lambda kv: kv[1], default=(None, 0.0))
    return best[0] if best[1] > 0 else None


def summarize_others(mixes: Iterable[tuple[Mapping[str, float], float, float]]) -> OthersSummary:
    """`mixes`: (GtCO2/yr per method, permanent share 0..1, goal GtCO2/yr) of earlier visitors.

    Only counts and averages come out: nobody's single mix can be read back from them once a few
    visitors have played (the kiosk shows "most visitors today relied on forests").
    """
    leaders: dict[str, int] = {}
    shares: list[float] = []
    reached = 0
    for parts, permanent, goal in mixes:
        lead = largest_part(parts)
        if lead is None:
            continue
        leaders[lead] = leaders.get(lead, 0) + 1
        shares.append(permanent)
        reached += sum(parts.values()) >= goal - EPS
    most = max(leaders, key=lambda k: leaders[k]) if leaders else None  # first seen wins a tie
    mean = sum(shares) / len(shares) if shares else 0.0
    return OthersSummary(len(shares), most, mean, reached)
