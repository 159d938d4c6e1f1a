"""Issue 14, part 4: Prometheus textfile metrics, read back through a real node_exporter."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from fleet_helpers import free_port
from kiosk.sync.metrics import Figures, MetricsWriter, write_metrics


@pytest.fixture
def node_exporter(tmp_path, monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    textfiles = tmp_path / "textfile"
    textfiles.mkdir()
    port = free_port()
    proc = subprocess.Popen(
        [
            "prometheus-node-exporter",
            "--collector.disable-defaults",
            "--collector.textfile",
            f"--collector.textfile.directory={textfiles}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    yield textfiles, f"http://127.0.0.1:{port}/metrics"
    proc.terminate()
    proc.wait(5)


def scrape(url: str) -> dict[tuple[str, tuple], float]:
    with urllib.request.urlopen(url, timeout=5) as r:
        text = r.read().decode()
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_node_exporter_shows_the_kiosk_figures(node_exporter):
    textfiles, url = node_exporter
    now = time.time()
    figures = Figures(
        content_version=1796115258,
        content_installed_at=now - 3600,
        last_sync="refused",
        last_sync_at=now - 5,
        visits_today=37,
        frame_time_s=0.0167,
        open=True,
        crash_restarts=2,
    )
    writer = MetricsWriter(textfiles, "hall-a-1", lambda: figures, interval_s=60)
    assert writer.write_now()
    got = scrape(url)
    k = (("kiosk", "hall-a-1"),)
    assert got[("kiosk_up", k)] == 1
    assert got[("kiosk_content_version", k)] == 1796115258
    assert 3599 <= got[("kiosk_content_age_seconds", k)] <= 3700
    assert got[("kiosk_last_sync_result", (("kiosk", "hall-a-1"), ("result", "refused")))] == 1
    assert got[("kiosk_last_sync_result", (("kiosk", "hall-a-1"), ("result", "updated")))] == 0
    assert got[("kiosk_visits_today", k)] == 37
    assert got[("kiosk_frame_time_seconds", k)] == pytest.approx(0.0167)
    assert got[("kiosk_resident_memory_bytes", k)] > 10 * 1024 * 1024  # this test process
    assert got[("kiosk_crash_restarts", k)] == 2
    # node_exporter read the file without complaint
    assert got[("node_textfile_scrape_error", ())] == 0
    # a later write replaces the figures
    figures.visits_today = 38
    writer.write_now()
    assert scrape(url)[("kiosk_visits_today", k)] == 38
    # and only the finished file is ever there: no temporary file left behind
    assert sorted(p.name for p in textfiles.iterdir()) == ["kiosk.prom"]


def test_unknown_figures_are_left_out_not_zero(tmp_path):
    path = tmp_path / "kiosk.prom"
    write_metrics(path, "k", Figures())
    text = path.read_text()
    assert 'kiosk_content_version{kiosk="k"}' not in text  # a stand-alone kiosk has no bundle version
    assert 'kiosk_last_sync_result{kiosk="k",result="none"} 1.0' in text


def test_metrics_folder_that_cannot_be_written_is_logged_not_fatal(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    writer = MetricsWriter(blocker / "sub", "k", Figures, interval_s=60)
    assert writer.write_now() is False
    assert "cannot write" in caplog.text
