"""First-order formulas as immutable values.

Terms are `Var`, `Const` and `Func` (function application); formulas are atoms (`Pred`,
`Eq`), the connectives `Not`, `And`, `Or`, `Xor`, `Implies`, `Iff` and the quantifiers
`Forall`, `Exists`. Every node is a frozen, slotted dataclass: hashable, comparable, and its
``repr`` evaluates back to an equal value. ``str`` prints FOLIO's Unicode notation, fully
parenthesised so that it re-parses to the same tree (`provers.fol.printers` prints the other
syntaxes).

Invariants
----------
* A name in term position is a `Var` exactly when an enclosing quantifier binds it; the
  parsers classify names this way, whatever the surface syntax's naming convention.
* Binary connectives are binary (``A ∧ B ∧ C`` is ``And(And(A, B), C)``); the parsers decide
  associativity, the tree records it.

>>> x = Var("x")
>>> f = Forall(x, Implies(Pred("Dog", (x,)), Not(Pred("Cat", (x,)))))
>>> print(f)
∀x (Dog(x) → ¬Cat(x))
>>> eval(repr(f)) == f and hash(eval(repr(f))) == hash(f)
True
>>> sorted(free_names(f)), sorted(p for p, _ in predicates(f))
([], ['Cat', 'Dog'])
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from workbench.errors import WorkbenchError
from workbench.span import Span


class FolError(WorkbenchError):
    """Root of every error `provers.fol` raises on purpose.

    Parameters
    ----------
    what:
        What went wrong.
    where:
        Where: ``"premise 3"``, ``"formula offset 14"``, a file and line, ...
    span:
        The source range at fault, when the error comes from text.
    """

    def __init__(self, what: str, where: str | None = None, span: Span | None = None) -> None:
        super().__init__(what, where)
        self.span = span


class FolLimitError(FolError, ValueError):
    """Input beyond one of this package's hard limits; the message names the limit."""


#: The deepest nesting of connectives, quantifiers, equations and function terms a formula may
#: have (``¬¬P`` is 3 deep, a chain ``A ∧ B ∧ C`` is 3 deep). Every parser refuses deeper
#: input with a `FolLimitError`, so the printers and converters, which recurse over the tree,
#: never exhaust Python's stack. Real formulas are far shallower: FOLIO's deepest gold formula
#: is 12 deep.
MAX_DEPTH = 100


