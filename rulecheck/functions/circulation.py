"""Circulation: railing and handrail height above the pitch line or floor, headroom, ramp slope,
corridor clear width, landing depth, and where an element is (storey, space).

Heights are measured the way codes define them: a handrail or guard from the pitch line of the
flight it runs along (the line through the nosings), or from the floor or landing under it; a
headroom from the pitch line to the lowest thing above; a corridor width between its walls at
the narrowest point of its spine. Each value says how it was measured in the `Measure` note.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rulecheck.errors import NotApplicable
from rulecheck.functions.registry import Element, Elements, Env, Length, Number, atomic
from rulecheck.ifc import Measure, Shape
from rulecheck.spatial import (
    Line,
    clear_width,
    footprint_triangles,
    inside,
    lowest_above,
    pitch_line,
    plan_axis,
    top_envelope,
)

#: Classes whose upper faces people walk on (floors, landings, flights, ramps).
WALKING = ("IfcSlab", "IfcStairFlight", "IfcStair", "IfcRampFlight", "IfcRamp", "IfcCovering")
#: Classes that can limit headroom from above.
OVERHEAD = ("IfcSlab", "IfcBeam", "IfcRoof", "IfcCovering", "IfcStairFlight", "IfcStair", "IfcMember", "IfcDuctSegment")
CORRIDOR = r"corridor|hall(?!.*room)|hallway|passage|gallery|landing|lobby|circulation|flur|gang|diele|galerie|korridor"


def _bbox(env: Env, el: Any) -> tuple[np.ndarray, np.ndarray] | None:
    def build() -> tuple[np.ndarray, np.ndarray] | None:
        try:
            v = env.model.shape(el).verts
        except NotApplicable:
            return None
        return v.min(0), v.max(0)

    return env.model.memo(("bbox", el.id()), build)


def _near(env: Env, x: Any, classes: tuple[str, ...], pad: float) -> list[Any]:
    """Elements of ``classes`` whose bounding boxes come within ``pad`` (plan) of ``x``'s."""
    box = _bbox(env, x)
    if box is None:
        return []
    lo, hi = box
    out = []
    seen: set[int] = set()
    for cls in classes:
        try:
            of_class = env.model.by_type(cls)
        except NotApplicable:  # a class the model's schema does not have
            continue
        for el in of_class:
            if el.id() == x.id() or el.id() in seen:
                continue
            seen.add(el.id())
            b = _bbox(env, el)
            if b is not None and np.all(b[0][:2] <= hi[:2] + pad) and np.all(lo[:2] - pad <= b[1][:2]):
                out.append(el)
    return out


def _flight_line(env: Env, flight: Any) -> tuple[np.ndarray, Line] | None:
    """Plan axis and pitch line of a straight flight or ramp; None for spiral or tapered stairs."""
    from rulecheck.functions.selection import is_tapered

    def build() -> tuple[np.ndarray, Line] | None:
        if is_tapered(env, flight):
            return None
        try:
            return pitch_line(env.model.shape(flight))
        except (NotApplicable, ValueError):
            return None

    return env.model.memo(("pitch", flight.id()), build)


def _run(env: Env, x: Any, why: str) -> tuple[np.ndarray, Line, Shape, np.ndarray]:
    """A flight's plan axis (up the stair), pitch line, shape and the plan direction across it."""
    line = _flight_line(env, x)
    if line is None:
        raise NotApplicable(f"{x.is_a()} {x.GlobalId}: no stepped or sloped profile, {why}")
    axis, pitch = line
    return axis, pitch, env.model.shape(x), np.array([-axis[1], axis[0]])


def _floors_below(env: Env, x: Any, xy: np.ndarray, z: np.ndarray) -> np.ndarray:
    """For each plan point, the highest walking surface (slab, covering, space floor) at or below
    ``z`` (-inf where none): straight under the point, else up to 0.15 m to either side (a guard
    standing on the edge of a floor opening)."""
    shapes = []
    for el in _near(env, x, ("IfcSlab", "IfcCovering", "IfcSpace"), 0.3):
        try:
            shape = env.model.shape(el)
        except NotApplicable:
            continue
        tri = shape.verts[shape.faces]
        nz = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])[:, 2]
        walk = nz < 0 if el.is_a("IfcSpace") else nz > 0  # a space's floor faces down, a slab's top faces up
        shapes.append(Shape(shape.verts * np.array([1, 1, -1]), shape.faces[walk]))
    best = np.full(len(xy), -np.inf)
    for offsets in (((0, 0),), ((0.15, 0), (-0.15, 0), (0, 0.15), (0, -0.15))):
        todo = ~np.isfinite(best)
        if not todo.any():
            break
        for flipped in shapes:
            for dx, dy in offsets:
                top = -lowest_above(flipped, xy[todo] + np.array([dx, dy]), -(z[todo] + 0.05))
                best[todo] = np.maximum(best[todo], np.where(np.isfinite(top), top, -np.inf))
    return best


