"""Tactician-style tactic prediction: the tactics humans used in the most similar traced states.

Tactician (Blaauwbroek et al. 2020) predicts the next tactic for a proof state by k-nearest
neighbours over the states recorded while the library's own proofs were checked. Here:

* **State features** (`features`): the first goal's conclusion and hypothesis types as tokens
  (identifiers and symbol runs), local variable names abstracted to ``_v`` (names are
  arbitrary; their types are not), the conclusion's head symbol and top-level connective, and
  the bigrams of the conclusion's tokens. Conclusion and hypothesis features are kept apart
  (``c:`` / ``h:``).
* **Similarity**: TF-IDF weighted cosine (sublinear term frequency) over those features, exact
  over all traced states (a sparse matrix product).
* **Prediction** (`KnnModel.predict`): the neighbours' tactics in order of similarity, with
  their arguments rewritten to the current state (`adapt`): a local name of the neighbour
  state becomes the current hypothesis or ``forall`` binder with the same type.

The model is the trace corpus itself (`provers.itp.trace`), restricted to the files of a
split; building the TF-IDF matrix takes seconds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from provers.itp.env.base import ProofState, Theorem
from provers.itp.generator import (
    COQ_TACTICS,
    _fixed_candidates,
    _hypotheses,
    _with_root_hammer,
    first_conclusion,
    forall_binders,
    premise_candidates,
    with_file_automation,
    with_hammer,
)
from provers.itp.search import Candidate
from provers.itp.trace import TraceStep
from workbench.errors import require

if TYPE_CHECKING:
    from provers.itp.retriever import Retriever

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_'.]*|[^\sA-Za-z0-9_(),]+|\d+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_']*")


def _first_goal(goals: str) -> tuple[list[tuple[str, str]], str]:
    return _hypotheses(ProofState(goals)), first_conclusion(goals)


def local_names(goals: str) -> dict[str, str]:
    """Local names of the first goal (hypotheses and leading ``forall`` binders) → their types."""
    hyps, concl = _first_goal(goals)
    out = dict(hyps)
    for n, t in forall_binders(concl):
        out.setdefault(n, t)
    return out


def features(goals: str) -> list[str]:
    """The features of a proof state (see the module docstring).

    >>> features("1 goal\\nl : list A\\n============================\\nrev (rev l) = l")[:6]
    ['c:rev', 'c:rev', 'c:_v', 'c:=', 'c:_v', 'head:rev']
    """
    hyps, concl = _first_goal(goals)
    names = set(local_names(goals))

    def toks(text: str) -> list[str]:
        return ["_v" if t in names else t for t in _TOKEN.findall(text)]

    c = toks(concl)
    out = [f"c:{t}" for t in c]
    if c:
        out.append(f"head:{c[0]}")
    top = _top_connective(concl)
    if top:
        out.append(f"top:{top}")
    out += [f"cc:{a}_{b}" for a, b in zip(c, c[1:], strict=False)]
    for _, typ in hyps:
        out += [f"h:{t}" for t in toks(typ)]
    return out


def _top_connective(concl: str) -> str:
    """The outermost connective of a conclusion: ``forall``, ``->``, ``=``, ``/\\``, ... or ''."""
    if concl.startswith(("forall", "exists", "fun")):
        return concl.split()[0]
    depth = 0
    for i, ch in enumerate(concl):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0:
            for op in ("<->", "->", "\\/", "/\\", "<>", "<=", "<", "=", "~"):
                if concl.startswith(op, i):
                    return op
    return ""


def adapt(tactic: str, source: dict[str, str], target: dict[str, str]) -> str | None:
    """Rewrite the local names of ``tactic`` (from a state with ``source`` names → types) to the
    names of ``target`` with the same type, else with the most similar type (`_most_similar`:
    ``H : In x (Add U A y)`` → ``H0 : In z (Add U A y)``); None when a name it uses has no
    counterpart (the tactic would refer to nothing, or to something else).

    >>> adapt("induction l; simpl; auto", {"l": "list A"}, {"xs": "list A", "n": "nat"})
    'induction xs; simpl; auto'
    >>> adapt("rewrite H", {"H": "n = m"}, {"E": "n = m"}), adapt("exact IHl", {"IHl": "P l"}, {"n": "nat"})
    ('rewrite E', None)
    >>> adapt("elim H", {"H": "In x (Add U A y)"}, {"z": "U", "H0": "In z (Add U A y)"})
    'elim H0'
    """
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for name in _NAME.findall(tactic):
        if name not in source or name in mapping:
            continue
        if name in target and target[name] == source[name]:
            mapping[name] = name
            used.add(name)
            continue
        same = [n for n, t in target.items() if t == source[name] and n not in used]
        if not same:
            same = _most_similar(source[name], {n: t for n, t in target.items() if n not in used})
        if not same:
            return None
        mapping[name] = same[0]
        used.add(same[0])
    if not mapping:
        return tactic
    return _NAME.sub(lambda m: mapping.get(m.group(), m.group()), tactic)


#: Least token overlap (Jaccard) between a neighbour's hypothesis type and a current one for
#: `adapt` to map the name across when no current local has exactly that type.
SIMILAR = 0.5


def _type_tokens(t: str) -> set[str]:
    return set(_TOKEN.findall(t))


def _most_similar(typ: str, candidates: dict[str, str]) -> list[str]:
    """The candidate local whose type shares the most tokens with ``typ`` (Jaccard ≥ `SIMILAR`),
    as a one-element list; [] when none does, or two tie (the choice would be a guess)."""
    a = _type_tokens(typ)
    scored = []
    for n, t in candidates.items():
        b = _type_tokens(t)
        if a and b:
            scored.append((len(a & b) / len(a | b), n))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < SIMILAR or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return []
    return [scored[0][1]]


@dataclass
class KnnModel:
    """k-NN over traced states (TF-IDF cosine); build with `KnnModel.fit`."""

    steps: list[TraceStep]
    vectorizer: object = None
    matrix: object = None
    _names: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def fit(cls, steps: Sequence[TraceStep]) -> KnnModel:
        """Index ``steps`` (the states of the training files)."""
        text = require("sklearn.feature_extraction.text", "itp")
        vec = text.TfidfVectorizer(analyzer=features, sublinear_tf=True)
        steps = list(steps)
        matrix = vec.fit_transform([s.goals for s in steps]) if steps else None
        return cls(steps, vec, matrix, [local_names(s.goals) for s in steps])

    def extended(self, steps: Sequence[TraceStep]) -> KnnModel:
        """This model plus ``steps``, with the same feature weights (Tactician's online mode:
        the proofs above the current one in its file)."""
        if not steps:
            return self
        sparse = require("scipy.sparse", "itp")
        extra = self.vectorizer.transform([s.goals for s in steps])  # type: ignore[attr-defined]
        matrix = extra if self.matrix is None else sparse.vstack([self.matrix, extra]).tocsr()
        return KnnModel([*self.steps, *steps], self.vectorizer, matrix, [*self._names, *(local_names(s.goals) for s in steps)])

    def neighbours(self, goals: str, k: int = 50) -> list[tuple[int, float]]:
        """The ``k`` most similar traced states: (step index, cosine), best first."""
        if self.matrix is None:
            return []
        q = self.vectorizer.transform([goals])  # type: ignore[attr-defined]
        sims = np.asarray((self.matrix @ q.T).todense()).ravel()  # type: ignore[attr-defined, operator]
        k = min(k, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(int(i), float(sims[i])) for i in top if sims[i] > 0]

    def predict(self, goals: str, n: int = 10, k: int = 50, power: float = 1.0) -> list[tuple[str, float]]:
        """Up to ``n`` distinct tactics for the state, adapted to its names (`adapt`; tactics
        whose names do not carry over are dropped), ranked by the votes of the ``k`` nearest
        states: each adds ``similarity ** power`` to its tactic (``power`` → ∞: nearest first)."""
        target = local_names(goals)
        votes: dict[str, float] = {}
        for i, sim in self.neighbours(goals, k):
            tac = adapt(self.steps[i].tactic, self._names[i], target)
            if tac is not None:
                votes[" ".join(tac.split())] = votes.get(" ".join(tac.split()), 0.0) + sim**power
        return sorted(votes.items(), key=lambda kv: -kv[1])[:n]


@dataclass(frozen=True)
class KnnTactics:
    """The learned generator: k-NN tactics, with fixed tactics (and premises, CoqHammer) as the
    fallback in the same best-first queue.

    Order of candidates: the first ``cheap`` fixed tactics, the ``n`` predicted tactics, the
    premise tactics (when a retriever is given), the rest of the fixed list, and ``hammer``
    last at the root (with ``hammer``). Scores decrease with that order.
    """

    model: KnnModel
    retriever: Retriever | None = None
    n: int = 8
    cheap: int = 4
    tactics: tuple[str, ...] = COQ_TACTICS
    hammer: bool = False
    k_premises: int = 4
    name: str = "knn"

    def candidates(self, theorem: Theorem, state: ProofState) -> list[Candidate]:
        predicted = [t for t, _ in self.model.predict(state.goals, self.n)]
        if self.retriever is not None:
            rest = [c.tactic for c in premise_candidates(self.retriever, theorem, state, self.k_premises, self.tactics, self.cheap, self.hammer)]
        else:
            tactics = with_file_automation(self.tactics, theorem.prelude)
            rest = [c.tactic for c in _fixed_candidates(state, with_hammer(tactics) if self.hammer else tactics)]
        tacs = list(dict.fromkeys([*rest[: self.cheap], *predicted, *rest[self.cheap :]]))
        k = len(tacs)
        total = k * (k + 1) / 2
        return _with_root_hammer([Candidate(t, math.log((k - r) / total)) for r, t in enumerate(tacs)], state, self.hammer)
