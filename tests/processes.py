"""Ending a process a test started (a kiosk, an X server, a web server)."""

from __future__ import annotations

import subprocess


def end(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Ask `proc` to stop (SIGTERM), and kill it if it has not within `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
