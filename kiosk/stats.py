"""`kiosk stats`: what the visit analytics say, for the organiser's report.

Prints sessions per day, the median visit length, a funnel (how many visits reached each screen,
in walk order) and the languages used. `--csv FILE` writes one row per day; `--png FILE` draws the
funnel and the visits per hour of day as a 1600x900 chart (Qt, offscreen: no display needed).
Only reads the database; the kiosk may keep running meanwhile. A damaged database is read row by
row (kiosk.salvage), and so is every one the kiosk moved aside (`analytics.corrupt-*.sqlite3`);
days older than the kiosk keeps raw visits for appear as daily totals.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import sqlite3
import statistics
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.analytics import (
    RAW_DAYS,
    SETTINGS,
    MixRecord,
    connect_readonly,
    default_db_path,
    is_corruption,
    mixes_since,
    set_aside_files,
)
from kiosk.atomic import replacing
from kiosk.salvage import Salvaged

PNG_SIZE = (1600, 900)


@dataclass
class Session:
    id: int
    started: float
    duration_s: float
    start_lang: str
    reached_coalition: bool
    languages: list[str]
    settings: list[str]
    screens: list[str] = field(default_factory=list)  # in the order seen
    interactions: dict[str, int] = field(default_factory=dict)
    kiosk_id: str = ""  # which kiosk of a fleet (issue 14); see kiosk.stats_fleet

    @property
    def day(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.started).date()

    @property
    def hour(self) -> int:
        return dt.datetime.fromtimestamp(self.started).hour


@dataclass(frozen=True)
class Prediction:
    """One visitor's guess on a predict-then-see screen (no session: never who)."""

    day: dt.date
    screen_id: str
    answer: str
    lang: str


@dataclass
class Report:
    sessions: list[Session]
    since: dt.date | None = None
    rolled: dict[dt.date, tuple[int, float | None, int]] = field(default_factory=dict)  # day: (n, median, coalition)
    notes: list[str] = field(default_factory=list)  # what was salvaged from where
    predictions: list[Prediction] = field(default_factory=list)
    mixes: list[MixRecord] = field(default_factory=list)  # finished removal mixes (issue 12)

    def predictions_by(self, key: str) -> dict[tuple[str, object], Counter[str]]:
        """{(screen, day or language): Counter of answers}, sorted."""
        out: dict[tuple[str, object], Counter[str]] = defaultdict(Counter)
        for p in self.predictions:
            out[(p.screen_id, getattr(p, key))][p.answer] += 1
        return dict(sorted(out.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))))

    @property
    def days(self) -> list[dt.date]:
        return sorted({s.day for s in self.sessions})

    def per_day(self) -> dict[dt.date, list[Session]]:
        out: dict[dt.date, list[Session]] = defaultdict(list)
        for s in self.sessions:
            out[s.day].append(s)
        return dict(sorted(out.items()))

    def median_s(self, sessions: list[Session] | None = None) -> float:
        pool = self.sessions if sessions is None else sessions
        return statistics.median(s.duration_s for s in pool) if pool else 0.0

    def funnel(self) -> list[tuple[str, int]]:
        """(screen id, sessions that saw it), in walk order: the average place a screen is first
        seen in a visit, ties broken by which screen the database saw first."""
        reached: Counter[str] = Counter()
        positions: dict[str, list[int]] = defaultdict(list)
        first_seen: dict[str, int] = {}
        for s in self.sessions:
            seen: dict[str, int] = {}
            for i, screen in enumerate(s.screens):
                seen.setdefault(screen, i)
                first_seen.setdefault(screen, len(first_seen))
            for screen, pos in seen.items():
                reached[screen] += 1
                positions[screen].append(pos)
        order = sorted(reached, key=lambda k: (statistics.mean(positions[k]), first_seen[k]))
        return [(k, reached[k]) for k in order]

    def by_hour(self) -> list[int]:
        hours = [0] * 24
        for s in self.sessions:
            hours[s.hour] += 1
        return hours

    def start_languages(self) -> Counter[str]:
        return Counter(s.start_lang for s in self.sessions)

    def used_languages(self) -> Counter[str]:
        return Counter(lang for s in self.sessions for lang in s.languages)

    def settings_used(self) -> Counter[str]:
        return Counter(name for s in self.sessions for name in s.settings)

    def interactions_used(self) -> Counter[str]:
        """Sessions that used each interaction at least once."""
        return Counter(name for s in self.sessions for name in s.interactions)


