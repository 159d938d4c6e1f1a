"""`kiosk run --supervise`: keep the kiosk running for days with nobody watching.

The supervisor runs the kiosk as a child process (`python -m kiosk run ...`, or the frozen
executable itself) and:

- ends when the kiosk exits with code 0 (the operator chose "quit");
- restarts it at once when it exits with `RESTART_EXIT_CODE` (the operator chose "restart");
- restarts it after a crash (any other exit code) with back-off: 1 s, 2 s, 4 s ... at most 30 s,
  back to 1 s once a run lasted a healthy minute;
- kills and restarts it when it hangs: the kiosk touches a heartbeat file (path in the
  environment variable `KIOSK_HEARTBEAT_FILE`) every 2 s from its Qt event loop — see
  `start_heartbeat(app)` — and a heartbeat older than 10 s means the event loop is stuck;
- after five crashes within a minute, stops flapping: it shows a calm fallback screen
  (`kiosk.ui.operator.fallback_main`, started with `KIOSK_FALLBACK=1`) and tries the kiosk
  again every five minutes.

Every timing is a field of `Timings`, so tests run the whole cycle in seconds with a fake child.
This module imports no Qt at import time; `start_heartbeat` imports it when called.
"""

from __future__ import annotations

import collections
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger(__name__)

HEARTBEAT_ENV = "KIOSK_HEARTBEAT_FILE"
SUPERVISED_ENV = "KIOSK_SUPERVISED"
FALLBACK_ENV = "KIOSK_FALLBACK"
FALLBACK_MESSAGE_ENV = "KIOSK_FALLBACK_MESSAGE"
RESTART_EXIT_CODE = 75  # the kiosk asks for a fresh start (operator "restart"), not a crash
HEARTBEAT_INTERVAL_MS = 2000

FALLBACK_MESSAGE = "This exhibit is taking a short break. Please come back in a few minutes."


@dataclass(frozen=True)
class Timings:
    backoff_start_s: float = 1.0
    backoff_max_s: float = 30.0
    healthy_run_s: float = 60.0  # a run this long resets the back-off
    hang_timeout_s: float = 10.0  # heartbeat older than this = hung
    startup_grace_s: float = 60.0  # time allowed before the first heartbeat
    poll_s: float = 0.5
    kill_grace_s: float = 3.0  # between terminate and kill
    crash_window_s: float = 60.0
    crashes_for_fallback: int = 5
    fallback_retry_s: float = 300.0


def child_command(argv: list[str]) -> list[str]:
    """The kiosk command without --supervise (the frozen executable runs itself)."""
    args = [a for a in argv if a != "--supervise"]
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "kiosk", *args]


def fallback_command(argv: list[str]) -> list[str]:
    """The calm fallback screen. A frozen bundle cannot run `-c`: it runs itself with KIOSK_FALLBACK=1."""
    if getattr(sys, "frozen", False):
        return child_command(argv)
    code = "import sys; from kiosk.ui.operator import fallback_main; sys.exit(fallback_main())"
    return [sys.executable, "-c", code]


