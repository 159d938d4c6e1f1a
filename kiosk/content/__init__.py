"""Content: the typed model of content.yaml, its loader and checks. No Qt in this package."""

# model.py imports the screen types that live in their own modules (removal_mix) and they build
# on model.py's classes: importing model first makes either import order work.
from kiosk.content import model as _model  # noqa: E402,F401
