"""Logic evaluation as batch work: one JSON item per problem, decided in a `workbench.jobs` worker.

The ``logic-eval`` kind of ``workbench batch``: `items` reads a data set in the driver and
turns each problem into a plain dict (a `BadItem` becomes an item that fails with its reason);
`decide_item` rebuilds the problem in the worker and returns the same row as ``workbench logic
eval`` (`pipeline.controlled_row` for natural language, `eval.gold_row` for FOLIO's gold FOL),
with ``ok`` false exactly when the label is ``Error``.

>>> row = decide_item({"id": "p1", "premises": ["Bob is big.", "Big things are red."],
...                    "conclusion": "Bob is red.", "label": "True"})
>>> row["label"], row["correct"], row["ok"]
('True', True, True)
"""

from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from provers.fol.datasets import BadItem, GoldProblem, NLProblem
from provers.fol.syntax import FolError, FolLimitError

#: Data set name → (file under the shared data folder, how its problems are decided).
DATASETS = {
    "proofwriter": ("logic/proofwriter/dev.json", "nl"),
    "folio": ("logic/folio/folio-validation.jsonl", "nl"),
    "folio-gold": ("logic/folio/folio-validation.jsonl", "gold"),
}


def items(dataset: str = "proofwriter", path: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The problems of ``dataset`` (from ``path`` when given, else the shared copy), as items.

    Raises
    ------
    FolError
        Unknown data set, or a file that is missing or not in the data set's format.
    """
    from provers.fol.datasets import load_folio, load_folio_nl, load_proofwriter
    from workbench.data import shared_path

    if dataset not in DATASETS:
        raise FolError(f"unknown dataset {dataset!r}; choose {', '.join(DATASETS)}")
    rel, form = DATASETS[dataset]
    source = Path(path) if path else shared_path(rel)
    if not source.exists():
        raise FolError("data file not found", where=str(source))
    loaded: list[Any]
    if form == "gold":
        loaded = list(load_folio(source))
    else:
        loaded = load_folio_nl(source) if dataset == "folio" else load_proofwriter(source)
    out: list[dict[str, Any]] = []
    for p in loaded[: limit or None]:
        if isinstance(p, BadItem):
            out.append({"id": p.id, "_error": p.what})
        else:
            out.append({**asdict(p), "form": form})
    return out


@lru_cache(maxsize=4)
def _backend(name: str) -> Any:
    from provers.fol.backends.base import get_backend

    return get_backend(name)


def decide_item(item: dict[str, Any], backend: str = "z3", semantics: str = "proofwriter",
                timeout: float = 10.0) -> dict[str, Any]:
    """Decide one problem item: the row ``workbench logic eval`` writes, plus ``ok``.

    Natural-language items go through the controlled parser (``semantics``: proofwriter or
    classical); gold-FOL items (``"form": "gold"``) through ``backend`` alone.
    """
    fields = {k: v for k, v in item.items() if k not in ("form", "_error")}
    fields["premises"] = tuple(fields.get("premises") or ())
    try:
        if item.get("form") == "gold":
            from provers.fol.eval import gold_row
            from provers.fol.portfolio import Portfolio

            row = gold_row(GoldProblem(**fields), Portfolio([_backend(backend)]), timeout)
        else:
            from provers.fol.pipeline import controlled_row

            row = controlled_row(NLProblem(**fields), _backend(backend), semantics, timeout)
    except FolError as exc:  # bad input the row readers did not foresee: this row only
        row = {"id": item.get("id"), "gold": item.get("label"), "label": "Error", "correct": False,
               "reason": "limit" if isinstance(exc, FolLimitError) else "input", "detail": str(exc)}
    row["ok"] = row["label"] != "Error"
    if not row["ok"]:
        row.setdefault("error", f"{row.get('reason')}: {row.get('detail')}")
    return row


def summary(rows: list[dict[str, Any]]) -> Any:
    """The accuracy table of ``workbench logic eval`` over the rows of a batch."""
    from provers.fol.eval import summarise, summary_table

    return summary_table(summarise(rows), "logic-eval")
