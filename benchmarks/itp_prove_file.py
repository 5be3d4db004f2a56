"""`workbench prove file` on a copy of a standard-library file with 20 proofs replaced by `Admitted.`

The file is a *test* file of the held-out split (`provers.itp.corpus.base.file_split`), so
nothing learned has seen its proofs or states. The first ``--n`` lemmas whose proofs end in
``Qed.`` lose their proofs (``Admitted.`` instead); `provers.itp.fill.fill_file` then searches
each one in its file context and writes the proofs it finds back; the result is compiled by
``coqc`` as a whole.

    python benchmarks/itp_prove_file.py --file Relations/Operators_Properties.v --n 20 --seconds 30
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from rich.console import Console

from provers.itp.batch import make_generator
from provers.itp.corpus.base import file_split
from provers.itp.corpus.coq import LEMMA_KINDS, coq_theories, logical_name, parse_file
from provers.itp.fill import compile_ok, fill_file
from provers.itp.retriever import default_index_path
from provers.itp.search import Budget


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", default="Relations/Operators_Properties.v", help="a file under the stdlib's theories/")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--generator", default="knn")
    args = ap.parse_args()
    console = Console()
    src = coq_theories() / args.file
    logical = logical_name(coq_theories(), src)
    console.print(f"{logical}: {file_split(logical)} split; load {os.getloadavg()[0]:.1f}")
    text = src.read_text(encoding="utf-8")
    _, blocks, _ = parse_file(text)
    chosen = [b for b in blocks if b.kind in LEMMA_KINDS and b.ending == "Qed"][: args.n]
    out, pos = [], 0
    for b in chosen:
        out += [text[pos : b.stmt_end], "\nAdmitted."]
        pos = b.end
    holed = "".join(out) + text[pos:]
    tmp = Path(tempfile.mkdtemp(prefix="itp-prove-file-"))
    path = tmp / src.name
    path.write_text(holed, encoding="utf-8")
    ok, msg = compile_ok(holed, src.name)
    console.print(f"{len(chosen)} proofs replaced by Admitted in {path}; the holed copy compiles: {ok} {msg[:200]}")
    gen = make_generator(args.generator, None, str(default_index_path()), hammer=True, trace_split="train")
    t0 = time.perf_counter()
    report = fill_file(path, gen, Budget(args.seconds, 200), 3.0, hammer=True,
                       on_result=lambda r: console.print(f"  {r.status:>7} {r.name} {r.seconds:.0f} s" + (f"  {'. '.join(r.proof)}." if r.proved else "")))
    path.write_text(report.text, encoding="utf-8")
    console.print(f"{len(report.written)} of {len(report.results)} proofs written back in {time.perf_counter() - t0:.0f} s; "
                  f"the file compiles: {report.compiles} {report.message[:200]}; → {path}")


if __name__ == "__main__":
    main()
