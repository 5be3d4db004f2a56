"""The LINC pipeline end to end: prompt → samples → parse → prove → vote, real generators only."""

from __future__ import annotations

import pytest

from provers.fol.backends.base import get_backend
from provers.fol.datasets import NLProblem
from provers.fol.parse import parse_nltk
from provers.fol.pipeline import LLMParser, auto_row, llm_row
from provers.fol.portfolio import Portfolio
from provers.fol.prompts import EXEMPLARS, build_prompt
from workbench.llm import Generator

PROBLEM = NLProblem("dogs", ("All dogs are animals.", "Rex is a dog."), "Rex is an animal.", "True")
GOOD = "TEXT:\tAll dogs are animals.\nFOL:\tall x.(Dog(x) -> Animal(x))\nTEXT:\tRex is a dog.\nFOL:\tDog(rex)\n" \
       "TEXT:\tRex is an animal.\nFOL:\tAnimal(rex)\n"
BAD = "TEXT:\tAll dogs are animals.\nFOL:\tall x.(Dog(x) &)\nTEXT:\tRex is an animal.\nFOL:\tAnimal(rex)\n"
NO_FOL = "I think the answer is True."


@pytest.mark.parametrize("exemplar", EXEMPLARS, ids=lambda e: e.source)
def test_exemplars_prove_their_gold_label(exemplar) -> None:  # type: ignore[no-untyped-def]
    premises = [parse_nltk(f) for _, f in exemplar.premises]
    assert get_backend("z3").decide(premises, parse_nltk(exemplar.conclusion[1]), 10).label.value == exemplar.label


@pytest.mark.parametrize("shots", [1, 2, 4, 8])
def test_prompt_layout(shots: int) -> None:
    prompt = build_prompt(PROBLEM.premises, PROBLEM.conclusion, shots)
    assert prompt.count("<EVALUATE>") == shots + 1 and prompt.count("</EVALUATE>") == shots
    assert prompt.endswith("<CONCLUSION>\nRex is an animal.\n</CONCLUSION>\n<EVALUATE>\n")
    assert "folio-validation" not in prompt


def test_good_bad_and_empty_samples_through_a_replay_generator() -> None:
    from workbench.llm.replay import ReplayGenerator

    prompt = build_prompt(PROBLEM.premises, PROBLEM.conclusion, 2)
    gen = ReplayGenerator({prompt: [GOOD, BAD, NO_FOL]})
    row = llm_row(PROBLEM, LLMParser(gen, k=3, shots=2), Portfolio(["z3"]))
    assert row["samples"] == ["True", "Error", "Error"]
    assert row["sample_reasons"] == [None, "parse", "parse"]
    assert "premise 1" in row["sample_details"][1] and "no 'FOL:' line" in row["sample_details"][2]
    assert row["label"] == "True" and row["correct"] is True


def test_model_failure_is_an_error_row_and_auto_falls_back() -> None:
    from workbench.llm.replay import ReplayGenerator

    empty = ReplayGenerator({})
    row = llm_row(PROBLEM, LLMParser(empty, k=1, shots=1), Portfolio(["z3"]))
    assert row["label"] == "Error" and row["reason"] == "llm" and "no recorded generation" in row["detail"]
    # auto: a sentence outside the controlled language sends the problem to the LLM
    odd = NLProblem("odd", ("Rex, who is old, is a dog.",), "Rex is a dog.", "True")
    gen = ReplayGenerator({build_prompt(odd.premises, odd.conclusion, 1): ["TEXT:\tx\nFOL:\tDog(rex)\nTEXT:\ty\nFOL:\tDog(rex)\n"]})
    out = auto_row(odd, get_backend("z3"), LLMParser(gen, k=1, shots=1), Portfolio(["z3"]))
    assert out["parser"] == "llm" and out["label"] == "True" and out["fallback"].startswith("sentence 1")


@pytest.mark.parametrize("grammar", [True, False], ids=["grammar", "no-grammar"])
def test_real_gguf_pipeline(smollm: Generator, grammar: bool) -> None:
    row = llm_row(PROBLEM, LLMParser(smollm, k=2, shots=1, grammar=grammar, max_tokens=24), Portfolio(["z3"]))
    assert len(row["samples"]) == 2 and len(row["completions"]) == 2 and row["tokens"] > 0
    assert row["grammar"] is grammar and row["tokens_per_s"] > 0
    for label, reason in zip(row["samples"], row["sample_reasons"], strict=True):
        assert (label == "Error") == (reason is not None)
    if grammar:  # constrained decoding: every sample copies the first premise as the grammar demands
        assert all(c.startswith("TEXT:\tAll dogs are animals.\nFOL:\t"[: len(c)]) for c in row["completions"]), \
            row["completions"]



class Spy:
    """The real generator, with each call's prompts and sample count written down."""

    def __init__(self, inner: Generator) -> None:
        self.inner, self.name, self.calls = inner, inner.name, []  # type: list[tuple[int, int]]

    def generate(self, prompts, params):  # type: ignore[no-untyped-def]
        self.calls.append((len(prompts), params.n))
        return self.inner.generate(prompts, params)