def depth(f: Formula | Term) -> int:
    """How deeply ``f`` nests (an atom over constants is 1), computed without recursion.

    >>> depth(Pred("P")), depth(Not(Not(Pred("P")))), depth(Pred("P", (Func("f", (Var("x"),)),)))
    (1, 3, 3)
    """
    deepest, stack = 0, [(f, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if isinstance(node, Not | Forall | Exists):
            stack.append((node.body, d + 1))
        elif isinstance(node, BINARY):
            stack.extend(((node.left, d + 1), (node.right, d + 1)))
        elif isinstance(node, Eq):
            stack.extend(((node.left, d + 1), (node.right, d + 1)))
        elif isinstance(node, Pred | Func):
            stack.extend((a, d + 1) for a in node.args)
    return deepest


def check_depth(f: Formula, where: str | None = None) -> Formula:
    """``f`` itself when it nests at most `MAX_DEPTH` deep.

    Raises
    ------
    FolLimitError
        Naming the depth and the limit.
    """
    d = depth(f)
    if d > MAX_DEPTH:
        raise FolLimitError(too_deep(d), where)
    return f


def too_deep(d: int | None = None) -> str:
    """The one message for a formula past `MAX_DEPTH` (``d``: its depth, when known)."""
    found = f"{d} levels deep" if d else f"more than {MAX_DEPTH} levels deep"
    return f"formula nests {found}; the limit is {MAX_DEPTH} (provers.fol.syntax.MAX_DEPTH)"


# ---------------------------------------------------------------------------------- terms

#: A name that reads as a variable (``x``, ``y2``) wherever it was parsed as a constant: Prover9
#: binds such free names universally, and so do the repairs (`robust`, `refine`, `signature`).
VARIABLE_LIKE = re.compile(r"[a-z]\d*")


@dataclass(frozen=True, slots=True)
class Var:
    """A variable bound by a quantifier."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Const:
    """An individual constant (a 0-ary function symbol)."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Func:
    """A function symbol applied to one or more terms: ``father(x)``."""

    name: str
    args: tuple[Term, ...]

    def __str__(self) -> str:
        return f"{self.name}({', '.join(map(str, self.args))})"


Term = Var | Const | Func

# ------------------------------------------------------------------------------- formulas


@dataclass(frozen=True, slots=True)
class Pred:
    """A predicate applied to terms; ``args == ()`` is a proposition letter."""

    name: str
    args: tuple[Term, ...] = ()

    def __str__(self) -> str:
        return f"{self.name}({', '.join(map(str, self.args))})" if self.args else self.name


@dataclass(frozen=True, slots=True)
class Eq:
    """Equality of two terms."""

    left: Term
    right: Term

    def __str__(self) -> str:
        return f"{self.left} = {self.right}"


@dataclass(frozen=True, slots=True)
class Not:
    """Negation."""

    body: Formula

    def __str__(self) -> str:
        return f"¬{_wrap(self.body)}"


@dataclass(frozen=True, slots=True)
class And:
    """Conjunction."""

    left: Formula
    right: Formula

    def __str__(self) -> str:
        return f"{_operand(self.left)} ∧ {_operand(self.right)}"


@dataclass(frozen=True, slots=True)
class Or:
    """Inclusive disjunction."""

    left: Formula
    right: Formula

    def __str__(self) -> str:
        return f"{_operand(self.left)} ∨ {_operand(self.right)}"


@dataclass(frozen=True, slots=True)
class Xor:
    """Exclusive disjunction (FOLIO's ⊕): exactly one side holds."""

    left: Formula
    right: Formula

    def __str__(self) -> str:
        return f"{_operand(self.left)} ⊕ {_operand(self.right)}"


@dataclass(frozen=True, slots=True)
class Implies:
    """Material implication."""

    left: Formula
    right: Formula

    def __str__(self) -> str:
        return f"{_operand(self.left)} → {_operand(self.right)}"


@dataclass(frozen=True, slots=True)
class Iff:
    """Biconditional."""

    left: Formula
    right: Formula

    def __str__(self) -> str:
        return f"{_operand(self.left)} ↔ {_operand(self.right)}"


@dataclass(frozen=True, slots=True)
class Forall:
    """Universal quantification of one variable."""

    var: Var
    body: Formula

    def __str__(self) -> str:
        return f"∀{self.var} {_wrap(self.body)}"


@dataclass(frozen=True, slots=True)
class Exists:
    """Existential quantification of one variable."""

    var: Var
    body: Formula

    def __str__(self) -> str:
        return f"∃{self.var} {_wrap(self.body)}"


Formula = Pred | Eq | Not | And | Or | Xor | Implies | Iff | Forall | Exists
BINARY = (And, Or, Xor, Implies, Iff)
QUANTIFIERS = (Forall, Exists)
ATOMS = (Pred, Eq)


def _operand(f: Formula) -> str:
    """Parenthesise an operand of a binary connective unless it is an atom or a negation."""
    return str(f) if isinstance(f, (Pred, Eq, Not)) else f"({f})"


def _wrap(f: Formula) -> str:
    """Parenthesise a sub-formula unless it is an atom, a negation or a quantifier."""
    return str(f) if isinstance(f, (Pred, Eq, Not, Forall, Exists)) else f"({f})"


# ------------------------------------------------------------------------------- walking


def subformulas(f: Formula) -> Iterator[Formula]:
    """Every sub-formula of ``f`` (``f`` first), depth first."""
    yield f
    if isinstance(f, Not | Forall | Exists):
        yield from subformulas(f.body)
    elif isinstance(f, BINARY):
        yield from subformulas(f.left)
        yield from subformulas(f.right)


def atom_terms(f: Formula) -> Iterator[Term]:
    """The argument terms of every atom in ``f`` (top level only, not their sub-terms)."""
    for g in subformulas(f):
        if isinstance(g, Pred):
            yield from g.args
        elif isinstance(g, Eq):
            yield g.left
            yield g.right


def subterms(t: Term) -> Iterator[Term]:
    """``t`` and every term inside it."""
    yield t
    if isinstance(t, Func):
        for a in t.args:
            yield from subterms(a)


def predicates(f: Formula) -> set[tuple[str, int]]:
    """``(name, arity)`` of every predicate symbol in ``f``."""
    return {(g.name, len(g.args)) for g in subformulas(f) if isinstance(g, Pred)}


def functions(f: Formula) -> set[tuple[str, int]]:
    """``(name, arity)`` of every constant (arity 0) and function symbol in ``f``."""
    out: set[tuple[str, int]] = set()
    for t in atom_terms(f):
        for s in subterms(t):
            if isinstance(s, Const):
                out.add((s.name, 0))
            elif isinstance(s, Func):
                out.add((s.name, len(s.args)))
    return out


def free_names(f: Formula, bound: frozenset[str] = frozenset()) -> set[str]:
    """Names of `Var` nodes not bound by an enclosing quantifier (empty for parser output)."""
    if isinstance(f, Forall | Exists):
        return free_names(f.body, bound | {f.var.name})
    if isinstance(f, Not):
        return free_names(f.body, bound)
    if isinstance(f, BINARY):
        return free_names(f.left, bound) | free_names(f.right, bound)
    terms = f.args if isinstance(f, Pred) else (f.left, f.right)
    return {
        s.name for t in terms for s in subterms(t) if isinstance(s, Var) and s.name not in bound
    }


def map_formula(f: Formula, atom: object) -> Formula:
    """Rebuild ``f`` bottom-up, replacing each atom ``a`` by ``atom(a)``.

    Example
    -------
    >>> g = map_formula(And(Pred("P"), Pred("Q")), lambda a: Pred(a.name.lower()))
    >>> print(g)
    p ∧ q
    """
    fn = atom  # a callable Formula -> Formula; typed loosely for doctest brevity
    if isinstance(f, ATOMS):
        return fn(f)  # type: ignore[operator,no-any-return]
    if isinstance(f, Not):
        return Not(map_formula(f.body, fn))
    if isinstance(f, Forall | Exists):
        return type(f)(f.var, map_formula(f.body, fn))
    return type(f)(map_formula(f.left, fn), map_formula(f.right, fn))  # type: ignore[arg-type]


def without_xor(f: Formula) -> Formula:
    """Replace every ``A ⊕ B`` by ``¬(A ↔ B)`` (for syntaxes without exclusive or).

    >>> print(without_xor(Xor(Pred("P"), Pred("Q"))))
    ¬(P ↔ Q)
    """
    if isinstance(f, ATOMS):
        return f
    if isinstance(f, Not):
        return Not(without_xor(f.body))
    if isinstance(f, Forall | Exists):
        return type(f)(f.var, without_xor(f.body))
    left, right = without_xor(f.left), without_xor(f.right)
    if isinstance(f, Xor):
        return Not(Iff(left, right))
    return type(f)(left, right)


def canonical(f: Formula) -> Formula:
    """``f`` with bound variables renamed ``_0, _1, ...`` in binding order.

    Two formulas are alpha-equivalent exactly when their canonical forms are equal; printers
    may rename variables to fit a syntax, so round-trip tests compare canonical forms.

    >>> a = Forall(Var("x"), Pred("P", (Var("x"),)))
    >>> b = Forall(Var("Y"), Pred("P", (Var("Y"),)))
    >>> canonical(a) == canonical(b)
    True
    """
    counter = iter(range(1 << 30))

    def term(t: Term, env: dict[str, str]) -> Term:
        if isinstance(t, Var):
            return Var(env.get(t.name, t.name))
        if isinstance(t, Func):
            return Func(t.name, tuple(term(a, env) for a in t.args))
        return t

    def go(g: Formula, env: dict[str, str]) -> Formula:
        if isinstance(g, Pred):
            return Pred(g.name, tuple(term(a, env) for a in g.args))
        if isinstance(g, Eq):
            return Eq(term(g.left, env), term(g.right, env))
        if isinstance(g, Not):
            return Not(go(g.body, env))
        if isinstance(g, Forall | Exists):
            new = f"_{next(counter)}"
            return type(g)(Var(new), go(g.body, {**env, g.var.name: new}))
        return type(g)(go(g.left, env), go(g.right, env))  # type: ignore[arg-type]

    return go(f, {})


def rename_symbols(f: Formula, preds: dict[str, str], funcs: dict[str, str]) -> Formula:
    """Rename predicate symbols by ``preds`` and constant/function symbols by ``funcs``.

    Keys are ``"name/arity"`` so that symbols of one name and two arities rename apart.

    >>> g = And(Pred("P", (Const("a"),)), Pred("P", ()))
    >>> print(rename_symbols(g, {"P/0": "P_0"}, {}))
    P(a) ∧ P_0
    """

    def term(t: Term) -> Term:
        if isinstance(t, Const):
            return Const(funcs.get(f"{t.name}/0", t.name))
        if isinstance(t, Func):
            return Func(funcs.get(f"{t.name}/{len(t.args)}", t.name), tuple(map(term, t.args)))
        return t

    def atom(a: Formula) -> Formula:
        if isinstance(a, Pred):
            return Pred(preds.get(f"{a.name}/{len(a.args)}", a.name), tuple(map(term, a.args)))
        assert isinstance(a, Eq)
        return Eq(term(a.left), term(a.right))

    return map_formula(f, atom)


def to_json(f: Formula | Term) -> list[object]:
    """A JSON-ready nested list: ``["Forall", "x", [...]]``; inverse of `from_json`.

    >>> f = Exists(Var("x"), Eq(Var("x"), Func("f", (Const("a"),))))
    >>> from_json(to_json(f)) == f
    True
    """
    if isinstance(f, Var | Const):
        return [type(f).__name__, f.name]
    if isinstance(f, Func | Pred):
        return [type(f).__name__, f.name, [to_json(a) for a in f.args]]
    if isinstance(f, Eq):
        return ["Eq", to_json(f.left), to_json(f.right)]
    if isinstance(f, Not):
        return ["Not", to_json(f.body)]
    if isinstance(f, Forall | Exists):
        return [type(f).__name__, f.var.name, to_json(f.body)]
    return [type(f).__name__, to_json(f.left), to_json(f.right)]


_NODES = {c.__name__: c for c in (And, Or, Xor, Implies, Iff)}


def from_json(data: list[object]) -> Formula | Term:  # type: ignore[return]
    """Inverse of `to_json`.

    Raises
    ------
    FolError
        On a node this module does not define.
    """
    kind = data[0]
    if kind in ("Var", "Const"):
        return Var(str(data[1])) if kind == "Var" else Const(str(data[1]))
    if kind in ("Func", "Pred"):
        args = tuple(from_json(a) for a in data[2])  # type: ignore[attr-defined]
        return Func(str(data[1]), args) if kind == "Func" else Pred(str(data[1]), args)  # type: ignore[arg-type]
    if kind == "Eq":
        return Eq(from_json(data[1]), from_json(data[2]))  # type: ignore[arg-type]
    if kind == "Not":
        return Not(from_json(data[1]))  # type: ignore[arg-type]
    if kind in ("Forall", "Exists"):
        q = Forall if kind == "Forall" else Exists
        return q(Var(str(data[1])), from_json(data[2]))  # type: ignore[arg-type]
    if kind in _NODES:
        return _NODES[kind](from_json(data[1]), from_json(data[2]))  # type: ignore[arg-type]
    raise FolError(f"unknown formula node {kind!r} in JSON")
