"""Exact interventional queries on a model with every mechanism: surgery as factor elimination.

``P(Y | do(X=x), E=e)`` is the interpretation of the cut diagram (`causal.surgery`) conditioned
on ``E=e``, i.e. a sum of a product of the cut network's CPTs. `Engine` computes it without
drawing the diagram:

1. *Requisite factors.* Only the ancestors of ``Y`` and ``E`` in the cut graph (``X`` keeps
   no parents) carry CPTs that matter. ``X=x`` and ``E=e`` slice the tables that mention
   them (a fixed variable is no longer summed), which splits the factor graph: the part
   connected to the outputs gives the answer; every other part is a constant that
   normalisation cancels, computed only to detect conditioning on an impossible event (and
   not at all when its CPTs have no zero entry, or one assignment of positive probability is
   found at once).
2. *Plan.* `causal.eliminate.plan` orders the eliminations (min-fill / min-weight) and knows
   every table size before anything is allocated (`LimitError` past ``max_cells``).
3. *Caches, per model.* Plans are keyed by the query's shape (its variables, not their
   values), so ``P(Y | do(X=0))`` and ``P(Y | do(X=1))`` share one; intermediate tables
   (messages) are keyed by the sub-network they summarise and the values fixed inside it, so
   a message that does not depend on ``x`` is computed once for both (an LRU bounded in cells).

>>> from causal.model import load_model
>>> engine = Engine(load_model("frontdoor"))
>>> print(engine.table(["C"], {"S": 1}, {}))
C=0  0.57
C=1  0.43
>>> print(engine.table(["C"], {"S": None}, {"T": 1}))
S=0, C=0  0.5
S=0, C=1  0.5
S=1, C=0  0.5
S=1, C=1  0.5
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from causal.eliminate import DEFAULT_MAX_CELLS, Plan, execute, plan
from causal.errors import CausalError, LimitError
from causal.semantics import Table, state_index

if TYPE_CHECKING:
    from causal.model import CausalModel

#: Messages whose sub-plan costs fewer multiply-adds than this are recomputed, not cached.
_WORTH_CACHING = 20_000


@dataclass(frozen=True)
class _Factors:
    """The sliced CPTs a plan reads: per factor, its node and which axes are fixed."""

    nodes: tuple[str, ...]
    #: Per factor, per axis: the fixed variable sliced there, or ``None`` for a kept axis.
    fixed_axes: tuple[tuple[str | None, ...], ...]

    def arrays(self, cpts: Mapping[str, np.ndarray], values: Mapping[str, int]) -> list[np.ndarray]:
        out = []
        for node, axes in zip(self.nodes, self.fixed_axes, strict=True):
            arr = cpts[node]
            if any(a is not None for a in axes):
                arr = arr[tuple(slice(None) if a is None else values[a] for a in axes)]
            out.append(arr)
        return out


@dataclass(frozen=True)
class _QueryPlan:
    """Everything about a query's shape that does not depend on the values it fixes."""

    outputs: tuple[str, ...]
    n_outcomes: int
    main: Plan
    main_factors: _Factors
    main_keys: tuple[tuple[int, tuple[str, ...]] | None, ...]
    #: The disconnected remainder (a scalar: only its sign matters) as factors and their kept
    #: axes; planned on first need (`Engine._side`).
    side_factors: _Factors | None
    side_scopes: tuple[tuple[str, ...], ...]


def _describe(outcomes: Sequence[str], do: Mapping[str, Any], given: Mapping[str, Any]) -> str:
    """``P(Y | do(X=1), Z)`` for error messages."""
    def terms(items: Any) -> str:
        return ", ".join(v if x is None else f"{v}={x}" for v, x in items)

    cond = ([f"do({terms(do.items())})"] if do else []) + ([terms(given.items())] if given else [])
    return f"P({', '.join(outcomes)}{' | ' + ', '.join(cond) if cond else ''})"


