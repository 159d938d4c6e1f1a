"""Ask the X server itself where its monitors are (XRandR, through ctypes; no extra package).

Qt learns about RandR changes from events, and after some sequences (a monitor switched off while
another one is moved to 0,0 in the same request) it keeps the old position of a screen for good;
with no window manager the kiosk then covers a place that is no longer on any screen. The X
server's own monitor list is the truth: `XMonitors().list()` returns (name, x, y, width, height)
for each active monitor, or None where this cannot be asked (not X11, no libXrandr).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

log = logging.getLogger(__name__)


class _MonitorInfo(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_ulong),
        ("primary", ctypes.c_int),
        ("automatic", ctypes.c_int),
        ("noutput", ctypes.c_int),
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("mwidth", ctypes.c_int),
        ("mheight", ctypes.c_int),
        ("outputs", ctypes.c_void_p),
    ]


class XMonitors:
    def __init__(self) -> None:
        self._dpy = None
        self._x11 = self._xrandr = None
        if not os.environ.get("DISPLAY"):
            return
        try:
            x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
            xrandr = ctypes.CDLL(ctypes.util.find_library("Xrandr") or "libXrandr.so.2")
        except OSError as exc:
            log.info("display: cannot load libX11/libXrandr (%s); trusting Qt's screen list", exc)
            return
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XDefaultRootWindow.restype = ctypes.c_ulong
        x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x11.XGetAtomName.restype = ctypes.c_void_p
        x11.XGetAtomName.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        x11.XFree.argtypes = [ctypes.c_void_p]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        xrandr.XRRGetMonitors.restype = ctypes.POINTER(_MonitorInfo)
        xrandr.XRRGetMonitors.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
        xrandr.XRRFreeMonitors.argtypes = [ctypes.POINTER(_MonitorInfo)]
        dpy = x11.XOpenDisplay(None)
        if not dpy:
            return
        self._x11, self._xrandr, self._dpy = x11, xrandr, dpy
        self._root = x11.XDefaultRootWindow(dpy)

    @property
    def available(self) -> bool:
        return self._dpy is not None

    def list(self) -> list[tuple[str, int, int, int, int]] | None:
        if self._dpy is None:
            return None
        count = ctypes.c_int(0)
        monitors = self._xrandr.XRRGetMonitors(self._dpy, self._root, 1, ctypes.byref(count))
        if not monitors:
            return []
        out = []
        try:
            for i in range(count.value):
                m = monitors[i]
                raw = self._x11.XGetAtomName(self._dpy, m.name)
                name = ctypes.string_at(raw).decode("utf-8", "replace") if raw else ""
                if raw:
                    self._x11.XFree(raw)
                out.append((name, m.x, m.y, m.width, m.height))
        finally:
            self._xrandr.XRRFreeMonitors(monitors)
        return out

    def close(self) -> None:
        if self._dpy is not None:
            self._x11.XCloseDisplay(self._dpy)
            self._dpy = None
