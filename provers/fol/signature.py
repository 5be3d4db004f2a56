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

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from provers.fol.syntax import (
    FolError,
    Formula,
    functions,
    predicates,
    rename_symbols,
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
