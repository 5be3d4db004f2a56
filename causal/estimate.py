"""Causal effects from data: the identified estimand on the empirical distribution, with
bootstrap confidence intervals and a positivity check per stratum.

Most users have a sample, not CPTs. `estimate` identifies ``P(y | do(x), z)`` in the model's
graph (`causal.identify`: back-door, front-door, napkin, ... or a hedge), evaluates the
estimand on the sample's empirical joint (optionally smoothed by ``smoothing`` pseudo-rows
per cell), and gives a percentile bootstrap interval. The bootstrap is vectorised: resampling
``n`` rows with replacement only changes how many rows fall in each cell of the joint, so a
replicate is one multinomial draw of cell counts, and all replicates are evaluated at once as
one table with a replicate axis (`causal.formula.evaluate` with ``batch``).

Positivity is checked per stratum before anything is computed: every conditional term
``P(A | G)`` of the estimand needs rows in each stratum ``G = g`` it reads (strata fixed by the
query are the only ones read for free variables; a summed variable reads all its values). An
empty stratum is an error naming the term and the stratum, unless ``smoothing`` fills it; thin
strata (fewer than ``min_rows`` rows) are listed with the estimate.

>>> from causal.model import load_model
>>> from causal.sample import sample
>>> m = load_model("frontdoor")
>>> e = estimate(m, sample(m, 5000, seed=1), "P(C=1 | do(S=1))", resamples=200, seed=0)
>>> print(f"{e.value():.3f} [{e.interval()[0]:.3f}, {e.interval()[1]:.3f}]")  # the truth is 0.43
0.439 [0.416, 0.462]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from causal.data import Samples, counts
from causal.eliminate import DEFAULT_MAX_CELLS
from causal.errors import CausalError
from causal.formula import Formula, Prob, Product, Ratio, Sum, rename_bound
from causal.identify import Estimand, identify
from causal.model import CausalModel
from causal.query import Query, parse_query, select
from causal.semantics import Table, state_index

#: The name of the replicate axis (cannot clash with a variable: not a query name).
_REPLICATE = "#replicate"


@dataclass(frozen=True)
class Stratum:
    """Rows of the data in one stratum ``given = values`` of a conditional term."""

    term: str
    assignment: tuple[tuple[str, Any], ...]
    rows: int

    def __str__(self) -> str:
        at = ", ".join(f"{v}={x}" for v, x in self.assignment)
        return f"{at} (in {self.term}): {self.rows} row{'s' if self.rows != 1 else ''}"


@dataclass(frozen=True, eq=False)
class Estimate:
    """The estimate of a query from data, over the query's open variables (as `Answer.table`)."""

    query: Query
    estimand: Estimand
    point: Table
    low: Table
    high: Table
    n: int
    resamples: int
    level: float
    seed: int
    smoothing: float
    #: Strata with fewer than ``min_rows`` rows (empty ones only appear with smoothing).
    thin: tuple[Stratum, ...]
    #: How many strata the estimand reads, and the smallest of them.
    strata: int
    smallest: Stratum | None
    #: Bootstrap replicates with an empty stratum (no estimate there; left out of the interval).
    failed: int
    #: The replicates themselves, shape ``(resamples, *point.shape)`` (for contrasts such as
    #: an average treatment effect, whose interval is not the difference of two intervals).
    draws: np.ndarray | None = None

    def value(self) -> float:
        if self.point.variables:
            raise CausalError(f"{self.query} leaves {list(self.point.variables)} open; it is a table")
        return float(self.point.array)

    def interval(self) -> tuple[float, float]:
        if self.point.variables:
            raise CausalError(f"{self.query} leaves {list(self.point.variables)} open; it is a table")
        return float(self.low.array), float(self.high.array)

    def rows(self) -> list[tuple[tuple[Any, ...], float, float, float]]:
        """``(values, estimate, low, high)`` for every assignment of the open variables."""
        out = []
        for idx in itertools.product(*(range(len(d)) for d in self.point.domains)):
            vals = tuple(d[i] for d, i in zip(self.point.domains, idx, strict=True))
            out.append((vals, float(self.point.array[idx]), float(self.low.array[idx]), float(self.high.array[idx])))
        return out

    def __str__(self) -> str:
        pct = f"{self.level:.0%}"
        if not self.point.variables:
            lo, hi = self.interval()
            return f"{self.query} = {self.value():.4f}  {pct} CI [{lo:.4f}, {hi:.4f}]"
        lines = [f"{self.query}  (estimate, {pct} CI)"]
        for vals, p, lo, hi in self.rows():
            at = ", ".join(f"{v}={x}" for v, x in zip(self.point.variables, vals, strict=True))
            lines.append(f"{at}  {p:.4f}  [{lo:.4f}, {hi:.4f}]")
        return "\n".join(lines)


