"""Models behind the interactive screens: numbers in, numbers out. No Qt in this package
(an import-linter contract checks it).

- `kiosk.models.carbon_cycle`: CO2 in the air and warming from an emission path (the carbon bathtub).
- `kiosk.models.removal_mix`: land, energy, cost and permanence of a 2050 removal mix.
"""
