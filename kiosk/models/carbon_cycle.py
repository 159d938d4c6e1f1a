"""The carbon bathtub's model: CO2 in the air and warming from a world emission path, 2025-2100.

Data in, numbers out; no Qt (an import-linter contract in pyproject.toml checks it).

Carbon cycle: the impulse response of Joos et al. (2013), ACP 13, 2793, multi-model mean, the
function IPCC AR5 uses: of a pulse of CO2, a share a0 stays for good and shares a1..a3 decay
with time constants tau1..tau3. Written as four boxes, each step is exact for emissions that are
constant over the year.

Anchored at 2025. Run over every emission since 1750 (GCB 2024, shipped in `data/`), this
response puts 2025 some 40-50 ppm too high (it was fitted to a pulse on today's climate). So the
boxes filled by the historical emissions are rescaled, one factor for the two slow boxes and one
for the two fast ones, so that in 2025 they hold the observed excess over pre-industrial (425.7
ppm) and, with that year's 42.2 Gt, 46 % of the emissions stay in the air (IPCC AR6 WGI ch. 5,
2010-2019; the same shares the flows screen shows). From then on the historical boxes decay on
their own, the existing excess slowly declines, and emissions from 2025 fill the boxes
unscaled.

Warming: the remaining budgets published by the Global Carbon Budget 2025 (1.5 °C: 170, 1.7 °C:
525, 2 °C: 1,055 GtCO2 from 1 January 2026) already include the warming of the other gases that
accompanies CO2. TCRE alone (0.45 °C per 1,000 GtCO2, IPCC AR6 WGI SPM D.1.1) would put 1.5 °C
some 310 Gt away, not 170. So the central warming uses the *effective rate the budgets imply*:
piecewise linear in CO2 emitted since 2026 through (0 Gt, warming so far), (170 Gt, 1.5 °C),
(525 Gt, 1.7 °C), (1,055 Gt, 2.0 °C), the last slope beyond; the warming therefore crosses
1.5 °C exactly when the 1.5 °C budget runs out. The likely range scales the added warming by
TCRE's likely range over its best estimate (0.27/0.45 to 0.63/0.45). After net zero the warming
stays where it is (AR6: zero-emissions commitment near 0); net removal brings it down along the
same line.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
HISTORICAL_EMISSIONS = DATA_DIR / "gcb2024_historical_emissions.csv"
GTCO2_PER_GTC = 3.664  # GCB, molar mass ratio 44.01 / 12.011


# Where the constants below come from, as a visitor reads them in the screen's footer (the
# content's `sources:` must name each; tests/test_visible_sources.py checks the screen shows them).
MODEL_SOURCES = ("Global Carbon Budget 2025", "Joos et al. 2013", "IPCC AR6 WGI", "Forster et al. 2025")


@dataclass(frozen=True)
class Constants:
    """Every number of the model with its source (shown on screen through content.yaml)."""

    start_year: int = 2025
    start_ppm: float = 425.7  # Global Carbon Budget 2025 (Friedlingstein et al., ESSD 18, 3211, 2026)
    start_emissions_gt: float = 42.2  # GtCO2/yr, 2025: fossil 38.1 + land use 4.1 (GCB 2025)
    # Share of each year's emissions that stays in the air, 2010-2019 (IPCC AR6 WGI ch. 5).
    airborne_share: float = 0.46
    preindustrial_ppm: float = 278.0  # GCB 2025 ("about 53 % above pre-industrial ~278 ppm")
    gtco2_per_ppm: float = 2.124 * GTCO2_PER_GTC  # 7.78: GCB 2025 Table 1; IPCC AR6 WGI Table 5.1
    # Joos et al. 2013, ACP 13, 2793, Table 5 multi-model mean (also FaIR's default CO2 response).
    pulse_shares: tuple[float, float, float, float] = (0.2173, 0.2240, 0.2824, 0.2763)
    pulse_lifetimes_yr: tuple[float, float, float, float] = (math.inf, 394.4, 36.54, 4.304)
    # IPCC AR6 WGI SPM D.1.1: 0.45 °C per 1,000 GtCO2, likely 0.27-0.63.
    tcre_per_1000gt: float = 0.45
    tcre_likely: tuple[float, float] = (0.27, 0.63)
    # Human-induced warming in 2024 (Forster et al. 2025, ESSD 17, 2641).
    warming_so_far_c: float = 1.36
    # Remaining budgets from 1 January 2026, 50 % chance (Global Carbon Budget 2025): (°C, GtCO2).
    budgets: tuple[tuple[float, float], ...] = ((1.5, 170.0), (1.7, 525.0), (2.0, 1055.0))

    def budget_for(self, limit_c: float) -> float:
        for limit, gt in self.budgets:
            if abs(limit - limit_c) < 1e-9:
                return gt
        raise KeyError(f"no published budget for {limit_c} °C")


@dataclass(frozen=True)
class Path_:
    """An emission path: gross emissions and removal (GtCO2/yr) at some years, straight lines between.

    Net emissions = emissions - removal. Before the first and after the last point the values hold.
    """

    emissions: tuple[tuple[float, float], ...]
    removal: tuple[tuple[float, float], ...] = ()

    def gross(self, years: np.ndarray) -> np.ndarray:
        return _interp(years, self.emissions)

    def removed(self, years: np.ndarray) -> np.ndarray:
        return _interp(years, self.removal) if self.removal else np.zeros_like(years, dtype=float)

    def net(self, years: np.ndarray) -> np.ndarray:
        return self.gross(years) - self.removed(years)


EmissionPath = Path_


def _interp(years: np.ndarray, points) -> np.ndarray:
    pts = sorted(points)
    xs = np.array([p[0] for p in pts], dtype=float)
    ys = np.array([p[1] for p in pts], dtype=float)
    return np.interp(np.asarray(years, dtype=float), xs, ys)


@dataclass(frozen=True)
class Run:
    """A path played through the model: one value per year, `years[0]` = the start year.

    `emissions`, `removal`, `net`: GtCO2 in that year. `ppm`: CO2 in the air, annual mean.
    `sinks`: what ocean and land took up that year (GtCO2, net emissions minus the rise in the air).
    `emitted_since_start`: net GtCO2 from the start of the budget year (1 Jan 2026) to the end of
    that year. `budget_left`: the 1.5 °C budget minus that. `warming`, `warming_low`,
    `warming_high`: °C above pre-industrial, central and likely range.
    """

    years: np.ndarray
    emissions: np.ndarray
    removal: np.ndarray
    net: np.ndarray
    ppm: np.ndarray
    sinks: np.ndarray
    emitted_since_start: np.ndarray
    budget_left: np.ndarray
    warming: np.ndarray
    warming_low: np.ndarray
    warming_high: np.ndarray
    constants: Constants = field(default_factory=Constants)

    def at(self, year: int) -> int:
        return int(round(year - self.years[0]))

    def ppm_in(self, year: int) -> float:
        return float(self.ppm[self.at(year)])

    def warming_in(self, year: int) -> float:
        return float(self.warming[self.at(year)])

    @property
    def peak_ppm(self) -> tuple[int, float]:
        i = int(np.argmax(self.ppm))
        return int(self.years[i]), float(self.ppm[i])

    def budget_gone_year(self) -> int | None:
        """The first year by whose end the 1.5 °C budget is used up, or None."""
        gone = np.flatnonzero(self.budget_left <= 0.0)
        return int(self.years[gone[0]]) if len(gone) else None


def load_historical(path: Path = HISTORICAL_EMISSIONS) -> tuple[np.ndarray, np.ndarray]:
    """(years, emissions in GtCO2/yr) from the shipped Global Carbon Budget file."""
    years, values = [], []
    with open(path, encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for row in rows:
            years.append(int(row["year"]))
            values.append((float(row["fossil"]) + float(row["land_use"])) * GTCO2_PER_GTC)
    return np.array(years), np.array(values)


class CarbonCycle:
    """Plays emission paths through the Joos et al. (2013) response, anchored at 2025."""

    def __init__(self, constants: Constants | None = None, historical: tuple[np.ndarray, np.ndarray] | None = None):
        self.c = constants or Constants()
        c = self.c
        self.shares = np.array(c.pulse_shares, dtype=float)
        tau = np.array(c.pulse_lifetimes_yr, dtype=float)
        # One year of constant emissions E adds a_i * E * tau_i * (1 - exp(-1/tau_i)) to box i
        # (E * a_i for the permanent box) and box i keeps exp(-1/tau_i) of what it held.
        self.keep = np.exp(-1.0 / tau)
        with np.errstate(invalid="ignore"):
            self.fill = np.where(np.isinf(tau), 1.0, tau * (1.0 - self.keep))
        years, emissions = historical if historical is not None else load_historical()
        boxes = np.zeros(4)
        for e in emissions[years < c.start_year]:
            boxes = self._step(boxes, float(e))
        self.unscaled_history_ppm = c.preindustrial_ppm + boxes.sum() / c.gtco2_per_ppm
        self.history_scale = self._anchor(boxes)
        self.history_boxes = boxes * self.history_scale

    def _anchor(self, boxes: np.ndarray) -> np.ndarray:
        """Scales for the historical boxes so that 2025 matches what is observed.

        Two conditions, two unknowns (one scale for the slow boxes a0, a1, one for the fast a2, a3):
        the excess over pre-industrial is the observed one (425.7 ppm), and of the start year's
        emissions the observed share stays in the air (46 %, IPCC AR6 WGI ch. 5, 2010-2019),
        i.e. the sinks take the rest. The response alone keeps too much in the slow boxes.
        """
        c = self.c
        slow = np.array([1.0, 1.0, 0.0, 0.0])
        fast = 1.0 - slow
        decline = boxes * (1.0 - self.keep)  # what each box loses in one year
        first_year_fill = float((self.shares * self.fill).sum() * c.start_emissions_gt)
        lhs = np.array(
            [[(boxes * slow).sum(), (boxes * fast).sum()], [(decline * slow).sum(), (decline * fast).sum()]]
        )
        rhs = np.array(
            [
                (c.start_ppm - c.preindustrial_ppm) * c.gtco2_per_ppm,
                first_year_fill - c.airborne_share * c.start_emissions_gt,
            ]
        )
        s_slow, s_fast = np.linalg.solve(lhs, rhs)
        return s_slow * slow + s_fast * fast

    def _step(self, boxes: np.ndarray, emissions: float) -> np.ndarray:
        return boxes * self.keep + self.shares * self.fill * emissions

    def run(self, path: Path_, end_year: int = 2100) -> Run:
        c = self.c
        years = np.arange(c.start_year, end_year + 1)
        gross = path.gross(years)
        removed = path.removed(years)
        net = gross - removed
        ppm = np.empty(len(years))
        boxes = self.history_boxes.copy()
        for i in range(len(years)):
            ppm[i] = c.preindustrial_ppm + boxes.sum() / c.gtco2_per_ppm
            boxes = self._step(boxes, float(net[i]))
        # Sinks in year y: what was emitted net minus what the air gained from y to y+1.
        after = c.preindustrial_ppm + boxes.sum() / c.gtco2_per_ppm
        rise_gt = np.diff(np.append(ppm, after)) * c.gtco2_per_ppm
        sinks = net - rise_gt
        # Budgets count from 1 January 2026: the start year's emissions are before it.
        counted = np.where(years > c.start_year, net, 0.0)
        since = np.cumsum(counted)
        budget_left = c.budget_for(1.5) - since
        central, low, high = self.warming(since)
        return Run(years, gross, removed, net, ppm, sinks, since, budget_left, central, low, high, c)

    # -- warming ----------------------------------------------------------------------------------
    def warming(self, emitted_since_start: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Central, low and high warming (°C) after emitting this much CO2 since 1 Jan 2026."""
        c = self.c
        cum = np.asarray(emitted_since_start, dtype=float)
        xs = [0.0] + [gt for _, gt in c.budgets]
        ys = [c.warming_so_far_c] + [limit for limit, _ in c.budgets]
        first = (ys[1] - ys[0]) / (xs[1] - xs[0])
        last = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
        central = np.interp(cum, xs, ys)
        central = np.where(cum < 0, ys[0] + first * cum, central)
        central = np.where(cum > xs[-1], ys[-1] + last * (cum - xs[-1]), central)
        added = central - c.warming_so_far_c
        lo, hi = (r / c.tcre_per_1000gt for r in c.tcre_likely)
        low = c.warming_so_far_c + added * np.where(added >= 0, lo, hi)
        high = c.warming_so_far_c + added * np.where(added >= 0, hi, lo)
        return central, low, high

    def co2_only_warming(self, emitted_since_start: np.ndarray) -> np.ndarray:
        """Warming so far plus TCRE times CO2 emitted: what TCRE alone would say (for comparison)."""
        c = self.c
        return c.warming_so_far_c + c.tcre_per_1000gt * np.asarray(emitted_since_start, dtype=float) / 1000.0


@lru_cache(maxsize=1)
def default_cycle() -> CarbonCycle:
    """The model with the shipped constants and history (built once: it replays 275 years)."""
    return CarbonCycle()
