"""Models behind the interactive screens: numbers in, numbers out. No Qt in this package.

- `kiosk.models.carbon_cycle`: CO2 in the air and warming from an emission path (the carbon bathtub).
"""
