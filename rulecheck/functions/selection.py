"""Selecting elements: by class, name, property, storey, and the implicit room/stair kinds.

Implicit kinds (bedroom, habitable room) are read from the space's Name/LongName in English and
German because real models name rooms, they do not classify them.
"""

from __future__ import annotations

import re
from typing import Any

from rulecheck.errors import NotApplicable
from rulecheck.functions.registry import (
    CATALOGUE,
    Bool,
    Element,
    Elements,
    Env,
    Pred,
    String,
    atomic,
)

BEDROOM = r"bed ?room|schlafzimmer|kinderzimmer|\bbed\b"
NOT_FLOOR = r"\broof\b|\bvoid\b|shaft|terrace|balcony|dach\b|luftraum|outdoor|exterior"
HABITABLE = BEDROOM + r"|living|lounge|dining|kitchen|study|office|wohnen|küche|kueche|buero|büro|esszimmer"
#: Rooms an exclusionary definition ("a room for dwelling purposes, not solely a bathroom, utility,
#: cellar, circulation ...") leaves out; a named room matching neither pattern counts as habitable.
NON_HABITABLE = (r"bath|\bwc\b|toilet|lavator|shower|sanitary|utility|laundry|stor(e|age)|closet|cupboard|pantry|"
                 r"plant|mechanical|electrical|server|shaft|\blift\b|elevator|stair|corridor|hall(way)?\b|lobby|"
                 r"foyer|entrance|landing|circulation|garage|cellar|basement|attic|\broof\b|void|balcony|terrace|"
                 r"\bbad\b|dusche|abstell|technik|flur|diele|treppe|keller|garderobe|galerie|gallery")
#: Words of a building's use (Pset_BuildingCommon.OccupancyType, or its rooms) that say residential.
RESIDENTIAL = r"residential|dwelling|house|home|apartment|flat\b|duplex|wohn|einfamilien|mehrfamilien"


def label(element: Any) -> str:
    """Every name-like attribute of an element (and its type), joined for pattern matching."""
    import ifcopenshell.util.element as ue

    parts = [getattr(element, a, None) for a in ("Name", "LongName", "ObjectType", "Description")]
    kind = getattr(element, "PredefinedType", None)
    if isinstance(kind, str) and kind not in ("NOTDEFINED", "USERDEFINED"):
        parts.append(kind)
    etype = ue.get_type(element)
    if etype is not None:
        parts.append(etype.Name)
    return " ".join(p for p in parts if isinstance(p, str))


def _matches(element: Any, pattern: str) -> bool:
    try:
        return re.search(pattern, label(element), re.IGNORECASE) is not None
    except re.error as exc:
        raise NotApplicable(f"bad name pattern {pattern!r}: {exc}") from exc


def _storey(element: Any) -> Any:
    import ifcopenshell.util.element as ue

    node = element
    for _ in range(8):
        node = ue.get_container(node) or ue.get_aggregate(node)
        if node is None:
            return None
        if node.is_a("IfcBuildingStorey"):
            return node
    return None


def _is_external(env: Env, element: Any) -> bool | None:
    """IsExternal from any property set; a stair flight inherits its stair's."""
    import ifcopenshell.util.element as ue

    for pset in env.model.psets(element).values():
        if "IsExternal" in pset and isinstance(pset["IsExternal"], bool):
            return pset["IsExternal"]
    if element.is_a("IfcStairFlight"):
        parent = ue.get_aggregate(element)
        if parent is not None and parent.is_a("IfcStair"):
            return _is_external(env, parent)
    return None


@atomic(
    "selection",
    "All elements of an IFC class (and its subclasses), e.g. doors, windows, spaces, stairs.",
    ['all_of_class("IfcDoor")', 'count(all_of_class("IfcSpace"))'],
)
def all_of_class(env: Env, ifc_class: String) -> Elements:
    return tuple(env.model.by_type(ifc_class))


@atomic(
    "selection",
    "Elements whose name, long name, object type or type name matches a pattern (regex, any case).",
    ['named(all_of_class("IfcSpace"), "kitchen")'],
)
def named(env: Env, elements: Elements, pattern: String) -> Elements:
    return tuple(e for e in elements if _matches(e, pattern))


