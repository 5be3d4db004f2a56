"""Syntax laws, the interpretation functor, and surgery as a diagram transformation."""

from __future__ import annotations

import numpy as np
import pytest

from causal.diagram import Box, Copy, Diagram, Discard, Id, Layer, Perm, Point, Ty, swap  # noqa: F401
from causal.errors import CausalError
from causal.graph import Graph
from causal.model import load_model, random_model
from causal.semantics import Interpretation, interpret
from causal.surgery import do

A, B, C, D = Ty("A"), Ty("B"), Ty("C"), Ty("D")
rng = np.random.default_rng(0)
SEM = Interpretation(
    {"A": (0, 1), "B": (0, 1, 2), "C": (0, 1), "D": (0, 1, 2)},
    {"f": rng.dirichlet(np.ones(3), size=2), "g": rng.dirichlet(np.ones(2), size=2),
     "h": rng.dirichlet(np.ones(2), size=3), "k": rng.dirichlet(np.ones(3), size=2),
     "s": rng.dirichlet(np.ones(2)), "m": rng.dirichlet(np.ones(3), size=(2, 2))},
)
f, g, h, k = Box("f", A, B), Box("g", C, C), Box("h", B, A), Box("k", C, D)
s, m = Box("s", Ty(), A), Box("m", A @ C, B)


def same(d1: Diagram, d2: Diagram) -> bool:
    return np.allclose(interpret(d1, SEM), interpret(d2, SEM), atol=1e-12)


def test_category_laws_hold_syntactically() -> None:
    fd, hd = f.diagram(), h.diagram()
    assert (fd >> hd) >> fd == fd >> (hd >> fd)
    assert Id(A) >> fd == fd == fd >> Id(B)
    assert (fd @ g) @ k == fd @ (g @ k)
    assert Id(Ty()) @ fd == fd == fd @ Id(Ty())


def test_interchange_law_holds_semantically() -> None:
    left = (f @ g) >> (h @ k)
    right = (f >> h) @ (g >> k)
    assert left != right
    assert same(left, right)


def test_symmetry_and_copy_laws() -> None:
    assert same(swap(A, C) >> swap(C, A), Id(A @ C))
    assert same(f @ g >> swap(B, C), swap(A, C) >> g @ f)  # naturality of the swap
    assert same(Copy("A") >> swap(A, A), Copy("A").diagram())  # copy is commutative
    assert same(Copy("A") >> Copy("A") @ A, Copy("A", 3).diagram())  # and associative
    assert same(Copy("A") >> Discard("A") @ A, Id(A))  # counit


def test_discard_is_natural_for_stochastic_boxes() -> None:
    # discopy 1.2.2 cannot show this syntactically (its issue #169); the semantics does
    assert f >> Discard("B") != Discard("A").diagram()
    assert same(f >> Discard("B"), Discard("A").diagram())
    assert same(s >> Copy("A") >> A @ Box("f", A, B) >> Discard("A") @ B, s >> f)


def test_channels_with_copied_inputs() -> None:
    # a two-input box fed by one copied wire (discopy 1.2.2's from_callable trips on this)
    sem = Interpretation(SEM.domains, {**SEM.arrays, "m2": SEM.arrays["m"]})
    d = s >> Copy("A") >> Box("m2", A @ A, B)
    expected = np.einsum("a,aab->b", SEM.arrays["s"], SEM.arrays["m"])
    assert np.allclose(interpret(d, sem), expected)
    arr = interpret(s >> Copy("A", 3) >> A @ f @ A, SEM)
    assert arr.shape == (2, 3, 2)
    assert np.allclose(arr[0, :, 1], 0) and np.allclose(arr.sum(), 1)
    assert np.allclose(interpret(s >> Copy("A"), SEM), np.diag(SEM.arrays["s"]))
    with pytest.raises(CausalError, match="domain mismatch: CPT of 'm'"):
        interpret(Box("m", A @ B, B), SEM)


def test_interpretation_is_stochastic() -> None:
    d = s >> Copy("A") >> f @ A >> B @ Box("s", Ty(), A) @ A >> Discard("B") @ A @ A
    arr = interpret(d, SEM, check=True)
    assert arr.min() >= 0 and abs(arr.sum() - 1) < 1e-12


def test_repr_round_trips() -> None:
    d = (f @ g >> swap(B, C) >> Discard("C") @ h) >> Copy("A") >> Point("A", 1) @ A @ A
    assert eval(repr(d)) == d


def test_composition_checks_types() -> None:
    with pytest.raises(CausalError, match="domain mismatch"):
        _ = f >> k


def test_surgery_equals_building_the_cut_model() -> None:
    m = load_model("napkin")
    sem = m.interpretation()
    full = m.diagram()
    for x in (0, 1):
        assert np.allclose(interpret(do(full, X=x), sem), interpret(m.diagram(do={"X": x}), sem), atol=1e-12)
    opened = interpret(do(full, X=None), sem)  # X becomes an input: a channel X -> Z2 Z1 X Y
    assert opened.shape == (2, 2, 2, 2, 2)
    assert np.allclose(opened.sum(axis=(1, 2, 3, 4)), 1)
    assert np.allclose(opened[1], interpret(do(full, X=1), sem), atol=1e-12)
    assert do(full, X=1).cod == full.cod and do(full, X=None).dom == Ty("X")


def test_surgery_on_random_models_matches_model_level_do() -> None:
    g = Graph.parse("A -> B, B -> C, A -> C, C -> D, A <-> D, B <-> D")
    for seed in range(3):
        m = random_model(g, seed=seed, card=3)
        sem = m.interpretation()
        cut = do(m.diagram(["D", "C"]), B=2, A=None)
        built = m.diagram(["D", "C"], {"A": None, "B": 2})
        assert np.allclose(interpret(cut, sem), interpret(built, sem), atol=1e-12)


def test_surgery_needs_a_mechanism() -> None:
    with pytest.raises(CausalError, match="no mechanism produces 'Q'"):
        do(f.diagram(), Q=1)
