"""The GGUF backend end to end with the real SmolLM2-135M (pipeline behaviour, not accuracy)."""

from __future__ import annotations

import re

import pytest

from workbench.llm import Generator, LLMError, SamplingParams, load_generator
from workbench.llm.gguf import GGUFGenerator

pytestmark = pytest.mark.llm

PROMPT = "TEXT: All men are mortal.\nFOL: all x. (Man(x) -> Mortal(x))\nTEXT: Socrates is a man.\nFOL:"

#: A small FOL fragment: one or two atoms joined by "&", optionally negated.
ATOMS = r'''
root ::= " " lit (" & " lit)?
lit  ::= "-"? pred "(" const ")"
pred ::= "Man" | "Mortal" | "Cold"
const ::= "Socrates" | "Bob"
'''
ATOMS_RE = re.compile(r" -?(Man|Mortal|Cold)\((Socrates|Bob)\)( & -?(Man|Mortal|Cold)\((Socrates|Bob)\))?")


def test_n_samples_with_logprobs_per_token(smollm: Generator) -> None:
    [a, b] = smollm.generate([PROMPT, "1, 2, 3,"], SamplingParams(n=3, temperature=0.8, max_tokens=8, seed=5))
    assert len(a) == len(b) == 3
    for c in a + b:
        assert 0 < c.n_tokens <= 8
        assert len(c.token_logprobs) == c.n_tokens
        assert all(lp <= 0.0 for lp in c.token_logprobs)
        assert c.finish_reason in ("stop", "length")


def test_seed_reproduces_samples(smollm: Generator) -> None:
    params = SamplingParams(n=2, temperature=1.0, max_tokens=10, seed=42)
    first = smollm.generate([PROMPT], params)
    again = smollm.generate([PROMPT], params)
    assert [c.text for c in first[0]] == [c.text for c in again[0]]


def test_stop_strings_end_the_completion_before_them(smollm: Generator) -> None:
    [[c]] = smollm.generate(["one two one two one two one"], SamplingParams(max_tokens=24, stop=("two",)))
    assert "two" not in c.text
    assert c.finish_reason == "stop"
    [[c]] = smollm.generate(["one two one two one two one"], SamplingParams(max_tokens=3))
    assert c.finish_reason == "length" and c.n_tokens == 3


def test_grammar_makes_every_sample_well_formed(smollm: Generator) -> None:
    params = SamplingParams(n=6, temperature=1.5, max_tokens=40, grammar=ATOMS, seed=1)
    [samples] = smollm.generate([PROMPT], params)
    assert len(samples) == 6
    for c in samples:
        assert c.finish_reason == "stop", c
        assert ATOMS_RE.fullmatch(c.text), c.text
    # without the grammar the same sampling leaves the fragment (the grammar did the work)
    [free] = smollm.generate([PROMPT], SamplingParams(n=4, temperature=1.5, max_tokens=12, seed=1))
    assert not all(ATOMS_RE.fullmatch(c.text) for c in free)


def test_bad_grammar_is_a_clear_error(smollm: Generator) -> None:
    with pytest.raises(LLMError, match="grammar"):
        smollm.generate(["x"], SamplingParams(grammar="root ::= ("))


def test_prompt_longer_than_the_context_is_a_clear_error(smollm: Generator) -> None:
    small = GGUFGenerator("smollm2-135m", ctx=256, parallel=1)  # 256 is llama.cpp's minimum
    with pytest.raises(LLMError, match=r"smollm2-135m.gguf: .*exceeds the available context size"):
        small.generate(["word " * 300], SamplingParams(max_tokens=4))


def test_unknown_model_names_the_known_ones() -> None:
    with pytest.raises(LLMError, match="smollm2-135m"):
        load_generator("gguf:no-such-model")


def test_shared_prompt_batch_gives_the_samples_of_separate_requests() -> None:
    """``n_cmpl``: one prompt evaluation, n sequences, child j seeded seed + j as before."""
    shared = GGUFGenerator("smollm2-135m", parallel=4)
    separate = GGUFGenerator("smollm2-135m", parallel=4, share_prompt=False)
    params = SamplingParams(n=3, temperature=1.0, max_tokens=8, seed=11)
    before = shared.stats.snapshot()
    [a] = shared.generate([PROMPT], params)
    after = shared.stats.snapshot()
    [b] = separate.generate([PROMPT], params)
    assert [c.text for c in a] == [c.text for c in b]
    assert len({c.text for c in a}) > 1  # the samples differ from each other
    assert after["requests"] - before["requests"] == 1
    assert after["gen_tokens"] - before["gen_tokens"] == sum(c.n_tokens for c in a)
    # a prompt that extends the last one evaluates only its new tokens
    shared.generate([PROMPT + " Socrates"], SamplingParams(max_tokens=2))
    last = shared.stats.snapshot()
    assert last["cached_tokens"] - after["cached_tokens"] >= 20
    assert last["prompt_tokens"] - after["prompt_tokens"] <= 8


def test_bench_reports_prompt_and_generation_speed() -> None:
    r = GGUFGenerator("smollm2-135m", parallel=2).bench(prompt_tokens=64, gen_tokens=8, n=2)
    assert r["pp_tokens"] >= 32 and r["pp_tok_s"] > 0
    assert r["tg_tokens"] == 16 and r["tg_tok_s"] > 0
    deep = GGUFGenerator("smollm2-135m", parallel=2).bench(prompt_tokens=64, gen_tokens=8, n=2, depth=256)
    # after the context: only the new prompt tokens are evaluated (the context is served from the slot)
    assert 32 <= deep["pp_tokens"] < 128 and deep["depth"] == 256 and deep["tg_tokens"] == 16
