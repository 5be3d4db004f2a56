"""Identification on the shipped test bed, next to y0's answers, checked numerically.

For each graph of ``causal/testbed.yaml``: our verdict (estimand or hedge), y0's
``identify_outcomes`` answer (if y0 is installed), and — on random full models with a
latent per bidirected edge — the largest difference between each estimand evaluated on the
observational joint and the ground truth from surgery. A disagreement with y0 is explained
by the numbers: the estimand that misses the truth is the wrong one.

Run:  python benchmarks/causal_identify.py [--seeds 3] [--card 2]
"""

from __future__ import annotations

import argparse
import time

from rich.console import Console
from rich.table import Table as RichTable

from causal.errors import NotIdentifiable
from causal.formula import Formula, Prob, Product, Ratio, Sum
from causal.graph import Graph, example_graphs
from causal.identify import Estimand, identify
from causal.model import random_model
from causal.query import answer, parse_query


def y0_identify(g: Graph, y: list[str], x: list[str], z: list[str]):  # type: ignore[no-untyped-def]
    """y0's ``identify_outcomes`` on the same ADMG: its expression, or None."""
    from y0.algorithm.identify import identify_outcomes
    from y0.dsl import Variable
    from y0.graph import NxMixedGraph

    yg = NxMixedGraph.from_str_edges(
        nodes=list(g.nodes), directed=sorted(g.directed), undirected=sorted(tuple(sorted(e)) for e in g.bidirected)
    )
    return identify_outcomes(yg, {Variable(v) for v in x}, {Variable(v) for v in y},
                             conditions={Variable(v) for v in z} or None)


def from_y0(e) -> Formula:  # type: ignore[no-untyped-def]
    """Translate a y0 expression into our formula, to evaluate it on the same joint."""
    import y0.dsl as d

    if isinstance(e, d.Probability):
        dist = e.distribution
        return Prob(tuple(v.name for v in dist.children), tuple(v.name for v in dist.parents))
    if isinstance(e, d.Sum):
        return Sum(tuple(v.name for v in e.ranges), from_y0(e.expression))
    if isinstance(e, d.Product):
        return Product(tuple(from_y0(f) for f in e.expressions))
    if isinstance(e, d.Fraction):
        return Ratio(from_y0(e.numerator), from_y0(e.denominator))
    raise TypeError(f"unsupported y0 expression {type(e).__name__}: {e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--card", type=int, default=2)
    args = ap.parse_args()
    console = Console(width=200)
    try:
        import y0  # noqa: F401

        have_y0 = True
    except ImportError:
        have_y0 = False
        console.print("[yellow]y0 not installed: its column is empty (pip install y0==0.2.11)[/]")
    table = RichTable(title="ID algorithm: ours vs y0 0.2.11; |estimand - surgery| on random full models", show_lines=True)
    for col in ("graph", "query", "ours", "y0", "ours err", "y0 err", "ours ms", "y0 ms", "verdict"):
        table.add_column(col, overflow="fold")
    n_ok = n_ours_ok = 0
    notes = []
    for entry in example_graphs():
        g = entry["graph"]
        q = parse_query(str(entry["query"]))
        y, x, z = [v for v, _ in q.outcomes], [v for v, _ in q.do], [v for v, _ in q.given]
        t0 = time.perf_counter()
        try:
            est: Estimand | None = identify(g, y, x, z)
            ours = str(est.formula)  # type: ignore[union-attr]
        except NotIdentifiable as exc:
            est, ours = None, f"NOT identifiable: {exc.hedge}"
        t_ours = time.perf_counter() - t0
        theirs, t_y0, y0_est = "-", 0.0, None
        if have_y0:
            t0 = time.perf_counter()
            expr = y0_identify(g, y, x, z)
            t_y0 = time.perf_counter() - t0
            theirs = "NOT identifiable" if expr is None else str(expr)
            y0_est = None if expr is None else Estimand(tuple(y), tuple(x), tuple(z), from_y0(expr))
        err_ours = err_y0 = 0.0
        for seed in range(args.seeds):
            if est is None and y0_est is None:
                break
            model = random_model(g, seed=seed, card=args.card)
            truth = answer(model, q, method="surgery").table.array
            joint = model.observational()
            if est is not None:
                err_ours = max(err_ours, float(abs(est.evaluate(joint).array - truth).max()))
            if y0_est is not None:
                err_y0 = max(err_y0, float(abs(y0_est.evaluate(joint).array - truth).max()))
        same_verdict = (est is None) == (y0_est is None) if have_y0 else True
        ok_ours = est is None or err_ours < 1e-9
        ok_y0 = y0_est is None or err_y0 < 1e-9
        n_ours_ok += ok_ours
        if same_verdict and ok_ours and ok_y0:
            verdict = "agree"
            n_ok += 1
        elif ok_ours and not ok_y0:
            verdict = "y0 WRONG: its estimand misses the truth"
            notes.append(f"{entry['name']}: y0 says {theirs}, which is off by {err_y0:.3g}; ours is exact ({err_ours:.1e})")
        else:
            verdict = "DISAGREE (unexplained)"
            notes.append(f"{entry['name']}: ours {ours} (err {err_ours:.1e}), y0 {theirs} (err {err_y0:.1e})")
        table.add_row(str(entry["name"]), str(q), ours, theirs,
                      "-" if est is None else f"{err_ours:.1e}", "-" if y0_est is None else f"{err_y0:.1e}",
                      f"{t_ours * 1e3:.1f}", f"{t_y0 * 1e3:.1f}" if have_y0 else "-", verdict)
    console.print(table)
    total = len(example_graphs())
    console.print(f"{total} graphs; ours exact on every identifiable one: {n_ours_ok}/{total}; "
                  f"agree with y0 on {n_ok}/{total}")
    for note in notes:
        console.print(f" - {note}", markup=False)


if __name__ == "__main__":
    main()
