"""Signature checks: one symbol, one use.

Model-written FOL often uses a name with two arities (``Owns(x)`` and ``Owns(x, y)``) or both
as a predicate and as a term (``Student(x)`` and ``Teaches(x, Student)``). Prover9 stops with
a fatal error on such input, which is why LINC labels those samples Error. Two policies:

* ``strict`` — `check` raises `SignatureError` naming every conflict (LINC's behaviour);
* ``repair`` — `repair` renames the less frequent uses apart (``Owns`` / ``Owns_2``) and
  returns a `Diagnostic` for each renaming, so the sample can still be decided.

>>> from provers.fol.parse import parse
>>> fs = [parse("all x.(Owns(x) -> Rich(x))"), parse("Owns(Ann, Car)"), parse("Owns(Bob)")]
>>> [str(c) for c in conflicts(fs)]
["'Owns' is used as predicate/1 (2×) and predicate/2 (1×)"]
>>> fixed, notes = repair(fs)
>>> print(fixed[1]); print(notes[0])
Owns_2(Ann, Car)
renamed predicate/2 'Owns' to 'Owns_2' (also used as predicate/1)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from provers.fol.syntax import (
    VARIABLE_LIKE,
    And,
    Const,
    Exists,
    FolError,
    Forall,
    Formula,
    Iff,
    Implies,
    Not,
    Or,
    Pred,
    Var,
    Xor,
    atom_terms,
    functions,
    map_formula,
    predicates,
    rename_symbols,
    subformulas,
    subterms,
)


class SignatureError(FolError):
    """Input uses a symbol in two incompatible ways (the strict policy)."""


#: A use of a symbol: ``("predicate", arity)`` or ``("function", arity)`` (arity 0: constant).
Use = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A symbol name with more than one use; ``uses`` counts formulas per use."""

    name: str
    uses: tuple[tuple[Use, int], ...]

    def __str__(self) -> str:
        parts = " and ".join(f"{kind}/{arity} ({n}×)" for (kind, arity), n in self.uses)
        return f"{self.name!r} is used as {parts}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One renaming the repair policy made."""

    name: str
    use: Use
    new_name: str
    others: tuple[Use, ...]

    def __str__(self) -> str:
        others = ", ".join(f"{k}/{a}" for k, a in self.others)
        return f"renamed {self.use[0]}/{self.use[1]} {self.name!r} to {self.new_name!r} (also used as {others})"

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "use": list(self.use), "new_name": self.new_name}


def _uses(formulas: Sequence[Formula]) -> dict[str, Counter[Use]]:
    table: dict[str, Counter[Use]] = {}
    for f in formulas:
        for name, arity in predicates(f):
            table.setdefault(name, Counter())[("predicate", arity)] += 1
        for name, arity in functions(f):
            table.setdefault(name, Counter())[("function", arity)] += 1
    return table


def conflicts(formulas: Sequence[Formula]) -> list[Conflict]:
    """Every symbol used in more than one way across ``formulas``, sorted by name."""
    out = []
    for name, uses in sorted(_uses(formulas).items()):
        if len(uses) > 1:
            ranked = sorted(uses.items(), key=lambda kv: (-kv[1], kv[0]))
            out.append(Conflict(name, tuple(ranked)))
    return out


def check(formulas: Sequence[Formula]) -> None:
    """Strict policy: raise if any symbol is used in two ways.

    Raises
    ------
    SignatureError
        Listing every conflict.
    """
    found = conflicts(formulas)
    if found:
        raise SignatureError("; ".join(map(str, found)), where="signature")


def repair(formulas: Sequence[Formula]) -> tuple[list[Formula], list[Diagnostic]]:
    """Repair policy: keep each name's most frequent use, rename the other uses apart.

    The new name is ``name_arity`` (``name_fn`` / ``name_fnN`` for a term use of a predicate
    name), made fresh against every symbol in the input.
    """
    found = conflicts(formulas)
    if not found:
        return list(formulas), []
    taken = set(_uses(formulas))
    preds: dict[str, str] = {}
    funcs: dict[str, str] = {}
    notes: list[Diagnostic] = []
    for c in found:
        keep = c.uses[0][0]
        for use, _ in c.uses[1:]:
            kind, arity = use
            suffix = str(arity) if kind == keep[0] else ("fn" if kind == "function" else "p") + (str(arity) if arity else "")
            new = f"{c.name}_{suffix}"
            while new in taken:
                new += "_"
            taken.add(new)
            (preds if kind == "predicate" else funcs)[f"{c.name}/{arity}"] = new
            notes.append(Diagnostic(c.name, use, new, tuple(u for u, _ in c.uses if u != use)))
    return [rename_symbols(f, preds, funcs) for f in formulas], notes


# ------------------------------------------------------------------ alignment across formulas


@dataclass(frozen=True, slots=True)
class Alignment:
    """One change `align` made so that the formulas of one translation share their symbols.

    ``kind`` is ``predicate`` (another spelling of the same lemma), ``constant`` (another
    spelling of the same name) or ``arity`` (an argument that is the same constant in every
    use dropped, so ``Owns(x, car)`` and ``Owns(x)`` meet).
    """

    kind: str
    old: str
    new: str
    why: str

    def __str__(self) -> str:
        return f"{self.kind} {self.old} → {self.new} ({self.why})"

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "old": self.old, "new": self.new, "why": self.why}


