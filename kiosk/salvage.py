"""Read what can still be read from a damaged SQLite file, row by row (no Qt, no sqlite3 CLI).

A normal full-table scan stops at the first bad page. A lookup by rowid walks only one path of
the table's b-tree, so after a failed scan every rowid up to the largest one is asked for on its
own: a damaged leaf page costs only the rows on it. The file is copied (with its -wal) to a
temporary folder first, so the evidence is never changed by reading it.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)

MAX_PROBE_ROWID = 5_000_000  # never loop for ever on a nonsense max(rowid)
MISSES_TO_STOP = 2_000  # without a usable max(rowid): stop after this many absent rowids in a row


class Salvaged:
    """A copy of a damaged database opened for row-by-row reading; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._dir = Path(tempfile.mkdtemp(prefix="kiosk-salvage-"))
        copy = self._dir / self.path.name
        shutil.copyfile(self.path, copy)
        wal = Path(str(self.path) + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, Path(str(copy) + "-wal"))
        self.conn = sqlite3.connect(copy)
        self.lost_rows = 0  # rowids that could not be read

    def __enter__(self) -> Salvaged:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.conn.close()
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)

    def tables(self) -> set[str]:
        try:
            return {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            log.warning("salvage: %s has no readable schema (%s)", self.path, exc)
            return set()

    def rows(self, table: str, columns: str) -> Iterator[tuple]:
        """Every readable row of `table` (`columns` as in a SELECT list)."""
        try:
            yield from self.conn.execute(f'SELECT {columns} FROM "{table}"').fetchall()
            return
        except sqlite3.DatabaseError as exc:
            log.info("salvage: scanning %s.%s failed (%s); reading row by row", self.path.name, table, exc)
        try:
            top = self.conn.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0]
        except sqlite3.DatabaseError:
            top = None
        query = f'SELECT {columns} FROM "{table}" WHERE rowid = ?'
        rowid, misses = 0, 0
        while rowid < MAX_PROBE_ROWID:
            rowid += 1
            if top is not None and rowid > top:
                break
            try:
                row = self.conn.execute(query, (rowid,)).fetchone()
            except sqlite3.DatabaseError:
                self.lost_rows += 1
                row = None
            if row is None:
                misses += 1
                if top is None and misses >= MISSES_TO_STOP:
                    break
                continue
            misses = 0
            yield row
