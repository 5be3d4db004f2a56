"""The batch decoder over llama.cpp's C API (`GGUFGenerator.fill`) with the real SmolLM2-135M:
spans, stops, grammar, seeds, the shared prompt, and agreement with the server path."""

from __future__ import annotations

import re

import pytest

from workbench.llm import LLMError, SamplingParams
from workbench.llm.gguf import GGUFGenerator, _batch_decoder

pytestmark = pytest.mark.llm

PROMPT = ("Write each sentence in first-order logic.\nTEXT: All men are mortal.\nFOL: all x. (Man(x) -> Mortal(x))\n"
          "TEXT: Socrates is a man.\nFOL: Man(Socrates)\n")
SEGMENTS = ["TEXT: Bob is cold.\nFOL:", "TEXT: Socrates is mortal.\nFOL:", "TEXT: Bob is not a man.\nFOL:"]
ATOMS = r'''
root ::= " " lit (" & " lit)? "\n"
lit  ::= "-"? pred "(" const ")"
pred ::= "Man" | "Mortal" | "Cold"
const ::= "Socrates" | "Bob"
'''
ATOMS_RE = re.compile(r" -?(Man|Mortal|Cold)\((Socrates|Bob)\)( & -?(Man|Mortal|Cold)\((Socrates|Bob)\))?")


@pytest.fixture(scope="module")
def gen() -> GGUFGenerator:
    from workbench.llm.models import model_path

    try:
        model_path("smollm2-135m")
    except LLMError as exc:
        pytest.skip(str(exc))
    g = GGUFGenerator("smollm2-135m", ctx=1024, parallel=2)
    if not g.fills:
        pytest.skip("the batch decoder needs the xllamacpp engine")
    return g


def test_every_span_obeys_the_grammar_and_ends_at_its_stop(gen: GGUFGenerator) -> None:
    spans = gen.fill(PROMPT, SEGMENTS, SamplingParams(n=5, temperature=1.0, max_tokens=24, stop=("\n",),
                                                       grammar=ATOMS, seed=11))
    assert len(spans) == 5
    for sample in spans:
        assert len(sample) == len(SEGMENTS)  # the grammar closes every span well before 24 tokens
        for c in sample:
            assert ATOMS_RE.fullmatch(c.text), c.text
            assert c.finish_reason == "stop" and 0 < c.n_tokens <= 24
    assert len({tuple(c.text for c in s) for s in spans}) > 1  # five seeds, not one sample five times


def test_seeds_reproduce_and_the_prompt_is_evaluated_once(gen: GGUFGenerator) -> None:
    params = SamplingParams(n=3, temperature=1.0, max_tokens=12, stop=("\n",), seed=5)
    decoder = _batch_decoder(str(gen.path), gen._threads, gen._fill_ctx)
    first = gen.fill(PROMPT + "x", SEGMENTS[:2], params)
    before = dict(decoder.counts)
    again = gen.fill(PROMPT + "x", SEGMENTS[:2], params)
    assert again == first
    evaluated = decoder.counts["prompt"] - before["prompt"]
    cached = decoder.counts["cached"] - before["cached"]
    assert evaluated == 1 and cached > 20  # only the last prompt token is decoded again
    # another prompt with the same opening evaluates only what follows the common prefix
    before = dict(decoder.counts)
    gen.fill(PROMPT + "TEXT: Bob is a man.\nFOL: Man(Bob)\n", SEGMENTS[:1], params)
    assert 0 < decoder.counts["prompt"] - before["prompt"] < 30  # the new line and the first segment


def test_greedy_spans_are_the_servers_greedy_completions(gen: GGUFGenerator) -> None:
    """The same model through llama.cpp's server, one request per span with the text so far:
    greedy decoding gives the same spans (the batch decoder is a faster path, not another law)."""
    params = SamplingParams(n=2, temperature=0.0, max_tokens=16, stop=("\n",))
    spans = gen.fill(PROMPT, SEGMENTS, params)
    assert spans[0] == spans[1]
    text = PROMPT
    for segment, span in zip(SEGMENTS, spans[0], strict=True):
        [[server]] = gen.generate([text + segment], SamplingParams(temperature=0.0, max_tokens=16, stop=("\n",)))
        assert span.text == server.text
        text += segment + span.text + "\n"


