"""Looking up attributes, properties and quantities, converted to SI with their units."""

from __future__ import annotations

from typing import Any

from rulecheck.errors import NotApplicable
from rulecheck.functions.registry import (
    Area,
    Bool,
    Element,
    Env,
    Length,
    Number,
    String,
    Volume,
    atomic,
    measure,
)
from rulecheck.ifc import Measure


def _where(x: Any, *names: str) -> str:
    return f"#{x.id()} {x.is_a()} {x.GlobalId}: " + ".".join(names)


def attribute(x: Any, name: str) -> Any:
    """An IFC attribute value, or `NotApplicable` naming what is missing."""
    if not hasattr(x, name):
        raise NotApplicable(f"{x.is_a()} has no attribute {name} in its schema")
    value = getattr(x, name)
    if value is None:
        raise NotApplicable(f"{_where(x, name)} is not set")
    return value


def prop(env: Env, x: Any, pset: str, name: str) -> Any:
    """A property or quantity value, or `NotApplicable` naming the missing set or property."""
    sets = env.model.psets(x)
    if pset not in sets:
        raise NotApplicable(f"{_where(x, pset)}: property set missing")
    if sets[pset].get(name) is None:
        raise NotApplicable(f"{_where(x, pset, name)}: property missing")
    return sets[pset][name]


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise NotApplicable(f"{where} is not a number ({value!r})")
    return float(value)


@atomic("property", "The text of an IFC attribute such as Name, LongName, ObjectType or PredefinedType.",
        ['attribute_text(x, "PredefinedType")'])
def attribute_text(env: Env, x: Element, name: String) -> String:
    return str(attribute(x, name))


@atomic("property", "A numeric IFC attribute without unit, e.g. NumberOfRiser of a flight.",
        ['attribute_number(x, "NumberOfRiser")'])
def attribute_number(env: Env, x: Element, name: String) -> Number:
    return measure(_number(attribute(x, name), _where(x, name)), "Number")


@atomic("property", "A length IFC attribute (OverallWidth, OverallHeight, Elevation) converted to metres.",
        ['attribute_length(x, "OverallHeight")', 'at_least(attribute_length(x, "OverallWidth"), 900 mm)'])
def attribute_length(env: Env, x: Element, name: String) -> Length:
    return env.model.length(attribute(x, name), _where(x, name))


@atomic("property", "A text property from a property set, e.g. Pset_DoorCommon FireRating.",
        ['property_text(x, "Pset_DoorCommon", "FireRating")'])
def property_text(env: Env, x: Element, pset: String, name: String) -> String:
    return str(prop(env, x, pset, name))


@atomic("property", "A numeric property without unit from a property set (a count, a ratio, a U-value).",
        ['property_number(x, "Pset_StairFlightCommon", "NumberOfRiser")'])
def property_number(env: Env, x: Element, pset: String, name: String) -> Number:
    return measure(_number(prop(env, x, pset, name), _where(x, pset, name)), "Number")


@atomic("property", "A length property from a property set (e.g. RiserHeight), converted to metres.",
        ['at_most(property_length(x, "Pset_StairFlightCommon", "RiserHeight"), 190 mm)'])
def property_length(env: Env, x: Element, pset: String, name: String) -> Length:
    return env.model.length(prop(env, x, pset, name), _where(x, pset, name))


@atomic("property", "A yes/no property from a property set, e.g. HandicapAccessible or FireExit.",
        ['property_bool(x, "Pset_SpaceCommon", "HandicapAccessible")'])
def property_bool(env: Env, x: Element, pset: String, name: String) -> Bool:
    value = prop(env, x, pset, name)
    if not isinstance(value, bool):
        raise NotApplicable(f"{_where(x, pset, name)} is not a boolean ({value!r})")
    return value


@atomic("property", "True when the element has the named property in the named property set.",
        ['has_property(x, "Pset_DoorCommon", "FireRating")'])
def has_property(env: Env, x: Element, pset: String, name: String) -> Bool:
    return env.model.psets(x).get(pset, {}).get(name) is not None


@atomic("property", "A length quantity (e.g. BaseQuantities Width or Height) in metres.",
        ['quantity_length(x, "Qto_DoorBaseQuantities", "Width")'])
def quantity_length(env: Env, x: Element, qset: String, name: String) -> Length:
    return env.model.length(prop(env, x, qset, name), _where(x, qset, name))


@atomic("property", "An area quantity (e.g. NetFloorArea) in square metres.",
        ['quantity_area(x, "Qto_SpaceBaseQuantities", "NetFloorArea")'])
def quantity_area(env: Env, x: Element, qset: String, name: String) -> Area:
    v = _number(prop(env, x, qset, name), _where(x, qset, name))
    return Measure(v * env.model.area_scale, "m2")


@atomic("property", "A volume quantity (e.g. NetVolume of a space) in cubic metres.",
        ['quantity_volume(x, "Qto_SpaceBaseQuantities", "NetVolume")'])
def quantity_volume(env: Env, x: Element, qset: String, name: String) -> Volume:
    v = _number(prop(env, x, qset, name), _where(x, qset, name))
    return Measure(v * env.model.volume_scale, "m3")


@atomic("property", "The element's name (or long name for spaces).", ['text_contains(element_name(x), "Bed")'])
def element_name(env: Env, x: Element) -> String:
    return str(getattr(x, "LongName", None) or x.Name or "")


@atomic("property", "Name of the building storey (level, floor) that contains the element.",
        ['text_equals(storey_name(x), "Level 1")'])
def storey_name(env: Env, x: Element) -> String:
    from rulecheck.functions.selection import _storey

    s = _storey(x)
    if s is None:
        raise NotApplicable(f"{x.is_a()} {x.GlobalId} is not contained in a storey")
    return str(s.Name or "")


@atomic("property", "Elevation of the storey that contains the element, in metres.",
        ["storey_elevation(x)"])
def storey_elevation(env: Env, x: Element) -> Length:
    from rulecheck.functions.selection import _storey

    s = x if x.is_a("IfcBuildingStorey") else _storey(x)
    if s is None:
        raise NotApplicable(f"{x.is_a()} {x.GlobalId} is not contained in a storey")
    return env.model.length(attribute(s, "Elevation"), _where(s, "Elevation"))
