"""Issue 14 in the running kiosk: a synced bundle reaches the shell like a hot reload (never
mid-screen), a refused one shows in the operator panel, and opening hours blank the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from fleet_helpers import Nginx, Publisher, content_copy
from kiosk.content.loader import load
from kiosk.sync.hours import Schedule
from kiosk.sync.settings import FleetSettings
from kiosk.ui.app import KioskWindow, load_fonts
from kiosk.ui.clock import AnimationClock
from kiosk.ui.fleet import Curtain
from kiosk.ui.shell import Shell
from kiosk.ui.wiring import LiveContent, install_fleet


@pytest.fixture
def kiosk(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for name in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    path = content_copy(tmp_path / "local")
    result = load(path)
    clock = AnimationClock()
    shell = Shell(result.exhibition, result.base_dir, clock, load_fonts(result))
    window = KioskWindow(shell)
    window.setFixedSize(1280, 720)
    qtbot.addWidget(window)
    window.show()
    live = LiveContent(shell, path, result, parent=window)
    yield window, shell, live, clock
    live.stop()
    shell.shutdown()


class Fleet:
    def __init__(self, settings):
        from kiosk.sync.settings import SettingsResult

        self.settings_result = SettingsResult(None, settings)


def test_synced_bundle_waits_for_the_next_screen_change_and_bad_ones_reach_the_panel(qtbot, tmp_path, kiosk):
    window, shell, live, clock = kiosk
    pub = Publisher(tmp_path / "pub", tmp_path / "www")
    with Nginx(tmp_path / "www", tmp_path / "nginx") as server:
        settings = FleetSettings.model_validate(
            {"kiosk_id": "test-1", "sync": {"url": f"{server.url}/bundle.tar.gz", "public_key": pub.keys.public_base64, "interval_s": 1}}
        )
        shell._start_walk()
        shown = shell.current.screen_id
        pub.publish(1, "From the server")
        runtime = install_fleet(None, window, live, Fleet(settings), None, clock)
        try:
            qtbot.waitUntil(lambda: shell.has_pending_content, timeout=15000)
            assert shell.current.screen_id == shown and shell.exhibition.title.get("en") != "From the server"
            shell.next()
            assert shell.exhibition.title.get("en") == "From the server"
            assert live.path == runtime.store.current_content()
            # a tampered bundle: refused, listed for the operator, visitors keep what they have
            pub.publish(2, "Tampered")
            served = pub.webroot / "bundle.tar.gz"
            data = bytearray(served.read_bytes())
            data[-50] ^= 1
            served.write_bytes(bytes(data))
            runtime.worker.poll_now()
            qtbot.waitUntil(lambda: any("sync refused" in p for p in live.problems), timeout=15000)
            assert shell.exhibition.title.get("en") == "From the server"
            assert runtime.content_version() == 1
        finally:
            runtime.stop()


def test_outside_opening_hours_the_screen_blanks_and_a_touch_wakes_it(qtbot, kiosk):
    window, shell, live, clock = kiosk
    now = {"t": dt.datetime(2026, 12, 1, 20, 0)}  # a Tuesday evening
    clock.start()
    curtain = Curtain(window, clock, Schedule({"mon-fri": "09:00-18:00"}), now=lambda: now["t"], check_ms=60_000)
    assert curtain.blanked and curtain.cover.isVisible() and not clock.running
    image = window.grab().toImage()
    assert image.pixelColor(640, 360).name() == "#000000"
    QTest.mouseClick(curtain.cover, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    assert not curtain.blanked and clock.running  # woken by a touch, for a while
    now["t"] += dt.timedelta(minutes=11)
    curtain.check()
    assert curtain.blanked  # nobody came: dark again
    now["t"] = dt.datetime(2026, 12, 2, 9, 0)
    curtain.check()
    assert not curtain.blanked and not curtain.cover.isVisible() and clock.running
    clock.stop()
