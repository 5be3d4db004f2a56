"""do-queries agree with pgmpy's CausalInference on its bundled networks (offline)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from causal.model import model_from_pgmpy
from causal.query import Query, answer
from causal.semantics import BACKENDS, interpret

pytest.importorskip("pgmpy")
pytestmark = pytest.mark.slow  # importing pgmpy imports torch (~15 s)


@pytest.fixture(scope="module", params=["asia", "alarm"])
def network(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    from pgmpy.utils import get_example_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bn = get_example_model(request.param)
    for cpd in bn.get_cpds():
        cpd.normalize(inplace=True)  # rows are rounded in the published tables
    return bn, model_from_pgmpy(bn, request.param)


def test_do_queries_match_pgmpy(network) -> None:  # type: ignore[no-untyped-def]
    from pgmpy.inference import CausalInference

    bn, model = network
    ci = CausalInference(bn)
    g = model.graph()
    ys = [v for v in model.variables if len(g.ancestors([v])) > 2][:4]
    for y in ys:
        x = sorted(g.ancestors([y]) - {y})[0]
        for xv in model.domains[x]:
            theirs = ci.query([y], do={x: xv}, show_progress=False)
            ours = answer(model, Query(((y, None),), ((x, str(xv)),)))
            mine = {str(v[0]): p for v, p in ours.table.rows()}
            for j, state in enumerate(theirs.state_names[y]):
                assert abs(float(theirs.values[j]) - mine[str(state)]) < 1e-9


@pytest.mark.parametrize("backend", BACKENDS)
def test_backends_agree(network, backend: str) -> None:  # type: ignore[no-untyped-def]
    _, model = network
    y = model.variables[-1]
    d = model.diagram([y, model.variables[0]], do={model.variables[1]: None})
    ref = interpret(d, model.interpretation(), backend="eliminate")
    assert np.allclose(interpret(d, model.interpretation(), backend=backend), ref, atol=1e-12)
