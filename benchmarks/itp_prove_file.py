"""`workbench prove file` on a copy of a standard-library file with 20 proofs replaced by `Admitted.`

The file is a *test* file of the held-out split (`provers.itp.corpus.base.file_split`), so
nothing learned has seen its proofs or states, and not one that CoqHammer's ``Tactics`` loads
(it loads e.g. ``Coq.Relations.Operators_Properties``: the compiled copy of the file's own
lemmas would then be in scope; the script refuses such a file while hammer is on). The first ``--n`` lemmas whose proofs end in
``Qed.`` lose their proofs (``Admitted.`` instead); `provers.itp.fill.fill_file` then searches
each one in its file context and writes the proofs it finds back; the result is compiled by
``coqc`` as a whole.

    python benchmarks/itp_prove_file.py --file Sorting/Permutation.v --n 20 --seconds 60
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from provers.itp.batch import make_generator
from provers.itp.corpus.base import file_split
from provers.itp.corpus.coq import LEMMA_KINDS, coq_theories, logical_name, parse_file, proof_using
from provers.itp.fill import compile_ok, fill_file
from provers.itp.retriever import default_index_path
from provers.itp.search import Budget


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", default="Sorting/Permutation.v", help="a file under the stdlib's theories/")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--generator", default="knn")
    ap.add_argument("--no-hammer", action="store_true")
    args = ap.parse_args()
    console = Console()
    src = coq_theories() / args.file
    logical = logical_name(coq_theories(), src)
    load0 = os.getloadavg()[0]
    console.print(f"{logical}: {file_split(logical)} split; load {load0:.1f}")
    if not args.no_hammer and logical in hammer_libraries():
        raise SystemExit(f"{logical} is loaded by CoqHammer's Tactics: its own lemmas would be in scope (pick another file or --no-hammer)")
    text = src.read_text(encoding="utf-8")
    _, blocks, _ = parse_file(text)
    chosen = [b for b in blocks if b.kind in LEMMA_KINDS and b.ending == "Qed"][: args.n]
    using = dict(proof_using(text, src.name))
    out, pos = [], 0
    for b in chosen:
        out += [text[pos : b.stmt_end], f"\n{using[b.name]}\nAdmitted." if b.name in using else "\nAdmitted."]
        pos = b.end
    holed = "".join(out) + text[pos:]
    tmp = Path(tempfile.mkdtemp(prefix="itp-prove-file-"))
    path = tmp / src.name
    path.write_text(holed, encoding="utf-8")
    ok, msg = compile_ok(holed, src.name)
    console.print(f"{len(chosen)} proofs replaced by Admitted in {path}; the holed copy compiles: {ok} {msg[:200]}")
    gen = make_generator(args.generator, None, str(default_index_path()), hammer=not args.no_hammer, trace_split="train")
    t0 = time.perf_counter()
    report = fill_file(path, gen, Budget(args.seconds, 200), 3.0, hammer=not args.no_hammer,
                       on_result=lambda r: console.print(f"  {r.status:>7} {r.name} {r.seconds:.0f} s" + (f"  {'. '.join(r.proof)}." if r.proved else "")))
    path.write_text(report.text, encoding="utf-8")
    left = sum(1 for r in report.results if r.name not in report.written)
    admitted = report.text.count("Admitted.") - text.count("Admitted.")
    table = Table(title=f"prove file {logical} ({args.generator}, {args.seconds:g} s a lemma; load {load0:.1f} → {os.getloadavg()[0]:.1f})")
    for col in ("proofs replaced", "found by the search", "circular (not written)", "written back", "still Admitted", "coqc compiles", "s"):
        table.add_column(col)
    table.add_row(str(len(chosen)), str(sum(r.proved for r in report.results)), str(len(report.circular)), str(len(report.written)),
                  f"{admitted} (expected {left})", str(report.compiles), f"{time.perf_counter() - t0:.0f}")
    console.print(table)
    console.print(f"written back: {', '.join(report.written)}; → {path} {report.message[:200]}")


def hammer_libraries() -> set[str]:
    """The library files ``From Hammer Require Import Tactics`` loads (``Print Libraries``)."""
    tmp = Path(tempfile.mkdtemp(prefix="itp-libs-"))
    (tmp / "Libs.v").write_text("From Hammer Require Import Tactics.\nPrint Libraries.\n", encoding="utf-8")
    out = subprocess.run(["coqc", "-q", "Libs.v"], cwd=tmp, capture_output=True, text=True, timeout=300)
    return set(out.stdout.split())


if __name__ == "__main__":
    main()
