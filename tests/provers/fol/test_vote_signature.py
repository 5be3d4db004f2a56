"""LINC's vote (ties included) and the two signature policies."""

from __future__ import annotations

import pytest

from provers.fol.backends.base import Label
from provers.fol.parse import parse
from provers.fol.signature import SignatureError, check, conflicts, repair
from provers.fol.syntax import predicates
from provers.fol.vote import majority

T, F, U, E = Label.TRUE, Label.FALSE, Label.UNCERTAIN, Label.ERROR


@pytest.mark.parametrize(
    ("labels", "vote"),
    [
        ([T, T, F], T),
        ([E, E, E, F], F),            # Errors do not vote
        ([E, E], E),                  # all Error: no answer
        ([], E),
        ([U, T, T, U], U),            # a tie goes to the label seen first
        ([T, U, U, T], T),
        ([E, F, T, E, T, F], F),      # first seen among the non-Error labels
        (["True", "Uncertain", "Uncertain"], U),
    ],
)
def test_majority_vote_as_linc(labels: list, vote: Label) -> None:
    assert majority(labels) is vote


def test_strict_policy_names_every_conflict() -> None:
    fs = [parse("all x.(Student(x) -> Human(x))"), parse("Teaches(Ann, Student)"), parse("Owns(Ann)"),
          parse("Owns(Ann, Car)")]
    found = {c.name for c in conflicts(fs)}
    assert found == {"Owns", "Student"}
    with pytest.raises(SignatureError, match="'Owns' is used as"):
        check(fs)
    check([parse("P(a) & Q(a, b)")])  # consistent: no error


def test_repair_renames_apart_and_keeps_the_majority_use() -> None:
    fs = [parse("all x.(Student(x) -> Human(x))"), parse("Student(Ann)"), parse("Teaches(Ann, Student)")]
    fixed, notes = repair(fs)
    assert conflicts(fixed) == []
    assert fixed[:2] == fs[:2]
    assert str(fixed[2]) == "Teaches(Ann, Student_fn)"
    assert [str(n) for n in notes] == [
        "renamed function/0 'Student' to 'Student_fn' (also used as predicate/1)"]
    assert ("Student", 1) in predicates(fixed[1])


def test_robust_keeps_linc_labels_and_repairs_only_linc_errors() -> None:
    from provers.fol.backends.prover9 import find_prover9
    from provers.fol.portfolio import Portfolio
    from provers.fol.robust import decide_completion
    from provers.fol.vote import fallback_majority

    binary = find_prover9()
    pf = Portfolio(["prover9", "z3"])
    clean = decide_completion("FOL: all x.(Dog(x) -> Animal(x))\nFOL: Dog(Rex)\nFOL: Animal(Rex)", pf, 10, binary)
    assert clean.label is T and not clean.repaired
    # LINC: Error (Owns with two arities; ⊕ rejected by NLTK); robust: repaired and decided
    arity = decide_completion("FOL: Owns(Ann)\nFOL: all x.(Owns(x, Car) -> Rich(x))\nFOL: Owns(Ann, Car)\n"
                              "FOL: Rich(Ann)", pf, 10, binary)
    assert arity.label is T and arity.repaired and arity.before is Label.ERROR
    assert [str(a) for a in arity.alignments] == ["arity Owns/2 → Owns/1 (argument 2 is Car in every use)"]
    xor = decide_completion("FOL: Cat(Tom) ⊕ Dog(Tom)\nFOL: Cat(Tom)\nFOL: Dog(Tom)", pf, 10, binary)
    assert xor.label is F and xor.repaired
    hopeless = decide_completion("FOL: Rating(x) > 9 -> Good(x)\nFOL: Good(A)", pf, 10, binary)
    assert hopeless.label is E and hopeless.reason == "parse"
    assert fallback_majority([clean.label, arity.label, xor.label], [False, True, True]) is T


