"""Gold FOLIO FOL decided by a backend (Z3 by default): the symbolic half without any LLM.

Anchor (measured facts about FOLIO v0.0 validation, see ../shared/data/README.md): of 204
rows, 5 have malformed gold FOL (rows 2, 87, 108, 109, 110) and 8 have gold FOL that does not
entail the gold label (5, 27, 29, 47, 112, 114, 138, 139), so a correct engine scores exactly
191/204; the whole run should take under 10 s on this machine.

    python benchmarks/fol_gold_folio.py                  # Z3
    python benchmarks/fol_gold_folio.py -b prover9 -b eprover
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from provers.fol import eval as ev
from provers.fol.portfolio import Portfolio
from workbench.data import shared_path
from workbench.results import ResultLog

MALFORMED = [2, 87, 108, 109, 110]
NON_ENTAILING = [5, 27, 29, 47, 112, 114, 138, 139]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-b", "--backend", action="append", help="backend(s); default z3")
    ap.add_argument("--out", help="result rows (JSONL); default a temporary file")
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args()
    console = Console()
    backends = args.backend or ["z3"]
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp()) / "fol_gold_folio.jsonl"
    items = ev.gold_items(shared_path("logic/folio/folio-validation.jsonl"))
    pf = Portfolio(backends)
    start, cpu = time.perf_counter(), time.process_time()
    rows = ev.run(items, lambda p: ev.gold_row(p, pf, args.timeout), ResultLog(out))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    s = ev.summarise(rows)
    idx = lambda ids: [int(i.split("-")[1]) for i in ids]  # noqa: E731
    parse_errors = [r for r in rows if r.get("reason") == "parse"]
    wrong = idx(s["wrong_ids"])

    table = Table(title=f"FOLIO validation, gold FOL, {' + '.join(backends)}")
    for col in ("measure", "here", "anchor", "holds"):
        table.add_column(col)
    table.add_row("correct", f"{s['correct']}/{s['problems']}", "191/204", _ok(s["correct"] == 191 and s["problems"] == 204))
    table.add_row("malformed rows (parse errors)", str(idx(r["id"] for r in parse_errors)), str(MALFORMED),
                  _ok(idx(r["id"] for r in parse_errors) == MALFORMED))
    table.add_row("non-entailing rows (wrong label)", str(wrong), str(NON_ENTAILING), _ok(wrong == NON_ENTAILING))
    table.add_row("wall time", f"{wall:.2f} s", "< 10 s", _ok(wall < 10))
    table.add_row("CPU time of this process (Z3 runs in it)", f"{cpu:.2f} s", "", "")
    table.add_row("prover time p50 / p99", f"{s['prover_seconds_p50']:.3f} / {s['prover_seconds_p99']:.3f} s", "", "")
    table.add_row("labels", str(s["labels"]), "", "")
    table.add_row("backend disagreements", str(s["disagreements"]), "", "")
    console.print(table)
    pos = Table(title="malformed gold FOL: where the parser stops")
    for col in ("row", "formula", "line:col", "error"):
        pos.add_column(col)
    for r in parse_errors:
        e = r["error"]
        pos.add_row(r["id"], e["formula"], f"{e['line']}:{e['column']}", e["what"])
    console.print(pos)
    console.print(f"rows: {out}")


def _ok(flag: bool) -> str:
    return "[green]yes[/]" if flag else "[red]no[/]"


if __name__ == "__main__":
    main()