@atomic(
    "selection",
    "Elements whose property set value equals a given text (e.g. a FireRating or a usage class).",
    ['with_property(all_of_class("IfcDoor"), "Pset_DoorCommon", "FireRating", "EI30")'],
)
def with_property(env: Env, elements: Elements, pset: String, prop: String, value: String) -> Elements:
    out = []
    for e in elements:
        v = env.model.psets(e).get(pset, {}).get(prop)
        if v is not None and str(v).lower() == value.lower():
            out.append(e)
    return tuple(out)


@atomic(
    "selection",
    "Elements contained in the building storey with this name (e.g. ground floor, Level 1).",
    ['on_storey(all_of_class("IfcSpace"), "Level 2")'],
)
def on_storey(env: Env, elements: Elements, storey: String) -> Elements:
    out = []
    for e in elements:
        s = _storey(e)
        if s is not None and (s.Name or "").lower() == storey.lower():
            out.append(e)
    return tuple(out)


@atomic(
    "selection",
    "Elements marked external (IsExternal true): outside doors, external walls, external stairs.",
    ['external(all_of_class("IfcDoor"))'],
)
def external(env: Env, elements: Elements) -> Elements:
    return tuple(e for e in elements if _is_external(env, e) is True)


@atomic(
    "selection",
    "Elements marked internal (IsExternal false): inside doors, internal walls, indoor stairs.",
    ['internal(all_of_class("IfcStair"))'],
)
def internal(env: Env, elements: Elements) -> Elements:
    return tuple(e for e in elements if _is_external(env, e) is False)


@atomic(
    "selection",
    "Elements for which a yes/no catalogue function is true, e.g. doors that lead to a habitable room.",
    ['where(all_of_class("IfcDoor"), "leads_to_habitable_room")'],
)
def where(env: Env, elements: Elements, predicate: Pred) -> Elements:
    fn = CATALOGUE[predicate]
    out = []
    for e in elements:
        try:
            if fn.impl(Env(env.model, e), e):
                out.append(e)
        except NotApplicable:
            continue
    return tuple(out)


@atomic(
    "selection",
    "Bedrooms: spaces named bedroom (single or double bedroom, Schlafzimmer, Kinderzimmer).",
    ["bedrooms()", "at_least(space_area(x), 8.5 m2)"],
)
def bedrooms(env: Env) -> Elements:
    return tuple(s for s in env.model.by_type("IfcSpace") if _matches(s, BEDROOM))


@atomic(
    "selection",
    "Habitable rooms: rooms for living, sleeping, cooking or study (bedroom, living room, kitchen).",
    ["habitable_rooms()"],
)
def habitable_rooms(env: Env) -> Elements:
    return tuple(s for s in env.model.by_type("IfcSpace") if habitable(env, s))


@atomic(
    "selection",
    "Spaces that make up the total floor area of the dwelling or building: every space except "
    "roofs, voids, shafts and outdoor areas.",
    ['sum_of(floor_spaces(), "space_area")'],
)
def floor_spaces(env: Env) -> Elements:
    return tuple(s for s in env.model.by_type("IfcSpace") if not _matches(s, NOT_FLOOR))


@atomic(
    "selection",
    "Stair flights: each IfcStairFlight, and each IfcStair that is modelled without flights.",
    ["stair_flights()", "at_most(flight_rise(x), 1800 mm)"],
)
def stair_flights(env: Env) -> Elements:
    import ifcopenshell.util.element as ue

    flights = list(env.model.by_type("IfcStairFlight"))
    for stair in env.model.by_type("IfcStair"):
        parts = ue.get_decomposition(stair)
        if not any(p.is_a("IfcStairFlight") for p in parts):
            flights.append(stair)
    return tuple(flights)


@atomic(
    "selection",
    "Doors that are exits from the building: external doors (entrance, exit, front door).",
    ["exit_doors()", "at_least(door_clear_width(x), 900 mm)"],
)
def exit_doors(env: Env) -> Elements:
    return tuple(d for d in env.model.by_type("IfcDoor") if _is_external(env, d) is True)


@atomic(
    "selection",
    "Building storeys of the model (levels, floors).",
    ["storeys()", "count(storeys())"],
)
def storeys(env: Env) -> Elements:
    return tuple(env.model.by_type("IfcBuildingStorey"))


@atomic(
    "selection",
    "The building itself, for rules about the whole building or dwelling (totals, counts).",
    ["the_building()"],
)
def the_building(env: Env) -> Elements:
    return tuple(env.model.by_type("IfcBuilding"))


