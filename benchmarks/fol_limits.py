"""Hard limits through the real CLI: deep formulas are one-line errors; a time limit holds.

Anchors (issue 16): ~500 nested NLTK parentheses, ~400 nested negations, 500 quantified
variables and a 3,000-conjunct rule each ended in a ``RecursionError`` traceback (exit 1);
Z3's time limit was applied twice (a 5 s limit took 10.2 s, ``--timeout 1`` 2.2 s).
Targets: exit 2 with one ``error:`` line naming the limit; ``--timeout 1`` on a pigeonhole
problem returns within 1.5 s on each backend (process wall time, Python start included).

    python benchmarks/fol_limits.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

CLI = [sys.executable, "-m", "workbench.app.cli", "logic", "prove"]
PIGEONHOLE = Path(__file__).resolve().parent.parent / "tests/provers/fol/data/pigeonhole10.txt"


def _deep_inputs() -> dict[str, str]:
    """The deep inputs of tests/provers/fol/test_limits.py (one list for the test and this table)."""
    import importlib.util

    path = PIGEONHOLE.parent.parent / "test_limits.py"
    spec = importlib.util.spec_from_file_location("fol_test_limits", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {**module.DEEP, "zero-width space in a name": "Dog(Re\u200bx)"}


def run(args: list[str]) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    return done, time.perf_counter() - start


def main() -> None:
    console = Console(width=200)
    load = os.getloadavg()
    deep = Table(title="deep or invisible input: workbench logic prove -b z3 -- FORMULA")
    for col in ("input", "exit", "stderr lines", "traceback", "wall s", "message"):
        deep.add_column(col)
    for name, formula in _deep_inputs().items():
        done, wall = run([*CLI, "-c", "P(a)", "-b", "z3", "--", formula])
        lines = done.stderr.strip().splitlines()
        deep.add_row(name, str(done.returncode), str(len(lines)), str("Traceback" in done.stderr),
                     f"{wall:.2f}", (lines[0] if lines else "")[:110])
    console.print(deep)
    timing = Table(title=f"pigeonhole 11→10 ({PIGEONHOLE.name}), one backend per run")
    for col in ("backend", "--timeout", "label", "backend s", "process wall s"):
        timing.add_column(col)
    for backend, limit in (("z3", 1), ("prover9", 1), ("eprover", 1), ("z3", 5)):
        done, wall = run([*CLI, "-f", str(PIGEONHOLE), "-b", backend, "--timeout", str(limit)])
        m = re.search(rf"{backend}: (\w+) in ([\d.]+) s", done.stdout)
        timing.add_row(backend, str(limit), m.group(1) if m else "?", m.group(2) if m else "?", f"{wall:.2f}")
    console.print(timing)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "workbench.app.cli", "logic", "--help"], capture_output=True, timeout=60)
    console.print(f"CLI start-up alone (logic --help): {time.perf_counter() - start:.2f} s; load average "
                  f"{load[0]:.2f} before, {os.getloadavg()[0]:.2f} after (2 shared cores)", highlight=False)


if __name__ == "__main__":
    main()
