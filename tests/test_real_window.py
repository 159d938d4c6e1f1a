"""The real kiosk in a real X server with no window manager: it covers the screen and clicks work.

Runs `python -m kiosk` under Xvfb, finds its window with xdotool, checks it covers the whole
1920x1080 screen, then clicks the way a visitor taps and reads the screens it reached from the
log. Needs Xvfb and xdotool (.ci/run installs them); outside CI a machine without them skips.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.content.glossary import occurrences
from kiosk.content.loader import load

from processes import end

NEEDED = ("Xvfb", "xdotool")
missing = [tool for tool in NEEDED if shutil.which(tool) is None]
if missing and os.environ.get("CI"):
    raise RuntimeError(f"CI must install {missing} (see .ci/run)")
pytestmark = pytest.mark.skipif(bool(missing), reason=f"needs {missing}")

REPO = Path(__file__).resolve().parent.parent


def free_display() -> int:
    for n in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


@pytest.fixture
def xserver():
    n = free_display()
    proc = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        assert proc.poll() is None, "Xvfb did not start"
        assert time.monotonic() < deadline, "Xvfb did not create its socket"
        time.sleep(0.05)
    yield f":{n}"
    proc.terminate()
    proc.wait(timeout=10)


class Kiosk:
    def __init__(self, display: str, tmp: Path, extra_env: dict[str, str] | None = None) -> None:
        env = dict(os.environ)
        env.pop("QT_QPA_PLATFORM", None)  # a real xcb window this time
        env.pop("KIOSK_NO_ANALYTICS", None)  # and real visit analytics, in the test's own folder
        env.update(
            DISPLAY=display,
            KIOSK_HIDE_CURSOR="0",
            XDG_STATE_HOME=str(tmp / "state"),
            XDG_CACHE_HOME=str(tmp / "cache"),
            XDG_CONFIG_HOME=str(tmp / "config"),
            XDG_DATA_HOME=str(tmp / "data"),
        )
        env.update(extra_env or {})
        self.display = display
        self.env = env
        self.log = tmp / "kiosk.log"
        self._out = open(self.log, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--content", str(REPO / "content.yaml")],
            cwd=tmp,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, needle: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            assert self.proc.poll() is None, f"kiosk exited:\n{self.text()[-3000:]}"
            assert time.monotonic() < deadline, f"no {needle!r} in the log:\n{self.text()[-3000:]}"
            time.sleep(0.1)

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=20)
        return done.stdout

    def click(self, x: int, y: int) -> None:
        self.xdotool("mousemove", str(x), str(y), "click", "1")

    def stop(self) -> None:
        # Lockdown refuses Close and Alt+F4 on purpose; the test ends the process from outside.
        end(self.proc)
        self._out.close()


def test_fullscreen_without_window_manager_and_clicks_move_through_screens(xserver, tmp_path):
    kiosk = Kiosk(xserver, tmp_path)
    try:
        kiosk.wait_for("first frame after")
        windows = kiosk.xdotool("search", "--onlyvisible", "--name", "Negative emissions").split()
        assert windows, "no visible kiosk window"
        geometry = kiosk.xdotool("getwindowgeometry", "--shell", windows[0])
        values = dict(line.split("=", 1) for line in geometry.split())
        assert (values["X"], values["Y"]) == ("0", "0")
        assert (values["WIDTH"], values["HEIGHT"]) == ("1920", "1080")

        kiosk.wait_for("screen attract")
        kiosk.click(960, 400)  # anywhere on the attract loop
        kiosk.wait_for("screen why")
        kiosk.click(1860, 1020)  # the Next button, bottom right
        kiosk.wait_for("screen flows")
        kiosk.click(80, 1020)  # Back, bottom left
        deadline = time.monotonic() + 10
        while kiosk.text().count("screen why") < 2:
            assert time.monotonic() < deadline, kiosk.text()[-2000:]
            time.sleep(0.1)
        assert "Traceback" not in kiosk.text()
    finally:
        kiosk.stop()
    # Stopped by SIGTERM as systemd or the supervisor would: the visit was still recorded.
    assert kiosk.proc.returncode == 0, kiosk.text()[-2000:]
    assert "stopping on signal SIGTERM" in kiosk.text()
    databases = list((tmp_path / "data").rglob("*.sqlite3"))
    assert databases, "no analytics database in the per-user data folder"
    with sqlite3.connect(databases[0]) as db:
        sessions = db.execute("SELECT id, end_reason FROM sessions").fetchall()
        views = [row[0] for row in db.execute("SELECT screen_id FROM screen_views ORDER BY seq")]
    assert len(sessions) == 1 and sessions[0][1] == "quit"
    assert views[:3] == ["why", "flows", "why"]


def test_a_keypad_alone_walks_the_real_kiosk_and_turns_on_speech(xserver, tmp_path):
    """Issue 15: real X11 key presses (as a museum keypad sends them) through the lockdown."""
    wavs = tmp_path / "speech"
    wavs.mkdir()
    kiosk = Kiosk(xserver, tmp_path, {"KIOSK_SPEECH_WAV_DIR": str(wavs)})  # no sound card here
    try:
        kiosk.wait_for("first frame after")
        kiosk.wait_for("screen attract")
        window = kiosk.xdotool("search", "--onlyvisible", "--name", "Negative emissions").split()[0]
        kiosk.xdotool("windowfocus", "--sync", window)

        def press(*keys: str) -> None:
            kiosk.xdotool("key", "--window", window, "--delay", "60", *keys)

        press("Return")  # starts the walk
        kiosk.wait_for("screen why")
        press("Right")
        kiosk.wait_for("screen flows")
        press("F1")
        kiosk.wait_for("spoken mode on")
        kiosk.wait_for("speaking line 3")
        # The marked glossary words of the title, lead and figure captions come first (each a stop),
        # then the step button: Tab to it, Enter shows today's removal.
        exhibition = load(REPO / "content.yaml").exhibition
        flows = next(s for s in exhibition.screens if s.id == "flows")
        texts = [flows.title.get("en"), flows.lead.get("en"), *(f.label.get("en") for f in flows.figures)]
        words = sum(len(occurrences(text, exhibition.glossary, "en")) for text in texts)
        press(*["Tab"] * (words + 1), "Return")
        kiosk.wait_for(f"keypad activated '{flows.diagram.steps[0].button.get('en')}'")
        press("Escape", "alt+F4")  # the lockdown still swallows these
        press("Prior")
        kiosk.wait_for("screen why", timeout=10)
        time.sleep(0.5)
        assert kiosk.proc.poll() is None
        assert len(list(wavs.glob("*.wav"))) >= 3  # the real engine spoke the screen
        assert "Traceback" not in kiosk.text()
    finally:
        kiosk.stop()
