"""Tactic generators: proof state (+ retrieved premises) → ranked tactic candidates.

Three generators share the `search.TacticGenerator` interface:

* `FixedTactics` — the baseline: a fixed list of automation tactics (``auto``, ``lia``, ...)
  plus ``induction``/``destruct`` on the variables of the goal, with fixed prior scores;
* `RetrievalTactics` — the fixed list plus ``apply``/``rewrite`` with the premises a
  retriever ranks highest for the state, scored by retrieval rank;
* `LLMTactics` — ReProver's generator: a prompt with the retrieved premises and the state
  goes through the LLM layer (`workbench.llm.load_generator`); completions are untrusted
  text, cleaned into one tactic each (a bad one is dropped), scored by their log-probability.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from provers.itp.env.base import ProofState, Theorem
from provers.itp.errors import ItpError, TacticRejected
from provers.itp.search import Candidate
from provers.itp.vernac import clean_tactic

if TYPE_CHECKING:
    from provers.itp.retriever import Retriever

#: The fixed-tactic baseline, most promising first.
COQ_TACTICS: tuple[str, ...] = (
    "reflexivity",
    "assumption",
    "intros",
    "auto",
    "trivial",
    "easy",
    "simpl",
    "split",
    "congruence",
    "tauto",
    "discriminate",
    "auto with arith",
    "lia",
    "eauto",
    "firstorder",
    "constructor",
    "left",
    "right",
    "subst",
    "f_equal",
    "simpl in *; auto",
    "intuition",
)

_HYP = re.compile(r"^([A-Za-z_][A-Za-z0-9_']*(?:, [A-Za-z_][A-Za-z0-9_']*)*) : (.+)$", re.M)
_FORALL = re.compile(r"^\s*forall\s+\(?([A-Za-z_][A-Za-z0-9_']*)")


def goal_variables(state: ProofState) -> list[str]:
    """Names of the hypotheses of the first goal that are not propositions we know of.

    >>> goal_variables(ProofState("1 goal\\nn, m : nat\\nH : n = m\\n============================\\nm = n"))
    ['n', 'm', 'H']
    """
    first = state.goals.split("\ngoal 2 is:")[0].split("============================")[0]
    names: list[str] = []
    for m in _HYP.finditer(first):
        names += [n.strip() for n in m.group(1).split(",")]
    return names


def _fixed_candidates(state: ProofState, tactics: Sequence[str]) -> list[Candidate]:
    names = goal_variables(state)
    extra = [f"{t} {n}{end}" for end in ("; simpl; auto", "") for t in ("destruct", "induction") for n in names[:3]]
    concl = state.goals.split("============================")[-1].split("\ngoal 2 is:")[0]
    m = _FORALL.match(concl.strip())
    if m:
        extra.append(f"intros; induction {m.group(1)}")
    tacs = list(tactics) + extra
    # A fixed prior: rank r gets log((k - r) / sum); earlier tactics are tried first.
    k = len(tacs)
    total = k * (k + 1) / 2
    return [Candidate(t, math.log((k - r) / total)) for r, t in enumerate(tacs)]


@dataclass(frozen=True)
class FixedTactics:
    """The fixed-tactic baseline (no model, no retrieval)."""

    tactics: tuple[str, ...] = COQ_TACTICS
    name: str = "fixed"

    def candidates(self, theorem: Theorem, state: ProofState) -> list[Candidate]:
        return _fixed_candidates(state, self.tactics)


@dataclass(frozen=True)
class RetrievalTactics:
    """The fixed list plus tactics that use the ``k`` premises retrieved for the state.

    Tried in this order: the first ``cheap`` fixed tactics (automation closes many goals
    outright), then ``apply p`` and ``rewrite p`` for each retrieved premise by rank, then
    ``eauto using`` all of them, then the rest of the fixed list. Scores: retrieval rank for the
    premise tactics, the fixed prior (halved) for the others.
    """

    retriever: Retriever
    k: int = 4
    tactics: tuple[str, ...] = COQ_TACTICS
    cheap: int = 8
    name: str = "retrieval"

    def candidates(self, theorem: Theorem, state: ProofState) -> list[Candidate]:
        hits = self.retriever.retrieve_for(theorem, state.goals, k=self.k)
        names = [h.ref for h in hits]
        premise: list[Candidate] = []
        for rank, n in enumerate(names):
            base = math.log(0.5 / (rank + 1))
            premise += [Candidate(f"apply {n}", base), Candidate(f"rewrite {n}", base - 0.5)]
        if names:
            premise.append(Candidate("eauto using " + ", ".join(names), math.log(0.3)))
        fixed = [Candidate(c.tactic, c.logprob + math.log(0.5)) for c in _fixed_candidates(state, self.tactics)]
        return fixed[: self.cheap] + premise + fixed[self.cheap :]


PROMPT = """(* Coq: given useful lemmas and a proof state, the next tactic. *)

(* Lemmas: app_nil_r : forall l, l ++ [] = l *)
(* State:
l : list A
============================
rev (l ++ []) = rev l *)
Tactic: rewrite app_nil_r.

(* Lemmas: Nat.add_comm : forall n m, n + m = m + n *)
(* State:
n, m : nat
H : n = m
============================
m + n = n + m *)
Tactic: apply Nat.add_comm.

(* Lemmas: (none) *)
(* State:
============================
forall b : bool, negb (negb b) = b *)
Tactic: intros b; destruct b; reflexivity.

(* Lemmas: {premises} *)
(* State:
{state} *)
Tactic:"""


def _short(statement: str, limit: int = 160) -> str:
    """A premise statement cut for the prompt (CPU prompts must stay short)."""
    return statement if len(statement) <= limit else statement[: limit - 3] + "..."


@dataclass(frozen=True)
class LLMTactics:
    """ReProver's generator through the LLM layer, optionally with retrieved premises.

    Parameters
    ----------
    model:
        A `workbench.llm` spec such as ``"gguf:qwen2.5-coder-1.5b"`` or a `Generator`.
    retriever:
        Adds the top ``k`` accessible premises to the prompt (``None``: no retrieval).
    n:
        Samples per state; duplicates are merged keeping the best log-probability.
    """

    model: object
    retriever: Retriever | None = None
    k: int = 3
    n: int = 6
    temperature: float = 0.8
    max_tokens: int = 48
    name: str = "llm"

    def prompt(self, theorem: Theorem, state: ProofState) -> str:
        premises = "(none)"
        if self.retriever is not None:
            hits = self.retriever.retrieve_for(theorem, state.goals, k=self.k)
            premises = "; ".join(_short(h.statement) for h in hits) or "(none)"
        return PROMPT.format(premises=premises, state=state.goals)

    def candidates(self, theorem: Theorem, state: ProofState) -> list[Candidate]:
        from workbench.llm import SamplingParams

        gen = self.model
        params = SamplingParams(n=self.n, temperature=self.temperature, max_tokens=self.max_tokens, stop=("\n",), logprobs=True)
        try:
            (comps,) = gen.generate([self.prompt(theorem, state)], params)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - a model failure is the generator's error
            raise ItpError(f"tactic generator failed: {exc}", where=theorem.where) from exc
        best: dict[str, float] = {}
        for c in comps:
            try:
                tac = clean_tactic(c.text.strip().strip("`"))
            except TacticRejected:
                continue
            lp = c.logprob if c.token_logprobs else -float(len(best))
            best[tac] = max(best.get(tac, -math.inf), lp)
        return sorted((Candidate(t, lp) for t, lp in best.items()), key=lambda c: -c.logprob)
