"""Identification on the shipped test bed: estimands equal surgery on random full models."""

from __future__ import annotations

import numpy as np
import pytest

from causal.comb import estimand_diagram
from causal.errors import CausalError, NotIdentifiable
from causal.graph import Graph, example_graphs
from causal.identify import identify
from causal.model import random_model
from causal.query import answer, parse_query
from causal.semantics import interpret

GRAPHS = example_graphs()
TOL = 1e-9


def run(entry: dict):  # type: ignore[no-untyped-def]
    q = parse_query(str(entry["query"]))
    g = entry["graph"]
    return q, identify(g, [v for v, _ in q.outcomes], [v for v, _ in q.do], [v for v, _ in q.given])


def test_test_bed_is_big_enough() -> None:
    assert len(GRAPHS) >= 12
    names = {e["name"] for e in GRAPHS}
    assert {"front-door", "back-door", "napkin", "bow", "M-bias", "instrumental variable"} <= names


KNOWN = [e for e in GRAPHS if "identifiable" in e]


@pytest.mark.parametrize("entry", KNOWN, ids=[str(e["name"]) for e in KNOWN])
def test_verdict_matches_literature(entry: dict) -> None:
    try:
        run(entry)
        verdict = True
    except NotIdentifiable:
        verdict = False
    assert verdict == entry["identifiable"]


@pytest.mark.parametrize("entry", GRAPHS, ids=[str(e["name"]) for e in GRAPHS])
@pytest.mark.parametrize("card", [2, 3])
def test_estimand_equals_surgery_on_random_models(entry: dict, card: int) -> None:
    try:
        q, _ = run(entry)
    except NotIdentifiable as exc:
        hedge, g = exc.hedge, entry["graph"]
        x = {v for v, _ in parse_query(str(entry["query"])).do}
        assert hedge.F_prime < hedge.F and hedge.F & x and not hedge.F_prime & x
        assert len(g.subgraph(hedge.F).c_components()) == 1
        assert len(g.subgraph(hedge.F_prime).c_components()) == 1
        return
    for seed in range(2):
        model = random_model(entry["graph"], seed=seed + 10 * card, card=card)
        truth = answer(model, q, method="surgery").table
        est = answer(model, q, method="identify").table
        assert truth.variables == est.variables
        assert np.abs(truth.array - est.array).max() < TOL


def test_estimand_as_diagram_equals_formula() -> None:
    for name in ("front-door", "back-door", "front-door, two mediators", "sequential treatments (g-formula)"):
        entry = next(e for e in GRAPHS if e["name"] == name)
        q, est = run(entry)
        model = random_model(entry["graph"], seed=3)
        joint = model.observational()
        diagram, sem = estimand_diagram(est, joint)
        via_diagram = interpret(diagram, sem, check=True)
        assert np.abs(via_diagram - est.evaluate(joint).array).max() < TOL


def test_napkin_estimand_has_no_diagram() -> None:
    entry = next(e for e in GRAPHS if e["name"] == "napkin")
    _, est = run(entry)
    with pytest.raises(CausalError, match="ratio"):
        estimand_diagram(est, random_model(entry["graph"]).observational())


def test_unknown_variable_in_query_is_named() -> None:
    with pytest.raises(CausalError, match="'Q'"):
        identify(Graph.parse("X -> Y"), ["Q"], ["X"])
