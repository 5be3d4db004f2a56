"""LINC on FOLIO validation with a local GGUF model, with and without the FOL grammar.

For the first N validation problems (default 30), K samples each (default 5), the two
conditions are run problem by problem (grammar, then no grammar), so an interrupted run still
compares the same problems. Rows go to
``benchmarks/records/folio_llm_<model>_k<K>_<shots>shot_{grammar,nogrammar}.jsonl``
(`workbench.results.ResultLog`, one row per problem with its K completions), which is kept in
git: the run takes hours on a CPU, so the measured rows are the record the table is printed
from, and a rerun on any machine resumes where it stopped (``--fresh`` starts over, ``--out``
writes elsewhere).

The table reports accuracy (the vote of `provers.fol.vote.fallback_majority`: samples whose
signature had to be repaired count only when no clean sample has a label), the plain
majority's accuracy, the sample Error rate by reason, tokens/s and seconds per problem, and a
line per paired problem, next to LINC's published FOLIO accuracy (StarCoder+ 56.0 %,
GPT-3.5 62.6 %, 8-shot, K = 10).

    python benchmarks/fol_llm_folio.py                          # qwen2.5-coder-1.5b, 30 × K=5
    python benchmarks/fol_llm_folio.py --model gguf:qwen2.5-coder-0.5b --n 10 --shots 4
    python benchmarks/fol_llm_folio.py --report                 # table from the rows on disk
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

LINC = {"StarCoder+ (LINC, 8-shot, K=10)": 0.560, "GPT-3.5 (LINC, 8-shot, K=10)": 0.626}


RECORDS = Path(__file__).parent / "records"


def log_path(model: str, k: int, shots: int, grammar: bool, out: Path = RECORDS) -> Path:
    name = model.replace(":", "-").replace("/", "_")
    return out / f"folio_llm_{name}_k{k}_{shots}shot_{'grammar' if grammar else 'nogrammar'}.jsonl"


def row_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    samples = [s for r in rows for s in r.get("samples", [])]
    reasons = Counter(x for r in rows for x in r.get("sample_reasons", []) if x)
    gen = sum(r.get("gen_seconds", 0.0) for r in rows)
    return {
        "problems": len(rows),
        "accuracy": sum(bool(r.get("correct")) for r in rows) / len(rows) if rows else 0.0,
        "plain_accuracy": sum(r.get("plain_vote") == r.get("gold") for r in rows) / len(rows) if rows else 0.0,
        "sample_error_rate": samples.count("Error") / len(samples) if samples else 0.0,
        "reasons": dict(reasons),
        "tokens_per_s": sum(r.get("tokens", 0) for r in rows) / gen if gen else 0.0,
        "seconds_per_problem": sum(r.get("seconds", 0.0) for r in rows) / len(rows) if rows else 0.0,
    }


def report(console: Console, model: str, k: int, shots: int, out: Path = RECORDS) -> None:
    from workbench.results import ResultLog

    table = Table(title=f"FOLIO validation, {model}, K={k}, {shots}-shot (rows on disk)")
    for col in ("condition", "problems", "accuracy", "plain majority", "sample Error rate", "Error reasons (samples)",
                "tokens/s", "s/problem"):
        table.add_column(col)
    logs = {g: ResultLog(log_path(model, k, shots, g, out)).rows() for g in (True, False)}
    both = set.intersection(*(set(r["id"] for r in rows) for rows in logs.values())) if all(logs.values()) else set()
    for grammar, rows in logs.items():
        for scope, chosen in (("all", rows), ("paired", [r for r in rows if r["id"] in both])):
            if not chosen or (scope == "paired" and len(chosen) == len(rows)):
                continue
            s = row_summary(chosen)
            table.add_row(f"{'grammar' if grammar else 'no grammar'} ({scope})", str(s["problems"]),
                          f"{s['accuracy']:.1%}", f"{s['plain_accuracy']:.1%}", f"{s['sample_error_rate']:.1%}",
                          ", ".join(f"{a} {b}" for a, b in sorted(s["reasons"].items())) or "-",
                          f"{s['tokens_per_s']:.1f}", f"{s['seconds_per_problem']:.0f}")
    for name, acc in LINC.items():
        table.add_row(name, "182", f"{acc:.1%}", "", "", "", "", "")
    console.print(table)
    if both:
        console.print(problem_table(logs, both))


def problem_table(logs: dict[bool, list[dict[str, Any]]], ids: set[str]) -> Table:
    """One line per paired problem: gold, each condition's vote and its samples."""
    by_id = {g: {r["id"]: r for r in rows} for g, rows in logs.items()}
    table = Table(title="paired problems: votes (samples T/F/U/E)")
    for col in ("problem", "gold", "grammar", "no grammar"):
        table.add_column(col)
    short = {"True": "T", "False": "F", "Uncertain": "U", "Error": "E"}
    order = [r["id"] for r in logs[True] if r["id"] in ids]
    for pid in order:
        cells = []
        for g in (True, False):
            r = by_id[g][pid]
            mark = "[green]✓[/]" if r.get("correct") else "[red]✗[/]"
            cells.append(f"{mark} {r['label']} ({''.join(short.get(x, '?') for x in r.get('samples', []))})")
        table.add_row(pid, by_id[True][pid]["gold"], *cells)
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="gguf:qwen2.5-coder-1.5b")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("-k", type=int, default=5)
    ap.add_argument("--shots", type=int, default=8)
    ap.add_argument("--max-tokens", type=int, default=512)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--parallel", type=int, default=None,
                    help="llama.cpp slots (default K: all samples of a problem decode as one batch)")
    ap.add_argument("--conditions", default="grammar,nogrammar")
    ap.add_argument("--out", type=Path, default=RECORDS, help="Folder of the row files (default: benchmarks/records).")
    ap.add_argument("--fresh", action="store_true", help="Discard rows on disk first.")
    ap.add_argument("--report", action="store_true", help="Only print the table from the rows on disk.")
    args = ap.parse_args()
    console = Console()
    if args.report:
        report(console, args.model, args.k, args.shots, args.out)
        return

    from provers.fol.datasets import load_folio_nl
    from provers.fol.pipeline import LLMParser, llm_row
    from provers.fol.portfolio import Portfolio
    from workbench.data import shared_path
    from workbench.llm import load_generator
    from workbench.results import ResultLog

    problems = load_folio_nl(shared_path("logic/folio/folio-validation.jsonl"))[: args.n]
    options: dict[str, Any] = {"threads": args.threads} if args.threads else {}
    if args.model.startswith("gguf:"):
        options["parallel"] = args.parallel or args.k
    gen = load_generator(args.model, cache=True, **options)
    pf = Portfolio(["z3"])
    conditions = [c == "grammar" for c in args.conditions.split(",")]
    logs = {g: ResultLog(log_path(args.model, args.k, args.shots, g, args.out)) for g in conditions}
    if args.fresh:
        for log in logs.values():
            log.reset()
    for i, problem in enumerate(problems):
        for grammar, log in logs.items():
            if problem.id in log.done():
                continue
            parser = LLMParser(gen, k=args.k, shots=args.shots, grammar=grammar, max_tokens=args.max_tokens)
            row = llm_row(problem, parser, pf)
            log.append(row)
            console.print(f"{i + 1}/{len(problems)} {problem.id} {'grammar' if grammar else 'no grammar'}: "
                          f"{row['label']} (gold {row['gold']}) samples {row.get('samples')} "
                          f"reasons {row.get('sample_reasons')} {row.get('seconds', 0):.0f} s", highlight=False)
    report(console, args.model, args.k, args.shots, args.out)


if __name__ == "__main__":
    main()
