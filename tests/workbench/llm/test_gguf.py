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
