"""Issue 14 end to end: the real kiosk program, started with a fleet.yaml, pulls a signed bundle
from a real nginx, shows it, and its metrics file says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from fleet_helpers import Nginx, Publisher


def test_kiosk_pulls_shows_and_reports_a_bundle(tmp_path):
    pub = Publisher(tmp_path / "pub", tmp_path / "www")
    pub.publish(3, "Hello from the fleet")
    prom = tmp_path / "prom" / "kiosk.prom"
    with Nginx(tmp_path / "www", tmp_path / "nginx") as server:
        fleet = tmp_path / "fleet.yaml"
        fleet.write_text(
            f"kiosk_id: e2e-1\nsync:\n  url: {server.url}/bundle.tar.gz\n  public_key: {pub.keys.public_base64}\n"
            f"  interval_s: 2\nmetrics:\n  textfile_dir: {prom.parent}\n  interval_s: 1\n"
        )
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_NO_ANALYTICS="1")
        for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            env[name] = str(tmp_path / name.lower())
        for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
            env.pop(name, None)
        kiosk = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "run", "--windowed", "--fleet", str(fleet)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                text = prom.read_text() if prom.is_file() else ""
                if 'kiosk_content_version{kiosk="e2e-1"} 3.0' in text and 'result="unchanged"} 1.0' in text:
                    break
                time.sleep(0.2)
        finally:
            kiosk.send_signal(signal.SIGTERM)
            out, _ = kiosk.communicate(timeout=30)
    assert kiosk.returncode == 0, out
    assert 'kiosk_content_version{kiosk="e2e-1"} 3.0' in text, out
    assert "bundles/v3/content.yaml" in out and "new content applied" in out
    assert 'kiosk_frame_time_seconds{kiosk="e2e-1"}' in text
