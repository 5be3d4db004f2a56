"""Embedding retriever: all-MiniLM-L6-v2 (the kernel's `workbench.embed.OnnxMiniLM`) over function cards.

Clauses and cards are embedded up to 256 word pieces (some clauses are long). A clause whose
best cosine score is below ``min_score`` maps to no function, with a message. The retriever also refuses when the clause bounds a quantity no catalogue function returns (a
U-value, minutes, lux: `rulecheck.units.other_quantities`), and it drops measuring functions
whose type differs from every quantity in the clause (a width clause is not answered with an
area), so a clause outside the catalogue gets "no function" instead of the nearest stair function.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from rulecheck.functions import CATALOGUE
from rulecheck.functions.registry import NUMERIC
from rulecheck.mapper import MapResult
from workbench.embed import OnnxMiniLM


@lru_cache(maxsize=1)
def _embedder() -> OnnxMiniLM:
    return OnnxMiniLM(max_length=256, extra="rules")


def card_text(name: str) -> str:
    """What the retriever matches clauses against: name words, description, examples."""
    fn = CATALOGUE[name]
    return f"{name.replace('_', ' ')}: {fn.description}"


class Retriever:
    """Rank catalogue functions by cosine similarity to the clause."""

    def __init__(self, min_score: float = 0.25) -> None:
        self.names = CATALOGUE.names()
        self.embedder = _embedder()
        self.matrix = _card_matrix(tuple(self.names))
        self.min_score = min_score

    def scores(self, clauses: list[str]) -> np.ndarray:
        """``(len(clauses), len(catalogue))`` cosine scores."""
        return self.embedder.encode(clauses) @ self.matrix.T

    def map(self, clause: str, k: int = 5) -> MapResult:
        return self.rank(clause, self.scores([clause])[0], k)

    def rank(self, clause: str, row: Any, k: int) -> MapResult:
        from rulecheck.units import find_quantities, other_quantities

        quantities = find_quantities(clause)
        others = other_quantities(clause)
        if others and not quantities:
            return MapResult(clause, (), error=f"the clause bounds {others[0]}; no catalogue function measures that",
                             refused=True)
        types = {q.type for q in quantities}
        measuring = {"property", "geometry", "domain"}

        def fits(i: int) -> bool:
            fn = CATALOGUE[self.names[i]]
            return not types or fn.category not in measuring or fn.returns not in NUMERIC or fn.returns in types

        order = [i for i in np.argsort(-row) if fits(i)][:k]
        picked = tuple((self.names[i], float(row[i])) for i in order if row[i] >= self.min_score)
        if not picked:
            return MapResult(clause, (), error=f"no catalogue function matches this clause (best score {row.max():.2f})",
                             refused=True)
        return MapResult(clause, picked)


@lru_cache(maxsize=4)
def _card_matrix(names: tuple[str, ...]) -> np.ndarray:
    return _embedder().encode([card_text(n) for n in names])
