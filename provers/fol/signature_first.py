"""Signature first: the problem's predicates and constants, then formulas that can only use them.

A small model's LINC translations fail less on syntax than on *connection*: one concept gets
two predicate names (``Square(x) -> HasFourSides(x)``, then ``FourSidedThing(x)``), an arity
changes between premises, a rule is flattened into a constant. Nothing is then entailed and
the vote is Uncertain. Decoding in two stages removes that freedom:

1. the model writes the problem's `Signature` (``Predicates: Drinks(x), Owns(x,y)`` /
   ``Constants: rina``) under `SIGNATURE_GRAMMAR`, read by `parse_signature`;
2. every sentence is translated under `formula_grammar` of that signature: only its
   predicate names, each with its arity, only its constants, and variables ``x``, ``y``, ``z``
   bound in that order by the quantifiers around them (so a formula is closed and a second
   name for a concept cannot be written).

`signature_of` reads the signature of gold formulas (the FOLIO-train shots), and
`shot_formula` prints a gold formula the way stage 2 writes one (variables by depth), so the
examples the model sees are strings its grammar allows.

>>> sig = parse_signature("Predicates: Dog(x), Owns(x,y)\\nConstants: rex, ann\\n")
>>> print(sig)
Predicates: Dog(x), Owns(x,y)
Constants: rex, ann
>>> sig.arity("Owns"), sig.arity("Cat")
(2, None)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from provers.fol.parse import NLTK_WORDS
from provers.fol.printers import to_nltk
from provers.fol.syntax import (
    And,
    Const,
    Eq,
    Exists,
    FolError,
    Forall,
    Formula,
    Func,
    Iff,
    Implies,
    Not,
    Or,
    Pred,
    Term,
    Var,
    Xor,
    atom_terms,
    functions,
    predicates,
    subformulas,
)

#: Variables in binding order: the outermost quantifier binds ``x``, the next ``y``, then ``z``.
VARIABLES = ("x", "y", "z")
MAX_ARITY = 3
MAX_PREDICATES = 24
MAX_CONSTANTS = 16
#: A name is at most this long (97.8 % of FOLIO-train gold names are): longer names cost tokens in
#: every formula that uses them, and 40-character names (``InactiveAndDisinterestedMembersOfTheirCm``)
#: pushed formulas past the per-formula token cap.
MAX_NAME = 24
#: A constant names an individual (``pierreDeRigaudDeVaudreuil``): 99 % of train constants fit.
MAX_CONST = 28
#: Operands of one connective chain at one level (FOLIO's gold chains have at most 8).
MAX_CHAIN = 12

_PRED = re.compile(rf"[A-Z][A-Za-z0-9_]{{1,{MAX_NAME - 1}}}")
_CONST = re.compile(rf"[a-z][A-Za-z0-9_]{{1,{MAX_CONST - 1}}}")


class SignatureParseError(FolError):
    """A stage-1 answer that is not a signature (only without the grammar, or truncated)."""


@dataclass(frozen=True, slots=True)
class Signature:
    """The symbols a problem's formulas may use, in the order the model listed them."""

    predicates: tuple[tuple[str, int], ...]
    constants: tuple[str, ...] = ()

    def arity(self, name: str) -> int | None:
        return next((a for n, a in self.predicates if n == name), None)

    def __str__(self) -> str:
        decls = ", ".join(f"{n}({','.join(VARIABLES[:a])})" for n, a in self.predicates)
        consts = "".join(f" {c}" if i == 0 else f", {c}" for i, c in enumerate(self.constants))
        return f"Predicates: {decls}\nConstants:{consts}"

    def to_json(self) -> dict[str, object]:
        return {"predicates": [list(p) for p in self.predicates], "constants": list(self.constants)}

    def admits(self, f: Formula) -> list[str]:
        """What in ``f`` is outside this signature (empty when ``f`` respects it)."""
        problems = []
        for name, arity in sorted(predicates(f)):
            if self.arity(name) != arity:
                known = self.arity(name)
                problems.append(f"predicate {name}/{arity} " + ("is not in the signature" if known is None
                                                               else f"has arity {known} in the signature"))
        for name, arity in sorted(functions(f)):
            if arity or name not in self.constants:
                problems.append(f"constant {name} is not in the signature")
        return problems


