"""Implicit properties building codes talk about: clear width, riser, going, 2R+G, room area.

Each says where its value comes from (attribute, property, quantity or geometry) in the
`Measure` note, and each raises `NotApplicable` rather than guess when the model lacks data.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rulecheck.errors import NotApplicable
from rulecheck.functions.property import attribute, prop
from rulecheck.functions.registry import Area, Element, Env, Length, Number, atomic, measure
from rulecheck.ifc import Measure, floor_area, plan_extents

_FLIGHT_PSETS = ("Pset_StairFlightCommon", "Pset_StairCommon")
_SPACE_QSETS = ("Qto_SpaceBaseQuantities", "BaseQuantities")


def _stair_of(x: Any) -> Any:
    import ifcopenshell.util.element as ue

    return x if x.is_a("IfcStair") else ue.get_aggregate(x)


def _flight_length(env: Env, x: Any, attrs: tuple[str, ...], pname: str, kind: str) -> Measure:
    """A flight dimension from the attribute and/or the property set, cross-checked.

    The property set wins when both exist (exporters write it in the declared unit more often);
    a disagreement of more than 2 mm is noted.
    """
    found: list[Measure] = []
    errors: list[str] = []
    candidates = [x] + ([s] if (s := _stair_of(x)) is not None and s is not x else [])
    for el in candidates:
        for pset in _FLIGHT_PSETS:
            try:
                found.append(env.model.length(prop(env, el, pset, pname), f"{el.is_a()}.{pset}.{pname}", kind))
            except NotApplicable as exc:
                errors.append(str(exc))
        if found:
            break
    for a in attrs:
        if hasattr(x, a) and getattr(x, a) is not None:
            try:
                found.append(env.model.length(getattr(x, a), f"#{x.id()} {x.is_a()}.{a}", kind))
            except NotApplicable as exc:
                errors.append(str(exc))
    if not found and kind == "riser":
        found.append(_riser_from_treads(env, x))
    if not found:
        raise NotApplicable(f"no {kind} on {x.is_a()} {x.GlobalId}: no {pname} attribute or property")
    best = found[0]
    notes = [m.note for m in found if m.note]
    if any(abs(m.value - best.value) > 0.002 for m in found[1:]):
        notes.append("attribute and property disagree: " + ", ".join(str(m) for m in found))
    return Measure(best.value, "m", "; ".join(notes))


def _riser_from_treads(env: Env, x: Any) -> Measure:
    """The riser of a flight without a RiserHeight, from the heights of its treads in its geometry
    (equal risers within 1 cm, or not applicable). Spiral stairs included: a riser does not
    depend on the plan shape, a going does (so goings have no such fallback)."""
    from rulecheck.spatial import tread_levels

    shape = env.model.shape(x)
    bottom = float(shape.verts[:, 2].min())
    levels = tread_levels(shape)
    steps = [b - a for a, b in zip([bottom, *levels], levels, strict=False) if b - a > 0.05]
    value = float(np.median(steps)) if steps else 0.0
    equal = [h for h in steps if abs(h - value) <= 0.01]  # a post top or the landing is not a riser
    if len(equal) < 2 or len(equal) < 0.8 * len(steps):
        raise NotApplicable(f"no riser on {x.is_a()} {x.GlobalId}: no RiserHeight, and its tread geometry does not "
                            "show equal risers")
    value, steps = float(np.mean(equal)), equal
    return Measure(value, "m", f"from the tread geometry: {len(steps)} risers of {value:.3f} m (no RiserHeight)")


@atomic("domain", "Nominal (overall) width of a door or window opening in metres (OverallWidth).",
        ["door_width(x)"])
def door_width(env: Env, x: Element) -> Length:
    kind = "door_width" if x.is_a("IfcDoor") else "window_dimension"
    return env.model.length(attribute(x, "OverallWidth"), f"#{x.id()} {x.is_a()}.OverallWidth", kind)


@atomic("domain", "Overall height of a door (headroom through the doorway) or window opening in metres "
        "(OverallHeight).", ["at_least(door_height(x), 2000 mm)"])
def door_height(env: Env, x: Element) -> Length:
    # a window 0.6 m high is plausible; as a door height it would be read as a unit mistake
    kind = "door_height" if x.is_a("IfcDoor") else "window_dimension"
    return env.model.length(attribute(x, "OverallHeight"), f"#{x.id()} {x.is_a()}.OverallHeight", kind)


@atomic("domain", "Thickness of the door leaf (panel depth), metres.", ["door_leaf_thickness(x)"])
def door_leaf_thickness(env: Env, x: Element) -> Length:
    import ifcopenshell.util.element as ue

    etype = ue.get_type(x)
    for pset in (etype.HasPropertySets or []) if etype is not None else []:
        if pset.is_a("IfcDoorPanelProperties") and pset.PanelDepth:
            return env.model.length(pset.PanelDepth, "IfcDoorPanelProperties.PanelDepth")
    for name, values in env.model.psets(x).items():
        if "Dimension" in name and isinstance(values.get("Thickness"), (int, float)):
            return env.model.length(values["Thickness"], f"{name}.Thickness")
    raise NotApplicable(f"door {x.GlobalId} has no leaf thickness (IfcDoorPanelProperties.PanelDepth)")


def _lining_thickness(x: Any) -> float:
    import ifcopenshell.util.element as ue

    etype = ue.get_type(x)
    for pset in (etype.HasPropertySets or []) if etype is not None else []:
        if pset.is_a("IfcDoorLiningProperties") and pset.LiningThickness:
            return float(pset.LiningThickness)
    return 0.0


@atomic(
    "domain",
    "Effective clear width of a door opening in metres: overall width less the linings on both "
    "sides and the thickness of the leaf standing open at 90 degrees.",
    ["door_clear_width(x)", "at_least(door_clear_width(x), 775 mm)"],
)
def door_clear_width(env: Env, x: Element) -> Length:
    overall = door_width(env, x)
    leaf = door_leaf_thickness(env, x)
    lining = _lining_thickness(x) * env.model.length_scale
    value = overall.value - 2 * lining - leaf.value
    note = f"{overall} overall - 2 x {lining:.3f} m lining - {leaf} leaf"
    return Measure(value, "m", "; ".join(n for n in (note, overall.note) if n))


@atomic("domain", "Rise of each step (riser height) of a stair flight in metres.",
        ["at_most(riser_height(x), 190 mm)"])
def riser_height(env: Env, x: Element) -> Length:
    return _flight_length(env, x, ("RiserHeight",), "RiserHeight", "riser")


@atomic("domain", "Going (tread depth) of each step of a stair flight in metres.",
        ["at_least(going(x), 250 mm)"])
def going(env: Env, x: Element) -> Length:
    return _flight_length(env, x, ("TreadLength",), "TreadLength", "going")


@atomic("domain", "Number of risers (steps) in a stair flight.", ["number_of_risers(x)"])
def number_of_risers(env: Env, x: Element) -> Number:
    for a in ("NumberOfRiser", "NumberOfRisers"):
        if isinstance(getattr(x, a, None), int):
            return measure(getattr(x, a), "Number")
    for pset in _FLIGHT_PSETS:
        v = env.model.psets(x).get(pset, {}).get("NumberOfRiser")
        if isinstance(v, int):
            return measure(v, "Number")
    raise NotApplicable(f"{x.is_a()} {x.GlobalId} has no NumberOfRiser(s)")


@atomic("domain", "Total rise of a stair flight between landings (risers x riser height) in metres.",
        ["at_most(flight_rise(x), 1800 mm)"])
def flight_rise(env: Env, x: Element) -> Length:
    r = riser_height(env, x)
    n = number_of_risers(env, x)
    return Measure(r.value * n.value, "m", f"{n} risers x {r}" + (f"; {r.note}" if r.note else ""))


@atomic("domain", "Twice the rise plus the going (2R + G) of a stair flight in metres.",
        ["between(two_risers_plus_going(x), 550 mm, 700 mm)"])
def two_risers_plus_going(env: Env, x: Element) -> Length:
    r, g = riser_height(env, x), going(env, x)
    notes = "; ".join(n for n in (r.note, g.note) if n)
    return Measure(2 * r.value + g.value, "m", f"2 x {r} + {g}" + (f"; {notes}" if notes else ""))


@atomic("domain", "Pitch (steepness) of a stair flight in degrees: atan(rise / going).",
        ["at_most(stair_pitch(x), 42 deg)"])
def stair_pitch(env: Env, x: Element) -> Number:
    r, g = riser_height(env, x), going(env, x)
    return Measure(math.degrees(math.atan2(r.value, g.value)), "deg", f"atan({r} / {g})")


@atomic("domain",
        "Clear width of a stair flight in metres (modelled flight width; handrails projecting up to "
        "100 mm may be ignored).",
        ["at_least(flight_width(x), 900 mm)"])
def flight_width(env: Env, x: Element) -> Length:
    from rulecheck.functions.selection import is_tapered

    if is_tapered(env, x):
        raise NotApplicable(
            f"{x.is_a()} {x.GlobalId} is a spiral/tapered stair: its plan extent is not a flight width")
    try:
        return Measure(plan_extents(env.model.shape(x))[0], "m", "narrowest plan extent of the flight geometry")
    except NotApplicable:
        pass
    stair = _stair_of(x)
    for el in (x, stair):
        for name, values in env.model.psets(el).items() if el is not None else []:
            if isinstance(values.get("Width"), (int, float)):
                return env.model.length(values["Width"], f"{name}.Width")
    raise NotApplicable(f"{x.is_a()} {x.GlobalId} has neither geometry nor a Width property")


@atomic("domain",
        "Floor area of a room or space in square metres (net floor area quantity, else from geometry).",
        ["at_least(space_area(x), 8.5 m2)"])
def space_area(env: Env, x: Element) -> Area:
    for qset in _SPACE_QSETS:
        for name in ("NetFloorArea", "GrossFloorArea"):
            v = env.model.psets(x).get(qset, {}).get(name)
            if isinstance(v, (int, float)):
                return Measure(float(v) * env.model.area_scale, "m2", f"{qset}.{name}")
    return Measure(floor_area(env.model.shape(x)), "m2", "from geometry (no area quantity)")


@atomic("domain", "Width of a room: its narrowest plan dimension, in metres (from geometry).",
        ["at_least(space_width(x), 2.4 m)"])
def space_width(env: Env, x: Element) -> Length:
    return Measure(plan_extents(env.model.shape(x))[0], "m", "narrowest plan extent of the space geometry")


@atomic("domain", "Floor-to-ceiling height (headroom) of a room in metres (quantity, else geometry).",
        ["at_least(space_height(x), 2.2 m)"])
def space_height(env: Env, x: Element) -> Length:
    for qset in _SPACE_QSETS:
        for name in ("ClearHeight", "FinishCeilingHeight", "Height"):
            v = env.model.psets(x).get(qset, {}).get(name)
            if isinstance(v, (int, float)) and v > 0:
                return Measure(float(v) * env.model.length_scale, "m", f"{qset}.{name}")
    return Measure(float(env.model.shape(x).extent[2]), "m", "from geometry (no height quantity)")


@atomic("domain", "Area of a door or window opening (overall width x overall height) in square metres.",
        ['sum_of(all_of_class("IfcWindow"), "opening_area")'])
def opening_area(env: Env, x: Element) -> Area:
    kind = "door_width" if x.is_a("IfcDoor") else "window_dimension"
    w = env.model.length(attribute(x, "OverallWidth"), f"{x.is_a()}.OverallWidth", kind)
    h = env.model.length(attribute(x, "OverallHeight"), f"{x.is_a()}.OverallHeight",
                         "door_height" if x.is_a("IfcDoor") else "window_dimension")
    return Measure(w.value * h.value, "m2", "; ".join(n for n in (w.note, h.note) if n))
