"""Clause text → atomic functions and a typed rule: four mappers measured against each other.

* `compose` — the clause composer (no model): subject + measure + comparison + value + unit.
* `retrieve` — all-MiniLM-L6-v2 (int8 ONNX, offline) embeddings of clause and function cards.
* `classify` — a multi-label classifier trained on our labelled CODE-ACCORD clauses (cached).
* `llm` — a prompt over the catalogue, decoded under a grammar generated from the catalogue.

The composer and the LLM give rules; the retriever and the classifier give function names.
Each refuses with a reason (``MapResult.refused``) rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from rulecheck.errors import RuleError
from rulecheck.rule import Rule

MAPPERS = ("compose", "retrieve", "classify", "llm")


@dataclass(frozen=True)
class MapResult:
    """Functions ranked with scores; the rules when the mapper composes them; a refusal or an
    error as data (``error`` says why; ``refused`` marks a deliberate "cannot map this")."""

    clause: str
    functions: tuple[tuple[str, float], ...]
    rule: Rule | None = None
    error: str = ""
    rules: tuple[Rule, ...] = ()
    refused: bool = False

    def names(self) -> list[str]:
        return [n for n, _ in self.functions]


def map_clause(clause: str, mapper: str = "compose", k: int = 5, llm_spec: str = "gguf:qwen2.5-coder-1.5b",
               rid: str = "C1", source: str = "") -> MapResult:
    """Map one clause with the named mapper.

    Raises
    ------
    RuleError
        Unknown mapper name, an empty clause, or ``k < 1``.
    """
    if not clause.strip():
        raise RuleError("empty clause text", where="map")
    if k < 1:  # a slice [:0] or [:-2] would show nothing or nearly everything, silently
        raise RuleError(f"k must be at least 1, got {k}", where="map")
    if mapper == "compose":
        from rulecheck.mapper.compose import compose

        c = compose(clause, rid, source)
        return MapResult(clause, tuple((f, 1.0) for f in c.functions()), c.rules[0] if c.rules else None,
                         c.refusal or "; ".join(c.warnings), c.rules, bool(c.refusal))
    if mapper == "retrieve":
        from rulecheck.mapper.retrieve import Retriever

        return Retriever().map(clause, k)
    if mapper == "classify":
        from rulecheck.mapper.classify import Classifier

        return Classifier.default().map(clause, k)
    if mapper == "llm":
        from rulecheck.mapper.llm import LLMMapper

        return LLMMapper.from_spec(llm_spec).map(clause)
    raise RuleError(f"unknown mapper {mapper!r}; choose {', '.join(MAPPERS)}", where="map")
