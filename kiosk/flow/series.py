"""Chart series data: inline points or columns of a CSV file, as numpy arrays. No Qt here.

CSV files are read with the csv module, so Our World in Data's `co2-data` works as downloaded:
`csv: {path: data/owid-co2-data.csv, x: year, y: co2, where: {country: World}}`. Rows whose
x or y is empty or not a number are skipped (OWID leaves early years blank).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np

from kiosk.content.model import ChartSeries, CsvSeries


class SeriesError(ValueError):
    """A series cannot be read; the message names the file and the column."""


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


@lru_cache(maxsize=32)
def _read_rows(path: Path, mtime_ns: int) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        try:
            header = tuple(h.strip() for h in next(reader))
        except StopIteration:
            return (), ()
        return header, tuple(tuple(row) for row in reader)


def read_csv_series(spec: CsvSeries, base_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """x and y of a CSV series, sorted by x, after the `where` filter and `multiply`."""
    path = (Path(base_dir) / spec.path).resolve()
    try:
        header, rows = _read_rows(path, path.stat().st_mtime_ns)
    except OSError as exc:
        raise SeriesError(f"{spec.path}: cannot read ({exc.strerror or exc})") from exc
    index = {name: i for i, name in enumerate(header)}
    for column in (spec.x, spec.y, *spec.where):
        if column not in index:
            raise SeriesError(f"{spec.path}: no column {column!r} (columns: {', '.join(header[:12])}...)")
    xi, yi = index[spec.x], index[spec.y]
    filters = [(index[k], v) for k, v in spec.where.items()]
    xs: list[float] = []
    ys: list[float] = []
    for row in rows:
        if any(i >= len(row) or row[i].strip() != v for i, v in filters):
            continue
        x = _number(row[xi]) if xi < len(row) else None
        y = _number(row[yi]) if yi < len(row) else None
        if x is None or y is None:
            continue
        xs.append(x)
        ys.append(y * spec.multiply)
    x_arr = np.asarray(xs, dtype=np.float64)
    y_arr = np.asarray(ys, dtype=np.float64)
    order = np.argsort(x_arr, kind="stable")
    return x_arr[order], y_arr[order]


def series_data(series: ChartSeries, base_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """x and y of a chart series, from its inline `points` or its `csv`."""
    if series.points is not None:
        pts = np.asarray(series.points, dtype=np.float64).reshape(-1, 2)
        return pts[:, 0].copy(), pts[:, 1].copy()
    assert series.csv is not None
    return read_csv_series(series.csv, base_dir)


def visible_count(n: int, progress: float) -> tuple[int, float]:
    """How much of an n-point line is drawn at `progress` (0..1): whole points, and the fraction
    of the way to the next one (for a smoothly growing line end)."""
    if n <= 1:
        return n, 0.0
    progress = min(max(progress, 0.0), 1.0)
    pos = progress * (n - 1)
    whole = int(pos)
    return whole + 1, pos - whole
