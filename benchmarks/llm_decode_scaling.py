"""How llama.cpp's decode time grows with batch width and context depth on this machine.

`workbench.llm.gguf_batch.BatchDecoder` decodes ``--width`` sequences that share a prompt of
``depth`` tokens, ``--steps`` steps of one token each, and prints milliseconds per step and
tokens/s. On a CPU the widths show whether decoding is memory-bound (width is nearly free) or
compute-bound (time grows with width); the depths show what attention over a few-shot prompt
costs. The fair ceiling for a few-shot pipeline is the row at its prompt's depth.

    python benchmarks/llm_decode_scaling.py --threads 2
"""

from __future__ import annotations

import argparse
import os
import time

from rich.console import Console
from rich.table import Table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="qwen2.5-coder-1.5b")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--depths", default="10,1800,3500")
    ap.add_argument("--widths", default="1,5,10")
    ap.add_argument("--steps", type=int, default=8)
    args = ap.parse_args()

    from workbench.llm.gguf_batch import BatchDecoder
    from workbench.llm.models import model_path

    widths = [int(w) for w in args.widths.split(",")]
    d = BatchDecoder(str(model_path(args.model)), threads=args.threads, ctx=16384, samples=max(widths))
    lib = d._lib
    table = Table(title=f"{args.model}, {args.threads} threads, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for col in ("depth (tokens)", "width (sequences)", "ms per step", "tokens/s", "vs width 1"):
        table.add_column(col, justify="right")
    for depth in (int(x) for x in args.depths.split(",")):
        tokens = d.tokenize("hello world " * depth)[:depth]
        d._prime(tokens)
        single = 0.0
        for width in widths:
            for j in range(width):
                lib.llama_memory_seq_cp(d._memory, d._cache_seq, j, -1, -1)
            start = time.perf_counter()
            for step in range(args.steps):
                d._decode([(tokens[-1], depth + step, j, True) for j in range(width)])
            ms = (time.perf_counter() - start) * 1e3 / args.steps
            for j in range(width):
                lib.llama_memory_seq_rm(d._memory, j, -1, -1)
            rate = width / ms * 1e3
            single = single or rate
            table.add_row(str(depth), str(width), f"{ms:.0f}", f"{rate:.1f}", f"{rate / single:.2f}×")
    Console().print(table)


if __name__ == "__main__":
    main()
