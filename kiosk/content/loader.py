"""Load `content.yaml` into the typed model, collecting every problem, each located.

`load(path)` never raises, whatever the file holds: the running kiosk calls it on start and on
every reload, and a bad file must leave the last good content on screen, never a traceback.

Steps (each turns trouble into `Problem`s): read and parse the YAML keeping positions
(`kiosk.content.yamlsrc`), validate against the model with errors mapped back to lines
(`kiosk.content.messages`), then the checks beyond types (`kiosk.content.semantic`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from kiosk.content.model import Exhibition
from kiosk.content.problems import Problem

log = logging.getLogger(__name__)


@dataclass
class LoadResult:
    path: Path
    exhibition: Exhibition | None
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # the file could not be read at all (missing, a folder, no permission)

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.exhibition is not None and not self.errors


def load(path: str | Path) -> LoadResult:
    """Read, validate and check the content file at `path`. Never raises."""
    return _load(Path(path), None)


def load_bytes(data: bytes, path: str | Path) -> LoadResult:
    """Check `data` as if it were the file at `path` (assets are looked up next to `path`)."""
    return _load(Path(path), data)


def _load(path: Path, data: bytes | None) -> LoadResult:
    try:
        return _load_unguarded(path, data)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        log.exception("unexpected failure while loading %s", path)
        message = f"internal error while checking this file ({exc.__class__.__name__}: {exc}); please report it"
        return LoadResult(path, None, [Problem(path.name, 0, 0, "error", message)])


def _load_unguarded(path: Path, data: bytes | None) -> LoadResult:
    from kiosk.content import messages, semantic, yamlsrc

    src = yamlsrc.parse(path, data)
    problems = list(src.problems)
    if not src.usable:
        return LoadResult(path, None, _sorted(problems), unreadable=src.unreadable)
    if not isinstance(src.data, dict):
        if src.data is not None or not src.refused:
            got = messages.describe(src.data, src.root)
            problems.append(src.problem(src.root, "error", f"expected the file to be a mapping of keys, got {got}"))
        return LoadResult(path, None, _sorted(problems))
    problems += messages.bools_as_numbers(src)
    try:
        exhibition = Exhibition.model_validate(src.data)
    except ValidationError as exc:
        problems += messages.validation_problems(src, exc)
        # Check what is valid on its own too, so the operator sees every problem in one run.
        problems += semantic.check(src, semantic.parts_of(src.data), path.parent)
        return LoadResult(path, None, _sorted(problems))
    problems += semantic.check(src, exhibition, path.parent)
    # A file with YAML-level errors (duplicate keys, refused tags) is not good even if it validates.
    return LoadResult(path, exhibition, _sorted(problems))


def _sorted(problems: list[Problem]) -> list[Problem]:
    """File order, content file first; equal problems once. Equal is what the operator reads:
    a YAML alias (`*link_fossil`) puts one bad value under two keys, and it is one mistake to fix
    at one line, reported once (with the first key)."""
    seen: set[tuple] = set()
    unique = []
    for p in problems:
        shown = (p.file, p.line, p.col, p.severity, p.message)
        if shown not in seen:
            seen.add(shown)
            unique.append(p)
    return sorted(unique, key=lambda p: (p.file.count("/") > 0, p.file, p.line, p.col))
