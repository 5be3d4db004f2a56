"""String diagrams of a Markov category: the syntax of causal models (JKZ, section 3).

A `Diagram` is an immutable list of layers ``left @ gen @ right`` read top to bottom; wires
carry variable names (a `Ty` is a tuple of them). The generators are mechanism boxes
(`Box`), copy and discard (`Copy`, `Discard`), wire permutations (`Perm`, with `swap` the
two-wire case) and point states (`Point`, the result of surgery). `>>` composes in sequence,
`@` in parallel; both check types and raise `CausalError` on a mismatch.

We keep our own small dataclasses rather than discopy 1.2.2's `markov` module: models with
hundreds of variables need wire permutations in one layer, and discopy 1.2.2 has known
problems with copied wires fed into multi-input boxes (see reference.json).

Laws that hold syntactically (the interchange law holds up to interpretation, see
`causal.semantics`):

>>> S, T, C = Ty("S"), Ty("T"), Ty("C")
>>> f, g, h = Box("f", Ty(), S), Box("g", S, T), Box("h", T, C)
>>> f, g, h = f.diagram(), g.diagram(), h.diagram()    # generators as one-layer diagrams
>>> assert (f >> g) >> h == f >> (g >> h)
>>> assert Id(Ty()) >> f == f == f >> Id(S)
>>> assert (f @ g) @ h == f @ (g @ h)
>>> assert f @ Id(Ty()) == f == Id(Ty()) @ f
>>> assert swap(S, T) >> swap(T, S) != Id(S @ T)     # equal only after interpretation
>>> print(f >> Copy("S") >> g @ S)
f >> Copy('S', 2) >> g @ S
>>> eval(repr(f >> g)) == f >> g
True
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from causal.errors import CausalError


@dataclass(frozen=True, slots=True, init=False)
class Ty:
    """A list of wires, each named by the variable it carries; `@` concatenates.

    Example
    -------
    >>> Ty("S", "T") @ Ty("C")
    Ty('S', 'T', 'C')
    """

    objects: tuple[str, ...]

    def __init__(self, *objects: str) -> None:
        object.__setattr__(self, "objects", tuple(objects))

    def __matmul__(self, other: Any) -> Any:
        if isinstance(other, Ty):
            return Ty(*self.objects, *other.objects)
        return Id(self) @ other

    def __len__(self) -> int:
        return len(self.objects)

    def __iter__(self) -> Iterator[str]:
        return iter(self.objects)

    def __getitem__(self, i: Any) -> Any:
        got = self.objects[i]
        return Ty(*got) if isinstance(i, slice) else got

    def __repr__(self) -> str:
        return f"Ty({', '.join(map(repr, self.objects))})"

    def __str__(self) -> str:
        return " @ ".join(self.objects) if self.objects else "Ty()"


class Generator:
    """Mixin of the generators: they compose like the one-layer diagrams they are."""

    dom: Ty
    cod: Ty

    def diagram(self) -> Diagram:
        """This generator as a one-layer diagram."""
        return Diagram(self.dom, self.cod, (Layer(Ty(), self, Ty()),))  # type: ignore[arg-type]

    def __rshift__(self, other: Generator | Diagram) -> Diagram:
        return self.diagram() >> other

    def __matmul__(self, other: Generator | Diagram | Ty) -> Diagram:
        return self.diagram() @ other


@dataclass(frozen=True, slots=True)
class Box(Generator):
    """A mechanism: a stochastic map from the parents' wires ``dom`` to the wires ``cod``."""

    name: str
    dom: Ty
    cod: Ty

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Copy(Generator):
    """Copy one wire ``n`` times (``n = 1`` is the identity)."""

    ob: str
    n: int = 2

    def __repr__(self) -> str:
        return f"Copy({self.ob!r}, {self.n})"

    @property
    def dom(self) -> Ty:  # type: ignore[override]
        return Ty(self.ob)

    @property
    def cod(self) -> Ty:  # type: ignore[override]
        return Ty(*[self.ob] * self.n)

    def __str__(self) -> str:
        return repr(self)


@dataclass(frozen=True, slots=True)
class Discard(Generator):
    """Discard one wire (marginalise the variable out)."""

    ob: str

    def __repr__(self) -> str:
        return f"Discard({self.ob!r})"

    @property
    def dom(self) -> Ty:  # type: ignore[override]
        return Ty(self.ob)

    @property
    def cod(self) -> Ty:  # type: ignore[override]
        return Ty()

    def __str__(self) -> str:
        return repr(self)


