"""Evaluation runs: one JSONL row per problem as it finishes, a summary computed from the rows.

Three kinds of run:

* ``gold`` — FOLIO-style rows with human-written FOL (`datasets.load_folio`), decided by a
  portfolio of backends (Z3 alone by default);
* ``linc`` — LINC's recorded completions, each labelled by `linc.linc_label` (NLTK-faithful
  Prover9), combined by `vote.majority`; the rows also carry LINC's own labels to compare;
* ``robust`` — the same completions through `robust.decide_completion` (lenient parsing,
  symbol alignment, signature repair, a portfolio), then `vote.weighted_majority` with
  `robust.vote_weight` (repaired samples count half, an Uncertain whose conclusion is not
  connected to its premises almost nothing; ``plain_vote`` keeps LINC's vote over all).

Rows go to a `workbench.results.ResultLog`; with ``resume=True`` finished ids are skipped, so
an interrupted run continues where it stopped. Bad input (a line that is not JSON, an empty
premise list, a malformed formula) becomes an Error row with the reason; the run goes on.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provers.fol.backends.base import Label
from provers.fol.datasets import BadItem, GoldProblem, SampledProblem, load_folio, load_linc
from provers.fol.parse import FolParseError, parse
from provers.fol.portfolio import Portfolio
from provers.fol.signature import SignatureError, check, repair
from provers.fol.syntax import FolLimitError
from provers.fol.vote import majority, weighted_majority
from workbench.results import ResultLog, percentile

Progress = Callable[[int], None]


# ------------------------------------------------------------------------------ gold FOL


def gold_row(problem: GoldProblem | BadItem, portfolio: Portfolio, timeout: float,
             policy: str = "strict") -> dict[str, Any]:
    """Decide one gold problem; every failure is a row with ``label == "Error"``."""
    if isinstance(problem, BadItem):
        return {"id": problem.id, "gold": None, "label": "Error", "correct": False,
                "reason": "input", "detail": problem.what, "seconds": 0.0}
    row: dict[str, Any] = {"id": problem.id, "gold": problem.label}
    try:
        formulas = []
        for i, text in enumerate([*problem.premises, problem.conclusion]):
            which = "conclusion" if i == len(problem.premises) else f"premise {i + 1}"
            try:
                formulas.append(parse(text, problem.syntax))  # type: ignore[arg-type]
            except FolParseError as exc:
                row["error"] = {"formula": which, **exc.to_json(), "context": exc.context()}
                raise
        if policy == "strict":
            check(formulas)
        else:
            formulas, notes = repair(formulas)
            if notes:
                row["repairs"] = [str(n) for n in notes]
    except FolParseError as exc:
        return {**row, "label": "Error", "correct": False,
                "reason": "limit" if isinstance(exc, FolLimitError) else "parse",
                "detail": f"{row['error']['formula']}: {exc}", "seconds": 0.0}
    except SignatureError as exc:
        return {**row, "label": "Error", "correct": False, "reason": "signature",
                "detail": exc.what, "seconds": 0.0}
    verdict = portfolio.decide(formulas[:-1], formulas[-1], timeout)
    row.update(label=verdict.label.value, correct=verdict.label.value == problem.label,
               seconds=round(verdict.seconds, 4), disagreement=verdict.disagreement,
               backends=verdict.to_json()["backends"])
    errors = [v for v in verdict.verdicts if v.label is Label.ERROR]
    if verdict.label is Label.ERROR and errors:
        row.update(reason=errors[0].reason, detail=errors[0].detail)
    return row


# ------------------------------------------------------------------------ sampled FOL


@dataclass(frozen=True, slots=True)
class _Sample:
    """One completion's outcome as a row records it."""

    label: str
    reason: str | None
    detail: str
    seconds: float
    disagreement: bool = False
    repaired: bool = False
    weight: float = 1.0


