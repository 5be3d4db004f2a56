"""Tokens/s of each installed local GGUF model on this machine (llama.cpp through xllamacpp).

For each model: load time, then generation throughput for a LINC-shaped prompt, with and
without a GBNF grammar, at n = 1 (one slot) and n = 4 (four slots decoded together).
Prompt-processing speed is reported separately because few-shot prompts are long.

    python benchmarks/llm_throughput.py [--models smollm2-135m,qwen2.5-coder-1.5b] [--threads N]

Rows are appended to ``benchmarks/results/llm_throughput.jsonl`` (ResultLog) and printed as
a table.
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

SHOT = (
    "<PREMISES>\nAll students are humans.\nIf someone studies, then they are a student.\n"
    "</PREMISES>\n<CONCLUSION>\nRose is a human.\n</CONCLUSION>\n<EVALUATE>\n"
    "TEXT:\tAll students are humans.\nFOL:\tall x. (Student(x) -> Human(x))\n"
    "TEXT:\tIf someone studies, then they are a student.\nFOL:\tall x. (Study(x) -> Student(x))\n"
    "TEXT:\tRose is a human.\nFOL:\tHuman(Rose)\n</EVALUATE>\n\n"
)
PROMPT = SHOT + (
    "<PREMISES>\nAll dogs are animals.\nAll animals breathe.\nRex is a dog.\n</PREMISES>\n"
    "<CONCLUSION>\nRex breathes.\n</CONCLUSION>\n<EVALUATE>\n"
)
#: A loose TEXT/FOL line grammar (the real FOL grammar belongs to the logic part).
GRAMMAR = r'''
root ::= pair+
pair ::= "TEXT:\t" [^\n]+ "\nFOL:\t" [^\n]+ "\n"
'''


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default=",".join(m.name for m in installed() if m.name in MODELS))
    ap.add_argument("--threads", type=int, default=default_threads())
    ap.add_argument("--max-tokens", type=int, default=96)
    ap.add_argument("--out", default="benchmarks/results/llm_throughput.jsonl")
    args = ap.parse_args()
    log = ResultLog(Path(args.out))
    console = Console()
    load = os.getloadavg()[0]
    table = Table(title=f"GGUF throughput, {args.threads} thread(s), {args.max_tokens} new tokens, "
                  f"{os.cpu_count()} cores, load average {load:.1f} at start")
    for col in ("model", "load s", "prompt tok/s", "n=1 tok/s", "n=1 +grammar tok/s", "n=4 tok/s (total)"):
        table.add_column(col, no_wrap=col == "model")
    for name in [m for m in args.models.split(",") if m]:
        t0 = time.perf_counter()
        gen = GGUFGenerator(name, threads=args.threads)
        load_s = time.perf_counter() - t0
        gen.generate(["warm up"], SamplingParams(max_tokens=2))
        prompt_tps = _prompt_speed(gen)
        row = {"id": f"{name}/t{args.threads}/m{args.max_tokens}/{time.time():.0f}", "model": name,
               "threads": args.threads, "loadavg": round(os.getloadavg()[0], 1),
               "load_s": round(load_s, 2), "prompt_tok_s": round(prompt_tps, 1)}
        for key, params in (
            ("n1", SamplingParams(max_tokens=args.max_tokens, temperature=0.0)),
            ("n1_grammar", SamplingParams(max_tokens=args.max_tokens, temperature=0.0, grammar=GRAMMAR)),
            ("n4", SamplingParams(n=4, max_tokens=args.max_tokens, temperature=0.8, seed=0)),
        ):
            # the prompt is now cached in every slot the measured call will use
            gen.generate([PROMPT], SamplingParams(n=params.n, max_tokens=1, temperature=0.8, seed=99))
            t1 = time.perf_counter()
            [comps] = gen.generate([PROMPT], params)
            dt = time.perf_counter() - t1
            row[f"{key}_tok_s"] = round(sum(c.n_tokens for c in comps) / dt, 1)
            row[f"{key}_tokens"] = sum(c.n_tokens for c in comps)
        log.append(row)
        table.add_row(name, f"{load_s:.1f}", f"{prompt_tps:.0f}", f"{row['n1_tok_s']}",
                      f"{row['n1_grammar_tok_s']}", f"{row['n4_tok_s']}")
        console.print(row)
    console.print(table)


def _prompt_speed(gen: GGUFGenerator) -> float:
    """Prompt tokens/s, from llama.cpp's own timings of a fresh (uncached) prompt."""
    import uuid

    request = {"prompt": f"{uuid.uuid4()}\n" + PROMPT * 2, "max_tokens": 1}
    body = gen._engine.complete(request)
    timings = body.get("timings", {}) if isinstance(body, dict) else {}
    return float(timings.get("prompt_per_second", 0.0))


if __name__ == "__main__":
    main()