def _storey_floor(env: Env, x: Any) -> float | None:
    from rulecheck.functions.selection import _storey

    s = _storey(x)
    if s is None or s.Elevation is None:
        return None
    return float(s.Elevation) * env.model.length_scale


@atomic("domain",
        "Height of a handrail, guard, barrier or railing: its top above the pitch line of the flight it "
        "runs along, or above the floor or landing under it, in metres (lowest point along its length).",
        ["at_least(railing_height(x), 900 mm)", "between(railing_height(x), 34 in, 38 in)"])
def railing_height(env: Env, x: Element) -> Length:
    shape = env.model.shape(x)
    axis = plan_axis(shape.verts)
    t, top, xy = top_envelope(shape, axis, step=0.1)
    _, bottom, _ = top_envelope(shape, axis, step=0.1, lowest=True)
    if len(bottom) != len(top):
        bottom = np.full(len(top), float(shape.verts[:, 2].min()))
    ref = _floors_below(env, x, xy, bottom)
    kind = np.where(np.isfinite(ref), 0, -1)
    names = {0: "the floor or landing under it"}
    for f in _near(env, x, ("IfcStairFlight", "IfcStair", "IfcRampFlight"), 0.6):
        line = _flight_line(env, f)
        if line is None:
            continue
        faxis, pitch = line
        tf = xy @ faxis
        over = (tf >= pitch.t_lo) & (tf <= pitch.t_hi)
        zp = np.where(over, pitch.at(tf), -np.inf)
        # over a flight the pitch line is the reference, unless a floor is clearly higher (a guard on
        # the edge of the floor above); a floor a few cm above the last nosing is the same level
        better = over & (zp <= bottom + 0.05) & (zp > ref - 0.1)
        ref = np.where(better, zp, ref)
        names[len(names)] = f"the pitch line of {f.is_a()} {f.GlobalId}"
        kind = np.where(better, len(names) - 1, kind)
    if not np.isfinite(ref).any():
        level = _storey_floor(env, x)
        if level is None or float(bottom.min()) - level > 1.5:
            raise NotApplicable(f"railing {x.GlobalId}: no flight along it and no floor found under it")
        ref = np.full(len(top), level)
        kind[:] = 0
        names[0] = "its storey's elevation"
    h = top - ref
    ok = np.isfinite(h) & (h > 0.05)  # a post foot or return below the reference is not the top
    if not ok.any():
        raise NotApplicable(f"railing {x.GlobalId}: its top is not above the flight or floor next to it")
    i = int(np.argmin(np.where(ok, h, np.inf)))
    used = sorted({names[int(k)] for k in kind[ok]})
    return Measure(float(h[i]), "m", f"top above {' and '.join(used)}; lowest {h[ok].min():.3f} m at "
                   f"({xy[i][0]:.2f}, {xy[i][1]:.2f}), highest {h[ok].max():.3f} m over {ok.sum()} points")


@atomic("domain",
        "Headroom: clear height above a stair flight or ramp (from the pitch line to the lowest thing "
        "above), or the clear height of a door opening, or the floor-to-ceiling height of a room, metres.",
        ["at_least(headroom(x), 2000 mm)", "at_least(headroom(x), 80 in)"])
