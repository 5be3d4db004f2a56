"""REPL commands of the causal part: ``model``, ``do``, ``identify``, ``draw``.

Models come from `causal.model.load_model` (a shipped example or a file); interventions are
answered by `causal.query.answer` (surgery on the string diagram when every mechanism is
known, the identified estimand otherwise), identification by `causal.identify.identify`, and
pictures by `causal.draw.draw_model`: the calls ``workbench causal`` makes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from workbench.app.repl.context import Context
from workbench.app.repl.registry import AS_OPTION, COMMANDS, Args, command, object_name, renders
from workbench.app.repl.session import CAUSAL, History, Obj, Session


def causal_examples() -> list[str]:
    """The names of the shipped example models (for ``model`` and its completion)."""
    from causal.model import EXAMPLES

    return sorted(p.stem for p in Path(EXAMPLES).glob("*.yaml"))


def _model(s: Session, a: Args) -> Obj:
    return s.pick(CAUSAL, a.opt("model"), hint=f"load one with `model NAME` ({', '.join(causal_examples())}) or `model FILE`")


def _do_terms(text: str) -> dict[str, str | None]:
    from causal.cli import do_terms as terms

    return terms([t for t in re.split(r"[,\s]+", text) if t])


@command("model", "model [--as NAME] EXAMPLE | FILE", options=AS_OPTION, completes=("example", "path"))
def model(ctx: Context, h: History, a: Args) -> Session:
    """Load a causal model: a shipped example (smoking, frontdoor, backdoor, napkin, bow) or a YAML/JSON file.

    It becomes the current model for `do`, `identify` and `draw`.
    """
    from causal.model import load_model

    text = a.need("a model name or file", COMMANDS["model"].usage)
    m = load_model(text)
    name = object_name(a, h.session, Path(text).stem)
    ctx.console.print(_model_tree(name, m))
    return h.session.put(Obj(name, CAUSAL, m, f"{m.name}: {m.graph()}"))


def _model_tree(name: str, m: Any) -> Tree:
    tree = Tree(Text.assemble((name, "bold"), f"  {m.name}"))
    tree.add(Text(f"graph: {m.graph()}"))
    tree.add(Text(f"observed: {', '.join(m.observed)}"))
    tree.add(Text("mechanisms: every CPT known (surgery gives the truth)" if m.has_mechanisms
                  else "observations only (interventions by identification)"))
    if m.has_mechanisms:
        tree.add(Text(f"diagram: {m.diagram()}"))
    return tree


@command("do", "do [--model NAME] [--method auto|surgery|identify] X=x[, ...] [-> Y[=y], ...]  |  do P(Y=y | do(X=x))",
         options={"model": ("NAME", "causal model (default: the current one)"),
                  "method": ("M", "auto (default), surgery or identify")},
         completes=(CAUSAL,))
def do(ctx: Context, h: History, a: Args) -> None:
    """Intervene on the current causal model and compute the outcome: P(Y | do(X=x)).

    `do S=1 -> C=1` is `P(C=1 | do(S=1))`; without `-> ...` the outcome is every other observed
    variable. A model with all mechanisms is cut (string-diagram surgery, shown) and
    evaluated; a model with observations only is answered through the identified estimand.
    """
    from causal.query import answer, parse_query
    from causal.surgery import do as surgery

    obj = _model(h.session, a)
    m = obj.value
    text = a.need("an intervention", COMMANDS["do"].usage)
    if text.startswith("P("):
        q = parse_query(text)
    else:
        left, _, right = text.partition("->")
        terms = _do_terms(left)
        outs = right.strip() or ", ".join(v for v in m.observed if v not in terms)
        q = parse_query(f"P({outs} | do({left.strip()}))")
    if m.has_mechanisms and q.do:
        cut = surgery(m.diagram([v for v, _ in (*q.given, *q.outcomes)]), **dict(q.do))
        ctx.console.print(Text(f"after surgery: {cut}", style="dim"))
    ans = answer(m, q, method=a.opt("method", "auto"))
    ctx.console.print(Text(str(ans)))
    return None


@command("identify", "identify [--model NAME] P(Y | do(X)[, Z])",
         options={"model": ("NAME", "causal model (default: the current one)")}, completes=(CAUSAL,))
def identify(ctx: Context, h: History, a: Args) -> None:
    """Decide whether an interventional query is identifiable from observations (the ID algorithm).

    Prints the estimand, and its value when the model has data; or the hedge that blocks it.
    """
    from causal.errors import NotIdentifiable
    from causal.query import identify_query, parse_query

    m = _model(h.session, a).value
    q = parse_query(a.need("a query", COMMANDS["identify"].usage))
    try:
        est, table, why = identify_query(m, q)
    except NotIdentifiable as exc:
        ctx.console.print(Text.assemble(("not identifiable", "bold red"), f": {exc.query} in {m.graph()}"))
        ctx.console.print(Text(exc.hedge.explain()))
        return None
    ctx.console.print(Text("identifiable", style="bold green"))
    ctx.console.print(Text(str(est)))
    if table is not None:
        ctx.console.print(Text(str(table) if table.variables else f"= {float(table.array):.6g}"))
    if why is not None:
        ctx.console.print(Text(f"value not computed: {why}", style="yellow"))
    return None


@command("draw", "draw [--model NAME] [--do X=x,...] [--out FILE.svg|.png|.pdf]",
         options={"model": ("NAME", "causal model (default: the current one)"),
                  "do": ("X=x,..", "also draw the model after this surgery"),
                  "out": ("FILE", "picture file (default: ./NAME[-do-...].svg)")},
         completes=(CAUSAL, "path"))
def draw(ctx: Context, h: History, a: Args) -> None:
    """Draw the causal graph and string diagram (before and after surgery) to a picture file; print its path."""
    from causal.draw import draw_model

    obj = _model(h.session, a)
    terms = _do_terms(str(a.opt("do", "")))
    tag = "".join(f"-do-{k}{'' if v is None else v}" for k, v in terms.items())
    out = Path(a.opt("out") or ctx.out_dir / f"{obj.name}{tag}.svg").expanduser()
    path = draw_model(obj.value, out, do=terms or None)
    ctx.console.print(Text.assemble("wrote ", (str(path.resolve()), "bold")))
    return None





@renders(CAUSAL)
def _show_model(console: Console, obj: Obj) -> None:
    console.print(_model_tree(obj.name, obj.value))
