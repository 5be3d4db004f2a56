"""Coq pass@1 on held-out standard-library theorems, side by side: this project vs CoqHammer alone
vs a one-line ``solve [...]``.

Split (written before measuring, `provers.itp.corpus.base.file_split`): the core library
(`CORE_DIRS` without ``Init``) split *by file* — a file is test when ``sha1(file) % 100 < 25``
(352 theorems in 31 files), dev when ``< 35``, train otherwise. Nothing learned sees a test file:
the k-NN generator uses the traced states of train files only (``trace_split="train"``), the
premise ranker was trained on train-file theorems, tuning looked at dev files only. Test
theorems are taken in the order of ``sha1("file.name")`` (a fixed random order), so ``--n N`` is
a fixed random sample and a later run with a larger ``--n`` extends it.

Each theorem is proved in its file's context (the file up to it, earlier proofs admitted), one
search per theorem and configuration (pass@1), with the same per-theorem budget; every proof
is re-checked by ``coqc`` (constant, type, assumptions). A proof that names the theorem itself or
a declaration after it in its file is not counted (``circular``): CoqHammer's ``Tactics`` loads some
compiled stdlib files (``Coq.Relations.Operators_Properties``), so ``Operators_Properties.X`` can
prove ``X`` from itself; coqc accepts that, the benchmark does not. Configurations run *interleaved*
(theorem by theorem), so all see the same load. Rows go to a JSONL record; ``--resume``
continues an interrupted run.

Configurations:

* ``project``: k-NN tactics (train-file traces) + retrieved premises (``apply``/``rewrite``/
  ``eauto using``/``sauto use:``) + fixed tactics + CoqHammer's ``qauto``/``sauto``/``hauto``,
  and ``hammer`` last at the root, in one best-first queue;
* ``hammer``: CoqHammer alone (``sauto``, then ``hammer`` with E as the ATP; the whole budget);
* ``oneliner``: ``solve [ reflexivity | ... | intros; firstorder ]`` once;
* ``fixed``: the fixed tactics with induction/destruct candidates (no learning, no hammer);
* ``no-learning``: ``project`` with its learned parts off (no k-NN tactics, no retrieved premises):
  the fixed tactics, the file's hint databases and tactics, CoqHammer's tactics; the ablation;
* ``llm``: ReProver's generator through `workbench.llm` (``--llm`` model) with retrieved premises.

    python benchmarks/itp_coq.py --n 60 --seconds 30 --resume
    python benchmarks/itp_coq.py --n 352 --seconds 60 --resume     # the full run (hours)
    python benchmarks/itp_coq.py --split dev --n 100 --seconds 60 --configs project --out /tmp/dev.jsonl  # misses to read
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
from pathlib import Path

from rich.console import Console
from rich.table import Table

from provers.itp.corpus.base import file_split
from provers.itp.corpus.coq import CORE_DIRS, extract_stdlib, parse_file
from provers.itp.fill import cites_later
from provers.itp.retriever import default_index_path
from provers.itp.trace import default_trace_path
from workbench.jobs import run_jobs
from workbench.results import ResultLog

CONFIGS = {
    "project": {"generator": "knn", "hammer": True, "trace_split": "train", "index": True},
    "hammer": {"generator": "hammer", "hammer": True},
    "oneliner": {"generator": "oneliner", "hammer": False},
    "fixed": {"generator": "fixed", "hammer": False},
    "no-learning": {"generator": "fixed", "hammer": True},
    "llm": {"generator": "llm:gguf:qwen2.5-coder-0.5b", "hammer": False, "index": True},
}


def held_out(split: str = "test") -> list[dict[str, str]]:
    """Every theorem of the core library's ``split`` files (test: the held-out set; dev: where
    misses may be read), in the fixed random order."""
    corpus = extract_stdlib().restrict(CORE_DIRS)
    test = [t for t in corpus.theorems if not t.file.startswith("Coq.Init.") and file_split(t.file) == split]
    test.sort(key=lambda t: hashlib.sha1(f"{t.file}.{t.name}".encode()).hexdigest())
    return [{"id": f"{t.file}.{t.name}", "file": corpus.files[t.file].path, "name": t.name} for t in test]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=60, help="the first N test theorems (of 352)")
    ap.add_argument("--split", default="test", choices=("test", "dev"), help="dev: the 163 dev-file theorems, for studying misses")
    ap.add_argument("--configs", default="project,hammer,oneliner", help=f"comma list of {', '.join(CONFIGS)}")
    ap.add_argument("--seconds", type=float, default=30.0, help="per-theorem search budget")
    ap.add_argument("--expansions", type=int, default=200)
    ap.add_argument("--tactic-timeout", type=float, default=3.0)
    ap.add_argument("--index", default=str(default_index_path()))
    ap.add_argument("--trace", default=str(default_trace_path()))
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--out", default="benchmarks/records/itp_coq_heldout.jsonl")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--report", action="store_true", help="only print the table from the record")
    ap.add_argument("--llm", default="gguf:qwen2.5-coder-0.5b", help="model spec of the llm configuration")
    args = ap.parse_args()
    console = Console()
    theorems = held_out(args.split)[: args.n]
    configs = [c.strip() for c in args.configs.split(",")]
    items = []
    for t in theorems:
        for c in configs:
            spec = dict(CONFIGS[c], **({"generator": f"llm:{args.llm}"} if c == "llm" else {}))
            spec["index"] = args.index if spec.get("index") else None
            items.append({**t, "id": f"{c}|{args.seconds:g}s|{t['id']}", "config": c, **spec, "trace": args.trace})
    log = ResultLog(Path(args.out))
    console.print(f"{len(theorems)} {args.split} theorems × {configs}; budget {args.seconds:g} s / {args.expansions} expansions / "
                  f"{args.tactic_timeout:g} s per tactic; load {os.getloadavg()[0]:.1f}")
    if not args.report:
        opts = {"seconds": args.seconds, "expansions": args.expansions, "tactic_timeout": args.tactic_timeout}
        run_jobs(items, "provers.itp.batch:prove_item", log, workers=args.workers, resume=True if args.resume else False,
                 options=opts, console=console)
    rows = {r["id"]: r for r in log.rows()}
    report(console, theorems, configs, rows, args.seconds)


def later_names(theorem: dict[str, str]) -> set[str]:
    """Short names of the theorem and of every declaration after it in its file.

    A proof naming one of these can only reach a compiled copy of the same file that something
    loaded (CoqHammer's ``Tactics`` loads e.g. ``Coq.Relations.Operators_Properties``): coqc
    accepts it, but it proves the theorem from itself, so the benchmark does not count it.
    """
    _, blocks, _ = parse_file(Path(theorem["file"]).read_text(encoding="utf-8"))
    short = theorem["name"].rsplit(".", 1)[-1]
    ends = [b.end for b in blocks if b.name == theorem["name"] or b.name.rsplit(".", 1)[-1] == short]
    if not ends:
        return {short}
    return {b.name.rsplit(".", 1)[-1] for b in blocks if b.end >= ends[0]}


def report(console: Console, theorems: list[dict[str, str]], configs: list[str], rows: dict, seconds: float) -> None:  # type: ignore[type-arg]
    """pass@1 per configuration over the theorems every configuration finished; circular proofs not counted."""
    done = [t for t in theorems if all(f"{c}|{seconds:g}s|{t['id']}" in rows for c in configs)]
    loads = [r["load"] for r in rows.values() if "load" in r]
    table = Table(title=f"Coq stdlib held-out pass@1 ({len(done)} test-file theorems, {seconds:g} s each, coqc re-checked)")
    for col in ("configuration", "proved", "pass@1 %", "re-checked", "only this one", "circular (not counted)", "mean s"):
        table.add_column(col)
    later = {t["id"]: later_names(t) for t in done}
    circular = {c: {t["id"] for t in done if rows[f"{c}|{seconds:g}s|{t['id']}"].get("ok")
                    and cites_later(tuple(rows[f"{c}|{seconds:g}s|{t['id']}"].get("proof") or ()), later[t["id"]])}
                for c in configs}
    proved = {c: {t["id"] for t in done if rows[f"{c}|{seconds:g}s|{t['id']}"].get("ok")} - circular[c] for c in configs}
    for c in configs:
        others = set().union(*(proved[o] for o in configs if o != c)) if len(configs) > 1 else set()
        rs = [rows[f"{c}|{seconds:g}s|{t['id']}"] for t in done]
        table.add_row(c, str(len(proved[c])), f"{100 * len(proved[c]) / max(1, len(done)):.1f}",
                      f"{sum(bool(r.get('rechecked')) for r in rs if r.get('ok'))}/{len(proved[c]) + len(circular[c])}",
                      str(len(proved[c] - others)), str(len(circular[c])),
                      f"{statistics.mean(float(r.get('seconds', 0)) for r in rs):.1f}" if rs else "-")
    console.print(table)
    for c in configs:
        for tid in sorted(circular[c]):
            console.print(f"circular, not counted: {c}: {tid}  {' '.join(rows[f'{c}|{seconds:g}s|{tid}']['proof'])[:100]}")
    if loads:
        console.print(f"load average over the rows: {min(loads):.1f}–{max(loads):.1f}")


if __name__ == "__main__":
    main()
