"""`kiosk stats A.sqlite3 B.json ...` and `kiosk stats export`: visits across a fleet (issue 14).

Each site sends in one file: `kiosk stats export --out hall-a-1.json` writes every visit with
the kiosk id (JSON, no personal data: times, lengths, screens, languages). The organiser runs
`kiosk stats *.json` (or points it at the databases themselves) and gets each kiosk's line and
the total, then the usual report over all of them. A database from before kiosk ids takes the
file's name as its kiosk id.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from kiosk.analytics import connect_readonly, default_db_path
from kiosk.stats import Report, Session, format_text, load, minutes, pct, render_png, write_csv

EXPORT_FORMAT = "negative-emissions-kiosk visits 1"


def _kiosk_ids(db: Path) -> dict[int, str]:
    conn = connect_readonly(db)
    if conn is None:
        return {}
    try:
        return dict(conn.execute("SELECT id, kiosk_id FROM sessions"))
    except sqlite3.OperationalError:  # a database from before kiosk ids
        return {}
    finally:
        conn.close()


def read_db(db: Path, since: dt.date | None) -> list[Session]:
    sessions = load(db, since).sessions
    ids = _kiosk_ids(db)
    for s in sessions:
        s.kiosk_id = ids.get(s.id) or db.stem
    return sessions


def read_export(path: Path, since: dt.date | None) -> list[Session]:
    body = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(body, dict) or body.get("format") != EXPORT_FORMAT:
        raise ValueError(f"{path} is not a file written by `kiosk stats export`")
    start = dt.datetime.combine(since, dt.time.min).timestamp() if since else float("-inf")
    out = []
    for i, row in enumerate(body.get("sessions", [])):
        if row["started"] < start:
            continue
        out.append(
            Session(
                id=i,
                started=float(row["started"]),
                duration_s=float(row["duration_s"]),
                start_lang=str(row["start_lang"]),
                reached_coalition=bool(row["reached_coalition"]),
                languages=list(row.get("languages", [])),
                settings=list(row.get("settings", [])),
                screens=list(row.get("screens", [])),
                interactions=dict(row.get("interactions", {})),
                kiosk_id=str(row.get("kiosk_id") or body.get("kiosk_id") or path.stem),
            )
        )
    return out


def read_sources(paths: list[Path], since: dt.date | None) -> list[Session]:
    sessions: list[Session] = []
    for p in paths:
        sessions += read_export(p, since) if p.suffix.lower() == ".json" else read_db(p, since)
    return sessions


def export(db: Path, out: Path, since: dt.date | None) -> int:
    sessions = read_db(db, since)
    kiosks = sorted({s.kiosk_id for s in sessions})
    body: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "kiosk_id": kiosks[0] if len(kiosks) == 1 else None,
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sessions": [
            {
                "kiosk_id": s.kiosk_id,
                "started": s.started,
                "duration_s": s.duration_s,
                "start_lang": s.start_lang,
                "reached_coalition": s.reached_coalition,
                "languages": s.languages,
                "settings": s.settings,
                "screens": s.screens,
                "interactions": s.interactions,
            }
            for s in sessions
        ],
    }
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out)
    return len(sessions)


def format_fleet(sessions: list[Session]) -> str:
    by_kiosk: dict[str, list[Session]] = defaultdict(list)
    for s in sessions:
        by_kiosk[s.kiosk_id].append(s)
    report = Report(sessions)
    width = max([len(k) for k in by_kiosk] + [5])
    lines = [f"Visits by kiosk ({len(by_kiosk)} kiosks)", f"  {'kiosk':<{width}}  sessions  median visit  reached coalition"]
    for kiosk, items in sorted(by_kiosk.items()):
        coalition = sum(s.reached_coalition for s in items)
        lines.append(
            f"  {kiosk:<{width}}  {len(items):8d}  {minutes(report.median_s(items)):>12}  {coalition:6d} ({pct(coalition, len(items))})"
        )
    coalition = sum(s.reached_coalition for s in sessions)
    lines.append(
        f"  {'total':<{width}}  {len(sessions):8d}  {minutes(report.median_s()):>12}  {coalition:6d} ({pct(coalition, len(sessions))})"
    )
    return "\n".join(lines) + "\n\n" + format_text(report)


def main(args: Any) -> int:
    since = dt.date.fromisoformat(args.since) if getattr(args, "since", None) else None
    sources = list(args.sources)
    if sources[0] == "export":
        if not getattr(args, "out", None):
            print("kiosk stats export needs --out FILE", file=sys.stderr)
            return 2
        db = Path(args.db) if getattr(args, "db", None) else default_db_path()
        try:
            n = export(db, Path(args.out), since)
        except (OSError, sqlite3.Error) as exc:
            print(f"Cannot export {db}: {exc}", file=sys.stderr)
            return 1
        print(f"Wrote {n} visits to {args.out}")
        return 0
    try:
        sessions = read_sources([Path(p) for p in sources], since)
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error) as exc:
        print(f"Cannot read the visits: {exc}", file=sys.stderr)
        return 1
    if not sessions:
        print("No visits in these files.")
        return 0
    print(format_fleet(sessions), end="")
    report = Report(sessions, since)
    if getattr(args, "csv", None):
        write_csv(report, Path(args.csv))
        print(f"\nWrote one row per day to {args.csv}")
    if getattr(args, "png", None) and render_png(report, Path(args.png)):
        print(f"Wrote the chart to {args.png}")
    return 0
