"""Parsers and printers: round trips across the three syntaxes, NLTK fidelity, error positions."""

from __future__ import annotations

import json
import random

import pytest

from provers.fol.parse import SYNTAXES, FolParseError, parse, parse_folio, parse_nltk, parse_tptp
from provers.fol.printers import to_folio, to_nltk, to_prover9, to_tptp
from provers.fol.syntax import (
    And,
    Const,
    Eq,
    Exists,
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
    canonical,
    from_json,
    to_json,
    without_xor,
)

PRINTERS = {"nltk": to_nltk, "folio": to_folio, "tptp": to_tptp}


def random_formula(rng: random.Random, depth: int, bound: tuple[str, ...] = ()) -> Formula:
    """A random closed formula over a small signature (Happy/1, Likes/2, Raining/0; Father/1; a, bob)."""

    def term(d: int) -> Term:
        choices: list[Term] = [Const("a"), Const("bob")] + [Var(v) for v in bound]
        if d > 0 and rng.random() < 0.3:
            return Func("Father", (term(d - 1),))
        return rng.choice(choices)

    if depth == 0 or rng.random() < 0.2:
        kind = rng.randrange(4)
        if kind == 0:
            return Pred("Happy", (term(1),))
        if kind == 1:
            return Pred("Likes", (term(1), term(1)))
        if kind == 2:
            return Pred("Raining")
        return Eq(term(1), term(1))
    kind = rng.randrange(9)
    if kind == 0:
        return Not(random_formula(rng, depth - 1, bound))
    if kind in (1, 2):
        v = rng.choice(["x", "y", "z", "person"])
        q = Forall if kind == 1 else Exists
        return q(Var(v), random_formula(rng, depth - 1, bound + (v,)))
    op = [And, Or, Xor, Implies, Iff, And][kind - 3]
    return op(random_formula(rng, depth - 1, bound), random_formula(rng, depth - 1, bound))


@pytest.mark.parametrize("source", SYNTAXES)
@pytest.mark.parametrize("target", SYNTAXES)
def test_round_trip_across_syntaxes(source: str, target: str) -> None:
    rng = random.Random(f"{source}->{target}")
    for _ in range(150):
        f = random_formula(rng, 4)
        # print in the source syntax, parse it, print in the target, parse again
        g = parse(PRINTERS[source](f), source)  # type: ignore[arg-type]
        h = parse(PRINTERS[target](g), target)  # type: ignore[arg-type]
        expected = without_xor(f) if "nltk" in (source, target) else f
        assert canonical(h) == canonical(expected), (PRINTERS[source](f), PRINTERS[target](g))


def test_repr_and_json_round_trip() -> None:
    rng = random.Random(7)
    for _ in range(100):
        f = random_formula(rng, 4)
        assert eval(repr(f)) == f
        assert from_json(json.loads(json.dumps(to_json(f)))) == f
        assert hash(eval(repr(f))) == hash(f)


def test_prover9_printer_is_nltk_readable() -> None:
    f = parse("∀x (Happy(x) ⊕ ∃y Likes(x, y))")
    assert to_prover9(f) == "all x (-(Happy(x) <-> (exists y Likes(x,y))))"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("all x. P(x) -> Q(x)", Implies(Forall(Var("x"), Pred("P", (Var("x"),))), Pred("Q", (Const("x"),)))),
        ("A -> B -> C", Implies(Implies(Pred("A"), Pred("B")), Pred("C"))),
        ("A | B & C", Or(Pred("A"), And(Pred("B"), Pred("C")))),
        ("-P(x) & Q", And(Not(Pred("P", (Const("x"),))), Pred("Q"))),
        ("exists x y.R(x,y)", Exists(Var("x"), Exists(Var("y"), Pred("R", (Var("x"), Var("y")))))),
        ("all x.(x != Bob)", Forall(Var("x"), Not(Eq(Var("x"), Const("Bob"))))),
        ("Loves(Bob, Mother(Bob))", Pred("Loves", (Const("Bob"), Func("Mother", (Const("Bob"),))))),
    ],
)
def test_nltk_precedence_matches_nltk(text: str, expected: Formula) -> None:
    assert parse_nltk(text) == expected


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        ("all x.(Dog(x) &)", 15, "unexpected token ')'"),
        ("P(x) ⊕ Q(x)", 5, "unexpected token '⊕'"),
        ("all person.(P(person))", 4, "illegal variable name"),
        ("all x.(f(x))", 7, "illegal predicate name"),
        ("P(x", 3, "end of input"),
        ("", 0, "end of input"),
    ],
)
def test_nltk_errors_carry_positions(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(FolParseError) as info:
        parse_nltk(text)
    assert info.value.offset == offset
    assert fragment in str(info.value)
    assert info.value.context().splitlines()[-1] == " " * offset + "^"


def test_folio_and_tptp_errors_carry_positions() -> None:
    with pytest.raises(FolParseError) as info:
        parse_folio("∀x (A(x) → B(x)")
    assert info.value.offset == 15 and "end" in info.value.what
    with pytest.raises(FolParseError) as info2:
        parse_tptp("![X]: (p(X) => )")
    assert info2.value.offset == 15


def test_folio_gold_malformed_rows_are_parse_errors(shared_data) -> None:  # type: ignore[no-untyped-def]
    rows = [json.loads(line) for line in (shared_data / "logic/folio/folio-validation.jsonl").open()]
    bad: dict[int, FolParseError] = {}
    for i, row in enumerate(rows):
        for text in row["premises-FOL"] + [row["conclusion-FOL"]]:
            try:
                parse_folio(text)
            except FolParseError as exc:
                bad.setdefault(i, exc)
    assert sorted(bad) == [2, 87, 108, 109, 110]
    assert bad[87].offset == 24 and "','" in bad[87].what


def test_folio_gold_formulas_round_trip_through_every_syntax(shared_data) -> None:  # type: ignore[no-untyped-def]
    rows = [json.loads(line) for line in (shared_data / "logic/folio/folio-validation.jsonl").open()]
    checked = 0
    for row in rows:
        for text in row["premises-FOL"] + [row["conclusion-FOL"]]:
            try:
                f = parse_folio(text)
            except FolParseError:
                continue
            for target in SYNTAXES:
                if target == "nltk" and any(not n.isidentifier() for n in _symbols(f)):
                    continue  # names like y42.3billion are not NLTK tokens
                g = parse(PRINTERS[target](f), target)  # type: ignore[arg-type]
                expected = without_xor(f) if target == "nltk" else f
                assert canonical(g) == canonical(expected), (text, target)
            checked += 1
    assert checked == 1282  # every gold formula that parses


def _symbols(f: Formula) -> set[str]:
    from provers.fol.syntax import functions, predicates

    return {n for n, _ in predicates(f) | functions(f)}
