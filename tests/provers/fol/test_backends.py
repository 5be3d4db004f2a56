"""Every backend on a suite of small entailments with known answers; they must all agree."""

from __future__ import annotations

import pytest

from provers.fol.backends import Label, get_backend
from provers.fol.parse import parse
from provers.fol.portfolio import Portfolio, combine

T, F, U = Label.TRUE, Label.FALSE, Label.UNCERTAIN

# (premises, conclusion, answer); NLTK syntax unless the text says otherwise.
SUITE: list[tuple[list[str], str, Label]] = [
    # propositional
    (["P", "P -> Q"], "Q", T),
    (["P -> Q", "-Q"], "-P", T),
    (["P | Q", "-P"], "Q", T),
    (["P & Q"], "P", T),
    (["P"], "P | Q", T),
    (["P <-> Q", "Q"], "P", T),
    (["P <-> Q", "-Q"], "P", F),
    (["P -> Q"], "Q", U),
    (["P | Q"], "P", U),
    (["-P"], "P", F),
    (["P -> Q", "Q -> R", "P"], "R", T),
    (["P -> Q", "Q -> R", "P"], "-R", F),
    (["P -> Q", "Q -> R"], "P -> R", T),
    (["P ⊕ Q", "P"], "Q", F),
    (["P ⊕ Q", "-P"], "Q", T),
    (["P ⊕ Q"], "P", U),
    (["P ⊕ Q", "P ⊕ R"], "Q <-> R", T),
    (["(P & Q) -> R", "P", "-R"], "-Q", T),
    ([], "P | -P", T),
    ([], "P", U),
    # monadic, quantifiers
    (["all x.(Dog(x) -> Animal(x))", "Dog(Rex)"], "Animal(Rex)", T),
    (["all x.(Dog(x) -> Animal(x))", "Dog(Rex)"], "-Animal(Rex)", F),
    (["all x.(Dog(x) -> Animal(x))", "Animal(Rex)"], "Dog(Rex)", U),
    (["all x.(Dog(x) -> -Cat(x))", "Dog(Tom)"], "Cat(Tom)", F),
    (["all x.(Student(x) -> Human(x))", "all x.(Human(x) -> Mortal(x))"], "all x.(Student(x) -> Mortal(x))", T),
    (["all x.(Student(x) -> Human(x))"], "exists x.Student(x)", U),
    (["Student(Ann)"], "exists x.Student(x)", T),
    (["all x.Happy(x)"], "Happy(Bob)", T),
    (["exists x.Happy(x)"], "Happy(Bob)", U),
    (["-(exists x.Happy(x))"], "Happy(Bob)", F),
    (["all x.(A(x) | B(x))", "-A(Ann)"], "B(Ann)", T),
    (["all x.(A(x) | B(x))"], "A(Ann)", U),
    (["all x.(A(x) -> B(x))", "all x.(B(x) -> C(x))", "-C(Ann)"], "A(Ann)", F),
    (["exists x.(A(x) & B(x))"], "exists x.A(x)", T),
    (["exists x.A(x)", "exists x.B(x)"], "exists x.(A(x) & B(x))", U),
    (["all x.(A(x) & B(x))"], "all x.A(x) & all x.B(x)", T),
    (["all x.(A(x) -> B(x))", "exists x.A(x)"], "exists x.B(x)", T),
    (["all x.(A(x) -> B(x))", "exists x.-B(x)"], "exists x.-A(x)", T),
    (["all x.(A(x) <-> -B(x))", "A(Ann)"], "B(Ann)", F),
    (["all x.(Young(x) -> -Teach(x))", "Young(Rose) | Student(Rose)", "all x.(Student(x) -> Human(x))",
      "-Human(Rose)"], "Teach(Rose)", F),
    # relations
    (["all x y.(Parent(x,y) -> Ancestor(x,y))", "Parent(Ann,Bob)"], "Ancestor(Ann,Bob)", T),
    (["all x y z.((Ancestor(x,y) & Ancestor(y,z)) -> Ancestor(x,z))", "Ancestor(Ann,Bob)", "Ancestor(Bob,Cal)"],
     "Ancestor(Ann,Cal)", T),
    (["all x y.(Loves(x,y) -> Loves(y,x))", "Loves(Ann,Bob)"], "Loves(Bob,Ann)", T),
    (["all x y.(Loves(x,y) -> Loves(y,x))", "Loves(Ann,Bob)"], "Loves(Bob,Cal)", U),
    (["all x.exists y.Likes(x,y)"], "exists y.Likes(Ann,y)", T),
    (["exists y.all x.Likes(x,y)"], "all x.exists y.Likes(x,y)", T),
    (["all x.(Likes(Ann,x) -> -Likes(Bob,x))", "Likes(Ann,Tea)"], "Likes(Bob,Tea)", F),
    (["all x y.(Taller(x,y) -> -Taller(y,x))", "Taller(Ann,Bob)"], "Taller(Bob,Ann)", F),
    # equality and functions
    (["Ann = Bob", "Happy(Ann)"], "Happy(Bob)", T),
    (["Ann = Bob", "-Happy(Ann)"], "Happy(Bob)", F),
    (["all x.(x = Ann)", "Happy(Ann)"], "Happy(Bob)", T),
    (["Happy(Father(Ann))", "Father(Ann) = Bob"], "Happy(Bob)", T),
    (["all x.(Person(x) -> Person(Father(x)))", "Person(Ann)"], "Person(Father(Father(Ann)))", T),
    (["Ann != Bob"], "-(Ann = Bob)", T),
    # other syntaxes go through the same parser front door
    (["∀x (Dog(x) → Animal(x))", "Dog(rex)"], "Animal(rex)", T),
    (["![X]: (dog(X) => animal(X))", "dog(rex)"], "~animal(rex)", F),
]