def _valid_constant(name: str) -> bool:
    return bool(_CONST.fullmatch(name)) and name not in NLTK_WORDS


def parse_signature(text: str) -> Signature:
    """Read a stage-1 answer: a ``Predicates:`` line and a ``Constants:`` line.

    A predicate listed twice keeps its first arity; a constant that is also a predicate name
    or an NLTK word is dropped (neither could be used consistently).

    Raises
    ------
    SignatureParseError
        When there is no ``Predicates:`` line or it declares nothing usable.
    """
    m = re.search(r"Predicates:([^\n]*)", text)
    if m is None:
        raise SignatureParseError("no 'Predicates:' line", where="signature")
    preds: dict[str, int] = {}
    for name, args in re.findall(r"([A-Za-z][A-Za-z0-9_]*)\(([^()]*)\)", m.group(1)):
        arity = len([a for a in args.split(",") if a.strip()])
        if _PRED.fullmatch(name) and 1 <= arity <= MAX_ARITY and name not in preds:
            preds[name] = arity
    if not preds:
        raise SignatureParseError(f"no predicate declaration like Name(x) in {m.group(0)!r}", where="signature")
    c = re.search(r"Constants:([^\n]*)", text)
    consts: list[str] = []
    for name in (c.group(1).split(",") if c else []):
        name = name.strip()
        if _valid_constant(name) and name not in preds and name not in consts:
            consts.append(name)
    return Signature(tuple(preds.items())[:MAX_PREDICATES], tuple(consts[:MAX_CONSTANTS]))


def _alternatives(words: Iterable[str]) -> str:
    return " | ".join(f'"{w}"' for w in words)


#: Stage 1: the signature block the model writes after ``<SIGNATURE>``.
SIGNATURE_GRAMMAR = rf"""
root   ::= "Predicates: " decl (", " decl){{0,{MAX_PREDICATES - 1}}} "\nConstants:" consts "\n</SIGNATURE>"
decl   ::= pred "(x)" | pred "(x,y)" | pred "(x,y,z)"
consts ::= (" " const (", " const){{0,{MAX_CONSTANTS - 1}}})?
pred   ::= [A-Z] [A-Za-z0-9_]{{1,{MAX_NAME - 1}}}
"""


def signature_grammar() -> str:
    """`SIGNATURE_GRAMMAR` with the constant rules (a constant is never an NLTK operator word)."""
    from provers.fol.prompts import const_rules

    return SIGNATURE_GRAMMAR + "\n".join(const_rules(MAX_CONST)) + "\n"


def formula_grammar(sig: Signature, comma: str = ",") -> str:
    """GBNF for one ``FOL:`` line over ``sig``, ended by a newline.

    Level ``k`` is the inside of ``k`` quantifiers: its terms are the first ``k`` variables
    and the constants, and a quantifier there binds variable ``k + 1``. Negation is one ``-``
    before an atom, a quantifier or a parenthesised formula; binary connectives are written
    ``" & "``, ``" | "``, ``" -> "``, ``" <-> "``; arguments are separated by ``comma`` (``","``
    is the layout of `provers.fol.printers.to_nltk`, which prints the staged shots; LINC's
    shots write ``", "``).
    """
    by_arity: dict[int, list[str]] = {}
    for name, arity in sig.predicates:
        by_arity.setdefault(arity, []).append(name)
    lines = ['root ::= f0 "\\n"', 'op ::= " & " | " | " | " -> " | " <-> "']
    for arity, names in sorted(by_arity.items()):
        lines.append(f"p{arity} ::= {_alternatives(names)}")
    if sig.constants:
        lines.append(f"c ::= {_alternatives(sig.constants)}")
    for k in range(len(VARIABLES) + 1):
        terms = [f'"{v}"' for v in VARIABLES[:k]] + (["c"] if sig.constants else [])
        options = []
        if terms:
            lines.append(f"t{k} ::= {' | '.join(terms)}")
            for arity in sorted(by_arity):
                args = f' "{comma}" '.join([f"t{k}"] * arity)
                options.append(f'p{arity} "(" {args} ")"')
        if k < len(VARIABLES):
            options.append(f'("all" | "exists") " {VARIABLES[k]}." u{k + 1}')
        options.append(f'"(" f{k} ")"')
        lines.append(f"f{k} ::= u{k} (op u{k}){{0,{MAX_CHAIN - 1}}}")
        lines.append(f'u{k} ::= "-"? ({" | ".join(options)})')
    return "\n".join(lines) + "\n"


