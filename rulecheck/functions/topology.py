"""Topology: which rooms a door connects (space boundaries), what a space contains."""

from __future__ import annotations

from typing import Any

import numpy as np

from rulecheck.errors import NotApplicable
from rulecheck.functions.registry import Bool, Element, Elements, Env, String, atomic
from rulecheck.functions.selection import BEDROOM, HABITABLE, _matches


def _boundaries(env: Env, element: Any) -> list[Any]:
    return [r for r in env.model.by_type("IfcRelSpaceBoundary")
            if r.RelatedBuildingElement is not None and r.RelatedBuildingElement.id() == element.id()]


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


@atomic("topology", "True when a door opens into a habitable room (bedroom, living room, kitchen).",
        ['where(all_of_class("IfcDoor"), "leads_to_habitable_room")'])
def leads_to_habitable_room(env: Env, x: Element) -> Bool:
    spaces = spaces_of(env, x)
    if not spaces:
        raise NotApplicable(f"door {x.GlobalId} bounds no space (no space boundaries, no overlap)")
    return any(_matches(s, HABITABLE) for s in spaces)


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
    for rel in env.model.by_type("IfcRelSpaceBoundary"):
        el = rel.RelatedBuildingElement
        if rel.RelatingSpace is not None and rel.RelatingSpace.id() == space.id() and el is not None \
                and el.is_a(ifc_class):
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


@atomic("topology", "Storeys at or above ground level (elevation >= 0) that hold a space.",
        ["count(storeys_above_ground())", "at_most(count(storeys_above_ground()), 2)"])
def storeys_above_ground(env: Env) -> Elements:
    from rulecheck.functions.selection import _storey

    used = {s.id() for sp in env.model.by_type("IfcSpace") if (s := _storey(sp)) is not None}
    return tuple(s for s in env.model.by_type("IfcBuildingStorey")
                 if s.id() in used and (s.Elevation or 0) * env.model.length_scale >= -0.01)
