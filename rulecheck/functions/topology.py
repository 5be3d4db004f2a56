"""Topology: which rooms a door connects (space boundaries), what a space contains."""

from __future__ import annotations

from typing import Any

import numpy as np

from rulecheck.errors import NotApplicable
from rulecheck.functions.registry import Bool, Element, Elements, Env, String, atomic
from rulecheck.functions.selection import BEDROOM, _matches


def _boundaries(env: Env, element: Any) -> list[Any]:
    return env.model.space_boundaries(element)


def _bbox(env: Env, el: Any, pad: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    v = env.model.shape(el).verts
    return v.min(0) - pad, v.max(0) + pad


@atomic("topology",
        "The rooms (spaces) a door or window opens into, from space boundaries, else from geometry.",
        ["spaces_of(x)", "count(spaces_of(x))"])
def spaces_of(env: Env, x: Element) -> Elements:
    seen: dict[int, Any] = {}
    for rel in _boundaries(env, x):
        if rel.RelatingSpace is not None and rel.RelatingSpace.is_a("IfcSpace"):
            seen[rel.RelatingSpace.id()] = rel.RelatingSpace
    if seen:
        return tuple(seen.values())
    lo, hi = _bbox(env, x, pad=0.05)
    out = []
    for space in env.model.by_type("IfcSpace"):
        try:
            slo, shi = _bbox(env, space)
        except NotApplicable:
            continue
        if np.all(slo <= hi) and np.all(lo <= shi):
            out.append(space)
    return tuple(out)


@atomic("topology", "True when a door opens into a room whose name matches a pattern.",
        ['connects_to(x, "bathroom")'])
def connects_to(env: Env, x: Element, pattern: String) -> Bool:
    return any(_matches(s, pattern) for s in spaces_of(env, x))


@atomic("topology", "True when a door opens into a habitable room (bedroom, living room, kitchen, office, any named room "
        "that is not a bathroom, corridor, storage or plant room).",
        ['where(all_of_class("IfcDoor"), "leads_to_habitable_room")'])
def leads_to_habitable_room(env: Env, x: Element) -> Bool:
    from rulecheck.functions.selection import habitable

    spaces = spaces_of(env, x)
    if not spaces:
        raise NotApplicable(f"door {x.GlobalId} bounds no space (no space boundaries, no overlap)")
    kinds = [habitable(env, s) for s in spaces]
    if any(kinds):
        return True
    if None in kinds:
        raise NotApplicable(f"door {x.GlobalId}: a space it opens into has no name or occupancy")
    return False


@atomic("topology", "True when a door opens into a bedroom.", ["leads_to_bedroom(x)"])
def leads_to_bedroom(env: Env, x: Element) -> Bool:
    return any(_matches(s, BEDROOM) for s in spaces_of(env, x))


@atomic("topology", "The doors in the boundary of a room (space).", ["count(doors_of(x))"])
def doors_of(env: Env, x: Element) -> Elements:
    return _bounding(env, x, "IfcDoor")


@atomic("topology", "The windows in the boundary of a room (space).",
        ['sum_of(windows_of(x), "opening_area")'])
def windows_of(env: Env, x: Element) -> Elements:
    return _bounding(env, x, "IfcWindow")


def _bounding(env: Env, space: Any, ifc_class: str) -> tuple[Any, ...]:
    seen: dict[int, Any] = {}
    for rel in env.model.boundaries_of_space(space):
        el = rel.RelatedBuildingElement
        if el is not None and el.is_a(ifc_class):
            seen[el.id()] = el
    return tuple(seen.values())


@atomic("topology",
        "Elements of a class contained in (inside) a room or storey, by containment or geometry.",
        ['count(contained(x, "IfcFurniture"))'])
def contained(env: Env, x: Element, ifc_class: String) -> Elements:
    import ifcopenshell.util.element as ue

    direct = [e for e in ue.get_contained(x) if e.is_a(ifc_class)] if hasattr(ue, "get_contained") else []
    if direct or x.is_a("IfcBuildingStorey"):
        return tuple(direct)
    lo, hi = _bbox(env, x)
    out = []
    for el in env.model.by_type(ifc_class):
        try:
            v = env.model.shape(el).verts.mean(0)
        except NotApplicable:
            continue
        if np.all(lo <= v) and np.all(v <= hi):
            out.append(el)
    return tuple(out)


@atomic("topology", "True when the element is in a storey at or above ground level (elevation >= 0).",
        ["is_above_ground(x)"])
def is_above_ground(env: Env, x: Element) -> Bool:
    from rulecheck.functions.property import storey_elevation

    return storey_elevation(env, x).value >= -0.01


@atomic("topology", "Storeys at or above ground level (elevation >= 0) that hold a room (not only a roof or void).",
        ["count(storeys_above_ground())", "at_most(count(storeys_above_ground()), 2)"])
def storeys_above_ground(env: Env) -> Elements:
    from rulecheck.functions.selection import NOT_FLOOR, _storey

    def build() -> Elements:
        used = {s.id() for sp in env.model.by_type("IfcSpace")
                if (s := _storey(sp)) is not None and not _matches(sp, NOT_FLOOR)}
        return tuple(s for s in env.model.by_type("IfcBuildingStorey")
                     if s.id() in used and (s.Elevation or 0) * env.model.length_scale >= -0.01)

    return env.model.memo(("storeys_above_ground",), build)  # asked once per door by R14: one pass per model
