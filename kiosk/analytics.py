"""Local, anonymous visit analytics: how many visits, how long, how far, in which language.

No Qt here (an import-linter contract in pyproject.toml checks it) and no network: everything
stays in one SQLite file in the per-user data folder. Nothing personal is recorded: a session is a
start time, a length, the screens seen, the languages and display settings used.

The shell calls the `Analytics` methods on its GUI thread. They only update a little in-memory
state; the finished session goes through a queue to one background writer thread, so a slow,
locked or full disk never stalls the interface. A write that fails is logged and skipped — the
kiosk carries on, and the writer never raises into the caller.

Tables::

    sessions(id, started, ended, duration_s, start_lang, end_reason, reached_coalition,
             languages, settings, kiosk_id)
    screen_views(session_id, screen_id, seq, seconds)
    interactions(session_id, name, count)      -- e.g. 'method:dac', 'reversal:fire', 'step:2'
    predictions(at, day, screen_id, answer, lang)  -- a visitor's guess before a model shows the answer;
                                                   -- no session id: what was guessed, never by whom
    mixes(id, at, lang, screen_id, parts, total_gt, goal_gt, reached_goal, permanent_share)
        -- one finished removal mix (issue 12); parts is JSON {"forests": 1.5, ...} in GtCO2/yr.
           Written when the visitor finishes, not at the end of the visit, so the next visitor's
           ending can already compare with it.

`started`/`ended` are Unix times in seconds; `languages` and `settings` are comma-separated
(`"en,de"`, `"larger_text,reduced_motion"`). Lengths are measured on the monotonic clock, so an
NTP correction or a daylight-saving change during a visit does not stretch or shrink it.

Days unattended: the database runs in WAL mode with `synchronous=NORMAL` (a power cut can lose
the last visit or two, never the file). A file that is corrupt or unreadable at start, or turns
out so later, is moved aside as `analytics.corrupt-YYYYmmdd-HHMMSS.sqlite3` and a fresh one is
started; the log and the operator panel say so and `kiosk stats` salvages what it can of the old
one (kiosk.salvage). Bounded growth: visits older than `RAW_DAYS` days are rolled up into
`daily_totals(day, sessions, median_s, reached_coalition)` and their raw rows deleted (SQLite
reuses the freed pages), so the file holds at most ~RAW_DAYS days of visits.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import sqlite3
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

log = logging.getLogger(__name__)

DB_NAME = "analytics.sqlite3"
SETTINGS = ("larger_text", "high_contrast", "reduced_motion")
MAX_VIEWS_PER_SESSION = 500  # a kiosk that never idles must not grow one session without bound
MAX_INTERACTION_NAMES = 100
QUEUE_SIZE = 1000
RAW_DAYS = 120  # older visits are kept only as daily totals (see the module docstring)
CORRUPT_INFIX = ".corrupt-"

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    ended REAL NOT NULL,
    duration_s REAL NOT NULL,
    start_lang TEXT NOT NULL,
    end_reason TEXT NOT NULL,
    reached_coalition INTEGER NOT NULL DEFAULT 0,
    languages TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '',
    kiosk_id TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS screen_views (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    screen_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    seconds REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS interactions (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    name TEXT NOT NULL,
    count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS daily_totals (
    day TEXT PRIMARY KEY,                 -- local date, YYYY-MM-DD
    sessions INTEGER NOT NULL,
    median_s REAL,
    reached_coalition INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS predictions (
    at REAL NOT NULL,
    day TEXT NOT NULL,
    screen_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    lang TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS predictions_day ON predictions(day, screen_id);
CREATE INDEX IF NOT EXISTS sessions_started ON sessions(started);
CREATE INDEX IF NOT EXISTS screen_views_session ON screen_views(session_id);
"""


MIX_SCHEMA = """
CREATE TABLE IF NOT EXISTS mixes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    lang TEXT NOT NULL,
    screen_id TEXT NOT NULL,
    parts TEXT NOT NULL,
    total_gt REAL NOT NULL,
    goal_gt REAL NOT NULL,
    reached_goal INTEGER NOT NULL,
    permanent_share REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS mixes_at ON mixes(at);
"""


