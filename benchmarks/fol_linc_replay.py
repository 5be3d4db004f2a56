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
    console.print(table)
    if args.limit is not None:
        console.print("* with --limit: LINC's labels voted over the same subset")


if __name__ == "__main__":
    main()
