"""Batch throughput: the same job files through `workbench.app.batch` with 1 and with 2 Ray workers.

Claim (issue 8): ProofWriter dev logic evaluation and the rule checks over the three shared IFC
models run through one runner; a second worker raises throughput. Each run starts a fresh
local Ray instance and a fresh result log. Columns:

* ``wall s`` — the whole run as a user sees it (Ray start, items, shutdown);
* ``items s`` — from the first item's start to the last row written (read back from the rows'
  ``at`` and ``seconds``), i.e. without Ray's start-up;
* ``items/s`` — items / ``items s``; ``work s`` — the sum of the items' own times (in the
  function); ``busy`` — ``work s`` / ``items s``, how many items ran at once on average (near
  the worker count when the runner keeps its workers fed; ``work s`` growing with the workers
  means the items are competing for the same cores);
* ``load`` — the 1-minute load average before → after (the machine is shared: other work on
  the same cores lowers the numbers).

    python benchmarks/batch_throughput.py                                  # proofwriter + rules, 1 and 2 workers
    python benchmarks/batch_throughput.py --jobs jobs/rules_ifc.toml --workers 1 2 4
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from workbench.app.batch import load_job, run_job
from workbench.results import ResultLog

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", nargs="+", default=[str(ROOT / "jobs/proofwriter.toml"), str(ROOT / "jobs/rules_ifc.toml")])
    ap.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--out", default="runs/bench/batch", help="folder for the result logs and results.json")
    args = ap.parse_args()
    console = Console()
    quiet = Console(quiet=True)
    out = Path(args.out)
    results = []
    for path in args.jobs:
        job = load_job(path)
        for w in args.workers:
            log_path = out / f"{Path(path).stem}_w{w}.jsonl"
            run = dataclasses.replace(job, out=log_path)
            load0 = os.getloadavg()[0]
            t0 = time.perf_counter()
            summary = run_job(run, workers=w, progress=False, console=quiet)
            wall = time.perf_counter() - t0
            rows = ResultLog(log_path).rows()
            span = max(r["at"] for r in rows) - min(r["at"] - r["seconds"] for r in rows)
            res = {"job": Path(path).stem, "workers": w, "items": summary.total, "ok": summary.ok,
                   "processes": summary.workers, "wall_s": round(wall, 2), "items_s": round(span, 2),
                   "items_per_s": round(summary.total / span, 2), "work_s": round(summary.seconds, 2),
                   "load_before": load0,
                   "load_after": os.getloadavg()[0]}
            results.append(res)
            console.print(res)
    table = Table(title=f"batch throughput ({os.cpu_count()} CPUs, shared)")
    for col in ("job", "workers", "items", "ok", "wall s", "items s", "items/s", "speed-up", "work s", "busy",
                "load 1 min"):
        table.add_column(col, justify="left" if col == "job" else "right")
    base: dict[str, float] = {}
    for r in results:
        base.setdefault(r["job"], r["items_per_s"])
        table.add_row(r["job"], str(r["workers"]), str(r["items"]), str(r["ok"]), f"{r['wall_s']:.1f}",
                      f"{r['items_s']:.1f}", f"{r['items_per_s']:.1f}", f"{r['items_per_s'] / base[r['job']]:.2f}×",
                      f"{r['work_s']:.1f}", f"{r['work_s'] / r['items_s']:.2f}", f"{r['load_before']:.1f} → {r['load_after']:.1f}")
    console.print(table)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
