"""Aggregation over element sets: count, sum, min, max, mean, existence, ratios."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rulecheck.errors import NotApplicable
from rulecheck.functions.registry import (
    CATALOGUE,
    Bool,
    Elements,
    Env,
    Fn,
    Number,
    Pred,
    Q,
    atomic,
    measure,
)
from rulecheck.ifc import Measure


def _values(env: Env, elements: tuple[Any, ...], fn: str) -> list[Measure]:
    f = CATALOGUE[fn]
    out: list[Measure] = []
    for e in elements:
        out.append(f.impl(Env(env.model, e), e))
    if not out:
        raise NotApplicable(f"no elements to aggregate {fn} over")
    return out


def _fold(env: Env, elements: tuple[Any, ...], fn: str, how: Callable[[list[float]], float], what: str) -> Measure:
    vals = _values(env, elements, fn)
    return Measure(how([v.value for v in vals]), vals[0].unit, f"{what} of {len(vals)} x {fn}")


@atomic("aggregation", "Number of elements in a set (how many).", ['count(all_of_class("IfcDoor"))'])
def count(env: Env, elements: Elements) -> Number:
    return measure(len(elements), "Number")


@atomic("aggregation", "Sum (total) of a measure over a set of elements, e.g. total floor area.",
        ['sum_of(all_of_class("IfcSpace"), "space_area")'])
def sum_of(env: Env, elements: Elements, f: Fn) -> Q:
    return _fold(env, elements, f, sum, "sum")


@atomic("aggregation", "Smallest value of a measure over a set of elements.",
        ['min_of(all_of_class("IfcDoor"), "door_clear_width")'])
def min_of(env: Env, elements: Elements, f: Fn) -> Q:
    return _fold(env, elements, f, min, "min")


@atomic("aggregation", "Largest value of a measure over a set of elements.",
        ['max_of(stair_flights(), "riser_height")'])
def max_of(env: Env, elements: Elements, f: Fn) -> Q:
    return _fold(env, elements, f, max, "max")


@atomic("aggregation", "Average (mean) of a measure over a set of elements.",
        ['mean_of(bedrooms(), "space_area")'])
def mean_of(env: Env, elements: Elements, f: Fn) -> Q:
    return _fold(env, elements, f, lambda xs: sum(xs) / len(xs), "mean")


@atomic("aggregation", "True when the set is not empty (there is at least one such element).",
        ['exists(all_of_class("IfcTransportElement"))'])
def exists(env: Env, elements: Elements) -> Bool:
    return len(elements) > 0


@atomic("aggregation", "True when every element of the set satisfies a yes/no function.",
        ['all_satisfy(all_of_class("IfcDoor"), "is_external")'])
def all_satisfy(env: Env, elements: Elements, predicate: Pred) -> Bool:
    f = CATALOGUE[predicate]
    return all(f.impl(Env(env.model, e), e) for e in elements)


@atomic("aggregation", "True when at least one element of the set satisfies a yes/no function.",
        ['any_satisfy(doors_of(x), "is_external")'])
def any_satisfy(env: Env, elements: Elements, predicate: Pred) -> Bool:
    f = CATALOGUE[predicate]
    return any(f.impl(Env(env.model, e), e) for e in elements)


@atomic("aggregation", "Elements in either of two sets (union), e.g. windows and doors together.",
        ['union(all_of_class("IfcWindow"), all_of_class("IfcDoor"))'])
def union(env: Env, a: Elements, b: Elements) -> Elements:
    seen = {e.id(): e for e in (*a, *b)}
    return tuple(seen.values())
