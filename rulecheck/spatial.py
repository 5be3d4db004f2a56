"""Plan and section geometry over tessellated shapes: pitch lines, top envelopes, footprints, rays.

Pure functions of `Shape` arrays (world coordinates, metres); no ifcopenshell here. The
catalogue's geometric domain functions (railing height above the pitch line, headroom, corridor
width, landing depth, ramp slope, the space that holds an element) are built from these.

>>> import numpy as np
>>> from rulecheck.ifc import Shape
>>> profile = [[0, 0.0], [0, 0.2], [0.25, 0.2], [0.25, 0.4], [0.5, 0.4], [0.5, 0.6], [0.75, 0.6]]
>>> steps = Shape(np.array([[t, y, z] for t, z in profile for y in (0.0, 1.0)], float), np.zeros((0, 3), int))
>>> axis, line = pitch_line(steps)
>>> [round(float(v), 3) for v in (line.slope, line.at(0.0), line.at(0.5))]
[0.8, 0.2, 0.6]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rulecheck.ifc import Shape


@dataclass(frozen=True)
class Line:
    """``z = z0 + slope * (t - t0)`` over ``t`` in ``[t_lo, t_hi]`` (t along a plan axis)."""

    t0: float
    z0: float
    slope: float
    t_lo: float
    t_hi: float

    def at(self, t: float | np.ndarray) -> float | np.ndarray:
        return self.z0 + self.slope * (np.asarray(t) - self.t0)


def plan_axis(verts: np.ndarray) -> np.ndarray:
    """Unit vector of the longest horizontal direction of a point set (principal axis)."""
    xy = verts[:, :2] - verts[:, :2].mean(0)
    if len(xy) < 2 or not np.any(xy):
        return np.array([1.0, 0.0])
    _, _, vt = np.linalg.svd(xy, full_matrices=False)
    return vt[0] / np.linalg.norm(vt[0])


def ascent_axis(verts: np.ndarray) -> np.ndarray:
    """Unit plan vector from the lowest to the highest part of a flight (the direction of travel
    up it); the principal axis when the two coincide in plan. A short, wide flight (two risers,
    wider than long) has its principal axis across the steps, so that is not used first.
    """
    z = verts[:, 2]
    span = float(np.ptp(z))
    if span > 0:
        low = verts[z <= z.min() + 0.1 * span, :2].mean(0)
        high = verts[z >= z.max() - 0.1 * span, :2].mean(0)
        d = high - low
        if np.linalg.norm(d) > 0.05:
            return d / np.linalg.norm(d)
    return plan_axis(verts)


def _upper_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    pts = sorted(set(points))
    hull: list[tuple[float, float]] = []
    for p in pts:
        while len(hull) >= 2 and (hull[-1][0] - hull[-2][0]) * (p[1] - hull[-2][1]) - \
                (hull[-1][1] - hull[-2][1]) * (p[0] - hull[-2][0]) >= 0:
            hull.pop()
        hull.append(p)
    return hull


def pitch_line(flight: Shape) -> tuple[np.ndarray, Line]:
    """The flight's plan axis (pointing up the stair) and its pitch line (through the nosings).

    The nosings are the upper convex hull of the flight's (t, z) profile; the pitch line is the
    longest hull edge steeper than 10°. Raises ``ValueError`` for a flight with no such edge.
    """
    axis = ascent_axis(flight.verts)
    t = flight.verts[:, :2] @ axis
    z = flight.verts[:, 2]
    if np.corrcoef(t, z)[0, 1] < 0 if np.ptp(t) > 0 and np.ptp(z) > 0 else False:
        axis, t = -axis, -t
    key = np.round(t, 3)
    order = np.lexsort((z, key))
    top: dict[float, float] = {}
    for k, zz in zip(key[order], z[order], strict=True):
        top[float(k)] = float(zz)  # last wins: the highest z at this t
    nosing = _nosing_line(top)
    if nosing is not None:
        return axis, nosing
    hull = _upper_hull(list(top.items()))
    steep = [i for i in range(len(hull) - 1) if hull[i + 1][0] - hull[i][0] > 1e-6 and
             math.degrees(math.atan(abs((hull[i + 1][1] - hull[i][1]) / (hull[i + 1][0] - hull[i][0])))) >= 10]
    if not steep:
        raise ValueError("no stepped profile steeper than 10 degrees")
    runs: list[list[int]] = [[steep[0]]]
    for i in steep[1:]:
        (runs[-1].append(i) if i == runs[-1][-1] + 1 else runs.append([i]))
    run = max(runs, key=lambda r: hull[r[-1] + 1][0] - hull[r[0]][0])
    pts = np.array(hull[run[0]:run[-1] + 2])
    slope, z0 = np.polyfit(pts[:, 0], pts[:, 1], 1)
    z0 += float(np.max(pts[:, 1] - (z0 + slope * pts[:, 0])))  # through the nosings, not below them
    t_lo, t_hi = float(pts[0, 0]), float(pts[-1, 0])
    return axis, Line(t_lo, float(z0 + slope * t_lo), float(slope), t_lo, t_hi)


def _nosing_line(top: dict[float, float]) -> Line | None:
    """The line through the nosings of a stepped (t → highest z) profile, or None when it is not
    stepped (a ramp).

    The slope is the least-squares slope of the profile's middle 70 % (the ends hold a landing or
    a last riser that stops short of the floor above); the line is then raised until it touches
    the highest points, which are the nosings (the front top corners of the treads).
    """
    ts = np.array(sorted(top))
    zs = np.array([top[t] for t in ts])
    if len(ts) < 6 or np.ptp(ts) <= 0:
        return None
    lo, hi = ts.min() + 0.15 * np.ptp(ts), ts.max() - 0.15 * np.ptp(ts)
    mid = (ts >= lo) & (ts <= hi)
    if mid.sum() < 4:
        return None
    slope, _ = np.polyfit(ts[mid], zs[mid], 1)
    if math.degrees(math.atan(abs(slope))) < 10:
        return None
    resid = zs[mid] - slope * ts[mid]
    z0 = float(resid.max())
    if np.ptp(resid) < 0.03:  # a smooth slope, not steps
        return None
    t_lo, t_hi = float(ts.min()), float(ts.max())
    return Line(t_lo, z0 + float(slope) * t_lo, float(slope), t_lo, t_hi)


def tread_levels(shape: Shape, min_area: float = 0.03) -> list[float]:
    """Heights of the treads of a stair: groups of upward faces within 3 cm of each other with at
    least ``min_area`` m2 (a nosing lip or a chamfer is not a tread), lowest first.

    >>> box = lambda z: [[0, 0, z], [1, 0, z], [1, 1, z], [0, 1, z]]
    >>> v = np.array(box(0.18) + box(0.36), float)
    >>> f = np.array([[0, 1, 2], [0, 2, 3], [4, 5, 6], [4, 6, 7]])
    >>> tread_levels(Shape(v, f))
    [0.18, 0.36]
    """
    tri = shape.verts[shape.faces]
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    area = np.linalg.norm(n, axis=1) / 2
    up = n[:, 2] >= 0.99 * 2 * area
    z = tri[up][:, :, 2].mean(1)
    a = area[up]
    order = np.argsort(z)
    levels: list[tuple[float, float]] = []
    for i in order:
        if levels and z[i] - levels[-1][0] <= 0.03:
            levels[-1] = (max(levels[-1][0], float(z[i])), levels[-1][1] + float(a[i]))
        else:
            levels.append((float(z[i]), float(a[i])))
    return [round(lv, 6) for lv, total in levels if total >= min_area]


def top_envelope(shape: Shape, axis: np.ndarray, step: float = 0.05,
                 lowest: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(t, z, xy)``: the highest (``lowest``: the lowest) point of the shape in each ``step``
    slice along ``axis``.

    Triangle edges are sampled every ``step`` so a long rail with vertices only at its ends
    still has a top at every slice.
    """
    tri = shape.verts[shape.faces] if len(shape.faces) else shape.verts[:, None, :]
    pts = [shape.verts]
    for a, b in ((0, 1), (1, 2), (2, 0)):
        if tri.shape[1] < 3:
            break
        p, q = tri[:, a], tri[:, b]
        n = np.maximum(1, np.ceil(np.linalg.norm((q - p)[:, :2], axis=1) / step)).astype(int)
        long = n > 1
        for k in range(1, int(n.max()) if long.any() else 1):
            sel = long & (n > k)
            f = (k / n[sel])[:, None]
            pts.append(p[sel] + f * (q[sel] - p[sel]))
    allp = np.vstack(pts)
    t = allp[:, :2] @ axis
    bins = np.floor((t - t.min()) / step).astype(int)
    order = np.lexsort((-allp[:, 2] if lowest else allp[:, 2], bins))
    last = np.r_[bins[order][1:] != bins[order][:-1], True]
    picked = allp[order][last]
    return picked[:, :2] @ axis, picked[:, 2], picked[:, :2]


