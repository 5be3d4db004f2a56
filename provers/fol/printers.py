"""`Formula` → text in each syntax `provers.fol.parse` reads.

Every printer parenthesises fully, so ``parse(print(f), syntax)`` gives back ``f`` up to the
renaming of bound variables that a syntax forces (NLTK wants ``x``, ``y1``...; TPTP wants
upper-case variables) and, for NLTK/Prover9 which have no exclusive or, with ``A ⊕ B`` written
``-(A <-> B)``. That is the round-trip law the tests check:
``canonical(parse(to_X(f), X)) == canonical(without_xor(f) if X == "nltk" else f)``.

>>> from provers.fol.parse import parse
>>> f = parse("∀x (Dog(x) → ¬Cat(x)) ⊕ Raining")
>>> print(to_nltk(f))
-((all x.(Dog(x) -> -Cat(x))) <-> Raining)
>>> print(to_tptp(f))
(![X]: ('Dog'(X) => ~'Cat'(X))) <~> 'Raining'
>>> print(to_folio(f))
(∀x (Dog(x) → ¬Cat(x))) ⊕ Raining
>>> print(to_prover9(f))
-((all x (Dog(x) -> -Cat(x))) <-> Raining)
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from provers.fol.syntax import (
    And,
    Const,
    Eq,
    Exists,
    Forall,
    Formula,
    Iff,
    Implies,
    Not,
    Or,
    Pred,
    Term,
    Var,
    Xor,
    check_depth,
    subformulas,
    without_xor,
)


def to_folio(f: Formula) -> str:
    """FOLIO's Unicode syntax (the same as ``str(f)``)."""
    return str(check_depth(f))


def _fresh_names(
    f: Formula, ok: Callable[[str], bool], make: Callable[[int], str], first: Callable[[str], str] | None = None
) -> dict[str, str]:
    """A renaming of bound variable names that ``ok`` rejects, to unused names from ``make``."""
    used = {g.var.name for g in subformulas(f) if isinstance(g, Forall | Exists)}
    used |= {s.name for g in subformulas(f) if isinstance(g, Pred) for s in g.args if isinstance(s, Const)}
    mapping: dict[str, str] = {}
    counter = itertools.count()
    for name in sorted(used):
        if ok(name):
            continue
        new = first(name) if first else make(next(counter))
        while not ok(new) or new in used or new in mapping.values():
            new = make(next(counter))
        mapping[name] = new
    return mapping


_NLTK_VAR = re.compile(r"[a-df-z]\d*|e\d*|[A-Z]\d*")
_NLTK_KEYWORDS = {"not", "and", "or", "implies", "iff", "some", "exists", "exist", "all",
                  "forall", "iota"}


def to_nltk(f: Formula) -> str:
    """NLTK / LINC style: ``all x.(P(x) -> Q(x))``; ⊕ becomes ``-(A <-> B)``.

    Raises
    ------
    FolLimitError
        For a formula past `provers.fol.syntax.MAX_DEPTH` (every printer here).
    """
    check_depth(f)
    names = _fresh_names(f, lambda n: bool(_NLTK_VAR.fullmatch(n)), lambda i: f"x{i}")
    return _infix(without_xor(f), names, _NLTK_OPS, _nltk_quant, _plain_name)


def to_prover9(f: Formula) -> str:
    """Prover9 / LADR syntax: ``all x (P(x) -> Q(x))``; ⊕ becomes ``-(A <-> B)``.

    Bound variables are renamed to start with u–z (Prover9's variable convention) and
    constants that would read as variables are quoted, so the text means what ``f`` means.
    """
    check_depth(f)
    names = _fresh_names(f, lambda n: bool(re.fullmatch(r"[u-z][A-Za-z0-9_]*", n)), lambda i: f"x{i}")
    return _infix(without_xor(f), names, _NLTK_OPS, _p9_quant, _p9_name)


def to_tptp(f: Formula) -> str:
    """TPTP FOF: ``![X]: (p(X) => q(X))``; non-lower-case symbols are single-quoted."""
    check_depth(f)
    names = _fresh_names(f, lambda n: bool(re.fullmatch(r"[A-Z][A-Za-z0-9_]*", n)),
                         lambda i: f"X{i}", lambda n: n[:1].upper() + n[1:])
    return _infix(f, names, _TPTP_OPS, _tptp_quant, _tptp_name)


_NLTK_OPS = {And: "&", Or: "|", Implies: "->", Iff: "<->", Not: "-", Eq: "=", Xor: "<~>"}
_TPTP_OPS = {And: "&", Or: "|", Implies: "=>", Iff: "<=>", Not: "~", Eq: "=", Xor: "<~>"}


def _plain_name(name: str) -> str:
    return name


def _p9_name(name: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_$]+", name) and not re.match(r"[u-z]", name):
        return name
    return '"' + name.replace('"', "") + '"'  # LADR's quoted symbols use double quotes


def _tptp_name(name: str) -> str:
    if re.fullmatch(r"[a-z][A-Za-z0-9_]*", name):
        return name
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _nltk_quant(kind: str, var: str, body: str) -> str:
    return f"{kind} {var}.{body}"


def _p9_quant(kind: str, var: str, body: str) -> str:
    return f"{kind} {var} {body}"


def _tptp_quant(kind: str, var: str, body: str) -> str:
    return f"{'!' if kind == 'all' else '?'}[{var}]: {body}"


def _infix(
    f: Formula,
    names: dict[str, str],
    ops: dict[type, str],
    quant: Callable[[str, str, str], str],
    symbol: Callable[[str], str],
) -> str:
    def term(t: Term) -> str:
        if isinstance(t, Var):
            return names.get(t.name, t.name)
        if isinstance(t, Const):
            return symbol(t.name)
        return f"{symbol(t.name)}({','.join(term(a) for a in t.args)})"

    def go(g: Formula) -> str:
        if isinstance(g, Pred):
            return symbol(g.name) + (f"({','.join(term(a) for a in g.args)})" if g.args else "")
        if isinstance(g, Eq):
            return f"{term(g.left)} {ops[Eq]} {term(g.right)}"
        if isinstance(g, Not):
            return f"{ops[Not]}{wrap(g.body)}"
        if isinstance(g, Forall | Exists):
            kind = "all" if isinstance(g, Forall) else "exists"
            return quant(kind, names.get(g.var.name, g.var.name), wrap(g.body, quantifier=True))
        assert isinstance(g, And | Or | Xor | Implies | Iff)
        return f"{wrap(g.left)} {ops[type(g)]} {wrap(g.right)}"

    def wrap(g: Formula, quantifier: bool = False) -> str:
        # In NLTK a quantifier's body extends only over atoms, so parenthesise the body always
        # in quantifier position; elsewhere only atoms and negations go bare.
        if isinstance(g, Pred) or (isinstance(g, Not) and not quantifier):
            return go(g)
        return f"({go(g)})"

    return go(f)
