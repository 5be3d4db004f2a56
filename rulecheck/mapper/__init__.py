"""Clause text → atomic functions (and, for the LLM, a rule): three mappers measured against each other.

* `retrieve` — all-MiniLM-L6-v2 (int8 ONNX, offline) embeddings of clause and function cards.
* `classify` — a multi-label classifier trained on our labelled CODE-ACCORD clauses.
* `llm` — a chain-of-thought prompt over the catalogue through `workbench.llm`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rulecheck.errors import RuleError
from rulecheck.rule import Expr


@dataclass(frozen=True)
class MapResult:
    """Functions ranked with scores; a rule when the mapper composes one; an error as data."""

    clause: str
    functions: tuple[tuple[str, float], ...]
    rule: Expr | None = None
    error: str = ""

    def names(self) -> list[str]:
        return [n for n, _ in self.functions]


def map_clause(clause: str, mapper: str = "retrieve", k: int = 5, llm_spec: str = "gguf:qwen2.5-coder-1.5b") -> MapResult:
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
    if mapper == "retrieve":
        from rulecheck.mapper.retrieve import Retriever

        return Retriever().map(clause, k)
    if mapper == "classify":
        from rulecheck.mapper.classify import Classifier

        return Classifier.train_default().map(clause, k)
    if mapper == "llm":
        from rulecheck.mapper.llm import LLMMapper

        return LLMMapper.from_spec(llm_spec).map(clause)
    raise RuleError(f"unknown mapper {mapper!r}; choose retrieve, classify or llm", where="map")
