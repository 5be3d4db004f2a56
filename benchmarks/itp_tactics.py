"""Tactic prediction on held-out proof states: Tactician-style k-NN over traced stdlib proofs.

Anchor (Tactician, Blaauwbroek et al. 2020, Coq stdlib): top-1 accuracy 23.4 % of the human
tactic on held-out states (exact match).

Here: the core Coq 8.16 standard library traced by ``workbench prove trace`` (every tactic of
every human proof with the goals it ran on). Split by file (`provers.itp.corpus.base.file_split`,
written down before measuring): the model sees the states of *train* files only; accuracy is
measured on every traced state of the *test* files (dev files were used to choose ``k`` and the
features). Two settings: *strict* (the model never sees a state of a test file) and *online*,
Tactician's own setting (the proofs above the current theorem in its file are added to the
model; never the theorem's own). A prediction is correct when the predicted tactic, after its names are adapted to
the state, equals the human one (white space normalised). Baseline: always the most frequent
training tactic.

    python benchmarks/itp_tactics.py                  # test split
    python benchmarks/itp_tactics.py --split dev
"""

from __future__ import annotations

import argparse
import collections
import time

from rich.console import Console
from rich.table import Table

from provers.itp.corpus.base import file_split
from provers.itp.knn import KnnModel
from provers.itp.trace import default_trace_path, read_trace


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trace", default=str(default_trace_path()))
    ap.add_argument("--split", default="test", choices=("dev", "test"))
    ap.add_argument("--limit", type=int, default=0, help="evaluate the first N states only")
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--power", type=float, default=1.0)
    args = ap.parse_args()
    console = Console()
    steps, done = read_trace(args.trace)
    train = [s for s in steps if file_split(s.file) == "train"]
    held = [s for s in steps if file_split(s.file) == args.split]
    if args.limit:
        held = held[: args.limit]
    files = {s.file for s in held}
    console.print(f"{len(steps)} traced steps from {len(done)} files; train {len(train)} states, "
                  f"{args.split} {len(held)} states from {len(files)} files")
    t0 = time.perf_counter()
    model = KnnModel.fit(train)
    console.print(f"[dim]index built in {time.perf_counter() - t0:.1f} s[/]")
    common = collections.Counter(" ".join(s.tactic.split()) for s in train).most_common(1)[0][0]
    hits1 = hits10 = base = on1 = on10 = 0
    t0 = time.perf_counter()
    earlier: list = []  # the held-out file's proofs above the current theorem (online mode)
    current: list = []
    online, key = model, ("", "")
    for s in held:
        if (s.file, s.theorem) != key:
            earlier = [] if s.file != key[0] else earlier + current
            current, key = [], (s.file, s.theorem)
            online = model.extended(earlier)
        current.append(s)
        gold = " ".join(s.tactic.split())
        pred = [t for t, _ in model.predict(s.goals, n=10, k=args.k, power=args.power)]
        hits1 += bool(pred) and pred[0] == gold
        hits10 += gold in pred
        base += gold == common
        pred = [t for t, _ in online.predict(s.goals, n=10, k=args.k, power=args.power)]
        on1 += bool(pred) and pred[0] == gold
        on10 += gold in pred
    dt = (time.perf_counter() - t0) / max(1, len(held))
    n = max(1, len(held))
    table = Table(title=f"Tactic prediction on held-out states ({args.split} files, exact match)")
    for col in ("predictor", "states", "top-1 %", "top-10 %", "ms / state", "anchor (Tactician top-1)"):
        table.add_column(col)
    table.add_row(f"most frequent ({common!r})", str(len(held)), f"{100 * base / n:.1f}", "-", "-", "")
    table.add_row("k-NN, train files only (strict)", str(len(held)), f"{100 * hits1 / n:.1f}", f"{100 * hits10 / n:.1f}",
                  f"{1000 * dt / 2:.0f}", "")
    table.add_row("k-NN + the file's earlier proofs (online, as Tactician)", str(len(held)), f"{100 * on1 / n:.1f}",
                  f"{100 * on10 / n:.1f}", f"{1000 * dt / 2:.0f}", "23.4")
    console.print(table)


if __name__ == "__main__":
    main()
