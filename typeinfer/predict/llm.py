"""LLM predictor: CodeTIDAL5-style infill of the annotation, through `workbench.llm`.

For each target, the method's source is cut at the annotation point (``name`` → ``name: ▮``)
and a code model fills the hole: fill-in-the-middle for Qwen2.5-Coder (``<|fim_prefix|>``
… ``<|fim_suffix|>`` … ``<|fim_middle|>``), a plain left-to-right continuation for other
models. The completion is untrusted input: `parse_type` cuts it at the end of the type and
checks with tree-sitter that it parses as a TypeScript type; anything else is dropped (and
counted), never raised. The combiner then applies the same slice consistency check as for the
other predictors.

>>> parse_type(" Map<string, number>, b) {")
'Map<string, number>'
>>> parse_type(" string[] = []") , parse_type(" ) => {")
('string[]', None)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from typeinfer.combine import Inference
from typeinfer.predict import Candidate, Predictions, target_key
from typeinfer.signatures import Signatures
from typeinfer.slices import ANY, ProgramUsageSlice

#: Lines of context before the annotation point and after it.
BEFORE, AFTER = 30, 20


def parse_type(completion: str) -> str | None:
    """The type at the start of a completion, or ``None`` if it is not a TypeScript type."""
    depth, out = 0, list[str]()
    for ch in completion:
        if ch in "<([{":
            if ch == "{" and depth == 0 and "".join(out).strip():
                break
            depth += 1
        elif ch in ">)]}":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in ",;=\n":
            break
        out.append(ch)
    t = " ".join("".join(out).split())
    if not t or t in ("any", "unknown"):
        return None
    from typeinfer.cpg import _parser

    tree = _parser("typescript").parse(f"let __x: {t};".encode())
    return None if tree.root_node.has_error else t


@dataclass
class LLMPredictor:
    """Infill predictor over a `workbench.llm` generator (bind it to the file's text first)."""

    generator: Any
    fim: bool = True
    text: str | None = None
    max_targets: int = 200
    name: str = "llm"
    #: Completions that did not parse as a type (LLM output is data, not a crash).
    rejected: list[str] = field(default_factory=list)

    @classmethod
    def from_spec(cls, spec: str, **options: Any) -> LLMPredictor:
        """Load a model with `workbench.llm.load_generator` (e.g. ``gguf:qwen2.5-coder-1.5b``), behind
        the disk cache: the prompts are greedy and the same text asks the same questions, so a file
        reopened in the editor, or analysed again, costs the model nothing (``cache=False`` to opt out)."""
        from workbench.llm import load_generator

        options.setdefault("cache", True)
        return cls(load_generator(spec, **options), fim="coder" in spec.lower() or "qwen" in spec.lower())

    def bind(self, text: str) -> LLMPredictor:
        """The same predictor, reading prompts from ``text``."""
        return replace(self, text=text, rejected=[])

    def prompt(self, line: int, col: int) -> str:
        """The infill prompt for an annotation at (1-based line, code-point column)."""
        lines = (self.text or "").split("\n")
        head = lines[max(0, line - 1 - BEFORE): line - 1] + [lines[line - 1][:col] + ": "]
        tail = [lines[line - 1][col:]] + lines[line: line + AFTER]
        prefix, suffix = "\n".join(head), "\n".join(tail)
        if self.fim:
            return f"<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>"
        return "// TypeScript\n" + prefix

    def fill(self, text: str) -> Callable[[Mapping[str, Inference]], Predictions]:
        """The judge's last source for one file (`typeinfer.judge.Fill`): infill for the
        parameters no other evidence reaches, at their annotation points."""
        bound = self.bind(text)
        return lambda holes: bound.infill([(k, i.target.insertAt) for k, i in holes.items()])

    def predict(self, program: ProgramUsageSlice, signatures: Signatures) -> Predictions:
        """Candidates for the (first `max_targets`) unannotated annotatable targets."""
        keys = {target_key(m, s) for m, s in program.targets()
                if s.targetObj.annotatable and s.targetObj.typeFullName == ANY}
        return self.predict_keys(program, keys)

    def predict_keys(self, program: ProgramUsageSlice, keys: set[str]) -> Predictions:
        """Candidates for the given target keys only."""
        return self.infill([(target_key(m, s), s.targetObj.insertAt) for m, s in program.targets()
                            if target_key(m, s) in keys])

    def infill(self, todo: Sequence[tuple[str, tuple[int, int] | None]]) -> Predictions:
        """Candidates for targets given as (key, annotation point); the first `max_targets` with
        a point are asked, in one `generate` call (the backend batches them)."""
        from workbench.llm.base import SamplingParams

        todo = [(k, at) for k, at in todo if at is not None][: self.max_targets]
        if self.text is None or not todo:
            return {}
        prompts = [self.prompt(*at) for _, at in todo]  # type: ignore[misc]
        params = SamplingParams(n=1, temperature=0.0, max_tokens=16, stop=("\n",), logprobs=True)
        out: Predictions = {}
        for (key, _), comps in zip(todo, self.generator.generate(prompts, params), strict=True):
            cands = []
            for c in comps:
                t = parse_type(c.text)
                if t is None:
                    self.rejected.append(c.text)
                    continue
                lp = c.token_logprobs
                conf = math.exp(sum(lp) / len(lp)) if lp else 0.5
                cands.append(Candidate(t, round(min(0.95, conf), 3), "llm", "infill"))
            if cands:
                out[key] = tuple(cands)
        return out
