"""15 self-contained lemmas written for this benchmark (lists, arithmetic, booleans, logic),
proved as a user would submit them (statement + a ``Require`` prelude, no file context).

None of them is in the standard library under its name or form; a few are stdlib lemmas
restated (``rev (l1 ++ l2)``), which retrieval may find through the prelude's ``Require``s.
Side by side, interleaved, same budget, every proof re-checked by ``coqc``; rows in
``benchmarks/records/itp_unseen.jsonl`` (``--resume`` continues).

    python benchmarks/itp_unseen.py --seconds 60
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from rich.console import Console
from rich.table import Table

from provers.itp.retriever import default_index_path
from provers.itp.trace import default_trace_path
from workbench.jobs import run_jobs
from workbench.results import ResultLog

PRELUDE = "Require Import List Arith Bool Lia.\nImport ListNotations."

LEMMAS = {
    # lists
    "u_rev_app": "forall (A : Type) (l1 l2 : list A), rev (l1 ++ l2) = rev l2 ++ rev l1",
    "u_len_map_app": "forall (A B : Type) (f : A -> B) (l1 l2 : list A), length (map f (l1 ++ l2)) = length l1 + length l2",
    "u_in_app_r": "forall (A : Type) (x : A) (l1 l2 : list A), In x l2 -> In x (l1 ++ l2)",
    "u_rev_len": "forall (A : Type) (l : list A), length (rev l) = length l",
    "u_map_comp": "forall (A B C : Type) (f : A -> B) (g : B -> C) (l : list A), map g (map f l) = map (fun x => g (f x)) l",
    # arithmetic
    "u_double": "forall n : nat, n + n = 2 * n",
    "u_le_add": "forall a b c : nat, a <= b -> a + c <= b + c",
    "u_distr3": "forall a b c : nat, a * (b + c + 1) = a * b + a * c + a",
    "u_succ_pred": "forall n : nat, 0 < n -> S (pred n) = n",
    # booleans
    "u_andb_negb": "forall b : bool, andb b (negb b) = false",
    "u_orb_r": "forall a b : bool, b = true -> orb a b = true",
    "u_xorb_self": "forall b : bool, xorb b b = false",
    # logic
    "u_contra": "forall P Q : Prop, (P -> Q) -> ~ Q -> ~ P",
    "u_ex_not_all": "forall (A : Type) (P : A -> Prop), (exists x, ~ P x) -> ~ (forall x, P x)",
    "u_and_or": "forall P Q R : Prop, P /\\ (Q \\/ R) <-> (P /\\ Q) \\/ (P /\\ R)",
}

CONFIGS = {
    "project": {"generator": "knn", "hammer": True, "trace_split": "all", "index": True},
    "hammer": {"generator": "hammer", "hammer": True},
    "fixed": {"generator": "fixed", "hammer": False},
    "oneliner": {"generator": "oneliner", "hammer": False},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--configs", default="project,hammer,fixed,oneliner")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--expansions", type=int, default=200)
    ap.add_argument("--tactic-timeout", type=float, default=3.0)
    ap.add_argument("--out", default="benchmarks/records/itp_unseen.jsonl")
    ap.add_argument("--resume", action="store_true")
    args = ap.parse_args()
    console = Console()
    configs = [c.strip() for c in args.configs.split(",")]
    items = []
    for name, typ in LEMMAS.items():
        for c in configs:
            spec = dict(CONFIGS[c])
            spec["index"] = str(default_index_path()) if spec.get("index") else None
            items.append({"id": f"{c}|{args.seconds:g}s|{name}", "name": name, "statement": f"Lemma {name} : {typ}.",
                          "prelude": PRELUDE, **spec, "trace": str(default_trace_path())})
    log = ResultLog(Path(args.out))
    console.print(f"{len(LEMMAS)} lemmas × {configs}, {args.seconds:g} s each; load {os.getloadavg()[0]:.1f}")
    run_jobs(items, "provers.itp.batch:prove_item", log, workers=1, resume=args.resume,
             options={"seconds": args.seconds, "expansions": args.expansions, "tactic_timeout": args.tactic_timeout}, console=console)
    rows = {r["id"]: r for r in log.rows()}
    table = Table(title=f"15 unseen self-contained lemmas ({args.seconds:g} s each, coqc re-checked)")
    for col in ("configuration", "proved / 15", "mean s", "not proved"):
        table.add_column(col)
    for c in configs:
        rs = [rows.get(f"{c}|{args.seconds:g}s|{n}", {}) for n in LEMMAS]
        missed = [n for n, r in zip(LEMMAS, rs, strict=True) if not r.get("ok")]
        table.add_row(c, str(sum(bool(r.get("ok")) for r in rs)), f"{statistics.mean(float(r.get('seconds', 0)) for r in rs):.1f}",
                      ", ".join(missed))
    console.print(table)
    for n in LEMMAS:
        r = rows.get(f"project|{args.seconds:g}s|{n}", {})
        if r.get("ok"):
            console.print(f"[dim]{n}: {'. '.join(r['proof'])}.[/]")


if __name__ == "__main__":
    main()
