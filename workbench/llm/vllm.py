"""vLLM's offline engine: the GPU path for large sample counts (e.g. FOLIO × K = 10).

All prompts of a call go to ``LLM.generate`` at once and vLLM batches them (prefix caching
shares the few-shot prefix). ``n`` samples come from one request with ``SamplingParams.n``;
a seed makes them reproducible. A GBNF grammar becomes
``StructuredOutputsParams(grammar=...)`` (vLLM ≥ 0.10.2) or, on older releases,
``GuidedDecodingParams(grammar=...)``; vLLM's xgrammar backend reads GBNF.

Needs the ``vllm`` extra and a GPU; ``vllm`` is imported only when a generator is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench.errors import require
from workbench.llm.base import Completion, LLMError, SamplingParams
from workbench.llm.registry import backend


class VLLMGenerator:
    """Sample with a vLLM engine loaded in this process.

    Parameters
    ----------
    model:
        A hub id or a local folder (or a GGUF file, which vLLM loads experimentally).
    engine:
        Passed to ``vllm.LLM`` (``gpu_memory_utilization``, ``max_model_len``, ``dtype``, ...).

    Raises
    ------
    LLMError
        If the engine cannot start.
    """

    def __init__(self, model: str, **engine: Any) -> None:
        self._vllm = require("vllm", "vllm")
        self.name = f"vllm:{model}"
        engine.setdefault("seed", 0)
        try:
            self.llm = self._vllm.LLM(model=model, **engine)
        except Exception as exc:  # vLLM raises plain RuntimeError/ValueError on a bad setup
            raise LLMError(f"vLLM could not start: {exc}", where=model) from exc

    def generate(self, prompts: Sequence[str], params: SamplingParams) -> list[list[Completion]]:
        """``params.n`` completions for each prompt, in prompt order (see `Generator`)."""
        sp = self._vllm.SamplingParams(
            n=params.n,
            temperature=params.temperature,
            top_p=params.top_p,
            max_tokens=params.max_tokens,
            stop=list(params.stop) or None,
            seed=params.seed,
            logprobs=0,  # the chosen token's log-prob only
            **self._grammar(params.grammar),
        )
        try:
            outputs = self.llm.generate(list(prompts), sp, use_tqdm=False)
        except Exception as exc:
            raise LLMError(f"vLLM generation failed: {exc}", where=self.name) from exc
        return [[_completion(c) for c in out.outputs] for out in outputs]

    def _grammar(self, grammar: str | None) -> dict[str, Any]:
        if not grammar:
            return {}
        sampling = self._vllm.sampling_params
        if hasattr(sampling, "StructuredOutputsParams"):
            return {"structured_outputs": sampling.StructuredOutputsParams(grammar=grammar)}
        return {"guided_decoding": sampling.GuidedDecodingParams(grammar=grammar)}


def _completion(c: Any) -> Completion:
    lps: tuple[float, ...] = ()
    if c.logprobs:
        lps = tuple(float(step[tok].logprob) for tok, step in zip(c.token_ids, c.logprobs, strict=False) if tok in step)
    return Completion(c.text, str(c.finish_reason or "stop"), lps, len(c.token_ids))


@backend("vllm")
def _make(target: str, **options: Any) -> VLLMGenerator:
    return VLLMGenerator(target, **options)
