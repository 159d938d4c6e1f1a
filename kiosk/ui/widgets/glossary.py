"""Marked words and the small card that explains them.

A screen shows its texts through `show_text`: words from the content's `glossary:` appear
underlined (dotted, accent colour) and a touch on one opens a card with the plain explanation,
in the visitor's language. The card closes on a touch anywhere else, and when its screen goes
away (next screen, idle reset to the attract loop, another language).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QApplication, QFrame, QLabel, QVBoxLayout, QWidget

from kiosk.content.glossary import LINK_PREFIX, marked_html, term_by_id
from kiosk.ui.widgets.common import label

CARD_NAME = "GlossaryCard"


def show_text(lbl: QLabel, text: str, ctx) -> None:
    """Set `text` on `lbl`, with the glossary's terms marked as touchable links (ctx: ScreenContext)."""
    glossary = ctx.exhibition.glossary
    html = marked_html(text, glossary, ctx.lang, ctx.look.palette.accent) if glossary else None
    lbl.setProperty("glossary_ctx", None)
    if html is None:
        lbl.setTextFormat(Qt.TextFormat.PlainText)
        lbl.setText(text)
        _sync_term_buttons(lbl, ctx)
        return
    lbl.setTextFormat(Qt.TextFormat.RichText)
    lbl.setText(html)
    lbl.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
    lbl.setOpenExternalLinks(False)
    lbl._glossary_ctx = ctx  # noqa: SLF001 - read by the link handler below
    if not lbl.property("glossary_wired"):
        lbl.linkActivated.connect(lambda href, w=lbl: _open(w, href))
        lbl.setProperty("glossary_wired", True)
    _sync_term_buttons(lbl, ctx)


class TermButton(QAbstractButton):
    """A marked word as a control, lying over the word the label draws: the keypad walks to it in
    reading order, a screen reader and spoken mode name it and read its explanation, Enter (or a
    touch) opens its card. It paints nothing; the label's text is what visitors see."""

    def __init__(self, lbl: QLabel, term_id: str) -> None:
        super().__init__(lbl)
        self.term_id = term_id
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clicked.connect(lambda: _open(lbl, LINK_PREFIX + self.term_id))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(0, 0)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        pass


class _TermPlacer(QObject):
    """Keeps a label's term buttons on their words when the label is laid out anew."""

    KINDS = (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FontChange, QEvent.Type.StyleChange)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() in self.KINDS and isinstance(obj, QLabel):
            place_term_buttons(obj)
        return False


def _sync_term_buttons(lbl: QLabel, ctx) -> None:
    """One TermButton per term marked in `lbl` now, named for the screen reader; others hidden.
    Buttons are kept and reused, never deleted, so a focus or timer holding one stays valid."""
    buttons: dict[str, TermButton] = lbl.__dict__.setdefault("_term_buttons", {})
    terms = marked_terms(lbl)
    if terms and not lbl.property("glossary_placer"):
        placer = _TermPlacer(lbl)
        lbl.installEventFilter(placer)
        lbl.setProperty("glossary_placer", True)
    shown = _marked_words(lbl)
    for term_id in terms:
        button = buttons.get(term_id)
        if button is None:
            button = buttons[term_id] = TermButton(lbl, term_id)
        term = term_by_id(ctx.exhibition.glossary, term_id)
        button.setText(shown.get(term_id, ""))
        button.setAccessibleName(shown.get(term_id, ""))
        button.setAccessibleDescription(term.explanation.get(ctx.lang) if term is not None else "")
    for term_id, button in buttons.items():
        if term_id not in terms:
            button.hide()
    place_term_buttons(lbl)


def _marked_words(lbl: QLabel) -> dict[str, str]:
    """The words as the label shows them, per marked term id ("sinks", "1.5 °C")."""
    words: dict[str, str] = {}
    if lbl.textFormat() != Qt.TextFormat.RichText:
        return words
    doc = QTextDocument()
    doc.setHtml(lbl.text())
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            href = frag.charFormat().anchorHref()
            if href.startswith(LINK_PREFIX):
                words.setdefault(href[len(LINK_PREFIX):], frag.text().replace("\u00a0", " "))
            it += 1
        block = block.next()
    return words


def place_term_buttons(lbl: QLabel) -> None:
    buttons: dict[str, TermButton] = lbl.__dict__.get("_term_buttons", {})
    terms = set(marked_terms(lbl))
    for term_id, button in buttons.items():
        rect = term_rect(lbl, term_id, whole=True) if term_id in terms else None
        if rect is None or rect.isEmpty():
            button.hide()
            continue
        button.setGeometry(rect.toAlignedRect())
        button.show()


def marked_terms(lbl: QLabel) -> list[str]:
    """The glossary term ids marked in `lbl` (for tests and proofing)."""
    if lbl.textFormat() != Qt.TextFormat.RichText:
        return []
    doc = QTextDocument()
    doc.setHtml(lbl.text())
    found: list[str] = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            href = fmt.anchorHref()
            if fmt.isAnchor() and href.startswith(LINK_PREFIX) and href[len(LINK_PREFIX):] not in found:
                found.append(href[len(LINK_PREFIX):])
            it += 1
        block = block.next()
    return found


