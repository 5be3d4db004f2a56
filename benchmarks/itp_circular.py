"""Circular proofs in a held-out record: a proof that names its own theorem, or a lemma its file
declares later, can only have used a compiled copy of the same stdlib file.

``From Hammer Require Import Tactics`` loads about 200 stdlib files (``Lia``, ``Setoid``,
``ssreflect``, ``Program.Equality`` ...), among them held-out test files such as
``Coq.Relations.Operators_Properties`` and ``Coq.Program.Equality``: while one of their
theorems is proved in its file's context, the library's own copy of it (and of every later
lemma) is in scope, and ``hammer`` finds it (``strivial use: Operators_Properties.clos_rst1n_rst``).
coqc accepts such a proof; it is not one. This script lists them, and the test files that
CoqHammer's imports load, so that the side-by-side table can count them as failures.

    python benchmarks/itp_circular.py benchmarks/records/itp_coq_heldout.jsonl
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from itp_prove_file import hammer_libraries  # benchmarks/ is on sys.path when run as a script
from rich.console import Console

from provers.itp.corpus.base import file_split
from provers.itp.corpus.coq import extract_stdlib
from provers.itp.fill import cites_later


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("record", help="a JSONL record of benchmarks/itp_coq.py (id = config|budget|file.theorem)")
    args = ap.parse_args()
    console = Console()
    corpus = extract_stdlib()
    lines: dict[str, dict[str, int]] = collections.defaultdict(dict)
    for p in corpus.premises:
        lines[p.file][p.name.rsplit(".", 1)[-1]] = p.line
    at = {f"{t.file}.{t.name}": t.line for t in corpus.theorems}
    loaded = hammer_libraries()
    console.print(f"test files that CoqHammer's Tactics loads: {', '.join(sorted(f for f in loaded if file_split(f) == 'test'))}")
    circular = collections.Counter()
    for line in Path(args.record).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        config, _, full = row["id"].split("|")
        if row.get("status") != "proved" or full not in at:
            continue
        file = full.rsplit(".", 1)[0]
        later = {n for n, ln in lines[file].items() if ln >= at[full]}
        if cites_later(tuple(row.get("proof", ())), later):
            circular[config] += 1
            console.print(f"{config}: {full}  {row['proof'][-1][:100]}")
    console.print(f"circular proofs by configuration: {dict(circular) or 'none'}")


if __name__ == "__main__":
    main()