def footprint_triangles(shape: Shape) -> np.ndarray:
    """``(n, 3, 2)`` plan triangles of the shape's downward-facing faces (its floor outline)."""
    tri = shape.verts[shape.faces]
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    length = np.linalg.norm(normals, axis=1)
    down = (normals[:, 2] < 0) & (np.abs(normals[:, 2]) > 0.9 * np.where(length > 0, length, 1))
    return tri[down][:, :, :2]


def inside(triangles: np.ndarray, points: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Which plan points lie in any of the plan triangles (boolean per point)."""
    if len(triangles) == 0 or len(points) == 0:
        return np.zeros(len(points), dtype=bool)
    a, b, c = triangles[:, 0][None], triangles[:, 1][None], triangles[:, 2][None]
    p = points[:, None, :]

    def cross(o: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        return (u[..., 0] - o[..., 0]) * (v[..., 1] - o[..., 1]) - (u[..., 1] - o[..., 1]) * (v[..., 0] - o[..., 0])

    d1, d2, d3 = cross(a, b, p), cross(b, c, p), cross(c, a, p)
    neg = (d1 < -tol) | (d2 < -tol) | (d3 < -tol)
    pos = (d1 > tol) | (d2 > tol) | (d3 > tol)
    return np.any(~(neg & pos), axis=1)


def lowest_above(shape: Shape, points: np.ndarray, z_from: np.ndarray) -> np.ndarray:
    """For each plan point, the lowest z of the shape's faces above ``z_from`` (inf where none).

    A vertical ray cast upwards through every triangle.
    """
    tri = shape.verts[shape.faces]
    out = np.full(len(points), np.inf)
    if len(tri) == 0:
        return out
    a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
    v0, v1 = (b - a)[:, :2], (c - a)[:, :2]
    den = v0[:, 0] * v1[:, 1] - v1[:, 0] * v0[:, 1]
    ok = np.abs(den) > 1e-12
    a, b, c, v0, v1, den = a[ok], b[ok], c[ok], v0[ok], v1[ok], den[ok]
    for i in range(0, len(points), 256):
        p = points[i:i + 256][:, None, :] - a[None, :, :2]
        u = (p[..., 0] * v1[None, :, 1] - v1[None, :, 0] * p[..., 1]) / den[None]
        v = (v0[None, :, 0] * p[..., 1] - p[..., 0] * v0[None, :, 1]) / den[None]
        hit = (u >= -1e-9) & (v >= -1e-9) & (u + v <= 1 + 1e-9)
        z = a[None, :, 2] + u * (b - a)[None, :, 2] + v * (c - a)[None, :, 2]
        z = np.where(hit & (z > z_from[i:i + 256, None] + 1e-6), z, np.inf)
        out[i:i + 256] = z.min(axis=1)
    return out


def clear_width(triangles: np.ndarray, cell: float = 0.02) -> float:
    """Clear width of a plan footprint: twice the smallest inscribed radius along its spine.

    The footprint is rasterised at ``cell`` metres; the distance to the outline is computed
    for every cell (Euclidean distance transform); the spine is the set of cells whose
    distance is a local maximum across the footprint. Spine cells within one width of a dead
    end (corners, the ends of a corridor) are ignored, so the result is the narrowest passage a
    person walks through, not the corner of a room.
    """
    from scipy import ndimage

    if len(triangles) == 0:
        raise ValueError("empty footprint")
    lo = triangles.reshape(-1, 2).min(0) - 2 * cell
    hi = triangles.reshape(-1, 2).max(0) + 2 * cell
    nx, ny = (np.ceil((hi - lo) / cell).astype(int) + 1)
    if nx * ny > 4_000_000:
        cell = float(np.sqrt((hi - lo).prod() / 4_000_000))
        nx, ny = (np.ceil((hi - lo) / cell).astype(int) + 1)
    gx, gy = np.meshgrid(lo[0] + cell * (np.arange(nx) + 0.5), lo[1] + cell * (np.arange(ny) + 0.5), indexing="ij")
    pts = np.c_[gx.ravel(), gy.ravel()]
    mask = np.zeros(len(pts), dtype=bool)
    for i in range(0, len(pts), 20000):
        mask[i:i + 20000] = inside(triangles, pts[i:i + 20000])
    grid = mask.reshape(nx, ny)
    if not grid.any():
        raise ValueError("footprint covers no cell")
    dist = ndimage.distance_transform_edt(grid) * cell
    ridge = grid & (dist >= ndimage.maximum_filter(dist, size=3) - 1e-9)
    widest = float(dist.max())
    spine = ridge & (dist >= 0.5 * widest)
    values = dist[spine] if spine.any() else dist[grid]
    return float(2 * values.min())
