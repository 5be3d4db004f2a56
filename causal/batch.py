"""Causal queries as batch work: one item per (model, query), answered in a `workbench.jobs` worker.

The ``causal-query`` kind of ``workbench batch``. Each item names a model (a YAML/JSON file
or a shipped example) and a query such as ``P(C=1 | do(S=0))``; `query_item` returns what
``workbench causal query --json`` prints. A query that is not identifiable is an answer
(``identifiable: false`` with the hedge), not a failure; a malformed query or an unknown
variable is a failed row with the parser's message.

>>> row = query_item({"id": "q", "model": "backdoor", "query": "P(Y=1 | do(X=1))"})
>>> round(row["value"], 2), row["method"]
(0.52, 'surgery')
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def items(queries: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Items from ``[{model = "smoking", query = "P(C=1 | do(S=0))"}, ...]`` (an optional ``id`` each).

    Raises
    ------
    CausalError
        When an entry lacks ``model`` or ``query``.
    """
    from causal.errors import CausalError

    out = []
    for n, q in enumerate(queries):
        if not isinstance(q, dict) or not q.get("model") or not q.get("query"):
            raise CausalError(f"query {n} needs 'model' and 'query', got {q!r}")
        out.append({"id": str(q.get("id") or f"{q['model']}: {q['query']}"), "model": str(q["model"]),
                    "query": str(q["query"]), **({"method": q["method"]} if "method" in q else {})})
    return out


@lru_cache(maxsize=16)
def _model(name: str) -> Any:
    from causal.model import load_model

    return load_model(name)


def query_item(item: dict[str, Any], method: str = "auto") -> dict[str, Any]:
    """Answer one query (the item's own ``method`` over the job's): value or table, estimand."""
    from causal.errors import NotIdentifiable
    from causal.query import answer

    how = str(item.get("method") or method)
    try:
        ans = answer(_model(item["model"]), item["query"], method=how)
    except NotIdentifiable as exc:
        return {"query": exc.query, "identifiable": False,
                "hedge": {"F": sorted(exc.hedge.F), "F_prime": sorted(exc.hedge.F_prime)}, "method": how}
    row: dict[str, Any] = {"query": str(ans.query), "method": ans.method, "identifiable": True,
                           "estimand": str(ans.estimand.formula) if ans.estimand else None}
    if ans.table.variables:
        row["table"] = [{"values": dict(zip(ans.table.variables, map(str, vals), strict=True)), "p": p}
                        for vals, p in ans.table.rows()]
    else:
        row["value"] = ans.value()
    return row