class Supervisor:
    """Runs `command` until it exits with 0 or `stop()` is called. `events` records what happened."""

    def __init__(
        self,
        command: list[str],
        fallback: list[str] | None = None,
        *,
        timings: Timings = Timings(),
        env: dict[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        fallback_message: str = FALLBACK_MESSAGE,
        on_crash: Callable[[int, bool, int], None] | None = None,
    ) -> None:
        self.command = list(command)
        self.on_crash = on_crash  # (exit code, hung?, crashes so far): the fleet's /fail ping
        self.crash_count = 0
        self.fallback = list(fallback) if fallback else None
        self.timings = timings
        self.base_env = dict(os.environ if env is None else env)
        self.clock = clock
        self.fallback_message = fallback_message
        self.events: list[tuple[Any, ...]] = []
        self._stop = threading.Event()
        self._child: subprocess.Popen[bytes] | None = None
        self._dir: Path | None = None
        self.heartbeat_file = Path()  # set by run(): a file in a fresh temporary folder

    # -- control -------------------------------------------------------------------------------
    def stop(self) -> None:
        """Ask the loop to end (signal handlers call this); the child is terminated."""
        self._stop.set()

    def run(self) -> int:
        t = self.timings
        crashes: collections.deque[float] = collections.deque()
        consecutive = 0
        self._dir = Path(tempfile.mkdtemp(prefix="kiosk-supervisor-"))
        self.heartbeat_file = self._dir / "heartbeat"
        try:
            while not self._stop.is_set():
                code, ran_s, hung = self._run_once()
                if self._stop.is_set():
                    break
                if not hung and code == 0:
                    log.info("kiosk exited normally (operator quit); supervision ends")
                    self.events.append(("done", 0))
                    return 0
                if not hung and code == RESTART_EXIT_CODE:
                    log.info("kiosk asked for a restart")
                    self.events.append(("restart",))
                    consecutive = 0
                    continue
                now = self.clock()
                crashes.append(now)
                self.crash_count += 1
                if self.on_crash is not None:
                    try:
                        self.on_crash(code, hung, self.crash_count)
                    except Exception:  # noqa: BLE001 - reporting must never stop the restarts
                        log.exception("crash report failed")
                while crashes and now - crashes[0] > t.crash_window_s:
                    crashes.popleft()
                consecutive = 1 if ran_s >= t.healthy_run_s else consecutive + 1
                if len(crashes) >= t.crashes_for_fallback:
                    log.error("%d crashes within %.0f s: showing the fallback screen", len(crashes), t.crash_window_s)
                    crashes.clear()
                    consecutive = 0
                    if self._run_fallback() == 0:
                        self.events.append(("done", 0))
                        return 0
                    continue
                delay = min(t.backoff_start_s * 2 ** (consecutive - 1), t.backoff_max_s)
                log.warning("restarting the kiosk in %.1f s", delay)
                self.events.append(("backoff", delay))
                self._stop.wait(delay)
            self.events.append(("stopped",))
            return 0
        finally:
            self._kill_child()
            shutil.rmtree(self._dir, ignore_errors=True)

    # -- one child -----------------------------------------------------------------------------
    def _env(self, **extra: str) -> dict[str, str]:
        env = dict(self.base_env)
        env[SUPERVISED_ENV] = "1"
        env["KIOSK_CRASH_RESTARTS"] = str(self.crash_count)  # for the kiosk's metrics
        env.pop(FALLBACK_ENV, None)
        env.update(extra)
        return env

    def _start(self, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes] | None:
        try:
            self._child = subprocess.Popen(command, env=env)
        except OSError as exc:
            log.error("cannot start %s: %s", command[0], exc)
            self._child = None
        return self._child

    def _run_once(self) -> tuple[int, float, bool]:
        """Run the kiosk once: (exit code, seconds it ran, whether it was killed as hung)."""
        t = self.timings
        try:
            self.heartbeat_file.unlink(missing_ok=True)
        except OSError:
            pass
        started = self.clock()
        self.events.append(("start", started))
        log.info("starting the kiosk: %s", " ".join(self.command))
        child = self._start(self.command, self._env(**{HEARTBEAT_ENV: str(self.heartbeat_file)}))
        if child is None:
            return 127, 0.0, False
        last_seen: bytes | None = None
        last_beat: float | None = None
        while True:
            code = child.poll()
            if code is not None:
                ran = self.clock() - started
                log.log(logging.INFO if code in (0, RESTART_EXIT_CODE) else logging.ERROR,
                        "kiosk exited with code %s after %.1f s", code, ran)
                self.events.append(("exit", code, ran))
                self._child = None
                return code, ran, False
            if self._stop.is_set():
                self._kill_child()
                return 0, self.clock() - started, False
            beat = _read_heartbeat(self.heartbeat_file)
            now = self.clock()
            if beat is not None and beat != last_seen:
                last_seen, last_beat = beat, now
            if last_beat is None:
                hung = now - started > t.startup_grace_s
                why = f"no heartbeat within {t.startup_grace_s:.0f} s of start (is start_heartbeat(app) called?)"
            else:
                hung = now - last_beat > t.hang_timeout_s
                why = f"no heartbeat for {now - last_beat:.1f} s"
            if hung:
                log.error("the kiosk is not responding (%s); killing it", why)
                self.events.append(("hang", now - started))
                self._kill_child()
                return -1, now - started, True
            self._stop.wait(t.poll_s)

    def _run_fallback(self) -> int | None:
        """Show the fallback screen until `fallback_retry_s` passed; 0 when it was closed on purpose."""
        t = self.timings
        self.events.append(("fallback",))
        deadline = self.clock() + t.fallback_retry_s
        child = None
        if self.fallback:
            env = self._env(**{FALLBACK_ENV: "1", FALLBACK_MESSAGE_ENV: self.fallback_message})
            child = self._start(self.fallback, env)
        while not self._stop.is_set() and self.clock() < deadline:
            if child is not None:
                code = child.poll()
                if code is not None:
                    self._child = child = None
                    if code == 0:
                        log.info("fallback screen closed by the operator; supervision ends")
                        return 0
                    log.error("the fallback screen exited with code %s", code)
            self._stop.wait(min(t.poll_s, max(0.0, deadline - self.clock())))
        self._kill_child()
        log.info("trying the kiosk again after the fallback pause")
        return None

    def _kill_child(self) -> None:
        child, self._child = self._child, None
        if child is None or child.poll() is not None:
            if child is not None:
                child.wait()
            return
        try:
            child.terminate()
            try:
                child.wait(self.timings.kill_grace_s)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(self.timings.kill_grace_s)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.error("could not end the kiosk process %s: %s", child.pid, exc)


def _read_heartbeat(path: Path) -> bytes | None:
    try:
        st = path.stat()
        return f"{st.st_mtime_ns}:{st.st_size}:".encode() + path.read_bytes()[:64]
    except OSError:
        return None


def main(argv: list[str]) -> int:
    """Entry from `kiosk run --supervise ...` (argv as the CLI saw it, `run` included)."""
    from kiosk.logs import log_uncaught_exceptions, setup_logging

    setup_logging("supervisor.log")
    log_uncaught_exceptions()
    sup = Supervisor(child_command(argv), fallback_command(argv), on_crash=fleet_crash_reporter(argv))

    def on_signal(signum: int, frame: object) -> None:
        log.info("signal %s: stopping the kiosk and the supervisor", signum)
        sup.stop()

    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            try:
                signal.signal(getattr(signal, name), on_signal)
            except (ValueError, OSError):  # not the main thread, or not supported here
                pass
    return sup.run()


def fleet_crash_reporter(argv: list[str]) -> Callable[[int, bool, int], None] | None:
    """With a heartbeat URL in fleet.yaml: ping `<url>/fail` for every crash caught (issue 14)."""
    from kiosk.sync.settings import find_settings, load_settings

    explicit = None
    for i, arg in enumerate(argv):
        if arg == "--fleet" and i + 1 < len(argv):
            explicit = Path(argv[i + 1])
        elif arg.startswith("--fleet="):
            explicit = Path(arg.split("=", 1)[1])
    result = load_settings(find_settings(explicit))
    hb = result.settings.heartbeat
    if hb is None:
        return None
    from kiosk.sync.heartbeat import ping

    started = time.time()

    def report(code: int, hung: bool, count: int) -> None:
        from kiosk import __version__

        info = {
            "kiosk": result.settings.kiosk_id,
            "version": __version__,
            "event": "hang" if hung else "crash",
            "exit_code": code,
            "crash_restarts": count,
            "uptime_s": round(time.time() - started),
        }
        # on its own thread: a slow ping server must not delay the restart
        threading.Thread(target=ping, args=(hb, "fail", info), daemon=True).start()

    return report


# -- the kiosk's side -----------------------------------------------------------------------------


def start_heartbeat(app: Any, path: str | os.PathLike[str] | None = None, interval_ms: int = HEARTBEAT_INTERVAL_MS):
    """Touch the heartbeat file from the Qt event loop every `interval_ms` (when supervised).

    Call once after the QApplication exists. Returns the running QTimer (a child of `app`), or
    None when `KIOSK_HEARTBEAT_FILE` is not set (not supervised). A blocked event loop stops the
    beats and the supervisor restarts the kiosk.
    """
    target = path if path is not None else os.environ.get(HEARTBEAT_ENV)
    if not target:
        return None
    from PySide6.QtCore import QTimer

    file = Path(target)
    count = [0]

    def beat() -> None:
        count[0] += 1
        try:
            # Replaced, not rewritten in place: the supervisor never reads a half-written beat.
            # No fsync: a heartbeat is worthless after a power cut anyway.
            tmp = file.with_name(file.name + ".tmp")
            tmp.write_text(f"{os.getpid()} {count[0]}\n", encoding="ascii")
            os.replace(tmp, file)
        except OSError as exc:
            log.warning("cannot write the heartbeat file %s: %s", file, exc)

    timer = QTimer(app)
    timer.setObjectName("kiosk-heartbeat")
    timer.setInterval(interval_ms)
    timer.timeout.connect(beat)
    beat()
    timer.start()
    return timer
