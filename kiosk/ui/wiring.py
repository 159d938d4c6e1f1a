"""Connect the running kiosk to hot reload, lockdown, operator mode and the supervisor's heartbeat.

Each piece lives in its own module and knows nothing of the others; this is the one place that
plugs them together for a real run (tests build the pieces one by one).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.content.loader import LoadResult
from kiosk.supervisor import RESTART_EXIT_CODE
from kiosk.ui.shell import Shell

log = logging.getLogger(__name__)



class LiveContent(QObject):
    """Hot reload: good edits reach the shell (at the next screen change), bad ones the operator."""

    def __init__(self, shell: Shell, path: Path, initial: LoadResult, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from kiosk.ui.reload import ContentWatcher

        self.shell = shell
        self.path = path
        self.last_reload: datetime | None = datetime.now()
        settle = initial.exhibition.timings.reload_settle_ms if initial.exhibition else 300
        self.watcher = ContentWatcher(path, parent=self, settle_ms=settle, initial=initial)
        self.watcher.reloaded.connect(self._good)
        self.watcher.rejected.connect(self._bad)
        self.extra_problems = lambda: []  # the fleet's sync problems join the panel's list

    @property
    def problems(self) -> list[str]:
        return [p.headline() for p in self.watcher.current_problems] + list(self.extra_problems())

    def switch_to(self, path: Path) -> None:
        """A synced bundle arrived (already verified and checked): watch and offer it instead."""
        from kiosk.content.loader import load
        from kiosk.ui.reload import ContentWatcher

        result = load(path)
        if not result.ok:
            self._bad(result)
            return
        self.watcher.close()
        self.path = path
        self.watcher = ContentWatcher(path, parent=self, settle_ms=result.exhibition.timings.reload_settle_ms, initial=result)
        self.watcher.reloaded.connect(self._good)
        self.watcher.rejected.connect(self._bad)
        self._good(result)

    def _good(self, result: LoadResult) -> None:
        from kiosk.ui.fonts import load_fonts

        self.last_reload = datetime.now()
        family = load_fonts(result)
        self.shell.font_family = family
        self.shell.offer_content(result.exhibition, result.base_dir)
        log.info("content reloaded from %s (%d warnings)", result.path, len(result.problems))

    def _bad(self, result: LoadResult) -> None:
        # Visitors keep the last good content; the operator panel lists what is wrong.
        log.error("content %s rejected; still showing the last good content", result.path)
        for problem in result.problems:
            log.error("%s", problem.headline())

    def reload_now(self) -> None:
        self.watcher.check_now()

    def stop(self) -> None:
        self.watcher.close()


class OperatorMode(QObject):
    """Five taps in the top-left corner, a PIN, then the operator panel over the kiosk."""

    def __init__(self, window: QWidget, shell: Shell, live: LiveContent, lockdown, analytics) -> None:
        super().__init__(window)
        from kiosk.ui.operator import CornerTapGesture

        self.window = window
        self.shell = shell
        self.live = live
        self.lockdown = lockdown
        self.analytics = analytics
        self.gesture = CornerTapGesture(window)
        self.gesture.triggered.connect(self.open_pin_pad)
        self.pad = None
        self.panel = None

    def _cover(self, widget: QWidget) -> None:
        widget.setParent(self.window)
        widget.setGeometry(self.window.rect())
        widget.setAutoFillBackground(True)
        widget.show()
        widget.raise_()

    def open_pin_pad(self) -> None:
        from kiosk.ui.operator import PinPad

        if self.pad is None:
            self.pad = PinPad(self.shell.exhibition.operator.pin_hash)
            self.pad.accepted.connect(self.open_panel)
            self.pad.cancelled.connect(self.pad.hide)
        self.pad.reset()  # an empty entry every time; the lock-out survives (one guard per pad)
        self._cover(self.pad)

    def open_panel(self) -> None:
        from kiosk.ui.operator import OperatorPanel

        if self.pad is not None:
            self.pad.hide()
        if self.panel is None:
            self.panel = OperatorPanel()
            self.panel.reload_requested.connect(self._reload)
            self.panel.toggle_fullscreen_requested.connect(self._toggle_fullscreen)
            self.panel.restart_requested.connect(lambda: self._leave(RESTART_EXIT_CODE))
            self.panel.quit_requested.connect(lambda: self._leave(0))
            self.panel.closed.connect(self.panel.hide)
        self._refresh()
        self._cover(self.panel)

    def _refresh(self) -> None:
        summary = {}
        if hasattr(self.analytics, "today_summary"):
            try:
                summary = self.analytics.today_summary() or {}
            except Exception:  # noqa: BLE001 - statistics must never take the panel down
                log.exception("could not read today's visits")
        # A visit database that had to be moved aside is a problem the operator should see.
        notice = summary.get("notice")
        self.panel.set_status(
            str(self.live.path),
            self.live.last_reload,
            self.live.problems + ([notice] if notice else []),
            int(summary.get("sessions", 0)),
            summary.get("median_s"),
        )
        spoken = getattr(self.shell, "spoken", None)
        if spoken is not None:
            self.panel.set_speech_status(spoken.speaker.status(self.shell.exhibition.languages.available))

    def _reload(self) -> None:
        self.live.reload_now()
        self._refresh()

    def _toggle_fullscreen(self) -> None:
        if self.lockdown is not None:
            self.lockdown.set_fullscreen(not self.lockdown.fullscreen)

    def _leave(self, code: int) -> None:
        if self.lockdown is not None:
            self.lockdown.allow_close()
        self.shell.shutdown()
        QApplication.instance().exit(code)


def install(app, window, shell: Shell, result: LoadResult, path: Path, *, windowed: bool = False, analytics=None, fleet=None, clock=None):
    """Start everything a real, unattended run needs; returns objects with a `stop()` to call at exit."""
    from kiosk.supervisor import start_heartbeat
    from kiosk.ui.lockdown import install_lockdown

    live = LiveContent(shell, path, result, parent=app)
    lockdown = None if windowed else install_lockdown(window, app)
    OperatorMode(window, shell, live, lockdown, analytics)
    start_heartbeat(app)
    extras = [live]
    if lockdown is not None:
        from kiosk.ui.display import DisplayFollower

        # Screens unplugged, replugged, resized, rotated or swapped: cover the screen again.
        extras.append(DisplayFollower(window, lambda: lockdown.fullscreen))
    if fleet is not None and fleet.settings_result.path is not None:
        extras.append(install_fleet(app, window, live, fleet, analytics, clock))
    return extras


def install_fleet(app, window, live: LiveContent, fleet, analytics, clock):
    """Sync, heartbeat, metrics and opening hours from fleet.yaml (issue 14)."""
    from kiosk.sync.hours import Schedule
    from kiosk.sync.runtime import FleetRuntime
    from kiosk.ui.fleet import Curtain, FleetBridge, FrameMeter

    settings = fleet.settings_result.settings
    bridge = FleetBridge(app)
    bridge.content_ready.connect(lambda r: live.switch_to(r.content))
    meter = FrameMeter(clock) if clock is not None else None
    curtain = None
    if settings.opening_hours is not None and clock is not None:
        curtain = Curtain(window, clock, Schedule(settings.opening_hours))

    def visits_today():
        summary = analytics.today_summary() if hasattr(analytics, "today_summary") else {}
        return int((summary or {}).get("sessions", 0))

    runtime = FleetRuntime(
        settings,
        on_ready=bridge.content_ready.emit,
        frame_time=meter.median_s if meter is not None else (lambda: None),
        is_open=(lambda: curtain.is_open) if curtain is not None else (lambda: True),
        visits_today=visits_today,
    )
    if runtime.worker is not None:
        reload_files = live.reload_now

        def reload_and_poll() -> None:  # the panel's "Reload content" also asks the server now
            reload_files()
            runtime.worker.poll_now()

        live.reload_now = reload_and_poll
    settings_problems = [p.headline() for p in fleet.settings_result.problems]
    live.extra_problems = lambda: settings_problems + runtime.problems()
    runtime.bridge, runtime.curtain, runtime.meter = bridge, curtain, meter  # kept alive with the runtime
    return runtime.start()
