"""The interpretation functor: string diagrams to stochastic tensors over finite sets.

A wire named ``X`` is the finite set ``domains[X]``; a box ``f: A @ B -> C`` is an array of
shape ``(|A|, |B|, |C|)`` whose entries over the output axes sum to one (a stochastic
matrix). `interpret` turns a whole diagram into one einsum: every wire becomes an index,
copying a wire reuses its index, discarding it sums it out, a permutation renames, and
`causal.eliminate` picks the contraction order. The result has the input axes first.

`Table` is a joint distribution over named variables with marginals, conditioning
(disintegration) and a printable form.

Invariant: an interpreted diagram is stochastic when all its boxes are (`check_stochastic`).

>>> from causal.diagram import Box, Copy, Ty
>>> S, C = Ty("S"), Ty("C")
>>> sem = Interpretation({"S": (0, 1), "C": (0, 1)},
...                      {"s": np.array([0.3, 0.7]), "c": np.array([[0.9, 0.1], [0.2, 0.8]])})
>>> interpret(Box("s", Ty(), S) >> Box("c", S, C), sem).round(2)
array([0.41, 0.59])
>>> joint = interpret(Box("s", Ty(), S) >> Copy("S") >> S @ Box("c", S, C), sem)
>>> print(Table(("S", "C"), ((0, 1), (0, 1)), joint).condition({"S": 1}))
C=0  0.2
C=1  0.8
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from causal.diagram import Box, Copy, Diagram, Discard, Generator, Perm, Point
from causal.eliminate import DEFAULT_MAX_CELLS, contract
from causal.errors import CausalError, LimitError

#: Tolerance of the stochasticity checks: published networks (pgmpy's alarm, hepar2, sachs)
#: round their CPT rows, which then sum to 1 within 1e-7 only.
ATOL = 1e-6


@dataclass(frozen=True, eq=False)
class Interpretation:
    """Where the functor sends wires (``domains``) and boxes (``arrays``)."""

    domains: Mapping[str, tuple[Any, ...]]
    arrays: Mapping[str, np.ndarray]

    def size(self, ob: str) -> int:
        if ob not in self.domains:
            raise CausalError(f"unknown variable {ob!r}: no domain given")
        return len(self.domains[ob])

    def index(self, ob: str, value: Any) -> int:
        """Position of ``value`` in the domain of ``ob`` (values compare as strings too)."""
        return state_index(ob, self.domains.get(ob, ()), value)


def state_index(ob: str, domain: Sequence[Any], value: Any) -> int:
    """Position of ``value`` in ``domain``; `CausalError` naming the variable if absent."""
    for i, v in enumerate(domain):
        if v == value or str(v) == str(value):
            return i
    raise CausalError(f"value {value!r} is not in the domain {tuple(domain)} of {ob!r}")


def check_stochastic(name: str, array: np.ndarray, n_in: int, parents: Sequence[str] = ()) -> None:
    """Raise unless ``array`` is non-negative and sums to one over its last axes.

    Raises
    ------
    CausalError
        Naming the box and the first parent assignment whose row is not a distribution.
    """
    if np.any(array < -ATOL) or not np.all(np.isfinite(array)):
        raise CausalError(f"CPT of {name!r} has negative or non-finite entries")
    rows = array.reshape(int(np.prod(array.shape[:n_in], dtype=int)), -1).sum(axis=1)
    bad = np.flatnonzero(np.abs(rows - 1.0) > ATOL)
    if bad.size:
        at = np.unravel_index(int(bad[0]), array.shape[:n_in]) if n_in else ()
        given = ", ".join(f"{p}={i}" for p, i in zip(parents, at, strict=False))
        row = f" given {given}" if given else ""
        raise CausalError(f"CPT of {name!r}{row} sums to {rows[bad[0]]:.6g}, not 1")


#: The contraction backends of `interpret`.
BACKENDS = ("eliminate", "opt_einsum")


def interpret(
    diagram: Diagram | Generator,
    sem: Interpretation,
    *,
    check: bool = False,
    backend: str = "eliminate",
    max_cells: int = DEFAULT_MAX_CELLS,
) -> np.ndarray:
    """The stochastic tensor of ``diagram``: input axes first, then output axes.

    Parameters
    ----------
    check:
        Also check every box array is a stochastic matrix.
    backend:
        ``"eliminate"``: variable elimination in a min-fill/min-weight order
        (`causal.eliminate`); ``"opt_einsum"``: `opt_einsum.contract` with its ``auto`` path
        search (planning costs milliseconds on 30+ boxes).
    max_cells:
        The largest intermediate table allowed, checked before contracting.

    Raises
    ------
    CausalError
        For a box without an array, or an array whose shape does not match the box's wires.
    LimitError
        When the contraction needs a table larger than ``max_cells``.
    """
    import opt_einsum as oe

    if isinstance(diagram, Generator):
        diagram = diagram.diagram()
    labels = itertools.count()
    sizes: dict[int, int] = {}

    def fresh(ob: str) -> int:
        lab = next(labels)
        sizes[lab] = sem.size(ob)
        return lab

    dom = [fresh(ob) for ob in diagram.dom]
    wires = list(dom)
    operands: list[Any] = []
    for lay in diagram.layers:
        k, gen = len(lay.left), lay.gen
        d = len(gen.dom)
        inputs = wires[k : k + d]
        if isinstance(gen, Box):
            outs = [fresh(ob) for ob in gen.cod]
            operands += [_box_array(gen, sem, check), inputs + outs]
        elif isinstance(gen, Point):
            outs = [fresh(gen.ob)]
            vec = np.zeros(sizes[outs[0]])
            vec[sem.index(gen.ob, gen.value)] = 1.0
            operands += [vec, outs]
        elif isinstance(gen, Copy):
            outs = inputs * gen.n
        elif isinstance(gen, Discard):
            outs = []
        elif isinstance(gen, Perm):
            outs = [inputs[i] for i in gen.perm]
        wires[k : k + d] = outs
    out = dom + wires
    present = {lab for i in range(1, len(operands), 2) for lab in operands[i]}
    unique = [lab for lab in dict.fromkeys(out) if lab in present]
    if not operands:
        core = np.array(1.0)
    elif backend == "opt_einsum":
        _, info = oe.contract_path(*operands, unique, optimize="auto")
        if info.largest_intermediate > max_cells:
            raise LimitError("the diagram's contraction", info.largest_intermediate, max_cells)
        core = oe.contract(*operands, unique, optimize="auto")
    elif backend == "eliminate":
        core = contract(zip(operands[::2], operands[1::2], strict=True), unique, max_cells=max_cells,
                        what="the diagram's contraction")
    else:
        raise CausalError(f"unknown contraction backend {backend!r} ({', '.join(BACKENDS)})")
    if unique == out:
        return np.asarray(core)
    return _embed(np.asarray(core), unique, out, sizes)


def _box_array(box: Box, sem: Interpretation, check: bool) -> np.ndarray:
    if box.name not in sem.arrays:
        raise CausalError(f"no mechanism (CPT) for box {box.name!r}")
    arr = sem.arrays[box.name]
    shape = tuple(sem.size(ob) for ob in (*box.dom, *box.cod))
    if arr.shape != shape:
        raise CausalError(
            f"domain mismatch: CPT of {box.name!r} has shape {arr.shape}, "
            f"but its wires {box.dom} -> {box.cod} need {shape}"
        )
    if check:
        check_stochastic(box.name, arr, len(box.dom), box.dom.objects)
    return arr


def _embed(core: np.ndarray, unique: list[int], out: list[int], sizes: dict[int, int]) -> np.ndarray:
    """Spread ``core`` over output axes that repeat a wire (copies) or ignore it (discards)."""
    grids = np.indices(tuple(sizes[lab] for lab in out), sparse=True)
    first = {lab: out.index(lab) for lab in unique}
    result = core[tuple(grids[first[lab]] for lab in unique)] if unique else core
    result = np.broadcast_to(result, tuple(sizes[lab] for lab in out)).copy()
    for i, lab in enumerate(out):
        j = out.index(lab)
        if j != i:
            result = result * (grids[i] == grids[j])
    return result


@dataclass(frozen=True, eq=False)
class Table:
    """A (possibly unnormalised) table over named finite variables.

    ``array`` has one axis per variable, in the order of ``variables``.
    """

    variables: tuple[str, ...]
    domains: tuple[tuple[Any, ...], ...]
    array: np.ndarray

    def __post_init__(self) -> None:
        shape = tuple(len(d) for d in self.domains)
        if len(self.variables) != len(self.domains) or self.array.shape != shape:
            raise CausalError(
                f"domain mismatch: table over {self.variables} has shape {self.array.shape}, "
                f"domains need {shape}"
            )

    @classmethod
    def from_flat(
        cls, variables: Sequence[str], domains: Sequence[Sequence[Any]], flat: Sequence[float] | np.ndarray
    ) -> Table:
        """A table from a flat list in row-major order (last variable fastest)."""
        doms = tuple(tuple(d) for d in domains)
        flat_arr = np.asarray(flat, dtype=float)
        need = int(np.prod([len(d) for d in doms], dtype=int))
        if flat_arr.size != need:
            raise CausalError(
                f"domain mismatch: table over {tuple(variables)} needs {need} numbers, got {flat_arr.size}"
            )
        return cls(tuple(variables), doms, flat_arr.reshape([len(d) for d in doms]))

    def domain(self, var: str) -> tuple[Any, ...]:
        return self.domains[self.axis(var)]

    def axis(self, var: str) -> int:
        if var not in self.variables:
            raise CausalError(f"unknown variable {var!r}: table is over {self.variables}")
        return self.variables.index(var)

    def marginal(self, keep: Sequence[str]) -> Table:
        """Sum out every variable not in ``keep``; axes follow the order of ``keep``."""
        axes = [self.axis(v) for v in keep]
        drop = tuple(i for i in range(len(self.variables)) if i not in axes)
        arr = self.array.sum(axis=drop)
        kept = sorted(axes)
        arr = arr.transpose([kept.index(a) for a in axes])
        return Table(tuple(keep), tuple(self.domains[a] for a in axes), arr)

    def condition(self, evidence: Mapping[str, Any]) -> Table:
        """Disintegrate: the normalised table of the other variables given ``evidence``.

        Raises
        ------
        CausalError
            When the evidence has probability zero (naming the event).
        """
        index: list[Any] = [slice(None)] * len(self.variables)
        for var, value in evidence.items():
            index[self.axis(var)] = state_index(var, self.domain(var), value)
        sub = self.array[tuple(index)]
        mass = float(sub.sum())
        if mass <= 0.0:
            event = ", ".join(f"{k}={v}" for k, v in evidence.items())
            raise CausalError(f"conditioning on the zero-probability event {event}")
        rest = [i for i, v in enumerate(self.variables) if v not in evidence]
        return Table(
            tuple(self.variables[i] for i in rest), tuple(self.domains[i] for i in rest), sub / mass
        )

    def prob(self, assignment: Mapping[str, Any]) -> float:
        """The probability of a (partial) assignment: marginalise the rest."""
        sub = self.marginal(tuple(assignment)) if assignment else self
        idx = tuple(state_index(v, sub.domain(v), assignment[v]) for v in sub.variables)
        return float(sub.array[idx])

    def rows(self) -> list[tuple[tuple[Any, ...], float]]:
        """``(values, probability)`` for every joint state, last variable fastest."""
        return [
            (vals, float(self.array[idx]))
            for idx, vals in zip(
                itertools.product(*(range(len(d)) for d in self.domains)),
                itertools.product(*self.domains),
                strict=True,
            )
        ]

    def __str__(self) -> str:
        lines = []
        for vals, p in self.rows():
            key = ", ".join(f"{v}={x}" for v, x in zip(self.variables, vals, strict=True))
            lines.append(f"{key}  {p:.6g}")
        return "\n".join(lines)
