"""Comparison, arithmetic and logic over measures and truth values.

Comparisons use a tolerance of 0.5 mm (lengths) or 1e-6 relative, so a 900.0 mm width
measured as 0.8999999 m still meets "at least 900 mm".
"""

from __future__ import annotations

from rulecheck.errors import NotApplicable
from rulecheck.functions.registry import Bool, Env, Number, Q, String, atomic
from rulecheck.ifc import Measure

EPS = 5e-4


def _same_unit(a: Measure, b: Measure) -> None:
    if a.unit != b.unit and not ({a.unit, b.unit} <= {"", "deg"}):
        raise NotApplicable(f"cannot compare {a} with {b}: units differ")


def _eps(a: Measure) -> float:
    return EPS if a.unit == "m" else 1e-6 * max(1.0, abs(a.value))


@atomic("logic", "True when a value is at least (not less than, minimum) a bound.",
        ["at_least(door_clear_width(x), 775 mm)"])
def at_least(env: Env, a: Q, b: Q) -> Bool:
    _same_unit(a, b)
    return a.value >= b.value - _eps(a)


@atomic("logic", "True when a value is at most (not more than, maximum, does not exceed) a bound.",
        ["at_most(riser_height(x), 220 mm)"])
def at_most(env: Env, a: Q, b: Q) -> Bool:
    _same_unit(a, b)
    return a.value <= b.value + _eps(a)


@atomic("logic", "True when a value is strictly greater than (exceeds, more than) a bound.",
        ["greater_than(space_area(x), 30 m2)"])
def greater_than(env: Env, a: Q, b: Q) -> Bool:
    _same_unit(a, b)
    return a.value > b.value + _eps(a)


@atomic("logic", "True when a value is strictly less than (below, under) a bound.",
        ["less_than(stair_pitch(x), 42 deg)"])
def less_than(env: Env, a: Q, b: Q) -> Bool:
    _same_unit(a, b)
    return a.value < b.value - _eps(a)


@atomic("logic", "True when a value equals another (within a small tolerance).",
        ["equal_to(number_of_risers(x), 16)"])
def equal_to(env: Env, a: Q, b: Q) -> Bool:
    _same_unit(a, b)
    return abs(a.value - b.value) <= _eps(a)


@atomic("logic", "True when a value lies between two bounds, inclusive (a range, from ... to ...).",
        ["between(two_risers_plus_going(x), 550 mm, 700 mm)"])
def between(env: Env, a: Q, lo: Q, hi: Q) -> Bool:
    return at_least(env, a, lo) and at_most(env, a, hi)


@atomic("logic", "Both conditions hold (and).", ["and(at_least(going(x), 250 mm), at_most(riser_height(x), 190 mm))"])
def and_(env: Env, a: Bool, b: Bool) -> Bool:
    return a and b


@atomic("logic", "At least one condition holds (or, alternatively).", ["or(is_external(x), is_fire_exit(x))"])
def or_(env: Env, a: Bool, b: Bool) -> Bool:
    return a or b


@atomic("logic", "The condition does not hold (not, no, never).", ["not(is_external(x))"])
def not_(env: Env, a: Bool) -> Bool:
    return not a


@atomic("logic", "If the first condition holds then the second must hold (where ..., then ...).",
        ["implies(is_external(x), at_least(door_clear_width(x), 900 mm))"])
def implies(env: Env, a: Bool, b: Bool) -> Bool:
    return (not a) or b


@atomic("logic", "Sum of two values of the same kind.", ["plus(going(x), riser_height(x))"])
def plus(env: Env, a: Q, b: Q) -> Q:
    _same_unit(a, b)
    return Measure(a.value + b.value, a.unit)


@atomic("logic", "Difference of two values of the same kind.", ["minus(door_width(x), door_clear_width(x))"])
def minus(env: Env, a: Q, b: Q) -> Q:
    _same_unit(a, b)
    return Measure(a.value - b.value, a.unit)


@atomic("logic", "A value multiplied by a number (twice, times, a fraction of, a percentage of).",
        ["times(2, riser_height(x))"])
def times(env: Env, k: Number, a: Q) -> Q:
    return Measure(k.value * a.value, a.unit)


@atomic("logic", "Ratio of two values of the same kind as a plain number (a share, a percentage).",
        ['at_most(ratio(sum_of(all_of_class("IfcWindow"), "opening_area"), sum_of(all_of_class("IfcSpace"), "space_area")), 25 %)'])
def ratio(env: Env, a: Q, b: Q) -> Number:
    _same_unit(a, b)
    if b.value == 0:
        raise NotApplicable(f"ratio {a} / {b}: division by zero")
    return Measure(a.value / b.value, "", f"{a} / {b}")


@atomic("logic", "True when two texts are equal (ignoring case).", ['text_equals(storey_name(x), "Level 1")'])
def text_equals(env: Env, a: String, b: String) -> Bool:
    return a.strip().lower() == b.strip().lower()


@atomic("logic", "True when a text contains another (ignoring case).",
        ['text_contains(property_text(x, "Pset_DoorCommon", "FireRating"), "30")'])
def text_contains(env: Env, a: String, b: String) -> Bool:
    return b.strip().lower() in a.lower()
