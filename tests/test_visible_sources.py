"""Every number a visitor reads has its source on the same screen, drawn, not only in the YAML.

The test walks the real screens (every screen, every touch step, reversal and method page, in
every language), reads what the widgets show, and checks: where any visible text holds a digit,
a source line is visible on that screen, inside the window (not below a scroll), and it names
every source the content gives for what is shown (figures, running text, streams, steps).
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QLabel

from kiosk.content.bathtub import BathtubScreen
from kiosk.content.loader import load
from kiosk.content.model import ChartScreen, FlowScreen, StorageScreen, TechnologiesScreen, Text
from kiosk.models.carbon_cycle import MODEL_SOURCES
from kiosk.content.removal_mix import RemovalMixScreen
from kiosk.ui.render import dispose, shots
from kiosk.ui.widgets.common import FigureCard
from kiosk.ui.widgets.flow_view import FlowView

from kiosk_window import open_kiosk

DIGIT = re.compile(r"\d")


def shown(widget, window) -> bool:
    if not widget.isVisibleTo(window):
        return False
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    return window.rect().contains(rect)


def parts(source: str | None) -> list[str]:
    return [p.strip() for p in (source or "").split(";") if p.strip()]


def expected_sources(screen) -> list[str]:
    """The sources the content gives for what this screen shows in its current state."""
    model = screen.model
    found = list(model.sources)
    for card in screen.findChildren(FigureCard):
        if card.isVisible():
            found += parts(card.figure.source)
    for flow in screen.findChildren(FlowView):
        if not flow.isVisible():
            continue
        found += [p for link in flow.diagram.links if link.step <= flow.current_step for p in parts(link.source)]
        if flow.current_step > 0:
            found += parts(flow.diagram.steps[flow.current_step - 1].source)
        found += [p for r in flow.diagram.reversals for p in parts(r.source)]
    if isinstance(model, StorageScreen):
        found += parts(model.temporary.source) + parts(model.permanent.source)
    if isinstance(model, TechnologiesScreen) and screen.open_method_id:
        method = next(m for m in model.methods if m.id == screen.open_method_id)
        for fig in (method.cost, method.potential, method.permanence, method.readiness):
            found += parts(fig.source)
        found += parts(method.project.source)
    if isinstance(model, ChartScreen):
        found += [p for s in model.series for p in parts(s.source)]
    if isinstance(model, BathtubScreen):
        # The model's own sources (its constants), the path played, and every path once their
        # buttons show (some carry numbers: "remove 5 Gt a year more").
        found += list(MODEL_SOURCES)
        if screen.path_id is not None:
            found += parts(model.path(screen.path_id).source)
        if screen.answer is not None:
            found += [p for path in model.paths for p in parts(path.source)]
    if isinstance(model, RemovalMixScreen):
        found += mix_sources(screen)
    return [p for s in found for p in parts(s)]


def mix_sources(screen) -> list[str]:
    """The removal mix: the goal and today's removal on its bar, each stepper's sustainable limit,
    world energy and the figures of every method in the mix, and each yardstick country whose name
    the screen shows (in the land comparison or a warning). A figure nobody found is not counted."""
    model = screen.model
    found = [model.goal_gt.source, model.today_gt.source] + [m.sustainable_gt.source for m in model.methods]
    used = [m for m in model.methods if screen.amounts[m.id] > 0]
    if used:
        found.append(model.world_energy_ej.source)
    for m in used:
        found += [f.source for f in (m.land_mha, m.energy_ej, m.cost_usd_t) if f.range is not None]
    window = screen.window()
    shown = " ".join(lbl.text() for lbl in screen.findChildren(QLabel) if lbl.isVisibleTo(window))
    lang = screen.ctx.lang
    found += [c.source for c in model.countries if c.name.get(lang) in shown]
    return found


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_every_number_shown_has_its_source_shown_on_the_same_screen(qtbot, shipped_content_path, size):
    window, shell, clock = open_kiosk(qtbot, shipped_content_path, size)
    checked = 0
    failures: list[str] = []
    try:
        for lang in shell.exhibition.languages.available:
            shell.set_language(lang)
            prefix = shell.exhibition.ui.source.get(lang)
            for name, _image, _problems in shots(shell, clock, window, settle_s=0.2):
                if name.startswith("99_") or not name[:2].isdigit():
                    continue  # the overlays (menu, settings) show no numbers of their own
                screen = shell.current
                labels = [lbl for lbl in screen.findChildren(QLabel) if lbl.text() and lbl.isVisibleTo(window)]
                sources = [lbl for lbl in labels if lbl.property("role") == "source"]
                numbers = [lbl.text() for lbl in labels if lbl.property("role") != "source" and DIGIT.search(lbl.text())]
                drawn = [t for f in screen.findChildren(FlowView) if f.isVisible() for t, _ in f.link_labels().values()]
                if not numbers and not drawn:
                    continue
                checked += 1
                where = f"{name}[{lang}] {size}"
                visible = [lbl.text() for lbl in sources if shown(lbl, window)]
                if not visible:
                    failures.append(f"{where}: numbers {numbers[:2]} but no visible source line")
                    continue
                if not all(t.startswith(prefix) for t in visible):
                    failures.append(f"{where}: a source line without '{prefix}': {visible}")
                text = " ".join(visible)
                missing = [p for p in expected_sources(screen) if p not in text]
                if missing:
                    failures.append(f"{where}: sources not shown: {missing}")
    finally:
        shell.shutdown()
        dispose(window)
    assert checked >= 4 * 15, checked  # every screen with numbers, its steps and method pages, x4
    assert not failures, "\n".join(failures)


def test_running_text_with_a_number_names_its_source_in_the_content(shipped_content_path) -> None:
    """Leads, bodies, captions and step texts with a number carry a source a footer can show."""
    ex = load(shipped_content_path).exhibition
    assert ex is not None
    checked = 0

    def has_digit(text: Text | None) -> bool:
        return text is not None and any(DIGIT.search(t) for t in text.root.values())

    for screen in ex.screens:
        for key in ("lead", "body"):
            if has_digit(getattr(screen, key, None)):
                checked += 1
                assert screen.sources, f"{screen.id}.{key} has a number but the screen names no `sources:`"
        if isinstance(screen, (FlowScreen, StorageScreen)) or screen.type == "attract":
            for step in screen.diagram.steps:
                if has_digit(step.caption):
                    checked += 1
                    assert step.source, f"{screen.id}: a step caption with a number has no source"
            for reversal in screen.diagram.reversals:
                if has_digit(reversal.caption):
                    checked += 1
                    assert reversal.source, f"{screen.id}: a reversal caption with a number has no source"
        if isinstance(screen, StorageScreen):
            for panel in (screen.temporary, screen.permanent):
                if has_digit(panel.body):
                    checked += 1
                    assert panel.source, f"{screen.id}: panel '{panel.title.get('en')}' has a number but no source"
        if isinstance(screen, TechnologiesScreen):
            for m in screen.methods:
                for key in ("summary", "how", "risks"):
                    assert not has_digit(getattr(m, key)), f"{m.id}.{key}: numbers belong in the sourced project text"
                if has_digit(m.project.text):
                    checked += 1
                    assert m.project.source, m.id
    for term in ex.glossary:
        if has_digit(term.explanation) and term.id != "limit_1_5" and term.id != "readiness":
            checked += 1
            assert term.source, f"glossary {term.id}: a number without a source"
    assert checked >= 8


def test_flow_streams_are_labelled_with_localised_rates(qtbot, shipped_content_path) -> None:
    window, shell, clock = open_kiosk(qtbot, shipped_content_path, (1920, 1080))
    try:
        ids = [s.id for s in shell.exhibition.screens]
        shell.go_to(ids.index("flows"))
        flow = shell.current.flow
        expected = {
            "en": ["38.1\u00a0Gt a year", "4.1\u00a0Gt a year", "19.4\u00a0Gt a year", "9.7\u00a0Gt a year", "13.1\u00a0Gt a year"],
            "de": ["38,1\u00a0Gt pro Jahr", "4,1\u00a0Gt pro Jahr", "19,4\u00a0Gt pro Jahr", "9,7\u00a0Gt pro Jahr", "13,1\u00a0Gt pro Jahr"],
            "fr": ["38,1\u00a0Gt par an", "4,1\u00a0Gt par an", "19,4\u00a0Gt par an", "9,7\u00a0Gt par an", "13,1\u00a0Gt par an"],
            "es": ["38,1\u00a0Gt al año", "4,1\u00a0Gt al año", "19,4\u00a0Gt al año", "9,7\u00a0Gt al año", "13,1\u00a0Gt al año"],
        }
        for lang, texts in expected.items():
            shell.set_language(lang)
            flow = shell.current.flow
            labels = flow.link_labels()
            assert sorted(t for t, _ in labels.values()) == sorted(texts), lang
            plates = [rect for _, rect in labels.values()]
            assert all(flow.rect().contains(r.toRect()) for r in plates), lang
            for i, a in enumerate(plates):  # readable: no label covers another or a node's label
                assert not any(a.intersects(b) for b in plates[i + 1 :]), lang
                assert not any(a.intersects(n) for n in flow.label_rects().values()), lang
            shell.current.next_step()
            step_texts = [t for t, _ in flow.link_labels().values()]
            assert len(step_texts) == 7 and any("6" in t and "2" in t for t in step_texts), (lang, step_texts)
            shell.current.reset()
    finally:
        shell.shutdown()
        dispose(window)
