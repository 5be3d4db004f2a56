"""Retrieved shots come from FOLIO train only; prover feedback finds real faults and is bounded.

The feedback loop runs with the real SmolLM2-135M (the CI model): whatever it writes, a
problem costs at most 1 + sentences + K × rounds requests, and a sample still at fault after
its re-ask is an Error sample with the fault's reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provers.fol.datasets import NLProblem, load_folio_nl
from provers.fol.parse import parse_nltk
from provers.fol.pipeline import StagedParser, staged_row
from provers.fol.portfolio import Portfolio
from provers.fol.refine import check_sample, conclusion_fault, sample_text, unsat_core
from provers.fol.shots import DEV_EVERY, Retriever, load_train
from provers.fol.signature_first import parse_signature
from provers.fol.syntax import FolError, functions, predicates
from workbench.llm import Generator


@pytest.fixture(scope="module")
def train(shared_data: Path) -> tuple[list, list]:  # type: ignore[type-arg]
    return load_train(shared_data / "logic/folio/folio-train.jsonl")


def test_the_pool_is_train_without_dev(train, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    pool, dev = train
    rows = [json.loads(line) for line in (shared_data / "logic/folio/folio-train.jsonl").read_text().splitlines()]
    ids = {int(s.id.rsplit("-", 1)[1]) for s in pool}
    assert ids <= {r["story_id"] for r in rows}
    assert not any(i % DEV_EVERY == 0 for i in ids)
    assert dev and all(r["story_id"] % DEV_EVERY == 0 for r in dev)
    with pytest.raises(FolError, match="FOLIO train only"):
        load_train(shared_data / "logic/folio/folio-validation.jsonl")


@pytest.mark.slow
def test_retrieved_shots_are_never_from_the_evaluated_split(train, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    pool, dev = train
    retriever = Retriever(pool)
    validation = [p for p in load_folio_nl(shared_data / "logic/folio/folio-validation.jsonl")[:12]]
    val_sentences = {s for p in validation for s in (*p.premises, p.conclusion)}
    for p in validation:
        shots = retriever.nearest([*p.premises, p.conclusion], 3)
        assert len(shots) == 3 and all(s.id.startswith("folio-train:") for s in shots)
        for s in shots:  # a shot shares at most a generic sentence ("Cats are pets.") with validation
            assert len(set(s.sentences) & val_sentences) <= 1
    # a train story evaluated against a pool that holds it never sees itself
    story = pool[7]
    shots = retriever.nearest(list(story.sentences), 3)
    assert story.id not in {s.id for s in shots}
    # the most similar story is the one about the same things
    cats = retriever.nearest(["All cats are mammals.", "All mammals are animals.", "Tom is a cat."], 1)
    assert any(w in " ".join(cats[0].sentences).lower() for w in ("mammal", "animal", "cat"))


def test_faults_in_order_parse_signature_free_variable_inconsistent() -> None:
    sig = parse_signature("Predicates: Cat(x), Dog(x)\nConstants: tom")
    assert check_sample(["Cat(tom)", "Dog(tom)"], signature=sig) is None
    assert check_sample(["Cat(tom)", "Dog(tom"], signature=sig).reason == "parse"  # type: ignore[union-attr]
    fault = check_sample(["Cat(tom)", "Bird(tom)"], signature=sig)
    assert fault and (fault.reason, fault.sentence) == ("signature", 1) and "Bird/1" in fault.message
    assert check_sample(["Cat(x)", "Dog(tom)"]).reason == "free-variable"  # type: ignore[union-attr]
    assert check_sample(["Cat(tom)", "Dog(tom)"], truncated=[False, True]).reason == "truncated"  # type: ignore[union-attr]
    fault = check_sample(["all x.(Cat(x) -> -Dog(x))", "Dog(tom)", "Cat(tom)", "Dog(tom)"])
    assert fault and fault.reason == "inconsistent" and fault.sentence == 2 and "sentence 1" in fault.message
    # the conclusion may contradict the premises (that is a False answer, not a fault)
    assert check_sample(["Cat(tom)", "all x.(Cat(x) -> -Dog(x))", "Dog(tom)"]) is None
    assert unsat_core([parse_nltk("P(a)"), parse_nltk("Q(a)"), parse_nltk("-P(a)")]) == [0, 2]
    assert sample_text(["P(a)", " Q(a) "]) == "FOL:\tP(a)\nFOL:\tQ(a)"


class Counting:
    """A real generator that counts the requests it serves."""

    def __init__(self, inner: Generator) -> None:
        self.inner, self.name, self.calls = inner, inner.name, 0

    def generate(self, prompts, params):  # type: ignore[no-untyped-def]
        self.calls += len(prompts)
        return self.inner.generate(prompts, params)


@pytest.mark.llm
@pytest.mark.parametrize("rounds", [1, 2])
def test_feedback_is_bounded_with_a_real_model(smollm: Generator, rounds: int) -> None:
    problem = NLProblem("p", ("No cats are dogs.", "Tom is a cat."), "Tom is a dog.", "False")
    gen = Counting(smollm)
    # no stage-2 grammar: the 135M model writes unparsable lines, so faults are certain
    parser = StagedParser(gen, k=2, fixed=1, grammar=False, feedback=True, rounds=rounds, formula_tokens=16)
    row = staged_row(problem, parser, Portfolio(["z3"]))
    sentences = len(problem.premises) + 1
    assert gen.calls == row["requests"] <= 1 + sentences + parser.k * rounds
    assert row["reasked"] == sum(len(h) for h in row["feedback"]) <= parser.k * rounds
    assert all(len(h) <= rounds for h in row["feedback"])
    for label, reason, history in zip(row["samples"], row["sample_reasons"], row["feedback"], strict=True):
        if history and label == "Error":
            assert reason in ("parse", "signature", "free-variable", "truncated", "inconsistent")
    assert len(row["formulas"]) == parser.k and all(len(f) == sentences for f in row["formulas"])


def test_a_story_as_a_linc_shot_proves_nothing_false_and_parses(train) -> None:  # type: ignore[no-untyped-def]
    from provers.fol.prompts import build_prompt
    from provers.fol.shots import as_exemplar

    pool, _ = train
    for story in pool[:40]:
        shot = as_exemplar(story)
        assert [t for t, _ in shot.premises] + [shot.conclusion[0]] == list(story.sentences)
        for _, fol in [*shot.premises, shot.conclusion]:
            parse_nltk(fol)  # the LINC reader takes every line the shot teaches
    prompt = build_prompt(["Rex is a dog."], "Rex barks.", 2, [as_exemplar(pool[0])])
    # retrieved shots come after the fixed ones, so the fixed part stays a cacheable prefix
    assert prompt.startswith(build_prompt(["x"], "y", 2).split("<PREMISES>\nx")[0])
    assert prompt.count("<EVALUATE>") == 4 and prompt.index(pool[0].sentences[0]) > prompt.index("Tiffany")


def test_a_conclusion_with_symbols_no_premise_has_is_a_fault_naming_them() -> None:
    premises = [parse_nltk("all x.(Musician(x) -> Person(x))"), parse_nltk("Musician(beethoven)")]
    assert conclusion_fault(premises, parse_nltk("Person(beethoven)")) is None
    assert conclusion_fault(premises, parse_nltk("IsAPerson(beethoven)")) is None  # aligned to Person, as decided
    message = conclusion_fault(premises, parse_nltk("Conductor(beethoven) & Leads(beethoven, orchestra)"))
    assert message == ("the conclusion uses Conductor/1, Leads/2, orchestra, which no premise uses; "
                       "the premises use Musician/1, Person/1, beethoven")


def test_the_feedback_asks_a_disconnected_conclusion_again_under_its_premises_grammar() -> None:
    import random

    from provers.fol.pipeline import _Feedback
    from provers.fol.prompts import pair_head
    from tests.provers.fol.test_grammar import read_gbnf, sample
    from workbench.llm import Completion

    heads = [pair_head(s) for s in ("Musicians are people.", "Beethoven leads an orchestra.", "Beethoven is a conductor.")]
    asked: dict = {}
    check = _Feedback(heads, asked)
    spans = [Completion("all x.(Musician(x) -> Person(x))"), Completion("Leads(beethoven, orchestra)"),
             Completion("Conductor(beethoven)")]
    again = check(3, spans)
    assert again is not None and again.text.startswith("ERROR:\tthe conclusion uses Conductor/1, which no premise")
    assert again.text.endswith(heads[-1])
    assert asked == {3: {"sentence": 2, "reason": "conclusion", "message": again.text.split("\n")[0][7:],
                         "was": "Conductor(beethoven)"}}
    rules = read_gbnf(again.grammar)
    allowed = {"Musician", "Person", "Leads", "beethoven", "orchestra"}
    for seed in range(20):
        text = sample(rules, "root", random.Random(seed), max_depth=8)
        f = parse_nltk(text.strip())
        assert {n for n, _ in predicates(f)} | {n for n, _ in functions(f)} <= allowed, text
    # a connected conclusion, a span cut at the token cap, a premise span: nothing to ask
    assert check(1, [*spans[:2], Completion("Leads(beethoven, orchestra)")]) is None
    assert check(1, [*spans[:2], Completion("Conductor(beeth", "length")]) is None
    assert check(1, spans[:2]) is None
    # a conclusion that does not parse: nothing to build a grammar from, left to the decider's Error
    assert check(1, [*spans[:2], Completion("Person(beethoven")]) is None and 1 not in asked
    # premises that give no signature (one name, two arities): left as they are
    clash = [Completion("Leads(beethoven)"), Completion("Leads(beethoven, orchestra)"), Completion("Conductor(beethoven)")]
    assert check(2, clash) is None and 2 not in asked


def test_feedback_needs_the_batch_decoder() -> None:
    from provers.fol.pipeline import LLMParser

    class NoFill:
        def generate(self, prompts, params):  # type: ignore[no-untyped-def]
            raise AssertionError("not called")

    with pytest.raises(FolError, match="fills"):
        LLMParser(NoFill(), stepwise=True, feedback=True)
    with pytest.raises(FolError, match="stepwise"):
        LLMParser(NoFill(), feedback=True)


@pytest.mark.llm
def test_feedback_inside_the_samples_with_a_real_model(smollm: Generator) -> None:
    from provers.fol.pipeline import LLMParser, llm_row
    from provers.fol.robust import parse_completion

    if not getattr(smollm, "fills", False):
        pytest.skip("the batch decoder needs the xllamacpp engine")
    problem = NLProblem("p", ("All birds fly.", "Tweety is a bird."), "Tweety sings loudly.", "Uncertain")
    parser = LLMParser(smollm, k=2, shots=1, stepwise=True, feedback=True, formula_tokens=24, temperature=0.0)
    row = llm_row(problem, parser, Portfolio(["z3"]))
    assert len(row["feedback"]) == parser.k and row["reasked"] == sum(a is not None for a in row["feedback"])
    assert row["reasked"] == parser.k  # greedy: the 135M model writes Singing(tweetySinging), no premise's symbol
    for text, asked in zip(row["completions"], row["feedback"], strict=True):
        if asked is None:
            continue
        assert asked["sentence"] == 2 and asked["reason"] == "conclusion" and asked["message"]
        fols = [line.split("\t", 1)[1] for line in text.splitlines() if line.startswith("FOL:")]
        if len(fols) == 3:  # the new conclusion was not cut: it uses the premises' symbols only
            premises, conclusion, _ = parse_completion(text)
            have = set().union(*(predicates(p) | functions(p) for p in premises))
            assert predicates(conclusion) | functions(conclusion) <= have, text
