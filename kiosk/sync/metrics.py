"""Prometheus metrics in node_exporter's textfile-collector format, written by prometheus_client.

node_exporter reads every `*.prom` file in `--collector.textfile.directory` on each scrape; the
kiosk rewrites `kiosk.prom` there every `interval_s`. prometheus_client's `write_to_textfile`
writes a temporary file and renames it, so node_exporter never reads half a file.

Every series carries `kiosk="<kiosk id>"`, so one Prometheus can hold a whole fleet.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from prometheus_client import CollectorRegistry, Gauge, write_to_textfile

log = logging.getLogger(__name__)

SYNC_RESULTS = ("updated", "unchanged", "refused", "unreachable", "none")
FILE_NAME = "kiosk.prom"


@dataclass
class Figures:
    """What the kiosk knows at one moment; None = unknown (the series is left out)."""

    content_version: int | None = None
    content_installed_at: float | None = None  # Unix time the content in use arrived
    last_sync: str = "none"
    last_sync_at: float | None = None
    visits_today: int | None = None
    frame_time_s: float | None = None
    open: bool = True
    crash_restarts: int = 0


def resident_bytes() -> int | None:
    """This process's resident memory (Linux /proc; elsewhere ru_maxrss as the best guess)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        try:
            import resource

            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        except Exception:  # noqa: BLE001
            return None


def write_metrics(path: Path, kiosk_id: str, figures: Figures, now: float | None = None) -> None:
    now = time.time() if now is None else now
    reg = CollectorRegistry()
    label = ["kiosk"]

    def gauge(name: str, doc: str, value: float | None, labels: list[str] | None = None, **extra: str) -> Gauge:
        g = Gauge(name, doc, label + (labels or []), registry=reg)
        if value is not None:
            g.labels(kiosk=kiosk_id, **extra).set(value)
        return g

    gauge("kiosk_up", "1 while the kiosk program runs (the file's age tells if it stopped)", 1)
    gauge("kiosk_open", "1 within opening hours, 0 while blanked on purpose", 1 if figures.open else 0)
    gauge("kiosk_content_version", "Version of the content bundle in use", figures.content_version)
    age = None if figures.content_installed_at is None else max(0.0, now - figures.content_installed_at)
    gauge("kiosk_content_age_seconds", "Seconds since the content in use arrived", age)
    result = Gauge("kiosk_last_sync_result", "1 for the result of the last sync attempt", label + ["result"], registry=reg)
    for r in SYNC_RESULTS:
        result.labels(kiosk=kiosk_id, result=r).set(1 if figures.last_sync == r else 0)
    gauge("kiosk_last_sync_timestamp_seconds", "Unix time of the last sync attempt", figures.last_sync_at)
    gauge("kiosk_visits_today", "Visits started today", figures.visits_today)
    gauge("kiosk_frame_time_seconds", "Median time between animation frames, last few seconds", figures.frame_time_s)
    gauge("kiosk_resident_memory_bytes", "Resident memory of the kiosk process", resident_bytes())
    gauge("kiosk_crash_restarts", "Restarts after a crash since the supervisor started", figures.crash_restarts)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_to_textfile(str(path), reg)


class MetricsWriter:
    """Rewrites the textfile every `interval_s` on its own thread; `figures()` is called there."""

    def __init__(self, directory: Path, kiosk_id: str, figures: Callable[[], Figures], interval_s: float = 15.0) -> None:
        self.path = Path(directory) / FILE_NAME
        self.kiosk_id = kiosk_id
        self.figures = figures
        self.interval_s = interval_s
        self.writes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-metrics", daemon=True)

    def start(self) -> "MetricsWriter":
        self._thread.start()
        return self

    def write_now(self) -> bool:
        try:
            write_metrics(self.path, self.kiosk_id, self.figures())
            self.writes += 1
            return True
        except Exception as exc:  # noqa: BLE001 - metrics must never take the kiosk down
            log.warning("metrics: cannot write %s (%s)", self.path, exc)
            return False

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        self.write_now()
        while not self._stop.wait(self.interval_s):
            self.write_now()
