"""Issue 14, part 3: liveness pings in the Healthchecks convention, against a local HTTP server."""

from __future__ import annotations

import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk import __version__
from kiosk.supervisor import Supervisor, Timings, fleet_crash_reporter
from kiosk.sync.heartbeat import Heartbeat, kiosk_info
from kiosk.sync.settings import HeartbeatSettings


class PingServer:
    """A tiny stand-in for a Healthchecks server: records every request, answers 200 'OK'."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urllib.parse.urlsplit(self.path)
                outer.requests.append((self.command, parts.path, dict(urllib.parse.parse_qsl(parts.query)), body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

            do_GET = do_POST = _record

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/ping/abc-123"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def wait_for(self, n: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.requests) < n and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.requests) >= n, self.requests


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def test_start_then_regular_pings_carry_the_kiosk_figures():
    with PingServer() as server:
        state = {"s": "open"}
        hb = Heartbeat(
            HeartbeatSettings(url=server.url, interval_s=1),
            kiosk_info("hall-a-1", time.time() - 42, lambda: 17, lambda: state["s"]),
        ).start()
        try:
            server.wait_for(2)
            state["s"] = "closed"
            server.wait_for(3)
        finally:
            hb.stop()
    (m1, p1, _, b1), (m2, p2, _, b2), (_, _, _, b3) = server.requests[:3]
    assert (m1, p1) == ("POST", "/ping/abc-123/start")
    assert (m2, p2) == ("POST", "/ping/abc-123")
    info = json.loads(b2)
    assert info["kiosk"] == "hall-a-1" and info["version"] == __version__ and info["content_version"] == 17
    assert info["uptime_s"] >= 42 and info["state"] == "open"
    # outside opening hours the pings go on, marked closed: off on purpose is not a failure
    assert json.loads(b3)["state"] == "closed"


def test_get_pings_carry_the_figures_in_the_query():
    with PingServer() as server:
        hb = Heartbeat(
            HeartbeatSettings(url=server.url + "/", interval_s=60, method="GET"),
            kiosk_info("hall-b-2", time.time(), lambda: None, lambda: "open"),
        ).start()
        try:
            server.wait_for(1)
        finally:
            hb.stop()
    method, path, query, _ = server.requests[0]
    assert (method, path) == ("GET", "/ping/abc-123/start")
    assert query["kiosk"] == "hall-b-2" and query["state"] == "open" and "content_version" not in query


def test_a_ping_server_that_is_down_does_not_stop_the_kiosk():
    hb = Heartbeat(HeartbeatSettings(url="http://127.0.0.1:9/ping/x", interval_s=1, timeout_s=0.5), lambda: {}).start()
    time.sleep(1.5)
    hb.stop()
    assert hb.failed >= 1 and hb.sent == 0


def test_supervisor_pings_fail_after_a_crash(tmp_path):
    with PingServer() as server:
        fleet = tmp_path / "fleet.yaml"
        fleet.write_text(f"kiosk_id: hall-c-3\nheartbeat:\n  url: {server.url}\n")
        crashing = tmp_path / "crash.py"
        crashing.write_text("import os, sys\nopen(sys.argv[1], 'a').write(os.environ['KIOSK_CRASH_RESTARTS'] + '\\n')\nsys.exit(0 if os.path.getsize(sys.argv[1]) > 4 else 3)\n")
        seen = tmp_path / "seen.txt"
        fast = Timings(backoff_start_s=0.05, backoff_max_s=0.1, poll_s=0.02, startup_grace_s=5, crashes_for_fallback=10)
        sup = Supervisor(
            [sys.executable, str(crashing), str(seen)],
            timings=fast,
            on_crash=fleet_crash_reporter(["run", "--fleet", str(fleet)]),
        )
        assert sup.run() == 0
        server.wait_for(2)
    fails = [json.loads(body) for method, path, _, body in server.requests if path.endswith("/fail")]
    assert len(fails) == 2  # two crashes, then a clean exit
    assert fails[0]["kiosk"] == "hall-c-3" and fails[0]["exit_code"] == 3 and fails[0]["event"] == "crash"
    assert [f["crash_restarts"] for f in fails] == [1, 2] or sorted(f["crash_restarts"] for f in fails) == [1, 2]
    # the kiosk it restarts knows how many crashes came before (for its metrics)
    assert seen.read_text().split() == ["0", "1", "2"]