SESSION_COLUMNS = "id, started, duration_s, start_lang, reached_coalition, languages, settings"


def _session(r: tuple) -> Session:
    return Session(
        id=r[0],
        started=r[1],
        duration_s=r[2],
        start_lang=r[3],
        reached_coalition=bool(r[4]),
        languages=[x for x in (r[5] or "").split(",") if x],
        settings=[x for x in (r[6] or "").split(",") if x],
    )


def load(db: Path, since: dt.date | None = None) -> Report:
    """The visits in `db` (salvaged row by row if it is damaged) and in every database the kiosk
    moved aside next to it; the predictions and mixes of `db`."""
    report = _load_sessions(db, since)
    try:
        report.predictions = _load_predictions(db, since)
    except sqlite3.DatabaseError as exc:
        if not is_corruption(exc):
            raise
    return report


def _load_predictions(db: Path, since: dt.date | None) -> list[Prediction]:
    conn = connect_readonly(db)
    if conn is None:
        return []
    try:
        rows = conn.execute(
            "SELECT day, screen_id, answer, lang FROM predictions WHERE day >= ? ORDER BY at",
            (since.isoformat() if since else "",),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise
    finally:
        conn.close()
    return [Prediction(dt.date.fromisoformat(d), screen, answer, lang) for d, screen, answer, lang in rows]


def _load_sessions(db: Path, since: dt.date | None = None) -> Report:
    start = dt.datetime.combine(since, dt.time.min).timestamp() if since else float("-inf")
    report = Report([], since)
    try:
        _load_intact(db, start, report)
    except sqlite3.DatabaseError as exc:
        if not is_corruption(exc):
            raise
        _load_salvaged(db, start, report, why=str(exc))
    for old in set_aside_files(db):
        _load_salvaged(old, start, report)
    report.sessions.sort(key=lambda s: s.started)
    report.mixes = mixes_since(db, start if since else 0.0)
    return report


def _load_intact(db: Path, start: float, report: Report) -> None:
    conn = connect_readonly(db)
    if conn is None:
        return
    try:
        try:
            rows = conn.execute(
                f"SELECT {SESSION_COLUMNS} FROM sessions WHERE started >= ? ORDER BY started", (start,)
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return
            raise
        sessions = {r[0]: _session(r) for r in rows}
        if sessions:
            for sid, screen in conn.execute(
                "SELECT v.session_id, v.screen_id FROM screen_views v JOIN sessions s ON s.id = v.session_id"
                " WHERE s.started >= ? ORDER BY v.session_id, v.seq",
                (start,),
            ):
                if sid in sessions:
                    sessions[sid].screens.append(screen)
            try:
                for sid, name, count in conn.execute(
                    "SELECT i.session_id, i.name, i.count FROM interactions i JOIN sessions s ON s.id = i.session_id"
                    " WHERE s.started >= ?",
                    (start,),
                ):
                    if sid in sessions:
                        sessions[sid].interactions[name] = count
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
        try:
            _add_rolled(report, conn.execute("SELECT day, sessions, median_s, reached_coalition FROM daily_totals"))
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
    finally:
        conn.close()
    report.sessions.extend(sessions.values())


def _add_rolled(report: Report, rows) -> None:
    for day, n, median, coalition in rows:
        try:
            d = dt.date.fromisoformat(day)
        except (TypeError, ValueError):
            continue
        if report.since and d < report.since:
            continue
        have = report.rolled.get(d)
        report.rolled[d] = (n + have[0], median, coalition + have[2]) if have else (n, median, coalition)


def _load_salvaged(db: Path, start: float, report: Report, why: str | None = None) -> None:
    """Row-by-row reading of a damaged database; what was read and lost goes to `report.notes`."""
    try:
        salvaged = Salvaged(db)
    except OSError as exc:
        report.notes.append(f"{db.name}: cannot be read ({exc})")
        return
    with salvaged as s:
        tables = s.tables()
        sessions: dict[int, Session] = {}
        if "sessions" in tables:
            for r in s.rows("sessions", SESSION_COLUMNS):
                if r[1] is not None and r[1] >= start:
                    sessions[r[0]] = _session(r)
        views: dict[int, list[tuple[int, str]]] = defaultdict(list)
        if "screen_views" in tables:
            for sid, screen, seq in s.rows("screen_views", "session_id, screen_id, seq"):
                if sid in sessions:
                    views[sid].append((seq, screen))
        for sid, seen in views.items():
            sessions[sid].screens = [screen for _, screen in sorted(seen)]
        if "interactions" in tables:
            for sid, name, count in s.rows("interactions", "session_id, name, count"):
                if sid in sessions:
                    sessions[sid].interactions[name] = count
        if "daily_totals" in tables:
            _add_rolled(report, s.rows("daily_totals", "day, sessions, median_s, reached_coalition"))
        lost = f", {s.lost_rows} rows unreadable" if s.lost_rows else ""
        reason = f" ({why})" if why else ""
    report.sessions.extend(sessions.values())
    report.notes.append(f"Salvaged {len(sessions)} visits from damaged {db.name}{reason}{lost}")


def minutes(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"


def pct(n: int, total: int) -> str:
    return f"{100 * n / total:.0f}%" if total else "-"


def format_text(report: Report) -> str:
    sessions = report.sessions
    if not sessions:  # guesses and mixes from visits still under way
        return "\n".join(format_predictions(report) + format_mixes(report.mixes)).lstrip("\n") + "\n"
    total = len(sessions)
    days = report.days
    lines = [f"Note: {note}" for note in report.notes]
    if report.rolled:
        lines += [f"Earlier days (daily totals; raw visits are kept {RAW_DAYS} days)"]
        for day, (n, median, _coalition) in sorted(report.rolled.items()):
            median_text = minutes(median) if median is not None else "-"
            lines.append(f"  {day} {day:%a}  {n:5d}   median {median_text}")
        lines.append("")
    if not sessions:
        return "\n".join(lines) + "\n"
    lines += [
        f"Visits {days[0]} to {days[-1]}: {total} sessions on {len(days)} day{'s' if len(days) != 1 else ''}",
        f"Median visit: {minutes(report.median_s())}",
        f"Reached the coalition screen: {sum(s.reached_coalition for s in sessions)} ({pct(sum(s.reached_coalition for s in sessions), total)})",
        "",
        "Sessions per day",
    ]
    for day, items in report.per_day().items():
        lines.append(f"  {day} {day:%a}  {len(items):5d}   median {minutes(report.median_s(items))}")
    lines += ["", "How far visitors got (sessions that saw each screen)"]
    funnel = report.funnel()
    width = max((len(k) for k, _ in funnel), default=10)
    for screen, n in funnel:
        bar = "#" * round(30 * n / total)
        lines.append(f"  {screen:<{width}}  {n:5d}  {pct(n, total):>4}  {bar}")
    lines += ["", "Languages (at the start / used at all)"]
    used = report.used_languages()
    for lang, n in report.start_languages().most_common():
        lines.append(f"  {lang:<6} {n:5d}  {pct(n, total):>4}   used in {used[lang]}")
    for lang, n in used.most_common():
        if lang not in report.start_languages():
            lines.append(f"  {lang:<6} {0:5d}  {pct(0, total):>4}   used in {n}")
    settings = report.settings_used()
    lines += ["", "Display settings switched on"]
    for name in SETTINGS:
        lines.append(f"  {name:<15} {settings[name]:5d}  {pct(settings[name], total):>4}")
    used_things = report.interactions_used()
    if used_things:
        lines += ["", "Things visitors tried (sessions that used each)"]
        width = max(len(k) for k in used_things)
        for name, n in sorted(used_things.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {name:<{width}}  {n:5d}  {pct(n, total):>4}")
    lines += format_predictions(report)
    lines += format_mixes(report.mixes)
    return "\n".join(lines) + "\n"


def format_predictions(report: Report) -> list[str]:
    """Visitors' guesses (e.g. the bathtub's question) per day and per language."""
    if not report.predictions:
        return []
    answers = sorted({p.answer for p in report.predictions})
    lines = ["", f"Predictions ({len(report.predictions)} guesses; answers: {', '.join(answers)})"]
    for key, heading in (("day", "per day"), ("lang", "per language")):
        lines.append(f"  {heading}")
        for (screen, value), counts in report.predictions_by(key).items():
            n = sum(counts.values())
            shares = "  ".join(f"{a} {counts[a]} ({pct(counts[a], n)})" for a in answers)
            lines.append(f"    {screen:<10} {str(value):<10} {n:5d}   {shares}")
    return lines


def mix_groups(mixes: list[MixRecord]) -> list[tuple[dt.date, str, list[MixRecord]]]:
    """Finished removal mixes grouped by day and language, in date order."""
    groups: dict[tuple[dt.date, str], list[MixRecord]] = defaultdict(list)
    for m in mixes:
        groups[(dt.datetime.fromtimestamp(m.at).date(), m.lang)].append(m)
    return [(day, lang, items) for (day, lang), items in sorted(groups.items())]


def mix_medians(items: list[MixRecord], methods: list[str]) -> dict[str, float]:
    """Median GtCO2/yr per method over the mixes (a method a mix left out counts as 0)."""
    return {m: statistics.median(dict(r.parts).get(m, 0.0) for r in items) for m in methods}


def mix_methods(mixes: list[MixRecord]) -> list[str]:
    seen: list[str] = []
    for r in mixes:
        for name, _ in r.parts:
            if name not in seen:
                seen.append(name)
    return seen


def format_mixes(mixes: list[MixRecord]) -> list[str]:
    if not mixes:
        return []
    methods = mix_methods(mixes)
    reached = sum(r.reached_goal for r in mixes)
    lines = [
        "",
        f"Removal mixes finished: {len(mixes)}, reached the goal: {reached} ({pct(reached, len(mixes))})",
        "  median Gt CO2 a year per method, per day and language",
        "  " + f"{'day':<10} {'lang':<5} {'mixes':>5} {'goal':>5}  " + "  ".join(f"{m:>9}" for m in methods),
    ]
    for day, lang, items in mix_groups(mixes):
        med = mix_medians(items, methods)
        goal = pct(sum(r.reached_goal for r in items), len(items))
        lines.append(
            f"  {day.isoformat():<10} {lang:<5} {len(items):5d} {goal:>5}  " + "  ".join(f"{med[m]:9.2f}" for m in methods)
        )
    return lines


def write_mixes_csv(report: Report, path: Path) -> None:
    """One row per day and language: mixes, share reaching the goal, median per method."""
    methods = mix_methods(report.mixes)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["date", "lang", "mixes", "reached_goal_pct"] + [f"median_{m}_gt" for m in methods])
        for day, lang, items in mix_groups(report.mixes):
            med = mix_medians(items, methods)
            reached = 100 * sum(r.reached_goal for r in items) / len(items)
            w.writerow([day.isoformat(), lang, len(items), round(reached, 1)] + [round(med[m], 2) for m in methods])


def write_csv(report: Report, path: Path) -> None:
    langs = sorted(report.used_languages())
    with replacing(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            ["date", "sessions", "median_seconds", "reached_coalition", "reached_coalition_pct"]
            + [f"started_in_{lang}" for lang in langs]
            + [f"used_{name}" for name in SETTINGS]
        )
        for day, items in report.per_day().items():
            n = len(items)
            coalition = sum(s.reached_coalition for s in items)
            starts = Counter(s.start_lang for s in items)
            used = Counter(x for s in items for x in s.settings)
            w.writerow(
                [day.isoformat(), n, round(report.median_s(items), 1), coalition, round(100 * coalition / n, 1)]
                + [starts[lang] for lang in langs]
                + [used[name] for name in SETTINGS]
            )


# -- the chart --------------------------------------------------------------------------------------


def render_png(report: Report, path: Path, size: tuple[int, int] = PNG_SIZE) -> bool:
    """Draw the funnel and the visits per hour into a PNG; True when written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPen

    if QGuiApplication.instance() is None:
        # Kept for the rest of the process: `kiosk stats` ends right after.
        render_png._app = QGuiApplication([sys.argv[0] if sys.argv else "kiosk"])  # type: ignore[attr-defined]

    from kiosk.locate import bundled_root

    family = "Noto Sans"
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        font_file = bundled_root() / "assets" / "fonts" / name
        if font_file.is_file():
            font_id = QFontDatabase.addApplicationFont(str(font_file))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            family = families[0] if families else family

    def font(px: int, bold: bool = False) -> QFont:
        f = QFont(family)
        f.setPixelSize(px)
        f.setBold(bold)
        return f

    w, h = size
    ink, muted, grid = QColor("#1f2a30"), QColor("#5b6b73"), QColor("#d9e0e3")
    bar_a, bar_b = QColor("#2a7f62"), QColor("#3568a8")
    image = QImage(w, h, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    p = QPainter(image)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        total = len(report.sessions)
        days = report.days
        period = f"{days[0]} to {days[-1]}" if days else "no visits"
        margin = 0.04 * w
        p.setPen(ink)
        p.setFont(font(int(h * 0.048), bold=True))
        p.drawText(QRectF(margin, h * 0.025, w - 2 * margin, h * 0.07), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   "Negative-emissions kiosk: visits")
        p.setPen(muted)
        p.setFont(font(int(h * 0.027)))
        p.drawText(QRectF(margin, h * 0.095, w - 2 * margin, h * 0.045), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   f"{period}  ·  {total} sessions  ·  median visit {minutes(report.median_s())}")

        top, bottom = h * 0.2, h * 0.86
        # Left: the funnel, one horizontal bar per screen.
        left_w = w * 0.5 - margin * 1.5
        p.setPen(ink)
        p.setFont(font(int(h * 0.032), bold=True))
        p.drawText(QRectF(margin, top - h * 0.06, left_w, h * 0.05), Qt.AlignmentFlag.AlignLeft, "How far visitors got")
        funnel = report.funnel()
        label_w = left_w * 0.32
        if funnel:
            row_h = min((bottom - top) / len(funnel), h * 0.08)
            p.setFont(font(max(14, int(min(row_h * 0.42, h * 0.026)))))
            for i, (screen, n) in enumerate(funnel):
                y = top + i * row_h
                frac = n / total if total else 0.0
                p.setPen(ink)
                p.drawText(QRectF(margin, y, label_w - 12, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, screen)
                bar_max = left_w - label_w - 150
                p.fillRect(QRectF(margin + label_w, y + row_h * 0.18, bar_max, row_h * 0.64), grid)
                p.fillRect(QRectF(margin + label_w, y + row_h * 0.18, max(2.0, bar_max * frac), row_h * 0.64), bar_a)
                p.drawText(QRectF(margin + label_w + bar_max + 10, y, 140, row_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           f"{pct(n, total)} ({n})")
        p.setPen(muted)
        p.setFont(font(int(h * 0.024)))
        p.drawText(QRectF(margin, bottom + 34, left_w, h * 0.05), Qt.AlignmentFlag.AlignHCenter,
                   "Share of sessions that saw each screen (sessions), in walk order")

        # Right: sessions per hour of day, vertical bars with axes.
        x0 = w * 0.5 + margin * 1.6
        x1 = w - margin
        p.setPen(ink)
        p.setFont(font(int(h * 0.032), bold=True))
        p.drawText(QRectF(x0 - margin, top - h * 0.06, x1 - x0 + margin, h * 0.05), Qt.AlignmentFlag.AlignLeft, "Sessions per hour of day")
        hours = report.by_hour()
        peak = max(hours) or 1
        step = _nice_step(peak)
        y_max = step * -(-peak // step)
        tick_font = font(int(h * 0.022))
        p.setFont(tick_font)
        for k in range(0, int(y_max) + 1, int(step)):
            y = bottom - (bottom - top) * k / y_max
            p.setPen(QPen(grid, 1))
            p.drawLine(int(x0), int(y), int(x1), int(y))
            p.setPen(muted)
            p.drawText(QRectF(x0 - 70, y - 15, 62, 30), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(k))
        slot = (x1 - x0) / 24
        for hour, n in enumerate(hours):
            bh = (bottom - top) * n / y_max
            p.fillRect(QRectF(x0 + hour * slot + slot * 0.15, bottom - bh, slot * 0.7, bh), bar_b)
            if hour % 3 == 0:
                p.setPen(muted)
                p.drawText(QRectF(x0 + hour * slot - slot, bottom + 4, slot * 3, 30), Qt.AlignmentFlag.AlignHCenter, f"{hour:02d}")
        p.setPen(QPen(ink, 2))
        p.drawLine(int(x0), int(bottom), int(x1), int(bottom))
        p.drawLine(int(x0), int(top), int(x0), int(bottom))
        p.setPen(ink)
        p.setFont(font(int(h * 0.025)))
        p.drawText(QRectF(x0, bottom + 34, x1 - x0, 36), Qt.AlignmentFlag.AlignHCenter, "Hour of day (local time)")
        p.save()
        p.translate(x0 - 88, (top + bottom) / 2)
        p.rotate(-90)
        p.drawText(QRectF(-200, -18, 400, 36), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, "Sessions")
        p.restore()
    finally:
        p.end()
    try:
        with replacing(path) as tmp:
            if not image.save(str(tmp), "PNG"):
                raise OSError(f"cannot write {path}")
    except OSError:
        return False
    return True


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if peak / step <= 6:
            return step
    return 10_000


# -- entry --------------------------------------------------------------------------------------------


def main(args: Any) -> int:
    if getattr(args, "sources", None):  # several kiosks' databases or exports (issue 14)
        from kiosk.stats_fleet import main as fleet_main

        return fleet_main(args)
    since: dt.date | None = None
    if getattr(args, "since", None):
        try:
            since = dt.date.fromisoformat(args.since)
        except ValueError:
            print(f"--since wants a date as YYYY-MM-DD, not {args.since!r}", file=sys.stderr)
            return 2
    db = Path(args.db) if getattr(args, "db", None) else default_db_path()
    try:
        report = load(db, since)
    except sqlite3.Error as exc:
        print(f"Cannot read the visit database {db}: {exc}", file=sys.stderr)
        return 1
    if not report.sessions and not report.rolled and not report.predictions and not report.mixes:
        for note in report.notes:
            print(f"Note: {note}")
        where = f" since {since}" if since else ""
        print(f"No visits recorded yet{where} (looked in {db}).")
        return 0
    print(format_text(report), end="")
    if getattr(args, "csv", None):
        try:
            write_csv(report, Path(args.csv))
        except OSError as exc:
            print(f"Cannot write {args.csv}: {exc}", file=sys.stderr)
            return 1
        print(f"\nWrote one row per day to {args.csv}")
        if report.mixes:
            mixes_csv = Path(args.csv).with_name(Path(args.csv).stem + "-mixes.csv")
            try:
                write_mixes_csv(report, mixes_csv)
            except OSError as exc:
                print(f"Cannot write {mixes_csv}: {exc}", file=sys.stderr)
                return 1
            print(f"Wrote the removal mixes per day and language to {mixes_csv}")
    if getattr(args, "png", None):
        if not render_png(report, Path(args.png)):
            print(f"Cannot write the chart to {args.png}", file=sys.stderr)
            return 1
        print(f"Wrote the chart to {args.png}")
    return 0
