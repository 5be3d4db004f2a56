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
    """``["S=1", "T"]`` → ``{"S": "1", "T": None}``: the ``--do`` terms of the CLI and the REPL."""
    out: dict[str, str | None] = {}
    for item in items:
        var, _, value = item.partition("=")
        out[var.strip()] = value.strip() or None
    return out


@app.command()
def query(
    model: str = typer.Argument(..., help="Model file or shipped example name."),
    text: str = typer.Argument(..., help='A query such as "P(C=1 | do(S=0))".'),
    method: str = typer.Option("auto", help="auto, surgery (needs all CPTs) or identify (observations only)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Answer a (possibly interventional) probability query on MODEL."""
    from causal.errors import CausalError
    from causal.query import answer, load_model

    console = Console()
    try:
        ans = answer(load_model(model), text, method=method)
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
) -> None:
    """Decide whether a query is identifiable from observations; print the estimand or the hedge."""
    from causal.errors import CausalError, NotIdentifiable
    from causal.identify import identify as run_id
    from causal.query import load_model, parse_query

    console = Console()
    try:
        m = load_model(model)
        q = parse_query(text)
        for v in q.variables():
            m.check_variable(v, observed=True)
        est = run_id(m.graph(), [v for v, _ in q.outcomes], [v for v, _ in q.do], [v for v, _ in q.given])
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
        print(json.dumps({"query": est.query(), "graph": str(m.graph()), "identifiable": True,
                          "estimand": str(est.formula), "any": list(est.extra())}))
        return
    console.print("[bold green]identifiable[/]")
    console.print(str(est), markup=False, highlight=False)
    if m.data is not None or m.has_mechanisms:
        from causal.query import answer

        console.print(str(answer(m, q, method="identify").table), markup=False, highlight=False)


@app.command()
def draw(
    model: str = typer.Argument(..., help="Model file or shipped example name."),
    do: list[str] = typer.Option([], "--do", help="Intervene: X (open) or X=x; repeatable."),
    out: Path = typer.Option(Path("model.svg"), "-o", "--out", help="Output .svg, .png or .pdf."),
) -> None:
    """Draw MODEL's graph and string diagram, before and after surgery."""
    from causal.draw import draw_model
    from causal.errors import CausalError
    from causal.model import load_model

    console = Console()
    try:
        path = draw_model(load_model(model), out, do=do_terms(do) or None)
    except CausalError as exc:
        fail(exc, *_context(exc))
    console.print(f"wrote {path}")


def demo(console: Console) -> None:
    """The JKZ smoking example, its surgery, and the napkin and bow identifications."""
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
    console.print("\nTry: workbench causal query smoking 'P(C=1 | do(S=1))'; "
                  "workbench causal identify napkin 'P(Y | do(X))'; workbench causal draw frontdoor --do S=1 -o fd.svg")