def test_align_gives_one_symbol_per_concept_and_says_what_it_did() -> None:
    from provers.fol.signature import align

    fs = [parse("all x.(Students(x) -> Attends(x, School))"), parse("Student(Ann)"),
          parse("is_attending(ann, school)"), parse("Attend(Bob, school)")]
    fixed, notes = align(fs)
    assert {p for f in fixed for p, _ in predicates(f)} == {"Students", "Attends"}
    assert [n.kind for n in notes].count("constant") == 2          # ann → Ann, School → school (most used)
    assert str(fixed[2]) == "Attends(Ann, school)"
    # different concepts stay apart: different lemmas, or one arity not explained by a fixed argument
    apart = [parse("Owns(Ann, Car)"), parse("Owns(Bob, House)"), parse("Owns(Cid)"), parse("Owner(Ann)")]
    fixed, notes = align(apart)
    assert notes == [] and fixed == apart
    single = [parse("Owns(Ann, Car)"), parse("Owns(Bob)")]  # one use is no evidence of a fixed argument
    assert align(single) == (single, [])
    fixed, notes = align([parse("Likes(Ann, Pizza)"), parse("Likes(Bob, Pizza)"), parse("Likes(Cid)")])
    assert [str(f) for f in fixed] == ["Likes(Ann)", "Likes(Bob)", "Likes(Cid)"]


def test_a_negated_predicate_name_becomes_the_negation_of_its_predicate() -> None:
    # "Beethoven is not a conductor" written NotIsConductor(beethoven) by a small model: the
    # premises speak of Conductor, so the conclusion is refuted only once the name is read as ¬
    from provers.fol.portfolio import Portfolio
    from provers.fol.robust import decide_completion
    from provers.fol.signature import align

    fs = [parse("all x.(Composer(x) -> -Conductor(x))"), parse("Composer(beethoven)"),
          parse("DoesNotLeadOrchestras(beethoven)"), parse("NotIsConductor(beethoven)")]
    fixed, notes = align(fs)
    assert str(fixed[3]) == "¬Conductor(beethoven)"
    assert str(fixed[2]) == "DoesNotLeadOrchestras(beethoven)"  # nothing it denies is in the translation
    assert [n.kind for n in notes] == ["predicate"]
    # names that only start like a negation, or deny another arity, stay
    assert align([parse("Notable(x)"), parse("Able(x)")])[1] == []
    assert align([parse("NotOwns(ann)"), parse("Owns(ann, car)")])[1] == []
    # a quantifier word written into the name is not part of the concept: AllRepublican is Republican
    fixed, _ = align([parse("all x.(AllRepublican(x) -> AntiAbortion(x))"), parse("Republican(james)")])
    assert str(fixed[1]) == "AllRepublican(james)"  # one predicate (spelt as first seen: a tie)
    completion = ("FOL: all x.(Composer(x) -> -Conductor(x))\nFOL: Composer(beethoven)\n"
                  "FOL: NotIsConductor(beethoven)")
    assert decide_completion(completion, Portfolio(["z3"])).label is T
    # a quantifier word as a one-place predicate is the quantifier: All(x) guards nothing
    guarded = "FOL: All(x) -> (Man(x) -> Mortal(x))\nFOL: Man(socrates)\nFOL: Mortal(socrates)"
    assert decide_completion(guarded, Portfolio(["z3"])).label is T
    fixed, notes = align([parse("Exists(y) & Cat(y)"), parse("All(ann)")])
    assert [str(f) for f in fixed] == ["∃y Cat(y)", "All(ann)"] and [n.kind for n in notes] == ["quantifier"]


def test_weighted_vote_proof_beats_absence_of_proof_and_clean_beats_repaired() -> None:
    from provers.fol.robust import SampleResult, vote_weight
    from provers.fol.vote import weighted_majority

    results = [SampleResult(U), SampleResult(U), SampleResult(T)]
    assert weighted_majority([r.label for r in results], [vote_weight(r) for r in results]) is T
    results = [SampleResult(U)] * 4 + [SampleResult(T)]
    assert weighted_majority([r.label for r in results], [vote_weight(r) for r in results]) is U
    repaired = [SampleResult(F, repaired=True), SampleResult(T)]
    assert weighted_majority([r.label for r in repaired], [vote_weight(r) for r in repaired]) is T
    # an Uncertain whose conclusion the premises never mention is almost no evidence
    loose = [SampleResult(U, connected=False)] * 9 + [SampleResult(F, repaired=True)]
    assert weighted_majority([r.label for r in loose], [vote_weight(r) for r in loose]) is F


