"""Variable elimination: an elimination order, then one einsum per eliminated variable.

Every number `causal` computes from mechanisms is a sum of a product of tables: the
interpretation of a string diagram, or the CPTs of a cut network. What it costs is decided by
the order in which the variables are summed out. `plan` orders them greedily by *min-fill*
(the variable whose elimination adds the fewest edges to the interaction graph; ties by the
smaller table) and by *min-weight* (the smallest table), keeps the cheaper order, and knows
the size of every table it will allocate: beyond ``max_cells`` it raises `LimitError` before
anything is allocated. `execute` runs a plan with one `numpy.einsum` per eliminated variable
(its bucket of factors multiplied and summed in one pass, so no product larger than the
bucket's own table exists), optionally reusing results from a cache across plans.

Invariant: the tables `execute` allocates are exactly the plan's step results, so
``Plan.peak`` bounds the memory of a query and ``Plan.cost`` its arithmetic.

>>> a, b = np.array([0.3, 0.7]), np.array([[0.9, 0.1], [0.2, 0.8]])
>>> p = plan([("S",), ("S", "C")], {"S": 2, "C": 2}, ["C"])
>>> p.order, p.peak
(('S',), 2)
>>> execute(p, [a, b]).round(2)
array([0.41, 0.59])
>>> plan([("A",), ("B",)], {"A": 10**5, "B": 10**5}, ["A", "B"], max_cells=10**6)
Traceback (most recent call last):
...
causal.errors.LimitError: the query needs a table of 10,000,000,000 cells (80 GB), over the cap of 1,000,000 cells (raise it with --max-cells)
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

import numpy as np

from causal.errors import LimitError

#: The default cap on one table: 5e7 float64 cells are 400 MB.
DEFAULT_MAX_CELLS = 50_000_000

#: Below this many multiply-adds, planning a second order costs more than it can save.
_CHEAP = 5_000_000

#: A step above this many multiply-adds is worth numpy's own (BLAS) contraction path.
_BLAS = 100_000

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

L = TypeVar("L", bound=Hashable)


class Step(NamedTuple):
    """One `numpy.einsum`: read ``inputs`` (slots), write the next slot with axes ``labels``."""

    inputs: tuple[int, ...]
    spec: str
    labels: tuple[Hashable, ...]
    #: The variable summed out here (``None`` for the final product over the kept labels).
    eliminated: Hashable | None
    #: Multiply-adds of this step: cells of the bucket's table times its operands.
    cost: int


@dataclass(frozen=True)
class Plan:
    """How to contract ``n_inputs`` tables to one over ``keep`` (see the module docstring)."""

    n_inputs: int
    steps: tuple[Step, ...]
    #: The slot holding the result: an input slot when nothing had to be computed.
    result: int
    #: Labels of the result slot, in the order of ``keep`` (labels no table mentions are
    #: missing and broadcast by `execute`).
    present: tuple[Hashable, ...]
    keep: tuple[Hashable, ...]
    shape: tuple[int, ...]
    order: tuple[Hashable, ...]
    peak: int
    cost: int
    heuristic: str


def plan(
    scopes: Sequence[Sequence[L]],
    sizes: Mapping[L, int],
    keep: Sequence[L],
    *,
    max_cells: int = DEFAULT_MAX_CELLS,
    what: str = "the query",
    rank: Mapping[L, int] | None = None,
) -> Plan:
    """Plan the contraction of tables with axes ``scopes`` down to the labels ``keep``.

    Parameters
    ----------
    sizes:
        The number of states of each label.
    max_cells:
        The largest table allowed (cells); `LimitError` beyond it.
    what:
        What the error message says needs the table.
    rank:
        A total order on labels: it breaks ties deterministically and orders the axes of
        intermediate tables (so equal sub-plans give equal arrays, which a cache can share).

    Raises
    ------
    LimitError
        When both orders need a table larger than ``max_cells`` (the message has its size).
    """
    keep = tuple(keep)
    scopes = [tuple(s) for s in scopes]
    if rank is None:
        rank = {}
        for lab in [*keep, *(x for s in scopes for x in s)]:
            rank.setdefault(lab, len(rank))
    best: Plan | None = None
    for heuristic in ("min-weight", "min-fill"):  # min-fill plans slower: only when the bound says so
        candidate = _eliminate(scopes, sizes, keep, heuristic, rank)
        if best is None or (candidate.peak, candidate.cost) < (best.peak, best.cost):
            best = candidate
        if best.cost < _CHEAP and best.peak <= max_cells:
            break
    assert best is not None
    if best.peak > max_cells:
        raise LimitError(what, best.peak, max_cells)
    return best


def _eliminate(
    scopes: Sequence[Sequence[L]], sizes: Mapping[L, int], keep: tuple[L, ...],
    heuristic: str, rank: Mapping[L, int],
) -> Plan:
    """Eliminate greedily on the interaction graph (labels sharing a table are adjacent).

    A variable's neighbours when it is eliminated are exactly the axes of its bucket's
    result, so ordering and building the steps is one pass. Neighbourhoods are kept as sets
    and, for min-fill, also as bit masks: a variable's fill (missing edges among its
    neighbours) costs one popcount per neighbour.
    """
    labels = sorted({a for s in scopes for a in s}, key=rank.__getitem__)
    index = {a: i for i, a in enumerate(labels)}
    size = [sizes[a] for a in labels]
    adj: list[set[int]] = [set() for _ in labels]
    where: list[set[int]] = [set() for _ in labels]
    axes: list[tuple[int, ...]] = []
    for k, s in enumerate(scopes):
        ids = tuple(index[a] for a in s)
        axes.append(ids)
        for i in ids:
            adj[i].update(ids)
            where[i].add(k)
    for i, nb in enumerate(adj):
        nb.discard(i)
    fill = heuristic == "min-fill"
    mask = [sum(1 << j for j in nb) for nb in adj] if fill else []
    kept = {index[a] for a in keep if a in index}
    todo = set(range(len(labels))) - kept

    def score(i: int) -> tuple[int, int]:
        nb = adj[i]
        weight = size[i] * math.prod([size[j] for j in nb])
        if not fill:
            return weight, 0
        m = mask[i]
        return sum((m & ~mask[j]).bit_count() - 1 for j in nb) // 2, weight

    current = {i: score(i) for i in todo}
    heap = [(sc, i) for i, sc in current.items()]
    heapq.heapify(heap)
    alive = set(range(len(scopes)))
    steps: list[Step] = []
    order: list[Hashable] = []
    peak, total = 1, 0
    while heap:
        sc, i = heapq.heappop(heap)
        if i not in todo or current[i] != sc:
            continue  # a stale entry: i was rescored or eliminated
        todo.discard(i)
        order.append(labels[i])
        nb = adj[i]
        bucket = sorted(where[i])
        out = tuple(sorted(nb))
        cells = math.prod([size[j] for j in out])
        cost = cells * size[i] * len(bucket)
        peak, total = max(peak, cells), total + cost
        slot = len(scopes) + len(steps)
        steps.append(Step(tuple(bucket), _spec([axes[b] for b in bucket], out), tuple(labels[j] for j in out),
                          labels[i], cost))
        axes.append(out)
        for b in bucket:
            alive.discard(b)
            for j in axes[b]:
                where[j].discard(b)
        alive.add(slot)
        for j in out:
            where[j].add(slot)
            adj[j].discard(i)
            adj[j].update(nb)
            adj[j].discard(j)
        touched = set(nb)
        if fill:  # a second neighbour's fill drops only if it sees two of nb
            nb_mask = mask[i]
            for j in nb:
                mask[j] = (mask[j] | nb_mask) & ~(1 << j) & ~(1 << i)
            for j in nb:
                touched.update(k for k in adj[j] if (mask[k] & nb_mask).bit_count() >= 2)
        for j in touched & todo:
            new = score(j)
            if new != current[j]:
                current[j] = new
                heapq.heappush(heap, (new, j))
    present = tuple(a for a in keep if a in index)
    final = tuple(index[a] for a in present)
    rest = sorted(alive)
    shape = tuple(sizes[a] for a in keep)
    if len(rest) == 1 and axes[rest[0]] == final:
        result = rest[0]
    else:
        cells = math.prod([size[j] for j in final])
        peak, total = max(peak, cells), total + cells * max(len(rest), 1)
        steps.append(Step(tuple(rest), _spec([axes[b] for b in rest], final), present, None, cells * len(rest)))
        result = len(scopes) + len(steps) - 1
    return Plan(len(scopes), tuple(steps), result, present, keep, shape, tuple(order), peak, total, heuristic)


def _spec(inputs: list[tuple[Hashable, ...]], out: tuple[Hashable, ...]) -> str:
    """``"ab,bc->ac"`` for the labels of ``inputs`` and ``out`` (letters assigned locally)."""
    letters: dict[Hashable, str] = {}
    for labs in inputs:
        for a in labs:
            letters.setdefault(a, _LETTERS[len(letters) % len(_LETTERS)])
    if len(letters) > len(_LETTERS):
        return ""  # a table over more than 52 axes: far over any cap, never executed
    return ",".join("".join(letters[a] for a in labs) for labs in inputs) + "->" + "".join(letters[a] for a in out)


def execute(
    p: Plan,
    arrays: Sequence[np.ndarray],
    *,
    cache: MutableMapping[Hashable, np.ndarray] | None = None,
    keys: Sequence[Hashable | None] | None = None,
) -> np.ndarray:
    """Run ``p`` on ``arrays`` (one per scope given to `plan`); the result has axes ``p.keep``.

    With ``cache`` and ``keys`` (one per step, ``None`` for steps not worth keeping), a step
    whose key is cached is not computed, nor is anything only it needed; computed steps with
    a key are stored.
    """
    n = p.n_inputs
    values: dict[int, np.ndarray] = dict(enumerate(arrays))
    needed: set[int] | None = None
    if cache is not None and keys is not None:
        needed = set()
        stack = [p.result]
        while stack:
            slot = stack.pop()
            if slot < n:
                continue
            key = keys[slot - n]
            hit = cache.get(key) if key is not None else None
            if hit is not None:
                values[slot] = hit
                continue
            needed.add(slot)
            stack.extend(p.steps[slot - n].inputs)
    for k, st in enumerate(p.steps):
        slot = n + k
        if needed is not None and slot not in needed:
            continue
        if not st.inputs:
            values[slot] = np.ones(())
        elif st.cost < _BLAS or len(st.inputs) < 2:
            values[slot] = np.einsum(st.spec, *(values[i] for i in st.inputs))
        else:  # a big bucket: pairwise products through BLAS beat one pass over the bucket's table
            values[slot] = np.einsum(st.spec, *(values[i] for i in st.inputs), optimize="greedy")
        if needed is not None and keys is not None and keys[k] is not None:
            cache[keys[k]] = values[slot]  # type: ignore[index]
    out = np.asarray(values[p.result], dtype=float)
    if p.present == p.keep:
        return out
    reshape = tuple(n if a in p.present else 1 for a, n in zip(p.keep, p.shape, strict=True))
    return np.broadcast_to(out.reshape(reshape), p.shape).copy()


def contract(factors: Iterable[tuple[np.ndarray, Sequence[Hashable]]], keep: Sequence[Hashable],
             *, max_cells: int = DEFAULT_MAX_CELLS, what: str = "the contraction") -> np.ndarray:
    """Sum every label not in ``keep`` out of the product of ``factors`` (plan, then execute).

    A label repeated within one factor (a box fed twice by one copied wire) takes the diagonal.

    Example
    -------
    >>> a, b = np.array([0.3, 0.7]), np.array([[0.9, 0.1], [0.2, 0.8]])
    >>> contract([(a, [0]), (b, [0, 1])], [1]).round(2)
    array([0.41, 0.59])
    """
    arrays: list[np.ndarray] = []
    scopes: list[tuple[Hashable, ...]] = []
    sizes: dict[Hashable, int] = {}
    for arr, labs in factors:
        labs = list(labs)
        if len(set(labs)) != len(labs):
            uniq = list(dict.fromkeys(labs))
            arr = np.einsum(_spec([tuple(labs)], tuple(uniq)), arr)
            labs = uniq
        arrays.append(arr)
        scopes.append(tuple(labs))
        sizes.update(zip(labs, arr.shape, strict=True))
    return execute(plan(scopes, sizes, keep, max_cells=max_cells, what=what), arrays)
