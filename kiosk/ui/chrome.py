"""The controls around every walk screen: top bar, bottom bar, progress dots and overlays."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.widgets.common import label, touch_button
from kiosk.ui.widgets.layout import empty_layout


class ProgressDots(QWidget):
    """Where the visitor is in the walk: one dot per screen, the current one filled and larger."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = 1
        self.current = 0
        self.color = QColor("white")
        self.accent = QColor("orange")
        self.dot = 18
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_state(self, count: int, current: int, color: QColor, accent: QColor, dot: int) -> None:
        self.count, self.current, self.color, self.accent, self.dot = count, current, color, accent, dot
        self.setFixedSize(int(count * dot * 1.7), int(dot * 2))  # room for more screens in the bar
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        step = self.width() / max(1, self.count)
        for i in range(self.count):
            centre = QPointF(step * (i + 0.5), self.height() / 2)
            if i == self.current:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(self.accent)
                p.drawEllipse(centre, self.dot * 0.7, self.dot * 0.7)
            else:
                p.setPen(self.color)
                p.setBrush(self.color if i < self.current else Qt.BrushStyle.NoBrush)
                p.drawEllipse(centre, self.dot * 0.35, self.dot * 0.35)
        p.end()


class LanguageBar(QWidget):
    """Every language one touch away, and the accessibility switches beside them."""

    language_chosen = Signal(str)
    access_requested = Signal()

    def __init__(self, languages: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.lang_buttons = {}
        for code in languages:
            btn = touch_button("")
            btn.clicked.connect(lambda _=False, c=code: self.language_chosen.emit(c))
            row.addWidget(btn)
            self.lang_buttons[code] = btn
        self.access = touch_button("")
        self.access.setText("Aa")
        self.access.clicked.connect(self.access_requested)
        row.addWidget(self.access)

    def show_state(self, lang: str, names: dict[str, str], spacing: int) -> None:
        self.layout().setSpacing(spacing)
        for code, btn in self.lang_buttons.items():
            btn.setText(names[code])
            btn.setProperty("current", "true" if code == lang else "false")
            btn.style().unpolish(btn)
            btn.style().polish(btn)


class BottomBar(QFrame):
    """Back, progress, menu, languages and next, all at the bottom where every visitor reaches.

    Landscape: one row. Portrait (narrower): the languages get a row of their own above.
    """

    back = Signal()
    next = Signal()
    menu = Signal()

    def __init__(self, languages: LanguageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "bar")
        outer = QVBoxLayout(self)
        self.upper = QHBoxLayout()
        self.row = QHBoxLayout()
        outer.addLayout(self.upper)
        outer.addLayout(self.row)
        self.languages = languages
        self.back_button = touch_button("")
        self.menu_button = touch_button("")
        self.next_button = touch_button("primary")
        self.dots = ProgressDots()
        self.back_button.clicked.connect(self.back)
        self.menu_button.clicked.connect(self.menu)
        self.next_button.clicked.connect(self.next)
        self._portrait: bool | None = None
        self.arrange(False)

    def arrange(self, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        for box in (self.upper, self.row):
            empty_layout(box)
        row = self.row
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.dots, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.menu_button)
        if portrait:
            self.upper.addStretch(1)
            self.upper.addWidget(self.languages)
            self.upper.addStretch(1)
            row.addStretch(1)
        else:
            row.addStretch(1)
            row.addWidget(self.languages)
        row.addWidget(self.next_button)

    def set_spacing(self, margin: int) -> None:
        self.layout().setContentsMargins(margin, margin // 4, margin, margin // 4)
        self.layout().setSpacing(margin // 4)
        self.row.setSpacing(margin // 2)
        self._margin = margin

    _margin: int | None = None
    _tight = False

    def fit_row(self) -> None:
        """A long last button ("Recommencer" on the ending screen) beside four language names can
        need more than a landscape row: then the buttons take narrower side padding, so no label
        is clipped. Call after the buttons' texts change."""
        if self._margin is None or self.width() <= 1:
            return
        self._set_tight(False)
        if self._row_width() > self.width():
            self._set_tight(True)

    def _row_width(self) -> int:
        # The row's widgets by name, not through row.itemAt(): PySide keeps every item wrapper it
        # hands out alive as the layout's child, and when Qt deletes that item (the language bar
        # is replaced on a content reload) the wrapper goes stale; a later Qt object at the same
        # address then came back to Python as a QWidgetItem, or crashed the kiosk on release.
        row = [self.back_button, self.dots, self.menu_button, self.next_button]
        if self.languages.parentWidget() is self and not self._portrait:
            row.append(self.languages)
        widgets = [w for w in row if not w.isHidden()]
        left, _, right, _ = self.layout().getContentsMargins()
        return sum(max(w.sizeHint().width(), w.minimumSizeHint().width(), w.minimumWidth()) for w in widgets) + self.row.spacing() * (len(widgets) - 1) + left + right

    def _set_tight(self, tight: bool) -> None:
        if tight == self._tight:
            return
        self._tight = tight
        m = self._margin or 36
        # The theme's padding is 8 x 24 design px at a 36 px margin; the tight one keeps the height.
        self.setStyleSheet(f"QPushButton {{ padding: {round(m * 8 / 36)}px {m // 4}px; }}" if tight else "")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_row()


class Overlay(QWidget):
    """A dimmed layer over the whole window with a card in the middle; a touch outside closes it."""

    dismissed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.card = QFrame(self)
        self.card.setProperty("role", "overlay")
        self.card_layout = QVBoxLayout(self.card)
        self.hide()

    def open(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.layout_card()

    def layout_card(self) -> None:
        w, h = self.width(), self.height()
        cw = min(int(w * 0.86), max(int(w * 0.5), self.card.sizeHint().width()))
        ch = self.card.heightForWidth(cw) if self.card.hasHeightForWidth() else -1
        ch = min(int(h * 0.9), max(ch, self.card.sizeHint().height()))
        self.card.setGeometry(QRect((w - cw) // 2, (h - ch) // 2, cw, ch))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.layout_card()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0, 170))
        p.end()

    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if not self.card.geometry().contains(event.position().toPoint()):
            self.hide()
            self.dismissed.emit()
        event.accept()


class MenuOverlay(Overlay):
    chosen = Signal(int)  # walk index, 1-based (0 is the attract loop)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.heading = label("title")
        self.card_layout.addWidget(self.heading)
        self.grid = QGridLayout()
        self.card_layout.addLayout(self.grid)
        self.close_button = touch_button("primary")
        self.close_button.clicked.connect(self._close)
        self.card_layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        self.buttons: list = []

    def _close(self) -> None:
        self.hide()
        self.dismissed.emit()

    def set_entries(self, heading: str, close: str, entries: list[str], current: int, columns: int, m: int) -> None:
        self.heading.setText(heading)
        self.close_button.setText(close)
        self.card_layout.setContentsMargins(m, m, m, m)
        self.card_layout.setSpacing(m // 2)
        self.grid.setSpacing(m // 2)
        while len(self.buttons) < len(entries):
            btn = touch_button("")
            index = len(self.buttons) + 1
            btn.clicked.connect(lambda _=False, i=index: self._choose(i))
            self.buttons.append(btn)
        for i, btn in enumerate(self.buttons):
            visible = i < len(entries)
            btn.setVisible(visible)
            if visible:
                btn.setText(f"{i + 1}  {entries[i]}")
                btn.setProperty("current", "true" if i + 1 == current else "false")
                btn.style().unpolish(btn)
                btn.style().polish(btn)
                self.grid.addWidget(btn, i // columns, i % columns)

    def _choose(self, index: int) -> None:
        self.hide()
        self.chosen.emit(index)


class AccessOverlay(Overlay):
    """Larger text, high contrast, less motion, read aloud: four big switches a visitor can find."""

    toggled = Signal(str, bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.switches = {}
        for name in ("larger_text", "high_contrast", "reduced_motion", "spoken"):
            btn = touch_button("", checkable=True)
            btn.toggled.connect(lambda on, n=name: self.toggled.emit(n, on))
            self.card_layout.addWidget(btn)
            self.switches[name] = btn
        self.close_button = touch_button("primary")
        self.close_button.clicked.connect(self._close)
        self.card_layout.addWidget(self.close_button)

    def _close(self) -> None:
        self.hide()
        self.dismissed.emit()

    def set_state(self, texts: dict[str, str], close: str, states: dict[str, bool], m: int) -> None:
        self.card_layout.setContentsMargins(m, m, m, m)
        self.card_layout.setSpacing(m // 2)
        for name, btn in self.switches.items():
            btn.blockSignals(True)
            btn.setChecked(states[name])
            btn.blockSignals(False)
            btn.setText(("✓  " if states[name] else "") + texts[name])
            btn.setAccessibleName(texts[name])  # the tick is the checked state, said as "on"
        self.close_button.setText(close)


class IdleOverlay(Overlay):
    """ "Still there?" with a countdown; any touch dismisses it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.heading = label("overlay_title", align=Qt.AlignmentFlag.AlignHCenter)
        self.body = label("lead", align=Qt.AlignmentFlag.AlignHCenter)
        self.card_layout.addWidget(self.heading)
        self.card_layout.addWidget(self.body)

    def mouseReleaseEvent(self, event) -> None:
        self.hide()
        self.dismissed.emit()
        event.accept()

    def set_text(self, heading: str, body: str, m: int) -> None:
        self.card_layout.setContentsMargins(m, m, m, m)
        self.heading.setText(heading)
        self.body.setText(body)
        if self.isVisible():
            self.layout_card()
