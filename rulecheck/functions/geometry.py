"""Values derived from the tessellated body geometry (through the model's geometry cache)."""

from __future__ import annotations

import numpy as np

from rulecheck.functions.registry import Area, Element, Env, Length, String, Volume, atomic
from rulecheck.ifc import Measure, floor_area, plan_extents


@atomic("geometry", "Overall vertical extent (height) of the element's geometry, in metres.",
        ["element_height(x)"])
def element_height(env: Env, x: Element) -> Length:
    return Measure(float(env.model.shape(x).extent[2]), "m", "from geometry")


@atomic("geometry", "Narrowest horizontal dimension (width) of the element's footprint, in metres.",
        ["plan_width(x)"])
def plan_width(env: Env, x: Element) -> Length:
    return Measure(plan_extents(env.model.shape(x))[0], "m", "from geometry")


@atomic("geometry", "Longest horizontal dimension (length, depth) of the element's footprint, in metres.",
        ["plan_length(x)"])
def plan_length(env: Env, x: Element) -> Length:
    return Measure(plan_extents(env.model.shape(x))[1], "m", "from geometry")


@atomic("geometry", "Floor (footprint) area of the element's geometry in square metres.",
        ["footprint_area(x)"])
def footprint_area(env: Env, x: Element) -> Area:
    return Measure(floor_area(env.model.shape(x)), "m2", "from geometry")


@atomic("geometry", "Volume enclosed by the element's geometry in cubic metres.",
        ["geometric_volume(x)"])
def geometric_volume(env: Env, x: Element) -> Volume:
    s = env.model.shape(x)
    tri = s.verts[s.faces]
    vol = np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6.0
    return Measure(abs(float(vol)), "m3", "from geometry")


@atomic("geometry", "Height of the element's lowest point above the project origin (elevation), metres.",
        ["bottom_elevation(x)"])
def bottom_elevation(env: Env, x: Element) -> Length:
    return Measure(float(env.model.shape(x).verts[:, 2].min()), "m", "from geometry")


@atomic("geometry", "Height of the element's highest point above the project origin, metres.",
        ["top_elevation(x)"])
def top_elevation(env: Env, x: Element) -> Length:
    return Measure(float(env.model.shape(x).verts[:, 2].max()), "m", "from geometry")


@atomic("geometry", "Height of the element's bottom above the floor of its storey (mounting height).",
        ["height_above_floor(x)", "between(height_above_floor(x), 450 mm, 1200 mm)"])
def height_above_floor(env: Env, x: Element) -> Length:
    from rulecheck.functions.property import storey_elevation

    base = storey_elevation(env, x).value
    return Measure(float(env.model.shape(x).verts[:, 2].min()) - base, "m", "from geometry")


@atomic("geometry",
        "Shortest distance (bounding boxes) from the element to the nearest element of a class, metres.",
        ['distance_to_nearest(x, "IfcStairFlight")'])
def distance_to_nearest(env: Env, x: Element, ifc_class: String) -> Length:
    from rulecheck.errors import NotApplicable

    a = env.model.shape(x).verts
    lo, hi = a.min(0), a.max(0)
    best = None
    for other in env.model.by_type(ifc_class):
        if other.id() == x.id():
            continue
        try:
            b = env.model.shape(other).verts
        except NotApplicable:
            continue
        gap = np.maximum(0.0, np.maximum(b.min(0) - hi, lo - b.max(0)))
        d = float(np.linalg.norm(gap))
        best = d if best is None else min(best, d)
    if best is None:
        raise NotApplicable(f"no {ifc_class} with geometry in the model")
    return Measure(best, "m", "from geometry")
