"""Content: the typed model of content.yaml, its loader and checks. No Qt in this package."""

# The model first: it imports the screen types that live in modules of their own (bathtub.py,
# removal_mix.py) part-way through, after the base classes they build on. Importing such a module
# first would otherwise meet a half-built model.
from kiosk.content import model as _model  # noqa: E402,F401
