"""Choices checked on the *training* packages only: rule precision and the abstention threshold.

The test packages' gold must not steer the predictors, so what `types_eval.py` reports is
chosen here, on `typeinfer.corpus.TRAIN`:

* ``rules``: precision of each name rule of the symbolic predictor for parameters (symbolic
  alone, each file with its package's types and union aliases), keyed by its evidence line;
* ``threshold``: 2-fold cross-validation by package (the learned model retrained on one half,
  scored on the other), combined score → how often the answer is right, in bins, per kind.

Run:  python benchmarks/types_validate.py rules [--packages 5]
      python benchmarks/types_validate.py threshold
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict

from rich.console import Console
from rich.table import Table

from typeinfer.combine import combine
from typeinfer.corpus import TRAIN, examples, fetch, sources, stripped_project_types, with_types
from typeinfer.cpg import read_source
from typeinfer.generics import union_aliases
from typeinfer.predict.learned import features, train
from typeinfer.predict.symbolic import SymbolicPredictor
from typeinfer.signatures import standard_library
from typeinfer.typenames import normalize

RULES = (("type parameter", "type-parameter name"), ("fields named", "interface-field name"),
         ("the smallest of", "smallest duck type"), ("is their union", "union alias of name matches"),
         ("all are", "union alias of callers"), ("usually holds a boolean", "lexical boolean"),
         ("usually holds", "lexical other"), ("matches type", "name = type"),
         ("ends type", "name ends type"), ("plural name", "plural name"))


def _package(name: str):  # type: ignore[no-untyped-def]
    files = sources(fetch(name, TRAIN[name]))
    extra = stripped_project_types(files)
    aliases = {k: v for f in files for k, v in union_aliases(read_source(f)).items()}
    for f in files:
        try:
            program, exs, stripped = examples(f)
        except Exception:  # noqa: BLE001 - a file that does not slice is skipped
            continue
        yield with_types(program, extra), exs, stripped, aliases


def rules(packages: int, console: Console) -> None:
    sig = standard_library()
    count: dict[str, Counter[bool]] = defaultdict(Counter)
    for name in list(TRAIN)[:packages]:
        for program, exs, stripped, aliases in _package(name):
            sym = SymbolicPredictor(aliases=aliases).bind(stripped)
            inf = combine(program, [sym.predict(program, sig)], sig)
            for e in exs:
                i = inf.get(e.key)
                if e.slice.targetObj.label != "METHOD_PARAMETER_IN" or i is None or not i.type:
                    continue
                why = i.evidence[0] if i.evidence else ""
                rule = next((label for key, label in RULES if key in why), "other rules")
                count[rule][normalize(i.type) == normalize(e.gold)] += 1
        console.print(f"{name} done")
    t = Table(title=f"parameter rules on {packages} training packages (symbolic alone)")
    for c in ("rule", "answers", "precision"):
        t.add_column(c)
    for rule, c in sorted(count.items(), key=lambda x: -sum(x[1].values())):
        t.add_row(rule, str(sum(c.values())), f"{100 * c[True] / sum(c.values()):.0f}%")
    console.print(t)


def threshold(console: Console) -> None:
    sig = standard_library()
    names = list(TRAIN)
    data = {n: list(_package(n)) for n in names}
    scored: list[tuple[str, float, bool]] = []
    for held in (names[0::2], names[1::2]):
        rows = [(features(e.method, e.slice), normalize(e.gold))
                for n in names if n not in held for _, exs, _, _ in data[n] for e in exs]
        model = train(rows, max_classes=200)
        for n in held:
            for program, exs, stripped, aliases in data[n]:
                preds = [SymbolicPredictor(aliases=aliases).bind(stripped).predict(program, sig),
                         model.predict(program, sig)]
                inf = combine(program, preds, sig, threshold=0.0)
                for e in exs:
                    i = inf.get(e.key)
                    if i is not None and i.type:
                        scored.append((e.slice.targetObj.label, i.confidence,
                                       normalize(i.type) == normalize(e.gold)))
    bins = ((0, .1), (.1, .2), (.2, .3), (.3, .4), (.4, .5), (.5, 1.01))
    t = Table(title="held-out training packages: how often an answer with this score is right")
    t.add_column("kind")
    for lo, hi in bins:
        t.add_column(f"[{lo:.1f}, {min(hi, 1):.1f})", justify="right")
    for label in ("METHOD_PARAMETER_IN", "METHOD_RETURN", "LOCAL", "MEMBER"):
        cells = []
        for lo, hi in bins:
            b = [ok for lab, c, ok in scored if lab == label and lo <= c < hi]
            cells.append(f"{100 * sum(b) / len(b):.0f}% of {len(b)}" if b else "")
        t.add_row(label, *cells)
    console.print(t)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=("rules", "threshold"))
    ap.add_argument("--packages", type=int, default=5, help="rules: first N training packages")
    args = ap.parse_args(argv)
    console = Console()
    if args.what == "rules":
        rules(args.packages, console)
    else:
        threshold(console)
    return 0


if __name__ == "__main__":
    sys.exit(main())
