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

A second metric decomposes compound tactics as Tactician does for its target: the *first step*
of a tactic is what comes before its first top-level ``;`` (``induction l as [|a l IHl]; simpl;
auto`` → ``induction l as [|a l IHl]``; brackets, parentheses and ``match ... end`` are not
split). A second model is fitted on the first steps of the training tactics, and a prediction
is correct when it equals the first step of the human tactic. This target is easier (and a
first step is still a tactic the search can run); both numbers are reported.

    python benchmarks/itp_tactics.py                  # test split
    python benchmarks/itp_tactics.py --split dev
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import os
import re
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
    first_model = KnnModel.fit([dataclasses.replace(s, tactic=first_step(s.tactic)) for s in train])
    common_first = collections.Counter(first_step(s.tactic) for s in train).most_common(1)[0][0]
    hits: collections.Counter[str] = collections.Counter()
    t0 = time.perf_counter()
    earlier: list = []  # the held-out file's proofs above the current theorem (online mode)
    current: list = []
    online, first_online, key = model, first_model, ("", "")
    for s in held:
        if (s.file, s.theorem) != key:
            earlier = [] if s.file != key[0] else earlier + current
            current, key = [], (s.file, s.theorem)
            online = model.extended(earlier)
            first_online = first_model.extended([dataclasses.replace(e, tactic=first_step(e.tactic)) for e in earlier])
        current.append(s)
        gold, first = " ".join(s.tactic.split()), first_step(s.tactic)
        hits["base"] += gold == common
        hits["first base"] += first == common_first
        for name, m, g in (("strict", model, gold), ("online", online, gold), ("first strict", first_model, first),
                           ("first online", first_online, first)):
            pred = [t for t, _ in m.predict(s.goals, n=10, k=args.k, power=args.power)]
            hits[f"{name} 1"] += bool(pred) and pred[0] == g
            hits[f"{name} 10"] += g in pred
    dt = (time.perf_counter() - t0) / max(1, len(held))
    n = max(1, len(held))
    table = Table(title=f"Tactic prediction on held-out states ({args.split} files, exact match; load {os.getloadavg()[0]:.1f})")
    for col in ("predictor", "states", "top-1 %", "top-10 %", "ms / state", "anchor (Tactician top-1)"):
        table.add_column(col)
    ms = f"{1000 * dt / 4:.0f}"
    for label, key_, anchor in ((f"most frequent ({common!r})", "base", ""), ("k-NN, train files only (strict)", "strict", ""),
                                ("k-NN + the file's earlier proofs (online, as Tactician)", "online", "23.4"),
                                (f"first step: most frequent ({common_first!r})", "first base", ""),
                                ("first step: k-NN, strict", "first strict", ""), ("first step: k-NN, online", "first online", "23.4")):
        if key_.endswith("base"):
            table.add_row(label, str(len(held)), f"{100 * hits[key_] / n:.1f}", "-", "-", anchor)
        else:
            table.add_row(label, str(len(held)), f"{100 * hits[key_ + ' 1'] / n:.1f}", f"{100 * hits[key_ + ' 10'] / n:.1f}", ms, anchor)
    console.print(table)


_TOKENS = re.compile(r"[()\[\]{};]|\b(?:lazy|multi)?match\b|\bend\b")


def first_step(tactic: str) -> str:
    """The tactic before its first top-level ``;`` (white space normalised).

    >>> first_step("induction l as [|a l IHl]; simpl; auto with arith")
    'induction l as [|a l IHl]'
    >>> first_step("destruct (H x; y) as [a|b]"), first_step("match goal with H : _ |- _ => clear H; auto end; simpl")
    ('destruct (H x; y) as [a|b]', 'match goal with H : _ |- _ => clear H; auto end')
    """
    depth = 0
    for m in _TOKENS.finditer(tactic):
        tok = m.group()
        if tok == ";" and depth == 0:
            return " ".join(tactic[: m.start()].split())
        depth += 1 if tok in "([{" or tok.endswith("match") else -1 if tok in ")]}" or tok == "end" else 0
    return " ".join(tactic.split())


if __name__ == "__main__":
    main()
