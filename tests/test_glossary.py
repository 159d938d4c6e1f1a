"""Words a 12-year-old may not know are marked, and a touch on one explains it in plain words.

Driven through the real screens: the test touches the marked word where it is drawn, reads the
card that opens, touches elsewhere and sees it close, in every language.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from kiosk.content.check import main as check_main
from kiosk.content.glossary import occurrences
from kiosk.content.loader import load
from kiosk.content.model import GlossaryTerm
from kiosk.ui.render import dispose, settle_layout
from kiosk.ui.widgets.glossary import marked_terms, open_card, term_rect

from kiosk_window import open_kiosk

REQUIRED = {"gt", "ppm", "net_zero", "sink", "limit_1_5", "readiness", "scenario"}
# Where a visitor first meets each term on the walk (screen id, method page or None).
FIRST_MET = {
    "gt": ("why", None), "limit_1_5": ("why", None), "net_zero": ("why", None), "scenario": ("why", None),
    "ppm": ("flows", None), "sink": ("flows", None), "readiness": ("technologies", "daccs"),
}  # fmt: skip


def term(forms: str, lang: str = "en") -> GlossaryTerm:
    return GlossaryTerm.model_validate(
        {"id": "t", "term": {lang: forms}, "explanation": {lang: "x"}}
    )


def test_terms_are_found_as_words_in_their_own_case() -> None:
    sink = [term("Senke|Senken", "de")]
    assert occurrences("Nur Entnahme kann sie wieder senken.", sink, "de") == []  # the verb
    assert [t for *_, t in occurrences("Quellen und Senken", sink, "de")] == ["t"]
    readiness = [term("readiness")]
    assert occurrences("Readiness: 1 = idea", readiness, "en")[0][:2] == (0, 9)  # sentence start
    limit = [term("1,5\u00a0°C", "fr")]
    assert occurrences("dépasser 1,5 °C un temps", limit, "fr")  # any space matches
    assert occurrences("über 21,5 °C", [term("1,5\u00a0°C", "de")], "de") == []  # not inside a number
    gt = [term("Gt")]
    text = "42 Gt now, 9 Gt later"
    assert occurrences(text, gt, "en") == [(3, 5, "t")]  # the first occurrence only


def test_the_shipped_glossary_explains_the_required_words_in_every_language(shipped_content_path) -> None:
    ex = load(shipped_content_path).exhibition
    assert ex is not None
    ids = {t.id for t in ex.glossary}
    assert REQUIRED <= ids
    for t in ex.glossary:
        for lang in ex.languages.available:
            assert t.term.get(lang).strip() and t.explanation.get(lang).strip(), (t.id, lang)
            assert len(t.explanation.get(lang).split()) <= 25, (t.id, lang)  # one short card


def test_check_refuses_a_glossary_term_missing_in_a_language(tmp_path: Path, repo: Path) -> None:
    data = yaml.safe_load((repo / "content.yaml").read_text(encoding="utf-8"))
    text = (repo / "content.yaml").read_text(encoding="utf-8")
    ppm_fr = next(line for line in text.splitlines() if line.strip().startswith("fr: \"Parties par million"))
    assert data["glossary"]
    shutil.copytree(repo / "assets", tmp_path / "assets")
    broken = tmp_path / "content.yaml"
    broken.write_text(text.replace(ppm_fr + "\n", ""), encoding="utf-8")
    out = io.StringIO()
    assert check_main(broken, out) == 1
    report = out.getvalue()
    assert "error: glossary term 'ppm' has no explanation in 'fr'" in report, report


def marked_label(screen, term_id: str) -> QLabel:
    for lbl in screen.findChildren(QLabel):
        if lbl.isVisible() and term_id in marked_terms(lbl):
            return lbl
    raise AssertionError(f"no visible label marks {term_id!r} on {screen.screen_id}")


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_touching_a_marked_word_opens_its_card_and_a_touch_elsewhere_closes_it(qtbot, shipped_content_path, lang):
    window, shell, _clock = open_kiosk(qtbot, shipped_content_path)
    ids = [s.id for s in shell.exhibition.screens]
    glossary = {t.id: t for t in shell.exhibition.glossary}
    try:
        shell.set_language(lang)
        for term_id, (screen_id, method) in FIRST_MET.items():
            shell.go_to(ids.index(screen_id))
            screen = shell.current
            if method:
                screen.open_method(method)
            settle_layout()
            lbl = marked_label(screen, term_id)
            rect = term_rect(lbl, term_id)
            assert rect is not None
            qtbot.mouseClick(lbl, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
            card = open_card(window)
            assert card is not None, f"{lang}: touching '{term_id}' opened nothing"
            assert card.term_id == term_id
            assert card.text.text() == glossary[term_id].explanation.get(lang)
            assert card.heading.text() == glossary[term_id].term.get(lang).split("|")[0]
            assert window.rect().contains(card.geometry())
            # A touch anywhere else (here: the screen's title, away from the card) closes it.
            title = screen.findChildren(QLabel)[0] if not method else screen.detail.title
            spot = title.mapTo(window, QPoint(2, 2))
            assert not card.geometry().contains(spot)
            qtbot.mouseClick(title, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))
            assert open_card(window) is None, f"{lang}: the '{term_id}' card stayed open"
            if method:
                screen.close_method()
        # The card also goes when its screen goes (next screen, idle reset to the attract loop).
        shell.go_to(ids.index("why"))
        settle_layout()
        lbl = marked_label(shell.current, "net_zero")
        qtbot.mouseClick(lbl, Qt.MouseButton.LeftButton, pos=term_rect(lbl, "net_zero").center().toPoint())
        assert open_card(window) is not None
        shell.go_to(ids.index("flows"))
        settle_layout()
        assert open_card(window) is None
    finally:
        shell.shutdown()
        dispose(window)


def test_every_marked_word_is_a_keypad_stop_with_a_name_and_its_explanation(qtbot, shipped_content_path):
    """A visitor on the accessibility keypad reaches each marked word; a screen reader names it and
    reads its explanation; Enter opens its card and the next key closes it and moves on."""
    from PySide6.QtGui import QAccessible
    from PySide6.QtTest import QTest

    from kiosk.ui.speech import Speaker
    from kiosk.ui.widgets.glossary import TermButton

    window, shell, _clock = open_kiosk(qtbot, shipped_content_path)
    shell.spoken.speaker = Speaker(exe="", parent=shell)
    glossary = {t.id: t for t in shell.exhibition.glossary}
    try:
        for lang in ("en", "de"):
            shell.set_language(lang)
            met = set()
            for index in range(1, shell.screen_count):
                shell.go_to(index)
                settle_layout()
                chain = shell.keypad.controls()
                for lbl in shell.current.findChildren(QLabel):
                    if not lbl.isVisibleTo(window):
                        continue
                    for term_id in marked_terms(lbl):
                        met.add(term_id)
                        button = next(b for b in lbl.findChildren(TermButton) if b.term_id == term_id)
                        assert button in chain, (lang, shell.current.screen_id, term_id)
                        # It lies over the word the label draws, so a touch there also opens the card.
                        assert button.geometry().contains(term_rect(lbl, term_id).center().toPoint())
                        iface = QAccessible.queryAccessibleInterface(button)
                        shown = iface.text(QAccessible.Text.Name)
                        assert shown and " ".join(shown.split()) in " ".join(lbl.text().split()).replace("&nbsp;", " ")
                        assert iface.text(QAccessible.Text.Description) == glossary[term_id].explanation.get(lang)
            assert met >= REQUIRED - {"readiness"}  # readiness is met on a method page

        shell.set_language("en")
        shell.go_to([s.id for s in shell.exhibition.screens].index("flows"))
        settle_layout()
        shell.keypad.set_focus(None)
        QTest.keyClick(window, Qt.Key.Key_Tab)
        first = shell.keypad.focused
        assert isinstance(first, TermButton)
        QTest.keyClick(window, Qt.Key.Key_Return)
        QTest.qWait(1)  # the keypad settles its focus on the next turn of the event loop
        card = open_card(window)
        assert card is not None and card.term_id == first.term_id
        QTest.keyClick(window, Qt.Key.Key_Tab)  # the keypad is not locked out by the card
        QTest.qWait(1)
        assert open_card(window) is None
        assert shell.keypad.focused is not first and shell.keypad.focused is not None
    finally:
        shell.shutdown()
        dispose(window)


def test_spoken_mode_reads_a_rich_label_as_words(qtbot):
    from kiosk.ui.spoken import plain_text

    lbl = QLabel()
    qtbot.addWidget(lbl)
    lbl.setTextFormat(Qt.TextFormat.RichText)
    lbl.setText('Sources and <a href="glossary:sink" style="color:#f80">sinks</a> &amp; more')
    assert plain_text(lbl) == "Sources and sinks & more"
    lbl.setTextFormat(Qt.TextFormat.PlainText)
    lbl.setText("1 < 2")
    assert plain_text(lbl) == "1 < 2"


def test_the_card_has_the_kiosk_look(qtbot, shipped_content_path):
    """The card is drawn with the kiosk's style: its surface colour behind the text, the body text size."""
    from kiosk.ui.theme import BODY_PX

    window, shell, _clock = open_kiosk(qtbot, shipped_content_path)
    try:
        shell.go_to([s.id for s in shell.exhibition.screens].index("flows"))
        settle_layout()
        lbl = marked_label(shell.current, "gt")
        qtbot.mouseClick(lbl, Qt.MouseButton.LeftButton, pos=term_rect(lbl, "gt").center().toPoint())
        settle_layout()
        card = open_card(window)
        assert card is not None
        look = shell.look()
        assert card.text.font().pixelSize() == look.text_px(BODY_PX)
        image = window.grab().toImage()
        inside = card.mapTo(window, QPoint(card.width() - look.px(12), card.height() // 2))
        seen, surface = image.pixelColor(inside), look.color("surface")
        assert abs(seen.red() - surface.red()) + abs(seen.green() - surface.green()) + abs(seen.blue() - surface.blue()) < 12
    finally:
        shell.shutdown()
        dispose(window)


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_the_bathtub_marks_its_terms_and_a_touch_opens_their_cards(qtbot, shipped_content_path, lang):
    window, shell, _clock = open_kiosk(qtbot, shipped_content_path)
    glossary = {t.id: t for t in shell.exhibition.glossary}
    try:
        shell.set_language(lang)
        shell.go_to([s.id for s in shell.exhibition.screens].index("bathtub"))
        screen = shell.current
        settle_layout()
        assert "ppm" in marked_terms(screen.lead)
        assert {"limit_1_5", "gt"} <= set(marked_terms(screen.budget_text))
        screen.show_variant(("path", "net_zero_2050"))  # the reveal and a path's results: also marked
        settle_layout()
        assert "ppm" in marked_terms(screen.result)
        if lang in ("en", "de"):  # the caption names net zero in the glossary's own words
            assert "net_zero" in marked_terms(screen.story)
        for lbl, term_id in ((screen.result, "ppm"), (screen.budget_text, "limit_1_5")):
            rect = term_rect(lbl, term_id)
            qtbot.mouseClick(lbl, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
            card = open_card(window)
            assert card is not None and card.term_id == term_id, (lang, term_id)
            assert card.text.text() == glossary[term_id].explanation.get(lang)
            qtbot.mouseClick(screen.title, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))
            assert open_card(window) is None
    finally:
        shell.shutdown()
        dispose(window)
