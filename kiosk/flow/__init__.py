"""Particle simulation of CO2 flows on numpy arrays. No Qt in this package."""
