"""Every case of ../shared/data/causal/reference.json, reproduced to 1e-9."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from causal.comb import comb_disintegrate
from causal.errors import NotIdentifiable
from causal.graph import Graph
from causal.identify import identify
from causal.model import CausalModel
from causal.query import answer
from causal.semantics import Table

TOL = 1e-9


@pytest.fixture(scope="module")
def ref(shared_data: Path) -> dict:
    return json.loads((shared_data / "causal" / "reference.json").read_text())


def binary(*names: str) -> dict[str, tuple[int, int]]:
    return {v: (0, 1) for v in names}


def test_jkz_smoking_table_by_comb_and_by_id(ref: dict) -> None:
    case = ref["jkz_smoking_table"]
    omega = Table.from_flat("STC", [(0, 1)] * 3, case["omega_flat_order_S_T_C_000_to_111"])
    comb, hole = comb_disintegrate(omega, "S", "T", "C")
    by_comb = comb.intervene(hole).array[:, 1]
    model = CausalModel.build(binary("S", "T", "C"), [("S", "T"), ("T", "C")], bidirected=[("S", "C")], data=omega)
    by_id = [answer(model, f"P(C=1 | do(S={s}))").value() for s in (0, 1)]
    expected = [case["P(C=1|do(S=0))"], case["P(C=1|do(S=1))"]]
    assert np.allclose(by_comb, expected, atol=TOL, rtol=0)
    assert np.allclose(by_id, expected, atol=TOL, rtol=0)
    assert abs(by_id[0] - 0.253478) < 5e-7 and abs(by_id[1] - 0.542297) < 5e-7
    # the other numbers of the table: observational ones and do(T), which is back-door
    assert abs(answer(model, "P(C=1 | S=0)").value() - case["P(C=1|S=0) (observational)"]) < TOL
    for t in (0, 1):
        assert abs(answer(model, f"P(C=1 | do(T={t}))").value() - case[f"P(C=1|do(T={t}))"]) < TOL
    assert abs(comb.plug(hole).array - omega.array).max() < TOL


def latent_frontdoor(case: dict) -> CausalModel:
    c = case["cpds"]
    return CausalModel.build(
        binary("H", "S", "T", "C"),
        [("H", "S"), ("S", "T"), ("T", "C"), ("H", "C")],
        latents=["H"],
        cpts={"H": c["P(H)"], "S": {"given": ["H"], "table": c["P(S|H)[h][s]"]},
              "T": {"given": ["S"], "table": c["P(T|S)[s][t]"]},
              "C": {"given": ["T", "H"], "table": c["P(C|T,H)[t][h][c]"]}},
    )


def test_latent_frontdoor_surgery_equals_identification(ref: dict) -> None:
    case = ref["latent_frontdoor_model"]
    model = latent_frontdoor(case)
    assert np.allclose(model.observational().array.ravel(), case["observational_joint_S_T_C_flat"], atol=TOL)
    for s in (0, 1):
        truth = answer(model, f"P(C=1 | do(S={s}))", method="surgery").value()
        est = answer(model, f"P(C=1 | do(S={s}))", method="identify").value()
        assert abs(truth - case[f"P(C=1|do(S={s}))"]) < TOL
        assert abs(est - truth) < TOL
        obs = answer(model, f"P(C=1 | S={s})").value()
        assert abs(obs - case[f"P(C=1|S={s}) (observational)"]) < TOL


def test_backdoor(ref: dict) -> None:
    c = ref["backdoor_model"]["cpds"]
    model = CausalModel.build(
        binary("Z", "X", "Y"), [("Z", "X"), ("X", "Y"), ("Z", "Y")],
        cpts={"Z": c["P(Z)"], "X": {"given": ["Z"], "table": c["P(X|Z)[z][x]"]},
              "Y": {"given": ["X", "Z"], "table": c["P(Y|X,Z)[x][z][y]"]}},
    )
    case = ref["backdoor_model"]
    for x in (0, 1):
        for method in ("surgery", "identify"):
            got = answer(model, f"P(Y=1 | do(X={x}))", method=method).value()
            assert abs(got - case[f"P(Y=1|do(X={x}))"]) < TOL
    ate = answer(model, "P(Y=1 | do(X=1))").value() - answer(model, "P(Y=1 | do(X=0))").value()
    assert abs(ate - case["ATE"]) < TOL


def napkin(case: dict) -> CausalModel:
    c = case["cpds"]

    def bern(p: object) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        return np.stack([1 - p, p], axis=-1)

    return CausalModel.build(
        binary("U1", "U2", "Z2", "Z1", "X", "Y"),
        [("U1", "Z2"), ("U2", "Z2"), ("Z2", "Z1"), ("Z1", "X"), ("U1", "X"), ("X", "Y"), ("U2", "Y")],
        latents=["U1", "U2"],
        cpts={"U1": c["P(U1)"], "U2": c["P(U2)"],
              "Z2": {"given": ["U1", "U2"], "table": bern(c["P(Z2=1|U1,U2)[u1][u2]"])},
              "Z1": {"given": ["Z2"], "table": bern(c["P(Z1=1|Z2)[z2]"])},
              "X": {"given": ["Z1", "U1"], "table": bern(c["P(X=1|Z1,U1)[z1][u1]"])},
              "Y": {"given": ["X", "U2"], "table": bern(c["P(Y=1|X,U2)[x][u2]"])}},
    )


def test_napkin_identified_where_y0_fails(ref: dict) -> None:
    case = ref["napkin"]
    model = napkin(case)
    est = identify(model.graph(), ["Y"], ["X"])
    assert "Z2" in str(est.formula) and est.extra() == ("Z1",)
    joint = model.observational()
    for x in (0, 1):
        truth = answer(model, f"P(Y=1 | do(X={x}))", method="surgery").value()
        assert abs(truth - case[f"P(Y=1|do(X={x}))"]) < TOL
        assert abs(est.prob(joint, {"X": x, "Y": 1}) - truth) < TOL
        # y0's answer P(Y | X) is the observational conditional: different
        wrong = answer(model, f"P(Y=1 | X={x})").value()
        assert abs(wrong - case["P(Y=1|X=0/1) observational"][x]) < TOL
        assert abs(wrong - truth) > 0.1


def test_napkin_estimand_does_not_depend_on_z1(ref: dict) -> None:
    from causal.formula import evaluate

    model = napkin(ref["napkin"])
    est = identify(model.graph(), ["Y"], ["X"])
    value = evaluate(est.formula, model.observational())
    by_z1 = value.marginal(("Z1", "X", "Y")).array
    assert np.allclose(by_z1[0], by_z1[1], atol=TOL, rtol=0)


def test_bow_is_not_identifiable_with_hedge(ref: dict) -> None:
    case = ref["bow_nonidentifiable"]
    joint = Table.from_flat("XY", [(0, 1)] * 2, case["observational_joint_X_Y_flat"])
    model = CausalModel.build(binary("X", "Y"), [("X", "Y")], bidirected=[("X", "Y")], data=joint)
    with pytest.raises(NotIdentifiable) as info:
        answer(model, "P(Y=1 | do(X=1))")
    assert info.value.hedge.F == {"X", "Y"} and info.value.hedge.F_prime == {"Y"}
    assert "hedge" in str(info.value)
    # the reference's two models disagree, so no number could be right
    a, b = case["model_A_P(Y=1|do(X=0)), do(X=1)"], case["model_B_P(Y=1|do(X=0)), do(X=1)"]
    assert a != b


def test_bow_two_models_agree_on_observations_disagree_on_do() -> None:
    """Build the hedge's witness ourselves: confounded vs. unconfounded bow models."""
    g = Graph.parse("X -> Y, X <-> Y")
    # model A: U latent, X copies U, Y = depends on X and U
    a = CausalModel.build(
        {"U": (0, 1), "X": (0, 1), "Y": (0, 1)}, [("U", "X"), ("X", "Y"), ("U", "Y")], latents=["U"],
        cpts={"U": [0.5, 0.5], "X": {"given": ["U"], "table": [[1, 0], [0, 1]]},
              "Y": {"given": ["X", "U"], "table": [[[0.8, 0.2], [0.5, 0.5]], [[0.5, 0.5], [0.2, 0.8]]]}},
    )
    joint = a.observational()
    b = CausalModel.build(
        {"X": (0, 1), "Y": (0, 1)}, [("X", "Y")],
        cpts={"X": joint.marginal(["X"]).array, "Y": {"given": ["X"], "table": joint.array / joint.array.sum(1, keepdims=True)}},
    )
    assert np.allclose(b.observational().array, joint.array, atol=TOL)
    assert abs(answer(a, "P(Y=1 | do(X=1))").value() - answer(b, "P(Y=1 | do(X=1))").value()) > 0.1
    assert a.graph() == g