def term_rect(lbl: QLabel, term_id: str, *, whole: bool = False) -> QRectF | None:
    """Where the marked term `term_id` is drawn inside `lbl` (label coordinates), laid out as the
    label lays out its rich text: its font, its width, no document margin, aligned top-left or
    vertically centred. Its first letter; `whole`: the term up to the end of its first line."""
    if term_id not in marked_terms(lbl):
        return None
    cr = lbl.contentsRect()
    doc = QTextDocument()
    doc.setDefaultFont(lbl.font())
    doc.setDocumentMargin(0)
    doc.setHtml(lbl.text())
    doc.setTextWidth(cr.width())
    top = cr.top()
    if lbl.alignment() & Qt.AlignmentFlag.AlignVCenter:
        top += max(0.0, (cr.height() - doc.size().height()) / 2)
    layout = doc.documentLayout()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().anchorHref() == LINK_PREFIX + term_id:
                pos = frag.position() - block.position()
                line = block.layout().lineForTextPosition(pos)
                x = line.cursorToX(pos)[0] if isinstance(line.cursorToX(pos), tuple) else line.cursorToX(pos)
                end = pos + 1
                if whole:
                    end = min(pos + frag.length(), line.textStart() + line.textLength())
                end_x = line.cursorToX(end)
                end_x = end_x[0] if isinstance(end_x, tuple) else end_x
                origin = layout.blockBoundingRect(block).topLeft()
                return QRectF(cr.left() + origin.x() + x, top + origin.y() + line.y(), max(4.0, end_x - x), line.height())
            it += 1
        block = block.next()
    return None


def open_card(window: QWidget) -> GlossaryCard | None:
    card = window.findChild(GlossaryCard, CARD_NAME)
    return card if card is not None and card.isVisible() else None


def _open(lbl: QLabel, href: str) -> None:
    if not href.startswith(LINK_PREFIX):
        return
    ctx = getattr(lbl, "_glossary_ctx", None)
    if ctx is None:
        return
    term = term_by_id(ctx.exhibition.glossary, href[len(LINK_PREFIX):])
    if term is None:
        return
    # The card lives in the window's page widget (the shell), not the bare window: the kiosk's
    # style sheet (card colour, border, text sizes) is set there, and a card outside it drew
    # unstyled, see-through and in the platform's small default font.
    host = lbl
    while host.parentWidget() is not None and not host.parentWidget().isWindow():
        host = host.parentWidget()
    card = host.window().findChild(GlossaryCard, CARD_NAME)
    if card is not None and card.parentWidget() is not host:
        card.close_card()
        card.setParent(None)
        card.deleteLater()
        card = None
    if card is None:
        card = GlossaryCard(host)
    card.show_term(term, ctx, lbl)


class GlossaryCard(QFrame):
    """The explanation of one term, near the word that was touched, over the screen."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName(CARD_NAME)
        self.setProperty("role", "overlay")
        # Not a modal layer for the keypad: its keys go on working, and a key closes the card.
        self.setProperty("keypad_transient", True)
        lay = QVBoxLayout(self)
        self.heading = label("heading", self)
        self.text = label("body", self)
        self.source = label("source", self)
        lay.addWidget(self.heading)
        lay.addWidget(self.text)
        lay.addWidget(self.source)
        self.term_id: str | None = None
        self._anchor: QLabel | None = None
        self.hide()

    def show_term(self, term, ctx, anchor: QLabel) -> None:
        self.term_id = term.id
        m = ctx.margin
        self.layout().setContentsMargins(m // 2, m // 3, m // 2, m // 3)
        self.layout().setSpacing(m // 6)
        self.heading.setText(term.term.get(ctx.lang).split("|")[0])
        self.text.setText(term.explanation.get(ctx.lang))
        self.source.setText(f"{ctx.source_prefix} {term.source}" if term.source else "")
        self.source.setVisible(bool(term.source))
        window = self.parentWidget()
        width = min(window.width() - 2 * m, max(ctx.look.px(520), window.width() // 3))
        self.setFixedWidth(width)
        self.adjustSize()
        self.setFixedHeight(self.layout().totalHeightForWidth(width))
        below = anchor.mapTo(window, QPoint(0, anchor.height()))
        x = min(max(m, below.x()), window.width() - width - m)
        y = below.y() + m // 4
        if y + self.height() > window.height() - m:
            y = max(m, anchor.mapTo(window, QPoint(0, 0)).y() - self.height() - m // 4)
        self.move(x, y)
        if self._anchor is not None and self._anchor is not anchor:
            self._anchor.removeEventFilter(self)
        self._anchor = anchor
        anchor.installEventFilter(self)
        QApplication.instance().installEventFilter(self)
        self.show()
        self.raise_()

    def dismiss(self) -> None:
        self.close_card()

    def close_card(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self._anchor is not None:
            self._anchor.removeEventFilter(self)
            self._anchor = None
        self.term_id = None
        self.hide()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if obj is self._anchor and kind == QEvent.Type.Hide:
            self.close_card()  # its screen went away: next screen, idle reset, menu
        elif kind == QEvent.Type.MouseButtonPress and self.isVisible() and isinstance(obj, QWidget):
            if obj.window() is self.window():
                inside = self.rect().contains(self.mapFromGlobal(event.globalPosition().toPoint()))
                if not inside:
                    self.close_card()  # a touch elsewhere closes it (and does what it touched)
        return False