def _check_stepwise_row(row: dict, grammar: bool) -> None:  # type: ignore[type-arg]
    sentences = [*PROBLEM.premises, PROBLEM.conclusion]
    assert row["stepwise"] is True and len(row["completions"]) == 3 and row["tokens"] > 0
    for text, label, reason in zip(row["completions"], row["samples"], row["sample_reasons"], strict=True):
        texts = [line[len("TEXT:\t"):] for line in text.splitlines() if line.startswith("TEXT:\t")]
        fols = [line for line in text.splitlines() if line.startswith("FOL:\t")]
        assert texts == sentences[: len(texts)] and len(fols) == len(texts)  # shorter only when a formula was cut
        assert (label == "Error") == (reason is not None)
        if reason != "truncated":
            assert len(texts) == 3
            if grammar:
                for line in fols:
                    parse_nltk(line[len("FOL:\t"):])


@pytest.mark.parametrize("grammar", [True, False], ids=["grammar", "no-grammar"])
def test_stepwise_decoding_through_the_batch_decoder(smollm: Generator, grammar: bool) -> None:
    """A generator with ``fill`` (the GGUF backend) decodes the K samples in one batch over the
    prompt's shared KV cells: the same completions' shape, the prompt evaluated once."""
    if not getattr(smollm, "fills", False):
        pytest.skip("the batch decoder needs the xllamacpp engine")
    row = llm_row(PROBLEM, LLMParser(smollm, k=3, shots=1, grammar=grammar, stepwise=True, formula_tokens=32),
                  Portfolio(["z3"]))
    _check_stepwise_row(row, grammar)
    engine = row["engine"]  # one call for all samples and sentences
    assert engine["requests"] == 1 and engine["gen_tokens"] > 0 and engine["prompt_tokens"] > 0


@pytest.mark.parametrize("grammar", [True, False], ids=["grammar", "no-grammar"])
def test_stepwise_decoding_writes_linc_completions_one_formula_at_a_time(smollm: Generator, grammar: bool) -> None:
    spy = Spy(smollm)
    row = llm_row(PROBLEM, LLMParser(spy, k=3, shots=1, grammar=grammar, stepwise=True, formula_tokens=32),
                  Portfolio(["z3"]))
    _check_stepwise_row(row, grammar)
    # the first sentence is one request of n = K; afterwards at most one request per distinct history
    assert spy.calls[0] == (1, 3) and sum(p * n for p, n in spy.calls) <= 3 * 3
    # branches decode concurrently: the engine's busy time counts overlapping calls once
    engine = row["engine"]
    assert 0 < engine["busy_ms"] <= 1000 * row["seconds"]
    assert engine["busy_ms"] <= engine["wall_prompt_ms"] + engine["wall_gen_ms"] + 1e-6


def test_stepwise_samples_with_one_history_share_one_request(smollm: Generator) -> None:
    spy = Spy(smollm)
    llm_row(PROBLEM, LLMParser(spy, k=3, shots=1, stepwise=True, temperature=0.0, formula_tokens=32), Portfolio(["z3"]))
    assert spy.calls == [(1, 3)] * 3  # greedy: the three histories never differ


class Slow:
    """The real generator; the branch holding sample 0 waits ``delay`` seconds before each request."""

    def __init__(self, inner: Generator, delay: float) -> None:
        import threading

        self.inner, self.name, self.delay = inner, inner.name, delay
        self.log: list[tuple[int, int, float, float]] = []  # (sentence, first sample, start, end)
        self._lock = threading.Lock()

    def generate(self, prompts, params):  # type: ignore[no-untyped-def]
        import time

        sentence, first = divmod(params.seed, 1000)  # `_stepwise` seeds: 1000·sentence + first sample
        if first == 0:
            time.sleep(self.delay)
        start = time.perf_counter()
        out = self.inner.generate(prompts, params)
        with self._lock:
            self.log.append((sentence, first, start, time.perf_counter()))
        return out


def test_stepwise_branches_do_not_wait_for_each_other(smollm: Generator) -> None:
    """Samples that diverged go on at their own pace: while sample 0's branch is held back on
    a sentence, another branch already asks for the next one (no per-sentence barrier)."""
    slow = Slow(smollm, delay=3.0)
    longer = NLProblem("pets", ("All dogs are animals.", "All cats are animals.", "Rex is a dog.", "Tom is a cat.",
                                "No animal is a plant."), "Rex is not a plant.", "True")
    row = llm_row(longer, LLMParser(slow, k=3, shots=1, grammar=True, stepwise=True, temperature=1.0, seed=0,
                                    formula_tokens=48), Portfolio(["z3"]))
    assert len(row["completions"]) == 3
    zero_end = {i: end for i, first, _, end in slow.log if first == 0}
    other = {(i, first): start for i, first, start, _ in slow.log if first != 0}
    # a branch that split off before sentence i - 1 asks for sentence i on its own clock
    pairs = [(i, m) for i, m in other if (i - 1, m) in other and i - 1 in zero_end]
    if not pairs:
        pytest.skip("no branch split off before the last sentence at this seed")
    assert any(other[i, m] < zero_end[i - 1] for i, m in pairs), slow.log
