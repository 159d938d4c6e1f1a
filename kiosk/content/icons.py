"""Icon names content.yaml may use: the glyphs of the icon fonts qtawesome bundles.

An icon is written as `prefix.name`, e.g. `mdi6.pine-tree` (Material Design Icons 6) or
`ph.factory` (Phosphor). The names come from qtawesome's own charmap files, read here as plain
JSON: importing qtawesome would import Qt, and `kiosk check` and the content model stay Qt-free
(import-linter contract in pyproject.toml).
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path

# The icon sets qtawesome ships, by prefix, and the start of their charmap file names.
# Material Design Icons 6 and Phosphor are the ones the shipped content uses; the rest are
# accepted because qtawesome draws them just as well (all are under open licences).
ICON_SETS: dict[str, str] = {
    "mdi6": "materialdesignicons6-webfont-charmap",
    "mdi": "materialdesignicons5-webfont-charmap",
    "ph": "phosphor-charmap",
    "fa6": "fontawesome6-regular-webfont-charmap",
    "fa6s": "fontawesome6-solid-webfont-charmap",
    "fa6b": "fontawesome6-brands-webfont-charmap",
    "fa5": "fontawesome5-regular-webfont-charmap",
    "fa5s": "fontawesome5-solid-webfont-charmap",
    "fa5b": "fontawesome5-brands-webfont-charmap",
    "ei": "elusiveicons-webfont-charmap",
    "ri": "remixicon-charmap",
    "msc": "codicon-charmap",
}

# The JSON Schema cannot list all ~20,000 names (it would grow by ~400 kB and slow every editor
# down); it checks the shape with this pattern and offers these names as examples instead.
# `kiosk check` knows every name and suggests the nearest one.
ICON_PATTERN = r"^(" + "|".join(sorted(ICON_SETS, key=len, reverse=True)) + r")\.[a-z0-9]+(-[a-z0-9]+)*$"
EXAMPLES = [
    "mdi6.factory",
    "mdi6.axe",
    "mdi6.weather-windy",
    "mdi6.waves",
    "mdi6.sprout",
    "mdi6.pine-tree",
    "mdi6.forest",
    "mdi6.layers-triple",
    "mdi6.fan",
    "mdi6.fire",
    "mdi6.grain",
    "mdi6.terrain",
    "mdi6.molecule-co2",
    "mdi6.account-group",
    "ph.factory",
    "ph.tree",
    "ph.drop",
]


def fonts_dir() -> Path | None:
    """qtawesome's bundled fonts folder, found without importing the package (it imports Qt)."""
    try:
        spec = importlib.util.find_spec("qtawesome")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "fonts"
        if folder.is_dir():
            return folder
    return None


def _charmap_path(prefix: str) -> Path | None:
    folder = fonts_dir()
    stem = ICON_SETS.get(prefix)
    if folder is None or stem is None:
        return None
    for path in sorted(folder.glob(f"{stem}-*.json")):
        if re.fullmatch(re.escape(stem) + r"-\d[\d.]*\.json", path.name):
            return path  # "materialdesignicons5-..." must not also match another set's stem
    return None


@lru_cache(maxsize=None)
def charmap(prefix: str) -> dict[str, str]:
    """Icon name -> code point (hex, as qtawesome stores it) of one set; empty if unknown."""
    path = _charmap_path(prefix)
    if path is None:
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def font_file(prefix: str) -> Path | None:
    """The TTF of one icon set (next to its charmap: same stem without "-charmap")."""
    path = _charmap_path(prefix)
    if path is None:
        return None
    ttf = path.with_name(path.name.replace("-charmap", "").replace(".json", ".ttf"))
    return ttf if ttf.is_file() else None


@lru_cache(maxsize=1)
def icon_names() -> frozenset[str]:
    """Every valid icon name, `prefix.name`, from qtawesome's charmap files."""
    return frozenset(f"{prefix}.{name}" for prefix in ICON_SETS for name in charmap(prefix))


def is_icon(name: str) -> bool:
    return name in icon_names()


def unknown_icon_message(name: str) -> str:
    """What `kiosk check` says about an icon name that is not in any set, with a suggestion."""
    names = icon_names()
    if not names:
        return f"unknown icon '{name}': the icon sets are not installed (pip install qtawesome)"
    if "/" in name or "\\" in name or name.lower().endswith((".png", ".svg", ".jpg", ".jpeg", ".gif")):
        return f"unknown icon '{name}': an icon is a name from the icon sets, not a file; write set.name, e.g. 'mdi6.pine-tree'"
    prefix, dot, rest = name.partition(".")
    if not dot or prefix not in ICON_SETS:
        sets = ", ".join(sorted(ICON_SETS))
        # "pine-tree" alone: the same name in one of the sets (preferred sets first).
        bare = rest if dot else name
        hint = next((f"{p}.{bare}" for p in ICON_SETS if f"{p}.{bare}" in names), None)
        message = f"unknown icon '{name}': write it as set.name, e.g. 'mdi6.pine-tree' (sets: {sets})"
        return message + (f"; did you mean '{hint}'?" if hint else "")
    hint = _nearest(name, [n for n in names if n.startswith(prefix + ".")])
    message = f"unknown icon '{name}'"
    if hint:
        return message + f", did you mean '{hint}'?"
    return message + f" (browse the names with `qta-browser`, or see {_browse_url(prefix)})"


def _nearest(name: str, candidates) -> str | None:
    hits = difflib.get_close_matches(name.lower(), list(candidates), n=1, cutoff=0.6)
    return hits[0] if hits else None


def _browse_url(prefix: str) -> str:
    if prefix.startswith("mdi"):
        return "https://pictogrammers.com/library/mdi/"
    if prefix == "ph":
        return "https://phosphoricons.com/"
    return "https://github.com/spyder-ide/qtawesome"
