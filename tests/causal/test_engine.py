"""The exact engine: same numbers as interpreting the cut string diagram, caches, limits."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from causal.errors import CausalError, LimitError
from causal.graph import Graph
from causal.infer import Engine
from causal.model import CausalModel, random_model
from causal.semantics import Table, interpret

runner = CliRunner()


def by_diagram(m: CausalModel, outcomes: list[str], do: dict[str, str | None], given: dict[str, str | None]) -> Table:
    """The reference: interpret the cut diagram over (open do, given, outcomes), then condition."""
    outs = [*given, *outcomes]
    arr = interpret(m.diagram(outs, do), m.interpretation())
    opened = [v for v, x in do.items() if x is None]
    variables = (*opened, *outs)
    t = Table(variables, tuple(m.domains[v] for v in variables), arr)
    fixed = {v: x for v, x in given.items() if x is not None}
    idx = tuple(m.domains[v].index(int(fixed[v])) if v in fixed else slice(None) for v in variables)
    sub = t.array[idx]
    keep = [v for v in variables if v not in fixed]
    n = len(outcomes)
    mass = sub.sum(axis=tuple(range(sub.ndim - n, sub.ndim)), keepdims=True)
    return Table(tuple(keep), tuple(m.domains[v] for v in keep), sub / mass)


GRAPHS = ["A -> B, B -> C, A -> C, C -> D, B -> E, E -> D",
          "Z -> X, Z -> Y, X -> M, M -> Y, W -> Z, W -> Y, Y -> K",
          "X -> Y, X <-> Y, Y -> Z, W -> X, W <-> Z"]


@pytest.mark.parametrize("edges", GRAPHS)
def test_engine_equals_the_cut_diagram(edges: str) -> None:
    m = random_model(Graph.parse(edges), seed=len(edges), card=3)
    engine = Engine(m)
    observed = list(m.observed)
    rng = np.random.default_rng(0)
    for _ in range(25):
        picked = [str(v) for v in rng.permutation(observed)[:3]]
        y, x, e = picked
        for xv, ev in itertools.product(["0", "2", None], ["1", None]):
            ours = engine.table([y], {x: xv}, {e: ev})
            ref = by_diagram(m, [y], {x: xv}, {e: ev})
            assert ours.variables == ref.variables
            assert np.allclose(ours.array, ref.array, atol=1e-12, rtol=0), (y, x, xv, e, ev)


def test_plans_are_shared_across_values_and_messages_across_queries() -> None:
    g = Graph.parse(", ".join(f"X{i} -> X{i + 1}" for i in range(12)) + ", X0 -> X6, X3 -> X9, X1 -> X11")
    m = random_model(g, seed=3, card=6)
    engine = Engine(m, cache_min_cost=0)  # keep every message, however cheap
    first = engine.table(["X12"], {"X8": 0}, {})
    assert len(engine.plans) == 1 and engine.messages
    second = engine.table(["X12"], {"X8": 1}, {})
    assert len(engine.plans) == 1 and engine.messages.hits >= 1  # same shape, upstream reused
    fresh = Engine(m)
    assert np.allclose(second.array, fresh.table(["X12"], {"X8": 1}, {}).array, atol=1e-15)
    assert not np.allclose(first.array, second.array)


def test_impossible_evidence_in_a_disconnected_part_is_an_error(tmp_path: Path) -> None:
    # given B=1, the part A -> B is cut off from C: only its mass (zero) says the event is impossible
    spec = tmp_path / "zero.yaml"
    spec.write_text("variables: [A, B, C]\nedges: [A -> B, A -> C]\ncpts:\n  A: [0.5, 0.5]\n"
                    "  B: {given: [A], table: [[1, 0], [1, 0]]}\n  C: {given: [A], table: [[0.9, 0.1], [0.2, 0.8]]}\n")
    from causal.model import load_model

    m = load_model(spec)
    with pytest.raises(CausalError, match=r"zero\.yaml: conditioning on the zero-probability event B=1 under do\(C=0\)"):
        m.engine.table(["A"], {"C": "0"}, {"B": "1"})
    assert np.allclose(m.engine.table(["C"], {}, {"B": "0"}).array, [0.55, 0.45])


def test_a_table_over_the_cap_is_one_error_before_allocating(tmp_path: Path) -> None:
    from causal.query import answer
    from workbench.cli import app as root

    names = [f"V{i}" for i in range(10)]
    m = CausalModel.build({v: tuple(range(30)) for v in names}, cpts={v: np.full(30, 1 / 30) for v in names})
    with pytest.raises(LimitError, match=r"needs a table of 590,490,000,000,000 cells \(4\.7e\+06 GB\), over the "
                                         r"cap of 50,000,000 cells"):
        answer(m, f"P({', '.join(names)})")
    assert answer(m, "P(V1, V2)", max_cells=900).table.array.shape == (30, 30)
    with pytest.raises(LimitError, match="over the cap of 899 cells"):
        answer(m, "P(V1, V2)", max_cells=899)
    path = tmp_path / "big.json"
    import json

    path.write_text(json.dumps(m.to_dict()))
    r = runner.invoke(root, ["causal", "query", str(path), f"P({', '.join(names)})"])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1, r.output
    assert r.output.startswith(f"error: {path}: P(V0, ") and "raise it with --max-cells" in r.output
    r = runner.invoke(root, ["causal", "query", str(path), "P(V1=3, V2=4)", "--max-cells", "100"])
    assert r.exit_code == 2 and "over the cap of 100 cells" in r.output
    r = runner.invoke(root, ["causal", "query", str(path), "P(V1=3, V2=4)", "--max-cells", "1000"])
    assert r.exit_code == 0 and "0.00111111" in r.output


def test_estimands_evaluate_term_by_term_on_models_too_big_for_their_joint() -> None:
    from causal.identify import identify
    from causal.query import answer, evaluate_estimand, parse_query, select

    g = Graph.parse("Z1 -> Z2, Z2 -> X, X -> M, M -> Y, Z1 <-> Y, Z2 -> W, W -> Y, X <-> Z2, V -> W, V -> Y")
    m = random_model(g, seed=4, card=4)
    q = parse_query("P(Y=2 | do(X=1))")
    est = identify(m.graph(), ["Y"], ["X"])
    cap = 4 ** 5  # the joint of the estimand's 7 observed variables (16,384 cells) is over it
    with pytest.raises(LimitError):
        m.observational(est.variables(), max_cells=cap)
    value = float(select(evaluate_estimand(m, est, max_cells=cap), q).array)
    assert abs(value - answer(m, q).value()) < 1e-12  # = surgery
