"""A screen reader's view (Orca, NVDA, Narrator): every control and text a visitor can reach has an
accessible name, controls say what they are, figure cards read as one sentence each."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.content.loader import load
from kiosk.ui.app import KioskWindow, load_fonts
from kiosk.ui.chrome import ProgressDots
from kiosk.ui.clock import AnimationClock
from kiosk.ui.screens.technologies import StatCard
from kiosk.ui.shell import Shell
from kiosk.ui.speech import Speaker
from kiosk.ui.widgets.chart_view import ChartView
from kiosk.ui.widgets.common import FigureCard
from kiosk.ui.widgets.flow_view import FlowView
from kiosk.ui.widgets.qr import QrCode
from kiosk.ui.widgets.tile import Tile

READABLE = (QAbstractButton, QLabel, Tile, FigureCard, StatCard, FlowView, ChartView, QrCode, ProgressDots)


@pytest.fixture
def kiosk(qtbot, shipped_content_path):
    result = load(shipped_content_path)
    shell = Shell(result.exhibition, result.base_dir, AnimationClock(), load_fonts(result))
    shell.spoken.speaker = Speaker(exe="", parent=shell)
    window = KioskWindow(shell)
    window.setFixedSize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield shell
    shell.shutdown()


def name_of(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name) if iface is not None else ""


def reachable(shell: Shell) -> list[QWidget]:
    window = shell.window()
    out = []
    for w in shell.findChildren(QWidget):
        if not isinstance(w, READABLE) or not w.isVisibleTo(window):
            continue
        if isinstance(w, QLabel) and not w.text():
            continue  # an empty label is not there for anyone (e.g. a card without a source)
        if isinstance(w, QLabel) and isinstance(w.parentWidget(), ChartView):
            continue  # the legend row is read as part of the chart's description
        out.append(w)
    return out


def states(shell: Shell):
    """Every screen, every technology detail, step and reversal, and each overlay, in every language."""
    for lang in shell.exhibition.languages.available:
        shell.set_language(lang)
        for index in range(shell.screen_count):
            shell.go_to(index)
            yield f"{lang}/{shell.current.screen_id}"
            for name, key in shell.current.render_variants():
                shell.current.show_variant(key)
                yield f"{lang}/{shell.current.screen_id}/{name}"
            shell.current.reset()
        shell.go_to(1)
        for opener in (shell.open_menu, shell.open_access):
            opener()
            yield f"{lang}/overlay"
            for overlay in shell.overlays():
                overlay.hide()


def test_every_widget_a_visitor_can_reach_has_a_name(kiosk):
    checked = 0
    for where in states(kiosk):
        for widget in reachable(kiosk):
            assert name_of(widget).strip(), f"{where}: {type(widget).__name__} has no accessible name"
            checked += 1
    assert checked > 500


def test_controls_are_buttons_to_a_screen_reader_and_drop_decorative_arrows(kiosk):
    QTest.keyClick(kiosk.window(), Qt.Key.Key_Return)
    kiosk.go_to([s.id for s in kiosk.exhibition.screens].index("technologies"))  # its tiles are buttons too
    for control in kiosk.keypad.controls():
        if isinstance(control, (QAbstractButton, Tile)):
            iface = QAccessible.queryAccessibleInterface(control)
            assert iface.role() in (QAccessible.Role.PushButton, QAccessible.Role.CheckBox, QAccessible.Role.Button)
            assert not any(c in name_of(control) for c in "‹›✓")
    assert name_of(kiosk.bottom.next_button) == "Next"
    assert name_of(kiosk.bottom.dots) == f"Screen {kiosk.index} of {kiosk.walk_length}"  # screens added later count too


def test_figure_cards_read_as_one_sentence(kiosk):
    kiosk.set_language("de")
    kiosk.go_to(1)
    cards = [w for w in kiosk.current.findChildren(FigureCard)]
    names = [name_of(c) for c in cards]
    figures = kiosk.exhibition.screens[1].figures
    assert len(names) == len(figures)
    for fig in figures:
        # Label, then the number with a German decimal comma, then the unit: one sentence.
        value = fig.value.replace(".", ",")
        assert f"{fig.label.get('de')}: {value} {fig.unit.get('de')}." in names
    assert all(n.count(".") >= 1 and n.endswith(".") and ":" in n for n in names)


def test_diagrams_describe_their_flows_from_the_data(kiosk):
    kiosk.go_to(2)
    diagram = kiosk.current.model.diagram
    label = {node.id: node.label.get("en") for node in diagram.nodes}

    def said(link) -> str:
        return f"{link.rate:g} Gt CO₂ a year flow from {label[link.from_]} to {label[link.to]}."

    first = [link for link in diagram.links if link.step == 0]
    added = [link for link in diagram.links if link.step == 1]
    assert first and added
    flow = kiosk.current.flow
    before = QAccessible.queryAccessibleInterface(flow).text(QAccessible.Text.Description)
    assert f"shows {len(first)} flows" in before
    for link in first:
        assert said(link) in before
    for link in added:
        assert said(link) not in before
    kiosk.current.next_step()  # "Show today's removal": the new flows join the description
    after = QAccessible.queryAccessibleInterface(flow).text(QAccessible.Text.Description)
    assert f"shows {len(first) + len(added)} flows" in after
    for link in first + added:
        assert said(link) in after


def test_the_bathtub_describes_its_tub_and_charts_from_the_model(kiosk):
    from kiosk.content.numbers import format_number

    ids = [s.id for s in kiosk.exhibition.screens]
    kiosk.go_to(ids.index("bathtub"))
    screen = kiosk.current
    tub, charts = screen.tub, screen.charts

    def described(widget) -> tuple[str, str]:
        iface = QAccessible.queryAccessibleInterface(widget)
        return iface.text(QAccessible.Text.Name), iface.text(QAccessible.Text.Description)

    name, before = described(tub)
    assert name == "Diagram: CO₂ in the air" and "2025: 426\u00a0ppm" in before
    assert described(screen.budget_bar)[0] == "1.5\u00a0°C budget left: 170\u00a0Gt (billion tonnes) CO₂"
    screen.show_variant(("path", "net_negative"))  # answered, then the path played to its end
    run = screen.runs["net_negative"]
    _, after = described(tub)
    assert f"2100: {format_number(run.ppm_in(2100), 'en', 0)}\u00a0ppm" in after
    assert f"Extra removal: {format_number(run.removal[-1], 'en', 0)}\u00a0Gt a year" in after
    chart_name, chart_text = described(charts)
    assert chart_name.startswith("Chart: CO₂ in the air (ppm)")
    assert format_number(run.warming[-1], "en", 1) in chart_text and "Net zero by 2050" in chart_text
    for widget in reachable(kiosk):  # the answers, paths and texts of this state are named too
        assert name_of(widget).strip(), type(widget).__name__
