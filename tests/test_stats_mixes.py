"""`kiosk stats` reports the removal mixes visitors finished: per day and language, the median
amount of each method and the share that reached the goal (issue 12)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt

from kiosk import stats
from kiosk.analytics import Analytics


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def at(day: int, hour: int) -> float:
    return dt.datetime(2026, 11, day, hour).timestamp()


def make_db(tmp_path):
    path = tmp_path / "analytics.sqlite3"
    clock = Clock(at(20, 9))
    a = Analytics(path, clock=clock)
    a.start_session("en")  # one visit, so the report has a period
    a.end_session("idle")
    mixes = [
        (at(20, 10), "en", {"forests": 3.0, "daccs": 6.0}),  # 9 Gt: reached
        (at(20, 11), "en", {"forests": 1.0, "daccs": 1.0}),  # 2 Gt
        (at(20, 12), "en", {"forests": 2.0, "soil": 4.0}),  # 6 Gt
        (at(20, 13), "de", {"beccs": 5.0, "weathering": 4.0}),  # 9 Gt: reached
        (at(21, 10), "en", {"forests": 0.5}),
    ]
    for t, lang, parts in mixes:
        clock.t = t
        a.record_mix("removal_mix", lang, parts, 8.75, 0.0)
    a.close()
    return path


def test_text_report_has_medians_per_day_and_language(tmp_path, capsys):
    db = make_db(tmp_path)
    assert stats.main(argparse.Namespace(db=db, since=None, csv=None, png=None)) == 0
    out = capsys.readouterr().out
    assert "Removal mixes finished: 5, reached the goal: 2 (40%)" in out
    lines = [line.split() for line in out.splitlines() if line.strip().startswith("2026-11-")]
    # columns: day, lang, mixes, goal share, then forests, daccs, soil, beccs, weathering (first seen order)
    # 20 Nov, en: forests 3, 1, 2 -> median 2; daccs 6, 1, 0 -> 1; soil 0, 0, 4 -> 0
    assert ["2026-11-20", "en", "3", "33%", "2.00", "1.00", "0.00", "0.00", "0.00"] in lines
    assert ["2026-11-20", "de", "1", "100%", "0.00", "0.00", "0.00", "5.00", "4.00"] in lines
    assert ["2026-11-21", "en", "1", "0%", "0.50", "0.00", "0.00", "0.00", "0.00"] in lines


def test_csv_of_mixes_per_day_and_language(tmp_path, capsys):
    db = make_db(tmp_path)
    out = tmp_path / "visits.csv"
    assert stats.main(argparse.Namespace(db=db, since="2026-11-20", csv=str(out), png=None)) == 0
    with open(tmp_path / "visits-mixes.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    first = rows[0]
    assert (first["date"], first["lang"], first["mixes"], first["reached_goal_pct"]) == ("2026-11-20", "de", "1", "100.0")
    assert first["median_beccs_gt"] == "5.0"
    assert [(r["date"], r["lang"]) for r in rows] == [("2026-11-20", "de"), ("2026-11-20", "en"), ("2026-11-21", "en")]


def test_since_filters_mixes_too(tmp_path, capsys):
    db = make_db(tmp_path)
    report = stats.load(db, dt.date(2026, 11, 21))
    assert [dict(m.parts) for m in report.mixes] == [{"forests": 0.5}]


def test_a_database_from_before_the_mixes_table_reads_as_no_mixes(tmp_path):
    from kiosk.analytics import mixes_since

    path = tmp_path / "old.sqlite3"
    a = Analytics(path, clock=Clock(at(20, 9)))
    a.start_session("en")
    a.end_session("idle")
    a.close()  # sessions only: no mix was ever finished, so there is no mixes table
    assert mixes_since(path, 0.0) == []
    assert stats.load(path).mixes == []


def test_a_damaged_mix_row_is_skipped_not_fatal(tmp_path):
    import sqlite3

    from kiosk.analytics import mixes_since

    path = make_db(tmp_path)
    con = sqlite3.connect(path)
    con.execute("UPDATE mixes SET parts = 'not json' WHERE id = 1")
    con.commit()
    con.close()
    assert len(mixes_since(path, 0.0)) == 4  # of 5
