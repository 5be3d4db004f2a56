"""transformers backend: a local checkpoint folder or a hub id, causal or seq2seq.

For fine-tuned checkpoints (e.g. a ReProver tactic generator, a T5 parser) that have no GGUF.
The architecture decides the model class: ``config.is_encoder_decoder`` → seq2seq (the
completion is the decoder output), else causal (the completion is what follows the prompt).

* ``n`` samples: ``num_return_sequences`` when sampling; greedy decoding (temperature 0)
  computes one sequence and repeats it, since greedy samples are identical.
* Token log-probs: ``compute_transition_scores`` over ``output_scores``, normalised, so each
  is the log-probability of the chosen token under the sampling distribution.
* Stop strings are applied after decoding (`cut_at_stop`); the log-probs are cut to the tokens
  that make up the kept text.
* No grammar-constrained decoding: a grammar is an `LLMError` unless
  ``params.grammar_optional``.

Needs the ``hf`` extra (torch, transformers), imported only when a generator is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench.errors import require
from workbench.llm.base import Completion, LLMError, SamplingParams, cut_at_stop
from workbench.llm.registry import backend


class HFGenerator:
    """Sample from a transformers model.

    Parameters
    ----------
    model:
        A folder with ``config.json`` and tokenizer files, or a hub id (downloaded by
        transformers, so only where the hub is reachable).
    device:
        A torch device string.

    Raises
    ------
    LLMError
        If transformers cannot load the model or its tokenizer.
    """

    def __init__(self, model: str, *, device: str = "cpu") -> None:
        self._torch = require("torch", "hf")
        tf = require("transformers", "hf")
        self.name = f"hf:{model}"
        self.device = device
        try:
            config = tf.AutoConfig.from_pretrained(model)
            self.seq2seq = bool(getattr(config, "is_encoder_decoder", False))
            cls = tf.AutoModelForSeq2SeqLM if self.seq2seq else tf.AutoModelForCausalLM
            self.model = cls.from_pretrained(model).to(device).eval()
            self.tokenizer = tf.AutoTokenizer.from_pretrained(model)
        except (OSError, ValueError, KeyError) as exc:
            raise LLMError(f"transformers could not load the model: {exc}", where=model) from exc
        pad = self.tokenizer.pad_token_id
        self._pad = pad if pad is not None else self.tokenizer.eos_token_id
        self._eos = self.tokenizer.eos_token_id

    def generate(self, prompts: Sequence[str], params: SamplingParams) -> list[list[Completion]]:
        """``params.n`` completions for each prompt, in prompt order (see `Generator`)."""
        if params.grammar and not params.grammar_optional:
            raise LLMError("the transformers backend has no grammar-constrained decoding", where=self.name)
        return [self._one(p, params) for p in prompts]

    def _one(self, prompt: str, params: SamplingParams) -> list[Completion]:
        torch = self._torch
        enc = self.tokenizer(prompt, return_tensors="pt").to(self.device)
        sample = params.temperature > 0
        kwargs: dict[str, Any] = {
            "max_new_tokens": params.max_tokens,
            "do_sample": sample,
            "num_return_sequences": params.n if sample else 1,
            "output_scores": True,
            "return_dict_in_generate": True,
            "pad_token_id": self._pad,
        }
        if sample:
            kwargs.update(temperature=params.temperature, top_p=params.top_p, top_k=0)
        if params.seed is not None:
            torch.manual_seed(params.seed)
        with torch.no_grad():
            out = self.model.generate(**enc, **kwargs)
            scores = self.model.compute_transition_scores(out.sequences, out.scores, normalize_logits=True)
        start = 1 if self.seq2seq else enc["input_ids"].shape[1]  # seq2seq: skip the decoder start token
        comps = [self._completion(seq[start:].tolist(), sc.tolist(), params) for seq, sc in zip(out.sequences, scores, strict=True)]
        return comps if sample else comps * params.n

    def _completion(self, ids: list[int], scores: list[float], params: SamplingParams) -> Completion:
        finish = "length"
        if self._eos is not None and self._eos in ids:
            ids = ids[: ids.index(self._eos)]
            finish = "stop"
        scores = scores[: len(ids)]
        text = self.tokenizer.decode(ids, skip_special_tokens=True)
        cut, hit = cut_at_stop(text, params.stop)
        if hit:
            finish = "stop"
            keep = 0
            while keep < len(ids) and len(self.tokenizer.decode(ids[: keep + 1], skip_special_tokens=True)) <= len(cut):
                keep += 1
            scores = scores[:keep]
            ids = ids[:keep]
        return Completion(cut, finish, tuple(float(s) for s in scores), len(ids))


@backend("hf")
def _make(target: str, **options: Any) -> HFGenerator:
    return HFGenerator(target, **options)
