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
from functools import lru_cache
from typing import TYPE_CHECKING

from provers.itp.env.base import ProofState, Theorem
from provers.itp.errors import ItpError, TacticRejected
from provers.itp.search import Candidate
from provers.itp.vernac import clean_tactic, strip_comments, top_level

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
_SORT = re.compile(r"^(?:Type|Set|Prop|SProp)(?:@\{.*\})?$")
#: Types whose values `induction`/`destruct` split well, tried before the others.
_DATATYPES = re.compile(r"^(?:nat|list|bool|option|prod|sum|positive|N|Z|comparison|ascii|string|Acc|le|Forall|Exists|In)\b")


def goal_variables(state: ProofState) -> list[str]:
    """Names of the hypotheses of the first goal (in the order Coq shows them).

    >>> goal_variables(ProofState("1 goal\\nn, m : nat\\nH : n = m\\n============================\\nm = n"))
    ['n', 'm', 'H']
    """
    return [n for n, _ in _hypotheses(state)]


def first_conclusion(goals: str) -> str:
    """What the first goal asks (below its bar), as coqtop prints it."""
    return goals.split("\ngoal 2 is:")[0].split("============================")[-1].strip()


def _hypotheses(state: ProofState) -> list[tuple[str, str]]:
    first = state.goals.split("\ngoal 2 is:")[0].split("============================")[0]
    out: list[tuple[str, str]] = []
    for m in _HYP.finditer(first):
        out += [(n.strip(), m.group(2).strip()) for n in m.group(1).split(",")]
    return out


def forall_binders(conclusion: str) -> list[tuple[str, str]]:
    """``(name, type)`` of the leading ``forall`` binders of a goal (``""`` when untyped).

    >>> forall_binders("forall (A B : Type) (f : A -> B) (l l' : list A), map f (l ++ l') = map f l ++ map f l'")
    [('A', 'Type'), ('B', 'Type'), ('f', 'A -> B'), ('l', 'list A'), ("l'", 'list A')]
    >>> forall_binders("forall n m : nat, n + m = m + n"), forall_binders("forall x, forall y : bool, x = y")
    ([('n', 'nat'), ('m', 'nat')], [('x', ''), ('y', 'bool')])
    """
    return _binders(conclusion)[0]


def has_premise(conclusion: str) -> bool:
    """Whether a goal, after its leading ``forall`` binders, is an implication (``A -> B`` at
    the top level), so that ``induction 1`` has a hypothesis to do rule induction on.

    >>> has_premise("forall k l, between k l -> S k <= l -> between (S k) l"), has_premise("forall (f : nat -> nat) n, f n = n")
    (True, False)
    """
    return top_level(_binders(conclusion)[1], "->")


