"""Clocks: idle timing ignores wall-clock jumps (NTP, daylight saving); visit days follow local
time across a DST change. Wall time is faked with a timezone-aware clock in Europe/Berlin around
the last Sundays of October 2026 (clocks go back 03:00 -> 02:00) and March 2027 (02:00 -> 03:00)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from zoneinfo import ZoneInfo

import pytest

from kiosk import stats
from kiosk.analytics import Analytics, local_day

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int, fold: int = 0) -> float:
    """Unix time of a Berlin wall-clock reading (fold=1: the second 02:30 of the autumn night)."""
    return dt.datetime(*args, tzinfo=BERLIN).replace(fold=fold).timestamp()


class WallClock:
    """The time.time() a kiosk would see; can jump as NTP or a badly set BIOS makes it."""

    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


class Monotonic:
    def __init__(self) -> None:
        self.t = 50_000.0

    def __call__(self) -> float:
        return self.t


def visit_at(a: Analytics, wall: WallClock, mono: Monotonic, when: float, seconds: float = 90.0) -> None:
    wall.t = when
    a.start_session("de")
    a.screen_shown("why")
    wall.t += seconds
    mono.t += seconds
    a.end_session("idle")


@pytest.fixture
def berlin_local_time(monkeypatch):
    """The kiosk's own zone set to Berlin, as on a kiosk PC set up there."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# The four visits of the autumn night: before midnight, after midnight (summer time), in the
# repeated hour (winter time), and late on the 25-hour Sunday.
AUTUMN = [
    (berlin(2026, 10, 24, 23, 30), dt.date(2026, 10, 24)),
    (berlin(2026, 10, 25, 0, 30), dt.date(2026, 10, 25)),
    (berlin(2026, 10, 25, 2, 30, fold=1), dt.date(2026, 10, 25)),
    (berlin(2026, 10, 25, 23, 30), dt.date(2026, 10, 25)),
]
SPRING = [
    (berlin(2027, 3, 27, 23, 45), dt.date(2027, 3, 27)),
    (berlin(2027, 3, 28, 1, 50), dt.date(2027, 3, 28)),
    (berlin(2027, 3, 28, 3, 10), dt.date(2027, 3, 28)),  # ten minutes after 01:59:59 CET
    (berlin(2027, 3, 28, 23, 50), dt.date(2027, 3, 28)),
]


@pytest.mark.parametrize("visits", [AUTUMN, SPRING], ids=["october", "march"])
def test_operator_panel_counts_the_local_day_across_a_dst_change(tmp_path, visits):
    wall, mono = WallClock(visits[0][0]), Monotonic()
    a = Analytics(tmp_path / "analytics.sqlite3", clock=wall, monotonic=mono, tz=BERLIN)
    try:
        for when, _day in visits:
            visit_at(a, wall, mono, when)
        wall.t = visits[-1][0] + 300  # 23:36 / 23:56: the panel opened late on the Sunday
        summary = a.today_summary()
    finally:
        a.close()
    expected = sum(1 for when, day in visits if day == local_day(wall.t, BERLIN))
    assert local_day(wall.t, BERLIN) in {d for _, d in visits}
    assert summary["sessions"] == expected == 3


@pytest.mark.parametrize("visits", [AUTUMN, SPRING], ids=["october", "march"])
def test_stats_puts_each_visit_on_its_local_day(tmp_path, berlin_local_time, visits):
    wall, mono = WallClock(visits[0][0]), Monotonic()
    db = tmp_path / "analytics.sqlite3"
    a = Analytics(db, clock=wall, monotonic=mono)  # the system zone, set to Berlin
    try:
        for when, _day in visits:
            visit_at(a, wall, mono, when)
    finally:
        a.close()
    per_day = {day: len(items) for day, items in stats.load(db).per_day().items()}
    assert per_day == {visits[0][1]: 1, visits[1][1]: 3}
    hours = stats.load(db).by_hour()
    assert hours[23] == 2  # both late visits at 23 local, whichever offset applied


def test_daily_totals_use_the_local_day(tmp_path):
    wall, mono = WallClock(AUTUMN[0][0]), Monotonic()
    db = tmp_path / "analytics.sqlite3"
    a = Analytics(db, clock=wall, monotonic=mono, tz=BERLIN, raw_days=1)
    try:
        for when, _day in AUTUMN:
            visit_at(a, wall, mono, when)
        wall.t = berlin(2026, 10, 28, 12, 0)  # three days later: all four are rolled up
        visit_at(a, wall, mono, wall.t)
        assert a.flush(5)
    finally:
        a.close()
    with sqlite3.connect(db) as conn:
        totals = dict(conn.execute("SELECT day, sessions FROM daily_totals"))
    assert totals == {"2026-10-24": 1, "2026-10-25": 3}


def test_a_wall_clock_jump_during_a_visit_does_not_change_its_length(tmp_path):
    wall, mono = WallClock(berlin(2026, 10, 25, 2, 50)), Monotonic()
    db = tmp_path / "analytics.sqlite3"
    a = Analytics(db, clock=wall, monotonic=mono)
    try:
        a.start_session("en")
        a.screen_shown("why")
        mono.t += 40
        wall.t += 40 - 3600  # NTP (or a DST-naive clock) sets the time back an hour mid-visit
        a.screen_shown("flows")
        mono.t += 20
        wall.t += 20 + 7200  # and then forward two
        a.end_session("idle")
        assert a.flush(5)
    finally:
        a.close()
    with sqlite3.connect(db) as conn:
        [(duration, started, ended)] = conn.execute("SELECT duration_s, started, ended FROM sessions").fetchall()
        views = conn.execute("SELECT screen_id, seconds FROM screen_views ORDER BY seq").fetchall()
    assert duration == 60.0 and ended - started == 60.0
    assert views == [("why", 40.0), ("flows", 20.0)]


def test_idle_reset_ignores_the_wall_clock(qtbot, shipped_content_path, monkeypatch):
    """The running kiosk's idle timer (the shell's default clock) does not see time.time()
    jumping: a visitor is never thrown out because NTP moved the clock on by hours."""
    from kiosk.content.loader import load
    from kiosk.ui.app import KioskWindow
    from kiosk.ui.clock import AnimationClock
    from kiosk.ui.shell import Shell

    result = load(shipped_content_path)
    shell = Shell(result.exhibition, result.base_dir, AnimationClock(), "Sans Serif")
    window = KioskWindow(shell)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    shell._start_walk()
    assert shell.index == 1 and shell.idle.enabled
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 3600)  # the wall clock leaps 3 h
    shell.idle.poll()
    assert not shell.idle.warning_shown
    assert shell.index == 1 and shell.in_session
    monkeypatch.setattr(time, "time", lambda: real_time() - 3 * 3600)  # and back
    shell.idle.poll()
    assert shell.index == 1 and not shell.idle.warning_shown
    shell.shutdown()


def test_idle_warning_and_reset_follow_the_monotonic_clock(qapp):
    from kiosk.ui.idle import IdleMonitor

    mono = Monotonic()
    monitor = IdleMonitor(60, 20, now=mono)
    fired = []
    monitor.timed_out.connect(lambda: fired.append(True))
    monitor.set_enabled(True)
    mono.t += 59
    monitor.poll()
    assert not monitor.warning_shown
    mono.t += 2
    monitor.poll()
    assert monitor.warning_shown and not fired
    mono.t += 20
    monitor.poll()
    assert fired == [True]
