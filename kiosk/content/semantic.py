"""Checks beyond the types: assets, languages, sources, readability, contrast.

They run on a validated `Exhibition` and locate each problem through the YAML node tree.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, get_args

from pydantic import BaseModel, RootModel, TypeAdapter, ValidationError

from kiosk.content import conservation, contrast
from kiosk.content.bathtub import BathtubPath
from kiosk.content.model import (
    AssetPath,
    ChartSeries,
    CsvSeries,
    Exhibition,
    Figure,
    FlowDiagram,
    FlowLink,
    GlossaryTerm,
    Languages,
    Palette,
    Reversal,
    Screen,
    Text,
    Theme,
    UiText,
)
from kiosk.content.modelpath import dotted
from kiosk.content.problems import Problem
from kiosk.content.yamlsrc import MAX_BYTES, Source

MAX_SENTENCE_WORDS = 25
MAX_BLOCK_WORDS = 100

FONT_TYPES = (".ttf", ".otf")
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".svg")
DATA_TYPES = (".csv",)

SOURCED = (Figure, FlowLink, Reversal, ChartSeries, BathtubPath)

Loc = tuple[Any, ...]


# --- walking the validated model ----------------------------------------------------------------


@lru_cache(maxsize=None)
def _asset_fields(cls: type[BaseModel]) -> frozenset[str]:
    hints = typing.get_type_hints(cls, include_extras=True)
    found = set()
    for name in cls.model_fields:
        hint = hints.get(name)
        if hint == AssetPath or AssetPath in get_args(hint):
            found.add(name)
    return frozenset(found)


def walk(obj: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Every model object and text in `obj`, with its key path as written in the YAML."""
    yield loc, obj
    if isinstance(obj, RootModel):
        return
    if isinstance(obj, BaseModel):
        for name, info in type(obj).model_fields.items():
            yield from walk(getattr(obj, name), (*loc, info.alias or name))
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            if isinstance(item, (BaseModel, list, tuple)):
                yield from walk(item, (*loc, i))


@dataclass
class Parts:
    """What validated: the whole exhibition, or, when it did not, each section that did on its own.

    The checks below run on the parts, so that an operator sees a missing source or a weak
    contrast in the same run as a typo elsewhere, not only after fixing it.
    """

    roots: list[tuple[Loc, BaseModel]]
    available: list[str] | None
    theme: Theme | None
    ui: UiText | None
    palettes: dict[str, Palette] | None = None  # when the theme as a whole is not valid

    @classmethod
    def of(cls, ex: Exhibition | Parts) -> Parts:
        if isinstance(ex, Parts):
            return ex
        return cls([((), ex)], list(ex.languages.available), ex.theme, ex.ui)

    def walk(self) -> Iterator[tuple[Loc, Any]]:
        for loc, obj in self.roots:
            yield from walk(obj, loc)


_SCREEN = TypeAdapter(Screen)


def parts_of(data: dict) -> Parts:
    """The sections of not-quite-valid content that are valid by themselves."""
    found: dict[str, Any] = {}
    roots: list[tuple[Loc, BaseModel]] = []
    for key, model in (("title", Text), ("languages", Languages), ("theme", Theme), ("ui", UiText)):
        try:
            found[key] = model.model_validate(data.get(key))
        except ValidationError:
            continue
        roots.append(((key,), found[key]))
    screens = data.get("screens")
    if isinstance(screens, list):
        for i, item in enumerate(screens):
            try:
                roots.append((("screens", i), _SCREEN.validate_python(item)))
            except ValidationError:
                continue
    languages = found.get("languages")
    palettes: dict[str, Palette] = {}
    theme = data.get("theme")
    if "theme" not in found and isinstance(theme, dict):
        for mode in contrast.MIN_RATIO:
            try:
                palettes[mode] = Palette.model_validate(theme.get(mode))
            except ValidationError:
                continue
    available = list(languages.available) if languages else None
    return Parts(roots, available, found.get("theme"), found.get("ui"), palettes)


