"""The transformers backend on tiny randomly initialised models built offline in the test.

A word-level tokenizer is made with `tokenizers` (no download), wrapped as a fast tokenizer,
and saved next to a 1-layer GPT-2 (causal) and a 1-layer T5 (seq2seq).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.llm import Generator, LLMError, SamplingParams, load_generator

torch = pytest.importorskip("torch", reason="the hf extra (torch) is not installed")
transformers = pytest.importorskip("transformers", reason="the hf extra (transformers) is not installed")

WORDS = ["<pad>", "</s>", "<unk>", "<s>"] + "all some men dogs are mortal bark socrates is a man and or not".split()


def _tokenizer() -> object:
    from tokenizers import Tokenizer, models, pre_tokenizers

    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    from tokenizers import decoders

    tok.decoder = decoders.WordPiece(prefix="##")  # joins word tokens with spaces
    return transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="<pad>", eos_token="</s>", unk_token="<unk>", bos_token="<s>"
    )


@pytest.fixture(scope="module", params=["causal", "seq2seq"])
def tiny(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Generator:
    torch.manual_seed(0)
    folder: Path = tmp_path_factory.mktemp(request.param)
    if request.param == "causal":
        config = transformers.GPT2Config(
            vocab_size=len(WORDS), n_positions=64, n_embd=16, n_layer=1, n_head=2,
            bos_token_id=3, eos_token_id=1, pad_token_id=0,
        )
        model = transformers.GPT2LMHeadModel(config)
    else:
        config = transformers.T5Config(
            vocab_size=len(WORDS), d_model=16, d_ff=32, d_kv=8, num_layers=1, num_heads=2,
            pad_token_id=0, eos_token_id=1, decoder_start_token_id=0,
        )
        model = transformers.T5ForConditionalGeneration(config)
    model.save_pretrained(folder)
    _tokenizer().save_pretrained(folder)
    return load_generator(f"hf:{folder}")


def test_sampling_n_with_seed_and_logprobs(tiny: Generator) -> None:
    params = SamplingParams(n=3, temperature=1.0, max_tokens=6, seed=11)
    [samples] = tiny.generate(["all men are"], params)
    assert len(samples) == 3
    for c in samples:
        assert len(c.token_logprobs) == c.n_tokens <= 6
        assert all(lp <= 0.0 for lp in c.token_logprobs)
        assert all(w in WORDS for w in c.text.split())
    [again] = tiny.generate(["all men are"], params)
    assert again == samples


def test_greedy_is_deterministic_and_repeated_for_n(tiny: Generator) -> None:
    out = tiny.generate(["socrates is", "dogs bark"], SamplingParams(n=2, max_tokens=5))
    assert [len(cs) for cs in out] == [2, 2]
    assert out[0][0] == out[0][1]
    assert tiny.generate(["socrates is"], SamplingParams(max_tokens=5))[0][0] == out[0][0]


def test_stop_strings_cut_text_and_logprobs(tiny: Generator) -> None:
    for seed in range(20):  # a seed whose sample has at least three words
        [[full]] = tiny.generate(["all"], SamplingParams(temperature=1.0, max_tokens=8, seed=seed))
        words = full.text.split()
        if len(words) >= 3:
            break
    stop = " " + words[2]
    [[cut]] = tiny.generate(["all"], SamplingParams(temperature=1.0, max_tokens=8, seed=seed, stop=(stop,)))
    assert cut.finish_reason == "stop"
    assert cut.text == full.text[: full.text.find(stop)] and stop not in cut.text
    assert len(cut.token_logprobs) == cut.n_tokens < full.n_tokens


def test_grammar_is_refused_unless_optional(tiny: Generator) -> None:
    with pytest.raises(LLMError, match="no grammar-constrained decoding"):
        tiny.generate(["all"], SamplingParams(grammar='root ::= "a"'))
    assert len(tiny.generate(["all"], SamplingParams(grammar='root ::= "a"', grammar_optional=True, max_tokens=2))[0]) == 1


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LLMError, match="transformers could not load the model"):
        load_generator(f"hf:{tmp_path / 'nothing'}")
