"""Give freed memory back to the system while visitors read.

Screens free large pictures (a 4K layer is 33 MB) and many small objects when they change; glibc
keeps much of that freed heap for reuse, so the kiosk's resident memory only grows over a walk
(383 MB at 4K after every screen and detail, 300 MB after a trim). A trim a little after each
screen change, when nobody waits for a frame, returns it. Linux with glibc only; elsewhere a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache

from PySide6.QtCore import QObject, QTimer

TRIM_AFTER_MS = 1500


@lru_cache(maxsize=1)
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None


def trim_heap() -> bool:
    """Return free heap pages to the system; False where that is not possible."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


class HeapTrimmer(QObject):
    """Trims the heap once things have been quiet for a moment after `soon()` was called."""

    def __init__(self, parent: QObject | None = None, after_ms: int = TRIM_AFTER_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(after_ms)
        self._timer.timeout.connect(trim_heap)

    def soon(self) -> None:
        self._timer.start()  # restarts: a fast walk trims once, after it settles

    def stop(self) -> None:
        self._timer.stop()