@dataclass(frozen=True, slots=True)
class Perm(Generator):
    """Permute wires: output wire ``i`` is input wire ``perm[i]``."""

    dom: Ty
    perm: tuple[int, ...]

    def __repr__(self) -> str:
        return f"Perm({self.dom!r}, {self.perm!r})"

    def __post_init__(self) -> None:
        if sorted(self.perm) != list(range(len(self.dom))):
            raise CausalError(f"{self.perm} is not a permutation of {len(self.dom)} wires")

    @property
    def cod(self) -> Ty:  # type: ignore[override]
        return Ty(*(self.dom.objects[i] for i in self.perm))

    def __str__(self) -> str:
        return repr(self)


@dataclass(frozen=True, slots=True)
class Point(Generator):
    """The deterministic state ``ob = value``: what surgery puts in place of a mechanism."""

    ob: str
    value: Any

    @property
    def dom(self) -> Ty:  # type: ignore[override]
        return Ty()

    @property
    def cod(self) -> Ty:  # type: ignore[override]
        return Ty(self.ob)

    def __str__(self) -> str:
        return f"{self.ob}={self.value}"


def swap(x: Ty, y: Ty) -> Perm:
    """The symmetry ``x @ y -> y @ x``.

    Example
    -------
    >>> swap(Ty("A"), Ty("B", "C")).cod
    Ty('B', 'C', 'A')
    """
    n, m = len(x), len(y)
    return Perm(x @ y, tuple(range(n, n + m)) + tuple(range(n)))


@dataclass(frozen=True, slots=True)
class Layer:
    """One generator with the wires passing by on its left and right."""

    left: Ty
    gen: Box | Copy | Discard | Perm | Point
    right: Ty

    @property
    def dom(self) -> Ty:
        return self.left @ self.gen.dom @ self.right

    @property
    def cod(self) -> Ty:
        return self.left @ self.gen.cod @ self.right

    def __str__(self) -> str:
        parts = [str(t) for t in (self.left,) if t] + [str(self.gen)]
        return " @ ".join(parts + [str(self.right)] if self.right else parts)


@dataclass(frozen=True, slots=True)
class Diagram:
    """A string diagram ``dom -> cod``: layers applied top to bottom."""

    dom: Ty
    cod: Ty
    layers: tuple[Layer, ...] = ()

    def __rshift__(self, other: Diagram | Generator) -> Diagram:
        other = other.diagram() if isinstance(other, Generator) else other
        if self.cod != other.dom:
            raise CausalError(f"domain mismatch: cannot compose {self.cod} with {other.dom}")
        return Diagram(self.dom, other.cod, self.layers + other.layers)

    def __matmul__(self, other: Diagram | Generator | Ty) -> Diagram:
        if isinstance(other, Ty):
            other = Id(other)
        elif isinstance(other, Generator):
            other = other.diagram()
        first = tuple(Layer(lay.left, lay.gen, lay.right @ other.dom) for lay in self.layers)
        second = tuple(Layer(self.cod @ lay.left, lay.gen, lay.right) for lay in other.layers)
        return Diagram(self.dom @ other.dom, self.cod @ other.cod, first + second)

    def __rmatmul__(self, other: Ty) -> Diagram:
        return Id(other) @ self

    def boxes(self) -> tuple[Box, ...]:
        """The mechanism boxes, top to bottom."""
        return tuple(lay.gen for lay in self.layers if isinstance(lay.gen, Box))

    def check(self) -> Diagram:
        """Check that consecutive layers fit; return self.

        Raises
        ------
        CausalError
            Naming the first layer whose input does not match the wires above it.
        """
        wires = self.dom
        for i, lay in enumerate(self.layers):
            if lay.dom != wires:
                raise CausalError(f"domain mismatch at layer {i} ({lay}): {wires} != {lay.dom}")
            wires = lay.cod
        if wires != self.cod:
            raise CausalError(f"domain mismatch at the bottom: {wires} != {self.cod}")
        return self

    def __str__(self) -> str:
        if not self.layers:
            return f"Id({self.dom})"
        return " >> ".join(str(lay) for lay in self.layers)


def Id(ty: Ty) -> Diagram:  # noqa: N802 - the categorical name
    """The identity diagram on ``ty``: no layers."""
    return Diagram(ty, ty, ())
