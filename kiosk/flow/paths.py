"""Where nodes sit on a screen of a given size, and the arc-length paths particles follow.

No Qt here. Positions in the content are fractions of the diagram (0..1); here they become
pixels for one concrete size, so that particles move at an even speed in pixels whatever the
aspect. Portrait screens (height > width) use `portrait_at` / `portrait_via` when given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kiosk.content.model import FlowDiagram, FlowLink, FlowNode, Point

BEZIER_SAMPLES = 48


def is_portrait(width: float, height: float) -> bool:
    return height > width


@dataclass(frozen=True)
class Frame:
    """Maps diagram fractions to pixels inside a margin, so nodes at 0 or 1 stay on screen."""

    width: float
    height: float
    margin_x: float
    margin_y: float
    reserve_bottom: float = 0.0  # extra room under the diagram, e.g. for a legend

    @classmethod
    def for_size(
        cls, width: float, height: float, margin: float | None = None, reserve_bottom: float = 0.0
    ) -> Frame:
        if margin is None:
            margin = default_margin(width, height)
        mx = min(margin, width * 0.45)
        my = min(margin, height * 0.45)
        rb = min(max(0.0, reserve_bottom), max(0.0, height - 2 * my) * 0.5)
        return cls(float(width), float(height), float(mx), float(my), float(rb))

    @property
    def portrait(self) -> bool:
        return is_portrait(self.width, self.height)

    def to_px(self, p: Point) -> tuple[float, float]:
        x = self.margin_x + p.x * (self.width - 2 * self.margin_x)
        y = self.margin_y + p.y * (self.height - 2 * self.margin_y - self.reserve_bottom)
        return x, y

    def node_at(self, node: FlowNode) -> tuple[float, float]:
        p = node.portrait_at if (self.portrait and node.portrait_at is not None) else node.at
        return self.to_px(p)

    def link_via(self, via: list[Point], portrait_via: list[Point] | None) -> list[tuple[float, float]]:
        pts = portrait_via if (self.portrait and portrait_via is not None) else via
        return [self.to_px(p) for p in pts]


def default_margin(width: float, height: float) -> float:
    """Room around the diagram for node discs and their labels."""
    return 0.09 * min(width, height)


def node_positions(diagram: FlowDiagram, frame: Frame) -> dict[str, tuple[float, float]]:
    return {n.id: frame.node_at(n) for n in diagram.nodes}


def quadratic_bezier(a: np.ndarray, b: np.ndarray, curvature: float, samples: int = BEZIER_SAMPLES) -> np.ndarray:
    """Points of a quadratic bezier from a to b bent sideways by `curvature` (-1..1) of the chord."""
    chord = b - a
    length = float(np.hypot(*chord))
    if length == 0.0 or curvature == 0.0:
        return np.stack([a, b])
    normal = np.array([-chord[1], chord[0]]) / length
    ctrl = (a + b) / 2 + normal * curvature * 0.5 * length
    t = np.linspace(0.0, 1.0, samples)[:, None]
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * ctrl + t**2 * b


class ArcPath:
    """A polyline with its cumulative arc length: position and normal at any distance along it."""

    def __init__(self, points: np.ndarray) -> None:
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        # Drop repeated points: they would make zero-length segments with no direction.
        if len(pts) > 1:
            keep = np.ones(len(pts), dtype=bool)
            keep[1:] = np.hypot(*np.diff(pts, axis=0).T) > 1e-9
            pts = pts[keep]
        if len(pts) == 1:
            pts = np.vstack([pts, pts + [1e-6, 0.0]])
        self.points = pts
        seg = np.diff(pts, axis=0)
        seg_len = np.hypot(seg[:, 0], seg[:, 1])
        self.cum = np.concatenate([[0.0], np.cumsum(seg_len)])
        self.length = float(self.cum[-1])
        # Vertex normals: the mean of the adjacent segments' normals, so sideways offsets bend
        # smoothly round corners.
        seg_dir = seg / np.maximum(seg_len, 1e-12)[:, None]
        seg_n = np.stack([-seg_dir[:, 1], seg_dir[:, 0]], axis=1)
        vn = np.empty_like(pts)
        vn[0] = seg_n[0]
        vn[-1] = seg_n[-1]
        if len(pts) > 2:
            mid = seg_n[:-1] + seg_n[1:]
            mid_len = np.hypot(mid[:, 0], mid[:, 1])
            vn[1:-1] = np.where(mid_len[:, None] > 1e-9, mid / np.maximum(mid_len, 1e-12)[:, None], seg_n[1:])
        self.normals = vn

    def at(self, s: np.ndarray | float) -> np.ndarray:
        """Points at distances `s` along the path (clipped to the ends), shape (..., 2)."""
        s = np.clip(np.asarray(s, dtype=np.float64), 0.0, self.length)
        return np.stack([np.interp(s, self.cum, self.points[:, 0]), np.interp(s, self.cum, self.points[:, 1])], axis=-1)

    def sample(self, start: float, end: float, count: int = 64) -> np.ndarray:
        return self.at(np.linspace(start, end, max(2, count)))

    def distance_to(self, xy: np.ndarray) -> np.ndarray:
        """Distance of each point in `xy` (N, 2) to the polyline (for tests and checks)."""
        xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        a = self.points[:-1][None, :, :]
        b = self.points[1:][None, :, :]
        p = xy[:, None, :]
        ab = b - a
        denom = np.maximum((ab**2).sum(-1), 1e-12)
        t = np.clip(((p - a) * ab).sum(-1) / denom, 0.0, 1.0)
        proj = a + t[..., None] * ab
        return np.sqrt(((p - proj) ** 2).sum(-1)).min(axis=1)


def link_points(
    frame: Frame,
    start: tuple[float, float],
    end: tuple[float, float],
    via: list[Point],
    portrait_via: list[Point] | None,
    curvature: float,
) -> np.ndarray:
    a = np.asarray(start, dtype=np.float64)
    b = np.asarray(end, dtype=np.float64)
    waypoints = frame.link_via(via, portrait_via)
    if waypoints:
        return np.vstack([a, np.asarray(waypoints, dtype=np.float64), b])
    return quadratic_bezier(a, b, curvature)


def build_link_path(frame: Frame, nodes: dict[str, tuple[float, float]], link: FlowLink) -> ArcPath:
    pts = link_points(frame, nodes[link.from_], nodes[link.to], link.via, link.portrait_via, link.curvature)
    return ArcPath(pts)


class PathSet:
    """Many ArcPaths packed end to end, so one `np.interp` places every particle at once.

    Path `i` occupies global arc positions base[i] .. base[i] + length[i]; a gap separates paths
    so interpolation never blends two of them.
    """

    GAP = 10.0

    def __init__(self, paths: list[ArcPath]) -> None:
        self.paths = paths
        n = len(paths)
        self.lengths = np.array([p.length for p in paths], dtype=np.float64) if n else np.zeros(0)
        self.base = np.zeros(n, dtype=np.float64)
        cums, xs, ys, nxs, nys = [], [], [], [], []
        offset = 0.0
        for i, p in enumerate(paths):
            self.base[i] = offset
            cums.append(p.cum + offset)
            xs.append(p.points[:, 0])
            ys.append(p.points[:, 1])
            nxs.append(p.normals[:, 0])
            nys.append(p.normals[:, 1])
            offset += p.length + self.GAP
        if n:
            self.cum = np.concatenate(cums)
            self.x = np.concatenate(xs)
            self.y = np.concatenate(ys)
            self.nx = np.concatenate(nxs)
            self.ny = np.concatenate(nys)
        else:
            self.cum = self.x = self.y = self.nx = self.ny = np.zeros(1)

    def __len__(self) -> int:
        return len(self.paths)

    def place(self, path_idx: np.ndarray, s: np.ndarray, out_xy: np.ndarray, out_n: np.ndarray | None = None) -> None:
        """Write the points at distance `s` along path `path_idx` into out_xy (N, 2)."""
        g = self.base[path_idx] + s
        out_xy[:, 0] = np.interp(g, self.cum, self.x)
        out_xy[:, 1] = np.interp(g, self.cum, self.y)
        if out_n is not None:
            out_n[:, 0] = np.interp(g, self.cum, self.nx)
            out_n[:, 1] = np.interp(g, self.cum, self.ny)