def _constant_key(name: str) -> str:
    """A constant's spelling-free key: case, ``_``, ``-``, ``.`` and spaces ignored."""
    return re.sub(r"[\W_]+", "", name).casefold()


def _ranked(counts: Counter[str], order: list[str]) -> list[str]:
    """Names by use count, ties by first appearance."""
    return sorted(counts, key=lambda n: (-counts[n], order.index(n)))


def align(formulas: Sequence[Formula]) -> tuple[list[Formula], list[Alignment]]:
    """Give each concept one symbol across a translation's premises and conclusion.

    Rules of the language, not of a data set:

    1. predicate names of one arity whose words have the same lemmas (`morphology.name_key`:
       case, ``_``, plural/3rd-person forms and a leading ``Is``/``A`` do not matter) are one
       predicate, spelt as its most used spelling (ties: the first seen);
    2. constants equal up to case and punctuation (``JohnSmith``, ``john_smith``) are one;
    3. a predicate used with arity n and n+1, where at least two (n+1)-ary uses all have the
       same constant at the same place (``Owns(x, car)``, ``Owns(y, car)``, ``Owns(bob)``),
       loses that argument (the last such place: objects come after subjects).

    0. a quantifier word used as a one-place predicate of a variable is the quantifier, not a
       concept: ``All(x) → φ`` and ``All(x) ∧ φ`` are ``φ`` (its free ``x`` is read universally,
       as every free variable), ``Exists(x) ∧ φ`` is ``∃x φ``;
    4. a predicate whose name is a negation of another predicate of the same arity
       (`morphology.negated_key`: ``NotIsConductor`` and ``Conductor``) is that predicate,
       negated: a small model writes "Beethoven is not a conductor" as ``NotIsConductor(beethoven)``,
       which no premise about ``Conductor`` can reach.

    Other conflicts are left to `repair`, which renames them apart.

    >>> from provers.fol.parse import parse
    >>> fs = [parse("all x.(Cats(x) -> Mammal(x))"), parse("Cat(tom)"), parse("is_mammal(Tom)")]
    >>> fixed, notes = align(fs)
    >>> [str(f) for f in fixed]
    ['∀x (Cats(x) → Mammal(x))', 'Cats(tom)', 'Mammal(tom)']
    >>> [str(n) for n in notes]
    ['predicate Cat/1 → Cats/1 (same lemmas: cat)', 'predicate is_mammal/1 → Mammal/1 (same lemmas: mammal)', 'constant Tom → tom (same name up to case and punctuation)']
    """
    from provers.fol.morphology import name_key

    formulas, notes = _quantifier_guards(formulas)
    formulas, negated = _negated_names(formulas)
    notes += negated
    order: list[str] = []
    pred_counts: dict[tuple[str, int], Counter[str]] = {}
    const_counts: dict[str, Counter[str]] = {}
    for f in formulas:
        for g in subformulas(f):
            if isinstance(g, Pred):
                order.append(g.name)
                pred_counts.setdefault((name_key(g.name), len(g.args)), Counter())[g.name] += 1
        for t in atom_terms(f):
            for s in subterms(t):
                if isinstance(s, Const):
                    order.append(s.name)
                    const_counts.setdefault(_constant_key(s.name), Counter())[s.name] += 1
    preds: dict[str, str] = {}
    for (key, arity), counts in pred_counts.items():
        if len(counts) > 1:
            keep, *others = _ranked(counts, order)
            for name in others:
                preds[f"{name}/{arity}"] = keep
                notes.append(Alignment("predicate", f"{name}/{arity}", f"{keep}/{arity}", f"same lemmas: {key}"))
    funcs: dict[str, str] = {}
    for counts in const_counts.values():
        if len(counts) > 1:
            keep, *others = _ranked(counts, order)
            for name in others:
                funcs[f"{name}/0"] = keep
                notes.append(Alignment("constant", name, keep, "same name up to case and punctuation"))
    out = [rename_symbols(f, preds, funcs) for f in formulas] if notes else list(formulas)
    out, dropped = _drop_fixed_arguments(out)
    return out, notes + dropped


#: Quantifier words a small model writes as a one-place predicate of a variable (`align`, rule 0).
_ALL_WORDS = frozenset({"all", "every", "everyone", "everything", "each", "forall"})
_SOME_WORDS = frozenset({"exists", "exist", "some", "someone", "something"})


def _guard(f: Formula, words: frozenset[str]) -> Var | None:
    """The variable of ``Q(x)`` when ``f`` is such an atom with ``Q`` one of ``words``."""
    if isinstance(f, Pred) and f.name.lower() in words and len(f.args) == 1:
        t = f.args[0]
        if isinstance(t, Var):
            return t
        if isinstance(t, Const) and VARIABLE_LIKE.fullmatch(t.name):
            return Var(t.name)
    return None


