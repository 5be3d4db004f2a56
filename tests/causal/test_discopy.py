"""Cross-check: our interpretation functor agrees with discopy 1.2.2's tensor functor."""

from __future__ import annotations

import numpy as np
import pytest

from causal.diagram import Box, Copy, Diagram, Discard, Perm, Point, Ty
from causal.model import load_model
from causal.semantics import Interpretation, interpret
from causal.surgery import do

markov = pytest.importorskip("discopy.markov")
tensor = pytest.importorskip("discopy.tensor")


def to_discopy(d: Diagram, sem: Interpretation):  # type: ignore[no-untyped-def]
    """Translate layer by layer; return the discopy diagram and its tensor functor."""
    arrays: dict[object, object] = {}

    def ty(obs: object) -> object:
        return markov.Ty(*obs)  # type: ignore[misc]

    out = markov.Id(ty(d.dom))
    for lay in d.layers:
        g = lay.gen
        if isinstance(g, Box):
            gen = markov.Box(g.name, ty(g.dom), ty(g.cod))
            arrays[gen] = sem.arrays[g.name]
        elif isinstance(g, Point):
            gen = markov.Box(str(g), markov.Ty(), ty([g.ob]))
            arrays[gen] = np.eye(sem.size(g.ob))[sem.index(g.ob, g.value)]
        elif isinstance(g, Copy):
            gen = markov.Copy(ty([g.ob]), g.n)
        elif isinstance(g, Discard):
            gen = markov.Discard(ty([g.ob]))
        else:
            assert isinstance(g, Perm)
            gen = markov.Diagram.permutation(list(g.perm), ty(g.dom))
        out = out >> ty(lay.left) @ gen @ ty(lay.right)
    sizes = {markov.Ty(v): len(dom) for v, dom in sem.domains.items()}
    return out, tensor.Functor(ob=sizes, ar=arrays, dom=markov.Category(), dtype=float)


@pytest.mark.parametrize("name", ["frontdoor", "napkin", "backdoor"])
def test_interpretations_agree(name: str) -> None:
    m = load_model(name)
    sem = m.interpretation()
    for d in (m.diagram(), do(m.diagram(), **{m.observed[1]: 1}), do(m.diagram(), **{m.observed[1]: None})):
        theirs, functor = to_discopy(d, sem)
        ours = interpret(d, sem)
        assert np.allclose(np.asarray(functor(theirs).array).reshape(ours.shape), ours, atol=1e-12)


def test_permutation_convention() -> None:
    sem = Interpretation({"A": (0, 1), "B": (0, 1, 2), "C": (0, 1, 2, 3)}, {})
    d = Perm(Ty("A", "B", "C"), (2, 0, 1)).diagram()
    theirs, functor = to_discopy(d, sem)
    assert theirs.cod == markov.Ty("C", "A", "B")
    assert np.allclose(np.asarray(functor(theirs).array).reshape(2, 3, 4, 4, 2, 3), interpret(d, sem))
