"""Comb disintegration (JKZ, section 5): interventions computed from observations alone.

For the front-door shape ``S -> T -> C`` with ``S <-> C`` hidden, JKZ split the observed joint
``ω`` over ``S, T, C`` into a 2-comb — the state ``P(S)`` and the channel ``P(C | S, T)``
with a hole where ``T`` is produced — and the channel ``P(T | S)`` that fills the hole:
plugging ``P(T | S)`` back, fed by the comb's own ``S``, gives ``ω`` again; feeding it
an external ``s`` instead is the surgery ``do(S = s)`` and gives ``P(C | do(S))``.

`estimand_diagram` generalises the picture: an identified estimand that is a sum of a
product of observed conditionals (front-door, back-door, ...) becomes a string diagram whose
boxes are those conditionals, with the intervened variables as open inputs.

>>> from causal.model import load_model
>>> omega = load_model("smoking").observational()
>>> comb, hole = comb_disintegrate(omega, "S", "T", "C")
>>> np.allclose(comb.plug(hole).array, omega.array)
True
>>> comb.intervene(hole).array[:, 1].round(6)
array([0.253478, 0.542297])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from causal.diagram import Box, Diagram, Layer, Ty
from causal.errors import CausalError
from causal.formula import Prob, evaluate
from causal.identify import Estimand, identify  # noqa: F401 - identify is used in the example
from causal.model import CausalModel
from causal.semantics import Interpretation, Table, interpret  # noqa: F401 - interpret: example


@dataclass(frozen=True, eq=False)
class Comb:
    """The 2-comb ``(P(S), P(C | S, T))`` of a front-door joint, with a hole ``S -> T``."""

    s: str
    t: str
    c: str
    first: np.ndarray  # P(s)
    second: np.ndarray  # P(c | s, t), axes (s, t, c)
    domains: tuple[tuple[object, ...], tuple[object, ...], tuple[object, ...]]

    def plug(self, hole: np.ndarray) -> Table:
        """Fill the hole with a channel ``S -> T`` fed by the comb's own ``S``: a joint."""
        arr = np.einsum("s,st,stc->stc", self.first, hole, self.second)
        return Table((self.s, self.t, self.c), self.domains, arr)

    def intervene(self, hole: np.ndarray) -> Table:
        """Fill the hole with a channel fed by an external ``S``: ``P(C | do(S))``, axes (S, C)."""
        arr = np.einsum("xt,s,stc->xc", hole, self.first, self.second)
        return Table((self.s, self.c), (self.domains[0], self.domains[2]), arr)


def comb_disintegrate(joint: Table, s: str, t: str, c: str) -> tuple[Comb, np.ndarray]:
    """Split ``joint`` over ``s, t, c`` into its comb and the channel ``P(t | s)``.

    Raises
    ------
    CausalError
        For unknown variables, or a zero-probability ``(s, t)`` (the comb is then undefined).
    """
    om = joint.marginal((s, t, c))
    p_s = om.array.sum(axis=(1, 2))
    p_st = om.array.sum(axis=2)
    if np.any(p_st <= 0):
        i, j = np.argwhere(p_st <= 0)[0]
        raise CausalError(f"comb disintegration needs P({s}, {t}) > 0; it is 0 at {s}={om.domains[0][i]}, {t}={om.domains[1][j]}")
    hole = p_st / p_s[:, None]
    second = om.array / p_st[:, :, None]
    return Comb(s, t, c, p_s, second, om.domains), hole  # type: ignore[arg-type]


def estimand_diagram(estimand: Estimand, joint: Table) -> tuple[Diagram, Interpretation]:
    """The estimand as a string diagram ``x -> y`` whose boxes are observed conditionals.

    Bound variables are renamed apart (``S'`` is the comb's own ``S`` in the front-door
    formula); boxes are named by their conditional (``P(C|S',T)``) and the returned
    interpretation sends them to the conditionals of ``joint``, so interpreting the diagram
    gives the estimand's value.

    Example
    -------
    >>> from causal.model import load_model
    >>> m = load_model("smoking")
    >>> d, sem = estimand_diagram(identify(m.graph(), ["C"], ["S"]), m.observational())
    >>> print(d)
    P(T|S) >> T @ P(S') >> Perm(Ty('T', "S'"), (1, 0)) >> P(C|S',T)
    >>> interpret(d, sem)[:, 1].round(6)
    array([0.253478, 0.542297])

    Raises
    ------
    CausalError
        For estimands that are not a product of conditionals (a ratio, as in the napkin).
    """
    _, factors = estimand.as_product()
    heads = [f.vars[0] for f in factors]
    if len(set(heads)) != len(heads):
        raise CausalError(f"the estimand {estimand.formula} uses a variable twice; no diagram")

    def orig(v: str) -> str:
        return v.rstrip("'")

    domains = {v: joint.domain(orig(v)) for v in [*estimand.x, *heads]}
    edges = [(g, f.vars[0]) for f in factors for g in f.given]
    cpts: dict[str, object] = {x: np.full(len(domains[x]), 1.0 / len(domains[x])) for x in estimand.x}
    for f in factors:
        value = evaluate(Prob((orig(f.vars[0]),), tuple(orig(g) for g in f.given)), joint)
        order = [orig(g) for g in f.given] + [orig(f.vars[0])]
        cpts[f.vars[0]] = {"given": list(f.given), "table": value.marginal(order).array}
    model = CausalModel.build(domains, edges, cpts=cpts, name=f"estimand of {estimand.query()}")
    names = {f.vars[0]: f"P({f.vars[0]}|{','.join(f.given)})" if f.given else f"P({f.vars[0]})" for f in factors}
    layers = tuple(
        Layer(lay.left, Box(names[lay.gen.name], lay.gen.dom, lay.gen.cod), lay.right)
        if isinstance(lay.gen, Box) else lay
        for lay in model.diagram(estimand.y, {x: None for x in estimand.x}).layers
    )
    d = Diagram(Ty(*estimand.x), Ty(*estimand.y), layers)
    return d, Interpretation(model.domains, {names[v]: a for v, a in model.cpts.items() if v in names})