def _quantifier_guards(formulas: Sequence[Formula]) -> tuple[list[Formula], list[Alignment]]:
    """Rule 0 of `align`.

    >>> from provers.fol.parse import parse
    >>> fixed, notes = _quantifier_guards([parse("all x.(All(x) -> Mortal(x))"), parse("Exists(y) & Cat(y)")])
    >>> [str(f) for f in fixed], [n.kind for n in notes]
    (['∀x Mortal(x)', '∃y Cat(y)'], ['quantifier', 'quantifier'])
    """
    notes: list[Alignment] = []

    def walk(f: Formula) -> Formula:
        if isinstance(f, (Implies, And)) and _guard(f.left, _ALL_WORDS) is not None:
            notes.append(Alignment("quantifier", str(f.left), "∀", "a quantifier word used as a predicate"))
            return walk(f.right)
        if isinstance(f, And) and _guard(f.right, _ALL_WORDS) is not None:
            notes.append(Alignment("quantifier", str(f.right), "∀", "a quantifier word used as a predicate"))
            return walk(f.left)
        if isinstance(f, And) and (v := _guard(f.left, _SOME_WORDS)) is not None:
            notes.append(Alignment("quantifier", str(f.left), f"∃{v}", "a quantifier word used as a predicate"))
            return Exists(v, walk(f.right))
        if isinstance(f, Not):
            return Not(walk(f.body))
        if isinstance(f, (And, Or, Xor, Implies, Iff)):
            return type(f)(walk(f.left), walk(f.right))
        if isinstance(f, (Forall, Exists)):
            return type(f)(f.var, walk(f.body))
        return f

    return [walk(f) for f in formulas], notes


def _negated_names(formulas: Sequence[Formula]) -> tuple[list[Formula], list[Alignment]]:
    """Rule 4 of `align`.

    >>> from provers.fol.parse import parse
    >>> fixed, notes = _negated_names([parse("all x.(Musician(x) -> Conductor(x))"), parse("NotIsConductor(b)")])
    >>> [str(f) for f in fixed], [str(n) for n in notes]
    (['∀x (Musician(x) → Conductor(x))', '¬Conductor(b)'], ['predicate NotIsConductor/1 → ¬Conductor/1 (negation of conductor)'])
    """
    from provers.fol.morphology import name_key, negated_key

    uses: Counter[tuple[str, int]] = Counter()
    for f in formulas:
        for g in subformulas(f):
            if isinstance(g, Pred):
                uses[(g.name, len(g.args))] += 1
    positive: dict[tuple[str, int], str] = {}  # (key, arity) → the most used spelling
    for (name, arity), _ in uses.most_common():
        if negated_key(name) is None:
            positive.setdefault((name_key(name), arity), name)
    denies: dict[tuple[str, int], str] = {}
    for name, arity in uses:
        key = negated_key(name)
        if key is not None and (key, arity) in positive:
            denies[(name, arity)] = positive[(key, arity)]
    if not denies:
        return list(formulas), []

    def atom(a: Formula) -> Formula:
        if isinstance(a, Pred) and (a.name, len(a.args)) in denies:
            return Not(Pred(denies[(a.name, len(a.args))], a.args))
        return a

    notes = [Alignment("predicate", f"{n}/{k}", f"¬{p}/{k}", f"negation of {name_key(p)}") for (n, k), p in denies.items()]
    return [map_formula(f, atom) for f in formulas], notes


def _drop_fixed_arguments(formulas: list[Formula]) -> tuple[list[Formula], list[Alignment]]:
    """Rule 3 of `align`."""
    from provers.fol.morphology import name_key

    atoms: dict[str, list[Pred]] = {}
    for f in formulas:
        for g in subformulas(f):
            if isinstance(g, Pred):
                atoms.setdefault(name_key(g.name), []).append(g)
    drop: dict[tuple[str, int], tuple[int, str]] = {}  # (name, arity) → (position, shorter name)
    notes: list[Alignment] = []
    for uses in atoms.values():
        arities = {len(a.args) for a in uses}
        for n in sorted(arities):
            if n + 1 not in arities:
                continue
            longer = [a for a in uses if len(a.args) == n + 1]
            if len(longer) < 2:  # one use agrees with itself everywhere: no evidence
                continue
            shorter = next(a.name for a in uses if len(a.args) == n)
            for i in reversed(range(n + 1)):  # the object before the subject
                first = longer[0].args[i]
                if isinstance(first, Const) and all(a.args[i] == first for a in longer):
                    for name in dict.fromkeys(a.name for a in longer):
                        drop[(name, n + 1)] = (i, shorter)
                        notes.append(Alignment("arity", f"{name}/{n + 1}", f"{shorter}/{n}",
                                               f"argument {i + 1} is {first} in every use"))
                    break
    if not drop:
        return formulas, []

    def atom(a: Formula) -> Formula:
        if isinstance(a, Pred) and (a.name, len(a.args)) in drop:
            i, name = drop[(a.name, len(a.args))]
            return Pred(name, a.args[:i] + a.args[i + 1:])
        return a

    return [map_formula(f, atom) for f in formulas], notes
