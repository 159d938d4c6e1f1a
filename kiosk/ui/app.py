"""Start the kiosk: fonts, content, the window (fullscreen even with no window manager), reloads.

Start-up never shows a traceback to visitors: bad content falls back to the shipped defaults,
and if even those cannot be read, a calm "back shortly" screen is shown while the problems go to
the log for the operator.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from pathlib import Path

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLayout, QVBoxLayout, QWidget

from kiosk.content.loader import LoadResult, load
from kiosk.locate import bundled_root, find_content
from kiosk.ui.clock import AnimationClock
from kiosk.ui.fonts import FALLBACK_FAMILY, load_fonts  # noqa: F401 (re-exported for callers)
from kiosk.ui.shell import Shell

log = logging.getLogger(__name__)


def process_age_ms() -> float:
    """Milliseconds since this process started (Linux: from /proc; elsewhere from import time)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return (uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000.0
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - _IMPORTED_AT) * 1000.0


_IMPORTED_AT = time.perf_counter()


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv or [sys.argv[0]])
    app.setApplicationName("negative-emissions-kiosk")
    return app


def load_with_fallback(path: Path) -> LoadResult:
    """The operator's content if it is good, else the shipped defaults, logging why."""
    result = load(path)
    for problem in result.problems:
        log.log(logging.ERROR if problem.is_error else logging.WARNING, "%s", problem.headline())
    if result.ok:
        return result
    shipped = bundled_root() / "content.yaml"
    if shipped.resolve() != path.resolve() and shipped.is_file():
        log.error("content %s has errors; showing the shipped content instead", path)
        fallback = load(shipped)
        if fallback.ok:
            fallback.problems = result.problems  # the operator still needs to see what was wrong
            return fallback
    return result


class KioskWindow(QWidget):
    """The top-level window; holds the shell and covers the screen unless previewing."""

    def __init__(self, shell: QWidget) -> None:
        super().__init__()
        self.setWindowTitle("Negative emissions")
        self.shell = shell
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        # The screen decides the window's size, never the text: content that does not fit is
        # squeezed (and reported by `kiosk render` and the tests) instead of growing the window.
        lay.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        lay.addWidget(shell)

    def cover_screen(self) -> None:
        """Fullscreen that holds with no window manager: take the screen's geometry ourselves."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        geometry: QRect = screen.geometry()
        self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint)
        self.setGeometry(geometry)
        self.showFullScreen()
        self.setGeometry(geometry)

    def closeEvent(self, event) -> None:
        if hasattr(self.shell, "shutdown"):
            self.shell.shutdown()
        super().closeEvent(event)


def build_window(result: LoadResult, clock: AnimationClock, analytics=None) -> KioskWindow:
    if result.exhibition is None:
        # No content at all, not even the shipped one: the supervisor's calm screen, never a
        # black screen or a traceback.
        from kiosk.supervisor import FALLBACK_MESSAGE
        from kiosk.ui.operator import FallbackWindow

        return KioskWindow(FallbackWindow(FALLBACK_MESSAGE))
    family = load_fonts(result)
    shell = Shell(result.exhibition, result.base_dir, clock, family, analytics=analytics)
    return KioskWindow(shell)


def parse_size(text: str | None, default: tuple[int, int] = (1920, 1080)) -> tuple[int, int]:
    if not text:
        return default
    w, _, h = text.lower().partition("x")
    return int(w), int(h)


def smoke(window: KioskWindow, clock: AnimationClock) -> int:
    """Draw every screen once, print a ready line with the first-frame time, exit 0."""
    shell = window.shell
    first_frame_ms = None
    if not isinstance(shell, Shell):
        window.grab()
        print(f"KIOSK READY first_frame_ms={process_age_ms():.0f} screens=0 (no content)", flush=True)
        return 1
    for i in range(shell.screen_count):
        shell.go_to(i)
        clock.advance(1 / 60)
        image = window.grab()
        if image.isNull():
            print(f"KIOSK FAILED screen {shell.current.screen_id} drew nothing", flush=True)
            return 1
        if first_frame_ms is None:
            first_frame_ms = process_age_ms()
    # Spoken mode's text for every screen in every language: proves num2words' languages made it
    # into a frozen bundle (issue 15).
    from kiosk.narration import spoken_lines

    ex = shell.exhibition
    spoken = sum(len(spoken_lines(s, ex, lang, base_dir=shell.base_dir)) for s in ex.screens for lang in ex.languages.available)
    print(f"KIOSK READY first_frame_ms={first_frame_ms:.0f} screens={len(shell.screens)} spoken_lines={spoken}", flush=True)
    shell.shutdown()
    return 0


def stop_on_signals(app: QApplication) -> None:
    """SIGTERM (systemd, the supervisor) and SIGINT end the event loop cleanly: the visit in
    progress is recorded and the log says why the kiosk stopped. Python runs signal handlers
    between bytecodes; the animation clock's timer gives it that chance many times a second."""

    def stop(signum, _frame) -> None:
        log.info("stopping on signal %s", signal.Signals(signum).name)
        app.exit(0)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)


