"""The sync loop on its own thread: the UI never waits for the network.

Polls every `interval_s` (each wait jittered by ±10 % so a fleet started together does not stay
in step); after a failure waits with exponential back-off and full jitter (AWS' "full jitter":
a random time between `interval_s` and min(cap, interval_s * 2**failures), the cap being
8 intervals, at most an hour). New content is handed
to `on_ready(content_path, version)` — the shell applies it at the next screen change.
"""

from __future__ import annotations

import logging
import random
import threading
from typing import Callable

from kiosk.sync.client import SyncResult, Syncer

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 3600.0
BACKOFF_INTERVALS = 8  # never wait more than 8 poll intervals: a server back after an outage is
# noticed within that (benchmarks/fleet.py, a 60 s outage at 5 s polls: all 20 clients back on
# the new bundle 147.5 s after the server returned with only the one-hour cap, 33.8 s with this one)


def next_delay(interval_s: float, failures: int, rng: random.Random, cap_s: float = MAX_BACKOFF_S) -> float:
    if failures <= 0:
        return interval_s * rng.uniform(0.9, 1.1)
    ceiling = min(cap_s, interval_s * (2 ** min(failures, 20)))
    return rng.uniform(interval_s, max(interval_s, ceiling))


class SyncWorker:
    def __init__(
        self,
        syncer: Syncer,
        on_ready: Callable[[SyncResult], None] | None = None,
        on_result: Callable[[SyncResult], None] | None = None,
        *,
        interval_s: float | None = None,
        max_backoff_s: float | None = None,
        seed: int | None = None,
    ) -> None:
        self.syncer = syncer
        self.on_ready = on_ready
        self.on_result = on_result
        self.interval_s = interval_s if interval_s is not None else syncer.settings.interval_s
        self.max_backoff_s = max_backoff_s if max_backoff_s is not None else min(MAX_BACKOFF_S, BACKOFF_INTERVALS * self.interval_s)
        self.rng = random.Random(seed)
        self.failures = 0
        self.last: SyncResult | None = None
        self.last_ok_at: float | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)

    def start(self) -> "SyncWorker":
        self._thread.start()
        return self

    def poll_now(self) -> None:
        """Ask for a poll at once (operator panel), without waiting for it."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def problem(self) -> str | None:
        """The last failure, for the operator panel, while it is the latest word."""
        if self.last is None or self.last.ok:
            return None
        return f"sync {self.last.status}: {self.last.message}"

    def _run(self) -> None:
        try:
            self.syncer.store.clear_staging()  # leftovers of a run killed mid-download
        except OSError:
            pass
        while not self._stop.is_set():
            result = self.syncer.poll()
            self.last = result
            if result.ok:
                self.failures = 0
                self.last_ok_at = result.at
            else:
                self.failures += 1
            for callback in (self.on_result, self.on_ready if result.status == "updated" else None):
                if callback is not None:
                    try:
                        callback(result)
                    except Exception:  # noqa: BLE001
                        log.exception("sync: callback failed")
            delay = next_delay(self.interval_s, self.failures, self.rng, self.max_backoff_s)
            self._wake.wait(delay)
            self._wake.clear()
