"""The supervisor keeps a crashing or hanging kiosk coming back, calmly.

A tiny fake kiosk (a Python script) stands in for the real one; every timing is shortened so the
whole cycle runs in seconds. The script counts its starts in a file and behaves according to a
plan: one letter per start, c = crash (exit 3), h = hang without heartbeat, b = beat for a while
then exit 0, r = ask for a restart, q = quit (exit 0).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from kiosk import supervisor
from kiosk.supervisor import RESTART_EXIT_CODE, Supervisor, Timings

FAST = Timings(
    backoff_start_s=0.05,
    backoff_max_s=0.2,
    healthy_run_s=30.0,
    hang_timeout_s=0.6,
    startup_grace_s=1.0,
    poll_s=0.02,
    kill_grace_s=2.0,
    crash_window_s=60.0,
    crashes_for_fallback=5,
    fallback_retry_s=0.5,
)

FAKE_KIOSK = textwrap.dedent(
    """
    import os, sys, time
    plan, runs = sys.argv[1], sys.argv[2]
    with open(runs, "a") as f:
        f.write("run\\n")
    n = len(open(runs).read().splitlines())
    step = plan[min(n, len(plan)) - 1]
    beat_file = os.environ.get("KIOSK_HEARTBEAT_FILE")
    if step == "c":
        sys.exit(3)
    if step == "r":
        sys.exit(%d)
    if step == "q":
        sys.exit(0)
    if step == "h":
        time.sleep(60)  # hung: no heartbeat ever
    if step == "b":
        for i in range(20):  # 2 s of healthy beats, longer than the hang timeout
            with open(beat_file, "w") as f:
                f.write(str(i))
            time.sleep(0.1)
        sys.exit(0)
    """
    % RESTART_EXIT_CODE
)

FAKE_FALLBACK = textwrap.dedent(
    """
    import os, sys, time
    with open(sys.argv[1], "a") as f:
        f.write(os.environ.get("KIOSK_FALLBACK", "") + "|" + os.environ.get("KIOSK_FALLBACK_MESSAGE", "") + "\\n")
    sys.exit(int(sys.argv[2]))
    """
)


@pytest.fixture
def fake(tmp_path: Path):
    script = tmp_path / "fake_kiosk.py"
    script.write_text(FAKE_KIOSK)
    fallback = tmp_path / "fake_fallback.py"
    fallback.write_text(FAKE_FALLBACK)
    runs = tmp_path / "runs.txt"
    shown = tmp_path / "fallback.txt"

    def make(plan: str, fallback_exit: int = 0, timings: Timings = FAST) -> Supervisor:
        return Supervisor(
            [sys.executable, str(script), plan, str(runs)],
            [sys.executable, str(fallback), str(shown), str(fallback_exit)],
            timings=timings,
        )

    make.runs = runs  # type: ignore[attr-defined]
    make.shown = shown  # type: ignore[attr-defined]
    return make


def kinds(sup: Supervisor, kind: str) -> list[tuple]:
    return [e for e in sup.events if e[0] == kind]


def run_count(fake) -> int:
    return len(fake.runs.read_text().splitlines())


def test_operator_quit_ends_supervision(fake):
    sup = fake("q")
    assert sup.run() == 0
    assert run_count(fake) == 1
    assert sup.events[-1] == ("done", 0)


def test_crashes_are_restarted_with_growing_back_off(fake):
    sup = fake("cccq")
    assert sup.run() == 0
    assert run_count(fake) == 4
    assert [e[1] for e in kinds(sup, "exit")] == [3, 3, 3, 0]
    assert [e[1] for e in kinds(sup, "backoff")] == [0.05, 0.1, 0.2]
    assert not kinds(sup, "fallback")


def test_back_off_is_capped(fake):
    sup = fake("ccccq", timings=Timings(**{**FAST.__dict__, "backoff_max_s": 0.1}))
    assert sup.run() == 0
    assert [e[1] for e in kinds(sup, "backoff")] == [0.05, 0.1, 0.1, 0.1]


def test_back_off_resets_after_a_healthy_run(fake):
    # a "healthy" run is one as long as healthy_run_s; here every run counts as healthy
    sup = fake("cccq", timings=Timings(**{**FAST.__dict__, "healthy_run_s": 0.0}))
    assert sup.run() == 0
    assert [e[1] for e in kinds(sup, "backoff")] == [0.05, 0.05, 0.05]


def test_hung_kiosk_is_killed_and_restarted(fake):
    sup = fake("hq")
    assert sup.run() == 0
    assert run_count(fake) == 2
    assert len(kinds(sup, "hang")) == 1
    assert kinds(sup, "backoff")  # a hang counts as a crash


def test_kiosk_that_beats_is_left_alone(fake):
    sup = fake("b")
    assert sup.run() == 0
    assert run_count(fake) == 1
    assert not kinds(sup, "hang")
    assert kinds(sup, "exit")[0][2] > FAST.hang_timeout_s  # it ran longer than the hang timeout


def test_restart_request_restarts_at_once(fake):
    sup = fake("rq")
    assert sup.run() == 0
    assert run_count(fake) == 2
    assert kinds(sup, "restart") and not kinds(sup, "backoff")


def test_five_crashes_in_a_minute_show_the_fallback_screen(fake):
    # the fallback exits 1 (not closed by the operator): after the pause the kiosk is tried again
    sup = fake("cccccq", fallback_exit=1)
    assert sup.run() == 0
    assert run_count(fake) == 6
    assert len(kinds(sup, "fallback")) == 1
    assert len(kinds(sup, "backoff")) == 4  # no back-off after the fifth crash: the fallback instead
    flag, message = fake.shown.read_text().splitlines()[0].split("|")
    assert flag == "1"
    assert "short break" in message
    # the fallback came after the fifth crash, before the sixth start
    names = [e[0] for e in sup.events]
    assert names.index("fallback") > [i for i, n in enumerate(names) if n == "exit"][4]


def test_operator_closing_the_fallback_ends_supervision(fake):
    sup = fake("c", fallback_exit=0)
    assert sup.run() == 0
    assert run_count(fake) == 5
    assert sup.events[-1] == ("done", 0)


def test_stop_ends_a_running_kiosk(fake):
    import threading

    sup = fake("h", timings=Timings(**{**FAST.__dict__, "startup_grace_s": 60.0}))
    threading.Timer(0.5, sup.stop).start()
    assert sup.run() == 0
    assert kinds(sup, "stopped")
    assert not kinds(sup, "hang")


def test_child_command_drops_supervise():
    cmd = supervisor.child_command(["run", "--supervise", "--windowed"])
    assert "--supervise" not in cmd
    assert cmd[-2:] == ["run", "--windowed"]
    assert cmd[0] == sys.executable


def test_heartbeat_timer_writes_the_file(qapp, qtbot, tmp_path, monkeypatch):
    beat = tmp_path / "beat"
    monkeypatch.setenv(supervisor.HEARTBEAT_ENV, str(beat))
    timer = supervisor.start_heartbeat(qapp, interval_ms=20)
    try:
        assert timer is not None and timer.isActive()
        first = beat.read_text()
        qtbot.waitUntil(lambda: beat.read_text() != first, timeout=2000)
    finally:
        timer.stop()
        timer.setParent(None)
        timer.deleteLater()


def test_no_heartbeat_when_not_supervised(qapp, monkeypatch):
    monkeypatch.delenv(supervisor.HEARTBEAT_ENV, raising=False)
    assert supervisor.start_heartbeat(qapp) is None