def _witness(nodes: Sequence[str], scopes: Sequence[tuple[str, ...]], arrays: Sequence[np.ndarray]) -> bool:
    """Whether a quick search finds one assignment of positive probability for these sliced
    CPTs (in topological order): each free node takes its likeliest state given the choices
    above it; a fixed node's entry must be positive. ``False`` means "not found", not "none".
    """
    chosen: dict[str, int] = {}
    for node, axes, arr in zip(nodes, scopes, arrays, strict=True):
        if axes and axes[-1] == node:
            chosen[node] = int(np.argmax(arr[tuple(chosen[a] for a in axes[:-1])]))
        elif arr[tuple(chosen[a] for a in axes)] <= 0:
            return False
    return True


class _LRU(OrderedDict[Hashable, np.ndarray]):
    """A least-recently-used cache bounded by the total cells it holds."""

    def __init__(self, max_cells: int) -> None:
        super().__init__()
        self.max_cells, self.cells, self.hits = max_cells, 0, 0

    def clear(self) -> None:
        super().clear()
        self.cells = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        if key in self:
            self.move_to_end(key)
            self.hits += 1
            return self[key]
        return default

    def __setitem__(self, key: Hashable, value: np.ndarray) -> None:
        if value.size > self.max_cells:
            return
        if key in self:
            self.cells -= self[key].size
        super().__setitem__(key, value)
        self.cells += value.size
        while self.cells > self.max_cells:
            _, old = self.popitem(last=False)
            self.cells -= old.size


@dataclass(frozen=True, eq=False)
class ObservedMarginals:
    """The observed distribution of a model with CPTs, one marginal at a time (a
    `causal.formula.Marginals`): an estimand is evaluated term by term, each term's table from
    the engine, without building the joint of all the variables it mentions."""

    model: CausalModel
    max_cells: int = DEFAULT_MAX_CELLS

    @property
    def variables(self) -> tuple[str, ...]:
        return self.model.observed

    def marginal(self, keep: Sequence[str]) -> Table:
        return self.model.engine.table(list(keep), {}, {}, max_cells=self.max_cells)

    def domain(self, var: str) -> tuple[Any, ...]:
        return tuple(self.model.domains[var])


