"""`workbench causal`: query, identify and draw causal models from the command line.

MODEL is a YAML/JSON model file or the name of a shipped example (smoking, frontdoor,
backdoor, napkin, bow).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table as RichTable

from workbench.errors import fail

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Causal models as string diagrams: query, identify, draw."""


def _context(exc: Exception) -> list[str]:
    """What the CLI prints under a causal error: the query with a caret under the fault, or
    the hedge that blocks identification."""
    from causal.errors import NotIdentifiable, QueryError

    if isinstance(exc, QueryError):
        return [exc.context()]
    if isinstance(exc, NotIdentifiable):
        return [exc.hedge.explain()]
    return []


def do_terms(items: list[str]) -> dict[str, str | None]:
    """``["S=1", "T"]`` → ``{"S": "1", "T": None}``: the ``--do`` terms of the CLI and the REPL.

    Raises
    ------
    CausalError
        When a variable is intervened on twice (``--do S=1 --do S=0``): one picture shows one
        intervention per variable.
    """
    from causal.errors import CausalError

    out: dict[str, str | None] = {}
    for item in items:
        var, _, value = item.partition("=")
        var = var.strip()
        if var in out:
            first = var if out[var] is None else f"{var}={out[var]}"
            raise CausalError(f"--do {item.strip()}: {var!r} is already intervened on (--do {first}); "
                              "give each variable once")
        out[var] = value.strip() or None
    return out


def _max_cells(flag: str | None) -> int:
    """The table-size cap: ``--max-cells``, ``$WORKBENCH_CAUSAL_MAX_CELLS``, ``[causal] max_cells``."""
    from causal.eliminate import DEFAULT_MAX_CELLS
    from causal.errors import CausalError
    from workbench.config import resolve

    value = resolve("causal.max_cells", flag, DEFAULT_MAX_CELLS)
    try:
        cap = int(float(value))
    except (TypeError, ValueError):
        raise CausalError(f"max_cells must be a number of table cells, not {value!r}") from None
    if cap < 1:
        raise CausalError(f"max_cells must be positive, not {cap}")
    return cap


MAX_CELLS_HELP = "Largest table (cells) a computation may allocate; beyond it, one error line (default 5e7)."


