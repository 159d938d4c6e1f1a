"""Visit analytics: what a scripted visit leaves in the database, and a kiosk that never stops
for a locked or full disk."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from kiosk import analytics
from kiosk.analytics import Analytics, NullAnalytics, open_analytics


class FakeClock:
    def __init__(self, t: float = 1_700_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, s: float) -> None:
        self.t += s


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def recorder(tmp_path, clock):
    a = Analytics(tmp_path / "data" / "analytics.sqlite3", clock=clock, busy_timeout_s=0.1)
    yield a
    a.close()


def rows(db, sql):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def scripted_visit(a: Analytics, clock: FakeClock, coalition: bool = True) -> None:
    a.start_session("en")
    a.screen_shown("intro")
    clock.advance(12)
    a.language_changed("de")
    a.screen_shown("technologies")
    clock.advance(30)
    a.setting_used("larger_text")
    a.setting_used("larger_text")  # used twice, recorded once
    a.interaction("method:dac")
    a.interaction("method:dac")
    a.interaction("method:biochar")
    if coalition:
        a.screen_shown("coalition", "coalition")
    else:
        a.screen_shown("storage")
    clock.advance(8)
    a.end_session("idle")


def test_a_scripted_visit_is_recorded(recorder, clock):
    started = clock.t
    scripted_visit(recorder, clock)
    assert recorder.flush(5)
    db = recorder.db_path
    [session] = rows(db, "SELECT started, ended, duration_s, start_lang, end_reason, reached_coalition,"
                         " languages, settings FROM sessions")
    assert session == (started, started + 50, 50.0, "en", "idle", 1, "en,de", "larger_text")
    views = rows(db, "SELECT screen_id, seq, seconds FROM screen_views ORDER BY seq")
    assert views == [("intro", 0, 12.0), ("technologies", 1, 30.0), ("coalition", 2, 8.0)]
    used = rows(db, "SELECT name, count FROM interactions ORDER BY name")
    assert used == [("method:biochar", 1), ("method:dac", 2)]


def test_a_visit_that_stops_early_did_not_reach_the_coalition(recorder, clock):
    scripted_visit(recorder, clock, coalition=False)
    recorder.flush(5)
    assert rows(recorder.db_path, "SELECT reached_coalition FROM sessions") == [(0,)]


def test_idle_time_is_not_counted_as_visiting(recorder, clock):
    recorder.start_session("en")
    recorder.screen_shown("intro")
    clock.advance(10 + 110)  # 10 s reading, then 110 s of idle warning and countdown
    recorder.end_session("idle", idle_s=110)
    recorder.flush(5)
    assert rows(recorder.db_path, "SELECT duration_s FROM sessions") == [(10.0,)]
    assert rows(recorder.db_path, "SELECT seconds FROM screen_views") == [(10.0,)]


def test_the_same_screen_shown_again_is_one_view(recorder, clock):
    recorder.start_session("en")
    recorder.screen_shown("intro")
    clock.advance(5)
    recorder.language_changed("de")
    recorder.screen_shown("intro")  # re-shown in German
    clock.advance(5)
    recorder.screen_shown("flow")
    clock.advance(1)
    recorder.end_session("quit")
    recorder.flush(5)
    assert rows(recorder.db_path, "SELECT screen_id, seconds FROM screen_views ORDER BY seq") == [
        ("intro", 10.0),
        ("flow", 1.0),
    ]


def test_nothing_is_recorded_between_visits(recorder, clock):
    recorder.screen_shown("attract")
    recorder.setting_used("high_contrast")
    recorder.end_session("idle")
    recorder.flush(5)
    assert not recorder.db_path.exists() or rows(recorder.db_path, "SELECT * FROM sessions") == []


def test_close_ends_a_running_visit_as_quit(tmp_path, clock):
    a = Analytics(tmp_path / "a.sqlite3", clock=clock)
    a.start_session("fr")
    a.screen_shown("intro")
    clock.advance(5)
    a.close()
    assert rows(tmp_path / "a.sqlite3", "SELECT end_reason, duration_s FROM sessions") == [("quit", 5.0)]
    assert not a._thread.is_alive()


def test_today_summary(recorder, clock):
    scripted_visit(recorder, clock)
    scripted_visit(recorder, clock, coalition=False)
    summary = recorder.today_summary()
    assert summary == {"sessions": 2, "median_s": 50.0, "reached_coalition": 1}


def test_locked_database_is_logged_and_skipped(recorder, clock, caplog):
    scripted_visit(recorder, clock)  # creates the database
    recorder.flush(5)
    blocker = sqlite3.connect(recorder.db_path, isolation_level=None)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        with caplog.at_level(logging.WARNING, logger="kiosk.analytics"):
            scripted_visit(recorder, clock)  # must not raise or wait for the lock to go
            assert recorder.flush(5)
        assert "database is locked" in caplog.text
        assert "skipped" in caplog.text
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    scripted_visit(recorder, clock)  # the lock is gone: recording carries on
    recorder.flush(5)
    assert rows(recorder.db_path, "SELECT COUNT(*) FROM sessions") == [(2,)]


class FullDiskConnection:
    """Stands in for a connection on a full disk."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def executescript(self, sql):
        return None

    def execute(self, sql, *args):
        if sql.startswith(("BEGIN", "ROLLBACK")):
            return None
        raise self.error

    def executemany(self, sql, seq):
        raise self.error

    def close(self):
        pass