def test_a_span_cut_by_length_ends_its_sample(gen: GGUFGenerator) -> None:
    spans = gen.fill(PROMPT, SEGMENTS, SamplingParams(n=2, temperature=0.8, max_tokens=2, stop=("@@",), seed=1))
    for sample in spans:
        assert len(sample) == 1 and sample[0].finish_reason == "length" and sample[0].n_tokens == 2


def test_bad_requests_are_errors_and_the_decoder_goes_on(gen: GGUFGenerator) -> None:
    with pytest.raises(LLMError, match="grammar"):
        gen.fill(PROMPT, SEGMENTS, SamplingParams(n=2, max_tokens=4, grammar="root ::= ("))
    with pytest.raises(LLMError, match="samples"):
        gen.fill(PROMPT, SEGMENTS, SamplingParams(n=17, max_tokens=4))
    with pytest.raises(LLMError, match="context"):
        gen.fill("word " * 3000, SEGMENTS, SamplingParams(n=1, max_tokens=4))
    spans = gen.fill(PROMPT, SEGMENTS[:1], SamplingParams(n=2, max_tokens=16, stop=("\n",), grammar=ATOMS, seed=3))
    assert all(ATOMS_RE.fullmatch(s[0].text) for s in spans)


def test_a_cache_in_front_serves_the_same_spans(gen: GGUFGenerator, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from workbench.llm.cache import CachedGenerator

    cached = CachedGenerator(gen, tmp_path / "c.sqlite")
    params = SamplingParams(n=2, temperature=1.0, max_tokens=12, stop=("\n",), seed=9)
    first = cached.fill(PROMPT, SEGMENTS, params)
    assert cached.fills and cached.misses == 1
    assert cached.fill(PROMPT, SEGMENTS, params) == first and cached.hits == 1
    assert cached.fill(PROMPT, SEGMENTS[:2], params) != [] and cached.misses == 2  # other segments: a miss


def test_segments_longer_than_a_batch_are_fed_over_several_steps(gen: GGUFGenerator) -> None:
    long = "TEXT: " + "Bob is cold and Socrates is a man. " * 60 + "\nFOL:"  # about 600 tokens > the batch of 512
    params = SamplingParams(n=2, temperature=0.0, max_tokens=16, stop=("\n",), grammar=ATOMS)
    spans = gen.fill(PROMPT, [SEGMENTS[0], long], params)
    assert [len(s) for s in spans] == [2, 2] and spans[0] == spans[1]
    assert all(ATOMS_RE.fullmatch(c.text) for c in spans[0])


def test_feedback_asks_a_span_again_once_inside_its_sample(gen: GGUFGenerator) -> None:
    from workbench.llm.gguf_batch import Reask

    seen: list[tuple[int, list[str]]] = []
    only_bob = 'root ::= " Cold(Bob)\n"'

    def again(j: int, spans: list) -> Reask:  # type: ignore[type-arg]
        seen.append((j, [c.text for c in spans]))
        return Reask("ERROR: not that\n" + SEGMENTS[1], only_bob)  # answers every time: still once a sample

    params = SamplingParams(n=3, temperature=1.0, max_tokens=12, stop=("\n",), seed=5)
    plain = gen.fill(PROMPT, SEGMENTS[:2], params)
    asked = gen.fill(PROMPT, SEGMENTS[:2], params, again)
    assert sorted(j for j, _ in seen) == [0, 1, 2]
    for j, sample in enumerate(asked):
        told = next(texts for i, texts in seen if i == j)
        before = plain[j]
        assert told == [c.text for c in before]  # the callback saw the spans the call without it returns
        i = len(told) - 1  # the span that was shown: the last, or one cut by length
        assert [c.text for c in sample[:i]] == told[:i]  # earlier spans stay
        assert sample[i].text == " Cold(Bob)"  # asked again under the Reask's grammar
        assert sample[i].n_tokens > before[i].n_tokens  # both attempts counted
        # a cut span no longer ends its sample: after the new one it goes on to the last segment
        assert len(sample) == (len(SEGMENTS[:2]) if before[i].finish_reason == "length" else len(before))
