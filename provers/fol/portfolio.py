"""Several backends on one problem, one label, and a record of where they disagree.

Combination rule (sound provers can only disagree by one failing to find a proof, or by
inconsistent premises proving both ways): a proof beats no proof. If any backend proves the
conclusion the label is True; else if any proves its negation, False; else Uncertain if any
backend finished its search; else Error (every backend failed; the reasons are kept).
``disagreement`` is set when two backends gave different non-Error labels.

>>> from provers.fol.parse import parse
>>> pf = Portfolio(["z3", "prover9"])
>>> v = pf.decide([parse("all x.(Dog(x) -> Animal(x))"), parse("Dog(Rex)")], parse("Animal(Rex)"))
>>> v.label, v.disagreement, [x.label.value for x in v.verdicts]
(<Label.TRUE: 'True'>, False, ['True', 'True'])
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from provers.fol.backends.base import Backend, Label, Verdict, get_backend
from provers.fol.syntax import Formula

DEFAULT_BACKENDS = ("prover9", "z3", "eprover")


@dataclass(frozen=True, slots=True)
class PortfolioVerdict:
    """The combined label and every backend's own verdict."""

    label: Label
    verdicts: tuple[Verdict, ...]

    @property
    def disagreement(self) -> bool:
        return len({v.label for v in self.verdicts if v.label is not Label.ERROR}) > 1

    @property
    def seconds(self) -> float:
        return max((v.seconds for v in self.verdicts), default=0.0)

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label.value, "disagreement": self.disagreement,
                "backends": {v.backend: v.to_json() for v in self.verdicts}}


def combine(verdicts: Sequence[Verdict]) -> Label:
    """The portfolio rule from the module docstring."""
    labels = {v.label for v in verdicts}
    for label in (Label.TRUE, Label.FALSE, Label.UNCERTAIN):
        if label in labels:
            return label
    return Label.ERROR


class Portfolio:
    """Run named backends (concurrently: they are subprocesses or release the GIL)."""

    def __init__(self, backends: Sequence[str | Backend] = DEFAULT_BACKENDS) -> None:
        self.backends = [get_backend(b) if isinstance(b, str) else b for b in backends]

    def decide(self, premises: Sequence[Formula], conclusion: Formula, timeout: float = 10.0) -> PortfolioVerdict:
        if len(self.backends) == 1:
            verdicts = [self.backends[0].decide(premises, conclusion, timeout)]
        else:
            with ThreadPoolExecutor(len(self.backends)) as pool:
                verdicts = list(pool.map(lambda b: b.decide(premises, conclusion, timeout), self.backends))
        return PortfolioVerdict(combine(verdicts), tuple(verdicts))
