"""Where pulled bundles live on the kiosk, and the atomic switch between them.

    bundles/
      staging/       downloads and unpacking in progress (emptied on every start)
      v1796115258/   one folder per good bundle: content.yaml + assets/, never changed again
      current        the name of the folder in use, replaced by a rename (never half-written)
      state.json     the ETag of the last good download, for If-None-Match

A bundle folder is complete before its name appears (unpacked under staging/, then renamed),
and `current` is written to a temporary file and renamed over the old one, so a power cut at
any moment leaves the old or the new bundle in use, never a mix. The last `keep` bundles stay
for rollback.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

POINTER = "current"
STATE = "state.json"


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".")
    try:
        with open(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class BundleStore:
    def __init__(self, root: Path, keep: int = 3, staging: Path | None = None) -> None:
        self.root = Path(root)
        self.keep = keep
        # The staging folder must be on the same file system as root for the rename to be atomic;
        # tests may point it at a tiny file system to fill the disk on purpose.
        self.staging = Path(staging) if staging is not None else self.root / "staging"
        self.root.mkdir(parents=True, exist_ok=True)
        self.staging.mkdir(parents=True, exist_ok=True)

    # -- what is in use ------------------------------------------------------------------------
    @staticmethod
    def folder_name(version: int) -> str:
        return f"v{version}"

    def versions(self) -> list[int]:
        out = []
        for p in self.root.iterdir():
            if p.is_dir() and p.name.startswith("v") and p.name[1:].isdigit() and (p / "content.yaml").is_file():
                out.append(int(p.name[1:]))
        return sorted(out)

    @property
    def current_version(self) -> int | None:
        try:
            name = (self.root / POINTER).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if name.startswith("v") and name[1:].isdigit() and (self.root / name / "content.yaml").is_file():
            return int(name[1:])
        return None

    def current_content(self) -> Path | None:
        v = self.current_version
        return None if v is None else self.root / self.folder_name(v) / "content.yaml"

    # -- state (ETag) --------------------------------------------------------------------------
    def state(self) -> dict:
        try:
            data = json.loads((self.root / STATE).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def save_state(self, **values) -> None:
        state = self.state()
        state.update(values)
        try:
            write_atomically(self.root / STATE, json.dumps(state, indent=1).encode())
        except OSError as exc:  # a full disk must not turn a good sync into a failure
            log.warning("sync: cannot save %s (%s)", self.root / STATE, exc)

    # -- staging and switching -----------------------------------------------------------------
    def new_staging(self) -> Path:
        return Path(tempfile.mkdtemp(dir=self.staging, prefix="pull-"))

    def clear_staging(self) -> None:
        for p in self.staging.iterdir():
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)

    def install(self, unpacked: Path, version: int) -> Path:
        """Move a verified, unpacked bundle into place and make it current; returns its content.yaml."""
        target = self.root / self.folder_name(version)
        if not target.exists():
            if unpacked.stat().st_dev != self.root.stat().st_dev:
                # another file system (a test's tiny staging disk): copy beside, then rename
                tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=".copy-"))
                shutil.copytree(unpacked, tmp, dirs_exist_ok=True)
                os.replace(tmp, target)
            else:
                os.replace(unpacked, target)
        self.switch_to(version)
        self.prune()
        return target / "content.yaml"

    def switch_to(self, version: int) -> None:
        write_atomically(self.root / POINTER, (self.folder_name(version) + "\n").encode("ascii"))
        log.info("sync: now using bundle version %d", version)

    def rollback(self) -> int | None:
        """Use the newest kept bundle older than the current one; its version, or None."""
        cur = self.current_version
        older = [v for v in self.versions() if cur is None or v < cur]
        if not older:
            return None
        self.switch_to(older[-1])
        return older[-1]

    def prune(self) -> None:
        cur = self.current_version
        versions = self.versions()
        for v in versions[: max(0, len(versions) - self.keep)]:
            if v != cur:
                shutil.rmtree(self.root / self.folder_name(v), ignore_errors=True)
        for p in self.root.glob(".copy-*"):
            shutil.rmtree(p, ignore_errors=True)
