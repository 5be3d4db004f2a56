"""Best-first proof search (ReProver's): expand the open state with the highest cumulative
log-probability, try each candidate tactic, keep new states, stop at the first proof.

Invariants
----------
* A state's priority is the sum of the log-probabilities (scores) of the tactics on its path,
  so a state is never ranked above its parent.
* States are merged by `ProofState.key`: a state whose goals were already reached (by any
  path, including its parent's: a tactic that changed nothing) is not queued again.
* Budgets are per theorem: wall-clock seconds and expansions (states whose candidates were
  tried). A single tactic is bounded by the environment's own per-tactic timeout.
* A found proof is re-checked by the assistant's batch checker (``coqc``) before it is
  reported as proved; ``SearchResult.proved`` is true only when that re-check passed.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from provers.itp.env.base import (
    Outcome,
    ProofEnv,
    ProofFinished,
    ProofState,
    TacticError,
    TacticTimeout,
    Theorem,
)
from provers.itp.errors import ItpError


@dataclass(frozen=True, slots=True)
class Candidate:
    """A tactic proposed for a state, with its log-probability (higher is better)."""

    tactic: str
    logprob: float

    def __str__(self) -> str:
        return f"{self.tactic}  ({self.logprob:.2f})"


class TacticGenerator(Protocol):
    """Proposes ranked tactic candidates for a proof state of a theorem."""

    @property
    def name(self) -> str: ...

    def candidates(self, theorem: Theorem, state: ProofState) -> list[Candidate]: ...


@dataclass(frozen=True, slots=True)
class Budget:
    """Per-theorem limits of one search."""

    #: Wall-clock seconds of search (opening the theorem and the re-check excluded).
    seconds: float = 60.0
    #: States whose candidates are tried.
    expansions: int = 50

    def __str__(self) -> str:
        return f"{self.seconds:g} s / {self.expansions} expansions"


@dataclass(frozen=True, slots=True)
class SearchResult:
    """What a search did: the proof when found and re-checked, else why it stopped."""

    name: str
    #: proved | failed (queue exhausted) | budget (time or expansions spent) | error (could not open)
    status: str
    proof: tuple[str, ...] = ()
    #: The re-check passed (only then is the status ``proved``).
    rechecked: bool = False
    message: str = ""
    expansions: int = 0
    tactic_calls: int = 0
    seconds: float = 0.0
    script: str = ""
    errors: dict[str, int] = field(default_factory=dict)
    #: Axioms the re-checked proof relies on (declared by the prelude or a library).
    assumptions: tuple[str, ...] = ()

    @property
    def proved(self) -> bool:
        return self.status == "proved"

    def __str__(self) -> str:
        head = f"{self.name}: {self.status} ({self.expansions} expansions, {self.tactic_calls} tactics, {self.seconds:.1f} s)"
        return head + ("\n  " + ". ".join(self.proof) + "." if self.proof else "") + (f"\n  {self.message}" if self.message else "")

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["proof"] = list(self.proof)
        d["assumptions"] = list(self.assumptions)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SearchResult:
        return cls(**{**d, "proof": tuple(d.get("proof", ())), "assumptions": tuple(d.get("assumptions", ()))})


#: Called after every tactic: (state, candidate, outcome).
StepHook = Callable[[ProofState, Candidate, Outcome], None]


def best_first(
    env: ProofEnv,
    theorem: Theorem,
    generator: TacticGenerator,
    budget: Budget = Budget(),
    on_step: StepHook | None = None,
) -> SearchResult:
    """Search for a proof of ``theorem``; never raises for a bad theorem or a dying assistant.

    Example
    -------
    >>> from provers.itp.env.coq import CoqEnv                        # doctest: +SKIP
    >>> from provers.itp.generator import FixedTactics                # doctest: +SKIP
    >>> with CoqEnv() as env:                                          # doctest: +SKIP
    ...     r = best_first(env, Theorem("t", "Lemma t : forall n, n + 0 = n."), FixedTactics())
    >>> r.status, r.proof                                              # doctest: +SKIP
    ('proved', ('intros', 'induction n', 'reflexivity', 'simpl; auto'))
    """
    t0 = time.perf_counter()
    calls = 0
    expansions = 0
    errors: dict[str, int] = {}
    last_error = ""

    def result(status: str, **kw: Any) -> SearchResult:
        return SearchResult(
            theorem.name, status, expansions=expansions, tactic_calls=calls,
            seconds=round(time.perf_counter() - t0, 3), errors=errors, **kw,
        )

    try:
        root = env.open(theorem)
    except ItpError as exc:
        return result("error", message=f"{exc.__class__.__name__}: {exc}")
    t_search = time.perf_counter()  # the time budget is the search's, not the loading's
    capped = hasattr(env, "deadline")  # an environment that can cap one tactic's time gets the budget's end
    if capped:
        env.deadline = t_search + budget.seconds  # type: ignore[attr-defined]
    try:
        tie = itertools.count()
        queue: list[tuple[float, int, ProofState, float]] = [(0.0, next(tie), root, 0.0)]
        seen = {root.key}
        while queue:
            if expansions >= budget.expansions:
                return result("budget", message=f"{budget.expansions} expansions spent")
            if time.perf_counter() - t_search > budget.seconds:
                return result("budget", message=f"{budget.seconds:g} s spent")
            _, _, state, score = heapq.heappop(queue)
            expansions += 1
            try:
                cands = generator.candidates(theorem, state)
            except ItpError as exc:
                errors["generator"] = errors.get("generator", 0) + 1
                cands = []
                if not queue:
                    return result("failed", message=f"generator failed: {exc}")
            for cand in cands:
                if time.perf_counter() - t_search > budget.seconds:
                    return result("budget", message=f"{budget.seconds:g} s spent")
                out = env.run(state, cand.tactic)
                calls += 1
                if on_step is not None:
                    on_step(state, cand, out)
                if isinstance(out, ProofFinished):
                    return _finish(env, theorem, out.tactics, result)
                if isinstance(out, TacticError | TacticTimeout):
                    kind = "timeout" if isinstance(out, TacticTimeout) else "error"
                    errors[kind] = errors.get(kind, 0) + 1
                    last_error = str(out)
                    continue
                if out.key in seen:
                    errors["duplicate"] = errors.get("duplicate", 0) + 1
                    continue
                seen.add(out.key)
                new_score = score + cand.logprob
                heapq.heappush(queue, (-new_score, next(tie), out, new_score))
        return result("failed", message=f"every branch failed (last error: {last_error[:200]})")
    finally:
        if capped:
            env.deadline = None  # type: ignore[attr-defined]


def _finish(env: ProofEnv, theorem: Theorem, proof: tuple[str, ...], result: Callable[..., SearchResult]) -> SearchResult:
    check = env.recheck(theorem, proof)
    if check.ok:
        return result("proved", proof=proof, rechecked=True, script=check.script, assumptions=check.assumptions)
    return result("failed", proof=proof, message=f"found but rejected by the re-check: {check.message}", script=check.script)