def test_robust_row_reports_which_change_turned_which_label() -> None:
    from provers.fol.backends.prover9 import find_prover9
    from provers.fol.datasets import SampledProblem
    from provers.fol.eval import sampled_row
    from provers.fol.portfolio import Portfolio

    disconnected = "FOL: all x.(Cats(x) -> Mammal(x))\nFOL: Cat(Tom)\nFOL: IsMammal(tom)"
    problem = SampledProblem("p0", (disconnected,), "True", linc_labels=("Uncertain",))
    row = sampled_row(problem, "robust", Portfolio(["prover9"]), find_prover9(), 10.0)
    assert row["label"] == "True" and row["linc_vote"] == "Uncertain"
    change = row["label_changes"][0]
    assert (change["linc"], change["robust"]) == ("Uncertain", "True")
    assert "predicate Cat/1 → Cats/1" in change["because"] and "constant" in change["because"]


def test_a_disconnected_conclusion_is_read_against_the_other_samples_premises() -> None:
    # rule X1: sample 0's premises never mention Mammal, so its Uncertain is no reasoning; sample 1's
    # premises (another translation of the same sentences) do, and prove it. Z3 decides, as in the runs.
    from provers.fol.pipeline import decide_samples
    from provers.fol.portfolio import Portfolio

    pf = Portfolio(["z3"])
    loose = "FOL: all x.(Dog(x) -> Animal(x))\nFOL: Dog(Rex)\nFOL: Mammal(Rex)"
    tight = "FOL: all x.(Dog(x) -> Mammal(x))\nFOL: Dog(Rex)\nFOL: Mammal(Rex)"
    row = decide_samples([(loose, False), (tight, False)], "True", pf)
    assert row["samples"] == ["True", "True"] and row["label"] == "True"
    assert "other samples' premises: True" in row["sample_details"][0]
    # alone, or beside a cut sample (its premises are not read), it stays Uncertain, and the tie
    # with a proof goes to the label seen first, as LINC's vote does
    assert decide_samples([(loose, False)], "True", pf)["samples"] == ["Uncertain"]
    row = decide_samples([(loose, False), (tight, True)], "True", pf)
    assert row["samples"] == ["Uncertain", "Error"]
    # a connected Uncertain is reasoning: never re-read
    unproved = "FOL: all x.(Dog(x) -> Animal(x))\nFOL: Cat(Rex)\nFOL: Animal(Rex)"
    assert decide_samples([(unproved, False), (tight, False)], "True", pf)["samples"] == ["Uncertain", "True"]
    # premise sets that do not mention the conclusion's names do not vote
    other = "FOL: all x.(Cat(x) -> Pet(x))\nFOL: Cat(Tom)\nFOL: Pet(Tom)"
    assert decide_samples([(loose, False), (other, False)], "True", pf)["samples"] == ["Uncertain", "True"]


def test_two_refutations_decide_false_against_more_proofs() -> None:
    # rule R2F: two samples whose premises prove the conclusion's negation make the vote False,
    # though three prove it (the three read "not" away); one refutation does not (Z3 decides)
    from provers.fol.pipeline import decide_samples
    from provers.fol.portfolio import Portfolio

    pf = Portfolio(["z3"])
    refutes = "FOL: all x.(Bird(x) -> -Swims(x))\nFOL: Bird(Tweety)\nFOL: Swims(Tweety)"
    proves = "FOL: all x.(Bird(x) -> Swims(x))\nFOL: Bird(Tweety)\nFOL: Swims(Tweety)"
    row = decide_samples([(proves, False)] * 3 + [(refutes, False)] * 2, "False", pf)
    assert row["samples"] == ["True"] * 3 + ["False"] * 2
    assert (row["label"], row["plain_vote"]) == ("False", "True")
    row = decide_samples([(proves, False)] * 3 + [(refutes, False)], "False", pf)
    assert row["label"] == "True"