def test_suite_is_large_enough() -> None:
    assert len(SUITE) >= 50
    assert {a for *_, a in SUITE} == {T, F, U}


@pytest.mark.parametrize("backend", ["z3", "prover9", "eprover"])
@pytest.mark.parametrize(("premises", "conclusion", "answer"), SUITE, ids=[c for _, c, _ in SUITE])
def test_backend_answers_known_entailment(backend: str, premises: list[str], conclusion: str, answer: Label) -> None:
    from provers.fol.parse import parse_nltk_lenient

    def read(text: str):  # type: ignore[no-untyped-def]
        return parse_nltk_lenient(text) if "⊕" in text else parse(text)

    verdict = get_backend(backend).decide([read(p) for p in premises], read(conclusion), timeout=10)
    assert verdict.label is answer, verdict
    assert verdict.backend == backend
    if answer in (T, F) and backend in ("prover9", "eprover"):
        assert verdict.evidence is not None and verdict.evidence.kind == "proof" and verdict.evidence.text


def test_z3_uncertain_comes_with_a_countermodel() -> None:
    v = get_backend("z3").decide([parse("all x.(Dog(x) -> Animal(x))"), parse("Animal(Rex)")], parse("Dog(Rex)"))
    assert v.label is U and v.evidence is not None and v.evidence.kind == "model"
    assert "Dog?1" in v.evidence.text


def test_portfolio_reports_agreement_and_combines_by_proof_first() -> None:
    pf = Portfolio(["z3", "prover9", "eprover"])
    v = pf.decide([parse("P -> Q"), parse("P")], parse("Q"))
    assert v.label is T and not v.disagreement and len(v.verdicts) == 3
    from provers.fol.backends.base import Verdict

    assert combine([Verdict(U, "a"), Verdict(T, "b")]) is T
    assert combine([Verdict.error("a", "timeout", "x"), Verdict(F, "b")]) is F
    assert combine([Verdict.error("a", "timeout", "x")]) is Label.ERROR
