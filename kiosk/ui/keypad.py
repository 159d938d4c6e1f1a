"""Keys as an accessibility keypad sends them: a visible focus that walks every control in reading order.

Museum keypads (the Canadian Museum for Human Rights' Universal Keypad, for one) emulate a
keyboard. The kiosk's buttons take no Qt focus (no focus rings for touch visitors), so this
module keeps its own focus: it walks the controls a visitor can see right now, on the current
screen and the bottom bar, or only inside an open overlay, and draws a thick ring in the accent
colour around the one it is on.

Keys (all of them also count as activity for the idle timer):

    Tab, Down              next control        Shift+Tab, Up     previous control
    Enter, Space, Select   activate it         Right, Page Down  next screen (in an overlay: next control)
    Left, Page Up          back                F1                spoken mode on / off
    F2                     repeat              F3                slower (again: normal speed)
    F4, Media play/pause   pause / go on

The walk is generic: any visible, enabled QAbstractButton or QAbstractSlider, or any widget with
a `clicked` signal (tiles) or the dynamic property `keypad_focus=True`, is a control; a widget
with `keypad_focus=False` is left out. New screen types need nothing more.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QApplication, QScrollArea, QScrollBar, QWidget

log = logging.getLogger(__name__)

NEXT_KEYS = {Qt.Key.Key_Tab, Qt.Key.Key_Down}
PREVIOUS_KEYS = {Qt.Key.Key_Backtab, Qt.Key.Key_Up}
ACTIVATE_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_Select}
FORWARD_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_PageDown}
BACKWARD_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_PageUp}
COMMAND_KEYS = {
    Qt.Key.Key_F1: "toggle_spoken",
    Qt.Key.Key_F2: "repeat",
    Qt.Key.Key_F3: "slower",
    Qt.Key.Key_F4: "pause",
    Qt.Key.Key_MediaTogglePlayPause: "pause",
    Qt.Key.Key_MediaPause: "pause",
    Qt.Key.Key_MediaPlay: "pause",
}
# What this module handles; the lockdown must let every one of these through (a test checks it).
KEYPAD_KEYS = NEXT_KEYS | PREVIOUS_KEYS | ACTIVATE_KEYS | FORWARD_KEYS | BACKWARD_KEYS | set(COMMAND_KEYS)
MODIFIERS_LEFT_ALONE = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier


def is_control(widget: QWidget) -> bool:
    flag = widget.property("keypad_focus")
    if flag is not None:
        return bool(flag)
    if isinstance(widget, QScrollBar):
        return False  # the page scrolls to the focused control by itself
    if isinstance(widget, (QAbstractButton, QAbstractSlider)):
        return True
    return hasattr(widget, "clicked") and hasattr(widget.clicked, "emit") and not isinstance(widget, QScrollArea)


def reading_order(widgets: list[QWidget], origin: QWidget) -> list[QWidget]:
    """Top to bottom, and left to right within a row (widgets whose centres share a line)."""
    placed = []
    for w in widgets:
        top_left = w.mapTo(origin, w.rect().topLeft())
        placed.append((top_left.y() + w.height() / 2, top_left.x(), w.height(), w))
    placed.sort(key=lambda p: (p[0], p[1]))
    rows: list[list[tuple]] = []
    for item in placed:
        if rows and abs(item[0] - rows[-1][0][0]) <= max(8, min(item[2], rows[-1][0][2]) / 2):
            rows[-1].append(item)
        else:
            rows.append([item])
    return [item[3] for row in rows for item in sorted(row, key=lambda p: p[1])]


class FocusRing(QWidget):
    """A thick ring in the accent colour around the focused control, with a thin line of the
    background colour inside it so it shows even around an accent-coloured button."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("FocusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.accent = QColor("orange")
        self.inner = QColor("black")
        self.width_px = 8
        self.hide()

    def show_around(self, rect: QRect, accent: QColor, inner: QColor, width_px: int) -> None:
        pad = width_px + max(2, width_px // 2)
        geometry = rect.adjusted(-pad, -pad, pad, pad)
        if (self.isVisible() and geometry == self.geometry()
                and (accent, inner, width_px) == (self.accent, self.inner, self.width_px)):
            self.raise_()  # an overlay may have opened above it
            return
        self.accent, self.inner, self.width_px = accent, inner, width_px
        self.setGeometry(geometry)
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w = self.width_px
        outer = self.rect().adjusted(w // 2, w // 2, -(w - w // 2), -(w - w // 2))
        p.setPen(QPen(self.accent, w))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(outer, w * 2, w * 2)
        gap = max(2, w // 3)
        p.setPen(QPen(self.inner, gap))
        p.drawRoundedRect(outer.adjusted(w // 2 + gap // 2, w // 2 + gap // 2, -(w // 2 + gap // 2), -(w // 2 + gap // 2)),
                          w * 1.5, w * 1.5)
        p.end()


class KeypadNavigator(QObject):
    """The kiosk's own keyboard focus. Made by the shell; the shell's window gets the keys."""

    focus_changed = Signal(object)  # the focused control, or None
    activating = Signal(object)  # a control about to be activated from the keypad
    activated = Signal(object)  # a control activated from the keypad
    command = Signal(str)  # toggle_spoken, repeat, slower, pause

    def __init__(self, shell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.focused: QWidget | None = None
        self.ring = FocusRing(shell)
        # The focused control and its parents up to the shell: when one of them moves or resizes
        # (a screen's first layout pass after a key came fast, a card growing) the ring moves with
        # it at once, before the next frame, not on the follow timer's next tick.
        self._carriers: tuple[QWidget, ...] = ()
        # Layouts move controls (language change, scrolling, a card growing): keep the ring on it.
        self._follow = QTimer(self)
        self._follow.setInterval(200)
        self._follow.timeout.connect(self.refresh)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._follow.stop()

    # -- what is reachable ---------------------------------------------------------------------
    def layer(self) -> QWidget:
        """An open overlay holds the focus inside it; else the page and its bottom bar."""
        overlays = [o for o in self.shell.overlays() if o.isVisible()]
        return overlays[-1] if overlays else self.shell

    def controls(self) -> list[QWidget]:
        """Every control a visitor can reach now, in reading order."""
        root = self.layer()
        window = self.shell.window()
        found = [
            w for w in root.findChildren(QWidget)
            if w is not self.ring and is_control(w) and w.isEnabled() and w.isVisibleTo(window)
            and w.width() > 0 and w.height() > 0 and self._inside_open_layer(w, root)
        ]
        return reading_order(found, self.shell)

    def _inside_open_layer(self, widget: QWidget, root: QWidget) -> bool:
        if root is not self.shell:
            return True
        return not any(o.isAncestorOf(widget) for o in self.shell.overlays())

    # -- moving and activating -----------------------------------------------------------------
    def move(self, step: int) -> QWidget | None:
        chain = self.controls()
        if not chain:
            self.set_focus(None)
            return None
        if self.focused in chain:
            index = (chain.index(self.focused) + step) % len(chain)
        else:
            index = 0 if step > 0 else len(chain) - 1
        self.set_focus(chain[index])
        return self.focused

    def set_focus(self, widget: QWidget | None) -> None:
        changed = widget is not self.focused
        self.focused = widget
        carriers = []
        while widget is not None and widget is not self.shell:
            carriers.append(widget)  # held here, so Qt hands the filter these same objects
            widget = widget.parentWidget()
        self._carriers = tuple(carriers)
        widget = self.focused
        if widget is None:
            self.ring.hide()
            self._follow.stop()
        else:
            self._scroll_to(widget)
            self.refresh()
            self._follow.start()
        if changed:
            self.focus_changed.emit(widget)

    def _scroll_to(self, widget: QWidget) -> None:
        parent = widget.parentWidget()
        while parent is not None and parent is not self.shell:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget, 0, self.shell.look().px(40))
                return
            parent = parent.parentWidget()

    def refresh(self) -> None:
        w = self.focused
        if w is None:
            return
        if not (w.isVisibleTo(self.shell.window()) and w.isEnabled()) or w not in self.controls():
            self.set_focus(None)
            return
        self._place_ring()

    def _place_ring(self) -> None:
        w = self.focused
        if w is None:
            return
        look = self.shell.look()
        top_left = w.mapTo(self.shell, w.rect().topLeft())
        rect = QRect(top_left, w.size())
        self.ring.show_around(rect, look.color("accent"), look.color("background"), max(5, look.px(10)))

    def activate(self, widget: QWidget | None = None) -> bool:
        widget = widget or self.focused
        if widget is None:
            return False
        log.info("keypad activated %r", widget.accessibleName() or getattr(widget, "text", lambda: "")())
        self.activating.emit(widget)
        if isinstance(widget, QAbstractButton):
            widget.click()
        elif isinstance(widget, QAbstractSlider):
            return False
        elif hasattr(widget, "clicked"):
            widget.clicked.emit()
        else:
            return False
        self.activated.emit(widget)
        # What the activation opened or closed decides where the focus goes: into a new overlay or
        # page (its first control), or it stays where it was.
        QTimer.singleShot(0, self.after_change)
        return True

    def after_change(self) -> None:
        """After an activation: keep the focus if its control is still there, else the first one."""
        chain = self.controls()
        if self.focused in chain:
            self.refresh()
            self.focus_changed.emit(self.focused)  # its state may have changed: say it again
        elif self._went_unavailable(self.focused, chain):
            # It is still there but greyed out (a stepper's − at zero, + at its top): the next
            # control in reading order, so the visitor is not thrown back to the top of the page.
            order = reading_order([*chain, self.focused], self.shell)
            after = order[order.index(self.focused) + 1:] + order[: order.index(self.focused)]
            self.set_focus(after[0] if after else None)
        else:
            self.set_focus(chain[0] if chain else None)

    def _went_unavailable(self, widget: QWidget | None, chain: list[QWidget]) -> bool:
        root = self.layer()
        return (
            widget is not None and bool(chain) and not widget.isEnabled()
            and widget.isVisibleTo(self.shell.window()) and (root is self.shell or root.isAncestorOf(widget))
            and self._inside_open_layer(widget, root)
        )

    def screen_changed(self) -> None:
        if self.focused is not None and self.focused not in self.controls():
            self.set_focus(None)
        else:
            self.refresh()

    # -- keys ----------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind in (QEvent.Type.Move, QEvent.Type.Resize):
            if self.ring.isVisible() and any(obj is w for w in self._carriers):
                self._place_ring()  # cheap: where it is now; the timer still checks it is reachable
            return False
        if kind != QEvent.Type.KeyPress:
            return False
        if not isinstance(obj, QWidget) or obj.window() is not self.shell.window():
            return False
        if not (obj is self.shell.window() or obj is self.shell or self.shell.isAncestorOf(obj)):
            return False  # the operator's PIN pad and panel keep their own keys
        if self._covered():
            return False  # ... and no key reaches the kiosk hidden under them
        if event.modifiers() & MODIFIERS_LEFT_ALONE:
            return False
        self.shell.idle.activity()  # any key: the visitor is still there
        if event.key() not in COMMAND_KEYS:
            for child in self._transients():
                child.dismiss()  # e.g. a glossary card: the next key moves on, as a touch elsewhere would
        return self.handle_key(event.key())

    def _transients(self) -> list[QWidget]:
        """Small cards over the page (property keypad_transient) that leave the keys to the page."""
        return [
            child for child in (*self.shell.window().children(), *self.shell.children())
            if isinstance(child, QWidget) and child.isVisible() and child.property("keypad_transient")
        ]

    def _covered(self) -> bool:
        window = self.shell.window()
        return any(
            isinstance(child, QWidget) and child is not self.shell and not child.isWindow() and child.isVisible()
            and not child.property("keypad_transient")
            for child in window.children()
        )

    def handle_key(self, key: int) -> bool:
        shell = self.shell
        in_overlay = self.layer() is not shell
        if key in COMMAND_KEYS:
            self.command.emit(COMMAND_KEYS[key])
        elif key in NEXT_KEYS:
            self.move(+1)
        elif key in PREVIOUS_KEYS:
            self.move(-1)
        elif key in ACTIVATE_KEYS:
            if self.focused is None:
                if shell.index == 0:
                    shell.start_from_keypad()
                else:
                    self.move(+1)
            else:
                self.activate()
        elif key in FORWARD_KEYS:
            if in_overlay:
                self.move(+1)
            elif shell.index == 0:
                shell.start_from_keypad()
            else:
                shell.next()
        elif key in BACKWARD_KEYS:
            if in_overlay:
                self.move(-1)
            else:
                before = (shell.index, self.focused)
                shell.back()
                if (shell.index, self.focused) == before:
                    QTimer.singleShot(0, self.after_change)  # e.g. a detail page closed
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Minus) and isinstance(self.focused, QAbstractSlider):
            slider = self.focused
            slider.setValue(slider.value() + (slider.singleStep() if key == Qt.Key.Key_Plus else -slider.singleStep()))
            self.focus_changed.emit(slider)
        else:
            return False
        return True