@atomic(
    "selection",
    "True when the element is of an IFC class (or a subclass), e.g. is this a door.",
    ['is_a(x, "IfcDoor")'],
)
def is_a(env: Env, x: Element, ifc_class: String) -> Bool:
    return bool(x.is_a(ifc_class))


@atomic(
    "selection",
    "True when the element's name or type name matches a pattern (regex, any case).",
    ['name_matches(x, "entrance")'],
)
def name_matches(env: Env, x: Element, pattern: String) -> Bool:
    return _matches(x, pattern)


@atomic(
    "selection",
    "True when the element is external (IsExternal), e.g. an outside door or an external stair.",
    ["is_external(x)"],
)
def is_external(env: Env, x: Element) -> Bool:
    value = _is_external(env, x)
    if value is None:
        raise NotApplicable(f"{x.is_a()} has no IsExternal property")
    return value


@atomic(
    "selection",
    "True when the space is a bedroom (by its name).",
    ["is_bedroom(x)"],
)
def is_bedroom(env: Env, x: Element) -> Bool:
    return bool(x.is_a("IfcSpace")) and _matches(x, BEDROOM)


@atomic(
    "selection",
    "True when the space is a habitable room (bedroom, living room, kitchen, study).",
    ["is_habitable_room(x)"],
)
def is_habitable_room(env: Env, x: Element) -> Bool:
    if not x.is_a("IfcSpace"):
        return False
    kind = habitable(env, x)
    if kind is None:
        raise NotApplicable(f"space {x.GlobalId} has no name or occupancy to tell whether it is habitable")
    return kind


def habitable(env: Env, space: Any) -> bool | None:
    """Is a space habitable: by its occupancy property, else by its name; None when unknown.

    An explicit non-habitable kind (bathroom, corridor, storage, plant ...) is False; a habitable
    kind (bedroom, living room, kitchen, office ...) is True; any other named room is True (the
    definition is exclusionary); a space without a name or occupancy is unknown.
    """
    texts = [str(v) for pset in env.model.psets(space).values() for k, v in pset.items()
             if k in ("OccupancyType", "Occupancy", "Category", "Department", "SpaceUse") and isinstance(v, str)]
    for text in texts + [label(space)]:
        if re.search(NON_HABITABLE, text, re.I):
            return False
        if re.search(HABITABLE, text, re.I):
            return True
    named = (getattr(space, "LongName", None) or getattr(space, "Name", None) or "").strip()
    return True if named and not named.isdigit() else None


@atomic(
    "selection",
    "True when the element is in a residential building (dwelling, house, apartment): the building's "
    "OccupancyType, else whether it has bedrooms.",
    ["in_residential_building(x)"],
)
def in_residential_building(env: Env, x: Element) -> Bool:
    for b in env.model.by_type("IfcBuilding"):
        for pset in env.model.psets(b).values():
            use = pset.get("OccupancyType")
            if isinstance(use, str) and use.strip():
                return re.search(RESIDENTIAL, use, re.I) is not None
    spaces = env.model.by_type("IfcSpace")
    if any(_matches(sp, BEDROOM) for sp in spaces):
        return True
    if spaces:
        return False
    raise NotApplicable("the building's use is unknown: no OccupancyType and no rooms")


@atomic(
    "selection",
    "True when a stair is tapered, winding, spiral or curved (its shape type or name says so).",
    ["is_tapered(x)"],
)
def is_tapered(env: Env, x: Element) -> Bool:
    import ifcopenshell.util.element as ue

    stair = x if x.is_a("IfcStair") else ue.get_aggregate(x)
    kinds = " ".join(
        str(getattr(e, a, "") or "") for e in (x, stair) if e is not None
        for a in ("ShapeType", "PredefinedType", "Name")
    )
    return re.search(r"spiral|wendel|winder|winding|curved|tapered", kinds, re.I) is not None


@atomic(
    "selection",
    "True when the element is marked as an escape route or fire exit (FireExit property).",
    ["is_fire_exit(x)"],
)
def is_fire_exit(env: Env, x: Element) -> Bool:
    for pset in env.model.psets(x).values():
        if isinstance(pset.get("FireExit"), bool):
            return bool(pset["FireExit"])
    raise NotApplicable(f"{x.is_a()} has no FireExit property")