def assets(ex: Exhibition | Parts) -> Iterator[tuple[Loc, str, tuple[str, ...], str]]:
    """(loc, path as written, allowed suffixes, what it is) for every asset the content names."""
    for loc, obj in Parts.of(ex).walk():
        if not isinstance(obj, BaseModel) or isinstance(obj, RootModel):
            continue
        for name in _asset_fields(type(obj)):
            value = getattr(obj, name)
            if value is None:
                continue
            key = type(obj).model_fields[name].alias or name
            if isinstance(obj, Theme):
                yield (*loc, key), value, FONT_TYPES, "font"
            elif isinstance(obj, CsvSeries):
                yield (*loc, key), value, DATA_TYPES, "data file"
            else:
                yield (*loc, key), value, IMAGE_TYPES, "image"


def resolve_asset(base_dir: Path, written: str) -> Path | None:
    """The file an asset path names, or None when it is absolute or leaves the content folder."""
    if _is_absolute(written):
        return None
    base = base_dir.resolve()
    target = (base / written).resolve()
    return target if target.is_relative_to(base) else None


def _is_absolute(written: str) -> bool:
    return (
        PurePosixPath(written).is_absolute()
        or PureWindowsPath(written).is_absolute()
        or written.startswith(("/", "\\"))
        or bool(re.match(r"^[A-Za-z]:", written))
    )


# --- the checks ---------------------------------------------------------------------------------


def check(src: Source, ex: Exhibition | Parts, base_dir: Path) -> list[Problem]:
    ex = Parts.of(ex)
    problems: list[Problem] = []
    problems += check_assets(src, ex, base_dir)
    problems += check_texts(src, ex)
    problems += check_sources(src, ex)
    problems += check_contrast(src, ex)
    problems += check_placeholders(src, ex)
    problems += check_conservation(src, ex)
    problems += check_glossary(src, ex)
    return problems


def check_conservation(src: Source, ex: Exhibition | Parts) -> list[Problem]:
    """Every flow diagram balances at every node with flows in and out, in every touch step."""
    problems: list[Problem] = []
    for loc, obj in Parts.of(ex).walk():
        if not isinstance(obj, FlowDiagram):
            continue
        link_lines = {i: _line(src, (*loc, "links", i)) for i in range(len(obj.links))}
        index = {n.id: j for j, n in enumerate(obj.nodes)}
        for imb in conservation.imbalances(obj):
            problems.append(
                _at(src, (*loc, "nodes", index[imb.node]), "error", conservation.describe(imb, link_lines))
            )
    return problems


def _line(src: Source, loc: Loc) -> int:
    node, _, _ = src.node_at(loc)
    return node.start_mark.line + 1 if node is not None and node.start_mark is not None else 0


def check_glossary(src: Source, ex: Exhibition | Parts) -> list[Problem]:
    """Each glossary term and its explanation exist in every language (a visitor touching a
    marked word must get an answer in the language they read)."""
    parts = Parts.of(ex)
    problems: list[Problem] = []
    available = parts.available or []
    for loc, obj in parts.walk():
        if not isinstance(obj, GlossaryTerm):
            continue
        for key in ("term", "explanation"):
            text: Text = getattr(obj, key)
            for lang in available:
                if not text.root.get(lang, "").strip():
                    problems.append(
                        _at(src, (*loc, key), "error", f"glossary term '{obj.id}' has no {key} in '{lang}'")
                    )
    return problems


# Interface texts the kiosk fills in: without the placeholder a visitor misses the number.
PLACEHOLDERS = {"still_there_body": "{seconds}", "each_dot": "{value}"}


def check_placeholders(src: Source, ex: Exhibition | Parts) -> list[Problem]:
    ui = Parts.of(ex).ui
    problems: list[Problem] = []
    if ui is None:
        return problems
    for key, placeholder in PLACEHOLDERS.items():
        text: Text = getattr(ui, key)
        for lang, value in text.root.items():
            if placeholder not in value:
                problems.append(
                    _at(
                        src,
                        ("ui", key, lang),
                        "warning",
                        f"ui.{key}.{lang}: has no {placeholder}, so visitors will not see the number",
                    )
                )
    return problems


