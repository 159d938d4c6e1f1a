"""FaIR 2.x (Leach et al. 2021, GMD 14, 3007; `pip install fair`) as the reference carbon cycle.

A CO2-only run: species CO2 FFI, CO2 AFOLU and CO2 with the properties FaIR ships
(`read_properties`), Myhre et al. 1998 forcing, a three-layer energy balance with illustrative
parameters from FaIR's documentation, spun up from pre-industrial (1750, 278.3 ppm, empty carbon
pools) with the Global Carbon Budget's historical emissions (the file the kiosk ships), then the
path from 2025. FaIR's own level in 2025 differs from the observed 425.7 ppm, so its change from
2025 is compared, added to 425.7 ppm: the same anchor the kiosk's model uses.
"""

from __future__ import annotations

import warnings

import numpy as np

from kiosk.models.carbon_cycle import EmissionPath, load_historical

START, END = 1750, 2100


def fair_ppm(paths: dict[str, EmissionPath], anchor_year: int = 2025, anchor_ppm: float = 425.7) -> dict[str, np.ndarray]:
    """{name: ppm for each year anchor_year..END} from one FaIR run of all paths."""
    from fair import FAIR
    from fair.interface import fill, initialise
    from fair.io import read_properties

    hist_years, hist_gt = load_historical()
    f = FAIR(ghg_method="myhre1998")
    f.define_time(START, END + 1, 1)
    names = list(paths)
    f.define_scenarios(names)
    f.define_configs(["central"])
    species, properties = read_properties(species=["CO2 FFI", "CO2 AFOLU", "CO2"])
    f.define_species(species, properties)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas/xarray deprecation chatter inside FaIR
        f.allocate()
        f.fill_species_configs()
        years = np.arange(START, END + 1)  # FaIR's emission time points are years + 0.5
        for name in names:
            gt = np.where(years < anchor_year, np.interp(years, hist_years, hist_gt), paths[name].net(years))
            fill(f.emissions, gt[:, None], scenario=name, specie="CO2 FFI")
            fill(f.emissions, 0.0, scenario=name, specie="CO2 AFOLU")  # land use is inside the totals
        fill(f.climate_configs["ocean_heat_capacity"], [8, 14, 100], config="central")
        fill(f.climate_configs["ocean_heat_transfer"], [1.1, 1.6, 0.9], config="central")
        fill(f.climate_configs["deep_ocean_efficacy"], 1.1, config="central")
        initialise(f.concentration, 278.3, specie="CO2")
        initialise(f.forcing, 0)
        initialise(f.temperature, 0)
        initialise(f.cumulative_emissions, 0)
        initialise(f.airborne_emissions, 0)
        f.run(progress=False)
    bounds = list(np.asarray(f.timebounds).astype(int))
    i0, i1 = bounds.index(anchor_year), bounds.index(END)
    out = {}
    for name in names:
        conc = f.concentration.sel(specie="CO2", config="central", scenario=name).values
        out[name] = conc[i0 : i1 + 1] - conc[i0] + anchor_ppm
    out["_fair_level_in_anchor_year"] = np.array([float(f.concentration.sel(specie="CO2", config="central", scenario=names[0]).values[i0])])
    return out