def _binders(conclusion: str) -> tuple[list[tuple[str, str]], str]:
    """`forall_binders` and the text after them."""
    text = " ".join(conclusion.split())
    out: list[tuple[str, str]] = []
    while text.startswith("forall "):
        body, depth, end = text[7:], 0, -1
        for i, c in enumerate(body):
            depth += c in "([{"
            depth -= c in ")]}"
            if c == "," and depth == 0:
                end = i
                break
        if end < 0:
            break
        binders = body[:end].strip()
        groups = re.findall(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", binders) if binders.startswith("(") else [binders]
        for g in groups:
            names, _, typ = g.partition(":")
            out += [(n, typ.strip()) for n in names.split() if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_']*", n)]
        text = body[end + 1 :].strip()
    return out, text


def _splittable(typ: str) -> bool:
    """A binder or hypothesis type worth ``induction``/``destruct``: not a sort, not a function."""
    return not _SORT.match(typ) and "->" not in typ and not typ.startswith("forall")


def case_split_targets(state: ProofState) -> list[str]:
    """Every variable of the first goal, hypothesis or leading ``forall`` binder, whose type may
    be inductive: known datatypes first, then the others; sorts and functions left out.

    >>> case_split_targets(ProofState("1 goal\\nA : Type\\nf : A -> A\\n============================\\nforall (x : A) (l : list A), rev (rev l) = l"))
    ['l', 'x']
    """
    concl = first_conclusion(state.goals)
    seen: dict[str, str] = {}
    for name, typ in [*_hypotheses(state), *forall_binders(concl)]:
        if _splittable(typ):
            seen[name] = typ
    return sorted(seen, key=lambda n: (not _DATATYPES.match(seen[n]), list(seen).index(n)))


def _fixed_candidates(state: ProofState, tactics: Sequence[str]) -> list[Candidate]:
    targets = case_split_targets(state)
    concl = first_conclusion(state.goals)
    # rule induction on the first hypothesis keeps the later premises in the induction hypothesis
    rule = ["induction 1; auto", "induction 1"] if has_premise(concl) else []
    extra = rule + [f"{t} {n}{end}" for end in ("; simpl; auto", "") for t in ("induction", "destruct") for n in targets]
    tacs = list(dict.fromkeys([*tactics, *extra]))
    # A fixed prior: rank r gets log((k - r) / sum); earlier tactics are tried first.
    k = len(tacs)
    total = k * (k + 1) / 2
    return [Candidate(t, math.log((k - r) / total)) for r, t in enumerate(tacs)]


#: CoqHammer's reconstruction tactics (``From Hammer Require Import Tactics``), cheapest first.
HAMMER_TACTICS: tuple[str, ...] = ("qauto", "sauto", "hauto")

#: The one-line baseline: a single ``solve`` over the usual automation, after ``intros``. Only
#: tactics every prelude has (``lia`` is not loaded everywhere, and an unknown tactic name makes
#: the whole ``solve`` fail).
ONE_LINER = "solve [ reflexivity | assumption | auto | intuition | tauto | congruence | firstorder | auto with arith | " \
    "intros; auto | intros; intuition | intros; congruence | intros; simpl; auto | intros; firstorder | intros; auto with arith ]"


_HINT_DB = re.compile(r"\bHint\s+(?:Resolve|Immediate|Constructors|Unfold|Extern|Rewrite|Transparent|Opaque)\b[^.]*?"
                      r":\s*([A-Za-z_][\w' ]*)\.(?:\s|$)|\bCreate\s+HintDb\s+([A-Za-z_][\w']*)")
#: Hint databases a file names, tried with ``auto with``/``eauto with`` (at most this many).
MAX_HINT_DATABASES = 4


@lru_cache(maxsize=8)
def hint_databases(prelude: str) -> tuple[str, ...]:
    """The hint databases a theorem's prelude adds to or creates, in order (not ``core``, which
    ``auto`` uses anyway): a library's own automation, as its proofs call it (``eauto with
    ordered_type`` in ``Structures/OrderedType.v``). Cached: every node of a search asks again
    about the same prelude (a file prefix; ~5 ms to scan 46 KB).

    >>> hint_databases("Create HintDb sets. Hint Resolve a b : sets arith. Hint Immediate c : core.")
    ('sets', 'arith')
    >>> hint_databases("Hint Rewrite app_nil_r : lists using auto.")  # old order: the tactic is no database
    ('lists',)
    """
    out: list[str] = []
    for m in _HINT_DB.finditer(strip_comments(prelude)):
        names = (m.group(1) or m.group(2) or "").split()
        for db in names[: names.index("using")] if "using" in names else names:
            if db != "core" and db not in out:
                out.append(db)
    return tuple(out[:MAX_HINT_DATABASES])


_LTAC = re.compile(r"\bLtac\s+([A-Za-z_][\w']*)\s*:?:=")
#: Tactics a file defines, tried as they are (at most this many).
MAX_FILE_TACTICS = 4


@lru_cache(maxsize=8)
def file_tactics(prelude: str) -> tuple[str, ...]:
    """The tactics without parameters the prelude defines (``Ltac order := ...``), the latest
    first: a library's automation, as its proofs call it (``order.`` in
    ``Structures/OrderedType.v``); ``Ltac f x := ...`` needs arguments no one can guess, ``Ltac2``
    is another language.

    >>> file_tactics("Ltac a := auto. Ltac f x := idtac x. (* Ltac c := fail. *) Ltac2 g () := (). Ltac b := a; lia.")
    ('b', 'a')
    """
    names = [m.group(1) for m in _LTAC.finditer(strip_comments(prelude))]
    return tuple(dict.fromkeys(reversed(names)))[:MAX_FILE_TACTICS]


def with_file_automation(tactics: Sequence[str], prelude: str, at: int = 4) -> tuple[str, ...]:
    """``tactics`` with the file's own automation after the first ``at`` (cheap: it runs in
    milliseconds or fails): ``auto with D`` and ``eauto with D`` for each of the prelude's
    `hint_databases`, then its `file_tactics`."""
    extra = [t for db in hint_databases(prelude) for t in (f"auto with {db}", f"eauto with {db}")]
    return tuple(dict.fromkeys([*tactics[:at], *extra, *file_tactics(prelude), *tactics[at:]]))


def with_hammer(tactics: Sequence[str], cheap: int = 8) -> tuple[str, ...]:
    """``tactics`` with CoqHammer's tactics after the first ``cheap`` ones (ordered by cost)."""
    return tuple(dict.fromkeys([*tactics[:cheap], *HAMMER_TACTICS, *tactics[cheap:]]))


@dataclass(frozen=True)
class OneLiner:
    """Baseline: one ``solve [...]`` tactic on the theorem, nothing else (`provers.itp.batch`
    gives it the whole time budget as its tactic timeout)."""

    tactic: str = ONE_LINER
    name: str = "oneliner"

    def candidates(self, theorem: Theorem, state: ProofState) -> list[Candidate]:
        return [Candidate(self.tactic, 0.0)] if not state.tactics else []


@dataclass(frozen=True)
class HammerAlone:
    """Baseline: CoqHammer alone — ``sauto``, then ``hammer`` (external provers + reconstruction),
    on the theorem as stated; needs a `CoqEnv` with ``hammer=True``."""

    name: str = "hammer"

    def candidates(self, theorem: Theorem, state: ProofState) -> list[Candidate]:
        return [Candidate("sauto", -0.1), Candidate("hammer", -0.2)] if not state.tactics else []


@dataclass(frozen=True)
class FixedTactics:
    """The fixed-tactic baseline (no model, no retrieval)."""

    tactics: tuple[str, ...] = COQ_TACTICS
    name: str = "fixed"
    #: Add CoqHammer's tactics (`HAMMER_TACTICS`) and, last at the root, ``hammer``.
    hammer: bool = False

    def candidates(self, theorem: Theorem, state: ProofState) -> list[Candidate]:
        tactics = with_file_automation(self.tactics, theorem.prelude)
        tactics = with_hammer(tactics) if self.hammer else tactics
        return _with_root_hammer(_fixed_candidates(state, tactics), state, self.hammer)


def _with_root_hammer(cands: list[Candidate], state: ProofState, hammer: bool) -> list[Candidate]:
    """``hammer`` as the last candidate of the root state (it costs tens of seconds)."""
    if not hammer or state.tactics:
        return cands
    return [*cands, Candidate("hammer", min((c.logprob for c in cands), default=0.0) - 1.0)]


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
    #: Add CoqHammer's tactics, ``sauto use:`` the retrieved premises, and ``hammer`` at the root.
    hammer: bool = False

    def candidates(self, theorem: Theorem, state: ProofState) -> list[Candidate]:
        return _with_root_hammer(premise_candidates(self.retriever, theorem, state, self.k, self.tactics, self.cheap, self.hammer), state, self.hammer)


def premise_candidates(retriever: Retriever, theorem: Theorem, state: ProofState, k: int, tactics: Sequence[str],
                       cheap: int, hammer: bool) -> list[Candidate]:
    """The first ``cheap`` fixed tactics, then ``apply``/``rewrite`` with each of the ``k``
    premises retrieved for the state (by rank), ``eauto using`` (and, with ``hammer``,
    ``sauto use:``) all of them, then the rest of the fixed list."""
    names = [h.ref for h in retriever.retrieve_for(theorem, state.goals, k=k)]
    premise: list[Candidate] = []
    for rank, n in enumerate(names):
        base = math.log(0.5 / (rank + 1))
        premise += [Candidate(f"apply {n}", base), Candidate(f"rewrite {n}", base - 0.5)]
    if names:
        premise.append(Candidate("eauto using " + ", ".join(names), math.log(0.3)))
        if hammer:
            premise.append(Candidate("sauto use: " + ", ".join(names), math.log(0.25)))
    tactics = with_file_automation(tactics, theorem.prelude)
    fixed_tactics = with_hammer(tactics, cheap) if hammer else tuple(tactics)
    fixed = [Candidate(c.tactic, c.logprob + math.log(0.5)) for c in _fixed_candidates(state, fixed_tactics)]
    return fixed[:cheap] + premise + fixed[cheap:]


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