def _at(src: Source, loc: Loc, severity: str, message: str) -> Problem:
    node, _, _ = src.node_at(loc)
    return src.problem(node, severity, message, dotted(loc))


def check_assets(src: Source, ex: Exhibition | Parts, base_dir: Path) -> list[Problem]:
    ex = Parts.of(ex)
    problems: list[Problem] = []
    base = base_dir.resolve()
    for loc, written, suffixes, what in assets(ex):
        if _is_absolute(written):
            problems.append(
                _at(src, loc, "error", f"{what} path must be relative to the content folder, got '{written}'")
            )
            continue
        lexical = Path(os.path.normpath(base / written))
        target = (base / written).resolve()
        if not lexical.is_relative_to(base):
            problems.append(_at(src, loc, "error", f"{what} path '{written}' leads outside the content folder"))
            continue
        if not target.is_relative_to(base):
            problems.append(
                _at(
                    src,
                    loc,
                    "error",
                    f"{what} path '{written}' leads outside the content folder (through a symbolic link)",
                )
            )
            continue
        if Path(written).suffix.lower() not in suffixes:
            allowed = ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]
            problems.append(
                _at(src, loc, "error", f"unsupported {what} type '{Path(written).suffix or written}': use {allowed}")
            )
            continue
        if not target.exists():
            hint = _similar_file(base / written)
            message = f"{what} not found: '{written}'"
            if "\\" in written:
                message += " (write paths with / between folders, not \\)"
            elif hint:
                message += f", did you mean '{hint}'?"
            problems.append(_at(src, loc, "error", message))
            continue
        if target.is_dir():
            problems.append(_at(src, loc, "error", f"{what} path '{written}' is a folder, not a file"))
            continue
        try:
            size = target.stat().st_size
        except OSError as exc:
            problems.append(_at(src, loc, "error", f"cannot read {what} '{written}': {exc.strerror}"))
            continue
        if size == 0:
            problems.append(_at(src, loc, "error", f"{what} '{written}' is an empty file"))
        elif size > MAX_BYTES and what == "data file":
            problems.append(_at(src, loc, "error", f"{what} '{written}' is over 5 MB"))
    for loc, obj in ex.walk():
        if isinstance(obj, CsvSeries):
            problems += _check_csv(src, loc, obj, base)
    return problems


def _similar_file(path: Path) -> str | None:
    """A file next to where `path` should be, with a similar name (as the operator would write it)."""
    folder = path.parent
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return None
    hits = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    if not hits:
        return None
    return hits[0]


