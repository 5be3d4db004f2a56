"""Estimands: probability formulas over the observational distribution, and their values.

A `Formula` is built from `Prob` (``P(Y | X, Z)``, a term of the observed joint), `Sum`
(marginalise bound variables), `Product` and `Ratio`. A `Sum` binds its variables: in
``P(T | S) Σ_{S} P(C | S, T) P(S)`` the inner ``S`` is not the outer one (the front-door
formula). `evaluate` computes a formula on an observed joint `Table` with one einsum per
sum-of-product; a zero denominator is a positivity violation and raises `CausalError`.

>>> f = Sum(("Z",), Product((Prob(("Y",), ("X", "Z")), Prob(("Z",)))))
>>> print(f)
Σ_{Z} P(Y | X, Z) P(Z)
>>> eval(repr(f)) == f
True
>>> sorted(f.free())
['X', 'Y']
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from causal.eliminate import DEFAULT_MAX_CELLS, contract
from causal.errors import CausalError
from causal.semantics import Table


@dataclass(frozen=True)
class Prob:
    """``P(vars | given)`` of the observational distribution."""

    vars: tuple[str, ...]
    given: tuple[str, ...] = ()

    def free(self) -> set[str]:
        return set(self.vars) | set(self.given)

    def __str__(self) -> str:
        head = ", ".join(self.vars)
        return f"P({head} | {', '.join(self.given)})" if self.given else f"P({head})"


@dataclass(frozen=True)
class Sum:
    """``Σ_{over} body``: the variables in ``over`` are bound."""

    over: tuple[str, ...]
    body: Formula

    def free(self) -> set[str]:
        return self.body.free() - set(self.over)

    def __str__(self) -> str:
        return f"Σ_{{{', '.join(self.over)}}} {self.body}"


@dataclass(frozen=True)
class Product:
    """The pointwise product of its factors (sums inside are bracketed when they are not last)."""

    factors: tuple[Formula, ...]

    def free(self) -> set[str]:
        return set().union(*(f.free() for f in self.factors))

    def __str__(self) -> str:
        parts = []
        for i, f in enumerate(self.factors):
            last = i == len(self.factors) - 1
            parts.append(f"[{f}]" if isinstance(f, Ratio) or (isinstance(f, Sum) and not last) else str(f))
        return " ".join(parts)


@dataclass(frozen=True)
class Ratio:
    """``num / den`` (a conditional of a derived distribution)."""

    num: Formula
    den: Formula

    def free(self) -> set[str]:
        return self.num.free() | self.den.free()

    def __str__(self) -> str:
        return f"[{self.num}] / [{self.den}]"


Formula = Prob | Sum | Product | Ratio


class Marginals(Protocol):
    """The observed distribution as `evaluate` reads it: its variables and their marginals."""

    @property
    def variables(self) -> tuple[str, ...]: ...

    def marginal(self, keep: Sequence[str]) -> Table: ...

    def domain(self, var: str) -> tuple[Any, ...]: ...


def summ(over: Iterable[str], body: Formula) -> Formula:
    """``Σ_{over} body`` with the obvious simplifications (empty sums, marginals of a joint).

    Example
    -------
    >>> print(summ(["Z"], Prob(("X", "Y", "Z"))))
    P(X, Y)
    """
    over = tuple(v for v in dict.fromkeys(over) if v in body.free())
    if not over:
        return body
    if isinstance(body, Prob) and not body.given and set(over) < set(body.vars):
        return Prob(tuple(v for v in body.vars if v not in over))
    if isinstance(body, Sum):
        return Sum(body.over + over, body.body)
    return Sum(over, body)


def product(factors: Iterable[Formula]) -> Formula:
    """The product of ``factors`` (nested products flattened, sums last for readability)."""
    flat: list[Formula] = []
    for f in factors:
        flat += list(f.factors) if isinstance(f, Product) else [f]
    flat.sort(key=lambda f: isinstance(f, Sum))
    return flat[0] if len(flat) == 1 else Product(tuple(flat))


# --- evaluation ------------------------------------------------------------------------
def evaluate(formula: Formula, joint: Marginals, *, batch: str | None = None,
             max_cells: int = DEFAULT_MAX_CELLS) -> Table:
    """The value of ``formula`` on ``joint``: a table over its free variables.

    ``joint`` is the observed distribution: a `Table`, or anything that gives its marginals
    (a model with CPTs gives each term's marginal without the full joint, `causal.infer`).

    Parameters
    ----------
    batch:
        A variable of ``joint`` that indexes independent distributions (bootstrap replicates:
        ``joint`` is then ``P(batch) P(rest | batch)``). Every term is computed within each
        replicate, the result keeps the ``batch`` axis, and a zero denominator gives NaN in
        its replicate instead of an error.
    max_cells:
        The largest table a sum of products may build (`LimitError` beyond).

    Raises
    ------
    CausalError
        Unknown variable, or a zero denominator (positivity fails), naming the term.

    Example
    -------
    >>> import numpy as np
    >>> two = Table(("b", "X"), ((0, 1), (0, 1)), np.array([[0.25, 0.25], [0.5, 0.0]]))
    >>> evaluate(Prob(("X",)), two, batch="b").marginal(["b", "X"]).array.tolist()
    [[0.5, 0.5], [1.0, 0.0]]
    """
    extra = (batch,) if batch else ()
    if isinstance(formula, Prob):
        num = joint.marginal(formula.vars + formula.given + extra)
        if not formula.given and not batch:
            return num
        den = joint.marginal(formula.given + extra)
        return _divide(num, den, str(formula), strict=batch is None)
    if isinstance(formula, Sum):
        factors = formula.body.factors if isinstance(formula.body, Product) else (formula.body,)
        keep = [v for v in _order(formula.body, joint, batch) if v not in formula.over]
        return _contract([evaluate(f, joint, batch=batch, max_cells=max_cells) for f in factors], keep, max_cells)
    if isinstance(formula, Product):
        parts = [evaluate(f, joint, batch=batch, max_cells=max_cells) for f in formula.factors]
        return _contract(parts, _order(formula, joint, batch), max_cells)
    num = evaluate(formula.num, joint, batch=batch, max_cells=max_cells)
    den = evaluate(formula.den, joint, batch=batch, max_cells=max_cells)
    return _divide(num, den, str(formula), strict=batch is None)


def _order(formula: Formula, joint: Marginals, batch: str | None = None) -> list[str]:
    free = formula.free() | ({batch} if batch else set())
    known = [v for v in joint.variables if v in free]
    return known + sorted(free - set(known))


def _contract(tables: list[Table], keep: list[str], max_cells: int) -> Table:
    doms = {v: d for t in tables for v, d in zip(t.variables, t.domains, strict=True)}
    arr = contract(((t.array, t.variables) for t in tables), keep, max_cells=max_cells, what="the estimand")
    return Table(tuple(keep), tuple(doms[v] for v in keep), np.asarray(arr))


def _divide(num: Table, den: Table, term: str, *, strict: bool = True) -> Table:
    variables = num.variables + tuple(v for v in den.variables if v not in num.variables)
    doms = num.domains + tuple(d for v, d in zip(den.variables, den.domains, strict=True) if v not in num.variables)
    a = _align(num, variables, doms)
    b = _align(den, variables, doms)
    zero = np.broadcast_to(b, np.broadcast_shapes(a.shape, b.shape)) <= 0.0
    if not strict:
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(zero, np.nan, a / np.where(b > 0, b, 1.0))
        return Table(variables, doms, np.broadcast_to(out, tuple(len(d) for d in doms)).copy())
    if np.any(zero):
        idx = np.unravel_index(int(np.flatnonzero(zero)[0]), zero.shape)
        at = ", ".join(f"{v}={d[i]}" for v, d, i in zip(variables, doms, idx, strict=True) if v in den.variables)
        raise CausalError(f"positivity fails: the denominator of {term} is zero at {at}")
    return Table(variables, doms, np.broadcast_to(a / b, tuple(len(d) for d in doms)).copy())


def _align(t: Table, variables: tuple[str, ...], doms: tuple[tuple[object, ...], ...]) -> np.ndarray:
    """``t.array`` transposed to ``variables`` order, with size-1 axes for the missing ones."""
    present = [v for v in variables if v in t.variables]
    arr = t.array.transpose([t.variables.index(v) for v in present])
    return arr.reshape([len(d) if v in t.variables else 1 for v, d in zip(variables, doms, strict=True)])


def rename_bound(formula: Formula, taken: set[str] | None = None) -> Formula:
    """Alpha-rename bound variables that shadow others to fresh primed names.

    Example
    -------
    >>> f = Product((Prob(("T",), ("S",)), Sum(("S",), Product((Prob(("C",), ("S", "T")), Prob(("S",)))))))
    >>> print(rename_bound(f))
    P(T | S) Σ_{S'} P(C | S', T) P(S')
    """
    taken = set(formula.free()) if taken is None else taken
    if isinstance(formula, Prob):
        return formula
    if isinstance(formula, Product):
        return Product(tuple(rename_bound(f, taken) for f in formula.factors))
    if isinstance(formula, Ratio):
        return Ratio(rename_bound(formula.num, taken), rename_bound(formula.den, taken))
    mapping = {}
    for v in formula.over:
        if v in taken:
            new = next(v + "'" * k for k in itertools.count(1) if v + "'" * k not in taken)
            mapping[v] = new
        taken.add(mapping.get(v, v))
    body = _substitute(formula.body, mapping) if mapping else formula.body
    return Sum(tuple(mapping.get(v, v) for v in formula.over), rename_bound(body, taken))


def _substitute(formula: Formula, mapping: dict[str, str]) -> Formula:
    if isinstance(formula, Prob):
        return Prob(tuple(mapping.get(v, v) for v in formula.vars), tuple(mapping.get(v, v) for v in formula.given))
    if isinstance(formula, Product):
        return Product(tuple(_substitute(f, mapping) for f in formula.factors))
    if isinstance(formula, Ratio):
        return Ratio(_substitute(formula.num, mapping), _substitute(formula.den, mapping))
    inner = {k: v for k, v in mapping.items() if k not in formula.over}
    return Sum(formula.over, _substitute(formula.body, inner))
