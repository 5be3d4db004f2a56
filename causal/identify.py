"""Identification: the ID algorithm of Shpitser and Pearl (2006), after Tian and Pearl (2002).

`identify(graph, y, x, z)` decides whether ``P(y | do(x), z)`` is a function of the
observational distribution of the ADMG ``graph`` and, if it is, returns an `Estimand` (a
`causal.formula.Formula` with the query it answers). If not, it raises `NotIdentifiable`
carrying a `Hedge`: two c-forests ``F' ⊂ F`` with ``F ∩ x ≠ ∅ = F' ∩ x``, a proof that two
models agree on observations yet disagree on the query. Conditional queries go through IDC
(Shpitser and Pearl 2006b): evidence that is d-separated from ``y`` after the intervention
becomes an intervention, the rest is conditioned on at the end.

The ID algorithm is complete: a failure means the query is not identifiable in any way,
unlike back-door or front-door adjustment alone (the napkin graph is identified here).

>>> from causal.graph import Graph
>>> print(identify(Graph.parse("S -> T, T -> C, S <-> C"), ["C"], ["S"]))
P(C | do(S)) = Σ_{T} P(T | S) Σ_{S} P(S) P(C | S, T)
>>> identify(Graph.parse("X -> Y, X <-> Y"), ["Y"], ["X"])
Traceback (most recent call last):
...
causal.errors.NotIdentifiable: P(Y | do(X)) is not identifiable: hedge F = {X, Y}, F' = {Y}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from causal.eliminate import DEFAULT_MAX_CELLS
from causal.errors import CausalError, NotIdentifiable
from causal.formula import (
    Formula,
    Marginals,
    Prob,
    Product,
    Ratio,
    Sum,
    evaluate,
    product,
    rename_bound,
    summ,
)
from causal.graph import Graph
from causal.hedge import Hedge
from causal.semantics import Table


@dataclass(frozen=True)
class Estimand:
    """``P(y | do(x), z) = formula``: the identified query."""

    y: tuple[str, ...]
    x: tuple[str, ...]
    z: tuple[str, ...]
    formula: Formula

    def query(self) -> str:
        parts = [f"do({', '.join(self.x)})"] if self.x else []
        parts += list(self.z)
        return f"P({', '.join(self.y)} | {', '.join(parts)})" if parts else f"P({', '.join(self.y)})"

    def variables(self) -> tuple[str, ...]:
        """Every variable the estimand reads from the observed joint, sorted."""
        found: set[str] = set()

        def walk(f: Formula) -> None:
            if isinstance(f, Prob):
                found.update(f.vars, f.given)
            elif isinstance(f, Sum):
                walk(f.body)
            elif isinstance(f, Product):
                for g in f.factors:
                    walk(g)
            else:
                walk(f.num)
                walk(f.den)

        walk(self.formula)
        return tuple(sorted(found | {*self.x, *self.z, *self.y}))

    def extra(self) -> tuple[str, ...]:
        """Free variables beyond the query's: fixed by ID's line 3, the value does not depend
        on them (the napkin's ``Z1``)."""
        return tuple(sorted(self.formula.free() - {*self.y, *self.x, *self.z}))

    def __str__(self) -> str:
        extra = f"  (any {', '.join(self.extra())})" if self.extra() else ""
        return f"{self.query()} = {self.formula}{extra}"

    def evaluate(self, joint: Marginals, *, batch: str | None = None, max_cells: int = DEFAULT_MAX_CELLS) -> Table:
        """The table over ``x + z + y`` (every combination) computed from the observed joint.

        Extra free variables (see `extra`) are averaged over: on an exact joint every value
        gives the same answer; on samples the average is the steadier estimate. With
        ``batch`` (see `causal.formula.evaluate`) the table has that axis first.
        """
        value = evaluate(self.formula, joint, batch=batch, max_cells=max_cells)
        variables = ((batch,) if batch else ()) + (*self.x, *self.z, *self.y)
        doms = tuple(joint.domain(v) for v in variables)
        present = [v for v in variables if v in value.variables]
        arr = value.marginal(present).array if present else value.array
        arr = arr / np.prod([len(value.domain(v)) for v in self.extra()], dtype=float)
        shape = [len(d) if v in present else 1 for v, d in zip(variables, doms, strict=True)]
        arr = np.broadcast_to(arr.reshape(shape), tuple(len(d) for d in doms)).copy()
        return Table(variables, doms, arr)

    def prob(self, joint: Table, values: Mapping[str, Any]) -> float:
        """One number: ``P(y=.. | do(x=..), z=..)`` with every value given."""
        table = self.evaluate(joint)
        missing = [v for v in table.variables if v not in values]
        if missing:
            raise CausalError(f"no value given for {missing}")
        return table.prob({v: values[v] for v in table.variables})

    def as_product(self) -> tuple[tuple[str, ...], tuple[Prob, ...]]:
        """``(summed variables, conditionals)`` when the estimand is a sum of a product of
        single-variable conditionals (after renaming bound variables apart), as for the
        front-door and back-door formulas: the shape a string diagram can draw.

        Raises
        ------
        CausalError
            For estimands with a ratio of sums (the napkin) or multi-variable terms.
        """
        over: list[str] = []
        factors: list[Prob] = []

        def walk(f: Formula) -> None:
            if isinstance(f, Prob) and len(f.vars) == 1:
                factors.append(f)
            elif isinstance(f, Prob):
                head = list(f.vars)
                for i, v in enumerate(head):
                    factors.append(Prob((v,), tuple(head[:i]) + f.given))
            elif isinstance(f, Ratio):
                raise CausalError(f"the estimand {self.formula} has a ratio of sums; it is not a product of conditionals")
            elif isinstance(f, Product):
                for g in f.factors:
                    walk(g)
            elif isinstance(f, Sum):
                over.extend(f.over)
                walk(f.body)

        walk(rename_bound(self.formula))
        return tuple(over), tuple(factors)


def identify(
    graph: Graph, y: Sequence[str], x: Sequence[str], z: Sequence[str] = ()
) -> Estimand:
    """Identify ``P(y | do(x), z)`` in ``graph`` (an ADMG over observed variables).

    Raises
    ------
    NotIdentifiable
        With the hedge, when the query is not identifiable.
    CausalError
        For a variable not in the graph, or overlapping ``y``, ``x``, ``z``.
    """
    for v in [*y, *x, *z]:
        if v not in graph.nodes:
            raise CausalError(f"unknown variable {v!r}; the graph has {list(graph.nodes)}")
    if set(y) & set(x) or set(y) & set(z) or set(x) & set(z):
        raise CausalError(f"outcome, intervention and evidence overlap: {list(y)}, {list(x)}, {list(z)}")
    if not y:
        raise CausalError("a query needs at least one outcome variable")
    joint = Prob(tuple(graph.nodes))
    query = Estimand(tuple(y), tuple(x), tuple(z), joint).query()
    try:
        formula = _idc(set(y), set(x), set(z), joint, graph)
    except _Fail as fail:
        raise NotIdentifiable(query, fail.hedge) from None
    return Estimand(tuple(y), tuple(x), tuple(z), formula)


class _Fail(Exception):
    def __init__(self, hedge: Hedge) -> None:
        self.hedge = hedge


def _idc(y: set[str], x: set[str], z: set[str], p: Formula, g: Graph) -> Formula:
    for zi in sorted(z, key=g.rank.__getitem__):
        cut = g.cut_incoming(x).cut_outgoing({zi})
        if cut.d_separated(y, {zi}, x | (z - {zi})):
            return _idc(y, x | {zi}, z - {zi}, p, g)
    joint = _id(y | z, x, p, g)
    if not z:
        return joint
    return Ratio(joint, summ(_sorted(y, g), joint))


def _id(y: set[str], x: set[str], p: Formula, g: Graph) -> Formula:
    v = set(g.nodes)
    if not x:  # line 1
        return summ(_sorted(v - y, g), p)
    an = g.ancestors(y)
    if an != v:  # line 2
        return _id(y, x & an, summ(_sorted(v - an, g), p), g.subgraph(an))
    w = (v - x) - g.cut_incoming(x).ancestors(y)
    if w:  # line 3
        return _id(y, x | w, p, g)
    districts = g.subgraph(v - x).c_components()
    if len(districts) > 1:  # line 4
        return summ(_sorted(v - (y | x), g), product(_id(set(s), v - s, p, g) for s in districts))
    s = districts[0]
    whole = g.c_components()
    if len(whole) == 1:  # line 5
        raise _Fail(Hedge(frozenset(v), s, frozenset(x)))
    order = g.topological_order()
    if s in whole:  # line 6
        terms = [_conditional(p, u, order[: order.index(u)], g) for u in order if u in s]
        return summ(_sorted(s - y, g), product(terms))
    bigger = next(c for c in whole if s < c)  # line 7
    terms = [_conditional(p, u, order[: order.index(u)], g) for u in order if u in bigger]
    return _id(y, x & bigger, product(terms), g.subgraph(bigger))


def _conditional(p: Formula, u: str, before: list[str], g: Graph) -> Formula:
    """``P(u | before)`` under the distribution ``p`` over the nodes of ``g``."""
    if isinstance(p, Prob) and not p.given and set(p.vars) == set(g.nodes):
        # p is the observed joint of an ancestral set, Markov to g: u depends on its
        # predecessors only through its Markov pillow (district and the district's parents)
        return Prob((u,), tuple(v for v in before if v in _pillow(g, u, before)))
    v = set(g.nodes)
    num = summ(_sorted(v - {u} - set(before), g), p)
    if not before:
        return num
    return Ratio(num, summ(_sorted(v - set(before), g), p))


def _pillow(g: Graph, u: str, before: list[str]) -> set[str]:
    """The Markov pillow of ``u`` in ``g`` restricted to ``before + [u]``: u's district there
    (found from u alone, not from every district of the subgraph) and the district's parents."""
    allowed = {*before, u}
    district, stack = {u}, [u]
    while stack:
        for w in g.siblings(stack.pop()):
            if w in allowed and w not in district:
                district.add(w)
                stack.append(w)
    parents = set().union(*(g.parents(v) for v in district)) & allowed
    return (district | parents) - {u}


def _sorted(vs: Iterable[str], g: Graph) -> list[str]:
    rank = g.rank
    return sorted(vs, key=lambda n: (rank.get(n, len(rank)), n))
