"""Particle simulation of CO2 flows on numpy arrays. No Qt in this package.

- `kiosk.flow.sim.FlowSim`: particles per link at rate / dot_value_gt per second, moved by `step(dt)`.
- `kiosk.flow.paths`: node positions for a screen size (portrait or landscape) and arc-length paths.
- `kiosk.flow.series`: chart series from inline points or CSV columns (Our World in Data layout).
"""
