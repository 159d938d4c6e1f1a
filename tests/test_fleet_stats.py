"""Issue 14, part 6: every visit carries its kiosk id; `kiosk stats` adds up several kiosks."""

from __future__ import annotations

import json
import sqlite3

from kiosk.analytics import Analytics
from kiosk.cli import main as kiosk
from test_stats import Clock, at, visit

WALK = [("intro", 20), ("flow", 40), ("technologies", 60), ("coalition", 30)]


def record(path, kiosk_id, visits):
    clock = Clock(0)
    a = Analytics(path, clock=clock, kiosk_id=kiosk_id)
    for day, hour, n in visits:
        visit(a, clock, at(day, hour), WALK[:n])
    a.close()
    return path


def test_every_row_carries_the_kiosk_id(tmp_path):
    db = record(tmp_path / "a.sqlite3", "hall-a-1", [(20, 10, 2)])
    rows = sqlite3.connect(db).execute("SELECT kiosk_id FROM sessions").fetchall()
    assert rows == [("hall-a-1",)]


def test_an_old_database_gains_the_column(tmp_path):
    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, started REAL NOT NULL, ended REAL NOT NULL,"
        " duration_s REAL NOT NULL, start_lang TEXT NOT NULL, end_reason TEXT NOT NULL,"
        " reached_coalition INTEGER NOT NULL DEFAULT 0, languages TEXT NOT NULL DEFAULT '', settings TEXT NOT NULL DEFAULT '')"
    )
    # A recent visit: one from months back would be rolled up into daily totals (issue 13).
    conn.execute("INSERT INTO sessions (started, ended, duration_s, start_lang, end_reason) VALUES (?, ?, 1, 'en', 'idle')",
                 (at(19, 12), at(19, 12) + 1))
    conn.commit()
    conn.close()
    record(db, "hall-z", [(20, 10, 1)])
    rows = sqlite3.connect(db).execute("SELECT kiosk_id FROM sessions ORDER BY id").fetchall()
    assert rows == [("",), ("hall-z",)]


def test_export_then_report_per_kiosk_and_in_total(tmp_path, capsys):
    a = record(tmp_path / "a.sqlite3", "hall-a-1", [(20, 10, 4), (20, 11, 1), (21, 9, 4)])
    b = record(tmp_path / "b.sqlite3", "foyer-b-2", [(20, 12, 2), (21, 15, 4)])
    assert kiosk(["stats", "export", "--db", str(a), "--out", str(tmp_path / "hall-a-1.json")]) == 0
    sent_in = json.loads((tmp_path / "hall-a-1.json").read_text())
    assert sent_in["kiosk_id"] == "hall-a-1" and len(sent_in["sessions"]) == 3
    assert sent_in["sessions"][0]["screens"] == ["intro", "flow", "technologies", "coalition"]
    capsys.readouterr()
    # one site sent a file, the other site's database is read directly
    assert kiosk(["stats", str(tmp_path / "hall-a-1.json"), str(b)]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line.split() for line in out.splitlines()[:5] if line.startswith("  ")}
    assert lines["hall-a-1"][1] == "3" and lines["foyer-b-2"][1] == "2" and lines["total"][1] == "5"
    assert lines["hall-a-1"][-2] == "2" and lines["total"][-2] == "3"  # reached the coalition screen
    assert "5 sessions on 2 days" in out  # the usual report, over the whole fleet


def test_since_filters_exports_too(tmp_path, capsys):
    a = record(tmp_path / "a.sqlite3", "hall-a-1", [(20, 10, 4), (21, 9, 4)])
    kiosk(["stats", "export", "--db", str(a), "--out", str(tmp_path / "a.json")])
    capsys.readouterr()
    assert kiosk(["stats", str(tmp_path / "a.json"), "--since", "2026-11-21"]) == 0
    out = capsys.readouterr().out
    total = next(line.split() for line in out.splitlines() if line.strip().startswith("total"))
    assert total[1] == "1"


def test_a_file_that_is_not_an_export_is_refused(tmp_path, capsys):
    (tmp_path / "x.json").write_text('{"hello": 1}')
    assert kiosk(["stats", str(tmp_path / "x.json")]) == 1
    assert "kiosk stats export" in capsys.readouterr().err