def sampled_row(problem: SampledProblem, mode: str, portfolio: Portfolio | None,
                binary: str | None, timeout: float) -> dict[str, Any]:
    """Label each completion (LINC-faithful or robust), then vote (LINC's, or weighted).

    A sample that fails in any way is an Error sample with its reason; the others still vote.
    """
    samples: list[_Sample] = []
    for completion in problem.completions:
        try:
            samples.append(_sample(completion, mode, portfolio, binary, timeout))
        except Exception as exc:  # noqa: BLE001 - one bad sample never sinks the others
            samples.append(_Sample("Error", "internal", f"{type(exc).__name__}: {exc}"[:500], 0.0, weight=0.0))
    labels = [s.label for s in samples]
    details = [s.detail for s in samples]
    seconds = [s.seconds for s in samples]
    vote = (majority(labels) if mode == "linc" else weighted_majority(labels, [s.weight for s in samples])).value
    row: dict[str, Any] = {
        "id": problem.id, "gold": problem.label, "label": vote, "correct": vote == problem.label,
        "samples": labels, "sample_reasons": [s.reason for s in samples], "sample_details": details,
        "sample_seconds": seconds, "seconds": round(sum(seconds), 4),
        "disagreement": sum(s.disagreement for s in samples),
    }
    if mode != "linc":
        row["sample_repaired"] = [s.repaired for s in samples]
        row["sample_weights"] = [s.weight for s in samples]
        row["plain_vote"] = majority(labels).value
    if problem.source_row is not None:
        row["source_row"] = problem.source_row
    if problem.linc_labels is not None:
        row["linc_labels"] = list(problem.linc_labels)
        row["linc_vote"] = majority(problem.linc_labels).value
        row["same_as_linc"] = sum(a == b for a, b in zip(labels, problem.linc_labels, strict=False))
        if mode != "linc":  # which repairs changed which labels
            row["label_changes"] = [
                {"sample": i, "linc": old, "robust": new, "because": details[i]}
                for i, (old, new) in enumerate(zip(problem.linc_labels, labels, strict=False)) if old != new]
    return row


def _sample(completion: str, mode: str, portfolio: Portfolio | None, binary: str | None,
            timeout: float) -> _Sample:
    """One completion: LINC's label, or the robust pipeline's with its vote weight."""
    from provers.fol.linc import linc_label
    from provers.fol.robust import decide_completion, vote_weight

    if mode == "linc":
        assert binary is not None
        v = linc_label(completion, binary, timeout)
        return _Sample(v.label.value, v.reason, v.detail, round(v.seconds, 4))
    assert portfolio is not None
    start = time.perf_counter()
    r = decide_completion(completion, portfolio, timeout, linc_binary=binary)
    return _Sample(r.label.value, r.reason, r.detail or "; ".join(r.changes), round(time.perf_counter() - start, 4),
                   bool(r.portfolio and r.portfolio.disagreement), r.repaired, vote_weight(r))


# ---------------------------------------------------------------------------- running


