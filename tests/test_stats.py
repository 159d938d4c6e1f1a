"""`kiosk stats`: the organiser's summary, CSV and chart from the visit database."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import subprocess
import sys

import pytest

from kiosk import stats
from kiosk.analytics import Analytics


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def at(day: int, hour: int, minute: int = 0) -> float:
    return dt.datetime(2026, 11, day, hour, minute).timestamp()


def visit(a: Analytics, clock: Clock, start: float, screens: list[tuple[str, float]], lang="en", other_lang=None,
          setting=None) -> None:
    clock.t = start
    a.start_session(lang)
    for i, (screen, seconds) in enumerate(screens):
        a.screen_shown(screen, "coalition" if screen == "coalition" else None)
        if i == 0 and other_lang:
            a.language_changed(other_lang)
        if setting:
            a.setting_used(setting)
        if screen == "technologies":
            a.interaction("method:dac")
        clock.t += seconds
    a.end_session("idle")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "analytics.sqlite3"
    clock = Clock(0)
    a = Analytics(path, clock=clock)
    walk = [("intro", 20), ("flow", 40), ("technologies", 60), ("coalition", 30)]
    visit(a, clock, at(20, 10), walk[:1])                      # 20 s, left at once
    visit(a, clock, at(20, 10, 30), walk[:2], lang="de")       # 60 s
    visit(a, clock, at(20, 14), walk, other_lang="fr", setting="larger_text")  # 150 s
    visit(a, clock, at(21, 11), walk[:3])                      # 120 s
    visit(a, clock, at(21, 14, 15), walk)                      # 150 s
    a.close()
    return path


def args(db, **kw):
    return argparse.Namespace(db=db, since=kw.get("since"), csv=kw.get("csv"), png=kw.get("png"))


def test_summary_text(db, capsys):
    assert stats.main(args(db)) == 0
    out = capsys.readouterr().out
    assert "Visits 2026-11-20 to 2026-11-21: 5 sessions on 2 days" in out
    assert "Median visit: 2 min 00 s" in out
    assert "Reached the coalition screen: 2 (40%)" in out
    assert "2026-11-20 Fri      3" in out
    assert "2026-11-21 Sat      2" in out
    funnel = out.split("How far visitors got")[1].split("Languages")[0].split("\n")[1:-2]
    assert [line.split()[:3] for line in funnel] == [
        ["intro", "5", "100%"],
        ["flow", "4", "80%"],
        ["technologies", "3", "60%"],
        ["coalition", "2", "40%"],
    ]
    languages = [line.split() for line in out.split("Languages")[1].split("Display")[0].splitlines()[1:-1]]
    assert languages == [
        ["en", "4", "80%", "used", "in", "4"],
        ["de", "1", "20%", "used", "in", "1"],
        ["fr", "0", "0%", "used", "in", "1"],
    ]
    assert "larger_text" in out.split("Display settings")[1]
    assert out.split("Things visitors tried (sessions that used each)")[1].split()[:3] == ["method:dac", "3", "60%"]


def test_since_keeps_later_days_only(db, capsys):
    assert stats.main(args(db, since="2026-11-21")) == 0
    out = capsys.readouterr().out
    assert "2 sessions on 1 day" in out
    assert "2026-11-20" not in out


def test_bad_since_is_explained(db, capsys):
    assert stats.main(args(db, since="21.11.2026")) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_empty_or_missing_database_is_friendly(tmp_path, capsys):
    assert stats.main(args(tmp_path / "none.sqlite3")) == 0
    assert "No visits recorded yet" in capsys.readouterr().out
    a = Analytics(tmp_path / "empty.sqlite3")
    a.start_session("en")
    a.screen_shown("intro")
    a.end_session("idle")
    a.close()
    assert stats.main(args(tmp_path / "empty.sqlite3", since="2999-01-01")) == 0
    assert "No visits recorded yet since 2999-01-01" in capsys.readouterr().out


def test_csv_has_a_row_per_day(db, tmp_path, capsys):
    out = tmp_path / "days.csv"
    assert stats.main(args(db, csv=out)) == 0
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["date"] for r in rows] == ["2026-11-20", "2026-11-21"]
    assert [r["sessions"] for r in rows] == ["3", "2"]
    assert float(rows[0]["median_seconds"]) == 60
    assert rows[1]["reached_coalition"] == "1"
    assert rows[0]["started_in_de"] == "1"
    assert rows[0]["used_larger_text"] == "1"


def test_png_chart(db, tmp_path, qapp, capsys):
    from PySide6.QtGui import QImage

    out = tmp_path / "chart.png"
    assert stats.main(args(db, png=out)) == 0
    image = QImage(str(out))
    assert not image.isNull()
    assert (image.width(), image.height()) == stats.PNG_SIZE
    # something was drawn: more than a handful of colours, and the bar colours are there
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20


def test_cli_writes_the_chart_without_a_display(db, tmp_path, repo):
    out = tmp_path / "cli.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "stats", "--db", str(db), "--png", str(out)],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "5 sessions" in done.stdout
    assert out.stat().st_size > 10_000


def test_predictions_per_day_and_per_language(db, capsys):
    clock = Clock(at(20, 10))
    a = Analytics(db, clock=clock)
    for answer, lang in [("level", "en"), ("level", "de"), ("rises", "en")]:
        a.prediction("bathtub", answer, lang)
    clock.t = at(21, 12)
    for answer, lang in [("level", "fr"), ("falls", "fr")]:
        a.prediction("bathtub", answer, lang)
    a.close()
    assert stats.main(argparse.Namespace(db=db, since=None, csv=None, png=None)) == 0
    out = capsys.readouterr().out
    block = out[out.index("Predictions"):]
    assert "Predictions (5 guesses; answers: falls, level, rises)" in block
    per_day, per_lang = block.split("per language")
    assert "bathtub    2026-11-20     3   falls 0 (0%)  level 2 (67%)  rises 1 (33%)" in per_day
    assert "bathtub    2026-11-21     2   falls 1 (50%)  level 1 (50%)  rises 0 (0%)" in per_day
    assert "bathtub    fr             2   falls 1 (50%)  level 1 (50%)  rises 0 (0%)" in per_lang
    assert "bathtub    de             1   falls 0 (0%)  level 1 (100%)  rises 0 (0%)" in per_lang
    # --since counts the guesses from that day on.
    assert stats.main(argparse.Namespace(db=db, since="2026-11-21", csv=None, png=None)) == 0
    assert "Predictions (2 guesses" in capsys.readouterr().out
