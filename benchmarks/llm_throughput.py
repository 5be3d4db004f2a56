"""Raw llama.cpp speed of each installed local GGUF model on this machine (``llama-bench`` style).

For each model: load time; ``pp`` — prompt tokens/s of a fresh ~512-token prompt; ``tg`` —
generated tokens/s of 64 tokens without grammar, in one sequence and in ``--n`` sequences
decoded as one batch (`GGUFGenerator.bench`, llama.cpp's own timings); and ``tg`` of one
sequence under a GBNF grammar. These are the ceilings the FOLIO pipeline's prompt-eval and
generation speeds are compared with (`benchmarks/fol_llm_folio.py` measures them again in its
own run, next to its rows). The machine's load is printed: on a shared machine, compare only
figures taken in one run.

    python benchmarks/llm_throughput.py [--models smollm2-135m,qwen2.5-coder-1.5b] [--threads N] [--n 5]

Rows are appended to ``benchmarks/results/llm_throughput.jsonl`` (ResultLog).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from workbench.llm import SamplingParams
from workbench.llm.gguf import GGUFGenerator, default_threads
from workbench.llm.models import MODELS, installed
from workbench.results import ResultLog

#: A loose TEXT/FOL line grammar (the real FOL grammars belong to the logic part).
GRAMMAR = r'''
root ::= pair+
pair ::= "TEXT:\t" [^\n]+ "\nFOL:\t" [^\n]+ "\n"
'''


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default=",".join(m.name for m in installed() if m.name in MODELS))
    ap.add_argument("--threads", type=int, default=default_threads())
    ap.add_argument("--n", type=int, default=5, help="sequences of the batched tg measurement")
    ap.add_argument("--prompt-tokens", type=int, default=512)
    ap.add_argument("--gen-tokens", type=int, default=64)
    ap.add_argument("--out", default="benchmarks/results/llm_throughput.jsonl")
    args = ap.parse_args()
    log = ResultLog(Path(args.out))
    console = Console()
    table = Table(title=f"GGUF raw speed, {args.threads} thread(s), {os.cpu_count()} cores, "
                  f"load average {os.getloadavg()[0]:.1f} at start")
    for col in ("model", "load s", f"pp{args.prompt_tokens} tok/s", f"tg{args.gen_tokens} n=1",
                f"tg{args.gen_tokens} n={args.n} (total)", "n=1 + grammar", "load avg"):
        table.add_column(col, no_wrap=col == "model")
    for name in [m for m in args.models.split(",") if m]:
        t0 = time.perf_counter()
        gen = GGUFGenerator(name, threads=args.threads, parallel=args.n)
        load_s = time.perf_counter() - t0
        one = gen.bench(args.prompt_tokens, args.gen_tokens, 1)
        many = gen.bench(args.prompt_tokens, args.gen_tokens, args.n)
        before = gen.stats.snapshot()
        gen.generate(["TEXT:\tAll dogs bark.\nFOL:\t"], SamplingParams(max_tokens=args.gen_tokens, grammar=GRAMMAR))
        after = gen.stats.snapshot()
        grammar_tok_s = (after["gen_tokens"] - before["gen_tokens"]) / max(1e-9, after["gen_ms"] - before["gen_ms"]) * 1e3
        row = {"id": f"{name}/t{args.threads}/{time.time():.0f}", "model": name, "threads": args.threads,
               "loadavg": round(os.getloadavg()[0], 1), "load_s": round(load_s, 2),
               "pp_tok_s": round((one["pp_tok_s"] + many["pp_tok_s"]) / 2, 2), "tg1_tok_s": round(one["tg_tok_s"], 2),
               f"tg{args.n}_tok_s": round(many["tg_tok_s"], 2), "tg1_grammar_tok_s": round(grammar_tok_s, 2)}
        log.append(row)
        table.add_row(name, f"{load_s:.1f}", f"{row['pp_tok_s']:.1f}", f"{row['tg1_tok_s']:.1f}",
                      f"{row[f'tg{args.n}_tok_s']:.1f}", f"{grammar_tok_s:.1f}", f"{row['loadavg']}")
    console.print(table)


if __name__ == "__main__":
    main()
