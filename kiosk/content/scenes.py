"""Scenes a flow diagram can stand in: where the sky ends, where the sea begins, where rock starts.

No Qt here: the layout is shared by the painter (kiosk.ui.widgets.scene draws it) and by the
node placement below (a `cross_section` puts air in the sky, machines at the surface and stores
in the rock), so the picture and the particles always agree. Fractions are of the diagram's
drawing area (the same fractions as a node's `at:`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SceneName = Literal["land_and_sea", "land", "cross_section", "ocean_cross_section"]


@dataclass(frozen=True)
class SceneLayout:
    surface: float  # where the ground (and the sea's surface) is, as a fraction of the height
    rock: float  # where deep rock begins
    sea: tuple[float, float] | None = None  # x range of the sea, fractions of the width
    # When set, the scene places the nodes: y by kind (x stays as written), so that a diagram
    # written as a row (air -> machine -> rock) reads as a cross-section of the ground.
    place_by_kind: dict[str, float] = field(default_factory=dict)


_DEPTHS = {"air": 0.13, "source": 0.55, "sink": 0.55, "technology": 0.55, "store": 0.93}

SCENES: dict[str, SceneLayout] = {
    # Sources and sinks: fields and towns on the left, the ocean on the right, rock below.
    "land_and_sea": SceneLayout(surface=0.62, rock=0.82, sea=(0.80, 1.0)),
    # Storage: a forest on the land, rock deep below.
    "land": SceneLayout(surface=0.62, rock=0.82),
    # A method: air above, the machine or the plants at the surface, the store in deep rock.
    "cross_section": SceneLayout(surface=0.55, rock=0.78, place_by_kind=_DEPTHS),
    "ocean_cross_section": SceneLayout(surface=0.55, rock=0.86, sea=(0.0, 1.0), place_by_kind={**_DEPTHS, "store": 0.76}),
}


def placed(diagram):
    """`diagram` with its nodes where its scene puts them (unchanged without such a scene).

    In portrait, nodes that land on the same depth and stood in one column are spread across
    the width, in the order they had from top to bottom, so they do not sit on each other.
    """
    scene = SCENES.get(diagram.scene) if diagram.scene else None
    if scene is None or not scene.place_by_kind:
        return diagram
    nodes = list(diagram.nodes)
    new_at = {n.id: (n.at.x, scene.place_by_kind.get(n.kind, n.at.y)) for n in nodes}
    new_portrait: dict[str, tuple[float, float]] = {}
    by_depth: dict[float, list] = {}
    for n in nodes:
        p = n.portrait_at or n.at
        depth = scene.place_by_kind.get(n.kind, p.y)
        by_depth.setdefault(depth, []).append((p.y, p.x, n.id))
        new_portrait[n.id] = (p.x, depth)
    for depth, group in by_depth.items():
        xs = [x for _, x, _ in group]
        if len(group) > 1 and max(xs) - min(xs) < 0.3:
            for i, (_, _, node_id) in enumerate(sorted(group)):
                new_portrait[node_id] = (0.2 + 0.6 * i / (len(group) - 1), depth)
    moved = [
        n.model_copy(update={"at": type(n.at)(new_at[n.id]), "portrait_at": type(n.at)(new_portrait[n.id])})
        for n in nodes
    ]
    return diagram.model_copy(update={"nodes": moved})