def run(
    items: Iterable[Any],
    work: Callable[[Any], dict[str, Any]],
    log: ResultLog,
    resume: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """Apply ``work`` to every item whose id is not finished, appending each row as it lands.

    A failure inside ``work`` that escapes it (a bug, not bad input) is recorded as an Error
    row with reason ``internal`` so the batch still goes on.
    """
    if not resume:
        log.reset()
    done = log.done()
    todo = [it for it in items if str(it.id) not in done]

    def safe(item: Any) -> dict[str, Any]:
        try:
            return work(item)
        except Exception as exc:  # noqa: BLE001 - a batch must survive one bad item
            return {"id": item.id, "gold": getattr(item, "label", None), "label": "Error",
                    "correct": False, "reason": "internal",
                    "detail": f"{type(exc).__name__}: {exc}"[:1000], "seconds": 0.0}

    if jobs <= 1:
        for item in todo:
            log.append(safe(item))
            if progress:
                progress(1)
    else:
        with ThreadPoolExecutor(jobs) as pool:
            for row in pool.map(safe, todo):
                log.append(row)
                if progress:
                    progress(1)
    return log.rows()


def gold_items(path: str | Path, syntax: str = "folio", limit: int | None = None) -> list[GoldProblem | BadItem]:
    items = list(load_folio(path, syntax))
    return items[:limit] if limit else items


def sampled_items(prefix: str | Path, limit: int | None = None) -> list[SampledProblem]:
    items = load_linc(prefix)
    return items[:limit] if limit else items


# ---------------------------------------------------------------------------- summary


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy, label counts, Error rate and reasons, prover time p50/p99, disagreements.

    >>> s = summarise([{"id": "a", "gold": "True", "label": "True", "correct": True, "seconds": 0.1},
    ...                {"id": "b", "gold": "False", "label": "Error", "correct": False,
    ...                 "reason": "parse", "seconds": 0.0}])
    >>> s["accuracy"], s["error_rate"], s["error_reasons"]
    (0.5, 0.5, {'parse': 1})
    """
    n = len(rows)
    correct = sum(bool(r.get("correct")) for r in rows)
    times = [t for r in rows for t in (r.get("sample_seconds") or [r.get("seconds", 0.0)])]
    out: dict[str, Any] = {
        "problems": n,
        "correct": correct,
        "accuracy": correct / n if n else 0.0,
        "labels": dict(Counter(r.get("label") for r in rows)),
        "gold_labels": dict(Counter(r.get("gold") for r in rows)),
        "error_rate": sum(r.get("label") == "Error" for r in rows) / n if n else 0.0,
        "error_reasons": dict(Counter(r.get("reason") for r in rows if r.get("label") == "Error")),
        "prover_seconds_p50": round(percentile(times, 50), 4),
        "prover_seconds_p99": round(percentile(times, 99), 4),
        "disagreements": sum(int(r.get("disagreement") or 0) for r in rows),
        "disagreement_ids": [r["id"] for r in rows if r.get("disagreement")],
        "wrong_ids": [r["id"] for r in rows if not r.get("correct") and r.get("label") != "Error"],
        "error_ids": [r["id"] for r in rows if r.get("label") == "Error"],
    }
    samples = [s for r in rows for s in r.get("samples", [])]
    if samples:
        reasons = [x for r in rows for x in r.get("sample_reasons", []) if x]
        out.update(samples=len(samples), sample_labels=dict(Counter(samples)),
                   sample_error_rate=samples.count("Error") / len(samples),
                   sample_error_reasons=dict(Counter(reasons)))
    linc = [r for r in rows if "linc_labels" in r]
    if linc:
        total = sum(len(r["linc_labels"]) for r in linc)
        out.update(same_as_linc=sum(r["same_as_linc"] for r in linc), linc_samples=total,
                   same_as_linc_rate=sum(r["same_as_linc"] for r in linc) / total if total else 0.0,
                   linc_accuracy=sum(r["linc_vote"] == r["gold"] for r in linc) / len(linc))
    return out


def summary_table(summary: dict[str, Any], title: str = "summary") -> Any:
    """A rich table of a `summarise` result."""
    from rich.table import Table

    table = Table(title=title, show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("problems", str(summary["problems"]))
    table.add_row("accuracy", f"{summary['accuracy']:.2%} ({summary['correct']}/{summary['problems']})")
    if "linc_accuracy" in summary:
        table.add_row("LINC's own accuracy (its labels, same vote)", f"{summary['linc_accuracy']:.2%}")
        table.add_row("samples labelled as LINC did",
                      f"{summary['same_as_linc_rate']:.2%} ({summary['same_as_linc']}/{summary['linc_samples']})")
    table.add_row("labels", ", ".join(f"{k} {v}" for k, v in sorted(summary["labels"].items(), key=str)))
    table.add_row("Error rate (problems)", f"{summary['error_rate']:.2%}")
    if summary["error_reasons"]:
        table.add_row("Error reasons (problems)", ", ".join(f"{k} {v}" for k, v in summary["error_reasons"].items()))
    if "samples" in summary:
        table.add_row("samples", str(summary["samples"]))
        table.add_row("Error rate (samples)", f"{summary['sample_error_rate']:.2%}")
        table.add_row("Error reasons (samples)",
                      ", ".join(f"{k} {v}" for k, v in sorted(summary["sample_error_reasons"].items())))
    table.add_row("prover time p50 / p99", f"{summary['prover_seconds_p50']:.3f} s / {summary['prover_seconds_p99']:.3f} s")
    table.add_row("backend disagreements", str(summary["disagreements"]))
    return table
