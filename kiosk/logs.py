"""Logging for days of unattended running: rotating files in the per-user log folder.

`setup_logging()` sends records to `<user_log_path>/kiosk.log` (1 MB x 5 files, so the folder never
grows past ~6 MB) and to standard error. When the folder cannot be written (a read-only image, a
full disk) the kiosk logs to standard error only, and says so. The supervisor logs to its own file
(`supervisor.log`) so that two processes never rotate the same file.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)-7s %(process)d %(name)s: %(message)s"

_MARK = "_kiosk_handler"  # set on the handlers we add, so a second call replaces them


def default_log_dir() -> Path:
    from platformdirs import user_log_path

    from kiosk.locate import APP_NAME

    return user_log_path(APP_NAME)


def setup_logging(
    filename: str = "kiosk.log",
    log_dir: Path | None = None,
    level: int = logging.INFO,
    stderr: bool = True,
    max_bytes: int = MAX_BYTES,
    backups: int = BACKUPS,
) -> Path | None:
    """Configure the root logger; returns the log file, or None when logging to stderr only."""
    root = logging.getLogger()
    teardown_logging()
    root.setLevel(level)
    formatter = logging.Formatter(FORMAT)
    if stderr:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(formatter)
        setattr(console, _MARK, True)
        root.addHandler(console)

    folder = default_log_dir() if log_dir is None else Path(log_dir)
    path = folder / filename
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=False
        )
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write logs to %s (%s); logging to stderr only", folder, exc)
        return None
    handler.setFormatter(formatter)
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    return path


def teardown_logging() -> None:
    """Remove and close the handlers `setup_logging` added (tests; a second set-up)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
            handler.close()


def log_uncaught_exceptions() -> None:
    """Send uncaught exceptions to the log too (with the traceback), then to the old hook."""
    previous = sys.excepthook

    def hook(exc_type, exc, tb):  # type: ignore[no-untyped-def]
        if not issubclass(exc_type, KeyboardInterrupt):
            logging.getLogger("kiosk").critical("uncaught exception", exc_info=(exc_type, exc, tb))
        previous(exc_type, exc, tb)

    sys.excepthook = hook