def headroom(env: Env, x: Element) -> Length:
    if x.is_a("IfcDoor"):
        return _door_clear_height(env, x)
    if x.is_a("IfcSpace"):
        from rulecheck.functions.domain import space_height

        return space_height(env, x)
    axis, pitch, shape, side = _run(env, x, "to measure headroom over")
    across = shape.verts[:, :2] @ side
    c_lo, c_hi = float(across.min()) + 0.1, float(across.max()) - 0.1
    ts = np.linspace(pitch.t_lo + 0.05, pitch.t_hi - 0.05, 12)
    cs = np.linspace(c_lo, c_hi, 3) if c_hi > c_lo else np.array([(c_lo + c_hi) / 2])
    pts = np.array([axis * t + side * c for t in ts for c in cs])
    base = np.array([pitch.at(t) for t in ts for _ in cs])
    best = np.full(len(pts), np.inf)
    source = ["" for _ in pts]
    for el in _near(env, x, OVERHEAD, 0.0):
        b = _bbox(env, el)
        if b is None or b[1][2] < float(base.min()) + 0.3:
            continue
        try:
            z = lowest_above(env.model.shape(el), pts, base + 0.3)
        except NotApplicable:
            continue
        for k in np.nonzero(z < best)[0]:
            best[k], source[k] = z[k], f"{el.is_a()} {getattr(el, 'Name', '') or el.GlobalId}"
    clear = best - base
    if not np.isfinite(clear).any():
        raise NotApplicable(f"{x.is_a()} {x.GlobalId}: nothing is modelled above it (no slab, beam or roof)")
    i = int(np.nanargmin(np.where(np.isfinite(clear), clear, np.nan)))
    return Measure(float(clear[i]), "m", f"from the pitch line to {source[i]} ({np.isfinite(clear).sum()} of "
                   f"{len(clear)} points have something above)")


def _door_clear_height(env: Env, x: Any) -> Measure:
    import ifcopenshell.util.element as ue

    from rulecheck.functions.domain import door_height

    h = door_height(env, x)
    etype = ue.get_type(x)
    head = threshold = 0.0
    for pset in (etype.HasPropertySets or []) if etype is not None else []:
        if pset.is_a("IfcDoorLiningProperties"):
            head = float(getattr(pset, "TransomThickness", None) or pset.LiningThickness or 0.0)
            threshold = float(pset.ThresholdThickness or 0.0)
    head *= env.model.length_scale
    threshold *= env.model.length_scale
    return Measure(h.value - head - threshold, "m",
                   f"{h} overall - {head:.3f} m head lining - {threshold:.3f} m threshold" + (f"; {h.note}" if h.note else ""))


@atomic("domain",
        "Slope (gradient, steepness) of a ramp or sloped floor as rise over run (1:12 = 0.083), from the "
        "ramp flight's Slope property, else from its walking surface.",
        ["at_most(ramp_slope(x), 1:12)", "at_most(ramp_slope(x), 5 %)"])
def ramp_slope(env: Env, x: Element) -> Number:
    for pset in ("Pset_RampFlightCommon", "Pset_RampCommon"):
        v = env.model.psets(x).get(pset, {}).get("Slope")
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0:
            import ifcopenshell.util.unit as uu

            deg = float(v) * float(uu.calculate_unit_scale(env.model.file, "PLANEANGLEUNIT")) * 180 / math.pi
            if deg > 45:  # a slope written as a percentage or ratio, not an angle
                raise NotApplicable(f"{pset}.Slope = {v} is not a plausible angle")
            return Measure(math.tan(math.radians(deg)), "", f"{pset}.Slope = {deg:.2f} deg")
    shape = env.model.shape(x)
    tri = shape.verts[shape.faces]
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    area = np.linalg.norm(n, axis=1)
    up = (n[:, 2] > 0) & (area > 0)
    up &= n[:, 2] >= 0.7 * np.where(area > 0, area, 1)  # walking faces: less than 45 degrees
    if not up.any():
        raise NotApplicable(f"{x.is_a()} {x.GlobalId} has no upward-facing surface")
    top_z = tri[up][:, :, 2].mean(1)
    keep = up.copy()
    keep[up] = top_z >= np.percentile(top_z, 25)  # the walking surface, not the underside of a sloped soffit
    nn = n[keep] / area[keep, None]
    slopes = np.hypot(nn[:, 0], nn[:, 1]) / nn[:, 2]
    weights = area[keep]
    s = float(np.average(slopes, weights=weights))
    return Measure(s, "", f"area-weighted slope of {keep.sum()} upward faces (1:{1 / s:.1f})" if s > 0 else "level")


@atomic("selection", "Ramps: each IfcRampFlight, and each IfcRamp modelled without flights.",
        ["ramps()", "at_most(ramp_slope(x), 1:12)"])
def ramps(env: Env) -> Elements:
    import ifcopenshell.util.element as ue

    flights = list(env.model.by_type("IfcRampFlight"))
    for ramp in env.model.by_type("IfcRamp"):
        if not any(p.is_a("IfcRampFlight") for p in ue.get_decomposition(ramp)):
            flights.append(ramp)
    return tuple(flights)


@atomic("selection",
        "Corridors, hallways, passages and galleries: circulation spaces by name (English and German).",
        ["corridors()", "at_least(corridor_clear_width(x), 900 mm)"])
