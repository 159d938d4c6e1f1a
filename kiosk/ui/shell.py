"""The shell: the attract loop, the walk of screens, navigation, language, idle and reloads.

It knows screens only through the registry and the ScreenWidget life cycle (apply, entered,
left, reset, back), so adding a screen type never touches this module.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QScrollArea,
    QScroller,
    QStackedLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.analytics import NullAnalytics
from kiosk.content.model import Exhibition
from kiosk.narration import phrase
from kiosk.ui.chrome import AccessOverlay, BottomBar, IdleOverlay, LanguageBar, MenuOverlay
from kiosk.ui.clock import AnimationClock
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.keypad import KeypadNavigator
from kiosk.ui.memory import HeapTrimmer
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.screens.registry import make_screen
from kiosk.ui.theme import Look
from kiosk.ui.widgets.layout import empty_layout

log = logging.getLogger(__name__)

SWIPE_MIN_FRACTION = 0.12  # of the window width: shorter drags are taps or scrolls
ACTIVITY_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class Shell(QWidget):
    screen_changed = Signal(str)  # the id of the screen now shown
    language_changed = Signal(str)

    def __init__(
        self,
        exhibition: Exhibition,
        base_dir: Path,
        clock: AnimationClock,
        font_family: str,
        *,
        analytics=None,
        now: Callable[[], float] = time.monotonic,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Shell")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.clock = clock
        self.font_family = font_family
        self.analytics = analytics if analytics is not None else NullAnalytics()
        self.exhibition = exhibition
        self.base_dir = base_dir
        self.lang = exhibition.languages.default
        self.settings = {"larger_text": False, "high_contrast": False, "reduced_motion": False}
        self.index = 0
        self.in_session = False
        self._pending: tuple[Exhibition, Path] | None = None
        self._press: QPointF | None = None
        self._look_key: tuple | None = None

        self.pages = QStackedLayout(self)
        self.walk_frame = QWidget()
        walk_layout = QVBoxLayout(self.walk_frame)
        walk_layout.setContentsMargins(0, 0, 0, 0)
        walk_layout.setSpacing(0)
        self.languages = LanguageBar(exhibition.languages.available)
        self.stack = QStackedWidget()
        self.bottom = BottomBar(self.languages)
        walk_layout.addWidget(self.stack, 1)
        walk_layout.addWidget(self.bottom)
        self.menu = MenuOverlay(self)
        self.access = AccessOverlay(self)
        self.idle_overlay = IdleOverlay(self)

        self.languages.language_chosen.connect(self.set_language)
        self.languages.access_requested.connect(self.open_access)
        self.bottom.back.connect(self.back)
        self.bottom.next.connect(self.next)
        self.bottom.menu.connect(self.open_menu)
        self.menu.chosen.connect(self.go_to)
        self.access.toggled.connect(self.set_setting)

        t = exhibition.timings
        self.idle = IdleMonitor(t.idle_warning_s, t.idle_countdown_s, now=now, parent=self)
        self.idle.warning.connect(self._show_idle_warning)
        self.idle.warning_cancelled.connect(self.idle_overlay.hide)
        self.idle.timed_out.connect(self.reset_for_next_visitor)
        self.idle_overlay.dismissed.connect(self.idle.activity)

        self.trimmer = HeapTrimmer(self)
        self._built: dict[int, ScreenWidget] = {}
        self._spare_areas: list[QScrollArea] = []
        self._build_screens()
        # Keys as an accessibility keypad sends them, and spoken mode (issue 15).
        from kiosk.ui.spoken import SpokenMode
        from kiosk.ui.widgets.tile import install_accessible_factory

        install_accessible_factory()
        self.keypad = KeypadNavigator(self)
        self.spoken = SpokenMode(self)
        self.screen_changed.connect(self.keypad.screen_changed)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- building ------------------------------------------------------------------------------
    def look(self) -> Look:
        w, h = (self.width(), self.height()) if self.width() > 100 else (1920, 1080)
        return Look.make(
            self.exhibition.theme,
            self.font_family,
            w,
            h,
            high_contrast=self.settings["high_contrast"],
            large_text=self.settings["larger_text"],
            reduced_motion=self.settings["reduced_motion"],
        )

    def context(self) -> ScreenContext:
        return ScreenContext(self.exhibition, self.base_dir, self.clock, self.lang, self.look(), self.analytics)

    def _build_screens(self) -> None:
        """Build the attract loop now and the other screens on first need (or when idle).

        The first frame waits only for what it shows: the walk's screens (and pyqtgraph, which
        only the chart needs) are built after it, one per turn of the event loop.
        """
        for old in self._built.values():
            old.left()
            old.setParent(None)
            old.deleteLater()
        self._built = {}
        # The scroll areas the old screens sat in are kept for the new screens: left in the
        # stack they piled up at every reload, and a new area would register a new touch-scroll
        # gesture type, which Qt and PySide keep for good (found by benchmarks/ten_days.py).
        while self.stack.count():
            area = self.stack.widget(0)
            self.stack.removeWidget(area)
            self._spare_areas.append(area)
        empty_layout(self.pages)
        ctx = self.context()
        self.setStyleSheet(ctx.look.style_sheet())
        self.pages.addWidget(self.screen_at(0))
        self.attract.language_chosen.connect(self._start_walk_in)
        self.pages.addWidget(self.walk_frame)
        self._look_key = self._key(ctx.look)
        self._show(self.index if self.index < self.screen_count else 0, entering=True)

    def screen_at(self, index: int) -> ScreenWidget:
        screen = self._built.get(index)
        if screen is None:
            screen = make_screen(self.exhibition.screens[index], self.context())
            screen.advance_requested.connect(self._start_walk)
            screen.interaction.connect(self._interaction)
            if index > 0:
                self.stack.addWidget(self._scrollable(screen))
            self._built[index] = screen
        return screen

    def _scrollable(self, screen: ScreenWidget) -> QScrollArea:
        """Screens fit without scrolling at normal text size (tests check it); with larger text
        a long screen scrolls under the finger instead of clipping its text."""
        if self._spare_areas:
            area = self._spare_areas.pop()
            area.setWidget(screen)
            return area
        area = QScrollArea()
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidgetResizable(True)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(screen)
        QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        return area

    def build_remaining(self) -> bool:
        """Build one screen not built yet; False when all are. Called while nobody is waiting."""
        for index in range(self.screen_count):
            if index not in self._built:
                self.screen_at(index)
                return True
        return False

    def prebuild_in_background(self) -> None:
        if self.build_remaining():
            QTimer.singleShot(0, self.prebuild_in_background)

    @property
    def screen_count(self) -> int:
        return len(self.exhibition.screens)

    @property
    def screens(self) -> list[ScreenWidget]:
        """Every screen, built if need be (tests, render, benchmarks)."""
        return [self.screen_at(i) for i in range(self.screen_count)]

    @property
    def attract(self):
        return self.screen_at(0)

    @property
    def current(self) -> ScreenWidget:
        return self.screen_at(self.index)

    @property
    def walk_length(self) -> int:
        return self.screen_count - 1

    def overlays(self) -> list[QWidget]:
        return [self.menu, self.access, self.idle_overlay]

    # -- navigation ----------------------------------------------------------------------------
    def go_to(self, index: int) -> None:
        index = max(0, min(index, self.screen_count - 1))
        if self._pending is not None:
            # New content waits for a screen change so no visitor is yanked mid-screen.
            target_id = self.exhibition.screens[index].id
            self._apply_pending()
            ids = [s.id for s in self.exhibition.screens]
            index = ids.index(target_id) if target_id in ids else min(index, self.screen_count - 1)
        if index == self.index:
            self._update_chrome()
            return
        self.current.left()
        self._show(index, entering=True)

    def _show(self, index: int, entering: bool) -> None:
        self.index = index
        screen = self.current
        if index == 0:
            self.pages.setCurrentWidget(self.attract)
        else:
            self.stack.setCurrentWidget(screen.parentWidget().parentWidget())
            screen.parentWidget().parentWidget().verticalScrollBar().setValue(0)
            self.pages.setCurrentWidget(self.walk_frame)
        self._update_chrome()
        if entering:
            screen.entered()
        self.idle.set_enabled(index != 0)
        if self.in_session:
            self.analytics.screen_shown(screen.screen_id, screen.model.type)
        log.info("screen %s", screen.screen_id)
        self.trimmer.soon()  # the last screen's freed pictures go back to the system
        self.screen_changed.emit(screen.screen_id)

    def next(self) -> None:
        if self.index < self.screen_count - 1:
            self.go_to(self.index + 1)
        elif self.index > 0:
            self.start_again()

    def start_again(self) -> None:
        """From the last screen: the walk's first screen, fresh, in the visitor's language."""
        if self.in_session:
            self.analytics.interaction("start_again")
        for screen in self._built.values():
            screen.reset()
        self.go_to(1)

    def restart_label(self, ctx: ScreenContext) -> str:
        """What Next says on the last screen: the ending's own words, else the interface's "Start"."""
        last = self.exhibition.screens[-1]
        return ctx.tr(getattr(last, "restart", None)) or ctx.ui("start")

    def back(self) -> None:
        if self.current.back():
            return
        if self.index > 1:
            self.go_to(self.index - 1)

    def _start_walk(self) -> None:
        if self.index == 0:
            self._begin_session()
            self.go_to(1)

    def start_from_keypad(self) -> None:
        """Enter (or Right) on the attract loop: the walk in the language shown."""
        self._start_walk()

    def _start_walk_in(self, lang: str) -> None:
        self.lang = lang
        self._begin_session()
        self._reapply()
        self.go_to(1)

    def _begin_session(self) -> None:
        if not self.in_session:
            self.in_session = True
            self.analytics.start_session(self.lang)

    def open_menu(self) -> None:
        ctx = self.context()
        entries = [ctx.tr(m.menu_label) or ctx.tr(m.title) for m in self.exhibition.screens[1:]]
        columns = 1 if ctx.look.portrait else 2
        self.menu.set_entries(ctx.ui("menu"), ctx.ui("close"), entries, self.index, columns, ctx.margin)
        self.menu.open()

    def open_access(self) -> None:
        ctx = self.context()
        texts = {name: ctx.ui(name) for name in self.settings}
        texts["spoken"] = phrase("read_aloud", self.lang)
        states = {**self.settings, "spoken": self.spoken.on}
        self.access.set_state(texts, ctx.ui("close"), states, ctx.margin)
        self.access.open()

    # -- language and look ---------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        if lang not in self.exhibition.languages.available or lang == self.lang:
            return
        self.lang = lang
        self._reapply()
        if self.in_session:
            self.analytics.language_changed(lang)
        self.language_changed.emit(lang)

    def set_setting(self, name: str, on: bool) -> None:
        if name == "spoken":
            self.spoken.set_on(on)
            if self.access.isVisible():
                self.open_access()
            return
        if self.settings.get(name) == on:
            return
        self.settings[name] = on
        if on and self.in_session:
            self.analytics.setting_used(name)
        self._reapply()
        if self.access.isVisible():
            self.open_access()

    def _reapply(self) -> None:
        ctx = self.context()
        sheet = ctx.look.style_sheet()
        if sheet != self.styleSheet():  # re-polishing every widget costs ~15 ms: only on a real change
            self.setStyleSheet(sheet)
        for screen in self._built.values():
            screen.apply(ctx)
            # New words, new heights: drop every cached size hint (layouts cache them per child
            # widget) so no card keeps the height its text needed in the previous language.
            for child in screen.findChildren(QWidget):
                child.updateGeometry()
        self._look_key = self._key(ctx.look)
        self._update_chrome()

    @staticmethod
    def _key(look: Look) -> tuple:
        return (round(look.unit, 3), look.portrait, look.text_factor, look.palette, look.reduced_motion)

    def _update_chrome(self) -> None:
        ctx = self.context()
        m = ctx.margin
        names = self.exhibition.languages.names
        self.languages.show_state(self.lang, names, m // 4)
        self.bottom.arrange(ctx.look.portrait)
        self.bottom.set_spacing(m)
        self.bottom.back_button.setText("‹  " + ctx.ui("back"))
        last = self.index == self.screen_count - 1 and self.index > 0
        self.bottom.next_button.setText(self.restart_label(ctx) if last else ctx.ui("next") + "  ›")
        self.bottom.menu_button.setText(ctx.ui("menu"))
        self.bottom.fit_row()
        # Screen readers and spoken mode say the words, not the arrows drawn beside them.
        self.bottom.back_button.setAccessibleName(ctx.ui("back"))
        self.bottom.next_button.setAccessibleName(ctx.ui("next"))
        self.languages.access.setAccessibleName(
            ", ".join([*(ctx.ui(n) for n in self.settings), phrase("read_aloud", self.lang)]))
        self.bottom.dots.setAccessibleName(phrase("screen_of", self.lang, i=max(1, self.index), n=self.walk_length))
        self.bottom.back_button.setEnabled(self.index > 1)
        self.bottom.next_button.setEnabled(self.index < self.screen_count - 1 or self.walk_length > 1)
        dots_current = max(0, self.index - 1)
        self.bottom.dots.set_state(
            self.walk_length, dots_current, ctx.look.color("muted"), ctx.look.color("accent"), ctx.look.px(20)
        )

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        look = self.look()
        if self._key(look) != self._look_key:
            self._reapply()
        for overlay in (self.menu, self.access, self.idle_overlay):
            if overlay.isVisible():
                overlay.setGeometry(self.rect())

    # -- idle ----------------------------------------------------------------------------------
    def apply_idle_times(self) -> None:
        """The content's idle times, longer while spoken mode is on (more time on request)."""
        t = self.exhibition.timings
        warn, count = self.spoken.idle_factors() if hasattr(self, "spoken") else (1.0, 1.0)
        self.idle.warn_after_s, self.idle.countdown_s = t.idle_warning_s * warn, t.idle_countdown_s * count

    def _show_idle_warning(self, seconds: int) -> None:
        ctx = self.context()
        body = ctx.ui("still_there_body").replace("{seconds}", str(seconds))
        self.idle_overlay.set_text(ctx.ui("still_there"), body, ctx.margin)
        if not self.idle_overlay.isVisible():
            self.menu.hide()
            self.access.hide()
            self.idle_overlay.open()

    def reset_for_next_visitor(self) -> None:
        """Idle timeout: back to the attract loop, default language and settings, nothing open."""
        for overlay in (self.menu, self.access, self.idle_overlay):
            overlay.hide()
        self.spoken.reset()
        self.keypad.set_focus(None)
        if self.in_session:
            # The quiet minutes before the reset were nobody's visit: leave them out of its length.
            self.analytics.end_session("idle", idle_s=self.idle.warn_after_s + self.idle.countdown_s)
            self.in_session = False
        for screen in self._built.values():
            screen.reset()
        self.lang = self.exhibition.languages.default
        self.settings = {name: False for name in self.settings}
        self._reapply()
        self.go_to(0)

    # -- content reloads -----------------------------------------------------------------------
    def offer_content(self, exhibition: Exhibition, base_dir: Path) -> None:
        """Good new content: at once on the attract loop, else at the next screen change."""
        self._pending = (exhibition, base_dir)
        if self.index == 0:
            self._apply_pending()
            self._show(0, entering=True)

    @property
    def has_pending_content(self) -> bool:
        return self._pending is not None

    def _apply_pending(self) -> None:
        exhibition, base_dir = self._pending
        self._pending = None
        self.current.left()
        self.exhibition, self.base_dir = exhibition, base_dir
        if self.lang not in exhibition.languages.available:
            self.lang = exhibition.languages.default
        self.apply_idle_times()
        # The language buttons depend on the languages offered: rebuild them too.
        old = self.languages
        self.languages = LanguageBar(exhibition.languages.available)
        self.languages.language_chosen.connect(self.set_language)
        self.languages.access_requested.connect(self.open_access)
        self.bottom.languages = self.languages
        self.bottom._portrait = None
        old.setParent(None)
        old.deleteLater()
        self.index = 0
        self._build_screens()
        log.info("new content applied")

    # -- input: activity and swipes -------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        etype = event.type()
        if etype not in ACTIVITY_EVENTS and etype != QEvent.Type.MouseButtonRelease:
            return False
        if not isinstance(obj, QWidget) or not (obj is self or self.isAncestorOf(obj)):
            return False
        if etype in ACTIVITY_EVENTS:
            self.idle.activity()
        if etype in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.spoken.interrupt()  # a touch silences the voice at once
            self.keypad.set_focus(None)  # and a visitor who touches needs no focus ring
        if etype == QEvent.Type.MouseButtonPress:
            self._press = self.mapFromGlobal(event.globalPosition())
        elif etype == QEvent.Type.MouseButtonRelease and self._press is not None:
            start, self._press = self._press, None
            end = self.mapFromGlobal(event.globalPosition())
            if self._swipe(start, end):
                return True  # a swipe is not also a tap on whatever it ended over
        return False

    def _swipe(self, start: QPointF, end: QPointF) -> bool:
        if self.index == 0 or any(o.isVisible() for o in (self.menu, self.access, self.idle_overlay)):
            return False
        dx, dy = end.x() - start.x(), end.y() - start.y()
        if abs(dx) < SWIPE_MIN_FRACTION * self.width() or abs(dx) < 2 * abs(dy):
            return False
        if dx < 0:
            self.next()
        else:
            self.back()
        return True

    def _interaction(self, name: str) -> None:
        self.idle.activity()
        if self.in_session:
            self.analytics.interaction(name)

    def shutdown(self) -> None:
        """Stop timers and watchers before the window goes (tests, operator quit)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.keypad.uninstall()
        self.spoken.shutdown()
        self.idle.stop()
        self.trimmer.stop()
        self.current.left()
        if self.in_session:
            self.analytics.end_session("quit")
            self.in_session = False
