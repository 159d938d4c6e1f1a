"""Hot reload: watch the content file and its assets, re-validate after a save, keep the last good.

Editors save in two ways: writing the file in place, or writing a temporary file and renaming it
over the original. The second replaces the file's inode, and QFileSystemWatcher then drops its
watch on the file. So the folder holding the file is watched too (a rename shows up there), and
the file's watch is re-added after every change. Changes settle for `settle_ms` (an editor may
write several times per save) before the file is loaded again with `kiosk.content.loader.load`.

Signals:
    reloaded(LoadResult)  new content is good and differs from the last good (or the previous
                          state was rejected: the operator's problems are gone);
    rejected(LoadResult)  the content has errors, or the file is missing; `last_good` stays.

The watcher never applies content: the shell decides when (at the next screen change, or at once
on the attract loop) and shows problems to the operator only.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from kiosk.content.loader import LoadResult, load
from kiosk.content.semantic import assets, resolve_asset

log = logging.getLogger(__name__)

MAX_WATCHED_ASSET_FILES = 500


class ContentWatcher(QObject):
    reloaded = Signal(object)  # LoadResult, good
    rejected = Signal(object)  # LoadResult, with errors

    def __init__(
        self,
        path: Path,
        parent: QObject | None = None,
        settle_ms: int = 300,
        *,
        initial: LoadResult | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = Path(path).absolute()
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._changed)
        self._watcher.directoryChanged.connect(self._changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(0, int(settle_ms)))
        self._timer.timeout.connect(self.check_now)
        first = initial if initial is not None else load(self.path)
        self.last_good: LoadResult | None = first if first.ok else None
        self.current_problems = list(first.problems)
        self._rejected = not first.ok
        self._fingerprint = self._fingerprint_of(first) if first.ok else None
        self._watch()

    # -- watching ----------------------------------------------------------------------------
    @property
    def watched(self) -> list[str]:
        return sorted(self._watcher.files() + self._watcher.directories())

    def _wanted(self) -> set[str]:
        folder = self.path.parent
        wanted = {str(folder)}
        if self.path.is_file():
            wanted.add(str(self.path))
        asset_dir = folder / "assets"
        if asset_dir.is_dir():
            count = 0
            try:
                for p in sorted(asset_dir.rglob("*")):
                    if p.is_dir():
                        wanted.add(str(p))
                    elif count < MAX_WATCHED_ASSET_FILES:
                        wanted.add(str(p))
                        count += 1
            except OSError:
                pass
            wanted.add(str(asset_dir))
        return wanted

    def _watch(self) -> None:
        """Watch what exists now; re-add watches lost to a rename-over save."""
        have = set(self._watcher.files()) | set(self._watcher.directories())
        missing = [p for p in self._wanted() - have if Path(p).exists()]
        if missing:
            self._watcher.addPaths(missing)

    def _changed(self, _path: str) -> None:
        self._timer.start()  # (re)start: wait for the save to settle

    # -- checking ----------------------------------------------------------------------------
    def check_now(self) -> LoadResult:
        """Load the content file now and emit `reloaded` or `rejected` as due."""
        self._watch()
        result = load(self.path)
        self.current_problems = list(result.problems)
        if not result.ok:
            self._rejected = True
            for problem in result.errors:
                log.warning("%s", problem.headline())
            self.rejected.emit(result)
            return result
        fingerprint = self._fingerprint_of(result)
        changed = fingerprint != self._fingerprint
        recovered = self._rejected
        self._rejected = False
        if changed or recovered:
            self.last_good = result
            self._fingerprint = fingerprint
            for problem in result.problems:
                log.info("%s", problem.headline())
            log.info("content reloaded from %s", self.path)
            self.reloaded.emit(result)
        return result

    @staticmethod
    def _fingerprint_of(result: LoadResult) -> tuple:
        """The content as validated plus the size and time of every asset it names."""
        stamps = []
        if result.exhibition is not None:
            for _loc, written, _types, _what in assets(result.exhibition):
                target = resolve_asset(result.base_dir, written)
                try:
                    st = target.stat() if target is not None else None
                except OSError:
                    st = None
                stamps.append((written, None if st is None else (st.st_size, st.st_mtime_ns)))
        return (result.exhibition, tuple(stamps))

    def close(self) -> None:
        """Stop watching (for tests and shutdown)."""
        self._timer.stop()
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)