def corridors(env: Env) -> Elements:
    from rulecheck.functions.selection import _matches

    return tuple(s for s in env.model.by_type("IfcSpace") if _matches(s, CORRIDOR))


@atomic("domain",
        "Clear width of a corridor, hallway or passage between its walls at its narrowest point, metres "
        "(from the space's floor outline).",
        ["at_least(corridor_clear_width(x), 1200 mm)", "at_least(corridor_clear_width(x), 44 in)"])
def corridor_clear_width(env: Env, x: Element) -> Length:
    tris = env.model.memo(("footprint", x.id()), lambda: footprint_triangles(env.model.shape(x)))
    try:
        w = clear_width(tris)
    except ValueError as exc:
        raise NotApplicable(f"{x.is_a()} {x.GlobalId}: no floor outline ({exc})") from exc
    return Measure(w, "m", "narrowest width along the spine of the floor outline (2 cm raster)")


@atomic("domain",
        "Depth of the landings at the top and bottom of a stair flight or ramp, measured in the direction "
        "of travel (the shorter of the two), metres: a landing slab if modelled, else the floor space in "
        "front of the flight.",
        ["at_least(landing_depth(x), flight_width(x))", "at_least(landing_depth(x), 60 in)"])
def landing_depth(env: Env, x: Element) -> Length:
    axis, pitch, shape, side = _run(env, x, "so no direction of travel")
    centre = float(np.median(shape.verts[:, :2] @ side))
    t_all = shape.verts[:, :2] @ axis
    ends = {"bottom": (float(t_all.min()), -1.0, float(shape.verts[:, 2].min())),
            "top": (float(t_all.max()), 1.0, float(pitch.at(pitch.t_hi)))}
    depths: list[tuple[float, str]] = []
    for name, (t_end, direction, z) in ends.items():
        depth = _depth_from(env, x, axis * (t_end + direction * 0.03) + side * centre, axis * direction, z)
        if depth is None:
            raise NotApplicable(f"{x.is_a()} {x.GlobalId}: no landing or floor space found at its {name}")
        depths.append((depth[0] + 0.03, f"{name}: {depth[0] + 0.03:.3f} m in {depth[1]}"))
    d = min(depths)
    return Measure(d[0], "m", "; ".join(s for _, s in depths))


def _depth_from(env: Env, x: Any, start: np.ndarray, direction: np.ndarray, z: float) -> tuple[float, str] | None:
    """How far one can walk from ``start`` along ``direction`` inside a landing or a space at height ``z``."""
    candidates = [el for el in _near(env, x, ("IfcSlab", "IfcSpace"), 1.0)
                  if (b := _bbox(env, el)) is not None and b[0][2] - 0.4 <= z <= b[1][2] + 0.1
                  and (not el.is_a("IfcSlab") or str(getattr(el, "PredefinedType", "")) == "LANDING")]
    steps = np.arange(0.0, 10.0, 0.02)
    pts = start[None, :] + steps[:, None] * direction[None, :]
    for el in sorted(candidates, key=lambda e: 0 if e.is_a("IfcSlab") else 1):
        tris = env.model.memo(("footprint", el.id()), lambda el=el: footprint_triangles(env.model.shape(el)))
        ok = inside(tris, pts)
        if not ok[0]:
            continue
        out = np.nonzero(~ok)[0]
        reach = steps[out[0]] if len(out) else steps[-1]
        return float(reach), f"{el.is_a()} {getattr(el, 'LongName', None) or getattr(el, 'Name', '') or el.GlobalId}"
    return None


def containing_space(env: Env, x: Any) -> Any:
    """The IfcSpace an element stands in: spatial containment, else the space whose floor outline
    holds the element's plan centre at its height; None when no space does."""
    import ifcopenshell.util.element as ue

    container = ue.get_container(x)
    if container is not None and container.is_a("IfcSpace"):
        return container
    if x.is_a("IfcSpace"):
        return x
    box = _bbox(env, x)
    if box is None:
        return None
    centre = (box[0] + box[1]) / 2
    probe_z = box[0][2] + 0.1
    for space in env.model.by_type("IfcSpace"):
        sb = _bbox(env, space)
        if sb is None or not (sb[0][2] - 0.2 <= probe_z <= sb[1][2]):
            continue
        if not (np.all(sb[0][:2] <= centre[:2]) and np.all(centre[:2] <= sb[1][:2])):
            continue
        tris = env.model.memo(("footprint", space.id()), lambda s=space: footprint_triangles(env.model.shape(s)))
        if inside(tris, centre[None, :2])[0]:
            return space
    return None
