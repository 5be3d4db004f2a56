"""Natural-language problem → FOL → prover → label, by the controlled parser or by an LLM.

Three parsers, one row format:

* ``controlled`` — `provers.fol.controlled` (deterministic, no model) and
  `controlled.decide`; a sentence outside the language is an Error row with reason
  ``controlled-parse`` naming the sentence;
* ``llm`` — LINC: `prompts.build_prompt`, K samples from a `workbench.llm.Generator` (with
  `prompts.problem_grammar` when ``grammar`` is on), each sample read by
  `provers.fol.robust.decide_completion` (untrusted text: a parse error is an Error *sample*
  with its reason; ``truncated`` when the model hit ``max_tokens`` before ``</EVALUATE>``,
  since its last ``FOL:`` line would then not be the conclusion), then
  `vote.fallback_majority`;
* ``auto`` — controlled first; when it cannot parse a sentence, the LLM answers the problem
  and the row records why (``fallback``).

A model failure (`workbench.llm.LLMError`: server down, bad response) is an Error row with
reason ``llm``; nothing already finished is lost (rows go to a `ResultLog`, see `eval.run`).

>>> from provers.fol.datasets import NLProblem
>>> from provers.fol.backends.base import get_backend
>>> row = controlled_row(NLProblem("p1", ("Bob is big.", "Big things are red."), "Bob is red.", "True"),
...                      get_backend("z3"))
>>> row["label"], row["correct"], row["conclusion_fol"]
('True', True, 'Red(bob)')
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from provers.fol.backends.base import Backend, Label
from provers.fol.controlled import ControlledParseError, Sentence, decide, to_fol
from provers.fol.datasets import BadItem, NLProblem
from provers.fol.portfolio import Portfolio
from provers.fol.prompts import STOP, build_prompt, problem_grammar
from provers.fol.robust import decide_completion
from provers.fol.vote import fallback_majority, majority, vote_counts

PARSERS = ("controlled", "llm", "auto")


@dataclass(frozen=True, slots=True)
class LLMParser:
    """How the LLM path samples: the generator and LINC's settings.

    ``temperature`` 0.8 and ``k`` samples are LINC's; ``grammar`` constrains the completion
    to `prompts.problem_grammar` (the problem's own sentences as ``TEXT:`` lines, one valid
    NLTK formula per ``FOL:`` line, exactly one pair per sentence).
    """

    generator: Any
    k: int = 5
    shots: int = 8
    grammar: bool = True
    max_tokens: int = 512
    temperature: float = 0.8
    seed: int = 0

    def params(self, problem: NLProblem) -> Any:
        from workbench.llm import SamplingParams

        grammar = problem_grammar(problem.premises, problem.conclusion) if self.grammar else None
        return SamplingParams(n=self.k, temperature=self.temperature, max_tokens=self.max_tokens,
                              stop=STOP, grammar=grammar, seed=self.seed)


def parse_problem(problem: NLProblem) -> tuple[list[Sentence], Sentence]:
    """Both halves of a problem in the controlled language.

    Raises
    ------
    ControlledParseError
        Naming the sentence (1-based, the conclusion numbered last).
    """
    premises = [Sentence(s, to_fol(s, i)) for i, s in enumerate(problem.premises, 1)]
    n = len(premises) + 1
    return premises, Sentence(problem.conclusion, to_fol(problem.conclusion, n))


def _bad(item: BadItem) -> dict[str, Any]:
    return {"id": item.id, "gold": None, "label": "Error", "correct": False, "reason": "input",
            "detail": item.what, "seconds": 0.0}


def controlled_row(problem: NLProblem | BadItem, backend: Backend, semantics: str = "proofwriter",
                   timeout: float = 10.0) -> dict[str, Any]:
    """Decide one problem with the controlled parser; every failure is an Error row."""
    if isinstance(problem, BadItem):
        return _bad(problem)
    row: dict[str, Any] = {"id": problem.id, "gold": problem.label, "parser": "controlled"}
    start = time.perf_counter()
    try:
        premises, conclusion = parse_problem(problem)
    except ControlledParseError as exc:
        return {**row, "label": "Error", "correct": False, "reason": "controlled-parse",
                "detail": str(exc), "error": exc.to_json(), "seconds": 0.0}
    answer = decide(premises, conclusion, backend, semantics, timeout)
    row.update(label=answer.label.value, correct=answer.label.value == problem.label,
               seconds=round(time.perf_counter() - start, 4), semantics=semantics,
               premises_fol=[str(s.formula) for s in premises], conclusion_fol=str(conclusion.formula),
               evidence=answer.verdict.evidence.to_json() if answer.verdict.evidence else None)
    if answer.label is Label.ERROR:
        row.update(reason=answer.verdict.reason, detail=answer.verdict.detail)
    return row


def llm_row(problem: NLProblem | BadItem, parser: LLMParser, portfolio: Portfolio,
            timeout: float = 10.0) -> dict[str, Any]:
    """LINC on one problem: prompt, K samples, each parsed and proved, the vote."""
    from workbench.llm import LLMError

    if isinstance(problem, BadItem):
        return _bad(problem)
    row: dict[str, Any] = {"id": problem.id, "gold": problem.label, "parser": "llm",
                           "model": getattr(parser.generator, "name", "?"), "k": parser.k,
                           "shots": parser.shots, "grammar": parser.grammar}
    prompt = build_prompt(problem.premises, problem.conclusion, parser.shots)
    start = time.perf_counter()
    try:
        completions = parser.generator.generate([prompt], parser.params(problem))[0]
    except LLMError as exc:
        return {**row, "label": "Error", "correct": False, "reason": "llm", "detail": str(exc),
                "seconds": round(time.perf_counter() - start, 3)}
    gen_seconds = time.perf_counter() - start
    labels: list[str] = []
    reasons: list[str | None] = []
    details: list[str] = []
    seconds: list[float] = []
    repaired: list[bool] = []
    for c in completions:
        t0 = time.perf_counter()
        if c.finish_reason == "length":  # the last FOL line would not be the conclusion
            labels.append("Error")
            reasons.append("truncated")
            details.append(f"the model stopped at max_tokens={parser.max_tokens} before </EVALUATE>")
            repaired.append(False)
        else:
            r = decide_completion(c.text, portfolio, timeout)
            labels.append(r.label.value)
            reasons.append(r.reason)
            details.append(r.detail)
            repaired.append(r.repaired)
        seconds.append(round(time.perf_counter() - t0, 4))
    vote = fallback_majority(labels, repaired).value
    tokens = sum(c.n_tokens for c in completions)
    row.update(label=vote, correct=vote == problem.label, plain_vote=majority(labels).value,
               votes=vote_counts(labels), samples=labels, sample_reasons=reasons,
               sample_details=details, sample_seconds=seconds, sample_repaired=repaired,
               completions=[c.text for c in completions], tokens=tokens,
               gen_seconds=round(gen_seconds, 3), tokens_per_s=round(tokens / gen_seconds, 3) if gen_seconds else 0.0,
               seconds=round(time.perf_counter() - start, 3))
    if vote == "Error":
        row.update(reason=next((x for x in reasons if x), "unknown"), detail=next((d for d in details if d), ""))
    return row


def auto_row(problem: NLProblem | BadItem, backend: Backend, parser: LLMParser | None, portfolio: Portfolio,
             semantics: str = "proofwriter", timeout: float = 10.0) -> dict[str, Any]:
    """The controlled parser, and the LLM for a problem it cannot parse (when one is given)."""
    row = controlled_row(problem, backend, semantics, timeout)
    if row.get("reason") != "controlled-parse" or parser is None or isinstance(problem, BadItem):
        return row
    out = llm_row(problem, parser, portfolio, timeout)
    out["fallback"] = row["detail"]
    return out