@app.command()
def query(
    model: str = typer.Argument(..., help="Model file or shipped example name."),
    text: str = typer.Argument(..., help='A query such as "P(C=1 | do(S=0))".'),
    method: str = typer.Option("auto", help="auto, surgery (needs all CPTs) or identify (observations only)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    max_cells: str = typer.Option(None, "--max-cells", help=MAX_CELLS_HELP),
) -> None:
    """Answer a (possibly interventional) probability query on MODEL."""
    from causal.errors import CausalError
    from causal.query import answer, load_model

    console = Console()
    try:
        ans = answer(load_model(model), text, method=method, max_cells=_max_cells(max_cells))
    except CausalError as exc:
        fail(exc, *_context(exc))
    if as_json:
        rows = [{"values": dict(zip(ans.table.variables, map(str, vals), strict=True)), "p": p} for vals, p in ans.table.rows()]
        print(json.dumps({"query": str(ans.query), "method": ans.method,
                          "estimand": str(ans.estimand.formula) if ans.estimand else None, "table": rows}))
        return
    console.print(str(ans), markup=False, highlight=False)


@app.command()
def identify(
    model: str = typer.Argument(..., help="Model file or shipped example name."),
    text: str = typer.Argument(..., help='An interventional query such as "P(Y | do(X))".'),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    max_cells: str = typer.Option(None, "--max-cells", help=MAX_CELLS_HELP),
) -> None:
    """Decide whether a query is identifiable from observations; print the estimand or the hedge.

    When the model has observations (CPTs, a joint or data) the estimand's value is printed
    too; if it cannot be computed (a positivity failure, a table over the cap) that is said on
    its own line and the exit status stays 0: the question asked, identifiability, is answered.
    """
    from causal.errors import CausalError, NotIdentifiable
    from causal.query import identify_query, load_model

    console = Console(soft_wrap=True)
    try:
        cap = _max_cells(max_cells)
        m = load_model(model)
        est, table, why = identify_query(m, text, max_cells=cap)
    except NotIdentifiable as exc:
        if as_json:
            print(json.dumps({"query": exc.query, "graph": str(m.graph()), "identifiable": False,
                              "hedge": {"F": sorted(exc.hedge.F), "F_prime": sorted(exc.hedge.F_prime)}}))
            raise typer.Exit(1) from None
        console.print(f"[bold red]not identifiable[/]: {exc.query} in {m.graph()}")
        console.print(exc.hedge.explain(), markup=False)
        raise typer.Exit(1) from None
    except CausalError as exc:
        fail(exc, *_context(exc))
    if as_json:
        out = {"query": est.query(), "graph": str(m.graph()), "identifiable": True,
               "estimand": str(est.formula), "any": list(est.extra())}
        if table is not None:
            out["table"] = [{"values": dict(zip(table.variables, map(str, vals), strict=True)), "p": p}
                            for vals, p in table.rows()]
        if why is not None:
            out["value_error"] = why
        print(json.dumps(out))
        return
    console.print("[bold green]identifiable[/]")
    console.print(str(est), markup=False, highlight=False)
    if table is not None:
        console.print(str(table) if table.variables else f"= {float(table.array):.6g}", markup=False, highlight=False)
    if why is not None:
        console.print(f"value not computed: {why}", markup=False, highlight=False)


@app.command()
def estimate(
    data: Path = typer.Argument(..., help="CSV file with a header row, one column per observed variable."),
    model: str = typer.Argument(..., help="Model file or shipped example name: the graph and the domains."),
    text: str = typer.Argument(..., help='A query such as "P(Y=1 | do(X=1))".'),
    resamples: int = typer.Option(1000, "--resamples", "-B", help="Bootstrap replicates (0: no interval)."),
    level: float = typer.Option(0.95, "--level", help="Confidence level of the interval."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    smoothing: float = typer.Option(0.0, "--smoothing", help="Pseudo-rows added to every cell of the joint."),
    min_rows: int = typer.Option(10, "--min-rows", help="Report strata with fewer rows than this."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    max_cells: str = typer.Option(None, "--max-cells", help=MAX_CELLS_HELP),
) -> None:
    """Estimate a causal effect from DATA: the identified estimand on the empirical distribution,
    with a bootstrap confidence interval and a positivity check per stratum."""
    from causal.data import read_csv
    from causal.errors import CausalError
    from causal.estimate import estimate as run_estimate
    from causal.query import answer, load_model

    console = Console(soft_wrap=True)  # paths and formulas stay on one line
    try:
        cap = _max_cells(max_cells)
        m = load_model(model)
        samples = read_csv(data, m.observed, [m.domains[v] for v in m.observed])
        e = run_estimate(m, samples, text, resamples=resamples, level=level, seed=seed, smoothing=smoothing,
                         min_rows=min_rows, max_cells=cap, where=str(data))
        truth = answer(m, e.query, method="surgery", max_cells=cap).table if m.has_mechanisms else None
    except CausalError as exc:
        fail(exc, *_context(exc))
    if as_json:
        rows = [{"values": dict(zip(e.point.variables, map(str, vals), strict=True)), "estimate": p, "low": lo,
                 "high": hi} for vals, p, lo, hi in e.rows()]
        if truth is not None:
            for row, (_, t) in zip(rows, truth.rows(), strict=True):
                row["truth"] = t
        print(json.dumps({"query": str(e.query), "estimand": str(e.estimand.formula), "n": e.n,
                          "resamples": e.resamples, "level": e.level, "seed": e.seed, "smoothing": e.smoothing,
                          "failed_resamples": e.failed, "thin_strata": [str(s) for s in e.thin], "table": rows}))
        return
    if e.point.variables:
        pct = f"{e.level:.0%}"
        console.print(f"{e.query}  (estimate, {pct} CI" + (", truth)" if truth is not None else ")"), markup=False)
        truths = [f"  {t:.4f}" for _, t in truth.rows()] if truth is not None else [""] * len(e.rows())
        for (vals, p, lo, hi), suffix in zip(e.rows(), truths, strict=True):
            at = ", ".join(f"{v}={x}" for v, x in zip(e.point.variables, vals, strict=True))
            console.print(f"  {at}  {p:.4f}  [{lo:.4f}, {hi:.4f}]{suffix}", markup=False, highlight=False)
    else:
        console.print(str(e), markup=False, highlight=False)
    console.print(f"  estimand: {e.estimand.formula}", markup=False, highlight=False)
    console.print(f"  data: {data}, {e.n:,} rows; {e.resamples:,} bootstrap resamples (seed {e.seed})"
                  + (f"; smoothing {e.smoothing:g} pseudo-rows per cell" if e.smoothing else ""),
                  markup=False, highlight=False)
    if e.smallest is not None:
        console.print(f"  positivity: {e.strata} strata read, the smallest is {e.smallest}", markup=False, highlight=False)
    for s in e.thin:
        console.print(f"  [yellow]thin stratum[/] {s}", highlight=False)
    if e.thin and not e.smoothing:
        console.print("  hint: with strata this thin the percentile interval under-covers (86-95% for a 95% "
                      "interval at n = 100 in docs/causal.md); --smoothing 0.5 (Jeffreys pseudo-rows) lowered the "
                      "error and raised the coverage there (89-95%)", highlight=False)
    if e.failed:
        console.print(f"  [yellow]{e.failed} of {e.resamples} resamples had an empty stratum[/] (left out of the interval)")
    if truth is not None:
        what = f"{float(truth.array):.4f}" if not truth.variables else "the last column"
        console.print(f"  truth by surgery on the CPTs of {m.where}: {what}", markup=False, highlight=False)


@app.command()
def draw(
    model: str = typer.Argument(..., help="Model file or shipped example name."),
    do: list[str] = typer.Option([], "--do", help="Intervene: X (open) or X=x; repeatable."),
    out: Path = typer.Option(Path("model.svg"), "-o", "--out", help="Output .svg, .png or .pdf."),
    outcome: list[str] = typer.Option([], "--outcome", "-y", help="Outcome variable of the diagram; repeatable "
                                      "(default: all of them, or for an estimand what the intervention affects)."),
) -> None:
    """Draw MODEL's graph and string diagram, before and after surgery."""
    from causal.draw import draw_model
    from causal.errors import CausalError
    from causal.model import load_model

    console = Console()
    try:
        m = load_model(model)
        for v in outcome:
            m.check_variable(v)
        path = draw_model(m, out, do=do_terms(do) or None, outputs=list(outcome) or None)
    except CausalError as exc:
        fail(exc, *_context(exc))
    console.print(f"wrote {path}")


def demo(console: Console) -> None:
    """The JKZ smoking example, its surgery, the napkin and bow identifications, an estimate from data."""
    from causal.comb import comb_disintegrate
    from causal.errors import NotIdentifiable
    from causal.identify import identify as run_id
    from causal.model import load_model
    from causal.query import answer

    smoking = load_model("smoking")
    omega = smoking.observational()
    console.print("[bold]1. JKZ smoking example[/]: only the joint of smoking S, tar T, cancer C is observed; "
                  f"a hidden cause links S and C.  Graph: {smoking.graph()}")
    comb, hole = comb_disintegrate(omega, "S", "T", "C")
    do_table = comb.intervene(hole)
    t = RichTable("s", "P(C=1 | S=s) observed", "P(C=1 | do(S=s)) by comb disintegration")
    for i, s in enumerate(omega.domain("S")):
        t.add_row(str(s), f"{omega.condition({'S': s}).prob({'C': 1}):.6f}", f"{do_table.array[i, 1]:.6f}")
    console.print(t)
    console.print("   (the paper: 0.253478 and 0.542297 — smoking's causal effect is smaller than the correlation)")

    fd = load_model("frontdoor")
    console.print("\n[bold]2. Surgery[/] on a full model with the hidden cause H known: cut S's mechanism, plug S=1.")
    console.print(f"   model diagram:  {fd.diagram(['C'])}", markup=False, highlight=False)
    from causal.surgery import do

    console.print(f"   after do(S=1): {do(fd.diagram(['C']), S=1)}", markup=False, highlight=False)
    truth = answer(fd, "P(C=1 | do(S=1))")
    est = answer(fd, "P(C=1 | do(S=1))", method="identify")
    console.print(f"   ground truth {truth.value():.6f}; from observations alone {est.value():.6f}", markup=False)

    nap = load_model("napkin")
    console.print(f"\n[bold]3. Napkin graph[/] {nap.graph()}: neither back-door nor front-door applies; the ID algorithm finds", highlight=False)
    e = run_id(nap.graph(), ["Y"], ["X"])
    console.print(f"   {e}", markup=False, highlight=False)
    for x in (0, 1):
        a, b = answer(nap, f"P(Y=1 | do(X={x}))"), answer(nap, f"P(Y=1 | do(X={x}))", method="identify")
        console.print(f"   P(Y=1 | do(X={x})): surgery {a.value():.6f}, estimand on observations {b.value():.6f}")
    console.print("   (y0 0.2.11 answers P(Y | X) here, which gives 0.306 / 0.706: wrong)")

    bow = load_model("bow")
    try:
        run_id(bow.graph(), ["Y"], ["X"])
    except NotIdentifiable as exc:
        console.print(f"\n[bold]4. Bow graph[/] {bow.graph()}: [red]not identifiable[/] — {exc.hedge}")

    from causal.estimate import estimate
    from causal.sample import sample

    data = sample(fd, 20000, seed=0)
    fit = estimate(fd, data, "P(C=1 | do(S=1))", resamples=1000, seed=0)
    lo, hi = fit.interval()
    naive = (data.array[data.array[:, 0] == 1, 2] == 1).mean()
    console.print(f"\n[bold]5. From data[/]: 20,000 rows of (S, T, C) drawn from the front-door model, H unrecorded. "
                  f"P(C=1 | do(S=1)) = {fit.value():.3f}, 95% CI [{lo:.3f}, {hi:.3f}] (truth {truth.value():.3f}); "
                  f"the naive P(C=1 | S=1) is {naive:.3f}.", highlight=False)
    console.print("\nTry: workbench causal query smoking 'P(C=1 | do(S=1))'; "
                  "workbench causal identify napkin 'P(Y | do(X))'; workbench causal draw frontdoor --do S=1 -o fd.svg; "
                  "workbench causal estimate DATA.csv frontdoor 'P(C=1 | do(S=1))'")