@dataclass(frozen=True)
class MixRecord:
    """A removal mix a visitor finished: GtCO2/yr per method, nothing about the visitor."""

    at: float
    lang: str
    screen_id: str
    parts: tuple[tuple[str, float], ...]
    goal_gt: float
    permanent_share: float  # of the mix's total, 0..1

    @property
    def total_gt(self) -> float:
        return sum(gt for _, gt in self.parts)

    @property
    def reached_goal(self) -> bool:
        return self.total_gt >= self.goal_gt - 1e-9

    @property
    def largest(self) -> str | None:
        """The method carrying most of the mix (the first listed on a tie)."""
        best = max(self.parts, key=lambda p: p[1], default=(None, 0.0))
        return best[0] if best[1] > 0 else None


def default_db_path() -> Path:
    from platformdirs import user_data_path

    from kiosk.locate import APP_NAME

    return user_data_path(APP_NAME) / DB_NAME


def local_day(ts: float, tz: dt.tzinfo | None = None) -> dt.date:
    """The calendar day of a Unix time where the kiosk stands (`tz` None: the system's zone)."""
    return dt.datetime.fromtimestamp(ts, tz).date()


def day_start(day: dt.date, tz: dt.tzinfo | None = None) -> float:
    """Unix time of local midnight starting `day` (a 23- or 25-hour day across a DST change)."""
    if tz is None:
        return dt.datetime.combine(day, dt.time.min).timestamp()
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz).timestamp()


def is_corruption(exc: BaseException) -> bool:
    """A database that will not get better by waiting (unlike 'locked' or 'disk is full')."""
    text = str(exc).lower()
    if any(k in text for k in ("malformed", "not a database", "file is encrypted", "corrupt")):
        return True
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


