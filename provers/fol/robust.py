"""A sample pipeline that repairs what it can: lenient parsing, signature repair, a portfolio.

Where `provers.fol.linc` reproduces LINC's labels, this module tries to get more samples
right from the same completions. By default (`decide_completion` with ``linc_binary``) a
sample keeps LINC's label when LINC has one, and only the samples LINC labels Error go
through the repairs below; `provers.fol.vote.fallback_majority` then lets repaired samples
decide only problems where no sample has a LINC label. Measured on LINC's GPT-3.5 FOLIO
generations, letting repaired samples outvote clean ones costs accuracy (they are more often
poor translations), while this fallback gains it (see benchmarks/fol_linc_replay.py).

1. the ``FOL:`` lines as LINC reads them;
2. argument rewriting only where an argument is a plain name (``St. Louis`` → ``StDot_Louis``,
   never ``(A -> B)``, which LINC turned into the proposition ``A__>_B``);
3. `provers.fol.parse.parse_nltk_lenient` (⊕, Unicode connectives, any quantified name),
   then free one-letter names bound universally, as Prover9 reads them (`universal_closure`);
4. `provers.fol.signature.align`: one symbol per concept across premises and conclusion
   (lemma, case and underscore variants of a predicate; spellings of a constant; an argument
   that is the same constant in every use of a longer arity);
5. `provers.fol.signature.repair` (a name still used with two arities is renamed apart);
6. a `provers.fol.portfolio.Portfolio` of backends.

>>> r = decide_completion("FOL: all x.(Dog(x) -> Animal(x))\\nFOL: Dog(Rex)\\nFOL: Animal(Rex)",
...                       Portfolio(["z3"]))
>>> r.label, r.reason
(<Label.TRUE: 'True'>, None)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from provers.fol.backends.base import Label
from provers.fol.linc import linc_fol_lines, linc_label
from provers.fol.parse import FolParseError, normalise, parse_nltk, parse_nltk_lenient
from provers.fol.portfolio import Portfolio, PortfolioVerdict
from provers.fol.signature import Alignment, Diagnostic, align, repair
from provers.fol.syntax import (
    VARIABLE_LIKE,
    Const,
    Eq,
    FolLimitError,
    Forall,
    Formula,
    Func,
    Pred,
    Term,
    Var,
    atom_terms,
    functions,
    map_formula,
    predicates,
    subterms,
)
from provers.fol.vote import majority


def universal_closure(f: Formula) -> Formula:
    """Bind free one-letter names (``x``, ``y1``) universally, as Prover9 reads free variables.

    >>> print(universal_closure(parse_nltk_lenient("Monday(x) -> Busy(x, Ann)")))
    ∀x (Monday(x) → Busy(x, Ann))
    """
    free = sorted({s.name for t in atom_terms(f) for s in subterms(t)
                   if isinstance(s, Const) and VARIABLE_LIKE.fullmatch(s.name)})
    if not free:
        return f

    def term(t: Term) -> Term:
        if isinstance(t, Const) and t.name in free:
            return Var(t.name)
        if isinstance(t, Func):
            return Func(t.name, tuple(map(term, t.args)))
        return t

    def atom(a: Formula) -> Formula:
        if isinstance(a, Pred):
            return Pred(a.name, tuple(map(term, a.args)))
        assert isinstance(a, Eq)
        return Eq(term(a.left), term(a.right))

    out = map_formula(f, atom)
    for name in reversed(free):
        out = Forall(Var(name), out)
    return out

_PLAIN_ARGUMENT = re.compile(r"[A-Za-z0-9_][\w .'’-]*")
_REWRITES = (("0", "Zero"), ("1", "One"), ("2", "Two"), ("3", "Three"), ("4", "Four"),
             ("5", "Five"), ("6", "Six"), ("7", "Seven"), ("8", "Eight"), ("9", "Nine"),
             (".", "Dot"), ("’", ""), ("-", "_"), ("'", ""), (" ", "_"))


def safe_reformat(fol: str) -> str:
    """Rewrite argument names as LINC does, but only arguments that are plain names.

    >>> safe_reformat("Lives(Ann, St. Louis) & (A -> B)")
    'Lives(Ann, StDot_Louis) & (A -> B)'
    """

    def fix_group(m: re.Match[str]) -> str:
        pieces = m.group(1).split(",")
        if not all(_PLAIN_ARGUMENT.fullmatch(p.strip()) and "->" not in p for p in pieces):
            return m.group(0)
        out = []
        for p in pieces:
            lead = p[: len(p) - len(p.lstrip())]
            name = p.strip()
            if re.search(r"[\s.'’-]", name) or re.match(r"\d", name):
                for old, new in _REWRITES:
                    name = name.replace(old, new)
            out.append(lead + name)
        return "(" + ",".join(out) + ")"

    return re.sub(r"\(([^()]+)\)", fix_group, fol)


@dataclass(frozen=True, slots=True)
class SampleResult:
    """The robust pipeline's answer for one completion."""

    label: Label
    reason: str | None = None
    detail: str = ""
    repairs: tuple[Diagnostic, ...] = ()
    portfolio: PortfolioVerdict | None = None
    #: Whether the sample needed a repair (lenient parse, free-variable closure, renaming):
    #: LINC would have labelled it Error. `provers.fol.vote.fallback_majority` trusts it less.
    repaired: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    #: What `provers.fol.signature.align` changed (one symbol per concept).
    alignments: tuple[Alignment, ...] = ()
    #: LINC's own label for the sample, when it was computed (``linc_binary``).
    before: Label | None = None
    #: Whether the conclusion's symbols all occur in the premises (`connected`).
    connected: bool = True
    #: The premises and conclusion as parsed (before alignment), when the completion parsed: what
    #: `cross_read` reads other samples against, without parsing them again.
    parsed: tuple[tuple[Formula, ...], Formula] | None = None

    @property
    def changes(self) -> list[str]:
        """Every alignment and renaming made, as text (what a label change is owed to)."""
        return [str(a) for a in self.alignments] + [str(d) for d in self.repairs]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label.value, "repaired": self.repaired,
                               "connected": self.connected}
        if self.before is not None:
            out["before"] = self.before.value
        if self.reason:
            out["reason"] = self.reason
            out["detail"] = self.detail
        if self.alignments:
            out["alignments"] = [a.to_json() for a in self.alignments]
        if self.repairs:
            out["repairs"] = [str(d) for d in self.repairs]
        if self.portfolio:
            out["portfolio"] = self.portfolio.to_json()
        return out


