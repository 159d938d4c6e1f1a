"""Operator mode: a hidden gesture, a PIN pad and a small control panel; the calm fallback screen.

- `CornerTapGesture(window)`: five taps in the top-left corner within three seconds emit
  `triggered`. It watches the whole application but never takes an event from a visitor.
- `PinPad(pin_hash)`: big digits, masked entry; `accepted` on the right PIN, `cancelled`. Five
  wrong tries lock it for a minute. Without a configured `pin_hash` the operator mode is off —
  there is no default PIN.
- `OperatorPanel()`: content status, today's visits, and buttons that only emit signals; the shell
  does the work.
- `FallbackWindow` / `fallback_main()`: what the supervisor shows after repeated crashes.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from datetime import datetime
from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QInputDevice, QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.operator_pin import is_valid_hash, verify_pin

log = logging.getLogger(__name__)

Clock = Callable[[], float]


def _scale() -> float:
    """1.0 at 1080 px screen height, more on bigger screens (never less)."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return 1.0
    geo = screen.geometry()
    return max(1.0, min(geo.width(), geo.height()) / 1080)


def _font(px: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPixelSize(max(1, round(px)))
    f.setBold(bold)
    return f


# -- the hidden gesture -----------------------------------------------------------------------------


class CornerTapGesture(QObject):
    """Five taps (mouse press or touch begin) in the top-left corner of `window` within
    `within_s` seconds emit `triggered`. A tap anywhere else starts the count again.

    Installed as an application-wide event filter (taps land on whatever widget is in the corner)
    and removed when this object or its window is destroyed, or by `uninstall()`. It only
    watches: every event goes on to the visitor's screen as usual.
    """

    triggered = Signal()

    def __init__(
        self,
        window: QWidget,
        *,
        taps: int = 5,
        within_s: float = 3.0,
        corner_fraction: float = 0.08,
        min_corner_px: int = 48,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._taps_needed = taps
        self._within = within_s
        self._fraction = corner_fraction
        self._min_px = min_corner_px
        self._clock = clock
        self._taps: list[float] = []
        self._app = QCoreApplication.instance()
        if self._app is not None:
            self._app.installEventFilter(self)

    def uninstall(self) -> None:
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None

    @property
    def tap_count(self) -> int:
        return len(self._taps)

    def corner_size(self) -> int:
        w, h = self._window.width(), self._window.height()
        return max(self._min_px, round(self._fraction * min(w, h)))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        # Every real touch or click reaches its QWindow once, before Qt hands it on to the
        # widgets (where the filter would see it again for each parent it propagates to), so
        # only events on windows count. A mouse press that Qt made up from a touch is skipped:
        # its TouchBegin counted already.
        if not obj.isWindowType():
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            device = event.device()
            if device is not None and device.type() == QInputDevice.DeviceType.TouchScreen:
                return False
            self._tap(event.globalPosition().toPoint())
        elif kind == QEvent.Type.TouchBegin:
            points = event.points()
            if points:
                self._tap(points[0].globalPosition().toPoint())
        return False  # never swallow a visitor's touch

    def _tap(self, global_pos: QPoint) -> None:
        local = self._window.mapFromGlobal(global_pos)
        size = self.corner_size()
        if not (0 <= local.x() < size and 0 <= local.y() < size):
            self._taps.clear()
            return
        now = self._clock()
        self._taps = [t for t in self._taps if now - t <= self._within]
        self._taps.append(now)
        if len(self._taps) >= self._taps_needed:
            self._taps.clear()
            log.info("operator gesture")
            self.triggered.emit()


# -- the PIN pad --------------------------------------------------------------------------------------


class PinGuard:
    """Counts wrong PINs: `max_tries` wrong in a row lock entry for `lockout_s` seconds.

    Keep one guard for the life of the kiosk (the shell may make new pads; pass the same guard)
    so that cancelling and reopening the pad does not reset the count.
    """

    def __init__(self, max_tries: int = 5, lockout_s: float = 60.0, clock: Clock = time.monotonic) -> None:
        self.max_tries = max_tries
        self.lockout_s = lockout_s
        self.clock = clock
        self.failures = 0
        self._locked_until: float | None = None

    def remaining_s(self) -> float:
        """Seconds until entry is allowed again (0 when not locked)."""
        if self._locked_until is None:
            return 0.0
        left = self._locked_until - self.clock()
        if left <= 0:
            self._locked_until = None
            self.failures = 0
            return 0.0
        return left

    @property
    def locked(self) -> bool:
        return self.remaining_s() > 0

    @property
    def tries_left(self) -> int:
        return max(0, self.max_tries - self.failures)

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= self.max_tries:
            self._locked_until = self.clock() + self.lockout_s
            log.warning("operator PIN: %d wrong tries, locked for %.0f s", self.failures, self.lockout_s)

    def succeeded(self) -> None:
        self.failures = 0
        self._locked_until = None


class PinPad(QWidget):
    """Masked PIN entry with big digit buttons. `accepted` on the right PIN; `cancelled`."""

    accepted = Signal()
    cancelled = Signal()

    MAX_DIGITS = 12

    def __init__(
        self,
        pin_hash: str | None,
        *,
        guard: PinGuard | None = None,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pin_pad")
        self.setAutoFillBackground(True)  # an opaque overlay over the kiosk
        self._hash = pin_hash if is_valid_hash(pin_hash) else None
        if pin_hash and self._hash is None:
            log.error("operator: pin_hash in the content file is not a valid hash; operator mode is off")
        self.guard = guard or PinGuard(clock=clock or time.monotonic)
        self._entry = ""
        s = _scale()
        button_px = round(110 * s)  # >= 90 px at 1080p

        self.title = QLabel("Operator PIN")
        self.title.setFont(_font(36 * s, bold=True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display = QLabel("")
        self.display.setObjectName("pin_display")
        self.display.setFont(_font(48 * s, bold=True))
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setMinimumHeight(round(70 * s))
        self.message = QLabel("")
        self.message.setObjectName("pin_message")
        self.message.setFont(_font(28 * s))
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)

        grid = QGridLayout()
        grid.setSpacing(round(14 * s))
        self.digit_buttons: dict[str, QPushButton] = {}
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]
        for i, key in enumerate(keys):
            text = {"clear": "Clear", "ok": "OK"}.get(key, key)
            b = QPushButton(text)
            b.setObjectName(f"pin_{key}")
            b.setMinimumSize(button_px, button_px)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.setFont(_font((40 if key.isdigit() else 30) * s, bold=key == "ok"))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            if key.isdigit():
                b.clicked.connect(lambda _=False, d=key: self.press_digit(d))
                self.digit_buttons[key] = b
            elif key == "clear":
                b.clicked.connect(self.clear)
                self.clear_button = b
            else:
                b.clicked.connect(self.submit)
                self.ok_button = b
            grid.addWidget(b, i // 3, i % 3)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("pin_cancel")
        self.cancel_button.setMinimumHeight(button_px)
        self.cancel_button.setFont(_font(30 * s))
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.cancel)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(round(40 * s), round(30 * s), round(40 * s), round(30 * s))
        layout.setSpacing(round(16 * s))
        layout.addWidget(self.title)
        layout.addWidget(self.display)
        layout.addWidget(self.message)
        layout.addLayout(grid)
        layout.addWidget(self.cancel_button)

        self._lock_timer = QTimer(self)
        self._lock_timer.setInterval(1000)
        self._lock_timer.timeout.connect(self.update_lock_state)
        self.update_lock_state()

    # -- state -------------------------------------------------------------------------------------
    @property
    def enabled(self) -> bool:
        """False when no valid PIN hash is configured: operator mode is off."""
        return self._hash is not None

    @property
    def entry_length(self) -> int:
        return len(self._entry)

    @property
    def locked(self) -> bool:
        return self.guard.locked

    def _set_entry_enabled(self, on: bool) -> None:
        for b in [*self.digit_buttons.values(), self.clear_button, self.ok_button]:
            b.setEnabled(on)

    def update_lock_state(self) -> None:
        """Refresh the buttons and the message (the 1 s timer calls this while locked)."""
        if not self.enabled:
            self._set_entry_enabled(False)
            for b in [*self.digit_buttons.values(), self.clear_button, self.ok_button]:
                b.hide()
            self.display.hide()
            self.message.setText(
                "Operator mode is off: no operator PIN is set.\n"
                "Make one with `kiosk pin` and put it in content.yaml under operator: pin_hash."
            )
            self._lock_timer.stop()
            return
        left = self.guard.remaining_s()
        if left > 0:
            self._entry = ""
            self._show_entry()
            self._set_entry_enabled(False)
            self.message.setText(f"Too many wrong tries. Try again in {int(left + 0.999)} s.")
            if not self._lock_timer.isActive():
                self._lock_timer.start()
            return
        self._lock_timer.stop()
        self._set_entry_enabled(True)
        if self.message.text().startswith("Too many"):
            self.message.setText("")

    def _show_entry(self) -> None:
        self.display.setText("●" * len(self._entry))

    # -- actions (buttons and keys) -----------------------------------------------------------------
    def press_digit(self, digit: str) -> None:
        if not self.enabled or self.guard.locked:
            self.update_lock_state()
            return
        if len(self._entry) < self.MAX_DIGITS:
            self._entry += digit
            self._show_entry()

    def clear(self) -> None:
        self._entry = ""
        self._show_entry()

    def reset(self) -> None:
        """Empty entry and fresh message; call before showing the pad again."""
        self._entry = ""
        self._show_entry()
        self.message.setText("")
        self.update_lock_state()

    def submit(self) -> None:
        if not self.enabled:
            return
        if self.guard.locked:
            self.update_lock_state()
            return
        entry, self._entry = self._entry, ""
        self._show_entry()
        if not entry:
            return
        if verify_pin(entry, self._hash):
            self.guard.succeeded()
            self.message.setText("")
            log.info("operator PIN accepted")
            self.accepted.emit()
            return
        self.guard.failed()
        if self.guard.locked:
            self.update_lock_state()
        else:
            left = self.guard.tries_left
            self.message.setText(f"Wrong PIN. {left} {'try' if left == 1 else 'tries'} left.")

    def cancel(self) -> None:
        self._entry = ""
        self._show_entry()
        self.cancelled.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text()
        if text.isdigit() and len(text) == 1:
            self.press_digit(text)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif event.key() == Qt.Key.Key_Backspace:
            self._entry = self._entry[:-1]
            self._show_entry()
        else:
            super().keyPressEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        self._lock_timer.stop()
        super().hideEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.update_lock_state()


# -- the operator panel ---------------------------------------------------------------------------------


class OperatorPanel(QWidget):
    """Content status, today's visits and the operator's buttons (signals only)."""

    reload_requested = Signal()
    toggle_fullscreen_requested = Signal()
    restart_requested = Signal()
    quit_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("operator_panel")
        self.setAutoFillBackground(True)
        s = _scale()
        button_px = round(96 * s)

        title = QLabel("Operator")
        title.setFont(_font(40 * s, bold=True))
        self.content_label = QLabel("")
        self.content_label.setObjectName("operator_content")
        self.content_label.setWordWrap(True)
        self.content_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.reload_label = QLabel("")
        self.reload_label.setObjectName("operator_reload")
        self.visits_label = QLabel("")
        self.visits_label.setObjectName("operator_visits")
        self.speech_label = QLabel("")  # spoken mode's engine, or that there is none (issue 15)
        self.speech_label.setObjectName("operator_speech")
        self.speech_label.setWordWrap(True)
        self.problems_title = QLabel("")
        self.problems_title.setFont(_font(30 * s, bold=True))
        for label in (self.content_label, self.reload_label, self.visits_label, self.speech_label):
            label.setFont(_font(28 * s))
        self.problems = QListWidget()
        self.problems.setObjectName("operator_problems")
        self.problems.setWordWrap(True)
        self.problems.setFont(_font(26 * s))
        self.problems.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.problems.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.problems.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.problems.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.problems.setSpacing(round(6 * s))
        QScroller.grabGesture(self.problems.viewport(), QScroller.ScrollerGestureType.TouchGesture)  # flick to scroll

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(round(16 * s))
        for name, text, signal in [
            ("reload", "Reload content", self.reload_requested),
            ("fullscreen", "Window / fullscreen", self.toggle_fullscreen_requested),
            ("restart", "Restart", self.restart_requested),
            ("quit", "Quit kiosk", self.quit_requested),
            ("close", "Close", self.closed),
        ]:
            b = QPushButton(text)
            b.setObjectName(f"operator_{name}")
            b.setMinimumHeight(button_px)
            b.setMinimumWidth(round(160 * s))
            b.setFont(_font(28 * s, bold=name == "close"))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(signal.emit)
            self.buttons[name] = b
            row.addWidget(b)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(round(40 * s), round(30 * s), round(40 * s), round(30 * s))
        layout.setSpacing(round(14 * s))
        layout.addWidget(title)
        layout.addWidget(self.content_label)
        layout.addWidget(self.reload_label)
        layout.addWidget(self.visits_label)
        layout.addWidget(self.speech_label)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems, 1)
        layout.addLayout(row)
        self.set_status("", None, [], 0)

    def set_status(
        self,
        content_path: str,
        last_reload: datetime | None,
        problems: list[str],
        visits_today: int,
        median_s: float | None = None,
    ) -> None:
        self.content_label.setText(f"Content: {content_path or '(none)'}")
        when = last_reload.strftime("%Y-%m-%d %H:%M:%S") if last_reload else "not yet"
        self.reload_label.setText(f"Last reload: {when}")
        visits = f"Visits today: {visits_today}"
        if median_s is not None and visits_today:
            visits += f" (median {round(median_s)} s)"
        self.visits_label.setText(visits)
        self.problems.clear()
        if problems:
            self.problems_title.setText(f"Problems ({len(problems)})")
            for text in problems:
                QListWidgetItem(text, self.problems)
        else:
            self.problems_title.setText("Problems: none")

    def set_speech_status(self, text: str) -> None:
        self.speech_label.setText(text)

    @property
    def problem_texts(self) -> list[str]:
        return [self.problems.item(i).text() for i in range(self.problems.count())]


# -- the fallback screen --------------------------------------------------------------------------------


class FallbackWindow(QWidget):
    """A calm screen for a kiosk that keeps crashing: a message, no motion, nothing to press."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fallback")
        self.setWindowTitle("Negative-emissions kiosk")
        self.setAutoFillBackground(True)
        self.setStyleSheet("QWidget#fallback { background: #12303a; } QLabel { color: #f2f5f3; }")
        s = _scale()
        self.label = QLabel(message)
        self.label.setObjectName("fallback_message")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setFont(_font(48 * s))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(round(120 * s), round(80 * s), round(120 * s), round(80 * s))
        layout.addWidget(self.label)


def fallback_main(message: str | None = None) -> int:
    """Run the fallback screen until the supervisor ends it (`kiosk.supervisor`)."""
    from PySide6.QtWidgets import QApplication

    from kiosk.logs import setup_logging
    from kiosk.supervisor import FALLBACK_MESSAGE, FALLBACK_MESSAGE_ENV, start_heartbeat
    from kiosk.ui.lockdown import install_lockdown

    setup_logging("kiosk.log")
    text = message or os.environ.get(FALLBACK_MESSAGE_ENV) or FALLBACK_MESSAGE
    log.warning("showing the fallback screen: %s", text)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = FallbackWindow(text)
    lock = install_lockdown(window, app)
    start_heartbeat(app)
    code = app.exec()
    lock.uninstall()
    return code
