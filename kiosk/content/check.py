"""`kiosk check [PATH]`: every problem in a content file and the files it names, at once.

Each problem prints as `content.yaml:LINE:COL: error: message` (the form editors and CI logs
understand), then the line it is on with a caret under the spot, then a summary. Exit status:
0 clean or only warnings, 1 errors, 2 the file cannot be read at all. No Qt is imported here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from kiosk.content.loader import LoadResult, load
from kiosk.content.problems import Problem
from kiosk.content.yamlsrc import MAX_BYTES, yaml_lines


def source_excerpt(problem: Problem, lines: list[str] | None) -> list[str]:
    """The offending line and a caret under column `problem.col` (nothing for whole-file problems)."""
    if not lines or problem.line < 1 or problem.line > len(lines):
        return []
    text = lines[problem.line - 1].rstrip("\r\n")
    gutter = f"{problem.line:>5} | "
    out = [gutter + text]
    if problem.col >= 1:
        # Keep tabs under tabs so the caret lines up whatever the terminal's tab width.
        lead = "".join("\t" if ch == "\t" else " " for ch in text[: problem.col - 1])
        out.append(" " * (len(gutter) - 2) + "| " + lead + "^")
    return out


def _read_lines(path: Path) -> list[str] | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return yaml_lines(data.decode("utf-8-sig", errors="replace"))


def report(result: LoadResult, out: TextIO) -> int:
    """Print every problem of `result` to `out`; return the exit status."""
    cache: dict[str, list[str] | None] = {}
    for problem in result.problems:
        if problem.file not in cache and problem.line > 0:
            where = result.path if problem.file == result.path.name else result.base_dir / problem.file
            cache[problem.file] = _read_lines(where)
        print(problem.headline(), file=out)
        for line in source_excerpt(problem, cache.get(problem.file)):
            print(line, file=out)
    n_err, n_warn = len(result.errors), len(result.problems) - len(result.errors)
    name = result.path.name
    if not result.problems:
        print(f"{name}: OK, no problems found", file=out)
    else:
        parts = [f"{n_err} error{'s' if n_err != 1 else ''}", f"{n_warn} warning{'s' if n_warn != 1 else ''}"]
        verdict = "the kiosk will not show this file" if n_err else "the kiosk can show this file"
        print(f"{name}: {', '.join(parts)}; {verdict}", file=out)
    if result.unreadable:
        return 2
    return 1 if n_err else 0


def main(path: Path | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")  # a terminal that cannot show "–" must not crash the check
        except Exception:  # noqa: BLE001
            pass
    try:
        if path is None:
            from kiosk.locate import find_content

            path = find_content()
        return report(load(path), out)
    except Exception as exc:  # noqa: BLE001 - never a traceback for an operator
        print(f"{path}:0:0: error: internal error in kiosk check ({exc.__class__.__name__}: {exc})", file=out)
        return 2
