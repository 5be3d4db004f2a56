"""Premise retrieval on held-out Coq proofs: BM25 vs MiniLM vs MiniLM + the learned ranker.

Anchor (ReProver, LeanDojo Benchmark 4, random split): R@10 38.4 for its fine-tuned ByT5
retriever vs 17.2 for BM25 (2.2×).

Here: the Coq 8.16 core standard library (`CORE_DIRS`, ~3,700 premises), queries = theorem
statements, ground truth = the premises their human proofs use (`provers.itp.corpus.coq`),
ranking among the premises accessible to each theorem. Splits, written before measuring:

* **by file** (`provers.itp.corpus.base.file_split`): test = theorems of test files (``sha1(file)
  % 100 < 25``), dev = dev files (``< 35``, used to pick the training epoch), train = the rest;
* **by theorem**: theorems of *train files* whose ``sha1(file.name) % 100 < 10`` are held out
  of training too and reported separately (unseen theorems of seen files, ReProver's
  *random* split).

The ranker (`provers.itp.ranker`: a query adapter over the frozen MiniLM premise embeddings
plus BM25 / same-file / proximity / lemma / cosine features and, version 2, what the training
proofs use: premise popularity and the premises of the 20 most similar training statements'
proofs, from other files only, and name-word overlap; version 3, online: what the proofs above
the theorem in its own file use) trains on the remaining train-file
theorems only, so neither test set leaks into it. It is saved, versioned, as
``ranker-v<version>.npz`` next to the index, and stored in the index that ``workbench prove
theorem --generator retrieval|knn`` uses (``--keep-index``: the ranker file only; ``workbench
prove index --reuse`` puts it in the index later).

    python benchmarks/itp_retriever.py                  # builds the index and statement cache on first run
    python benchmarks/itp_retriever.py --epochs 30 --dev-only   # tuning: the dev rows only, nothing saved
    python benchmarks/itp_retriever.py --epochs 30
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from provers.itp.corpus.base import retrieval_splits
from provers.itp.corpus.coq import CORE_DIRS, extract_stdlib
from provers.itp.ranker import FEATURES, Usage, train_ranker
from provers.itp.retriever import (
    Bm25Retriever,
    Retriever,
    default_index_path,
    default_ranker_path,
    evaluate,
    load_encoder,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", default=None, help="default: the cache's core index of --encoder")
    ap.add_argument("--encoder", default="onnx-minilm", help="onnx-minilm | torch-minilm | hf:<path> (e.g. one written by itp_finetune.py)")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--no-save", action="store_true", help="do not write the ranker into the index")
    ap.add_argument("--dev-only", action="store_true", help="report the dev files only (for tuning; implies --no-save)")
    ap.add_argument("--keep-index", action="store_true", help="save the ranker file only (the index stays as it is, e.g. while a benchmark reads it)")
    ap.add_argument("--latency", type=int, default=0, help="only time masked top-10 over N random premises (e.g. 100000)")
    args = ap.parse_args()
    console = Console()
    if args.latency:
        _latency(args.latency, console)
        return
    corpus = extract_stdlib().restrict(CORE_DIRS)
    index = Path(args.index) if args.index else default_index_path(args.encoder)
    if not index.exists():
        index.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        with console.status(f"encoding {len(corpus.premises)} premises ({args.encoder})"):
            Retriever.build(corpus, load_encoder(args.encoder)).save(index)
        console.print(f"index built in {time.perf_counter() - t0:.0f} s → {index}")
    dense = Retriever.load(index, ranker=False)
    bm25 = Bm25Retriever(corpus)
    split = retrieval_splits(corpus.theorems)
    train, dev, test_file, test_thm = split["train"], split["dev"], split["test_file"], split["test_theorem"]
    console.print(f"theorems with premises: train {len(train)}, dev {len(dev)}, test (by file) {len(test_file)}, "
                  f"test (by theorem) {len(test_thm)}; load {os.getloadavg()[0]:.1f}")
    proofs = [t for t in corpus.theorems if t.premises]
    vecs = _statement_vectors(dense, proofs, index.with_name(index.name.replace("core-", "core-statements-", 1)), console)
    t0 = time.perf_counter()
    # The online features: each theorem sees the library proofs above it in its own file. While
    # training, the held-out theorems of train files are left out of that library (no train theorem
    # sees their proofs); test files' proofs never reach a train or dev theorem (other files).
    held = {_key(t) for t in test_thm}
    ranker = train_ranker(dense, dense.bm25_scores, [(t, vecs[_key(t)]) for t in train], [(t, vecs[_key(t)]) for t in dev],
                          epochs=args.epochs, library=[(t, vecs[_key(t)]) for t in proofs if _key(t) not in held],
                          log=lambda e, loss, r: console.print(f"[dim]epoch {e}: loss {loss:.3f}, dev R@10 {100 * r:.1f}[/]"))
    ranker = dataclasses.replace(ranker, encoder=dense.encoder_name, library=Usage.of([(t, vecs[_key(t)]) for t in proofs]))
    console.print(f"ranker trained in {time.perf_counter() - t0:.0f} s: {ranker.note}; weights {dict(zip(FEATURES, ranker.weights.round(2).tolist(), strict=True))}")
    learned = dense.with_ranker(ranker)
    table = Table(title=f"Coq premise retrieval ({len(dense.premises)} premises, core stdlib, statements as queries)")
    for col in ("split", "retriever", "theorems", "R@1 %", "R@10 %", "MRR", "R@10 / BM25"):
        table.add_column(col)
    splits = (("test files (by file)", test_file), ("unseen theorems of train files", test_thm), ("dev files", dev))
    short = Path(args.encoder[3:]).name if args.encoder.startswith("hf:") else args.encoder
    for split, test in splits[2:] if args.dev_only else splits:
        base = evaluate(bm25, test)
        for name, model in (("BM25", bm25), (f"{short} (cosine)", dense), (f"{short} + learned ranker", learned)):
            s = base if model is bm25 else evaluate(_Cached(model, vecs), test)
            table.add_row(split, name, str(s.theorems), f"{100 * s.recall_at_1:.1f}", f"{100 * s.recall_at_10:.1f}", f"{s.mrr:.3f}",
                          f"{s.recall_at_10 / base.recall_at_10:.2f}×" if base.recall_at_10 else "-")
    console.print(table)
    if not (args.no_save or args.dev_only):
        ranker.save(default_ranker_path())
        if not args.keep_index:
            learned.save(index)
        console.print(f"ranker → {default_ranker_path()}" + ("" if args.keep_index else f" and into the index {index}"))


def _key(t) -> str:  # type: ignore[no-untyped-def]
    return f"{t.file}.{t.name}"


def _statement_vectors(dense: Retriever, theorems: list, cache: Path, console: Console) -> dict[str, np.ndarray]:  # type: ignore[type-arg]
    """Statement embeddings, cached on disk (encoding is the slow part on CPU)."""
    have: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache) as z:
            have = dict(zip(z["keys"].tolist(), z["vecs"], strict=True))
    todo = [t for t in theorems if _key(t) not in have]
    if todo:
        t0 = time.perf_counter()
        with console.status(f"encoding {len(todo)} statements"):
            vecs = dense.encoder.encode([t.statement for t in todo])
        have.update({_key(t): v for t, v in zip(todo, vecs, strict=True)})
        keys = sorted(have)
        np.savez(cache, keys=np.array(keys), vecs=np.stack([have[k] for k in keys]))
        console.print(f"[dim]{len(todo)} statements encoded in {time.perf_counter() - t0:.0f} s[/]")
    return have


class _Cached:
    """A retriever whose statement queries come from the cache (same numbers, no re-encoding)."""

    def __init__(self, model: Retriever, vecs: dict[str, np.ndarray]) -> None:
        self.model, self.vecs = model, vecs
        self.premises = model.premises
        self._by_statement: dict[str, np.ndarray] = {}

    def mask_for(self, t):  # type: ignore[no-untyped-def]
        self._current = t
        return self.model.mask_for(t)

    def rank_all(self, query: str, mask: np.ndarray, theorem=None) -> np.ndarray:  # type: ignore[no-untyped-def]
        from provers.itp.ranker import premise_features

        t = theorem
        q = self.vecs[_key(t)]
        if self.model.ranker is None:
            s = self.model.embeddings @ q
        else:
            feats = premise_features(self.model, t, self.model.bm25_scores(query), mask, q, self.model.ranker.usage, query, self.model.ranker.library)
            s = self.model.ranker.score(self.model.embeddings, q, feats)
        s = np.where(mask, s, -np.inf)
        return np.argsort(-s, kind="stable")[: int(mask.sum())]


def _latency(n: int, console: Console) -> None:
    """Masked exact top-10 over an n-premise index (random unit vectors; the query is encoded once)."""
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


if __name__ == "__main__":
    main()
