"""The voice: espeak-ng, run one line at a time as a child process, stopped the moment it must stop.

Why espeak-ng and not QtTextToSpeech: on Linux the Qt add-on's only real engine plugin is
speech-dispatcher (the PySide6-Addons wheel ships `speechd` and a mock, no flite), which needs a
running speech-dispatcher daemon and sound server; on a kiosk PC without a desktop session that
daemon often does not start (here `spd-say` hangs). The add-on also costs a 175 MB wheel.
espeak-ng is a small, maintained, offline program with voices for en, de, fr, es and about 100
more languages, in Debian (`apt-get install espeak-ng`), Windows and macOS installers; it plays
through the default audio output (the headphone jack), and killing its process silences it at
once. The frozen bundle needs no new Qt module for it.

One process per line: "pause" and "repeat" work per sentence, and a stop only has one short
process to end. `KIOSK_SPEECH_WAV_DIR` writes each line to a numbered WAV file there instead of
playing it (tests on machines with no sound card; checking how a text sounds).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal

log = logging.getLogger(__name__)

# Words per minute: normal, slower, slowest (F3 steps through them and back to normal).
RATES_WPM = (160, 125, 95)
VOICES = {"en": "en-gb", "de": "de", "fr": "fr-fr", "es": "es"}


def find_espeak() -> str | None:
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None and sys.platform == "win32":
        candidate = Path(os.environ.get("ProgramFiles", r"C:\Program Files")) / "eSpeak NG" / "espeak-ng.exe"
        exe = str(candidate) if candidate.is_file() else None
    return exe


@lru_cache(maxsize=4)
def probe(exe: str | None) -> tuple[str, frozenset[str]]:
    """The engine's version line and the language codes it has voices for ('' if it does not run)."""
    if not exe:
        return "", frozenset()
    try:
        version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=5).stdout.strip()
        listing = subprocess.run([exe, "--voices"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("speech engine %s does not run: %s", exe, exc)
        return "", frozenset()
    langs = set()
    for row in listing.splitlines()[1:]:
        parts = row.split()
        if len(parts) >= 2:
            langs.add(parts[1].split("-")[0])
    return version.split("  ")[0], frozenset(langs)


class Speaker(QObject):
    """Says a list of lines in one language, one after the other; `stop()` silences it at once."""

    line_started = Signal(int, str)
    finished = Signal()  # every line was said to the end
    stopped = Signal()  # cut short (touch, screen change, idle reset, pause)

    def __init__(self, exe: str | None = None, parent: QObject | None = None, *, wav_dir: str | None = None) -> None:
        super().__init__(parent)
        self.exe = exe if exe is not None else find_espeak()
        self.wav_dir = wav_dir if wav_dir is not None else os.environ.get("KIOSK_SPEECH_WAV_DIR")
        self.rate_index = 0
        self.lines: list[str] = []
        self.lang = "en"
        self.index = 0
        self.paused = False
        self.spoken_files: list[Path] = []
        self._serial = 0
        self._process: QProcess | None = None

    # -- what the operator panel shows ---------------------------------------------------------
    # Asked of the engine on first use, not at start: the first frame does not wait for it.
    @property
    def version(self) -> str:
        return probe(self.exe)[0]

    @property
    def languages(self) -> frozenset[str]:
        return probe(self.exe)[1]

    @property
    def available(self) -> bool:
        return bool(self.version)

    def status(self, wanted: list[str]) -> str:
        if not self.available:
            return "Speech: no speech engine found (install espeak-ng); spoken mode stays silent"
        missing = [lang for lang in wanted if lang.split("-")[0] not in self.languages]
        text = f"Speech: {self.version} ({self.exe}), voices for {', '.join(wanted)}"
        return text + (f"; no voice for {', '.join(missing)}" if missing else "")

    @property
    def speaking(self) -> bool:
        return self._process is not None

    @property
    def rate_wpm(self) -> int:
        return RATES_WPM[self.rate_index]

    # -- saying --------------------------------------------------------------------------------
    def say(self, lines: list[str], lang: str) -> None:
        self.stop()
        self.lines = [line for line in lines if line.strip()]
        self.lang = lang
        self.index = 0
        self.paused = False
        self._next()

    def repeat(self) -> None:
        self.say(self.lines, self.lang)

    def slower(self) -> int:
        """One step slower; from the slowest back to normal. Takes effect from the next line."""
        self.rate_index = (self.rate_index + 1) % len(RATES_WPM)
        return self.rate_wpm

    def toggle_pause(self) -> bool:
        """Pause (the line being said stops), or go on from that line. True if now paused."""
        if self.paused:
            self.paused = False
            self._next()
        elif self._process is not None:
            self._kill()
            self.paused = True
            self.stopped.emit()
        return self.paused

    def stop(self) -> None:
        self.paused = False
        if self._process is not None:
            self._kill()
            self.index = len(self.lines)
            self.stopped.emit()

    def _kill(self) -> None:
        proc, self._process = self._process, None
        proc.finished.disconnect()
        proc.kill()
        proc.waitForFinished(1000)
        proc.deleteLater()

    def _voice(self) -> str:
        base = self.lang.split("-")[0]
        return VOICES.get(base, base)

    def _next(self) -> None:
        if self.index >= len(self.lines):
            if self.lines:
                self.finished.emit()
            return
        if not self.available:
            self.index = len(self.lines)
            return
        text = self.lines[self.index]
        args = ["-v", self._voice(), "-s", str(self.rate_wpm)]
        if self.wav_dir:
            self._serial += 1
            out = Path(self.wav_dir) / f"line-{self._serial:04d}.wav"
            self.spoken_files.append(out)
            args += ["-w", str(out)]
        proc = QProcess(self)
        proc.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        proc.finished.connect(self._line_done)
        self._process = proc
        # The text goes in on stdin: no option parsing of text that starts with "-".
        proc.start(self.exe, [*args, "--stdin"])
        proc.write(text.encode("utf-8"))
        proc.closeWriteChannel()
        log.info("speaking line %d of %d (%s, %d wpm)", self.index + 1, len(self.lines), self.lang, self.rate_wpm)
        self.line_started.emit(self.index, text)

    def _line_done(self, *_args) -> None:
        if self._process is None:
            return
        self._process.deleteLater()
        self._process = None
        self.index += 1
        self._next()

    def shutdown(self) -> None:
        self.stop()
