"""The flow view as a visitor sees it: particles, still arrows, labels inside the screen, the clock."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter

from kiosk.bench import DEFAULT_PALETTE
from kiosk.content.model import FlowDiagram, Palette
from kiosk.ui.clock import AnimationClock
from kiosk.ui.widgets.flow_view import FlowView

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
PALETTE = Palette.model_validate(DEFAULT_PALETTE)  # the bench's palette: one dark test theme


def diagram(**overrides) -> FlowDiagram:
    spec = {
        "dot_value_gt": 0.5,
        "speed": 0.3,
        "seed": 5,
        "nodes": [
            {"id": "fossil", "label": {"en": "Fossil fuels", "de": "Fossile Brennstoffe"}, "kind": "source",
             "at": [0.0, 0.15], "portrait_at": [0.5, 0.0]},
            {"id": "air", "label": {"en": "Atmosphere", "de": "Atmosphäre"}, "kind": "air", "at": [0.5, 0.5]},
            {"id": "ocean", "label": {"en": "Ocean", "de": "Ozean"}, "kind": "sink", "at": [1.0, 1.0],
             "portrait_at": [0.0, 1.0]},
            {"id": "rock", "label": {"en": "Rock, for ever", "de": "Gestein"}, "kind": "store", "at": [0.0, 1.0],
             "portrait_at": [1.0, 1.0]},
        ],
        "links": [
            {"from": "fossil", "to": "air", "rate": 20.0, "curvature": 0.2},
            {"from": "air", "to": "ocean", "rate": 8.0, "curvature": -0.2},
            {"from": "air", "to": "rock", "rate": 3.0, "via": [[0.3, 0.85]], "step": 1},
        ],
        "steps": [{"button": {"en": "Store it"}, "caption": {"en": "Storage"}}],
        "reversals": [
            {"id": "fire", "button": {"en": "Fire"}, "caption": {"en": "Fire"}, "from": "ocean", "to": "air",
             "rate": 10.0, "duration_s": 3.0}
        ],
    }
    spec.update(overrides)
    return FlowDiagram.model_validate(spec)


@pytest.fixture
def label_font(qapp) -> QFont:
    fid = QFontDatabase.addApplicationFont(str(REPO / "assets" / "fonts" / "NotoSans-Bold.ttf"))
    families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    font = QFont(families[0] if families else "Noto Sans")
    font.setPixelSize(16)
    # The bold face, also when an earlier test registered the regular one (test order must not
    # change the golden image).
    font.setBold(True)
    return font


@pytest.fixture
def clock(qapp) -> AnimationClock:
    return AnimationClock()


def make_view(qtbot, clock, d=None, size=(640, 360), lang="en") -> FlowView:
    view = FlowView(d or diagram(), clock, PALETTE, lang)
    qtbot.addWidget(view)
    view.resize(*size)
    return view


def as_array(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGB32)
    ptr = img.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8, count=img.sizeInBytes()).reshape(img.height(), img.bytesPerLine())
    bgra = arr[:, : img.width() * 4].reshape(img.height(), img.width(), 4)
    return bgra[:, :, 2::-1].astype(np.int16)  # RGB32 is B, G, R, A in memory: give R, G, B


def test_hidden_view_is_not_subscribed_to_the_clock(qtbot, clock) -> None:
    view = make_view(qtbot, clock)
    assert clock.subscriber_count == 0
    view.show()
    assert view.subscribed and clock.subscriber_count == 1
    assert view.sim.count > 0  # already full when first shown
    t0 = view.sim.time
    clock.advance(0.5)
    assert view.sim.time == pytest.approx(t0 + 0.5)
    view.hide()
    assert not view.subscribed and clock.subscriber_count == 0
    t1 = view.sim.time
    clock.advance(1.0)
    assert view.sim.time == t1  # hidden: no work at all


def test_particles_move_between_frames(qtbot, clock) -> None:
    view = make_view(qtbot, clock)
    view.show()
    a = as_array(view.render_image())
    clock.advance(0.25)
    b = as_array(view.render_image())
    assert (np.abs(a - b).max(axis=2) > 30).sum() > 100


def test_reduced_motion_is_still_and_off_the_clock(qtbot, clock) -> None:
    view = make_view(qtbot, clock)
    view.show()
    view.set_reduced_motion(True)
    assert not view.subscribed and clock.subscriber_count == 0
    a = view.render_image()
    clock.advance(1.0)
    view.sim.step(1.0)  # even if something stepped the simulation, nothing moving is drawn
    b = view.render_image()
    assert a == b
    view.set_reduced_motion(False)
    assert view.subscribed


def test_reduced_motion_arrow_widths_rank_as_the_rates(qtbot, clock) -> None:
    rates = [1.0, 4.0, 9.0]
    nodes, links = [], []
    for i, (rate, y) in enumerate(zip(rates, (0.15, 0.5, 0.85))):
        nodes.append({"id": f"a{i}", "label": {"en": f"A{i}"}, "kind": "source", "at": [0.0, y]})
        nodes.append({"id": f"b{i}", "label": {"en": f"B{i}"}, "kind": "air", "at": [1.0, y]})
        links.append({"from": f"a{i}", "to": f"b{i}", "rate": rate})
    d = FlowDiagram.model_validate({"nodes": nodes, "links": links})
    view = make_view(qtbot, clock, d, size=(900, 700))
    view.set_reduced_motion(True)
    img = as_array(view.render_image())
    column = img[:, 450, :]
    source = np.array([0xFF, 0x7A, 0x45])
    is_arrow = np.abs(column - source).max(axis=1) < 60
    widths = []
    for i in range(3):
        y = round(view.sim.nodes_px[f"a{i}"][1])
        band = is_arrow[max(0, y - 60) : y + 60]
        widths.append(int(band.sum()))
    assert widths[0] >= 2
    assert widths[0] < widths[1] < widths[2], widths
    # Proportional, not just ordered (within anti-aliasing slop).
    assert widths[2] / widths[1] == pytest.approx(9 / 4, rel=0.2)


def test_steps_and_reversals_through_the_view(qtbot, clock) -> None:
    view = make_view(qtbot, clock)
    view.show()
    assert (view.step_count, view.current_step) == (1, 0)
    clock.advance(1.0)
    assert not (view.sim.channels == 2).any()
    assert view.advance_step() is True and view.current_step == 1
    assert view.advance_step() is False
    for _ in range(60):
        clock.advance(1 / 30)
    assert (view.sim.channels == 2).any()
    assert view.trigger_reversal("fire")
    for _ in range(30):
        clock.advance(1 / 30)
    assert (view.sim.channels == view.sim.n_links).any()
    view.reset()
    assert view.current_step == 0
    assert not view.sim.reversal_active("fire")


def test_same_seed_same_picture(qtbot, clock, label_font) -> None:
    a = make_view(qtbot, clock)
    b = make_view(qtbot, clock)
    for v in (a, b):
        v.set_label_font(label_font)
        v.sim.step(0.5)
    assert np.array_equal(a.sim.positions, b.sim.positions)
    assert a.render_image() == b.render_image()


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_nodes_and_labels_stay_inside_the_widget(qtbot, clock, size) -> None:
    view = make_view(qtbot, clock, size=size)
    view.set_legend_template("Each dot = {value} GtCO2 a year")
    inside = QRectF(0, 0, *size)
    rects = view.node_rects()
    assert set(rects) == {"fossil", "air", "ocean", "rock"}
    for node_id, rect in rects.items():
        assert inside.contains(rect), (node_id, rect)
    labels = list(view.label_rects().values())
    for i, a in enumerate(labels):
        assert not any(a.intersects(b) for b in labels[i + 1 :]), "labels overlap"
    w, h = size
    fossil = view.sim.nodes_px["fossil"]
    if h > w:  # portrait: the portrait position, top centre
        assert fossil[0] == pytest.approx(w / 2) and fossil[1] < h * 0.2
    else:
        assert fossil[0] < w * 0.2


def test_legend_text_formats_the_dot_value(qtbot, clock) -> None:
    view = make_view(qtbot, clock)
    assert view.legend_text("Each dot = {value} Gt CO2 a year") == "Each dot = 0.5 Gt CO2 a year"
    view.set_language("de")
    assert view.legend_text("Jeder Punkt = {value} Gt CO2 pro Jahr") == "Jeder Punkt = 0,5 Gt CO2 pro Jahr"


def test_language_palette_and_font_changes_redraw(qtbot, clock, label_font) -> None:
    view = make_view(qtbot, clock)
    view.set_label_font(label_font)
    en = view.render_image()
    view.set_language("de")
    de = view.render_image()
    assert en != de
    view.set_palette(PALETTE.model_copy(update={"background": "#ffffff"}))
    light = as_array(view.render_image())
    assert light[2, 2].tolist() != [0x0B, 0x13, 0x20]


def _compare_golden(img: QImage, name: str, tmp_path: Path) -> None:
    path = GOLDEN / name
    if os.environ.get("KIOSK_UPDATE_GOLDEN") == "1" or not path.exists():
        if os.environ.get("KIOSK_UPDATE_GOLDEN") != "1":
            pytest.fail(f"no golden image {path}; run with KIOSK_UPDATE_GOLDEN=1 to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        img.save(str(path))
        return
    want = QImage(str(path))
    got = as_array(img)
    ref = as_array(want)
    assert got.shape == ref.shape
    diff = np.abs(got - ref).max(axis=2)
    bad = (diff > 48).mean()
    if bad > 0.005 or diff.mean() > 2.0:
        out = tmp_path / f"diff_{name}"
        vis = img.convertToFormat(QImage.Format.Format_RGB32)  # the new image with bad pixels in magenta
        for y, x in zip(*np.nonzero(diff > 48)):
            vis.setPixelColor(int(x), int(y), QColor(255, 0, 255))
        vis.save(str(out))
        img.save(str(tmp_path / f"got_{name}"))
        pytest.fail(f"{name} differs from the golden image in {bad:.2%} of pixels; diff saved to {out}")


def test_golden_image_of_a_small_diagram(qtbot, clock, label_font, tmp_path) -> None:
    view = make_view(qtbot, clock, size=(480, 270))
    view.set_label_font(label_font)
    view.set_legend_template("Each dot = {value} Gt")
    view.advance_step()
    view.sim.step(0.75)
    _compare_golden(view.render_image(), "flow_small.png", tmp_path)


def test_reduced_motion_reversal_shows_a_still_arrow_for_its_duration(qtbot, clock) -> None:
    d = diagram(reversals=[{"id": "fire", "button": {"en": "Fire"}, "caption": {"en": "Fire"}, "from": "ocean",
                            "to": "air", "rate": 10.0, "duration_s": 0.3}])
    view = make_view(qtbot, clock, d)
    view.show()
    view.set_reduced_motion(True)
    before = view.render_image()
    assert view.trigger_reversal("fire")
    during = view.render_image()
    assert during != before
    assert clock.subscriber_count == 0  # still no clock: a timer ends it
    qtbot.waitUntil(lambda: view.render_image() == before, timeout=3000)


def test_frames_reuse_the_same_buffers_and_layers(qtbot, clock) -> None:
    """Ticking and painting must not re-create the sprite atlas, the layers or the fragment array."""
    view = make_view(qtbot, clock)
    view.show()
    view.render_image()
    kept = (view._frags, view._atlas, view._background, view._base, list(view._foreground))
    for _ in range(30):
        clock.advance(1 / 60)
        view.render_image()
    assert view._frags is kept[0] and view._atlas is kept[1]
    assert view._background is kept[2] and view._base is kept[3]
    assert all(a[1] is b[1] for a, b in zip(view._foreground, kept[4]))
    view.advance_step()  # a step redraws the guides only
    view.render_image()
    assert view._background is not kept[2]
    assert view._base is kept[3] and view._atlas is kept[1]


@pytest.mark.parametrize("dpr", [1.5, 2.0])
def test_hidpi_layers_and_particles_are_drawn_at_device_resolution(qtbot, clock, dpr) -> None:
    view = make_view(qtbot, clock, size=(640, 360))
    view.render_image()
    w, h = round(640 * dpr), round(360 * dpr)

    def paint(n: int) -> np.ndarray:
        img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        img.setDevicePixelRatio(dpr)
        view.sim._n = n  # keep only the first particle (or none)
        p = QPainter(img)
        view.paint_frame(p)
        p.end()
        return as_array(img)

    view.sim._pos[0] = (320.0, 100.0)
    view.sim._alpha[0] = 1.0
    with_one, without = paint(1), paint(0)
    assert view._background.width() == w  # not upscaled from a logical-size image
    diff = np.abs(with_one - without).sum(axis=2).astype(float)
    ys, xs = np.mgrid[0:h, 0:w]
    cx = (diff * (xs + 0.5)).sum() / diff.sum() / dpr
    cy = (diff * (ys + 0.5)).sum() / diff.sum() / dpr
    assert cx == pytest.approx(320.0, abs=0.5 / dpr + 0.05)
    assert cy == pytest.approx(100.0, abs=0.5 / dpr + 0.05)


def test_nodes_of_a_later_step_appear_with_it(qtbot, clock, label_font) -> None:
    view = make_view(qtbot, clock, size=(480, 270))
    later = {link.to for link in view.diagram.links if link.step > 0} | {
        link.from_ for link in view.diagram.links if link.step > 0
    }
    now = {e for link in view.diagram.links if link.step == 0 for e in (link.from_, link.to)}
    only_later = later - now
    assert only_later, "the test diagram has a node that a later step brings in"
    assert not (only_later & view.shown_nodes())
    view.advance_step()
    assert only_later <= view.shown_nodes()
    view.reset()
    assert not (only_later & view.shown_nodes())
