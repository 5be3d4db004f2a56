"""Prover feedback: find what is wrong with one sample's formulas, so it can be asked again once.

A sample is a list of ``FOL:`` lines, one per sentence (premises, then the conclusion). Three
faults are found without a model, first one wins:

* ``truncated`` — the model hit its per-formula token cap, the formula is unfinished;
* ``parse`` / ``signature`` / ``free-variable`` — a line is not NLTK FOL, uses a symbol the
  signature does not declare (or with another arity), or leaves a variable unbound (only
  possible without the stage-2 grammar);
* ``inconsistent`` — the premises contradict each other (Z3 finds them unsatisfiable), so
  every conclusion would follow; FOLIO's premises never do. The sentence asked again is the
  last premise in Z3's unsat core, and the message quotes another formula of the core.

`conclusion_fault` is the check of the stepwise path (`provers.fol.pipeline.LLMParser` with
``feedback``), made inside each sample's own sequence once its conclusion is written: once the
sample's symbols are aligned as `robust.decide_completion` aligns them, the conclusion must use
only predicates and constants some premise has (FOLIO's conclusions always
do; a disconnected one can only come out Uncertain, which is not reasoning).

`Fault.message` is what the model reads on its ``ERROR:`` line
(`provers.fol.prompts.feedback_prompt`). The pipeline asks at most once per sample
(`provers.fol.pipeline.StagedParser.feedback`); a sample still at fault afterwards is an Error
sample with the fault's reason, never a vote.

>>> f = check_sample(["all x.(Cat(x) -> -Dog(x))", "Cat(tom)", "Dog(tom)", "Dog(tom)"])
>>> f.reason, f.sentence, f.message
('inconsistent', 2, 'this contradicts sentence 1: all x.(Cat(x) -> -Dog(x))')
>>> check_sample(["Cat(tom)", "Dog(tom"]).reason
'parse'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from provers.fol.parse import FolParseError, parse_nltk
from provers.fol.signature_first import Signature
from provers.fol.syntax import VARIABLE_LIKE, Formula, free_names, functions

#: A free one-letter name is read as a constant by the parser; Prover9 would read a variable.


@dataclass(frozen=True, slots=True)
class Fault:
    """What is wrong with a sample: which sentence (0-based) to ask again, and why."""

    sentence: int
    reason: str
    message: str

    def to_json(self) -> dict[str, object]:
        return {"sentence": self.sentence, "reason": self.reason, "message": self.message}


def check_sample(fols: Sequence[str], truncated: Sequence[bool] = (), signature: Signature | None = None,
                 timeout: float = 5.0) -> Fault | None:
    """The first fault of a sample (see the module docstring), or None when it is sound."""
    formulas: list[Formula] = []
    for i, text in enumerate(fols):
        if i < len(truncated) and truncated[i]:
            return Fault(i, "truncated", "the formula is unfinished; write a shorter one")
        try:
            f = parse_nltk(text)
        except FolParseError as exc:
            return Fault(i, "parse", f"not a formula: {exc.what}")
        if signature is not None and (problems := signature.admits(f)):
            return Fault(i, "signature", "; ".join(problems))
        if free := free_names(f) | {n for n, a in functions(f) if not a and VARIABLE_LIKE.fullmatch(n)}:
            return Fault(i, "free-variable", f"variable {', '.join(sorted(free))} is not bound by all or exists")
        formulas.append(f)
    core = unsat_core(formulas[:-1], timeout)
    if len(core) >= 1:
        culprit = core[-1]
        other = next((c for c in core if c != culprit), None)
        message = (f"this contradicts sentence {other + 1}: {fols[other].strip()}" if other is not None
                   else "this formula can never be true")
        return Fault(culprit, "inconsistent", message)
    return None


#: The most premise symbols a conclusion fault lists (the message stays a line of ~60 tokens).
LISTED = 12


def conclusion_fault(premises: Sequence[Formula], conclusion: Formula) -> str | None:
    """Why a sample's conclusion is wrong, or None: once the sample's symbols are aligned (as
    `robust.decide_completion` aligns them), it uses predicates or constants no premise uses
    (`robust.unlinked`).

    >>> ps = [parse_nltk("all x.(Dog(x) -> Animal(x))"), parse_nltk("Dog(rex)")]
    >>> conclusion_fault(ps, parse_nltk("Animal(rex)")) is None
    True
    >>> conclusion_fault(ps, parse_nltk("IsAnAnimal(rex)")) is None  # aligned
    True
    >>> print(conclusion_fault(ps, parse_nltk("Barks(fido)")))
    the conclusion uses Barks/1, fido, which no premise uses; the premises use Animal/1, Dog/1, rex
    """
    from provers.fol.robust import symbols, unlinked
    from provers.fol.signature import align, repair

    aligned, _ = align([*premises, conclusion])
    *before, last = repair(aligned)[0]
    lost_preds, lost_terms = unlinked(before, last)
    if not lost_preds and not lost_terms:
        return None
    uses = ", ".join(_shown(lost_preds, lost_terms))
    has = ", ".join(_shown(*symbols(before))[:LISTED]) or "nothing"
    return f"the conclusion uses {uses}, which no premise uses; the premises use {has}"


def _shown(preds: set[tuple[str, int]], terms: set[tuple[str, int]]) -> list[str]:
    """Predicates as ``Name/arity``, then constants by name (functions ``f/arity``), sorted."""
    return [f"{n}/{a}" for n, a in sorted(preds)] + [n if not a else f"{n}/{a}" for n, a in sorted(terms)]


def unsat_core(premises: Sequence[Formula], timeout: float = 5.0) -> list[int]:
    """Indices (sorted) of premises Z3 finds jointly unsatisfiable; empty when they are
    satisfiable or Z3 cannot tell within ``timeout`` seconds."""
    from provers.fol.backends.z3 import Z3Translation

    if not premises:
        return []
    tr = Z3Translation()
    z3 = tr.z3
    solver = z3.Solver(ctx=tr.ctx)
    solver.set("timeout", max(1, int(timeout * 1000)))
    names = [z3.Bool(f"s{i}", tr.ctx) for i in range(len(premises))]
    for name, p in zip(names, premises, strict=True):
        solver.assert_and_track(tr.formula(p), name)
    if solver.check() != z3.unsat:
        return []
    return sorted(int(str(c)[1:]) for c in solver.unsat_core())


def sample_text(fols: Sequence[str]) -> str:
    """A sample as the ``FOL:`` lines `provers.fol.robust.decide_completion` reads."""
    return "\n".join(f"FOL:\t{f.strip()}" for f in fols)
