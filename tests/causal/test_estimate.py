"""Effects from data: the estimand on the empirical joint, bootstrap intervals, positivity per stratum."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from causal.data import Samples, empirical
from causal.errors import CausalError, NotIdentifiable
from causal.estimate import estimate
from causal.model import load_model
from causal.query import answer
from causal.sample import sample, sample_csv

runner = CliRunner()


def test_point_estimate_is_the_estimand_on_the_empirical_joint() -> None:
    m = load_model("frontdoor")
    data = sample(m, 3000, seed=5)
    e = estimate(m, data, "P(C | do(S))", resamples=0)
    obs = load_model("smoking")  # the same graph, observations only: the identify route of `answer`
    joint = empirical(data, [m.domains[v] for v in data.variables])
    ref = answer(type(obs)(obs.variables, obs.domains, obs.parents, obs.latents, obs.bidirected, {}, joint,
                           "fd data"), "P(C | do(S))")
    assert np.allclose(e.point.array, ref.table.array, atol=1e-12)
    assert str(e.estimand.formula) == "Σ_{T} P(T | S) Σ_{S} P(S) P(C | S, T)"


def test_bootstrap_interval_is_seeded_and_covers_the_truth() -> None:
    m = load_model("backdoor")
    data = sample(m, 20000, seed=11)
    a = estimate(m, data, "P(Y=1 | do(X=1))", resamples=500, seed=7)
    b = estimate(m, data, "P(Y=1 | do(X=1))", resamples=500, seed=7)
    c = estimate(m, data, "P(Y=1 | do(X=1))", resamples=500, seed=8)
    assert a.interval() == b.interval() and a.interval() != c.interval()
    assert a.interval()[1] - a.interval()[0] < 0.04
    covered = [estimate(m, sample(m, 2000, seed=s), "P(Y=1 | do(X=1))", resamples=300, seed=s).interval()
               for s in range(20)]
    assert sum(lo <= 0.52 <= hi for lo, hi in covered) >= 16  # truth by surgery 0.52; P(<16 of 20) < 0.1% at 95%
    assert a.draws is not None and a.draws.shape == (500,)
    assert a.failed == 0 and a.n == 20000 and a.strata == 2 and not a.thin


def test_empty_stratum_is_a_positivity_error_unless_smoothed() -> None:
    m = load_model("frontdoor")
    full = sample(m, 2000, seed=2)
    rows = full.array[~((full.array[:, 0] == 1) & (full.array[:, 1] == 0))]  # no row has S=1, T=0
    data = Samples(full.variables, rows)
    with pytest.raises(CausalError, match=r"data\.csv: positivity fails: no row has S=1, T=0, which P\(C \| S, T\) "
                                          r"needs \(1 empty strata\); collect such rows, or use smoothing"):
        estimate(m, data, "P(C=1 | do(S=1))", resamples=10, where="data.csv")
    e = estimate(m, data, "P(C=1 | do(S=1))", resamples=50, smoothing=1.0)
    assert 0 < e.value() < 1 and [str(s) for s in e.thin] == ["S=1, T=0 (in P(C | S, T)): 0 rows"]
    # P(T | S=0) is not read by P(C | do(S=1)): no stratum of it is reported
    assert all(s.assignment != (("S", "0"),) for s in e.thin)


def test_not_identifiable_and_bad_queries() -> None:
    m = load_model("bow")
    data = Samples(("X", "Y"), np.array([[0, 1], [1, 0], [1, 1]]))
    with pytest.raises(NotIdentifiable, match="hedge F = {X, Y}"):
        estimate(m, data, "P(Y | do(X))")
    with pytest.raises(CausalError, match="value '3' is not in the domain"):
        estimate(m, data, "P(Y | do(X=3))")
    with pytest.raises(CausalError, match="confidence level must be between 0 and 1"):
        estimate(m, data, "P(Y | X)", level=95)


def test_cli_estimate(tmp_path: Path) -> None:
    from workbench.cli import app as root

    csv = sample_csv(load_model("frontdoor"), tmp_path / "fd.csv", n=4000, seed=4)
    r = runner.invoke(root, ["causal", "estimate", str(csv), "frontdoor", "P(C=1 | do(S=1))", "-B", "300"])
    assert r.exit_code == 0, r.output
    first = r.output.splitlines()[0]
    assert first.startswith("P(C=1 | do(S=1)) = 0.4") and "95% CI [" in first
    assert "estimand: Σ_{T} P(T | S) Σ_{S} P(S) P(C | S, T)" in r.output
    assert "4,000 rows; 300 bootstrap resamples (seed 0)" in r.output and "0.4300" in r.output  # the truth
    r = runner.invoke(root, ["causal", "estimate", str(csv), "frontdoor", "P(C | do(S))", "--json", "-B", "100"])
    out = json.loads(r.output)
    assert [row["values"] for row in out["table"]][:2] == [{"S": "0", "C": "0"}, {"S": "0", "C": "1"}]
    assert all(row["low"] <= row["estimate"] <= row["high"] for row in out["table"])
    assert [round(row["truth"], 3) for row in out["table"]] == [0.752, 0.248, 0.57, 0.43]


def test_cli_estimate_data_errors_name_the_file(tmp_path: Path) -> None:
    from workbench.cli import app as root

    (tmp_path / "no_t.csv").write_text("S,C\n0,1\n1,0\n")
    (tmp_path / "bad.csv").write_text("S,T,C\n0,1,1\n1,yes,0\n")
    cases = [
        ("no_t.csv", "no_t.csv: no column 'T' (the header has S, C)"),
        ("bad.csv", "bad.csv:3:2: column 'T': value 'yes' is not in the domain (0, 1)"),
        ("none.csv", "none.csv: no such data file (CSV)"),
    ]
    for name, says in cases:
        r = runner.invoke(root, ["causal", "estimate", str(tmp_path / name), "frontdoor", "P(C | do(S))"])
        assert r.exit_code == 2 and says in " ".join(r.output.split()) and "Traceback" not in r.output, r.output
    r = runner.invoke(root, ["causal", "estimate", str(tmp_path / "bad.csv"), "bow", "P(Y | do(X))"])
    assert r.exit_code == 2 and "no column 'X'" in r.output
