"""Where the kiosk finds its content, so operators can change it without a rebuild.

Order: `--content PATH`; `content.yaml` in the working folder or next to the executable (a frozen
bundle); the per-user config folder; the defaults shipped with the program.
"""

from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import user_config_path

APP_NAME = "negative-emissions-kiosk"
CONTENT_NAME = "content.yaml"


def bundled_root() -> Path:
    """The folder holding the shipped content.yaml and assets/ (the repo, or the frozen bundle)."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parent.parent


def candidates(explicit: Path | None = None) -> list[Path]:
    if explicit is not None:
        return [explicit]
    found = [Path.cwd() / CONTENT_NAME]
    if getattr(sys, "frozen", False):
        found.append(Path(sys.executable).resolve().parent / CONTENT_NAME)
    found.append(user_config_path(APP_NAME) / CONTENT_NAME)
    found.append(bundled_root() / CONTENT_NAME)
    return found


def find_content(explicit: Path | None = None) -> Path:
    """The first content file that exists; with `explicit` always that path, existing or not."""
    options = candidates(explicit)
    for path in options:
        if path.is_file():
            return path
    return options[0]