def estimate(
    model: CausalModel,
    samples: Samples,
    query: Query | str,
    *,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    smoothing: float = 0.0,
    min_rows: int = 10,
    max_cells: int = DEFAULT_MAX_CELLS,
    where: str | None = None,
) -> Estimate:
    """Estimate ``query`` from ``samples`` of ``model``'s observed variables (see the module docstring).

    Parameters
    ----------
    model:
        Gives the graph (with latents) and the domains; its CPTs, if any, are not used.
    resamples:
        Bootstrap replicates (0: no interval).
    smoothing:
        Pseudo-rows added to every cell of the joint (additive/Dirichlet smoothing).
    where:
        The data file, for error messages.

    Raises
    ------
    NotIdentifiable
        With the hedge, when no estimand exists.
    CausalError
        Unknown variables or values; an empty stratum without smoothing (positivity), naming
        the term and the stratum.
    LimitError
        When the joint (times a chunk of replicates) would exceed ``max_cells``.
    """
    q = parse_query(query) if isinstance(query, str) else query
    for v, x in (*q.outcomes, *q.do, *q.given):
        model.check_variable(v, observed=True)
        if x is not None:
            model.check_value(v, x)
    if not 0 < level < 1:
        raise CausalError(f"the confidence level must be between 0 and 1, not {level}")
    if smoothing < 0:
        raise CausalError(f"smoothing must be a non-negative number of pseudo-rows, not {smoothing}")
    est = identify(model.graph(), [v for v, _ in q.outcomes], [v for v, _ in q.do], [v for v, _ in q.given])
    variables = est.variables()
    doms = [model.domains[v] for v in variables]
    try:
        c = counts(samples.select(variables), doms, max_cells=max_cells).astype(float)
    except CausalError as exc:
        raise exc.at(where) if where else exc from None
    n = int(c.sum())
    strata = _strata(est, q, Table(variables, tuple(map(tuple, doms)), c))
    empty = [s for s in strata if s.rows == 0]
    if empty and smoothing == 0:
        raise CausalError(f"positivity fails: no row has {str(empty[0]).split(' (in ')[0]}, which "
                          f"{empty[0].term} needs ({len(empty)} empty strata); collect such rows, "
                          f"or use smoothing", where=where)

    def joint(cells: np.ndarray) -> np.ndarray:
        smoothed = cells + smoothing
        axes = tuple(range(smoothed.ndim - len(variables), smoothed.ndim))
        return smoothed / smoothed.sum(axis=axes, keepdims=True)

    table = Table(variables, tuple(map(tuple, doms)), joint(c))
    point = select(est.evaluate(table), q)
    low, high, failed, reps = point, point, 0, None
    if resamples > 0:
        reps = _bootstrap(est, q, c, variables, doms, joint, resamples, seed, max_cells)
        failed = int(np.isnan(reps.reshape(resamples, -1)).any(axis=1).sum())
        alpha = (1 - level) / 2
        with np.errstate(invalid="ignore"):
            lo, hi = np.nanquantile(reps, [alpha, 1 - alpha], axis=0)
        low = Table(point.variables, point.domains, np.asarray(lo))
        high = Table(point.variables, point.domains, np.asarray(hi))
    thin = tuple(s for s in strata if s.rows < min_rows)
    return Estimate(q, est, point, low, high, n, resamples, level, seed, smoothing, thin, len(strata),
                    min(strata, key=lambda s: s.rows) if strata else None, failed, reps)


def _bootstrap(est: Estimand, q: Query, c: np.ndarray, variables: Sequence[str], doms: Sequence[Sequence[Any]],
               joint: Any, resamples: int, seed: int, max_cells: int) -> np.ndarray:
    """``resamples`` replicates of the estimate (NaN where a replicate has an empty stratum).

    Rows are resampled as multinomial cell counts; replicates are evaluated in chunks that keep
    the replicated joint under ``max_cells``.
    """
    rng = np.random.default_rng(seed)
    n, cells = int(c.sum()), c.size
    chunk = max(1, min(resamples, max_cells // max(cells, 1)))
    out = []
    for start in range(0, resamples, chunk):
        k = min(chunk, resamples - start)
        draws = rng.multinomial(n, (c / n).ravel(), size=k).reshape((k, *c.shape)).astype(float)
        p = joint(draws) / k  # P(replicate) P(cell | replicate)
        table = Table((_REPLICATE, *variables), (tuple(range(k)), *map(tuple, doms)), p)
        out.append(select(est.evaluate(table, batch=_REPLICATE), q).array)
    return np.concatenate(out, axis=0)


def _strata(est: Estimand, q: Query, c: Table) -> list[Stratum]:
    """Every stratum a conditional term of the estimand reads, with its rows in ``c`` (counts).

    Bound variables are renamed apart first (the front-door's inner ``S`` is ``S'``), so a
    free variable fixed by the query reads only its value while a summed one reads all.
    """
    fixed = {v: x for v, x in (*q.do, *q.given) if x is not None}
    out: dict[tuple[str, tuple[tuple[str, Any], ...]], Stratum] = {}
    for term in _terms(rename_bound(est.formula, set(est.formula.free()) | set(fixed))):
        if not term.given:
            continue
        names = [g.rstrip("'") for g in term.given]
        shown = str(Prob(tuple(v.rstrip("'") for v in term.vars), tuple(names)))
        rows = c.marginal(names)
        choices = [[fixed[g]] if g in fixed and g == name else list(c.domain(name))
                   for g, name in zip(term.given, names, strict=True)]
        for values in itertools.product(*choices):
            assignment = tuple(zip(names, values, strict=True))
            idx = tuple(state_index(v, c.domain(v), x) for v, x in assignment)
            out.setdefault((shown, assignment), Stratum(shown, assignment, int(round(float(rows.array[idx])))))
    return list(out.values())


def _terms(f: Formula) -> list[Prob]:
    if isinstance(f, Prob):
        return [f]
    if isinstance(f, Sum):
        return _terms(f.body)
    if isinstance(f, Product):
        return [t for g in f.factors for t in _terms(g)]
    if isinstance(f, Ratio):
        return _terms(f.num) + _terms(f.den)
    return []