def parse_completion(completion: str) -> tuple[list[Formula], Formula, bool]:
    """Premises and conclusion of a completion, leniently parsed; and whether leniency was needed.

    Raises
    ------
    FolParseError
        With the premise number in ``where``.
    """
    lines = linc_fol_lines(completion)
    if not lines:
        raise FolParseError("no 'FOL:' line in the completion", completion, 0, "nltk")
    formulas = []
    lenient = False
    for i, line in enumerate(lines):
        try:
            text = normalise(safe_reformat(line))  # an invisible character is an error here
            try:
                f = parse_nltk(text)
            except FolLimitError:
                raise
            except FolParseError:
                f = parse_nltk_lenient(text)
                lenient = True
        except FolParseError as exc:
            which = "conclusion" if i == len(lines) - 1 else f"premise {i + 1}"
            exc.where = f"{which}: {exc.where}"
            raise
        closed = universal_closure(f)
        lenient |= closed != f
        formulas.append(closed)
    return formulas[:-1], formulas[-1], lenient


def decide_completion(completion: str, portfolio: Portfolio, timeout: float = 10.0,
                      linc_binary: str | None = None, align_symbols: bool = True) -> SampleResult:
    """Label one completion; a parse failure is an Error result, never an exception.

    With ``linc_binary`` (a Prover9 path) the completion is first labelled exactly as LINC
    labels it (`provers.fol.linc.linc_label`). The formulas are then aligned
    (`provers.fol.signature.align`: one symbol per concept across premises and conclusion)
    and, where that changed nothing and LINC had a label, LINC's label stands; otherwise the
    aligned (and, for conflicts left, renamed) formulas are decided by ``portfolio``. The
    result is ``repaired`` when the sample needed a lenient parse or a renaming, or LINC
    could not label it: it did not parse as written. Alignment alone is not a repair.
    """
    first = linc_label(completion, linc_binary, timeout) if linc_binary is not None else None
    linc_ok = first is not None and first.label is not Label.ERROR
    before = first.label if first is not None else None
    try:
        premises, conclusion, lenient = parse_completion(completion)
    except FolParseError as exc:
        if linc_ok:
            assert first is not None
            return SampleResult(first.label, before=before)
        reason = "limit" if isinstance(exc, FolLimitError) else "parse"
        return SampleResult(Label.ERROR, reason, f"{exc.where}: {exc.what}", before=before)
    parsed = (tuple(premises), conclusion)
    formulas = [*premises, conclusion]
    aligned, alignments = align(formulas) if align_symbols else (formulas, [])
    fixed, notes = repair(aligned)
    linked = connected(fixed[:-1], fixed[-1])
    if linc_ok and not alignments:
        assert first is not None
        return SampleResult(first.label, before=before, connected=linked, parsed=parsed)
    repaired = lenient or bool(notes) or (linc_binary is not None and not linc_ok)
    verdict = portfolio.decide(fixed[:-1], fixed[-1], timeout)
    reasons = sorted({v.reason for v in verdict.verdicts if v.reason})
    if verdict.label is Label.ERROR and linc_ok:  # the aligned problem failed: LINC's label stands
        assert first is not None
        return SampleResult(first.label, before=before, connected=linked, parsed=parsed)
    if verdict.label is Label.ERROR:
        return SampleResult(Label.ERROR, reasons[0] if reasons else "unknown",
                            "; ".join(v.detail for v in verdict.verdicts if v.detail)[:500],
                            tuple(notes), verdict, repaired, alignments=tuple(alignments), before=before,
                            connected=linked, parsed=parsed)
    return SampleResult(verdict.label, None, "", tuple(notes), verdict, repaired,
                        alignments=tuple(alignments), before=before, connected=linked, parsed=parsed)


