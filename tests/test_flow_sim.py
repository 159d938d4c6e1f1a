"""The particle simulation, without Qt: rates, paths, arrivals, seeds, steps, reversals."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.content.model import FlowDiagram
from kiosk.flow.paths import ArcPath, Frame, quadratic_bezier
from kiosk.flow.sim import KINDS, FlowSim

SIZE = (1920, 1080)


def make_diagram(**overrides) -> FlowDiagram:
    spec = {
        "dot_value_gt": 0.5,
        "speed": 0.3,
        "seed": 11,
        "nodes": [
            {"id": "fossil", "label": {"en": "Fossil fuels", "de": "Fossile"}, "kind": "source", "at": [0.0, 0.2],
             "portrait_at": [0.5, 0.0]},
            {"id": "air", "label": {"en": "Air", "de": "Luft"}, "kind": "air", "at": [0.5, 0.5]},
            {"id": "ocean", "label": {"en": "Ocean", "de": "Ozean"}, "kind": "sink", "at": [1.0, 0.9],
             "portrait_at": [0.2, 1.0]},
            {"id": "rock", "label": {"en": "Rock", "de": "Gestein"}, "kind": "store", "at": [0.2, 1.0],
             "portrait_at": [0.8, 1.0]},
        ],
        "links": [
            {"from": "fossil", "to": "air", "rate": 37.4},
            {"from": "air", "to": "ocean", "rate": 9.2, "curvature": 0.4},
            {"from": "air", "to": "rock", "rate": 2.0, "via": [[0.3, 0.8]], "portrait_via": [[0.7, 0.7]], "step": 1},
        ],
        "steps": [{"button": {"en": "Add storage"}, "caption": {"en": "Now we store some"}}],
        "reversals": [
            {"id": "fire", "button": {"en": "Fire"}, "caption": {"en": "A fire"}, "from": "ocean", "to": "air",
             "rate": 12.0, "duration_s": 4.0}
        ],
    }
    spec.update(overrides)
    return FlowDiagram.model_validate(spec)


def run(sim: FlowSim, seconds: float, dt: float = 1 / 60) -> None:
    for _ in range(round(seconds / dt)):
        sim.step(dt)


def test_emission_over_a_minute_matches_rate_over_dot_value() -> None:
    d = make_diagram()
    sim = FlowSim(d, SIZE)
    sim.advance_step()  # all links on
    before = sim.emitted.copy()
    run(sim, 60.0)
    emitted = sim.emitted - before
    for i, link in enumerate(d.links):
        expected = link.rate / d.dot_value_gt * 60
        assert emitted[i] == pytest.approx(expected, rel=0.05), link


def test_emission_count_is_exact_within_one_particle_even_with_uneven_frames() -> None:
    d = make_diagram()
    sim = FlowSim(d, SIZE, prewarm=False)
    rng = np.random.default_rng(0)
    t = 0.0
    while t < 30.0:
        dt = float(rng.uniform(0.001, 0.1))
        sim.step(dt)
        t += dt
    expected = d.links[0].rate / d.dot_value_gt * sim.time
    assert abs(sim.emitted[0] - expected) <= 1


def test_density_on_a_link_is_proportional_to_its_flow() -> None:
    """Same speed for every particle, so particles per pixel of path ~ rate."""
    d = make_diagram()
    sim = FlowSim(d, SIZE)
    run(sim, 2.0)
    counts = np.bincount(sim.channels, minlength=sim.n_channels)
    density = counts[:2] / sim.paths.lengths[:2]
    ratio = density[0] / density[1]
    assert ratio == pytest.approx(37.4 / 9.2, rel=0.1)


def test_every_particle_lies_on_its_links_path() -> None:
    d = make_diagram()
    sim = FlowSim(d, SIZE)
    sim.advance_step()
    sim.trigger_reversal("fire")
    run(sim, 3.0)
    assert sim.count > 100
    for c in range(sim.n_channels):
        mine = sim.channels == c
        if not mine.any():
            continue
        dist = sim.path(c).distance_to(sim.positions[mine])
        assert dist.max() <= sim.band_halfwidth[c] + 1.0, f"channel {c} strays {dist.max():.1f}px"


def test_particles_arrive_at_their_target_node_and_are_removed() -> None:
    d = make_diagram()
    sim = FlowSim(d, SIZE, prewarm=False)
    travel = sim.paths.lengths[0] / sim.speed_px
    run(sim, travel * 0.9)
    assert sim.arrived[0] == 0  # nothing can arrive before one travel time
    run(sim, travel * 0.5)
    assert sim.arrived[0] > 0
    # Conservation: emitted = in flight + arrived, link by link.
    in_flight = np.bincount(sim.channels, minlength=sim.n_channels)
    assert np.array_equal(sim.emitted, in_flight + sim.arrived)
    # Particles end at the target node: the last point of each path is that node's position.
    for c, (_, to) in enumerate(sim.channel_ends):
        end = sim.path(c).points[-1]
        assert np.allclose(end, sim.nodes_px[to])


def test_particles_move_at_an_even_speed_in_pixels() -> None:
    d = make_diagram()
    sim = FlowSim(d, SIZE, prewarm=False)
    run(sim, 1.0)  # shorter than any travel time: nothing arrives, so particles keep their order
    assert sim.arrived.sum() == 0
    s0, p0 = sim.distances.copy(), sim.positions.copy()
    n0 = sim.count
    sim.step(0.1)
    assert np.allclose(sim.distances[:n0] - s0, sim.speed_px * 0.1)
    on_straight = (sim.channels[:n0] == 0) & (sim.alphas[:n0] == 1.0)
    step_px = np.hypot(*(sim.positions[:n0][on_straight] - p0[on_straight]).T)
    assert np.allclose(step_px, sim.speed_px * 0.1, rtol=0.02)
    assert sim.speed_px == pytest.approx(d.speed * SIZE[1])


def test_same_seed_same_frames_different_seed_differs() -> None:
    d = make_diagram()
    a, b = FlowSim(d, SIZE), FlowSim(d, SIZE)
    c = FlowSim(d, SIZE, seed=12)
    for sim in (a, b, c):
        run(sim, 1.0)
    assert np.array_equal(a.positions, b.positions)
    assert not (a.positions.shape == c.positions.shape and np.array_equal(a.positions, c.positions))


def test_reset_replays_the_same_stream() -> None:
    sim = FlowSim(make_diagram(), SIZE)
    run(sim, 1.0)
    first = sim.positions.copy()
    sim.advance_step()
    run(sim, 2.0)
    sim.reset()
    assert sim.current_step == 0
    run(sim, 1.0)
    assert np.array_equal(first, sim.positions)


def test_steps_reveal_links() -> None:
    sim = FlowSim(make_diagram(), SIZE)
    run(sim, 5.0)
    assert sim.emitted[2] == 0 and not (sim.channels == 2).any()
    assert sim.step_count == 1
    assert sim.advance_step() is True
    assert sim.advance_step() is False  # no further step
    run(sim, 5.0)
    assert sim.emitted[2] == pytest.approx(2.0 / 0.5 * 5.0, abs=1)


def test_reversal_bursts_from_to_for_its_duration_then_stops() -> None:
    d = make_diagram()
    sim = FlowSim(d, SIZE)
    c = sim.n_links  # first reversal channel
    assert sim.channel_ends[c] == ("ocean", "air")
    run(sim, 2.0)
    assert sim.emitted[c] == 0
    assert sim.trigger_reversal("fire") and sim.reversal_active("fire")
    assert not sim.trigger_reversal("no_such_event")
    run(sim, 4.0)
    assert sim.emitted[c] == pytest.approx(12.0 / 0.5 * 4.0, abs=1)
    assert not sim.reversal_active("fire")
    stopped_at = sim.emitted[c]
    run(sim, 3.0)
    assert sim.emitted[c] == stopped_at
    run(sim, 10.0)
    assert sim.arrived[c] == stopped_at  # the whole burst reached the air
    # Coloured by the from-node's kind (the ocean is a sink).
    assert sim.channel_colour[c] == KINDS.index("sink")


def test_resize_keeps_progress_fractions_and_uses_portrait_positions() -> None:
    d = make_diagram()
    sim = FlowSim(d, SIZE)
    sim.advance_step()
    run(sim, 1.0)
    frac = sim.distances / sim.paths.lengths[sim.channels]
    sim.resize(1080, 1920)
    assert np.allclose(sim.distances / sim.paths.lengths[sim.channels], frac)
    frame = Frame.for_size(1080, 1920)
    assert sim.nodes_px["fossil"] == pytest.approx(frame.to_px(d.nodes[0].portrait_at))
    assert sim.nodes_px["air"] == pytest.approx(frame.to_px(d.nodes[1].at))  # no portrait_at: same fraction
    # The waypoint link goes through the portrait waypoint.
    via = np.array(frame.to_px(d.links[2].portrait_via[0]))
    assert np.min(np.hypot(*(sim.path(2).points - via).T)) < 1e-6
    assert sim.speed_px == pytest.approx(d.speed * 1920)


def test_curved_link_is_a_bezier_and_straight_link_a_segment() -> None:
    sim = FlowSim(make_diagram(), SIZE)
    straight, curved = sim.path(0), sim.path(1)
    assert len(straight.points) == 2
    chord = np.hypot(*(curved.points[-1] - curved.points[0]))
    assert curved.length > chord * 1.01
    a, b = np.array([0.0, 0.0]), np.array([100.0, 0.0])
    pts = quadratic_bezier(a, b, 0.5)
    assert pts[len(pts) // 2][1] == pytest.approx(12.5, abs=0.5)  # bends by curvature/4 of the chord at its middle


def test_arc_path_places_points_by_distance() -> None:
    path = ArcPath(np.array([[0.0, 0.0], [100.0, 0.0], [100.0, 50.0]]))
    assert path.length == 150.0
    assert np.allclose(path.at([0, 50, 100, 125, 150]), [[0, 0], [50, 0], [100, 0], [100, 25], [100, 50]])


def test_prewarm_fills_the_diagram_before_the_first_frame() -> None:
    d = make_diagram()
    sim = FlowSim(d, SIZE)
    cold = FlowSim(d, SIZE, prewarm=False)
    expected = sim.rate_ps[:2] * sim.paths.lengths[:2] / sim.speed_px
    counts = np.bincount(sim.channels, minlength=sim.n_channels)[:2]
    assert np.allclose(counts, expected, rtol=0.05, atol=2)
    assert cold.count == 0


def test_particle_count_has_a_hard_cap() -> None:
    d = make_diagram(dot_value_gt=0.0005)  # would be ~200,000 particles
    sim = FlowSim(d, SIZE, max_particles=5000)
    run(sim, 0.5)
    assert sim.count == 5000
    assert sim.capacity == 5000  # arrays grew by doubling, then stopped at the cap
    assert sim.dropped > 0
    assert np.isfinite(sim.positions).all()


def test_small_diagrams_keep_small_arrays() -> None:
    sim = FlowSim(make_diagram(dot_value_gt=5.0), SIZE)
    run(sim, 5.0)
    assert 0 < sim.count <= sim.capacity <= 4096


def test_particles_fade_in_and_out_at_the_nodes() -> None:
    sim = FlowSim(make_diagram(), SIZE)
    u = sim.distances / sim.paths.lengths[sim.channels]
    mid = (u > 0.3) & (u < 0.7)
    assert np.all(sim.alphas[mid] == 1.0)
    assert sim.alphas.min() < 0.5


def test_set_rates_changes_the_density_at_once_and_keeps_the_bands() -> None:
    # The bathtub's model sets each year's flows: particles emitted follow the new rates.
    sim = FlowSim(make_diagram(), SIZE, prewarm=False)
    bands = sim.band_halfwidth.copy()
    run(sim, 5.0)
    before = sim.emitted.copy()
    sim.set_rates([10.0, 0.0, 2.0])
    run(sim, 20.0)
    emitted = sim.emitted - before
    assert emitted[0] == pytest.approx(10.0 / 0.5 * 20.0, abs=2)
    assert emitted[1] == 0  # an empty stream emits nothing
    assert emitted[2] == 0  # the storage link is still hidden until its step
    sim.set_rates([10.0, 5.0, 2.0])
    before = sim.emitted.copy()
    run(sim, 10.0)
    assert (sim.emitted - before)[1] == pytest.approx(5.0 / 0.5 * 10.0, abs=2)
    sim.resize(1080, 1920)
    sim.resize(*SIZE)
    assert np.allclose(sim.band_halfwidth, bands)  # widths follow the diagram, not this year's flow