def main(args) -> int:
    from kiosk.logs import setup_logging

    setup_logging()
    if args.smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application()
    fleet = _fleet_settings(args)
    path = find_content(args.content)
    if args.content is None and fleet is not None:
        from kiosk.sync.runtime import synced_content

        path = synced_content(fleet.settings_result.settings) or path
    result = load_with_fallback(path)
    log.info("showing content %s (sha256 %s)", result.path, _digest(result.path))
    clock = AnimationClock(parent=app)
    analytics = None
    if not args.smoke:
        from kiosk.analytics import open_analytics

        from kiosk.sync.settings import FleetSettings

        kiosk_id = fleet.settings_result.settings.kiosk_id if fleet is not None else FleetSettings().kiosk_id
        analytics = open_analytics(kiosk_id=kiosk_id)
    window = build_window(result, clock, analytics)
    if args.smoke:
        window.resize(*parse_size(args.size))
        window.show()
        return smoke(window, clock)
    if args.windowed:
        window.resize(*parse_size(args.size, (1280, 720)))
        window.show()
    else:
        window.cover_screen()
    extras = _install_unattended(app, window, result, path, args.windowed, analytics, fleet, clock)
    clock.start()
    if isinstance(window.shell, Shell):
        from kiosk.ui.autopilot import start_from_env

        window.shell.autopilot = start_from_env(window.shell)  # only with KIOSK_AUTOPILOT (tests)
        window.shell.idle.start()
        # After the first frame: build the walk's screens while the attract loop plays.
        QTimer.singleShot(200, window.shell.prebuild_in_background)
    QTimer.singleShot(0, lambda: log.info("first frame after %.0f ms", process_age_ms()))
    stop_on_signals(app)
    code = app.exec()
    if isinstance(window.shell, Shell):
        window.shell.shutdown()  # ends the visit in progress, so analytics records it
    for extra in extras:
        if hasattr(extra, "stop"):
            extra.stop()
    if analytics is not None and hasattr(analytics, "close"):
        analytics.close()
    return code


def _digest(path: Path | None) -> str:
    """Which version of the content file is shown (the power-cut test compares it)."""
    import hashlib

    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except (OSError, TypeError):
        return "-"


def _install_unattended(app, window: KioskWindow, result: LoadResult, path: Path, windowed: bool, analytics, fleet=None, clock=None) -> list:
    """Hot reload, lockdown, operator mode, the supervisor's heartbeat, fleet features."""
    if not isinstance(window.shell, Shell):
        return []
    from kiosk.ui.wiring import install

    return install(app, window, window.shell, result, path, windowed=windowed, analytics=analytics, fleet=fleet, clock=clock)


class _Fleet:
    def __init__(self, settings_result) -> None:
        self.settings_result = settings_result


def _fleet_settings(args) -> _Fleet | None:
    """fleet.yaml (issue 14), or None for a stand-alone kiosk. Problems go to the log and panel."""
    from kiosk.sync.settings import find_settings, load_settings

    path = find_settings(getattr(args, "fleet", None))
    if path is None:
        return None
    result = load_settings(path)
    for problem in result.problems:
        log.error("%s", problem.headline())
    if not result.ok:
        log.error("fleet settings %s have errors: sync, heartbeat, metrics and opening hours are off", path)
    return _Fleet(result)