def cross_read(premise_sets: Sequence[Sequence[Formula]], conclusion: Formula, portfolio: Portfolio,
               timeout: float = 10.0) -> tuple[Label, bool]:
    """One sample's conclusion read against the premises of the other samples (rule X1).

    Why: a sample whose conclusion uses a name its own premises never use can only say Uncertain,
    and that is no reasoning; the model often names one concept differently in different
    samples, and each other sample's premises are a whole translation of the same sentences.
    Each premise set with the conclusion is aligned and repaired as `decide_completion` does;
    the sets the aligned conclusion is `connected` to vote (LINC's `majority`, Errors dropped).
    Returns the vote (Error when no set connects) and whether a set voting for it needed a repair.

    >>> from provers.fol.parse import parse
    >>> cross_read([[parse("all x.(Dog(x) -> Mammal(x))"), parse("Dog(Rex)")], [parse("Cat(Tom)")]],
    ...            parse("Mammal(Rex)"), Portfolio(["z3"]))
    (<Label.TRUE: 'True'>, False)
    """
    votes: list[tuple[Label, bool]] = []
    for premises in premise_sets:
        aligned, _ = align([*premises, conclusion])
        fixed, notes = repair(aligned)
        if not connected(fixed[:-1], fixed[-1]):
            continue
        verdict = portfolio.decide(fixed[:-1], fixed[-1], timeout)
        if verdict.label is not Label.ERROR:
            votes.append((verdict.label, bool(notes)))
    label = majority(v for v, _ in votes)
    return label, any(r for v, r in votes if v is label)


def connected(premises: Sequence[Formula], conclusion: Formula) -> bool:
    """Whether every predicate (name and arity) and constant of the conclusion occurs in a premise.

    When one does not, the premises say nothing about it, so the translation can only be
    Uncertain (or False/True by a contradiction): its Uncertain is not the outcome of reasoning.

    >>> from provers.fol.parse import parse
    >>> connected([parse("all x.(Dog(x) -> Animal(x))")], parse("Animal(Rex)"))
    False
    >>> connected([parse("all x.(Dog(x) -> Animal(x))"), parse("Dog(Rex)")], parse("Animal(Rex)"))
    True
    """
    return unlinked(premises, conclusion) == (set(), set())


def unlinked(premises: Sequence[Formula], conclusion: Formula) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """The predicates and the constants/functions (name, arity) of the conclusion that no premise has."""
    have_p, have_f = symbols(premises)
    return predicates(conclusion) - have_p, functions(conclusion) - have_f


def symbols(formulas: Sequence[Formula]) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """The predicates and the constants/functions (name, arity) the formulas use, together."""
    return set().union(*(predicates(f) for f in formulas)), set().union(*(functions(f) for f in formulas))


#: Vote weight of a sample that did not parse as written (lenient syntax, renaming, or LINC
#: labelled it Error): two such samples count as one clean one.
REPAIRED_WEIGHT = 0.5
#: Vote weight of an Uncertain relative to a proof (True or False). Uncertain is the absence
#: of a proof, and a translation that loses a link between premises ends there, while a
#: proof needs every link: on the dev split of LINC's GPT-3.5 FOLIO generations, a problem
#: with a proof behind its gold label gets a proving sample 45 % of the time, an Uncertain
#: problem a (spurious) proving sample 5 % of the time, so a likelihood vote counts an
#: Uncertain about 0.27 of a proof. Rounded: a proof outweighs three failures to find one.
UNCERTAIN_WEIGHT = 0.3
#: Further factor for an Uncertain whose conclusion is not connected to the premises (see
#: `connected`): the premises never mention a symbol of the conclusion, so its Uncertain is
#: not the outcome of any reasoning.
DISCONNECTED_WEIGHT = 0.1


def vote_weight(result: SampleResult) -> float:
    """How much a sample counts in `provers.fol.vote.weighted_majority` (Error: nothing).

    >>> vote_weight(SampleResult(Label.TRUE)), vote_weight(SampleResult(Label.TRUE, repaired=True))
    (1.0, 0.5)
    >>> round(vote_weight(SampleResult(Label.UNCERTAIN, connected=False)), 3)
    0.03
    """
    if result.label is Label.ERROR:
        return 0.0
    weight = REPAIRED_WEIGHT if result.repaired else 1.0
    if result.label is Label.UNCERTAIN:
        weight *= UNCERTAIN_WEIGHT if result.connected else UNCERTAIN_WEIGHT * DISCONNECTED_WEIGHT
    return weight