def move_aside(db_path: Path, when: float | None = None) -> Path:
    """Rename a broken database (with its -wal/-shm files) to analytics.corrupt-<time>.sqlite3."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if when is None else when))
    target = db_path.with_name(f"{db_path.stem}{CORRUPT_INFIX}{stamp}{db_path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = db_path.with_name(f"{db_path.stem}{CORRUPT_INFIX}{stamp}-{n}{db_path.suffix}")
    for extra in ("-wal", "-shm", "-journal"):
        side = Path(str(db_path) + extra)
        if side.exists():
            os.replace(side, str(target) + extra)
    os.replace(db_path, target)
    return target


def set_aside_files(db_path: Path) -> list[Path]:
    """Databases moved aside earlier, oldest first (what `kiosk stats` salvages)."""
    db_path = Path(db_path)
    return sorted(db_path.parent.glob(f"{db_path.stem}{CORRUPT_INFIX}*{db_path.suffix}"))


def analytics_disabled() -> bool:
    return os.environ.get("KIOSK_NO_ANALYTICS", "").strip() not in ("", "0")


@dataclass
class _Session:
    started: float  # wall clock, for the date and hour of the visit
    mono: float  # monotonic clock at the start; lengths are measured on it
    start_lang: str
    languages: list[str]
    settings: list[str] = field(default_factory=list)
    views: list[tuple[str, float]] = field(default_factory=list)  # (screen_id, shown at on the monotonic clock)
    view_seconds: list[float] = field(default_factory=list)
    reached_coalition: bool = False
    interactions: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionRecord:
    """A finished visit, as handed to the writer thread."""

    started: float
    ended: float
    duration_s: float
    start_lang: str
    end_reason: str
    reached_coalition: bool
    languages: tuple[str, ...]
    settings: tuple[str, ...]
    views: tuple[tuple[str, int, float], ...]  # (screen_id, seq, seconds)
    interactions: tuple[tuple[str, int], ...] = ()  # (name, count)


class Analytics:
    """Records visits; every method is cheap and never raises.

    `coalition_screens`: screen ids that count as "reached the coalition screen" (besides any
    screen shown with `screen_type="coalition"`). `clock` gives the wall time a visit is dated
    by, `monotonic` the time its length is measured on (by default the same fake clock a test
    passes, else `time.monotonic`); `tz` the zone visit days are counted in (None: the system's).
    `notice` is set when the database had to be moved aside (for the operator panel).
    """

    def __init__(
        self,
        db_path: Path | None = None,
        clock: Callable[[], float] = time.time,
        *,
        coalition_screens: Iterable[str] = ("coalition",),
        busy_timeout_s: float = 0.5,
        monotonic: Callable[[], float] | None = None,
        tz: dt.tzinfo | None = None,
        raw_days: int = RAW_DAYS,
        kiosk_id: str = "",
    ) -> None:
        self.db_path = Path(db_path) if db_path is not None else default_db_path()
        self.kiosk_id = kiosk_id  # which kiosk of a fleet recorded a visit (issue 14)
        self._clock = clock
        self._mono = monotonic if monotonic is not None else (time.monotonic if clock is time.time else clock)
        self.tz = tz
        self.raw_days = raw_days
        self.notice: str | None = None
        self._rolled_up_for: dt.date | None = None
        self._coalition = set(coalition_screens)
        self._busy_timeout = busy_timeout_s
        self._session: _Session | None = None
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=QUEUE_SIZE)
        self._last_error: str | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="kiosk-analytics", daemon=True)
        self._thread.start()

    # -- what the shell calls ------------------------------------------------------------------
    @property
    def in_session(self) -> bool:
        return self._session is not None

    def start_session(self, lang: str) -> None:
        """A visitor's first touch."""
        try:
            if self._session is not None:
                self.end_session("interrupted")
            self._session = _Session(started=self._clock(), mono=self._mono(), start_lang=lang, languages=[lang])
        except Exception:  # noqa: BLE001 - analytics must never break the kiosk
            log.exception("analytics: start_session failed")

    def screen_shown(self, screen_id: str, screen_type: str | None = None) -> None:
        """A screen came up; the time on the previous one is recorded. Ignored between visits."""
        s = self._session
        if s is None:
            return
        try:
            if s.views and s.views[-1][0] == screen_id and len(s.view_seconds) < len(s.views):
                return  # the same screen again (a re-layout, a language change): still one view
            now = self._mono()
            self._close_view(s, now)
            if len(s.views) < MAX_VIEWS_PER_SESSION:
                s.views.append((screen_id, now))
            if screen_type == "coalition" or screen_id in self._coalition:
                s.reached_coalition = True
        except Exception:  # noqa: BLE001
            log.exception("analytics: screen_shown failed")

    def language_changed(self, lang: str) -> None:
        s = self._session
        if s is not None and lang not in s.languages:
            s.languages.append(lang)

    def setting_used(self, name: str) -> None:
        """'larger_text', 'high_contrast' or 'reduced_motion' switched on during this visit."""
        s = self._session
        if s is not None and name not in s.settings:
            s.settings.append(name)

    def interaction(self, name: str) -> None:
        """A visitor used something on a screen ('method:dac', 'reversal:fire', 'step:2')."""
        s = self._session
        if s is None:
            return
        if name in s.interactions or len(s.interactions) < MAX_INTERACTION_NAMES:
            s.interactions[name] = s.interactions.get(name, 0) + 1

    def prediction(self, screen_id: str, answer: str, lang: str) -> None:
        """A visitor's guess on a predict-then-see screen (the bathtub). Written at once, not at the
        end of the visit, so the next visitor's "today, 6 of 10 visitors ..." already counts it."""
        try:
            now = self._clock()
            day = dt.date.fromtimestamp(now).isoformat()
            self._put(("prediction", (now, day, screen_id, answer, lang)))
        except Exception:  # noqa: BLE001
            log.exception("analytics: prediction failed")

    def predictions_today(self, screen_id: str) -> dict[str, int]:
        """{answer: how many visitors gave it today} on this screen, this one's guess included."""
        self.flush(0.5)
        day = dt.date.fromtimestamp(self._clock()).isoformat()
        return predictions_on(self.db_path, day, screen_id, timeout_s=self._busy_timeout)

    def record_mix(self, screen_id: str, lang: str, parts: dict[str, float], goal_gt: float, permanent_share: float) -> None:
        """A visitor finished a removal mix; written at once (through the writer thread)."""
        try:
            record = MixRecord(self._clock(), lang, screen_id, tuple(parts.items()), goal_gt, permanent_share)
            self._put(("mix", record))
        except Exception:  # noqa: BLE001
            log.exception("analytics: record_mix failed")

    def mixes_today(self) -> list[MixRecord]:
        """Today's finished mixes, oldest first (for "most visitors today relied on ...")."""
        self.flush(0.5)
        today = dt.date.fromtimestamp(self._clock())
        start = dt.datetime.combine(today, dt.time.min).timestamp()
        return mixes_since(self.db_path, start, timeout_s=self._busy_timeout)

    def end_session(self, reason: str, idle_s: float = 0.0) -> None:
        """The visit is over: 'idle' (after the idle reset) or 'quit'.

        `idle_s`: the quiet time before the idle reset (warning + countdown); it is taken off the
        last screen and the session length, so a visit is as long as the visitor was there.
        """
        s = self._session
        if s is None:
            return
        self._session = None
        try:
            now = self._mono()
            end = max(s.mono, now - max(0.0, idle_s))
            self._close_view(s, end)
            record = SessionRecord(
                started=s.started,
                ended=s.started + (end - s.mono),
                duration_s=end - s.mono,
                start_lang=s.start_lang,
                end_reason=reason,
                reached_coalition=s.reached_coalition,
                languages=tuple(s.languages),
                settings=tuple(s.settings),
                views=tuple((sid, i, secs) for i, ((sid, _), secs) in enumerate(zip(s.views, s.view_seconds))),
                interactions=tuple(s.interactions.items()),
            )
            self._put(("session", record))
        except Exception:  # noqa: BLE001
            log.exception("analytics: end_session failed")

    def today_summary(self) -> dict[str, Any]:
        """Today's visits for the operator panel: sessions, median_s, reached_coalition (and
        `notice` when the database was moved aside)."""
        self.flush(1.0)
        start = day_start(local_day(self._clock(), self.tz), self.tz)
        summary = summary_since(self.db_path, start, timeout_s=self._busy_timeout)
        if self.notice:
            summary["notice"] = self.notice
        return summary

    def flush(self, timeout: float | None = 5.0) -> bool:
        """Wait until everything queued so far is written (or skipped). For tests and shutdown."""
        if not self._thread.is_alive():
            return self._queue.empty()
        done = threading.Event()
        if not self._put(("flush", done)):
            return False
        return done.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        """End a running visit ('quit'), write what is queued and stop the writer thread."""
        if self._closed:
            return
        self.end_session("quit")
        self._closed = True
        try:
            self._queue.put(("stop", None), timeout=timeout)
        except queue.Full:
            log.warning("analytics: queue full at close; unwritten visits are dropped")
        self._thread.join(timeout)

    # -- internals -----------------------------------------------------------------------------
    @staticmethod
    def _close_view(s: _Session, now: float) -> None:
        if len(s.view_seconds) < len(s.views):
            shown_at = s.views[-1][1]
            s.view_seconds.append(max(0.0, now - shown_at))

    def _put(self, job: tuple[str, Any]) -> bool:
        if self._closed:
            return False
        try:
            self._queue.put_nowait(job)
            return True
        except queue.Full:
            self._report("analytics: write queue full, a visit is dropped")
            return False

    def _report(self, message: str) -> None:
        # The same failure every visit (a full disk all afternoon) is logged once, then quietly.
        if message != self._last_error:
            log.warning(message)
            self._last_error = message
        else:
            log.debug(message)

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            try:
                # Open (and check) at start, not at the first visit: a broken file is found and
                # replaced before anybody's visit depends on it, and the operator panel knows.
                conn = self._connect()
            except (sqlite3.Error, OSError) as exc:
                self._report(f"analytics: cannot open {self.db_path} ({exc}); will retry at the next visit")
            while True:
                kind, payload = self._queue.get()
                try:
                    if kind == "stop":
                        return
                    if kind == "flush":
                        payload.set()
                        continue
                    if kind == "session":
                        conn = self._write(conn, payload)
                    elif kind == "prediction":
                        conn = self._write_prediction(conn, payload)
                    elif kind == "mix":
                        conn = self._write_mix(conn, payload)
                except Exception as exc:  # noqa: BLE001 - the writer must survive anything
                    self._report(f"analytics: unexpected error, visit skipped: {exc!r}")
                finally:
                    self._queue.task_done()
        finally:
            if conn is not None:
                try:
                    conn.close()
                except Exception:  # noqa: BLE001
                    pass

    def _connect(self, today: dt.date | None = None) -> sqlite3.Connection:
        """Open, check and prepare the database; a broken one is moved aside and replaced."""
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = self._open()
        except sqlite3.Error as exc:
            if not (is_corruption(exc) or self._unreadable()):
                raise
            self._set_aside(exc)
            conn = self._open()
        self._roll_up(conn, today or local_day(self._clock(), self.tz))
        return conn

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path, timeout=self._busy_timeout, isolation_level=None)
        try:
            # WAL: a write never rewrites pages a reader or a crash depends on; NORMAL syncs at
            # checkpoints, so a power cut may lose the last commits but never corrupts the file.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            # The writer only appends: a small page cache is enough, and it keeps the kiosk's
            # memory from growing with the file (SQLite's default grows to 2 MB).
            conn.execute("PRAGMA cache_size=-256")
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed (quick_check: {check and check[0]})")
            conn.executescript(SCHEMA)
            add_kiosk_id_column(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _unreadable(self) -> bool:
        return self.db_path.exists() and not os.access(self.db_path, os.R_OK | os.W_OK)

    def _set_aside(self, exc: BaseException) -> None:
        moved = move_aside(self.db_path, self._clock())
        self.notice = (
            f"Visit database was damaged ({exc}); moved aside to {moved.name}, counting goes on in a fresh one."
            " `kiosk stats` still reads what it can of the old one."
        )
        log.error("analytics: %s is unusable (%s); moved aside to %s and started a fresh database",
                  self.db_path, exc, moved)

    def _roll_up(self, conn: sqlite3.Connection, today: dt.date) -> None:
        """Fold visits older than `raw_days` into daily totals (once per local day)."""
        if self._rolled_up_for == today:
            return
        self._rolled_up_for = today
        try:
            roll_up(conn, day_start(today - dt.timedelta(days=self.raw_days), self.tz), self.tz)
        except sqlite3.Error as exc:
            self._report(f"analytics: could not roll up old visits ({exc})")

    def _write(
        self, conn: sqlite3.Connection | None, rec: SessionRecord, retried: bool = False
    ) -> sqlite3.Connection | None:
        try:
            # The day of the visit, not of the writer's clock: the queue may lag behind.
            today = local_day(rec.ended, self.tz)
            if conn is not None and self._rolled_up_for != today:
                # Once a day the file is opened and checked afresh: damage that happened under
                # the running kiosk (a failing card) is found and set aside within a day.
                conn.close()
                conn = None
            if conn is None:
                conn = self._connect(today)
            conn.execute("BEGIN IMMEDIATE")
            try:
                cur = conn.execute(
                    "INSERT INTO sessions (started, ended, duration_s, start_lang, end_reason,"
                    " reached_coalition, languages, settings, kiosk_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        rec.started,
                        rec.ended,
                        rec.duration_s,
                        rec.start_lang,
                        rec.end_reason,
                        int(rec.reached_coalition),
                        ",".join(rec.languages),
                        ",".join(rec.settings),
                        self.kiosk_id,
                    ),
                )
                sid = cur.lastrowid
                conn.executemany(
                    "INSERT INTO screen_views (session_id, screen_id, seq, seconds) VALUES (?, ?, ?, ?)",
                    [(sid, screen, seq, secs) for screen, seq, secs in rec.views],
                )
                conn.executemany(
                    "INSERT INTO interactions (session_id, name, count) VALUES (?, ?, ?)",
                    [(sid, name, count) for name, count in rec.interactions],
                )
                conn.execute("COMMIT")
            except BaseException:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise
            self._last_error = None
            return conn
        except (sqlite3.Error, OSError) as exc:
            if is_corruption(exc) and not retried:
                # Broken under the running kiosk: set it aside and write this visit to a fresh one.
                if conn is not None:
                    try:
                        conn.close()
                    except sqlite3.Error:
                        pass
                try:
                    self._set_aside(exc)
                except OSError as move_exc:
                    self._report(f"analytics: cannot move aside {self.db_path} ({move_exc})")
                    return None
                return self._write(None, rec, retried=True)
            self._report(f"analytics: could not write a visit to {self.db_path} ({exc}); skipped")
            if conn is not None and not isinstance(exc, sqlite3.OperationalError):
                # A broken connection is reopened for the next visit.
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
                return None
            return conn

    def _write_prediction(self, conn: sqlite3.Connection | None, row: tuple) -> sqlite3.Connection | None:
        return self._write_row(conn, "a prediction", "INSERT INTO predictions (at, day, screen_id, answer, lang) VALUES (?, ?, ?, ?, ?)", row)

    def _write_mix(self, conn: sqlite3.Connection | None, rec: MixRecord) -> sqlite3.Connection | None:
        row = (rec.at, rec.lang, rec.screen_id, json.dumps(dict(rec.parts)), rec.total_gt, rec.goal_gt,
               int(rec.reached_goal), rec.permanent_share)
        sql = ("INSERT INTO mixes (at, lang, screen_id, parts, total_gt, goal_gt, reached_goal, permanent_share)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        return self._write_row(conn, "a mix", sql, row, schema=MIX_SCHEMA)

    def _write_row(self, conn: sqlite3.Connection | None, what: str, sql: str, row: tuple,
                   schema: str | None = None) -> sqlite3.Connection | None:
        """One row of an interactive screen's table, on the writer thread's connection. A failure
        skips the row and is reported once; counting goes on."""
        try:
            if conn is None:
                conn = self._connect()
            if schema:
                conn.executescript(schema)
            conn.execute(sql, row)
            self._last_error = None
            return conn
        except (sqlite3.Error, OSError) as exc:
            self._report(f"analytics: could not write {what} to {self.db_path} ({exc}); skipped")
            return conn


def add_kiosk_id_column(conn: sqlite3.Connection) -> None:
    """Databases from before issue 14 get the kiosk_id column (empty for their old visits)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
    if "kiosk_id" not in columns:
        conn.execute("ALTER TABLE sessions ADD COLUMN kiosk_id TEXT NOT NULL DEFAULT ''")


class NullAnalytics:
    """Same interface, records nothing (KIOSK_NO_ANALYTICS=1, or the database cannot be used)."""

    db_path: Path | None = None
    in_session = False

    def start_session(self, lang: str) -> None:
        pass

    def screen_shown(self, screen_id: str, screen_type: str | None = None) -> None:
        pass

    def language_changed(self, lang: str) -> None:
        pass

    def setting_used(self, name: str) -> None:
        pass

    def interaction(self, name: str) -> None:
        pass

    def prediction(self, screen_id: str, answer: str, lang: str) -> None:
        pass

    def predictions_today(self, screen_id: str) -> dict[str, int]:
        return {}

    def end_session(self, reason: str, idle_s: float = 0.0) -> None:
        pass

    def today_summary(self) -> dict[str, Any]:
        return {"sessions": 0, "median_s": None, "reached_coalition": 0}

    def record_mix(self, *args: Any, **kwargs: Any) -> None:
        pass

    def mixes_today(self) -> list[MixRecord]:
        return []

    def flush(self, timeout: float | None = 5.0) -> bool:
        return True

    def close(self, timeout: float = 5.0) -> None:
        pass


def open_analytics(db_path: Path | None = None, **kwargs: Any) -> Analytics | NullAnalytics:
    """What the shell uses: a recorder, or a no-op when KIOSK_NO_ANALYTICS=1 (tests) is set."""
    if analytics_disabled():
        log.info("analytics: off (KIOSK_NO_ANALYTICS)")
        return NullAnalytics()
    try:
        return Analytics(db_path, **kwargs)
    except Exception:  # noqa: BLE001
        log.exception("analytics: could not start; visits are not recorded")
        return NullAnalytics()


# -- reading (shared with `kiosk stats`) -----------------------------------------------------------


def connect_readonly(db_path: Path, timeout_s: float = 2.0) -> sqlite3.Connection | None:
    """A read-only connection, or None when there is no database yet."""
    path = Path(db_path)
    if not path.is_file():
        return None
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout_s)


def roll_up(conn: sqlite3.Connection, before: float, tz: dt.tzinfo | None = None) -> int:
    """Replace the raw rows of visits started before `before` by one `daily_totals` row per
    local day (merged with totals already there). Rows of any table with a `session_id` column
    go with their visit, so tables other modules add are kept bounded too. Returns visits rolled."""
    old = conn.execute(
        "SELECT id, started, duration_s, reached_coalition FROM sessions WHERE started < ?", (before,)
    ).fetchall()
    if not old:
        return 0
    days: dict[dt.date, list[tuple[float, int]]] = {}
    for _id, started, duration, coalition in old:
        days.setdefault(local_day(started, tz), []).append((duration, coalition))
    child_tables = [
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        if name != "sessions" and any(col[1] == "session_id" for col in conn.execute(f'PRAGMA table_info("{name}")'))
    ]
    conn.execute("BEGIN IMMEDIATE")
    try:
        for day, items in days.items():
            key = day.isoformat()
            have = conn.execute("SELECT sessions, median_s, reached_coalition FROM daily_totals WHERE day = ?", (key,)).fetchone()
            n = len(items) + (have[0] if have else 0)
            # A median cannot be merged exactly; a day rolled up twice (rare: a clock set back)
            # keeps the larger part's median.
            median = statistics.median(d for d, _ in items)
            if have and have[0] > len(items) and have[1] is not None:
                median = have[1]
            coalition = sum(c for _, c in items) + (have[2] if have else 0)
            conn.execute("INSERT OR REPLACE INTO daily_totals (day, sessions, median_s, reached_coalition) VALUES (?, ?, ?, ?)",
                         (key, n, median, coalition))
        for table in child_tables:
            conn.execute(f'DELETE FROM "{table}" WHERE session_id IN (SELECT id FROM sessions WHERE started < ?)', (before,))
        conn.execute("DELETE FROM sessions WHERE started < ?", (before,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    log.info("analytics: rolled %d visits on %d days into daily totals", len(old), len(days))
    return len(old)


def summary_since(db_path: Path, since: float, timeout_s: float = 0.5) -> dict[str, Any]:
    empty: dict[str, Any] = {"sessions": 0, "median_s": None, "reached_coalition": 0}
    try:
        conn = connect_readonly(db_path, timeout_s)
        if conn is None:
            return empty
        try:
            rows = conn.execute(
                "SELECT duration_s, reached_coalition FROM sessions WHERE started >= ?", (since,)
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        log.warning("analytics: could not read %s (%s)", db_path, exc)
        return empty
    if not rows:
        return empty
    return {
        "sessions": len(rows),
        "median_s": statistics.median(r[0] for r in rows),
        "reached_coalition": sum(1 for r in rows if r[1]),
    }


def _read_rows(db_path: Path, sql: str, params: tuple, timeout_s: float, what: str) -> list[tuple] | None:
    """Rows of one read-only query; None when there is no database, the table is not there yet
    (a kiosk that never recorded any) or it cannot be read (logged)."""
    try:
        conn = connect_readonly(db_path, timeout_s)
        if conn is None:
            return None
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if "no such table" not in str(exc):
            log.warning("analytics: could not read %s from %s (%s)", what, db_path, exc)
        return None


def predictions_on(db_path: Path, day: str, screen_id: str, timeout_s: float = 0.5) -> dict[str, int]:
    """{answer: count} of the predictions made on `day` (YYYY-MM-DD) on one screen."""
    rows = _read_rows(
        db_path,
        "SELECT answer, COUNT(*) FROM predictions WHERE day = ? AND screen_id = ? GROUP BY answer",
        (day, screen_id),
        timeout_s,
        "predictions",
    )
    return {answer: int(n) for answer, n in rows or ()}


def mixes_since(db_path: Path, since: float, timeout_s: float = 0.5, until: float | None = None) -> list[MixRecord]:
    """Finished removal mixes from `since` (Unix time) on, oldest first; [] without a database."""
    rows = _read_rows(
        db_path,
        "SELECT at, lang, screen_id, parts, goal_gt, permanent_share FROM mixes WHERE at >= ? AND at < ? ORDER BY at",
        (since, until if until is not None else float("inf")),
        timeout_s,
        "mixes",
    )
    if rows is None:
        return []
    out = []
    for at, lang, screen_id, parts, goal, permanent in rows:
        try:
            amounts = {str(k): float(v) for k, v in json.loads(parts).items()}
        except (ValueError, AttributeError, TypeError):
            continue  # a damaged row is skipped, not fatal
        out.append(MixRecord(at, lang, screen_id, tuple(amounts.items()), goal, permanent))
    return out
