"""Liveness pings in the Healthchecks convention, so any dead-man's switch can watch a kiosk.

`<url>` = "I am alive", `<url>/start` = "just launched", `<url>/fail` = "something went wrong"
(the supervisor sends it after catching a crash). A Healthchecks server alerts when the plain
pings stop. POST carries a small JSON body (Healthchecks keeps it with the ping); GET carries the
same fields in the query string. A closed kiosk (outside opening hours) keeps pinging with
`"state": "closed"`, so switching off on purpose never looks like a failure.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Callable

from kiosk import __version__
from kiosk.sync.settings import HeartbeatSettings, check_url

log = logging.getLogger(__name__)


def ping_url(base: str, kind: str = "") -> str:
    base = base.rstrip("/")
    return f"{base}/{kind}" if kind else base


def ping(settings: HeartbeatSettings, kind: str, info: dict) -> bool:
    """One ping; True when the server answered 2xx. Never raises."""
    url = ping_url(settings.url, kind)
    try:
        check_url(url)
        body = None
        headers = {"User-Agent": f"negative-emissions-kiosk/{__version__}"}
        if settings.method == "POST":
            body = json.dumps(info, sort_keys=True).encode()
            headers["Content-Type"] = "application/json"
        else:
            url += "?" + urllib.parse.urlencode({k: v for k, v in info.items() if v is not None})
        req = urllib.request.Request(url, data=body, headers=headers, method=settings.method)
        with urllib.request.urlopen(req, timeout=settings.timeout_s) as resp:
            resp.read(1024)
            return 200 <= resp.status < 300
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.warning("heartbeat %s failed: %s", kind or "ping", getattr(exc, "reason", exc))
        return False


class Heartbeat:
    """Pings `/start` once, then the plain URL every `interval_s`, on its own thread."""

    def __init__(self, settings: HeartbeatSettings, info: Callable[[], dict]) -> None:
        self.settings = settings
        self.info = info
        self.sent = 0
        self.failed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-heartbeat", daemon=True)

    def start(self) -> "Heartbeat":
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _send(self, kind: str) -> None:
        try:
            info = self.info()
        except Exception:  # noqa: BLE001
            log.exception("heartbeat: cannot gather the kiosk's figures")
            info = {}
        if ping(self.settings, kind, info):
            self.sent += 1
        else:
            self.failed += 1

    def _run(self) -> None:
        self._send("start")
        while not self._stop.wait(self.settings.interval_s):
            self._send("")


def kiosk_info(kiosk_id: str, started: float, content_version: Callable[[], int | None], state: Callable[[], str]) -> Callable[[], dict]:
    """What every ping carries: kiosk id, program version, content version, uptime, open/closed."""

    def info() -> dict:
        return {
            "kiosk": kiosk_id,
            "version": __version__,
            "content_version": content_version(),
            "uptime_s": round(time.time() - started),
            "state": state(),
        }

    return info