@pytest.mark.parametrize(
    "error",
    [sqlite3.OperationalError("database or disk is full"), OSError(28, "No space left on device")],
    ids=["sqlite-full", "ENOSPC"],
)
def test_full_disk_is_logged_and_skipped(tmp_path, clock, caplog, monkeypatch, error):
    monkeypatch.setattr(analytics.sqlite3, "connect", lambda *a, **k: FullDiskConnection(error))
    a = Analytics(tmp_path / "full.sqlite3", clock=clock)
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.analytics"):
            scripted_visit(a, clock)
            scripted_visit(a, clock)
            assert a.flush(5)
        assert str(error.args[-1]) in caplog.text
        # the same failure twice is one warning, not a flood
        assert caplog.text.count("could not write a visit") == 1
    finally:
        a.close()
    assert not a._thread.is_alive()


def test_unwritable_folder_is_logged_and_skipped(tmp_path, clock, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    a = Analytics(blocker / "analytics.sqlite3", clock=clock)
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.analytics"):
            scripted_visit(a, clock)
            assert a.flush(5)
        assert "skipped" in caplog.text
        assert a.today_summary()["sessions"] == 0
    finally:
        a.close()


def test_no_analytics_env_gives_a_no_op(monkeypatch, tmp_path):
    monkeypatch.setenv("KIOSK_NO_ANALYTICS", "1")
    a = open_analytics(tmp_path / "x.sqlite3")
    assert isinstance(a, NullAnalytics)
    a.start_session("en")
    a.screen_shown("intro")
    a.end_session("idle")
    assert a.today_summary()["sessions"] == 0
    a.close()
    assert not (tmp_path / "x.sqlite3").exists()


def test_open_analytics_records_when_allowed(monkeypatch, tmp_path):
    monkeypatch.setenv("KIOSK_NO_ANALYTICS", "0")
    a = open_analytics(tmp_path / "x.sqlite3")
    try:
        assert isinstance(a, Analytics)
    finally:
        a.close()


def test_default_path_is_the_per_user_data_folder():
    path = analytics.default_db_path()
    assert path.name == "analytics.sqlite3"
    assert "negative-emissions-kiosk" in str(path)


def test_predictions_are_written_at_once_and_counted_per_day(recorder, clock):
    # No visit needs to end first: the next visitor's "today, 6 of 10 ..." counts this guess.
    recorder.prediction("bathtub", "level", "en")
    recorder.prediction("bathtub", "rises", "de")
    recorder.prediction("other", "level", "en")
    assert recorder.predictions_today("bathtub") == {"level": 1, "rises": 1}
    clock.advance(24 * 3600)
    recorder.prediction("bathtub", "level", "fr")
    assert recorder.predictions_today("bathtub") == {"level": 1}  # a new day starts from nothing
    assert rows(recorder.db_path, "SELECT screen_id, answer, lang FROM predictions ORDER BY rowid") == [
        ("bathtub", "level", "en"), ("bathtub", "rises", "de"), ("other", "level", "en"), ("bathtub", "level", "fr"),
    ]
    assert rows(recorder.db_path, "SELECT COUNT(*) FROM sessions") == [(0,)]


def test_no_analytics_counts_no_predictions():
    null = NullAnalytics()
    null.prediction("bathtub", "level", "en")
    assert null.predictions_today("bathtub") == {}