def signature_of(formulas: Sequence[Formula]) -> Signature:
    """The predicates and constants of gold formulas, in order of first use.

    Raises
    ------
    FolError
        When a symbol cannot be declared: a function of arity > 0, a predicate of arity 0 or
        above `MAX_ARITY`, one name with two arities, or a name the grammar cannot write.
    """
    preds: dict[str, int] = {}
    consts: list[str] = []
    for f in formulas:
        for name, arity in _ordered_predicates(f):
            if preds.setdefault(name, arity) != arity:
                raise FolError(f"predicate {name} is used with arities {preds[name]} and {arity}")
            if not (_PRED.fullmatch(name) and 1 <= arity <= MAX_ARITY):
                raise FolError(f"predicate {name}/{arity} cannot be declared")
        for name in _ordered_constants(f):
            if name not in consts:
                if not _valid_constant(name) or name in VARIABLES:
                    raise FolError(f"constant {name!r} cannot be declared")
                consts.append(name)
    if any(name in preds for name in consts):
        raise FolError("a name is both a predicate and a constant")
    return Signature(tuple(preds.items()), tuple(consts))


def _atoms(f: Formula) -> Iterable[Pred | Eq]:
    """The atoms of ``f``, left to right."""
    return (g for g in subformulas(f) if isinstance(g, Pred | Eq))


def _ordered_predicates(f: Formula) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for a in _atoms(f):
        if isinstance(a, Eq):
            raise FolError("equality cannot be written in the signature grammar")
        if (a.name, len(a.args)) not in out:
            out.append((a.name, len(a.args)))
    return out


def _ordered_constants(f: Formula) -> list[str]:
    out: list[str] = []
    for t in atom_terms(f):
        if isinstance(t, Func):
            raise FolError(f"function {t.name}/{len(t.args)} cannot be declared")
        if isinstance(t, Const) and t.name not in out:
            out.append(t.name)
    return out


def shot_formula(f: Formula) -> str:
    """``f`` in NLTK syntax with bound variables named by depth (``x``, ``y``, ``z``).

    Raises
    ------
    FolError
        When quantifiers nest deeper than three, or a variable is free.
    """

    def term(t: Term, env: dict[str, str]) -> Term:
        if isinstance(t, Var):
            if t.name not in env:
                raise FolError(f"free variable {t.name}")
            return Var(env[t.name])
        return t

    def go(g: Formula, env: dict[str, str]) -> Formula:
        if isinstance(g, Pred):
            return Pred(g.name, tuple(term(a, env) for a in g.args))
        if isinstance(g, Not):
            return Not(go(g.body, env))
        if isinstance(g, Forall | Exists):
            if len(env) >= len(VARIABLES):
                raise FolError("quantifiers nest deeper than three")
            new = VARIABLES[len(env)]
            return type(g)(Var(new), go(g.body, {**{k: v for k, v in env.items() if k != g.var.name}, g.var.name: new}))
        if isinstance(g, And | Or | Implies | Iff | Xor):
            return type(g)(go(g.left, env), go(g.right, env))
        raise FolError(f"{type(g).__name__} cannot be written in the signature grammar")

    return to_nltk(go(f, {}))
