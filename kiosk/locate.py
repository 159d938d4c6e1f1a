"""Where the kiosk finds its content, so operators can change it without a rebuild.

A content file names its assets (fonts, images, icons) relative to the folder that holds it, so
"content" below always means `content.yaml` together with the `assets/` folder beside it.

Order, first existing file wins:

1. `--content PATH` (always that path, existing or not: a typo must be reported, not papered over);
2. from source only (not frozen): `content.yaml` in the working folder;
3. frozen only: `content.yaml` next to the executable (and, for a macOS app, next to the `.app`);
4. the per-user config folder, `platformdirs.user_config_path(APP_NAME)`:
   Linux `~/.config/negative-emissions-kiosk/`,
   Windows `%LOCALAPPDATA%\\negative-emissions-kiosk\\negative-emissions-kiosk\\`,
   macOS `~/Library/Application Support/negative-emissions-kiosk/`;
5. the defaults shipped with the program (`bundled_root()`).

A frozen kiosk ignores the working folder on purpose: started by systemd, xinit or a desktop
autostart its working folder is the user's home, and a stray `content.yaml` there must not silently
replace the exhibition.
"""

from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import user_config_path

APP_NAME = "negative-emissions-kiosk"
CONTENT_NAME = "content.yaml"


def is_frozen() -> bool:
    """True inside a PyInstaller bundle (or any freezer that sets `sys.frozen`)."""
    return bool(getattr(sys, "frozen", False))


def bundled_root() -> Path:
    """The folder holding the shipped content.yaml and assets/ (the repo, or the frozen bundle)."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).resolve().parent))
    return Path(__file__).resolve().parent.parent


def executable_dirs() -> list[Path]:
    """Folders an operator sees as "where the program is": next to the executable, or the .app."""
    exe_dir = Path(sys.executable).resolve().parent
    found = [exe_dir]
    # macOS: the executable is X.app/Contents/MacOS/X; operators put content beside X.app.
    if exe_dir.name == "MacOS" and exe_dir.parent.name == "Contents" and exe_dir.parent.parent.suffix == ".app":
        found.append(exe_dir.parent.parent.parent)
    return found


def user_config_dir() -> Path:
    """The per-user folder for content (and anything else operators change)."""
    return user_config_path(APP_NAME)


def candidates(explicit: Path | None = None) -> list[Path]:
    """Every content file the kiosk would try, in order (see the module docstring)."""
    if explicit is not None:
        return [Path(explicit)]
    found: list[Path] = []
    if is_frozen():
        found += [d / CONTENT_NAME for d in executable_dirs()]
    else:
        found.append(Path.cwd() / CONTENT_NAME)
    found.append(user_config_dir() / CONTENT_NAME)
    found.append(bundled_root() / CONTENT_NAME)
    unique: list[Path] = []
    for path in found:
        if path not in unique:
            unique.append(path)
    return unique


def find_content(explicit: Path | None = None) -> Path:
    """The first content file that exists; with `explicit` always that path, existing or not.

    When none exists, the first candidate is returned (callers report it missing; `candidates()`
    lists every place that was tried).
    """
    options = candidates(explicit)
    for path in options:
        if path.is_file():
            return path
    return options[0]
