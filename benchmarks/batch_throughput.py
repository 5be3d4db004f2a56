"""Batch throughput: the same job files through ``workbench batch`` on each executor, 1 and 2 workers.

Claims (issues 8 and 19): one runner runs every part's batch work; a second worker raises
throughput; the local process pool (the default) starts in well under a second, where a
private Ray instance (``--address local``) pays Ray's start-up on every run — the 8-query causal
job takes at most 4 s wall on an idle machine with the local executor.

Each run is the command a user types, ``python -m workbench.app.cli batch JOB [--address local]
--workers N``, in a fresh empty folder (so a fresh result log). Columns:

* ``wall s`` — the whole command as a user sees it (interpreter start, imports, executor start,
  items, shutdown);
* ``items s`` — from the first item's start to the last row written (read back from the rows'
  ``at`` and ``seconds``), i.e. without the executor's start-up;
* ``items/s`` — items / ``items s``; ``work s`` — the sum of the items' own times (in the
  function); ``busy`` — ``work s`` / ``items s``, how many items ran at once on average;
* ``load`` — the 1-minute load average before → after (the machine is shared: other work on
  the same cores lowers the numbers).

    python benchmarks/batch_throughput.py                     # causal, proofwriter, rules × local, ray × 1, 2
    python benchmarks/batch_throughput.py --jobs jobs/causal_reference.toml --executors local --workers 2
    python benchmarks/batch_throughput.py --jobs jobs/causal_reference.toml --repeat 5   # median and min of 5

With ``--repeat`` the settings run round robin (so a burst of load on the shared machine hits
them alike) and each row is the run with the median wall time, next to the fastest.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from rich.console import Console
from rich.table import Table

from workbench.jobs import summarize
from workbench.results import ResultLog

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JOBS = ("jobs/causal_reference.toml", "jobs/proofwriter.toml", "jobs/rules_ifc.toml")


def run_once(job: Path, executor: str, workers: int) -> dict:
    """One ``workbench batch`` command in a fresh folder; its wall time and the numbers of its rows."""
    out_rel = tomllib.loads(job.read_text())["job"]["out"]
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as cwd:
        cmd = [sys.executable, "-m", "workbench.app.cli", "batch", str(job), "--workers", str(workers)]
        cmd += ["--address", "local"] if executor == "ray" else []
        load0 = os.getloadavg()[0]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
        log = ResultLog(Path(cwd) / out_rel)
        rows = log.rows()
        summary = summarize(log)
    span = max(r["at"] for r in rows) - min(r["at"] - r["seconds"] for r in rows)
    return {"job": job.stem, "executor": executor, "workers": workers, "items": summary.total, "ok": summary.ok,
            "processes": summary.workers, "wall_s": round(wall, 2), "items_s": round(span, 2),
            "items_per_s": round(summary.total / span, 2), "work_s": round(summary.seconds, 2),
            "load_before": load0, "load_after": os.getloadavg()[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", nargs="+", default=[str(ROOT / j) for j in DEFAULT_JOBS])
    ap.add_argument("--executors", nargs="+", choices=("local", "ray"), default=["local", "ray"])
    ap.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs of each setting, interleaved (round robin); the table shows the median run by wall time")
    ap.add_argument("--out", default="runs/bench/batch", help="folder for results.json")
    args = ap.parse_args()
    console = Console()
    settings = [(Path(path).resolve(), e, w) for path in args.jobs for e in args.executors for w in args.workers]
    runs: dict[tuple[str, str, int], list[dict]] = {}
    for _ in range(args.repeat):
        for job, executor, w in settings:
            res = run_once(job, executor, w)
            runs.setdefault((job.stem, executor, w), []).append(res)
            console.print(res)
    results = []
    for rs in runs.values():
        rs = sorted(rs, key=lambda r: r["wall_s"])
        results.append({**rs[len(rs) // 2], "wall_min_s": rs[0]["wall_s"], "walls": [r["wall_s"] for r in rs]})
    table = Table(title=f"batch throughput ({os.cpu_count()} CPUs, shared)")
    for col in ("job", "executor", "workers", "items", "ok", "wall s", "wall min", "items s", "items/s", "speed-up",
                "work s", "busy", "load 1 min"):
        table.add_column(col, justify="left" if col in ("job", "executor") else "right")
    base: dict[tuple[str, str], float] = {}
    for r in results:
        key = (r["job"], r["executor"])
        base.setdefault(key, r["items_per_s"])
        table.add_row(r["job"], r["executor"], str(r["workers"]), str(r["items"]), str(r["ok"]), f"{r['wall_s']:.1f}",
                      f"{r['wall_min_s']:.1f}", f"{r['items_s']:.1f}", f"{r['items_per_s']:.1f}", f"{r['items_per_s'] / base[key]:.2f}×",
                      f"{r['work_s']:.1f}", f"{r['work_s'] / r['items_s']:.2f}",
                      f"{r['load_before']:.1f} → {r['load_after']:.1f}")
    console.print(table)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
