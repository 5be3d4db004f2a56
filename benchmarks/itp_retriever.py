"""Premise retrieval on held-out Coq proofs: dense (all-MiniLM-L6-v2) vs BM25.

Anchor (ReProver, LeanDojo Benchmark 4, random split): R@10 38.4 for its fine-tuned ByT5
retriever vs 17.2 for BM25 (R@1 13.5, MRR 0.31 for ReProver).

Here: the Coq 8.16 standard library, core sub-library (`CORE_DIRS`, ~3,700 premises — the
CPU budget of this machine), queries = held-out theorem statements, ground truth = the
premises their human proofs use (resolved identifiers, see `provers.itp.corpus.coq`), ranking
among the premises accessible to each theorem. Two splits: by theorem (random) and by file
(novel premises). The dense encoder is used off the shelf unless ``--finetune-steps`` is
given (contrastive, in-file hard negatives; slow on CPU: it re-encodes every premise).

    python benchmarks/itp_retriever.py                 # builds the index on first run
    python benchmarks/itp_retriever.py --finetune-steps 60
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from provers.itp.corpus.coq import CORE_DIRS, extract_stdlib
from provers.itp.retriever import Bm25Retriever, OnnxMiniLM, Retriever, default_index_path, evaluate

DEFAULT_INDEX = default_index_path()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", default=str(DEFAULT_INDEX))
    ap.add_argument("--finetune-steps", type=int, default=0)
    ap.add_argument("--latency", type=int, default=0, help="only time masked top-10 over N random premises (e.g. 100000)")
    args = ap.parse_args()
    console = Console()
    if args.latency:
        _latency(args.latency, console)
        return
    corpus = extract_stdlib().restrict(CORE_DIRS)
    index = Path(args.index)
    if not index.exists():
        index.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        with console.status(f"encoding {len(corpus.premises)} premises (onnx-minilm, CPU)"):
            Retriever.build(corpus, OnnxMiniLM()).save(index)
        console.print(f"index built in {time.perf_counter() - t0:.0f} s → {index}")
    dense = Retriever.load(index)
    bm25 = Bm25Retriever(corpus)
    splits = {"random (by theorem)": corpus.split_by_theorem(), "novel premises (by file)": corpus.split_by_file()}
    table = Table(title=f"Coq premise retrieval ({len(dense.premises)} premises, core stdlib)")
    for col in ("split", "retriever", "theorems", "R@1 %", "R@10 %", "MRR", "anchor R@10 (ReProver / BM25)"):
        table.add_column(col)
    models: list[tuple[str, object]] = [("BM25", bm25), ("MiniLM (off the shelf)", dense)]
    if args.finetune_steps:
        models.append(("MiniLM fine-tuned", _finetuned(corpus, splits["random (by theorem)"][0], args.finetune_steps, console)))
    for split, (_, test) in splits.items():
        for name, model in models:
            t0 = time.perf_counter()
            s = evaluate(model, test)  # type: ignore[arg-type]
            table.add_row(split, name, str(s.theorems), f"{100 * s.recall_at_1:.1f}", f"{100 * s.recall_at_10:.1f}",
                          f"{s.mrr:.3f}", "38.4 / 17.2" if split.startswith("random") else "—")
            console.print(f"[dim]{split} / {name}: {time.perf_counter() - t0:.0f} s[/]")
    console.print(table)


def _latency(n: int, console: Console) -> None:
    """Masked exact top-10 over an n-premise index (random unit vectors; the query is encoded once)."""
    import numpy as np

    from provers.itp.corpus.base import Premise

    rng = np.random.default_rng(0)
    emb = rng.standard_normal((n, 384), dtype=np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    premises = [Premise(f"p{i}", f"Lemma p{i} : True.", f"F{i % 500}", i) for i in range(n)]
    r = Retriever(premises, emb, {}, encoder="onnx-minilm")
    mask = rng.random(n) < 0.5
    q = r.encoder.encode(["forall n : nat, n + 0 = n"])[0]
    r.scores = lambda _query: r.embeddings @ q  # type: ignore[method-assign]  # time ranking only
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        r.retrieve("q", mask, k=10)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    for _ in range(5):
        r.encoder.encode(["forall n : nat, n + 0 = n"])
    enc = (time.perf_counter() - t0) / 5
    console.print(f"{n} premises: masked top-10 median {1000 * sorted(times)[10]:.1f} ms (CPU), query encoding {1000 * enc:.0f} ms")


def _finetuned(corpus, train, steps: int, console: Console) -> Retriever:  # type: ignore[no-untyped-def]
    from provers.itp.retriever import TorchEncoder, finetune

    enc = TorchEncoder()
    finetune(enc, corpus, train, steps=steps, log=lambda s, loss: console.print(f"[dim]step {s}: loss {loss:.3f}[/]"))
    with console.status("re-encoding premises with the fine-tuned encoder"):
        return Retriever.build(corpus, enc)


if __name__ == "__main__":
    main()