def _check_csv(src: Source, loc: Loc, series: CsvSeries, base: Path) -> list[Problem]:
    target = resolve_asset(base, series.path)
    if target is None or not target.is_file():
        return []  # already reported
    try:
        raw = target.read_bytes()
    except OSError:
        return []
    if not raw or len(raw) > MAX_BYTES:
        return []
    rel = PurePosixPath(*Path(series.path).parts).as_posix()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [Problem(rel, line, 0, "error", f"data file is not UTF-8 (byte {exc.start}); save it as UTF-8")]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [_at(src, (*loc, "path"), "error", f"data file '{series.path}' has no header row")]
    header = [h.strip() for h in rows[0]]
    problems: list[Problem] = []
    for key in ("x", "y"):
        column = getattr(series, key)
        if column not in header:
            hint = difflib.get_close_matches(column, header, n=1, cutoff=0.6)
            extra = f", did you mean '{hint[0]}'?" if hint else f" (columns: {', '.join(header)})"
            problems.append(_at(src, (*loc, key), "error", f"column '{column}' is not in '{series.path}'{extra}"))
    for column in series.where:
        if column not in header:
            problems.append(
                _at(src, (*loc, "where", column), "error", f"column '{column}' is not in '{series.path}'")
            )
    if problems:
        return problems
    ix, iy = header.index(series.x), header.index(series.y)
    conditions = [(header.index(c), v) for c, v in series.where.items()]
    kept = 0
    for n, row in enumerate(rows[1:], start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if any(i >= len(row) or row[i].strip() != v for i, v in conditions):
            continue
        kept += 1
        for i, name in ((ix, series.x), (iy, series.y)):
            cell = row[i].strip() if i < len(row) else ""
            try:
                float(cell)
            except ValueError:
                col = sum(len(c) + 1 for c in row[:i]) + 1 if i < len(row) else 0
                problems.append(Problem(rel, n, col, "error", f"expected a number in column '{name}', got {cell!r}"))
                return problems
    if kept == 0:
        problems.append(_at(src, (*loc, "path"), "error", f"no data rows in '{series.path}' match this series"))
    return problems


def _words(text: str) -> list[str]:
    return [w for w in text.split() if any(ch.isalnum() for ch in w)]


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+|\n\s*\n")


def check_texts(src: Source, ex: Exhibition | Parts) -> list[Problem]:
    parts = Parts.of(ex)
    problems: list[Problem] = []
    available = parts.available or []
    for loc, obj in parts.walk():
        if not isinstance(obj, Text):
            continue
        path = dotted(loc)
        texts = obj.root
        for lang in available:
            if lang not in texts:
                problems.append(_at(src, loc, "warning", f"{path}: no text in '{lang}'"))
            elif not texts[lang].strip():
                problems.append(_at(src, (*loc, lang), "warning", f"{path}: the '{lang}' text is empty"))
        for lang, text in texts.items():
            if parts.available is not None and lang not in available:
                problems.append(
                    _at(src, (*loc, lang), "warning", f"{path}: language '{lang}' is not in languages.available")
                )
            words = _words(text)
            if len(words) > MAX_BLOCK_WORDS:
                problems.append(
                    _at(
                        src,
                        (*loc, lang),
                        "warning",
                        f"{path}.{lang}: text of {len(words)} words, over {MAX_BLOCK_WORDS} "
                        "(split it or shorten it for readers standing at the screen)",
                    )
                )
            for sentence in _SENTENCE_END.split(text):
                sw = _words(sentence)
                if len(sw) > MAX_SENTENCE_WORDS:
                    start = " ".join(sw[:5])
                    problems.append(
                        _at(
                            src,
                            (*loc, lang),
                            "warning",
                            f"{path}.{lang}: sentence of {len(sw)} words, over {MAX_SENTENCE_WORDS}: "
                            f"\"{start} ...\"",
                        )
                    )
    return problems


def check_sources(src: Source, ex: Exhibition | Parts) -> list[Problem]:
    problems: list[Problem] = []
    for loc, obj in Parts.of(ex).walk():
        if isinstance(obj, SOURCED) and not (obj.source or "").strip():
            problems.append(_at(src, loc, "error", "number shown to visitors has no source"))
    return problems


def check_contrast(src: Source, ex: Exhibition | Parts) -> list[Problem]:
    parts = Parts.of(ex)
    if parts.theme is not None:
        palettes = {mode: getattr(parts.theme, mode) for mode in contrast.MIN_RATIO}
    else:
        palettes = parts.palettes or {}
    problems: list[Problem] = []
    for mode, minimum in contrast.MIN_RATIO.items():
        palette: Palette | None = palettes.get(mode)
        if palette is None:
            continue
        for fg, bg in contrast.TEXT_PAIRS:
            a, b = getattr(palette, fg), getattr(palette, bg)
            r = contrast.ratio(a, b)
            if r < minimum:
                problems.append(
                    _at(
                        src,
                        ("theme", mode, fg),
                        "error",
                        f"contrast of {fg} {a} on {bg} {b} is {contrast.shown(r)}:1 in theme.{mode}, "
                        f"needs at least {minimum:g}:1",
                    )
                )
    return problems
