"""Everything fleet-related a running kiosk starts, from its fleet settings; no Qt.

The shell side (kiosk.ui.fleet) passes in what only it knows (frame time, open or closed,
visits today) as callables, and gets "new content ready" through `on_ready`, called on the sync
thread: the UI must hop to its own thread before touching widgets.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Callable

from kiosk.sync.client import SyncResult, Syncer
from kiosk.sync.heartbeat import Heartbeat, kiosk_info
from kiosk.sync.metrics import Figures, MetricsWriter
from kiosk.sync.settings import FleetSettings
from kiosk.sync.store import BundleStore
from kiosk.sync.worker import SyncWorker

log = logging.getLogger(__name__)

CRASH_RESTARTS_ENV = "KIOSK_CRASH_RESTARTS"  # set by the supervisor for the kiosk it starts


def bundles_dir() -> Path:
    from platformdirs import user_data_path

    from kiosk.locate import APP_NAME

    return user_data_path(APP_NAME) / "bundles"


def synced_content(settings: FleetSettings, root: Path | None = None) -> Path | None:
    """content.yaml of the bundle in use, when sync is on and one has arrived."""
    if settings.sync is None:
        return None
    try:
        return BundleStore(root or bundles_dir(), keep=settings.sync.keep).current_content()
    except OSError as exc:
        log.warning("sync: cannot open the bundle folder (%s)", exc)
        return None


class FleetRuntime:
    def __init__(
        self,
        settings: FleetSettings,
        *,
        on_ready: Callable[[SyncResult], None] | None = None,
        frame_time: Callable[[], float | None] = lambda: None,
        is_open: Callable[[], bool] = lambda: True,
        visits_today: Callable[[], int | None] = lambda: None,
        bundles_root: Path | None = None,
    ) -> None:
        self.settings = settings
        self.started = time.time()
        self.on_ready = on_ready
        self.frame_time = frame_time
        self.is_open = is_open
        self.visits_today = visits_today
        self.worker: SyncWorker | None = None
        self.heartbeat: Heartbeat | None = None
        self.metrics: MetricsWriter | None = None
        self.store: BundleStore | None = None
        if settings.sync is not None:
            self.store = BundleStore(bundles_root or bundles_dir(), keep=settings.sync.keep)
            self.worker = SyncWorker(Syncer(settings.sync, self.store), on_ready=self._ready)
        if settings.heartbeat is not None:
            state = lambda: "open" if self.is_open() else "closed"  # noqa: E731
            self.heartbeat = Heartbeat(settings.heartbeat, kiosk_info(settings.kiosk_id, self.started, self.content_version, state))
        if settings.metrics is not None:
            self.metrics = MetricsWriter(Path(settings.metrics.textfile_dir), settings.kiosk_id, self.figures, settings.metrics.interval_s)

    def _ready(self, result: SyncResult) -> None:
        if self.on_ready is not None:
            self.on_ready(result)

    def content_version(self) -> int | None:
        return self.store.current_version if self.store is not None else None

    def problems(self) -> list[str]:
        problem = self.worker.problem if self.worker is not None else None
        return [problem] if problem else []

    def figures(self) -> Figures:
        last = self.worker.last if self.worker is not None else None
        installed = self.store.state().get("installed_at") if self.store is not None else None
        try:
            crashes = int(os.environ.get(CRASH_RESTARTS_ENV, "0"))
        except ValueError:
            crashes = 0
        return Figures(
            content_version=self.content_version(),
            content_installed_at=installed if isinstance(installed, (int, float)) else None,
            last_sync=last.status if last is not None else "none",
            last_sync_at=last.at if last is not None else None,
            visits_today=self.visits_today(),
            frame_time_s=self.frame_time(),
            open=self.is_open(),
            crash_restarts=crashes,
        )

    def start(self) -> "FleetRuntime":
        for part in (self.worker, self.heartbeat, self.metrics):
            if part is not None:
                part.start()
        return self

    def stop(self) -> None:
        for part in (self.worker, self.heartbeat, self.metrics):
            if part is not None:
                part.stop()
        if self.metrics is not None:
            self.metrics.write_now()  # the last figures, with the final state
