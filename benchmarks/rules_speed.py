"""Checking every shipped rule on duplex.ifc: cold (empty geometry cache, fresh process) vs warm.

Target (issue 6): cold within 30 s, warm (geometry cached on disk) under 5 s.

    python benchmarks/rules_speed.py [--model PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time

from rich.console import Console
from rich.table import Table

CHILD = """
import sys, time
t0 = time.perf_counter()
from rulecheck.ifc import open_model
from rulecheck.rule import load_rules
from rulecheck.check import check_model
from rulecheck import DEFAULT_RULES
t1 = time.perf_counter()
model = open_model(sys.argv[1], cache_dir=sys.argv[2])
verdicts = check_model(model, load_rules(DEFAULT_RULES))
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {len(verdicts)}")
"""


def run(model: str, cache: str) -> tuple[float, float, float, int]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, model, cache], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    imp, chk, n = out.stdout.split()
    return wall, float(imp), float(chk), int(n)


def main() -> None:
    from workbench.data import shared_path

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=str(shared_path("ifc/duplex.ifc")))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    table = Table(title=f"rules on {args.model.rsplit('/', 1)[-1]} (wall = whole process)")
    for col in ("run", "wall s", "imports s", "open+check s", "verdicts", "target"):
        table.add_column(col)
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as cache:
            cold = run(args.model, cache)
            warm = run(args.model, cache)
        table.add_row(f"cold {i + 1}", f"{cold[0]:.2f}", f"{cold[1]:.2f}", f"{cold[2]:.2f}", str(cold[3]), "< 30 s")
        table.add_row(f"warm {i + 1}", f"{warm[0]:.2f}", f"{warm[1]:.2f}", f"{warm[2]:.2f}", str(warm[3]), "< 5 s")
    Console().print(table)


if __name__ == "__main__":
    main()