class Engine:
    """Queries on one model with every mechanism (see the module docstring).

    Parameters
    ----------
    cache_cells:
        The most cells of intermediate tables kept across queries.
    cache_min_cost:
        Keep a message only when computing it (with what it needs) costs at least this many
        multiply-adds; cheaper ones are recomputed.
    """

    def __init__(self, model: CausalModel, cache_cells: int = 2_000_000, cache_min_cost: int = _WORTH_CACHING) -> None:
        if not model.has_mechanisms:
            raise CausalError("exact inference needs every mechanism (CPT); the model has only observations",
                              where=model.where)
        self.model = model
        self.rank = {v: i for i, v in enumerate(model.variables)}
        self.sizes = {v: len(d) for v, d in model.domains.items()}
        self.scopes = {v: (*model.parents[v], v) for v in model.variables}
        #: CPTs without a zero: a part of the network made only of them has positive mass.
        self.positive = {v: bool(np.all(model.cpts[v] > 0)) for v in model.variables}
        self.plans: OrderedDict[Hashable, _QueryPlan] = OrderedDict()
        self.side_plans: dict[Hashable, Plan] = {}
        self.messages = _LRU(cache_cells)
        self.cache_min_cost = cache_min_cost
        self._signatures: dict[Hashable, int] = {}

    def table(
        self,
        outcomes: Sequence[str],
        do: Mapping[str, Any],
        given: Mapping[str, Any],
        *,
        max_cells: int = DEFAULT_MAX_CELLS,
    ) -> Table:
        """``P(outcomes | do(do), given)`` over (open do variables, open given, outcomes).

        A ``None`` value leaves a variable open: an open ``do`` variable is an input of the
        table, an open ``given`` one is conditioned on value by value (NaN where it has
        probability zero).

        Raises
        ------
        CausalError
            Unknown variable or value; conditioning on an event of probability zero.
        LimitError
            When a table would exceed ``max_cells`` (checked before allocating).
        """
        m = self.model
        for v in [*outcomes, *do, *given]:
            m.check_variable(v)
        values = {v: state_index(v, m.domains[v], x) for v, x in [*do.items(), *given.items()] if x is not None}
        key = (tuple(outcomes), tuple((v, x is None) for v, x in do.items()),
               tuple((v, x is None) for v, x in given.items()))
        qp = self.plans.get(key)
        if qp is None:
            qp = self._plan(list(outcomes), do, given, max_cells)
            self.plans[key] = qp
            if len(self.plans) > 512:
                self.plans.popitem(last=False)
        else:
            self.plans.move_to_end(key)
            if qp.main.peak > max_cells:  # planned under a larger cap
                qp = self._plan(list(outcomes), do, given, max_cells)
        keys = [None if k is None else (k[0], tuple(values[n] for n in k[1])) for k in qp.main_keys]
        arr = execute(qp.main, qp.main_factors.arrays(m.cpts, values), cache=self.messages, keys=keys)
        if qp.side_factors is not None:
            side = qp.side_factors.arrays(m.cpts, values)
            if not _witness(qp.side_factors.nodes, qp.side_scopes, side) and \
                    float(execute(self._side(key, qp, max_cells, _describe(outcomes, do, given)), side)) <= 0:
                self._impossible(do, given)
        n = qp.n_outcomes
        mass = arr.sum(axis=tuple(range(arr.ndim - n, arr.ndim)), keepdims=True)
        open_given = any(x is None for x in given.values())
        if given and (np.all(mass <= 0.0) or (not open_given and np.any(mass <= 0.0))):
            self._impossible(do, given)
        with np.errstate(invalid="ignore", divide="ignore"):
            cond = np.where(mass > 0, arr / np.where(mass > 0, mass, 1.0), np.nan)
        return Table(qp.outputs, tuple(m.domains[v] for v in qp.outputs), cond)

    def _impossible(self, do: Mapping[str, Any], given: Mapping[str, Any]) -> None:
        event = ", ".join(f"{v}={x}" for v, x in given.items() if x is not None)
        cut = ", ".join(f"{v}={x}" if x is not None else v for v, x in do.items())
        under = f" under do({cut})" if do else ""
        raise CausalError(f"conditioning on the zero-probability event {event}{under}", where=self.model.where)

    def _plan(self, outcomes: list[str], do: Mapping[str, Any], given: Mapping[str, Any], max_cells: int) -> _QueryPlan:
        try:
            return self._plan_at(outcomes, do, given, max_cells)
        except LimitError as exc:
            raise exc.at(self.model.where) from None

    def _plan_at(self, outcomes: list[str], do: Mapping[str, Any], given: Mapping[str, Any],
                 max_cells: int) -> _QueryPlan:
        m = self.model
        fixed = {v for v, x in [*do.items(), *given.items()] if x is not None}
        open_do = [v for v, x in do.items() if x is None]
        outputs = tuple(open_do + [v for v, x in given.items() if x is None] + outcomes)
        result = math.prod(self.sizes[v] for v in outputs)
        if result > max_cells:  # the answer itself is over the cap: no need to plan
            raise LimitError(_describe(outcomes, do, given), result, max_cells)
        relevant: set[str] = set()
        stack = [*outcomes, *given]
        while stack:
            v = stack.pop()
            if v not in relevant:
                relevant.add(v)
                if v not in do:
                    stack += m.parents[v]
        nodes = sorted(relevant - set(do), key=self.rank.__getitem__)
        scopes = self.scopes
        kept = {v: tuple(a for a in scopes[v] if a not in fixed) for v in nodes}
        # the component of the outputs in the graph of factors sharing a kept variable
        touching: dict[str, list[str]] = {}
        for v in nodes:
            for a in kept[v]:
                touching.setdefault(a, []).append(v)
        main: set[str] = set()
        frontier = [a for a in outputs if a in touching]
        seen = set(frontier)
        while frontier:
            a = frontier.pop()
            for v in touching[a]:
                if v not in main:
                    main.add(v)
                    for b in kept[v]:
                        if b not in seen:
                            seen.add(b)
                            frontier.append(b)
        what = _describe(outcomes, do, given)
        main_nodes = [v for v in nodes if v in main]
        side_nodes = [v for v in nodes if v not in main]
        main_plan = plan([kept[v] for v in main_nodes], self.sizes, outputs, max_cells=max_cells,
                         what=what, rank=self.rank)
        main_factors = self._factors(main_nodes, scopes, fixed)
        positive = all(self.positive[v] for v in side_nodes)
        side_factors = None if positive else self._factors(side_nodes, scopes, fixed)
        return _QueryPlan(outputs, len(outcomes), main_plan, main_factors,
                          self._keys(main_plan, main_nodes, scopes, fixed, do), side_factors,
                          tuple(kept[v] for v in side_nodes))

    def _side(self, key: Hashable, qp: _QueryPlan, max_cells: int, query: str) -> Plan:
        """The plan of the disconnected remainder, made when some of its tables have zeros."""
        p = self.side_plans.get(key)
        if p is None or p.peak > max_cells:
            try:
                p = plan(qp.side_scopes, self.sizes, (), max_cells=max_cells, rank=self.rank,
                         what=f"the probability of the evidence of {query}")
            except LimitError as exc:
                raise exc.at(self.model.where) from None
            self.side_plans[key] = p
            if len(self.side_plans) > 512:
                del self.side_plans[next(iter(self.side_plans))]
        return p

    def clear(self) -> None:
        """Forget every cached plan and message (a benchmark's cold start)."""
        self.plans.clear()
        self.side_plans.clear()
        self.messages.clear()
        self._signatures.clear()

    @staticmethod
    def _factors(nodes: list[str], scopes: Mapping[str, tuple[str, ...]], fixed: set[str]) -> _Factors:
        return _Factors(tuple(nodes), tuple(tuple(a if a in fixed else None for a in scopes[v]) for v in nodes))

    def _keys(self, p: Plan, nodes: list[str], scopes: Mapping[str, tuple[str, ...]], fixed: set[str],
              do: Mapping[str, Any]) -> tuple[tuple[int, tuple[str, ...]] | None, ...]:
        """Per step, a cache key template: (signature id, fixed variables whose values complete it).

        A signature names the sub-network a message summarises: its CPTs (and whether each is
        cut) and the variables summed, so equal signatures in different plans are equal tables.
        """
        if p.cost < self.cache_min_cost:
            return (None,) * len(p.steps)
        if len(self._signatures) > 200_000:  # a long session of distinct shapes: start afresh
            self.clear()
        sig: list[Hashable] = [(v, tuple(a in fixed for a in scopes[v])) for v in nodes]
        names: list[frozenset[str]] = [frozenset(a for a in scopes[v] if a in fixed) for v in nodes]
        costs: list[int] = [0] * len(nodes)
        keys: list[tuple[int, tuple[str, ...]] | None] = []
        for st in p.steps:
            s = (frozenset(sig[i] for i in st.inputs), st.eliminated, st.labels)
            sid = self._signatures.setdefault(s, len(self._signatures))
            sig.append(sid)
            names.append(frozenset().union(*(names[i] for i in st.inputs)))
            costs.append(st.cost + sum(costs[i] for i in st.inputs))
            big = costs[-1] >= self.cache_min_cost
            keys.append((sid, tuple(sorted(names[-1], key=self.rank.__getitem__))) if big else None)
        return tuple(keys)
