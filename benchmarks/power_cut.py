"""Power cut at any moment: start the real kiosk, SIGKILL it at a random point, check, repeat.

    python benchmarks/power_cut.py [--kills 50] [--seed 1]

Each round starts `python -m kiosk` (offscreen, its own data/log folders, real analytics) with a
scripted visitor (KIOSK_AUTOPILOT) so that visits are written all the time, while this script
keeps replacing the content file (hot reloads) and now and then changes the operator PIN with
`kiosk pin --content` - and then kills the kiosk, and the PIN change if it is still running, with
SIGKILL at a random moment. The kiosk's log is topped up to just under its rotation size before
each start, so rotations happen during the runs too. After each kill:

- the content file loads without errors and is one of the versions written (plus, maybe, a PIN);
- the analytics database passes PRAGMA integrity_check and has lost no visit it had committed;
- the next start shows exactly that content (its sha256 in the log), not the shipped fallback,
  and does not move the database aside.

Prints one JSON line per round and a summary {"kills": N, "intact_restarts": M, ...}.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.atomic import write_atomic  # noqa: E402
from kiosk.logs import MAX_BYTES  # noqa: E402

APP = "negative-emissions-kiosk"


def variants() -> list[str]:
    """Valid content files that differ in what the kiosk applies (so every write is a reload)."""
    text = (REPO / "content.yaml").read_text(encoding="utf-8")
    assert "  idle_warning_s: 90\n" in text
    out = []
    for warn in (90, 91, 92, 93):
        out.append(text.replace("  idle_warning_s: 90\n", f"  idle_warning_s: {warn}\n  reload_settle_ms: 40\n"))
    return out


def without_pin(text: str) -> str:
    return re.sub(r"\n*operator:\n  pin_hash: \"[^\"\n]*\"\n", "\n", text).rstrip("\n") + "\n"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


class Writer(threading.Thread):
    """Replaces the content file with one of the versions every 100-800 ms while `enabled`."""

    def __init__(self, path: Path, texts: list[str], rng: random.Random) -> None:
        super().__init__(daemon=True)
        self.path, self.texts, self.rng = path, texts, rng
        self.enabled = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self.stopped = False
        self.writes = 0

    def run(self) -> None:
        while not self.stopped:
            if not self.enabled.wait(0.1):
                continue
            self.idle.clear()
            try:
                if self.enabled.is_set():
                    write_atomic(self.path, self.rng.choice(self.texts))
                    self.writes += 1
            finally:
                self.idle.set()
            time.sleep(self.rng.uniform(0.1, 0.8))

    def pause(self) -> None:
        self.enabled.clear()
        self.idle.wait(5)


class Round:
    def __init__(self, work: Path, content: Path, env: dict[str, str], n: int) -> None:
        self.out_path = work / f"run{n:03d}.log"
        self.out = open(self.out_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--content", str(content)],
            cwd=work, env=env, stdout=self.out, stderr=subprocess.STDOUT,
        )

    def text(self) -> str:
        return self.out_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, needle: str, timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.out.close()


def db_state(db: Path) -> tuple[str, int]:
    if not db.exists():
        return "ok", 0
    conn = sqlite3.connect(db)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        count = conn.execute("SELECT count(*) FROM sessions").fetchone()[0] if check == "ok" else -1
        return check, count
    finally:
        conn.close()


def run(kills: int, work: Path, seed: int = 1, report=print) -> dict:
    rng = random.Random(seed)
    work.mkdir(parents=True, exist_ok=True)
    content_dir = work / "content"
    content_dir.mkdir(exist_ok=True)
    assets = content_dir / "assets"
    if not assets.exists():
        shutil.copytree(REPO / "assets", assets)  # a copy: content may not reach out through links
    content = content_dir / "content.yaml"
    texts = variants()
    write_atomic(content, texts[0])
    env = dict(os.environ)
    env.pop("KIOSK_NO_ANALYTICS", None)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        KIOSK_AUTOPILOT="15",
        XDG_STATE_HOME=str(work / "state"),
        XDG_DATA_HOME=str(work / "data"),
        XDG_CACHE_HOME=str(work / "cache"),
        XDG_CONFIG_HOME=str(work / "config"),
    )
    log_dir = work / "state" / APP / "log"
    db = work / "data" / APP / "analytics.sqlite3"
    writer = Writer(content, texts, rng)
    writer.start()
    totals = {"kills": 0, "intact_restarts": 0, "pin_changes_killed": 0, "pin_changes_done": 0,
              "rotations": 0, "content_writes": 0, "visits_recorded": 0}
    problems: list[str] = []
    committed = 0
    try:
        for n in range(kills + 1):
            log_dir.mkdir(parents=True, exist_ok=True)
            kiosk_log = log_dir / "kiosk.log"
            size = kiosk_log.stat().st_size if kiosk_log.exists() else 0
            room = rng.randrange(300, 4000)  # top the log up so that it rotates at some point of this run
            if size < MAX_BYTES - room:
                with open(kiosk_log, "a", encoding="utf-8") as fh:
                    fh.write(("x" * 99 + "\n") * ((MAX_BYTES - room - size) // 100))
            rotated_before = (log_dir / "kiosk.log.1").stat().st_mtime_ns if (log_dir / "kiosk.log.1").exists() else 0
            expected = sha(content)
            kiosk = Round(work, content, env, n)
            row: dict = {"round": n}
            started = kiosk.wait_for("first frame after")
            text = kiosk.text()
            shown = re.search(r"showing content \S+ \(sha256 (\w+)\)", text)
            row["start_ok"] = bool(
                started and shown and shown.group(1) == expected
                and "showing the shipped content instead" not in text and "moved aside" not in text
            )
            if not row["start_ok"]:
                problems.append(f"round {n}: start not clean: {text[-1500:]}")
            if n > 0:
                # This start is the verdict on the previous kill.
                if row["start_ok"] and last_ok:
                    totals["intact_restarts"] += 1
            if n == kills:
                kiosk.proc.terminate()  # the last start only checks the last kill
                kiosk.proc.wait(20)
                kiosk.out.close()
                report(json.dumps(row))
                break
            writer.enabled.set()
            pin = None
            delay = rng.uniform(0.05, 4.0)
            pin_at = delay - rng.uniform(0.0, 0.4) if rng.random() < 0.6 else None
            t0 = time.monotonic()
            if pin_at is not None and pin_at > 0:
                time.sleep(pin_at)
                pin = subprocess.Popen([sys.executable, "-m", "kiosk", "pin", f"{rng.randrange(10**4, 10**6)}",
                                        "--content", str(content)], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(max(0.0, delay - (time.monotonic() - t0)))
            kiosk.kill()  # the power cut
            pin_running = pin is not None and pin.poll() is None
            if pin is not None:
                if pin_running:
                    pin.send_signal(signal.SIGKILL)
                pin.wait(10)
                totals["pin_changes_killed" if pin_running else "pin_changes_done"] += 1
            writer.pause()
            totals["kills"] += 1
            rotated_after = (log_dir / "kiosk.log.1").stat().st_mtime_ns if (log_dir / "kiosk.log.1").exists() else 0
            totals["rotations"] += rotated_after != rotated_before
            from kiosk.content.loader import load

            loaded = load(content)
            row["content_ok"] = loaded.ok and without_pin(content.read_text(encoding="utf-8")) in {
                without_pin(t) for t in texts}
            check, count = db_state(db)
            row["db"] = check
            row["visits"] = count
            row["db_ok"] = check == "ok" and count >= committed
            committed = max(committed, count)
            row.update(killed_after_s=round(delay, 2), pin_killed=pin_running)
            last_ok = row["content_ok"] and row["db_ok"]
            if not last_ok:
                problems.append(f"round {n}: after the kill: {row}")
            report(json.dumps(row))
    finally:
        writer.stopped = True
        writer.enabled.set()
        writer.join(5)
    totals["content_writes"] = writer.writes
    totals["visits_recorded"] = committed
    totals["problems"] = problems[:5]
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="folder for the runs (default: a new temporary one)")
    args = parser.parse_args()
    import tempfile

    work = args.work or Path(tempfile.mkdtemp(prefix="kiosk-power-cut-"))
    t0 = time.perf_counter()
    totals = run(args.kills, work, args.seed, report=lambda line: print(line, flush=True))
    totals["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps({"case": "power-cut", **totals}), flush=True)
    return 0 if totals["intact_restarts"] == totals["kills"] else 1


if __name__ == "__main__":
    sys.exit(main())
