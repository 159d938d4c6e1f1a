"""A broken visit database is not the end of counting: it is moved aside, a fresh one is started,
the operator and the log are told, and `kiosk stats` still reads what it can of the old one.
Also: WAL mode, and a database that stays bounded over months (old visits become daily totals).
Every damaged file here is made by the test."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from kiosk import stats
from kiosk.analytics import Analytics, set_aside_files


class FakeClock:
    def __init__(self, t: float = 1_790_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, s: float) -> None:
        self.t += s


def visit(a: Analytics, clock: FakeClock, lang: str = "en", seconds: float = 40.0, screens=("why", "flows")) -> None:
    a.start_session(lang)
    for screen in screens:
        a.screen_shown(screen)
        clock.advance(seconds / len(screens))
    a.end_session("idle")


def sessions_in(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
    finally:
        conn.close()


def damage_pages_of(db: Path, table: str, every: int = 3) -> int:
    """Overwrite every `every`-th leaf page of `table` with garbage; returns pages damaged."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [p for (p,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", (table,))]
    finally:
        conn.close()
    hit = pages[1:-2:every]  # not the newest pages: the writer may still hold those in its WAL
    with open(db, "r+b") as fh:
        for page in hit:
            fh.seek((page - 1) * page_size)
            fh.write(b"\xde\xad\xbe\xef" * (page_size // 4))
    return len(hit)


def test_a_file_that_is_not_a_database_is_moved_aside_and_counting_goes_on(tmp_path, caplog):
    db = tmp_path / "analytics.sqlite3"
    db.write_bytes(b"this is what a half-written copy from a USB stick looks like\n" * 200)
    clock = FakeClock()
    caplog.set_level(logging.INFO)
    a = Analytics(db, clock=clock)
    try:
        visit(a, clock)
        visit(a, clock, lang="de")
        assert a.flush(5)
        summary = a.today_summary()
    finally:
        a.close()
    [aside] = set_aside_files(db)
    assert aside.read_bytes().startswith(b"this is what")  # the evidence is kept, untouched
    assert sessions_in(db) == 2  # both visits counted in the fresh database
    assert summary["sessions"] == 2
    assert aside.name in summary["notice"]
    assert any(r.levelno == logging.ERROR and "moved aside" in r.getMessage() for r in caplog.records)


def test_a_database_damaged_while_the_kiosk_runs_is_set_aside_by_the_next_day(tmp_path):
    db = tmp_path / "analytics.sqlite3"
    clock = FakeClock()
    a = Analytics(db, clock=clock)
    try:
        for _ in range(600):
            visit(a, clock)
        assert a.flush(10)
        assert damage_pages_of(db, "screen_views") >= 1  # a failing card, under the running kiosk
        clock.advance(86_400)
        for _ in range(3):
            visit(a, clock)
        assert a.flush(5)
        notice = a.today_summary().get("notice")
    finally:
        a.close()
    [aside] = set_aside_files(db)
    assert notice and aside.name in notice
    assert sessions_in(db) == 3  # the next day's visits, counted in the fresh database
    assert len(stats.load(db).sessions) == 603  # and the old visits are still in the report


def test_stats_salvages_a_damaged_database_row_by_row(tmp_path, capsys):
    db = tmp_path / "analytics.sqlite3"
    clock = FakeClock()
    a = Analytics(db, clock=clock)
    try:
        for i in range(1500):
            visit(a, clock, lang=("en", "de", "fr")[i % 3])
            if i % 500 == 0:
                a.flush(20)  # the write queue holds 1000 visits; a test is faster than visitors
        assert a.flush(20)
    finally:
        a.close()
    damaged = damage_pages_of(db, "sessions")
    assert damaged >= 2
    with sqlite3.connect(db) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*), sum(duration_s) FROM sessions").fetchall()

    report = stats.load(db)
    # Most visits survive; the ones on damaged pages are lost, and the note says so.
    assert 1000 <= len(report.sessions) < 1500
    assert all(s.screens == ["why", "flows"] for s in report.sessions)
    assert report.notes and "Salvaged" in report.notes[0]

    code = stats.main(SimpleNamespace(db=str(db), since=None, csv=None, png=None))
    out = capsys.readouterr().out
    assert code == 0
    assert f"{len(report.sessions)} sessions" in out
    assert "Salvaged" in out


def test_after_a_move_aside_stats_reads_the_new_and_the_old_database(tmp_path, capsys):
    db = tmp_path / "analytics.sqlite3"
    clock = FakeClock()
    a = Analytics(db, clock=clock)
    for _ in range(400):
        visit(a, clock)
    a.close()
    damage_pages_of(db, "screen_views", every=4)  # quick_check finds it at the next start
    clock.advance(86_400)
    b = Analytics(db, clock=clock)
    try:
        for _ in range(5):
            visit(b, clock, lang="de")
        assert b.flush(5)
        assert b.notice
    finally:
        b.close()
    assert sessions_in(db) == 5
    report = stats.load(db)
    assert len(report.sessions) == 405  # every visit row of the old file was still readable
    assert len(report.days) == 2
    assert sum(1 for s in report.sessions if s.start_lang == "de") == 5


def test_database_runs_in_wal_mode(tmp_path):
    db = tmp_path / "analytics.sqlite3"
    clock = FakeClock()
    a = Analytics(db, clock=clock)
    visit(a, clock)
    a.flush(5)
    try:
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        a.close()


def test_months_of_visits_stay_bounded_as_daily_totals(tmp_path, capsys):
    db = tmp_path / "analytics.sqlite3"
    clock = FakeClock()
    day = 86_400.0
    a = Analytics(db, clock=clock, raw_days=30)
    try:
        for _ in range(90):  # ninety days with twenty visits each, one writer running throughout
            for _ in range(20):
                visit(a, clock, seconds=60)
            assert a.flush(10)  # the day's visits are written before its clock moves on
            clock.advance(day - 20 * 60)
        visit(a, clock)
        assert a.flush(10)
    finally:
        a.close()
    conn = sqlite3.connect(db)
    try:
        raw = conn.execute("SELECT min(started), count(*) FROM sessions").fetchone()
        totals = conn.execute("SELECT day, sessions, median_s FROM daily_totals ORDER BY day").fetchall()
        views = conn.execute("SELECT count(*) FROM screen_views").fetchone()[0]
    finally:
        conn.close()
    assert raw[0] >= clock.t - 31 * day  # nothing older than the raw window is kept raw
    assert raw[1] <= 31 * 20 + 1
    assert views == 2 * raw[1]  # the rolled visits' screen views went with them
    assert len(totals) >= 58 and all(n == 20 and median == pytest.approx(60) for _, n, median in totals)
    assert sum(n for _, n, _ in totals) + raw[1] == 90 * 20 + 1  # nothing lost, only folded
    report = stats.load(db)
    assert len(report.rolled) == len(totals)
    stats.main(SimpleNamespace(db=str(db), since=None, csv=None, png=None))
    out = capsys.readouterr().out
    assert "Earlier days (daily totals" in out
    first = dt.date.fromisoformat(totals[0][0])
    assert f"{first} {first:%a}     20" in out


def test_operator_panel_lists_the_moved_aside_database(qapp, tmp_path):
    from PySide6.QtWidgets import QWidget

    from kiosk.ui.wiring import OperatorMode

    db = tmp_path / "analytics.sqlite3"
    db.write_bytes(b"\x01" * 9000)
    clock = FakeClock()
    a = Analytics(db, clock=clock)
    window = QWidget()
    window.resize(1280, 720)
    live = SimpleNamespace(path=tmp_path / "content.yaml", last_reload=None, problems=[])
    try:
        mode = OperatorMode(window, shell=None, live=live, lockdown=None, analytics=a)
        mode.open_panel()
        texts = mode.panel.problem_texts
        mode.gesture.uninstall()
    finally:
        a.close()
        window.deleteLater()
    assert any("moved aside" in t and "analytics.corrupt-" in t for t in texts)
