"""LINC's own generations replayed: LINC-compatible labels, and a robust mode that repairs.

Anchors (LINC, Olausson et al. 2023, published outputs in ../shared/data/logic/linc_outputs):
GPT-3.5 on FOLIO (182 problems × 10 samples) 62.64 % majority-vote accuracy; GPT-4 on
ProofWriter (360 × 5) 98.33 %. Acceptance: per-sample labels equal to LINC's ``*_prc.json``
on ≥ 99 % of samples and the vote accuracy equal to LINC's exactly; robust mode (lenient
parsing + signature repair + Prover9/Z3/E portfolio) reported next to it.

    python benchmarks/fol_linc_replay.py                    # both modes, both models
    python benchmarks/fol_linc_replay.py --modes linc       # only the LINC-compatible replay
    python benchmarks/fol_linc_replay.py --resume           # continue an interrupted run

Rows are kept in runs/fol/ (one JSONL row per problem), so ``--resume`` skips finished ones.

Splits (frozen 2026-12-03 14:35 UTC, before any robust-mode miss was looked at): the problems
of each generations file are numbered 0, 1, 2, ... in file order (LINC's order). Problem ``i``
is **test** when ``i % 3 == 0`` and **dev** otherwise (GPT-3.5 FOLIO: 61 test, 121 dev).
Robust-mode rules may be tuned on dev misses only; test is reported, never used to choose.
The GPT-4 ProofWriter generations are a second check that nothing is tuned on (all test).
There is no train split: LINC's prompts hold 8 FOLIO-train exemplars, nothing is fitted.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from provers.fol import eval as ev
from provers.fol.backends.prover9 import find_prover9
from provers.fol.portfolio import Portfolio
from workbench.data import shared_path
from workbench.results import ResultLog


def split_of(index: int) -> str:
    """The frozen split of problem ``index`` (see the module docstring)."""
    return "test" if index % 3 == 0 else "dev"


def _split(row: dict) -> str:
    return split_of(int(str(row["id"]).lstrip("p")))


def _acc(rows: list[dict], split: str, key: str) -> str:
    chosen = [r for r in rows if split == "all" or _split(r) == split]
    right = sum(r.get(key) == r["gold"] for r in chosen)
    return f"{right / len(chosen):.2%} ({right}/{len(chosen)})" if chosen else "-"


def _cause(because: str, linc: str) -> str:
    """The kind of change behind one sample's new label."""
    kinds = [k for k in ("predicate", "constant", "arity") if f"{k} " in because]
    if "renamed" in because:
        kinds.append("renamed apart")
    if linc == "Error":
        kinds.append("LINC Error decided")
    return "+".join(kinds) or "other"


def _changes(rows: list[dict]) -> tuple[str, str]:
    """Sample label changes by cause, and vote changes by cause with their effect."""
    from collections import Counter

    samples = Counter(f"{_cause(c['because'], c['linc'])}: {c['linc']}→{c['robust']}"
                      for r in rows for c in r.get("label_changes", []))
    votes: Counter[str] = Counter()
    for r in rows:
        if r["label"] == r["linc_vote"]:
            continue
        cause = "weights" if r["plain_vote"] == r["linc_vote"] else "sample labels"
        effect = "right" if r["label"] == r["gold"] else ("wrong" if r["linc_vote"] == r["gold"] else "still wrong")
        votes[f"{cause} → {effect}"] += 1
    return (", ".join(f"{k} {v}" for k, v in samples.most_common()) or "none",
            ", ".join(f"{k} {v}" for k, v in sorted(votes.items())) or "none")


RUNS = {
    "GPT-3.5 FOLIO": "gpt-3.5-turbo-16k-0613_folio-neurosymbolic-8shot",
    "GPT-4 ProofWriter": "gpt-4-0613_proofwriter-neurosymbolic-8shot",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--modes", default="linc,robust", help="comma-separated: linc, robust")
    ap.add_argument("--runs", default=",".join(RUNS), help="comma-separated: " + ", ".join(RUNS))
    ap.add_argument("-b", "--backend", action="append", help="robust-mode backends (default prover9, z3, eprover)")
    ap.add_argument("--out", default="runs/fol", help="folder for result rows")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args()
    console = Console(width=200)
    binary = find_prover9()
    pf = Portfolio(args.backend or ["prover9", "z3", "eprover"])
    table = Table(title="LINC generations replayed (majority vote over K samples)")
    splits = Table(title="accuracy by frozen split (problem i: test when i % 3 == 0, else dev)")
    for col in ("generations", "mode", "dev", "test", "all", "LINC's labels: dev / test / all"):
        splits.add_column(col)
    changes = Table(title="robust mode: what changed which labels (vs LINC's recorded labels and vote)")
    for col in ("generations", "split", "sample label changes by cause", "vote changes: cause → right / wrong"):
        changes.add_column(col)
    for col in ("generations", "mode", "problems", "samples = LINC", "accuracy", "LINC's accuracy",
                "vote = LINC's", "sample Errors", "Error reasons", "p50 / p99 s", "disagreements", "wall"):
        table.add_column(col)
    for title in args.runs.split(","):
        prefix = RUNS[title.strip()]
        data = shared_path(f"logic/linc_outputs/{prefix}_generations_raw.json")
        reported = json.loads(shared_path(f"logic/linc_outputs/{prefix}_results.json").read_text())
        anchor = next(v for k, v in reported.items() if k != "config")["accuracy (pass@1 majority)"]
        items = ev.sampled_items(data, limit=args.limit)
        for mode in args.modes.split(","):
            log = ResultLog(Path(args.out) / f"{prefix}_{mode}.jsonl")
            if mode == "linc":
                work = lambda p: ev.sampled_row(p, "linc", None, binary, args.timeout)  # noqa: E731
            else:
                work = lambda p: ev.sampled_row(p, "robust", pf, binary, args.timeout)  # noqa: E731
            start = time.perf_counter()
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task(f"{title} / {mode}", total=len(items))
                rows = ev.run(items, work, log, resume=args.resume, jobs=args.jobs,
                              progress=lambda k, t=task: bar.advance(t, k))
            wall = time.perf_counter() - start
            s = ev.summarise(rows)
            same_vote = sum(r["label"] == r["linc_vote"] for r in rows)
            reasons = ", ".join(f"{k} {v}" for k, v in sorted(s["sample_error_reasons"].items()))
            table.add_row(
                title, mode, str(s["problems"]),
                f"{s['same_as_linc_rate']:.2%} ({s['same_as_linc']}/{s['linc_samples']})",
                f"{s['accuracy']:.2%}", f"{anchor:.2%}" if args.limit is None else f"{s['linc_accuracy']:.2%}*",
                f"{same_vote}/{len(rows)}", f"{s['sample_error_rate']:.1%}", reasons,
                f"{s['prover_seconds_p50']:.3f} / {s['prover_seconds_p99']:.2f}", str(s["disagreements"]),
                f"{wall:.0f} s",
            )
            splits.add_row(title, mode, *(_acc(rows, sp, "label") for sp in ("dev", "test", "all")),
                           " / ".join(_acc(rows, sp, "linc_vote") for sp in ("dev", "test", "all")))
            if mode != "linc":
                for sp in ("dev", "test"):
                    changes.add_row(title, sp, *_changes([r for r in rows if _split(r) == sp]))
    console.print(table)
    console.print(splits)
    console.print(changes)
    if args.limit is not None:
        console.print("* with --limit: LINC's labels voted over the same subset")


if __name__ == "__main__":
    main()
