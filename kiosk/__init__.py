"""Negative-emissions exhibition kiosk."""

# The one place the version lives: pyproject.toml, the CLI and the packaging read it from here.
__version__ = "0.1.0"
